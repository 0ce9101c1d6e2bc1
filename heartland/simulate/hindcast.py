"""Hindcast: start the model from a past world, run it to the present, score it on what was measured.

For each start year s (rolling, default 2015-2021) the ensemble starts from the world as
of 31 December s (built by :func:`heartland.world.build_world`; nothing later leaks in),
meets the shocks dated from the evidence (``heartland/data/hindcast/shocks.toml``) and
runs to the last measured year (horizons up to 9 years). It is scored on the
dependence (share) cells measured both at s and at the end year e, against the world as
of the last year (the measured truth):

* every run's forecast is anchored at the measured start (measured start + the run's
  change: :func:`anchored`), so the scores judge the model's dynamics, not the gap between
  its start level and the measured one (kept as ``start_gap``);
* MAE of the ensemble median, and of persistence (the measured start value carried
  forward); skill = 1 - MAE / MAE_persistence;
* the band is the posterior predictive of the *measured* value (eq. 14,
  :mod:`heartland.simulate.discrepancy`): each run plus one Student-t draw of the error
  the likelihood fitted (the run's posterior ``error_scale`` over the horizon, and the
  measured value's own measurement error), so the band is scored on what the fit assumed;
  the runs' own band is kept (``in90_runs``) to show the difference;
* CRPS of the predictive ensemble (``scoringrules.crps_ensemble``);
* coverage of the central 50% and 90% predictive bands (share of cells whose measured value lies inside);
* direction accuracy where the measured change exceeds a threshold (sign of the median
  change against the sign of the measured change);
* mean |change| of the runs against the measured mean |change|.

Binary events for the reliability diagram (``heartland.simulate.reliability``) come from
the same runs: "the patron that led a (target, domain) at the start still leads at e"
(each measured pair) and "the share at e is above its measured start value".
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from heartland.errors import UserError
from heartland.simulate.discrepancy import DEFAULT_DF, obs_sd, predictive
from heartland.paths import DATA_DIR
from heartland.world.axes import DOMAINS, PATRONS, TARGETS

SHOCKS_FILE = DATA_DIR / "hindcast" / "shocks.toml"
STARTS = tuple(range(2015, 2022))
#: measured changes smaller than this (share units) have no direction worth scoring
DIRECTION_THRESHOLD = 0.02
#: cells whose end year is after this are out of sample for a posterior fitted up to it
FIT_END = 2020


@dataclass
class Panel:
    """Measured dependence (shares) per year on (patron, target, domain); NaN = not measured."""

    years: tuple[int, ...]
    mid: dict[int, np.ndarray]
    low: dict[int, np.ndarray]
    high: dict[int, np.ndarray]

    def measured(self, year: int) -> np.ndarray:
        return ~np.isnan(self.mid[year]) if year in self.mid else np.zeros((len(PATRONS), len(TARGETS), len(DOMAINS)), bool)

    def check_start(self, year: int) -> None:
        """One clear line when a start year has no world to start from."""
        if year not in self.mid or not self.measured(year).any():
            span = [y for y in self.years if self.measured(y).any()]
            have = f"{span[0]}-{span[-1]}" if span else "none"
            raise UserError(f"hindcast start {year}: no world for that year (years with measured ties: {have})")


@lru_cache(maxsize=4)
def measured_panel(end_year: int | None = None, db: str | None = None) -> Panel:
    """The world as of 31 December ``end_year`` (default: its latest year with evidence of its
    own, so that years the world only carries values into are not scored), read through
    build_world / world_arrays / latest_evidence_year."""
    from heartland.world import build_world, latest_evidence_year, world_arrays

    if end_year is None:
        end_year = latest_evidence_year(build_world(db))
    world = build_world(db, f"{end_year}-12-31")
    mid, low, high = {}, {}, {}
    for y in world.years:
        a = world_arrays(world, y)
        low[y], high[y] = a.dependence_low, a.dependence_high
        mid[y] = (a.dependence_low + a.dependence_high) / 2
    return Panel(tuple(world.years), mid, low, high)


def last_measured_year(panel: Panel) -> int:
    return max(y for y in panel.years if panel.measured(y).any())


def hindcast_scenario(start_year: int, end_year: int, shocks_file: Path = SHOCKS_FILE):
    """A scenario (no parameters set, no hypotheses) from the world at ``start_year`` to ``end_year``."""
    from heartland.simulate.scenario import parse_scenario

    shocks = Path(shocks_file).read_text(encoding="utf-8")
    text = (f'[scenario]\nname = "hindcast_{start_year}"\ntitle = "Hindcast from {start_year}"\n'
            f'start = "bundled"\nstart_year = {start_year}\nhorizon = {end_year}\nstep = "year"\n\n{shocks}')
    return parse_scenario(text, str(shocks_file))


def start_world(start_year: int, db: str | None = None):
    """The simulation's start world as of ``start_year`` (the world stage's, gaps from the builtin prior)."""
    from heartland.simulate.start import load_start

    return load_start("bundled", start_year, db)


@dataclass
class HindcastResult:
    cells: pd.DataFrame  # one row per (start, end, patron, target, domain) measured at both ends
    events: pd.DataFrame  # binary events with forecast probability and outcome
    summary: pd.DataFrame  # per sample (in/out/all), domain (and "overall"): the scores
    by_horizon: pd.DataFrame  # per horizon: the scores over all domains
    parameters: str = ""
    meta: dict = field(default_factory=dict)


def anchored(ens: np.ndarray, ens0: np.ndarray, obs_start: np.ndarray, change_scale: np.ndarray | float = 1.0) -> np.ndarray:
    """Each run's forecast anchored at the measured start: measured start + ρ × the run's change.

    ρ (``change_scale``, eq. 14, per run from its posterior row; 1 without one) is the
    fitted share of the model's change that shows up in the measured share.

    The model forecasts changes. Its start level can differ from the measured one where a
    (target, domain)'s shares, with gaps filled from the builtin prior, add up to more than
    0.98 and are scaled down (``normalise_shares``); scoring levels would then score that
    gap, not the dynamics. The gap is kept in the cells table (``start_gap``).
    """
    rho = np.asarray(change_scale, float)
    rho = rho.reshape(rho.shape + (1,) * (ens.ndim - 1)) if rho.ndim else rho
    return obs_start + rho * (ens - ens0)


def noise_rng(seed: int, s: int, e: int) -> np.random.Generator:
    """The predictive error's own stream per (start, end): the runs' numbers stay as they were."""
    return np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(14, s, e)))


def _cell_rows(s: int, e: int, ens: np.ndarray, ens0: np.ndarray, panel: Panel, fit_end: int,
               error_scale: np.ndarray | float = 0.0, error_df: float = DEFAULT_DF,
               rng: np.random.Generator | None = None, change_scale: np.ndarray | float = 1.0) -> pd.DataFrame:
    """Scores of every cell measured at s and e from an ensemble ``ens`` (R,P,T,D) at e (``ens0`` at s).

    ``error_scale`` (R,) is each run's σ_ε (eq. 14); the band, CRPS and coverage are those of
    the runs plus their predictive error, the point forecast (median, MAE, direction) the runs'.
    """
    import scoringrules as sr

    mask = panel.measured(s) & panel.measured(e)
    idx = np.argwhere(mask)
    if not len(idx):
        return pd.DataFrame()
    obs_s, obs_e = panel.mid[s][mask], panel.mid[e][mask]
    x0 = ens0[:, mask].astype(float)
    x = anchored(ens[:, mask].astype(float), x0, obs_s, change_scale)  # (R, m)
    rng = rng if rng is not None else noise_rng(0, s, e)
    y = predictive(x, error_scale, e - s, obs_sd(panel.low[e][mask], panel.high[e][mask]), rng, error_df)
    qr = np.quantile(x, (0.05, 0.5, 0.95), axis=0)
    q = np.quantile(y, (0.05, 0.25, 0.5, 0.75, 0.95), axis=0)
    change = obs_e - obs_s
    med_change = qr[1] - obs_s
    df = pd.DataFrame({
        "start": s, "end": e, "horizon": e - s,
        "patron": [PATRONS[i] for i in idx[:, 0]], "target": [TARGETS[i] for i in idx[:, 1]],
        "domain": [DOMAINS[i] for i in idx[:, 2]],
        "obs_start": obs_s, "obs_end": obs_e, "obs_low": panel.low[e][mask], "obs_high": panel.high[e][mask],
        "start_gap": np.median(x0, axis=0) - obs_s,
        "q05": q[0], "q25": q[1], "median": qr[1], "q75": q[3], "q95": q[4],
        "abs_error": np.abs(qr[1] - obs_e), "abs_error_persistence": np.abs(change),
        "crps": sr.crps_ensemble(obs_e, y.T),
        "in50": (obs_e >= q[1]) & (obs_e <= q[3]), "in90": (obs_e >= q[0]) & (obs_e <= q[4]),
        "in90_runs": (obs_e >= qr[0]) & (obs_e <= qr[2]),
        "crps_runs": sr.crps_ensemble(obs_e, x.T),
        "measured_change": change, "median_change": med_change,
        "run_abs_change": np.abs(x - obs_s).mean(axis=0),
        "direction_scored": np.abs(change) > DIRECTION_THRESHOLD,
        "direction_right": np.sign(med_change) == np.sign(change),
        "out_of_sample": e > fit_end,
    })
    return df


def _event_rows(s: int, e: int, ens: np.ndarray, ens0: np.ndarray, panel: Panel, fit_end: int,
                change_scale: np.ndarray | float = 1.0) -> list[dict]:
    """Binary events: the start leader keeps its lead at e; the share at e exceeds its start value."""
    rows = []
    both = panel.measured(s) & panel.measured(e)
    x = anchored(ens, ens0, np.nan_to_num(panel.mid[s]), change_scale)  # (R,P,T,D), anchored at the measured start
    for t in range(len(TARGETS)):
        for d in range(len(DOMAINS)):
            ps = np.nonzero(both[:, t, d])[0]
            for a in ps:
                # rise: the share ends above its measured start value
                rows.append({"start": s, "end": e, "kind": "rise", "target": TARGETS[t], "domain": DOMAINS[d],
                             "patron": PATRONS[a], "versus": "",
                             "probability": float((x[:, a, t, d] > panel.mid[s][a, t, d]).mean()),
                             "outcome": bool(panel.mid[e][a, t, d] > panel.mid[s][a, t, d]),
                             "out_of_sample": e > fit_end})
                for b in ps:
                    if b == a or not panel.mid[s][a, t, d] > panel.mid[s][b, t, d]:
                        continue
                    rows.append({"start": s, "end": e, "kind": "keeps_lead", "target": TARGETS[t],
                                 "domain": DOMAINS[d], "patron": PATRONS[a], "versus": PATRONS[b],
                                 "probability": float((x[:, a, t, d] > x[:, b, t, d]).mean()),
                                 "outcome": bool(panel.mid[e][a, t, d] > panel.mid[e][b, t, d]),
                                 "out_of_sample": e > fit_end})
    return rows


def scores(cells: pd.DataFrame) -> dict:
    """The hindcast's scores over a set of cells."""
    if cells.empty:
        return {"cells": 0}
    mae, mae_p = float(cells["abs_error"].mean()), float(cells["abs_error_persistence"].mean())
    d = cells[cells["direction_scored"]]
    return {
        "cells": int(len(cells)), "mae": mae, "mae_persistence": mae_p,
        "skill": float(1.0 - mae / mae_p) if mae_p > 0 else float("nan"),
        "crps": float(cells["crps"].mean()),
        "coverage50": float(cells["in50"].mean()), "coverage90": float(cells["in90"].mean()),
        # the runs' own band, without the predictive error (what was scored up to likelihood v3)
        "coverage90_runs": float(cells["in90_runs"].mean()) if "in90_runs" in cells else float("nan"),
        "crps_runs": float(cells["crps_runs"].mean()) if "crps_runs" in cells else float("nan"),
        "direction_cells": int(len(d)),
        "direction_accuracy": float(d["direction_right"].mean()) if len(d) else float("nan"),
        "beats_persistence": float((cells["abs_error"] < cells["abs_error_persistence"]).mean()),
        "mean_abs_change_runs": float(cells["run_abs_change"].mean()),
        "mean_abs_change_median": float(cells["median_change"].abs().mean()),
        "mean_abs_change_measured": float(cells["measured_change"].abs().mean()),
        "mean_abs_start_gap": float(cells["start_gap"].abs().mean()),
    }


