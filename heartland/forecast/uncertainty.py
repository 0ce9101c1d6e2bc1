"""Uncertain inputs: Monte Carlo over intervals, and salience perturbation.

Each input with an interval ``[low, high]`` is drawn from its own distribution
(``<field>_dist`` in the issue file) or the run's default: ``triangular`` with its mode
at the point value, ``uniform`` over the interval, or ``normal`` with mean at the point
value and sd = (high - low) / 4 (the interval as +-2 sd), clipped to the interval.
Inputs without an interval stay fixed. All runs advance together through :func:`model.simulate`.

The salience perturbation raises and lowers each actor's salience in turn by ``delta``
(clipped to [0, 1]) with everything else at its point value, and ranks actors by how
far the forecast moves: the actors at the top of that ranking decide the outcome.
"""

from __future__ import annotations

from typing import Literal

import numpy as np

from heartland.forecast.issue import FIELDS, Issue, Value

Distribution = Literal["triangular", "uniform", "normal"]


def _draw(v: Value, runs: int, rng: np.random.Generator, dist: Distribution) -> np.ndarray:
    if not v.uncertain:
        return np.full(runs, v.value)
    dist = v.dist or dist
    if dist == "uniform":
        return rng.uniform(v.low, v.high, runs)
    if dist == "normal":
        return np.clip(rng.normal(v.value, (v.high - v.low) / 4.0, runs), v.low, v.high)
    return rng.triangular(v.low, v.value, v.high, runs)


def sample_inputs(issue: Issue, runs: int, seed: int | None,
                  dist: Distribution = "triangular") -> dict[str, np.ndarray]:
    """Arrays ``(runs, n)`` of positions, capabilities and saliences.

    Draws are made actor by actor, field by field, in file order, so the same seed
    gives the same draws whatever else the caller does.
    """
    rng = np.random.default_rng(seed)
    out = {f: np.empty((runs, len(issue.actors))) for f in FIELDS}
    for i, a in enumerate(issue.actors):
        for f in FIELDS:
            out[f][:, i] = _draw(getattr(a, f), runs, rng, dist)
    out["salience"] = np.clip(out["salience"], 0.0, 1.0)
    out["capability"] = np.clip(out["capability"], 0.0, None)
    return out


def salience_variants(s: np.ndarray, delta: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Saliences ``(2n, n)``: actor i's salience lowered (row 2i) and raised (row 2i+1)
    by ``delta``; and the lowered/raised values themselves ``(n,)``."""
    n = s.shape[0]
    down = np.clip(s - delta, 0.0, 1.0)
    up = np.clip(s + delta, 0.0, 1.0)
    rows = np.repeat(s[None, :], 2 * n, axis=0)
    idx = np.arange(n)
    rows[2 * idx, idx] = down
    rows[2 * idx + 1, idx] = up
    return rows, down, up
