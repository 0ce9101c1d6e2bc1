"""Events: dated actions between actors, typed and coded (CAMEO, QuadClass, Goldstein).

Each date expression anchors the event triggers that follow it in its clause (or, for a
clause that is only a date or a date range — "2017年，", "8月31日至9月1日，" — the triggers of
the rest of the sentence); a dated clause with a trigger also dates the following clauses
that share its time (``_shares_date``). A
trigger inside a topic phrase (如何看待…后, 被问到…) is not an event; a negated one (不参加)
neither. Actors are the state, group, institution and person mentions of the trigger's
clause (places count as their state), minus the topic after 就/关于; 该组织 and 两个组织
point back to the last institutions named. Statements are kept only for officials and
states, and only when no more specific event fires in the same clause.

This module holds the vocabulary (``event_types.yaml``), the pass over an article
(``extract_events``: anchoring dates, candidate triggers, the triggers kept, their dated
events), confidence and the merging of the same event named twice. Which clauses a date
anchors is in event_clauses.py; who the actors and speakers are, in event_actors.py.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path

import yaml

from heartland.extract.dates import DateExpr
from heartland.extract.event_actors import (_TOPIC_OPEN, _remember_institutions, _state_mentions,
                                            _trigger_actors)
from heartland.extract.event_clauses import _anchored_spans, _clauses, _is_english, _merge_lists
from heartland.extract.gazetteer import fold, load_gazetteer, to_simplified
from heartland.extract.records import Event, Mention
from heartland.extract.text import Sentence

EVENT_TYPES_PATH = Path(__file__).with_name("event_types.yaml")
_NEG = re.compile(r"(不|没有|未|并未|拒绝)(参加|出席|访问|加入|签署)?$")
# 8月31日至9月1日: the second date of a range closes the first one's event.
_RANGE_GLUE = re.compile(r"\s*(至|到|-|–|—|~|～|to|until)\s*")
# Two triggers joined by "and"/并 in one clause (held talks and signed agreements, 会谈并签署)
# are two events, not one of the higher priority.
_COORD = re.compile(r"\s*(,?\s*and|并|并且|并且还)\s*")
#: Between the last name and the trigger: negation, and plans or attempts (试图…抗议, 要求取消大选).
_NOT_DONE = re.compile(r"不|没有|未|并未|拒绝|试图|企图|打算|准备|(?<!的)计划|拟|(?<!的)希望|(?<!的)要求|取消|推迟|\b(?:not|never|plans? to|tried to|"
                       r"attempted to|sought to|threatened to|wants? to)\b")
#: Statements whose object is a topic (否认…制裁, condemned the attack): later triggers in the clause are not events.
_TOPIC_STATEMENTS = {"否认", "批评", "谴责", "反驳", "驳斥", "回应", "呼吁", "警告", "denied", "condemned", "urged", "warned"}
#: Types that need two sides among the actors.
_NEEDS_TWO = {"visit", "talks", "phone_call"}
#: A short quotation (“某国发生某种活动”的报道) names a claim or a title, not an event.
_SHORT_QUOTE = 24


def _in_short_quote(text: str, clause: tuple[int, int], m: re.Match) -> bool:
    o = max(text.rfind("“", clause[0], m.start()), text.rfind("「", clause[0], m.start()))
    if o < 0 or max(text.rfind("”", o, m.start()), text.rfind("」", o, m.start())) >= 0:
        return False
    c = min([x for x in (text.find("”", m.end(), o + _SHORT_QUOTE + 2), text.find("」", m.end(), o + _SHORT_QUOTE + 2))
             if x >= 0] or [-1])
    return c >= 0


_SUBORDINATE = re.compile(r"[^，,。；;]{0,15}?(时|之后|以后|后|期间|前夕)")


@dataclass(frozen=True)
class EventType:
    type: str
    cameo: str
    quad: int
    goldstein: float
    priority: int


def _trigger_pattern(w: str) -> str:
    """Latin triggers are whole words ("met" is not in "metro"). The word boundary before the
    word is checked after its first letter (``m(?<!\\wm)et\\b`` is ``\\bmet\\b``), so every
    branch of the alternation opens with a literal and the engine skips through the text to
    the characters that can open a trigger instead of trying every branch at every position."""
    if not w.isascii():
        return re.escape(w)
    c = re.escape(w[0])
    return rf"{c}(?<!\w{c}){re.escape(w[1:])}\b" if w[0].isalnum() else rf"\b{re.escape(w)}\b"


@lru_cache(maxsize=1)
def _vocab() -> tuple[dict[str, EventType], re.Pattern]:
    with open(EVENT_TYPES_PATH, encoding="utf-8") as fh:
        rows = yaml.safe_load(fh)
    types, words = {}, {}
    for r in rows:
        t = EventType(r["type"], str(r["cameo"]), int(r["quad"]), float(r["goldstein"]), int(r["priority"]))
        types[t.type] = t
        for w in r.get("zh", []) + r.get("en", []):
            words.setdefault(fold(to_simplified(w)), t.type)
    alt = "|".join(_trigger_pattern(w) for w in sorted(words, key=len, reverse=True))
    return types, (re.compile(f"(?:{alt})"), words)


def event_types() -> dict[str, EventType]:
    return {k: v for k, v in _vocab()[0].items() if not k.startswith("_")}


def extract_events(normalised: str, sentences: list[Sentence], mentions: list[Mention], dates: list[DateExpr],
                   article_id: str = "", published: date | None = None) -> list[Event]:
    """Events of one article (``published``: its date, which bounds a week's events)."""
    pub = published
    types, (rx, words) = _vocab()
    gaz = load_gazetteer()
    folded = fold(normalised)
    out: list[Event] = []
    seen: set[tuple] = set()
    last_insts: list[str] = []
    mentions = sorted(mentions, key=lambda m: m.start)
    starts = [m.start for m in mentions]
    persons = [m for m in mentions if m.kind == "person"]
    states = _state_mentions(mentions)
    anchors = _anchors(dates)
    anchor_starts = [d.span_start for d in anchors]
    for s in sentences:
        s_mentions = mentions[bisect_left(starts, s.start):bisect_left(starts, s.end)]
        s_dates = anchors[bisect_left(anchor_starts, s.start):bisect_left(anchor_starts, s.end)]
        if not s_dates:  # every event is anchored by a date of its sentence
            _remember_institutions(s_mentions, last_insts)
            continue
        clauses = _merge_lists(normalised, _clauses(normalised, s), s_mentions)
        claimed: set[int] = set()
        runs, range_to = _date_runs(normalised, s_dates)
        skip = {id(x) for v in runs.values() for x in v} | {id(y) for y in range_to.values()}
        for d in s_dates:
            if id(d) in skip:
                continue
            ci = next((i for i, c in enumerate(clauses) if c[0] <= d.span_start < c[1]), None)
            if ci is None:
                continue
            rng = range_to.get(id(d))
            d_end = rng.span_end if rng is not None else d.span_end
            english = _is_english(normalised, clauses[ci], d)
            spans, verb_first = _anchored_spans(normalised, folded, rx, words, clauses, ci, d, d_end, s_dates,
                                                s_mentions, english)
            for a, b in spans:
                clause = next((c for c in clauses if c[0] <= a < c[1] or c[0] < b <= c[1]), (a, b))
                found = _candidate_triggers(normalised, folded, rx, words, types, clause, a, b, s_mentions, claimed)
                if not found:
                    continue
                for m, t in _kept_triggers(normalised, found, verb_first):
                    who = _trigger_actors(normalised, s, clauses, clause, m, t.type, s_mentions, last_insts, persons,
                                          states, gaz)
                    if who is None:
                        continue
                    actors, context = who
                    if t.type == "deploy_forces" and _without_consent(normalised, s, m):
                        t = types["military_force"]
                    if not actors or (t.type in _NEEDS_TWO and len(actors) < 2):
                        # A visit or talks have two sides (a refugee who 抵达哈萨克斯坦 makes no visit).
                        continue
                    key = (t.type, d.start, tuple(sorted(actors)))
                    if key in seen:
                        continue
                    seen.add(key)
                    claimed.add(m.start())
                    shared = (a, b) != spans[0] or (not english and a < d.span_start)
                    out += _dated_events(normalised, t, m, actors, context, d, rng, d_end, runs.get(id(d), []),
                                         english, shared, article_id)
        _remember_institutions(s_mentions, last_insts)
    return _merge_events(out)


def _anchors(dates: list[DateExpr]) -> list[DateExpr]:
    """The dates that may anchor an event, in text order."""
    # Durations (N年来) and vague recency (日前, 近日) do not date an event.
    # A dateline (（法新社…26日电）) is the report's day, not an event's.
    return sorted((d for d in dates if d.start is not None and d.kind not in ("years_since", "past_years", "dateline")
                   and not (d.kind == "rel_day" and d.precision == "range")), key=lambda d: d.span_start)


def _date_runs(text: str, s_dates: list[DateExpr]) -> tuple[dict[int, list[DateExpr]], dict[int, DateExpr]]:
    """Dates of a sentence that anchor together: the run of dates coordinated before a date
    (by the ``id`` of its last), and the closing date of a range (by the ``id`` of its first)."""
    # 2020年和2022年…冲突: a date coordinated with the next one anchors nothing itself;
    # the events found for the last date of the run are repeated for each date in it.
    runs: dict[int, list[DateExpr]] = {}
    for i, d in enumerate(s_dates):
        j = i
        while j + 1 < len(s_dates) and re.fullmatch(r"\s*[和与及、至]\s*",
                                                     text[s_dates[j].span_end:s_dates[j + 1].span_start]):
            j += 1
        if j > i and "至" not in text[s_dates[i].span_end:s_dates[j].span_start]:
            runs[id(s_dates[j])] = s_dates[i:j]
    # 8月31日至9月1日: one range; its first date anchors (with the second as its end).
    range_to = {id(x): y for x, y in zip(s_dates, s_dates[1:])
                if _RANGE_GLUE.fullmatch(text, x.span_end, y.span_start)}
    return runs, range_to


def _candidate_triggers(text: str, folded: str, rx: re.Pattern, words: dict, types: dict[str, EventType],
                        clause: tuple[int, int], a: int, b: int, mentions: list[Mention],
                        claimed: set[int]) -> list[tuple[re.Match, EventType]]:
    """The triggers between ``a`` and ``b`` (in ``clause``) not yet claimed, blocked, negated,
    planned, quoted or inside a topic phrase."""
    found = []
    for m in rx.finditer(folded, a, b):
        if m.start() in claimed or words[m.group()].startswith("_"):
            continue
        pre = text[clause[0]:m.start()]
        last = max([x.end for x in mentions if clause[0] <= x.end <= m.start()] + [clause[0]])
        if _NOT_DONE.search(text, last, m.start()):
            continue
        if _in_short_quote(text, clause, m):
            continue
        topic = _TOPIC_OPEN.search(pre)
        if topic and not re.search(r"(后|时)", text[clause[0] + topic.end():m.start()]):
            continue
        found.append((m, types[words[m.group()]]))
    return found


def _kept_triggers(text: str, found: list[tuple[re.Match, EventType]],
                   verb_first: bool) -> list[tuple[re.Match, EventType]]:
    """The candidate triggers of one span that are events (``verb_first``: the span before an
    English date, whose verb comes first)."""
    # 否认它违反了西方的制裁, condemned the attack: what a denial, criticism or
    # appeal is about is its topic, not an event of that date.
    topic_verb = next((i for i, (m, t) in enumerate(found) if m.group() in _TOPIC_STATEMENTS), None)
    if topic_verb is not None:
        found = found[:topic_verb + 1]
        if topic_verb > 0 or len(found) == 1:
            found = [f for f in found if f[1].type == "statement"] or found
    if verb_first:
        # The verb nearest the date, with the verbs coordinated with it (held talks and signed).
        j = len(found) - 1
        while j > 0 and _COORD.fullmatch(text, found[j - 1][0].end(), found[j][0].start()):
            j -= 1
        found = found[j:]
    # A trigger in a time clause (上任时曾表示, 访问哈萨克斯坦时…推出) is an event of
    # its own: it neither yields to nor suppresses the main verb's trigger.
    sub = {m1.start() for (m1, _), (m2, _) in zip(found, found[1:])
           if _SUBORDINATE.match(text, m1.end(), m2.start())}
    main = [(m, t) for m, t in found if m.start() not in sub] or found
    best = min(t.priority for _, t in main)
    keep = {m.start() for m, t in main if t.priority == best} | sub
    for (m1, t1), (m2, t2) in zip(found, found[1:]):
        if "statement" not in (t1.type, t2.type) and _COORD.fullmatch(text, m1.end(), m2.start()):
            keep |= {m1.start(), m2.start()}
    return [(m, t) for m, t in found if m.start() in keep]


def _dated_events(text: str, t: EventType, m: re.Match, actors: list[str], context: bool, d: DateExpr,
                  rng: DateExpr | None, d_end: int, run: list[DateExpr], english: bool, shared: bool,
                  article_id: str) -> list[Event]:
    """The events of trigger ``m`` anchored by ``d``: one for ``d`` (to the end of its range
    ``rng``) and one for each date of the ``run`` coordinated before it."""
    out = []
    for dd in run + [d]:
        end = rng.end if rng is not None and dd is d else dd.end
        start, prec, note = dd.start, dd.precision, dd.note
        ended = _ENDED_STAY.match(text, dd.span_end, m.end()) if prec == "day" else None
        if ended and start is not None:
            # 7月9日结束了对俄罗斯为期两天的访问: the visit began a day before the date named.
            days = _num_days(ended.group("n"))
            if 1 < days <= 31:
                end, start = start, start - timedelta(days=days - 1)
                note = (note + "; " if note else "") + f"the last day of a {days}-day stay"
        conf, reason = _confidence(english, dd, shared)
        if context:
            conf, reason = round(max(conf - 0.1, 0.3), 2), reason + ";actors:context"
        out.append(Event(type=t.type, cameo=t.cameo, quad_class=t.quad, goldstein=t.goldstein,
                         date=start, date_end=end if end not in (None, start) else None,
                         date_precision=prec, date_uncertain=dd.uncertain or dd.relative,
                         date_note=_relative_note(dd, note), actors=actors, article_id=article_id,
                         span_start=min(dd.span_start, m.start()), span_end=max(m.end(), d_end),
                         confidence=conf, reason=reason))
    return out


def _merge_events(events: list[Event]) -> list[Event]:
    """One event per (type, date, actors), in text order."""
    # One event per (type, date, actors): merge the same type on the same day with overlapping actors;
    # the same event named again less precisely (10月初举行的议会选举 after 10月4日的议会选举) is
    # merged into its most precise mention.
    merged: list[Event] = []
    for e in sorted(events, key=lambda e: (_RANK.get(e.date_precision, 9), e.span_start)):
        # Statements merge only with the same speakers (a commission's and a government's are two).
        twin = next((x for x in merged if x.type == e.type and _within(e, x) and
                     (set(x.actors) <= set(e.actors) or set(e.actors) <= set(x.actors)) and
                     (e.type != "statement" or set(x.actors) == set(e.actors))), None)
        if twin is None:
            merged.append(e)
        else:
            twin.actors = sorted(set(twin.actors) | set(e.actors))
    return sorted(merged, key=lambda e: e.span_start)


_RANK = {"day": 0, "week": 1, "month": 2, "range": 3, "year": 4}


def _within(e: Event, x: Event) -> bool:
    """``x`` (as precise or more) falls in ``e``'s period: the same day, or a day in e's month/year."""
    if e.date is None or x.date is None:
        return e.date == x.date
    if e.date_precision == x.date_precision or e.date_precision in ("day", "range"):
        return e.date == x.date
    if e.date_precision == "month":
        return (x.date.year, x.date.month) == (e.date.year, e.date.month)
    if e.date_precision == "year":
        return x.date.year == e.date.year
    if e.date_precision == "week":
        return 0 <= (x.date - e.date).days < 7
    return False


#: Confidence by method (docs/extract.md, Events): a trigger with the date in its own clause;
#: less when the date is shared from another clause, relative to publication, or a guess.
CONFIDENCE = {"zh": 0.8, "en": 0.75, "shared": -0.1, "relative": -0.1, "uncertain": -0.2}


def _confidence(english: bool, d: DateExpr, shared: bool) -> tuple[float, str]:
    """The event's confidence and reason code: ``trigger:zh``/``trigger:en``, then how it was dated."""
    conf = CONFIDENCE["en" if english else "zh"]
    reason = ["trigger:en" if english else "trigger:zh"]
    if shared:
        conf += CONFIDENCE["shared"]
        reason.append("date:shared")
    if d.uncertain:
        conf += CONFIDENCE["uncertain"]
        reason.append("date:uncertain")
    elif d.relative:
        conf += CONFIDENCE["relative"]
        reason.append("date:relative")
    else:
        reason.append("date:explicit")
    return round(max(conf, 0.3), 2), ";".join(reason)


def _relative_note(d: DateExpr, note: str) -> str:
    """Every relative date says so in the note (its ``date_uncertain`` is set too)."""
    if not d.relative or note.startswith("relative"):
        return note
    return f"relative ({d.surface}): resolved against the report's date" + (f"; {note}" if note else "")


#: "Ended a N-day visit" between a day and its trigger: the day named is the stay's last.
_ENDED_STAY = re.compile(r"[^，,。；;]{0,6}?结束了?[^，,。；;]{0,16}?为期(?P<n>\d{1,2}|[两二三四五六七八九十])天的")
_CN_DAYS = {"两": 2, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}


def _num_days(n: str) -> int:
    return int(n) if n.isdigit() else _CN_DAYS.get(n, 0)


#: A deployment into another state without its consent is an invasion (CAMEO 190, not 074).
_INTO = re.compile(r"^.{0,12}?(进入|开进|攻入|\binto\b)")
_CONSENT = re.compile(r"请求|应邀|邀请|促请|请|维和|维持和平|\b(?:at the request|invited|invitation|peacekeep\w*)\b", re.I)


def _without_consent(text: str, s: Sentence, trig: re.Match) -> bool:
    return bool(_INTO.search(text[trig.end():trig.end() + 24])) and not _CONSENT.search(text, s.start, s.end)
