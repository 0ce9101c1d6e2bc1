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
