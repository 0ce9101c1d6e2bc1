"""Settled states, cycles, the forecast summary, salience ranking and the CLI."""

from __future__ import annotations

import json

import numpy as np
import pytest
from typer.testing import CliRunner

from heartland.cli import app
from heartland.forecast import load_issue, run_model
from heartland.forecast.results import forecast
from heartland.forecast.summary import detect_repeat, summarise_paths

runner = CliRunner()


def test_detect_settled_cycle_and_open():
    settled = np.array([[1.0, 5], [2, 5], [3, 5], [3, 5], [3, 5], [3, 5]])
    cycle = np.array([[0.0, 9], [1, 8], [2, 7], [1, 8], [2, 7], [1, 8]])
    drift = np.array([[k * 1.0, 10 - k] for k in range(6)])
    t, p = detect_repeat(np.stack([settled, cycle, drift]), 10.0)
    assert (t[0], p[0]) == (3, 1)      # round 3 repeats round 2
    assert (t[1], p[1]) == (3, 2)      # round 3 repeats round 1: period 2
    assert (t[2], p[2]) == (-1, -1)
    mean = np.stack([settled.mean(1), cycle.mean(1), drift.mean(1) + np.arange(6)])
    value, low, high = summarise_paths(mean, t, p)
    assert value[0] == pytest.approx(4.0) and low[0] == high[0]
    assert value[1] == pytest.approx(4.5) and (low[1], high[1]) == (4.5, 4.5)
    # open: last half of rounds 0..5 = rounds 3, 4, 5
    assert value[2] == pytest.approx(mean[2, 3:].mean())
    assert (low[2], high[2]) == (mean[2, 3:].min(), mean[2, 3:].max())


def test_summary_of_a_real_cycle():
    run = run_model(load_issue("sco_csto"), rounds=20)
    s = run.summary
    if s.status == "cycle":
        pos = run.positions()
        start = s.since_round
        np.testing.assert_allclose(pos[start], pos[start + s.period])
        cyc = run.mean_path[start:start + s.period]
        assert s.forecast == pytest.approx(np.mean(cyc))
    else:
        assert s.status in ("settled", "open")


def test_salience_ranking_finds_the_decisive_actor():
    """Two blocs; only the pivotal third actor's salience moves the outcome much."""
    from heartland.forecast.issue import ActorInput, Issue, Value

    def actor(i, c, x, s):
        return ActorInput(id=i, name=i, capability=Value(value=c), position=Value(value=x), salience=Value(value=s))

    issue = Issue(name="toy", actors=[actor("A", 1.0, 0, 0.5), actor("B", 1.0, 100, 0.5),
                                      actor("C", 0.05, 50, 0.5), actor("D", 0.01, 60, 0.5)])
    fc = forecast(issue, rounds=12, salience_delta=0.3)
    swings = {r.actor: r.swing for r in fc.sensitivity}
    assert max(swings["A"], swings["B"]) > swings["D"]
    assert [r.swing for r in fc.sensitivity] == sorted((r.swing for r in fc.sensitivity), reverse=True)


def test_cli_table(tmp_path):
    out = tmp_path / "ec.png"
    res = runner.invoke(app, ["forecast", "ec_emissions_1989", "--rounds", "10", "--plot", str(out)])
    assert res.exit_code == 0, res.output
    assert "forecast" in res.output and "compromise"[:4] in res.output
    assert "who decides" in res.output
    assert out.stat().st_size > 10_000


def test_cli_json_round_trip():
    res = runner.invoke(app, ["forecast", "ec_emissions_1989", "--rounds", "10", "--format", "json",
                              "--runs", "20", "--seed", "4"])
    assert res.exit_code == 0, res.output
    doc = json.loads(res.output)
    means = [r["mean"] for r in doc["run"]["rounds"]]
    assert len(means) == 11 and abs(means[0] - 7.39) < 0.01
    assert doc["distribution"]["runs"] == 20
    assert doc["run"]["options"]["probability"] == "all_votes"
    again = runner.invoke(app, ["forecast", "ec_emissions_1989", "--rounds", "10", "--format", "json",
                                "--runs", "20", "--seed", "4"])
    assert again.output == res.output


def test_cli_options_change_the_model():
    res = runner.invoke(app, ["forecast", "ec_emissions_1989", "--rounds", "10", "--format", "json",
                              "--option", "probability=pairwise", "--salience-delta", "0"])
    assert res.exit_code == 0, res.output
    doc = json.loads(res.output)
    assert doc["run"]["options"]["probability"] == "pairwise"
    assert doc["run"]["rounds"][-1]["mean"] == pytest.approx(7.0, abs=0.05)


def test_cli_lists_bundled_issues():
    res = runner.invoke(app, ["forecast"])
    assert res.exit_code == 0 and "sco_csto" in res.output


@pytest.mark.parametrize("args,msg", [
    (["forecast", "nosuch"], "unknown issue"),
    (["forecast", "sco_csto", "--rounds", "0"], "--rounds"),
    (["forecast", "sco_csto", "--runs", "0"], "--runs"),
    (["forecast", "sco_csto", "--format", "xml"], "--format"),
    (["forecast", "sco_csto", "--option", "probability=magic"], "probability"),
    (["forecast", "sco_csto", "--option", "q=2"], "q"),
    (["forecast", "sco_csto", "--capabilities", "/nonexistent/caps.csv"], "cannot read"),
    (["forecast", "sco_csto", "--plot", "/nonexistent/dir/x.png"], "does not exist"),
])
def test_cli_errors_are_one_line(args, msg, monkeypatch, capsys):
    from heartland.cli import main

    monkeypatch.setattr("sys.argv", ["heartland", *args])
    with pytest.raises(SystemExit) as exc:
        main()
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert msg in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1


def test_cli_error_in_a_real_process_has_no_traceback(tmp_path):
    import subprocess
    import sys

    bad = tmp_path / "bad.csv"
    bad.write_text("actor,capability,position,salience\nA,1,2,0.5\nB,1,x,0.5\n")
    proc = subprocess.run([sys.executable, "-m", "heartland.cli", "forecast", str(bad)],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2
    assert f"{bad}:3: field 'position'" in proc.stderr
    assert "Traceback" not in proc.stderr and len(proc.stderr.strip().splitlines()) == 1


def test_same_side_share_counts_the_monte_carlo_forecasts_on_the_point_forecasts_side():
    import numpy as np

    from heartland.forecast.results import same_side

    v = np.array([10.0, 40.0, 55.0, 60.0, 90.0])
    assert same_side(v, point=70.0, mid=50.0) == 0.6  # 55, 60, 90 above the middle
    assert same_side(v, point=20.0, mid=50.0) == 0.4
    assert same_side(np.array([50.0, 60.0]), point=30.0, mid=50.0) == 0.5  # a tie at the middle keeps the side


def test_bundled_issue_reports_its_monte_carlo_band_and_side():
    from heartland.forecast import forecast, load_issue

    fc = forecast(load_issue("sco_csto"), runs=200, seed=0)
    d = fc.distribution
    lo, hi = fc.scale
    mid = (lo + hi) / 2
    assert 0.0 <= d.same_side <= 1.0
    # the band contains the forecasts of both sides exactly when fewer than all runs keep the side
    crosses = d.quantiles["5"] < mid < d.quantiles["95"]
    assert not crosses or d.same_side < 1.0
