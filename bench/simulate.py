"""Benchmark: ensemble throughput (run-steps per second) of heartland.simulate.

1. The vectorised NumPy ensemble against a straightforward agent-per-country Mesa
   implementation of the same model (bench/mesa_simulate.py), as a ratio in one run. The
   two are first checked to produce the same trajectories from the same inputs.
2. Scaling of the vectorised ensemble from one to two Dask workers (LocalCluster, processes).

Usage:  .venv/bin/python bench/simulate.py [--runs 20000] [--mesa-runs 40] [--dask-runs 40000]
Results go in docs/performance.md (## simulate).
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from mesa_simulate import RegionModel  # noqa: E402

from heartland.simulate import model as vm  # noqa: E402
from heartland.simulate.ensemble import prepare, run_ensemble, sample_params  # noqa: E402
from heartland.simulate.scenario import parse_scenario  # noqa: E402
from heartland.simulate.start import builtin_start  # noqa: E402

SCENARIO = """
[scenario]
name = "bench"
title = "Benchmark: war drain with random crises, 2023-2035 yearly"
start = "builtin"
horizon = 2035
step = "year"

[parameters]
war_drain_security = { dist = "uniform", low = 0.02, high = 0.12 }
growth_chn = { dist = "triangular", low = 0.01, mode = 0.03, high = 0.05 }
hedging_tolerance = { dist = "interval", low = 0.45, high = 0.65 }
conversion_chn = { dist = "uniform", low = 0.0, high = 0.1 }
crisis_hazard = { dist = "uniform", low = 0.02, high = 0.08 }

[[shocks]]
kind = "war_start"
date = "2022-02-24"
patron = "RUS"

[[hypotheses]]
id = "chn_sec_tjk"
statement = "China's security share in Tajikistan exceeds Russia's by 2030"
metric = "share"
patron = "CHN"
versus = "RUS"
target = "TJK"
domain = "security"
year = 2030
"""


def mesa_runs(sc, start, runs: int, seed: int) -> tuple[tuple[float, float], np.ndarray, np.ndarray]:
    """Time Mesa over ``runs`` runs; return ((wall s, CPU s), Mesa final shares, vectorised final shares)."""
    params = sample_params(sc, np.random.default_rng(seed), runs)
    ctx, _, st, u, _, n = prepare(sc, start, params, np.random.default_rng(seed + 1))
    n_sub = vm.substeps(ctx)
    war = st.war.copy()
    t, c = time.perf_counter(), time.process_time()
    finals = []
    for r in range(runs):
        model = RegionModel(ctx, r, war[r].tolist(), u[:, r, :], n_sub)
        for _ in range(n):
            model.step()
        finals.append(model.shares())
    elapsed = (time.perf_counter() - t, time.process_time() - c)
    # the vectorised model from the same inputs
    for i in range(n):
        st = vm.step(ctx, st, u[i])
    return elapsed, np.array(finals), st.S


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=20000)
    ap.add_argument("--mesa-runs", type=int, default=40)
    ap.add_argument("--dask-runs", type=int, default=40000)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--no-dask", action="store_true")
    a = ap.parse_args()
    sc = parse_scenario(SCENARIO, "bench.toml")
    start = builtin_start(2023)
    steps = int(round((sc.scenario.horizon - start.year) / sc.dt))
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    print(f"scenario: {steps} yearly steps, 6 patrons x 5 targets x 5 domains")

    # 1. equivalence: the same inputs give the same trajectories
    _, s_mesa, s_vec = mesa_runs(sc, start, a.mesa_runs, seed=1)
    err = float(np.abs(s_mesa - s_vec).max())
    print(f"Mesa vs vectorised, same inputs: max |share difference| after {steps} steps = {err:.2e}")
    if err > 1e-4:  # float32 ensemble state against float64 Python
        sys.exit("the two implementations disagree: the comparison would be meaningless")

    # 2. throughput, interleaved rounds. The machine is shared, so each round times both back
    #    to back, and CPU time (time.process_time, this process only; both are single-threaded)
    #    is reported beside wall time: it does not count the time other processes hold the cores.
    run_ensemble(sc, runs=512, seed=0, start=start)  # warm-up
    rows = []
    for rnd in range(a.rounds):
        (w_mesa, c_mesa), _, _ = mesa_runs(sc, start, a.mesa_runs, seed=10 + rnd)
        t, c = time.perf_counter(), time.process_time()
        run_ensemble(sc, runs=a.runs, seed=rnd, start=start)  # sampling, calibration, stepping, hypotheses
        w_vec, c_vec = time.perf_counter() - t, time.process_time() - c
        r = {"mesa_wall": a.mesa_runs * steps / w_mesa, "mesa_cpu": a.mesa_runs * steps / c_mesa,
             "vec_wall": a.runs * steps / w_vec, "vec_cpu": a.runs * steps / c_vec}
        rows.append(r)
        print(f"round {rnd + 1}: Mesa {a.mesa_runs} runs {w_mesa:.2f} s wall / {c_mesa:.2f} s CPU; "
              f"vectorised {a.runs} runs {w_vec:.2f} s wall / {c_vec:.2f} s CPU; "
              f"ratio {r['vec_wall'] / r['mesa_wall']:,.0f}x wall, {r['vec_cpu'] / r['mesa_cpu']:,.0f}x CPU")
    for kind in ("wall", "cpu"):
        m_best = max(r[f"mesa_{kind}"] for r in rows)
        v_best = max(r[f"vec_{kind}"] for r in rows)
        med = np.median([r[f"vec_{kind}"] / r[f"mesa_{kind}"] for r in rows])
        print(f"{kind:4s}: best Mesa {m_best:,.0f} run-steps/s, best vectorised {v_best:,.0f} run-steps/s, "
              f"ratio of bests {v_best / m_best:,.0f}x, median per-round ratio {med:,.0f}x")

    # 3. Dask scaling
    if a.no_dask:
        return
    from distributed import Client, LocalCluster

    rates = {}
    for k in (1, 2):
        with LocalCluster(n_workers=k, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, \
                Client(cluster) as client:
            run_ensemble(sc, runs=1024, seed=0, start=start, client=client, chunk=512)  # warm-up
            t = time.perf_counter()
            run_ensemble(sc, runs=a.dask_runs, seed=0, start=start, client=client, chunk=2048)
            el = time.perf_counter() - t
        rates[k] = a.dask_runs * steps / el
        print(f"Dask LocalCluster {k} worker(s): {a.dask_runs} runs in {el:.2f} s = {rates[k]:,.0f} run-steps/s")
    print(f"scaling 1 -> 2 workers: {rates[2] / rates[1]:.2f}x")


if __name__ == "__main__":
    main()
