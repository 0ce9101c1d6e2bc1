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
from heartland.extract.gazetteer import fold, load_gazetteer, to_simplified
from heartland.extract.records import Event, Mention
from heartland.extract.text import Sentence

EVENT_TYPES_PATH = Path(__file__).with_name("event_types.yaml")
_CLAUSE = re.compile(r"[，,；;：:（）()]")
_NEG = re.compile(r"(不|没有|未|并未|拒绝)(参加|出席|访问|加入|签署)?$")
_SHARED_SUBJECT = re.compile(r"\s*(两国|双方|两人|二人|两位领导人|他们|并|同时|随即|随后|the two sides|both sides|they)")
# A clause that goes on without a subject of its own (…因组织抗议，而遭当局关押; …被捕，遂被判刑;
# …刑满后，立即又被…) continues the clause before it, and shares its date.
_CONTINUES = re.compile(r"\s*(而(?!且|言)|遂|便|随之|遭|被|遭到|立即|当即|旋即|马上)")
# A dated clause that ends as a time clause (…访华前夕，…; …访问哈萨克斯坦时，…) dates the
# main clause after it (not …后/之后，: what follows happens later).
_TIME_CLAUSE_END = re.compile(r"(时|前夕|期间|之际)\s*$")
# A clause that opens with 与/同/和/跟 + a partner (与俄罗斯外长拉夫罗夫…举行会谈) continues the
# previous clause's subject: it shares that clause's date too.
_COMITATIVE = re.compile(r"\s*(与|同|和|跟|with\b)")
# A clause that moves the time on (次日, 此后, later) does not share the date before it.
# 之后/之前 only open such a clause: inside one they are "after/before X" (会谈之后签署).
_NEW_TIME = re.compile(r"次日|翌日|第二天|隔天|此后|其后|后来|此前|早前|曾经|^\s*(之后|之前|以后|以前)|"
                       r"\b(the next day|later|afterwards|since then|earlier|previously)\b")
# 8月31日至9月1日: the second date of a range closes the first one's event.
_RANGE_GLUE = re.compile(r"\s*(至|到|-|–|—|~|～|to|until)\s*")
# Two triggers joined by "and"/并 in one clause (held talks and signed agreements, 会谈并签署)
# are two events, not one of the higher priority.
_COORD = re.compile(r"\s*(,?\s*and|并|并且|并且还)\s*")
# 与他举行会谈 / met with him: a pronoun as the partner of the trigger (not 他们, nor 他国
# "other countries", 他人, 他方).
_PARTNER_PRONOUN = re.compile(r"(与|同|和|跟|会见|接见|会晤)(他|她)(?![们国人方处乡者])|"
                              r"\b(with|met|received|hosted)\s+(him|her)\b")
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
_TOPIC_OPEN = re.compile(r"(看待|问到|问及|谈及|评论)")
_ACTOR_KINDS = {"state", "group", "institution", "person", "armed_group"}


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


#: A Latin gloss in parentheses after a name (美国国务卿蓬佩奥（Mike Pompeo）今年2月访问…) is part
#: of its clause: breaking there cut the subject off its verb. A parenthesised date (（9月12日）)
#: still breaks.
_GLOSS = re.compile(r"[（(][A-Za-z][A-Za-z .'’\-]{0,60}[)）]")


def _clauses(text: str, s: Sentence) -> list[tuple[int, int]]:
    out, a = [], s.start
    glossed = {i for g in _GLOSS.finditer(text, s.start, s.end) for i in (g.start(), g.end() - 1)}
    for m in _CLAUSE.finditer(text, s.start, s.end):
        if m.start() in glossed:
            continue
        if m.start() > a:
            out.append((a, m.start()))
        a = m.end()
    if a < s.end:
        out.append((a, s.end))
    return out


#: What may stand between the names of a list: "and", "or", 和, 与, 及, 、 and spaces.
_LIST_GLUE = re.compile(r"\b(and|or)\b|[和与及、\s]")


