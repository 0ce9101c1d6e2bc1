"""UN DESA International Migrant Stock, origin × destination, as a wide CSV (``Year, Dest``,
then one column per country of origin; a cleaned copy of the Population Division's
"by destination and origin" table).

Each cell is the number of persons born in (or citizens of) the origin country living in
the destination at mid-year. For the five states as origins: ``migrant_stock`` (persons)
of the pair (destination, origin), and ``migrant_share``, the destination's share of the
origin's emigrants in every destination of the file. The EU is the sum of the states
that were members that year (heartland.world.importers.sipri.EU_MEMBERS). A 0 is left
missing: the cleaned table writes 0 where a census publishes no figure for an origin.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from heartland.errors import UserError
from heartland.world.actors import resolve_country
from heartland.world.importers.common import ImportReport, TARGET_SET, csv_rows, number, record

SOURCE = "UN DESA International Migrant Stock"
ORIGINS = {"Kazakhstan": "KAZ", "Kyrgyzstan": "KGZ", "Tajikistan": "TJK", "Turkmenistan": "TKM",
           "Uzbekistan": "UZB"}


def read(path: Path, text: str) -> ImportReport:
    from heartland.world.importers.sipri import eu_member

    rows = csv_rows(text)
    if not rows:
        raise UserError("empty file", path=str(path))
    header = [h.strip() for h in rows[0][1]]
    if header[:2] != ["Year", "Dest"]:
        raise UserError(f"not a UN DESA origin-destination table: line 1 starts {header[:2]}, expected "
                        "['Year', 'Dest']", path=str(path))
    cols = {ORIGINS[h]: i for i, h in enumerate(header) if h in ORIGINS}
    if len(cols) != len(ORIGINS):
        missing = sorted(set(ORIGINS) - {h for h in header if h in ORIGINS})
        raise UserError(f"line 1: no column for {', '.join(missing)}", path=str(path))
    rep = ImportReport(kind="undesa-stock", file=path.name)
    seen: dict[tuple, int] = {}
    stock: dict[tuple, tuple[float, int]] = {}
    for line, cells in rows[1:]:
        if not any(c.strip() for c in cells):
            continue
        if len(cells) != len(header):
            raise UserError(f"line {line}: {len(cells)} cells, the header has {len(header)}", path=str(path))
        year, dest_name = cells[0].strip(), cells[1].strip()
        if not re.fullmatch(r"\d{4}", year):
            raise UserError(f"line {line}: expected a year, got {year!r}", path=str(path))
        if (year, dest_name) in seen:
            raise UserError(f"line {line}: {dest_name} {year} given twice (first at line {seen[(year, dest_name)]})",
                            path=str(path))
        seen[(year, dest_name)] = line
        dest = resolve_country(dest_name)
        if dest is None:
            rep.skipped.append((line, "destinations that are no country"))
            continue
        for origin, i in cols.items():
            v = number(cells[i])
            if v is None:
                if cells[i].strip() not in ("", "..", "-", "NA"):  # the UN's marks for "not available"
                    raise UserError(f"line {line}: column {header[i]!r}: not a number: {cells[i][:30]!r}",
                                    path=str(path))
                continue
            if v == 0:
                # The cleaned table writes 0 where a destination's census publishes no figure
                # for the origin (China lists about twenty origins): unknown, not none.
                rep.skipped.append((line, "zero cells (no figure published; left missing)"))
                continue
            stock[(dest, origin, int(year))] = (v, line)
    out = []
    totals: dict[tuple, tuple[float, list[int]]] = {}
    for (dest, origin, y), (v, line) in stock.items():
        t = totals.setdefault((origin, y), (0.0, []))
        totals[(origin, y)] = (t[0] + v, t[1] + [line])
    eu: dict[tuple, tuple[float, list[int]]] = {}
    for (dest, origin, y), (v, line) in stock.items():
        if eu_member(dest, y):
            e = eu.setdefault((origin, y), (0.0, []))
            eu[(origin, y)] = (e[0] + v, e[1] + [line])
    pairs = {(d, o, y): (v, [ln]) for (d, o, y), (v, ln) in stock.items() if d not in TARGET_SET or d == o}
    pairs.update({("EUU", o, y): x for (o, y), x in eu.items()})
    for (dest, origin, y), (v, lines) in pairs.items():
        if dest == origin:
            continue
        out.append(record("undesa-stock", path.name, lines, dest, origin, "migrant_stock", y, v, "persons", SOURCE,
                          note=f"persons from {origin} living in {dest} at mid-{y}"
                          + ("; sum over the EU's member states that year" if dest == "EUU" else "")))
        tot, tlines = totals[(origin, y)]
        if tot > 0:
            out.append(record("undesa-stock", path.name, sorted(set(lines)), dest, origin, "migrant_share", y,
                              v / tot, "share", SOURCE,
                              note=f"{dest}'s share of the {tot:,.0f} emigrants from {origin} in the file's "
                                   f"destinations, mid-{y}"))
    rep.rows = pd.DataFrame(out)
    return rep
