"""Periods of facts read from the words around the date, after ``facts.pick_period``.

Three readings the date patterns alone cannot make (measured on the real dev gold,
docs/extract.md "Facts"):

- **Since a year** (1991年以来, 1995年来, "since 2014"): the figure accumulates from the
  start of that year and the text gives no end — ``start`` = 1 January, ``end`` = none,
  not the year itself (9000万美元 "provided since 1991" is not a 1991 figure).
- **As of a date, for an open count or amount** (截至2018年12月, "as of February 1"): the
  level at that date — a point, ``start = end`` = the date's end. The catalogue's flow
  indicators keep the calendar year to that date and stocks their open start (dates.py):
  the world reads those; an open figure (548所孔子学院, "was paid $360 million") is a level.
- **By a date** (2月底前, 2025年之前, "by 2030"): a deadline — no start, the period's end
  (``pick_period`` reads a deadline after the figure the same way).
- **The story's date**: an open figure with no date in its sentence or the one before
  takes the last date named in the ``STORY_SENTENCES`` sentences before it, across
  paragraphs (大选11日举行 … 这位领导人的得票率为90.9%: the election's day), before the
  publication day — reporters date the event once and give its figures after it.
- **Now** (目前, 当前, 如今, 至今, currently, "so far") with no date in reach: the publication
  day, stated rather than guessed, for an open figure and a catalogue share (目前…外债分别有
  41%…来自中国); a catalogue flow (目前贸易额接近900亿美元: the latest year's trade) stays undated.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date

from heartland.extract.dates import DateExpr

#: 以来/来 right after a year (not 来自 "comes from"), or "since" right before it.
_SINCE_AFTER = re.compile(r"\s*(?:以来|来(?!自|源))")
_SINCE_BEFORE = re.compile(r"(?i)\bsince\s+(?:the\s+(?:start|beginning|end)\s+of\s+)?$")
#: A deadline: a date followed by 前/之前/以前 (2月底前, 2025年之前; not 前往 "go to", 前夕 "eve",
#: 前任 "former") or preceded by "by"/"before" (by 2030).
_DEADLINE_AFTER = re.compile(r"\s*(?:之前|以前|前(?![往夕任身者线进来去]))")
_DEADLINE_BEFORE = re.compile(r"(?i)\b(?:by|before)\s+$")
#: "Now" words; 现在 not inside 出现在/表现在/体现在/实现在 ("appears in").
_NOW = re.compile(r"目前|当前|如今|迄今|至今|眼下|(?<![出表体实])现在|"
                  r"\b(?:currently|now|to date|so far|as of today)\b", re.I)


def since_open_end(text: str, d: DateExpr | None) -> DateExpr | None:
    """A year followed by 以来 / preceded by "since": from its 1 January, no end."""
    if d is None or d.kind != "y" or d.start is None:
        return d
    if _SINCE_AFTER.match(text, d.span_end) or _SINCE_BEFORE.search(text, max(0, d.span_start - 32), d.span_start):
        return replace(d, end=None, precision="range", note="since that year: open end")
    return d


def deadline_open_start(text: str, d: DateExpr | None) -> DateExpr | None:
    """预计2月底前配送9万剂 / "grow 20-fold by 2030": the figure is reached by the end of the
    period, from no stated start."""
    if d is None or d.start is None or d.end is None or d.kind in ("years_ago", "past_years", "years_since", "until"):
        return d
    if _DEADLINE_AFTER.match(text, d.span_end) or _DEADLINE_BEFORE.search(text, max(0, d.span_start - 8), d.span_start):
        return replace(d, start=None, precision="range", note="deadline: by the end of the period")
    return d


def as_of_point(d: DateExpr | None, unit: str) -> DateExpr | None:
    """截至/as of a date, for an open figure: the level at that date (a point). Not a share
    or a multiple: 截至2020年…GDP占中亚的60% is a ratio of the year's flows."""
    if d is None or d.kind != "until" or d.end is None or unit in ("share", "multiple"):
        return d
    return replace(d, start=d.end, precision="day", note="as of that date: the level at it")


#: How many sentences back an undated open figure looks for the story's date.
STORY_SENTENCES = 5


def story_date(dates: list[DateExpr], a: int, b: int) -> DateExpr | None:
    """The last date named in ``[a, b)`` (not a wire dateline: that is the report's day),
    flagged uncertain: it is read from the story, not from the figure's sentence."""
    prev = [d for d in dates if a <= d.span_start and d.span_end <= b and d.start is not None and d.kind != "dateline"]
    if not prev:
        return None
    d = prev[-1]
    return replace(d, uncertain=True, note=(d.note + "; " if d.note else "") + "the story's date, named before the figure")


def now_period(text: str, a: int, b: int, published: date | None, at: int) -> DateExpr | None:
    """A "now" word in ``text[a:b]`` dates the figure to the publication day."""
    if published is None:
        return None
    m = _NOW.search(text, a, b)
    if m is None:
        return None
    return DateExpr(published, published, "day", m.start(), m.end(), m.group(), False, True,
                    "now: the publication day", "now")