def _merge_lists(text: str, clauses: list[tuple[int, int]], mentions: list[Mention]) -> list[tuple[int, int]]:
    """Join a clause made only of names to the next one ("China, Kyrgyzstan and Uzbekistan signed")."""
    out: list[tuple[int, int]] = []
    carry: int | None = None
    for a, b in clauses:
        if carry is not None:
            a, carry = carry, None
        # The clause with every name inside it blanked out (``mentions`` are in text order).
        pieces, pos = [], a
        for m in mentions:
            if a <= m.start and m.end <= b and m.end > pos:
                lo = max(pos, m.start)
                pieces += [text[pos:lo], " " * (m.end - lo)]
                pos = m.end
        pieces.append(text[pos:b])
        rest = _LIST_GLUE.sub("", "".join(pieces))
        if not rest and any(a <= m.start < b for m in mentions):
            carry = a
            continue
        out.append((a, b))
    if carry is not None:
        out.append((carry, clauses[-1][1]))
    return out


#: A time of day around a date (当地时间, 晚上10时左右, 凌晨3点许, local time).
_TIME_OF_DAY = re.compile(r"(?:当地时间|北京时间|莫斯科时间)|(?:凌晨|清晨|早上|上午|中午|下午|傍晚|晚上|晚间|深夜|夜间|夜里)"
                          r"|(?:\d{1,2}|[一二三四五六七八九十]{1,3})\s*[时点](?:\s*\d{1,2}\s*分|半)?(?:左右|许)?"
                          r"|\blocal time\b")


def _date_only(text: str, c: tuple[int, int], d: DateExpr, end: int | None = None) -> bool:
    """Whether the clause holds nothing but the date (``end``: where a range that opens with
    ``d`` ends, 8月31日至9月1日)."""
    rest = (text[c[0]:d.span_start] + text[end or d.span_end:c[1]]).strip()
    # 当地时间1月21日晚上10时左右，: a time of day adds nothing but the hour.
    rest = _TIME_OF_DAY.sub("", rest).strip()
    return len(rest) <= 3


def _until_new_time(text: str, clauses: list[tuple[int, int]], others: list[DateExpr] = ()) -> list[tuple[int, int]]:
    """The clauses a date-only clause anchors: the rest of the sentence, up to a clause that
    moves the time on (3月2日，…抵达，次日…签署: the signing is not on 2 March) or has a date
    of its own (（9月12日）证实，习近平将于9月14日…访问: the visit is on the 14th)."""
    out = []
    for c in clauses:
        if _NEW_TIME.search(text[c[0]:c[1]]) or any(c[0] <= x.span_start < c[1] for x in others):
            break
        out.append(c)
    return out


