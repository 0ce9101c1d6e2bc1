"""Built worlds (and answers computed from them) kept beside the store until their inputs change.

``explain``, ``index``, ``world`` and the dashboard each built the world from scratch,
about a second on a 10,000-article store, every time. :func:`cached_world` wraps
:func:`heartland.world.build.build_world` (unchanged) with a cache keyed by a content hash
of everything the world is made of:

* the store's rows: every table hashed row by row in SQL (articles by their metadata, not
  their text; an article's id already hashes its text), so new evidence, a re-ingest or a
  review decision changes the key;
* the package's data files (``heartland/data/**``: curated tables, institutions, the
  evidence bundle, any data panel), by content;
* the code (every ``heartland/**.py``, by content, and the version), so a changed rule
  never serves a world built by the old one;
* the date, the evidence mode (``--evidence`` / ``HEARTLAND_EVIDENCE``) and the parameters.

Computing the key costs a few hundredths of a second; a hit loads a pickle instead of
building. Files live in ``.<store name>.cache/`` beside the store file (the store itself
is opened read-only by these commands and may be held by a running dashboard, so the cache
is not written into it). :func:`cached_answer` keeps a command's finished output under the
same key, so repeating ``heartland explain`` needs neither pandas nor the world.
Answers that read no store at all (the report's scenario ensembles, calibration and issue
forecasts: bundled scenarios, posterior and issues only) are kept by
:func:`cached_shared_answer` in one cache per user (``$HEARTLAND_CACHE_DIR``, else
``$XDG_CACHE_HOME/heartland``, else ``~/.cache/heartland``) under the package's data and
code, the date (as far as a store-free world can tell two dates apart:
:func:`store_free_day`) and the evidence mode, so neither a new store nor a new day redoes
them.
Set ``HEARTLAND_WORLD_CACHE=0`` to build every time.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable

from heartland import __version__
from heartland.paths import DATA_DIR, PACKAGE_DIR, user_cache_dir

#: Bump when the pickled layout changes in a way the code hash would not show.
CACHE_FORMAT = "1"
#: Cached files of each kind kept per store (oldest removed first).
KEEP = {"world": 6, "answer": 400, "shared": 30}
#: Article columns that identify a version; the text is covered by the id (a hash of it).
_ARTICLE_COLUMNS = ("id", "url", "outlet", "published", "published_utc", "version", "supersedes", "ingested_at")


def enabled() -> bool:
    return os.environ.get("HEARTLAND_WORLD_CACHE", "1") != "0"


def cache_dir(db: str | Path) -> Path:
    p = Path(db)
    return p.with_name(f".{p.name}.cache")


def shared_cache_dir() -> Path:
    """The per-user cache of store-independent answers (see the module's docstring and
    :func:`heartland.paths.user_cache_dir`, which says where)."""
    return user_cache_dir()


@lru_cache(maxsize=1)
def files_digest() -> str:
    """Content hash of the package's data files and code (what a build reads besides the store)."""
    h = hashlib.blake2b(digest_size=16)
    h.update(__version__.encode())
    roots = [(DATA_DIR, "*"), (PACKAGE_DIR, "*.py")]
    for root, pattern in roots:
        for f in sorted(root.rglob(pattern)):
            if f.is_file() and "__pycache__" not in f.parts:
                h.update(str(f.relative_to(PACKAGE_DIR)).encode())
                h.update(f.read_bytes())
    return h.hexdigest()


def store_digest(conn) -> str:
    """Content hash of the store's rows, table by table (order-independent, duplicates counted)."""
    cols: dict[str, set[str]] = {}
    for t, c in conn.execute("SELECT table_name, column_name FROM information_schema.columns "
                             "WHERE table_schema = 'main'").fetchall():
        cols.setdefault(t, set()).add(c)
    if not cols:
        return "empty"
    probes = []
    for t in sorted(cols):
        if t == "articles":
            expr = f"hash({', '.join(c for c in _ARTICLE_COLUMNS if c in cols[t]) or 'id'})"
        else:
            expr = "hash(x)"
        name = t.replace("'", "''")
        probes.append(f"""SELECT '{name}', count(*), sum({expr}::HUGEINT) FROM "{t.replace('"', '""')}" x""")
    # one query for every table: a few milliseconds on 10,000 articles
    rows = conn.execute(" UNION ALL ".join(probes)).fetchall()
    return hashlib.blake2b(repr(sorted(rows)).encode(), digest_size=16).hexdigest()


