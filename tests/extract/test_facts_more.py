"""Facts and quantities: role, keyword, hedge and period rules (sentences written for these tests)."""

from __future__ import annotations

from datetime import date

import pytest

from heartland.extract.pipeline import extract_article
from heartland.extract.quantities import ABOUT_BAND, find_quantities
from tests.extract.fixtures import make_article


def _facts(paragraphs, published="2025-04-10T09:00:00+00:00", language="zh"):
    art = make_article(paragraphs, published, language=language, script="Latn" if language == "en" else "Hans")
    # These tests are about the catalogue's role rules: open-domain figures (indicator None)
    # are tested in test_open_facts.py.
    return [f for f in extract_article(art).facts if f.indicator]


def _row(f):
    return f.indicator, f.subject, f.object


# --- keyword classes ---------------------------------------------------------------

def test_import_export_total_is_trade_not_exports():
    fs = _facts(["去年，俄罗斯与塔吉克斯坦的进出口总额约为15亿美元，同比增长逾一成。"])
    assert [_row(f) for f in fs] == [("trade_total", "RUS", "TJK"), ("trade_growth", "RUS", "TJK")]
    assert fs[1].low == pytest.approx(0.1) and fs[1].qualifier == "lower_bound"
    fs = _facts(["Total trade between Kazakhstan and Turkey was $10 billion last year."], language="en")
    assert [_row(f) for f in fs] == [("trade_total", "KAZ", "TUR")]


def test_taiwan_growth_word_counts_like_zengzhang():
    fs = _facts(["2015至2024年間，俄羅斯與土庫曼斯坦的貿易額成長了兩倍多。"])
    assert [_row(f) for f in fs] == [("trade_growth_multiple", "RUS", "TKM")]
    fs = _facts(["去年，哈薩克與烏茲別克的貿易額成長約8%。"])
    assert [_row(f) for f in fs] == [("trade_growth", "KAZ", "UZB")]


# --- hedges --------------------------------------------------------------------------

@pytest.mark.parametrize("text,qual,low,high", [
    ("约占伊朗天然气进口的一半", "about", 0.5 * (1 - ABOUT_BAND), 0.5 * (1 + ABOUT_BAND)),
    ("近占该国进口总量的30%", "upper_bound", None, 0.3),
    ("逾占外资总额的四成", "lower_bound", 0.4, None),
    ("超过占全部份额的三分之一", "lower_bound", 1 / 3, None),
])
def test_hedge_before_zhan_qualifies_the_share(text, qual, low, high):
    (q,) = find_quantities(text)
    assert q.qualifier == qual
    assert (q.low is None, q.high is None) == (low is None, high is None)
    assert q.low == pytest.approx(low) if low is not None else True
    assert q.high == pytest.approx(high) if high is not None else True


def test_zuijin_is_not_a_hedge_and_own_hedge_wins():
    (q,) = find_quantities("最近占全国的三成")
    assert q.qualifier == "exact"
    (q,) = find_quantities("约占进口的逾三成")
    assert q.qualifier == "lower_bound"


# --- English quantities --------------------------------------------------------------

def test_english_cubic_metres_and_persons_nouns():
    (q,) = find_quantities("Russia pumped about 15 billion cubic metres last year")
    assert (q.unit, q.value, q.qualifier) == ("bcm", 15.0, "about")
    (q,) = find_quantities("some 12 bcm of gas")
    assert (q.unit, q.value) == ("bcm", 12.0)
    (q,) = find_quantities("nearly 800,000 Tajik citizens live abroad")
    assert (q.unit, q.value, q.surface) == ("persons", 800000.0, "nearly 800,000")
    (q,) = find_quantities("2.1 million migrants")
    assert (q.unit, q.value) == ("persons", 2.1e6)


def test_english_fraction_of_a_baseline_is_a_growth():
    (q,) = find_quantities("about a third more than in 2021")
    assert (q.unit, q.value, q.qualifier, q.kind) == ("share", pytest.approx(1 / 3), "about", "growth")


def test_migrants_working_abroad_are_a_migrant_count():
    fs = _facts(["About 900,000 Tajik citizens work in Russia, officials said."], language="en")
    assert [_row(f) for f in fs] == [("migrant_count", "TJK", "RUS")]
    fs = _facts(["目前在哈萨克斯坦务工的乌兹别克斯坦劳务移民约有三十万人。"])
    assert [(f.indicator, f.value) for f in fs] == [("migrant_count", 300000.0)]


# --- subject and object ----------------------------------------------------------------