def _shares_date(text: str, c: tuple[int, int], mentions: list[Mention], rx: re.Pattern, folded: str,
                 prev: tuple[int, int] | None = None) -> bool:
    """A following clause of the sentence, without a date of its own, that shares the date of
    the dated clause before it: its subject points back (两国, 双方), it continues the subject
    with a partner (与…举行会谈), or it opens with a new actor that does something (白俄罗斯正式
    加入…) — unless it moves the time on (次日, later)."""
    if _NEW_TIME.search(text[c[0]:c[1]]):
        return False
    if _SHARED_SUBJECT.match(text, c[0]) or _COMITATIVE.match(text, c[0]) or _CONTINUES.match(text, c[0]):
        return True
    if prev is not None and _TIME_CLAUSE_END.search(text, prev[0], prev[1]):
        return True
    lead = len(text[c[0]:c[1]]) - len(text[c[0]:c[1]].lstrip())
    opener = next((m for m in mentions if m.start == c[0] + lead), None)
    return (opener is not None and (opener.kind in _ACTOR_KINDS or opener.metonym)
            and rx.search(folded, opener.end, c[1]) is not None)


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
    # Durations (N年来) and vague recency (日前, 近日) do not date an event.
    # A dateline (（法新社…26日电）) is the report's day, not an event's.
    anchors = sorted((d for d in dates if d.start is not None and d.kind not in ("years_since", "past_years", "dateline")
                      and not (d.kind == "rel_day" and d.precision == "range")), key=lambda d: d.span_start)
    anchor_starts = [d.span_start for d in anchors]
    for s in sentences:
        s_mentions = mentions[bisect_left(starts, s.start):bisect_left(starts, s.end)]
        s_dates = anchors[bisect_left(anchor_starts, s.start):bisect_left(anchor_starts, s.end)]
        if not s_dates:  # every event is anchored by a date of its sentence
            _remember_institutions(s_mentions, last_insts)
            continue
        clauses = _merge_lists(normalised, _clauses(normalised, s), s_mentions)
        claimed: set[int] = set()
        # 2020年和2022年…冲突: a date coordinated with the next one anchors nothing itself;
        # the events found for the last date of the run are repeated for each date in it.
        runs: dict[int, list[DateExpr]] = {}
        for i, d in enumerate(s_dates):
            j = i
            while j + 1 < len(s_dates) and re.fullmatch(r"\s*[和与及、至]\s*",
                                                         normalised[s_dates[j].span_end:s_dates[j + 1].span_start]):
                j += 1
            if j > i and "至" not in normalised[s_dates[i].span_end:s_dates[j].span_start]:
                runs[id(s_dates[j])] = s_dates[i:j]
        skip = {id(x) for v in runs.values() for x in v}
        # 8月31日至9月1日: one range; its first date anchors (with the second as its end).
        range_to = {id(x): y for x, y in zip(s_dates, s_dates[1:])
                    if _RANGE_GLUE.fullmatch(normalised, x.span_end, y.span_start)}
        skip |= {id(y) for y in range_to.values()}
        for d in s_dates:
            if id(d) in skip:
                continue
            ci = next((i for i, c in enumerate(clauses) if c[0] <= d.span_start < c[1]), None)
            if ci is None:
                continue
            rng = range_to.get(id(d))
            d_end = rng.span_end if rng is not None else d.span_end
            spans = [(d_end, clauses[ci][1])]
            english = _is_english(normalised, clauses[ci], d)
            before = [(max([clauses[ci][0]] + [x.span_end for x in s_dates if clauses[ci][0] <= x.span_end <= d.span_start]),
                       d.span_start)]
            if english and _has_trigger(rx, words, folded, *before[0]):
                # English puts the date after its verb: "arrived in Astana on Monday".
                spans = before
            elif _date_only(normalised, clauses[ci], d, d_end):
                spans = _until_new_time(normalised, clauses[ci + 1:], [x for x in s_dates if x is not d])
            elif not rx.search(folded, d_end, clauses[ci][1]):
                # 宣布王毅访问的同一天: a date modified by what precedes it (…的) dates none of it.
                spans = [] if normalised[max(0, d.span_start - 1):d.span_start] == "的" else \
                    [(clauses[ci][0], d.span_start)]
                if spans:
                    # 2017年因组织抗议，而遭当局关押: the verb is in a clause that goes on without a
                    # subject of its own.
                    for c in clauses[ci + 1:]:
                        if any(c[0] <= x.span_start < c[1] for x in s_dates) or _NEW_TIME.search(normalised, c[0], c[1]) \
                                or not (_CONTINUES.match(normalised, c[0]) or _SHARED_SUBJECT.match(normalised, c[0])
                                        or _TIME_CLAUSE_END.search(normalised, clauses[ci][0], clauses[ci][1])):
                            break
                        spans.append(c)
            else:
                # …会见了米尔济约耶夫，两国签署了… / …抵达莫斯科，与拉夫罗夫举行会谈: a following
                # clause that continues the subject or opens with a new actor shares the date,
                # until a clause has a date of its own (_shares_date).
                prev = clauses[ci]
                for c in clauses[ci + 1:]:
                    if any(c[0] <= x.span_start < c[1] for x in s_dates):
                        break
                    if _shares_date(normalised, c, s_mentions, rx, folded, prev):
                        spans.append(c)
                    prev = c
            for a, b in spans:
                clause = next((c for c in clauses if c[0] <= a < c[1] or c[0] < b <= c[1]), (a, b))
                found = []
                for m in rx.finditer(folded, a, b):
                    if m.start() in claimed or words[m.group()].startswith("_"):
                        continue
                    pre = normalised[clause[0]:m.start()]
                    last = max([x.end for x in s_mentions if clause[0] <= x.end <= m.start()] + [clause[0]])
                    if _NOT_DONE.search(normalised, last, m.start()):
                        continue
                    if _in_short_quote(normalised, clause, m):
                        continue
                    topic = _TOPIC_OPEN.search(pre)
                    if topic and not re.search(r"(后|时)", normalised[clause[0] + topic.end():m.start()]):
                        continue
                    found.append((m, types[words[m.group()]]))
                if not found:
                    continue
                # 否认它违反了西方的制裁, condemned the attack: what a denial, criticism or
                # appeal is about is its topic, not an event of that date.
                topic_verb = next((i for i, (m, t) in enumerate(found) if m.group() in _TOPIC_STATEMENTS), None)
                if topic_verb is not None:
                    found = found[:topic_verb + 1]
                    if topic_verb > 0 or len(found) == 1:
                        found = [f for f in found if f[1].type == "statement"] or found
                if english and spans is before:
                    # The verb nearest the date, with the verbs coordinated with it (held talks and signed).
                    j = len(found) - 1
                    while j > 0 and _COORD.fullmatch(normalised, found[j - 1][0].end(), found[j][0].start()):
                        j -= 1
                    found = found[j:]
                # A trigger in a time clause (上任时曾表示, 访问哈萨克斯坦时…推出) is an event of
                # its own: it neither yields to nor suppresses the main verb's trigger.
                sub = {m1.start() for (m1, _), (m2, _) in zip(found, found[1:])
                       if _SUBORDINATE.match(normalised, m1.end(), m2.start())}
                main = [(m, t) for m, t in found if m.start() not in sub] or found
                best = min(t.priority for _, t in main)
                keep = {m.start() for m, t in main if t.priority == best} | sub
                for (m1, t1), (m2, t2) in zip(found, found[1:]):
                    if "statement" not in (t1.type, t2.type) and _COORD.fullmatch(normalised, m1.end(), m2.start()):
                        keep |= {m1.start(), m2.start()}
                for m, t in found:
                    if m.start() not in keep:
                        continue
                    actors = _event_actors(normalised, clause, m, s_mentions, last_insts, t.type, persons)
                    if re.match(r"\s*(与|和|同|跟|并|with)", normalised[clause[0]:m.start()]):
                        # 与习近平举行会谈: the subject is in the clause before.
                        prev = [c for c in clauses if c[1] <= clause[0]]
                        if prev:
                            actors = _event_actors(normalised, (prev[-1][0], clause[1]), m, s_mentions, last_insts,
                                                   t.type, persons)
                    if len(actors) < 2:  # the actors may open the sentence before a parenthesis
                        actors = _event_actors(normalised, (s.start, clause[1]), m, s_mentions, last_insts, t.type,
                                               persons)
                    context = False
                    if t.type == "statement":
                        speaker = _official_speaker(normalised, clause, s.start, m, s_mentions, gaz)
                        if speaker is None and _BODY.search(normalised[max(clause[0], m.start() - 16):m.start()]):
                            # 选举委员会周二宣布, the government said: an unnamed body of the country in question.
                            speaker, actors, context = True, [x for x in [_context_state(states, m.start())] if x], True
                        if not speaker or not (context or _official(actors, gaz)):
                            continue
                    elif t.type in _DOMESTIC and not _any_state(actors, gaz):
                        # 政府总理辞职了, 抗议者冲入总统府: a domestic event of the country in question;
                        # so too when only people the gazetteer does not place are named (总理博罗诺夫
                        # …宣布辞职): the country is theirs.
                        actors = actors + [x for x in [_context_state(states, m.start())] if x and x not in actors]
                        context = True
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
                    for dd in runs.get(id(d), []) + [d]:
                        end = rng.end if rng is not None and dd is d else dd.end
                        start, prec, note = dd.start, dd.precision, dd.note
                        ended = _ENDED_STAY.match(normalised, dd.span_end, m.end()) if prec == "day" else None
                        if ended and start is not None:
                            # 7月9日结束了对俄罗斯为期两天的访问: the visit began a day before the date named.
                            days = _num_days(ended.group("n"))
                            if 1 < days <= 31:
                                end, start = start, start - timedelta(days=days - 1)
                                note = (note + "; " if note else "") + f"the last day of a {days}-day stay"
                        conf, reason = _confidence(english, dd, (a, b) != spans[0] or (not english and a < d.span_start))
                        if context:
                            conf, reason = round(max(conf - 0.1, 0.3), 2), reason + ";actors:context"
                        out.append(Event(type=t.type, cameo=t.cameo, quad_class=t.quad, goldstein=t.goldstein,
                                         date=start, date_end=end if end not in (None, start) else None,
                                         date_precision=prec, date_uncertain=dd.uncertain or dd.relative,
                                         date_note=_relative_note(dd, note), actors=actors, article_id=article_id,
                                         span_start=min(dd.span_start, m.start()), span_end=max(m.end(), d_end),
                                         confidence=conf, reason=reason))
        _remember_institutions(s_mentions, last_insts)
    # One event per (type, date, actors): merge the same type on the same day with overlapping actors;
    # the same event named again less precisely (10月初举行的议会选举 after 10月4日的议会选举) is
    # merged into its most precise mention.
    merged: list[Event] = []
    for e in sorted(out, key=lambda e: (_RANK.get(e.date_precision, 9), e.span_start)):
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
_CJK = re.compile(r"[\u4e00-\u9fff]")


