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

from heartland.report.readmodel import jsonable
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
    """The store's version — its file's and its WAL's state (a commit may live in the WAL
    only until a later checkpoint) — and the evidence mode (--evidence /
    HEARTLAND_EVIDENCE): a world built under one policy is not the world of another."""
    import os

    mode = os.environ.get("HEARTLAND_EVIDENCE") or "policy"
    out: list = [str(db)]
    for p in (Path(db), Path(str(db) + ".wal")):
        try:
            st = p.stat()
            out += [st.st_mtime_ns, st.st_size]
        except OSError:
            out += [None, None]
    return tuple(out) + (mode,)


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


def world(db: Path):
    """The world built from the store (when it exists) and the bundled curated data; cached."""
    if not has_module("heartland.world.build"):
        return None
    return _cached(("world",) + _db_key(db), lambda: _build_world(db))


def _build_world(db: Path):
    from heartland.world.cache import cached_world  # kept beside the store until its inputs change

    src = Path(db) if db is not None and Path(db).is_file() else None
    return cached_world(str(src) if src else None)


def evidence_years(w) -> list[int]:
    """Years with evidence of their own (not only membership timelines carried forward)."""
    try:
        from heartland.world import latest_evidence_year
    except ImportError:  # older world stage: the same rule, here
        ev = w.evidence
        last = int(ev["year"].max()) if len(ev) else w.years[-1]
    else:
        last = latest_evidence_year(w)
    return [y for y in w.years if y <= last]


def indices(db: Path):
    """The measure stage's indices over the evidence years; cached per store version."""
    if not has_module("heartland.measure.compute"):
        return None
    return _cached(("indices",) + _db_key(db), lambda: _indices(db))


def _indices(db: Path):
    from heartland.measure import compute_indices
    from heartland.world.cache import cached_answer

    def compute():
        w = world(db)
        return None if w is None else compute_indices(w, years=evidence_years(w))

    # kept beside the store under the world's inputs key, like the world itself
    return cached_answer(str(db) if db is not None and Path(db).is_file() else None, ("indices", "evidence-years"),
                         compute, keep=lambda idx: idx is not None)


def _influence_panel(db: Path) -> dict | None:
    idx = indices(db)
    if idx is None:
        return None
    years = list(idx.years)
    cells: dict[int, list] = {y: [] for y in years}
    overall: dict[int, list] = {y: [] for y in years}
    fresh = _evidence_years(world(db))
    f = idx.influence
    f = f[f["target"].isin(TARGETS) & (f["low"].notna() | f["high"].notna())]
    for r in f.itertuples(index=False):
        cell = {"patron": r.patron, "target": r.target, "value": r.mid, "low": r.low, "high": r.high,
                "carried_from": _carried_from(fresh, r.patron, r.target, r.domain, int(r.year))}
        if r.domain == "overall":
            overall[int(r.year)].append(cell)
        elif r.domain in DOMAINS:  # (the published-FBIC aggregate "fbic" is left to `heartland index`)
            cell["domain"] = r.domain
            cells[int(r.year)].append(cell)
    return jsonable({"years": years, "cells": cells, "overall": overall, "priors": _prior_cells(db, years)})


def _prior_cells(db: Path, years: list[int]) -> dict[int, list]:
    """Per year, the (patron, target, domain) cells the world leaves to the prior (no figure:
    the simulation starts them from the year's prior; docs/data.md), for the dashboard and
    the report to mark."""
    w = world(db)
    if w is None or not has_module("heartland.world.ground"):
        return {y: [] for y in years}
    from heartland.world.ground import cell_grounds

    g = cell_grounds(w)
    g = g[(g["ground"] == "prior") & g["year"].isin(years)]
    out: dict[int, list] = {y: [] for y in years}
    for r in g.itertuples(index=False):
        out[int(r.year)].append({"patron": r.patron, "target": r.target, "domain": r.domain})
    return out


