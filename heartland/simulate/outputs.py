"""Parquet outputs of an ensemble, with the scenario and package version recorded.

Layout under ``OUT/<scenario name>/`` (documented in docs/simulate.md):

* ``summary.parquet`` — per metric, patron, target, domain and year: median, 5% and 95%
  quantiles and mean over the runs (the bands, heartland.simulate.bands); target ``C5``
  is the band of the per-run mean over the five;
* ``hypotheses.parquet`` — per hypothesis: probability, Wilson 95% interval, counts;
* ``runs.parquet`` — per run: the parameters drawn, each hypothesis' margin and outcome,
  crises and interventions;
* ``trajectories.parquet`` — per run (the first ``sample_runs``), year, patron, target,
  domain: share, bandwidth, influence (for plotting individual paths);
* ``scenario.toml`` — the scenario file as run; ``manifest.json`` — version, seed, runs.

Every Parquet file carries the same key-value metadata (``heartland_version``,
``scenario``, ``scenario_sha256``, ``seed``, ``runs``, ``start_world``).
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from heartland import __version__
from heartland.simulate.bands import band, five_state_mean
from heartland.simulate.ensemble import EnsembleResult
from heartland.world.axes import DOMAINS, PATRONS, TARGETS

#: the axes after (run, year) of each recorded metric
AXES = {
    "share": ((PATRONS, TARGETS, DOMAINS), ("patron", "target", "domain")),
    "bandwidth": ((PATRONS, TARGETS, DOMAINS), ("patron", "target", "domain")),
    "influence": ((PATRONS, TARGETS, DOMAINS), ("patron", "target", "domain")),
    "overall": ((PATRONS, TARGETS), ("patron", "target")),
    "capacity": ((PATRONS, DOMAINS), ("patron", "domain")),
    "division_of_labour": ((TARGETS,), ("target",)),
    "parity": ((DOMAINS,), ("domain",)),
    "dissatisfaction": ((), ()),
    "friction": ((), ()),
}


def metadata(res: EnsembleResult) -> dict[str, str]:
    sc = res.scenario
    return {"heartland_version": __version__, "scenario": sc.name, "scenario_title": sc.scenario.title,
            "scenario_sha256": sc.sha256, "seed": str(res.seed), "runs": str(res.runs),
            "start_world": res.start.source, "start_year": str(res.start.year), "step": sc.scenario.step}


def _write(df: pd.DataFrame, path: Path, meta: dict[str, str]) -> None:
    table = pa.Table.from_pandas(df, preserve_index=False)
    old = table.schema.metadata or {}
    table = table.replace_schema_metadata({**old, **{f"heartland.{k}".encode(): v.encode() for k, v in meta.items()}})
    pq.write_table(table, path)


def summary_frame(res: EnsembleResult) -> pd.DataFrame:
    frames = []
    res.ensure_indices()
    years = res.times
    for metric, arr in res.arrays.items():
        axes, names = AXES[metric]
        if "target" in names:  # the five together: the band of the per-run five-state mean
            ti = names.index("target")
            arr = np.concatenate([arr, np.expand_dims(five_state_mean(arr, 2 + ti), 2 + ti)], axis=2 + ti)
            axes = tuple(tuple(a) + ("C5",) if i == ti else a for i, a in enumerate(axes))
        b = band(arr)
        idx = pd.MultiIndex.from_product([years] + list(axes), names=["year", *names])
        df = pd.DataFrame({"p05": b["p05"].ravel(), "median": b["p50"].ravel(), "p95": b["p95"].ravel(),
                           "mean": b["mean"].ravel()}, index=idx).reset_index()
        for col in ("patron", "target", "domain"):
            if col not in df:
                df[col] = None
        df.insert(0, "metric", metric)
        frames.append(df)
    out = pd.concat(frames, ignore_index=True)
    out.insert(0, "scenario", res.scenario.name)
    return out[["scenario", "metric", "year", "patron", "target", "domain", "median", "p05", "p95", "mean"]]


def hypotheses_frame(res: EnsembleResult) -> pd.DataFrame:
    rows = []
    by_id = {h.id: h for h in res.scenario.hypotheses}
    for s in res.scores:
        h = by_id[s.id]
        rows.append({"scenario": res.scenario.name, "id": s.id, "statement": s.statement,
                     "probability": s.probability, "ci_low": s.ci_low, "ci_high": s.ci_high,
                     "successes": s.successes, "runs": s.runs, "ci_method": "wilson",
                     "year": h.year, "expert": s.expert, "seed": s.seed})
    cols = ["scenario", "id", "statement", "probability", "ci_low", "ci_high", "successes", "runs",
            "ci_method", "year", "expert", "seed"]
    return pd.DataFrame(rows, columns=cols)


def runs_frame(res: EnsembleResult) -> pd.DataFrame:
    df = pd.DataFrame({"run": np.arange(res.runs)})
    for k, v in res.params.items():
        df[f"param.{k}"] = v
    for k, v in res.margins.items():
        df[f"margin.{k}"] = v
        df[f"holds.{k}"] = res.outcome(k)
    df["crises"] = res.crises.astype(int)
    df["interventions"] = res.interventions.astype(int)
    return df


def trajectories_frame(res: EnsembleResult, sample_runs: int = 100) -> pd.DataFrame:
    n = min(sample_runs, res.runs)
    res.ensure_indices()
    idx = pd.MultiIndex.from_product([range(n), res.times, PATRONS, TARGETS, DOMAINS],
                                     names=["run", "year", "patron", "target", "domain"])
    data = {k: res.arrays[k][:n].ravel() for k in ("share", "bandwidth", "influence")}
    return pd.DataFrame(data, index=idx).reset_index()


def write_outputs(res: EnsembleResult, out: Path, sample_runs: int = 100) -> Path:
    """Write every output of one ensemble under ``out/<scenario name>``; returns that folder."""
    d = Path(out) / res.scenario.name
    d.mkdir(parents=True, exist_ok=True)
    meta = metadata(res)
    _write(summary_frame(res), d / "summary.parquet", meta)
    _write(hypotheses_frame(res), d / "hypotheses.parquet", meta)
    _write(runs_frame(res), d / "runs.parquet", meta)
    _write(trajectories_frame(res, sample_runs), d / "trajectories.parquet", meta)
    (d / "scenario.toml").write_text(res.scenario.text, encoding="utf-8")
    (d / "manifest.json").write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
    return d


def read_metadata(path: Path) -> dict[str, str]:
    md = pq.read_schema(path).metadata or {}
    return {k.decode().removeprefix("heartland."): v.decode() for k, v in md.items()
            if k.decode().startswith("heartland.")}
