"""Hindcast scoring, calibration (a tiny one), the posterior bundle, capped probabilities.

These check properties (coverage computed correctly, a posterior valid against its
provenance, the cap applied when the hindcast does not support an extreme), never the
numbers of the current data: the world's data change and the posterior is refitted then.
"""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from heartland.errors import UserError
from heartland.simulate.calibrate import (CalibrationConfig, LogPosterior, build_blocks, calibrate, check_config,
                                          fit, ranges)
from heartland.simulate.discrepancy import ERROR_PARAMS, obs_sd, predictive
from heartland.simulate.ensemble import run_ensemble
from heartland.simulate.hindcast import Panel, _cell_rows, measured_panel, run_hindcast
from heartland.simulate.params import PARAMS
from heartland.simulate.posterior import Posterior, read_posterior, validate, write_posterior
from heartland.simulate.probabilities import shown_scores
from heartland.simulate.reliability import CAP_HIGH, CAP_LOW, MIN_EVENTS, reliability_table, shown
from heartland.world.axes import DOMAINS, PATRONS, TARGETS
from tests.simulate.conftest import MINI

SHAPE = (len(PATRONS), len(TARGETS), len(DOMAINS))
TINY = dict(fit_start=2018, fit_end=2020, walkers=68, chains=2, steps=3, burn=1, thin=1, replicates=2, chunks=2)


def _panel(rng, years=(2015, 2016), measured=None) -> Panel:
    mid, low, high = {}, {}, {}
    for y in years:
        m = rng.uniform(0.05, 0.6, SHAPE)
        if measured is not None:
            m = np.where(measured, m, np.nan)
        mid[y], low[y], high[y] = m, m - 0.01, m + 0.01
    return Panel(tuple(years), mid, low, high)


# --- hindcast scoring ------------------------------------------------------------------------

def test_cell_scores_follow_their_definitions():
    """Coverage, errors, persistence and direction recomputed by hand from the same ensemble."""
    rng = np.random.default_rng(3)
    measured = rng.uniform(size=SHAPE) < 0.3
    panel = _panel(rng, measured=measured)
    # the model starts 0.1 above the measured start: forecasts are anchored at the measured start
    ens0 = np.broadcast_to(np.nan_to_num(panel.mid[2015]) + 0.1, (400,) + SHAPE) + 0.0
    ens = ens0 + rng.normal(0.0, 0.05, (400,) + SHAPE)
    df = _cell_rows(2015, 2016, ens, ens0, panel, fit_end=2015, error_scale=0.02, rng=np.random.default_rng(9))
    assert len(df) == int(measured.sum())  # only cells measured at both ends
    # the band is the predictive one (eq. 14): the same runs plus the same error draws, by hand
    x_all = panel.mid[2015][measured] + ens[:, measured] - ens0[:, measured]
    y_all = predictive(x_all, 0.02, 1, obs_sd(panel.low[2016][measured], panel.high[2016][measured]),
                       np.random.default_rng(9))
    assert df["start_gap"].to_numpy() == pytest.approx(0.1)
    for r in df.itertuples():
        i, j, k = PATRONS.index(r.patron), TARGETS.index(r.target), DOMAINS.index(r.domain)
        x = panel.mid[2015][i, j, k] + ens[:, i, j, k] - ens0[:, i, j, k]
        obs = panel.mid[2016][i, j, k]
        y = y_all[:, r.Index]
        lo5, lo25, hi75, hi95 = np.quantile(y, (0.05, 0.25, 0.75, 0.95))
        assert r.in90 == (lo5 <= obs <= hi95) and r.in50 == (lo25 <= obs <= hi75)
        r5, med, r95 = np.quantile(x, (0.05, 0.5, 0.95))
        assert r.in90_runs == (r5 <= obs <= r95)
        assert r.abs_error == pytest.approx(abs(med - obs))  # the point forecast is the runs' median
        assert r.abs_error_persistence == pytest.approx(abs(obs - panel.mid[2015][i, j, k]))
        assert r.direction_right == (np.sign(np.median(x) - panel.mid[2015][i, j, k]) == np.sign(r.measured_change))
        assert r.out_of_sample
    # a perfectly wide ensemble covers everything; a point ensemble away from the truth covers nothing
    start = np.broadcast_to(np.nan_to_num(panel.mid[2015]), (100,) + SHAPE) + 0.0
    wide = start + np.concatenate([np.full((50,) + SHAPE, -1.0), np.full((50,) + SHAPE, 1.0)])
    assert _cell_rows(2015, 2016, wide, start, panel, 2020)["in90"].all()
    off = np.broadcast_to(np.nan_to_num(panel.mid[2016]) + 0.2, (50,) + SHAPE) + 0.0
    point = _cell_rows(2015, 2016, off, start[:50], panel, 2020)
    assert not point["in90"].any() and not point["out_of_sample"].any()
    assert point["crps_runs"].to_numpy() == pytest.approx(0.2, abs=1e-9)  # CRPS of a point forecast = |error|


