"""Validation of heartland/data/curated/institutions.csv and spot checks of membership facts."""

from __future__ import annotations

import re
from collections import defaultdict
from datetime import date

import pytest

from curated_csv import INSTITUTION_COLUMNS, ROLES, TARGETS, in_force, is_iso3, members, partial_date, read

HEADER, ROWS = read("institutions.csv")
FIVE = sorted(TARGETS)


def _id(r):
    return f"{r['institution']}:{r['member']}:{r['role']}:{r['start']}"


def test_header_is_the_documented_schema():
    assert HEADER == INSTITUTION_COLUMNS


def test_all_required_institutions_present():
    names = {r["institution"] for r in ROWS}
    assert names >= {"SCO", "CSTO", "EAEU", "BRICS", "CIS", "C+C5", "R+C5", "QUAD4", "BRI"}


@pytest.mark.parametrize("row", ROWS, ids=_id)
def test_row_is_valid(row):
    # EUU: the project's code for the European Union as a party (heartland.world.axes.PATRONS).
    assert is_iso3(row["member"]) or row["member"] == "EUU", row["member"]
    assert row["role"] in ROLES
    start, end = partial_date(row["start"]), partial_date(row["end"])
    assert start is not None
    assert end is None or end > start
    assert row["source"].strip()
    assert re.match(r"^https?://\S+$", row["source_url"])
    assert re.fullmatch(r"\d{4}", row["source_year"])
    # the source was published no earlier than the start it reports
    assert int(row["source_year"]) >= start.year


def test_no_duplicates_and_no_overlapping_roles():
    by_pair = defaultdict(list)
    for r in ROWS:
        by_pair[(r["institution"], r["member"])].append(r)
    for pair, rows in by_pair.items():
        keys = [(r["role"], r["start"]) for r in rows]
        assert len(keys) == len(set(keys)), pair
        spans = sorted((partial_date(r["start"]), partial_date(r["end"]) or date.max) for r in rows)
        for (s1, e1), (s2, _e2) in zip(spans, spans[1:]):
            assert e1 <= s2, f"overlapping roles for {pair}"


@pytest.mark.parametrize("on, n", [(date(2016, 12, 31), 6), (date(2017, 12, 31), 8),
                                    (date(2023, 12, 31), 9), (date(2024, 12, 31), 10)])
def test_sco_member_counts(on, n):
    assert len(members(ROWS, "SCO", on)) == n


def test_sco_founders_and_enlargements():
    assert members(ROWS, "SCO", date(2002, 1, 1)) == {"CHN", "RUS", "KAZ", "KGZ", "TJK", "UZB"}
    assert {"IND", "PAK"} <= members(ROWS, "SCO", date(2017, 6, 9))
    assert "IRN" in members(ROWS, "SCO", date(2023, 7, 4)) and "IRN" not in members(ROWS, "SCO", date(2023, 7, 3))
    assert "BLR" in members(ROWS, "SCO", date(2024, 7, 4))
    assert "BLR" in members(ROWS, "SCO", date(2020, 1, 1), roles={"observer"})
    assert "TKM" not in members(ROWS, "SCO", date(2024, 12, 31), roles=ROLES)


def _role(inst, member, on):
    rows = [r for r in ROWS if r["institution"] == inst and r["member"] == member and in_force(r, on)]
    assert len(rows) <= 1
    return rows[0]["role"] if rows else None


def test_uzbekistan_csto_history():
    assert _role("CSTO", "UZB", date(1995, 1, 1)) in {"founder", "member"}
    assert _role("CSTO", "UZB", date(2000, 1, 1)) is None  # left 1999
    assert _role("CSTO", "UZB", date(2007, 1, 1)) == "member"  # rejoined 2006
    assert _role("CSTO", "UZB", date(2013, 1, 1)) == "suspended"  # suspended December 2012
    assert _role("CSTO", "UZB", date(2024, 6, 1)) == "suspended"


def test_csto_members_and_armenia_freeze():
    assert members(ROWS, "CSTO", date(2023, 12, 31)) == {"RUS", "BLR", "ARM", "KAZ", "KGZ", "TJK"}
    assert _role("CSTO", "ARM", date(2024, 6, 1)) == "suspended"
    assert members(ROWS, "CSTO", date(2024, 6, 1)) == {"RUS", "BLR", "KAZ", "KGZ", "TJK"}
    assert _role("CSTO", "TKM", date(2020, 1, 1)) is None


def test_eaeu_timeline():
    assert _role("EAEU", "KAZ", date(2015, 1, 1)) == "founder"
    assert _role("EAEU", "KGZ", date(2015, 1, 1)) is None
    assert _role("EAEU", "KGZ", date(2015, 12, 31)) == "member"
    for t in ("TJK", "TKM", "UZB"):
        assert t not in members(ROWS, "EAEU", date(2024, 12, 31))
    assert _role("EAEU", "UZB", date(2020, 12, 10)) is None
    assert _role("EAEU", "UZB", date(2020, 12, 11)) == "observer"


def test_brics_2024_enlargement():
    before = members(ROWS, "BRICS", date(2023, 12, 31))
    after = members(ROWS, "BRICS", date(2024, 1, 1))
    assert before == {"BRA", "RUS", "IND", "CHN", "ZAF"}
    assert after - before == {"EGY", "ETH", "IRN", "ARE"}
    assert _role("BRICS", "KAZ", date(2025, 1, 1)) == "partner"
    assert not (TARGETS & members(ROWS, "BRICS", date(2025, 6, 1)))


def test_cis_central_asian_members():
    assert set(FIVE) <= members(ROWS, "CIS", date(2000, 1, 1))
    assert members(ROWS, "CIS", date(2010, 1, 1)) & set(FIVE) == set(FIVE) - {"TKM"}
    assert _role("CIS", "TKM", date(2010, 1, 1)) == "associate"


def test_summit_mechanisms():
    c5 = {"CHN", *FIVE}
    assert members(ROWS, "C+C5", date(2023, 5, 17)) == set()
    assert members(ROWS, "C+C5", date(2023, 5, 19)) == c5
    assert any("biennial" in r["note"] for r in ROWS if r["institution"] == "C+C5")
    assert members(ROWS, "R+C5", date(2022, 10, 14)) == {"RUS", *FIVE}
    assert members(ROWS, "R+C5", date(2022, 10, 13)) == set()


def test_turkic_states_and_corridors():
    assert members(ROWS, "OTS", date(2018, 1, 1)) == {"TUR", "AZE", "KAZ", "KGZ"}
    assert "UZB" in members(ROWS, "OTS", date(2020, 1, 1))
    assert _role("OTS", "TKM", date(2022, 1, 1)) == "observer"
    assert {"RUS", "IRN", "IND"} <= members(ROWS, "INSTC", date(2001, 1, 1))
    assert "KAZ" in members(ROWS, "TITR", date(2015, 1, 1))


def test_quad4_and_bri():
    assert members(ROWS, "QUAD4", date(2016, 8, 3)) == {"CHN", "AFG", "PAK", "TJK"}
    assert members(ROWS, "QUAD4", date(2016, 8, 2)) == set()
    assert _role("BRI", "CHN", date(2013, 9, 7)) == "founder"
