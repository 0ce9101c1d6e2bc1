"""Influence indices as pure NumPy functions over tie arrays.

Contract shared by the world and simulate stages: every function takes arrays laid out
``(..., patron, target, domain)`` (see :mod:`heartland.world.axes`) with any number of
leading axes (ensemble runs, years) and returns arrays with the same leading axes. No
function loops in Python over runs, so the simulation can call them on whole ensembles.

The method follows the Pardee Center's Formal Bilateral Influence Capacity (FBIC):
influence = bandwidth x dependence. The formulas, parameters and the choices made
where public descriptions are silent are documented in ``docs/measure.md``.
"""

from __future__ import annotations

import numpy as np

#: Default weights of the domains in overall influence (documented in docs/measure.md).
DEFAULT_DOMAIN_WEIGHTS = np.array([0.25, 0.35, 0.15, 0.15, 0.10])


def domain_influence(bandwidth: np.ndarray, dependence: np.ndarray) -> np.ndarray:
    """Influence per domain: bandwidth (0..1) times dependence (0..1), elementwise."""
    return np.clip(bandwidth, 0.0, 1.0) * np.clip(dependence, 0.0, 1.0)


def overall_influence(influence: np.ndarray, weights: np.ndarray = DEFAULT_DOMAIN_WEIGHTS) -> np.ndarray:
    """Weighted mean over the domain axis (NaN domains are left out and weights renormalised)."""
    w = np.broadcast_to(np.asarray(weights, dtype=float), influence.shape)
    present = ~np.isnan(influence)
    num = np.where(present, influence * w, 0.0).sum(axis=-1)
    den = np.where(present, w, 0.0).sum(axis=-1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(den > 0, num / den, np.nan)
