"""heartland.simulate: scenario ensembles of the regional system.

Public face::

    load_scenario(path) -> Scenario                 # validated TOML (file:line: field errors)
    run_ensemble(scenario, runs, seed, client=None) -> EnsembleResult
    write_outputs(result, out_dir) -> Path          # Parquet, layout in docs/simulate.md
    sensitivity(scenario, method="sobol"|"morris", n) -> DataFrame
    compare(dirs) -> (hypotheses DataFrame, key outcomes DataFrame)
    run_bundled(runs=200, seed=0, out=None) -> dict # every bundled scenario, for `heartland run`
    run_hindcast(starts, runs, parameters) -> HindcastResult  # score the model on the past
    calibrate(CalibrationConfig(...)) -> Calibration          # emcee fit + out-of-sample hindcast
    read_posterior(folder) / bundled_posterior()              # the calibrated posterior and its provenance
    bundled_paths() / bundled_names()

Equations and parameters: docs/simulate.md.
"""

from __future__ import annotations

from heartland import _lazy

# Names resolve on first use (heartland/_lazy.py) so that `heartland --help` stays fast.
__all__ = _lazy.install(__name__, {
    "bundled_names": "heartland.simulate.bundled", "bundled_paths": "heartland.simulate.bundled", "run_bundled": "heartland.simulate.bundled",
    "compare": "heartland.simulate.compare",
    "EnsembleResult": "heartland.simulate.ensemble", "run_ensemble": "heartland.simulate.ensemble",
    "write_outputs": "heartland.simulate.outputs",
    "PARAMS": "heartland.simulate.params",
    "Scenario": "heartland.simulate.scenario", "load_scenario": "heartland.simulate.scenario", "parse_scenario": "heartland.simulate.scenario",
    "sensitivity": "heartland.simulate.sensitivity",
    "CalibrationConfig": "heartland.simulate.calibrate", "calibrate": "heartland.simulate.calibrate",
    "HindcastResult": "heartland.simulate.hindcast", "run_hindcast": "heartland.simulate.hindcast",
    "Posterior": "heartland.simulate.posterior", "bundled_posterior": "heartland.simulate.posterior", "read_posterior": "heartland.simulate.posterior",
    "StartWorld": "heartland.simulate.start", "builtin_start": "heartland.simulate.start", "bundled_start": "heartland.simulate.start", "load_start": "heartland.simulate.start",
})
