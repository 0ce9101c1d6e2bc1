"""Energy Institute / bp Statistical Review workbook: natural gas trade by pipeline.

The sheet ("Gas - Trade movts - pipeline" or "Gas trade - pipeline") is one year's matrix
in billion cubic metres: a title ("Natural Gas: Trade movements 2023 by pipeline"), the
unit, a header row ("To", then the exporting countries), one row per importer (countries
and regional sums) and a "Total exports" row.

For the three exporters among the five states (Kazakhstan, Turkmenistan, Uzbekistan):
``gas_exports`` (bcm) to each patron and ``gas_export_share``, the patron's share of the
state's pipeline exports that year. A patron without a row of its own counts 0 only when
the region the Review puts it in (Europe for the EU and Turkey, Asia Pacific for India)
received nothing from that exporter; otherwise it is left missing. Russia's pipeline gas
to the five (Russia's column) is ``gas_imports`` of the importing state.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from heartland.errors import UserError
from heartland.world.importers.common import ImportReport, record

SOURCE = "Energy Institute Statistical Review of World Energy (bp before 2023)"
EXPORTERS = {"Kazakhstan": "KAZ", "Turkmenistan": "TKM", "Uzbekistan": "UZB"}
PATRON_ROWS = {"China": "CHN", "Russian Federation": "RUS", "US": "USA", "EU": "EUU", "European Union": "EUU",
               "Turkey": "TUR", "Türkiye": "TUR", "Turkiye": "TUR", "India": "IND"}
#: The Review's region of each patron, used only to show a patron without a row got nothing.
REGION = {"EUU": "Europe", "TUR": "Europe", "IND": "Asia Pacific", "USA": "North America"}
#: Rows the sheet gives inside a region (their flows are not the missing patron's).
IN_REGION = {"Asia Pacific": ("China",)}
IMPORTERS = {"Kazakhstan": "KAZ", "Kyrgyzstan": "KGZ", "Tajikistan": "TJK", "Turkmenistan": "TKM",
             "Uzbekistan": "UZB"}


def read_gas_pipeline(path: Path) -> ImportReport:
    try:
        from openpyxl import load_workbook
        wb = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - an unreadable workbook is the user's file problem
        raise UserError(f"not an Excel workbook ({type(exc).__name__})", path=str(path)) from None
    try:
        names = [s for s in wb.sheetnames if re.search(r"gas.*trade.*pipeline", s, re.I)]
        if len(names) != 1:
            raise UserError("not a Statistical Review workbook: no single 'Gas ... trade ... pipeline' sheet",
                            path=str(path))
        sheet = names[0]
        rows = list(wb[sheet].iter_rows(values_only=True))
    finally:
        wb.close()
    where = f"sheet {sheet!r}"
    title = str(rows[0][0] if rows and rows[0] else "")
    m = re.search(r"trade movements (\d{4}) by pipeline", title, re.I)
    if m is None:
        raise UserError(f"{where} row 1: not a pipeline trade title: {title[:60]!r}", path=str(path))
    year = int(m.group(1))
    unit = str(rows[1][0] if len(rows) > 1 and rows[1] else "").strip()
    if unit.lower() != "billion cubic metres":
        raise UserError(f"{where} row 2: unknown unit {unit!r} (known: Billion cubic metres)", path=str(path))
    head_i = next((i for i, r in enumerate(rows[:6]) if r and str(r[0]).strip() == "To"), None)
    if head_i is None:
        raise UserError(f"{where}: no header row starting 'To'", path=str(path))
    header = [str(h).strip() if h is not None else "" for h in rows[head_i]]
    cols = {h: i for i, h in enumerate(header) if h}
    dup = sorted({h for h in header if h and header.count(h) > 1})
    if dup:
        raise UserError(f"{where} row {head_i + 1}: column {dup[0]!r} appears twice", path=str(path))
    missing = [h for h in list(EXPORTERS) + ["Russian Federation"] if h not in cols]
    if missing:
        raise UserError(f"{where} row {head_i + 1}: no column for {', '.join(missing)}", path=str(path))
    table: dict[str, tuple[dict, int]] = {}
    for i in range(head_i + 1, len(rows)):
        r = rows[i]
        if not r or r[0] is None:
            continue
        name = str(r[0]).strip()
        if name.startswith(("Source", "Note", "*", "^", "#")):
            break
        # A figure under a column without a label means header and figures are not aligned
        # (an edition's header row lost a cell): reading by position would shift exporters.
        stray = next((j for j in range(1, len(r)) if r[j] not in (None, "") and not
                      (j < len(header) and header[j])), None)
        if stray is not None:
            raise UserError(f"{where} row {i + 1}: a figure in column {stray + 1}, which has no header: header and "
                            "figures are not aligned", path=str(path))
        vals = {}
        for h in list(EXPORTERS) + ["Russian Federation"]:
            v = r[cols[h]] if cols[h] < len(r) else None
            if v is None or (isinstance(v, str) and v.strip() in ("", "-", "n/a")):
                v = 0.0   # the Review leaves a cell blank or '-' for no flow
            if not isinstance(v, (int, float)):
                raise UserError(f"{where} row {i + 1}: column {h!r}: not a number: {str(v)[:30]!r}", path=str(path))
            vals[h] = float(v)
        if name in table and table[name][0] != vals:
            raise UserError(f"{where} row {i + 1}: importer {name!r} appears twice with different figures "
                            f"(first at row {table[name][1]})", path=str(path))
        table.setdefault(name, (vals, i + 1))
    if "Total exports" not in table:
        raise UserError(f"{where}: no 'Total exports' row", path=str(path))
    rep = ImportReport(kind="ei-gas-pipeline", file=path.name)
    out = []
    total, total_line = table["Total exports"]
    for ex_name, ex in EXPORTERS.items():
        tot = total[ex_name]
        for patron in ("CHN", "RUS", "USA", "EUU", "TUR", "IND"):
            row = next((n for n, p in PATRON_ROWS.items() if p == patron and n in table), None)
            if row is not None:
                v, line, how = table[row][0][ex_name], table[row][1], f"row {row!r}"
            else:
                region = REGION.get(patron)
                # What the region received beyond the rows of it the sheet names (China in
                # Asia Pacific): zero means the patron got nothing.
                known = sum(table[n][0][ex_name] for n in IN_REGION.get(region, ()) if n in table)
                if region not in table or abs(table[region][0][ex_name] - known) > 1e-9:
                    rep.skipped.append((total_line, "patrons without a row whose region received gas"))
                    continue
                v, line, how = 0.0, table[region][1], (f"nothing to the region {region!r}" if not known else
                                                        f"nothing to {region!r} beyond {', '.join(IN_REGION[region])}")
            note = f"{ex} pipeline gas to {patron}, {year} ({how}, column {ex_name!r})"
            out.append(record("ei-gas-pipeline", path.name, [line], patron, ex, "gas_exports", year, v, "bcm",
                              SOURCE, note=note))
            if tot > 0:
                out.append(record("ei-gas-pipeline", path.name, [line, total_line], patron, ex, "gas_export_share",
                                  year, v / tot, "share", SOURCE,
                                  note=f"{patron}'s share of {ex}'s {tot:.2f} bcm pipeline exports, {year}"))
    for im_name, im in IMPORTERS.items():
        if im_name in table:
            v, line = table[im_name][0]["Russian Federation"], table[im_name][1]
            out.append(record("ei-gas-pipeline", path.name, [line], "RUS", im, "gas_imports", year, v, "bcm", SOURCE,
                              note=f"{im}'s pipeline gas imports from Russia, {year}"))
    rep.rows = pd.DataFrame(out)
    return rep
