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


class MembershipSource(BaseModel):
    institution: str
    patron_role: str
    target_role: str
    source: str
    source_url: str
    row: int


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
    sources: list[EvidenceItem] = Field(default_factory=list)
    inputs: list[EvidenceItem] = Field(default_factory=list)
    memberships: list[MembershipSource] = Field(default_factory=list)


class Explanation(BaseModel):
    patron: str
    target: str
    domain: str
    year: int
    low: float | None
    high: float | None
    bandwidth_low: float | None = None
    bandwidth_high: float | None = None
    dependence_low: float | None = None
    dependence_high: float | None = None
    relative_low: float | None = None
    relative_high: float | None = None
    formula: str
    components: list[ComponentExplanation]

    def all_sources(self) -> list[EvidenceItem]:
        out = []
        for c in self.components:
            out += c.sources + c.inputs
        return out


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


def explain(world: World, patron: str, target: str, domain: str, year: int) -> Explanation:
    """Everything behind influence of ``patron`` over ``target`` in ``domain`` (or 'overall')."""
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
        srcs = world.sources(patron, target, spec.indicator, year)
        inputs = []
        for s in srcs:
            if s.kind == "derived" and s.role == "used":
                inputs += _inputs(world, s)
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
        comps.append(ComponentExplanation(
            domain=spec.domain, side=spec.side, indicator=spec.indicator, weight=spec.weight, scale=spec.scale,
            ref=spec.ref, low=lo, high=hi, unit=str(c.get("unit") or ""), scaled_low=_f(sl), scaled_high=_f(sh),
            year_used=int(c["year_used"]) if _f(c.get("year_used")) is not None else None,
            conflict=bool(c.get("conflict")), disputed=bool(c.get("disputed")), open_high=bool(c.get("open_high")),
            sources=srcs, inputs=inputs, memberships=mem))
    if domain == "overall":
        import numpy as np

        lows, highs = [], []
        for d in DOMAINS:
            t = world.tie(patron, target, d, year) or {}
            lows.append(ix.domain_influence(np.float64(t.get("bandwidth_low", np.nan)),
                                            np.float64(t.get("dependence_low", np.nan))))
            highs.append(ix.domain_influence(np.float64(t.get("bandwidth_high", np.nan)),
                                             np.float64(t.get("dependence_high", np.nan))))
        lo = _f(ix.overall_influence(np.array(lows, dtype=float)))
        hi = _f(ix.overall_influence(np.array(highs, dtype=float)))
        tie = {}
        formula = "overall = weighted mean of the domain influences (weights in docs/measure.md)"
    else:
        tie = world.tie(patron, target, domain, year) or {}
        lo = _f(ix.domain_influence(tie.get("bandwidth_low", math.nan), tie.get("dependence_low", math.nan)))
        hi = _f(ix.domain_influence(tie.get("bandwidth_high", math.nan), tie.get("dependence_high", math.nan)))
        formula = ("influence = bandwidth × dependence; bandwidth = weighted mean of scaled bandwidth components; "
                   "dependence = weighted mean of dependence components and the relative bandwidth share")
    return Explanation(patron=patron, target=target, domain=domain, year=year, low=lo, high=hi,
                       bandwidth_low=_f(tie.get("bandwidth_low")), bandwidth_high=_f(tie.get("bandwidth_high")),
                       dependence_low=_f(tie.get("dependence_low")), dependence_high=_f(tie.get("dependence_high")),
                       relative_low=_f(tie.get("relative_low")), relative_high=_f(tie.get("relative_high")),
                       formula=formula, components=comps)


def _iv(lo, hi, digits=3) -> str:
    if lo is None and hi is None:
        return "missing"
    if lo is not None and hi is not None and abs(lo - hi) < 10 ** -(digits + 1):
        return f"{lo:.{digits}f}"
    fmt = lambda v: "?" if v is None else f"{v:.{digits}f}"  # noqa: E731
    return f"[{fmt(lo)}, {fmt(hi)}]"


def render_text(e: Explanation) -> str:
    """The explanation as plain text lines (what ``heartland explain`` prints)."""
    lines = [f"{e.patron} → {e.target} {e.domain} {e.year}: influence {_iv(e.low, e.high)}",
             f"  {e.formula}"]
    if e.domain != "overall":
        lines.append(f"  bandwidth {_iv(e.bandwidth_low, e.bandwidth_high)}; dependence "
                     f"{_iv(e.dependence_low, e.dependence_high)} (relative share {_iv(e.relative_low, e.relative_high)})")
    for c in e.components:
        flags = ", ".join(f for f, on in (("CONFLICT: sources disagree, union taken", c.conflict),
                                         ("disputed by lower-ranked sources", c.disputed),
                                         ("upper bound open", c.open_high)) if on)
        carried = f", from {c.year_used}" if c.year_used and c.year_used != e.year else ""
        lines.append(f"  - {c.domain}/{c.side} {c.indicator} = {_iv(c.low, c.high)} {c.unit}{carried} → "
                     f"{_iv(c.scaled_low, c.scaled_high)} × weight {c.weight:g}" + (f"  [{flags}]" if flags else ""))
        for s in c.sources:
            lines.append("      " + _src(s))
        for s in c.inputs:
            lines.append("        input: " + _src(s))
        for m in c.memberships:
            lines.append(f"      membership {m.institution}: {e.patron} {m.patron_role}, {e.target} {m.target_role} "
                         f"— {m.source} {m.source_url} (institutions.csv:{m.row})")
    return "\n".join(lines)


def _src(s: EvidenceItem) -> str:
    where = ""
    if s.kind == "fact":
        where = f" article {s.article_id} chars {s.span_start}-{s.span_end}"
    val = _iv(s.low, s.high, 4)
    return (f"{s.role or '':<11} {s.kind:<8} {s.indicator} {s.year}{' (' + s.period + ')' if s.period else ''} = {val} "
            f"{s.unit} — {s.source}{' ' + s.source_url if s.source_url else ''}{where}"
            f"{' [' + s.eid + ']' if s.kind != 'fact' else ''}")
