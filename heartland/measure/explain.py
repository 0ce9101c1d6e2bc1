"""Explain one influence number: the tie, every component, and every source behind it.

    from heartland.measure.explain import explain
    e = explain(world, "RUS", "KAZ", "security", 2024)
    e.low, e.high, e.components[0].sources[0].source_url

A derived item (a C5 sum, a trade share) lists the items it was computed from as
``inputs``; institution-based components list the membership rows (with their cited
sources) that make them.
"""

from __future__ import annotations

import math

from pydantic import BaseModel, Field

from heartland.errors import UserError
from heartland.measure import indices as ix
from heartland.world.axes import DOMAINS, PATRONS
from heartland.world.build import TIE_TARGETS, World
from heartland.world.components import COMPONENTS, INSTITUTION_DOMAINS, scale, year_date
from heartland.world.evidence import EvidenceItem
from heartland.world.store_io import EVENT_COMPONENTS


#: The grounds a number can rest on (docs/measure.md, "Explain: every ground").
GROUNDS = ("data", "curated", "reviewed", "policy", "unreviewed", "prior")
#: An item's ground by its kind, when the loader did not say (dataset rows are data,
#: curated rows curated; an extracted item nobody vouched for is unreviewed).
KIND_GROUND = {"dataset": "data", "curated": "curated", "fact": "unreviewed", "event": "unreviewed"}
#: Components counted from the store's events (heartland.world.store_io.EVENT_COMPONENTS).
EVENT_INDICATORS = tuple(EVENT_COMPONENTS)
GROUNDS_RULE = ("influence = bandwidth × dependence: each factor carries half the number's weight; within a factor "
                "each component its weight over the factor's total (dependence counts the relative share, which "
                "rests on what the patron's bandwidth rests on); within a component each item it uses an equal "
                "part (a derived value passes its part on to its inputs, an event count to each event counted, a "
                "membership score to the institutions.csv rows; a membership score of 0 rests on the prior that "
                "the membership lists are complete); overall: each domain its weight among the domains present")


class Grounds(BaseModel):
    """Shares of a number's weight by ground; they sum to 1 when the number exists, else all 0."""

    data: float = 0.0
    curated: float = 0.0
    reviewed: float = 0.0
    policy: float = 0.0
    unreviewed: float = 0.0
    prior: float = 0.0

    @classmethod
    def of(cls, parts: dict[str, float]) -> "Grounds":
        return cls(**{g: float(parts.get(g, 0.0)) for g in GROUNDS})

    def total(self) -> float:
        return sum(getattr(self, g) for g in GROUNDS)


class ArticleRef(BaseModel):
    id: str
    title: str | None = None
    outlet: str | None = None
    url: str | None = None
    published: str | None = None


class SourceItem(EvidenceItem):
    """An evidence item behind a component, with its ground and, for an article fact, the
    article and the sentence holding its span (``mark_start``/``mark_end`` within it)."""

    article: ArticleRef | None = None
    sentence: str | None = None
    mark_start: int | None = None
    mark_end: int | None = None


class EventSource(BaseModel):
    """One event counted in an event-derived component, with its article and sentence."""

    event_id: str
    type: str
    date: str | None = None
    #: day, week, month, range or year: a year-precision event's date is its 1 January
    date_precision: str | None = None
    actors: list[str] = Field(default_factory=list)
    article_id: str | None = None
    span_start: int | None = None
    span_end: int | None = None
    ground: str = "unreviewed"
    article: ArticleRef | None = None
    sentence: str | None = None
    mark_start: int | None = None
    mark_end: int | None = None


class MembershipSource(BaseModel):
    institution: str
    patron_role: str
    target_role: str
    source: str
    source_url: str
    row: int
    ground: str = "curated"


