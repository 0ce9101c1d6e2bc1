"""Global sensitivity analysis with SALib: Sobol indices, Morris screening.

The inputs are the scenario's uncertain parameters (those given as distributions); the
outputs are the hypotheses' margins (continuous: how far each statement is from
flipping), so the ranking says what drives each hypothesis. Every model evaluation uses
the same start world and the same random crises and shock draws (common random
numbers), so differences come from the parameters alone.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from SALib.analyze import morris as morris_analyze
from SALib.analyze import sobol as sobol_analyze
from SALib.sample import morris as morris_sample
from SALib.sample import sobol as sobol_sample

from heartland.errors import UserError
from heartland.simulate.ensemble import sample_params, simulate_arrays
from heartland.simulate.hypotheses import margin
from heartland.simulate.scenario import Scenario
from heartland.simulate.start import StartWorld, load_start

METHODS = ("sobol", "morris")


def problem(sc: Scenario) -> dict:
    unc = sc.uncertain()
    if not unc:
        raise UserError("the scenario has no uncertain parameters (give some as distributions)", path=sc.path)
    names = sorted(unc)
    bounds, dists = zip(*(unc[n].salib() for n in names))
    return {"num_vars": len(names), "names": names, "bounds": [list(b) for b in bounds], "dists": list(dists)}


def evaluate(sc: Scenario, start: StartWorld, X: np.ndarray, names: list[str], seed: int) -> np.ndarray:
    """Model outputs (rows of X, hypotheses) under common random numbers."""
    runs = X.shape[0]
    params = sample_params(sc, np.random.default_rng(seed), runs)
    for j, n in enumerate(names):
        params[n] = X[:, j].astype(float)
    times, arrays, _ = simulate_arrays(sc, start, params, np.random.default_rng(seed + 1), common_noise=True)
    return np.column_stack([margin(h, times, arrays) for h in sc.hypotheses])


def sensitivity(sc: Scenario, method: str = "sobol", n: int = 256, seed: int = 0,
                start: StartWorld | None = None) -> pd.DataFrame:
    """Rank the uncertain parameters by their effect on each hypothesis' margin."""
    if method not in METHODS:
        raise UserError(f"--method must be one of {', '.join(METHODS)}, got {method!r}")
    if not sc.hypotheses:
        raise UserError("the scenario has no hypotheses to analyse", path=sc.path)
    if n < 4 or (method == "sobol" and n & (n - 1)):
        raise UserError(f"--samples must be a power of two >= 4 for Sobol, got {n}")
    start = start or load_start(sc.scenario.start, sc.scenario.start_year)
    prob = problem(sc)
    names = prob["names"]
    rows = []
    if method == "sobol":
        X = sobol_sample.sample(prob, n, calc_second_order=False, seed=seed)
        Y = evaluate(sc, start, X, names, seed)
        for k, h in enumerate(sc.hypotheses):
            y = Y[:, k]
            if np.ptp(y) == 0:
                si = {"S1": np.zeros(len(names)), "S1_conf": np.zeros(len(names)),
                      "ST": np.zeros(len(names)), "ST_conf": np.zeros(len(names))}
            else:
                si = sobol_analyze.analyze(prob, y, calc_second_order=False, seed=seed)
            for j, name in enumerate(names):
                rows.append({"outcome": h.id, "parameter": name, "S1": float(si["S1"][j]),
                             "S1_conf": float(si["S1_conf"][j]), "ST": float(si["ST"][j]),
                             "ST_conf": float(si["ST_conf"][j])})
        key = "ST"
    else:
        mprob = {k: v for k, v in prob.items() if k != "dists"}
        mprob["bounds"] = [list(sc.uncertain()[nm].bounds()) for nm in names]
        X = morris_sample.sample(mprob, n, num_levels=4, seed=seed)
        Y = evaluate(sc, start, X, names, seed)
        for k, h in enumerate(sc.hypotheses):
            si = morris_analyze.analyze(mprob, X, Y[:, k], num_levels=4, seed=seed)
            for j, name in enumerate(names):
                rows.append({"outcome": h.id, "parameter": name, "mu_star": float(si["mu_star"][j]),
                             "mu_star_conf": float(si["mu_star_conf"][j]), "sigma": float(si["sigma"][j])})
        key = "mu_star"
    df = pd.DataFrame(rows)
    df["rank"] = df.groupby("outcome")[key].rank(ascending=False, method="first").astype(int)
    df.insert(0, "method", method)
    df.insert(0, "scenario", sc.name)
    df.attrs["evaluations"] = int(X.shape[0])
    return df.sort_values(["outcome", "rank"]).reset_index(drop=True)
