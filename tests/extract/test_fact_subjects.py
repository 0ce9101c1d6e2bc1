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
    fs = _facts(["日本驻蒙古大使馆周一通报，蒙古东部两省流感病例激增。到目前为止，两省已有近400人入院。"])
    assert _one(fs, 400).subject == "MNG"


def test_a_neighbouring_place_is_a_landmark_not_the_subject():
    f = _one(_facts(["与新疆相邻的蒙古科布多省有30名居民被捕。"]), 30)
    assert f.subject == "MNG"
    f = _one(_facts(["蒙古还表示，毗邻俄罗斯的三个县已疏散上万人。"]), 10000)
    assert f.subject == "MNG"


def test_a_clause_opening_with_yu_names_the_other_party():
    f = _one(_facts(["蒙古是日本的伙伴，与俄罗斯共享3500公里长的边境线。"]), 3500)
    assert (f.subject, f.object) == ("MNG", "RUS")


def test_the_state_given_to_receives_the_figure_the_giver_holds_it():
    f = _one(_facts(["日本财务大臣表示，东京已向蒙古政府发放了50亿美元的优惠贷款。"]), 5.0)
    assert (f.subject, f.object) == ("JPN", "MNG")


def test_a_count_of_people_of_a_state_is_that_states():
    f = _one(_facts(["蒙古边防部门称，300名阿富汗士兵已越境进入蒙古。"]), 300)
    assert (f.subject, f.object) == ("AFG", "MNG")


def test_aid_received_takes_the_donor_named_before():
    fs = _facts(["日本去年向东南亚提供了2亿美元的援助。越南获得了5000万美元的援助，四分之一用于修路。"])
    f = _one(fs, 50, "USD_mn")
    assert (f.subject, f.object) == ("JPN", "VNM")
    f = _one(fs, 0.25)
    assert (f.subject, f.object) == ("JPN", "VNM")


def test_people_who_fled_a_place_are_counted_for_its_state():
    fs = _facts(["俄罗斯接收了数以百计逃离新疆的哈萨克族牧民。"])
    f = next(f for f in fs if f.qualifier == "vague")
    assert (f.subject, f.object) == ("CHN", "RUS")


# --- catalogue figures -----------------------------------------------------------------

def test_migrants_from_a_place_are_counted_for_its_state_before_their_peoples_name():
    f = _one(_facts(["蒙古官员说，从新疆移民到该国的30多万哈萨克人已经入籍。"]), 300000)
    assert f.indicator == "migrant_count" and (f.subject, f.object) == ("CHN", "MNG")


def test_casualties_belong_to_the_state_of_their_clause_not_the_reporting_embassy():
    f = _one(_facts(["日本大使馆在通报中说，蒙古暴发的流感今年已造成650人死亡。"]), 650)
    assert f.indicator == "casualties" and f.subject == "MNG"


def test_casualties_of_a_clash_with_a_neighbour_are_the_speakers():
    f = _one(_facts(["蒙古周二说，同邻国俄罗斯的边境交火死亡人数已升至21人。"]), 21)
    assert f.indicator == "casualties" and (f.subject, f.object) == ("MNG", "RUS")


def test_a_sentence_naming_its_own_state_does_not_inherit_the_last_sentences_actors():
    fs = _facts(["蒙古军方说，交火中有7名士兵死亡。俄罗斯则宣布，有11名士兵在交火中丧生。"])
    assert _one(fs, 11).subject == "RUS"


def test_a_state_bank_stands_for_its_state_and_its_name_is_no_keyword():
    fs = _facts(["中国进出口银行手中握有老挝约30亿美元、45%的外债。"])
    assert _one(fs, 3.0).indicator != "trade_total"
    f = _one(fs, 0.45)
    assert f.indicator == "debt_share" and (f.subject, f.object) == ("CHN", "LAO")


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
    fs = _facts(["Moscow reports that its trade with Kazakhstan, Kyrgyzstan, Tajikistan, Turkmenistan and Uzbekistan "
                 "came to $50 billion in 2019."], language="en")
    f = _one(fs, 50)
    assert f.indicator == "trade_total" and (f.subject, f.object) == ("RUS", "C5")


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