class LeftOutItem(BaseModel):
    """An extracted item of the number's cell (patron, target, year, one of its domains'
    indicators) that is shown as evidence but not counted, and why (the evidence policy,
    heartland.review.policy: rejected, below confidence, uncorroborated, not reviewed; or
    a unit that does not fit the indicator)."""

    kind: str                      # fact or event
    item_id: str
    indicator: str
    domain: str
    year: int
    why: str
    state: str = "candidate"
    confidence: float | None = None
    value: float | None = None
    low: float | None = None
    high: float | None = None
    unit: str | None = None
    type: str | None = None        # an event's type
    date: str | None = None
    actors: list[str] = Field(default_factory=list)
    article_id: str | None = None
    span_start: int | None = None
    span_end: int | None = None
    article: ArticleRef | None = None
    sentence: str | None = None
    mark_start: int | None = None
    mark_end: int | None = None


class ComponentExplanation(BaseModel):
    domain: str
    side: str
    indicator: str
    weight: float
    scale: str
    ref: float
    low: float | None
    high: float | None
    unit: str
    scaled_low: float | None
    scaled_high: float | None
    year_used: int | None
    conflict: bool = False
    disputed: bool = False
    open_high: bool = False
    #: Whether the component enters the number (scaled, in an anchored domain).
    counted: bool = False
    #: The component's share of the number's weight (0 when not counted).
    share: float = 0.0
    #: What the component rests on (shares sum to 1 when it rests on anything).
    grounds: Grounds = Field(default_factory=Grounds)
    sources: list[SourceItem] = Field(default_factory=list)
    inputs: list[SourceItem] = Field(default_factory=list)
    memberships: list[MembershipSource] = Field(default_factory=list)
    events: list[EventSource] = Field(default_factory=list)


class RelativePart(BaseModel):
    """The relative-share component of a domain's dependence (no items of its own)."""

    domain: str
    weight: float
    low: float | None
    high: float | None
    share: float = 0.0
    grounds: Grounds = Field(default_factory=Grounds)


class Explanation(BaseModel):
    patron: str
    target: str
    domain: str
    year: int
    #: The evidence mode the world was built with (policy, reviewed, all), when it says.
    evidence: str | None = None
    low: float | None
    high: float | None
    value: float | None = None
    bandwidth_low: float | None = None
    bandwidth_high: float | None = None
    dependence_low: float | None = None
    dependence_high: float | None = None
    relative_low: float | None = None
    relative_high: float | None = None
    formula: str
    #: Shares of the number's weight by ground (sum 1 when the number exists).
    grounds: Grounds = Field(default_factory=Grounds)
    grounds_rule: str = GROUNDS_RULE
    components: list[ComponentExplanation]
    relative: list[RelativePart] = Field(default_factory=list)
    #: Extracted items of this cell shown as evidence but not counted, each with why
    #: (filled from the store: ``attach_articles(e, db, world)``).
    left_out: list[LeftOutItem] = Field(default_factory=list)

    def all_sources(self) -> list[EvidenceItem]:
        out = []
        for c in self.components:
            out += c.sources + c.inputs
        return out

    def as_json(self) -> dict:
        """The one JSON shape of an explanation: ``heartland explain --format json`` prints it,
        ``/api/explain`` answers it, the dashboard and the report read it."""
        return self.model_dump(mode="json")

    def all_events(self) -> list[EventSource]:
        return [ev for c in self.components for ev in c.events]


def _f(v) -> float | None:
    try:
        v = float(v)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(v) else v


def _inputs(world: World, item: EvidenceItem) -> list[EvidenceItem]:
    """The items a derived item was computed from (their used and supporting sources)."""
    out = []
    if item.eid.startswith("derived:sum:"):
        targets = [t for t in TIE_TARGETS if t != "C5"]
        keys = [(item.patron, t, item.indicator) for t in targets]
    elif item.eid.startswith("derived:share:"):
        keys = [(item.patron, item.target, "trade_bilateral"), ("WLD", item.target, "trade_total")]
    else:
        return out
    for p, t, ind in keys:
        out += [s for s in world.sources(p, t, ind, item.year) if s.role == "used"]
    return out


