"""Hypotheses as measurable statements, scored per run; probabilities with Wilson intervals.

Each hypothesis compares a quantity (``metric`` of ``patron`` over ``target`` in ``domain``)
with another patron's, with its own start value, or with a threshold, over a window of
time (``by`` a year: at some step after the start up to it; ``at`` the year; ``throughout``:
at every step after the start up to it). Per run we keep a continuous *margin* (how far the statement is from flipping,
positive when it holds) and the 0/1 outcome; the margin is what sensitivity analysis uses.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.stats import binomtest

from heartland.simulate.scenario import Hypothesis
from heartland.world.axes import DOMAINS, PATRONS, TARGETS


def quantity(h: Hypothesis, arrays: dict[str, np.ndarray], patron: str | None) -> np.ndarray:
    """(R, steps) trajectory of the hypothesis' metric for ``patron``."""
    a = arrays[h.metric]
    if h.metric == "division_of_labour":  # (R, n, T)
        return (a.mean(axis=2) if h.target == "C5" else a[:, :, TARGETS.index(h.target)]).astype(float)
    if h.metric == "parity":  # (R, n, D)
        return a[:, :, DOMAINS.index(h.domain)].astype(float)
    if h.metric in ("friction", "dissatisfaction"):  # (R, n)
        return a.astype(float)
    p = PATRONS.index(patron)
    if h.metric == "capacity":  # (R, n, P, D)
        return a[:, :, p, DOMAINS.index(h.domain)].astype(float)
    x = a[:, :, p]  # (R, n, T[, D])
    if h.metric != "overall":
        x = x[..., DOMAINS.index(h.domain)]
    if h.target == "C5":
        return x.mean(axis=2).astype(float)
    return x[:, :, TARGETS.index(h.target)].astype(float)


def margin(h: Hypothesis, times: np.ndarray, arrays: dict[str, np.ndarray]) -> np.ndarray:
    """(R,) signed distance from the statement's boundary; > 0 (or >= 0 for >=, <=) when it holds."""
    left = quantity(h, arrays, h.patron)
    if h.versus == "start":
        right = h.factor * left[:, :1]
    elif h.versus is not None:
        right = h.factor * quantity(h, arrays, h.versus)
    else:
        right = np.full_like(left, h.threshold)
    diff = left - right if h.op in (">", ">=") else right - left
    upto = times <= h.year + 1e-9
    if h.when == "at":
        idx = int(np.nonzero(upto)[0][-1])
        return diff[:, idx]
    # "by" and "throughout" are about the future: the steps after the start, up to the year
    w = diff[:, upto & (times > times[0] + 1e-9)]
    w = w[:, ~np.isnan(w).all(axis=0)]  # steps where a measure is undefined in every run
    w = np.nan_to_num(w, nan=-np.inf)  # an undefined value never witnesses
    return w.max(axis=1) if h.when == "by" else w.min(axis=1)


def holds(h: Hypothesis, mg: np.ndarray) -> np.ndarray:
    return mg >= 0 if h.op in (">=", "<=") else mg > 0


@dataclass
class Score:
    id: str
    statement: str
    successes: int
    runs: int
    probability: float
    ci_low: float
    ci_high: float
    expert: str
    seed: str


def score(h: Hypothesis, outcome: np.ndarray, confidence: float = 0.95) -> Score:
    """Probability that the hypothesis holds, with a Wilson score interval (scipy)."""
    n, k = int(outcome.size), int(outcome.sum())
    ci = binomtest(k, n).proportion_ci(confidence_level=confidence, method="wilson")
    return Score(h.id, h.statement, k, n, k / n, float(ci.low), float(ci.high), h.expert, h.seed)
