"""References to states already named: 该国, 两国, 双方, "the two countries", "the Central
Asian country". Each becomes a mention of the state(s) it points back to, so figures and
events written with a reference get their actors.

- **One state** (该国, 此国, 其国, "the country", "the Central Asian country", "the former
  Soviet republic"): the last state named before it (for "the Central Asian country", the
  last of the five).
- **Two states** (两国, 双方, 两国间, "the two countries", "both countries", "the two
  sides", "the two neighbours"): the last two distinct states named before it, as two
  mentions on the same span.

Mentions found this way carry ``reason = "anaphora"`` and a lower confidence
(``CONFIDENCE``); the reference must lie within ``REACH`` characters of the states it
points to (a reference far from any state is left alone).
"""

from __future__ import annotations

import re

from heartland.extract.records import Mention

CONFIDENCE = 0.6
#: How far back (characters) a reference looks for the states it names.
REACH = 400
C5 = {"KAZ", "KGZ", "TJK", "TKM", "UZB"}

_ONE = re.compile(r"该国|此国|(?i:\bthe (?:Central Asian |former Soviet |landlocked |neighbouring |neighboring )?"
                  r"(?:country|republic|nation)\b(?!'s? (?:of|that)))")
_C5_ONE = re.compile(r"(?i)\bthe (?:Central Asian|landlocked) (?:country|republic|nation)\b|该中亚国家")
_TWO = re.compile(r"两国|双方|兩國|雙方|(?i:\b(?:the two|both) (?:countries|sides|neighbou?rs|states|nations)\b)")


def resolve_references(text: str, mentions: list[Mention]) -> list[Mention]:
    """Mentions for the references in ``text`` (the normalised text), from ``mentions``."""
    states = [m for m in mentions if m.kind == "state"]
    if not states:
        return []
    out: list[Mention] = []

    def prior(pos: int) -> list[Mention]:
        return [m for m in states if m.end <= pos and pos - m.end <= REACH]

    ends = {m.end for m in states}
    for m in _TWO.finditer(text):
        if m.start() in ends:
            continue  # 中俄两国, 吉塔两国: the names right before already give both states
        seen: list[str] = []
        for s in reversed(prior(m.start())):
            if s.actor not in seen:
                seen.append(s.actor)
            if len(seen) == 2:
                break
        if len(seen) == 2:
            for actor in reversed(seen):
                out.append(Mention(actor=actor, kind="state", surface=m.group(), start=m.start(), end=m.end(),
                                   confidence=CONFIDENCE, reason="anaphora"))
    for m in _ONE.finditer(text):
        before = prior(m.start())
        if _C5_ONE.match(text, m.start()):
            before = [s for s in before if s.actor in C5]
        if before:
            out.append(Mention(actor=before[-1].actor, kind="state", surface=m.group(), start=m.start(),
                               end=m.end(), confidence=CONFIDENCE, reason="anaphora"))
    return out
