"""UN Comtrade CSV (the current comtradeplus layout and the legacy bulk layout).

Reads annual goods trade of the five states (as reporter or partner): a reporter's
exports plus imports with a partner give ``trade_bilateral``; with the partner World,
``trade_total``. Each reporter's figures are kept apart (``reporter``), because mirror
statistics differ; the world's precedence rule shows their disagreement as an
interval. Values are US dollars, stored as USD_bn.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from heartland.errors import UserError
from heartland.world.actors import resolve_country
from heartland.world.importers.common import ImportReport, TARGET_SET, csv_rows, number, orient_dyad, record

# Column names in the two layouts: ours -> candidates.
COLS = {
    "year": ("refYear", "Year"),
    "freq": ("freqCode",),
    "reporter_iso": ("reporterISO", "Reporter ISO"),
    "reporter": ("reporterDesc", "Reporter"),
    "partner_iso": ("partnerISO", "Partner ISO"),
    "partner": ("partnerDesc", "Partner"),
    "flow": ("flowCode", "Trade Flow Code", "Trade Flow"),
    "cmd": ("cmdCode", "Commodity Code"),
    "partner2": ("partner2Code", "2nd Partner Code"),
    "value": ("primaryValue", "Trade Value (US$)"),
}
WORLD_CODES = {"W00", "WLD", "0", "World"}
FLOWS = {"X": "X", "M": "M", "2": "X", "1": "M", "Export": "X", "Import": "M"}


def _col(header: list[str], ours: str) -> int | None:
    for cand in COLS[ours]:
        if cand in header:
            return header.index(cand)
    return None


def read(path: Path, text: str) -> ImportReport:
    rows = csv_rows(text)
    if not rows:
        raise UserError("empty file", path=str(path))
    header = [h.strip() for h in rows[0][1]]
    idx = {k: _col(header, k) for k in COLS}
    for need in ("year", "flow", "value"):
        if idx[need] is None:
            raise UserError(f"not a UN Comtrade CSV: no {' or '.join(COLS[need])!s} column", path=str(path))
    if idx["reporter_iso"] is None and idx["reporter"] is None:
        raise UserError("not a UN Comtrade CSV: no reporter column", path=str(path))
    rep = ImportReport(kind="comtrade", file=path.name)
    acc: dict[tuple, dict] = {}
    has_total = idx["cmd"] is not None and any(
        len(c) > idx["cmd"] and c[idx["cmd"]].strip().upper() == "TOTAL" for _, c in rows[1:])

    def cell(cells, k):
        i = idx[k]
        return cells[i].strip() if i is not None and i < len(cells) else ""

    for line, cells in rows[1:]:
        if not any(x.strip() for x in cells):
            continue
        if idx["freq"] is not None and cell(cells, "freq") not in ("", "A"):
            rep.skipped.append((line, "monthly rows (annual figures only)"))
            continue
        if has_total and cell(cells, "cmd").upper() != "TOTAL":
            rep.skipped.append((line, "commodity detail rows (TOTAL used)"))
            continue
        if idx["partner2"] is not None and cell(cells, "partner2") not in ("", "0", "W00", "World"):
            rep.skipped.append((line, "second-partner detail rows"))
            continue
        flow = FLOWS.get(cell(cells, "flow"))
        if flow is None:
            rep.skipped.append((line, "re-export/re-import rows"))
            continue
        y, v = number(cell(cells, "year")), number(cell(cells, "value"))
        if y is None or v is None:
            rep.skipped.append((line, "rows without a year or value"))
            continue
        r = resolve_country(cell(cells, "reporter_iso") or cell(cells, "reporter"))
        pcode = cell(cells, "partner_iso") or cell(cells, "partner")
        p = "WLD" if pcode in WORLD_CODES or cell(cells, "partner") == "World" else resolve_country(pcode)
        if r is None or p is None:
            rep.skipped.append((line, "rows with an unknown country"))
            continue
        if p == "WLD":
            if r not in TARGET_SET:
                rep.skipped.append((line, "rows outside Central Asia"))
                continue
            key = ("WLD", r, "trade_total", int(y), r)
        else:
            d = orient_dyad(r, p)
            if d is None:
                rep.skipped.append((line, "rows outside Central Asia"))
                continue
            key = (d[0], d[1], "trade_bilateral", int(y), r)
        a = acc.setdefault(key, {"X": 0.0, "M": 0.0, "flows": set(), "lines": []})
        a[flow] += v
        a["flows"].add(flow)
        a["lines"].append(line)
    out = []
    for (actor, partner, ind, y, reporter), a in acc.items():
        total = (a["X"] + a["M"]) / 1e9
        if a["flows"] == {"X", "M"}:
            out.append(record("comtrade", path.name, a["lines"], actor, partner, ind, y, total, "USD_bn",
                              "UN Comtrade", reporter=reporter, note=f"exports + imports reported by {reporter}"))
        else:
            only = "exports" if "X" in a["flows"] else "imports"
            # One flow only: the sum is a lower bound of the two-way trade, not a guess at it.
            out.append(record("comtrade", path.name, a["lines"], actor, partner, ind, y, None, "USD_bn",
                              "UN Comtrade", reporter=reporter, low=total,
                              note=f"{only} only, reported by {reporter}: lower bound"))
    rep.rows = pd.DataFrame(out)
    return rep
