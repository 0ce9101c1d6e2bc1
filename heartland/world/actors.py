"""Actors of the regional system and country-name resolution.

Codes are ISO 3166-1 alpha-3 from pycountry (never a hand-written table); the few
non-state actors the model needs (the European Union, the five states as a group, the
world total) have the ids of ``docs/extract.md``.
"""

from __future__ import annotations

import re
from functools import lru_cache

import pycountry
from pydantic import BaseModel

from heartland.world.axes import NON_ISO_CODES, PATRONS, TARGETS, actor_name

#: Group and aggregate ids that are not ISO codes.
GROUPS: dict[str, tuple[str, ...]] = {"C5": TARGETS}
WORLD = "WLD"
AGGREGATE_NAMES = {
    "world": WORLD, "total": WORLD, "all": WORLD, "world total": WORLD,
    "european union": "EUU", "eu": "EUU", "european union (27)": "EUU", "euro area": "EUU",
}

# Wording that national statistical offices and the IMF add to short names.
_NOISE = [
    (r",?\s*P\.R\.:?\s*Mainland", ""), (r",?\s*P\.R\.", ""), (r",\s*Rep\.\s*of", ""),
    (r"\bRep\.", "Republic"), (r",\s*The$", ""), (r"\(the\)", ""), (r"\bFed\.", "Federation"),
    (r"\s+", " "),
]
# Historical or colloquial names pycountry does not resolve by itself.
_ALIASES = {"turkey": "TUR", "russia": "RUS", "soviet union": "SUN", "ussr": "SUN",
            "kyrgyz republic": "KGZ", "kyrgyzstan": "KGZ", "united states": "USA",
            "usa": "USA", "us": "USA", "china": "CHN", "iran": "IRN"}


class Actor(BaseModel):
    code: str
    name: str
    role: str  # "patron", "target", "group" or "other"


def actors() -> list[Actor]:
    """The patrons, the targets and the C5 group, with pycountry names."""
    out = [Actor(code=c, name=actor_name(c), role="patron") for c in PATRONS]
    out += [Actor(code=c, name=actor_name(c), role="target") for c in TARGETS]
    out.append(Actor(code="C5", name="Central Asia (the five states)", role="group"))
    return out


@lru_cache(maxsize=4096)
def resolve_country(name: str) -> str | None:
    """ISO alpha-3 (or aggregate id) for a country name or code as datasets spell it.

    Returns None for names that are not a single state or known aggregate
    ("Unknown supplier(s)", "Armed group", ...), so importers can skip them visibly.
    """
    raw = (name or "").strip().strip('"')
    if not raw:
        return None
    low = raw.lower()
    if low in AGGREGATE_NAMES:
        return AGGREGATE_NAMES[low]
    if raw.upper() in NON_ISO_CODES or raw.upper() in GROUPS or raw.upper() == WORLD:
        return raw.upper()
    if len(raw) == 3 and raw.isalpha():
        c = pycountry.countries.get(alpha_3=raw.upper())
        if c is not None:
            return c.alpha_3
    if len(raw) == 2 and raw.isalpha():
        c = pycountry.countries.get(alpha_2=raw.upper())
        if c is not None:
            return c.alpha_3
    cleaned = raw
    for pat, rep in _NOISE:
        cleaned = re.sub(pat, rep, cleaned)
    cleaned = cleaned.strip(" ,")
    if cleaned.lower() in _ALIASES:
        return _ALIASES[cleaned.lower()]
    for candidate in (raw, cleaned):
        try:
            return pycountry.countries.lookup(candidate).alpha_3
        except LookupError:
            pass
    try:
        return pycountry.historic_countries.lookup(cleaned).alpha_3
    except LookupError:
        pass
    if "unknown" in low or "armed" in low or "rebel" in low:
        return None
    try:
        hits = pycountry.countries.search_fuzzy(cleaned)
    except LookupError:
        return None
    return hits[0].alpha_3 if len(hits) >= 1 else None
