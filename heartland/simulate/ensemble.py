"""Ensembles: vectorised across runs, split into fixed-size chunks, reproducible by seed.

Runs are cut into chunks of ``CHUNK`` runs whatever the number of workers; chunk ``i``
draws all its randomness (parameters, start world, shock dates, crises) from
``SeedSequence(seed, spawn_key=(i,))``. So the same seed gives the same numbers run
locally in one process, chunk by chunk, or spread over any Dask cluster.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

import numpy as np

from heartland.errors import UserError
from heartland.simulate import model as m
from heartland.simulate import shocks as sh
from heartland.simulate.hypotheses import Score, holds, margin, score
from heartland.simulate.params import PARAM_NAMES, PARAMS
from heartland.simulate.scenario import Scenario
from heartland.simulate.start import StartWorld, load_start

CHUNK = 256
RECORDED = ("share", "bandwidth", "influence", "overall", "capacity")


def sample_params(sc: Scenario, rng: np.random.Generator, runs: int) -> dict[str, np.ndarray]:
    """Every parameter per run: the scenario's value or draw, else the default (fixed order)."""
    out = {}
    for name in PARAM_NAMES:
        spec = sc.resolved.get(name)
        out[name] = np.full(runs, PARAMS[name].default) if spec is None else spec.sample(rng, runs).astype(float)
    return out


def steps_of(sc: Scenario, start: StartWorld) -> tuple[float, int]:
    t0 = float(start.year)
    n = int(round((sc.scenario.horizon - t0) / sc.dt))
    if n < 1:
        raise UserError(f"horizon {sc.scenario.horizon} is not after the start year {start.year}", path=sc.path)
    for h in sc.hypotheses:
        if h.year < t0 + sc.dt - 1e-9 and not (h.when == "at" and h.year >= t0):
            raise UserError(f"hypothesis {h.id!r}: year {h.year} is before the first step after "
                            f"the start ({start.year})", path=sc.path)
    return t0, n


def simulate_arrays(sc: Scenario, start: StartWorld, params: dict[str, np.ndarray], rng: np.random.Generator,
                    *, sample_start: bool = True, common_noise: bool = False) -> tuple[np.ndarray, dict, m.State]:
    """Run one block of runs; returns (times, recorded arrays (R, steps+1, ...) float32, final state).

    ``common_noise`` gives every run the same crisis draws and the mean start world: what
    sensitivity analysis wants, so that differences come from the parameters alone.
    """
    runs = len(next(iter(params.values())))
    t0, n = steps_of(sc, start)
    r_start, r_dates, r_crisis = rng.spawn(3)
    if sample_start and not common_noise:
        B0, S0 = start.sample(r_start, runs)
    else:
        B0 = np.broadcast_to(start.bandwidth, (runs,) + start.bandwidth.shape).copy()
        S0 = np.broadcast_to(start.dependence, (runs,) + start.dependence.shape).copy()
    ctx = m.Context(t0=t0, dt=sc.dt, params=params, S0=S0, B0=B0, alliance=start.alliance, union=start.union)
    scheduled = sh.schedule(sc.shocks, r_dates, runs, common=common_noise)
    scheduled.sort(key=lambda s: float(np.mean(s.time)))
    m.calibrate(ctx)
    st = m.initial_state(ctx)
    for s in scheduled:  # standing conditions from shocks dated before the start
        sh.apply(s, ctx, st, s.time <= t0, standing_only=True)
    noise_runs = 1 if common_noise else runs
    u = r_crisis.uniform(0.0, 1.0, (n, noise_runs, m.T))
    rec = {k: np.empty((runs, n + 1) + v.shape[1:], dtype=np.float32) for k, v in m.observe(st).items()}
    for k, v in m.observe(st).items():
        rec[k][:, 0] = v
    for i in range(n):
        t, t1 = st.t, st.t + sc.dt
        for s in scheduled:
            fire = (s.time > t) & (s.time <= t1 + 1e-9)
            if fire.any():
                sh.apply(s, ctx, st, fire)
        st = m.step(ctx, st, np.broadcast_to(u[i], (runs, m.T)))
        for k, v in m.observe(st).items():
            rec[k][:, i + 1] = v
    times = t0 + sc.dt * np.arange(n + 1)
    return times, rec, st


