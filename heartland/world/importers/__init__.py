"""Importers for the datasets analysts download: ``heartland import KIND FILE``.

Each importer reads one file format into rows of the ``dataset_rows`` table (see
:mod:`heartland.world.store_io`); re-importing the same figures replaces them, so an
import can be repeated safely. Kinds: comtrade, imf-dots, sipri-register, sipri-tiv,
worldbank, worldbank-panel (a country-year table of WDI series), undesa-stock (UN DESA
migrant stock by origin and destination, wide CSV), undesa-stock-pairs (the same, one year as
destination,origin,stock_<year> rows of ISO alpha-2 codes), undesa-stock-matrix (the same as a
JSON matrix by year), ei-gas-pipeline (Statistical Review workbook:
pipeline gas trade).
"""

from heartland.world.importers.common import ImportReport, import_file, read_file

KINDS = ("comtrade", "imf-dots", "sipri-register", "sipri-tiv", "worldbank", "worldbank-panel", "undesa-stock",
         "undesa-stock-pairs", "undesa-stock-matrix", "ei-gas-pipeline")

__all__ = ["KINDS", "ImportReport", "import_file", "read_file"]