def _evidence_years(w) -> dict[tuple[str, str, str], list[int]]:
    """(patron, target, domain) -> the years whose own evidence (data, curated rows, extracted
    items, that year's events; not memberships, which are in force every year) feeds a value."""
    from heartland.world.components import COMPONENTS

    domain_of = {c.indicator: c.domain for c in COMPONENTS}
    c = w.components
    c = c[(c["n_items"] > 0) & c["year_used"].notna()]
    out: dict[tuple[str, str, str], set[int]] = {}
    for patron, target, indicator, used in zip(c["patron"], c["target"], c["indicator"], c["year_used"]):
        d = domain_of.get(indicator)
        if d is not None:
            out.setdefault((patron, target, d), set()).add(int(used))
    return {k: sorted(v) for k, v in out.items()}


def _carried_from(fresh: dict, patron: str, target: str, domain: str, year: int) -> int | None:
    """The latest earlier year a value was carried forward from, or None when the year has its
    own evidence (or rests only on memberships in force that year). ``overall``: any domain."""
    doms = DOMAINS if domain == "overall" else (domain,)
    used = [y for d in doms for y in fresh.get((patron, target, d), []) if y <= year]
    if not used or max(used) == year:
        return None
    return max(used)


def measures(db: Path) -> dict | None:
    """Division of labour, power transition, China's dissatisfaction and friction over time."""
    idx = indices(db)
    if idx is None:
        return None
    recs = lambda df: df.to_dict(orient="records")  # noqa: E731
    return jsonable({"years": list(idx.years), "division_of_labour": recs(idx.division_of_labour),
                     "transition": recs(idx.transition.drop(columns=["zone_code"], errors="ignore")),
                     "dissatisfaction": recs(idx.dissatisfaction), "friction": recs(idx.friction)})


def explain(db: Path, patron: str, target: str, domain: str, year: int) -> dict | None:
    """Everything behind one influence number: the measure stage's ``Explanation`` as JSON.

    The same shape as ``heartland explain --format json`` (docs/measure.md, "Explain: every
    ground"): components with their sources, inputs, memberships and counted events, each
    article fact and event with its article and sentence, and the grounds of the number.
    """
    if not has_module("heartland.measure.explain"):
        return None
    from heartland.measure.explain import explain as measure_explain

    w = world(db)
    if w is None or year not in w.years or year not in evidence_years(w):
        return None
    e = measure_explain(w, patron, target, domain, year)
    if db is not None and Path(db).is_file():
        from heartland.measure.explain import attach_articles
        from heartland.report.readmodel import StoreUnavailable, connect_ro

        try:
            with connect_ro(db) as conn:
                attach_articles(e, conn, w)
        except StoreUnavailable:  # a writer holds the store: the items without their sentences (and left-out list)
            pass
    return jsonable(e.as_json())


def _f(v):
    try:
        import math

        v = float(v)
        return None if math.isnan(v) else v
    except (TypeError, ValueError):
        return None


def _i(v):
    v = _f(v)
    return None if v is None else int(v)


# -- simulate ------------------------------------------------------------------------

def scenarios() -> list[dict] | None:
    """The bundled scenarios: name, title, description, experts and hypotheses."""
    if not has_module("heartland.simulate.bundled"):
        return None
    return _cached(("scenarios",), _scenarios)


def _load_scenario(name: str):
    from heartland.simulate import bundled_paths, load_scenario

    path = next((p for p in bundled_paths() if p.stem == name), None)
    if path is None:
        raise KeyError(name)
    return load_scenario(path)


def _scenarios() -> list[dict]:
    from heartland.simulate import bundled_names

    out = []
    for name in bundled_names():
        sc = _load_scenario(name)
        m = sc.scenario
        out.append({"name": sc.name, "title": m.title, "description": m.description, "horizon": m.horizon,
                    "default_runs": m.runs,
                    "sources": [src.model_dump() for src in m.sources],
                    "hypotheses": [{"id": h.id, "statement": h.statement, "expert": h.expert, "year": h.year}
                                   for h in sc.hypotheses],
                    "uncertain": sorted(sc.uncertain())})
    return jsonable(out)


#: Ensemble size behind the hypothesis probabilities shown by the dashboard and the report.
HYPOTHESIS_RUNS = 500


def hypotheses(runs_dir: Path | None = None) -> list[dict] | None:
    """Every bundled scenario's hypotheses with their probability over an ensemble (cached)."""
    if not has_module("heartland.simulate.bundled"):
        return None
    return _cached(("hypotheses", HYPOTHESIS_RUNS), _hypotheses)


