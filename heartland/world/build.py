"""Build the regional system as of a date: evidence → tie components → domain ties → arrays.

Library API (for the measure, simulate, report and web stages)::

    from heartland.world import build_world, world_arrays
    world = build_world("heartland.duckdb", "2024-12-31")   # or a duckdb connection, or None
    arrays = world_arrays(world, 2024)                      # TieArrays on (patron, target, domain)

See docs/world.md for the mapping table, the precedence rule and the parameters.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

from heartland.errors import UserError
from heartland.world.asof import as_date
from heartland.world.axes import DOMAINS, PATRONS, TARGETS
from heartland.world.components import COMPONENTS, institution_components, scale
from heartland.world.curated import load_curated_ties
from heartland.world.evidence import ADDITIVE, EvidenceItem, empty_evidence, normalise, unit_mismatches
from heartland.world.institutions import Institutions, load_institutions
from heartland.world.panel import panel_evidence
from heartland.world.precedence import PrecedenceParams, combine

#: Targets with ties: the five states, and C5 (the five together) for regional figures.
TIE_TARGETS: tuple[str, ...] = TARGETS + ("C5",)
SIDES = ("bandwidth", "dependence")
#: Domains where institution memberships alone make a tie (documented in docs/world.md).
STRUCTURAL_DOMAINS = ("politics", "connectivity")


@dataclass(frozen=True)
class WorldParams:
    """Named parameters of the world builder (defaults documented in docs/world.md)."""

    first_year: int = 2015
    precedence: PrecedenceParams = PrecedenceParams()
    #: Weight of the relative-bandwidth share among the dependence components of a domain.
    relative_dependence_weight: float = 1.0


_NO_ROWS = np.empty(0, dtype=np.intp)


@dataclass
class World:
    """The regional system as of ``date`` for ``years`` (first_year .. date.year)."""

    date: date
    years: tuple[int, ...]
    evidence: pd.DataFrame
    components: pd.DataFrame
    roles: pd.DataFrame
    ties: pd.DataFrame
    institutions: Institutions
    arrays: dict[str, np.ndarray]
    events: pd.DataFrame = field(default_factory=pd.DataFrame)
    quotes: pd.DataFrame = field(default_factory=pd.DataFrame)
    #: Every event behind an event-derived count (store_io.event_trace): what explain lists.
    event_trace: pd.DataFrame = field(default_factory=pd.DataFrame)
    #: The evidence mode the world was built with (policy, reviewed, all: docs/review.md).
    evidence_mode: str | None = None
    warnings: list[str] = field(default_factory=list)
    params: WorldParams = WorldParams()

    def __getstate__(self) -> dict:
        # the store's raw inputs (``inputs``) are not kept with a pickled world (the world cache)
        state = self.__dict__.copy()
        state.pop("_hl_inputs", None)
        return state

    @property
    def inputs(self) -> dict:
        """The store's facts and events as read before the evidence policy filtered them
        (``build_world(..., keep_inputs=True)``; empty otherwise, and in a world loaded from
        the world cache): the review's impacts reuse them instead of reading them again."""
        return self.__dict__.get("_hl_inputs") or {}

    # -- queries -------------------------------------------------------------------------
    def _rows_of(self, table: str, key: tuple) -> np.ndarray:
        """Positions of ``table``'s rows with (patron, target, indicator|domain, year) = ``key``,
        ascending. The grouping is made once per world and kept on it (not a field): the
        report's fifty explanations filtered the whole table on every query (~70% of their time)."""
        memo = self.__dict__.setdefault("_hl_rows", {})
        groups = memo.get(table)
        if groups is None:
            df = getattr(self, table)
            cols = ["patron", "target", "domain" if table == "ties" else "indicator", "year"]
            groups = memo[table] = df.groupby(cols, sort=False, dropna=True).indices if len(df) else {}
        return groups.get(key, _NO_ROWS)

    def component(self, patron: str, target: str, indicator: str, year: int) -> dict | None:
        pos = self._rows_of("components", (patron, target, indicator, year))
        return None if not len(pos) else self.components.iloc[int(pos[0])].to_dict()

    def tie(self, patron: str, target: str, domain: str, year: int) -> dict | None:
        pos = self._rows_of("ties", (patron, target, domain, year))
        return None if not len(pos) else self.ties.iloc[int(pos[0])].to_dict()

    def sources(self, patron: str, target: str, indicator: str, year: int) -> list[EvidenceItem]:
        """Every evidence item behind one component value, with its role."""
        pos = self._rows_of("roles", (patron, target, indicator, year))
        if not len(pos):
            return []
        m = self.roles.iloc[pos]
        memo = self.__dict__.setdefault("_hl_rows", {})
        ev = memo.get("evidence_by_eid")
        if ev is None:
            ev = memo["evidence_by_eid"] = self.evidence.set_index("eid")
        out = []
        for eid, role in zip(m.eid, m.role):
            item = EvidenceItem.from_row({"eid": eid, **ev.loc[eid].to_dict()})
            item.role = role
            out.append(item)
        order = {"used": 0, "supporting": 1, "conflicting": 2}
        return sorted(out, key=lambda i: (order.get(i.role or "", 3), -(i.year), i.eid))