def _is_english(text: str, clause: tuple[int, int], d: DateExpr) -> bool:
    return d.surface.isascii() and not _CJK.search(text, clause[0], clause[1])


def _has_trigger(rx: re.Pattern, words: dict, folded: str, a: int, b: int) -> bool:
    return any(not words[m.group()].startswith("_") for m in rx.finditer(folded, a, b))


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


#: Titles that make the person after them an official speaker (外交部发言人卡里百, Foreign Minister X).
_OFFICIAL_TITLE = re.compile(r"(发言人|部长|外长|总统|总理|主席|大使|领事|秘书长|议长|首相|国务卿|司长|局长|官员|"
                             r"\b(?:spokes(?:wo)?man|spokesperson|minister|president|ambassador|official|secretary)\b)"
                             r"\s*$", re.I)
_SPEAKER_KINDS = {"state", "institution", "ministry", "group", "party"}


#: Types that happen inside one country: with no actor named in their clause, the country in question.
_DOMESTIC = {"protest", "arrest", "election", "vote", "resignation", "appointment"}
#: An unnamed official body right before a statement verb (选举委员会周二宣布, the government said).
_BODY = re.compile(r"(政府|当局|官方|委员会|外交部|国防部|内政部|卫生部|总统府|议会|国会|法院|警方|检察院|"
                   r"\b(?:government|authorities|ministry|parliament|court|police|commission)\b)", re.I)


