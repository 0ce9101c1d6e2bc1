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
from heartland.simulate.discrepancy import ERROR_NAMES, ERROR_PARAMS
from heartland.simulate.params import PARAM_NAMES, PARAMS
from heartland.simulate.posterior import Posterior, draw_rows, parameter_label, resolve_parameters
from heartland.simulate.scenario import Scenario
from heartland.simulate.start import StartWorld, load_start

CHUNK = 1024
RECORDED = ("share", "bandwidth", "influence", "overall", "capacity")
#: computed by heartland.measure from share and bandwidth (see model.indices)
INDEX_METRICS = ("influence", "overall", "division_of_labour", "parity", "dissatisfaction", "friction")


def sample_params(sc: Scenario, rng: np.random.Generator, runs: int, posterior: Posterior | None = None,
                  rng_posterior: np.random.Generator | None = None) -> dict[str, np.ndarray]:
    """Every parameter per run: the scenario's value or draw, else a posterior row's value
    (when ``posterior`` is given: one row per run, drawn with ``rng_posterior``), else the
    documented default. The scenario's draws use ``rng`` in the same fixed order either way."""
    post = draw_rows(posterior, rng_posterior, runs) if posterior is not None else {}
    out = {}
    for name in PARAM_NAMES:
        spec = sc.resolved.get(name)
        if spec is not None:
            out[name] = spec.sample(rng, runs).astype(float)
        elif name in post:
            out[name] = post[name]
        else:
            out[name] = np.full(runs, PARAMS[name].default)
    # the error model's parameters (eq. 14) ride along from the same posterior row; the model
    # ignores them, the hindcast's predictive bands use them; judgement: no discrepancy
    for name in ERROR_NAMES:
        out[name] = post[name] if name in post else np.full(runs, ERROR_PARAMS[name].default)
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


def time_major(runs: int, steps: int, shape: tuple) -> np.ndarray:
    """A (runs, steps, ...) float32 array stored step-major, so that recording one step
    writes one contiguous block (a run-major layout scatters every step's writes)."""
    return np.empty((steps, runs) + tuple(shape), dtype=np.float32).swapaxes(0, 1)