def _stat(db: str | Path) -> str:
    """The store file's and its WAL's identity, size and modification time (ns)."""
    out = []
    for p in (Path(db), Path(f"{db}.wal")):
        try:
            st = p.stat()
            out.append(f"{st.st_ino}:{st.st_size}:{st.st_mtime_ns}")
        except OSError:
            out.append("-")
    return "|".join(out)


def store_file_digest(db: str | Path) -> str:
    """:func:`store_digest` of the store file, remembered beside it against the file's stat.

    While neither the store file nor its WAL has been touched since the digest was taken,
    their rows cannot have changed, so the digest is reused without opening DuckDB (which
    alone costs about 0.2 s of a 0.5 s command). Any write changes the stat, and the rows
    are hashed again.
    """
    memo = cache_dir(db) / "store-digest"
    before = _stat(db)
    try:
        stat, digest = memo.read_text().split("\n")[:2]
        if stat == before:
            return digest
    except (OSError, ValueError):
        pass
    from heartland.store import session

    with session(db, read_only=True) as conn:
        digest = store_digest(conn)
    if _stat(db) == before:  # not written to while we read: safe to remember
        try:
            memo.parent.mkdir(exist_ok=True)
            tmp = memo.with_name(f".tmp-digest-{os.getpid()}")
            tmp.write_text(f"{before}\n{digest}\n")
            os.replace(tmp, memo)
        except OSError:
            pass
    return digest


def world_key(db: str | Path, date=None, evidence: str | None = None, params: Any = None) -> str:
    """The key of the world ``build_world(db, date, evidence=evidence, **options)`` would build
    (``params``: the options, or anything else that tells two builds apart)."""
    return _key_of(store_file_digest(db), date, evidence, params)


def _key_of(store: str, date, evidence: str | None, params: Any) -> str:
    from heartland.review.modes import current_mode

    parts = [CACHE_FORMAT, files_digest(), store, str(_day(date)), current_mode(evidence), repr(params)]
    return hashlib.blake2b("|".join(parts).encode(), digest_size=16).hexdigest()


def _day(date) -> str:
    """The date as build_world reads it (default today: a new day is a new world)."""
    from heartland.world.asof import as_date

    return as_date(date).isoformat()


def store_free_day(date) -> str:
    """The date as an answer that reads no store sees it, for its key.

    A world built without a store (the scenarios' start worlds) depends on its date only
    through the years it spans (to the date's year: heartland/world/build.py) and the
    institutional memberships in force on it (``year_date``, heartland/world/components.py);
    the bundled evidence, panel and curated rows are not filtered by date. So every day of a
    year after its last membership start or end gives the same answers, and the key holds
    the year and that last change, not the day: the first report of each day reuses the
    ensembles of the day before. tests/world/test_world_cache.py checks the premise (worlds built
    on two days with one key are the same) on the bundled data."""
    from heartland.world.asof import as_date

    d = as_date(date)
    changes = [c for c in membership_changes() if c.year == d.year and c <= d]
    return f"{d.year}:{max(changes).isoformat() if changes else '-'}"


