"""Validation of heartland/data/curated/ties.csv: schema, codes, provenance, ranges, key facts."""

from __future__ import annotations

import re
from collections import defaultdict

import pytest

from curated_csv import DATA_DOC, TARGETS, TIES_COLUMNS, is_iso3, num, read

# indicator -> the unit its rows must use (docs/data.md, "Indicator catalogue")
UNITS = {
    "trade_bilateral": "USD_bn", "trade_total": "USD_bn", "trade_share": "share",
    "arms_import_share": "share", "arms_tiv": "TIV_mn",
    "fdi_stock": "USD_bn", "fdi_inflow": "USD_bn", "fdi_share": "share",
    "remittance_share": "share", "remittances": "USD_bn", "remittances_gdp": "share",
    "migrant_workers": "persons", "military_bases": "count",
    "debt_share": "share", "debt_stock": "USD_bn", "students": "persons", "troops": "persons", "fdi_cumulative": "USD_bn",
    "pipelines": "count", "rail_links": "count", "energy_export_share": "share", "migrant_share": "share",
}
WORLD_ONLY = {"trade_total", "remittances_gdp"}  # indicators whose patron must be WLD

HEADER, ROWS = read("ties.csv")


def _id(r):
    return f"{r['patron']}>{r['target']} {r['indicator']} {r['year']} ({r['source_url'][:40]})"


def test_header_is_the_documented_schema():
    assert HEADER == TIES_COLUMNS


def test_enough_rows_for_china_and_russia_in_every_target():
    assert len(ROWS) >= 150
    for patron in ("CHN", "RUS"):
        traded = {r["target"] for r in ROWS if r["patron"] == patron and r["indicator"] == "trade_bilateral"}
        assert traded >= TARGETS, (patron, TARGETS - traded)
    totals = {r["target"] for r in ROWS if r["indicator"] == "trade_total"}
    assert totals >= TARGETS, TARGETS - totals


@pytest.mark.parametrize("row", ROWS, ids=_id)
def test_row_is_valid(row):
    assert row["patron"] in {"WLD", "EUU"} or is_iso3(row["patron"]), row["patron"]
    assert row["target"] in TARGETS | {"C5"}
    assert row["indicator"] in UNITS, f"undocumented indicator {row['indicator']}"
    assert row["unit"] == UNITS[row["indicator"]]
    if row["indicator"] in WORLD_ONLY:
        assert row["patron"] == "WLD"
    # provenance: publisher/title, the page, the year it was published
    assert row["source"].strip()
    assert re.match(r"^https?://\S+$", row["source_url"]), row["source_url"]
    assert re.fullmatch(r"\d{4}", row["source_year"])
    year, source_year = int(row["year"]), int(row["source_year"])
    assert 2015 <= year <= 2024
    assert source_year >= year, "a source cannot report a year that had not ended"
    assert source_year <= 2026
    if row["period"]:
        m = re.fullmatch(r"(\d{4})-(\d{4})", row["period"])
        assert m, row["period"]
        assert int(m.group(1)) < int(m.group(2)) == year
    value, low, high = num(row["value"]), num(row["low"]), num(row["high"])
    assert value is not None or low is not None or high is not None, "a figure, an interval or a bound"
    if value is None and (low is None) != (high is None):
        # A one-sided figure ("over $2.5 billion", a part-year total as the year's floor) is
        # kept only when its note says which bound it is (docs/data.md, conventions).
        side = "lower bound" if low is not None else "upper bound"
        assert side in row["note"], f"a one-sided figure says '{side}' in its note"
    elif low is not None or high is not None:
        assert low is not None and high is not None, "intervals around a value need both bounds"
        assert low <= high
        if value is not None:
            assert low <= value <= high
    for x in (value, low, high):
        if x is None:
            continue
        assert x >= 0
        if row["unit"] == "share":
            assert x <= 1


def test_no_duplicate_rows():
    seen = defaultdict(list)
    for r in ROWS:
        seen[(r["patron"], r["target"], r["indicator"], r["year"], r["period"], r["source_url"])].append(r)
    dups = {k: len(v) for k, v in seen.items() if len(v) > 1}
    assert not dups


