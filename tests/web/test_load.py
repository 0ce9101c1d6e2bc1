"""200 concurrent clients on loopback against the real ``heartland serve``: no 5xx, p95 recorded.

Each client opens its own connection and makes ``PER_CLIENT`` requests over a mix of the
dashboard's pages and read endpoints, all at once. The latencies go to
``test-output/web-load.txt`` (docs/performance.md, "## web", quotes a run). Traffic goes to
127.0.0.1 only, bounded in count and time.
"""

from __future__ import annotations

import asyncio
import ssl
import statistics
import threading
import time

import httpx
import pytest

CLIENTS = 200
PER_CLIENT = 5
MIX = ["/api/status", "/api/influence", "/api/articles", "/api/facts?limit=20", "/", "/static/app.js",
       "/api/country/KAZ", "/api/measures", "/api/events?limit=20", "/api/scenarios"]


async def _client(base: str, i: int, out: list, tls: ssl.SSLContext) -> None:
    # one context for all (each client building its own costs ~15 ms of the loop's CPU)
    async with httpx.AsyncClient(base_url=base, timeout=60, verify=tls) as c:
        for k in range(PER_CLIENT):
            path = MIX[(i + k) % len(MIX)]
            t0 = time.perf_counter()
            try:
                r = await c.get(path)
                out.append((path, r.status_code, time.perf_counter() - t0))
            except httpx.HTTPError as exc:
                out.append((path, f"{type(exc).__name__}", time.perf_counter() - t0))


async def _run(base: str) -> list:
    out: list = []
    tls = ssl.create_default_context()
    await asyncio.gather(*(_client(base, i, out, tls) for i in range(CLIENTS)))
    return out


@pytest.mark.slow
def test_two_hundred_concurrent_clients(server, output_dir):
    with httpx.Client(base_url=server.url, timeout=120) as c:  # warm the caches (world build) first
        for path in MIX:
            assert c.get(path).status_code == 200, path
    t0 = time.perf_counter()
    # its own thread: the browser tests' Playwright may keep an event loop in this one
    box: list = []
    worker = threading.Thread(target=lambda: box.append(asyncio.run(_run(server.url))))
    worker.start()
    worker.join(600)
    assert box, "the clients did not finish in 600 s"
    results = box[0]
    wall = time.perf_counter() - t0
    assert len(results) == CLIENTS * PER_CLIENT
    failed = [r for r in results if not isinstance(r[1], int) or r[1] >= 500]
    assert not failed, failed[:10]
    assert all(r[1] == 200 for r in results), [r for r in results if r[1] != 200][:10]
    lat = sorted(r[2] for r in results)
    p50, p95, p99 = (lat[int(q * (len(lat) - 1))] for q in (0.50, 0.95, 0.99))
    lines = [f"{CLIENTS} concurrent clients x {PER_CLIENT} requests on loopback: {len(results)} requests in "
             f"{wall:.2f} s ({len(results) / wall:.0f}/s), no 5xx",
             f"latency p50 {p50 * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms, p99 {p99 * 1000:.0f} ms, "
             f"max {lat[-1] * 1000:.0f} ms, mean {statistics.fmean(lat) * 1000:.0f} ms"]
    by_path = {}
    for path, _, s in results:
        by_path.setdefault(path, []).append(s)
    for path, xs in sorted(by_path.items()):
        xs.sort()
        lines.append(f"  {path:24s} n={len(xs):3d} p50 {xs[len(xs) // 2] * 1000:6.0f} ms  "
                     f"p95 {xs[int(0.95 * (len(xs) - 1))] * 1000:6.0f} ms")
    (output_dir / "web-load.txt").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))
    with httpx.Client(base_url=server.url, timeout=20) as c:
        assert c.get("/api/status").status_code == 200  # still serving
