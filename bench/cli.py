"""Benchmark: the everyday commands' process time on a store of 10,000 generated articles.

Each command runs as a user runs it (a fresh ``python -m heartland.cli`` process); its
time is the process's CPU time (user + system, from ``getrusage`` of the finished child)
and its wall time, each minus a bare ``python -c pass`` measured in the same run, so the
interpreter's start-up, which no code of ours can remove, is not counted against us.
Each command is run ``--repeat`` times and the fastest kept. The store is the one
bench/review.py generates (articles with made-up text, facts, events, quotes, names);
``report`` runs on a store of the five seed articles (../shared/corpus/seeds).

    .venv/bin/python bench/cli.py [--articles 10000] [--repeat 3] [--no-report]

Targets (issue 17): --help <= 0.3 s; articles, facts, events, quotes <= 0.5 s; explain
<= 0.5 s after the first build; report on the seeds <= 5 s. Results: docs/performance.md
("everyday commands").
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from review import make_store  # noqa: E402  (the generator bench/review.py uses)

TARGETS = {"--help": 0.3, "articles": 0.5, "facts": 0.5, "events": 0.5, "quotes": 0.5, "explain": 0.5,
           "report": 5.0}


def timed(cmd: list[str], env: dict, repeat: int) -> tuple[float, float, str]:
    """Fastest (CPU, wall) of ``repeat`` runs of ``cmd``, and the last run's output (for checks)."""
    best_cpu = best_wall = float("inf")
    out = ""
    for _ in range(repeat):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        res = subprocess.run(cmd, env=env, capture_output=True, text=True)
        wall = time.perf_counter() - t0
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if res.returncode != 0:
            sys.exit(f"bench/cli.py: {' '.join(cmd[1:])} failed ({res.returncode}): {res.stderr.strip()[-400:]}")
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        best_cpu, best_wall = min(best_cpu, cpu), min(best_wall, wall)
        out = res.stdout
    return best_cpu, best_wall, out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--articles", type=int, default=10_000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--no-report", action="store_true", help="Skip the report on the seeds (slowest row).")
    args = ap.parse_args()
    py = sys.executable
    hl = [py, "-m", "heartland.cli"]
    rows: list[tuple[str, str, float, float]] = []
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.duckdb"
        t0 = time.perf_counter()
        counts = make_store(db, args.articles)
        print(f"store: {counts} in {time.perf_counter() - t0:.1f} s", flush=True)
        env = dict(os.environ, HEARTLAND_DB=str(db), COLUMNS="160")
        base_cpu, base_wall, _ = timed([py, "-c", "pass"], env, args.repeat * 2)
        first_id = f"{0:016x}"
        cases = [
            ("--help", ["--help"]),
            ("articles", ["articles", "--format", "json"]),
            ("articles", ["articles"]),
            ("facts", ["facts", "--actor", "KAZ", "--since", "2024"]),
            ("facts", ["facts", "--format", "json"]),
            ("events", ["events", "--type", "summit", "--since", "2024"]),
            ("quotes", ["quotes", "--article", first_id]),
            ("quotes", ["quotes", "--format", "json"]),
        ]
        for label, a in cases:
            cpu, wall, _ = timed(hl + a, env, args.repeat)
            rows.append((label, " ".join(a) or "--help", cpu - base_cpu, wall - base_wall))
            print(f"  {rows[-1][1]:<40} cpu {rows[-1][2]:.2f} s  wall {rows[-1][3]:.2f} s", flush=True)
        explain = ["explain", "RUS", "KAZ", "security", "--date", "2024"]
        cpu, wall, _ = timed(hl + explain, env, 1)  # the first build (persisted in the store's cache)
        rows.append(("explain (first build)", " ".join(explain), cpu - base_cpu, wall - base_wall))
        cpu, wall, _ = timed(hl + explain, env, args.repeat)
        rows.append(("explain", " ".join(explain) + " (again)", cpu - base_cpu, wall - base_wall))
        for r in rows[-2:]:
            print(f"  {r[1]:<40} cpu {r[2]:.2f} s  wall {r[3]:.2f} s", flush=True)
        if not args.no_report:
            from heartland import paths

            seeds = paths.seeds_dir()
            if seeds is None:
                print("report: skipped (no seed corpus at ../shared/corpus/seeds; set HEARTLAND_CORPUS)")
            else:
                sdb = Path(tmp) / "seeds.duckdb"
                subprocess.run(hl + ["ingest", str(seeds), "--db", str(sdb)], check=True, capture_output=True)
                senv = dict(env, HEARTLAND_DB=str(sdb))
                out = str(Path(tmp) / "report.html")
                cpu, wall, _ = timed(hl + ["report", "--out", out], senv, 1)
                rows.append(("report (first)", "report (seeds store, first)", cpu - base_cpu, wall - base_wall))
                cpu, wall, _ = timed(hl + ["report", "--out", out], senv, max(1, args.repeat - 1))
                rows.append(("report", "report (seeds store, again)", cpu - base_cpu, wall - base_wall))
                for r in rows[-2:]:
                    print(f"  {r[1]:<40} cpu {r[2]:.2f} s  wall {r[3]:.2f} s", flush=True)
    print(f"\nbaseline `python -c pass`: cpu {base_cpu:.3f} s, wall {base_wall:.3f} s (subtracted below); "
          f"load average {os.getloadavg()[0]:.1f}")
    print("| command | cpu − baseline | wall − baseline | target | holds |")
    print("|---|---|---|---|---|")
    for label, cmd, cpu, wall in rows:
        target = TARGETS.get(label.split(" ")[0]) if "first" not in label else None
        holds = "" if target is None else ("yes" if cpu <= target else "**no**")
        print(f"| `heartland {cmd}` | {cpu:.2f} s | {wall:.2f} s | {'' if target is None else f'≤ {target:g} s'} "
              f"| {holds} |")


if __name__ == "__main__":
    main()
