"""Model discrepancy and observation error: what lies between a model run and a measured share.

The calibration's likelihood and the bands the hindcast scores (and `heartland run`
reports for measured shares) share one error model, so that a band means what the fit
assumed:

    y_obs(e) = y_obs(s) + ρ (x_run(e) − x_run(s)) + ε,
    ε ~ σ(e − s) · t_ν,    σ(h)² = σ_ε² h + σ_obs²                                        (eq. 14)

* ``x_run`` is a model run; the forecast of the measured value is anchored at the measured
  start (:func:`heartland.simulate.hindcast.anchored`);
* ρ (``change_scale``) is the share of the model's change that shows up in the measured
  share: the multiplicative term of Kennedy and O'Hagan's (2001) calibration model
  y = ρ η(x, θ) + δ + ε, applied to changes. ρ < 1 damps the model toward the start state
  (the model's drivers move the measured shares less than the model moves its own); it is
  fitted in the fit window with everything else, never chosen by hand;
* σ_ε (``error_scale``, share units per √year) is the model's discrepancy: what its
  dynamics miss grows like a random walk with the horizon h = e − s. It is fitted with the
  model's parameters (:mod:`heartland.simulate.calibrate`) and drawn with them (one
  posterior row per run);
* σ_obs is the measurement error of the measured value: a quarter of the width of the
  world's interval, floored at 0.005 (a share read to two decimals, or carried forward
  unchanged, is not known better than that);
* ν (``error_df``, default 4) makes ε heavy-tailed: measured changes are mostly tiny with a
  few large ones, and a normal error would let those few set every cell's width.

Why this form and not "a Student-t around the replicates' mean with their variance" (the
synthetic likelihood used up to likelihood version 3): that likelihood judged a Student-t
band of half-width 2.13 sd, while the hindcast scored the runs' 5-95% quantiles, which
carry no observation error and are narrower: in the fit window 90% coverage was 0.68
where the likelihood's own band held 0.90 of the cells. Here the likelihood is the
Monte Carlo estimate of the density of eq. 14 (the mean over the K replicates of the
t density around each run), and a band is drawn from the same equation: each run plus
one draw of ε. What is fitted is what is scored.

Everything here is a pure function of its arguments.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.special import logsumexp
from scipy.stats import t as student_t

#: floor of the measurement sd (share units): two-decimal precision, carried-forward values
OBS_SD_FLOOR = 0.005
#: degrees of freedom of ε (0 = normal)
DEFAULT_DF = 4.0


@dataclass(frozen=True)
class ErrorParam:
    name: str
    default: float
    low: float
    high: float
    unit: str
    meaning: str


#: parameters of the error model: fitted and drawn with the model's, never passed to the model
ERROR_PARAMS: dict[str, ErrorParam] = {p.name: p for p in (
    ErrorParam("error_scale", 0.0, 0.0, 0.05, "share/sqrt(yr)",
               "σ_ε: sd scale of the model's discrepancy (eq. 14), growing with the square root of "
               "the horizon; heavy-tailed (Student-t, error_df degrees of freedom)."),
    ErrorParam("change_scale", 1.0, 0.0, 1.5, "1",
               "ρ: share of the model's change that shows up in the measured share (eq. 14); "
               "1 = the model's change as it is, < 1 damps toward the start state."),
)}
ERROR_NAMES: tuple[str, ...] = tuple(ERROR_PARAMS)


def obs_sd(low: np.ndarray, high: np.ndarray) -> np.ndarray:
    """Measurement sd of a measured share from the world's interval: (high − low) / 4, floored."""
    return np.maximum((np.asarray(high, float) - np.asarray(low, float)) / 4.0, OBS_SD_FLOOR)


def error_sd(error_scale: np.ndarray | float, horizon: float, sd_obs: np.ndarray) -> np.ndarray:
    """σ(h) of eq. 14; broadcasts ``error_scale`` (runs or walkers) against ``sd_obs`` (cells)."""
    es = np.asarray(error_scale, float)
    if es.ndim:
        es = es[:, None]
    return np.sqrt(es ** 2 * float(horizon) + np.asarray(sd_obs, float) ** 2)


def log_density(obs: np.ndarray, runs: np.ndarray, scale: np.ndarray, df: float = DEFAULT_DF) -> np.ndarray:
    """Monte Carlo log density of eq. 14: log mean_k p_ε(obs − runs[k]).

    ``runs`` (K, w, m): K replicates for w parameter vectors and m cells; ``scale`` (w, m)
    or (m,); ``obs`` (m,). Returns (w, m). ``df`` = 0 gives a normal ε.
    """
    obs = np.asarray(obs, float)
    if df > 0:
        lp = student_t.logpdf(obs, df, loc=runs, scale=scale)
    else:
        lp = -0.5 * (((obs - runs) / scale) ** 2 + np.log(2 * np.pi * scale ** 2))
    return logsumexp(lp, axis=0) - np.log(runs.shape[0])


def draw_error(rng: np.random.Generator, scale: np.ndarray, df: float = DEFAULT_DF) -> np.ndarray:
    """One draw of ε per entry of ``scale`` (eq. 14)."""
    z = rng.standard_t(df, np.shape(scale)) if df > 0 else rng.standard_normal(np.shape(scale))
    return np.asarray(scale, float) * z


def predictive(runs: np.ndarray, error_scale: np.ndarray | float, horizon: float, sd_obs: np.ndarray,
               rng: np.random.Generator, df: float = DEFAULT_DF) -> np.ndarray:
    """Posterior predictive draws of the measured values: each run (R, m) plus its own ε."""
    scale = np.broadcast_to(error_sd(error_scale, horizon, sd_obs), runs.shape)
    return runs + draw_error(rng, scale, df)
