"""Ensembles end to end: Dask equals local, Parquet outputs, hypotheses, sensitivity, compare, run_bundled."""

from __future__ import annotations

import json
import subprocess
import sys
import time

import numpy as np
import pandas as pd
import pytest

from heartland import __version__
from heartland.simulate import compare, run_bundled, run_ensemble, sensitivity, write_outputs
from heartland.simulate.bundled import SCENARIO_DIR, bundled_names
from heartland.simulate.hypotheses import holds, margin, score
from heartland.simulate.outputs import read_metadata
from heartland.simulate.scenario import Hypothesis, load_scenario


def test_dask_local_cluster_gives_the_same_numbers(mini, start2023):
    from distributed import Client, LocalCluster

    local = run_ensemble(mini, runs=300, seed=5, start=start2023, chunk=64)
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None) as cluster, \
            Client(cluster) as client:
        remote = run_ensemble(mini, runs=300, seed=5, start=start2023, chunk=64, client=client)
        # a second ensemble on the same client must not lose the first one's scattered inputs
        again = run_ensemble(mini, runs=300, seed=5, start=start2023, chunk=64, client=client)
    np.testing.assert_array_equal(again.arrays["share"], local.arrays["share"])
    for k in local.arrays:
        np.testing.assert_array_equal(local.arrays[k], remote.arrays[k])
    for k in local.params:
        np.testing.assert_array_equal(local.params[k], remote.params[k])
    assert [s.successes for s in local.scores] == [s.successes for s in remote.scores]


def test_hypothesis_margins_and_wilson_interval():
    times = np.array([2024.0, 2025.0, 2026.0, 2027.0])
    share = np.zeros((2, 4, 6, 5, 5), dtype=np.float32)
    share[:, :, 1, 2, 0] = [0.6, 0.5, 0.4, 0.3]  # RUS security in TJK falls
    share[0, :, 0, 2, 0] = [0.2, 0.3, 0.45, 0.5]  # CHN rises past it in run 0 only
    share[1, :, 0, 2, 0] = [0.2, 0.2, 0.2, 0.2]
    arrays = {"share": share}
    h = Hypothesis(id="x", statement="s", metric="share", patron="CHN", versus="RUS", target="TJK",
                   domain="security", year=2026)
    mg = margin(h, times, arrays)
    np.testing.assert_allclose(mg, [0.05, -0.2], atol=1e-6)
    assert holds(h, mg).tolist() == [True, False]
    h_at = h.model_copy(update={"when": "at", "year": 2025})
    assert holds(h_at, margin(h_at, times, arrays)).tolist() == [False, False]
    h_thr = Hypothesis(id="y", statement="s", metric="share", patron="RUS", threshold=0.45, op="<", target="TJK",
                       domain="security", year=2027, when="throughout")
    assert holds(h_thr, margin(h_thr, times, arrays)).tolist() == [False, False]
    s = score(h, np.array([True] * 8 + [False] * 2))
    assert s.probability == 0.8
    # Wilson 95% interval for 8/10 (Agresti & Coull 1998 / any table): 0.490 .. 0.943
    assert abs(s.ci_low - 0.4902) < 1e-3 and abs(s.ci_high - 0.9433) < 1e-3