@dataclass
class TieArrays:
    """Ties of one year on the (patron, target, domain) axes, each an interval.

    ``bandwidth`` and ``dependence`` are the midpoints of the intervals; ``alliance``
    (patron, target) is 1 where the two share a collective-defence treaty (CSTO) in
    force, ``union`` 1 where they share a customs/economic union (EAEU). NaN = unknown.
    """

    year: int
    bandwidth_low: np.ndarray
    bandwidth_high: np.ndarray
    dependence_low: np.ndarray
    dependence_high: np.ndarray
    alliance: np.ndarray | None = None
    union: np.ndarray | None = None
    #: (patron, target, domain) ground of each cell: data / evidence / prior (heartland.world.ground);
    #: set by simulation_start, None from world_arrays.
    ground: np.ndarray | None = None
    #: The year's prior for the cells the world leaves unknown (heartland.world.prior.YearPrior).
    prior: object | None = None

    @property
    def bandwidth(self) -> np.ndarray:
        return (self.bandwidth_low + self.bandwidth_high) / 2

    @property
    def dependence(self) -> np.ndarray:
        return (self.dependence_low + self.dependence_high) / 2


_as_date = as_date  # (moved to asof.py so the world cache can parse dates without pandas)


def load_evidence(conn, evidence: str = "policy", reference: pd.DataFrame | None = None,
                  inputs: dict | None = None) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, list[str]]:
    """Evidence, events and quotes from a store connection (None → nothing), the extracted
    items filtered by the evidence policy ``evidence`` (heartland.review.policy; docs/review.md);
    ``reference``: curated items, which (with the store's datasets) facts may agree with.
    ``inputs``: a dict that receives the store's facts (``store_io.fact_evidence``) and events
    (``store_io.load_events``) as read, before the policy filters them (``World.inputs``)."""
    from heartland.review import policy
    from heartland.world import store_io

    evidence = policy.check_mode(evidence)
    if conn is None:
        return empty_evidence(), pd.DataFrame(), pd.DataFrame(), []
    parts, warnings = [], []
    ds = store_io.dataset_evidence(conn)
    if not ds.empty:
        parts.append(ds.assign(ground="data"))
    facts, w = store_io.fact_evidence(conn)
    warnings += w
    if inputs is not None:
        inputs["facts"] = facts
    if not facts.empty:
        outlets = store_io.fact_outlets(conn)
        facts = facts.assign(n_outlets=facts["eid"].astype(str).str.removeprefix("fact:").map(outlets).fillna(1))
        ref = pd.concat([x for x in (ds, reference) if x is not None and not x.empty], ignore_index=True) \
            if (not ds.empty or (reference is not None and not reference.empty)) else None
        facts = policy.admit_facts(facts, policy.item_states(conn, "fact"), evidence, ref)
        facts = facts.drop(columns=[c for c in ("n_outlets", "confidence") if c in facts.columns])
        if not facts.empty:
            parts.append(facts)
    ev = pd.concat(parts, ignore_index=True) if parts else empty_evidence()
    events = store_io.load_events(conn)
    if inputs is not None:
        inputs["events"] = events
    events = policy.admit_events(events, policy.item_states(conn, "event"), evidence)
    return ev, events, store_io.load_quotes(conn), warnings


