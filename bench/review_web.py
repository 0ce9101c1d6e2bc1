"""Benchmark: one review action in the dashboard (POST /api/review/items/{key}) and the
item detail the page shows next (GET /api/review/items/{key}), through a live
``heartland serve`` on a store ingested from the seeds.

    .venv/bin/python bench/review_web.py [--decisions 100] [--repeat 3]

Each run copies the seed store, starts the server, lists the candidates, and for each of
``--decisions`` items fetches its detail (as the page does before a decision) and then
posts a decision (accept and reject alternately), timing both from the client. Reported:
median and 95th percentile per run (the best run's, as ``timeit`` does: the other runs
measure the machine's noise), the server's own time for the write (``Server-Timing``),
and the machine's load average, since the numbers scale with it.
Results go in docs/performance.md (## review).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "web"))


def pct(xs: list[float], q: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(q * (len(xs) - 1))))]


def one_run(seed_db: Path, n: int) -> dict:
    import httpx

    from web_store_builder import Server

    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "review.duckdb"
        shutil.copy(seed_db, db)
        srv = Server(db, Path(tmp) / "runs", Path(tmp) / "server.log")
        try:
            with httpx.Client(base_url=srv.url, timeout=120, headers={"Origin": srv.url}) as c:
                t = time.perf_counter()
                items = c.get("/api/review/items?limit=5000").json()["items"][:n]
                first_list = time.perf_counter() - t
                gets, posts, server = [], [], []
                for i, it in enumerate(items):
                    t = time.perf_counter()
                    c.get(f"/api/review/items/{it['item_key']}").raise_for_status()
                    gets.append((time.perf_counter() - t) * 1000)
                    t = time.perf_counter()
                    r = c.post(f"/api/review/items/{it['item_key']}",
                               json={"state": "accepted" if i % 2 == 0 else "rejected"})
                    posts.append((time.perf_counter() - t) * 1000)
                    r.raise_for_status()
                    server.append(r.json()["ms"])
        finally:
            srv.stop()
    return {"n": len(posts), "first_list_s": first_list, "post_med": statistics.median(posts),
            "post_p95": pct(posts, 0.95), "server_med": statistics.median(server), "server_p95": pct(server, 0.95),
            "get_med": statistics.median(gets), "get_p95": pct(gets, 0.95)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--decisions", type=int, default=100)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    from heartland import paths
    from web_store_builder import build_seed_store

    seeds = paths.seeds_dir()
    if seeds is None:
        sys.exit("the seed corpus is missing (../shared/corpus/seeds; set HEARTLAND_CORPUS)")
    with tempfile.TemporaryDirectory() as tmp:
        seed_db = build_seed_store(seeds, Path(tmp))
        runs = []
        for _ in range(args.repeat):
            load = os.getloadavg()[0]
            r = one_run(seed_db, args.decisions)
            r["load"] = load
            runs.append(r)
            print(f"  run: {r['n']} decisions; POST median {r['post_med']:.0f} ms (p95 {r['post_p95']:.0f}), "
                  f"server write {r['server_med']:.0f} ms (p95 {r['server_p95']:.0f}); next-item GET median "
                  f"{r['get_med']:.0f} ms (p95 {r['get_p95']:.0f}); first listing {r['first_list_s']:.1f} s; "
                  f"load average {load:.1f} on {os.cpu_count()} CPUs")
    best = min(runs, key=lambda r: r["post_med"])
    print(f"review action (best of {len(runs)}): POST median {best['post_med']:.0f} ms, p95 {best['post_p95']:.0f} ms; "
          f"server write median {best['server_med']:.0f} ms; next item GET median {best['get_med']:.0f} ms "
          f"(load average {best['load']:.1f} on {os.cpu_count()} CPUs)")


if __name__ == "__main__":
    main()
