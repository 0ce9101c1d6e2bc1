"""Evidence precedence: how several items for the same tie component become one interval.

The rule (documented with examples in docs/world.md, tested in tests/world):

1. **Window.** The value of (patron, target, indicator) in year Y is built from items
   whose year lies in ``[Y - carry_years, Y]``. A share given over a period
   (``2019-2023``) is an average over it and speaks for every year of the period; other
   figures speak only for their own year.
2. **Recency.** Figures for Y itself come first; an earlier year's figures are carried
   forward only when Y has none (the latest such year wins), and the result records the
   year it came from (``year_used``).
3. **Source kind.** Among the items of that year each gets a tier: imported ``dataset``
   rows 4, ``curated`` entries 3, ``derived`` items 2, extracted ``fact`` items 1, plus
   0.5 for a fact corroborated by at least ``min_corroboration`` articles. Only the
   highest tier present sets the value; for the same source and year, the most recently
   published item wins (a revision supersedes the figure it revises).
4. **Intersection.** The remaining items' intervals are intersected (open bounds are
   the indicator's natural bounds: 0 below, 1 above for shares, +inf otherwise). A
   non-empty intersection is the value: every item agrees with it.
5. **Union on conflict.** An empty intersection means the sources disagree: the value
   is the union hull (min low, max high) and ``conflict`` is set.
6. **Everything stays visible.** Every other item in the window is kept as
   ``supporting`` (its interval meets the value), ``superseded`` (an earlier year's
   figure that differs: values move over time, that is no conflict) or ``conflicting``
   (same year, different value; the component is then ``disputed``). Nothing is dropped.

An upper bound left open (only "more than x" known) is carried as ``high = low`` for the
arithmetic and flagged ``open_high``; it is never filled with a guess.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

KIND_TIER = {"dataset": 4.0, "curated": 3.0, "derived": 2.0, "fact": 1.0}


@dataclass(frozen=True)
class PrecedenceParams:
    carry_years: int = 2
    min_corroboration: int = 2


def _bounds(df: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    share = (df["unit"] == "share").to_numpy()
    lo = df["low"].to_numpy(dtype=float)
    hi = df["high"].to_numpy(dtype=float)
    lo = np.where(np.isnan(lo), 0.0, lo)
    hi = np.where(np.isnan(hi), np.where(share, 1.0, np.inf), hi)
    return lo, hi


def combine(evidence: pd.DataFrame, years, params: PrecedenceParams = PrecedenceParams()
            ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Apply the rule for every (patron, target, indicator) and every year in ``years``.

    Returns ``(components, roles)``: ``components`` has one row per
    (patron, target, indicator, year) with ``low``, ``high``, ``unit``, ``year_used``,
    ``conflict``, ``disputed``, ``open_high``, ``n_used``, ``n_items``; ``roles`` has one row
    per (item, year) with the item's ``eid`` and its ``role`` (used / supporting /
    conflicting), so explain can list every source behind a number.
    """
    years = np.asarray(sorted(set(int(y) for y in years)), dtype=int)
    cols = ["patron", "target", "indicator", "year", "low", "high", "unit", "year_used", "conflict",
            "disputed", "open_high", "n_used", "n_items"]
    if evidence.empty or len(years) == 0:
        return pd.DataFrame(columns=cols), pd.DataFrame(columns=["eid", "patron", "target", "indicator",
                                                                 "year", "role"])
    ev = evidence.reset_index(drop=True)
    lo, hi = _bounds(ev)
    kind = ev["kind"].to_numpy()
    year = ev["year"].to_numpy(dtype=int)
    unit = ev["unit"].to_numpy()
    # Integer codes: one per (patron, target, indicator); one per revision source.
    triple = ["patron", "target", "indicator"]
    gcode = ev.groupby(triple, sort=False, dropna=False).ngroup().to_numpy()
    gtab = ev[triple].drop_duplicates().to_numpy(dtype=object)   # row g = group g (first-seen order)
    # Revisions are judged per publisher for datasets and curated entries; two articles
    # are two reports, never a revision of each other.
    is_fact = kind == "fact"
    scode = np.empty(len(ev), dtype=np.int64)
    scode[is_fact] = -1 - np.arange(int(is_fact.sum()))
    if (~is_fact).any():
        scode[~is_fact] = pd.factorize(ev.loc[~is_fact, "source"].fillna("").astype(object).to_numpy())[0]
    tier = ev["kind"].map(KIND_TIER).fillna(0.0).to_numpy() + np.where(
        (kind == "fact") & (ev["corroboration"].to_numpy() >= params.min_corroboration), 0.5, 0.0)
    pub = ev["published"].to_numpy(dtype="datetime64[ns]").astype("int64")  # NaT is the smallest
    # Window: each item covers the years from its start to its year + carry_years. A share
    # over a period ("2019-2023") is an average over it and covers every year in it;
    # any other figure covers only its own year (a cumulative sum to 2020 is not the
    # sum to 2015).
    start = year.copy()
    ps = np.full(len(ev), np.nan)
    has_period = (ev["period"].notna() & (ev["unit"] == "share")).to_numpy()
    if has_period.any():
        per = ev.loc[has_period, "period"].astype(str).str.extract(r"^(\d{4})\s*[-–]\s*(\d{4})$")
        ps[has_period] = pd.to_numeric(per[0], errors="coerce").to_numpy()
    use = ~np.isnan(ps) & (ps < start)
    start[use] = ps[use].astype(int)
    n = year + params.carry_years - start + 1
    rep = np.repeat(np.arange(len(ev)), n)
    ty = start[rep] + (np.arange(len(rep)) - np.repeat(np.cumsum(n) - n, n))
    keep = np.isin(ty, years)
    rep, ty = rep[keep], ty[keep]
    if len(rep) == 0:
        return pd.DataFrame(columns=cols), pd.DataFrame(columns=["eid", "patron", "target", "indicator",
                                                                 "year", "role"])
    y0 = int(years.min())
    k = gcode[rep].astype(np.int64) * 4096 + (ty - y0)
    c = pd.DataFrame({"i": rep, "k": k, "ty": ty, "tier": tier[rep], "year": year[rep],
                      "eff": np.minimum(ty, year[rep]), "lo": lo[rep], "hi": hi[rep], "src": scode[rep],
                      "pub": pub[rep]})
    # Recency (a year's own figures before carried ones), then source kind.
    sel = c[c["eff"].to_numpy() == c.groupby("k", sort=False)["eff"].transform("max").to_numpy()]
    sel = sel[sel["tier"].to_numpy() == sel.groupby("k", sort=False)["tier"].transform("max").to_numpy()]
    revisable = sel[["i", "ty"]]
    # Revisions: same source and year, keep the latest publication.
    sel = sel.sort_values("pub", kind="stable").drop_duplicates(["k", "src", "year", "lo", "hi"], keep="last")
    sel = sel[~sel.duplicated(["k", "src", "year"], keep="last")]
    gs = sel.groupby("k", sort=True)
    comp = gs.agg(ilo=("lo", "max"), ihi=("hi", "min"), ulo=("lo", "min"), uhi=("hi", "max"),
                  first=("i", "first"), year_used=("eff", "max"), n_used=("i", "size")).reset_index()
    conflict = comp["ilo"].to_numpy() > comp["ihi"].to_numpy() + 1e-12
    # Intervals that touch within the tolerance intersect in a point: keep low <= high.
    ilo, ihi = comp["ilo"].to_numpy(), comp["ihi"].to_numpy()
    comp["low"] = np.where(conflict, comp["ulo"], np.minimum(ilo, ihi))
    comp["high"] = np.where(conflict, comp["uhi"], np.maximum(ilo, ihi))
    comp["conflict"] = conflict
    # Open upper bound: carried at the lower bound (flagged), never guessed.
    inf = np.isinf(comp["high"].to_numpy())
    comp["open_high"] = inf
    comp.loc[inf, "high"] = comp.loc[inf, "low"]
    # Roles of every candidate in the window (comp is sorted by k: look up by position).
    pos = np.searchsorted(comp["k"].to_numpy(), c["k"].to_numpy())
    v_lo, v_hi = comp["low"].to_numpy()[pos], comp["high"].to_numpy()[pos]
    yused = comp["year_used"].to_numpy()[pos]
    item_key = c["i"].to_numpy().astype(np.int64) * 8192 + (c["ty"].to_numpy() - y0)
    is_used = np.isin(item_key, sel["i"].to_numpy().astype(np.int64) * 8192 + (sel["ty"].to_numpy() - y0))
    was_top = np.isin(item_key, revisable["i"].to_numpy().astype(np.int64) * 8192 + (revisable["ty"].to_numpy() - y0))
    meets = (c["lo"].to_numpy() <= v_hi + 1e-9) & (c["hi"].to_numpy() >= v_lo - 1e-9)
    older = (c["eff"].to_numpy() < yused) | (was_top & ~is_used)
    role = np.where(is_used, "used", np.where(meets, "supporting", np.where(older, "superseded", "conflicting")))
    n_conf = np.bincount(pos, weights=(role == "conflicting"), minlength=len(comp))
    comp["n_items"] = np.bincount(pos, minlength=len(comp))
    comp["disputed"] = n_conf > 0
    parts = gtab[comp["k"].to_numpy() // 4096]
    comp["patron"], comp["target"], comp["indicator"] = parts[:, 0], parts[:, 1], parts[:, 2]
    comp["year"] = comp["k"].to_numpy() % 4096 + y0
    comp["unit"] = unit[comp["first"].to_numpy()]
    cparts = gtab[c["k"].to_numpy() // 4096]
    roles = pd.DataFrame({"eid": ev["eid"].to_numpy()[c["i"].to_numpy()], "patron": cparts[:, 0],
                          "target": cparts[:, 1], "indicator": cparts[:, 2], "year": c["ty"].to_numpy(),
                          "role": role})
    return comp[cols].reset_index(drop=True), roles
