"""Who an event's actors are and who speaks a statement, for the event pass (events.py).

The actors of a trigger are the state, group, institution and person mentions of its clause
(a person adds their state, a place counts as its state, a region's or city's authorities
act for their state), minus the topic after 就/关于 or a topic phrase (如何看待…后); 该组织 and
两个组织 point back to the last institutions named (``_remember_institutions``), a partner
pronoun (与他举行会谈) to the last person named. A statement needs an official speaker
(``_official_speaker``); a domestic event, or an unnamed body's statement, with no state
among its actors takes the country in question (``_context_state``).

Everything here reads the mentions and the gazetteer around one trigger; which clauses a
date anchors is event_clauses.py's job, and which triggers are events, events.py's.
"""

from __future__ import annotations

import re
from bisect import bisect_left

from heartland.extract.gazetteer import load_gazetteer
from heartland.extract.records import Mention
from heartland.extract.text import Sentence

# 与他举行会谈 / met with him: a pronoun as the partner of the trigger (not 他们, nor 他国
# "other countries", 他人, 他方).
_PARTNER_PRONOUN = re.compile(r"(与|同|和|跟|会见|接见|会晤)(他|她)(?![们国人方处乡者])|"
                              r"\b(with|met|received|hosted)\s+(him|her)\b")
_TOPIC_OPEN = re.compile(r"(看待|问到|问及|谈及|评论)")
_ACTOR_KINDS = {"state", "group", "institution", "person", "armed_group"}


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
        elif m.kind in ("ministry", "party"):
            # 吉尔吉斯斯坦议会, 中国外交部: a state's own body names the state
            e = gaz.entry(m.actor)
            if e and e.country:
                out.append((m.start, e.country))
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
    venue_ends: set[int] = set()
    kept = []
    for m in before:
        # 在哈萨克斯坦纳扎尔巴耶夫大学: a name right after the venue's name is the venue too
        if _VENUE.search(text, max(0, m.start - 2), m.start) or m.start in venue_ends:
            venue_ends.add(m.end)
        else:
            kept.append(m)
    before = kept
    if not before:
        return None
    sp = before[-1]
    if sp.kind in _SPEAKER_KINDS or sp.metonym or sp.reason == "state_body":
        return True   # state_body: a state's own body (吉尔吉斯卫生部), heartland.extract.mentions
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


#: A locative right before a name (在…, 于…, at …): the place where something was said.
_VENUE = re.compile(r"(?:在|于)$|\b(?:at|in)\s$")


#: Words of a non-government body between a state and a person: the person is no official.
_CIVIL_BODY = re.compile(r"人权组织|志愿者组织|非政府组织|协会|大学|研究中心|研究所|基金会|公司|“|「")


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
        # The organisation may close the sentence (…加入的三方对话机制): take it and, for a
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


def _clause_actors(text: str, s: Sentence, clauses: list[tuple[int, int]], clause: tuple[int, int], m: re.Match,
                   mentions: list[Mention], last_insts: list[str], etype: str,
                   persons: list[Mention]) -> list[str]:
    """The actors of the trigger ``m``: those of its clause, reaching back to the clause
    before or to the sentence's opening when the clause names too few."""
    actors = _event_actors(text, clause, m, mentions, last_insts, etype, persons)
    if re.match(r"\s*(与|和|同|跟|并|with)", text[clause[0]:m.start()]):
        # 与习近平举行会谈: the subject is in the clause before.
        prev = [c for c in clauses if c[1] <= clause[0]]
        if prev:
            actors = _event_actors(text, (prev[-1][0], clause[1]), m, mentions, last_insts,
                                   etype, persons)
    if len(actors) < 2:  # the actors may open the sentence before a parenthesis
        actors = _event_actors(text, (s.start, clause[1]), m, mentions, last_insts, etype,
                               persons)
    return actors


def _trigger_actors(text: str, s: Sentence, clauses: list[tuple[int, int]], clause: tuple[int, int],
                    m: re.Match, etype: str, mentions: list[Mention], last_insts: list[str],
                    persons: list[Mention], states: list[tuple[int, str]], gaz) -> tuple[list[str], bool] | None:
    """The actors of the trigger ``m`` and whether they are the country in question; None for
    a statement without an official speaker."""
    actors = _clause_actors(text, s, clauses, clause, m, mentions, last_insts, etype, persons)
    context = False
    if etype == "statement":
        speaker = _official_speaker(text, clause, s.start, m, mentions, gaz)
        if speaker is None and _BODY.search(text[max(clause[0], m.start() - 16):m.start()]):
            # 选举委员会周二宣布, the government said: an unnamed body of the country in question.
            speaker, actors, context = True, [x for x in [_context_state(states, m.start())] if x], True
        if not speaker or not (context or _official(actors, gaz)):
            return None
    elif etype in _DOMESTIC and not _any_state(actors, gaz):
        # 政府总理辞职了, 抗议者冲入总统府: a domestic event of the country in question;
        # so too when only people the gazetteer does not place are named (总理博罗诺夫
        # …宣布辞职): the country is theirs.
        actors = actors + [x for x in [_context_state(states, m.start())] if x and x not in actors]
        context = True
    return actors, context