def _derived(comps: pd.DataFrame, years) -> pd.DataFrame:
    """Derived evidence: C5 sums of additive indicators and trade shares, from same-year values."""
    c = comps[comps["year"] == comps["year_used"]]
    rows = []
    # C5 sums: only when all five states have a figure that year.
    five = c[c["target"].isin(TARGETS) & c["indicator"].isin(ADDITIVE)]
    if not five.empty:
        g = five.groupby(["patron", "indicator", "year"]).agg(n=("target", "nunique"), low=("low", "sum"),
                                                            high=("high", "sum"), unit=("unit", "first"))
        g = g[g["n"] == len(TARGETS)].reset_index()
        for r in g.itertuples():
            rows.append({"eid": f"derived:sum:{r.patron}:C5:{r.indicator}:{r.year}", "kind": "derived",
                         "patron": r.patron, "target": "C5", "indicator": r.indicator, "year": r.year,
                         "low": r.low, "high": r.high, "unit": r.unit,
                         "source": "heartland: sum over KAZ, KGZ, TJK, TKM, UZB",
                         "note": f"sum of the five states' {r.indicator} {r.year}"})
    # Trade share = bilateral / the target's total (interval division), one merge for all.
    bil = c[(c["indicator"] == "trade_bilateral") & (c["patron"] != "WLD")][["patron", "target", "year", "low", "high"]]
    tot = c[(c["indicator"] == "trade_total") & (c["patron"] == "WLD")][["target", "year", "low", "high"]]
    tot = tot.drop_duplicates(["target", "year"])
    sh = bil.merge(tot, on=["target", "year"], suffixes=("", "_tot"))
    sh = sh[sh["low_tot"] > 0]
    if len(sh):
        y = sh["year"].astype(int).astype(str)
        rows.extend(pd.DataFrame({
            "eid": "derived:share:" + sh["patron"] + ":" + sh["target"] + ":trade_share:" + y,
            "kind": "derived", "patron": sh["patron"], "target": sh["target"], "indicator": "trade_share",
            "year": sh["year"],
            # Mirror statistics can put bilateral trade above the target's own total; a
            # share is capped at 1 (the excess shows as a conflict).
            "low": np.minimum(1.0, sh["low"] / sh["high_tot"]), "high": np.minimum(1.0, sh["high"] / sh["low_tot"]),
            "unit": "share", "source": "heartland: trade_bilateral / trade_total",
            "note": sh["patron"] + "-" + sh["target"] + " trade_bilateral " + y + " divided by " + sh["target"]
            + " trade_total " + y,
        }).to_dict("records"))
    if not rows:
        return empty_evidence()
    return normalise(pd.DataFrame(rows))