def _ground(item) -> str:
    g = getattr(item, "ground", None)
    return g if g in GROUNDS else KIND_GROUND.get(getattr(item, "kind", ""), "unreviewed")


def _source(world: World, item: EvidenceItem) -> SourceItem:
    s = SourceItem(**item.model_dump())
    if s.kind != "derived":
        s.ground = _ground(item)
    return s


def _events(world: World, patron: str, target: str, indicator: str, year: int) -> list[EventSource]:
    """The events counted in one event-derived component (the world's event trace)."""
    tr = getattr(world, "event_trace", None)
    if tr is None or tr.empty:
        return []
    m = tr[(tr.patron == patron) & (tr.target == target) & (tr.indicator == indicator) & (tr.year == year)]
    out = []
    for r in m.itertuples(index=False):
        actors = [str(a) for a in (r.actors if r.actors is not None and not isinstance(r.actors, float) else [])]
        g = r.ground if isinstance(r.ground, str) and r.ground in GROUNDS else "unreviewed"
        prec = getattr(r, "date_precision", None)
        out.append(EventSource(event_id=str(r.event_id), type=str(r.type), date=r.date, actors=actors,
                               date_precision=prec if isinstance(prec, str) else None,
                               article_id=None if r.article_id is None else str(r.article_id),
                               span_start=_i(r.span_start), span_end=_i(r.span_end), ground=g))
    return sorted(out, key=lambda e: (e.date or "", e.event_id))


def _i(v) -> int | None:
    v = _f(v)
    return None if v is None else int(v)


def _component_grounds(c: ComponentExplanation) -> Grounds:
    """What one component rests on: its events, its membership rows, or the items it uses."""
    parts: dict[str, float] = {}

    def add(g: str, w: float) -> None:
        parts[g] = parts.get(g, 0.0) + w

    if c.indicator in EVENT_INDICATORS:
        for ev in c.events:
            add(ev.ground, 1.0 / len(c.events))
    elif c.indicator.startswith("inst_") or c.indicator == "alliance":
        if c.memberships and (c.low or 0) > 0:
            add("curated", 1.0)
    else:
        used = [s for s in c.sources if s.role == "used"]
        for s in used:
            if s.kind == "derived":
                ins = c.inputs  # one derived value per component: its inputs
                for i in ins:
                    add(_ground(i), 1.0 / len(used) / len(ins))
                if not ins:
                    add("prior", 1.0 / len(used))
            else:
                add(_ground(s), 1.0 / len(used))
    if not parts:
        parts["prior"] = 1.0
    return Grounds.of(parts)


def _mix(parts: list[tuple[float, Grounds]]) -> Grounds:
    total = sum(w for w, _ in parts)
    if total <= 0:
        return Grounds()
    return Grounds.of({g: sum(w * getattr(gr, g) for w, gr in parts) / total for g in GROUNDS})


def _apportion(comps: list[ComponentExplanation], tie: dict, domain: str, rel_weight: float,
               scale_by: float) -> tuple[Grounds, RelativePart | None]:
    """Share each counted component of one domain's number; return the domain's grounds.

    Bandwidth and dependence each carry half; within a side, component weights; the
    relative share (dependence) rests on what the patron's bandwidth rests on.
    """
    bw = [c for c in comps if c.counted and c.side == "bandwidth"]
    dep = [c for c in comps if c.counted and c.side == "dependence"]
    has_rel = _f(tie.get("relative_low")) is not None and rel_weight > 0
    w_bw = sum(c.weight for c in bw)
    w_dep = sum(c.weight for c in dep) + (rel_weight if has_rel else 0.0)
    if w_bw <= 0 or w_dep <= 0:
        for c in comps:
            c.share = 0.0
        return Grounds(), None
    for c in bw:
        c.share = scale_by * 0.5 * c.weight / w_bw
    for c in dep:
        c.share = scale_by * 0.5 * c.weight / w_dep
    bw_grounds = _mix([(c.weight, c.grounds) for c in bw])
    rel = None
    parts = [(c.share, c.grounds) for c in bw + dep]
    if has_rel:
        rel = RelativePart(domain=domain, weight=rel_weight, low=_f(tie.get("relative_low")),
                           high=_f(tie.get("relative_high")), share=scale_by * 0.5 * rel_weight / w_dep,
                           grounds=bw_grounds)
        parts.append((rel.share, rel.grounds))
    return _mix(parts), rel


