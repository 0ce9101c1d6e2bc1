"""Importers for the datasets analysts download: ``heartland import KIND FILE``.

Each importer reads one file format into rows of the ``dataset_rows`` table (see
:mod:`heartland.world.store_io`); re-importing the same figures replaces them, so an
import can be repeated safely. Kinds: comtrade, imf-dots, sipri-register, sipri-tiv,
worldbank, worldbank-panel (a country-year table of WDI series), undesa-stock (UN DESA
migrant stock by origin and destination), ei-gas-pipeline (Statistical Review workbook:
pipeline gas trade).
"""

from heartland.world.importers.common import ImportReport, import_file, read_file

KINDS = ("comtrade", "imf-dots", "sipri-register", "sipri-tiv", "worldbank", "worldbank-panel", "undesa-stock",
         "ei-gas-pipeline")

__all__ = ["KINDS", "ImportReport", "import_file", "read_file"]
