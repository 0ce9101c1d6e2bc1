"""Whose figure it is (docs/extract.md, "Fact subjects on the dev set"): the construction rules
of heartland/extract/fact_subjects.py and the subject rules of facts.py. Sentences written for
these tests, one rule each."""

from __future__ import annotations

from heartland.extract.pipeline import extract_article
from tests.extract.fixtures import make_article


def _facts(paragraphs, published="2021-04-30T10:00:00+00:00", language="zh"):
    art = make_article(paragraphs, published, language=language, script="Latn" if language == "en" else "Hans")
    return extract_article(art).facts


def _one(fs, value, unit=None):
    got = [f for f in fs if f.value is not None and abs(f.value - value) < 1e-6 and (unit is None or f.unit == unit)]
    assert len(got) == 1, [(f.value, f.unit, f.subject) for f in fs]
    return got[0]


# --- open figures ----------------------------------------------------------------------

def test_an_embassys_state_reports_the_figure_it_does_not_hold_it():
    fs = _facts(["日本驻蒙古大使馆9日发布公告，蒙古的三个省肺炎病例大幅增加。截至目前，三地已有近400人感染。"])
    assert _one(fs, 400).subject == "MNG"


def test_a_neighbouring_place_is_a_landmark_not_the_subject():
    f = _one(_facts(["与新疆相邻的蒙古科布多省有30名居民被捕。"]), 30)
    assert f.subject == "MNG"
    f = _one(_facts(["蒙古也说，已在毗邻俄罗斯的两个省撤离上万人。"]), 10000)
    assert f.subject == "MNG"


def test_a_clause_opening_with_yu_names_the_other_party():
    f = _one(_facts(["蒙古是日本的伙伴，与俄罗斯有3500公里的共同边界。"]), 3500)
    assert (f.subject, f.object) == ("MNG", "RUS")


def test_the_state_given_to_receives_the_figure_the_giver_holds_it():
    f = _one(_facts(["日本外务大臣在访问蒙古期间说，他的政府已向蒙古当局提供了50亿美元的贷款。"]), 5.0)
    assert (f.subject, f.object) == ("JPN", "MNG")


def test_a_count_of_people_of_a_state_is_that_states():
    f = _one(_facts(["蒙古边防局说，1037名阿富汗军人越过了边界。"]), 1037)
    assert (f.subject, f.object) == ("AFG", "MNG")


def test_aid_received_takes_the_donor_named_before():
    fs = _facts(["美国2020年向中亚地区提供了1亿美元的援助。蒙古得到了3000万美元的援助，三分之一用于改善医疗。"])
    f = _one(fs, 30, "USD_mn")
    assert (f.subject, f.object) == ("USA", "MNG")
    f = _one(fs, 1 / 3)
    assert (f.subject, f.object) == ("USA", "MNG")


def test_people_who_fled_a_place_are_counted_for_its_state():
    fs = _facts(["土耳其政府接纳了数以百计逃离新疆的维吾尔人。"])
    f = next(f for f in fs if f.qualifier == "vague")
    assert (f.subject, f.object) == ("CHN", "TUR")


# --- catalogue figures -----------------------------------------------------------------

def test_migrants_from_a_place_are_counted_for_its_state_before_their_peoples_name():
    f = _one(_facts(["蒙古政府表示，从新疆移民到该国的30多万哈萨克人无法与家人联系。"]), 300000)
    assert f.indicator == "migrant_count" and (f.subject, f.object) == ("CHN", "MNG")


def test_casualties_belong_to_the_state_of_their_clause_not_the_reporting_embassy():
    f = _one(_facts(["日本大使馆称，蒙古流行的肺炎已导致1772人死亡。"]), 1772)
    assert f.indicator == "casualties" and f.subject == "MNG"


def test_casualties_of_a_clash_with_a_neighbour_are_the_speakers():
    f = _one(_facts(["蒙古今天表示，与邻国俄罗斯武装冲突死亡人数增至13人。"]), 13)
    assert f.indicator == "casualties" and (f.subject, f.object) == ("MNG", "RUS")


def test_a_sentence_naming_its_own_state_does_not_inherit_the_last_sentences_actors():
    fs = _facts(["蒙古方面指出，冲突中有5名平民丧生。俄罗斯则通报，有19位平民在冲突中丧命。"])
    assert _one(fs, 19).subject == "RUS"


def test_a_state_bank_stands_for_its_state_and_its_name_is_no_keyword():
    fs = _facts(["中国进出口银行持有蒙古近40亿美元、超过40%的外债。"])
    assert _one(fs, 4.0).indicator != "trade_total"
    f = _one(fs, 0.4)
    assert f.indicator == "debt_share" and (f.subject, f.object) == ("CHN", "MNG")


# --- gazetteer and mention data the rules lean on ----------------------------------------

def test_a_chinese_province_counts_for_china():
    f = _one(_facts(["截至2019年，云南省已经在东南亚建了9所学校。"]), 9)
    assert f.subject == "CHN"


def test_a_short_name_of_the_eurasian_union_is_the_union():
    f = _one(_facts(["数据显示，欧亚联盟内部用成员国货币结算量已接近50%。"]), 0.5)
    assert f.subject == "EAEU"


def test_a_provinces_government_is_a_body_and_a_signing_is_not():
    art = make_article(["甘肃省政府签署了协议，陕西省教育厅呈报教育部。"], "2021-04-30T10:00:00+00:00",
                       language="zh", script="Hans")
    names = {m.surface for m in extract_article(art).mentions if m.reason == "state_body"}
    assert "甘肃省政府" in names and "陕西省教育厅" in names
    assert not any("签署" in n or "呈报" in n for n in names)


def test_an_embassy_named_in_the_gazetteer_reports_too():
    fs = _facts(["中国驻哈萨克斯坦大使馆发布公告。截至目前，已有近400人感染。"])
    assert _one(fs, 400).subject != "CHN"


def test_a_list_of_all_five_central_asian_states_is_the_region():
    fs = _facts(["Beijing says trade with Kazakhstan, Kyrgyzstan, Tajikistan, Turkmenistan and Uzbekistan "
                 "reached $50 billion in 2019."], language="en")
    f = _one(fs, 50)
    assert f.indicator == "trade_total" and (f.subject, f.object) == ("CHN", "C5")


def test_a_name_inside_a_works_title_is_its_topic_not_the_figures_holder():
    f = _one(_facts(["一份报告《蒙古草原牧业研究》指，大部分日本友好城市都有图书馆，其中建在亚洲的数量过半。"]), 0.5)
    assert f.subject == "JPN"


def test_a_count_of_a_regions_countries_has_no_holder():
    f = _one(_facts(["这份报告追踪了中亚的12个国家的局势。"]), 12)
    assert (f.subject, f.object) == (None, "C5")
    f = _one(_facts(["报告追踪了中亚12国的局势。"]), 12)
    assert f.subject is None
    f = _one(_facts(["中国已在中亚的12个国家开设了学校。"]), 12)
    assert f.subject == "CHN"
