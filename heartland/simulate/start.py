"""The start world of a simulation: ties per (patron, target, domain) at one year.

Two sources:

* ``bundled`` — the world built by :mod:`heartland.world` from curated data and evidence,
  at its latest year (the default as soon as the world stage provides it);
* ``builtin`` — a small illustrative 2023 state written here, used in tests and as a
  fallback. Its numbers are *judgement informed by the seeds' figures* (over 70% of the
  region's arms and over 90% of Kazakhstan's from Russia, seed 002; China the leading
  trade partner, USD 89.4 bn in 2023, seed 002; Chinese border posts and a police base in
  Tajikistan, seed 000), not a curated dataset, and docs/simulate.md says so.

Both give bandwidth and dependence with (low, high) bounds; each run of an ensemble
draws its own start uniformly inside the bounds, so uncertainty in the world becomes a
band in the outcomes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np

from heartland.errors import UserError
from heartland.world.axes import DOMAINS, PATRONS, TARGETS

P, T, D = len(PATRONS), len(TARGETS), len(DOMAINS)


@dataclass
class StartWorld:
    year: int
    bandwidth: np.ndarray  # (P, T, D) in [0, 1]
    dependence: np.ndarray  # (P, T, D) in [0, 1], per (target, domain) summing to <= 1
    bandwidth_low: np.ndarray
    bandwidth_high: np.ndarray
    dependence_low: np.ndarray
    dependence_high: np.ndarray
    #: alliance[p, t] = 1 when p leads a mutual-defence alliance t belongs to (CSTO)
    alliance: np.ndarray = field(default_factory=lambda: np.zeros((P, T)))
    #: economic union led by the patron (EAEU) — where gas-price leverage applies
    union: np.ndarray = field(default_factory=lambda: np.zeros((P, T)))
    source: str = "builtin"
    #: (P, T, D) ground of each start cell: data / evidence (the world's) or prior (filled)
    ground: np.ndarray | None = None

    def sample(self, rng: np.random.Generator, runs: int) -> tuple[np.ndarray, np.ndarray]:
        """Draw (bandwidth, dependence) per run uniformly inside the bounds, shares renormalised."""
        u = rng.uniform(0.0, 1.0, (2, runs, P, T, D))
        b = self.bandwidth_low + u[0] * (self.bandwidth_high - self.bandwidth_low)
        s = self.dependence_low + u[1] * (self.dependence_high - self.dependence_low)
        return np.clip(b, 0.0, 1.0), normalise_shares(np.clip(s, 0.0, 1.0))


def normalise_shares(s: np.ndarray, max_total: float = 0.98) -> np.ndarray:
    """Scale a target's shares in a domain down when they add up to more than ``max_total``.

    Some outside reliance is always left to the target itself or to actors outside the
    model; keeping 2% back also keeps the logit calibration finite.
    """
    total = s.sum(axis=-3, keepdims=True)
    scale = np.where(total > max_total, max_total / np.maximum(total, 1e-12), 1.0)
    return s * scale


# --- the builtin illustrative 2023 state -----------------------------------------------------
# dependence[domain][target] = shares of (CHN, RUS, USA, EUU, TUR, IND)
_DEP = {
    "security": {
        "KAZ": (0.05, 0.85, 0.03, 0.02, 0.03, 0.00),  # >90% of Kazakhstan's arms from Russia (seed 002)
        "KGZ": (0.08, 0.75, 0.03, 0.02, 0.05, 0.00),  # CSTO member, Russian base at Kant
        "TJK": (0.20, 0.60, 0.05, 0.02, 0.02, 0.02),  # Chinese border posts, police base (seed 000)
        "TKM": (0.10, 0.30, 0.05, 0.05, 0.20, 0.00),  # neutral, outside the CSTO
        "UZB": (0.10, 0.50, 0.08, 0.03, 0.10, 0.02),  # left the CSTO in 2012
    },
    "economy": {  # China the largest trade partner of the five (seed 002)
        "KAZ": (0.30, 0.25, 0.05, 0.25, 0.04, 0.01),
        "KGZ": (0.40, 0.30, 0.02, 0.05, 0.06, 0.01),
        "TJK": (0.40, 0.25, 0.02, 0.04, 0.06, 0.01),  # most foreign investment from China (seed 003)
        "TKM": (0.60, 0.08, 0.02, 0.05, 0.12, 0.01),  # gas to China (seed 001)
        "UZB": (0.30, 0.22, 0.02, 0.08, 0.07, 0.01),
    },
    "connectivity": {
        "KAZ": (0.35, 0.45, 0.02, 0.05, 0.05, 0.01),
        "KGZ": (0.40, 0.40, 0.01, 0.03, 0.04, 0.01),
        "TJK": (0.40, 0.35, 0.02, 0.03, 0.04, 0.02),
        "TKM": (0.40, 0.20, 0.02, 0.05, 0.15, 0.03),
        "UZB": (0.35, 0.35, 0.02, 0.05, 0.08, 0.02),
    },
    "politics": {
        "KAZ": (0.25, 0.40, 0.08, 0.10, 0.08, 0.02),
        "KGZ": (0.25, 0.50, 0.05, 0.05, 0.06, 0.01),
        "TJK": (0.30, 0.45, 0.04, 0.04, 0.04, 0.02),
        "TKM": (0.30, 0.25, 0.04, 0.06, 0.15, 0.02),
        "UZB": (0.25, 0.35, 0.08, 0.08, 0.10, 0.02),
    },
    "society": {  # labour migration, language, media
        "KAZ": (0.10, 0.60, 0.05, 0.05, 0.08, 0.01),
        "KGZ": (0.08, 0.70, 0.03, 0.03, 0.08, 0.01),
        "TJK": (0.08, 0.70, 0.02, 0.02, 0.05, 0.01),
        "TKM": (0.05, 0.40, 0.02, 0.03, 0.25, 0.01),
        "UZB": (0.07, 0.55, 0.04, 0.04, 0.12, 0.01),
    },
}
# relative size of each target's external ties (bandwidth scale), judgement
_SIZE = {"KAZ": 1.0, "KGZ": 0.45, "TJK": 0.45, "TKM": 0.6, "UZB": 0.8}
CSTO_MEMBERS = ("KAZ", "KGZ", "TJK")  # Uzbekistan suspended in 2012; Turkmenistan neutral
EAEU_MEMBERS = ("KAZ", "KGZ")


def builtin_start(year: int = 2023, rel_uncertainty: float = 0.2) -> StartWorld:
    dep = np.zeros((P, T, D))
    for d, dom in enumerate(DOMAINS):
        for t, tgt in enumerate(TARGETS):
            dep[:, t, d] = _DEP[dom][tgt]
    size = np.array([_SIZE[t] for t in TARGETS])
    bw = np.clip(dep * size[None, :, None] * 1.1, 0.0, 1.0)
    alliance = np.zeros((P, T))
    union = np.zeros((P, T))
    r = PATRONS.index("RUS")
    for tgt in CSTO_MEMBERS:
        alliance[r, TARGETS.index(tgt)] = 1.0
    for tgt in EAEU_MEMBERS:
        union[r, TARGETS.index(tgt)] = 1.0
    lo, hi = 1 - rel_uncertainty, 1 + rel_uncertainty
    return StartWorld(
        year=year, bandwidth=bw, dependence=dep,
        bandwidth_low=bw * lo, bandwidth_high=np.clip(bw * hi, 0, 1),
        dependence_low=dep * lo, dependence_high=np.clip(dep * hi, 0, 1),
        alliance=alliance, union=union, source="builtin",
    )


def bundled_start(year: int | None = None, db=None) -> StartWorld:
    """The world stage's bundled world at ``year`` (default: its latest year with evidence),
    built from the curated data and, when ``db`` (a store file) is given, its evidence.

    Cells the world leaves unknown (NaN: no published figure) are filled from the builtin
    illustrative state with a wider band (x0.5 .. x1.5), so every run starts from a full
    state; ``source`` says how many cells were filled, and docs/simulate.md says why.
    """
    return _bundled_start(year, None if db is None else str(db))


@lru_cache(maxsize=8)
def _bundled_start(year: int | None, db: str | None) -> StartWorld:
    try:
        from heartland.world import simulation_start
    except ImportError:  # pragma: no cover - the world stage ships with the package
        sw = builtin_start(year or 2023)
        sw.source = "builtin (the world stage is not available)"
        return sw
    sw = merge_world(simulation_start(year, db=db))
    if db is not None:
        sw.source += f" + store {Path(db).name}"
    return sw


def merge_world(w, prior: StartWorld | None = None) -> StartWorld:
    """World arrays (NaN = unknown) over a prior; shares renormalised per (target, domain).

    The prior is ``prior``, else the world's year prior (``w.prior``, heartland.world.prior:
    nothing known only after the year), else the builtin illustrative state."""
    prior = prior or getattr(w, "prior", None) or builtin_start(int(w.year), rel_uncertainty=0.5)

    def arr(name):
        a = np.asarray(getattr(w, name), dtype=float)
        if a.shape != (P, T, D):
            raise UserError(f"world array {name} has shape {a.shape}, expected {(P, T, D)}")
        return a

    out = {}
    unknown = np.zeros((P, T, D), dtype=bool)
    for name in ("bandwidth", "dependence"):
        lo, hi = arr(f"{name}_low"), arr(f"{name}_high")
        miss = np.isnan(lo) | np.isnan(hi)
        unknown |= miss
        p_lo, p_hi = getattr(prior, f"{name}_low"), getattr(prior, f"{name}_high")
        lo = np.clip(np.where(miss, p_lo, lo), 0.0, 1.0)
        hi = np.clip(np.where(miss, p_hi, hi), 0.0, 1.0)
        out[name] = (np.minimum(lo, hi), np.maximum(lo, hi))
    b_lo, b_hi = out["bandwidth"]
    s_lo, s_hi = out["dependence"]
    alliance = prior.alliance if getattr(w, "alliance", None) is None else np.nan_to_num(np.asarray(w.alliance, float))
    union = prior.union if getattr(w, "union", None) is None else np.nan_to_num(np.asarray(w.union, float))
    wg = getattr(w, "ground", None)
    ground = np.where(unknown, "prior", np.asarray(wg, dtype=object) if wg is not None else "data").astype(object)
    what = "the year's prior" if getattr(prior, "basis", None) is not None else "the builtin prior"
    return StartWorld(
        year=int(w.year), bandwidth=(b_lo + b_hi) / 2, dependence=normalise_shares((s_lo + s_hi) / 2),
        bandwidth_low=b_lo, bandwidth_high=b_hi, dependence_low=s_lo, dependence_high=s_hi,
        alliance=alliance, union=union,
        source=f"bundled world {int(w.year)} ({int(unknown.sum())} of {unknown.size} cells from {what})",
        ground=ground,
    )


def load_start(kind: str, year: int | None = None, db=None) -> StartWorld:
    if kind == "builtin":
        return builtin_start(year or 2023)
    if kind == "bundled":
        return bundled_start(year, db)
    raise UserError(f"unknown start world {kind!r} (use 'bundled' or 'builtin')")
