"""Open-domain figures: every quantity a reader would note becomes a fact, mapped to the
indicator catalogue when one fits (facts.py) and otherwise kept with its measure phrase.

- **Measure**: what the figure measures, in the article's own words — the words of its
  clause around the figure (at most ``MEASURE_CHARS`` characters on each side, cut at the
  clause's edges), without the figure itself.
- **Subject** of a figure no catalogue indicator claims (measured on the real dev gold,
  docs/extract.md "Facts"): the first actor of its own clause before it; else the first
  actor of its sentence before it; else the first actor after it in its clause; else the
  first actor of its paragraph before it; else the article's main actor (the state or
  group named most often). The object is the next other actor of the clause, if any.
- **Plausibility**: a figure outside the range its unit (or indicator) allows is kept,
  flagged ``implausible_magnitude``, and never fed to the world.
"""

from __future__ import annotations

import re
from collections import Counter

from heartland.extract.records import Fact, Mention, Quantity

MEASURE_CHARS = 16
_EDGE = re.compile(r"^[\s，,、；;：:“”\"'（）()]+|[\s，,、；;：:“”\"'（）()]+$")

#: (low, high) a value may take per unit; outside it the fact is flagged, not dropped.
PLAUSIBLE_UNIT = {
    "share": (0.0, 1.0), "multiple": (0.0, 1e4), "persons": (0.0, 9e9), "count": (0.0, 1e10),
    "years": (0.0, 200.0), "days": (0.0, 1e5), "USD_bn": (0.0, 1e5), "USD_mn": (0.0, 1e8), "CNY_bn": (0.0, 1e6),
    "km": (0.0, 1e6), "km2": (0.0, 2e7), "ha": (0.0, 2e9), "Mt": (0.0, 1e5), "bcm": (0.0, 1e4),
}
#: Tighter ranges for catalogue indicators whose scale is known (a bilateral trade of
#: USD 5 trillion is a misread scale word, not news).
PLAUSIBLE_INDICATOR = {
    "trade_total": {"USD_bn": (0.0, 2000.0), "USD_mn": (0.0, 2e6)},
    "export_value": {"USD_bn": (0.0, 2000.0)}, "import_value": {"USD_bn": (0.0, 2000.0)},
    "fdi_cumulative": {"USD_bn": (0.0, 2000.0)}, "energy_project_value": {"USD_bn": (0.0, 500.0)},
    "gas_import_volume": {"bcm": (0.0, 500.0)}, "trade_growth": {"share": (-1.0, 20.0)},
    "trade_growth_multiple": {"multiple": (0.0, 1e4)},
}

#: Confidence per method (docs/extract.md, Confidence): a catalogue indicator with its
#: role rules, an open figure whose subject comes from its own clause, its sentence, its
#: paragraph, or only from the article's main actor.
CONFIDENCE = {"catalogue": 0.8, "open:clause": 0.6, "open:sentence": 0.5, "open:paragraph": 0.4,
              "open:article": 0.3, "open:context": 0.5}


def measure_phrase(text: str, clause: tuple[int, int], q: Quantity) -> str:
    a = max(clause[0], q.start - MEASURE_CHARS)
    b = min(clause[1], q.end + MEASURE_CHARS)
    left, right = text[a:q.start], text[q.end:b]
    phrase = (left.strip() + " … " + right.strip()).strip(" …") if left.strip() and right.strip() else \
        (left + right)
    return _EDGE.sub("", " ".join(phrase.split()))


def main_actor(actors: list[Mention]) -> str | None:
    """The state or group an article names most often (ties: the first named)."""
    if not actors:
        return None
    counts = Counter(m.actor for m in actors)
    best = max(counts.values())
    return next(m.actor for m in actors if counts[m.actor] == best)


def _first(actors: list[Mention]) -> str:
    """The first state of the list, else its first actor: a group is most often the region
    that frames a state (中亚邻国哈萨克, 这三个中亚国家中，塔吉克斯坦…) — on the real dev set
    no open figure whose subject the chain took from a group (C5) had it right (0 of 20)."""
    return next((m.actor for m in actors if m.kind != "group"), actors[0].actor)


def open_roles(before: list[Mention], after: list[Mention], clause: tuple[int, int], paragraph: list[Mention],
               main: str | None) -> tuple[str | None, str | None, str]:
    """(subject, object, reason) for a figure no catalogue indicator claims."""
    own = [m for m in before if m.start >= clause[0]]
    own_after = [m for m in after if m.end <= clause[1]]
    if own:
        subj, how = _first(own), "open:clause"
    elif before:
        subj, how = _first(before), "open:sentence"
    elif own_after:
        subj, how = _first(own_after), "open:clause"
    elif paragraph:
        subj, how = _first(paragraph), "open:paragraph"
    else:
        subj, how = main, "open:article"
    obj = next((m.actor for m in own + own_after if m.actor != subj), None)
    return subj, obj, how


def plausibility_flag(fact: Fact) -> str:
    bounds = PLAUSIBLE_INDICATOR.get(fact.indicator or "", {}).get(fact.unit) or PLAUSIBLE_UNIT.get(fact.unit)
    if bounds is None:
        return ""
    for v in (fact.value, fact.low, fact.high):
        if v is not None and not bounds[0] <= v <= bounds[1]:
            return "implausible_magnitude"
    return ""