def _state_mentions(mentions: list[Mention]) -> list[tuple[int, str]]:
    gaz = load_gazetteer()
    out = []
    for m in mentions:
        if m.kind == "state":
            out.append((m.start, m.actor))
        elif m.kind == "place":
            e = gaz.entry(m.actor)
            if e and (e.metonym or e.country):
                out.append((m.start, e.metonym or e.country))
    return out


def _context_state(states: list[tuple[int, str]], pos: int) -> str | None:
    """The country in question at ``pos``: the state named most before it, else the article's most named."""
    before = [a for s, a in states if s < pos]
    if before:
        # The state the article has named most so far (ties: the one named first) — the last one
        # named is often a neighbour or a patron mentioned in passing (在昨晚的动乱中 after a
        # sentence on Russia's reaction is still Kyrgyzstan's unrest).
        return max(before, key=lambda a: (before.count(a), -before.index(a)))
    if not states:
        return None
    names = [a for _, a in states]
    return max(set(names), key=names.count)


def _official_speaker(text: str, clause: tuple[int, int], sent_start: int, trig: re.Match,
                      mentions: list[Mention], gaz) -> bool | None:
    """A statement's speaker — the last name before the verb in its clause (else in its
    sentence) — is a state, a government body or institution, a place standing for its state
    (Beijing), or an official: a person the gazetteer gives a state, or one whose title or
    ministry stands right before the name (外交部发言人卡里百)."""
    before = [m for m in mentions if clause[0] <= m.start and m.end <= trig.start()] or \
        [m for m in mentions if sent_start <= m.start and m.end <= trig.start()]
    # 习近平在纳扎尔巴耶夫大学发表演说: a name after a locative is the venue, not the speaker.
    before = [m for m in before if not _VENUE.search(text, max(0, m.start - 2), m.start)] or before[:0]
    if not before:
        return None
    sp = before[-1]
    if sp.kind in _SPEAKER_KINDS or sp.metonym:
        return True
    if sp.kind == "place":
        e = gaz.entry(sp.actor)
        return bool(e and e.metonym)
    if sp.kind == "person":
        if _person_state(sp.actor, gaz):
            return True
        lead = text[max(clause[0], sp.start - 12):sp.start]
        if _OFFICIAL_TITLE.search(lead):
            return True
        prev = before[-2] if len(before) > 1 else None
        # 外交部发言人X, 哈萨克斯坦总统X — but not a member of a civil body (哈萨克斯坦人权组织“…”成员X).
        return bool(prev and prev.kind in _SPEAKER_KINDS and sp.start - prev.end <= 8
                    and not _CIVIL_BODY.search(text, prev.end, sp.start))
    return False


