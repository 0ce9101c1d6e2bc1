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

import json
import re
from pathlib import Path

import pandas as pd
import pycountry

from heartland.errors import UserError
from heartland.world.actors import resolve_country
from heartland.world.importers.common import ImportReport, TARGET_SET, csv_rows, number, record

SOURCE = "UN DESA International Migrant Stock"
ORIGINS = {"Kazakhstan": "KAZ", "Kyrgyzstan": "KGZ", "Tajikistan": "TJK", "Turkmenistan": "TKM",
           "Uzbekistan": "UZB"}


def read(path: Path, text: str) -> ImportReport:
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
    rep.rows = stock_records("undesa-stock", path.name, stock)
    return rep


def stock_records(kind: str, file: str, stock: dict[tuple, tuple[float, int]], *, eu_note: str = "",
                  lines_are: str = "") -> pd.DataFrame:
    """``migrant_stock`` and ``migrant_share`` rows from {(destination, origin, year): (persons, line)}.

    The share's denominator is the origin's emigrants summed over every destination of the
    file that gives a figure; the EU is the sum over the states that were members that year
    and give a figure (``eu_note`` says what that leaves out).
    """
    from heartland.world.importers.sipri import eu_member

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
        out.append(record(kind, file, lines, dest, origin, "migrant_stock", y, v, "persons", SOURCE,
                          note=f"persons from {origin} living in {dest} at mid-{y}"
                          + (f"; sum over the EU's member states that year{eu_note}" if dest == "EUU" else "")
                          + lines_are))
        tot, tlines = totals[(origin, y)]
        if tot > 0:
            out.append(record(kind, file, sorted(set(lines)), dest, origin, "migrant_share", y,
                              v / tot, "share", SOURCE,
                              note=f"{dest}'s share of the {tot:,.0f} emigrants from {origin} in the file's "
                                   f"destinations, mid-{y}" + lines_are))
    return pd.DataFrame(out)


def _alpha2(code: str) -> str | None:
    """ISO alpha-3 of an exact alpha-2 code (no name matching: a wrong code is an error, not a guess)."""
    c = pycountry.countries.get(alpha_2=code.upper()) if len(code) == 2 and code.isalpha() else None
    return c.alpha_3 if c is not None else None


def read_pairs(path: Path, text: str) -> ImportReport:
    """A long origin-destination table of one year: ``destination,origin,stock_<year>`` with
    ISO alpha-2 codes (one row per pair the UN publishes; a pair without a row has no figure)."""
    rows = csv_rows(text)
    if not rows:
        raise UserError("empty file", path=str(path))
    header = [h.strip() for h in rows[0][1]]
    m = re.fullmatch(r"stock_(\d{4})", header[2]) if len(header) == 3 else None
    if header[:2] != ["destination", "origin"] or m is None:
        raise UserError(f"not a UN DESA pair table: line 1 is {header}, expected ['destination', 'origin', "
                        "'stock_<year>']", path=str(path))
    year = int(m.group(1))
    rep = ImportReport(kind="undesa-stock-pairs", file=path.name)
    seen: dict[tuple, int] = {}
    stock: dict[tuple, tuple[float, int]] = {}
    for line, cells in rows[1:]:
        if not any(c.strip() for c in cells):
            continue
        if len(cells) != 3:
            raise UserError(f"line {line}: {len(cells)} cells, the header has 3", path=str(path))
        d_code, o_code, val = (c.strip() for c in cells)
        dest, origin = _alpha2(d_code), _alpha2(o_code)
        for code, iso in ((d_code, dest), (o_code, origin)):
            if iso is None:
                raise UserError(f"line {line}: not an ISO alpha-2 country code: {code[:30]!r}", path=str(path))
        if (dest, origin) in seen:
            raise UserError(f"line {line}: {d_code} <- {o_code} given twice (first at line {seen[(dest, origin)]})",
                            path=str(path))
        seen[(dest, origin)] = line
        v = number(val)
        if v is None or v < 0:
            raise UserError(f"line {line}: not a number of persons: {val[:30]!r}", path=str(path))
        if origin not in TARGET_SET:
            continue
        if v == 0:
            rep.skipped.append((line, "zero cells (no figure published; left missing)"))
            continue
        stock[(dest, origin, year)] = (v, line)
    rep.rows = stock_records("undesa-stock-pairs", path.name, stock,
                             eu_note=" that give a figure for this origin (members without one are not counted: "
                                     "a lower bound)")
    return rep


def read_matrix_json(path: Path, text: str) -> ImportReport:
    """A chord-diagram JSON of the UN table: ``names`` (countries and region labels),
    ``regions`` (indexes of the region labels) and ``matrix`` {year: rows of origins x columns
    of destinations}. "Lines" of its rows are the origin's index in ``names``."""
    try:
        d = json.loads(text)
    except json.JSONDecodeError as exc:
        raise UserError(f"not JSON: line {exc.lineno}: {exc.msg}", path=str(path)) from None
    if not isinstance(d, dict) or not {"names", "regions", "matrix"} <= set(d):
        raise UserError("not a UN DESA stock matrix: expected the keys names, regions, matrix", path=str(path))
    names, regions, matrix = d["names"], set(d["regions"]), d["matrix"]
    if not isinstance(names, list) or not isinstance(matrix, dict):
        raise UserError("not a UN DESA stock matrix: names must be a list, matrix an object by year", path=str(path))
    codes = {i: resolve_country(str(n)) for i, n in enumerate(names) if i not in regions}
    origins = {i: c for i, c in codes.items() if c in TARGET_SET}
    if len(origins) != len(ORIGINS):
        raise UserError(f"names: {len(origins)} of the five states found, expected 5", path=str(path))
    rep = ImportReport(kind="undesa-stock-matrix", file=path.name)
    rep.skipped += [(i, "names that are no single country (left out of the totals)")
                    for i, c in codes.items() if c is None]
    stock: dict[tuple, tuple[float, int]] = {}
    for ykey, rows in matrix.items():
        if not re.fullmatch(r"\d{4}", str(ykey)):
            raise UserError(f"matrix: expected a year as key, got {str(ykey)[:30]!r}", path=str(path))
        if not isinstance(rows, list) or len(rows) != len(names) or any(
                not isinstance(r, list) or len(r) != len(names) for r in rows):
            raise UserError(f"matrix[{ykey}]: not a {len(names)} x {len(names)} table", path=str(path))
        for i, origin in origins.items():
            for j, dest in codes.items():
                if dest is None or j == i:
                    continue
                v = rows[i][j]
                if not isinstance(v, (int, float)) or isinstance(v, bool) or v < 0:
                    raise UserError(f"matrix[{ykey}] row {i} ({names[i]}) column {j}: not a number of persons: "
                                    f"{str(v)[:30]!r}", path=str(path))
                if v == 0:  # as in the UN table's copies: no figure published, left missing
                    rep.skipped.append((i, "zero cells (no figure published; left missing)"))
                    continue
                key = (dest, origin, int(ykey))
                if key in stock:
                    raise UserError(f"names: {names[j]!r} is a second name for {dest}", path=str(path))
                stock[key] = (float(v), i)
    rep.rows = stock_records("undesa-stock-matrix", path.name, stock,
                             lines_are=" (line = the origin's row in the JSON matrix)")
    return rep
