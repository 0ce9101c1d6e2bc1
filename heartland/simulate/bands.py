"""Ensemble bands: the one place a band over runs is computed.

``simulate``'s outcome table, ``summary.parquet`` (and so ``compare``), the report's fan
charts and the dashboard's scenario runs all call :func:`band`, and a quantity over the
five targets is always the quantile *of the per-run five-state mean*
(:func:`five_state_mean`), never the mean of per-target quantiles: the two differ (the
mean of five 5% quantiles is lower than the 5% quantile of the mean, since the targets'
paths are not perfectly correlated), which is how ``simulate`` and ``compare`` once gave
0.40 [0.33, 0.46] and 0.39 [0.30, 0.53] for the same quantity.
"""

from __future__ import annotations

import warnings

import numpy as np

#: Quantile levels of every band, and their names.
LEVELS = (0.05, 0.25, 0.5, 0.75, 0.95)
NAMES = ("p05", "p25", "p50", "p75", "p95")


def band(x: np.ndarray, axis: int = 0) -> dict[str, np.ndarray]:
    """Quantiles (``p05`` … ``p95``; ``p50`` is the median) and the mean of ``x`` over runs (``axis``).

    NaNs (a quantity undefined in some runs or steps) are left out; an all-NaN slice gives NaN.
    """
    with np.errstate(invalid="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN slices (first-step friction)
        q = np.nanquantile(x, LEVELS, axis=axis)
        mean = np.nanmean(x, axis=axis)
    out = dict(zip(NAMES, q))
    out["mean"] = mean
    return out


def five_state_mean(arr: np.ndarray, target_axis: int) -> np.ndarray:
    """The mean over the five targets, per run and step (the "C5" of outcomes and hypotheses)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return np.nanmean(arr, axis=target_axis)
