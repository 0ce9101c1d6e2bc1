"""Anchored regex scanning: the matches of ``rx.finditer(text)``, found faster.

Python's regex engine skips quickly through text only when a pattern opens with a literal
or a character class. Patterns that open with an optional hedge (超过…), a lookbehind or
an optional year try a full match at every position of the text, which made the date and
quantity patterns a third of the extraction time. An :class:`Anchored` pattern names the
characters its mandatory core opens with (the *anchor*) and how far before such a
character a match can start at most (``back``: the longest optional prefix). Only those
few positions are tried, in order, with ``rx.match(text, pos)`` (lookbehinds still see the
text before ``pos``), so the matches are exactly those of ``finditer``.

The anchor need not open the match: any character (or short literal) that every match
holds within ``back`` characters of its start will do. Patterns whose mandatory part ends
in a rare literal (年前, 季度) are anchored there, so a text of many digits costs nothing.
``needs``: a pattern one of whose matches every match contains; a text without it is
skipped whole (a cheap test for patterns whose anchors are common but whose matches are
rare, such as fractions).

Prefixes holding whitespace (``\\s*``, ``\\s+``) are bounded by ``ws_slots`` runs of at
most ``MAX_WS`` characters each; a text with a longer whitespace run falls back to
``finditer``. ``tests/extract/test_scan.py`` checks every anchored pattern against
``finditer`` on generated text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

#: Longest whitespace run an anchored prefix is assumed to hold (longer: plain finditer).
MAX_WS = 3
_LONG_WS = re.compile(r"\s{%d,}" % (MAX_WS + 1))


@dataclass(frozen=True)
class Anchored:
    rx: re.Pattern
    anchor: re.Pattern
    back: int = 0
    ws_slots: int = 0
    needs: re.Pattern | None = None

    @property
    def pattern(self) -> str:
        return self.rx.pattern

    def finditer(self, text: str) -> Iterator[re.Match]:
        if self.needs is not None and not self.needs.search(text):
            return
        if self.ws_slots and _LONG_WS.search(text):
            yield from self.rx.finditer(text)
            return
        back = self.back + self.ws_slots * MAX_WS
        match = self.rx.match
        nxt = 0  # every start before nxt was tried already, or lies inside a match
        for a in self.anchor.finditer(text):
            p = a.start()
            s = max(p - back, nxt)
            while s <= p:
                m = match(text, s)
                if m is not None:
                    yield m
                    # finditer's rule: go on after the match (one further after an empty one).
                    nxt = m.end() if m.end() > s else s + 1
                    break
                s += 1
            else:
                nxt = max(nxt, p + 1)


def anchored(rx: re.Pattern, anchor: str, back: int = 0, ws_slots: int = 0, needs: str | None = None) -> Anchored:
    """``anchor``: a regex for what every match holds at most ``back`` characters after its
    start (usually the character that opens its mandatory core)."""
    return Anchored(rx, re.compile(anchor), back, ws_slots, re.compile(needs) if needs else None)