@dataclass
class ChunkResult:
    index: int
    times: np.ndarray
    arrays: dict[str, np.ndarray]
    params: dict[str, np.ndarray]
    margins: dict[str, np.ndarray]
    crises: np.ndarray
    interventions: np.ndarray


def run_chunk(sc: Scenario, start: StartWorld, seed: int, index: int, runs: int) -> ChunkResult:
    """One chunk of an ensemble: a pure function of (scenario, start, seed, index, runs)."""
    ss = np.random.SeedSequence(seed, spawn_key=(index,))
    rng = np.random.default_rng(ss)
    r_params, r_model = rng.spawn(2)
    params = sample_params(sc, r_params, runs)
    times, arrays, st = simulate_arrays(sc, start, params, r_model)
    margins = {h.id: margin(h, times, arrays) for h in sc.hypotheses}
    return ChunkResult(index, times, arrays, params, margins, st.crises.copy(), st.interventions.copy())


@dataclass
class EnsembleResult:
    scenario: Scenario
    start: StartWorld
    seed: int
    times: np.ndarray
    arrays: dict[str, np.ndarray]
    params: dict[str, np.ndarray]
    margins: dict[str, np.ndarray]
    crises: np.ndarray
    interventions: np.ndarray
    scores: list[Score] = field(default_factory=list)

    @property
    def runs(self) -> int:
        return len(self.crises)

    def outcome(self, hid: str) -> np.ndarray:
        h = next(h for h in self.scenario.hypotheses if h.id == hid)
        return holds(h, self.margins[hid])


def chunk_sizes(runs: int, chunk: int = CHUNK) -> list[int]:
    full, rest = divmod(runs, chunk)
    return [chunk] * full + ([rest] if rest else [])


def run_ensemble(sc: Scenario, runs: int | None = None, seed: int = 0, *, start: StartWorld | None = None,
                 client=None, progress: Callable[[int], None] | None = None, chunk: int = CHUNK) -> EnsembleResult:
    """Run the scenario's ensemble locally, or on a Dask ``client`` when given."""
    runs = runs or sc.scenario.runs
    if runs < 1:
        raise UserError(f"--runs must be at least 1, got {runs}")
    start = start or load_start(sc.scenario.start, sc.scenario.start_year)
    sizes = chunk_sizes(runs, chunk)
    if client is None:
        parts = []
        for i, n in enumerate(sizes):
            parts.append(run_chunk(sc, start, seed, i, n))
            if progress:
                progress(n)
    else:
        from distributed import as_completed

        sc_f, start_f = client.scatter(sc, broadcast=True), client.scatter(start, broadcast=True)
        futures = [client.submit(run_chunk, sc_f, start_f, seed, i, n, pure=False) for i, n in enumerate(sizes)]
        parts = []
        for fut in as_completed(futures):
            part = fut.result()
            parts.append(part)
            if progress:
                progress(len(part.crises))
        parts.sort(key=lambda p: p.index)
    res = EnsembleResult(
        scenario=sc, start=start, seed=seed, times=parts[0].times,
        arrays={k: np.concatenate([p.arrays[k] for p in parts]) for k in parts[0].arrays},
        params={k: np.concatenate([p.params[k] for p in parts]) for k in parts[0].params},
        margins={k: np.concatenate([p.margins[k] for p in parts]) for k in parts[0].margins},
        crises=np.concatenate([p.crises for p in parts]),
        interventions=np.concatenate([p.interventions for p in parts]),
    )
    res.scores = [score(h, res.outcome(h.id)) for h in sc.hypotheses]
    return res
