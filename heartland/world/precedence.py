"""Evidence precedence: how several items for the same tie component become one interval.

The rule (documented with examples in docs/world.md, tested in tests/world):

1. **Window.** The value of (patron, target, indicator) in year Y is built from items
   whose year lies in ``[Y - carry_years, Y]``; an item for an earlier year is carried
   forward and the result is marked with the year it came from (``year_used``). A share
   given over a period (``2019-2023``) is an average over it and speaks for every year
   of the period; other figures speak only for their own year.
2. **Source kind.** Each item gets a tier: imported ``dataset`` rows 4, ``curated``
   entries 3, ``derived`` items 2, extracted ``fact`` items 1, plus 0.5 for a fact
   corroborated by at least ``min_corroboration`` outlets. Only the highest tier present
   sets the value.
3. **Recency.** Within that tier the latest year wins; for the same source and year, the
   most recently published item wins (a revision supersedes the figure it revises).
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
KEYS = ["patron", "target", "indicator", "ty"]


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
    base = pd.DataFrame({
        "i": np.arange(len(ev)), "patron": ev["patron"].to_numpy(), "target": ev["target"].to_numpy(),
        "indicator": ev["indicator"].to_numpy(), "unit": ev["unit"].to_numpy(),
        "year": ev["year"].to_numpy(dtype=int), "lo": lo, "hi": hi,
        "open_high": ev["high"].isna().to_numpy() & (ev["unit"] != "share").to_numpy(),
        # Revisions are judged per publisher for datasets and curated entries; two articles
        # are two reports, never a revision of each other.
        "source": np.where((ev["kind"] == "fact").to_numpy(), ev["eid"].astype(str).to_numpy(),
                           ev["source"].fillna("").astype(str).to_numpy()),
        "pub": ev["published"].to_numpy(),
        "tier": ev["kind"].map(KIND_TIER).fillna(0.0).to_numpy()
        + np.where((ev["kind"] == "fact").to_numpy()
                   & (ev["corroboration"].to_numpy() >= params.min_corroboration), 0.5, 0.0),
    })
    # Window: each item covers the years from its start to its year + carry_years. A share
    # over a period ("2019-2023") is an average over it and covers every year in it;
    # any other figure covers only its own year (a cumulative sum to 2020 is not the
    # sum to 2015).
    start = base["year"].to_numpy().copy()
    per = ev["period"].astype(str).str.extract(r"^(\d{4})\s*[-–]\s*(\d{4})$")
    ps = pd.to_numeric(per[0], errors="coerce").to_numpy()
    is_share = (ev["unit"] == "share").to_numpy()
    use = is_share & ~np.isnan(ps) & (ps < start)
    start[use] = ps[use].astype(int)
    n = base["year"].to_numpy() + params.carry_years - start + 1
    rep = np.repeat(np.arange(len(base)), n)
    offs = np.arange(len(rep)) - np.repeat(np.cumsum(n) - n, n)
    c = base.iloc[rep].reset_index(drop=True)
    c["ty"] = start[rep] + offs
    # The year an item speaks for, as seen from ty: ty itself inside its period.
    c["eff"] = np.minimum(c["ty"].to_numpy(), c["year"].to_numpy())
    c = c[np.isin(c["ty"].to_numpy(), years)]
    if c.empty:
        return pd.DataFrame(columns=cols), pd.DataFrame(columns=["eid", "patron", "target", "indicator",
                                                                 "year", "role"])
    g = c.groupby(KEYS, sort=False)
    c["top"] = g["tier"].transform("max")
    sel = c[c["tier"] == c["top"]]
    sel = sel[sel["eff"] == sel.groupby(KEYS, sort=False)["eff"].transform("max")]
    revisable = sel[["i", "ty"]]
    # Revisions: same source and year, keep the latest publication (NaT sorts first).
    sel = sel.sort_values("pub", na_position="first").drop_duplicates(KEYS + ["source", "year", "lo", "hi"],
                                                                      keep="last")
    sel = sel.sort_values("pub", na_position="first")
    same_src = sel.duplicated(KEYS + ["source", "year"], keep="last") & (sel["source"] != "")
    sel = sel[~same_src]
    gs = sel.groupby(KEYS, sort=False)
    comp = gs.agg(ilo=("lo", "max"), ihi=("hi", "min"), ulo=("lo", "min"), uhi=("hi", "max"),
                  unit=("unit", "first"), year_used=("eff", "max"), n_used=("i", "size"),
                  open_high=("open_high", "all")).reset_index()
    conflict = comp["ilo"].to_numpy() > comp["ihi"].to_numpy() + 1e-12
    comp["low"] = np.where(conflict, comp["ulo"], comp["ilo"])
    comp["high"] = np.where(conflict, comp["uhi"], comp["ihi"])
    comp["conflict"] = conflict
    # Open upper bound: carried at the lower bound (flagged), never guessed.
    inf = np.isinf(comp["high"].to_numpy())
    comp["open_high"] = inf
    comp.loc[inf, "high"] = comp.loc[inf, "low"]
    # Roles of every candidate in the window.
    c = c.merge(comp[KEYS + ["low", "high"]], on=KEYS, how="left")
    c = c.merge(sel[["i", "ty"]].assign(_used=True), on=["i", "ty"], how="left")
    is_used = c["_used"].fillna(False).to_numpy(dtype=bool)
    meets = (c["lo"].to_numpy() <= c["high"].to_numpy() + 1e-9) & (c["hi"].to_numpy() >= c["low"].to_numpy() - 1e-9)
    # An open upper bound meets the value if its lower bound is not above it.
    c = c.merge(comp[KEYS + ["year_used"]], on=KEYS, how="left")
    c = c.merge(revisable.assign(_top=True), on=["i", "ty"], how="left")
    older = (c["eff"].to_numpy() < c["year_used"].to_numpy()) | (c["_top"].fillna(False).to_numpy(dtype=bool) & ~is_used)
    role = np.where(is_used, "used", np.where(meets, "supporting", np.where(older, "superseded", "conflicting")))
    c["role"] = role
    disputed = c[c["role"] == "conflicting"].groupby(KEYS).size().rename("n_conf")
    n_items = c.groupby(KEYS).size().rename("n_items")
    comp = comp.join(disputed, on=KEYS).join(n_items, on=KEYS)
    comp["disputed"] = comp["n_conf"].fillna(0).astype(int) > 0
    comp = comp.rename(columns={"ty": "year"})
    roles = pd.DataFrame({"eid": ev["eid"].to_numpy()[c["i"].to_numpy()], "patron": c["patron"],
                          "target": c["target"], "indicator": c["indicator"], "year": c["ty"], "role": c["role"]})
    return comp[cols].reset_index(drop=True), roles.reset_index(drop=True)
