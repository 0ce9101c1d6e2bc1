"""The error model of eq. 14 (runs + Student-t discrepancy and measurement error), shared by the
likelihood and the hindcast's predictive bands; and the fit's blindness to years after its window."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.stats import norm
from scipy.stats import t as student_t

from heartland.simulate.calibrate import CalibrationConfig, build_blocks, data_version, loglike_chunk, ranges
from heartland.simulate.discrepancy import (ERROR_NAMES, OBS_SD_FLOOR, error_sd, log_density, obs_sd,
                                            predictive)
from heartland.simulate.ensemble import run_ensemble
from heartland.simulate.hindcast import Panel, measured_panel
from heartland.simulate.params import PARAM_NAMES, PARAMS
from heartland.simulate.posterior import Posterior


def _width(y: np.ndarray) -> np.ndarray:
    q = np.quantile(y, (0.05, 0.95), axis=0)
    return q[1] - q[0]


def test_predictive_band_widens_with_the_fitted_error_scale_and_the_horizon():
    rng = np.random.default_rng(0)
    runs = 0.3 + rng.normal(0.0, 0.01, (4000, 5))
    sd = obs_sd(np.full(5, 0.29), np.full(5, 0.31))
    widths = [_width(predictive(runs, es, 3, sd, np.random.default_rng(1))).mean() for es in (0.0, 0.01, 0.03)]
    assert widths[0] > _width(runs).mean()  # the measurement error alone already widens the runs' band
    assert widths[0] < widths[1] < widths[2]
    by_h = [_width(predictive(runs, 0.02, h, sd, np.random.default_rng(1))).mean() for h in (1, 4, 9)]
    assert by_h[0] < by_h[1] < by_h[2]
    # per run: each run's own error scale (drawn from its posterior row)
    es = np.where(np.arange(4000) < 2000, 0.0, 0.05)
    y = predictive(runs, es, 1, sd, np.random.default_rng(2))
    assert np.abs(y[2000:] - runs[2000:]).mean() > 5 * np.abs(y[:2000] - runs[:2000]).mean()


def test_error_sd_and_measurement_floor():
    assert obs_sd(np.array([0.2]), np.array([0.2]))[0] == OBS_SD_FLOOR
    assert obs_sd(np.array([0.2]), np.array([0.4]))[0] == pytest.approx(0.05)
    assert error_sd(0.02, 4, np.array([0.005]))[0] == pytest.approx(np.sqrt(0.02 ** 2 * 4 + 0.005 ** 2))
    assert error_sd(np.array([0.0, 0.01]), 1, np.array([0.005, 0.01, 0.02])).shape == (2, 3)


def test_log_density_is_the_mean_of_the_error_densities_over_replicates():
    obs = np.array([0.30, 0.50])
    runs = np.array([[[0.29, 0.55]], [[0.33, 0.40]]])  # (K=2, w=1, m=2)
    scale = np.array([[0.02, 0.03]])
    got = log_density(obs, runs, scale, 4.0)
    want = np.log(0.5 * (student_t.pdf(obs, 4.0, loc=runs[0], scale=scale) + student_t.pdf(obs, 4.0, loc=runs[1], scale=scale)))
    np.testing.assert_allclose(got, want, rtol=1e-10)
    np.testing.assert_allclose(log_density(obs, runs[:1], scale, 0.0), norm.logpdf(obs, runs[0], scale)[None][0], rtol=1e-10)


def test_the_likelihood_recovers_the_error_scale_the_band_is_drawn_with():
    """What is fitted is what is scored: data drawn from eq. 14 peak the likelihood at their scale."""
    rng = np.random.default_rng(5)
    K, m, h, true = 8, 3000, 4, 0.02
    runs = 0.4 + rng.normal(0.0, 0.01, (K, 1, m))
    sd = np.full(m, OBS_SD_FLOOR)
    obs = predictive(runs[rng.integers(0, K, m), 0, np.arange(m)][None], true, h, sd, rng)[0]
    grid = np.array([0.005, 0.01, 0.015, 0.02, 0.025, 0.03, 0.04])
    ll = [log_density(obs, runs, error_sd(np.array([g]), h, sd), 4.0).sum() for g in grid]
    assert grid[int(np.argmax(ll))] == pytest.approx(true, abs=0.0051)


def test_error_parameters_are_fitted_but_never_reach_the_model(mini, start2023):
    """A posterior row carries error_scale to the run's params; the model's numbers ignore it."""
    cfg = CalibrationConfig()
    names, lo, hi = ranges(cfg)
    assert names == list(PARAM_NAMES) + ["error_scale"]
    assert ranges(CalibrationConfig(error_params=list(ERROR_NAMES)))[0] == list(PARAM_NAMES) + list(ERROR_NAMES)
    assert CalibrationConfig(likelihood="synthetic", walkers=64) and ranges(CalibrationConfig(likelihood="synthetic"))[0] == list(PARAM_NAMES)
    rng = np.random.default_rng(0)
    model = np.column_stack([np.full(20, PARAMS[n].default) for n in PARAM_NAMES])
    es = rng.uniform(0.0, 0.05, 20)
    rho = rng.uniform(0.0, 1.5, 20)
    with_err = Posterior(np.column_stack([model, es, rho]), tuple(PARAM_NAMES) + ("error_scale", "change_scale"), {})
    without = Posterior(model, tuple(PARAM_NAMES), {})
    a = run_ensemble(mini, runs=30, seed=3, start=start2023, parameters=with_err)
    b = run_ensemble(mini, runs=30, seed=3, start=start2023, parameters=without)
    np.testing.assert_array_equal(a.arrays["share"], b.arrays["share"])
    assert set(a.params["error_scale"]) <= set(es)
    assert set(a.params["change_scale"]) <= set(rho)
    assert (b.params["error_scale"] == 0).all()  # no fitted error: only the measurement error
    assert (b.params["change_scale"] == 1).all()  # and the model's change as it is


def test_nothing_after_the_fit_window_enters_the_fit():
    """Scramble every year after fit_end: same blocks, same data version, same likelihood."""
    cfg = CalibrationConfig(fit_start=2018, fit_end=2020, replicates=2)
    real = measured_panel()
    assert max(real.years) > cfg.fit_end  # there is something after the window to leak
    rng = np.random.default_rng(11)
    mid, low, high = dict(real.mid), dict(real.low), dict(real.high)
    for y in real.years:
        if y > cfg.fit_end:
            m = rng.uniform(0.0, 1.0, mid[y].shape)
            mid[y], low[y], high[y] = m, m - 0.05, m + 0.05
    scrambled = Panel(real.years, mid, low, high)
    a, b = build_blocks(cfg, panel=real), build_blocks(cfg, panel=scrambled)
    assert all(b_.start_year < cfg.fit_end and all(t.year <= cfg.fit_end for t in b_.targets) for b_ in a)
    assert data_version(a) == data_version(b)
    names, lo, hi = ranges(cfg)
    theta = lo + np.random.default_rng(2).uniform(0.0, 1.0, (3, len(names))) * (hi - lo)
    np.testing.assert_array_equal(loglike_chunk(a, theta, names, 2, 0, 9), loglike_chunk(b, theta, names, 2, 0, 9))


def test_change_scale_damps_each_run_toward_the_measured_start():
    """ρ = 1 is the model's change as it is, ρ = 0 persistence, per run from its posterior row."""
    from heartland.simulate.hindcast import anchored

    rng = np.random.default_rng(4)
    ens0 = rng.uniform(0.1, 0.5, (6, 3))
    ens = ens0 + rng.normal(0.0, 0.05, (6, 3))
    obs0 = np.array([0.2, 0.3, 0.4])
    np.testing.assert_allclose(anchored(ens, ens0, obs0), obs0 + ens - ens0)
    np.testing.assert_allclose(anchored(ens, ens0, obs0, 0.0), np.broadcast_to(obs0, ens.shape))
    rho = np.linspace(0.0, 1.5, 6)
    np.testing.assert_allclose(anchored(ens, ens0, obs0, rho), obs0 + rho[:, None] * (ens - ens0))