def test_a_noun_before_zai_keeps_a_as_investor():
    fs = _facts(["据塔吉克斯坦投资委员会统计，截至去年，俄罗斯公司在塔吉克斯坦的累计投资约为30亿美元。"])
    assert [_row(f) for f in fs] == [("fdi_cumulative", "RUS", "TJK")]
    fs = _facts(["据哈萨克斯坦央行统计，去年土耳其企业对哈萨克斯坦的投资约为5亿美元。"])
    assert [_row(f) for f in fs] == [("fdi_cumulative", "TUR", "KAZ")]


def test_the_holder_of_a_share_is_the_subject():
    fs = _facts(["土库曼斯坦约五十亿美元的外债中，中国所占比重接近六成。"])
    assert [_row(f) for f in fs] == [("debt_share", "CHN", "TKM")]
    fs = _facts(["Between 2019 and 2023, Russia supplied over half of Kazakhstan's imported weapons, "
                 "while Turkey's share rose to about 10 percent."], language="en")
    assert [_row(f) for f in fs] == [("arms_supply_share", "RUS", "KAZ"), ("arms_supply_share", "TUR", "KAZ")]


def test_delivery_to_b_makes_b_the_importer():
    fs = _facts(["去年，哈萨克斯坦经管道向中国输送天然气约60亿立方米。"])
    assert [_row(f) for f in fs] == [("gas_import_volume", "CHN", "KAZ")]
    fs = _facts(["据统计，去年俄罗斯管道天然气输往中国约310亿立方米。"])
    assert [_row(f) for f in fs] == [("gas_import_volume", "CHN", "RUS")]
    fs = _facts(["Uzbekistan exported about 5 billion cubic metres of gas to China in 2022."], language="en")
    assert [(*_row(f), f.period_start) for f in fs] == [("gas_import_volume", "CHN", "UZB", date(2022, 1, 1))]


def test_a_clause_naming_one_actor_with_its_figure():
    fs = _facts(["去年，土耳其在哈萨克斯坦的投资约为10亿美元，高于伊朗的3亿美元。"])
    assert [_row(f) for f in fs] == [("fdi_cumulative", "TUR", "KAZ"), ("fdi_cumulative", "IRN", "KAZ")]


def test_its_opening_a_sentence_and_the_same_period():
    fs = _facts(["Uzbekistan's exports to Russia rose to $5 billion in 2023. "
                 "Its imports from China reached about $9 billion over the same period."], language="en")
    assert [(*_row(f), f.period_start, f.period_end) for f in fs] == [
        ("export_value", "UZB", "RUS", date(2023, 1, 1), date(2023, 12, 31)),
        ("import_value", "UZB", "CHN", date(2023, 1, 1), date(2023, 12, 31))]


# --- periods -------------------------------------------------------------------------

def test_each_value_of_a_change_takes_its_own_year():
    fs = _facts(["中国商品在吉尔吉斯斯坦进口中的占比，已从2019年的约四成升至2023年的逾五成。"])
    assert [(_row(f), f.value, f.period_start) for f in fs] == [
        (("import_share", "CHN", "KGZ"), 0.4, date(2019, 1, 1)),
        (("import_share", "CHN", "KGZ"), 0.5, date(2023, 1, 1))]


def test_a_baseline_after_than_is_not_the_period():
    fs = _facts(["Last year, Kyrgyzstan traded goods worth $3 billion with Russia, roughly a quarter more than in 2021."],
                published="2025-04-10T09:00:00+00:00", language="en")
    assert [(*_row(f), f.value, f.period_start) for f in fs] == [
        ("trade_total", "KGZ", "RUS", 3.0, date(2024, 1, 1)),
        ("trade_growth", "KGZ", "RUS", 0.25, date(2024, 1, 1))]


def test_a_share_that_changes_is_still_a_share():
    fs = _facts(["去年俄罗斯在哈萨克斯坦进口中的比重下降到三成。"])
    assert [(*_row(f), f.value) for f in fs] == [("import_share", "RUS", "KAZ", 0.3)]
    fs = _facts(["Russia's share of Kazakhstan's imports fell to 30 percent last year."], language="en")
    assert [(*_row(f), f.value) for f in fs] == [("import_share", "RUS", "KAZ", 0.3)]
    assert _facts(["去年中国对俄罗斯出口增长了12%。"]) == []  # a growth of exports, not a share


def test_the_demonym_after_a_migrant_count_is_the_origin():
    fs = _facts(["Officials said Kazakhstan hosts some 200,000 Uzbek migrants."], language="en")
    assert [_row(f) for f in fs] == [("migrant_count", "UZB", "KAZ")]


def test_percent_more_than_a_baseline_is_not_a_share_of_exports():
    fs = _facts(["China's exports to Kyrgyzstan reached $19 billion last year, nearly 30 percent more than in 2022."],
                language="en")
    assert [_row(f) for f in fs] == [("export_value", "CHN", "KGZ")]
