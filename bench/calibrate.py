"""Benchmark: calibration's likelihood evaluations on one Dask worker against two.

A short emcee fit (``--steps`` iterations, the full calibration's walkers, replicates and
starts) is timed in one process, then on a LocalCluster of one and of two single-threaded
worker processes, interleaved over ``--rounds`` rounds; the ratio one worker / two workers
is what ``heartland calibrate --workers 2`` gains. The posterior draws must be identical
whatever the number of workers (checked). The cache is bypassed.

Usage:  .venv/bin/python bench/calibrate.py [--steps 12] [--rounds 2]
Results go in docs/performance.md (## calibrate).
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from heartland.simulate.calibrate import CalibrationConfig, fit  # noqa: E402


def timed(cfg, client):
    t, c = time.perf_counter(), time.process_time()
    f = fit(cfg, client=client, use_cache=False)
    return time.perf_counter() - t, time.process_time() - c, f.samples


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--steps", type=int, default=12)
    ap.add_argument("--rounds", type=int, default=2)
    a = ap.parse_args()
    from distributed import Client, LocalCluster

    cfg = CalibrationConfig(steps=a.steps, burn=a.steps // 2, thin=1)
    print(f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"NumPy {np.__version__}; load {os.getloadavg()}")
    timed(cfg, None)  # warm the world cache and imports
    rows = []
    ref = None
    with LocalCluster(n_workers=1, threads_per_worker=1, processes=True, dashboard_address=None) as c1, \
            Client(c1) as one, \
            LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as c2, \
            Client(c2) as two:
        for r in range(a.rounds):
            local = timed(cfg, None)
            w1 = timed(cfg, one)
            w2 = timed(cfg, two)
            for s in (local[2], w1[2], w2[2]):
                ref = s if ref is None else ref
                assert np.array_equal(ref, s), "the posterior depends on the number of workers"
            rows.append((local[0], w1[0], w2[0]))
            print(f"round {r + 1}: in-process {local[0]:.1f} s, 1 worker {w1[0]:.1f} s, 2 workers {w2[0]:.1f} s: "
                  f"1 worker / 2 workers = {w1[0] / w2[0]:.2f}x; load {os.getloadavg()[0]:.1f}")
    t = np.array(rows)
    print(f"best: in-process {t[:, 0].min():.1f} s, 1 worker {t[:, 1].min():.1f} s, 2 workers {t[:, 2].min():.1f} s; "
          f"ratio of bests {t[:, 1].min() / t[:, 2].min():.2f}x; median per-round ratio "
          f"{np.median(t[:, 1] / t[:, 2]):.2f}x; per iteration (2 workers) {t[:, 2].min() / cfg.steps:.2f} s")


if __name__ == "__main__":
    main()
