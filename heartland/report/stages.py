"""Adapters over the later stages' public faces: world/measure, simulate, forecast.

Each function returns ``None`` when its stage is not installed yet or has nothing for
this store, so callers can show "not available yet". The shapes returned here are the
dashboard's and the report's contract (documented in docs/web.md); the adapters are
the only place that knows the other stages' APIs.
"""

from __future__ import annotations

import importlib
import importlib.util
import threading
from pathlib import Path
from typing import Any

from heartland.world.axes import DOMAINS, PATRONS, TARGETS, actor_name

_lock = threading.Lock()
_cache: dict[tuple, Any] = {}


def has_module(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is not None
    except ModuleNotFoundError:
        return False


def _cached(key: tuple, fn):
    with _lock:
        if key in _cache:
            return _cache[key]
    value = fn()
    with _lock:
        _cache[key] = value
    return value


def _db_key(db: Path) -> tuple:
    try:
        st = Path(db).stat()
        return (str(db), st.st_mtime_ns, st.st_size)
    except OSError:
        return (str(db), None, None)


def axes() -> dict:
    return {
        "patrons": [{"code": c, "name": actor_name(c)} for c in PATRONS],
        "targets": [{"code": c, "name": actor_name(c)} for c in TARGETS],
        "domains": list(DOMAINS),
    }


# -- influence (world + measure) -----------------------------------------------------

def influence_panel(db: Path) -> dict | None:
    """Influence per (year, patron, target, domain) with bands, or None when unavailable.

    Shape: ``{"years": [...], "cells": {year: [{"patron","target","domain","value","low","high"}]},
    "overall": {year: [{"patron","target","value","low","high"}]}, "measures": {...}}``.
    """
    return _cached(("influence",) + _db_key(db), lambda: _influence_panel(db))


def _influence_panel(db: Path) -> dict | None:
    return None


def explain(db: Path, patron: str, target: str, domain: str, year: int) -> dict | None:
    """The facts, dataset rows and curated entries behind one influence number."""
    return None


# -- simulate ------------------------------------------------------------------------

def scenarios() -> list[dict] | None:
    return None


def hypotheses(runs_dir: Path | None) -> list[dict] | None:
    return None


# -- forecast ------------------------------------------------------------------------

#: Monte Carlo runs behind each issue forecast shown by the report and the dashboard.
FORECAST_RUNS = 200


def forecasts() -> list[dict] | None:
    """Every bundled issue's forecast: bargaining path, summary, distribution, sensitivity."""
    if not has_module("heartland.forecast"):
        return None
    return _cached(("forecasts",), _forecasts)


def _forecasts() -> list[dict] | None:
    try:
        from heartland.forecast import bundled_issues, forecast, load_issue
    except ImportError:
        return None
    out = []
    for name in bundled_issues():
        issue = load_issue(name)
        fc = forecast(issue, runs=FORECAST_RUNS, seed=0)
        run = fc.run
        positions = [p for r in run.rounds for p in r.positions.values()]
        lo, hi = fc.scale if fc.scale else (min(positions), max(positions))
        ids = {a.name: a.id for a in issue.actors}
        out.append({
            "issue": fc.issue, "title": fc.title or fc.issue, "question": fc.question,
            "scale": {"min": lo, "max": hi, "low": fc.low_label, "high": fc.high_label},
            "forecast": run.summary.forecast, "low": run.summary.low, "high": run.summary.high,
            "status": run.summary.status, "rule": run.summary.rule,
            "actors": [{"name": a.name, "id": a.id, "position": a.position.value, "capability": a.capability.value,
                        "salience": a.salience.value} for a in issue.actors],
            "actor_ids": ids,
            "path": [{"round": r.round, "positions": r.positions, "mean": r.mean, "median": r.median,
                      "moves": len(r.moves)} for r in run.rounds],
            "distribution": fc.distribution.model_dump() if fc.distribution else None,
            "sensitivity": [s.model_dump() for s in fc.sensitivity],
            "source": issue.source, "reference": name.startswith("ec_"),
        })
    return out


def status(db: Path) -> dict:
    """Which stages' data this store and installation can show."""
    return {
        "world": has_module("heartland.world.build"),
        "measure": has_module("heartland.measure.explain"),
        "simulate": has_module("heartland.simulate.run") or has_module("heartland.simulate.ensemble"),
        "forecast": has_module("heartland.forecast.model") or has_module("heartland.forecast.issues"),
    }


def run_scenario(name: str, runs: int, seed: int | None, out_dir: Path, progress) -> dict:
    """Run a bundled scenario's ensemble into ``out_dir``; returns a summary for the page."""
    raise RuntimeError("the simulation stage is not available yet")
