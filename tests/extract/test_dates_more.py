"""Date forms added after held-out set 4 (parts of a year, 截至 period ends, month ranges,
当天/同日, future-tense month-days, English period ends and weeks)."""

from __future__ import annotations

from datetime import date

import pytest

from heartland.extract.dates import find_dates, find_english_dates
from heartland.extract.gazetteer import to_simplified

D = date


def _zh(text: str, pub: date) -> dict[str, tuple]:
    return {d.surface: (d.start, d.end, d.precision) for d in find_dates(to_simplified(text), pub)}


def _en(text: str, pub: date) -> dict[str, tuple]:
    return {d.surface: (d.start, d.end, d.precision) for d in find_english_dates(text, pub)}


@pytest.mark.parametrize("text,start,end", [
    ("今年前三季度，贸易额增长", D(2025, 1, 1), D(2025, 9, 30)),
    ("2024年前两季度的投资", D(2024, 1, 1), D(2024, 6, 30)),
    ("去年前三个季度", D(2024, 1, 1), D(2024, 9, 30)),
    ("前3季度", D(2025, 1, 1), D(2025, 9, 30)),
    ("今年前三季度，貿易額成長", D(2025, 1, 1), D(2025, 9, 30)),  # traditional script
    ("去年第三季度", D(2024, 7, 1), D(2024, 9, 30)),  # the third quarter stays one quarter
])
def test_first_n_quarters_are_january_to_the_quarters_end(text, start, end):
    got = [d for d in find_dates(to_simplified(text), D(2025, 11, 12)) if d.kind == "part_year"]
    assert [(d.start, d.end) for d in got] == [(start, end)]


@pytest.mark.parametrize("text,end", [
    ("截至今年6月底，中国企业的累计投资已超过140亿美元", D(2025, 6, 30)),
    ("截至去年年底，俄罗斯的投资存量约为二十亿美元", D(2024, 12, 31)),
    ("截至去年底，贷款余额为30亿美元", D(2024, 12, 31)),
    ("截至今年3月底，中國對塔吉克的直接投資累計高達45億美元", D(2025, 3, 31)),
    ("截止2024年6月30日，累计投资40亿美元", D(2024, 6, 30)),
    ("截至目前，累计签约项目50个", D(2025, 11, 12)),
])
def test_until_a_period_end_is_a_stock_with_open_start(text, end):
    d = next(d for d in find_dates(to_simplified(text), D(2025, 11, 12)) if d.kind == "until")
    assert (d.start, d.end) == (None, end)
    assert d.surface.startswith("截")


@pytest.mark.parametrize("text,start,end,prec", [
    ("截至2019年底，日本与蒙古的贸易额达到20亿美元", D(2019, 1, 1), D(2019, 12, 31), "year"),
    ("截至去年年底，双边贸易额为200亿美元", D(2024, 1, 1), D(2024, 12, 31), "year"),
    ("截至今年6月底，双边贸易额为100亿美元", D(2025, 1, 1), D(2025, 6, 30), "range"),
])
def test_until_a_period_end_for_a_flow_is_the_calendar_year_to_it(text, start, end, prec):
    d = next(d for d in find_dates(to_simplified(text), D(2025, 11, 12)) if d.kind == "until")
    assert (d.start, d.end, d.precision) == (start, end, prec)


@pytest.mark.parametrize("text,start,end", [
    ("今年1至9月，哈俄贸易额约为196亿美元", D(2024, 1, 1), D(2024, 9, 30)),
    ("今年1月至9月", D(2024, 1, 1), D(2024, 9, 30)),
    ("去年1—11月", D(2023, 1, 1), D(2023, 11, 30)),
    ("2024年1至9月", D(2024, 1, 1), D(2024, 9, 30)),
    ("2021年1月至11月", D(2021, 1, 1), D(2021, 11, 30)),
    ("1—9月，进出口总额", D(2024, 1, 1), D(2024, 9, 30)),
    ("1至11月份", D(2024, 1, 1), D(2024, 11, 30)),
])
def test_month_ranges(text, start, end):
    got = find_dates(to_simplified(text), D(2024, 12, 19))
    assert [(d.start, d.end, d.precision) for d in got] == [(start, end, "range")]


