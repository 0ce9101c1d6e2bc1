"""Facts: a quantity attached to subject, object, indicator and period.

For each quantity: (1) the indicator whose keywords (indicators.yaml) lie nearest to it
in its window — the sentence up to the quantity plus the rest of its clause — among
those whose unit fits; (2) subject and object from the state and group mentions of the
sentence, read through a few Chinese/English constructions (A与B, A在B的投资, A从B进口,
A占B出口, …来自A, 中俄 compounds) with the indicator's roles, inheriting the previous
fact's actors for a clause without its own (进口近40%, 这比…增长); (3) the period from a
date expression in the clause, else the nearest before it in the sentence, else the
previous sentence of the paragraph. Quantities that fit no indicator stay quantities.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from heartland.extract.catalogue import Indicator, load_catalogue
from heartland.extract.dates import DateExpr
from heartland.extract.gazetteer import fold, load_gazetteer
from heartland.extract.records import Fact, Mention, Quantity
from heartland.extract.text import Sentence

_CLAUSE_END = re.compile(r"[，,；;。！？!?：:\n]")
_ACTOR_KINDS = {"state", "group"}
_CHANGE_TO = re.compile(r"(降至|增至|升至|减至|跌至|涨至|降到|增加到|减少到|上升到|下降到|提高到|\bto\b)")


@dataclass
class _Ctx:
    subject: str | None = None
    object: str | None = None
    sentence: int = -1


def _clause_bounds(text: str, s: Sentence, start: int, end: int) -> tuple[int, int]:
    a = start
    while a > s.start and not _CLAUSE_END.match(text[a - 1]):
        a -= 1
    m = _CLAUSE_END.search(text, end, s.end)
    return a, (m.start() if m else s.end)


@lru_cache(maxsize=4096)
def _literal(word: str) -> re.Pattern:
    """A catalogue keyword as a compiled literal pattern (escaped and compiled once)."""
    return re.compile(re.escape(word))


def _keyword_distance(window: str, offset: int, q: Quantity, words: list[str]) -> int | None:
    best = None
    for w in words:
        for m in _literal(w).finditer(window):
            a, b = offset + m.start(), offset + m.end()
            d = 0 if a < q.end and q.start < b else min(abs(q.start - b), abs(a - q.end))
            best = d if best is None else min(best, d)
    return best


def choose_indicator(folded: str, s: Sentence, clause: tuple[int, int], q: Quantity) -> Indicator | None:
    window = folded[s.start:clause[1]]
    own = folded[clause[0]:clause[1]]
    best: tuple[int, int, Indicator] | None = None
    for rank, ind in enumerate(load_catalogue()):
        if q.unit not in ind.units:
            continue
        if any(w in own for w in ind.none):
            continue
        dists = []
        for group in ind.all:
            d = _keyword_distance(window, s.start, q, group)
            if d is None:
                break
            dists.append(d)
        else:
            score = max(dists) if dists else 0
            if best is None or (score, rank) < (best[0], best[1]):
                best = (score, rank, ind)
    return best[2] if best else None


def _actors(mentions: list[Mention], a: int, b: int) -> list[Mention]:
    gaz = load_gazetteer()
    out = []
    for m in mentions:
        if a <= m.start and m.end <= b:
            if m.kind in _ACTOR_KINDS or m.metonym:
                out.append(m)
            elif m.kind == "place":
                e = gaz.entry(m.actor)
                if e is not None and e.metonym:  # 在莫斯科音乐厅: the state where it happened
                    out.append(Mention(actor=e.metonym, kind="state", surface=m.surface, start=m.start, end=m.end))
    return out


def _between(text: str, m1: Mention, m2: Mention) -> str:
    return text[m1.end:m2.start]


def resolve_roles(text: str, ind: Indicator, acts: list[Mention], after: list[Mention],
                  q: Quantity, clause_start: int) -> tuple[str | None, str | None]:
    """(subject, object) for an indicator from the sentence's actors before the quantity."""
    # …来自A / from A: the source is the subject (investor, supplier).
    src = None
    cues = "|".join(re.escape(c) for c in ["来自", "源自", "from", *ind.source_cues])
    for m in after + acts:
        pre = text[max(0, m.start - 10):m.start]
        if re.search(r"(?:^|[^a-z])(?:%s)\s*$" % cues, pre):
            src = m
    if src is not None:
        others = [m.actor for m in acts + after if m.actor != src.actor]
        other = others[0] if others else None
        return (src.actor, other) if ind.source_role == "subject" or other is None else (other, src.actor)
    # "its trade with China" / 其与中国的贸易: the pronoun is the sentence's first actor.
    for m in acts + after:
        pre = text[max(0, m.start - 48):m.start]
        if acts and acts[0].actor != m.actor and (
                re.search(r"\b(its|their)\s+(?:[a-z\-]+\s+){0,2}(?:trade|exports?|imports?|investments?|debts?|"
                          r"turnover)\s+(?:with|to|from|in)\s+$", pre) or re.search(r"其(与|同|和|对|在)\s*$", pre)):
            return acts[0].actor, m.actor
    # 从B进口的…占A…: the supplier B is the subject of a share, A the importer.
    for i, m in enumerate(acts):
        pre = text[max(0, m.start - 2):m.start]
        if pre.endswith("从") and i + 1 < len(acts) and "占" in _between(text, m, acts[i + 1]):
            return m.actor, acts[i + 1].actor
    # A从B进口: importer A, supplier B (the subject when the indicator's source is).
    for i in range(len(acts) - 1):
        if re.fullmatch(r"\s*从\s*", _between(text, acts[i], acts[i + 1])):
            if ind.source_role == "subject":
                return acts[i + 1].actor, acts[i].actor
            return acts[i].actor, acts[i + 1].actor
    # Compound 中俄 (adjacent one-character mentions) or A与/和/同/跟/在/占/对B.
    pairs = []
    for i in range(len(acts) - 1):
        gap = _between(text, acts[i], acts[i + 1])
        if acts[i].end == acts[i + 1].start and len(acts[i].surface) == 1:
            pairs.append((acts[i], acts[i + 1]))
        elif re.fullmatch(r"\s*(与|和|同|跟|在|占|对|向|及|and|with|in|to|between)\s*(?:其他)?", gap):
            pairs.append((acts[i], acts[i + 1]))
        elif re.fullmatch(r"\s*'s\s+(?:[a-z\-]+\s+){0,2}?(?:trade|investment|export|import|debt)s?\s+(?:with|in|to|from)\s+",
                          gap):
            pairs.append((acts[i], acts[i + 1]))
    if pairs:
        a, b = pairs[-1]
        return a.actor, b.actor
    uniq: list[str] = []
    for m in acts + after:
        if m.actor not in uniq:
            uniq.append(m.actor)
    if len(uniq) >= 2:
        return uniq[-2], uniq[-1]
    if len(uniq) == 1:
        return uniq[0], None
    return None, None


