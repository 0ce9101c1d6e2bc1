"""Open-domain figures: quantities every reader notes, their measure, actors, period and
plausibility (sentences written for these tests; real articles are scored in
test_real_articles.py)."""

from __future__ import annotations

from datetime import date

import pytest

from heartland.extract.open_facts import plausibility_flag
from heartland.extract.pipeline import extract_article
from heartland.extract.quantities import find_quantities
from heartland.extract.records import Fact
from tests.extract.fixtures import make_article


def _q(text):
    return [(q.value, q.low, q.high, q.unit, q.qualifier) for q in find_quantities(text)]


@pytest.mark.parametrize("text,want", [
    ("法院判刑7年。", (7, 7, 7, "years", "exact")),
    ("他已离开两年半。", (2.5, 2.5, 2.5, "years", "exact")),
    ("一位80多岁的老人", (80, 80, None, "years", "lower_bound")),
    ("他们失去200公顷草原", (200, 200, 200, "ha", "exact")),
    ("至少有50万人遭拘押", (500000, 500000, None, "persons", "lower_bound")),
    ("逾50万哈萨克人", (500000, 500000, None, "persons", "lower_bound")),
    ("上千人参加", (1000, 1000, None, "persons", "lower_bound")),
    ("近万列货运班列", (10000, None, 10000, "count", "upper_bound")),
    ("援助1亿2千8百万美元", (0.128, 0.128, 0.128, "USD_bn", "exact")),
    ("得票率为90,9%", (0.909, 0.909, 0.909, "share", "exact")),
    ("约1/5的人口", (0.2, 0.2, 0.2, "share", "exact")),
    ("过半的学院", (0.5, 0.5, None, "share", "lower_bound")),
    ("几十个警察赶到", (None, 20, 99.9, "persons", "vague")),
    ("第一批100万剂疫苗", (1000000, 1000000, 1000000, "count", "exact")),
])
def test_chinese_figures(text, want):
    got = _q(text)
    assert len(got) == 1, got
    v, lo, hi, unit, qual = got[0]
    assert (unit, qual) == want[3:]
    for a, b in ((v, want[0]), (lo, want[1]), (hi, want[2])):
        assert (a is None and b is None) or (a is not None and b is not None and abs(a - b) < 1e-6), got


@pytest.mark.parametrize("text,low,high,unit", [
    ("大约两、三百名示威者", 200, 300, "persons"),
    ("五、六个警察", 5, 6, "persons"),
    ("增长六到七倍", 6, 7, "multiple"),
    ("增长4%到5%", 0.04, 0.05, "share"),
    ("a loan of $7 to $9 billion", 7, 9, "USD_bn"),
])
def test_ranges_are_one_interval(text, low, high, unit):
    got = _q(text)
    assert len(got) == 1, got
    assert got[0][0] is None and got[0][3] == unit and got[0][4] == "range"
    assert abs(got[0][1] - low) < 1e-9 and abs(got[0][2] - high) < 1e-9


@pytest.mark.parametrize("text,want", [
    ("Kyrgyzstan must repay $ 480 million in 20 years", [(0.48, "USD_bn"), (20, "years")]),
    ("three people were killed and 16 parties ran", [(3, "persons"), (16, "count")]),
    ("a 68-year-old president", [(68, "years")]),
    ("thousands of protesters", [(None, "persons")]),
    ("a price of $40 or so", [(40, "USD_mn")]),
])
def test_english_figures(text, want):
    got = [(q.value if q.unit != "USD_mn" or q.value is None or q.value >= 1 else q.value * 1e6, q.unit)
           for q in find_quantities(text)]
    assert [(None if v is None else round(v, 6), u) for v, u in got] == want


@pytest.mark.parametrize("text", ["这两个国家", "每一个人都", "两人都曾入狱", "被扣留七、八个小时", "2020年5月", "一个基地"])
def test_references_and_dates_are_not_figures(text):
    assert _q(text) == []


def _facts(paragraphs, published="2021-04-30T10:00:00+00:00", language="zh"):
    art = make_article(paragraphs, published, language=language, script="Latn" if language == "en" else "Hans")
    return extract_article(art).facts


def test_open_figure_keeps_its_measure_actor_and_period():
    fs = _facts(["吉尔吉斯斯坦卫生部29日表示，与塔吉克斯坦的武装冲突已造成13人死亡。"])
    open_ = [f for f in fs if f.indicator is None or f.indicator == "casualties"]
    assert open_, fs
    f = open_[0]
    assert f.subject == "KGZ" and f.value == 13 and f.unit == "persons"
    assert f.measure and "13" not in f.measure  # the words around the figure, not the figure
    assert f.period_start == date(2021, 4, 29)
    assert f.reason and 0 < f.confidence <= 1


def test_figure_in_a_place_belongs_to_its_country():
    fs = _facts(["据报道，新疆共有约380座拘留中心。"])
    assert [f.subject for f in fs] == ["CHN"]


def test_undated_figure_is_as_of_publication_and_uncertain():
    fs = _facts(["哈萨克斯坦人口约1900万。"])
    assert len(fs) == 1
    f = fs[0]
    assert f.period_start == f.period_end == date(2021, 4, 30) and f.period_uncertain


def test_implausible_magnitude_is_flagged_not_dropped():
    f = Fact(subject="CHN", object="KAZ", indicator="trade_total", value=5000.0, low=5000.0, high=5000.0,
             unit="USD_bn", span_start=0, span_end=3)
    assert plausibility_flag(f) == "implausible_magnitude"
    assert plausibility_flag(f.model_copy(update={"value": 40.0, "low": 40.0, "high": 40.0})) == ""
    assert plausibility_flag(f.model_copy(update={"unit": "share", "indicator": None, "value": 1.7})) \
        == "implausible_magnitude"