def _ties(comps: pd.DataFrame, years, params: WorldParams) -> pd.DataFrame:
    """Domain ties: weighted means of scaled components, low and high separately."""
    spec = pd.DataFrame([c.__dict__ for c in COMPONENTS])
    m = comps.merge(spec, on="indicator", how="inner")
    m = m[m["patron"].isin(PATRONS) & m["target"].isin(TIE_TARGETS)]
    # Membership-based components (inst_*, alliance) need an anchor. A dyad's domain is
    # anchored by a figure of its own (arms, trade, ...), or by a positive membership tie
    # when the target's domain is measured that year (some patron has a figure for it) or
    # the domain is one where institutions are primary evidence (politics, connectivity:
    # summit mechanisms, corridors), or, for security, by an alliance (CSTO) in force.
    # An anchored domain uses all its components, zeros
    # included (membership lists are complete); an unanchored one is missing: a zero
    # membership tie alone never turns "unknown" into "none".
    structural = m["indicator"].str.startswith("inst_") | (m["indicator"] == "alliance")
    dyad = [m["patron"], m["target"], m["domain"], m["year"]]
    own = (~structural).groupby(dyad).transform("any")
    positive = (structural & (m["low"] > 0)).groupby(dyad).transform("any")
    # A collective-defence treaty in force is a security tie in its own right (and makes
    # the target's security measured, so other patrons' institutional ties count too).
    ally = (m["indicator"] == "alliance") & (m["low"] > 0)
    allied = ally.groupby(dyad).transform("any")
    measured = ((~structural) | ally).groupby([m["target"], m["domain"], m["year"]]).transform("any")
    anchored = own | allied | (positive & (measured | m["domain"].isin(STRUCTURAL_DOMAINS)))
    m = m[anchored]
    out = []
    for (how, ref), grp in m.groupby(["scale", "ref"]):
        grp = grp.copy()
        grp["s_low"] = scale(grp["low"].to_numpy(), how, ref)
        grp["s_high"] = scale(grp["high"].to_numpy(), how, ref)
        out.append(grp)
    if out:
        m = pd.concat(out, ignore_index=True)
        m = m[m["s_low"].notna()]
    idx = pd.MultiIndex.from_product([PATRONS, TIE_TARGETS, DOMAINS, list(years)],
                                     names=["patron", "target", "domain", "year"])
    ties = pd.DataFrame(index=idx).reset_index()
    for side in SIDES:
        s = m[m["side"] == side] if out else m.iloc[0:0]
        if s.empty:
            for b in ("low", "high"):
                ties[f"{side}_{b}"] = np.nan
            ties[f"{side}_n"] = 0
            continue
        s = s.assign(wl=s["weight"] * s["s_low"], wh=s["weight"] * s["s_high"])
        agg = s.groupby(["patron", "target", "domain", "year"]).agg(
            wl=("wl", "sum"), wh=("wh", "sum"), w=("weight", "sum"), n=("indicator", "size")).reset_index()
        agg[f"{side}_low"] = agg["wl"] / agg["w"]
        agg[f"{side}_high"] = agg["wh"] / agg["w"]
        agg[f"{side}_n"] = agg["n"]
        agg[f"{side}_w"] = agg["w"]
        ties = ties.merge(agg[["patron", "target", "domain", "year", f"{side}_low", f"{side}_high",
                               f"{side}_n", f"{side}_w"]], how="left", on=["patron", "target", "domain", "year"])
    ties["bandwidth_n"] = ties["bandwidth_n"].fillna(0).astype(int)
    ties["dependence_n"] = ties["dependence_n"].fillna(0).astype(int)
    # Relative dependence: the patron's share of the target's tracked bandwidth in the
    # domain (FBIC's "share of the target's interactions"), one more dependence component.
    key = ["target", "domain", "year"]
    gk = ties.groupby(key)
    present = gk["bandwidth_low"].transform("count") > 0
    tot_low = gk["bandwidth_low"].transform("sum").where(present)
    tot_high = gk["bandwidth_high"].transform("sum").where(present)
    bl, bh = ties["bandwidth_low"], ties["bandwidth_high"]
    with np.errstate(invalid="ignore", divide="ignore"):
        rel_low = bl / (bl + (tot_high - bh))
        rel_high = bh / (bh + (tot_low - bl))
    rel_low = rel_low.where(bl.notna() & (bh > 0), np.where(bl.notna(), 0.0, np.nan))
    rel_high = rel_high.where(bl.notna() & (bh > 0), np.where(bl.notna(), 0.0, np.nan))
    rw = params.relative_dependence_weight
    w = ties.get("dependence_w", pd.Series(np.nan, index=ties.index)).fillna(0.0)
    dl = ties["dependence_low"].fillna(0.0) * w
    dh = ties["dependence_high"].fillna(0.0) * w
    has_rel = rel_low.notna() & (rw > 0)
    denom = w + np.where(has_rel, rw, 0.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        ties["dependence_low"] = np.where(denom > 0, (dl + np.where(has_rel, rw * rel_low, 0.0)) / denom, np.nan)
        ties["dependence_high"] = np.where(denom > 0, (dh + np.where(has_rel, rw * rel_high, 0.0)) / denom, np.nan)
    ties["relative_low"], ties["relative_high"] = rel_low, rel_high
    return ties.drop(columns=[c for c in ("bandwidth_w", "dependence_w") if c in ties.columns])


def _arrays(ties: pd.DataFrame, years) -> dict[str, np.ndarray]:
    t = ties[ties["target"].isin(TARGETS)]
    shape = (len(years), len(PATRONS), len(TARGETS), len(DOMAINS))
    yi = {y: i for i, y in enumerate(years)}
    pi = {p: i for i, p in enumerate(PATRONS)}
    ti = {x: i for i, x in enumerate(TARGETS)}
    di = {d: i for i, d in enumerate(DOMAINS)}
    ix = (t["year"].map(yi).to_numpy(), t["patron"].map(pi).to_numpy(), t["target"].map(ti).to_numpy(),
          t["domain"].map(di).to_numpy())
    out = {}
    for name in ("bandwidth_low", "bandwidth_high", "dependence_low", "dependence_high"):
        a = np.full(shape, np.nan)
        a[ix] = t[name].to_numpy(dtype=float)
        out[name] = a
    return out


def build_world(conn_or_db=None, date=None, *, params: WorldParams = WorldParams(),
                curated_path: Path | str | None = None, institutions_path: Path | str | None = None,
                extra_evidence: pd.DataFrame | None = None, evidence: str | None = None,
                panel: bool | None = None, keep_inputs: bool = False) -> World:
    """Build the world as of ``date`` from the store (path, connection or None), the bundled
    data panel and the curated data. ``panel`` (default: with the bundled curated table,
    i.e. when no ``curated_path`` is given) adds the panel of heartland/data/panel.

    ``date`` may be a ``date``, ``datetime``, ``"YYYY-MM-DD"`` or ``"YYYY"`` (31 December);
    default today. Ties exist for every year from ``params.first_year`` to the date's year.
    ``keep_inputs``: keep the store's facts and events as read on the world (``World.inputs``).
    """
    from heartland.world import store_io

    on = _as_date(date)
    years = tuple(range(min(params.first_year, on.year), on.year + 1))
    inst = load_institutions(institutions_path)
    curated = load_curated_ties(curated_path)
    from heartland.review.policy import current_mode
    evidence = current_mode(evidence)  # --evidence / HEARTLAND_EVIDENCE, default policy
    if curated is not None and not curated.empty and "ground" in curated.columns:
        curated = curated.assign(ground=curated["ground"].fillna("curated"))
    if panel is None:
        panel = curated_path is None
    bundled = panel_evidence() if panel else empty_evidence()
    reference = pd.concat([x for x in (curated, bundled) if not x.empty], ignore_index=True) \
        if not (curated.empty and bundled.empty) else curated
    with store_io.connection(conn_or_db) as conn:
        inputs: dict = {}
        stored, events, quotes, warnings = load_evidence(conn, evidence, reference=reference, inputs=inputs)
    parts = [p for p in (curated, bundled, stored, extra_evidence) if p is not None and not p.empty]
    # Each part is normalised by its loader; extra evidence from a caller may not be.
    if extra_evidence is not None and not extra_evidence.empty:
        parts = [p for p in parts if p is not extra_evidence] + [normalise(extra_evidence)]
    ev = pd.concat(parts, ignore_index=True) if parts else empty_evidence()
    bad = unit_mismatches(ev)
    for r in bad.itertuples():
        warnings.append(f"{r.eid}: unit {r.unit!r} does not fit indicator {r.indicator!r}; left out")
    ev = ev.drop(index=bad.index)
    ev = ev.reset_index(drop=True)
    ev["ground"] = ev["ground"].fillna(ev["kind"].map({"curated": "curated", "dataset": "data"}))
    ev["year"] = ev["year"].astype(int)
    comps, roles = combine(ev, years, params.precedence)
    derived = _derived(comps, years)
    if not derived.empty:
        # Second pass only for the (patron, target, indicator) series the derived items join.
        keys = list(set(zip(derived["patron"], derived["target"], derived["indicator"])))
        tri = ["patron", "target", "indicator"]
        in_ev = pd.MultiIndex.from_frame(ev[tri].astype(object)).isin(keys)
        c2, r2 = combine(pd.concat([ev[in_ev], derived], ignore_index=True), years, params.precedence)
        keep_c = ~pd.MultiIndex.from_frame(comps[tri].astype(object)).isin(keys)
        keep_r = ~pd.MultiIndex.from_frame(roles[tri].astype(object)).isin(keys)
        comps = pd.concat([comps[keep_c], c2], ignore_index=True)
        roles = pd.concat([roles[keep_r], r2], ignore_index=True)
        ev = pd.concat([ev, derived.assign(ground="derived")], ignore_index=True)
        ev["year"] = ev["year"].astype(int)
    inst_c = institution_components(inst, years, on)
    # The five together: the mean of the five states' institutional ties.
    c5 = inst_c.groupby(["patron", "indicator", "year"], as_index=False)["value"].mean().assign(
        target="C5", institutions="")
    inst_c = pd.concat([inst_c, c5], ignore_index=True)
    inst_rows = inst_c.assign(low=inst_c["value"], high=inst_c["value"], unit="score", year_used=inst_c["year"],
                              conflict=False, disputed=False, open_high=False, n_used=0, n_items=0)
    trace = store_io.event_trace(events, years)
    ev_c = store_io.counts_from_trace(trace)
    parts = [comps, inst_rows.drop(columns=["value"])]
    if not ev_c.empty:
        parts.append(ev_c)
    all_comps = pd.concat(parts, ignore_index=True)
    ties = _ties(all_comps, years, params)
    world = World(date=on, years=years, evidence=ev, components=all_comps, roles=roles, ties=ties,
                  institutions=inst, arrays=_arrays(ties, years), events=events, quotes=quotes,
                  event_trace=trace, evidence_mode=evidence, warnings=warnings, params=params)
    if keep_inputs:
        world.__dict__["_hl_inputs"] = inputs
    return world


def _membership_matrix(world: World, institution: str, year: int) -> np.ndarray:
    from heartland.world.components import year_date
    from heartland.world.institutions import FULL_ROLES

    on = year_date(year, world.date)
    members = set(world.institutions.members(institution, on, roles=FULL_ROLES))
    return np.array([[1.0 if (p in members and t in members) else 0.0 for t in TARGETS] for p in PATRONS])


def world_arrays(world: World, year: int | None = None) -> TieArrays:
    """One year of the world as arrays on (patron, target, domain); default the latest year.

    Missing ties are NaN (never 0): the measure functions leave NaN domains out.
    """
    y = world.years[-1] if year is None else int(year)
    if y not in world.years:
        raise UserError(f"year {y} is outside the world's years {world.years[0]}-{world.years[-1]}")
    i = world.years.index(y)
    a = world.arrays
    return TieArrays(year=y, bandwidth_low=a["bandwidth_low"][i].copy(), bandwidth_high=a["bandwidth_high"][i].copy(),
                     dependence_low=a["dependence_low"][i].copy(), dependence_high=a["dependence_high"][i].copy(),
                     alliance=_membership_matrix(world, "CSTO", y), union=_membership_matrix(world, "EAEU", y))


def latest_evidence_year(world: World) -> int:
    """The latest year with evidence of its own (not only carried or membership-based)."""
    ev = world.evidence
    years = [int(y) for y in ev["year"]] if len(ev) else []
    last = max(years) if years else world.years[-1]
    return min(last, world.years[-1])


def simulation_start(year: int | None = None, db=None, date=None) -> TieArrays:
    """The start state for the simulation: :func:`world_arrays` of the world built from the
    bundled panel and curated data (and the store ``db`` when given), at ``year`` (default:
    the latest year with evidence), with each cell's ``ground`` and the year's ``prior``
    for the cells the world leaves unknown (docs/data.md)."""
    from heartland.world.ground import ground_array
    from heartland.world.prior import year_prior

    world = build_world(db, date if date is not None else (f"{year}-12-31" if year else None))
    y = year if year is not None else latest_evidence_year(world)
    arrays = world_arrays(world, y)
    arrays.ground = ground_array(world, y)
    arrays.prior = year_prior(world, y)
    return arrays
