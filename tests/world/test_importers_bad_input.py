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


WB_HEAD = ('"Data Source","World Development Indicators",\n\n"Last Updated Date","2022-02-15",\n\n'
           '"Country Name","Country Code","Indicator Name","Indicator Code",')
WB_ROW = '"Kazakhstan","KAZ","Personal remittances, received (% of GDP)","BX.TRF.PWKR.DT.GD.ZS",'


def test_wdi_indicator_csv_duplicate_year_row_and_text(tmp_path):
    p = tmp_path / "API_remit.csv"
    p.write_text(WB_HEAD + '"2019","2020","2020",\n' + WB_ROW + '"0.28","0.22","0.22",\n')
    with pytest.raises(UserError, match=r"API_remit\.csv: line 5: year 2020 appears twice in the header"):
        read_file("worldbank", p)
    p.write_text(WB_HEAD + '"2019","2020",\n' + WB_ROW + '"0.28","0.22",\n' + WB_ROW + '"0.3","0.2",\n')
    with pytest.raises(UserError, match=r"API_remit\.csv: line 7: KAZ BX\.TRF\.PWKR\.DT\.GD\.ZS given twice "
                                        r"\(first at line 6\)"):
        read_file("worldbank", p)
    p.write_text(WB_HEAD + '"2019","2020",\n' + WB_ROW + '"0.28","about 0.2",\n')
    with pytest.raises(UserError, match=r"line 6: year 2020: not a number: 'about 0\.2'"):
        read_file("worldbank", p)
    # a blank cell is "not published", not an error; the unit is the series' own (pct)
    p.write_text(WB_HEAD + '"2019","2020",\n' + WB_ROW + '"0.28","",\n')
    r = read_file("worldbank", p).rows
    assert len(r) == 1 and r.iloc[0].year == 2019 and r.iloc[0].unit == "pct" and r.iloc[0].value == 0.28


# -- UN DESA migrant stock (wide origin columns) ------------------------------------------
UN_HEAD = "Year,Dest,Kazakhstan,Kyrgyzstan,Tajikistan,Turkmenistan,Uzbekistan,Narnia\n"


def test_undesa_stock_shares_eu_membership_and_zeros(tmp_path):
    p = tmp_path / "stock.csv"
    p.write_text(UN_HEAD + "2019,Russian Federation,900,500,400,100,1000,7\n"
                 "2019,United Kingdom of Great Britain and Northern Ireland,50,0,0,0,0,0\n"
                 "2019,Germany,50,10,..,0,0,0\n2019,China,0,0,0,0,0,3\n"
                 "2020,Russian Federation,900,500,400,100,1000,7\n2020,United Kingdom of Great Britain and Northern Ireland,50,0,0,0,0,0\n"
                 "2020,Germany,50,10,0,0,0,0\n")
    r = read_file("undesa-stock", p).rows
    get = lambda a, t, ind, y: r[(r.actor == a) & (r.partner == t) & (r.indicator == ind) & (r.year == y)]
    assert get("RUS", "KAZ", "migrant_stock", 2019).value.iloc[0] == 900
    assert math.isclose(get("RUS", "KAZ", "migrant_share", 2019).value.iloc[0], 0.9)
    assert get("EUU", "KAZ", "migrant_stock", 2019).value.iloc[0] == 100     # UK still a member in 2019
    assert get("EUU", "KAZ", "migrant_stock", 2020).value.iloc[0] == 50      # not in 2020
    assert get("CHN", "KAZ", "migrant_stock", 2019).empty                    # 0 = no figure published


