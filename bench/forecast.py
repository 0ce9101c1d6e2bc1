"""Benchmark: heartland.forecast against the fastest faithful public replication.

The replication is jmckib/bdm-scholz-expected-utility-model in dmasad's Python 3 fork
(``bdm_scholz_model.py``), fetched for the benchmark only and never committed. Point
``--reference`` (or ``$HEARTLAND_BDM_REFERENCE``) at the directory holding that file.

    .venv/bin/python bench/forecast.py --reference /tmp/ref/dmasad_py3

For each case it checks that both give the same output, then prints the time of each
and the ratio in one run. The replication costs O(n^6) per round (each actor's risk
exponent recomputes every actor's danger, each E(U) re-sums all votes), so for 50 and
100 actors a full round of it would take hours: there the benchmark times single
E(U) calls of the replication, multiplies by the exact number of calls a round makes
(counted, and checked against full rounds at 10 and 17 actors), and checks sampled
E(U) values against ours.

``--write-reference FILE`` stores the replication's numbers for the tests
(tests/forecast/data/replication_reference.json).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from heartland.forecast.model import play_round, simulate  # noqa: E402
from heartland.forecast.options import ModelOptions  # noqa: E402

#: The options that match the replication's code (its capitulation test never holds).
MATCH = ModelOptions(capitulation="never")

EC = [("Netherlands", 0.08, 4, 0.8), ("Belgium", 0.08, 7, 0.4), ("Luxembourg", 0.03, 4, 0.2),
      ("Germany", 0.16, 4, 0.8), ("France", 0.16, 10, 0.6), ("Italy", 0.16, 10, 0.6),
      ("UK", 0.16, 10, 0.9), ("Ireland", 0.05, 7, 0.1), ("Denmark", 0.05, 4, 1.0),
      ("Greece", 0.08, 7, 0.7)]


def load_reference(path: str):
    src = Path(path) / "bdm_scholz_model.py"
    if not src.is_file():
        return None
    spec = importlib.util.spec_from_file_location("bdm_scholz_model", src)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def random_issue(n: int, seed: int) -> list[tuple[str, float, float, float]]:
    """Integer positions 0-100 (so actors share positions, as in real issue files)."""
    rng = np.random.default_rng(seed)
    return [(f"A{i}", float(rng.uniform(0.05, 1.0)), float(rng.integers(0, 101)),
             float(rng.uniform(0.1, 1.0))) for i in range(n)]


def ref_model(mod, actors):
    rows = [{"Actor": a, "Capability": c, "Position": x, "Salience": s} for a, c, x, s in actors]
    return mod.BDMScholzModel(rows, verbose=False)


def ref_run(mod, actors, rounds):
    model = ref_model(mod, actors)
    pos = [[a.x for a in model.actors]]
    risk, means = [], [model.mean_position()]
    for _ in range(rounds):
        model.update_risk_aversions()
        risk.append([a.r for a in model.actors])
        model.update_positions()
        pos.append([a.x for a in model.actors])
        means.append(model.mean_position())
    return np.array(pos), np.array(risk), np.array(means)


def arrays(actors):
    _, c, x, s = zip(*actors)
    return np.array(x, float), np.array(c, float), np.array(s, float)


def ours(actors, rounds):
    x, c, s = arrays(actors)
    return simulate(x, c, s, rounds, MATCH)


def best_time(fn, min_total=0.5, max_reps=200):
    times = []
    start = time.perf_counter()
    while len(times) < max_reps and (time.perf_counter() - start < min_total or len(times) < 3):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def full_case(mod, label, actors, rounds):
    t = time.perf_counter()
    pos, risk, means = ref_run(mod, actors, rounds)
    t_ref = time.perf_counter() - t
    sim = ours(actors, rounds)
    diff = max(np.abs(sim.positions[0] - pos).max(), np.abs(sim.risk[0] - risk).max(),
               np.abs(sim.mean[0] - means).max())
    t_ours = best_time(lambda: ours(actors, rounds))
    return dict(case=label, n=len(actors), rounds=rounds, ref_s=t_ref, ours_s=t_ours,
                ratio=t_ref / t_ours, max_abs_diff=float(diff), method="full run")


def calls_per_round(x: np.ndarray) -> int:
    """E(U) calls in one replication round. Risk step: each of the n actors computes
    the n actors' dangers and its own again, (n + 1)(n - 1) calls each; offers: two
    calls for every ordered pair of actors at different positions."""
    n = len(x)
    pairs = int((x[:, None] != x[None, :]).sum())
    return n * (n + 1) * (n - 1) + 2 * pairs


def extrapolated_case(mod, label, actors, samples=4):
    n = len(actors)
    x, c, s = arrays(actors)
    span = x.max() - x.min()
    out = play_round(x[None], s[None], (c * s)[None], np.array([span]), MATCH)
    model = ref_model(mod, actors)
    for a, r in zip(model.actors, out.risk[0]):
        a.r = float(r)
    rng = np.random.default_rng(n)
    diffs, times = [], []
    for _ in range(samples):
        i, j = (int(v) for v in rng.choice(n, 2, replace=False))
        ai, aj = model.actors[i], model.actors[j]
        t = time.perf_counter()
        e_ij = ai.eu_challenge(ai, aj)
        times.append(time.perf_counter() - t)
        e_ji = ai.eu_challenge(aj, ai)
        if ai.x != aj.x:
            diffs += [abs(e_ij - out.eu_ij[0, i, j]), abs(e_ji - out.eu_ji[0, i, j])]
    t_call = float(min(times))  # the machine is shared: the least-disturbed call
    calls = calls_per_round(x)
    t_ref = t_call * calls
    t_ours = best_time(lambda: play_round(x[None], s[None], (c * s)[None], np.array([span]), MATCH))
    return dict(case=label, n=n, rounds=1, ref_s=t_ref, ours_s=t_ours, ratio=t_ref / t_ours,
                max_abs_diff=float(max(diffs) if diffs else 0.0),
                method=f"replication extrapolated: fastest of {samples} E(U) calls x {calls} calls")


def check_extrapolation(mod, actors):
    """Predicted vs measured replication round time (validates the call-count model)."""
    model = ref_model(mod, actors)
    x = np.array([a.x for a in model.actors])
    a, b = model.actors[0], model.actors[1]
    t_call = best_time(lambda: a.eu_challenge(a, b), min_total=0.3)
    counter = {"calls": 0}
    original = mod.Actor.eu_challenge

    def counted(self, i, j):
        counter["calls"] += 1
        return original(self, i, j)

    mod.Actor.eu_challenge = counted
    try:
        t = time.perf_counter()
        model.update_risk_aversions()
        model.update_positions()
        measured = time.perf_counter() - t
    finally:
        mod.Actor.eu_challenge = original
    return measured, t_call * calls_per_round(x), counter["calls"], calls_per_round(x)


def monte_carlo_rate(n=10, runs=2000, rounds=10):
    x, c, s = arrays(EC) if n == 10 else arrays(random_issue(n, 7))
    rng = np.random.default_rng(0)
    xs = np.clip(x + rng.normal(0, 0.3, (runs, n)), x.min(), x.max())
    t = best_time(lambda: simulate(xs, c, s, rounds), min_total=0.5, max_reps=5)
    return runs * rounds / t


def write_reference(mod, path: Path):
    rounds = 10
    pos, risk, means = ref_run(mod, EC, rounds)
    rnd = random_issue(12, 2011)
    pos2, risk2, means2 = ref_run(mod, rnd, 4)
    doc = {
        "note": ("Numbers produced by running the public replication jmckib/bdm-scholz-"
                 "expected-utility-model (dmasad's Python 3 fork, commit d7c7bba, file "
                 "bdm_scholz_model.py): BDMScholzModel(rows, verbose=False), then per round "
                 "update_risk_aversions() and update_positions(); recorded after each round: "
                 "every actor's position and risk exponent and mean_position(). Regenerate "
                 "with: .venv/bin/python bench/forecast.py --reference DIR --write-reference "
                 "tests/forecast/data/replication_reference.json"),
        "cases": {
            "ec_emissions_1989": {
                "actors": [{"actor": a, "capability": c, "position": x, "salience": s} for a, c, x, s in EC],
                "rounds": rounds, "positions": pos.tolist(), "risk": risk.tolist(),
                "mean": means.tolist()},
            "random_12": {
                "actors": [{"actor": a, "capability": c, "position": x, "salience": s} for a, c, x, s in rnd],
                "rounds": 4, "positions": pos2.tolist(), "risk": risk2.tolist(), "mean": means2.tolist()},
        },
    }
    path.write_text(json.dumps(doc, indent=1) + "\n")
    print(f"wrote {path}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--reference", default=os.environ.get("HEARTLAND_BDM_REFERENCE", "/tmp/ref/dmasad_py3"))
    ap.add_argument("--write-reference", type=Path)
    ap.add_argument("--quick", action="store_true", help="skip the 17-actor full round")
    args = ap.parse_args()
    mod = load_reference(args.reference)
    if mod is None:
        print(f"bench/forecast.py: no bdm_scholz_model.py in {args.reference}; fetch dmasad's Python 3 fork of "
              "jmckib/bdm-scholz-expected-utility-model and pass --reference DIR for the comparison. "
              "heartland's own timings follow.")
        x, c, s = arrays(random_issue(100, 100))
        t100 = best_time(lambda: play_round(x[None], s[None], (c * s)[None], np.array([x.max() - x.min()]), MATCH))
        print(f"heartland, one round of 100 actors: {t100 * 1000:.1f} ms (goal < 100 ms)")
        print(f"heartland Monte Carlo, EC example: {monte_carlo_rate():,.0f} run-rounds/s (2000 runs vectorised)")
        return
    if args.write_reference:
        write_reference(mod, args.write_reference)
        return
    rows = [full_case(mod, "EC example (paper)", EC, 10),
            full_case(mod, "random", random_issue(10, 10), 3)]
    if not args.quick:
        rows.append(full_case(mod, "random", random_issue(17, 17), 1))
    for n in (10, 17, 50, 100):
        rows.append(extrapolated_case(mod, "random", random_issue(n, n), samples=3 if n == 100 else 5))
    print(f"{'case':<20} {'n':>4} {'rounds':>6} {'replication s':>14} {'heartland s':>12} "
          f"{'ratio':>10} {'max |diff|':>11}  method")
    for r in rows:
        print(f"{r['case']:<20} {r['n']:>4} {r['rounds']:>6} {r['ref_s']:>14.4g} {r['ours_s']:>12.4g} "
              f"{r['ratio']:>9.0f}x {r['max_abs_diff']:>11.1e}  {r['method']}")
    for n in (10, 17):
        measured, predicted, counted, formula = check_extrapolation(mod, random_issue(n, n))
        print(f"call-count model check, {n} actors: {counted} E(U) calls counted, {formula} by formula; "
              f"round measured {measured:.3f} s, predicted {predicted:.3f} s")
    x, c, s = arrays(random_issue(100, 100))
    t100 = best_time(lambda: play_round(x[None], s[None], (c * s)[None], np.array([x.max() - x.min()]), MATCH))
    print(f"heartland, one round of 100 actors: {t100 * 1000:.1f} ms (goal < 100 ms)")
    print(f"heartland Monte Carlo, EC example: {monte_carlo_rate():,.0f} run-rounds/s (2000 runs vectorised)")


if __name__ == "__main__":
    main()
