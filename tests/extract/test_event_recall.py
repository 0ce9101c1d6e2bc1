"""Event recall on real prose (2026-12-03): one test per rule, each on a short sentence
written for the test (docs/extract.md, "Event recall on the dev set")."""

from __future__ import annotations

from datetime import date

from heartland.extract.dates import find_dates


from tests.extract.fixtures import extracted as _x


def _events(x):
    return {(e.type, e.date) for e in x.events}


# --- dates --------------------------------------------------------------------------------

def test_a_month_written_with_fen_is_a_month():
    d = find_dates("外长8月份访问了北京。", date(2025, 9, 20))
    assert [(x.start, x.precision) for x in d] == [(date(2025, 8, 1), "month")]


def test_zhege_xingqi_is_this_week_and_shangge_xingqi_last_week():
    d = find_dates("顾问这个星期访问了莫斯科，上个星期访问了北京。", date(2025, 3, 5))  # a Wednesday
    assert [(x.start, x.precision) for x in d] == [(date(2025, 3, 3), "week"), (date(2025, 2, 24), "week")]
    # 上星期三 stays a weekday
    assert [x.kind for x in find_dates("他上星期三抵达。", date(2025, 3, 5))] == ["weekday"]


def test_n_days_ago_is_a_day_before_the_report():
    d = find_dates("两天前，部队撤出了基地。", date(2025, 3, 5))
    assert [(x.start, x.precision, x.relative) for x in d] == [(date(2025, 3, 3), "day", True)]
    assert find_dates("代表团三天前往莫斯科。", date(2025, 3, 5)) == []


# --- clauses and speakers -----------------------------------------------------------------

def test_a_latin_gloss_in_parentheses_does_not_cut_the_subject_off():
    _, x = _x(["美国国务卿蓬佩奥（Mike Pompeo）2月访问中国和俄罗斯。"])
    visit = next(e for e in x.events if e.type == "visit")
    # Pompeo is a gazetteer person since the mention-recall pass (2026-12-03): he is an actor too
    assert visit.actors == ["USA", "person:pompeo", "CHN", "RUS"]


def test_a_founder_is_no_founding():
    _, x = _x(["该组织创办人阿里今天在阿拉木图说，他将继续工作。"])
    assert not [e for e in x.events if e.type == "founds_organisation"]


def test_a_member_of_a_civil_body_is_no_official_speaker():
    _, x = _x(["哈萨克斯坦人权组织成员安娜·阿里今天表示，两人已被送往医院。"])
    assert not [e for e in x.events if e.type == "statement"]
    _, x = _x(["哈萨克斯坦外交部发言人阿里今天表示，两国将加强合作。"])
    assert [e.type for e in x.events] == ["statement"]


# --- triggers -----------------------------------------------------------------------------

def test_phone_calls_written_as_tongle_dianhua_or_dianhua_jiaotan():
    _, x = _x(["3月2日，阿富汗总统与塔吉克斯坦总统通了电话。"])
    assert _events(x) == {("phone_call", date(2025, 3, 2))}
    _, x = _x(["吉尔吉斯斯坦总统2月份与中国领导人的电话交谈中讨论了债务。"])
    assert _events(x) == {("phone_call", date(2025, 2, 1))}


def test_an_ordered_mobilisation_is_mobilise_forces():
    _, x = _x(["塔吉克斯坦总统3月3日下令动员两万名后备役军人。"])
    assert _events(x) == {("mobilise_forces", date(2025, 3, 3))}


def test_a_consensus_reached_is_an_agreement():
    _, x = _x(["2024年，俄罗斯和中国在论坛上形成共识，用本国货币结算贸易。"])
    assert _events(x) == {("agreement", date(2024, 1, 1))}


# --- dates shared across clauses ----------------------------------------------------------

def test_a_clause_going_on_without_a_subject_shares_the_date():
    _, x = _x(["反对派领导人阿里2017年因组织一场集会，而遭吉尔吉斯斯坦当局关押。"])
    assert ("arrest", date(2017, 1, 1)) in _events(x)