def explain(world: World, patron: str, target: str, domain: str, year: int, db=None) -> Explanation:
    """Everything behind influence of ``patron`` over ``target`` in ``domain`` (or 'overall').

    ``db`` (a store path or connection, optional): where to read the articles of the
    facts and events listed, for their title, outlet, URL and the sentence of each span.
    """
    patron, target = patron.upper(), target.upper()
    if patron not in PATRONS:
        raise UserError(f"PATRON: {patron!r} is not one of {', '.join(PATRONS)}")
    if target not in TIE_TARGETS:
        raise UserError(f"TARGET: {target!r} is not one of {', '.join(TIE_TARGETS)}")
    if domain not in DOMAINS + ("overall",):
        raise UserError(f"DOMAIN: {domain!r} is not one of {', '.join(DOMAINS)}, overall")
    if year not in world.years:
        raise UserError(f"--date: year {year} is outside the world's years {world.years[0]}-{world.years[-1]}")
    domains = DOMAINS if domain == "overall" else (domain,)
    comps: list[ComponentExplanation] = []
    on = year_date(year, world.date)
    for spec in COMPONENTS:
        if spec.domain not in domains:
            continue
        c = world.component(patron, target, spec.indicator, year)
        if c is None:
            continue
        lo, hi = _f(c.get("low")), _f(c.get("high"))
        sl = scale([lo if lo is not None else math.nan], spec.scale, spec.ref)[0]
        sh = scale([hi if hi is not None else math.nan], spec.scale, spec.ref)[0]
        srcs = [_source(world, s) for s in world.sources(patron, target, spec.indicator, year)]
        inputs = []
        for s in srcs:
            if s.kind == "derived" and s.role == "used":
                inputs += [_source(world, i) for i in _inputs(world, s)]
        mem = []
        if spec.indicator.startswith("inst_") or spec.indicator == "alliance":
            for ra, rb in world.institutions.shared(patron, target, on):
                if spec.indicator == "alliance" and ra.institution != "CSTO":
                    continue
                if spec.indicator.startswith("inst_") and \
                        spec.indicator[5:] not in INSTITUTION_DOMAINS.get(ra.institution, {}):
                    continue
                mem.append(MembershipSource(institution=ra.institution, patron_role=ra.role, target_role=rb.role,
                                            source=rb.source, source_url=rb.source_url, row=rb.row))
        events = _events(world, patron, target, spec.indicator, year) if spec.indicator in EVENT_INDICATORS else []
        comp = ComponentExplanation(
            domain=spec.domain, side=spec.side, indicator=spec.indicator, weight=spec.weight, scale=spec.scale,
            ref=spec.ref, low=lo, high=hi, unit=str(c.get("unit") or ""), scaled_low=_f(sl), scaled_high=_f(sh),
            year_used=int(c["year_used"]) if _f(c.get("year_used")) is not None else None,
            conflict=bool(c.get("conflict")), disputed=bool(c.get("disputed")), open_high=bool(c.get("open_high")),
            sources=srcs, inputs=inputs, memberships=mem, events=events)
        comp.grounds = _component_grounds(comp)
        comps.append(comp)
    rw = float(getattr(getattr(world, "params", None), "relative_dependence_weight", 1.0))
    relative: list[RelativePart] = []

    def domain_tie(d: str) -> dict:
        return world.tie(patron, target, d, year) or {}

    def influence_of(t: dict) -> tuple[float | None, float | None]:
        return (_f(ix.domain_influence(t.get("bandwidth_low", math.nan), t.get("dependence_low", math.nan))),
                _f(ix.domain_influence(t.get("bandwidth_high", math.nan), t.get("dependence_high", math.nan))))

    def mark_counted(d: str, t: dict) -> None:
        present = influence_of(t)[0] is not None
        for c in comps:
            if c.domain == d:
                c.counted = present and c.scaled_low is not None

    if domain == "overall":
        import numpy as np

        lows, highs, present = [], [], {}
        for i, d in enumerate(DOMAINS):
            t = domain_tie(d)
            dl, dh = influence_of(t)
            lows.append(np.nan if dl is None else dl)
            highs.append(np.nan if dh is None else dh)
            mark_counted(d, t)
            if dl is not None:
                present[d] = (float(ix.DEFAULT_DOMAIN_WEIGHTS[i]), t)
        lo = _f(ix.overall_influence(np.array(lows, dtype=float)))
        hi = _f(ix.overall_influence(np.array(highs, dtype=float)))
        tie = {}
        formula = "overall = weighted mean of the domain influences (weights in docs/measure.md)"
        w_all = sum(w for w, _ in present.values())
        parts = []
        for d, (w, t) in present.items():
            g, rel = _apportion([c for c in comps if c.domain == d], t, d, rw, w / w_all)
            parts.append((w / w_all, g))
            if rel:
                relative.append(rel)
        grounds = _mix(parts) if parts else Grounds()
    else:
        tie = domain_tie(domain)
        lo, hi = influence_of(tie)
        mark_counted(domain, tie)
        formula = ("influence = bandwidth × dependence; bandwidth = weighted mean of scaled bandwidth components; "
                   "dependence = weighted mean of dependence components and the relative bandwidth share")
        grounds, rel = _apportion(comps, tie, domain, rw, 1.0) if lo is not None else (Grounds(), None)
        if rel:
            relative.append(rel)
    vals = [v for v in (lo, hi) if v is not None]
    e = Explanation(patron=patron, target=target, domain=domain, year=year,
                    evidence=getattr(world, "evidence_mode", None), low=lo, high=hi,
                    value=sum(vals) / len(vals) if vals else None,
                    bandwidth_low=_f(tie.get("bandwidth_low")), bandwidth_high=_f(tie.get("bandwidth_high")),
                    dependence_low=_f(tie.get("dependence_low")), dependence_high=_f(tie.get("dependence_high")),
                    relative_low=_f(tie.get("relative_low")), relative_high=_f(tie.get("relative_high")),
                    formula=formula, grounds=grounds, components=comps, relative=relative)
    if db is not None:
        attach_articles(e, db, world)
    return e


