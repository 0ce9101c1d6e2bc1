"""Helpers of the world tests (a module of its own: conftest modules are not importable by name)."""

from __future__ import annotations

import pandas as pd

from heartland.world.evidence import normalise


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
