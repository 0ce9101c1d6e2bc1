"""Influence indices as pure NumPy functions over tie arrays.

Contract shared by the world and simulate stages: every function takes arrays laid out
``(..., patron, target, domain)`` (see :mod:`heartland.world.axes`) with any number of
leading axes (ensemble runs, years) and returns arrays with the same leading axes. No
function loops in Python over runs, so the simulation can call them on whole ensembles.
Functions over time take the year axis just before the patron axis:
``(..., year, patron, target, domain)``.

The method follows the Pardee Center's Formal Bilateral Influence Capacity (FBIC):
influence = bandwidth x dependence. The formulas, parameters and the choices made
where public descriptions are silent are documented in ``docs/measure.md``.
Intervals: every function is monotone in each input (or given as a ``*_interval``
variant), so bounds are computed from bounds — low inputs give the low index.
"""

from __future__ import annotations

import numpy as np

from heartland.world.axes import DOMAINS, PATRONS

#: Default weights of the domains in overall influence (documented in docs/measure.md).
DEFAULT_DOMAIN_WEIGHTS = np.array([0.25, 0.35, 0.15, 0.15, 0.10])

CHN, RUS = PATRONS.index("CHN"), PATRONS.index("RUS")
SECURITY, ECONOMY, CONNECTIVITY = DOMAINS.index("security"), DOMAINS.index("economy"), DOMAINS.index("connectivity")
#: The power-transition band (challenger's capability as a fraction of the leader's).
DEFAULT_PARITY_BAND = (0.7, 0.8)
#: Weights of friction's three parts: encroachment, corridor competition, expert balance.
DEFAULT_FRICTION_WEIGHTS = np.array([0.4, 0.3, 0.3])


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


def fbic_aggregate(bandwidth: np.ndarray, dependence: np.ndarray,
                   weights: np.ndarray = DEFAULT_DOMAIN_WEIGHTS) -> np.ndarray:
    """Pardee-style whole-dyad index: (weighted mean bandwidth) × (weighted mean dependence).

    FBIC multiplies the aggregated bandwidth and dependence sub-indices; ``overall_influence``
    instead averages the per-domain products. Both are reported (docs/measure.md).
    """
    return domain_influence(overall_influence(bandwidth, weights), overall_influence(dependence, weights))


def influence_interval(bw_low, bw_high, dep_low, dep_high) -> tuple[np.ndarray, np.ndarray]:
    """(low, high) domain influence from interval bandwidth and dependence."""
    return domain_influence(bw_low, dep_low), domain_influence(bw_high, dep_high)


