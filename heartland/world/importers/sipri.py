"""SIPRI Arms Transfers Database CSV exports: the trade register and the TIV tables.

* Trade register (``Recipient,Supplier,Year of order,...,SIPRI TIV of delivered
  weapons``): one row per deal. The TIV of delivered weapons is spread evenly over the
  deal's listed years of delivery (SIPRI's register gives no per-year split) and summed
  per supplier, recipient and year as ``arms_tiv``.
* TIV tables (title ``TIV of arms imports to X, 2015-2024`` or ``... exports from X``,
  then a row of years, then one row per partner): per-year ``arms_tiv`` for each
  partner, the ``Total`` row as the world total, and each supplier's share of the
  recipient's imports over the whole table (``arms_import_share``, period first-last).
  SIPRI leaves a cell blank when nothing was delivered, so a blank inside a table is 0.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from heartland.errors import UserError
from heartland.world.actors import resolve_country
from heartland.world.importers.common import ImportReport, TARGET_SET, csv_rows, number, orient_dyad, record

SOURCE = "SIPRI Arms Transfers Database"


def _delivery_years(text: str) -> list[int]:
    years: list[int] = []
    for part in re.split(r"[;,]", text or ""):
        part = part.strip()
        m = re.fullmatch(r"(\d{4})\s*[-–]\s*(\d{4})", part)
        if m:
            years += list(range(int(m.group(1)), int(m.group(2)) + 1))
        elif re.fullmatch(r"\d{4}", part):
            years.append(int(part))
    return sorted(set(years))


def read_register(path: Path, text: str) -> ImportReport:
    rows = csv_rows(text)
    head_i = next((i for i, (_, c) in enumerate(rows)
                   if len(c) > 2 and {c[0].strip(), c[1].strip()} == {"Recipient", "Supplier"}), None)
    if head_i is None:
        raise UserError("not a SIPRI trade register CSV: no 'Recipient,Supplier' header row", path=str(path))
    header = [h.strip() for h in rows[head_i][1]]
    try:
        i_rec, i_sup = header.index("Recipient"), header.index("Supplier")
        i_years = header.index("Year(s) of delivery")
        i_tiv = header.index("SIPRI TIV of delivered weapons")
    except ValueError as exc:
        raise UserError(f"not a SIPRI trade register CSV: {exc}", path=str(path)) from None
    rep = ImportReport(kind="sipri-register", file=path.name)
    acc: dict[tuple, dict] = {}
    for line, cells in rows[head_i + 1:]:
        if len(cells) <= max(i_rec, i_sup, i_years, i_tiv) or not cells[i_rec].strip():
            continue
        rec, sup = resolve_country(cells[i_rec]), resolve_country(cells[i_sup])
        if rec in TARGET_SET and sup is None:
            # An unknown supplier still delivered: it counts in the recipient's total (WLD).
            sup = "unknown"
        if rec is None or sup is None:
            rep.skipped.append((line, "deals with an unknown or non-state party"))
            continue
        d = orient_dyad(sup, rec) if sup != "unknown" else (sup, rec)
        if d is None or rec not in TARGET_SET:
            rep.skipped.append((line, "deals outside Central Asia"))
            continue
        tiv, years = number(cells[i_tiv]), _delivery_years(cells[i_years])
        if tiv is None or not years:
            rep.skipped.append((line, "deals without deliveries"))
            continue
        for y in years:
            for who in (sup, "WLD"):
                e = acc.setdefault((who, rec, y), {"tiv": 0.0, "lines": []})
                e["tiv"] += tiv / len(years)
                e["lines"].append(line)
    rep.rows = pd.DataFrame([
        record("sipri-register", path.name, e["lines"], sup, rec, "arms_tiv", y, e["tiv"], "TIV_mn", SOURCE,
               note="delivered TIV spread evenly over each deal's delivery years"
               + ("; all suppliers, unknown ones included" if sup == "WLD" else ""))
        for (sup, rec, y), e in acc.items() if sup != "unknown"])
    return rep


#: EU member states and the years they joined and left (a state counts for year Y when it
#: was a member on 31 December of Y). Source: European Union, "EU countries"
#: (european-union.europa.eu); the United Kingdom left on 31 January 2020.
EU_MEMBERS: dict[str, tuple[int, int | None]] = {
    **{c: (1958, None) for c in ("BEL", "FRA", "DEU", "ITA", "LUX", "NLD")},
    "DNK": (1973, None), "IRL": (1973, None), "GBR": (1973, 2020), "GRC": (1981, None),
    "PRT": (1986, None), "ESP": (1986, None), **{c: (1995, None) for c in ("AUT", "FIN", "SWE")},
    **{c: (2004, None) for c in ("CYP", "CZE", "EST", "HUN", "LVA", "LTU", "MLT", "POL", "SVK", "SVN")},
    "BGR": (2007, None), "ROU": (2007, None), "HRV": (2013, None),
}


def eu_member(code: str, year: int) -> bool:
    span = EU_MEMBERS.get(code)
    return span is not None and span[0] <= year and (span[1] is None or year < span[1])


def register_panel(rows: pd.DataFrame, patrons, first: int, last: int, window: int = 5) -> pd.DataFrame:
    """Per patron, recipient and year ``first..last``: delivered TIV (0 where the register lists
    no delivery: SIPRI's register covers every transfer of major conventional arms it has
    identified, and its own tables print such years blank), the EU as the sum of the states
    that were members that year, and each patron's share of the recipient's imports over the
    ``window`` years to Y (no row when the recipient imported nothing in the window)."""
    tiv = rows[rows["indicator"] == "arms_tiv"]
    by = {(r.actor, r.partner, int(r.year)): (float(r.value), r.lines) for r in tiv.itertuples()}
    recipients = sorted(set(tiv["partner"]) & TARGET_SET)
    file = str(tiv["file"].iloc[0]) if len(tiv) else ""
    eu = tiv[[eu_member(a, int(y)) for a, y in zip(tiv["actor"], tiv["year"])]]
    for (rec, y), g in eu.groupby(["partner", "year"]):
        by[("EUU", rec, int(y))] = (float(g["value"].sum()), ",".join(g["lines"].astype(str)))
    out = []
    for rec in recipients:
        for y in range(first - window + 1, last + 1):
            for sup in list(patrons) + ["WLD"]:
                v, lines = by.get((sup, rec, y), (0.0, None))
                if y >= first:
                    note = ("no delivery listed in the register" if lines is None else
                            "delivered TIV spread evenly over each deal's delivery years"
                            + ("; sum over the EU's member states that year" if sup == "EUU" else "")
                            + ("; all suppliers" if sup == "WLD" else ""))
                    out.append(record("sipri-register", file, _lines(lines), sup, rec, "arms_tiv", y, v, "TIV_mn",
                                      SOURCE, note=note))
        for y in range(first, last + 1):
            span = range(y - window + 1, y + 1)
            total = sum(by.get(("WLD", rec, t), (0.0, None))[0] for t in span)
            if total <= 0:
                continue
            # The share's lines: the recipient's deals in the window (numerator and denominator).
            all_lines = ",".join(g[1] for g in (by.get(("WLD", rec, t)) for t in span) if g and g[1])
            for sup in patrons:
                got = [by.get((sup, rec, t)) for t in span]
                s = sum(g[0] for g in got if g)
                lines = all_lines or None
                out.append(record("sipri-register", file, _lines(lines), sup, rec, "arms_import_share", y,
                                  s / total, "share", SOURCE, period=f"{span[0]}-{y}",
                                  note=f"supplier's delivered TIV {span[0]}-{y} over the recipient's total "
                                       f"({total:.1f} TIV mn)"))
    return pd.DataFrame(out)


def _lines(lines) -> list[int]:
    if lines is None:
        return [0]
    return sorted({int(x) for x in str(lines).split(",") if x})


def read_tiv(path: Path, text: str) -> ImportReport:
    rows = csv_rows(text)
    title = " ".join(text.splitlines()[:4]).replace('"', "")
    m = re.search(r"(imports to|exports from)\s+(.+?),?\s+\d{4}", title, flags=re.I)
    if m is None:
        raise UserError("not a SIPRI TIV table: no 'TIV of arms imports to X, YYYY-YYYY' title", path=str(path))
    direction = "imports" if m.group(1).lower().startswith("imports") else "exports"
    country = resolve_country(m.group(2).strip())
    if country is None:
        raise UserError(f"unknown country {m.group(2)!r} in the title", path=str(path))
    head_i = next((i for i, (_, c) in enumerate(rows) if sum(bool(re.fullmatch(r"\d{4}", x.strip())) for x in c) >= 1
                   and not re.search(r"imports to|exports from|generated", " ".join(c), re.I)), None)
    if head_i is None:
        raise UserError("not a SIPRI TIV table: no row of years", path=str(path))
    header = [h.strip() for h in rows[head_i][1]]
    ycols = [(i, int(h)) for i, h in enumerate(header) if re.fullmatch(r"\d{4}", h)]
    first, last = ycols[0][1], ycols[-1][1]
    rep = ImportReport(kind="sipri-tiv", file=path.name)
    out, totals, partner_totals = [], {}, {}
    for line, cells in rows[head_i + 1:]:
        if not cells or not cells[0].strip():
            continue
        name = cells[0].strip()
        vals = {y: number(cells[i]) if i < len(cells) else None for i, y in ycols}
        if all(v is None for v in vals.values()):
            continue
        is_total = name.lower() == "total"
        other = "WLD" if is_total else resolve_country(name)
        if other is None:
            rep.skipped.append((line, "rows for unknown or non-state parties"))
            continue
        sup, rec = (other, country) if direction == "imports" else (country, other)
        if rec not in TARGET_SET or (orient_dyad(sup, rec) is None and sup != "WLD"):
            rep.skipped.append((line, "rows outside Central Asia"))
            continue
        for y, v in vals.items():
            out.append(record("sipri-tiv", path.name, [line], sup, rec, "arms_tiv", y, v or 0.0, "TIV_mn", SOURCE,
                              note="blank cell: no deliveries" if v is None else None))
        s = sum(v or 0.0 for v in vals.values())
        if is_total:
            totals[rec] = (s, line)
        elif direction == "imports":
            partner_totals[(sup, rec)] = (s, line)
    for (sup, rec), (s, line) in partner_totals.items():
        if rec in totals and totals[rec][0] > 0:
            out.append(record("sipri-tiv", path.name, [line, totals[rec][1]], sup, rec, "arms_import_share", last,
                              s / totals[rec][0], "share", SOURCE, period=f"{first}-{last}",
                              note=f"supplier's TIV {first}-{last} over the recipient's total"))
    rep.rows = pd.DataFrame(out)
    return rep
