"""Dashboard API latency under 20 concurrent clients vs reading the same answer from the store.

For each main endpoint: 20 asyncio clients (httpx) on loopback send REQUESTS requests in
total to a live ``heartland serve`` (uvicorn, one worker) and we record each request's
latency; the alternative is what a notebook user would do instead: call the same
library read in-process (DuckDB read-only connection + query, or the cached world and
indices), one call at a time. The ratio says what HTTP, JSON and contention add.

    .venv/bin/python bench/web.py            # seeds store built in a temp dir; prints a table
    .venv/bin/python bench/web.py --requests 200

Traffic goes only to 127.0.0.1, bounded in count and time; the server is stopped at the end.
"""

from __future__ import annotations

import argparse
import asyncio
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

from heartland import paths
from heartland.report import evidence, stages
from heartland.report.readmodel import connect_ro

CLIENTS = 20


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def build_store(folder: Path) -> Path:
    db = folder / "bench.duckdb"
    seeds = paths.seeds_dir()
    if seeds is None:
        sys.exit("bench/web.py: the seed corpus (../shared/corpus/seeds) is needed to fill the store")
    subprocess.run([sys.executable, "-m", "heartland.cli", "ingest", str(seeds), "--db", str(db)],
                   check=True, capture_output=True, timeout=600)
    return db


def _fresh_panel(db: Path):
    """What a notebook user runs for the map: build the world from the store, compute the indices."""
    stages._cache.clear()
    return stages.influence_panel(db)


def endpoints(db: Path, year: int) -> list[tuple[str, str, callable]]:
    """(name, URL path, the same answer read straight from the store in-process)."""
    def articles():
        with connect_ro(db) as c:
            return evidence.list_articles(c)

    def facts():
        with connect_ro(db) as c:
            return evidence.list_items(c, "facts", limit=100)

    def events():
        with connect_ro(db) as c:
            return evidence.list_items(c, "events", limit=100)

    def article():
        with connect_ro(db) as c:
            return evidence.get_article(c, first_id)

    with connect_ro(db) as c:
        first_id = c.execute("SELECT id FROM articles ORDER BY id LIMIT 1").fetchone()[0]
    return [
        ("articles", "/api/articles", articles),
        ("article", f"/api/articles/{first_id}", article),
        ("facts", "/api/facts?limit=100", facts),
        ("events", "/api/events?limit=100", events),
        ("influence", f"/api/influence?year={year}", lambda: _fresh_panel(db)),
        ("country", "/api/country/KAZ", lambda: _fresh_panel(db)),
        ("explain", f"/api/explain?patron=RUS&target=KAZ&domain=security&year={year}",
         lambda: stages.explain(db, "RUS", "KAZ", "security", year)),
    ]


async def hammer(url: str, n: int) -> list[float]:
    lat: list[float] = []
    per_client = max(1, n // CLIENTS)
    limits = httpx.Limits(max_connections=CLIENTS, max_keepalive_connections=CLIENTS)
    async with httpx.AsyncClient(timeout=30, limits=limits) as client:
        async def one_client():
            for _ in range(per_client):
                t0 = time.perf_counter()
                r = await client.get(url)
                lat.append(time.perf_counter() - t0)
                if r.status_code != 200:
                    raise RuntimeError(f"{url}: HTTP {r.status_code}")
        await asyncio.wait_for(asyncio.gather(*(one_client() for _ in range(CLIENTS))), timeout=300)
    return lat


def pct(xs: list[float], q: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(q * len(xs)))]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--requests", type=int, default=400, help="requests per endpoint (over 20 clients)")
    ap.add_argument("--direct", type=int, default=50, help="direct in-process reads per endpoint")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = build_store(Path(tmp))
        year = stages.influence_panel(db)["years"][-1]
        port = free_port()
        server = subprocess.Popen([sys.executable, "-m", "heartland.cli", "serve", "--port", str(port),
                                   "--db", str(db), "--runs-dir", str(Path(tmp) / "runs")],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        base = f"http://127.0.0.1:{port}"
        try:
            for _ in range(300):
                try:
                    if httpx.get(base + "/api/status", timeout=2).status_code == 200:
                        break
                except httpx.HTTPError:
                    time.sleep(0.2)
            rows = []
            for name, path, direct in endpoints(db, year):
                httpx.get(base + path, timeout=120)  # warm the server's caches (world, indices)
                direct()  # and ours
                d = []
                for _ in range(args.direct if name not in ("influence", "country") else 3):
                    t0 = time.perf_counter()
                    direct()
                    d.append(time.perf_counter() - t0)
                t0 = time.perf_counter()
                lat = asyncio.run(hammer(base + path, args.requests))
                wall = time.perf_counter() - t0
                rows.append((name, statistics.median(lat), pct(lat, 0.95), statistics.median(d), len(lat),
                             len(lat) / wall))
        finally:
            server.terminate()
            server.wait(10)
    print(f"{'endpoint':<10} {'n':>5} {'http p50 ms':>12} {'http p95 ms':>12} {'req/s':>7} {'direct p50 ms':>14} "
          f"{'ratio p50':>10}")
    for name, p50, p95, dmed, n, rps in rows:
        print(f"{name:<10} {n:>5} {p50 * 1e3:>12.1f} {p95 * 1e3:>12.1f} {rps:>7.0f} {dmed * 1e3:>14.2f} "
              f"{p50 / dmed:>10.2f}")


if __name__ == "__main__":
    main()
