"""Text helpers shared by the readers: whitespace, script, language, OpenCC normalisation."""

from __future__ import annotations

import operator
import re
from functools import lru_cache

import opencc

# Han ideographs (URO + Ext A + compatibility) and CJK punctuation / full-width forms.
_HAN = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_CJK_PUNCT = r"\u3000-\u303f\uff00-\uffef\u2014\u2018\u2019\u201c\u201d\u2026\u00b7"
_HAN_RE = re.compile(f"[{_HAN}]")
_LATIN_RE = re.compile(r"[A-Za-z]")
# Runs rather than single characters: counting by run makes far fewer match objects.
_HAN_RUN = re.compile(f"[{_HAN}]+")
_LATIN_RUN = re.compile(r"[A-Za-z]+")

# Whitespace that contains a line break is HTML source formatting (pretty-printed inline
# elements); next to a CJK character it is not a space a writer typed, so it goes.
_CJK = f"[{_HAN}{_CJK_PUNCT}]"
_BROKEN_WS_BETWEEN_CJK = re.compile(
    f"(?:(?<={_CJK})[ \\t\\r\\f\\v\u00a0]*\\n\\s*)|(?:[ \\t\\r\\f\\v\u00a0]*\\n\\s*(?={_CJK}))")
_WS_RUN = re.compile(r"[\s\u00a0\u200b\ufeff]+")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# Every character that clean_inline removes or rewrites, except a lone space: the controls,
# the characters `str.isspace` accepts (which is what `\s` matches), zero-width space and
# BOM. Text without them (nor double, leading or trailing spaces) is already clean.
# tests/corpus/test_text.py checks the list against str.isspace over all of Unicode.
_NOT_CLEAN_CHAR = re.compile(
    r"[\x00-\x1f\x7f\x85\xa0\u1680\u2000-\u200b\u2028\u2029\u202f\u205f\u3000\ufeff]")


def clean_inline(raw: str) -> str:
    """Collapse a block's raw text to one line, as a reader would see it rendered."""
    if raw.isspace():
        # Most text between block tags is source indentation. `\s` is exactly the
        # characters `str.isspace` accepts, so the full pass would return "" too.
        return ""
    if (raw[:1] != " " and raw[-1:] != " " and "  " not in raw
            and not _NOT_CLEAN_CHAR.search(raw)):
        return raw  # already one clean line, e.g. a paragraph that was cleaned before
    s = _CONTROL.sub("", raw)
    if "\n" in s:  # both branches need a line break; skip their costly lookaround scan
        s = _BROKEN_WS_BETWEEN_CJK.sub("", s)
    s = _WS_RUN.sub(" ", s)
    return s.strip()


@lru_cache(maxsize=2)
def _converter(profile: str) -> opencc.OpenCC:
    return opencc.OpenCC(profile)


def normalise(text: str) -> str:
    """OpenCC ``t2s`` form of ``text`` with exactly the same length.

    OpenCC converts phrase by phrase; its tables keep lengths in practice, and we check.
    If a conversion ever changes the length, we fall back to converting character by
    character and keep any character whose conversion is not a single character, so a
    span found in the normalised text is always valid in the original.
    """
    conv = _converter("t2s")
    out = conv.convert(text)
    if len(out) == len(text):
        return out
    chars = []
    for ch in text:
        c = conv.convert(ch)
        chars.append(c if len(c) == 1 else ch)
    return "".join(chars)


def detect_script(text: str, t2s: str | None = None) -> str:
    """'Hans', 'Hant' or 'mixed' for Chinese text; 'Latn' or 'other' otherwise.

    A character counts as traditional when ``t2s`` changes it and as simplified when
    ``s2t`` changes it; characters common to both scripts say nothing. Text where more
    than 90 % of the telling characters are of one script is that script.
    """
    if not _HAN_RE.search(text):
        return "Latn" if _LATIN_RE.search(text) else "other"
    t2s = t2s if t2s is not None else _converter("t2s").convert(text)
    trad = _changed(text, t2s)
    if trad == 0:
        # No traditional character: the share is 0 whatever s2t finds, so skip converting.
        return "Hans"
    simp = _changed(text, _converter("s2t").convert(text))
    share = trad / (trad + simp)
    if share >= 0.9:
        return "Hant"
    if share <= 0.1:
        return "Hans"
    return "mixed"


def _changed(text: str, converted: str) -> int:
    """How many characters a conversion changed (0 when it changed the length)."""
    if len(converted) != len(text) or converted == text:
        return 0
    return sum(map(operator.ne, text, converted))


def _count(runs: re.Pattern[str], text: str) -> int:
    return sum(map(len, runs.findall(text)))


def detect_language(text: str) -> str:
    """'zh' when Han characters outnumber Latin letters, 'en' for Latin text, else 'und'."""
    han = _count(_HAN_RUN, text)
    latin = _count(_LATIN_RUN, text)
    if han == 0 and latin == 0:
        return "und"
    # A Chinese article carries many English names; one Han char carries about a word.
    return "zh" if han * 3 >= latin else "en"


def has_han(text: str) -> bool:
    return bool(_HAN_RE.search(text))


_NON_TEXT = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\ud800-\udfff\ue000-\uf8ff\ufffd]")


def is_printable_text(text: str, sample: int = 4096) -> bool:
    """False when a decoded sample is mostly control, private-use or replacement
    characters (binary data that happened to decode)."""
    head = text[:sample]
    if not head:
        return True
    return len(_NON_TEXT.findall(head)) / len(head) < 0.05
