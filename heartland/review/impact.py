"""Impact: how far deciding on an item would move an influence index.

For every reviewable item ``compute_impacts`` says which cell it feeds (patron, target,
domain, year), that cell's domain influence (interval midpoint) in the world the current
evidence policy builds, and what it would become if the decision flipped:

- an item the policy does *not* count (a candidate below the confidence bar, or
  uncorroborated; a rejected item): the change if it were **accepted**;
- an item the policy counts (a corroborated candidate, an accepted item): the change if
  it were **rejected** — what it moves unseen.

It never rebuilds the world per item. The world is built once (``build_world(...,
evidence=mode)``); each item becomes a change to one tie component (a fact: the
component's new interval under the precedence rule; an event: the count one higher or
lower) and the cell is re-evaluated with the measure's per-cell formula (docs/measure.md):
weighted means of the scaled components, the relative-share dependence against the other
patrons' bandwidth, influence = bandwidth × dependence. All items are evaluated at once as
NumPy arrays.

Approximations (documented in docs/review.md, checked against exact rebuilds in
tests/review/test_impact.py):

1. Only the item's own year is evaluated: a figure carried forward into the next years,
   and a share over a period spread over it, move later cells too; those are not shown.
2. Derived items are not re-derived: a bilateral trade figure also changes the derived
   trade share and the C5 sum; the preview shows the trade component's own effect.
3. Removing a fact that is the only used item of its component drops the component (an
   earlier year's figure that would then be carried, or a lower-ranked item that would
   take over, is not looked for).
4. An event counts once per patron–target pair among its actors (all its pairs change
   together); the cell reported is the pair that moves most.

Items that feed no index (quotes, names, open-domain figures with no catalogue
indicator, facts between two outside powers, years outside the world) have impact 0.

The result is kept beside the store (``cached_impacts``); after decisions it answers at
once with the rows of the touched blocks marked stale and is recomputed in the background
(``refresh_in_background``). ``preview`` is the exact counterpart for one decision: the
world rebuilt with it taken as made, every changed number listed (docs/review.md).
"""

from __future__ import annotations

import hashlib
import os
import pickle
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from heartland.world.axes import DOMAINS, PATRONS
from heartland.world.components import COMPONENTS, scale

#: Bumped when the computation changes (invalidates the on-disk cache).
CACHE_VERSION = "2"
IMPACT_COLUMNS = ["item_key", "patron", "target", "domain", "year", "before", "after", "impact", "counted",
                  "direction", "stale"]
#: The blocks an item's change touches: (target, domain, year) of every tie it feeds.
BLOCK_COLUMNS = ["item_key", "target", "domain", "year"]


@dataclass
class ImpactResult:
    table: pd.DataFrame       # IMPACT_COLUMNS, one row per item with a non-zero change
    mode: str
    date: str
    seconds_world: float = 0.0
    from_cache: bool = False
    #: Every block each item's change touches (BLOCK_COLUMNS), for marking rows stale.
    blocks: pd.DataFrame | None = None
    #: Decisions recorded since the impacts were computed (0: exact for this store state).
    decisions_since: int = 0


# -- the world under the policy ---------------------------------------------------------------

def policy_world(conn, date, mode: str = "policy"):
    """The world the evidence policy ``mode`` builds (``build_world(..., evidence=mode)``)."""
    from heartland.world import build_world

    return build_world(conn, date, evidence=mode, keep_inputs=True)


def _isin(col, values) -> np.ndarray:
    """``col.isin(values)`` as a hash lookup on object arrays: pandas' Arrow-backed string
    column makes an Arrow scalar of every value first (0.1 s for 20,000 event ids)."""
    vals = list(values) if isinstance(values, (set, frozenset, dict)) else values
    return pd.Index(np.asarray(col, dtype=object), dtype=object).isin(np.asarray(vals, dtype=object))


# -- the per-cell context ---------------------------------------------------------------------