def test_hindcast_scores_only_cells_measured_at_both_ends(tmp_path):
    from heartland.simulate.hindcast import write_hindcast
    from heartland.simulate.outputs import read_metadata

    panel = measured_panel()
    res = run_hindcast([2021], runs=16, parameters="judgement")
    out = write_hindcast(res, tmp_path)
    for f in ("hindcast_cells.parquet", "hindcast_summary.parquet", "hindcast_events.parquet",
              "hindcast_by_horizon.parquet", "hindcast_reliability.parquet", "hindcast.png", "reliability.png"):
        assert (out / f).stat().st_size > 0, f
    assert read_metadata(out / "hindcast_summary.parquet")["parameters"].startswith("judgement")
    assert len(pd.read_parquet(out / "hindcast_cells.parquet")) == len(res.cells)
    for (s, e), g in res.cells.groupby(["start", "end"]):
        assert len(g) == int((panel.measured(s) & panel.measured(e)).sum())
        assert g["obs_end"].notna().all() and g["obs_start"].notna().all()
    over = res.summary.set_index(["sample", "domain"]).loc[("all", "overall")]
    assert over["cells"] == len(res.cells)
    assert 0.0 <= over["coverage50"] <= over["coverage90"] <= 1.0
    assert over["skill"] == pytest.approx(1 - over["mae"] / over["mae_persistence"])
    assert set(res.events["kind"]) <= {"rise", "keeps_lead"}


def test_hindcast_start_without_a_world_is_one_clear_line():
    with pytest.raises(UserError, match=r"hindcast start 1990: no world for that year"):
        run_hindcast([1990], runs=4, parameters="judgement")
    r = subprocess.run([sys.executable, "-m", "heartland.cli", "hindcast", "--starts", "1990", "--runs", "4",
                        "--parameters", "judgement"], capture_output=True, text=True)
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert "hindcast start 1990" in r.stderr and len(r.stderr.strip().splitlines()) <= 2


# --- calibration input ---------------------------------------------------------------------

@pytest.mark.parametrize("rng_, word", [((0.05, 0.01), "inverted"), ((0.03, 0.03), "empty")])
def test_bad_parameter_range_is_named(rng_, word):
    with pytest.raises(UserError, match=rf"growth_chn: \[.*\] is {word}"):
        check_config(CalibrationConfig(ranges={"growth_chn": rng_}))


def test_unknown_parameter_range_gets_a_suggestion():
    with pytest.raises(UserError, match="did you mean 'growth_chn'"):
        check_config(CalibrationConfig(ranges={"growth_chm": (0.0, 0.1)}))


def test_calibration_target_without_data_is_named():
    """Only China's cells are measured in this panel: a target on the United States has no data."""
    measured = np.zeros(SHAPE, bool)
    measured[PATRONS.index("CHN")] = True
    panel = _panel(np.random.default_rng(0), years=(2019, 2020), measured=measured)
    cfg = CalibrationConfig(fit_start=2019, fit_end=2020, targets=["USA:KAZ"])
    with pytest.raises(UserError, match=r"calibration target 'USA:KAZ': no measured data in 2019-2020"):
        build_blocks(cfg, panel=panel)
    with pytest.raises(UserError, match="'XYZ' is not a patron, target or domain"):
        build_blocks(CalibrationConfig(fit_start=2019, fit_end=2020, targets=["XYZ"]), panel=panel)


def test_calibration_config_file_errors_name_the_file(tmp_path):
    bad = tmp_path / "cal.toml"
    bad.write_text("[calibration]\nranges = { growth_chn = [0.05, 0.01] }\n")
    r = subprocess.run([sys.executable, "-m", "heartland.cli", "calibrate", "--config", str(bad)],
                       capture_output=True, text=True)
    assert r.returncode == 2 and "Traceback" not in r.stderr and "inverted" in r.stderr


# --- the likelihood and the fit -------------------------------------------------------------

