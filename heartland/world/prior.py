"""Year-specific priors: what the simulation's start uses for a cell the world leaves unknown.

A prior for year Y uses nothing known only after Y. For a (patron, target, domain)
cell without a figure in Y, in this order (the first that applies):

1. ``carried``: the cell's own value in the latest earlier year of the world that has
   one (older than the precedence rule's carry window, so the world itself no longer
   uses it), its band widened by ``widen`` on each side;
2. ``judgement``: from ``JUDGEMENT_YEAR`` (2023) on, the builtin illustrative state of
   heartland.simulate.start (a judgement written with the seeds' figures of 2023-2024;
   docs/simulate.md), widened the same way; never for an earlier year;
3. ``cross-section``: the range of the same patron's values in the same domain for the
   other four states in Y;
4. ``domain``: the range of every measured cell of the domain in Y;
5. ``none``: nothing known: bandwidth and dependence anywhere in [0, 1].

Every prior-filled cell keeps its basis (``basis``), so the start, the dashboard and the
report can say where the number came from (docs/data.md).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from heartland.world.axes import DOMAINS, PATRONS, TARGETS

JUDGEMENT_YEAR = 2023
BASES = ("carried", "judgement", "cross-section", "domain", "none")


@dataclass
class YearPrior:
    """Bounds per (patron, target, domain) for year ``year`` and the basis of each cell.

    Has the attributes the simulation's start reads from a prior (``*_low``/``*_high``,
    ``alliance``, ``union``), so heartland.simulate.start.merge_world can fill from it."""

    year: int
    bandwidth_low: np.ndarray
    bandwidth_high: np.ndarray
    dependence_low: np.ndarray
    dependence_high: np.ndarray
    basis: np.ndarray
    alliance: np.ndarray
    union: np.ndarray
    source: str = "year prior"


def year_prior(world, year: int, widen: float = 0.5) -> YearPrior:
    """The prior of ``year`` from ``world`` (built as of ``year`` or later: only years up to
    ``year`` are read)."""
    from heartland.world.build import world_arrays

    y = int(year)
    shape = (len(PATRONS), len(TARGETS), len(DOMAINS))
    now = world_arrays(world, y)
    out = {k: np.full(shape, np.nan) for k in ("bandwidth_low", "bandwidth_high", "dependence_low",
                                              "dependence_high")}
    basis = np.full(shape, "", dtype=object)
    missing = np.isnan(now.bandwidth_low) | np.isnan(now.dependence_low)

    def fill(mask, name, lo, hi, why):
        m = mask & np.isnan(out[f"{name}_low"]) & ~np.isnan(lo) & ~np.isnan(hi)
        out[f"{name}_low"][m] = np.clip(lo[m], 0.0, 1.0)
        out[f"{name}_high"][m] = np.clip(hi[m], 0.0, 1.0)
        basis[m & (basis == "")] = why

    # 1. The cell's own latest earlier value (years before y only).
    for prev in sorted((yy for yy in world.years if yy < y), reverse=True):
        a = world_arrays(world, prev)
        for name in ("bandwidth", "dependence"):
            lo, hi = getattr(a, f"{name}_low"), getattr(a, f"{name}_high")
            fill(missing, name, lo * (1 - widen), hi * (1 + widen), "carried")
    # 2. The 2023 judgement, only for years it can speak for.
    if y >= JUDGEMENT_YEAR:
        from heartland.simulate.start import builtin_start

        j = builtin_start(y, rel_uncertainty=widen)
        for name in ("bandwidth", "dependence"):
            fill(missing, name, getattr(j, f"{name}_low"), getattr(j, f"{name}_high"), "judgement")
    # 3-4. Ranges of what year y measured: the patron's other targets, then the domain.
    for name in ("bandwidth", "dependence"):
        lo, hi = getattr(now, f"{name}_low"), getattr(now, f"{name}_high")
        with np.errstate(all="ignore"), _quiet():
            p_lo = np.broadcast_to(np.nanmin(lo, axis=1, keepdims=True), shape)
            p_hi = np.broadcast_to(np.nanmax(hi, axis=1, keepdims=True), shape)
            d_lo = np.broadcast_to(np.nanmin(lo, axis=(0, 1), keepdims=True), shape)
            d_hi = np.broadcast_to(np.nanmax(hi, axis=(0, 1), keepdims=True), shape)
        fill(missing, name, p_lo, p_hi, "cross-section")
        fill(missing, name, d_lo, d_hi, "domain")
        fill(missing, name, np.zeros(shape), np.ones(shape), "none")
    # A cell is prior-filled as a whole: when either side was missing, both come from the
    # prior's bases above, and the basis names the first one used.
    for name in ("bandwidth", "dependence"):
        keep = ~missing
        out[f"{name}_low"][keep] = getattr(now, f"{name}_low")[keep]
        out[f"{name}_high"][keep] = getattr(now, f"{name}_high")[keep]
    basis[~missing] = ""
    n = {b: int((basis == b).sum()) for b in BASES}
    src = f"year prior {y}: " + ", ".join(f"{k} {v}" for k, v in n.items() if v)
    return YearPrior(year=y, basis=basis, alliance=now.alliance, union=now.union, source=src, **out)


class _quiet:
    """Silence numpy's all-NaN slice warnings (an all-NaN slice is simply 'nothing known')."""

    def __enter__(self):
        import warnings

        self._w = warnings.catch_warnings()
        self._w.__enter__()
        warnings.simplefilter("ignore", RuntimeWarning)

    def __exit__(self, *exc):
        return self._w.__exit__(*exc)
