"""Sentence and clause segmentation with spans (pure functions over strings)."""

from __future__ import annotations

import re
from dataclasses import dataclass

# A sentence ends at 。！？!? or ; (Chinese/English), a newline (paragraph), or ". " in
# English. Closing quotes right after the terminator stay with the sentence.
# The ". " alternative checks the character before the dot *after* matching it (a lookbehind
# over both), so every alternative opens with a terminator and the engine skips to the next
# one instead of trying the pattern at every position.
_SENT_END = re.compile(r"[。！？!?；;]+[”」』’\"]*|\n|\.(?<=[a-z0-9)\]]\.)(?=\s+[A-Z“\"])")


#: Longest sentence (characters) the extractors see. Every extractor does work per
#: trigger word proportional to its sentence, so a "sentence" with no terminator in a
#: one-line file of megabytes made the extraction quadratic (hours for 1 MB). Longer runs
#: are cut at the last clause mark or space before the limit (else hard at it). Real
#: sentences are far shorter (the real corpus: at most ~430 characters, one 10,500-character
#: markdown table); the cap changes nothing for them.
MAX_SENTENCE = 1000
_SOFT_BREAK = re.compile(r"[，,、：:\s]")


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    paragraph: int


def sentences(text: str) -> list[Sentence]:
    out: list[Sentence] = []
    para = 0
    pos = 0
    for m in _SENT_END.finditer(text):
        end = m.end() if m.group() != "\n" else m.start()
        if end > pos and text[pos:end].strip():
            _add(out, text, pos, end, para)
        if m.group() == "\n":
            para += 1
        pos = m.end()
    if pos < len(text) and text[pos:].strip():
        _add(out, text, pos, len(text), para)
    return out


def _add(out: list[Sentence], text: str, start: int, end: int, para: int) -> None:
    """Append ``text[start:end]``, cut into pieces of at most MAX_SENTENCE characters."""
    while end - start > MAX_SENTENCE:
        cut = start + MAX_SENTENCE
        # the last soft break in the second half of the window (linear: one bounded scan)
        window = text[start + MAX_SENTENCE // 2:cut]
        last = None
        for last in _SOFT_BREAK.finditer(window):
            pass
        if last is not None:
            cut = start + MAX_SENTENCE // 2 + last.end()
        if text[start:cut].strip():
            out.append(Sentence(start, cut, para))
        start = cut
    if text[start:end].strip():
        out.append(Sentence(start, end, para))


def paragraph_spans(text: str) -> list[tuple[int, int]]:
    spans = []
    pos = 0
    for part in text.split("\n"):
        spans.append((pos, pos + len(part)))
        pos += len(part) + 1
    return spans
