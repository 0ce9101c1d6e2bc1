"""The text helpers' fast paths give what the full passes give."""

from __future__ import annotations

import sys

from hypothesis import given, settings
from hypothesis import strategies as st

from heartland.corpus import text as T


def _clean_inline_reference(raw: str) -> str:
    """clean_inline without its shortcuts: the three passes on any input."""
    s = T._CONTROL.sub("", raw)
    s = T._BROKEN_WS_BETWEEN_CJK.sub("", s)
    s = T._WS_RUN.sub(" ", s)
    return s.strip()


def test_not_clean_chars_cover_every_char_clean_inline_changes():
    for cp in range(sys.maxunicode + 1):
        ch = chr(cp)
        if (ch.isspace() and ch != " ") or T._CONTROL.match(ch) or ch in "\u200b\ufeff":
            assert T._NOT_CLEAN_CHAR.match(ch), hex(cp)


_TRICKY = st.sampled_from(list(" \t\n\r\x0b\x0c\x1c\x1f\x85\xa0\u1680\u2003\u2028\u202f\u3000"
                               "\u200b\ufeff\x00\x07\x7f") + list("ab_-中國国。，“”（"))


@settings(max_examples=3000, deadline=None)
@given(st.one_of(st.text(_TRICKY, max_size=20), st.text(max_size=20)))
def test_clean_inline_matches_full_passes(raw):
    assert T.clean_inline(raw) == _clean_inline_reference(raw)


@settings(max_examples=1000, deadline=None)
@given(st.text(st.sampled_from(list("這个發發后後台臺云雲的了 abc")), max_size=60))
def test_detect_script_shortcut(text):
    # Without the shortcut: both conversions always counted.
    t2s = T._converter("t2s").convert(text)
    s2t = T._converter("s2t").convert(text)
    trad = sum(map(str.__ne__, text, t2s)) if len(t2s) == len(text) else 0
    simp = sum(map(str.__ne__, text, s2t)) if len(s2t) == len(text) else 0
    if not T.has_han(text):
        expected = "Latn" if T._LATIN_RE.search(text) else "other"
    elif trad + simp == 0 or trad / (trad + simp) <= 0.1:
        expected = "Hans"
    else:
        expected = "Hant" if trad / (trad + simp) >= 0.9 else "mixed"
    assert T.detect_script(text) == expected
