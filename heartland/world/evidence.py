"""Evidence items: every figure the world is built from, in one table shape.

An item is one statement of one indicator for a directed dyad (patron → target) and a
year, with an interval (``low``, ``high``) and where it came from. Three kinds feed the
world (``kind``): ``curated`` (a row of ``heartland/data/curated/ties.csv``), ``dataset``
(a row imported with ``heartland import``), ``fact`` (a fact extracted from an article,
with article id and character span); the world adds ``derived`` items (sums over the
five states, ratios) that list the items they were computed from.

Intervals: a point figure has ``low == high == value``; "more than x" has ``low = x``
and ``high`` NaN (open); "nearly x" has ``high = x`` and ``low`` NaN. Missing stays
NaN; nothing is filled in.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from pydantic import BaseModel

#: Columns of an evidence table, in order.
EVIDENCE_COLUMNS = [
    "eid", "kind", "patron", "target", "indicator", "year", "period", "value", "low", "high", "unit",
    "source", "source_url", "published", "article_id", "span_start", "span_end", "corroboration", "note",
    # data (datasets), curated, reviewed (accepted/edited items), policy (admitted candidates),
    # unreviewed (--evidence all), derived: docs/review.md
    "ground",
]

#: Canonical unit of each indicator; items in other units are converted (see UNIT_FACTORS).
INDICATOR_UNITS: dict[str, str] = {
    "trade_bilateral": "USD_bn", "trade_total": "USD_bn", "trade_share": "share",
    "arms_import_share": "share", "arms_tiv": "TIV_mn", "military_bases": "count", "troops": "persons",
    "fdi_stock": "USD_bn", "fdi_inflow": "USD_bn", "fdi_share": "share", "fdi_cumulative": "USD_bn",
    "remittance_share": "share", "remittances": "USD_bn", "migrant_workers": "persons",
    "migrant_share": "share", "debt_share": "share", "debt_stock": "USD_bn", "students": "persons",
    "pipelines": "count", "rail_links": "count", "energy_export_share": "share",
    "energy_projects": "USD_bn",
    # A target's goods exports to / imports from the patron (docs/data.md): kept apart,
    # their sum per reporter is trade_bilateral. Remittances as a share of the target's
    # GDP are a figure of the pair (WLD, target), like its total trade.
    "trade_exports": "USD_bn", "trade_imports": "USD_bn", "remittances_gdp": "share",
    # Persons born in the target living in the patron (UN DESA migrant stock).
    "migrant_stock": "persons",
    # Pipeline gas (Statistical Review): the target's exports to / imports from the patron,
    # and the patron's share of the target's pipeline gas exports.
    "gas_exports": "bcm", "gas_imports": "bcm", "gas_export_share": "share",
}

#: Other names for the same indicator (extraction and datasets may use them).
INDICATOR_ALIASES: dict[str, str] = {
    "trade": "trade_bilateral", "bilateral_trade": "trade_bilateral", "trade_volume": "trade_bilateral",
    "total_trade": "trade_total", "arms_share": "arms_import_share", "arms_supply_share": "arms_import_share",
    "arms_imports_share": "arms_import_share", "fdi_flow_cumulative": "fdi_cumulative",
    "investment_cumulative": "fdi_cumulative", "investment": "fdi_cumulative",
    "foreign_investment_share": "fdi_share", "fdi_share_of_total": "fdi_share",
    "remittances_share": "remittance_share", "bases": "military_bases",
    "energy_project_value": "energy_projects",
}

#: unit → (canonical unit, factor).
UNIT_FACTORS: dict[str, tuple[str, float]] = {
    "USD_bn": ("USD_bn", 1.0), "USD_mn": ("USD_bn", 1e-3), "USD": ("USD_bn", 1e-9),
    "USD_th": ("USD_bn", 1e-6), "share": ("share", 1.0), "pct": ("share", 0.01),
    "count": ("count", 1.0), "persons": ("persons", 1.0), "TIV_mn": ("TIV_mn", 1.0),
    "bcm": ("bcm", 1.0),
}

#: Indicators that add up over the five states (a C5 figure is the sum of the five).
ADDITIVE = frozenset({"trade_bilateral", "trade_total", "trade_exports", "trade_imports", "arms_tiv", "fdi_stock", "fdi_inflow",
                      "fdi_cumulative", "remittances", "migrant_workers", "migrant_stock", "gas_exports", "gas_imports", "students", "debt_stock",
                      "military_bases", "energy_projects"})

#: Natural lower bound for every indicator (all are non-negative) and upper bound for shares.
def natural_bounds(unit: str) -> tuple[float, float]:
    return (0.0, 1.0) if unit == "share" else (0.0, math.inf)


def canonical_indicator(name: str) -> str:
    n = (name or "").strip()
    return INDICATOR_ALIASES.get(n, n)


class EvidenceItem(BaseModel):
    """One evidence row as a typed record (what ``explain`` prints)."""

    eid: str
    kind: str
    patron: str
    target: str
    indicator: str
    year: int
    period: str | None = None
    value: float | None = None
    low: float | None = None
    high: float | None = None
    unit: str = ""
    source: str = ""
    source_url: str | None = None
    published: str | None = None
    article_id: str | None = None
    span_start: int | None = None
    span_end: int | None = None
    corroboration: int = 1
    note: str = ""
    role: str | None = None  # used / supporting / conflicting (set by precedence)
    #: What the item rests on when the loader says (data, curated, reviewed, policy,
    #: unreviewed: heartland.review.policy); explain falls back on the kind.
    ground: str | None = None

    @classmethod
    def from_row(cls, row: dict) -> "EvidenceItem":
        def clean(v):
            if v is None:
                return None
            if isinstance(v, float) and math.isnan(v):
                return None
            if v is pd.NaT:
                return None
            return v
        d = {k: clean(row.get(k)) for k in cls.model_fields}
        d["year"] = int(d["year"])
        for k in ("span_start", "span_end"):
            d[k] = int(d[k]) if d[k] is not None else None
        d["corroboration"] = int(d["corroboration"] or 1)
        d["published"] = str(d["published"])[:10] if d["published"] is not None else None
        for k in ("source", "unit", "note"):
            d[k] = d[k] or ""
        return cls(**d)


_EMPTY: pd.DataFrame | None = None


def empty_evidence() -> pd.DataFrame:
    global _EMPTY
    if _EMPTY is None:
        _EMPTY = normalise(pd.DataFrame({c: [] for c in EVIDENCE_COLUMNS}))
    return _EMPTY.copy()


def normalise(df: pd.DataFrame) -> pd.DataFrame:
    """Give an evidence frame the standard columns, dtypes, canonical indicators and units.

    Point values fill missing bounds (``low = high = value``); converted units scale all
    three numbers. Rows in a unit that cannot be converted to the indicator's canonical
    unit are dropped here and reported by :func:`unit_mismatches`.
    """
    df = df.copy()
    for c in EVIDENCE_COLUMNS:
        if c not in df.columns:
            df[c] = np.nan
    df = df[EVIDENCE_COLUMNS]
    ind = df["indicator"].astype(object).where(df["indicator"].notna(), "").astype(str).str.strip()
    df["indicator"] = ind.map(INDICATOR_ALIASES).fillna(ind)
    for c in ("value", "low", "high"):
        df[c] = pd.to_numeric(df[c], errors="coerce").astype(float)
    unit = df["unit"].astype(object)
    factor = unit.map({u: f for u, (_, f) in UNIT_FACTORS.items()}).fillna(1.0).astype(float)
    df["unit"] = unit.map({u: cu for u, (cu, _) in UNIT_FACTORS.items()}).fillna(unit)
    for c in ("value", "low", "high"):
        df[c] = df[c] * factor
    point = df["value"].notna() & df["low"].isna() & df["high"].isna()
    df.loc[point, "low"] = df.loc[point, "value"]
    df.loc[point, "high"] = df.loc[point, "value"]
    df["year"] = pd.to_numeric(df["year"], errors="coerce").astype("Int64")
    df["corroboration"] = pd.to_numeric(df["corroboration"], errors="coerce").fillna(1).astype(int)
    df["published"] = pd.to_datetime(df["published"], errors="coerce", utc=True).dt.tz_localize(None)
    for c in ("eid", "kind", "patron", "target", "source", "source_url", "article_id", "note", "period", "ground"):
        if df[c].dtype != object and not pd.api.types.is_string_dtype(df[c].dtype):
            df[c] = df[c].astype(object).where(df[c].notna(), None)
    df = df[df["year"].notna() & (df["low"].notna() | df["high"].notna())]
    return df.reset_index(drop=True)


def unit_mismatches(df: pd.DataFrame) -> pd.DataFrame:
    """Rows whose unit is not the canonical unit of their indicator."""
    expected = df["indicator"].map(INDICATOR_UNITS)
    return df[expected.notna() & (expected != df["unit"])]
