"""The evidence precedence rule (docs/world.md): each step has a case that would fail without it."""

from __future__ import annotations

import math

import pandas as pd

from world_helpers import evidence
from heartland.world.precedence import PrecedenceParams, combine


def one(ev, year=2023, params=PrecedenceParams()):
    comps, roles = combine(ev, [year], params)
    assert len(comps) == 1
    return comps.iloc[0], dict(zip(roles.eid, roles.role))


def test_agreeing_intervals_intersect():
    c, roles = one(evidence({"low": 80, "high": 95}, {"low": 89, "high": 100}))
    assert (c.low, c.high) == (89, 95)
    assert not c.conflict and not c.disputed
    assert set(roles.values()) == {"used"}


def test_conflicting_same_tier_takes_union_and_flags():
    c, roles = one(evidence({"value": 20, "source": "A"}, {"value": 25, "source": "B"}))
    assert (c.low, c.high) == (20, 25)
    assert c.conflict
    assert c.n_used == 2


def test_dataset_outranks_curated_outranks_fact():
    ev = evidence({"kind": "fact", "value": 50, "eid": "f"}, {"kind": "curated", "value": 31, "eid": "c"},
                  {"kind": "dataset", "low": 30, "high": 32, "eid": "d"})
    c, roles = one(ev)
    assert (c.low, c.high) == (30, 32)
    assert roles == {"d": "used", "c": "supporting", "f": "conflicting"}
    assert c.disputed and not c.conflict


def test_corroborated_fact_outranks_single_fact():
    ev = evidence({"kind": "fact", "value": 10, "corroboration": 1, "eid": "single"},
                  {"kind": "fact", "value": 12, "corroboration": 3, "eid": "corr"})
    c, roles = one(ev)
    assert c.low == 12 and roles["corr"] == "used" and roles["single"] == "conflicting"


def test_a_years_own_figure_beats_a_carried_higher_ranked_one():
    ev = evidence({"kind": "curated", "year": 2022, "value": 10, "eid": "carried"},
                  {"kind": "fact", "year": 2023, "value": 12, "eid": "own"})
    c, roles = one(ev, year=2023)
    assert c.low == 12 and c.year_used == 2023
    assert roles == {"own": "used", "carried": "superseded"}
    c, roles = one(ev, year=2024)      # 2024 has none: the latest year in the window (2023) is carried
    assert c.low == 12 and c.year_used == 2023


def test_recency_latest_year_in_window_wins_and_is_carried():
    ev = evidence({"year": 2021, "value": 10, "eid": "old"}, {"year": 2022, "value": 14, "eid": "new"})
    c, roles = one(ev, year=2023)
    assert c.low == 14 and c.year_used == 2022
    assert roles == {"new": "used", "old": "superseded"}
    # Outside the carry window nothing is invented.
    comps, _ = combine(ev, [2026], PrecedenceParams(carry_years=2))
    assert comps.empty


def test_revision_of_same_source_supersedes():
    ev = evidence({"value": 30, "source": "Customs", "published": "2024-01-10", "eid": "first"},
                  {"value": 31, "source": "Customs", "published": "2024-06-01", "eid": "revised"})
    c, roles = one(ev)
    assert (c.low, c.high) == (31, 31) and not c.conflict
    assert roles["revised"] == "used" and roles["first"] == "superseded"


def test_open_bounds_use_natural_limits():
    # "more than 0.7" and "more than 0.9" of a share: intersection [0.9, 1].
    ev = evidence({"indicator": "arms_import_share", "unit": "share", "low": 0.7},
                  {"indicator": "arms_import_share", "unit": "share", "low": 0.9})
    c, _ = one(ev)
    assert (c.low, c.high) == (0.9, 1.0)
    # "more than 60 bn" alone: high is carried at the bound and flagged, not guessed.
    c, _ = one(evidence({"low": 60.0}))
    assert c.low == 60 and c.high == 60 and c.open_high
    # "nearly 90" and exactly 89.4 agree.
    c, _ = one(evidence({"high": 90.0, "source": "A"}, {"value": 89.4, "source": "B"}))
    assert math.isclose(c.low, 89.4) and math.isclose(c.high, 89.4) and not c.conflict


def test_units_are_converted_before_combining():
    ev = evidence({"value": 31000, "unit": "USD_mn", "source": "A"}, {"value": 31, "source": "B"})
    c, _ = one(ev)
    assert math.isclose(c.low, 31) and not c.conflict


def test_missing_stays_missing():
    comps, roles = combine(evidence({"value": 5}).iloc[0:0], [2023])
    assert comps.empty and roles.empty
    assert isinstance(comps, pd.DataFrame)


def test_period_shares_cover_their_period_and_latest_period_wins():
    ev = evidence({"indicator": "arms_import_share", "unit": "share", "year": 2019, "period": "2015-2019",
                   "value": 0.62, "eid": "p1"},
                  {"indicator": "arms_import_share", "unit": "share", "year": 2024, "period": "2020-2024",
                   "value": 0.88, "eid": "p2"})
    comps, roles = combine(ev, [2016, 2021, 2024])
    by_year = comps.set_index("year")
    assert by_year.loc[2016, "low"] == 0.62
    assert by_year.loc[2021, "low"] == 0.88 and by_year.loc[2021, "year_used"] == 2021
    # A cumulative amount over a period speaks only for its end year.
    cum = evidence({"indicator": "fdi_cumulative", "year": 2020, "period": "2005-2020", "value": 19.2})
    comps, _ = combine(cum, [2010, 2020])
    assert list(comps["year"]) == [2020]


from hypothesis import example, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

item = st.tuples(st.sampled_from(["dataset", "curated", "fact"]), st.floats(0, 100), st.floats(0, 20),
                 st.integers(2021, 2023))


@settings(max_examples=80, deadline=None)
@given(st.lists(item, min_size=1, max_size=6))
@example([("dataset", 0.0, 0.0, 2023), ("dataset", 1.5e-236, 0.0, 2023)])  # touching within the tolerance
def test_rule_invariants(items):
    ev = evidence(*[{"kind": k, "low": lo, "high": lo + w, "year": y} for k, lo, w, y in items])
    comps, roles = combine(ev, [2023])
    c = comps.iloc[0]
    used = ev[ev.eid.isin(roles[roles.role == "used"].eid)]
    assert c.low <= c.high
    if c.conflict:   # union: every used interval inside the value
        assert (used.low >= c.low - 1e-9).all() and (used.high <= c.high + 1e-9).all()
    else:            # intersection: the value inside every used interval
        assert (used.low <= c.low + 1e-9).all() and (used.high >= c.high - 1e-9).all()
    # Only the latest year present is used, and among its items only the top tier.
    tier = {"dataset": 4, "curated": 3, "fact": 1}
    latest = ev[ev.year == ev.year.max()]
    assert set(used.year) == {ev.year.max()}
    assert set(used.kind.map(tier)) == {latest.kind.map(tier).max()}
    assert len(roles) == len(ev) and set(roles.role) <= {"used", "supporting", "superseded", "conflicting"}
