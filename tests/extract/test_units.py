"""Unit tests of the extractors on sentences we wrote ourselves."""

from __future__ import annotations

from datetime import date

import pytest

from heartland.extract.dates import find_dates, find_english_dates
from heartland.extract.events import event_types
from heartland.extract.gazetteer import affiliation_on, load_gazetteer
from heartland.extract.mentions import find_mentions
from heartland.extract.quantities import ABOUT_BAND, find_quantities
from heartland.extract.quotes import classify


def q1(text):
    qs = find_quantities(text)
    assert len(qs) == 1, qs
    return qs[0]


@pytest.mark.parametrize("text,value,low,high,unit,qual", [
    ("投资超过50亿美元", 5.0, 5.0, None, "USD_bn", "lower_bound"),
    ("贸易额逾120亿美元", 12.0, 12.0, None, "USD_bn", "lower_bound"),
    ("占比将近45%", 0.45, None, 0.45, "share", "upper_bound"),
    ("大约300万吨", 3.0, 3.0 * (1 - ABOUT_BAND), 3.0 * (1 + ABOUT_BAND), "Mt", "about"),
    ("1.5万亿美元左右", 1500.0, 1500 * (1 - ABOUT_BAND), 1500 * (1 + ABOUT_BAND), "USD_bn", "about"),
    ("高达七成", 0.7, None, 0.7, "share", "max_reported"),
    ("增长了6成以上", 0.6, 0.6, None, "share", "lower_bound"),
    ("增长两倍多", 2.0, 2.0, None, "multiple", "lower_bound"),
    ("造成二十三人死亡", 23.0, 23.0, 23.0, "persons", "exact"),
    ("more than 70% of arms", 0.7, 0.7, None, "share", "lower_bound"),
    ("nearly $90 billion", 90.0, None, 90.0, "USD_bn", "upper_bound"),
])
def test_hedges_become_intervals(text, value, low, high, unit, qual):
    q = q1(text)
    assert (q.unit, q.qualifier) == (unit, qual)
    assert q.value == pytest.approx(value)
    assert (q.low is None) == (low is None) and (q.high is None) == (high is None)
    if low is not None:
        assert q.low == pytest.approx(low)
    if high is not None:
        assert q.high == pytest.approx(high)


def test_no_quantities_from_prose_numerals_ordinals_or_dates():
    assert find_quantities("一带一路倡议") == []
    assert find_quantities("第十九轮战略安全磋商") == []
    assert find_quantities("2023年5月19日") == []


def test_vague_amount_is_an_interval_without_point():
    q = q1("价值数十亿美元的商品")
    assert q.value is None and q.low == pytest.approx(2.0) and q.high == pytest.approx(9.99)


def test_chinese_dates_against_publication_date():
    pub = date(2023, 3, 16)  # a Thursday
    got = {d.surface: (d.start, d.end, d.precision) for d in find_dates(
        "周一双方会谈；上个月签约；去年访问；2019至2021年间；截至2022年底；3月2日；今年1月至2月；5年前", pub)}
    assert got["周一"] == (date(2023, 3, 13), date(2023, 3, 13), "day")
    assert got["上个月"] == (date(2023, 2, 1), date(2023, 2, 28), "month")
    assert got["去年"] == (date(2022, 1, 1), date(2022, 12, 31), "year")
    assert got["2019至2021年间"] == (date(2019, 1, 1), date(2021, 12, 31), "range")
    assert got["截至2022年底"][1] == date(2022, 12, 31)
    assert got["3月2日"][0] == date(2023, 3, 2)
    assert got["今年1月至2月"] == (date(2023, 1, 1), date(2023, 2, 28), "range")
    assert got["5年前"][0] == date(2018, 1, 1)


def test_uncertain_resolutions_are_flagged():
    pub = date(2024, 5, 27)  # Monday
    ds = {d.surface: d for d in find_dates("本周五举办的座谈会；上周末；今年早些时候", pub)}
    assert ds["本周五"].start == date(2024, 5, 24) and ds["本周五"].uncertain
    assert ds["上周末"].uncertain and ds["今年早些时候"].uncertain
    # A month-day far from the publication date is resolved but flagged.
    far = find_dates("8月1日", date(2024, 1, 20))[0]
    assert far.uncertain