def test_undesa_stock_bad_input(tmp_path):
    p = tmp_path / "stock.csv"
    p.write_text("Year,Dest,Kazakhstan,Kyrgyzstan\n2019,Russian Federation,1,2\n")
    with pytest.raises(UserError, match=r"stock\.csv: line 1: no column for Tajikistan, Turkmenistan, Uzbekistan"):
        read_file("undesa-stock", p)
    p.write_text(UN_HEAD + "2019,Russian Federation,1,2,3,4,5,6\n2019,Russian Federation,1,2,3,4,9,6\n")
    with pytest.raises(UserError, match=r"line 3: Russian Federation 2019 given twice \(first at line 2\)"):
        read_file("undesa-stock", p)
    p.write_text(UN_HEAD + "2019,Russian Federation,1,2,3,four,5,6\n")
    with pytest.raises(UserError, match=r"line 2: column 'Turkmenistan': not a number"):
        read_file("undesa-stock", p)


# -- UN DESA migrant stock: one year as ISO alpha-2 pairs ---------------------------------
PAIRS_HEAD = "destination,origin,stock_2024\n"


def test_undesa_pairs_stock_shares_eu_lower_bound_and_zeros(tmp_path):
    p = tmp_path / "pairs.csv"
    p.write_text(PAIRS_HEAD + "DE,KZ,300\nFR,KZ,100\nGB,KZ,50\nRU,KZ,550\nCN,KZ,0\nRU,UA,9999\nKZ,UZ,40\nRU,UZ,60\n")
    r = read_file("undesa-stock-pairs", p).rows
    get = lambda a, t, ind: r[(r.actor == a) & (r.partner == t) & (r.indicator == ind) & (r.year == 2024)]
    assert get("RUS", "KAZ", "migrant_stock").value.iloc[0] == 550
    assert math.isclose(get("RUS", "KAZ", "migrant_share").value.iloc[0], 0.55)   # of 1000 in the file
    eu = get("EUU", "KAZ", "migrant_stock")
    assert eu.value.iloc[0] == 400 and "lower bound" in eu.note.iloc[0]           # DE + FR; the UK left in 2020
    assert eu.lines.iloc[0] == "2,3"
    assert get("CHN", "KAZ", "migrant_stock").empty                               # 0 = no figure published
    assert get("KAZ", "UZB", "migrant_stock").empty          # a destination among the five is no patron...
    assert math.isclose(get("RUS", "UZB", "migrant_share").value.iloc[0], 0.6)  # ...but counts in the total
    assert r[r.partner == "UKR"].empty                                            # origins outside the five


@pytest.mark.parametrize("text, message", [
    ("dest,origin,stock_2024\nRU,KZ,1\n", r"pairs\.csv: not a UN DESA pair table: line 1 is"),
    ("destination,origin,stock\nRU,KZ,1\n", r"pairs\.csv: not a UN DESA pair table"),
    (PAIRS_HEAD + "RU,KZ,1\nRU,KZ,2\n", r"pairs\.csv: line 3: RU <- KZ given twice \(first at line 2\)"),
    (PAIRS_HEAD + "RU,KZ,1\nXX,KZ,2\n", r"pairs\.csv: line 3: not an ISO alpha-2 country code: 'XX'"),
    (PAIRS_HEAD + "RUS,KZ,1\n", r"pairs\.csv: line 2: not an ISO alpha-2 country code: 'RUS'"),
    (PAIRS_HEAD + "RU,KZ,many\n", r"pairs\.csv: line 2: not a number of persons: 'many'"),
    (PAIRS_HEAD + "RU,KZ,-5\n", r"pairs\.csv: line 2: not a number of persons: '-5'"),
    (PAIRS_HEAD + "RU,KZ\n", r"pairs\.csv: line 2: 2 cells, the header has 3"),
    ("", r"pairs\.csv: empty file"),
])
def test_undesa_pairs_bad_input(tmp_path, text, message):
    p = tmp_path / "pairs.csv"
    p.write_text(text)
    with pytest.raises(UserError, match=message):
        read_file("undesa-stock-pairs", p)