def prepare(sc: Scenario, start: StartWorld, params: dict[str, np.ndarray], rng: np.random.Generator,
            *, sample_start: bool = True, common_noise: bool = False, noise_runs: int | None = None,
            min_substeps: int = 1):
    """Set up a block of runs: (context, scheduled shocks, initial state, crisis draws (n, R|1, T),
    drift normals (n, R|1, P, T, D) or None, steps).

    ``noise_runs`` = K: draw the randomness (start world, shock draws, crises, drift) for K
    runs only and repeat it in K consecutive blocks of R / K runs: run r gets draw
    r // (R / K). Calibration lays out (replicate, walker) this way, so every parameter
    vector meets the same K replicates of the noise (common random numbers).
    """
    runs = len(next(iter(params.values())))
    params = {k: np.asarray(v, dtype=m.DTYPE) for k, v in params.items()}
    t0, n = steps_of(sc, start)
    # a fourth child for the utility drift: the first three streams are those of a 3-way spawn
    # (SeedSequence children are numbered), so runs without drift keep their numbers
    r_start, r_dates, r_crisis, r_drift = rng.spawn(4)
    k = runs
    if noise_runs is not None:
        if noise_runs < 1 or runs % noise_runs:
            raise ValueError(f"noise_runs {noise_runs} must divide the {runs} runs")
        k = noise_runs
    rep = (lambda a, axis=0: np.repeat(a, runs // k, axis=axis)) if k != runs else (lambda a, axis=0: a)
    if sample_start and not common_noise:
        B0, S0 = (rep(a) for a in start.sample(r_start, k))
    else:
        B0 = np.broadcast_to(start.bandwidth, (runs,) + start.bandwidth.shape).copy()
        S0 = np.broadcast_to(start.dependence, (runs,) + start.dependence.shape).copy()
    ctx = m.Context(t0=t0, dt=sc.dt, params=params, S0=S0.astype(m.DTYPE), B0=B0.astype(m.DTYPE),
                    alliance=start.alliance.astype(m.DTYPE), union=start.union.astype(m.DTYPE),
                    min_substeps=min_substeps)
    scheduled = sh.schedule(sc.shocks, r_dates, k, common=common_noise)
    if k != runs:
        for s in scheduled:
            s.time = rep(s.time)
            s.values = {f: rep(v) for f, v in s.values.items()}
    scheduled.sort(key=lambda s: float(np.mean(s.time)))
    m.calibrate(ctx)
    st = m.initial_state(ctx)
    for s in scheduled:  # standing conditions from shocks dated before the start
        sh.apply(s, ctx, st, s.time <= t0, standing_only=True)
    width = 1 if common_noise else k
    u = r_crisis.uniform(0.0, 1.0, (n, width, m.T))
    if width > 1:
        u = rep(u, 1)
    z = None
    if np.any(params.get("utility_volatility", 0.0) > 0):
        z = r_drift.standard_normal((n, width, m.P, m.T, m.D), dtype=np.float32)
        if width > 1:
            z = rep(z, 1)
    return ctx, scheduled, st, u, z, n


def simulate_arrays(sc: Scenario, start: StartWorld, params: dict[str, np.ndarray], rng: np.random.Generator,
                    *, sample_start: bool = True, common_noise: bool = False, noise_runs: int | None = None,
                    min_substeps: int = 1, with_indices: bool = True, out: dict | None = None) -> tuple[np.ndarray, dict, m.State]:
    """Run one block of runs; returns (times, recorded arrays (R, steps+1, ...) float32, final state).

    ``common_noise`` gives every run the same crisis draws, shock draws and the mean start
    world: what sensitivity analysis wants, so that differences come from the parameters alone.
    """
    ctx, scheduled, st, u, z, n = prepare(sc, start, params, rng, sample_start=sample_start,
                                          common_noise=common_noise, noise_runs=noise_runs,
                                          min_substeps=min_substeps)
    runs = ctx.runs
    first = m.observe(st)
    # record straight into the caller's buffers when given (no concatenation afterwards)
    rec = out if out is not None else {k: time_major(runs, n + 1, v.shape[1:]) for k, v in first.items()}
    for k, v in first.items():
        rec[k][:, 0] = v
    for i in range(n):
        t, t1 = st.t, st.t + sc.dt
        for s in scheduled:
            fire = (s.time > t) & (s.time <= t1 + 1e-9)
            if fire.any():
                sh.apply(s, ctx, st, fire)
        st = m.step(ctx, st, np.broadcast_to(u[i], (runs, m.T)), None if z is None else z[i])
        for k, v in m.observe(st).items():
            rec[k][:, i + 1] = v
    if with_indices:
        rec.update(m.indices(rec))
    times = ctx.t0 + sc.dt * np.arange(n + 1)
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


def run_chunk(sc: Scenario, start: StartWorld, seed: int, index: int, runs: int, out: dict | None = None,
              posterior: Posterior | None = None) -> ChunkResult:
    """One chunk of an ensemble: a pure function of (scenario, start, seed, index, runs, posterior)."""
    ss = np.random.SeedSequence(seed, spawn_key=(index,))
    rng = np.random.default_rng(ss)
    # the third child picks posterior rows; the first two are those of a 2-way spawn, so
    # judgement runs keep the numbers they had before calibration existed
    r_params, r_model, r_post = rng.spawn(3)
    params = sample_params(sc, r_params, runs, posterior, r_post)
    need = any(h.metric in INDEX_METRICS for h in sc.hypotheses)
    times, arrays, st = simulate_arrays(sc, start, params, r_model, with_indices=need, out=out)
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
    #: where the parameters a scenario does not set come from (posterior or judgement)
    parameters: str = "judgement (documented defaults)"
    posterior: Posterior | None = None

    @property
    def runs(self) -> int:
        return len(self.crises)

    def ensure_indices(self) -> dict[str, np.ndarray]:
        """Influence and overall influence for every run and step (heartland.measure), computed once."""
        if not all(k in self.arrays for k in INDEX_METRICS):
            self.arrays.update(m.indices(self.arrays))
        return self.arrays

    def outcome(self, hid: str) -> np.ndarray:
        h = next(h for h in self.scenario.hypotheses if h.id == hid)
        return holds(h, self.margins[hid])


def chunk_sizes(runs: int, chunk: int = CHUNK) -> list[int]:
    full, rest = divmod(runs, chunk)
    return [chunk] * full + ([rest] if rest else [])


def run_ensemble(sc: Scenario, runs: int | None = None, seed: int = 0, *, start: StartWorld | None = None,
                 client=None, progress: Callable[[int], None] | None = None, chunk: int = CHUNK,
                 db=None, parameters: str | Posterior | None = "posterior") -> EnsembleResult:
    """Run the scenario's ensemble locally, or on a Dask ``client`` when given.

    ``start``: a start world (default: the scenario's, built with the store ``db`` when given).
    ``parameters``: ``"posterior"`` (default: the bundled calibrated posterior for every
    parameter the scenario does not set; judgement when none is bundled), ``"judgement"``
    (the documented defaults) or a :class:`Posterior`.
    """
    post = resolve_parameters(parameters)
    runs = runs or sc.scenario.runs
    if runs < 1:
        raise UserError(f"--runs must be at least 1, got {runs}")
    start = start or load_start(sc.scenario.start, sc.scenario.start_year, db)
    sizes = chunk_sizes(runs, chunk)
    _, n_steps = steps_of(sc, start)
    shapes = {"share": (m.P, m.T, m.D), "bandwidth": (m.P, m.T, m.D), "capacity": (m.P, m.D)}
    arrays = {k: time_major(runs, n_steps + 1, s) for k, s in shapes.items()}
    bounds = np.concatenate([[0], np.cumsum(sizes)])
    if client is None:
        parts = []
        for i, n in enumerate(sizes):
            view = {k: a[bounds[i]:bounds[i + 1]] for k, a in arrays.items()}
            parts.append(run_chunk(sc, start, seed, i, n, out=view, posterior=post))
            if progress:
                progress(n)
    else:
        from distributed import as_completed

        # unique keys (hash=False): a later ensemble of the same scenario must not share, and so
        # lose, these futures when this call releases them
        sc_f = client.scatter(sc, broadcast=True, hash=False)
        start_f = client.scatter(start, broadcast=True, hash=False)
        post_f = None if post is None else client.scatter(post, broadcast=True, hash=False)
        futures = [client.submit(run_chunk, sc_f, start_f, seed, i, n, posterior=post_f, pure=False)
                   for i, n in enumerate(sizes)]
        pending = as_completed(futures)
        futures.clear()  # hold each result only until it is gathered: workers free its memory
        parts = []
        for fut in pending:
            part = fut.result()
            fut.release()
            parts.append(part)
            if progress:
                progress(len(part.crises))
        parts.sort(key=lambda p: p.index)
        for i, p in enumerate(parts):
            for k, a in arrays.items():
                a[bounds[i]:bounds[i + 1]] = p.arrays[k]
    res = EnsembleResult(
        scenario=sc, start=start, seed=seed, times=parts[0].times,
        arrays=arrays,
        params={k: np.concatenate([p.params[k] for p in parts]) for k in parts[0].params},
        margins={k: np.concatenate([p.margins[k] for p in parts]) for k in parts[0].margins},
        crises=np.concatenate([p.crises for p in parts]),
        interventions=np.concatenate([p.interventions for p in parts]),
        parameters=parameter_label(post), posterior=post,
    )
    res.scores = [score(h, res.outcome(h.id)) for h in sc.hypotheses]
    return res