def test_english_dates_use_dateparser():
    ds = find_english_dates("On Monday the two sides met; in March 2021 they signed", date(2024, 8, 22))
    assert ds[0].start == date(2024, 8, 19)
    assert (ds[1].start, ds[1].precision) == (date(2021, 3, 1), "month")


def test_mentions_longest_match_scripts_and_single_characters():
    text = "上海合作组织与集體安全條約組織都在中亞；中俄关系；中国人；俄罗斯外长；SCO and the CSTO met"
    from heartland.extract.gazetteer import to_simplified
    ms = find_mentions(to_simplified(text), text)
    ids = [(m.surface, m.actor) for m in ms]
    assert ("上海合作组织", "SCO") in ids and ("集體安全條約組織", "CSTO") in ids and ("中亞", "C5") in ids
    assert ("中", "CHN") in ids and ("俄", "RUS") in ids  # from 中俄 only
    assert not any(s == "中国" for s, _ in ids)  # 中国人 is blocked (people, not the state)
    assert ("SCO", "SCO") in ids and ("CSTO", "CSTO") in ids
    singles = [m for m in ms if len(m.surface) == 1]
    assert len(singles) == 2


def test_taiwan_and_hong_kong_variants():
    ms = find_mentions("普丁访问吉尔吉斯", "普丁訪問吉爾吉斯")
    assert [m.actor for m in ms] == ["person:putin", "KGZ"]


def test_metonyms_depend_on_context():
    ms = find_mentions("北京表示反对。普京抵达北京。莫斯科音乐厅遇袭。莫斯科和北京保持合作。")
    got = [(m.surface, m.actor, m.metonym) for m in ms if m.surface in ("北京", "莫斯科")]
    assert got == [("北京", "CHN", True), ("北京", "place:beijing", False), ("莫斯科", "place:moscow", False),
                   ("莫斯科", "RUS", True), ("北京", "CHN", True)]


def test_latin_names_need_word_boundaries():
    assert find_mentions("the USSR") and not [m for m in find_mentions("CISCO routers") if m.actor == "CIS"]


def test_affiliation_as_of_date():
    e = load_gazetteer().entry("person:shoigu")
    assert affiliation_on(e, date(2022, 1, 1)).org == "org:mod_rus"
    assert affiliation_on(e, date(2024, 11, 12)).org == "org:security_council_rus"


def test_gazetteer_has_every_state_from_pycountry():
    gaz = load_gazetteer()
    import pycountry
    assert all(c.alpha_3 in gaz.entries for c in pycountry.countries)
    assert set(gaz.members("C5")) == {"KAZ", "KGZ", "TJK", "TKM", "UZB"}


def test_event_types_carry_cameo_quadclass_goldstein():
    types = event_types()
    for name in ("deploy_forces", "withdraw_forces", "summit", "talks", "agreement", "joins_organisation",
                 "founds_organisation", "attack", "statement", "visit"):
        t = types[name]
        assert len(t.cameo) == 3 and t.quad in (1, 2, 3, 4) and -10 <= t.goldstein <= 10
    assert types["attack"].quad == 4 and types["attack"].goldstein < 0
    assert types["talks"].cameo == "040" and types["visit"].goldstein == pytest.approx(1.9)


def test_hypothesis_classification_and_negation():
    links, stance = classify("我不认为中国想在这一地区承担军事和安全角色")
    assert [(h.id, h.stance) for h in links] == [("china_security_creep", "opposes")]
    links, stance = classify("北京或许会把在中亚的投资转化为政治筹码，莫斯科对此难免有摩擦")
    assert ("economic_to_political_conversion", "supports") in [(h.id, h.stance) for h in links]
    assert stance == "competition"


# --- generalisation mechanisms (sentences written for these tests) -----------------

def _x(paragraphs, published="2025-03-05T09:00:00+00:00", language="zh"):
    from heartland.extract.pipeline import extract_article
    from tests.extract.fixtures import make_article
    art = make_article(paragraphs, published, language=language, script="Latn" if language == "en" else "Hans")
    return art, extract_article(art)


def test_zai_ending_a_word_is_not_a_locative():
    ms = {m.surface: m.actor for m in find_mentions("他说，现在北京更看重稳定，而代表团正在莫斯科访问。")}
    assert ms["北京"] == "CHN"
    assert ms["莫斯科"] == "place:moscow"