# -- what the policy left out ------------------------------------------------------------

def _left_out_frames(world: World, conn):
    """The store's facts and event pairs the world does not count, with why: computed once
    per world (a world is built from one state of one store) and kept on it, so a report
    explaining many cells reads the store once. (facts, event trace rows, event info)."""
    import pandas as pd

    from heartland.review import policy
    from heartland.world import store_io
    from heartland.world.evidence import unit_mismatches

    got = getattr(world, "_hl_left_out", None)
    if got is not None:
        return got
    mode = policy.check_mode(getattr(world, "evidence_mode", None))
    facts, _ = store_io.fact_evidence(conn)
    f_out = pd.DataFrame()
    if not facts.empty:
        outlets = store_io.fact_outlets(conn)
        f = facts.assign(n_outlets=facts["eid"].astype(str).str.removeprefix("fact:").map(outlets).fillna(1))
        ev = world.evidence
        ref = ev[ev["kind"].isin(["dataset", "curated"])] if "kind" in ev.columns else None
        st = policy.fact_status(f, policy.item_states(conn, "fact"), mode, ref)
        bad = st.index.isin(unit_mismatches(st).index) & st["why"].isna().to_numpy()
        st.loc[bad, "why"] = st.loc[bad, "unit"].map(lambda u: f"unit {u!r} does not fit the indicator")
        f_out = st[st["why"].notna()].assign(year=lambda d: pd.to_numeric(d["year"], errors="coerce"))
    tr, info = pd.DataFrame(), pd.DataFrame()
    events = store_io.load_events(conn)
    if events is not None and not events.empty and "event_id" in events.columns:
        st = policy.event_status(events, policy.item_states(conn, "event"), mode)
        st = st[st["why"].notna()]
        if not st.empty:
            tr = store_io.event_trace(st.drop(columns=["ground"], errors="ignore"), world.years)
            info = st.drop_duplicates("event_id").set_index("event_id")
    out = (f_out, tr, info)
    try:
        world._hl_left_out = out
    except AttributeError:  # a world type that takes no attributes: computed per call
        pass
    return out


