"""Rules added for held-out set 4's misses: events, mentions, speakers (one test per rule)."""

from __future__ import annotations

from datetime import date

from heartland.extract.gazetteer import to_simplified
from heartland.extract.mentions import find_mentions


from tests.extract.fixtures import extracted as _x


def _events(x):
    return {(e.type, e.date) for e in x.events}


# --- events -------------------------------------------------------------------------------

def test_a_date_range_clause_dates_the_next_clauses_once():
    _, x = _x(["7月3日至7月4日，独联体峰会在杜尚别举行，吉尔吉斯斯坦总统出席。"], published="2025-07-10T09:00:00+08:00")
    got = sorted((e.type, e.date, e.date_end) for e in x.events)
    assert got == [("summit", date(2025, 7, 3), date(2025, 7, 4)), ("visit", date(2025, 7, 3), date(2025, 7, 4))]


def test_a_comitative_clause_shares_the_date_of_the_clause_before():
    _, x = _x(["塔吉克斯坦外长3月3日抵达北京，与中国外长就边境问题举行会谈。"])
    talks = [e for e in x.events if e.type == "talks"]
    assert _events(x) == {("visit", date(2025, 3, 3)), ("talks", date(2025, 3, 3))}
    assert {"TJK", "CHN"} <= set(talks[0].actors)


def test_a_clause_opening_with_a_new_actor_shares_the_date():
    _, x = _x(["2023年7月举行的上合组织峰会上，伊朗正式加入上海合作组织，成为该组织的成员。"])
    joins = [e for e in x.events if e.type == "joins_organisation"]
    assert [(e.date, e.actors) for e in joins] == [(date(2023, 7, 1), ["IRN", "SCO"])]


def test_a_clause_that_moves_the_time_on_does_not_share_the_date():
    _, x = _x(["土库曼斯坦总统3月3日抵达莫斯科，次日俄罗斯与土库曼斯坦签署了天然气协议。"])
    assert _events(x) == {("visit", date(2025, 3, 3))}


def test_a_date_only_clause_stops_at_a_clause_that_moves_the_time_on():
    _, x = _x(["3月2日，土库曼斯坦总统抵达莫斯科，次日两国签署了天然气协议。"])
    assert _events(x) == {("visit", date(2025, 3, 2))}
    # 之后 inside a clause is "after X", not a new time: the signing is on the same day.
    _, x = _x(["3月2日，土库曼斯坦总统抵达莫斯科，两国元首会谈之后签署了天然气协议。"])
    assert ("agreement", date(2025, 3, 2)) in _events(x)


def test_a_partner_pronoun_is_the_last_person_named_before_it():
    _, x = _x(["3月2日，米尔济约耶夫抵达北京，习近平随后在人民大会堂与他举行会谈。"])
    talks = next(e for e in x.events if e.type == "talks")
    assert {"person:xi_jinping", "CHN", "person:mirziyoyev", "UZB"} <= set(talks.actors)
    # 与他国 is "with other countries", not a pronoun.
    _, x = _x(["3月2日，米尔济约耶夫抵达北京，习近平表示中国愿与他国签署更多协议。"])
    assert all("person:mirziyoyev" not in e.actors for e in x.events if e.type == "agreement")
    _, x = _x(["Tokayev arrived in Moscow on March 2. On March 3, Putin met with him in the Kremlin."], language="en")
    talks = next(e for e in x.events if e.type == "talks")
    assert talks.date == date(2025, 3, 3) and {"RUS", "KAZ"} <= set(talks.actors)


def test_coordinated_triggers_of_two_types_are_two_events():
    _, x = _x(["On March 3, Tokayev and Xi Jinping held talks and signed an agreement on gas supplies."],
              language="en")
    assert _events(x) == {("talks", date(2025, 3, 3)), ("agreement", date(2025, 3, 3))}
    _, x = _x(["3月3日，托卡耶夫与习近平举行会谈并签署了联合声明。"])
    assert {"talks", "agreement"} <= {e.type for e in x.events}


