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

from heartland.simulate.bundled import bundled_names, bundled_paths, run_bundled
from heartland.simulate.calibrate import CalibrationConfig, calibrate
from heartland.simulate.hindcast import HindcastResult, run_hindcast
from heartland.simulate.posterior import Posterior, bundled_posterior, read_posterior
from heartland.simulate.compare import compare
from heartland.simulate.ensemble import EnsembleResult, run_ensemble
from heartland.simulate.outputs import write_outputs
from heartland.simulate.params import PARAMS
from heartland.simulate.scenario import Scenario, load_scenario, parse_scenario
from heartland.simulate.sensitivity import sensitivity
from heartland.simulate.start import StartWorld, builtin_start, bundled_start, load_start

__all__ = ["bundled_names", "bundled_paths", "run_bundled", "compare", "EnsembleResult", "run_ensemble",
           "write_outputs", "PARAMS", "Scenario", "load_scenario", "parse_scenario", "sensitivity",
           "StartWorld", "builtin_start", "bundled_start", "load_start", "CalibrationConfig", "calibrate",
           "HindcastResult", "run_hindcast", "Posterior", "bundled_posterior", "read_posterior"]