def test_a_month_range_without_a_year_across_new_year_and_day_ranges_untouched():
    d = find_dates("11月至2月", D(2025, 3, 6))[0]
    assert (d.start, d.end, d.uncertain) == (D(2024, 11, 1), D(2025, 2, 28), True)
    # A day range is two days (events anchor on each), not a month range.
    got = [(d.kind, d.start) for d in find_dates("8月31日至9月1日，峰会在天津举行", D(2025, 11, 12))]
    assert got == [("md", D(2025, 8, 31)), ("md", D(2025, 9, 1))]


def test_that_day_is_the_previous_day_precision_date():
    pub = D(2025, 11, 12)
    ds = find_dates("本周二，托卡耶夫抵达北京。当天下午，两国元首举行会谈。", pub)
    same = next(d for d in ds if d.kind == "same_day")
    assert (same.start, same.uncertain) == (D(2025, 11, 11), False)
    # ... also from the paragraph before, and 同日
    ds = find_dates("1月7日，习近平致口信。\n同日，外交部发言人宣布", D(2022, 1, 15))
    assert next(d for d in ds if d.kind == "same_day").start == D(2022, 1, 7)
    # without a day before it: the publication date, uncertain
    d = next(d for d in find_dates("当天，双方签署协议。", pub) if d.kind == "same_day")
    assert (d.start, d.uncertain) == (pub, True) and "publication" in d.note
    # two paragraphs back is too far; 相当天然 is no date
    ds = find_dates("1月7日，会谈。\n第二段。\n当天，签署。相当天然", D(2022, 1, 15))
    assert [(d.kind, d.start, d.uncertain) for d in ds if d.kind == "same_day"] == [
        ("same_day", D(2022, 1, 15), True)]
    en = [d for d in find_english_dates("On Tuesday the minister arrived. Later that day he met Rahmon.",
                                        D(2024, 10, 3)) if d.kind == "same_day"]
    assert [(d.surface, d.start) for d in en] == [("that day", D(2024, 10, 1))]


def test_month_day_without_year_nearest_and_future_tense_prefers_next():
    pub = D(2025, 11, 12)
    assert find_dates("8月31日，峰会在天津举行", pub)[0].start == D(2025, 8, 31)
    assert find_dates("8月31日，峰会将在天津举行", pub)[0].start == D(2026, 8, 31)
    assert find_dates("预计9月启用", pub)[0].start == D(2026, 9, 1)
    # a future verb inside a quotation is the speaker's, not the date's
    assert find_dates("1月6日出兵后，他说：“军事行动将产生后果”", D(2022, 1, 24))[0].start == D(2022, 1, 6)
    # 将近 (nearly) is no future cue
    assert find_dates("8月31日，贸易额将近百亿", pub)[0].start == D(2025, 8, 31)


def test_english_month_day_nearest_publication_and_future():
    pub = D(2025, 5, 21)
    assert _en("On August 31, Tianjin will host the summit.", pub)["August 31"][0] == D(2025, 8, 31)
    assert _en("On March 3, the ministers met.", pub)["March 3"][0] == D(2025, 3, 3)
    assert _en("On March 3, the ministers will meet.", pub)["March 3"][0] == D(2026, 3, 3)
    assert _en("The talks are due to open on March 3.", pub)["March 3"][0] == D(2026, 3, 3)
    assert _en("in June 2024 they signed", pub)["June 2024"] == (D(2024, 6, 1), D(2024, 6, 30), "month")
    assert _en("on June 20, 2024 they signed", pub)["June 20, 2024"] == (D(2024, 6, 20), D(2024, 6, 20), "day")


def test_english_period_ends():
    pub = D(2025, 5, 21)
    got = _en("The stock of investment stood at $13 billion at the end of last year.", pub)
    assert got["at the end of last year"] == (None, D(2024, 12, 31), "range")
    got = _en("Cumulative investment was $5 billion as of the end of 2024.", pub)
    assert got["as of the end of 2024"][:2] == (None, D(2024, 12, 31))
    got = _en("Trade reached $20 billion by the end of last year.", pub)  # a flow: the year to it
    assert got["by the end of last year"][:2] == (D(2024, 1, 1), D(2024, 12, 31))
    got = _en("Outstanding loans were $2 billion as of March 31, 2025.", pub)
    assert got["as of March 31, 2025"][:2] == (None, D(2025, 3, 31))
    got = _en("The stock of loans at end-June was $1 billion.", pub)
    assert got["at end-June"][:2] == (None, D(2025, 6, 30))


