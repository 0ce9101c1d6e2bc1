"""Every actor id the gazetteer knows, and each group's members, without building the matcher.

``heartland facts --actor KAZ`` needs only the ids (to reject a typo) and the groups an
actor belongs to (``--actor KAZ`` also finds facts about C5). Building the full gazetteer
for that (pycountry's Chinese translations, OpenCC, the Aho–Corasick automaton) costs
about 0.2 s of a command that should answer in well under half a second; this reads the
same files for ids only. ``tests/extract/test_actor_ids.py`` checks it agrees with
:func:`heartland.extract.gazetteer.load_gazetteer`.
"""

from __future__ import annotations

from functools import lru_cache

from heartland.paths import DATA_DIR

GAZ_DIR = DATA_DIR / "gazetteer"
#: The files whose rows are entries (with ids, and members for groups); as in gazetteer.py.
ENTRY_FILES = ("groups.yaml", "institutions.yaml", "organisations.yaml", "places.yaml", "people.yaml")


def _load(name: str) -> list:
    import yaml  # only when --actor is given: 0.03 s every other query would pay

    with open(GAZ_DIR / name, encoding="utf-8") as fh:
        return yaml.load(fh, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)) or []  # noqa: S506 (safe)


@lru_cache(maxsize=1)
def listed_members() -> dict[str, tuple[str, ...]]:
    """id -> members for the ids the YAML files list (the region's states, groups, people, …)."""
    out: dict[str, tuple[str, ...]] = {}
    for row in _load("states.yaml"):
        if "id" in row:
            out.setdefault(row["id"], ())
    for fname in ENTRY_FILES:
        for row in _load(fname):
            out[row["id"]] = tuple(row.get("members") or [])
    return out


@lru_cache(maxsize=1)
def actor_members() -> dict[str, tuple[str, ...]]:
    """id -> members (empty for anything but a group) for every id the gazetteer has: the
    listed ones and every ISO 3166 state (pycountry, 0.05 s: read only when needed)."""
    import pycountry

    out: dict[str, tuple[str, ...]] = {c.alpha_3: () for c in pycountry.countries}
    out.update(listed_members())
    return out
