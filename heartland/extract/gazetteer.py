"""The gazetteer: data files -> one Aho–Corasick automaton over every name.

Names come from pycountry (English names and the zh_CN/zh_TW/zh_HK gettext
translations of ISO 3166-1) plus the YAML files in ``heartland/data/gazetteer``. All
names are converted with OpenCC ``t2s`` and ASCII-lowercased, the same transform the
matcher applies to the article's normalised text, so one automaton pass finds every
name in either script (leftmost-longest, non-overlapping: ``iter_long``).
"""

from __future__ import annotations

import gettext
import re
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

import ahocorasick
import opencc

import pycountry
import yaml

from heartland.paths import DATA_DIR

GAZ_DIR = DATA_DIR / "gazetteer"


_ASCII_UPPER_RUN = re.compile(r"[A-Z]+")


def _lower_run(m: re.Match) -> str:
    return m.group().lower()


@lru_cache(maxsize=8)
def fold(text: str) -> str:
    """Lower-case ASCII only: keeps the length, so spans stay valid.

    Cached: every extractor folds the same article text. ``str.translate`` with a mapping
    walks every character in Python-level lookups (slow on CJK text), so ASCII text is
    lowered directly and other text only where it has capitals.
    """
    if text.isascii():
        return text.lower()
    return _ASCII_UPPER_RUN.sub(_lower_run, text)


@lru_cache(maxsize=1)
def _t2s() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    out = _t2s().convert(text)
    # t2s is character level: if it ever changed the length, keep the original.
    return out if len(out) == len(text) else text


@dataclass
class Affiliation:
    org: str
    role: str = ""
    start: date | None = None
    end: date | None = None
    attested: list[date] = field(default_factory=list)


@dataclass
class Entry:
    id: str
    kind: str
    members: list[str] = field(default_factory=list)
    country: str | None = None
    metonym: str | None = None
    always_metonym: bool = False
    affiliations: list[Affiliation] = field(default_factory=list)
    display: str = ""


@dataclass
class Pattern:
    """What a matched name means: one entry, several (compound), or nothing (blocker)."""
    ids: tuple[str, ...]
    latin: bool = False
    exact: str | None = None  # case-sensitive form for acronyms


@dataclass
class Gazetteer:
    entries: dict[str, Entry]
    automaton: ahocorasick.Automaton
    names: dict[str, list[str]]

    def entry(self, actor: str) -> Entry | None:
        return self.entries.get(actor)

    def members(self, actor: str) -> list[str]:
        e = self.entries.get(actor)
        return list(e.members) if e and e.members else []


def _d(v) -> date | None:
    if v is None or v == "":
        return None
    if isinstance(v, date):
        return v
    return date.fromisoformat(str(v))


def _load(name: str) -> list:
    with open(GAZ_DIR / name, encoding="utf-8") as fh:
        return yaml.safe_load(fh) or []


def _pycountry_names() -> dict[str, set[str]]:
    """alpha-3 -> names in English and Chinese (zh_CN, zh_TW, zh_HK translations)."""
    out: dict[str, set[str]] = {}
    translators = []
    for lang in ("zh_CN", "zh_TW", "zh_HK"):
        try:
            translators.append(gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[lang]))
        except OSError:  # a locale missing from this pycountry build: use the others
            continue
    for c in pycountry.countries:
        names = {c.name}
        for attr in ("common_name", "official_name"):
            if getattr(c, attr, None):
                names.add(getattr(c, attr))
        zh = set()
        for t in translators:
            for n in list(names):
                tr = t.gettext(n)
                if tr != n:
                    zh.add(tr)
        out[c.alpha_3] = names | zh
    return out


def _is_latin(name: str) -> bool:
    return all(ord(ch) < 0x2E80 for ch in name)


@lru_cache(maxsize=1)
def load_gazetteer() -> Gazetteer:
    entries: dict[str, Entry] = {}
    patterns: dict[str, Pattern] = {}
    names: dict[str, list[str]] = {}

    def add(name: str, ids: tuple[str, ...], exact: bool = False) -> None:
        name = name.strip()
        if not name:
            return
        key = fold(to_simplified(name))
        latin = _is_latin(name)
        if latin and len(name) < 2:
            return
        patterns[key] = Pattern(ids=ids, latin=latin, exact=name if exact else None)
        for i in ids:
            names.setdefault(i, []).append(name)

    states = _load("states.yaml")
    dropped: set[str] = set()
    for row in states:
        if "drop" in row:
            dropped |= set(row["drop"])
    for code, ns in _pycountry_names().items():
        entries[code] = Entry(id=code, kind="state")
        for n in ns:
            if n not in dropped and "," not in n:
                add(n, (code,))
    for row in states:
        if "id" not in row:
            continue
        entries.setdefault(row["id"], Entry(id=row["id"], kind="state"))
        for n in row.get("zh", []) + row.get("en", []):
            add(n, (row["id"],))

    for fname, default_kind in (("groups.yaml", "group"), ("institutions.yaml", "institution"),
                                ("organisations.yaml", "organisation"), ("places.yaml", "place"),
                                ("people.yaml", "person")):
        for row in _load(fname):
            e = Entry(id=row["id"], kind=row.get("kind", default_kind),
                      members=list(row.get("members") or []), country=row.get("country"),
                      metonym=row.get("metonym"), always_metonym=bool(row.get("always_metonym")))
            for a in row.get("affiliations") or []:
                e.affiliations.append(Affiliation(
                    org=a["org"], role=a.get("role", ""), start=_d(a.get("from")), end=_d(a.get("to")),
                    attested=[_d(x) for x in a.get("attested") or []]))
            e.display = (row.get("en") or row.get("en_exact") or row.get("zh") or [row["id"]])[0]
            entries[e.id] = e
            for n in (row.get("zh") or []) + (row.get("en") or []):
                add(n, (e.id,))
            for n in row.get("en_exact") or []:
                add(n, (e.id,), exact=True)

    for row in _load("compounds.yaml"):
        add(row["zh"], tuple(row["parts"]))
    for b in _load("blockers.yaml"):
        add(b, ())

    auto = ahocorasick.Automaton()
    for key, pat in patterns.items():
        auto.add_word(key, (key, pat))
    auto.make_automaton()
    return Gazetteer(entries=entries, automaton=auto, names=names)


def affiliation_on(entry: Entry, when: date | None) -> Affiliation | None:
    """The affiliation a person holds on ``when``.

    An affiliation with explicit ``from``/``to`` holds inside that range. One known only
    from ``attested`` dates holds from its first attestation until the next
    affiliation's start (or attestation); before its first attestation it holds if no
    earlier affiliation does. Without a date, the latest affiliation is returned.
    """
    affs = entry.affiliations
    if not affs:
        return None
    if when is None:
        return affs[-1]

    def start(a: Affiliation) -> date | None:
        return a.start or (min(a.attested) if a.attested else None)

    holding = []
    for i, a in enumerate(affs):
        s = start(a)
        nxt = next((start(b) for b in affs[i + 1:] if start(b)), None)
        end = a.end or (nxt if a.start is None and nxt else None)
        if (s is None or s <= when or (a.start is None and i == 0)) and (end is None or when <= end):
            holding.append(a)
    if holding:
        return holding[-1] if all(h.start is None for h in holding) else holding[0]
    # Nothing holds: the affiliation attested nearest in time.
    return min(affs, key=lambda a: min(abs((d - when).days) for d in (a.attested or [start(a) or when])))