def test_likelihood_does_not_depend_on_chunking():
    """Common random numbers and a fixed sub-step count: a vector's value ignores its batch-mates."""
    cfg = CalibrationConfig(**{**TINY, "chunks": 1})
    blocks = build_blocks(cfg)
    names, lo, hi = ranges(cfg)
    x = np.random.default_rng(1).uniform(0, 1, (6, len(names)))
    one = LogPosterior(blocks, names, lo, hi, cfg)(x)
    split = LogPosterior(blocks, names, lo, hi, CalibrationConfig(**{**TINY, "chunks": 3}))(x)
    assert np.isfinite(one).all()
    np.testing.assert_array_equal(one, split)
    outside = x.copy()
    outside[0, 0] = 1.5
    assert LogPosterior(blocks, names, lo, hi, cfg)(outside)[0] == -np.inf


def test_tiny_calibration_writes_a_posterior_valid_against_its_provenance(tmp_path, monkeypatch):
    monkeypatch.setenv("HEARTLAND_CACHE", str(tmp_path / "cache"))
    cfg = CalibrationConfig(**TINY)
    cal = calibrate(cfg, hindcast_runs=8, out=tmp_path / "out")
    post = read_posterior(tmp_path / "out" / "posterior")
    prov = post.provenance
    assert post.size == (TINY["steps"] - TINY["burn"]) * TINY["walkers"] * TINY["chains"]
    assert list(post.names) == list(PARAMS) + ["error_scale"]  # the fitted error drawn with the model's parameters
    for key in ("data_version", "seed", "sampler_version", "fit_start", "fit_end", "parquet_sha256"):
        assert key in prov
    assert prov["sampler"] == "emcee" and prov["seed"] == cfg.seed
    for j, n in enumerate(post.names):  # every draw inside its prior range
        p = PARAMS.get(n) or ERROR_PARAMS[n]
        assert p.low - 1e-9 <= post.samples[:, j].min() and post.samples[:, j].max() <= p.high + 1e-9
    # out-of-sample scores and reliability tables for both parameter sources
    for label, hc in (("posterior", cal.hindcast), ("judgement", cal.hindcast_judgement)):
        assert prov["hindcast"][label]["out_of_sample"]["cells"] == int(hc.cells["out_of_sample"].sum()) > 0
        rel = pd.DataFrame(prov["reliability"][label])
        assert rel["events"].sum() == int(hc.events["out_of_sample"].sum())
    # the second fit comes from the cache
    assert fit(cfg).from_cache
    # tampering with the draws breaks the provenance's hash: one clear line naming the file
    df = pd.read_parquet(tmp_path / "out" / "posterior" / "posterior.parquet")
    df.iloc[0, 0] = df.iloc[0, 0] * 0.5 + 1e-6
    df.to_parquet(tmp_path / "out" / "posterior" / "posterior.parquet", index=False)
    with pytest.raises(UserError, match="posterior.parquet: invalid posterior: the draws' SHA-256 differs"):
        read_posterior(tmp_path / "out" / "posterior")


def test_chains_on_a_dask_cluster_give_the_same_posterior(tmp_path, monkeypatch):
    """One task per chain on two workers: the same draws as chain after chain in process."""
    from distributed import Client, LocalCluster

    monkeypatch.setenv("HEARTLAND_CACHE", str(tmp_path / "cache"))
    cfg = CalibrationConfig(**{**TINY, "steps": 2, "burn": 1})
    local = fit(cfg, use_cache=False)
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, \
            Client(cluster) as client:
        remote = fit(cfg, client=client, use_cache=False)
    np.testing.assert_array_equal(local.samples, remote.samples)
    assert len(local.provenance["chain_acceptance"]) == cfg.chains


def test_validate_flags_draws_outside_the_prior_and_missing_provenance(tmp_path):
    names = tuple(PARAMS)
    samples = np.array([[PARAMS[n].default for n in names]] * 3)
    samples[1, 0] = PARAMS[names[0]].high + 1.0
    problems = validate(Posterior(samples, names, {"draws": 3, "parameters": list(names)}))
    assert any("outside the prior range" in p for p in problems)
    assert any("data_version" in p for p in problems)


# --- simulation from the posterior -----------------------------------------------------------

def _toy_posterior(rows: int = 5) -> Posterior:
    rng = np.random.default_rng(7)
    names = tuple(PARAMS)
    s = np.array([[rng.uniform(PARAMS[n].low, PARAMS[n].high) for n in names] for _ in range(rows)])
    return Posterior(s, names, {"fit_start": 2015, "fit_end": 2020, "data_version": "x"})


def test_runs_draw_unset_parameters_from_posterior_rows_and_keep_the_scenarios_own(mini, start2023):
    post = _toy_posterior()
    res = run_ensemble(mini, runs=40, seed=1, start=start2023, parameters=post)
    own = set(mini.resolved)
    names = [n for n in PARAMS if n not in own]
    got = np.column_stack([res.params[n] for n in names])
    want = post.samples[:, [post.names.index(n) for n in names]]
    # every run's unset parameters are one whole posterior row (correlations kept)
    assert all(np.isclose(want, g).all(axis=1).any() for g in got)
    lo, hi = mini.resolved["war_drain_security"].bounds()
    assert (res.params["war_drain_security"] >= lo).all() and (res.params["war_drain_security"] <= hi).all()
    assert "posterior" in res.parameters


