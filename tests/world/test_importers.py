"""Importers on fixture files in each real format: figures, orientation, skipped lines, store writes."""

from __future__ import annotations

import math
from pathlib import Path

import duckdb
import pytest

from heartland.errors import UserError
from heartland.world import build_world
from heartland.world.importers import import_file, read_file

FIX = Path(__file__).parent / "fixtures"


def fig(rep, **kw):
    df = rep.rows
    for k, v in kw.items():
        df = df[df[k] == v]
    assert len(df) == 1, f"expected one row for {kw}, got {len(df)}"
    return df.iloc[0]


def test_comtrade_plus_layout():
    rep = read_file("comtrade", FIX / "comtrade_plus.csv")
    kz_cn = fig(rep, actor="CHN", partner="KAZ", indicator="trade_bilateral", reporter="KAZ")
    assert math.isclose(kz_cn.value, 27.0)                     # 15 + 12 bn, TOTAL rows only
    mirror = fig(rep, actor="CHN", partner="KAZ", indicator="trade_bilateral", reporter="CHN")
    assert math.isclose(mirror.value, 41.0)                    # China's mirror figure kept apart
    assert math.isclose(fig(rep, actor="WLD", partner="KAZ").value, 138.0)
    kg = fig(rep, partner="KGZ")                               # imports only: a lower bound
    assert math.isnan(kg.value) and math.isclose(kg.low, 6.0)
    reasons = {r for _, r in rep.skipped}
    assert {"monthly rows (annual figures only)", "commodity detail rows (TOTAL used)",
            "re-export/re-import rows", "rows outside Central Asia"} <= reasons


def test_comtrade_legacy_layout():
    rep = read_file("comtrade", FIX / "comtrade_legacy.csv")
    assert math.isclose(fig(rep, actor="CHN", partner="TJK").value, 0.7)
    assert math.isclose(fig(rep, actor="WLD", partner="TJK").low, 3.0)
    assert "exports only" in fig(rep, actor="RUS", partner="TJK").note


def test_imf_dots_long_and_wide():
    rep = read_file("imf-dots", FIX / "imf_dots_long.csv")
    assert math.isclose(fig(rep, actor="CHN", partner="KAZ", year=2022, indicator="trade_bilateral").value, 24.0)
    # exports and imports kept apart (millions -> bn), oriented on the Central Asian state
    assert math.isclose(fig(rep, actor="CHN", partner="KAZ", year=2022, indicator="trade_exports").value, 13.0)
    assert math.isclose(fig(rep, actor="CHN", partner="KAZ", year=2022, indicator="trade_imports").value, 11.0)
    assert math.isclose(fig(rep, actor="WLD", partner="KAZ", year=2022, indicator="trade_total").value, 134.0)
    assert math.isclose(fig(rep, actor="RUS", partner="KGZ", indicator="trade_bilateral").low, 3.1)
    assert len(rep.rows[(rep.rows.partner == "KGZ") & (rep.rows.indicator == "trade_exports")]) == 0
    reasons = {r for _, r in rep.skipped}
    assert "rows with an unknown country" in reasons and "monthly or quarterly rows (annual figures only)" in reasons
    wide = read_file("imf-dots", FIX / "imf_dots_wide.csv")
    assert math.isclose(fig(wide, partner="UZB", year=2022, indicator="trade_bilateral").value, 8.5)
    assert math.isclose(fig(wide, partner="UZB", year=2023, indicator="trade_bilateral").low, 3.0)  # lower bound


def test_sipri_register_spreads_deliveries():
    rep = read_file("sipri-register", FIX / "sipri_register.csv")
    assert math.isclose(fig(rep, actor="RUS", partner="KAZ", year=2016).value, 60.0)
    assert math.isclose(fig(rep, actor="RUS", partner="KAZ", year=2019).value, 20.0)
    assert math.isclose(fig(rep, actor="CHN", partner="TJK", year=2021).value, 10.0)
    reasons = {r for _, r in rep.skipped}
    assert {"deals without deliveries", "deals outside Central Asia"} <= reasons
    # an unknown supplier's delivery is no tie but counts in the recipient's total
    assert math.isclose(fig(rep, actor="WLD", partner="KAZ", year=2017).value, 65.0)
    assert not (rep.rows.actor == "unknown").any()


