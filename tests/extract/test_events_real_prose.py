"""Event and date rules added for real prose (issue 13), one test per rule, on prose written
for the tests (no article text)."""

from __future__ import annotations

from datetime import date

from heartland.extract.dates import dateline_reference, find_dates, find_english_dates
from heartland.extract.events import event_types


def _x(paragraphs, published="2025-03-05T09:00:00+00:00", language="zh", script=None):
    from heartland.extract.pipeline import extract_article
    from tests.extract.fixtures import make_article
    script = script or ("Latn" if language == "en" else "Hans")
    art = make_article(paragraphs, published, language=language, script=script)
    return art, extract_article(art)


def _events(x):
    return {(e.type, e.date, e.date_precision) for e in x.events}


def test_new_types_carry_their_codes_and_placeholders():
    t = event_types()
    assert (t["protest"].cameo, t["protest"].goldstein) == ("141", -6.5)
    assert (t["arrest"].cameo, t["extradition"].cameo, t["ceasefire"].cameo) == ("173", "063", "0871")
    assert (t["mobilise_forces"].cameo, t["military_force"].cameo, t["military_force"].goldstein) == ("154", "190", -10.0)
    for name in ("election", "vote", "resignation", "appointment"):
        assert (t[name].cameo, t[name].quad, t[name].goldstein) == ("", 0, 0.0)
    assert "_block" not in t


def test_domestic_events_resignation_protest_election():
    _, x = _x(["吉尔吉斯斯坦10月4日举行议会选举。10月5日，数千名民众在比什凯克抗议。总理10月6日宣布辞职。"],
              published="2020-10-07T09:00:00+06:00")
    assert {("election", date(2020, 10, 4), "day"), ("protest", date(2020, 10, 5), "day"),
            ("resignation", date(2020, 10, 6), "day")} <= _events(x)
    assert all("KGZ" in e.actors for e in x.events)


def test_an_invasion_is_military_force_not_a_deployment():
    _, x = _x(["Russia sent troops into Ukraine on February 24, 2022."], published="2022-03-01T09:00:00+00:00",
              language="en")
    assert [(e.type, e.cameo, e.date) for e in x.events] == [("military_force", "190", date(2022, 2, 24))]
    _, x = _x(["2022年2月24日，俄罗斯入侵乌克兰。"], published="2022-03-01T09:00:00+08:00")
    assert [e.type for e in x.events] == ["military_force"]


def test_a_weekday_that_names_the_publication_day_is_that_day():
    _, x = _x(["Chinese President Xi Jinping held talks with Kazakh President Tokayev on Monday."],
              published="2025-06-16T18:00:00+05:00", language="en")  # a Monday
    e = next(e for e in x.events if e.type == "talks")
    assert e.date == date(2025, 6, 16) and e.date_uncertain and e.date_note.startswith("relative")
    d = [d for d in find_english_dates("He will fly to Astana on Tuesday.", date(2025, 6, 16)) if "Tuesday" in d.surface]
    assert d[0].start == date(2025, 6, 17)


def test_the_dateline_day_is_the_reference_and_anchors_nothing():
    text = "（法新社塔什干17日电）乌兹别克斯坦今天宣布将采购俄制疫苗。"
    ds = find_dates(text, date(2021, 2, 18))
    assert [(d.kind, d.start) for d in ds] == [("dateline", date(2021, 2, 17)), ("rel_day", date(2021, 2, 17))]
    assert dateline_reference("法新社塔什干17日电", date(2021, 2, 18))[0] == date(2021, 2, 17)


def test_relative_months_and_parts_of_a_month():
    pub = date(2020, 10, 14)
    got = {d.surface: (d.start, d.precision, d.relative) for d in find_dates("去年9月访问北京；10月初爆发抗议；去年10月14日举行记者会", pub)}
    assert got["去年9月"] == (date(2019, 9, 1), "month", True)
    assert got["10月初"] == (date(2020, 10, 1), "month", True)
    assert got["去年10月14日"] == (date(2019, 10, 14), "day", True)


def test_a_future_cue_in_another_clause_is_another_verbs_tense():
    ds = find_dates("中国7月9日宣布，外长将从7月20日到22日访问塔吉克斯坦", date(2021, 7, 10))
    assert ds[0].start == date(2021, 7, 9)


def test_statements_only_from_officials_and_bodies():
    _, x = _x(["学者张明3月2日表示，两国关系很好。"])
    assert not [e for e in x.events if e.type == "statement"]
    _, x = _x(["哈萨克斯坦外交部3月2日表示，将与中国继续谈判。"])
    assert [e.actors for e in x.events if e.type == "statement"] == [["KAZ"]] or \
        any("KAZ" in e.actors for e in x.events if e.type == "statement")


def test_plans_attempts_and_every_sunday_are_no_events():
    _, x = _x(["7月1日，十多名居民试图到领事馆表达抗议。每周日都有数万人走上街头。"], published="2021-07-07T09:00:00+06:00")
    assert not [e for e in x.events if e.type == "protest"]


def test_a_time_clause_trigger_is_an_event_of_its_own():
    _, x = _x(["2015年普京访问乌兹别克斯坦时宣布计划。"])
    assert {"visit", "statement"} <= {e.type for e in x.events}


def test_events_carry_confidence_and_reason():
    _, x = _x(["2024年7月3日，中俄两国元首在阿斯塔纳举行会谈。"])
    e = next(e for e in x.events if e.type == "talks")
    assert e.reason == "trigger:zh;date:explicit" and e.confidence == 0.8
    _, x = _x(["Xi Jinping and Vladimir Putin held talks in Astana on July 3, 2024."], language="en")
    assert next(e for e in x.events if e.type == "talks").reason.startswith("trigger:en")
