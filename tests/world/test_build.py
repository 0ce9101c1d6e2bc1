"""Building the world from fixture files: components, ties, arrays, missing data."""

from __future__ import annotations

import math

import numpy as np
import pytest

from heartland.errors import UserError
from heartland.world import DOMAINS, PATRONS, TARGETS, build_world, world_arrays
from heartland.world.curated import load_curated_ties


@pytest.fixture()
def world(ties_csv, institutions_csv):
    return build_world(None, "2023-12-31", curated_path=ties_csv, institutions_path=institutions_csv)


def test_components_and_derived_share(world):
    c = world.component("CHN", "KAZ", "trade_bilateral", 2023)
    assert (c["low"], c["high"]) == (31.0, 31.0)
    share = world.component("CHN", "KAZ", "trade_share", 2023)
    assert math.isclose(share["low"], 31 / 139) and math.isclose(share["high"], 31 / 139)
    items = world.sources("CHN", "KAZ", "trade_share", 2023)
    assert items[0].kind == "derived" and "trade_total" in items[0].note
    # Interval inputs give interval outputs.
    usa = world.component("USA", "KAZ", "trade_share", 2023)
    assert usa["low"] < usa["high"]


def test_ties_and_arrays_shapes(world):
    a = world_arrays(world, 2023)
    assert a.bandwidth_low.shape == (len(PATRONS), len(TARGETS), len(DOMAINS))
    p, t, d = PATRONS.index("RUS"), TARGETS.index("KAZ"), DOMAINS.index("security")
    assert a.dependence_low[p, t, d] < a.dependence_high[p, t, d]  # the arms-share interval
    assert (a.bandwidth_low <= a.bandwidth_high + 1e-12)[~np.isnan(a.bandwidth_low)].all()
    # Nothing known about Turkey's economy in Turkmenistan: NaN, not zero.
    assert np.isnan(a.bandwidth_low[PATRONS.index("TUR"), TARGETS.index("TKM"), DOMAINS.index("economy")])
    # Russia out-weighs China in Kazakhstan's security; China leads Tajikistan's economy.
    assert a.bandwidth_low[p, t, d] > a.bandwidth_high[PATRONS.index("CHN"), t, d]
    e, tj = DOMAINS.index("economy"), TARGETS.index("TJK")
    assert a.bandwidth_low[PATRONS.index("CHN"), tj, e] > a.bandwidth_high[p, tj, e]


def test_world_arrays_rejects_unknown_year(world):
    with pytest.raises(UserError, match="outside"):
        world_arrays(world, 1990)


def test_curated_loader_names_file_and_line(tmp_path):
    bad = tmp_path / "ties.csv"
    bad.write_text("patron,target,indicator,year,value,unit,source\nCHN,KAZ,trade_bilateral,2023,abc,USD_bn,S\n")
    with pytest.raises(UserError, match=r"ties.csv:2.*not a number"):
        load_curated_ties(bad)
    bad.write_text("patron,target,indicator,year,value,unit,source\nCHN,KAZ,trade_bilateral,2023,1,USD_bn,\n")
    with pytest.raises(UserError, match=r"ties.csv:2.*no source"):
        load_curated_ties(bad)


def test_bundled_world_builds_and_cites_every_curated_item():
    world = build_world(None, "2024-12-31")
    assert world.years[-1] == 2024
    cur = world.evidence[world.evidence.kind == "curated"]
    assert len(cur) > 0
    assert cur["source"].map(bool).all()


def test_simulation_start_contract():
    from heartland.world import latest_evidence_year, simulation_start

    s = simulation_start()
    world = build_world(None, f"{s.year}-12-31")
    assert s.year == latest_evidence_year(world)
    for name in ("bandwidth", "dependence", "bandwidth_low", "bandwidth_high", "dependence_low", "dependence_high"):
        assert getattr(s, name).shape == (len(PATRONS), len(TARGETS), len(DOMAINS)), name
    ok = ~np.isnan(s.bandwidth_low)
    assert (s.bandwidth_low[ok] <= s.bandwidth[ok] + 1e-12).all() and (s.bandwidth[ok] <= s.bandwidth_high[ok] + 1e-12).all()
    assert np.isnan(s.bandwidth).any()          # missing ties stay NaN for the simulation to handle
    r, c = PATRONS.index("RUS"), PATRONS.index("CHN")
    assert s.alliance.shape == s.union.shape == (len(PATRONS), len(TARGETS))
    assert list(s.alliance[r]) == [1.0 if t in ("KAZ", "KGZ", "TJK") else 0.0 for t in TARGETS]
    assert s.alliance[c].sum() == 0 and s.union[r, TARGETS.index("KGZ")] == 1.0
    # The same numbers as world_arrays of the same world.
    a = world_arrays(world, s.year)
    np.testing.assert_array_equal(a.bandwidth_low, s.bandwidth_low)
