"""Compute every index for a built world and a span of years.

    from heartland.world import build_world
    from heartland.measure import compute_indices
    idx = compute_indices(build_world(db, "2024-12-31"), years=range(2015, 2025))
    idx.influence        # patron, target, domain (incl. "overall"), year, low, high, mid
    idx.division_of_labour, idx.transition, idx.friction

All arithmetic is done by the array functions of :mod:`heartland.measure.indices` on the
world's (year, patron, target, domain) arrays; this module only labels the results.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from heartland.errors import UserError
from heartland.measure import indices as ix
from heartland.world.axes import DOMAINS, PATRONS, TARGETS

ZONE_NAMES = {-2.0: "russian preponderance", -1.0: "china approaching parity", 0.0: "parity",
              1.0: "russia approaching parity", 2.0: "chinese preponderance"}


@dataclass(frozen=True)
class MeasureParams:
    """Named parameters of the measures (defaults and meaning in docs/measure.md)."""

    domain_weights: tuple[float, ...] = tuple(ix.DEFAULT_DOMAIN_WEIGHTS)
    parity_band: tuple[float, float] = ix.DEFAULT_PARITY_BAND
    friction_weights: tuple[float, ...] = tuple(ix.DEFAULT_FRICTION_WEIGHTS)


@dataclass
class Indices:
    years: tuple[int, ...]
    influence: pd.DataFrame
    division_of_labour: pd.DataFrame
    transition: pd.DataFrame
    dissatisfaction: pd.DataFrame
    friction: pd.DataFrame
    params: MeasureParams = field(default_factory=MeasureParams)

    def value(self, patron: str, target: str, domain: str, year: int) -> dict:
        f = self.influence
        m = f[(f.patron == patron) & (f.target == target) & (f.domain == domain) & (f.year == year)]
        if m.empty:
            raise KeyError((patron, target, domain, year))
        return m.iloc[0].to_dict()

    def dol(self, target: str, year: int) -> dict:
        f = self.division_of_labour
        return f[(f.target == target) & (f.year == year)].iloc[0].to_dict()


def _quotes_balance(quotes: pd.DataFrame, years) -> tuple[np.ndarray, np.ndarray]:
    """Counts of expert claims supporting competition and cooperation per year."""
    comp = np.zeros(len(years))
    coop = np.zeros(len(years))
    if quotes is None or quotes.empty:
        return comp, coop
    stance_col = next((c for c in ("stance", "asserts", "position", "label") if c in quotes.columns), None)
    date_col = next((c for c in ("published", "date", "said_on") if c in quotes.columns), None)
    if stance_col is None or date_col is None:
        return comp, coop
    yi = {y: i for i, y in enumerate(years)}
    for s, d in zip(quotes[stance_col], pd.to_datetime(quotes[date_col], errors="coerce", utc=True)):
        if pd.isna(d) or d.year not in yi:
            continue
        s = str(s or "").lower()
        if "compet" in s or "conflict" in s or "rival" in s:
            comp[yi[d.year]] += 1
        elif "cooperat" in s or "coordinat" in s or "complement" in s:
            coop[yi[d.year]] += 1
    return comp, coop


def _table(axes: list[tuple[str, tuple]], **cols: np.ndarray) -> pd.DataFrame:
    """A flat table with one row per element of the product of ``axes`` (C order) and the
    given arrays (shaped like that product) as columns: no index joins."""
    shape = tuple(len(v) for _, v in axes)
    grids = np.meshgrid(*[np.arange(n) for n in shape], indexing="ij")
    out = {k: np.asarray(v)[g.reshape(-1)] for (k, v), g in zip(axes, grids)}
    for k, v in cols.items():
        out[k] = np.asarray(v, dtype=float).reshape(-1)
    return pd.DataFrame(out)


def compute_indices(world, years=None, params: MeasureParams = MeasureParams()) -> Indices:
    """Influence per dyad, domain and year (with overall), division of labour, transition, friction."""
    years = tuple(world.years if years is None else sorted(int(y) for y in years))
    bad = [y for y in years if y not in world.years]
    if bad:
        raise UserError(f"years {bad} are outside the world's years {world.years[0]}-{world.years[-1]}")
    sel = [world.years.index(y) for y in years]
    a = {k: v[sel] for k, v in world.arrays.items()}
    lo, hi = ix.influence_interval(a["bandwidth_low"], a["bandwidth_high"], a["dependence_low"], a["dependence_high"])
    w = np.asarray(params.domain_weights, dtype=float)
    ov_lo, ov_hi = ix.overall_influence(lo, w), ix.overall_influence(hi, w)
    fb_lo = ix.fbic_aggregate(a["bandwidth_low"], a["dependence_low"], w)
    fb_hi = ix.fbic_aggregate(a["bandwidth_high"], a["dependence_high"], w)
    axes = [("year", years), ("patron", PATRONS), ("target", TARGETS)]
    dom = axes + [("domain", DOMAINS)]
    inf = _table(dom, low=lo, high=hi, bandwidth_low=a["bandwidth_low"], bandwidth_high=a["bandwidth_high"],
                 dependence_low=a["dependence_low"], dependence_high=a["dependence_high"])
    ov = _table(axes, low=ov_lo, high=ov_hi).assign(domain="overall")
    fb = _table(axes, low=fb_lo, high=fb_hi).assign(domain="fbic")
    influence = pd.concat([inf, ov, fb], ignore_index=True)
    influence["mid"] = (influence["low"] + influence["high"]) / 2
    # C5 (the five together) from the world's C5 ties, same formula.
    c5 = world.ties[(world.ties.target == "C5") & world.ties.year.isin(years)].copy()
    if not c5.empty:
        c5["low"] = ix.domain_influence(c5["bandwidth_low"].to_numpy(), c5["dependence_low"].to_numpy())
        c5["high"] = ix.domain_influence(c5["bandwidth_high"].to_numpy(), c5["dependence_high"].to_numpy())
        c5["mid"] = (c5["low"] + c5["high"]) / 2
        influence = pd.concat([influence, c5[["year", "patron", "target", "domain", "low", "high", "mid",
                                              "bandwidth_low", "bandwidth_high", "dependence_low",
                                              "dependence_high"]]], ignore_index=True)
    influence = influence[["patron", "target", "domain", "year", "low", "mid", "high", "bandwidth_low",
                           "bandwidth_high", "dependence_low", "dependence_high"]]

    # Division of labour per target (and for C5 from the C5 ties).
    d_lo, d_hi = ix.division_of_labour_interval(lo, hi)
    mid = (lo + hi) / 2
    d_mid = ix.division_of_labour(mid)
    dol = _table([("year", years), ("target", TARGETS)], low=d_lo, mid=d_mid, high=d_hi)
    if not c5.empty:
        # The C5 ties as (year, patron, 1, domain) arrays, then the same function.
        piv = c5.pivot_table(index=["year", "patron"], columns="domain", values=["low", "high"], dropna=False)
        full = pd.MultiIndex.from_product([years, PATRONS], names=["year", "patron"])
        L = piv["low"].reindex(index=full, columns=list(DOMAINS)).to_numpy().reshape(len(years), len(PATRONS), 1, -1)
        H = piv["high"].reindex(index=full, columns=list(DOMAINS)).to_numpy().reshape(len(years), len(PATRONS), 1, -1)
        l, h = ix.division_of_labour_interval(L, H)
        m = ix.division_of_labour((L + H) / 2)
        dol = pd.concat([dol, pd.DataFrame({"year": years, "target": "C5", "low": l[:, 0], "mid": m[:, 0],
                                            "high": h[:, 0]})], ignore_index=True)
    dol = dol[["target", "year", "low", "mid", "high"]]

    # Power transition per domain, and China's dissatisfaction.
    cap_lo, cap_hi = ix.regional_capability(lo), ix.regional_capability(hi)
    cap_mid = ix.regional_capability(mid)
    r_lo = ix.parity_ratio(np.stack([cap_lo[..., ix.CHN, :], cap_hi[..., ix.RUS, :]], axis=-2), 0, 1)
    r_hi = ix.parity_ratio(np.stack([cap_hi[..., ix.CHN, :], cap_lo[..., ix.RUS, :]], axis=-2), 0, 1)
    r_mid = ix.parity_ratio(cap_mid)
    zone = ix.transition_zone(r_mid, params.parity_band)
    tr = _table([("year", years), ("domain", DOMAINS)], ratio_low=r_lo, ratio=r_mid, ratio_high=r_hi,
                zone_code=zone, china_capability=cap_mid[..., ix.CHN, :], russia_capability=cap_mid[..., ix.RUS, :])
    tr["zone"] = tr["zone_code"].map(ZONE_NAMES)
    tr["band_low"], tr["band_high"] = params.parity_band
    dis = pd.DataFrame({"year": years, "low": np.nan, "mid": ix.dissatisfaction(mid), "high": np.nan})
    # Bounds: China's economy share low with security share high, and vice versa.
    s_lo = ix.pair_share(cap_lo[..., ix.CHN, :], cap_hi[..., ix.RUS, :])
    s_hi = ix.pair_share(cap_hi[..., ix.CHN, :], cap_lo[..., ix.RUS, :])
    dis["low"] = np.clip(s_lo[..., ix.ECONOMY] - s_hi[..., ix.SECURITY], 0, None)
    dis["high"] = np.clip(s_hi[..., ix.ECONOMY] - s_lo[..., ix.SECURITY], 0, None)

    # Friction per year.
    enc = ix.encroachment(mid)
    bw_mid = (a["bandwidth_low"] + a["bandwidth_high"]) / 2
    cor = ix.corridor_competition(bw_mid)
    n_comp, n_coop = _quotes_balance(getattr(world, "quotes", None), years)
    bal = ix.expert_balance(n_comp, n_coop)
    fr = ix.friction_index(enc, cor, bal, np.asarray(params.friction_weights, dtype=float))
    friction = pd.DataFrame({"year": years, "encroachment": enc, "corridor_competition": cor,
                             "quotes_competition": n_comp.astype(int), "quotes_cooperation": n_coop.astype(int),
                             "expert_balance": bal, "friction": fr})
    return Indices(years=years, influence=influence.reset_index(drop=True), division_of_labour=dol,
                   transition=tr, dissatisfaction=dis, friction=friction, params=params)
