"""One band function: simulate's table, summary.parquet, compare and the report/dashboard agree."""

from __future__ import annotations

import re

import numpy as np
import pytest
from rich.console import Console

from heartland.report.stages import ensemble_summary
from heartland.simulate import compare, load_scenario, run_ensemble, write_outputs
from heartland.simulate.bands import band, five_state_mean
from heartland.simulate.bundled import SCENARIO_DIR
from heartland.simulate.cli import _outcome_table
from heartland.world.axes import DOMAINS, PATRONS


@pytest.fixture(scope="module")
def result():
    return run_ensemble(load_scenario(SCENARIO_DIR / "baseline.toml"), runs=40, seed=7)


def test_every_consumer_shows_the_same_band(result, tmp_path):
    p, d = PATRONS.index("RUS"), DOMAINS.index("security")
    x = result.arrays["share"][:, -1, p, :, d].mean(axis=1)  # the five-state mean per run
    want = np.quantile(x, (0.05, 0.5, 0.95))
    # simulate's table
    console = Console(width=200, record=True)
    console.print(_outcome_table(result))
    row = next(line for line in console.export_text().splitlines() if "RUS security" in line)
    cells = re.findall(r"([0-9.]+) \[([0-9.]+), ([0-9.]+)\]", row)
    med, lo, hi = map(float, cells[-1])
    assert (lo, med, hi) == pytest.approx(tuple(round(v, 2) for v in want), abs=0.006)
    # summary.parquet and compare
    write_outputs(result, tmp_path)
    _, outs = compare([tmp_path])
    o = outs[outs.outcome == "share RUS security (C5 mean)"].iloc[0]
    assert (o["p05"], o["median"], o["p95"]) == pytest.approx(tuple(want))
    # the report and the dashboard (ensemble_summary): the same rule on their series
    summary = ensemble_summary(result)
    sec = next(s for s in summary["series"] if s["patron"] == "RUS" and s["domain"] == "security")
    res_arrays = dict(result.arrays)
    if sec["metric"] not in res_arrays:
        from heartland.simulate.model import indices

        res_arrays.update(indices(res_arrays))
    y = res_arrays[sec["metric"]][:, -1, p, :, d].mean(axis=1)
    for k, level in (("p05", 0.05), ("p50", 0.5), ("p95", 0.95)):
        assert sec["quantiles"][k][-1] == pytest.approx(np.quantile(y, level))


def test_band_of_the_mean_is_not_the_mean_of_bands(result):
    p, d = PATRONS.index("RUS"), DOMAINS.index("security")
    a = result.arrays["share"][:, -1, p, :, d]  # (runs, targets)
    right = band(five_state_mean(a, 1))
    wrong = band(a)  # per target
    assert right["p50"] == pytest.approx(np.median(a.mean(axis=1)))
    assert right["p95"] - right["p05"] < wrong["p95"].mean() - wrong["p05"].mean()