def left_out(world: World, conn, patron: str, target: str, domains, year: int) -> list[LeftOutItem]:
    """The store's facts and events for (patron, target, year) and the indicators of
    ``domains`` that the world does not count, each with why (one rule: the policy's
    ``fact_status``/``event_status``; a unit mismatch as the world reports it)."""
    wanted = {c.indicator: c.domain for c in COMPONENTS if c.domain in domains}
    facts, tr, info = _left_out_frames(world, conn)
    out: list[LeftOutItem] = []
    if not facts.empty:
        f = facts[(facts["patron"] == patron) & (facts["target"] == target) & (facts["year"] == year)
                  & facts["indicator"].isin(list(wanted))]
        for _, r in f.iterrows():
            out.append(LeftOutItem(kind="fact", item_id=str(r["item_id"]), indicator=str(r["indicator"]),
                                   domain=wanted[r["indicator"]], year=year, why=str(r["why"]), state=str(r["state"]),
                                   confidence=_f(r["confidence"]), value=_f(r.get("value")),
                                   low=_f(r.get("low")), high=_f(r.get("high")), unit=r.get("unit"),
                                   article_id=None if r.get("article_id") is None else str(r["article_id"]),
                                   span_start=_i(r.get("span_start")), span_end=_i(r.get("span_end"))))
    if not tr.empty:
        t = tr[(tr["patron"] == patron) & (tr["target"] == target) & (tr["year"] == year)
               & tr["indicator"].isin(list(wanted))]
        for r in t.itertuples(index=False):
            x = info.loc[r.event_id]
            out.append(LeftOutItem(kind="event", item_id=str(r.event_id), indicator=str(r.indicator),
                                   domain=wanted[r.indicator], year=year, why=str(x["why"]),
                                   state=str(x["state"]), confidence=_f(x.get("conf_")), type=str(r.type),
                                   date=r.date, actors=[str(a) for a in (r.actors or [])],
                                   article_id=None if r.article_id is None else str(r.article_id),
                                   span_start=_i(r.span_start), span_end=_i(r.span_end)))
    return sorted(out, key=lambda x: (x.domain, x.indicator, x.kind, x.date or "", x.item_id))


# -- articles and sentences ------------------------------------------------------------

