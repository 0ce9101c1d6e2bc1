"""Every actor id the gazetteer knows, and each group's members, without building the matcher.

``heartland facts --actor KAZ`` needs only the ids (to reject a typo) and the groups an
actor belongs to (``--actor KAZ`` also finds facts about C5). Building the full gazetteer
for that (pycountry's Chinese translations, OpenCC, the Aho–Corasick automaton) costs
about 0.2 s of a command that should answer in well under half a second; this reads the
same files for ids only. ``tests/extract/test_actor_ids.py`` checks it agrees with
:func:`heartland.extract.gazetteer.load_gazetteer`.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from functools import lru_cache
from pathlib import Path

from heartland.paths import DATA_DIR, user_cache_dir

GAZ_DIR = DATA_DIR / "gazetteer"
#: The files whose rows are entries (with ids, and members for groups); as in gazetteer.py.
ENTRY_FILES = ("groups.yaml", "institutions.yaml", "organisations.yaml", "places.yaml", "people.yaml")
#: Every file listed_members reads: the states' ids, then the entries.
ID_FILES = ("states.yaml", *ENTRY_FILES)


def _parse(text: bytes) -> list:
    import yaml  # only when --actor is given, and the ids are not kept yet: 0.015 s

    return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)) or []  # noqa: S506 (safe)


def _members_of(texts: dict[str, bytes]) -> dict[str, tuple[str, ...]]:
    out: dict[str, tuple[str, ...]] = {}
    for row in _parse(texts["states.yaml"]):
        if "id" in row:
            out.setdefault(row["id"], ())
    for fname in ENTRY_FILES:
        for row in _parse(texts[fname]):
            out[row["id"]] = tuple(row.get("members") or [])
    return out


@lru_cache(maxsize=1)
def listed_members() -> dict[str, tuple[str, ...]]:
    """id -> members for the ids the YAML files list (the region's states, groups, people, …).

    Kept as JSON in the per-user cache under a hash of the files and of this module (so a
    change to either is never served old ids): importing PyYAML and parsing the files is
    0.03 s of the 0.4 s that ``heartland facts --actor`` takes, reading the JSON a
    thousandth of that.
    """
    texts = {name: (GAZ_DIR / name).read_bytes() for name in ID_FILES}
    h = hashlib.blake2b(Path(__file__).read_bytes(), digest_size=12)
    for name, text in texts.items():
        h.update(b"\0" + name.encode() + b"\0" + text)
    digest = h.hexdigest()
    kept = user_cache_dir() / f"actor-ids-{digest}.json"
    try:
        return {k: tuple(v) for k, v in json.loads(kept.read_bytes()).items()}
    except (OSError, ValueError, AttributeError, TypeError):  # not kept yet, or not what _keep wrote
        pass
    out = _members_of(texts)
    _keep(kept, out)
    return out


def _keep(path: Path, members: dict[str, tuple[str, ...]]) -> None:
    """Write ``members`` to ``path`` (atomically) and drop ids kept for older files."""
    tmp = path.with_name(f".tmp-{os.getpid()}-{path.name}")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_text(json.dumps(members, ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, path)  # a concurrent reader sees no file or the whole file
        for old in path.parent.glob("actor-ids-*.json"):
            if old != path:
                old.unlink(missing_ok=True)
    except OSError:  # a read-only cache directory: the ids are right, only not kept
        with contextlib.suppress(OSError):
            tmp.unlink()


@lru_cache(maxsize=1)
def actor_members() -> dict[str, tuple[str, ...]]:
    """id -> members (empty for anything but a group) for every id the gazetteer has: the
    listed ones and every ISO 3166 state (pycountry, 0.05 s: read only when needed)."""
    import pycountry

    out: dict[str, tuple[str, ...]] = {c.alpha_3: () for c in pycountry.countries}
    out.update(listed_members())
    return out
