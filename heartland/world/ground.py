"""The ground of every world cell: data, evidence or prior.

A cell is one (patron, target, domain, year) tie. Its ground (docs/data.md):

* ``data`` — at least one of its components rests on a dataset row (the bundled panel or
  an import), a curated entry (a cited public figure), a membership of the curated
  institutions table, or a figure derived only from those;
* ``evidence`` — measured, but only from extracted facts or counted events (articles,
  admitted by the evidence policy or reviewed: docs/review.md);
* ``prior`` — the world has no figure (NaN): the simulation's start fills it from the
  year's prior (heartland.world.prior), and the dashboard and report mark it.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from heartland.world.axes import DOMAINS, PATRONS, TARGETS
from heartland.world.components import COMPONENTS

GROUNDS = ("data", "evidence", "prior")
_DATA_KINDS = {"dataset", "curated"}
_DOMAIN = {c.indicator: c.domain for c in COMPONENTS}


def component_grounds(world) -> pd.DataFrame:
    """One row per component (patron, target, indicator, year) with its ground (data/evidence)."""
    c = world.components[["patron", "target", "indicator", "year"]].copy()
    roles = world.roles
    used = roles[roles["role"] == "used"][["eid", "patron", "target", "indicator", "year"]]
    kinds = world.evidence.set_index("eid")["kind"] if len(world.evidence) else pd.Series(dtype=object)
    used = used.assign(kind=used["eid"].map(kinds))
    used = used.assign(is_data=used["kind"].isin(_DATA_KINDS))
    # Derived items (C5 sums, trade shares) take the ground of the components they were
    # computed from: a share of two dataset figures is data, a share of a fact is evidence.
    der = used[used["kind"] == "derived"]
    if len(der):
        base = used[used["kind"] != "derived"].groupby(["patron", "target", "indicator", "year"])["is_data"].all()
        flags = []
        for eid in der["eid"]:
            parts = str(eid).split(":")
            if parts[1] == "share":
                _, _, p, t, _, y = parts
                inputs = [(p, t, "trade_bilateral", int(y)), ("WLD", t, "trade_total", int(y))]
            else:
                _, _, p, _, ind, y = parts
                inputs = [(p, t, ind, int(y)) for t in TARGETS]
            flags.append(all(bool(base.get(k, False)) for k in inputs))
        used.loc[der.index, "is_data"] = flags
    g = used.groupby(["patron", "target", "indicator", "year"])["is_data"].any().rename("is_data").reset_index()
    c = c.merge(g, on=["patron", "target", "indicator", "year"], how="left")
    # Components without used items: memberships (curated institutions table) are data;
    # event counts are evidence (articles).
    inst = c["indicator"].str.startswith("inst_") | (c["indicator"] == "alliance")
    c["ground"] = np.where(c["is_data"].fillna(inst).astype(bool), "data", "evidence")
    return c.drop(columns="is_data")


def cell_grounds(world) -> pd.DataFrame:
    """One row per (patron, target, domain, year) of the five states: ``ground`` and the
    number of data / evidence components behind the cell."""
    t = world.ties
    t = t[t["target"].isin(TARGETS)][["patron", "target", "domain", "year", "bandwidth_low", "dependence_low"]]
    comp = component_grounds(world)
    comp = comp.assign(domain=comp["indicator"].map(_DOMAIN)).dropna(subset=["domain"])
    n = comp.groupby(["patron", "target", "domain", "year", "ground"]).size().unstack(fill_value=0)
    for g in ("data", "evidence"):
        if g not in n.columns:
            n[g] = 0
    n = n[["data", "evidence"]].rename(columns={"data": "n_data", "evidence": "n_evidence"}).reset_index()
    out = t.merge(n, on=["patron", "target", "domain", "year"], how="left")
    out[["n_data", "n_evidence"]] = out[["n_data", "n_evidence"]].fillna(0).astype(int)
    measured = out["bandwidth_low"].notna() & out["dependence_low"].notna()
    out["ground"] = np.where(~measured, "prior", np.where(out["n_data"] > 0, "data", "evidence"))
    return out[["patron", "target", "domain", "year", "ground", "n_data", "n_evidence"]].reset_index(drop=True)


def ground_array(world, year: int) -> np.ndarray:
    """(patron, target, domain) array of ground names for one year (axes of heartland.world.axes)."""
    g = cell_grounds(world)
    g = g[g["year"] == int(year)]
    out = np.full((len(PATRONS), len(TARGETS), len(DOMAINS)), "prior", dtype=object)
    pi = {p: i for i, p in enumerate(PATRONS)}
    ti = {x: i for i, x in enumerate(TARGETS)}
    di = {d: i for i, d in enumerate(DOMAINS)}
    for r in g.itertuples(index=False):
        out[pi[r.patron], ti[r.target], di[r.domain]] = r.ground
    return out


def ground_counts(world, year: int, by: str = "domain") -> pd.DataFrame:
    """Counts of cells per ground for one year, by ``domain`` or ``patron`` (plus a total row)."""
    g = cell_grounds(world)
    g = g[g["year"] == int(year)]
    order = list(DOMAINS) if by == "domain" else list(PATRONS)
    tab = g.groupby([by, "ground"]).size().unstack(fill_value=0).reindex(order, fill_value=0)
    for k in GROUNDS:
        if k not in tab.columns:
            tab[k] = 0
    tab = tab[list(GROUNDS)]
    tab.loc["total"] = tab.sum()
    tab["cells"] = tab.sum(axis=1)
    return tab.reset_index().rename(columns={"index": by})
