"""The forecast table says what its numbers are: a single run's window versus a Monte Carlo
band, the weighted mean versus the weighted median, and an open path that alternates."""

from __future__ import annotations

from typer.testing import CliRunner

from heartland.cli import app
from heartland.forecast import forecast, load_issue
from heartland.forecast.cli import _alternation, summary_lines


def test_single_run_window_is_not_called_a_band():
    fc = forecast(load_issue("ec_emissions_1989"), rounds=20)
    text = "\n".join(summary_lines(fc))
    assert "single run, weighted mean position" in text
    assert "averaged over rounds 11–20" in text and "(path open)" in text
    assert "a window, not an uncertainty band" in text
    assert "weighted median position" in text
    assert "no Monte Carlo band" in text


def test_monte_carlo_band_is_labelled_with_its_median():
    fc = forecast(load_issue("ec_emissions_1989"), rounds=10, runs=20, seed=1)
    mc = summary_lines(fc)[-1]
    assert mc.startswith("[bold]Monte Carlo band[/]") and "20 runs" in mc
    assert "mean" in mc and "median" in mc and "5–95%" in mc


def test_an_open_path_that_swings_says_so():
    assert _alternation([50, 52, 77, 55, 77]) == (53.5, 77.0)
    assert _alternation([1, 2, 3, 4, 5]) is None  # a trend
    assert _alternation([7.6, 7.37, 7.33, 7.4]) is None  # too few rounds for the test
    res = CliRunner().invoke(app, ["forecast", "sco_csto"], env={"COLUMNS": "300"})
    assert res.exit_code == 0, res.output
    assert "like a 2-cycle that never repeats exactly" in res.output
