"""IMF Direction of Trade Statistics CSV (bulk long or wide layout, and the IMTS SDMX-CSV).

Exports (``TXG_FOB_USD``) plus imports (``TMG_CIF_USD``) of a country with a
counterpart give ``trade_bilateral``; with the counterpart World, ``trade_total``.
Values are read in the file's scale (a ``Scale``/``Unit Multiplier``/``SCALE`` column
when present, else US dollars in millions, the DOTS default) and stored as USD_bn.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from heartland.errors import UserError
from heartland.world.actors import resolve_country
from heartland.world.importers.common import ImportReport, TARGET_SET, csv_rows, number, orient_dyad, record

ALIASES = {
    "country": ("Country Name", "COUNTRY", "Country"),
    "country_code": ("Country Code", "COUNTRY.ID", "REF_AREA"),
    "indicator": ("Indicator Code", "INDICATOR", "Indicator"),
    "counterpart": ("Counterpart Country Name", "COUNTERPART_COUNTRY", "Counterpart Country"),
    "counterpart_code": ("Counterpart Country Code", "COUNTERPART_COUNTRY.ID", "COUNTERPART_AREA"),
    "period": ("Time Period", "TIME_PERIOD"),
    "value": ("Value", "OBS_VALUE"),
    "scale": ("Scale", "Unit Multiplier", "SCALE"),
}
SCALES = {"units": 1.0, "": 1e6, "thousands": 1e3, "millions": 1e6, "billions": 1e9, "0": 1.0, "3": 1e3,
          "6": 1e6, "9": 1e9}


def _flow(indicator: str) -> str | None:
    s = indicator.upper()
    if "XG_FOB" in s or "EXPORTS" in s:
        return "X"
    if "MG_CIF" in s or ("IMPORTS" in s and "FOB" not in s):
        return "M"
    return None


def _code(name: str, code: str) -> str | None:
    if (name or "").strip().lower() == "world" or (code or "").strip() in ("001", "W00", "WLD", "G001"):
        return "WLD"
    c = (code or "").strip()
    if len(c) == 3 and c.isalpha():
        return resolve_country(c)
    return resolve_country(name)


def read(path: Path, text: str) -> ImportReport:
    rows = csv_rows(text)
    if not rows:
        raise UserError("empty file", path=str(path))
    header = [h.strip() for h in rows[0][1]]
    col = {k: next((header.index(c) for c in v if c in header), None) for k, v in ALIASES.items()}
    years = [(i, h) for i, h in enumerate(header) if re.fullmatch(r"\d{4}", h)]
    if col["indicator"] is None or (col["country"] is None and col["country_code"] is None) or \
            (col["counterpart"] is None and col["counterpart_code"] is None):
        raise UserError("not an IMF Direction of Trade CSV: needs country, indicator and counterpart columns",
                        path=str(path))
    if not years and (col["period"] is None or col["value"] is None):
        raise UserError("not an IMF Direction of Trade CSV: no year columns and no Time Period/Value",
                        path=str(path))
    rep = ImportReport(kind="imf-dots", file=path.name)
    acc: dict[tuple, dict] = {}

    def cell(cells, k):
        i = col[k]
        return cells[i].strip() if i is not None and i < len(cells) else ""

    for line, cells in rows[1:]:
        if not any(x.strip() for x in cells):
            continue
        flow = _flow(cell(cells, "indicator"))
        if flow is None:
            rep.skipped.append((line, "indicators other than exports/imports"))
            continue
        a = _code(cell(cells, "country"), cell(cells, "country_code"))
        b = _code(cell(cells, "counterpart"), cell(cells, "counterpart_code"))
        if a is None or b is None:
            rep.skipped.append((line, "rows with an unknown country"))
            continue
        scale = SCALES.get(cell(cells, "scale").lower(), 1e6)
        obs = [(int(h), number(cells[i]) if i < len(cells) else None) for i, h in years] if years else []
        if not years:
            per = cell(cells, "period")
            if not re.fullmatch(r"\d{4}", per):
                rep.skipped.append((line, "monthly or quarterly rows (annual figures only)"))
                continue
            obs = [(int(per), number(cell(cells, "value")))]
        if b == "WLD":
            if a not in TARGET_SET:
                rep.skipped.append((line, "rows outside Central Asia"))
                continue
            actor, partner, ind = "WLD", a, "trade_total"
        else:
            d = orient_dyad(a, b)
            if d is None:
                rep.skipped.append((line, "rows outside Central Asia"))
                continue
            actor, partner, ind = d[0], d[1], "trade_bilateral"
        for y, v in obs:
            if v is None:
                continue
            k = (actor, partner, ind, y, a)
            e = acc.setdefault(k, {"X": 0.0, "M": 0.0, "flows": set(), "lines": []})
            e[flow] += v * scale
            e["flows"].add(flow)
            e["lines"].append(line)
    out = []
    for (actor, partner, ind, y, reporter), e in acc.items():
        total = (e["X"] + e["M"]) / 1e9
        both = e["flows"] == {"X", "M"}
        out.append(record("imf-dots", path.name, e["lines"], actor, partner, ind, y, total if both else None,
                          "USD_bn", "IMF Direction of Trade Statistics", reporter=reporter,
                          low=None if both else total,
                          note=f"exports + imports reported by {reporter}" if both else
                          f"one flow only, reported by {reporter}: lower bound"))
    rep.rows = pd.DataFrame(out)
    return rep
