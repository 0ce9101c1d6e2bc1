"""Importers on bad input: one line naming the file and the row, nothing partial, no guessed unit."""

from __future__ import annotations

import math
from pathlib import Path

import duckdb
import pytest
from openpyxl import Workbook

from heartland.errors import UserError
from heartland.world.importers import import_file, read_file

YEARS = ["2018", "2019", "2020"]


def workbook(path: Path, *, reporter="Kazakhstan, Rep. of", unit="US Dollars, Millions", years=YEARS,
             rows=None, sheets=("Exports, FOB", "Imports, CIF")) -> Path:
    """A small DOTS-layout workbook: title, reporter, unit, years, one row per partner."""
    rows = rows or [("China, P.R.: Mainland", [100.0, 200.0, 300.0]), ("World", [1000.0, 1100.0, "1,200.5 e"]),
                    ("Euro Area", [5.0, 5.0, 5.0])]
    wb = Workbook()
    wb.remove(wb.active)
    for name in sheets:
        ws = wb.create_sheet(name)
        ws.append([None])
        ws.append([None, f"{name.split(',')[0]} to Partner Countries"])
        ws.append([None])
        ws.append([None, reporter])
        ws.append([None, unit])
        ws.append([None])
        ws.append([None, None, *years])
        for partner, vals in rows:
            ws.append([None, partner, *vals])
    wb.save(path)
    return path


def test_workbook_flows_apart_and_oriented(tmp_path):
    rep = read_file("imf-dots", workbook(tmp_path / "DOTS_103.xlsx"))
    r = rep.rows
    x = r[(r.indicator == "trade_exports") & (r.actor == "CHN") & (r.year == 2019)].iloc[0]
    assert math.isclose(x.value, 0.2) and x.reporter == "KAZ" and "row 8" in x.note
    b = r[(r.indicator == "trade_bilateral") & (r.actor == "CHN") & (r.year == 2019)].iloc[0]
    assert math.isclose(b.value, 0.4)                       # both sheets carry 200: exports + imports
    est = r[(r.indicator == "trade_total") & (r.year == 2020)].iloc[0]
    assert math.isclose(est.value, 2.401) and "IMF estimate" in est.note
    assert "EUU" not in set(r.actor)                          # "Euro Area" is no partner of the model
    # A patron's workbook: its exports to the state are the state's imports.
    rep = read_file("imf-dots", workbook(tmp_path / "DOTS_40.xlsx", reporter="China, P.R.: Mainland",
                                         rows=[("Kazakhstan, Rep. of", [1.0, 2.0, 3.0])]))
    m = rep.rows[(rep.rows.indicator == "trade_imports") & (rep.rows.year == 2018)].iloc[0]
    assert (m.actor, m.partner, m.reporter) == ("CHN", "KAZ", "CHN") and math.isclose(m.value, 0.001)


@pytest.mark.parametrize("kw,expect", [
    ({"unit": "Euros, Millions"}, r"DOTS_1\.xlsx: sheet 'Exports, FOB' row 5: unknown unit 'Euros, Millions'"),
    ({"years": ["2018", "2019", "2019"]}, r"DOTS_1\.xlsx: sheet 'Exports, FOB' row 7: year 2019 appears twice"),
    ({"sheets": ("Exports, FOB",)}, r"DOTS_1\.xlsx: not an IMF DOTS workbook: no sheet 'Imports, CIF'"),
    ({"rows": [("World", [1.0, "n/a", 3.0])]}, r"DOTS_1\.xlsx: sheet 'Exports, FOB' row 8: not a number: 'n/a'"),
    ({"reporter": "Narnia"}, r"DOTS_1\.xlsx: sheet 'Exports, FOB' row 4: reporter 'Narnia'"),
    ({"rows": [("World", [1.0, 2.0, 3.0]), ("World", [1.0, 2.5, 3.0])]},
     r"row 9: partner 'World' appears twice with different figures \(first at row 8\)"),
])
def test_workbook_bad_input_is_one_line_and_imports_nothing(tmp_path, kw, expect):
    path = workbook(tmp_path / "DOTS_1.xlsx", **kw)
    with pytest.raises(UserError, match=expect) as e:
        read_file("imf-dots", path)
    assert "\n" not in str(e.value)
    db = tmp_path / "s.duckdb"
    with pytest.raises(UserError):
        import_file("imf-dots", path, db)
    if db.exists():
        con = duckdb.connect(str(db), read_only=True)
        try:
            tabs = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
            assert "dataset_rows" not in tabs or con.execute("SELECT count(*) FROM dataset_rows").fetchone()[0] == 0
        finally:
            con.close()


def test_not_a_workbook(tmp_path):
    p = tmp_path / "DOTS_9.xlsx"
    p.write_text("Country,Value\n")
    with pytest.raises(UserError, match=r"DOTS_9\.xlsx: not an Excel workbook"):
        read_file("imf-dots", p)


HEAD = '"Country Name","Country Code","Indicator Code","Counterpart Country Name","Counterpart Country Code",'


def test_csv_unknown_scale_and_duplicate_year(tmp_path):
    p = tmp_path / "dots.csv"
    p.write_text(HEAD + '"Time Period","Value","Scale"\n'
                 '"Kazakhstan","KAZ","TXG_FOB_USD","China","CHN","2022","5","Millions"\n'
                 '"Kazakhstan","KAZ","TMG_CIF_USD","China","CHN","2022","5","Lakhs"\n')
    with pytest.raises(UserError, match=r"dots\.csv: line 3: unknown scale 'Lakhs'"):
        read_file("imf-dots", p)
    p.write_text(HEAD + '"Time Period","Value"\n'
                 '"Kazakhstan","KAZ","TXG_FOB_USD","China","CHN","2022","5"\n'
                 '"Kazakhstan","KAZ","TXG_FOB_USD","China","CHN","2022","6"\n')
    with pytest.raises(UserError, match=r"dots\.csv: line 3: KAZ-CHN exports 2022 given twice \(first at line 2\)"):
        read_file("imf-dots", p)
    p.write_text(HEAD + '"2021","2022","2022"\n')
    with pytest.raises(UserError, match=r"line 1: year 2022 appears twice"):
        read_file("imf-dots", p)


def test_wdi_table_changed_column_duplicate_year_and_text(tmp_path):
    p = tmp_path / "panel.csv"
    p.write_text("iso3c,country,year,remit_share\nKGZ,Kyrgyz Republic,2020,30.1\n")
    with pytest.raises(UserError, match=r"panel\.csv: not a WDI country-year table: none of the known series"):
        read_file("worldbank-panel", p)
    p.write_text("iso3c,country,year,remit_gdp\nKGZ,K,2020,30.1\nTJK,T,2020,28\nKGZ,K,2020,31\n")
    with pytest.raises(UserError, match=r"panel\.csv: line 4: KGZ 2020 given twice \(first at line 2\)"):
        read_file("worldbank-panel", p)
    p.write_text("iso3c,country,year,remit_gdp\nKGZ,K,2020,about 30\n")
    with pytest.raises(UserError, match=r"line 2: column 'remit_gdp': not a number"):
        read_file("worldbank-panel", p)
    p.write_text("iso3c,country,year,remit_gdp\nKGZ,K,2020,30.1\nTJK,T,2021,NA\n")
    r = read_file("worldbank-panel", p).rows
    assert len(r) == 1 and r.iloc[0].unit == "pct" and r.iloc[0].indicator == "remittances_gdp"