def _hypotheses() -> list[dict]:
    from heartland.simulate import run_bundled

    res = run_bundled(runs=HYPOTHESIS_RUNS, seed=0)
    out = []
    for name, sc in res["scenarios"].items():
        for h in sc["hypotheses"]:
            out.append({"scenario": name, "scenario_title": sc["title"], "id": h["id"], "label": h["statement"],
                        "expert": h["expert"], "seed": h["seed"], "probability": h["probability"],
                        "raw_probability": h["raw_probability"], "capped": h["capped"],
                        "reliability": h["reliability"], "reliability_events": h["reliability_events"],
                        "low": h["ci_low"], "high": h["ci_high"], "runs": sc["runs"]})
    return jsonable(out)


#: Series drawn as fan charts for a scenario run: (label, metric, patron, domain or None).
FAN_SERIES = (
    ("China's overall influence (mean of the five)", "overall", "CHN", None),
    ("Russia's overall influence (mean of the five)", "overall", "RUS", None),
    ("China's security influence (mean of the five)", "influence", "CHN", "security"),
    ("Russia's security influence (mean of the five)", "influence", "RUS", "security"),
    ("China's economic influence (mean of the five)", "influence", "CHN", "economy"),
    ("Russia's economic influence (mean of the five)", "influence", "RUS", "economy"),
)


def ensemble_summary(res) -> dict:
    """Fan-chart quantiles of the key series and the hypotheses' scores of one ensemble."""
    from heartland.simulate.bands import NAMES, band, five_state_mean

    x = [float(t) for t in res.times]
    series = []
    arrays = dict(res.arrays)
    if any(metric not in arrays for _, metric, _, _ in FAN_SERIES):
        # Influence indices are derived from the recorded state by the measure functions.
        from heartland.simulate.model import indices as sim_indices

        arrays.update(sim_indices(arrays))
    for label, metric, patron, domain in FAN_SERIES:
        arr = arrays[metric]  # (runs, steps, patron, target[, domain])
        a = arr[:, :, PATRONS.index(patron)]
        if domain is not None:
            a = a[..., DOMAINS.index(domain)]
        b = band(five_state_mean(a, -1))  # the one band function (heartland.simulate.bands)
        series.append({"label": label, "patron": patron, "metric": metric, "domain": domain,
                       "quantiles": {k: [float(v) for v in b[k]] for k in NAMES}})
    from heartland.simulate.probabilities import shown_scores

    # probability as shown: capped at [0.05, 0.95] unless the hindcast supports more (docs/simulate.md)
    hyps = [{"id": h["id"], "label": h["statement"], "expert": h["expert"], "probability": h["probability"],
             "raw_probability": h["raw_probability"], "capped": h["capped"], "reliability": h["reliability"],
             "reliability_events": h["reliability_events"], "low": h["ci_low"], "high": h["ci_high"]}
            for h in shown_scores(res.scores, res.posterior)]
    return jsonable({"scenario": res.scenario.name, "title": res.scenario.scenario.title, "runs": res.runs,
                     "seed": res.seed, "x": x, "series": series, "hypotheses": hyps,
                     "start_world": res.start.source, "parameters": res.parameters})


def calibration() -> dict | None:
    """The bundled posterior's provenance: fit, out-of-sample hindcast scores, reliability tables."""
    if not has_module("heartland.simulate.posterior"):
        return None
    from heartland.simulate.posterior import bundled_posterior

    post = bundled_posterior()
    if post is None:
        return None
    return jsonable({"label": post.label(), "draws": post.size, **post.provenance})


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
    return jsonable(out)


#: Monte Carlo runs per backtest case: the same as the table in docs/forecast.md.
BACKTEST_RUNS = 1000


def backtest() -> dict | None:
    """The bargaining model's backtest on the bundled resolved issues (docs/forecast.md, Backtest)."""
    if not has_module("heartland.forecast.backtest"):
        return None
    return _cached(("backtest",), _backtest)


def _backtest() -> dict | None:
    from heartland.forecast.backtest import run_backtest

    return jsonable(run_backtest(runs=BACKTEST_RUNS, seed=0).model_dump())


