"""Clauses of a sentence and which of them a date anchors, for the event pass (events.py).

A sentence is cut into clauses at commas, semicolons, colons and parentheses (not at a Latin
gloss after a name), and a clause made only of names is joined to the next one. A date
anchors the triggers of its own clause; what else it dates is decided here:

- a clause that is only a date (or a range) dates the rest of the sentence, up to a clause
  that moves the time on (次日, later) or has a date of its own (``_until_new_time``);
- a date with no trigger after it dates what stands before it, and the clauses that go on
  without a subject of its own (…因组织抗议，而遭当局关押);
- a dated clause with a trigger dates the following clauses that share its time
  (``_shares_date``: 两国, 与…举行会谈, a new actor that does something);
- an English date dates the verb before it ("arrived in Astana on Monday").

These rules read only punctuation, connectives and the positions of names and dates; who
the actors are is event_actors.py's job, and what an event is, events.py's.
"""

from __future__ import annotations

import re

from heartland.extract.dates import DateExpr
from heartland.extract.event_actors import _ACTOR_KINDS
from heartland.extract.records import Mention
from heartland.extract.text import Sentence

_CLAUSE = re.compile(r"[，,；;：:（）()]")
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
_CJK = re.compile(r"[\u4e00-\u9fff]")


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


def _is_english(text: str, clause: tuple[int, int], d: DateExpr) -> bool:
    return d.surface.isascii() and not _CJK.search(text, clause[0], clause[1])


def _has_trigger(rx: re.Pattern, words: dict, folded: str, a: int, b: int) -> bool:
    return any(not words[m.group()].startswith("_") for m in rx.finditer(folded, a, b))


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


def _anchored_spans(text: str, folded: str, rx: re.Pattern, words: dict, clauses: list[tuple[int, int]], ci: int,
                    d: DateExpr, d_end: int, s_dates: list[DateExpr], mentions: list[Mention],
                    english: bool) -> tuple[list[tuple[int, int]], bool]:
    """The spans of the sentence whose triggers the date ``d`` (in clause ``ci``, its range
    ending at ``d_end``) anchors, and whether they are the span before an English date (its
    verb comes first)."""
    spans = [(d_end, clauses[ci][1])]
    before = [(max([clauses[ci][0]] + [x.span_end for x in s_dates if clauses[ci][0] <= x.span_end <= d.span_start]),
               d.span_start)]
    if english and _has_trigger(rx, words, folded, *before[0]):
        # English puts the date after its verb: "arrived in Astana on Monday".
        return before, True
    elif _date_only(text, clauses[ci], d, d_end):
        spans = _until_new_time(text, clauses[ci + 1:], [x for x in s_dates if x is not d])
    elif not rx.search(folded, d_end, clauses[ci][1]):
        # 宣布王毅访问的同一天: a date modified by what precedes it (…的) dates none of it.
        spans = [] if text[max(0, d.span_start - 1):d.span_start] == "的" else \
            [(clauses[ci][0], d.span_start)]
        if spans:
            # 2017年因组织抗议，而遭当局关押: the verb is in a clause that goes on without a
            # subject of its own.
            for c in clauses[ci + 1:]:
                if any(c[0] <= x.span_start < c[1] for x in s_dates) or _NEW_TIME.search(text, c[0], c[1]) \
                        or not (_CONTINUES.match(text, c[0]) or _SHARED_SUBJECT.match(text, c[0])
                                or _TIME_CLAUSE_END.search(text, clauses[ci][0], clauses[ci][1])):
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
            if _shares_date(text, c, mentions, rx, folded, prev):
                spans.append(c)
            prev = c
    return spans, False