@lru_cache(maxsize=1)
def membership_changes() -> tuple:
    """Every start and end date of the bundled institutional memberships (read with the csv
    module: the world's loader validates with pydantic, which these keys need not load)."""
    import csv

    from heartland.world.institutions import INSTITUTIONS_CSV, parse_partial_date

    out = set()
    with open(INSTITUTIONS_CSV, newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            for col in ("start", "end"):
                d = parse_partial_date(row.get(col) or "", where=str(INSTITUTIONS_CSV))
                if d is not None:
                    out.add(d)
    return tuple(sorted(out))


def _load(path: Path):
    try:
        with open(path, "rb") as fh:
            return pickle.load(fh)  # noqa: S301 - our own file beside the user's own store
    except FileNotFoundError:
        return None
    except Exception:  # noqa: BLE001 - a truncated or foreign file: rebuild and overwrite it
        return None


def _save(path: Path, value: Any, kind: str) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        with os.fdopen(fd, "wb") as fh:
            pickle.dump(value, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)  # atomic: a concurrent reader sees the old file or the new one
        old = sorted(path.parent.glob(f"{kind}-*.pkl"), key=lambda p: p.stat().st_mtime)
        for p in old[:-KEEP[kind]]:
            p.unlink(missing_ok=True)
    except OSError:  # a read-only directory: the answer is still right, only not kept
        pass


def cached_world(db: str | Path | None, date=None, *, evidence: str | None = None, **kwargs):
    """``build_world(db, date, ...)``, loaded from beside the store when its inputs are unchanged.

    Calls with a store connection, no store, or curated/institution/extra-evidence
    overrides are built directly (their inputs are not all on disk under the key).
    """
    from heartland.world.build import build_world

    if db is None or not isinstance(db, (str, Path)) or not Path(db).is_file() or not enabled() or \
            any(kwargs.get(k) is not None for k in ("curated_path", "institutions_path", "extra_evidence")):
        return build_world(db, date, evidence=evidence, **kwargs)
    # every other option (params, panel, …) is part of the key, so a new build_world option
    # cannot be served a world built without it
    options = tuple(sorted((k, repr(v)) for k, v in kwargs.items()))
    key = world_key(db, date, evidence, options)
    path = cache_dir(db) / f"world-{key}.pkl"
    w = _load(path)
    if w is None:
        w = build_world(db, date, evidence=evidence, **kwargs)
        _save(path, w, "world")
    return w


def cached_world_on(conn, db: str | Path | None, date=None, *, evidence: str | None = None,
                    keep_inputs: bool = False):
    """:func:`cached_world` for a caller that already holds ``conn``, a connection to the store
    file ``db``: the same key (a world kept by ``explain``, ``index``, the report or the
    dashboard serves it, and a world built here serves them), but the store is read through
    ``conn`` only (opening the file a second time in one process can clash with how ``conn``
    was opened). ``keep_inputs``: a world built here keeps the store's raw facts and events
    (``World.inputs``; never with the kept copy)."""
    from heartland.world.build import build_world

    if db is None or not Path(db).is_file() or not enabled():
        return build_world(conn, date, evidence=evidence, keep_inputs=keep_inputs)
    before = _stat(db)
    try:
        stat, digest = (cache_dir(db) / "store-digest").read_text().split("\n")[:2]
        if stat != before:
            raise ValueError
    except (OSError, ValueError):
        digest = store_digest(conn)
    path = cache_dir(db) / f"world-{_key_of(digest, date, evidence, ())}.pkl"
    w = _load(path)
    if w is None:
        w = build_world(conn, date, evidence=evidence, keep_inputs=keep_inputs)
        if _stat(db) == before:  # the store did not change while the world was built from it
            _save(path, w, "world")
    return w


def cached_answer(db: str | Path | None, key_parts: tuple, compute: Callable[[], Any], *,
                  date=None, evidence: str | None = None, keep: Callable[[Any], bool] | None = None) -> Any:
    """``compute()`` (a command's finished output, picklable), kept under the world's key.

    The world's key covers every input; ``key_parts`` names the question (command and
    arguments). Without a store the answer is computed each time. ``keep(value)`` false:
    the value is returned but not kept (a transient answer, such as "the store is busy").
    """
    if db is None or not Path(db).is_file() or not enabled():
        return compute()
    wk = world_key(db, date, evidence)
    qk = hashlib.blake2b(repr((wk,) + tuple(key_parts)).encode(), digest_size=16).hexdigest()
    return _kept(cache_dir(db) / f"answer-{qk}.pkl", compute, keep, "answer")


def _kept(path: Path, compute: Callable[[], Any], keep: Callable[[Any], bool] | None, kind: str) -> Any:
    """The value kept at ``path``, else ``compute()``, kept there unless ``keep`` says no."""
    hit = _load(path)
    if hit is not None:
        return hit
    value = compute()
    if keep is None or keep(value):
        _save(path, value, kind)
    return value


def cached_shared_answer(key_parts: tuple, compute: Callable[[], Any], *, date=None, evidence: str | None = None,
                         keep: Callable[[Any], bool] | None = None) -> Any:
    """``compute()`` for an answer that reads no store (bundled data and code only), kept in
    :func:`shared_cache_dir` under the package's data and code, the date, the evidence mode
    and ``key_parts``. The caller vouches that ``compute`` opens no store: the store's rows
    are not part of the key."""
    if not enabled():
        return compute()
    from heartland.review.modes import current_mode

    parts = [CACHE_FORMAT, files_digest(), store_free_day(date), current_mode(evidence), repr(tuple(key_parts))]
    qk = hashlib.blake2b("|".join(parts).encode(), digest_size=16).hexdigest()
    return _kept(shared_cache_dir() / f"shared-{qk}.pkl", compute, keep, "shared")