class _Context:
    """Dense (patron, target, domain, year) arrays of the world's components and ties."""

    def __init__(self, world):
        from heartland.world.build import TIE_TARGETS

        self.world = world
        self.years = tuple(world.years)
        self.targets = tuple(TIE_TARGETS)
        self.shape = (len(PATRONS), len(self.targets), len(DOMAINS), len(self.years))
        self.rw = world.params.relative_dependence_weight
        spec = pd.DataFrame([c.__dict__ for c in COMPONENTS])
        self.spec = spec.set_index("indicator")
        m = world.components.merge(spec, on="indicator", how="inner")
        m = m[m["patron"].isin(PATRONS) & m["target"].isin(self.targets) & m["year"].isin(self.years)].copy()
        sl = np.full(len(m), np.nan)
        sh = np.full(len(m), np.nan)
        for (how, ref), idx in m.groupby(["scale", "ref"]).indices.items():
            sl[idx] = scale(m["low"].to_numpy(dtype=float)[idx], how, ref)
            sh[idx] = scale(m["high"].to_numpy(dtype=float)[idx], how, ref)
        m["s_low"], m["s_high"] = sl, sh
        m = m[m["s_low"].notna()]
        m = m.assign(pi=self._ix(m["patron"], PATRONS), ti=self._ix(m["target"], self.targets),
                     di=self._ix(m["domain"], DOMAINS), yi=self._ix(m["year"], self.years))
        self.comps = m.set_index(["patron", "target", "indicator", "year"])
        z = lambda: np.zeros(self.shape)  # noqa: E731
        self.BsL, self.BsH, self.BW, self.DsL, self.DsH, self.DW = z(), z(), z(), z(), z(), z()
        self.own, self.allied, self.positive = z(), np.zeros(self.shape, bool), np.zeros(self.shape, bool)
        ix = (m["pi"].to_numpy(), m["ti"].to_numpy(), m["di"].to_numpy(), m["yi"].to_numpy())
        w = m["weight"].to_numpy(dtype=float)
        bw = (m["side"] == "bandwidth").to_numpy()
        for arr, val, sel in ((self.BsL, w * m["s_low"].to_numpy(), bw), (self.BsH, w * m["s_high"].to_numpy(), bw),
                              (self.BW, w, bw), (self.DsL, w * m["s_low"].to_numpy(), ~bw),
                              (self.DsH, w * m["s_high"].to_numpy(), ~bw), (self.DW, w, ~bw)):
            np.add.at(arr, tuple(i[sel] for i in ix), val[sel])
        structural = (m["indicator"].str.startswith("inst_") | (m["indicator"] == "alliance")).to_numpy()
        np.add.at(self.own, ix, (~structural).astype(float))
        ally = ((m["indicator"] == "alliance") & (m["low"] > 0)).to_numpy()
        self.allied[tuple(i[ally] for i in ix)] = True
        pos = structural & (m["low"].to_numpy(dtype=float) > 0)
        self.positive[tuple(i[pos] for i in ix)] = True
        # measured: the target's domain has an own figure or an alliance (any patron)
        self.measured = ((self.own > 0) | self.allied).any(axis=0)
        self.structural_domain = np.array([d in ("politics", "connectivity") for d in DOMAINS])
        # the current ties
        t = world.ties[world.ties["target"].isin(self.targets) & world.ties["year"].isin(self.years)]
        tix = (self._ix(t["patron"], PATRONS), self._ix(t["target"], self.targets), self._ix(t["domain"], DOMAINS),
               self._ix(t["year"], self.years))
        self.cur = {}
        for c in ("bandwidth_low", "bandwidth_high", "dependence_low", "dependence_high"):
            a = np.full(self.shape, np.nan)
            a[tix] = t[c].to_numpy(dtype=float)
            self.cur[c] = a
        self.inf_low = np.clip(self.cur["bandwidth_low"], 0, 1) * np.clip(self.cur["dependence_low"], 0, 1)
        self.inf_high = np.clip(self.cur["bandwidth_high"], 0, 1) * np.clip(self.cur["dependence_high"], 0, 1)

    @staticmethod
    def _ix(values: pd.Series, axis) -> np.ndarray:
        """Positions of ``values`` on ``axis`` (all present: callers filter first)."""
        codes, uniques = pd.factorize(values if isinstance(values, (pd.Series, pd.Index)) else np.asarray(values))
        pos = {v: i for i, v in enumerate(axis)}
        return np.array([pos.get(u, -1) for u in uniques], dtype=int)[codes] if len(codes) else codes.astype(int)

    def evaluate(self, req: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
        """Cell influence (low, high) after each request.

        ``req`` columns: patron, target, indicator, year (the component changed), ``new``
        (bool: a new value; False: the component is removed), raw ``low``/``high`` (new
        value), ``add`` (bool: the change adds evidence, so the cell and its target's domain
        become anchored; False: removal, anchoring as now)."""
        n = len(req)
        sp = self.spec.loc[req["indicator"].to_numpy()]
        pi = self._ix(req["patron"], PATRONS)
        ti = self._ix(req["target"], self.targets)
        di = self._ix(sp["domain"].reset_index(drop=True), DOMAINS)
        yi = self._ix(req["year"], self.years)
        w = sp["weight"].to_numpy(dtype=float)
        on_bw = (sp["side"] == "bandwidth").to_numpy()
        new = req["new"].to_numpy(bool).copy()
        add = req["add"].to_numpy(bool)
        nl = np.zeros(n)
        nh = np.zeros(n)
        for (how, ref), idx in sp.reset_index(drop=True).groupby(["scale", "ref"]).indices.items():
            nl[idx] = scale(req["low"].to_numpy(dtype=float)[idx], how, ref)
            nh[idx] = scale(req["high"].to_numpy(dtype=float)[idx], how, ref)
        new &= ~np.isnan(nl)
        nl, nh = np.nan_to_num(nl), np.nan_to_num(nh)
        # the old value of the component, if any
        keys = pd.MultiIndex.from_arrays([req["patron"], req["target"], req["indicator"], req["year"]])
        pos = self.comps.index.get_indexer(keys)
        has_old = pos >= 0
        safe = np.where(has_old, pos, 0)
        ol = np.where(has_old, self.comps["s_low"].to_numpy()[safe], 0.0)
        oh = np.where(has_old, self.comps["s_high"].to_numpy()[safe], 0.0)
        cell = (pi, ti, di, yi)
        dw_old = np.where(has_old, w, 0.0)
        dw_new = np.where(new, w, 0.0)
        bsl = self.BsL[cell] + np.where(on_bw, w * (nl * new - ol * has_old), 0)
        bsh = self.BsH[cell] + np.where(on_bw, w * (nh * new - oh * has_old), 0)
        bww = self.BW[cell] + np.where(on_bw, dw_new - dw_old, 0)
        dsl = self.DsL[cell] + np.where(~on_bw, w * (nl * new - ol * has_old), 0)
        dsh = self.DsH[cell] + np.where(~on_bw, w * (nh * new - oh * has_old), 0)
        dww = self.DW[cell] + np.where(~on_bw, dw_new - dw_old, 0)
        structural_ind = req["indicator"].str.startswith("inst_").to_numpy() | (req["indicator"] == "alliance").to_numpy()
        own_after = self.own[cell] + np.where(structural_ind, 0, new.astype(float) - has_old.astype(float))
        struct_dom = self.structural_domain[di]
        measured = self.measured[ti, di, yi] | add
        anchored = (own_after > 0) | self.allied[cell] | (self.positive[cell] & (measured | struct_dom)) | (add & new)
        with np.errstate(invalid="ignore", divide="ignore"):
            bl = np.where(anchored & (bww > 0), bsl / bww, np.nan)
            bh = np.where(anchored & (bww > 0), bsh / bww, np.nan)
        # every patron's bandwidth in the target's domain and year (R, P)
        blk = (slice(None), ti, di, yi)
        cur_l = self.cur["bandwidth_low"][blk].T
        cur_h = self.cur["bandwidth_high"][blk].T
        anch_all = ((self.own[blk] > 0) | self.allied[blk] | self.positive[blk]).T
        with np.errstate(invalid="ignore", divide="ignore"):
            all_l = np.where(anch_all & (self.BW[blk].T > 0), self.BsL[blk].T / self.BW[blk].T, np.nan)
            all_h = np.where(anch_all & (self.BW[blk].T > 0), self.BsH[blk].T / self.BW[blk].T, np.nan)
        # adding evidence makes the target's domain measured: the others' positive
        # memberships then count (as the world does); a removal leaves them as they are
        grow = (add & ~self.measured[ti, di, yi])[:, None]
        oth_l = np.where(grow, all_l, cur_l)
        oth_h = np.where(grow, all_h, cur_h)
        rows = np.arange(n)
        oth_l[rows, pi] = bl
        oth_h[rows, pi] = bh
        # one item changing several patrons' ties to the same target (an event between
        # CHN, RUS and KAZ): each request sees its siblings' new bandwidth too
        if "item_id" in req.columns:
            item = pd.factorize(req["item_id"])[0].astype(np.int64)
            cell_key = ((item * len(self.targets) + ti) * len(DOMAINS) + di) * len(self.years) + yi
            _, inv, cnt = np.unique(cell_key, return_inverse=True, return_counts=True)
            sizes = cnt[inv]
            if (sizes > 1).any():
                grp = pd.DataFrame({"item": req["item_id"].to_numpy(), "ti": ti, "di": di, "yi": yi})
                sub = grp[sizes > 1]
                for pos_ in sub.groupby(["item", "ti", "di", "yi"]).indices.values():
                    idx = sub.index.to_numpy()[pos_]
                    for i in idx:
                        for j in idx:
                            if i != j:
                                oth_l[i, pi[j]], oth_h[i, pi[j]] = bl[j], bh[j]
        present = ~np.isnan(oth_l)
        tot_l = np.where(present, oth_l, 0).sum(axis=1)
        tot_h = np.where(present, oth_h, 0).sum(axis=1)
        with np.errstate(invalid="ignore", divide="ignore"):
            rel_l = np.where(~np.isnan(bl) & (bh > 0), bl / (bl + (tot_h - bh)), np.where(~np.isnan(bl), 0.0, np.nan))
            rel_h = np.where(~np.isnan(bl) & (bh > 0), bh / (bh + (tot_l - bl)), np.where(~np.isnan(bl), 0.0, np.nan))
        rw = self.rw
        has_rel = ~np.isnan(rel_l) & (rw > 0)
        dww = np.where(anchored, dww, 0.0)
        denom = dww + np.where(has_rel, rw, 0.0)
        with np.errstate(invalid="ignore", divide="ignore"):
            dl = np.where(denom > 0, (np.where(anchored, dsl, 0) + np.where(has_rel, rw * rel_l, 0)) / denom, np.nan)
            dh = np.where(denom > 0, (np.where(anchored, dsh, 0) + np.where(has_rel, rw * rel_h, 0)) / denom, np.nan)
        return np.clip(bl, 0, 1) * np.clip(dl, 0, 1), np.clip(bh, 0, 1) * np.clip(dh, 0, 1)

    def before(self, req: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
        sp = self.spec.loc[req["indicator"].to_numpy()]
        cell = (self._ix(req["patron"], PATRONS), self._ix(req["target"], self.targets),
                self._ix(sp["domain"].reset_index(drop=True), DOMAINS), self._ix(req["year"], self.years))
        return self.inf_low[cell], self.inf_high[cell]


# -- items → component changes ----------------------------------------------------------------

def _fact_requests(ctx: _Context, facts: pd.DataFrame, counted) -> pd.DataFrame:
    """One request per fact that feeds a component: its new component value if accepted
    (not counted now) or without it (counted now)."""
    from heartland.world.evidence import unit_mismatches
    from heartland.world.precedence import KIND_TIER

    world = ctx.world
    params = world.params.precedence
    f = facts[facts["indicator"].isin(ctx.spec.index) & facts["patron"].isin(PATRONS)
              & facts["target"].isin(ctx.targets) & facts["year"].isin(ctx.years)]
    f = f.drop(index=unit_mismatches(f).index)
    if f.empty:
        return pd.DataFrame()
    f = f.assign(year=f["year"].astype(int))
    share = (f["unit"] == "share").to_numpy()
    lo = np.nan_to_num(f["low"].to_numpy(dtype=float), nan=0.0)
    hi = f["high"].to_numpy(dtype=float)
    hi = np.where(np.isnan(hi), np.where(share, 1.0, np.inf), hi)
    tier = KIND_TIER["fact"] + np.where(f["corroboration"].to_numpy() >= params.min_corroboration, 0.5, 0.0)
    is_counted = _isin(f["eid"], counted)
    # the current component (same year only: a carried value gives way to the year's own)
    comps = world.components.set_index(["patron", "target", "indicator", "year"])
    keys = pd.MultiIndex.from_arrays([f["patron"], f["target"], f["indicator"], f["year"]])
    pos = comps.index.get_indexer(keys)
    has = pos >= 0
    sp = np.where(has, pos, 0)
    c_lo = np.where(has, comps["low"].to_numpy(dtype=float)[sp], np.nan)
    c_hi = np.where(has, comps["high"].to_numpy(dtype=float)[sp], np.nan)
    c_open = np.where(has, comps["open_high"].to_numpy(bool)[sp], False)
    c_conf = np.where(has, comps["conflict"].to_numpy(bool)[sp], False)
    c_own = has & (np.where(has, comps["year_used"].to_numpy(dtype=float)[sp], -1) == f["year"].to_numpy())
    c_hi = np.where(c_open, np.inf, c_hi)
    # used items of each component at its year: tier and bounds
    ev = world.evidence.set_index("eid")
    r = world.roles[world.roles["role"] == "used"]
    r = r[_isin(r["eid"], ev.index)]
    r = r.assign(kind=ev["kind"].reindex(r["eid"]).to_numpy(), corr=ev["corroboration"].reindex(r["eid"]).to_numpy(),
                 lo=ev["low"].reindex(r["eid"]).to_numpy(dtype=float), hi=ev["high"].reindex(r["eid"]).to_numpy(dtype=float),
                 unit=ev["unit"].reindex(r["eid"]).to_numpy())
    r["tier"] = r["kind"].map(KIND_TIER).fillna(0).to_numpy() + np.where(
        (r["kind"] == "fact") & (r["corr"].to_numpy() >= params.min_corroboration), 0.5, 0.0)
    r["lo"] = r["lo"].fillna(0.0)
    r["hi"] = r["hi"].fillna(pd.Series(np.where(r["unit"] == "share", 1.0, np.inf), index=r.index))
    top = r.groupby(["patron", "target", "indicator", "year"])["tier"].max()
    c_tier = top.reindex(keys).to_numpy(dtype=float)
    c_tier = np.where(c_own, np.nan_to_num(c_tier, nan=0.0), -1.0)

    # -- adding (not counted): the precedence rule with one more item
    new_lo = lo.copy()
    new_hi = hi.copy()
    same = c_own & (tier == c_tier)
    ilo, ihi = np.maximum(c_lo, lo), np.minimum(c_hi, hi)
    inter_ok = ~c_conf & (ilo <= ihi + 1e-12)
    new_lo = np.where(same, np.where(inter_ok, ilo, np.minimum(c_lo, lo)), new_lo)
    new_hi = np.where(same, np.where(inter_ok, ihi, np.maximum(c_hi, hi)), new_hi)
    # (a conflict's union is min/max of all items: the current hull extended by this one)
    unchanged_add = c_own & (tier < c_tier)
    # -- removing (counted): leave-one-out over the component's used items
    rm_new = np.zeros(len(f), bool)   # True: a new value remains; False: the component goes
    rm_lo, rm_hi = np.full(len(f), np.nan), np.full(len(f), np.nan)
    rm_zero = np.ones(len(f), bool)   # no change
    if is_counted.any():
        # leave-one-out bounds per used item, vectorised: the extreme of the others is the
        # group's extreme unless this item holds it alone (then the runner-up)
        k4 = ["patron", "target", "indicator", "year"]
        u = r[k4 + ["eid", "lo", "hi"]].copy()
        g = u.groupby(k4, sort=False)

        def loo(col: str, how: str) -> np.ndarray:
            v = u[col]
            ext = g[col].transform(how)
            n_ext = (v == ext).groupby([u[c] for c in k4], sort=False).transform("sum")
            other = v.where(v < ext if how == "max" else v > ext)
            runner = other.groupby([u[c] for c in k4], sort=False).transform(how)
            return np.where((v == ext) & (n_ext == 1), runner, ext)

        u["n"] = g["eid"].transform("size")
        u["a"], u["b"] = loo("lo", "max"), loo("hi", "min")
        u["ua"], u["ub"] = loo("lo", "min"), loo("hi", "max")
        u = u.drop_duplicates(k4 + ["eid"])
        fk = f[k4 + ["eid"]].reset_index(drop=True).assign(_i=np.arange(len(f)))
        hit = fk[is_counted].merge(u, on=k4 + ["eid"], how="inner")
        i = hit["_i"].to_numpy()
        rm_zero[i] = False
        rest = hit["n"].to_numpy() > 1
        a, b = hit["a"].to_numpy(dtype=float), hit["b"].to_numpy(dtype=float)
        conf_ = a > b + 1e-12
        a = np.where(conf_, hit["ua"].to_numpy(dtype=float), a)
        b = np.where(conf_, hit["ub"].to_numpy(dtype=float), b)
        rm_new[i] = rest
        rm_lo[i] = np.where(rest, a, np.nan)
        rm_hi[i] = np.where(rest, b, np.nan)
    out_new = np.where(is_counted, rm_new, True)
    out_lo = np.where(is_counted, rm_lo, new_lo)
    out_hi = np.where(is_counted, rm_hi, new_hi)
    out_hi = np.where(np.isinf(out_hi), out_lo, out_hi)   # open upper bound: carried at the low
    skip = np.where(is_counted, rm_zero, unchanged_add)
    req = pd.DataFrame({"item_id": f["eid"].str.removeprefix("fact:").to_numpy(), "patron": f["patron"].to_numpy(),
                        "target": f["target"].to_numpy(), "indicator": f["indicator"].to_numpy(),
                        "year": f["year"].to_numpy(), "new": out_new, "low": out_lo, "high": out_hi,
                        "add": ~is_counted, "counted": is_counted})
    return req[~skip]


def _event_pairs(events: pd.DataFrame, years) -> pd.DataFrame:
    """event_id, patron, target, indicator, year: the count components each event feeds
    (the rows of the world's own event trace, so a preview counts exactly what the world counts)."""
    from heartland.world.store_io import event_pairs

    cols = ["event_id", "patron", "target", "indicator", "year"]
    if events is None or events.empty or "type" not in events.columns:
        return pd.DataFrame(columns=cols)
    return event_pairs(events, years)[cols].reset_index(drop=True)


def _event_requests(ctx: _Context, events: pd.DataFrame, counted) -> pd.DataFrame:
    pairs = _event_pairs(events, ctx.years)
    if pairs.empty:
        return pd.DataFrame()
    comps = ctx.world.components.set_index(["patron", "target", "indicator", "year"])
    keys = pd.MultiIndex.from_arrays([pairs["patron"], pairs["target"], pairs["indicator"], pairs["year"]])
    pos = comps.index.get_indexer(keys)
    n = np.where(pos >= 0, comps["low"].to_numpy(dtype=float)[np.where(pos >= 0, pos, 0)], 0.0)
    is_counted = _isin(pairs["event_id"], counted)
    after = np.where(is_counted, n - 1, n + 1)
    return pd.DataFrame({"item_id": pairs["event_id"].to_numpy(), "patron": pairs["patron"].to_numpy(),
                         "target": pairs["target"].to_numpy(), "indicator": pairs["indicator"].to_numpy(),
                         "year": pairs["year"].to_numpy(), "new": after > 0, "low": after, "high": after,
                         "add": ~is_counted, "counted": is_counted})


# -- public -----------------------------------------------------------------------------------

def compute_impacts(conn, date=None, mode: str = "policy", world=None) -> ImpactResult:
    """The impact of flipping the decision on every fact and event (see the module doc).

    Returns one row per item that moves a cell: item_key, the cell (patron, target, domain,
    year), ``before`` and ``after`` (domain influence midpoints), ``impact`` = |after −
    before|, ``counted`` (the policy counts it now) and ``direction`` (accept / reject).
    """
    import time

    from heartland.review.schema import existing_tables, keys_sql
    from heartland.world import store_io
    from heartland.world.build import _as_date

    day = _as_date(date)
    t0 = time.perf_counter()
    if world is None:
        world = policy_world(conn, day, mode)
    secs = time.perf_counter() - t0
    ctx = _Context(world)
    # every fact as evidence (the policy's input), and which ones the world counts; the
    # store's facts and events as the world read them when it was built here (World.inputs)
    raw = world.inputs
    facts_all = raw["facts"] if "facts" in raw else store_io.fact_evidence(conn)[0]
    counted_f = world.evidence.loc[world.evidence["kind"] == "fact", "eid"].to_numpy(dtype=object)
    events_all = raw["events"] if "events" in raw else store_io.load_events(conn)
    wev = world.events if world.events is not None else pd.DataFrame()
    counted_e = wev["event_id"].to_numpy(dtype=object) if "event_id" in wev.columns else []
    reqs = [r for r in (_fact_requests(ctx, facts_all, counted_f), _event_requests(ctx, events_all, counted_e))
            if not r.empty]
    if not reqs:
        return ImpactResult(pd.DataFrame(columns=IMPACT_COLUMNS), mode, str(day), secs,
                            blocks=pd.DataFrame(columns=BLOCK_COLUMNS))
    req = pd.concat(reqs, ignore_index=True)
    # the keys of the facts and events (keys_sql: no quotes or names, no summaries), fetched
    # as arrays: selecting those that feed a tie by an id list cost more than computing them
    # all (0.11 s against 0.06 s on 40,000); the world's view already applies edits, so
    # edited items are not previewed
    tabs = existing_tables(conn)
    decided = "review_decisions" in tabs
    state = "coalesce(d.state, 'candidate')" if decided else "'candidate'"
    join = "LEFT JOIN review_decisions d ON d.item_key = k.item_key" if decided else ""
    got = conn.execute(f"SELECT k.item_key, k.item_id, {state} AS state FROM ({keys_sql(tabs)}) k {join}").fetchnumpy()
    items = pd.DataFrame({c: np.asarray(got[c], dtype=object) for c in ("item_key", "item_id", "state")})
    items = items[_isin(items["item_id"], req["item_id"].unique())]
    keymap = items.drop_duplicates("item_id").set_index("item_id")["item_key"]
    # every block each item's change touches (edited items too), for marking rows stale later
    blocks = pd.DataFrame({"item_key": req["item_id"].map(keymap).to_numpy(), "target": req["target"].to_numpy(),
                           "domain": ctx.spec.loc[req["indicator"].to_numpy(), "domain"].to_numpy(),
                           "year": req["year"].to_numpy()})
    blocks = blocks[blocks["item_key"].notna()].drop_duplicates().reset_index(drop=True)
    edited = set(items.loc[items["state"] == "edited", "item_id"])
    req = req[~req["item_id"].isin(edited)].reset_index(drop=True)
    bl, bh = ctx.before(req)
    al, ah = ctx.evaluate(req)
    before = (bl + bh) / 2
    after = (al + ah) / 2
    delta = np.where(np.isnan(before) & np.isnan(after), 0.0,
                     np.abs(np.nan_to_num(after) - np.nan_to_num(before)))
    out = req.assign(domain=ctx.spec.loc[req["indicator"].to_numpy(), "domain"].to_numpy(), before=before,
                     after=after, impact=delta, direction=np.where(req["counted"], "reject", "accept"))
    out["item_key"] = out["item_id"].map(keymap)
    out = out.sort_values("impact", ascending=False, kind="stable").drop_duplicates("item_id")
    out = out[out["item_key"].notna() & (out["impact"] > 0)].assign(stale=False)
    return ImpactResult(out[IMPACT_COLUMNS].reset_index(drop=True), mode, str(day), secs, blocks=blocks)


# -- cache ------------------------------------------------------------------------------------

def fingerprint(conn, date, mode: str) -> str:
    """A digest of the evidence the impacts depend on (decisions apart: ``decision_states``):
    row counts and latest times of the evidence tables, the date and the mode."""
    from heartland.review.schema import existing_tables

    tabs = existing_tables(conn)
    parts = [CACHE_VERSION, str(date), mode]
    probes = {"articles": "count(*), max(ingested_at)", "facts": "count(*), sum(hash(fact_id, n_sources))",
              "events": "count(*), sum(hash(event_id))", "dataset_rows": "count(*), max(imported_at)"}
    for t, sql in probes.items():
        if t in tabs:
            try:
                parts.append(f"{t}:{conn.execute(f'SELECT {sql} FROM {t}').fetchone()}")
            except Exception:  # noqa: BLE001 - a column missing in an odd store: count only
                parts.append(f"{t}:{conn.execute(f'SELECT count(*) FROM {t}').fetchone()}")
    return hashlib.sha256("|".join(parts).encode()).hexdigest()


def decision_states(conn) -> dict[str, tuple]:
    """item_key → (state, edited) of every decision (what the impacts were computed under)."""
    from heartland.review.schema import existing_tables

    if "review_decisions" not in existing_tables(conn):
        return {}
    return {k: (st, ed) for k, st, ed in conn.execute("SELECT item_key, state, edited FROM review_decisions").fetchall()}


def cache_path(db: str | Path) -> Path:
    p = Path(db)
    return p.with_name(f".{p.name}.review-impact")


def stale_keys(res: ImpactResult, changed: set[str]) -> set[str]:
    """The items whose impact decisions on ``changed`` may have moved: those feeding a
    block (target, domain, year) a changed item feeds, or a later year of it (a figure is
    carried forward), or the same domain of the five together (C5 sums). The rest are exact:
    an item's impact reads only its own blocks (docs/review.md, "Impact")."""
    b = res.blocks
    if b is None or b.empty or not changed:
        return set()
    hit = b[b["item_key"].isin(changed)]
    if hit.empty:
        return set()
    first = hit.groupby(["target", "domain"])["year"].min()
    c5 = set(hit["domain"])
    m = b.merge(first.rename("from_year").reset_index(), on=["target", "domain"], how="left")
    touched = (m["year"] >= m["from_year"]) | ((m["target"] == "C5") & m["domain"].isin(c5))
    return set(m.loc[touched.fillna(False).to_numpy(bool), "item_key"])


def _read_cache(path: Path):
    try:
        with path.open("rb") as fh:
            got = pickle.load(fh)
        return got if isinstance(got, dict) and got.get("version") == CACHE_VERSION else None
    except Exception:  # noqa: BLE001 - no cache, or an unreadable one: recompute
        return None


def _write_cache(path: Path, fp: str, decided: dict, res: ImpactResult) -> None:
    try:
        tmp = path.with_name(path.name + f".{os.getpid()}")
        with tmp.open("wb") as fh:
            pickle.dump({"version": CACHE_VERSION, "evidence": fp, "decisions": decided, "result": res}, fh)
        os.replace(tmp, path)
    except OSError:
        pass


def cached_impacts(conn, db: str | Path | None, date=None, mode: str = "policy", *,
                   stale_ok: bool = False, wait: bool = True) -> ImpactResult:
    """``compute_impacts`` with its result kept beside the store file.

    Reused as is while the store's evidence and decisions are unchanged. After decisions
    (the evidence unchanged) and with ``stale_ok``: the kept result answers at once, its rows
    in the blocks the new decisions touch marked ``stale`` (``stale_keys``), and a process
    in the background recomputes it (``refresh_in_background``) for the next listing.
    Otherwise (new evidence, or not ``stale_ok``) it is recomputed here — after waiting for
    a background refresh of this store that is running (``wait``), whose result it takes
    when that is current."""
    from heartland.world.build import _as_date

    day = _as_date(date)
    if db is None or os.environ.get("HEARTLAND_REVIEW_CACHE", "1") == "0":
        return compute_impacts(conn, day, mode)
    fp = fingerprint(conn, day, mode)
    decided = decision_states(conn)
    path = cache_path(db)
    got = _read_cache(path)
    if got is not None and got["evidence"] == fp:
        res: ImpactResult = got["result"]
        if got["decisions"] == decided:
            res.from_cache = True
            return res
        if stale_ok:
            old = got["decisions"]
            changed = {k for k in set(old) | set(decided) if old.get(k) != decided.get(k)}
            edits = any(d.get(k, ("",))[0] == "edited" for k in changed for d in (old, decided))
            # an edit may move its item to other blocks (another patron, target or year): all stale
            stale = set(res.table["item_key"]) if edits else stale_keys(res, changed)
            res.table = res.table.assign(stale=res.table["item_key"].isin(stale))
            res.from_cache, res.decisions_since = True, len(changed)
            refresh_in_background(db, day, mode)
            return res
    if wait and got is not None and got["evidence"] != fp and _wait_for_refresh(db):
        again = _read_cache(path)   # a refresh (after an ingest) was running: its result, if current
        if again is not None and again["evidence"] == fp and (again["decisions"] == decided or stale_ok):
            return cached_impacts(conn, db, day, mode, stale_ok=stale_ok, wait=False)
    # the policy's world from the world cache beside the store when `explain`, `index`, the
    # report or the dashboard already built it for these inputs (and kept there for them if not)
    from heartland.world.cache import cached_world_on

    t0 = time.perf_counter()
    world = cached_world_on(conn, db, day, evidence=mode, keep_inputs=True)
    secs = time.perf_counter() - t0
    res = compute_impacts(conn, day, mode, world=world)
    res.seconds_world = secs
    _write_cache(path, fp, decided, res)
    return res


def _lock_path(db: str | Path) -> Path:
    return cache_path(db).with_name(cache_path(db).name + ".lock")


def _lock_alive(lock: Path) -> bool:
    """Whether the refresh holding ``lock`` still runs: its process id (written into the
    lock) is alive and the lock is younger than 10 minutes; a dead one's lock is removed."""
    import time

    try:
        text = lock.read_text().strip()
        age = time.time() - lock.stat().st_mtime
    except OSError:
        return False
    alive = age < 600
    if alive and text.isdigit():
        try:
            os.kill(int(text), 0)
        except ProcessLookupError:
            alive = False
        except OSError:   # another user's process: alive
            pass
    if not alive:
        lock.unlink(missing_ok=True)
    return alive


def _wait_for_refresh(db: str | Path, timeout: float = 60.0) -> bool:
    """Wait for a running background refresh of this store (lock file) to end; True if one ran."""
    import time

    lock = _lock_path(db)
    if not lock.exists() or not _lock_alive(lock):
        return False
    end = time.monotonic() + timeout
    while lock.exists() and time.monotonic() < end and _lock_alive(lock):
        time.sleep(0.1)
    return True


def after_ingest(db: str | Path | None, date=None, mode: str = "policy") -> bool:
    """Start the background refresh after an ingest when someone reviews this store (the
    kept impacts exist): the first listing after the ingest then finds them ready, or waits
    for the refresh instead of computing again. False when nothing was started."""
    if db is None or not cache_path(db).exists() or not Path(db).is_file():
        return False
    from heartland.world.build import _as_date

    return refresh_in_background(db, _as_date(date), mode)


def refresh(db: str | Path, date=None, mode: str = "policy") -> ImpactResult:
    """Recompute the kept impacts of the store ``db`` now (read-only, the store's polite open)."""
    from heartland.store import session

    with session(Path(db), read_only=True) as conn:
        return cached_impacts(conn, db, date, mode, wait=False)   # (the lock it would wait for is its own)


def refresh_in_background(db: str | Path, date, mode: str) -> bool:
    """Start ``refresh`` in a detached process unless one runs already for this store (a
    lock file beside it, taken with O_EXCL, holding the process id; the lock of a process
    that died, or older than 10 minutes, counts as abandoned).
    ``HEARTLAND_REVIEW_REFRESH=0`` turns it off (the next listing answers stale again)."""
    import subprocess
    import sys

    if os.environ.get("HEARTLAND_REVIEW_REFRESH", "1") == "0":
        return False
    lock = _lock_path(db)
    try:
        if lock.exists():
            _lock_alive(lock)   # removes the lock of a refresh that died
        fd = os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
        os.close(fd)
    except OSError:
        return False
    code = ("import sys; from pathlib import Path; from heartland.review.impact import refresh\n"
            "lock = Path(sys.argv[4])\n"
            "try:\n    refresh(sys.argv[1], sys.argv[2], sys.argv[3])\n"
            "finally:\n    lock.unlink(missing_ok=True)\n")
    try:
        proc = subprocess.Popen([sys.executable, "-c", code, str(db), str(date), mode, str(lock)],
                                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                start_new_session=True, close_fds=True)
        lock.write_text(str(proc.pid))
    except OSError:
        lock.unlink(missing_ok=True)
        return False
    return True


def describe(row) -> str:
    """'accepting this moves CHN→KAZ politics 2023 from 0.12 to 0.21'."""
    if row is None or not row.get("impact"):
        return ""
    verb = "accepting" if row.get("direction") == "accept" else "rejecting"

    def f(v):
        return "none" if v is None or (isinstance(v, float) and np.isnan(v)) else f"{v:.2f}"
    out = (f"{verb} this moves {row['patron']}→{row['target']} {row['domain']} {int(row['year'])} "
           f"from {f(row['before'])} to {f(row['after'])}")
    return out + (" (≈: computed before your latest decisions; being recomputed)" if row.get("stale") else "")


# -- the review list --------------------------------------------------------------------------

_SENTENCE_END = ".!?。！？\n"


def sentence_around(text: str | None, start, end) -> tuple[str, int, int, int]:
    """The sentence holding text[start:end]: (sentence, span start and end within it, the
    sentence's offset in the article)."""
    if not text or start is None or end is None or pd.isna(start) or pd.isna(end):
        return "", 0, 0, 0
    start, end = int(start), int(end)
    lo = max((text.rfind(c, 0, start) for c in _SENTENCE_END), default=-1) + 1
    his = [i for i in (text.find(c, end) for c in _SENTENCE_END) if i >= 0]
    hi = min(his) + 1 if his else len(text)
    if hi - lo > 600:  # a run-on: a window around the span
        lo, hi = max(lo, start - 250), min(hi, end + 250)
    s = text[lo:hi]
    strip = len(s) - len(s.lstrip())
    return s.strip(), start - lo - strip, end - lo - strip, lo + strip


def ranked_items(conn, db=None, *, date=None, mode: str = "policy", state: str = "candidate",
                 kinds=None, article: str | None = None, actor: str | None = None, indicator: str | None = None,
                 min_confidence: float | None = None, max_confidence: float | None = None,
                 limit: int | None = 20, impacts: ImpactResult | None = None,
                 stale_ok: bool = False) -> list[dict]:
    """Items ordered by impact (largest first; items that move nothing after, by confidence),
    filtered, each with its sentence, span offsets and impact (see ``compute_impacts``);
    ``stale_ok``: see ``cached_impacts`` (rows then carry ``stale``)."""
    from heartland.review.schema import STATES, items_with_state_sql

    if state != "all" and state not in STATES:
        from heartland.errors import UserError
        raise UserError(f"--state must be one of {', '.join(STATES)} or all, not {state!r}")
    res = impacts if impacts is not None else cached_impacts(conn, db, date, mode, stale_ok=stale_ok)
    imp = res.table
    where, args = [], []
    if state != "all":
        where.append("i.state = ?")
        args.append(state)
    if kinds:
        where.append("i.kind IN (" + ", ".join("?" for _ in kinds) + ")")
        args += list(kinds)
    if article:
        where.append("(i.article_id = ? OR i.article_url = ? OR starts_with(i.article_id, ?))")
        args += [article, article, article]
    if actor:
        where.append("(regexp_matches(i.summary, '(^|[^A-Za-z_:])' || ? || '($|[^A-Za-z_])') "
                     "OR coalesce(m.patron, '') = ? OR coalesce(m.target, '') = ?)")
        a = actor.upper() if len(actor) <= 3 else actor
        args += [a, a, a]
    if indicator:
        where.append("regexp_matches(i.summary, '(^| )' || ? || '( |$)')")
        args.append(indicator)
    if min_confidence is not None:
        where.append("i.confidence >= ?")
        args.append(float(min_confidence))
    if max_confidence is not None:
        where.append("i.confidence <= ?")
        args.append(float(max_confidence))
    _hl_impacts = imp  # noqa: F841 - read by DuckDB's replacement scan
    sql = f"""SELECT i.item_key, i.item_id, i.kind, i.summary, i.confidence, i.reason, i.state, i.article_id,
                     i.article_url, i.span_start, i.span_end, i.edited, i.decided_by, i.decided_at, i.why,
                     m.patron, m.target, m.domain, m.year, m.before, m.after, coalesce(m.impact, 0) AS impact,
                     m.direction, coalesce(m.stale, false) AS stale
              FROM ({items_with_state_sql(conn)}) i LEFT JOIN _hl_impacts m ON m.item_key = i.item_key
              {"WHERE " + " AND ".join(where) if where else ""}
              ORDER BY impact DESC, i.confidence ASC, i.item_key
              {"LIMIT " + str(int(limit)) if limit else ""}"""
    rows = conn.execute(sql, args).df()
    if rows.empty:
        return []
    texts = dict(conn.execute("SELECT id, text FROM articles WHERE id IN (SELECT unnest(?))",
                              [list(rows["article_id"].dropna().unique())]).fetchall())
    out = []
    for r in rows.to_dict(orient="records"):
        r = {k: (None if (v is not None and not isinstance(v, (list, dict, str)) and pd.isna(v)) else v)
             for k, v in r.items()}
        sent, s0, s1, off = sentence_around(texts.get(r["article_id"]), r["span_start"], r["span_end"])
        r.update(sentence=sent, sentence_span=[s0, s1], sentence_offset=off)
        r["impact_text"] = describe(r) if r["impact"] else ""
        if r.get("year") is not None:
            r["year"] = int(r["year"])
        for k in ("span_start", "span_end"):
            if r.get(k) is not None:
                r[k] = int(r[k])
        if r.get("decided_at") is not None:
            r["decided_at"] = str(r["decided_at"])
        out.append(r)
    return out


# -- the exact preview: every number a decision changes ------------------------------------------

#: Two numbers closer than this are the same (floating-point noise of a rebuild).
PREVIEW_TOLERANCE = 1e-12


def shown_numbers(world) -> pd.DataFrame:
    """The influence numbers the dashboard and the report show for a world: patron, target
    (the five states, and C5, the five together, whose domain influence the division of
    labour shows), domain (the five and ``overall``), year, ``value`` (midpoint), ``low``,
    ``high``, over the years with evidence (heartland.report.stages.influence_panel's
    selection). An item that feeds only a C5 tie (a regional figure) moves only C5 rows."""
    from heartland.measure import compute_indices
    from heartland.world import latest_evidence_year
    from heartland.world.axes import TARGETS

    last = latest_evidence_year(world)
    inf = compute_indices(world, years=[y for y in world.years if y <= last]).influence
    f = inf[inf["target"].isin(TARGETS + ("C5",)) & inf["domain"].isin(DOMAINS + ("overall",))
            & (inf["low"].notna() | inf["high"].notna())]
    return pd.DataFrame({"patron": f["patron"].to_numpy(), "target": f["target"].to_numpy(),
                         "domain": f["domain"].to_numpy(), "year": f["year"].to_numpy(dtype=int),
                         "value": f["mid"].to_numpy(dtype=float), "low": f["low"].to_numpy(dtype=float),
                         "high": f["high"].to_numpy(dtype=float)})


def diff_numbers(before: pd.DataFrame, after: pd.DataFrame) -> list[dict]:
    """Every number that differs between two ``shown_numbers`` tables (or exists in one
    only): patron, target, domain, year and value/low/high before and after (None: absent)."""
    k = ["patron", "target", "domain", "year"]
    m = before.merge(after, on=k, how="outer", suffixes=("_before", "_after"))
    changed = np.zeros(len(m), dtype=bool)
    for c in ("value", "low", "high"):
        a, b = m[f"{c}_before"].to_numpy(dtype=float), m[f"{c}_after"].to_numpy(dtype=float)
        same = (np.isnan(a) & np.isnan(b)) | (np.abs(a - b) <= PREVIEW_TOLERANCE)
        changed |= ~same
    out = []
    for r in m[changed].to_dict("records"):
        row = {"patron": r["patron"], "target": r["target"], "domain": r["domain"], "year": int(r["year"])}
        for c in ("value", "low", "high"):
            for side in ("before", "after"):
                v = r[f"{c}_{side}"]
                row[f"{c}_{side}" if c != "value" else side] = None if pd.isna(v) else float(v)
        out.append(row)
    return out


def preview(db, key: str, state: str = "accepted", *, edited: dict | None = None, date=None,
            mode: str | None = None, cell: tuple | None = None, before=None) -> dict:
    """Exactly what deciding ``state`` on item ``key`` would change: the world rebuilt with
    the decision taken as made (heartland.review.policy.hypothetical; nothing is written)
    and every influence number shown (``shown_numbers``) compared with today's.

    ``db``: the store (path or connection). ``cell`` (patron, target, domain, year): the
    cell to list first (the item's own, from ``compute_impacts``); the others follow,
    largest change first. ``before``: today's ``shown_numbers`` when the caller has them.
    Returns ``{"key", "state", "changes": [...], "seconds"}``; no changes: an empty list.
    """
    import json
    import time

    from heartland.review.policy import current_mode, hypothetical
    from heartland.world import build_world

    t0 = time.perf_counter()
    mode = current_mode(mode)
    if before is None:
        before = shown_numbers(build_world(db, date, evidence=mode))
    with hypothetical({key: (state, json.dumps(edited, ensure_ascii=False, default=str) if edited else None)}):
        after = shown_numbers(build_world(db, date, evidence=mode))
    changes = diff_numbers(before, after)

    def size(c: dict) -> float:
        a, b = c["before"], c["after"]
        return float("inf") if (a is None) != (b is None) else abs((b or 0.0) - (a or 0.0))

    own = tuple(cell) if cell else None
    changes.sort(key=lambda c: (own is None or (c["patron"], c["target"], c["domain"], c["year"]) != own,
                                c["domain"] == "overall", -size(c), c["patron"], c["target"], c["domain"], c["year"]))
    return {"key": key, "state": state, "changes": changes, "seconds": round(time.perf_counter() - t0, 3)}