def attach_articles(e: Explanation, db, world: World | None = None) -> None:
    """Give every article fact and event in ``e`` its article (title, outlet, URL, date) and
    the sentence holding its span, read from the store ``db`` (path or connection); with
    ``world`` (the one ``e`` was explained from), first list the store's items of the cell
    that the world left out, with why (``left_out``)."""
    from heartland.world import store_io

    with store_io.connection(db) as conn:
        if conn is None:
            return
        if world is not None:
            doms = DOMAINS if e.domain == "overall" else (e.domain,)
            e.left_out = left_out(world, conn, e.patron, e.target, doms, e.year)
        targets = [x for c in e.components for x in c.sources + c.inputs + c.events
                   if getattr(x, "article_id", None)] + [x for x in e.left_out if x.article_id]
        if not targets:
            return
        ids = sorted({str(x.article_id) for x in targets})
        tabs = store_io.tables(conn)
        if "articles" not in tabs:
            return
        arts = {str(r["id"]): r for r in _rows(conn, "SELECT * FROM articles WHERE id IN (SELECT unnest(?))", [ids])}
        facts = {}
        if "facts" in tabs:
            for r in _rows(conn, "SELECT * FROM facts WHERE article_id IN (SELECT unnest(?))", [ids]):
                facts[(str(r.get("article_id")), r.get("span_start"), r.get("span_end"))] = r
    from heartland.report.evidence import article_text, sentence_of

    for x in targets:
        a = arts.get(str(x.article_id))
        if a is None:
            continue
        pub = a.get("published_utc") or a.get("published")
        x.article = ArticleRef(id=str(a["id"]), title=a.get("title"), outlet=a.get("outlet"), url=a.get("url"),
                               published=str(pub)[:10] if pub is not None else None)
        if x.span_start is None or x.span_end is None:
            continue
        text = article_text(a)
        if not text:
            continue
        is_fact = isinstance(x, SourceItem) or (isinstance(x, LeftOutItem) and x.kind == "fact")
        row = facts.get((str(x.article_id), x.span_start, x.span_end), {}) if is_fact else {}
        sent = sentence_of(text, row, (int(x.span_start), int(x.span_end)))
        x.sentence, x.mark_start, x.mark_end = sent["sentence"], sent["mark_start"], sent["mark_end"]


def _rows(conn, sql: str, params: list) -> list[dict]:
    cur = conn.execute(sql, params)
    cols = [d[0] for d in cur.description]
    out = []
    for r in cur.fetchall():
        d = dict(zip(cols, r))
        for k in ("span_start", "span_end", "sentence_start", "sentence_end"):
            if k in d and d[k] is not None:
                d[k] = int(d[k])
        out.append(d)
    return out


# -- text ------------------------------------------------------------------------------

def _iv(lo, hi, digits=3) -> str:
    if lo is None and hi is None:
        return "missing"
    if lo is not None and hi is not None and abs(lo - hi) < 10 ** -(digits + 1):
        return f"{lo:.{digits}f}"
    fmt = lambda v: "?" if v is None else f"{v:.{digits}f}"  # noqa: E731
    return f"[{fmt(lo)}, {fmt(hi)}]"


def grounds_text(g: Grounds) -> str:
    """``data 40%, curated 35%, …`` (grounds with no share left out)."""
    parts = [f"{name} {getattr(g, name) * 100:.0f}%" for name in GROUNDS if getattr(g, name) > 5e-4]
    return ", ".join(parts) if parts else "none (the number is missing)"


