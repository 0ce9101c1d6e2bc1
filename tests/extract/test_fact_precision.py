"""Rules that raised fact precision on real prose (docs/extract.md, "Fact precision"): periods
read from the words around a date, figures that are no facts, and whose figure it is.
Sentences written for these tests, one rule each."""

from __future__ import annotations

from datetime import date

from heartland.extract.pipeline import extract_article
from tests.extract.fixtures import make_article


def _facts(paragraphs, published="2021-04-30T10:00:00+00:00", language="zh"):
    art = make_article(paragraphs, published, language=language, script="Latn" if language == "en" else "Hans")
    return extract_article(art).facts


def _one(fs, surface_value):
    got = [f for f in fs if f.value == surface_value]
    assert len(got) == 1, [(f.value, f.unit) for f in fs]
    return got[0]


# --- periods ---------------------------------------------------------------------------

def test_since_a_year_opens_at_its_start_with_no_end():
    f = _one(_facts(["美国1995年以来向蒙古提供了300名教师。"]), 300)
    assert (f.period_start, f.period_end) == (date(1995, 1, 1), None)
    f = _one(_facts(["Japan has given Mongolia $450 million in aid since 2009."], language="en"), 0.45)
    assert (f.period_start, f.period_end) == (date(2009, 1, 1), None)


def test_a_year_not_followed_by_since_words_stays_the_year():
    f = _one(_facts(["美国1995年向蒙古派来300名教师。"]), 300)
    assert (f.period_start, f.period_end) == (date(1995, 1, 1), date(1995, 12, 31))


def test_as_of_a_date_an_open_count_is_a_level_at_that_date():
    f = _one(_facts(["截至2019年6月，日本已在蒙古开设了12所学校。"]), 12)
    assert f.indicator is None and (f.period_start, f.period_end) == (date(2019, 6, 30), date(2019, 6, 30))
    f = _one(_facts(["As of March 1, the contractor had been paid $ 75 million."], language="en"), 75)
    assert (f.period_start, f.period_end) == (date(2021, 3, 1), date(2021, 3, 1))


def test_as_of_a_year_a_share_keeps_the_year():
    f = _one(_facts(["截至2019年，蒙古的牧业占全国产值的30%。"]), 0.3)
    assert (f.period_start, f.period_end) == (date(2019, 1, 1), date(2019, 12, 31))


def test_now_words_date_a_catalogue_fact_to_the_publication_day():
    f = _one(_facts(["目前，吉尔吉斯斯坦的外债有45%来自中国。"]), 0.45)
    assert f.indicator == "debt_share"
    assert (f.period_start, f.period_end, f.period_uncertain) == (date(2021, 4, 30), date(2021, 4, 30), False)


def test_xianzai_inside_chuxianzai_is_not_now():
    fs = _facts(["吉尔吉斯斯坦的外债有45%来自中国，这一点出现在报告里。"])
    f = _one(fs, 0.45)
    assert f.period_start is None


def test_by_a_date_is_a_deadline_with_no_start():
    f = _one(_facts(["蒙古计划3月底前接种5万剂疫苗。"]), 50000)
    assert (f.period_start, f.period_end) == (None, date(2021, 3, 31))
    f = _one(_facts(["Mongolia wants coal output to grow 12-fold by 2030."], language="en"), 12)
    assert (f.period_start, f.period_end) == (None, date(2030, 12, 31))


def test_qianwang_after_a_date_is_no_deadline():
    f = _one(_facts(["3月5日前往蒙古的代表团有50人。"]), 50)
    assert f.period_start == date(2021, 3, 5)


def test_an_undated_figure_takes_the_story_date_named_before_it():
    fs = _facts(["蒙古议会选举于4月12日举行，投票顺利。", "初步结果显示，执政党的得票率为61%。"])
    f = _one(fs, 0.61)
    assert (f.period_start, f.period_end, f.period_uncertain) == (date(2021, 4, 12), date(2021, 4, 12), True)
    # with no date before it: the publication day, flagged uncertain (test_open_facts.py)
    f = _one(_facts(["初步结果显示，执政党的得票率为61%。"]), 0.61)
    assert f.period_start == date(2021, 4, 30) and f.period_uncertain


# --- figures that are no facts -----------------------------------------------------------

def test_two_written_as_a_word_is_a_pair_not_a_figure():
    assert [f.value for f in _facts(["蒙古警方拘留了两名记者。"])] == []
    assert [f.value for f in _facts(["Police in Mongolia detained two journalists and two people."], language="en")] == []
    # a digit, or another number, stays a figure
    assert [f.value for f in _facts(["蒙古警方拘留了2名记者和三名学生。"])] == [2, 3]


def test_a_conversion_in_parentheses_is_the_same_sum():
    fs = _facts(["日本对蒙古的援助为12亿美元（约88亿元人民币）。"])
    assert [(f.value, f.unit) for f in fs] == [(1.2, "USD_bn")]
    fs = _facts(["Japan lent Mongolia 12 billion yuan ($1.7 billion) last year."], language="en")
    assert all(f.unit != "USD_bn" for f in fs)


# --- whose figure it is ------------------------------------------------------------------

def test_an_armed_group_owns_the_figure_of_its_clause():
    f = _one(_facts(["据报道，塔利班已控制了阿富汗70%的地区。"]), 0.7)
    assert (f.subject, f.object) == ("org:taliban", "AFG")


def test_a_state_before_the_region_that_frames_it():
    f = _one(_facts(["中亚邻国吉尔吉斯斯坦的一家公司生产了3万吨水泥。"]), 0.03)
    assert f.subject == "KGZ"
    f = _one(_facts(["在这三个中亚国家中，塔吉克斯坦的边界线最长，长达900多公里。"]), 900)
    assert f.subject == "TJK"


def test_a_ruling_party_stands_for_its_state():
    f = _one(_facts(["据报道，中共已在非洲开办了30所党校。"]), 30)
    assert f.subject == "CHN"


def test_the_length_of_a_visit_is_no_figure():
    assert [f.value for f in _facts(["蒙古总统5月3日结束了对日本为期三天的访问。"])] == []


def test_the_before_a_share_or_a_defined_set_is_no_reference():
    fs = _facts(["Mongolia's ruling party hopes to better the 65% it won in 2016."], language="en")
    assert [f.value for f in fs] == [0.65]
    fs = _facts(["Only four of the 13 parties that ran in Mongolia won seats."], language="en")
    assert 13 in [f.value for f in fs]
    # "the three countries" stays a reference
    assert [f.value for f in _facts(["Mongolia signed the deal with the three countries."], language="en")] == []


def test_nur_sultan_written_with_a_hyphen_is_astana_not_sudan():
    art = make_article(["蒙古外长在努尔-苏丹与哈方会谈。"], "2021-04-30T10:00:00+00:00", language="zh", script="Hans")
    actors = {m.actor for m in extract_article(art).mentions}
    assert "SDN" not in actors and "place:astana" in actors
