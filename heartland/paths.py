"""Where heartland finds its data: the store, the bundled package data, the shared corpus.

Every location can be overridden by an environment variable so that tests and users
can point heartland elsewhere without code changes.
"""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
DATA_DIR = PACKAGE_DIR / "data"
REPO_DIR = PACKAGE_DIR.parent

#: Default store file; overridden by ``--db`` or ``HEARTLAND_DB``.
DEFAULT_DB_NAME = "heartland.duckdb"


def default_db_path() -> Path:
    """The store file: ``$HEARTLAND_DB`` if set, else ``./heartland.duckdb``."""
    env = os.environ.get("HEARTLAND_DB")
    return Path(env) if env else Path.cwd() / DEFAULT_DB_NAME


def shared_corpus_dir() -> Path | None:
    """The shared seed corpus (``../shared/corpus`` beside the checkout or the cwd), if present.

    ``$HEARTLAND_CORPUS`` overrides the location. A user's clone has no shared
    directory; callers then fall back to the data bundled in the package. There is no
    fixed machine path here: a clone elsewhere (CI) sets ``$HEARTLAND_CORPUS`` (``.ci/run``).
    """
    env = os.environ.get("HEARTLAND_CORPUS")
    if env is not None:  # set (even to a missing directory): the only place to look
        return Path(env).resolve() if env and Path(env).is_dir() else None
    candidates = [REPO_DIR.parent / "shared" / "corpus", Path.cwd().parent / "shared" / "corpus"]
    for c in candidates:
        if c.is_dir():
            return c.resolve()
    return None


def seeds_dir() -> Path | None:
    corpus = shared_corpus_dir()
    if corpus is None:
        return None
    seeds = corpus / "seeds"
    return seeds if seeds.is_dir() else None


def user_cache_dir() -> Path:
    """The per-user cache: ``$HEARTLAND_CACHE_DIR``, else ``$XDG_CACHE_HOME/heartland``, else
    ``~/.cache/heartland``.

    Pickles are loaded from it (heartland/world/cache.py), so it must be the user's own
    directory (as ``~/.cache`` is): never point ``HEARTLAND_CACHE_DIR`` at a directory other
    users can write to."""
    env = os.environ.get("HEARTLAND_CACHE_DIR")
    if env:
        return Path(env)
    xdg = os.environ.get("XDG_CACHE_HOME")
    if xdg:
        return Path(xdg) / "heartland"
    try:
        return Path.home() / ".cache" / "heartland"
    except RuntimeError:  # no home directory: keep nothing rather than guess a shared place
        return Path(os.devnull) / "heartland"
