"""Reliability of the model's probabilities, from the hindcast, and the cap on unsupported extremes.

The hindcast's binary events (``heartland.simulate.hindcast``) pair a forecast
probability with what happened. Grouped into probability bins they give the reliability
diagram: when the model said about p, how often did it happen? A hypothesis probability
is reported with the observed frequency of its bin.

Extremes: a probability above 0.95 (below 0.05) is shown as such only when the hindcast
supports that confidence — at least ``MIN_EVENTS`` events were forecast at that level and
they came true at least 95% (at most 5%) of the time. Otherwise it is shown as 0.95
(0.05) and marked "capped": the model has not earned more certainty than that.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.stats import binomtest

#: bin edges of the reliability diagram: the two extreme bins are the capping levels
EDGES = (0.0, 0.05, 0.15, 0.25, 0.35, 0.45, 0.55, 0.65, 0.75, 0.85, 0.95, 1.0)
CAP_LOW, CAP_HIGH = 0.05, 0.95
MIN_EVENTS = 20


def bin_of(p: float | np.ndarray) -> np.ndarray:
    """Index of the bin holding p (the last bin is closed: [0.95, 1])."""
    return np.clip(np.searchsorted(EDGES, p, side="right") - 1, 0, len(EDGES) - 2)


def reliability_table(events: pd.DataFrame) -> pd.DataFrame:
    """Per probability bin: events, mean forecast, observed frequency and its Wilson 95% interval."""
    rows = []
    b = bin_of(events["probability"].to_numpy()) if len(events) else np.array([], int)
    for i in range(len(EDGES) - 1):
        sel = events[b == i] if len(events) else events
        n = int(len(sel))
        k = int(sel["outcome"].sum()) if n else 0
        ci = binomtest(k, n).proportion_ci(method="wilson") if n else None
        rows.append({"bin_low": EDGES[i], "bin_high": EDGES[i + 1], "events": n,
                     "mean_forecast": float(sel["probability"].mean()) if n else np.nan,
                     "observed": k / n if n else np.nan,
                     "observed_low": float(ci.low) if n else np.nan, "observed_high": float(ci.high) if n else np.nan})
    return pd.DataFrame(rows)


@dataclass
class Shown:
    probability: float  # what is reported (capped when unsupported)
    raw: float  # the ensemble's share of runs
    capped: bool
    reliability: float | None  # observed frequency of the hindcast events forecast at this level
    reliability_events: int


def supported(table: pd.DataFrame, high: bool) -> bool:
    """Does the hindcast support forecasts beyond the cap on this side?"""
    row = table.iloc[-1] if high else table.iloc[0]
    if row["events"] < MIN_EVENTS or np.isnan(row["observed"]):
        return False
    return bool(row["observed"] >= CAP_HIGH) if high else bool(row["observed"] <= CAP_LOW)


def shown(p: float, table: pd.DataFrame | None) -> Shown:
    """The probability to report, with the hindcast's reliability at that level."""
    if table is None or table.empty:
        rel, n = None, 0
    else:
        row = table.iloc[int(bin_of(p))]
        n = int(row["events"])
        rel = None if n == 0 else float(row["observed"])
    capped = False
    q = p
    if p > CAP_HIGH and not (table is not None and not table.empty and supported(table, True)):
        q, capped = CAP_HIGH, True
    elif p < CAP_LOW and not (table is not None and not table.empty and supported(table, False)):
        q, capped = CAP_LOW, True
    return Shown(q, p, capped, rel, n)


def table_from_records(records: list[dict] | None) -> pd.DataFrame | None:
    return None if not records else pd.DataFrame(records)
