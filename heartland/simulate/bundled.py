"""The scenarios bundled with the package (heartland/data/scenarios/*.toml)."""

from __future__ import annotations

from pathlib import Path

from heartland.paths import DATA_DIR

SCENARIO_DIR = DATA_DIR / "scenarios"


def bundled_paths() -> list[Path]:
    return sorted(SCENARIO_DIR.glob("*.toml"))


def bundled_names() -> list[str]:
    return [p.stem for p in bundled_paths()]


def run_bundled(runs: int = 200, seed: int = 0, out: Path | None = None, client=None, db=None,
                parameters="posterior") -> dict:
    """Run every bundled scenario with a modest ensemble; return the hypotheses' probabilities.

    ``db``: the store file, so that the start world includes its evidence (default: the
    world from the bundled curated data alone). ``parameters``: ``"posterior"`` (default:
    the calibrated posterior for every parameter a scenario does not set) or ``"judgement"``.

    For ``heartland run``. Returns ``{"scenarios": {name: {"title", "start_world", "runs",
    "parameters", "hypotheses": [{"id", "statement", "probability", "raw_probability",
    "capped", "reliability", "reliability_events", "ci_low", "ci_high", "expert", "seed"}]}},
    "out": str | None}``: ``probability`` is the one to show (capped at [0.05, 0.95] when the
    hindcast does not support more certainty; ``raw_probability`` is the ensemble's share);
    writes the Parquet outputs under ``out`` when given.
    """
    from heartland.simulate.ensemble import run_ensemble
    from heartland.simulate.outputs import write_outputs
    from heartland.simulate.posterior import resolve_parameters
    from heartland.simulate.probabilities import shown_scores
    from heartland.simulate.scenario import load_scenario

    post = resolve_parameters(parameters)
    result: dict = {"scenarios": {}, "out": str(out) if out else None}
    for path in bundled_paths():
        sc = load_scenario(path)
        res = run_ensemble(sc, runs=runs, seed=seed, client=client, db=db, parameters=post)
        if out is not None:
            write_outputs(res, Path(out))
        keep = ("id", "statement", "probability", "raw_probability", "capped", "reliability", "reliability_events",
                "ci_low", "ci_high", "expert", "seed")
        result["scenarios"][sc.name] = {
            "title": sc.scenario.title, "start_world": res.start.source, "runs": res.runs,
            "parameters": res.parameters,
            "hypotheses": [{k: h[k] for k in keep} for h in shown_scores(res.scores, post)],
        }
    return result
