"""IMF Direction of Trade Statistics: CSV (bulk long or wide layout, IMTS SDMX-CSV) and
the per-reporter workbook (``DOTS_<n>.xlsx``, sheets "Exports, FOB" and "Imports, CIF").

Exports and imports are kept apart, oriented on the Central Asian state: a target's
exports to a patron are ``trade_exports`` (patron, target), its imports from the patron
``trade_imports``, whoever reports them (a patron's exports to the target are the
target's imports, reported by the patron: mirror statistics, kept as their own source).
Their sum per reporter is ``trade_bilateral`` (one flow only: a lower bound); with the
counterpart World, ``trade_total`` (and ``trade_exports``/``trade_imports`` with WLD).
Values are read in the file's scale (a ``Scale``/``Unit Multiplier``/``SCALE`` column or
the workbook's unit row; without a scale column, US dollars in millions, the DOTS
convention) and stored as USD_bn. A scale or unit the importer does not know, a year
given twice or a changed layout stops the import with one line naming file and row:
nothing is imported from that file, and no unit is guessed.
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
SCALES = {"units": 1.0, "": 1e6, "ones": 1.0, "thousands": 1e3, "millions": 1e6, "billions": 1e9, "0": 1.0, "3": 1e3,
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
    dup = sorted({h for _, h in years if sum(1 for _, g in years if g == h) > 1})
    if dup:
        raise UserError(f"line 1: year {dup[0]} appears twice in the header", path=str(path))
    rep = ImportReport(kind="imf-dots", file=path.name)
    acc: dict[tuple, dict] = {}
    seen: dict[tuple, int] = {}

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
        sc = cell(cells, "scale").lower()
        if sc not in SCALES:
            raise UserError(f"line {line}: unknown scale {cell(cells, 'scale')!r} (known: "
                            f"{', '.join(k for k in SCALES if k)})", path=str(path))
        scale = SCALES[sc]
        obs = [(int(h), number(cells[i]) if i < len(cells) else None) for i, h in years] if years else []
        if not years:
            per = cell(cells, "period")
            if not re.fullmatch(r"\d{4}", per):
                rep.skipped.append((line, "monthly or quarterly rows (annual figures only)"))
                continue
            obs = [(int(per), number(cell(cells, "value")))]
        for y, v in obs:
            if v is None:
                continue
            k = (a, b, flow, y)
            if k in seen:
                raise UserError(f"line {line}: {a}-{b} {'exports' if flow == 'X' else 'imports'} {y} given twice "
                                f"(first at line {seen[k]})", path=str(path))
            seen[k] = line
            if not _add(acc, rep, line, a, b, flow, y, v * scale):
                break
    rep.rows = pd.DataFrame(_records("imf-dots", path.name, acc))
    return rep


def _add(acc: dict, rep: ImportReport, line: int, reporter: str, partner: str, flow: str, y: int, usd: float,
         estimate: bool = False, sheet: str | None = None) -> bool:
    """Accumulate one reported flow, oriented on the Central Asian state; False if out of scope."""
    if partner == "WLD":
        if reporter not in TARGET_SET:
            rep.skipped.append((line, "rows outside Central Asia"))
            return False
        patron, target, target_flow = "WLD", reporter, flow
    else:
        d = orient_dyad(reporter, partner)
        if d is None:
            rep.skipped.append((line, "rows outside Central Asia"))
            return False
        patron, target = d
        # The reporter's exports to the target are the target's imports (and vice versa).
        target_flow = flow if reporter == target else {"X": "M", "M": "X"}[flow]
    e = acc.setdefault((patron, target, y, reporter), {"X": None, "M": None, "lines": {"X": [], "M": []},
                                                       "est": set(), "where": {"X": "", "M": ""}})
    e[target_flow] = usd / 1e9
    e["lines"][target_flow].append(line)
    if sheet:
        e["where"][target_flow] = f"sheet '{sheet}' row {line}"
    if estimate:
        e["est"].add(target_flow)
    return True


def _records(dataset: str, file: str, acc: dict) -> list[dict]:
    """Exports, imports and their sum (trade_bilateral, or trade_total with WLD) per reporter."""
    out = []
    for (patron, target, y, reporter), e in acc.items():
        by = f"reported by {reporter}"
        for fl, ind, word in (("X", "trade_exports", "exports to"), ("M", "trade_imports", "imports from")):
            if e[fl] is None:
                continue
            est = " (IMF estimate)" if fl in e["est"] else ""
            where = f"; {e['where'][fl]}" if e["where"][fl] else ""
            out.append(record(dataset, file, e["lines"][fl], patron, target, ind, y, e[fl], "USD_bn", SOURCE,
                              reporter=reporter, note=f"{target} {word} {patron}, {by}{est}{where}"))
        both = e["X"] is not None and e["M"] is not None
        total = (e["X"] or 0.0) + (e["M"] or 0.0)
        ind = "trade_total" if patron == "WLD" else "trade_bilateral"
        where = "; ".join(w for w in e["where"].values() if w)
        where = f"; {where}" if where else ""
        est = " (includes IMF estimates)" if e["est"] else ""
        out.append(record(dataset, file, e["lines"]["X"] + e["lines"]["M"], patron, target, ind, y,
                          total if both else None, "USD_bn", SOURCE, reporter=reporter,
                          low=None if both else total,
                          note=(f"exports + imports {by}" if both else f"one flow only, {by}: lower bound")
                          + est + where))
    return out


SOURCE = "IMF Direction of Trade Statistics"
#: The workbook's partner names for the countries the model tracks (exact IMF spellings:
#: aggregates such as "Euro Area" or "Advanced Economies" are never read as a country).
WORKBOOK_NAMES = {
    "World": "WLD", "China, P.R.: Mainland": "CHN", "Russian Federation": "RUS", "United States": "USA",
    "European Union": "EUU", "Turkey": "TUR", "Türkiye, Rep. of": "TUR", "India": "IND",
    "Kazakhstan, Rep. of": "KAZ", "Kyrgyz Rep.": "KGZ", "Tajikistan, Rep. of": "TJK", "Turkmenistan": "TKM",
    "Uzbekistan, Rep. of": "UZB",
}
WORKBOOK_SHEETS = {"Exports, FOB": "X", "Imports, CIF": "M"}
WORKBOOK_UNITS = {"us dollars, millions": 1e6, "us dollars, billions": 1e9, "us dollars, thousands": 1e3,
                  "us dollars": 1.0}


def _cell_value(v, where: str, path: Path) -> tuple[float | None, bool]:
    """A workbook cell: a number, ``"0.14 e"`` (an IMF estimate), or blank (no figure)."""
    if v is None or (isinstance(v, str) and not v.strip()):
        return None, False
    if isinstance(v, (int, float)):
        return float(v), False
    # "1,191.26 e": a thousands separator and IMF's estimate flag.
    m = re.fullmatch(r"\s*(-?\d[\d,]*(?:\.\d+)?(?:[eE][-+]?\d+)?)\s*(e?)\s*", str(v))
    if m is None:
        raise UserError(f"{where}: not a number: {str(v)[:40]!r}", path=str(path))
    return float(m.group(1).replace(",", "")), bool(m.group(2))


def read_workbook(path: Path) -> ImportReport:
    """One reporter's DOTS workbook: sheets "Exports, FOB" and "Imports, CIF" (title, reporter,
    unit, a row of years, then one row per partner)."""
    try:
        from openpyxl import load_workbook
        wb = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - any unreadable workbook is the user's file problem
        raise UserError(f"not an Excel workbook ({type(exc).__name__})", path=str(path)) from None
    try:
        missing = [s for s in WORKBOOK_SHEETS if s not in wb.sheetnames]
        if missing:
            raise UserError(f"not an IMF DOTS workbook: no sheet {missing[0]!r} (has {', '.join(wb.sheetnames)})",
                            path=str(path))
        rep = ImportReport(kind="imf-dots", file=path.name)
        acc: dict[tuple, dict] = {}
        reporters = set()
        for sheet, flow in WORKBOOK_SHEETS.items():
            rows = list(wb[sheet].iter_rows(values_only=True))
            reporter, scale, years, head = _workbook_head(rows, sheet, path)
            reporters.add(reporter)
            seen: dict[str, tuple] = {}
            for r in range(head + 1, len(rows)):
                cells = rows[r]
                name = next((str(c).strip() for c in cells[:2] if isinstance(c, str) and c.strip()), None)
                if name is None:
                    continue
                line = r + 1
                code = WORKBOOK_NAMES.get(name)
                if code is None:
                    rep.skipped.append((line, "partners outside the model (or aggregates)"))
                    continue
                vals = {}
                for i, y in years:
                    v, est = _cell_value(cells[i] if i < len(cells) else None, f"sheet {sheet!r} row {line}", path)
                    vals[y] = (v, est)
                if name in seen:
                    if seen[name][1] != vals:
                        raise UserError(f"sheet {sheet!r} row {line}: partner {name!r} appears twice with "
                                        f"different figures (first at row {seen[name][0]})", path=str(path))
                    continue
                seen[name] = (line, vals)
                for y, (v, est) in vals.items():
                    if v is not None:
                        _add(acc, rep, line, reporter, code, flow, y, v * scale, est, sheet)
        if len(reporters) != 1:
            raise UserError(f"the two sheets name different reporters ({', '.join(sorted(reporters))})",
                            path=str(path))
    finally:
        wb.close()
    rep.rows = pd.DataFrame(_records("imf-dots", path.name, acc))
    return rep


def _workbook_head(rows: list[tuple], sheet: str, path: Path) -> tuple[str, float, list[tuple[int, int]], int]:
    """Reporter, scale, year columns and the index of the row of years."""
    texts = []
    for r, cells in enumerate(rows[:12]):
        years = [(i, int(str(c).strip())) for i, c in enumerate(cells)
                 if c is not None and re.fullmatch(r"\d{4}", str(c).strip())]
        if len(years) >= 2:
            ys = [y for _, y in years]
            dup = sorted({y for y in ys if ys.count(y) > 1})
            if dup:
                raise UserError(f"sheet {sheet!r} row {r + 1}: year {dup[0]} appears twice", path=str(path))
            if len(texts) < 3:
                raise UserError(f"sheet {sheet!r}: expected a title, the reporter and the unit above the "
                                f"row of years (row {r + 1})", path=str(path))
            (_, title), (rr, rname), (ur, unit) = texts[0], texts[1], texts[2]
            if not re.search(r"(exports|imports)", title, re.I):
                raise UserError(f"sheet {sheet!r} row 2: not an IMF DOTS title: {title[:60]!r}", path=str(path))
            reporter = WORKBOOK_NAMES.get(rname)
            if reporter is None or reporter == "WLD":
                raise UserError(f"sheet {sheet!r} row {rr + 1}: reporter {rname!r} is not one the model tracks",
                                path=str(path))
            scale = WORKBOOK_UNITS.get(unit.lower())
            if scale is None:
                raise UserError(f"sheet {sheet!r} row {ur + 1}: unknown unit {unit!r} (known: "
                                f"{', '.join(WORKBOOK_UNITS)})", path=str(path))
            return reporter, scale, years, r
        t = next((str(c).strip() for c in cells if isinstance(c, str) and c.strip()), None)
        if t is not None:
            texts.append((r, t))
    raise UserError(f"not an IMF DOTS workbook: sheet {sheet!r} has no row of years", path=str(path))