def pick_period(dates: list[DateExpr], sentences: list[Sentence], si: int, clause: tuple[int, int],
                q: Quantity, text: str) -> DateExpr | None:
    s = sentences[si]
    # 从十年前的八成以上降至约六成: a date before a change verb dates the old value only.
    in_clause = [d for d in dates if clause[0] <= d.span_start and d.span_end <= clause[1]
                 and not (d.span_end <= q.start and _CHANGE_TO.search(text, d.span_end, q.start))]
    if in_clause:
        return min(in_clause, key=lambda d: abs(d.span_start - q.start))
    # A deadline after the quantity in the same sentence (预计在2023年之前完工).
    for d in dates:
        if q.end <= d.span_start < s.end and re.match(r"(之前|以前|前|底前)", text[d.span_end:d.span_end + 2]):
            return DateExpr(None, d.end, d.precision, d.span_start, d.span_end, d.surface, d.uncertain,
                            d.relative, "deadline: by the end of the period", d.kind)
    before = [d for d in dates if s.start <= d.span_start and d.span_end <= q.start
              and not (d.span_start >= clause[0] and _CHANGE_TO.search(text, d.span_end, q.start))]
    if before:
        return before[-1]
    if si > 0 and sentences[si - 1].paragraph == s.paragraph:
        p = sentences[si - 1]
        prev = [d for d in dates if p.start <= d.span_start and d.span_end <= p.end]
        if prev:
            return prev[-1]
    return None


def extract_facts(text: str, normalised: str, sentences: list[Sentence], mentions: list[Mention],
                  quantities: list[Quantity], dates: list[DateExpr], article_id: str = "") -> list[Fact]:
    folded = fold(normalised)
    out: list[Fact] = []
    ctx = _Ctx()
    si = 0
    for q in quantities:
        while si < len(sentences) and sentences[si].end <= q.start:
            si += 1
        if si >= len(sentences):
            break
        s = sentences[si]
        if ctx.sentence not in (si, si - 1) or (ctx.sentence == si - 1 and sentences[ctx.sentence].paragraph != s.paragraph):
            ctx = _Ctx()
        clause = _clause_bounds(normalised, s, q.start, q.end)
        ind = choose_indicator(folded, s, clause, q)
        if ind is None:
            continue
        before = _actors(mentions, s.start, q.start)
        after = _actors(mentions, q.end, clause[1])
        own = [m for m in before if m.start >= clause[0]]
        anaphoric = bool(re.match(r"\s*(这|其|该|this|it)", normalised[clause[0]:clause[1]]))
        if (not own and not after and ctx.subject) or (anaphoric and ctx.subject):
            subj, obj = ctx.subject, ctx.object
        else:
            subj, obj = resolve_roles(normalised, ind, before, after, q, clause[0])
            if obj is None and ctx.object and subj != ctx.object:
                obj = ctx.object if ctx.subject in (subj, None) or ctx.sentence == si else None
            if ind.id == "casualties":
                obj = next((m.actor for m in mentions if m.kind in ("armed_group",) and s.start <= m.start < s.end + 80), None)
        if subj is None:
            continue
        ctx = _Ctx(subj, obj, si)
        period = pick_period(dates, sentences, si, clause, q, normalised)
        out.append(Fact(subject=subj, object=obj, indicator=ind.id, value=q.value, low=q.low, high=q.high,
                        unit=q.unit, period_start=period.start if period else None,
                        period_end=period.end if period else None, qualifier=q.qualifier, article_id=article_id,
                        span_start=q.start, span_end=q.end, sentence_start=s.start, sentence_end=s.end,
                        period_uncertain=bool(period and period.uncertain)))
    return out