#: "Ended a N-day visit" between a day and its trigger: the day named is the stay's last.
_ENDED_STAY = re.compile(r"[^，,。；;]{0,6}?结束了?[^，,。；;]{0,16}?为期(?P<n>\d{1,2}|[两二三四五六七八九十])天的")
_CN_DAYS = {"两": 2, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}


def _num_days(n: str) -> int:
    return int(n) if n.isdigit() else _CN_DAYS.get(n, 0)


#: A locative right before a name (在…, 于…, at …): the place where something was said.
_VENUE = re.compile(r"(?:在|于)$|\b(?:at|in)\s$")


#: Words of a non-government body between a state and a person: the person is no official.
_CIVIL_BODY = re.compile(r"人权组织|志愿者组织|非政府组织|协会|大学|研究中心|研究所|基金会|公司|“|「")


#: A deployment into another state without its consent is an invasion (CAMEO 190, not 074).
_INTO = re.compile(r"^.{0,12}?(进入|开进|攻入|\binto\b)")
_CONSENT = re.compile(r"请求|应邀|邀请|促请|请|维和|维持和平|\b(?:at the request|invited|invitation|peacekeep\w*)\b", re.I)


def _without_consent(text: str, s: Sentence, trig: re.Match) -> bool:
    return bool(_INTO.search(text[trig.end():trig.end() + 24])) and not _CONSENT.search(text, s.start, s.end)


def _remember_institutions(mentions: list[Mention], last_insts: list[str]) -> None:
    """Keep ``last_insts`` (in place) as the institutions named so far, most recent last."""
    for m in mentions:
        if m.kind == "institution":
            if m.actor in last_insts:
                last_insts.remove(m.actor)
            last_insts.append(m.actor)


def _pronoun_partner(text: str, clause: tuple[int, int], persons: list[Mention]) -> Mention | None:
    """The person a partner pronoun (与他举行会谈, met with him) stands for: the last person
    named before it who is not the clause's own subject (他 there is never the subject)."""
    pm = _PARTNER_PRONOUN.search(text, clause[0], clause[1])
    if pm is None:
        return None
    # bisect, not a scan of every person of the article: linear time on long documents
    k = bisect_left(persons, pm.start(), key=_start)
    own = {p.actor for p in persons[bisect_left(persons, clause[0], key=_start):k]}
    return next((persons[i] for i in range(k - 1, -1, -1) if persons[i].actor not in own), None)


def _start(m: Mention) -> int:
    return m.start


