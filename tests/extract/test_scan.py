"""Anchored scanning (heartland.extract.scan) finds exactly what finditer finds."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from heartland.extract import dates, quantities, quotes
from heartland.extract.scan import Anchored, anchored

ANCHORED = [(kind, rx) for kind, rx in dates._PATTERNS if isinstance(rx, Anchored)] + [
    (name, getattr(mod, name)) for mod in (quantities, quotes) for name in dir(mod)
    if isinstance(getattr(mod, name), Anchored)]


def _alphabet(rx: re.Pattern) -> str:
    """The characters the pattern names, plus digits, spaces and a few others."""
    lit = {ch for ch in rx.pattern if not ch.isascii() or ch.isalnum()}
    return "".join(sorted(lit | set("0123456789 .,\n$%") | set("的了和在")))


def _spans(it) -> list[tuple[int, int]]:
    return [m.span() for m in it]


def test_the_anchored_patterns_are_the_slow_ones():
    names = {k for k, _ in ANCHORED}
    assert {"part_year", "md", "month", "day_only", "years_ago", "years_since", "_ZH", "_EN", "_FRACTION",
            "_APPOS"} <= names


@pytest.mark.parametrize("name,pat", ANCHORED, ids=[k for k, _ in ANCHORED])
def test_same_matches_as_finditer_on_generated_text(name, pat):
    alphabet = _alphabet(pat.rx)

    @settings(max_examples=400, deadline=None)
    @given(st.lists(st.sampled_from(sorted(set(alphabet) | {"2024年", "20", "19", "上半年", "第三季度", "超过", "不少于",
                                                           "more than ", "USD ", "approximately  ", "   ", "月",
                                                           "日", "号", "周", "星期", "一半", "分之", "亿美元", "（", "）", "Steven", " Pifer",
                                                           "·", "三十", "多年前", "年以来", "年来", "前7个月", "十二个"})),
                    max_size=40))
    def check(parts):
        text = "".join(parts)
        assert _spans(pat.finditer(text)) == _spans(pat.rx.finditer(text))

    check()


def test_needs_skips_texts_without_it_and_only_those():
    pat = anchored(re.compile(r"(?:约)?\d+分之\d+"), r"\d", back=1, needs="分之")
    assert _spans(pat.finditer("约3分之1和12")) == [(0, 5)]
    assert _spans(pat.finditer("约3和12")) == []


def test_long_whitespace_falls_back_to_finditer():
    pat = anchored(re.compile(r"(?:about\s+)?\d+"), r"\d", back=5, ws_slots=1)
    text = "about" + " " * 10 + "12 and about 3"
    assert _spans(pat.finditer(text)) == _spans(pat.rx.finditer(text)) == [(0, 17), (22, 29)]


def test_a_wrong_back_would_be_caught():
    """The generated-text check has teeth: too short a reach misses the hedge."""
    pat = anchored(re.compile(r"(?:超过)?\d+"), r"\d", back=1)
    assert _spans(pat.finditer("超过70")) != _spans(pat.rx.finditer("超过70"))


@pytest.mark.parametrize("name,text", [
    ("_ZH", "据报道不少于3万吨，超过70%"), ("_EN", "worth approximately   USD 5 billion, in excess of  $3 million"),
    ("_FRACTION", "约为三分之一，将近一半以上"), ("part_year", "2024   年的上半年和去年的第三季度"),
    ("weekday", "上星期三和周五"), ("_APPOS", "专家阿列克谢耶夫·卡娅阿列克谢耶夫（Anna Smith）说"), ("md", "于 1 月 6 日"), ("month", "在十二 月"), ("day_only", "从 19 日起"),
    ("years_ago", "在三十三多年前"), ("years_since", "二十三多年以来"), ("part_year", "2024   年的前十二个月")])
def test_longest_prefixes(name, text):
    """Matches whose optional prefix is as long as the pattern allows (the reach ``back``)."""
    pat = dict(ANCHORED)[name]
    want = _spans(pat.rx.finditer(text))
    assert want and _spans(pat.finditer(text)) == want
    shorter = Anchored(pat.rx, pat.anchor, pat.back - 1, pat.ws_slots, pat.needs) if pat.back else None
    # One character less reach misses the first match (the hedge, name or year before it).
    if name in ("_ZH", "_EN", "_APPOS", "years_ago", "years_since") or text.endswith("个月"):
        assert _spans(shorter.finditer(text)) != want
