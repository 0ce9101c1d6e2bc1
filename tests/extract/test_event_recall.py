"""Event recall on real prose (2026-12-04): one test per rule, each on a short sentence
written for the test (docs/extract.md, "Event recall on the dev set")."""

from __future__ import annotations

from datetime import date

from heartland.extract.dates import find_dates


def _x(paragraphs, published="2025-03-05T09:00:00+00:00", language="zh", script=None):
    from heartland.extract.pipeline import extract_article
    from tests.extract.fixtures import make_article
    script = script or ("Latn" if language == "en" else "Hans")
    art = make_article(paragraphs, published, language=language, script=script)
    return art, extract_article(art)


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