# -- UN DESA migrant stock: a JSON matrix by year -------------------------------------------
def stock_matrix(values: dict[tuple[str, str], float], years=("2015", "2020")) -> dict:
    names = ["Central Asia", "Kazakhstan", "Kyrgyzstan", "Tajikistan", "Turkmenistan", "Uzbekistan", "Russia",
             "Germany", "China", "Narnia"]
    ix = {n: i for i, n in enumerate(names)}
    m = [[0] * len(names) for _ in names]
    for (o, d), v in values.items():
        m[ix[o]][ix[d]] = v
    return {"names": names, "regions": [0], "matrix": {y: m for y in years}}


def test_undesa_matrix_rows_are_origins(tmp_path):
    import json

    p = tmp_path / "stock.json"
    p.write_text(json.dumps(stock_matrix({("Kazakhstan", "Russia"): 600, ("Kazakhstan", "Germany"): 300,
                                          ("Kazakhstan", "Narnia"): 100, ("Russia", "Kazakhstan"): 5000,
                                          ("Central Asia", "Russia"): 10**6})))
    rep = read_file("undesa-stock-matrix", p)
    r = rep.rows
    get = lambda a, t, ind: r[(r.actor == a) & (r.partner == t) & (r.indicator == ind) & (r.year == 2020)]
    assert get("RUS", "KAZ", "migrant_stock").value.iloc[0] == 600
    assert math.isclose(get("RUS", "KAZ", "migrant_share").value.iloc[0], 600 / 900)  # Narnia is no country
    assert get("EUU", "KAZ", "migrant_stock").value.iloc[0] == 300
    assert get("CHN", "KAZ", "migrant_stock").empty                                    # 0 = no figure
    assert r[r.actor == "KAZ"].empty                        # a row is the origin: Russians in Kazakhstan not read
    assert get("RUS", "KAZ", "migrant_stock").lines.iloc[0] == "1"                      # the origin's row
    assert "names that are no single country" in rep.summary()


def test_undesa_matrix_bad_input(tmp_path):
    import json

    p = tmp_path / "stock.json"
    p.write_text("{not json")
    with pytest.raises(UserError, match=r"stock\.json: not JSON: line 1"):
        read_file("undesa-stock-matrix", p)
    p.write_text(json.dumps({"names": [], "matrix": {}}))
    with pytest.raises(UserError, match=r"stock\.json: not a UN DESA stock matrix: expected the keys"):
        read_file("undesa-stock-matrix", p)
    bad = stock_matrix({("Kazakhstan", "Russia"): "600"})
    p.write_text(json.dumps(bad))
    with pytest.raises(UserError, match=r"stock\.json: matrix\[2015\] row 1 \(Kazakhstan\) column 6: not a number"):
        read_file("undesa-stock-matrix", p)
    bad = stock_matrix({})
    bad["matrix"]["2020"] = bad["matrix"]["2020"][:-1]
    p.write_text(json.dumps(bad))
    with pytest.raises(UserError, match=r"stock\.json: matrix\[2020\]: not a 10 x 10 table"):
        read_file("undesa-stock-matrix", p)
    bad = stock_matrix({})
    bad["matrix"]["mid-2020"] = bad["matrix"].pop("2020")
    p.write_text(json.dumps(bad))
    with pytest.raises(UserError, match=r"stock\.json: matrix: expected a year as key, got 'mid-2020'"):
        read_file("undesa-stock-matrix", p)
    bad = stock_matrix({("Kazakhstan", "Russia"): 1})
    bad["names"][2] = "Narnia"
    p.write_text(json.dumps(bad))
    with pytest.raises(UserError, match=r"stock\.json: names: 4 of the five states found, expected 5"):
        read_file("undesa-stock-matrix", p)


