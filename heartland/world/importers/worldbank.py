"""World Bank indicator download from data.worldbank.org: the ``API_<code>_DS2_en_csv`` CSV or
the same table as an Excel 97 workbook (``.xls``, sheet "Data"; read with xlrd, a row's
number is its row in the sheet).

Monadic figures (one country, one year): stored with ``partner`` empty. Known codes get
readable indicator names (below); others keep the World Bank code. Values are stored in
the file's unit (``USD`` for current-dollar series, ``pct`` for percentages).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pandas as pd

from heartland.errors import UserError
from heartland.world.importers.common import ImportReport, csv_rows, number, record

KNOWN = {
    "NY.GDP.MKTP.CD": ("gdp", "USD"),
    "MS.MIL.XPND.CD": ("military_expenditure", "USD"),
    "BX.TRF.PWKR.CD.DT": ("remittances_received", "USD"),
    "BX.TRF.PWKR.DT.GD.ZS": ("remittances_gdp", "pct"),
    "NE.TRD.GNFS.ZS": ("trade_gdp", "pct"),
    "BX.KLT.DINV.CD.WD": ("fdi_inflow_total", "USD"),
    "SP.POP.TOTL": ("population", "persons"),
}


def xls_rows(path: Path) -> list[tuple[int, list[str]]]:
    """(row number, cells as text) of the "Data" sheet of a World Bank ``.xls`` download."""
    import xlrd

    try:
        # xlrd writes its own warnings on a damaged file to stdout: keep them out of the user's one line
        with open(os.devnull, "w") as quiet:
            book = xlrd.open_workbook(str(path), logfile=quiet, verbosity=0)
    except xlrd.XLRDError as exc:
        raise UserError(f"not an Excel 97 workbook: {exc}", path=str(path)) from None
    except Exception as exc:  # noqa: BLE001 - xlrd fails on a damaged file with whatever its parser hit
        # (IndexError, struct.error, CompDocError ...); the user needs one line, not xlrd's traceback
        raise UserError(f"damaged or truncated Excel 97 workbook ({type(exc).__name__})", path=str(path)) from None
    if "Data" not in book.sheet_names():
        raise UserError(f"no sheet 'Data' (has {', '.join(book.sheet_names())})", path=str(path))
    sheet = book.sheet_by_name("Data")
    # repr() keeps every digit of a float cell, so the figure read back is the cell's own
    return [(r + 1, [repr(v) if isinstance(v, float) else str(v) for v in sheet.row_values(r)])
            for r in range(sheet.nrows)]


def read_xls(path: Path) -> ImportReport:
    if not path.is_file():
        raise UserError("no such file", path=str(path))
    return read_rows(path, xls_rows(path))


def read(path: Path, text: str) -> ImportReport:
    return read_rows(path, csv_rows(text))


def read_rows(path: Path, rows: list[tuple[int, list[str]]]) -> ImportReport:
    head_i = next((i for i, (_, c) in enumerate(rows) if len(c) > 4 and c[0].strip() == "Country Name"
                   and "Indicator Code" in [x.strip() for x in c]
                   and not any(x.strip().startswith("Counterpart") for x in c)
                   and any(re.fullmatch(r"\d{4}", x.strip()) for x in c)), None)
    if head_i is None:
        raise UserError("not a World Bank indicator CSV: no 'Country Name,...,Indicator Code' header row",
                        path=str(path))
    head_line, header = rows[head_i][0], [h.strip() for h in rows[head_i][1]]
    if "Country Code" not in header:
        raise UserError(f"line {head_line}: no 'Country Code' column", path=str(path))
    i_code, i_ind = header.index("Country Code"), header.index("Indicator Code")
    ycols = [(i, int(h)) for i, h in enumerate(header) if re.fullmatch(r"\d{4}", h)]
    years = [y for _, y in ycols]
    dup = next((y for y in years if years.count(y) > 1), None)
    if dup is not None:
        raise UserError(f"line {head_line}: year {dup} appears twice in the header", path=str(path))
    rep = ImportReport(kind="worldbank", file=path.name)
    out, seen = [], {}
    for line, cells in rows[head_i + 1:]:
        if len(cells) <= i_ind or not cells[i_code].strip():
            continue
        code = cells[i_ind].strip()
        key = (cells[i_code].strip().upper(), code)
        if key in seen:
            # Two rows for one country and series: which one the World Bank meant is unknown.
            raise UserError(f"line {line}: {key[0]} {code} given twice (first at line {seen[key]})", path=str(path))
        seen[key] = line
        name, unit = KNOWN.get(code, (code, "value"))
        for i, y in ycols:
            v = number(cells[i]) if i < len(cells) else None
            if v is None:
                if i < len(cells) and cells[i].strip() not in ("", "..", "NA", "nan"):
                    raise UserError(f"line {line}: year {y}: not a number: {cells[i].strip()[:30]!r}",
                                    path=str(path))
                continue
            out.append(record("worldbank", path.name, [line], cells[i_code].strip().upper(), None, name, y, v, unit,
                              f"World Bank WDI {code}"))
    rep.rows = pd.DataFrame(out)
    return rep


#: Column names of country-year tables built from WDI (e.g. an analysis repository's
#: ``panel.csv``) → the WDI series they hold. A column not listed is not read (its unit
#: is unknown); a table with none of them is refused.
PANEL_COLUMNS = {"remit_gdp": "BX.TRF.PWKR.DT.GD.ZS", "remittances_gdp": "BX.TRF.PWKR.DT.GD.ZS",
                 "gdp": "NY.GDP.MKTP.CD", "population": "SP.POP.TOTL"}


def read_panel(path: Path, text: str) -> ImportReport:
    """A country-year table of WDI series (``iso3c, country, year, remit_gdp, ...``)."""
    rows = csv_rows(text)
    if not rows:
        raise UserError("empty file", path=str(path))
    header = [h.strip() for h in rows[0][1]]
    if "iso3c" not in header or "year" not in header:
        raise UserError("not a WDI country-year table: needs columns 'iso3c' and 'year' (has "
                        f"{', '.join(header[:8])})", path=str(path))
    series = [(i, h) for i, h in enumerate(header) if h in PANEL_COLUMNS]
    if not series:
        raise UserError(f"not a WDI country-year table: none of the known series columns "
                        f"({', '.join(PANEL_COLUMNS)}) in line 1", path=str(path))
    i_iso, i_year = header.index("iso3c"), header.index("year")
    rep = ImportReport(kind="worldbank-panel", file=path.name)
    out, seen = [], {}
    for line, cells in rows[1:]:
        if not any(c.strip() for c in cells):
            continue
        if len(cells) != len(header):
            raise UserError(f"line {line}: {len(cells)} cells, the header has {len(header)}", path=str(path))
        iso, year = cells[i_iso].strip().upper(), cells[i_year].strip()
        if not re.fullmatch(r"[A-Z]{3}", iso) or not re.fullmatch(r"\d{4}", year):
            raise UserError(f"line {line}: expected an ISO3 code and a year, got {iso!r}, {year!r}", path=str(path))
        if (iso, year) in seen:
            raise UserError(f"line {line}: {iso} {year} given twice (first at line {seen[(iso, year)]})",
                            path=str(path))
        seen[(iso, year)] = line
        for i, col in series:
            v = number(cells[i])
            if v is None:
                if cells[i].strip() not in ("", "NA", "..", "nan"):
                    raise UserError(f"line {line}: column {col!r}: not a number: {cells[i][:30]!r}", path=str(path))
                continue
            code = PANEL_COLUMNS[col]
            name, unit = KNOWN[code]
            out.append(record("worldbank-panel", path.name, [line], iso, None, name, int(year), v, unit,
                              f"World Bank WDI {code}", note=f"column {col}"))
    rep.rows = pd.DataFrame(out)
    return rep