def summarise(cells: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(per sample x domain incl. 'overall', per sample x horizon)."""
    rows, hrows = [], []
    samples = {"all": cells, "in_sample": cells[~cells["out_of_sample"]], "out_of_sample": cells[cells["out_of_sample"]]}
    for name, c in samples.items():
        rows.append({"sample": name, "domain": "overall", **scores(c)})
        for dom in DOMAINS:
            rows.append({"sample": name, "domain": dom, **scores(c[c["domain"] == dom])})
        for h, g in c.groupby("horizon"):
            hrows.append({"sample": name, "horizon": int(h), **scores(g)})
    return pd.DataFrame(rows), pd.DataFrame(hrows)


def run_hindcast(starts=STARTS, *, end: int | None = None, runs: int = 200, seed: int = 0,
                 parameters="posterior", client=None, fit_end: int = FIT_END, db: str | None = None,
                 progress=None) -> HindcastResult:
    """Rolling hindcast from each start year to ``end`` (default: the last measured year)."""
    from heartland.simulate.ensemble import run_ensemble
    from heartland.simulate.posterior import parameter_label, resolve_parameters

    post = resolve_parameters(parameters)
    df = error_df_of(post)
    starts = sorted(int(s) for s in starts)
    if not starts:
        raise UserError("hindcast: no start years given")
    panel = measured_panel(end, db)
    end = end or last_measured_year(panel)
    for s in starts:
        panel.check_start(s)
        if s >= end:
            raise UserError(f"hindcast start {s}: not before the last measured year {end}")
    cells, events = [], []
    for s in starts:
        sc = hindcast_scenario(s, end)
        res = run_ensemble(sc, runs=runs, seed=seed, start=start_world(s, db), client=client, parameters=post)
        share = res.arrays["share"]
        es = res.params.get("error_scale", 0.0)
        rho = res.params.get("change_scale", 1.0)
        for i, t in enumerate(res.times):
            e = int(round(t))
            if e <= s or e not in panel.mid:
                continue
            cells.append(_cell_rows(s, e, share[:, i], share[:, 0], panel, fit_end, es, df,
                                    noise_rng(seed, s, e), rho))
            events += _event_rows(s, e, share[:, i], share[:, 0], panel, fit_end, rho)
        if progress:
            progress(s)
    cells_df = pd.concat([c for c in cells if not c.empty], ignore_index=True)
    summary, by_h = summarise(cells_df)
    meta = {"starts": ",".join(map(str, starts)), "end": str(end), "runs": str(runs), "seed": str(seed),
            "error_df": str(df),
            "parameters": parameter_label(post), "fit_end": str(fit_end),
            "direction_threshold": str(DIRECTION_THRESHOLD)}
    return HindcastResult(cells_df, pd.DataFrame(events), summary, by_h, parameter_label(post), meta)


def error_df_of(post) -> float:
    """Degrees of freedom of the predictive error: those the posterior was fitted with."""
    if post is None:
        return DEFAULT_DF
    return float(post.provenance.get("config", {}).get("error_df", DEFAULT_DF))


def write_hindcast(res: HindcastResult, out: Path, plot: bool = True) -> Path:
    """Parquet (cells, events, summary, by_horizon, reliability) and PNG plots under ``out``."""
    from heartland.simulate.outputs import _write
    from heartland.simulate.reliability import reliability_table

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    meta = {"heartland_version": _version(), **res.meta}
    _write(res.cells, out / "hindcast_cells.parquet", meta)
    _write(res.events, out / "hindcast_events.parquet", meta)
    _write(res.summary, out / "hindcast_summary.parquet", meta)
    _write(res.by_horizon, out / "hindcast_by_horizon.parquet", meta)
    rel = reliability_table(res.events[res.events["out_of_sample"]] if res.events["out_of_sample"].any() else res.events)
    _write(rel, out / "hindcast_reliability.parquet", meta)
    if plot:
        from heartland.simulate.calibration_plots import plot_hindcast, plot_reliability

        plot_hindcast(res.by_horizon, out / "hindcast.png", title=f"Hindcast ({res.parameters})")
        plot_reliability(rel, out / "reliability.png", title="Reliability (hindcast events, out of sample)")
    return out


def _version() -> str:
    from heartland import __version__

    return __version__


def read_shocks(path: Path = SHOCKS_FILE) -> list[dict]:
    """The hindcast's dated shocks (for the docs and the report)."""
    return tomllib.loads(Path(path).read_text(encoding="utf-8")).get("shocks", [])
