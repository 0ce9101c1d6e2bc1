"""Every cell's ground (data / evidence / prior) and the year-specific priors."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from heartland.cli import app
from heartland.world import DOMAINS, PATRONS, TARGETS, build_world, world_arrays
from heartland.world.ground import cell_grounds, ground_array, ground_counts
from heartland.world.prior import year_prior

runner = CliRunner()
USA, KAZ, SOC = PATRONS.index("USA"), TARGETS.index("KAZ"), DOMAINS.index("society")


def extra(year: int, value: float = 2_000_000.0) -> pd.DataFrame:
    """One invented figure: USA-KAZ migrant workers in ``year`` (a fact, to test the ground)."""
    return pd.DataFrame([{"eid": f"test:{year}", "kind": "fact", "patron": "USA", "target": "KAZ",
                          "indicator": "migrant_workers", "year": year, "value": value, "unit": "persons",
                          "source": "invented test figure", "corroboration": 1, "ground": "reviewed"}])


@pytest.fixture(scope="module")
def bundled():
    return build_world(None, "2024-12-31")


def test_ground_counts_match_the_arrays(bundled):
    for y in (2015, 2024):
        a = world_arrays(bundled, y)
        nan = np.isnan(a.bandwidth_low) | np.isnan(a.dependence_low)
        g = ground_array(bundled, y)
        assert ((g == "prior") == nan).all()
        tab = ground_counts(bundled, y, "domain").set_index("domain")
        assert tab.loc["total", "cells"] == 150 and tab.loc["total", "prior"] == nan.sum()
        assert tab.loc["security", "data"] == 30          # SIPRI: every supplier, every year
    eco = cell_grounds(bundled)
    assert (eco[(eco.domain == "economy") & (eco.year == 2015)]["ground"] == "data").all()


def test_fact_only_cell_is_evidence_and_beside_data_is_data(ties_csv, institutions_csv):
    w = build_world(None, "2023", curated_path=ties_csv, institutions_path=institutions_csv,
                    extra_evidence=extra(2023))
    assert ground_array(w, 2023)[USA, KAZ, SOC] == "evidence"
    assert ground_array(w, 2023)[PATRONS.index("RUS"), KAZ, DOMAINS.index("security")] == "data"


def test_world_ground_cli():
    r = runner.invoke(app, ["world", "--ground", "--date", "2015", "--format", "json"],
                      env={"HEARTLAND_DB": "/nonexistent/heartland.duckdb"})
    assert r.exit_code == 0, r.output
    rows = json.loads(r.stdout)
    tot = [x for x in rows if x["by"] == "domain" and x["key"] == "total"][0]
    assert tot["data"] + tot["evidence"] + tot["prior"] == tot["cells"] == 150
    assert {x["key"] for x in rows if x["by"] == "patron"} == set(PATRONS) | {"total"}
    assert {x["key"] for x in rows if x["by"] == "domain"} == set(DOMAINS) | {"total"}


def test_prior_uses_nothing_after_its_year(ties_csv, institutions_csv):
    kw = dict(curated_path=ties_csv, institutions_path=institutions_csv)
    base = build_world(None, "2022", **kw)
    later = build_world(None, "2022", extra_evidence=extra(2021), **kw)
    p0, p1 = year_prior(base, 2018), year_prior(later, 2018)
    for name in ("bandwidth_low", "bandwidth_high", "dependence_low", "dependence_high"):
        np.testing.assert_array_equal(getattr(p0, name), getattr(p1, name))
    assert not (p0.basis == "judgement").any()               # the 2023 judgement never speaks for 2018


def test_prior_carries_the_cells_own_earlier_value(ties_csv, institutions_csv):
    w = build_world(None, "2022", curated_path=ties_csv, institutions_path=institutions_csv,
                    extra_evidence=extra(2015))
    a17 = world_arrays(w, 2017)
    assert not np.isnan(a17.bandwidth_low[USA, KAZ, SOC])            # carried by precedence to 2017
    assert np.isnan(world_arrays(w, 2018).bandwidth_low[USA, KAZ, SOC])
    p = year_prior(w, 2018, widen=0.5)
    assert p.basis[USA, KAZ, SOC] == "carried"
    assert np.isclose(p.bandwidth_low[USA, KAZ, SOC], a17.bandwidth_low[USA, KAZ, SOC] * 0.5)
    # measured cells keep the world's values; every prior cell has a basis
    a = world_arrays(w, 2018)
    ok = ~np.isnan(a.bandwidth_low) & ~np.isnan(a.dependence_low)
    np.testing.assert_array_equal(p.bandwidth_low[ok], a.bandwidth_low[ok])
    assert (p.basis[~ok] != "").all() and (p.basis[ok] == "").all()
    assert np.isfinite(p.bandwidth_low).all() and (p.bandwidth_high <= 1).all()


def test_judgement_only_from_2023(bundled):
    p = year_prior(bundled, 2024)
    assert (p.basis == "judgement").any()


def test_simulation_start_says_each_cells_ground():
    from heartland.simulate.start import bundled_start

    s = bundled_start(2015)
    assert s.ground.shape == (len(PATRONS), len(TARGETS), len(DOMAINS))
    n_prior = int((s.ground == "prior").sum())
    assert f"{n_prior} of 150 cells from the year's prior" in s.source
    assert set(np.unique(s.ground)) <= {"data", "evidence", "prior"}
    assert not np.isnan(s.bandwidth).any()