def test_every_indicator_and_unit_is_documented():
    doc = DATA_DOC.read_text(encoding="utf-8")
    for ind in {r["indicator"] for r in ROWS}:
        assert f"`{ind}`" in doc, ind
    for unit in {r["unit"] for r in ROWS}:
        assert f"`{unit}`" in doc, unit


# ---- key facts -----------------------------------------------------------------------

def _get(patron, target, indicator, year, *, note_has=""):
    hits = [r for r in ROWS if (r["patron"], r["target"], r["indicator"], r["year"]) == (patron, target, indicator, str(year))
            and note_has in r["note"]]
    assert hits, (patron, target, indicator, year, note_has)
    return hits


def _point(r):
    v = num(r["value"])
    return v if v is not None else (num(r["low"]) + num(r["high"])) / 2


def test_china_central_asia_trade_totals_match_the_country_figures():
    """GACC: 89.4 bn in 2023 and 94.82 bn in 2024; the five countries add up to the total."""
    assert _point(_get("CHN", "C5", "trade_bilateral", 2023)[0]) == pytest.approx(89.4)
    assert _point(_get("CHN", "C5", "trade_bilateral", 2024)[0]) == pytest.approx(94.82)
    for year, total in ((2023, 89.4), (2024, 94.82)):
        parts = [_point(_get("CHN", t, "trade_bilateral", year, note_has="China (GACC)")[0]) for t in sorted(TARGETS)]
        assert sum(parts) == pytest.approx(total, abs=0.25), (year, parts)
    # growth 2022 -> 2023 of roughly a quarter, as reported (+27%)
    g = 89.4 / _point(_get("CHN", "C5", "trade_bilateral", 2022)[0]) - 1
    assert 0.2 < g < 0.35


def test_reporter_conflicts_stay_visible():
    """Kazakhstan-China 2022: China's customs and Kazakhstan's statistics disagree; both rows kept."""
    rows = _get("CHN", "KAZ", "trade_bilateral", 2022)
    values = sorted(_point(r) for r in rows)
    assert len(rows) >= 2 and values[-1] - values[0] > 5
    # Kyrgyzstan 2024: the Chinese figure is about four times the Kyrgyz one
    kg = sorted(_point(r) for r in _get("CHN", "KGZ", "trade_bilateral", 2024))
    assert kg[-1] / kg[0] > 3


def test_russia_dominates_arms_supply():
    kaz = [r for r in ROWS if (r["patron"], r["target"], r["indicator"]) == ("RUS", "KAZ", "arms_import_share")]
    assert kaz and min(_point(r) for r in kaz) >= 0.85
    rus = _point(_get("RUS", "C5", "arms_import_share", 2019)[0])
    chn = _point(_get("CHN", "C5", "arms_import_share", 2019)[0])
    assert rus > 0.5 > chn


def test_china_overtook_russia_in_uzbek_trade_2023():
    chn = _point(_get("CHN", "UZB", "trade_bilateral", 2023, note_has="Uzbekistan")[0])
    rus = _point(_get("RUS", "UZB", "trade_bilateral", 2023)[0])
    total = _point(_get("WLD", "UZB", "trade_total", 2023)[0])
    assert chn > rus
    # the published shares agree with bilateral / total
    assert chn / total == pytest.approx(_point(_get("CHN", "UZB", "trade_share", 2023)[0]), abs=0.005)
    assert rus / total == pytest.approx(_point(_get("RUS", "UZB", "trade_share", 2023)[0]), abs=0.005)


def test_russian_bases_in_csto_members_and_contested_chinese_facility():
    for t in ("TJK", "KGZ"):
        rows = [r for r in ROWS if (r["patron"], r["target"], r["indicator"]) == ("RUS", t, "military_bases")]
        assert rows and all(num(r["low"]) >= 1 for r in rows)
    china = _get("CHN", "TJK", "military_bases", 2021)[0]
    assert num(china["low"]) == 0 and num(china["high"]) >= 1  # reported, officially denied