def render_text(e: Explanation) -> str:
    """The explanation as plain text lines (what ``heartland explain`` prints)."""
    lines = [f"{e.patron} → {e.target} {e.domain} {e.year}: influence {_iv(e.low, e.high)}",
             f"  grounds: {grounds_text(e.grounds)}" + (f"  (evidence: {e.evidence})" if e.evidence else ""),
             f"  {e.formula}"]
    if e.domain != "overall":
        lines.append(f"  bandwidth {_iv(e.bandwidth_low, e.bandwidth_high)}; dependence "
                     f"{_iv(e.dependence_low, e.dependence_high)} (relative share {_iv(e.relative_low, e.relative_high)})")
    for c in e.components:
        flags = ", ".join(f for f, on in (("CONFLICT: sources disagree, union taken", c.conflict),
                                         ("disputed by lower-ranked sources", c.disputed),
                                         ("upper bound open", c.open_high)) if on)
        carried = f", from {c.year_used}" if c.year_used and c.year_used != e.year else ""
        weight = f"{c.share * 100:.0f}% of the number: {grounds_text(c.grounds)}" if c.counted else "not counted"
        lines.append(f"  - {c.domain}/{c.side} {c.indicator} = {_iv(c.low, c.high)} {c.unit}{carried} → "
                     f"{_iv(c.scaled_low, c.scaled_high)} × weight {c.weight:g}" + (f"  [{flags}]" if flags else "")
                     + f"  ({weight})")
        for s in c.sources:
            lines += _src_lines(s, "      ")
        for s in c.inputs:
            lines += _src_lines(s, "        input: ")
        for m in c.memberships:
            lines.append(f"      membership {m.institution}: {e.patron} {m.patron_role}, {e.target} {m.target_role} "
                         f"— {m.source} {m.source_url} (institutions.csv:{m.row})")
        if c.indicator in EVENT_INDICATORS:
            lines.append(f"      {len(c.events)} event{'s' if len(c.events) != 1 else ''} counted:")
            for ev in c.events:
                lines += _event_lines(ev, "        ")
    if e.left_out:
        lines.append(f"  left out — shown as evidence, not counted ({len(e.left_out)}):")
        for x in e.left_out:
            lines += _left_out_lines(x, "      ")
    for r in e.relative:
        lines.append(f"  - {r.domain}/dependence relative share = {_iv(r.low, r.high)} × weight {r.weight:g}  "
                     f"({r.share * 100:.0f}% of the number: {grounds_text(r.grounds)}, as the patron's bandwidth)")
    return "\n".join(lines)


def _article_line(a: ArticleRef | None, indent: str) -> list[str]:
    if a is None:
        return []
    bits = [b for b in (a.outlet, a.published, f"“{a.title}”" if a.title else None, a.url) if b]
    return [indent + "  " + " · ".join(bits)] if bits else []


def _sentence_line(x, indent: str) -> list[str]:
    if not x.sentence:
        return []
    s, a, b = x.sentence, max(0, x.mark_start or 0), max(0, x.mark_end or 0)
    return [f"{indent}  « {s[:a]}[{s[a:b]}]{s[b:]} »"]


def _event_lines(ev: EventSource, indent: str) -> list[str]:
    where = f" article {ev.article_id} chars {ev.span_start}-{ev.span_end}" if ev.article_id else ""
    from heartland.cli_common import at_precision

    when = at_precision(ev.date, ev.date_precision)
    return ([f"{indent}{ev.ground:<10} event {ev.type} {when} {', '.join(ev.actors)}{where} [{ev.event_id}]"]
            + _article_line(ev.article, indent) + _sentence_line(ev, indent))


def _left_out_lines(x: LeftOutItem, indent: str) -> list[str]:
    where = f" article {x.article_id} chars {x.span_start}-{x.span_end}" if x.article_id else ""
    what = (f"event {x.type} {x.date or '?'} {', '.join(x.actors)}" if x.kind == "event"
            else f"fact {x.indicator} {x.year} = {_iv(x.low, x.high, 4)} {x.unit or ''}".rstrip())
    conf = f", confidence {x.confidence:.2f}" if x.confidence is not None else ""
    return ([f"{indent}{x.domain}/{x.indicator}: {what}{where} [{x.item_id}] — {x.why} ({x.state}{conf})"]
            + _article_line(x.article, indent) + _sentence_line(x, indent))


def _src_lines(s: SourceItem, indent: str) -> list[str]:
    return [indent + _src(s)] + _article_line(s.article, indent) + _sentence_line(s, indent)


def _src(s: EvidenceItem) -> str:
    where = ""
    if s.kind == "fact":
        where = f" article {s.article_id} chars {s.span_start}-{s.span_end}"
    val = _iv(s.low, s.high, 4)
    ground = f" ({s.ground})" if getattr(s, "ground", None) else ""
    return (f"{s.role or '':<11} {s.kind:<8} {s.indicator} {s.year}{' (' + s.period + ')' if s.period else ''} = {val} "
            f"{s.unit} — {s.source}{' ' + s.source_url if s.source_url else ''}{where}"
            f"{' [' + s.eid + ']' if s.kind != 'fact' else ''}{ground}")
