"""Bueno de Mesquita's expected-utility group-decision model, as replicated by Scholz,
Calbert and Smith (2011), written as whole-round array operations.

Every function here is pure NumPy over arrays with a leading *runs* axis: positions,
capabilities and saliences are shaped ``(runs, n)``, pairwise quantities
``(runs, n, n)`` with ``[..., i, j]`` meaning "i against j". One call to
:func:`simulate` advances every Monte Carlo run at once. Equations and the meaning of
each option are in ``docs/forecast.md``; the notation follows the paper:

* ``d[i, j] = |x_i - x_j| / (x_max - x_min)``
* vote of k for i over j: ``v_k(i, j) = c_k s_k (d[k, j]^r_k - d[k, i]^r_k)``
* ``U_s = 2 - 4 (0.5 - 0.5 d)^r``, ``U_f = 2 - 4 (0.5 + 0.5 d)^r``, ``U_sq = 2 - 4 (0.5)^r``,
  ``U_b / U_w = 2 - 4 (0.5 -/+ 0.25 (|x_i - mu| + |x_i - x_j|) / range)^r``
* ``E(U_ij) = s_j (P_ij U_s + (1 - P_ij) U_f) + (1 - s_j) U_s - Q U_sq
  - (1 - Q)(T U_b + (1 - T) U_w)``
* danger of i: ``sum_{j != i} E(U_ji)`` with every r = 1; ``R_i = (2 danger_i - max - min)
  / (max - min)``; risk exponent ``r_i = (1 - R_i/3) / (1 + R_i/3)`` in [0.5, 2].
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from heartland.forecast.options import ModelOptions

#: Move kinds, as stored in :attr:`Simulation.kind`.
NONE, CONFRONTATION, COMPROMISE, CAPITULATION = 0, 1, 2, 3
KIND_NAMES = {NONE: "none", CONFRONTATION: "confrontation", COMPROMISE: "compromise",
              CAPITULATION: "capitulation"}


@dataclass(frozen=True)
class Simulation:
    """Raw arrays of a batch of runs: ``positions[run, round, actor]`` for rounds
    0..R, and per played round the risk exponents, move kinds and the partner whose
    offer each actor accepted (-1 for none)."""

    positions: np.ndarray  # (runs, rounds + 1, n)
    risk: np.ndarray       # (runs, rounds, n)
    kind: np.ndarray       # (runs, rounds, n) int8
    partner: np.ndarray    # (runs, rounds, n) int32
    weight: np.ndarray     # (runs, n) capability x salience

    @property
    def mean(self) -> np.ndarray:
        """Capability-and-salience weighted mean position, ``(runs, rounds + 1)``."""
        w = self.weight[:, None, :]
        return (w * self.positions).sum(-1) / w.sum(-1)

    @property
    def median(self) -> np.ndarray:
        """Pairwise-vote (Condorcet) median position, ``(runs, rounds + 1)``."""
        runs, steps, n = self.positions.shape
        w = np.broadcast_to(self.weight[:, None, :], self.positions.shape)
        return weighted_median(self.positions.reshape(-1, n), w.reshape(-1, n)).reshape(runs, steps)


def weighted_median(x: np.ndarray, w: np.ndarray) -> np.ndarray:
    """The position that wins every pairwise vote under linear utilities.

    With ``v_k(a, b) = w_k (|x_k - x_b| - |x_k - x_a|)`` the Condorcet winner among the
    actors' positions is the lowest position whose cumulative weight reaches half the
    total (single-peaked preferences on a line; Black 1948). Shapes ``(..., n)``.
    """
    order = np.argsort(x, axis=-1, kind="stable")
    xs = np.take_along_axis(x, order, -1)
    cw = np.cumsum(np.take_along_axis(w, order, -1), -1)
    half = 0.5 * cw[..., -1:]
    idx = np.argmax(cw >= half * (1 - 1e-12), axis=-1)
    return np.take_along_axis(xs, idx[..., None], -1)[..., 0]


def _pair_distance(x: np.ndarray, scale: np.ndarray) -> np.ndarray:
    return np.abs(x[:, :, None] - x[:, None, :]) / scale[:, None, None]


def _votes(dk: np.ndarray, w: np.ndarray) -> np.ndarray:
    """``V[r, i, j] = sum_k w_k max(0, dk[k, j] - dk[k, i])``: support for i over j.

    ``dk[r, k, a]`` is voter k's (risk-transformed) distance to a's position. The sum
    runs voter by voter over ``(runs, n, n)`` slabs: the same n^3 work as one
    ``(runs, n, n, n)`` tensor, without its memory traffic (4x faster at n = 100).
    """
    runs, n, _ = dk.shape
    out = np.zeros((runs, n, n))
    gap = np.empty((runs, n, n))
    for k in range(n):
        row = dk[:, k, :]
        np.subtract(row[:, None, :], row[:, :, None], out=gap)  # [r, i, j] = dk[k,j] - dk[k,i]
        np.maximum(gap, 0.0, out=gap)
        gap *= w[:, k, None, None]
        out += gap
    return out


def success_probability(d: np.ndarray, w: np.ndarray, r: np.ndarray, same: np.ndarray,
                        options: ModelOptions) -> np.ndarray:
    """``P[r, i, j]``: probability that i prevails against j.

    The normalising sum is computed once per call (once per phase of a round): with
    non-negative weights, ``sum_k |v_k(i,j)| = V[i,j] + V[j,i]``, so the sum over all
    ordered pairs is ``2 * V.sum()``.
    """
    dk = d if options.vote_exponent == "neutral" else d ** r[:, :, None]
    v = _votes(dk, w)
    if options.probability == "all_votes":
        total = 2.0 * v.sum(axis=(1, 2))
        p = v / np.where(total > 0, total, 1.0)[:, None, None]
    else:
        pair = v + np.swapaxes(v, 1, 2)
        p = np.divide(v, pair, out=np.zeros_like(v), where=pair > 0)
    p[same] = 0.0
    return p


def expected_utility(p: np.ndarray, d: np.ndarray, s_target: np.ndarray, r: np.ndarray,
                     mu_gap: np.ndarray | None, q: float, t: float) -> np.ndarray:
    """E(U) of a challenge, elementwise over broadcastable arrays.

    ``p``: probability the challenger prevails; ``d``: scaled distance between the two;
    ``s_target``: the target's salience (its probability of resisting); ``r``: the
    evaluating risk exponent; ``mu_gap``: scaled distance of the challenger from the
    median (only used when q < 1).
    """
    us = 2.0 - 4.0 * (0.5 - 0.5 * d) ** r
    uf = 2.0 - 4.0 * (0.5 + 0.5 * d) ** r
    usq = 2.0 - 4.0 * 0.5 ** r
    eu = s_target * (p * us + (1.0 - p) * uf) + (1.0 - s_target) * us - q * usq
    if q < 1.0:
        m = 0.25 * (mu_gap + d)
        ub = 2.0 - 4.0 * np.clip(0.5 - m, 0.0, None) ** r
        uw = 2.0 - 4.0 * (0.5 + m) ** r
        eu = eu - (1.0 - q) * (t * ub + (1.0 - t) * uw)
    return eu


def risk_exponents(danger: np.ndarray) -> np.ndarray:
    """``r_i`` in [0.5, 2] from each actor's danger relative to the others'."""
    hi = danger.max(-1, keepdims=True)
    lo = danger.min(-1, keepdims=True)
    span = hi - lo
    big_r = np.divide(2.0 * danger - hi - lo, span, out=np.zeros_like(danger), where=span > 0)
    return (1.0 - big_r / 3.0) / (1.0 + big_r / 3.0)


@dataclass(frozen=True)
class RoundArrays:
    """One round's intermediate arrays (for inspection and tests)."""

    risk: np.ndarray      # (runs, n) exponents used for the offers
    eu_ij: np.ndarray     # (runs, n, n) E^i(U_ij)
    eu_ji: np.ndarray     # (runs, n, n) E^i(U_ji)
    danger: np.ndarray    # (runs, n)
    new_x: np.ndarray     # (runs, n)
    kind: np.ndarray      # (runs, n)
    partner: np.ndarray   # (runs, n)


