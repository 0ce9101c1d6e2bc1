"""Fixtures for the report tests: a store built from the seeds with the pipeline's commands."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "web"))
from web_store_builder import build_seed_store  # noqa: E402


@pytest.fixture(scope="session")
def report_seed_store(seeds_dir: Path, tmp_path_factory) -> Path:
    return build_seed_store(seeds_dir, tmp_path_factory.mktemp("reportstore"))
