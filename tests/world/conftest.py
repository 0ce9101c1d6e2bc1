"""Fixtures of the world tests: small hand-written curated files and evidence frames."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from heartland.world.evidence import normalise

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture()
def ties_csv() -> Path:
    return FIXTURES / "ties_small.csv"


@pytest.fixture()
def institutions_csv() -> Path:
    return FIXTURES / "institutions_small.csv"


def evidence(*rows: dict) -> pd.DataFrame:
    """Evidence frame from partial rows (defaults: CHN→KAZ trade_bilateral 2023, USD_bn)."""
    base = {"patron": "CHN", "target": "KAZ", "indicator": "trade_bilateral", "year": 2023, "unit": "USD_bn",
            "kind": "curated", "corroboration": 1}
    out = []
    for i, r in enumerate(rows):
        d = {**base, **r}
        d.setdefault("eid", f"e{i}")
        d.setdefault("source", f"S{i}")
        out.append(d)
    return normalise(pd.DataFrame(out))