def test_a_dated_time_clause_dates_the_main_clause_after_it():
    _, x = _x(["2019年秋季哈萨克斯坦总统访华前夕，阿拉木图爆发了反中国抗议。"])
    assert ("protest", date(2019, 1, 1)) in _events(x)


def test_an_official_body_that_gonggao_makes_a_statement():
    _, x = _x(["哈萨克斯坦总统府网站今天公告废除死刑。"])
    assert _events(x) == {("statement", date(2025, 3, 5))}


# --- actors -------------------------------------------------------------------------------

def test_a_regions_authorities_act_for_its_state():
    _, x = _x(["哈萨克斯坦公民阿里说，他的弟弟2018年被新疆政府关进再教育营。"])
    arrest = next(e for e in x.events if e.type == "arrest")
    assert "CHN" in arrest.actors


def test_a_domestic_event_of_unplaced_people_is_their_countrys():
    # names the gazetteer lacks (博罗诺夫, first written here, is a gazetteer person since 2026-12-03)
    _, x = _x(["吉尔吉斯斯坦议会选举引发抗议。", "总理卡拉巴耶夫、议长茹马别科夫于3日宣布辞职。"])
    res = next(e for e in x.events if e.type == "resignation")
    assert "KGZ" in res.actors and "actors:context" in res.reason


def test_the_country_in_question_is_the_one_named_most_so_far():
    _, x = _x(["吉尔吉斯斯坦反对派占领了政府大楼，吉尔吉斯斯坦总统呼吁冷静。",
               "俄罗斯对局势表示担忧。", "政府表示，在昨晚的动乱中有一人丧生。"])
    protest = next(e for e in x.events if e.type == "protest")
    assert protest.actors == ["KGZ"]


def test_a_name_after_a_locative_is_the_venue_not_the_speaker():
    _, x = _x(["2013年，习近平在哈萨克斯坦纳扎尔巴耶夫大学发表演说，称两国关系密切。"])
    st = next(e for e in x.events if e.type == "statement")
    assert "person:xi_jinping" in st.actors


def test_a_date_with_a_time_of_day_is_a_date_only_clause():
    _, x = _x(["当地时间3月2日晚上10时左右，两名流亡哈萨克斯坦的记者遭到暴力袭击。"])
    assert _events(x) == {("attack", date(2025, 3, 2))}


def test_immediately_after_shares_the_date():
    _, x = _x(["阿里2017年9月在新疆服完刑期后，立即又被新疆政府送进再教育营。"])
    assert ("arrest", date(2017, 9, 1)) in _events(x)


def test_local_police_are_those_of_the_last_place_named():
    _, x = _x(["哈萨克斯坦公民阿里说，她在新疆的舅舅2018年3月被当地警察带走。"])
    arrest = next(e for e in x.events if e.type == "arrest")
    assert "CHN" in arrest.actors


def test_a_month_after_publication_needs_a_future_cue():
    from heartland.extract.dates import find_english_dates
    d = find_english_dates("It took part in a rigged parliamentary election in March.", date(2020, 10, 10))
    assert [(x.start, x.precision) for x in d] == [(date(2020, 3, 1), "month")]
    d = find_english_dates("Parliament will hold an election in March.", date(2020, 10, 10))
    assert [x.start for x in d] == [date(2021, 3, 1)]
    # Chinese verbs do not mark the tense: 七月举行的峰会 in May is still the coming July.
    assert [x.start for x in find_dates("外长为七月举行的峰会做准备。", date(2024, 5, 24))] == [date(2024, 7, 1)]


def test_a_visit_ended_on_a_day_began_n_minus_one_days_before():
    _, x = _x(["印度外长3月4日结束了对俄罗斯为期两天的访问。"])
    visit = next(e for e in x.events if e.type == "visit")
    assert (visit.date, visit.date_end) == (date(2025, 3, 3), date(2025, 3, 4))
