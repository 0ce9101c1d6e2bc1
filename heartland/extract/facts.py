"""Facts: a quantity attached to subject, object, indicator and period.

For each quantity: (1) the indicator whose keywords (indicators.yaml) lie nearest to it
in its window — the sentence up to the quantity plus the rest of its clause — among
those whose unit fits; (2) subject and object from the state and group mentions of the
sentence, read through a few Chinese/English constructions (A与B, A(企业)在B的投资, A从B进口,
A占B出口, …来自A, 中国所占比重 / "China's share", A向B输送 / "shipped … to B" for an
importer's indicator, 中俄 compounds) with the indicator's roles, inheriting the previous
fact's actors for a clause without its own (出口约三成, 这比…增长), taking the one actor of
a clause whose figure it is (远低于中国的…), and the previous sentence's subject for a
sentence opening with "Its"/其; (3) the period from a date expression in the clause (not a
baseline after "than", not a date after a change verb for the old value), else the nearest
before it in the sentence, else the previous sentence of the paragraph; "over the same
period" takes the previous fact's. Quantities that fit no indicator stay quantities.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from heartland.extract.catalogue import Indicator, load_catalogue
from heartland.extract.dates import DateExpr
from heartland.extract.fact_periods import (STORY_SENTENCES, as_of_point, deadline_open_start, now_period,
                                            since_open_end, story_date)
from heartland.extract.gazetteer import fold, load_gazetteer
from heartland.extract.fact_subjects import (aid_donor, escape_origin, in_mission, is_counterpart, is_goal, is_with,
                                             is_landmark, mission_spans, people_of, receives_aid)
from heartland.extract.open_facts import CONFIDENCE, main_actor, measure_phrase, open_roles, plausibility_flag
from heartland.extract.records import Fact, Mention, Quantity
from heartland.extract.text import Sentence

_CLAUSE_END = re.compile(r"[，,；;。！？!?：:\n]")
_ACTOR_KINDS = {"state", "group"}
#: Open figures also belong to institutions and armed groups: 塔利班控制了85%的地区 is the
#: Taliban's figure, not Afghanistan's (the state is its object).
_WIDE_KINDS = {"institution", "armed_group"}
#: ... and a state's ruling party or ministry stands for its state (中共已在全球建立了548所
#: 孔子学院 is China's figure), as a place does (camps in 新疆).
_STATE_BODIES = {"party", "ministry"}
#: Chinese verbs of change to a new value (降至 "fell to", 增加到 "rose to").
_CHANGE_VERBS_ZH = "降至|增至|升至|减至|跌至|涨至|降到|增加到|减少到|上升到|下降到|提高到"
_CHANGE_TO = re.compile(r"(" + _CHANGE_VERBS_ZH + r"|\bto\b)")
#: A change verb after the old value: only a "to" followed by a figure (from 30% in 2021 to
#: 25% in 2024), not "shipped … to China in 2023".
_CHANGE_TO_NEW = re.compile(r"(" + _CHANGE_VERBS_ZH + r"|\bto\s+(?:[a-z]+\s+){0,2}?(?:US)?\$?\d)")
#: A share named in the clause: change words then describe the share, not a growth.
_SHARE_WORD = re.compile(r"占|比重|份额|share")
#: A date right after "than" is the baseline of a comparison ("a quarter more than in
#: 2022"), not the period of the figure.
_BASELINE = re.compile(r"\bthan\s+(?:in\s+)?$")
#: "over the same period": the period of the previous fact.
_SAME_PERIOD = re.compile(r"\b(?:over|in|during|for) the same period\b|同一时期")
#: A sentence opening with a possessive pronoun refers to the previous sentence's subject
#: ("Its imports from Russia …" after "Kazakhstan's exports to China …").
_PRONOUN_OPEN = re.compile(r"\s*(?:Its\b|Their\b|其)")
#: The holder of a share named right before the share word: 中国所占比重, 中国的占比, "China's
#: share" — that actor is the subject (the creditor, supplier, investor whose share it is).
_HOLDER = re.compile(r"\s*(?:所占|占比|的占比|的份额|的比重|['’]s share\b)")
#: A with a noun before 在/对: 中国企业在乌兹别克斯坦的投资 (A's investment in B).
_PAIR_GAP = re.compile(r"\s*(?:(?:企业|公司|资本|银行|商人)(?:在|对)|与|和|同|跟|在|占|对|向|及|and|with|in|to|between)\s*(?:其他)?")
_PAIR_GAP_EN = re.compile(r"(?:\s*'s|)\s+(?:[a-z\-]+\s+){0,2}?(?:trade|investment|export|import|debt)s?\s+"
                          r"(?:with|in|to|from)\s+")
#: Delivery to a destination: A向B出口/输送天然气 (B after 向/对/往, the verb after it), A输往/
#: 出口到/供应给B (the verb before B) and "A shipped … to B"; A is the supplier.
_DEST_ZH = re.compile(r"(?:向|对|往)\s*$")
_DEST_ZH_VERB = re.compile(r"(?:输往|运往|销往|出口到|出口至|输送到|输送至|供应给|出售给|卖给)\s*$")
_DEST_EN = re.compile(r"\bto\s+$")
_SUPPLY_ZH = re.compile(r"出口|输送|供应|供气|出售|运送|输出")
_SUPPLY_EN = re.compile(r"\b(?:shipped|ships|supplied|supplies|exported|exports|sent|sends|delivered|delivers|pumped"
                        r"|pumps|sold|sells|deliveries|shipments)\b")


@dataclass
class _Ctx:
    subject: str | None = None
    object: str | None = None
    sentence: int = -1
    period: DateExpr | None = None


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
        if ind.none_unless_share and any(w in own for w in ind.none_unless_share) and not _SHARE_WORD.search(own):
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


def _actors(mentions: list[Mention], a: int, b: int, wide: bool = False) -> list[Mention]:
    """States, groups and metonyms in ``[a, b)``, and a place standing for its state
    (在阿拉木图体育馆: the state where it happened). ``wide``, for open figures: institutions
    and armed groups too (the SCO's members, the EAEU's settlements, the Taliban's districts) and places as their country (camps in
    新疆 are China's), but not references (两国: the open chain already has those actors)."""
    gaz = load_gazetteer()
    out = []
    for m in mentions:
        if not (a <= m.start and m.end <= b) or (wide and m.reason == "anaphora"):
            continue
        if m.kind in _ACTOR_KINDS or m.metonym or (wide and m.kind in _WIDE_KINDS):
            out.append(m)
        elif m.kind == "place" or (wide and m.kind in _STATE_BODIES):
            e = gaz.entry(m.actor)
            state = e and (e.metonym or (e.country if wide else None))
            if state:
                out.append(Mention(actor=state, kind="state", surface=m.surface, start=m.start, end=m.end))
        elif m.reason == "gazetteer" and m.kind in _NAMED_BODIES:
            state = _opens_with_state(gaz, m)
            if state:
                out.append(Mention(actor=state, kind="state", surface=m.surface, start=m.start, end=m.end))
    return out


#: A known body whose name opens with its state's name (中国进出口银行, 中国国家开发银行) is that
#: state's body, as the `state_body` mentions are: its figures are the state's.
_NAMED_BODIES = {"organisation", "company"}


def _opens_with_state(gaz, m: Mention) -> str | None:
    e = gaz.entry(m.actor)
    if not e or not e.country or e.country not in gaz.entries:
        return None
    name = fold(m.surface)
    return e.country if any(len(n) >= 2 and name.startswith(n) and len(name) > len(n)
                            for n in gaz.names.get(e.country, [])) else None


def _between(text: str, m1: Mention, m2: Mention) -> str:
    return text[m1.end:m2.start]


def _holder(text: str, acts: list[Mention], after: list[Mention]) -> tuple[str, str | None] | None:
    """中国所占比重 / "China's share": (holder, the nearest other actor before it, else after)."""
    for i in range(len(acts) - 1, -1, -1):
        if _HOLDER.match(text, acts[i].end):
            h = acts[i].actor
            others = [m.actor for m in reversed(acts[:i]) if m.actor != h] + [m.actor for m in acts[i + 1:] + after
                                                                                if m.actor != h]
            return h, (others[0] if others else None)
    return None


def _delivery(text: str, acts: list[Mention], after: list[Mention], q: Quantity,
              clause: tuple[int, int]) -> tuple[str, str] | None:
    """(supplier, destination) of A向B出口… / "A shipped … to B", else None."""
    for m in acts + after:
        pre = text[max(clause[0], m.start - 4):m.start]
        zh = (_DEST_ZH.search(pre) and _SUPPLY_ZH.search(text, m.end, q.start if m.end <= q.start else clause[1])
              or _DEST_ZH_VERB.search(pre))
        if not zh and not (_DEST_EN.search(pre) and _SUPPLY_EN.search(text, clause[0], m.start)):
            continue
        src = [a.actor for a in reversed(acts) if a.start < m.start and a.actor != m.actor]
        if src:
            return src[0], m.actor
    return None


def resolve_roles(text: str, ind: Indicator, acts: list[Mention], after: list[Mention],
                  q: Quantity, clause: tuple[int, int], antecedent: str | None = None) -> tuple[str | None, str | None]:
    """(subject, object) for an indicator from the sentence's actors before the quantity;
    ``antecedent``: the previous sentence's subject when this one opens with "Its"/其."""
    # …来自A / from A: the source is the subject (investor, supplier).
    src = None
    cues = "|".join(re.escape(c) for c in ["来自", "源自", "from", *ind.source_cues])
    for m in after + acts:
        pre = text[max(0, m.start - 10):m.start]
        if re.search(r"(?:^|[^a-z])(?:%s)\s*$" % cues, pre):
            src = m
    if src is not None:
        others = [m.actor for m in acts + after if m.actor != src.actor]
        other = others[0] if others else (antecedent if antecedent != src.actor else None)
        return (src.actor, other) if ind.source_role == "subject" or other is None else (other, src.actor)
    if q.unit == "share":
        held = _holder(text, acts, after)
        if held is not None:
            return held
    # A向B出口天然气 / "A shipped … to B": the importer B is the subject of an importer's
    # indicator (the pair rule below reads A向B as A, B).
    if ind.source_role == "object":
        dl = _delivery(text, acts, after, q, clause)
        if dl is not None:
            return dl[1], dl[0]
    # "its trade with China" / 其与中国的贸易: the pronoun is the sentence's first actor (or
    # the previous sentence's subject when the sentence opens with the pronoun).
    first = antecedent or (acts[0].actor if acts else None)
    for m in acts + after:
        pre = text[max(0, m.start - 48):m.start]
        if first is not None and first != m.actor and (
                re.search(r"(?i:\b(its|their))\s+(?:[a-z\-]+\s+){0,2}(?:trade|exports?|imports?|investments?|debts?|"
                          r"turnover)\s+(?:with|to|from|in)\s+$", pre) or re.search(r"其(与|同|和|对|在)\s*$", pre)):
            return first, m.actor
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
        elif _PAIR_GAP.fullmatch(gap) or _PAIR_GAP_EN.fullmatch(gap):
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


def _migrants_origin(text: str, q: Quantity, acts: list[Mention], subj: str | None,
                     obj: str | None) -> tuple[str | None, str | None]:
    """"some 200,000 Uzbek migrants": the demonym right after the count is the migrants'
    origin (the subject) whatever the clause's order; the host is the other actor."""
    origin = next((m for m in acts if q.end <= m.start <= q.end + 1 and not text[q.end:m.start].strip()), None)
    if origin is None or origin.actor == subj:
        return subj, obj
    host = next((m.actor for m in acts if m.start > origin.end and m.actor != origin.actor), None) \
        or next((m.actor for m in reversed(acts) if m.end <= q.start and m.actor != origin.actor), None)
    return origin.actor, host


def _baseline(text: str, d: DateExpr) -> bool:
    return bool(_BASELINE.search(text, max(0, d.span_start - 9), d.span_start))


def _possessor(text: str, own: list[Mention], after: list[Mention], q: Quantity, ctx: _Ctx,
               si: int) -> tuple[str, str | None] | None:
    """远低于中国的五十多亿美元: a clause naming one actor whose figure it is (A的 + the figure),
    after a fact of the same sentence, compares that actor with the fact's subject: the
    actor is the subject and the previous object stays."""
    if ctx.sentence != si or not ctx.subject or after or len({m.actor for m in own}) != 1:
        return None
    m = own[-1]
    if m.actor == ctx.subject or not re.fullmatch(r"\s*的\s*", text[m.end:q.start]):
        return None
    return m.actor, (ctx.object if ctx.object != m.actor else ctx.subject)


def pick_period(dates: list[DateExpr], sentences: list[Sentence], si: int, clause: tuple[int, int],
                q: Quantity, text: str) -> DateExpr | None:
    s = sentences[si]
    # 从十年前的八成以上降至约六成: a date before a change verb dates the old value only.
    # 从2021年的逾四成降至去年的约三成: a date after the change verb dates only the new value;
    # "more than in 2022": a baseline dates nothing.
    in_clause = [d for d in dates if clause[0] <= d.span_start and d.span_end <= clause[1]
                 and not (d.span_end <= q.start and _CHANGE_TO.search(text, d.span_end, q.start))
                 and not (d.span_start >= q.end and _CHANGE_TO_NEW.search(text, q.end, d.span_start))
                 and not _baseline(text, d)]
    if in_clause:
        return min(in_clause, key=lambda d: abs(d.span_start - q.start))
    # A deadline after the quantity in the same sentence (计划于2030年前建成).
    for d in dates:
        if q.end <= d.span_start < s.end and re.match(r"(之前|以前|前|底前)", text[d.span_end:d.span_end + 2]):
            return DateExpr(None, d.end, d.precision, d.span_start, d.span_end, d.surface, d.uncertain,
                            d.relative, "deadline: by the end of the period", d.kind)
    before = [d for d in dates if s.start <= d.span_start and d.span_end <= q.start
              and not (d.span_start >= clause[0] and _CHANGE_TO.search(text, d.span_end, q.start))
              and not _baseline(text, d)]
    if before:
        return before[-1]
    if si > 0 and sentences[si - 1].paragraph == s.paragraph:
        p = sentences[si - 1]
        prev = [d for d in dates if p.start <= d.span_start and d.span_end <= p.end]
        if prev:
            return prev[-1]
    return None


def _read_period(text: str, d: DateExpr | None) -> DateExpr | None:
    """The words around the chosen date: since a year, by a date (fact_periods.py)."""
    return deadline_open_start(text, since_open_end(text, d))


def extract_facts(text: str, normalised: str, sentences: list[Sentence], mentions: list[Mention],
                  quantities: list[Quantity], dates: list[DateExpr], article_id: str = "",
                  published: date | None = None) -> list[Fact]:
    folded = fold(normalised)
    out: list[Fact] = []
    ctx = _Ctx()
    si = 0
    main: str | None = None
    # Mentions in text order: each figure looks only at the slice that can lie in its
    # window (bisect), not at every mention of the article.
    mentions = _member_lists(normalised, sorted(mentions, key=lambda m: (m.start, m.end)))
    # a name inside a work's title (《基于大数据的“一带一路”沿线国家孔子学院分布研究》) is its topic,
    # not an actor of the sentence
    titles = [(t.start(), t.end()) for t in _TITLE.finditer(normalised)]
    if titles:
        mentions = [m for m in mentions if not any(a < m.start and m.end < b for a, b in titles)]
    starts = [m.start for m in mentions]
    # A body's name is no keyword: 中国进出口银行 holds 进出口 (trade) but names a bank.
    folded = _mask_bodies(folded, mentions)
    missions = mission_spans(mentions)
    last: tuple[int, str | None, str | None] = (-1, None, None)   # the previous fact: sentence, subject, object

    def near(a: int, b: int) -> list[Mention]:
        return mentions[bisect_left(starts, a):bisect_left(starts, b)]
    for q in quantities:
        while si < len(sentences) and sentences[si].end <= q.start:
            si += 1
        if si >= len(sentences):
            break
        s = sentences[si]
        if ctx.sentence not in (si, si - 1) or (ctx.sentence == si - 1 and sentences[ctx.sentence].paragraph != s.paragraph):
            ctx = _Ctx()
        clause = _clause_bounds(normalised, s, q.start, q.end)
        # A vague figure without bounds (数以百万计) cannot feed the world: an open figure.
        ind = choose_indicator(folded, s, clause, q) if (q.low, q.high) != (None, None) else None
        before = _actors(near(s.start, q.start), s.start, q.start)
        after = _actors(near(q.end, clause[1]), q.end, clause[1])
        if ind is None:
            if not _is_figure(normalised, q):
                continue
            if main is None:
                main = main_actor([m for m in _actors(mentions, 0, len(normalised), wide=True)
                                   if not in_mission(m, missions)]) or ""
            para = [p for p in sentences[max(0, si - 6):si] if p.paragraph == s.paragraph]
            para_actors = _actors(near(para[0].start, s.start), para[0].start, s.start, wide=True) if para else []
            subj, obj, how = _open_subject(normalised, q, clause, sentences, si, mentions, near, para_actors,
                                           main or None, missions, last if last[0] == si else None)
            last = (si, subj, obj)
            period = as_of_point(_read_period(normalised, pick_period(dates, sentences, si, clause, q, normalised)), q.unit)
            if period is None:
                period = now_period(normalised, s.start, clause[1], published, q.start)
            if period is None:
                period = story_date(dates, sentences[max(0, si - STORY_SENTENCES)].start, s.start)
            if period is None and published is not None:
                # No date in reach: the figure as reported on the publication day (flagged uncertain).
                period = DateExpr(published, published, "day", q.start, q.start, "", True, True,
                                  "as of publication", "publication")
            f = Fact(subject=subj, object=obj, indicator=None, value=q.value, low=q.low, high=q.high,
                     unit=q.unit, period_start=period.start if period else None,
                     period_end=period.end if period else None, qualifier=q.qualifier, article_id=article_id,
                     span_start=q.start, span_end=q.end, sentence_start=s.start, sentence_end=s.end,
                     period_uncertain=bool(period and period.uncertain), measure=measure_phrase(text, clause, q),
                     confidence=CONFIDENCE[how], reason=how)
            f.flag = plausibility_flag(f)
            out.append(f)
            continue
        own = [m for m in before if m.start >= clause[0]]
        anaphoric = bool(re.match(r"\s*(这|其|该|this|it)", normalised[clause[0]:clause[1]]))
        antecedent = ctx.subject if ctx.sentence == si - 1 and _PRONOUN_OPEN.match(normalised, s.start) else None
        possessed = _possessor(normalised, own, after, q, ctx, si)
        # the previous sentence's fact lends its actors only to a sentence naming none before
        # the figure (塔吉克则通报，有19位平民…丧命 is Tajikistan's, not the last sentence's)
        inherit = ctx.subject and (ctx.sentence == si or not before)
        if (not own and not after and inherit) or (anaphoric and ctx.subject):
            subj, obj = ctx.subject, ctx.object
        elif possessed is not None:
            subj, obj = possessed
        else:
            subj, obj = resolve_roles(normalised, ind, before, after, q, clause, antecedent)
            if obj is None and ctx.object and subj != ctx.object:
                obj = ctx.object if ctx.subject in (subj, None) or ctx.sentence == si else None
            if ind.id == "migrant_count":
                # 从新疆移民到该国的50多万哈萨克人: the place they came from names the origin, before
                # the people's name (ethnic Kazakhs from China)
                origin = escape_origin(normalised, q, _actors(near(clause[0], clause[1]), clause[0], clause[1], True),
                                       clause)
                if origin is not None:
                    subj, obj = origin.actor, next((m.actor for m in before + after if m.actor != origin.actor), obj)
                else:
                    subj, obj = _migrants_origin(normalised, q, before + after, subj, obj)
            if ind.id == "casualties":
                obj = next((m.actor for m in mentions if m.kind in ("armed_group",) and s.start <= m.start < s.end + 80), None)
                subj, obj = _casualties_roles(normalised, before, clause, missions, subj, obj)
        if subj is None:
            continue
        if ctx.period is not None and _SAME_PERIOD.search(normalised, clause[0], clause[1]):
            period = ctx.period  # "over the same period": the previous fact's
        else:
            period = _read_period(normalised, pick_period(dates, sentences, si, clause, q, normalised))
            if period is None and q.unit == "share" and not ind.id.endswith("_growth"):
                # a share is a state at a time (目前…外债有41%来自中国); a flow (目前贸易额接近900亿美元)
                # has no day, so it stays undated
                period = now_period(normalised, s.start, clause[1], published, q.start)
        ctx = _Ctx(subj, obj, si, period)
        last = (si, subj, obj)
        f = Fact(subject=subj, object=obj, indicator=ind.id, value=q.value, low=q.low, high=q.high,
                 unit=q.unit, period_start=period.start if period else None,
                 period_end=period.end if period else None, qualifier=q.qualifier, article_id=article_id,
                 span_start=q.start, span_end=q.end, sentence_start=s.start, sentence_end=s.end,
                 period_uncertain=bool(period and period.uncertain), measure=measure_phrase(text, clause, q),
                 confidence=CONFIDENCE["catalogue"], reason="catalogue:" + ind.id)
        f.flag = plausibility_flag(f)
        out.append(f)
    return out


#: Not figures a reader notes: a bare count of one thing ("a base"), set phrases.
#: A duration that frames time (过去三年, 今后十年, 两年多来, nine years ago) rather than
#: measuring something.
_TIME_FRAME_BEFORE = re.compile(r"(?:过去|今后|未来|最近|近|此后|之后|这|in|past|next|last|over)\s*(?:的|the)?\s*$", re.I)
_TIME_FRAME_AFTER = re.compile(r"\s*(?:多)?(?:来|以来|之后|以后|之内|内|后|前|里|中|ago\b|later\b|earlier\b)", re.I)
#: "the three countries", "both parties": a reference to things already named.
_REFERENCE_BEFORE = re.compile(r"\b(?:the|those|these|both|its|their)\s+$", re.I)
#: ... but not a share ("better the 84% he won") or a set the clause defines ("the 16 parties
#: that took part"): those are figures.
_RESTRICTIVE = re.compile(r"\s+(?:that|who|which)\b", re.I)
#: The length of a visit (为期两天的访问, "a three-day visit") dates the visit; it is no figure.
_VISIT_AFTER = re.compile(r"\s*(?:的)?\s*(?:国事)?(?:访问|行程|出访|visit\b|trip\b|tour\b)", re.I)
#: "Two" written as a word (两名, 兩個, 两位, 两次, "two parties"): on the real dev set a pair
#: the story has named or tells of (两名姨妈, 两位领导人, 两次袭击) 22 times, a figure the gold
#: notes twice; a digit (2名平民) stays a figure.
_TWO_WORD = re.compile(r"[两兩]|(?i:two)\b")
#: A sum in parentheses right after another sum is its conversion (78.3亿美元（约105亿新元）,
#: "5 billion yuan ($700 million)"): the same figure in the outlet's currency, not a second one.
_CONVERSION_BEFORE = re.compile(r"(?:元|卢布|盧布|坚戈|堅戈|索姆|欧元|歐元|镑|鎊|\d|\b(?:million|billion|bn|mn|dollars|yuan|"
                                r"roubles|rubles|euros|tenge|soms))\s*[（(]\s*$", re.I)
_MONEY = re.compile(r"[A-Z]{3}(?:_(?:bn|mn|k))?")


def _open_subject(text: str, q: Quantity, clause: tuple[int, int], sentences: list[Sentence], si: int,
                  mentions: list[Mention], near, para_actors: list[Mention], main: str | None,
                  missions: list[tuple[int, int]], prev: tuple | None = None) -> tuple[str | None, str | None, str]:
    """(subject, object, reason) of an open figure: the construction rules of fact_subjects.py,
    then the open chain (open_facts.open_roles) over the actors that can hold a figure."""
    s = sentences[si]
    before = _actors(near(s.start, q.start), s.start, q.start, True)
    after = _actors(near(q.end, clause[1]), q.end, clause[1], True)
    own = [m for m in before if m.start >= clause[0]] + after
    # 1037名阿富汗军人: the people's state
    people = people_of(text, q, after)
    if people is not None:
        obj = next((m.actor for m in own + before[::-1] if m.actor != people.actor and not is_landmark(text, m)), None)
        return people.actor, obj, "open:clause"
    # 乌兹别克斯坦得到了3140万美元的援助 after 美国…向中亚地区提供了…援助
    if own and receives_aid(text, clause, q):
        donor = aid_donor(text, sentences, si, lambda a, b: _actors(near(a, b), a, b, True))
        if donor is not None and donor != own[0].actor:
            return donor, own[0].actor, "open:context"
    origin = escape_origin(text, q, own, clause)
    if origin is not None:
        obj = next((m.actor for m in own if m.actor != origin.actor), None)
        return origin.actor, obj, "open:clause"
    # 乌兹别克斯坦得到了3140万美元的援助，三分之一用于改善医疗: a clause naming no actor after a
    # fact of the same sentence goes on about that fact's actors
    inherit = not own and prev is not None and prev[1]
    side = [m for m in own if is_counterpart(text, m, clause) or is_goal(text, m, clause)]

    def holds(m: Mention) -> bool:
        return not in_mission(m, missions) and not is_landmark(text, m) and m not in side
    subj, obj, how = open_roles([m for m in before if holds(m)], [m for m in after if holds(m)], clause,
                                [m for m in para_actors if not in_mission(m, missions)], main)
    if side and (obj is None or obj == subj):
        obj = next((m.actor for m in side if m.actor != subj), obj)
    if inherit and prev[1] != subj:
        return prev[1], prev[2], "open:context"
    # 中欧、中亚的29个国家: a count of the countries of a region is no region's figure (the
    # region is where they are); a count of countries with an owner (中国已在…个国家开设) keeps it
    if q.unit == "count" and (_COUNTRIES_AFTER.match(text, q.end) or text[q.end - 1:q.end] in ("国", "國")) \
            and subj in _group_ids():
        return None, subj, how
    return subj, obj, how


def _casualties_roles(text: str, before: list[Mention], clause: tuple[int, int], missions: list[tuple[int, int]],
                      subj: str | None, obj: str | None) -> tuple[str | None, str | None]:
    """Where people died: the state of the figure's own clause (中国大使馆称，哈萨克…1772人死亡 is
    Kazakhstan's: an embassy reports it), else the last state before it that is no counterpart
    (吉尔吉斯今天表示，与中亚邻国塔吉克武装冲突死亡人数增至13人: Kyrgyzstan's, Tajikistan the other
    party); a region framing a state (中亚邻国塔吉克) is neither."""
    side = [m for m in before if m.kind == "group" or is_with(text, m) or in_mission(m, missions)
            or is_landmark(text, m)]
    holders = [m for m in before if m not in side]
    own = [m for m in holders if m.start >= clause[0]]
    pick = own[0] if own else (holders[-1] if holders else None)
    if pick is None:
        return subj, obj
    other = next((m.actor for m in side if m.kind != "group" and m.actor != pick.actor and not in_mission(m, missions)), None)
    return pick.actor, obj or other


_COUNTRIES_AFTER = re.compile(r"\s*(?:个|個)?[\u4e00-\u9fff]{0,4}?(?:国家|國家)|\s*(?:国|國)(?:的|[^\u4e00-\u9fff]|$)"
                              r"|\s+(?:[a-z\-]+\s+){0,2}countries\b")


@lru_cache(maxsize=1)
def _group_ids() -> frozenset[str]:
    return frozenset(i for i, e in load_gazetteer().entries.items() if e.kind == "group")


_TITLE = re.compile(r"《[^》\n]{1,80}》")
_LIST_GAP = re.compile(r"\s*(?:,|、|，|and|和|与|及|以及)\s*(?:and\s+)?")
#: Groups a list of states can name in full (the five Central Asian states).
_LIST_GROUPS = ("C5",)


def _member_lists(text: str, mentions: list[Mention]) -> list[Mention]:
    """"trade with Kazakhstan, Kyrgyzstan, Tajikistan, Turkmenistan and Uzbekistan": a list
    naming every member of a group is the group (one actor, not five)."""
    gaz = load_gazetteer()
    groups = {g: set(gaz.members(g)) for g in _LIST_GROUPS if gaz.members(g)}
    states = [m for m in mentions if m.kind == "state" and m.reason != "anaphora"]
    out_drop: set[int] = set()
    added: list[Mention] = []
    i = 0
    while i < len(states):
        j = i
        while j + 1 < len(states) and _LIST_GAP.fullmatch(text[states[j].end:states[j + 1].start]):
            j += 1
        run = states[i:j + 1]
        for g, members in groups.items():
            if len(run) == len(members) and {m.actor for m in run} == members:
                added.append(Mention(actor=g, kind="group", surface=text[run[0].start:run[-1].end],
                                     start=run[0].start, end=run[-1].end, reason="member_list"))
                out_drop.update(id(m) for m in run)
        i = j + 1
    if not added:
        return mentions
    return sorted([m for m in mentions if id(m) not in out_drop] + added, key=lambda m: (m.start, m.end))


def _mask_bodies(folded: str, mentions: list[Mention]) -> str:
    chars = None
    for m in mentions:
        if m.kind in _NAMED_BODIES and m.end - m.start >= 4 and len(folded) >= m.end:
            chars = chars or list(folded)
            chars[m.start:m.end] = ["□"] * (m.end - m.start)
    return "".join(chars) if chars else folded


def _is_figure(text: str, q: Quantity) -> bool:
    """Which quantities become facts. Kept as quantities only: ages (a person's age is
    rarely a figure about the region; 3 of 278 dev gold figures), a count of one or of
    two written as a word (两名, "two parties": a pair already named), a currency
    conversion in parentheses (78.3亿美元（约105亿新元）), a
    duration framing time (过去三年, nine years ago), a reference to things already named
    (the three countries; 这两个 is no quantity at all), "two countries" (both of them)."""
    if q.kind == "age" or (q.unit in ("count", "persons") and q.value == 1 and q.qualifier == "exact"):
        return False
    before = text[max(0, q.start - 8):q.start]
    if q.kind == "duration" and (_TIME_FRAME_BEFORE.search(before) or _TIME_FRAME_AFTER.match(text, q.end)):
        return False
    if _REFERENCE_BEFORE.search(before) and q.unit in ("count", "persons") and not _RESTRICTIVE.match(text, q.end):
        return False
    if q.kind == "duration" and _VISIT_AFTER.match(text, q.end):
        return False
    if _MONEY.fullmatch(q.unit or "") and _CONVERSION_BEFORE.search(text, max(0, q.start - 16), q.start):
        return False
    if q.unit in ("count", "persons") and q.value == 2 and q.qualifier == "exact" and _TWO_WORD.match(text, q.start):
        return False
    if q.unit == "count" and q.value == 2 and re.match(r"\s*(?:个)?(?:国家|countries)", text[q.end:q.end + 5]):
        return False
    return True