def test_capitals_are_governments_in_political_context():
    ms = [(m.surface, m.actor) for m in find_mentions("Bishkek signed the deal in Bishkek, and Tashkent objected.")]
    assert ms == [("Bishkek", "KGZ"), ("Bishkek", "place:bishkek"), ("Tashkent", "UZB")]


def test_names_inside_unknown_organisation_names_are_not_mentions():
    ms = [(m.surface, m.actor) for m in find_mentions("兰州大学中亚研究所与中国人民大学的学者访问了俄罗斯和中亚。", new_names=False)]
    assert ms == [("俄罗斯", "RUS"), ("中亚", "C5")]
    en = [m.actor for m in find_mentions("a fellow at the Central Asian Studies Institute said Central Asian states", new_names=False)]
    assert en == ["C5"]


def test_english_relative_years_and_year_ranges():
    ds = find_english_dates("fell last year; between 2019 and 2023; next year", date(2025, 3, 5))
    got = [(d.start, d.end, d.precision) for d in ds]
    assert got == [(date(2024, 1, 1), date(2024, 12, 31), "year"), (date(2019, 1, 1), date(2023, 12, 31), "range"),
                   (date(2026, 1, 1), date(2026, 12, 31), "year")]


def test_its_trade_with_pairs_the_sentence_subject():
    _, x = _x(["Tajikistan's trade with Iran fell to $1 billion last year, while its trade with China rose to $4 billion."],
              language="en")
    got = [(f.subject, f.object, f.value, f.period_start) for f in x.facts]
    assert got == [("TJK", "IRN", 1.0, date(2024, 1, 1)), ("TJK", "CHN", 4.0, date(2024, 1, 1))]


def test_debt_share_creditor_and_export_value_exporter():
    _, x = _x(["据估计，土库曼斯坦约有三成外债欠中国。", "去年哈萨克斯坦对中国的出口约为200亿美元。"])
    got = [(f.indicator, f.subject, f.object) for f in x.facts]
    assert got == [("debt_share", "CHN", "TKM"), ("export_value", "KAZ", "CHN")]
    _, x = _x(["Ashgabat owes nearly 30 percent of its external debt to China, officials said."], language="en")
    assert [(f.indicator, f.subject, f.object, f.high) for f in x.facts] == [("debt_share", "CHN", "TKM", 0.3)]


def test_english_speaker_apposition_without_gazetteer_entry():
    _, x = _x(['"The region wants more than one partner for its roads and railways," said Ilona Berk, a lecturer at '
               'the University of Tartu.',
               'Timur Ospanov, an adviser at the Carnegie Russia Eurasia Center, said the corridor would take years to finish.',
               'Berk added that the railway would change the region for many years.'], language="en")
    got = {(q.speaker, q.affiliation) for q in x.quotes}
    assert got == {("person:ilona_berk", None), ("person:timur_ospanov", "org:carnegie_russia_eurasia")}
    assert sum(q.speaker == "person:ilona_berk" for q in x.quotes) == 2


def test_parts_of_a_year():
    got = [(d.start, d.end) for d in find_dates("今年上半年；2024年前十个月；去年第三季度", date(2025, 3, 5))]
    assert got == [(date(2025, 1, 1), date(2025, 6, 30)), (date(2024, 1, 1), date(2024, 10, 31)),
                   (date(2024, 7, 1), date(2024, 9, 30))]
    en = [(d.start, d.end) for d in find_english_dates("the first half of 2023; first seven months of last year",
                                                        date(2025, 3, 5))]
    assert en == [(date(2023, 1, 1), date(2023, 6, 30)), (date(2024, 1, 1), date(2024, 7, 31))]


def test_importer_and_origin_roles_follow_the_indicator():
    _, x = _x(["2024年前十个月，乌兹别克斯坦从俄罗斯进口的商品占其进口总额的约三成。",
               "去年乌兹别克斯坦从中国进口约80亿美元的商品。"])
    got = [(f.indicator, f.subject, f.object, f.period_end) for f in x.facts]
    assert got == [("import_share", "RUS", "UZB", date(2024, 10, 31)), ("import_value", "UZB", "CHN", date(2024, 12, 31))]
