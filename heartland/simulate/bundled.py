"""The scenarios bundled with the package (heartland/data/scenarios/*.toml)."""

from __future__ import annotations

from pathlib import Path

from heartland.paths import DATA_DIR

SCENARIO_DIR = DATA_DIR / "scenarios"


def bundled_paths() -> list[Path]:
    return sorted(SCENARIO_DIR.glob("*.toml"))


def bundled_names() -> list[str]:
    return [p.stem for p in bundled_paths()]


def run_bundled(runs: int = 200, seed: int = 0, out: Path | None = None, client=None, db=None) -> dict:
    """Run every bundled scenario with a modest ensemble; return the hypotheses' probabilities.

    ``db``: the store file, so that the start world includes its evidence (default: the
    world from the bundled curated data alone).

    For ``heartland run``. Returns ``{"scenarios": {name: {"title", "start_world", "runs",
    "hypotheses": [{"id", "statement", "probability", "ci_low", "ci_high", "expert", "seed"}]}},
    "out": str | None}``; writes the Parquet outputs under ``out`` when given.
    """
    from heartland.simulate.ensemble import run_ensemble
    from heartland.simulate.outputs import write_outputs
    from heartland.simulate.scenario import load_scenario

    result: dict = {"scenarios": {}, "out": str(out) if out else None}
    for path in bundled_paths():
        sc = load_scenario(path)
        res = run_ensemble(sc, runs=runs, seed=seed, client=client, db=db)
        if out is not None:
            write_outputs(res, Path(out))
        result["scenarios"][sc.name] = {
            "title": sc.scenario.title, "start_world": res.start.source, "runs": res.runs,
            "hypotheses": [{"id": s.id, "statement": s.statement, "probability": s.probability,
                            "ci_low": s.ci_low, "ci_high": s.ci_high, "expert": s.expert, "seed": s.seed}
                           for s in res.scores],
        }
    return result