def test_english_parts_of_the_year_and_quarters():
    pub = D(2024, 10, 3)
    got = _en("in the first eight months of the year; the first half of the year; the first three months of this year;"
              " the first seven months of last year; the first three quarters of 2023; the second quarter of last year",
              pub)
    assert got["the first eight months of the year"][:2] == (D(2024, 1, 1), D(2024, 8, 31))
    assert got["the first half of the year"][:2] == (D(2024, 1, 1), D(2024, 6, 30))
    assert got["the first three months of this year"][:2] == (D(2024, 1, 1), D(2024, 3, 31))
    assert got["the first seven months of last year"][:2] == (D(2023, 1, 1), D(2023, 7, 31))
    assert got["the first three quarters of 2023"][:2] == (D(2023, 1, 1), D(2023, 9, 30))
    assert got["the second quarter of last year"][:2] == (D(2023, 4, 1), D(2023, 6, 30))


def test_english_weeks_are_calendar_weeks():
    pub = D(2024, 10, 3)  # a Thursday
    got = _en("published last week; this week; next week", pub)
    assert got["last week"] == (D(2024, 9, 23), D(2024, 9, 29), "week")
    assert got["this week"] == (D(2024, 9, 30), D(2024, 10, 6), "week")
    assert got["next week"] == (D(2024, 10, 7), D(2024, 10, 13), "week")


def test_existing_forms_still_parse():
    pub = D(2025, 3, 5)  # a Wednesday
    got = _zh("2024年上半年；2005至2020年间；2021年1月至11月；上个月；本周；周二；今年早些时候；1月6日；2023年；去年", pub)
    assert got["2024年上半年"] == (D(2024, 1, 1), D(2024, 6, 30), "range")
    assert got["2005至2020年间"] == (D(2005, 1, 1), D(2020, 12, 31), "range")
    assert got["2021年1月至11月"] == (D(2021, 1, 1), D(2021, 11, 30), "range")
    assert got["上个月"] == (D(2025, 2, 1), D(2025, 2, 28), "month")
    assert got["本周"] == (D(2025, 3, 3), D(2025, 3, 9), "week")
    assert got["周二"] == (D(2025, 3, 4), D(2025, 3, 4), "day")
    assert got["今年早些时候"] == (D(2025, 1, 1), pub, "range")
    assert got["1月6日"] == (D(2025, 1, 6), D(2025, 1, 6), "day")
    assert got["2023年"] == (D(2023, 1, 1), D(2023, 12, 31), "year")
    assert got["去年"] == (D(2024, 1, 1), D(2024, 12, 31), "year")
    en = _en("last year; between 2019 and 2023; the first half of 2025; last month; on Monday", pub)
    assert en["last year"] == (D(2024, 1, 1), D(2024, 12, 31), "year")
    assert en["between 2019 and 2023"] == (D(2019, 1, 1), D(2023, 12, 31), "range")
    assert en["the first half of 2025"] == (D(2025, 1, 1), D(2025, 6, 30), "range")
    assert en["last month"] == (D(2025, 2, 1), D(2025, 2, 28), "month")
    assert en["on Monday"] == (D(2025, 3, 3), D(2025, 3, 3), "day")


def test_that_day_false_friends():
    pub = D(2025, 11, 12)
    for text in ("当天然气价格上涨时", "当日本首相访问时", "两者不可同日而语", "他相当天真"):
        assert [d for d in find_dates(text, pub) if d.kind == "same_day"] == [], text


def test_english_future_weekday_and_earlier_this_year():
    pub = D(2024, 10, 3)  # a Thursday
    assert _en("The ministers met on Monday.", pub)["on Monday"][0] == D(2024, 9, 30)
    assert _en("The ministers will meet on Monday.", pub)["on Monday"][0] == D(2024, 10, 7)
    d = next(d for d in find_english_dates("It joined earlier this year.", pub))
    assert (d.start, d.end, d.uncertain) == (D(2024, 1, 1), pub, True)
