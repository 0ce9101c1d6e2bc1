"""Shared test fixtures.

Tests that need the seed articles read them from ``../shared/corpus/seeds``. Where the
corpus is missing they fail under CI (``CI=true``) and are skipped, with the reason
shown in the summary (``-ra``), everywhere else.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from heartland import paths


def _require_seeds() -> Path:
    seeds = paths.seeds_dir()
    if seeds is None:
        msg = "seed corpus not found at ../shared/corpus/seeds (set HEARTLAND_CORPUS)"
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(msg + " -- required under CI")
        pytest.skip(msg)
    return seeds


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    """The directory holding the five seed articles."""
    return _require_seeds()


@pytest.fixture(scope="session")
def seed_files(seeds_dir: Path) -> dict[str, Path]:
    """Seed files keyed by their three-digit number, e.g. ``'000'``."""
    return {p.name[:3]: p for p in sorted(seeds_dir.iterdir()) if p.is_file()}


@pytest.fixture()
def tmp_db(tmp_path: Path) -> Path:
    return tmp_path / "test.duckdb"


@pytest.fixture(scope="session")
def output_dir() -> Path:
    """The test run's output folder (screenshots, reports): ``test-output/``."""
    out = Path(__file__).resolve().parent.parent / "test-output"
    out.mkdir(exist_ok=True)
    return out


#: Process-wide settings a command sets for itself (``--evidence`` exports its mode so that
#: worker processes inherit it): an in-process CLI test must not leave them to the next test.
_PROCESS_SETTINGS = ("HEARTLAND_EVIDENCE", "HEARTLAND_WORLD_CACHE", "HEARTLAND_PARAMETERS")


@pytest.fixture(autouse=True)
def _restore_process_settings():
    saved = {k: os.environ.get(k) for k in _PROCESS_SETTINGS}
    yield
    for k, v in saved.items():
        if v is None:
            os.environ.pop(k, None)
        else:
            os.environ[k] = v