def test_traditional_and_formal_triggers():
    _, x = _x(["吉爾吉斯總統上週四在比什凱克接見來訪的中國外長，雙方簽署了三項協議。"], published="2025-03-05T09:00:00+08:00",
              script="Hant")
    assert {e.type for e in x.events} == {"talks", "visit", "agreement"}
    _, x = _x(["2024年10月，金磚國家高峰會在喀山舉行。"], script="Hant")
    assert [e.type for e in x.events] == ["summit"]
    _, x = _x(["俄罗斯总理3月3日飞抵阿什哈巴德。"])
    assert [e.type for e in x.events] == ["visit"]


# --- mentions -----------------------------------------------------------------------------

def test_taipei_is_the_government_of_taiwan_in_political_context():
    text = "臺北應該關注中亞，記者在台北採訪。"
    ms = [(m.surface, m.actor, m.metonym) for m in find_mentions(to_simplified(text), text)]
    assert ms == [("臺北", "TWN", True), ("中亞", "C5", False), ("台北", "place:taipei", False)]
    assert [m.actor for m in find_mentions("Taipei should watch Central Asia.")] == ["TWN", "C5"]


def test_regional_two_state_compounds():
    ms = [(m.surface, m.actor) for m in find_mentions("哈俄贸易额增长，吉塔边境恢复平静，乌哈关系升温。")]
    assert ms == [("哈", "KAZ"), ("俄", "RUS"), ("吉", "KGZ"), ("塔", "TJK"), ("乌", "UZB"), ("哈", "KAZ")]
    assert [m.actor for m in find_mentions("俄塔社报道")] == ["media:tass"]


def test_arrival_verbs_are_locatives():
    for text in ("总统飞抵莫斯科进行访问。", "代表团抵莫斯科。", "总理到访莫斯科。"):
        assert [m.actor for m in find_mentions(text)] == ["place:moscow"], text


def test_yu_inside_an_organisation_name_does_not_end_it():
    ms = [m.actor for m in find_mentions("兰州大学中国与亚太区域研究所的学者认为，")]
    assert "CHN" not in ms
    # 与 followed by another name is a conjunction: both names stay.
    ms = [m.actor for m in find_mentions("中国与俄罗斯科学院的学者认为，")]
    assert ms[0] == "CHN"


# --- speakers -----------------------------------------------------------------------------

def test_speech_verb_after_a_long_english_apposition():
    _, x = _x(["Aliya Serikova, a visiting fellow at the Eurasian Research Institute of Almaty in Kazakhstan, told "
               "reporters that the pipeline would be finished by 2027."], language="en")
    assert [q.speaker for q in x.quotes] == ["person:aliya_serikova"]


def test_who_heads_apposition_makes_a_speaker_and_the_last_name_an_alias():
    _, x = _x(['"The border is quiet, but nobody trusts it yet," said Bakyt Osmonov, who heads the Tian Shan '
               'Analytical Group in Bishkek.',
               'Osmonov said the two governments would meet again in the spring.'], language="en")
    assert [(q.speaker, q.affiliation) for q in x.quotes] == [("person:bakyt_osmonov", None)] * 2
    _, x = _x(["Bishkek, the capital, said nothing, and the ministry declined to comment on the talks."],
              language="en")
    assert not [q for q in x.quotes if q.speaker]


def test_trigger_regex_equals_the_word_boundary_alternation():
    """The triggers' alternation opens every Latin branch with a literal (fast scanning); it
    must match exactly what the plain ``\\bword\\b`` alternation matches."""
    import re

    from heartland.extract.events import _vocab
    rx, words = _vocab()[1]
    plain = re.compile("(?:%s)" % "|".join(rf"\b{re.escape(w)}\b" if w.isascii() else re.escape(w)
                                           for w in sorted(words, key=len, reverse=True)))
    text = ("metro met with him; we met. attackers attacked, 中国met signing_ signs visited-visit "
            "held talks and signed; 会谈并签署了协议，接见来访的总统，summits summit")
    assert [(m.start(), m.group()) for m in rx.finditer(text)] == [(m.start(), m.group()) for m in plain.finditer(text)]
