"""World Bank indicator CSV (the ``API_<code>_DS2_en_csv`` download from data.worldbank.org).

Monadic figures (one country, one year): stored with ``partner`` empty. Known codes get
readable indicator names (below); others keep the World Bank code. Values are stored in
the file's unit (``USD`` for current-dollar series, ``pct`` for percentages).
"""

from __future__ import annotations

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


def read(path: Path, text: str) -> ImportReport:
    rows = csv_rows(text)
    head_i = next((i for i, (_, c) in enumerate(rows) if len(c) > 4 and c[0].strip() == "Country Name"
                   and "Indicator Code" in [x.strip() for x in c]
                   and not any(x.strip().startswith("Counterpart") for x in c)
                   and any(re.fullmatch(r"\d{4}", x.strip()) for x in c)), None)
    if head_i is None:
        raise UserError("not a World Bank indicator CSV: no 'Country Name,...,Indicator Code' header row",
                        path=str(path))
    header = [h.strip() for h in rows[head_i][1]]
    i_code, i_ind = header.index("Country Code"), header.index("Indicator Code")
    ycols = [(i, int(h)) for i, h in enumerate(header) if re.fullmatch(r"\d{4}", h)]
    rep = ImportReport(kind="worldbank", file=path.name)
    out = []
    for line, cells in rows[head_i + 1:]:
        if len(cells) <= i_ind or not cells[i_code].strip():
            continue
        code = cells[i_ind].strip()
        name, unit = KNOWN.get(code, (code, "value"))
        for i, y in ycols:
            v = number(cells[i]) if i < len(cells) else None
            if v is None:
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