def test_judgement_reproduces_the_defaults(mini, start2023):
    a = run_ensemble(mini, runs=30, seed=2, start=start2023, parameters="judgement")
    b = run_ensemble(mini, runs=30, seed=2, start=start2023, parameters=None)
    for n in PARAMS:
        if n not in mini.resolved:
            assert (a.params[n] == PARAMS[n].default).all()
    np.testing.assert_array_equal(a.arrays["share"], b.arrays["share"])
    assert a.parameters.startswith("judgement")


def test_unknown_parameter_source_is_one_clear_line(mini, start2023):
    with pytest.raises(UserError, match="--parameters must be one of posterior, judgement"):
        run_ensemble(mini, runs=4, start=start2023, parameters="guess")


# --- reliability and the cap -----------------------------------------------------------------

def _table(top_observed: float, top_n: int, low_observed: float = 0.0, low_n: int = 100) -> pd.DataFrame:
    rows = []
    for p, n in ((0.01, low_n), (0.5, 50), (0.99, top_n)):
        k = int(round((top_observed if p > 0.9 else low_observed if p < 0.1 else 0.5) * n))
        rows += [{"probability": p, "outcome": i < k} for i in range(n)]
    return reliability_table(pd.DataFrame(rows))


def test_reliability_table_counts_and_frequencies():
    rng = np.random.default_rng(5)
    ev = pd.DataFrame({"probability": rng.uniform(size=500)})
    ev["outcome"] = rng.uniform(size=500) < ev["probability"]
    t = reliability_table(ev)
    assert t["events"].sum() == 500
    for r in t.itertuples():
        sel = ev[(ev.probability >= r.bin_low) & ((ev.probability < r.bin_high) | (r.bin_high == 1.0))]
        assert r.events == len(sel)
        if len(sel):
            assert r.observed == pytest.approx(sel.outcome.mean())
            assert r.observed_low <= r.observed <= r.observed_high


def test_extremes_are_capped_unless_the_hindcast_supports_them():
    unsupported = _table(top_observed=0.87, top_n=400)
    s = shown(0.99, unsupported)
    assert s.capped and s.probability == CAP_HIGH and s.raw == 0.99
    assert s.reliability == pytest.approx(0.87, abs=0.01) and s.reliability_events == 400
    assert not shown(0.99, _table(top_observed=0.98, top_n=400)).capped
    assert shown(0.99, _table(top_observed=1.0, top_n=MIN_EVENTS - 1)).capped  # too few events to support it
    assert shown(0.01, _table(0.98, 400, low_observed=0.2)).probability == CAP_LOW
    assert not shown(0.01, _table(0.98, 400, low_observed=0.0)).capped
    assert shown(0.999, None).capped  # no hindcast: nothing supports an extreme
    mid = shown(0.5, unsupported)
    assert not mid.capped and mid.probability == 0.5


def test_shown_scores_mark_capped_hypotheses(mini, start2023):
    res = run_ensemble(mini, runs=64, seed=0, start=start2023, parameters="judgement")
    for h in shown_scores(res.scores, None):
        assert CAP_LOW <= h["probability"] <= CAP_HIGH or not h["capped"]
        assert h["capped"] == (h["raw_probability"] != h["probability"])


# --- the bundled posterior ---------------------------------------------------------------------

def test_bundled_posterior_is_valid_against_its_provenance():
    from heartland.simulate.posterior import POSTERIOR_DIR

    post = read_posterior(POSTERIOR_DIR)  # raises on any mismatch with the provenance
    prov = post.provenance
    assert prov["fit_start"] < prov["fit_end"]
    assert set(prov["reliability"]) == {"posterior", "judgement"}
    assert prov["hindcast"]["posterior"]["out_of_sample"]["cells"] > 0
    assert json.loads((POSTERIOR_DIR / "posterior.json").read_text())["draws"] == post.size


def test_staleness_check_compares_the_fit_data_with_the_world_now():
    from heartland.simulate.calibrate import is_current

    cfg = CalibrationConfig(**TINY)
    post = _toy_posterior()
    post.provenance["config"] = cfg.model_dump(mode="json")
    ok, now = is_current(post)
    assert not ok and len(now) == 64  # the toy's data version "x" is not today's world
    post.provenance["data_version"] = now
    assert is_current(post) == (True, now)