def pair_share(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """a / (a + b), NaN when either is missing or both are zero."""
    with np.errstate(invalid="ignore", divide="ignore"):
        s = a / (a + b)
    return np.where(np.isnan(a) | np.isnan(b) | ((a + b) <= 0), np.nan, s)


def china_share(influence: np.ndarray, china: int = CHN, russia: int = RUS) -> np.ndarray:
    """China's share of the China+Russia influence, per target and domain: (..., target, domain)."""
    return pair_share(influence[..., china, :, :], influence[..., russia, :, :])


def china_share_interval(inf_low, inf_high, china: int = CHN, russia: int = RUS):
    """Bounds of :func:`china_share`: low with China low and Russia high, and vice versa."""
    lo = pair_share(inf_low[..., china, :, :], inf_high[..., russia, :, :])
    hi = pair_share(inf_high[..., china, :, :], inf_low[..., russia, :, :])
    return lo, hi


def division_of_labour(influence: np.ndarray, china: int = CHN, russia: int = RUS,
                       security: int = SECURITY, economy: int = ECONOMY) -> np.ndarray:
    """Division-of-labour index per target, in [-1, 1]: (..., target).

    ``DoL = s_CHN(economy) - s_CHN(security)`` where ``s_CHN(d)`` is China's share of the
    China+Russia influence in domain d. Because Russia's share is ``1 - s_CHN`` this is
    the same number as ``s_RUS(security) - s_RUS(economy)``: positive when Russia's
    weight lies in security and China's in economy, 1 for a complete split, 0 when
    both hold the same mix, negative for the reverse.
    """
    s = china_share(influence, china, russia)
    return s[..., economy] - s[..., security]


def division_of_labour_interval(inf_low, inf_high, china: int = CHN, russia: int = RUS,
                                security: int = SECURITY, economy: int = ECONOMY):
    lo_s, hi_s = china_share_interval(inf_low, inf_high, china, russia)
    return lo_s[..., economy] - hi_s[..., security], hi_s[..., economy] - lo_s[..., security]


def regional_capability(influence: np.ndarray, china: int = CHN, russia: int = RUS) -> np.ndarray:
    """Each patron's capability in the region per domain: sum of its influence over the
    targets where both China and Russia are measured (paired, so missing data does not
    favour either). Returns (..., patron, domain)."""
    both = ~np.isnan(influence[..., china, :, :]) & ~np.isnan(influence[..., russia, :, :])
    both = np.expand_dims(both, axis=-3)
    vals = np.where(both & ~np.isnan(influence), influence, 0.0)
    counted = (both & ~np.isnan(influence)).any(axis=-2)
    return np.where(counted, vals.sum(axis=-2), np.nan)


def parity_ratio(capability: np.ndarray, challenger: int = CHN, leader: int = RUS) -> np.ndarray:
    """Challenger's capability over the leader's, per domain: (..., domain)."""
    c, r = capability[..., challenger, :], capability[..., leader, :]
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(r > 0, c / r, np.where(c > 0, np.inf, np.nan))


def transition_zone(ratio: np.ndarray, band: tuple[float, float] = DEFAULT_PARITY_BAND) -> np.ndarray:
    """Zone of the parity ratio r = China/Russia (per domain), as integers:

    -2 Russian preponderance (r < band low), -1 China approaching (band low <= r < band
    high), 0 parity (band high <= r <= 1/band high), 1 Russia approaching from below
    (1/band high < r <= 1/band low), 2 Chinese preponderance (r > 1/band low); NaN stays NaN.
    """
    lo, hi = band
    r = np.asarray(ratio, dtype=float)
    z = np.select([r < lo, r < hi, r <= 1 / hi, r <= 1 / lo], [-2.0, -1.0, 0.0, 1.0], 2.0)
    return np.where(np.isnan(r), np.nan, z)


def dissatisfaction(influence: np.ndarray, china: int = CHN, russia: int = RUS,
                    security: int = SECURITY, economy: int = ECONOMY) -> np.ndarray:
    """China's dissatisfaction with the regional order, in [0, 1]: (...).

    Power-transition theory's dissatisfied challenger is one whose stake in the system
    exceeds its say in how it is run. Measured regionally: China's share of the
    China+Russia capability in the economy (its stake) minus its share in security
    (its say over order), clipped at 0.
    """
    cap = regional_capability(influence, china, russia)
    s = pair_share(cap[..., china, :], cap[..., russia, :])
    return np.clip(s[..., economy] - s[..., security], 0.0, None)


def encroachment(influence_years: np.ndarray, china: int = CHN, russia: int = RUS) -> np.ndarray:
    """Each one's gains in the domain the other leads, per year: (..., year).

    For each year and domain, the leader is the patron with the larger regional
    capability the year before; the other's gain is the rise of its share of the
    China+Russia capability in that domain since the year before (0 if it fell). The
    value is the mean over domains of those gains (first year: NaN).
    """
    cap = regional_capability(influence_years, china, russia)           # (..., Y, P, D)
    s = pair_share(cap[..., china, :], cap[..., russia, :])                # China's share (..., Y, D)
    prev = s[..., :-1, :]
    now = s[..., 1:, :]
    china_leads_before = prev > 0.5
    gain = np.where(china_leads_before, prev - now, now - prev)           # Russia's gain where China led
    gain = np.clip(gain, 0.0, None)
    gain = np.where(np.isnan(prev) | np.isnan(now), np.nan, gain)
    n = (~np.isnan(gain)).sum(axis=-1)
    with np.errstate(invalid="ignore", divide="ignore"):
        g = np.where(n > 0, np.where(np.isnan(gain), 0.0, gain).sum(axis=-1) / n, np.nan)
    first = np.full(g.shape[:-1] + (1,), np.nan)
    return np.concatenate([first, g], axis=-1)


def corridor_competition(bandwidth: np.ndarray, china: int = CHN, russia: int = RUS,
                         connectivity: int = CONNECTIVITY) -> np.ndarray:
    """Overlap of China's and Russia's connectivity ties over the targets, in [0, 1]: (...).

    ``sum_t min(b_CHN, b_RUS) / sum_t max(b_CHN, b_RUS)`` over targets where both are
    measured: 1 when both are equally present in every state's routes (competing
    corridors), 0 when their corridors serve different states.
    """
    c = bandwidth[..., china, :, connectivity]
    r = bandwidth[..., russia, :, connectivity]
    both = ~np.isnan(c) & ~np.isnan(r)
    mn = np.where(both, np.minimum(c, r), 0.0).sum(axis=-1)
    mx = np.where(both, np.maximum(c, r), 0.0).sum(axis=-1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(mx > 0, mn / mx, np.nan)


def expert_balance(n_competition, n_cooperation) -> np.ndarray:
    """(competition − cooperation) / (competition + cooperation) in [-1, 1]; NaN without quotes."""
    a = np.asarray(n_competition, dtype=float)
    b = np.asarray(n_cooperation, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(a + b > 0, (a - b) / (a + b), np.nan)


def friction_index(encroach, corridor, balance, weights: np.ndarray = DEFAULT_FRICTION_WEIGHTS) -> np.ndarray:
    """China–Russia friction in [0, 1]: weighted mean of the available parts.

    Parts: encroachment (scaled by 10 and capped at 1: a 10-point share gain in a year is
    full friction), corridor competition (0..1), expert balance mapped to 0..1
    ((b + 1) / 2). Missing parts are left out and the weights renormalised.
    """
    parts = np.stack(np.broadcast_arrays(np.clip(np.asarray(encroach, float) * 10.0, 0.0, 1.0),
                                         np.asarray(corridor, float),
                                         (np.asarray(balance, float) + 1.0) / 2.0), axis=-1)
    return overall_influence(parts, weights)