def status(db: Path) -> dict:
    """Which stages' data this store and installation can show."""
    return {
        "world": has_module("heartland.world.build"),
        "measure": has_module("heartland.measure.explain"),
        "simulate": has_module("heartland.simulate.run") or has_module("heartland.simulate.ensemble"),
        "forecast": has_module("heartland.forecast.model") or has_module("heartland.forecast.issues"),
    }


def run_scenario(name: str, runs: int, seed: int | None, out_dir: Path, progress) -> dict:
    """Run a bundled scenario's ensemble, write its Parquet outputs under ``out_dir`` and
    return the summary the page draws (fan charts, hypothesis probabilities)."""
    import time

    from heartland.simulate import run_ensemble, write_outputs

    sc = _load_scenario(name)
    done = [0]

    def step(n: int) -> None:
        done[0] += n
        progress(done[0] / runs)

    t0 = time.perf_counter()
    res = run_ensemble(sc, runs=runs, seed=seed or 0, progress=step, start=_start_of(sc))
    folder = write_outputs(res, out_dir)
    out = ensemble_summary(res)
    out["elapsed_s"] = time.perf_counter() - t0
    out["outputs"] = folder.name
    return out


#: Ensemble size and Sobol base sample of the report's scenario section.
REPORT_RUNS = 500
SOBOL_N = 64


def scenario_results(runs: int = REPORT_RUNS, sobol_n: int = SOBOL_N) -> list[dict] | None:
    """Every bundled scenario: ensemble summary plus Sobol sensitivity ranking (cached)."""
    if not has_module("heartland.simulate.bundled"):
        return None
    return _cached(("scenario_results", runs, sobol_n), lambda: _scenario_results(runs, sobol_n))


def _start_of(sc):
    """The scenario's start world, built once per (kind, year): building it reads the whole world."""
    from heartland.simulate import load_start

    key = ("start", sc.scenario.start, sc.scenario.start_year)
    return _cached(key, lambda: load_start(sc.scenario.start, sc.scenario.start_year))


def _scenario_results(runs: int, sobol_n: int) -> list[dict]:
    from heartland.simulate import bundled_names, run_ensemble, sensitivity

    out = []
    for name in bundled_names():
        sc = _load_scenario(name)
        start = _start_of(sc)
        summary = ensemble_summary(run_ensemble(sc, runs=runs, seed=0, start=start))
        summary["description"] = sc.scenario.description
        summary["sources"] = [src.model_dump() for src in sc.scenario.sources]
        sens = []
        if sc.hypotheses and sc.uncertain():
            df = sensitivity(sc, method="sobol", n=sobol_n, seed=0, start=start)
            sens = df.to_dict(orient="records")
        summary["sensitivity"] = jsonable(sens)
        out.append(summary)
    return out


def fact_uses(db: Path) -> dict[str, list[dict]]:
    """For each stored fact id, the influence numbers it feeds (reverse of ``explain``).

    ``{fact_id: [{"patron", "target", "domain", "indicator", "role", "years": [...]}]}`` from the
    world's precedence roles (used / supporting / conflicting / superseded), limited to the
    five states and the years the dashboard shows.
    """
    w = world(db)
    if w is None or not has_module("heartland.world.components"):
        return {}
    return _cached(("fact_uses",) + _db_key(db), lambda: _fact_uses(w))


def _fact_uses(w) -> dict[str, list[dict]]:
    from heartland.world.components import COMPONENTS

    domain_of = {c.indicator: c.domain for c in COMPONENTS}
    years = set(evidence_years(w))
    r = w.roles
    r = r[r["eid"].str.startswith("fact:") & r["target"].isin(TARGETS) & r["indicator"].isin(domain_of)
          & r["year"].isin(years)]
    out: dict[str, dict[tuple, dict]] = {}
    for row in r.itertuples(index=False):
        fid = row.eid[len("fact:"):]
        key = (row.patron, row.target, domain_of[row.indicator], row.indicator, row.role)
        d = out.setdefault(fid, {}).setdefault(key, {"patron": row.patron, "target": row.target,
                                                     "domain": domain_of[row.indicator], "indicator": row.indicator,
                                                     "role": row.role, "years": []})
        d["years"].append(int(row.year))
    return {fid: [dict(v, years=sorted(v["years"])) for v in d.values()] for fid, d in out.items()}
