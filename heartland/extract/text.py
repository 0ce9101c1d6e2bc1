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
            out.append(Sentence(pos, end, para))
        if m.group() == "\n":
            para += 1
        pos = m.end()
    if pos < len(text) and text[pos:].strip():
        out.append(Sentence(pos, len(text), para))
    return out


def paragraph_spans(text: str) -> list[tuple[int, int]]:
    spans = []
    pos = 0
    for part in text.split("\n"):
        spans.append((pos, pos + len(part)))
        pos += len(part) + 1
    return spans