def _event_actors(text: str, clause: tuple[int, int], trig: re.Match, mentions: list[Mention],
                  last_insts: list[str], etype: str, persons: list[Mention] = ()) -> list[str]:
    gaz = load_gazetteer()
    a, b = clause
    topic_from, topic_to = None, trig.start()
    # 就 as "about" (就…问题), not 就任/就职/就是/就要.
    jiu = re.search(r"(就(?![任职读业是要会在此])|关于|有关)", text[a:trig.start()])
    if jiu:
        topic_from = a + jiu.start()
    seen_q = _TOPIC_OPEN.search(text, a, trig.start())
    if seen_q:
        close = re.search(r"(后|时)", text[seen_q.end():trig.start()])
        topic_from = seen_q.start()
        topic_to = seen_q.end() + close.end() if close else trig.start()
    actors: list[str] = []

    def add(x: str | None) -> None:
        if x and x not in actors:
            actors.append(x)

    for m in mentions:
        if not (a <= m.start < b):
            continue
        if topic_from is not None and topic_from <= m.start < topic_to:
            continue
        if m.kind in _ACTOR_KINDS or m.metonym:
            add(m.actor)
            if m.kind == "person":
                add(_person_state(m.actor, gaz))
        elif m.kind == "place":
            e = gaz.entry(m.actor)
            if e and e.metonym:
                add(e.metonym)
            elif e and e.country and _LOCAL_AUTHORITY.match(text, m.end):
                # 新疆政府, 阿拉木图警方: a region's or city's authorities act for their state.
                add(e.country)
        elif m.kind in ("ministry", "party") :
            e = gaz.entry(m.actor)
            add(e.country if e else None)
    local = _LOCAL_BODY.search(text, a, trig.start())
    if local:
        # 当地警察逮捕了…: the local authorities of the last place named before them.
        place = next((m for m in reversed(mentions) if m.kind == "place" and m.end <= local.start()), None)
        e = gaz.entry(place.actor) if place is not None else None
        add(e.country if e and e.country else None)
    partner = _pronoun_partner(text, clause, persons) if persons else None
    if partner is not None:
        add(partner.actor)
        add(_person_state(partner.actor, gaz))
    seg = text[a:b]
    if re.search(r"(这|该)?两个组织|两组织", seg) and len(last_insts) >= 2:
        for x in last_insts[-2:]:
            add(x)
    elif re.search(r"该组织", seg) and last_insts:
        add(last_insts[-1])
    if etype in ("founds_organisation", "joins_organisation") and not any(
            gaz.entry(x) and gaz.entry(x).kind == "institution" for x in actors):
        # The organisation may close the sentence (…参加的四方安全机制): take it and, for a
        # founding, the states named between the trigger and it.
        later = [m for m in mentions if m.start >= trig.end()]
        inst = next((m for m in later if m.kind == "institution"), None)
        if inst is not None:
            if etype == "founds_organisation":
                for m in later:
                    if m.start < inst.start and m.kind == "state":
                        add(m.actor)
            add(inst.actor)
    if etype in ("joins_organisation",):
        states = [x for x in actors if gaz.entry(x) and gaz.entry(x).kind == "state"]
        insts = [x for x in actors if gaz.entry(x) and gaz.entry(x).kind == "institution"]
        if states and insts:
            return [states[0], insts[-1]]
    return actors


#: Local authorities without a name (当地政府, 当地警察): those of the last place named.
_LOCAL_BODY = re.compile(r"当地(?:政府|当局|警方|警察|公安|法院)|\blocal (?:authorities|police|government)\b")
#: Authorities named after a place (新疆政府, 当地警方 after a city, Almaty police).
_LOCAL_AUTHORITY = re.compile(r"\s*(?:的)?(?:地方)?(?:政府|当局|警方|警察|公安|法院|检察院|\b(?:government|authorities|police|court)\b)")


def _any_state(actors: list[str], gaz) -> bool:
    """Whether an actor is a state, group or institution (not only people and unknown names)."""
    return any(gaz.entry(x) is not None and gaz.entry(x).kind in ("state", "group", "institution") for x in actors)


def _person_state(pid: str, gaz) -> str | None:
    e = gaz.entry(pid)
    if not e or not e.affiliations:
        return None
    org = e.affiliations[-1].org
    oe = gaz.entry(org)
    if oe is None:
        return None
    if oe.kind == "state":
        return org
    if oe.kind in ("ministry", "party"):
        return oe.country
    return None


def _official(actors: list[str], gaz) -> bool:
    people = [x for x in actors if gaz.entry(x) is not None and gaz.entry(x).kind == "person"]
    if people:  # a named speaker must be an official: experts' remarks are quotes, not events
        return any(_person_state(x, gaz) for x in people)
    for x in actors:
        e = gaz.entry(x)
        if e is None:
            continue
        if e.kind in ("state", "institution"):
            return True
        if e.kind == "person" and _person_state(x, gaz):
            return True
    return False