# -- Statistical Review: pipeline gas matrix ----------------------------------------------
def gas_workbook(path: Path, *, unit="Billion cubic metres", title="Natural Gas: Trade movements 2023 by pipeline",
                 rows=None) -> Path:
    cols = ["To", "Kazakhstan", "Russian Federation", "Turkmenistan", "Uzbekistan", "Total imports"]
    rows = rows or [("US", 0, 0, 0, 0, 80), ("Europe", 0, 50, 0, 0, 340), ("Russian Federation", 1, 0, 4, 0, 5),
                    ("Kazakhstan", 0, 0.2, 0.4, 0, 0.6), ("China", 4, 21, 30, 1, 61), ("Asia Pacific", 4, 21, 30, 1, 74),
                    ("Total exports", 5, 95, 40, 1, 677)]
    wb = Workbook()
    ws = wb.active
    ws.title = "Gas trade - pipeline"
    ws.append([title])
    ws.append([unit, "From"])
    ws.append(cols)
    for r in rows:
        ws.append(list(r))
    wb.save(path)
    return path


def test_gas_pipeline_shares_and_region_zeros(tmp_path):
    r = read_file("ei-gas-pipeline", gas_workbook(tmp_path / "EI.xlsx")).rows
    share = r[(r.indicator == "gas_export_share") & (r.partner == "TKM")].set_index("actor")["value"]
    assert math.isclose(share["CHN"], 30 / 40) and math.isclose(share["RUS"], 4 / 40)
    assert share["IND"] == 0 and share["EUU"] == 0 and share["TUR"] == 0    # nothing to their regions
    imp = r[(r.indicator == "gas_imports") & (r.partner == "KAZ")]
    assert math.isclose(imp.value.iloc[0], 0.2) and (r.year == 2023).all()


def test_gas_pipeline_india_missing_when_its_region_got_gas(tmp_path):
    rows = [("China", 4, 21, 30, 1, 61), ("Asia Pacific", 4, 21, 33, 1, 74), ("Europe", 0, 50, 0, 0, 340),
            ("Total exports", 5, 95, 40, 1, 677)]
    r = read_file("ei-gas-pipeline", gas_workbook(tmp_path / "EI.xlsx", rows=rows)).rows
    tkm = r[(r.indicator == "gas_export_share") & (r.partner == "TKM")]
    assert "IND" not in set(tkm.actor) and "IND" in set(r[r.partner == "KAZ"].actor)


@pytest.mark.parametrize("kw,expect", [
    ({"unit": "Million tonnes"}, r"EI\.xlsx: sheet 'Gas trade - pipeline' row 2: unknown unit 'Million tonnes'"),
    ({"title": "Natural Gas: Production"}, r"row 1: not a pipeline trade title"),
    ({"rows": [("China", 4, 21, 30, 1, 61)]}, r"no 'Total exports' row"),
    ({"rows": [("China", 4, 21, "lots", 1, 61), ("Total exports", 5, 95, 40, 1, 677)]},
     r"row 4: column 'Turkmenistan': not a number: 'lots'"),
    # an edition whose header row lost a cell: the figures run one column past the labels
    ({"rows": [("China", 0, 4, 21, 30, 1, 61), ("Total exports", 0, 5, 95, 40, 1, 677)]},
     r"row 4: a figure in column 7, which has no header: header and figures are not aligned"),
])
def test_gas_pipeline_bad_input(tmp_path, kw, expect):
    with pytest.raises(UserError, match=expect):
        read_file("ei-gas-pipeline", gas_workbook(tmp_path / "EI.xlsx", **kw))


def test_cli_bad_workbook_is_one_line_exit_2(tmp_path):
    """Through the real entry point: one line naming file and row, no traceback."""
    import os
    import subprocess
    import sys

    path = workbook(tmp_path / "DOTS_7.xlsx", unit="Roubles, Millions")
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    p = subprocess.run([sys.executable, "-m", "heartland.cli", "import", "imf-dots", str(path), "--db",
                        str(tmp_path / "s.duckdb")], capture_output=True, text=True, env=env)
    assert p.returncode == 2 and "Traceback" not in p.stderr
    lines = [x for x in p.stderr.splitlines() if x.strip()]
    assert len(lines) == 1 and "DOTS_7.xlsx" in lines[0] and "row 5: unknown unit 'Roubles, Millions'" in lines[0]