def play_round(x: np.ndarray, s: np.ndarray, w: np.ndarray, scale: np.ndarray,
               options: ModelOptions) -> RoundArrays:
    """One round for every run: risk exponents, expected utilities, offers, moves."""
    runs, n = x.shape
    d = _pair_distance(x, scale)
    same = d == 0.0
    q, t = options.q, options.t
    mu_gap = None
    if q < 1.0:
        mu = weighted_median(x, w)
        mu_gap = np.abs(x - mu[:, None]) / scale[:, None]

    # 1. risk exponents from dangers evaluated with every r = 1
    ones = np.ones_like(x)
    p1 = success_probability(d, w, ones, same, options)
    e1 = expected_utility(p1, d, s[:, None, :], 1.0, None if mu_gap is None else mu_gap[:, :, None], q, t)
    e1[:, np.arange(n), np.arange(n)] = 0.0
    danger = e1.sum(axis=1)  # sum over challengers j of E(U_ji)
    r = risk_exponents(danger)

    # 2. expected utilities with the new exponents, from each actor's perspective
    p2 = success_probability(d, w, r, same, options)
    r_i = r[:, :, None]
    r_j = r[:, None, :] if options.perspective == "own" else r_i
    eu_ij = expected_utility(p2, d, s[:, None, :], r_i,
                             None if mu_gap is None else mu_gap[:, :, None], q, t)
    eu_ji = expected_utility(np.swapaxes(p2, 1, 2), d, s[:, :, None], r_j,
                             None if mu_gap is None else mu_gap[:, None, :], q, t)

    # 3. offers received by i (row) from j (column)
    valid = ~same
    conf = valid & (eu_ji > eu_ij) & (eu_ij > 0)
    opp = valid & ~conf & (eu_ji > 0) & (eu_ij < 0)
    comp = opp & (eu_ji > np.abs(eu_ij))
    if options.capitulation == "larger_loss":
        capit = opp & ~comp & (np.abs(eu_ij) > eu_ji)
    else:
        capit = np.zeros_like(opp)
    xi = np.broadcast_to(x[:, :, None], d.shape)
    xj = np.broadcast_to(x[:, None, :], d.shape)
    ratio = np.divide(np.abs(eu_ij), eu_ji, out=np.zeros_like(eu_ij), where=comp)
    target = np.where(comp, xi + (xj - xi) * ratio, xj)
    move = np.abs(xi - target)

    inf = np.inf
    if options.offer_priority == "kind":
        if options.compromise_choice == "scholz":
            a_ij, a_ji = np.abs(eu_ij), np.abs(eu_ji)
            den = a_ij + a_ji
            comp_key = np.divide(a_ij * xi + a_ji * xj, den, out=np.zeros_like(den), where=comp)
        else:
            comp_key = move
        conf_key = np.where(conf, np.abs(xi - xj), inf)
        comp_key = np.where(comp, comp_key, inf)
        capit_key = np.where(capit, move, inf)
        has_conf = conf.any(-1)
        has_comp = comp.any(-1)
        key = np.where(has_conf[..., None], conf_key, np.where(has_comp[..., None], comp_key, capit_key))
    else:
        key = np.where(conf | comp | capit, move, inf)
    best = np.argmin(key, axis=-1)
    chosen = np.take_along_axis(key, best[..., None], -1)[..., 0]
    moved = np.isfinite(chosen)
    new_x = np.where(moved, np.take_along_axis(target, best[..., None], -1)[..., 0], x)
    kind = np.where(conf, CONFRONTATION, np.where(comp, COMPROMISE, np.where(capit, CAPITULATION, NONE)))
    kind = np.where(moved, np.take_along_axis(kind, best[..., None], -1)[..., 0], NONE).astype(np.int8)
    partner = np.where(moved, best, -1).astype(np.int32)
    return RoundArrays(risk=r, eu_ij=eu_ij, eu_ji=eu_ji, danger=danger, new_x=new_x,
                       kind=kind, partner=partner)