def test_outputs_layout_and_metadata(tmp_path, mini, start2023):
    res = run_ensemble(mini, runs=40, seed=3, start=start2023)
    folder = write_outputs(res, tmp_path, sample_runs=10)
    assert folder == tmp_path / "mini"
    names = {p.name for p in folder.iterdir()}
    assert {"summary.parquet", "hypotheses.parquet", "runs.parquet", "trajectories.parquet", "scenario.toml",
            "manifest.json"} <= names
    meta = read_metadata(folder / "summary.parquet")
    assert meta["heartland_version"] == __version__ and meta["scenario"] == "mini" and meta["seed"] == "3"
    assert meta["runs"] == "40" and meta["scenario_sha256"] == mini.sha256
    assert json.loads((folder / "manifest.json").read_text())["scenario"] == "mini"
    summ = pd.read_parquet(folder / "summary.parquet")
    sec = summ[(summ.metric == "share") & (summ.patron == "RUS") & (summ.target == "KAZ") & (summ.domain == "security")]
    assert len(sec) == len(res.times) and (sec.p05 <= sec["median"]).all() and (sec["median"] <= sec.p95).all()
    assert {"share", "influence", "overall", "capacity", "division_of_labour", "parity", "friction"} <= set(summ.metric)
    dol = summ[(summ.metric == "division_of_labour") & (summ.target == "KAZ")]
    assert len(dol) == len(res.times) and dol.patron.isna().all()
    hyp = pd.read_parquet(folder / "hypotheses.parquet")
    assert list(hyp.id) == ["chn_sec_tjk", "rus_sec_c5_low"]
    assert ((hyp.ci_low <= hyp.probability) & (hyp.probability <= hyp.ci_high)).all()
    runs = pd.read_parquet(folder / "runs.parquet")
    assert len(runs) == 40 and "param.war_drain_security" in runs and "holds.chn_sec_tjk" in runs
    assert runs["holds.chn_sec_tjk"].mean() == pytest.approx(hyp.probability.iloc[0])
    traj = pd.read_parquet(folder / "trajectories.parquet")
    assert traj.run.nunique() == 10 and len(traj) == 10 * len(res.times) * 150


def test_sensitivity_ranks_the_driver_first():
    sc = load_scenario(SCENARIO_DIR / "war_drain.toml")
    for method, n in (("sobol", 64), ("morris", 10)):
        df = sensitivity(sc, method=method, n=n, seed=1)
        top = df[(df.outcome == "russia_security_below_half_c5") & (df["rank"] == 1)]
        assert top.parameter.item() == "war_drain_security", method
        econ = df[(df.outcome == "russia_security_below_half_c5") & (df.parameter == "war_drain_economy")]
        key = "ST" if method == "sobol" else "mu_star"
        assert abs(econ[key].item()) < 0.05  # the economic drain does not touch security shares


def test_simulate_and_compare_cli(tmp_path):
    cmd = [sys.executable, "-m", "heartland.cli"]
    r = subprocess.run(cmd + ["simulate", "baseline", "gas_leverage", "--runs", "40", "--out", str(tmp_path),
                              "--format", "json"], capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    report = json.loads(r.stdout)
    assert set(report) == {"baseline", "gas_leverage"}
    hyps, outs = compare([tmp_path])
    assert set(hyps.scenario) == {"baseline", "gas_leverage"}
    assert len(outs) == 8
    r = subprocess.run(cmd + ["compare", str(tmp_path)], capture_output=True, text=True, timeout=300)
    assert r.returncode == 0 and "gas_leverage" in r.stdout
    r = subprocess.run(cmd + ["simulate", "baseline", "--workers", "1", "--scheduler", "tcp://x:1"],
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 2 and "either --workers or --scheduler" in r.stderr


def test_run_bundled_is_quick_and_complete(tmp_path):
    t = time.perf_counter()
    res = run_bundled(runs=200, seed=0, out=tmp_path)
    elapsed = time.perf_counter() - t
    assert elapsed < 30, f"run_bundled took {elapsed:.1f}s"
    assert set(res["scenarios"]) == set(bundled_names())
    for name, sc in res["scenarios"].items():
        assert sc["hypotheses"] and sc["runs"] == 200
        for h in sc["hypotheses"]:
            # the Wilson interval is the ensemble share's; the shown probability may be capped
            assert 0 <= h["ci_low"] <= h["raw_probability"] <= h["ci_high"] <= 1
            assert h["capped"] == (h["probability"] != h["raw_probability"])
            assert 0.05 <= h["probability"] <= 0.95 or not h["capped"]
        assert (tmp_path / name / "hypotheses.parquet").is_file()