def test_sipri_tiv_table_and_shares():
    rep = read_file("sipri-tiv", FIX / "sipri_tiv_imports.csv")
    assert fig(rep, actor="RUS", partner="KAZ", indicator="arms_tiv", year=2019).value == 150
    assert fig(rep, actor="CHN", partner="KAZ", indicator="arms_tiv", year=2020).value == 0  # blank = none
    share = fig(rep, actor="RUS", partner="KAZ", indicator="arms_import_share")
    assert math.isclose(share.value, 390 / 410) and share.period == "2019-2023" and share.year == 2023
    assert fig(rep, actor="WLD", partner="KAZ", indicator="arms_tiv", year=2021).value == 62


def test_worldbank_monadic():
    rep = read_file("worldbank", FIX / "worldbank.csv")
    kaz = fig(rep, actor="KAZ", year=2023)
    assert kaz.indicator == "gdp" and kaz.partner is None and kaz.value == 262e9
    assert len(rep.rows[rep.rows.actor == "CHN"]) == 2                      # empty 2023 cell left out


@pytest.mark.parametrize("kind,name", [("comtrade", "sipri_register.csv"), ("sipri-register", "worldbank.csv"),
                                       ("sipri-tiv", "comtrade_plus.csv"), ("worldbank", "imf_dots_long.csv"),
                                       ("imf-dots", "worldbank.csv")])
def test_wrong_format_is_a_clear_user_error(kind, name):
    with pytest.raises(UserError) as e:
        read_file(kind, FIX / name)
    assert name in str(e.value) and "not a" in str(e.value)


def test_missing_file_and_unknown_kind(tmp_path):
    with pytest.raises(UserError, match="no such file"):
        read_file("comtrade", tmp_path / "nope.csv")
    with pytest.raises(UserError, match="unknown import kind"):
        read_file("oecd", FIX / "worldbank.csv")


def test_import_into_store_is_idempotent_and_feeds_the_world(tmp_db):
    rep = import_file("sipri-tiv", FIX / "sipri_tiv_imports.csv", tmp_db)
    assert rep.written > 0
    again = import_file("sipri-tiv", FIX / "sipri_tiv_imports.csv", tmp_db)
    con = duckdb.connect(str(tmp_db), read_only=True)
    n = con.execute("SELECT count(*) FROM dataset_rows").fetchone()[0]
    con.close()
    assert n == again.written == rep.written
    import_file("comtrade", FIX / "comtrade_plus.csv", tmp_db)
    w = build_world(tmp_db, "2023-12-31")
    c = w.component("RUS", "KAZ", "arms_import_share", 2023)
    items = w.sources("RUS", "KAZ", "arms_import_share", 2023)
    assert any(i.kind == "dataset" and i.role == "used" and "sipri_tiv_imports.csv" in i.note for i in items)
    assert math.isclose(c["low"], 390 / 410)
    # Two reporters' Comtrade figures for CHN-KAZ 2023 disagree: union, flagged.
    t = w.component("CHN", "KAZ", "trade_bilateral", 2023)
    assert t["conflict"] and t["low"] <= 27.0 and t["high"] >= 41.0


def test_worldbank_rows_readable_as_monadic(tmp_db):
    from heartland.world.store_io import monadic_rows

    import_file("worldbank", FIX / "worldbank.csv", tmp_db)
    con = duckdb.connect(str(tmp_db), read_only=True)
    try:
        gdp = monadic_rows(con, "gdp")
    finally:
        con.close()
    kaz = gdp[(gdp.actor == "KAZ") & (gdp.year == 2023)]
    assert len(kaz) == 1 and kaz.value.iloc[0] == 262e9 and "NY.GDP.MKTP.CD" in kaz.source.iloc[0]
    assert build_world(tmp_db, "2023", panel=False).evidence.kind.eq("dataset").sum() == 0  # monadic: no ties