def _as_runs(a: np.ndarray) -> np.ndarray:
    a = np.asarray(a, dtype=float)
    return a[None, :] if a.ndim == 1 else a


def simulate(x: np.ndarray, c: np.ndarray, s: np.ndarray, rounds: int,
             options: ModelOptions | None = None) -> Simulation:
    """Run ``rounds`` rounds for one issue (arrays ``(n,)``) or a batch ``(runs, n)``.

    Saliences are probabilities in [0, 1]. Capabilities are any non-negative scale.
    """
    options = options or ModelOptions()
    x, c, s = _as_runs(x), _as_runs(c), _as_runs(s)
    x, c, s = np.broadcast_arrays(x, c, s)
    x = x.copy()
    runs, n = x.shape
    w = c * s
    x0_range = x.max(-1) - x.min(-1)
    positions = np.empty((runs, rounds + 1, n))
    risk = np.empty((runs, rounds, n))
    kind = np.empty((runs, rounds, n), dtype=np.int8)
    partner = np.empty((runs, rounds, n), dtype=np.int32)
    positions[:, 0] = x
    for k in range(rounds):
        span = x0_range if options.range_mode == "initial" else x.max(-1) - x.min(-1)
        scale = np.where(span > 0, span, 1.0)
        out = play_round(x, s, w, scale, options)
        x = out.new_x
        positions[:, k + 1] = x
        risk[:, k] = out.risk
        kind[:, k] = out.kind
        partner[:, k] = out.partner
    return Simulation(positions=positions, risk=risk, kind=kind, partner=partner, weight=w.copy())
