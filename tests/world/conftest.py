"""Fixtures of the world tests: small hand-written curated files and evidence frames."""

from __future__ import annotations

from pathlib import Path

import pytest


FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture()
def ties_csv() -> Path:
    return FIXTURES / "ties_small.csv"


@pytest.fixture()
def institutions_csv() -> Path:
    return FIXTURES / "institutions_small.csv"
