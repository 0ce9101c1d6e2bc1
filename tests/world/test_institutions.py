"""Membership timelines as of a date: fixture rules and the bundled data's known counts."""

from __future__ import annotations

from datetime import date

import pytest

from heartland.errors import UserError
from heartland.world.institutions import load_institutions, parse_partial_date


def test_timeline_as_of(institutions_csv):
    inst = load_institutions(institutions_csv)
    assert inst.members("SCO", date(2016, 12, 31)) == ["CHN", "KAZ", "RUS", "TJK"]
    assert "IND" in inst.members("SCO", date(2017, 6, 9))
    assert "IND" not in inst.members("SCO", date(2017, 6, 8))
    assert inst.role("SCO", "IND", date(2010, 1, 1)).role == "observer"
    # Uzbekistan: left 1999, back 2006, suspended 2012.
    assert "UZB" in inst.members("CSTO", date(1995, 1, 1))
    assert "UZB" not in inst.members("CSTO", date(2000, 1, 1))
    assert "UZB" in inst.members("CSTO", date(2010, 1, 1))
    assert "UZB" not in inst.members("CSTO", date(2013, 1, 1))
    assert inst.role("CSTO", "UZB", date(2013, 1, 1)).role == "suspended"
    shared = {a.institution for a, _ in inst.shared("RUS", "KAZ", date(2020, 1, 1))}
    assert shared == {"SCO", "CSTO"}


def test_partial_dates_and_errors(tmp_path):
    assert parse_partial_date("2005") == date(2005, 1, 1)
    assert parse_partial_date("2015-07") == date(2015, 7, 1)
    assert parse_partial_date("") is None
    bad = tmp_path / "inst.csv"
    bad.write_text("institution,member,role,start,end\nSCO,CHN,founder,June 2001,\n")
    with pytest.raises(UserError, match=r"inst.csv:2.*bad date"):
        load_institutions(bad)
    missing = tmp_path / "cols.csv"
    missing.write_text("institution,member\nSCO,CHN\n")
    with pytest.raises(UserError, match="missing columns"):
        load_institutions(missing)


def test_bundled_sco_counts_and_sources():
    """SCO full members: 6 (2016), 8 (2017, India and Pakistan), 9 (2023, Iran), 10 (2024, Belarus)."""
    inst = load_institutions()
    counts = {y: len(inst.members("SCO", date(y, 12, 31))) for y in (2016, 2017, 2023, 2024)}
    assert counts == {2016: 6, 2017: 8, 2023: 9, 2024: 10}
    assert len(inst.members("SCO", date(2017, 6, 1))) == 6
    for r in inst.rows:
        assert r.source and r.source_url, f"institutions.csv:{r.row} has no source"


def test_bundled_csto_and_c_c5():
    inst = load_institutions()
    c5 = {"KAZ", "KGZ", "TJK", "TKM", "UZB"}
    assert set(inst.members("CSTO", date(2024, 12, 31))) & c5 == {"KAZ", "KGZ", "TJK"}
    assert inst.role("CSTO", "ARM", date(2024, 6, 1)).role == "suspended"
    assert inst.members("C+C5", date(2022, 12, 31)) == []
    assert set(inst.members("C+C5", date(2023, 12, 31))) == c5 | {"CHN"}
    assert set(inst.members("QUAD4", date(2016, 12, 31))) == {"CHN", "AFG", "PAK", "TJK"}
