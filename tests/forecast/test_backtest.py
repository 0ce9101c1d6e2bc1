"""The bargaining-model backtest: bundled case files, scores on a constructed case, bad input."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import pytest

from heartland.errors import UserError
from heartland.forecast.backtest import (
    BACKTEST_DIR, CaseScore, bundled_cases, latest_day, load_case, naive_forecasts, right_side, run_backtest,
    summarise,
)

ROOT = Path(__file__).resolve().parents[2]

# An invented two-actor case: Ruritania (weight 1 x 1 at 0) and Freedonia (weight 3 x 1 at 100).
TINY = '''
title = "Invented test case"
question = "Where does the invented dispute end?"
low = "Ruritania's way"
high = "Freedonia's way"
reference = 50

[outcome]
value = 80
date = "2020-06-15"
note = "coded for the test"
sources = ["later"]

[sources.early]
url = "https://example.org/early"
publisher = "Example Gazette"
date = "2020-05-01"

[sources.month]
url = "https://example.org/month"
publisher = "Example Monthly"
date = "2020-05"

[sources.later]
url = "https://example.org/later"
publisher = "Example Gazette"
date = "2020-06-20"

[[actor]]
id = "RUR"
name = "Ruritania"
capability = 1.0
capability_note = "invented"
position = { value = 0, note = "invented stance", sources = ["early"] }
salience = { value = 1.0, note = "invented stance", sources = ["month"] }

[[actor]]
id = "FRE"
name = "Freedonia"
capability = 3.0
capability_note = "invented"
position = { value = 100, note = "invented stance", sources = ["early"] }
salience = { value = 1.0, note = "invented stance", sources = ["early"] }
'''


def _write(tmp_path: Path, text: str, name: str = "tiny.toml") -> Path:
    d = tmp_path / "cases"
    d.mkdir(exist_ok=True)
    p = d / name
    p.write_text(text, encoding="utf-8")
    return p


def test_bundled_cases_validate_with_sources_dated_before_the_outcome():
    files = bundled_cases()
    assert len(files) >= 10
    for p in files:
        case = load_case(p)
        decided = dt.date.fromisoformat(case.outcome.date)
        assert case.outcome.sources and all(s in case.sources for s in case.outcome.sources), p.name
        for a in case.actors:
            assert a.capability_note.strip(), (p.name, a.id)
            for field in (a.position, a.salience):
                assert field.sources and field.note.strip(), (p.name, a.id)
                for sid in field.sources:
                    src = case.sources[sid]
                    assert src.url.startswith("http") and src.publisher.strip(), (p.name, sid)
                    assert latest_day(src.date) < decided, (p.name, a.id, sid, src.date)
            assert 0 <= a.position.value <= 100 and 0 <= a.salience.value <= 1


def test_month_dates_read_as_the_last_day():
    assert latest_day("2020-02") == dt.date(2020, 2, 29)
    assert latest_day("2021-04-11") == dt.date(2021, 4, 11)
    with pytest.raises(ValueError):
        latest_day("April 2021")


def test_scores_of_a_tiny_constructed_case(tmp_path):
    p = _write(tmp_path, TINY)
    case = load_case(p)
    naive = naive_forecasts(case)
    assert naive["weighted_mean"] == pytest.approx(75.0)      # (1*0 + 3*100) / 4
    assert naive["weighted_median"] == pytest.approx(100.0)   # Freedonia holds 3/4 of the weight
    bt = run_backtest(p.parent, runs=50, seed=3)
    (c,) = bt.cases
    assert c.errors["weighted_mean"] == pytest.approx(5.0)
    assert c.errors["weighted_median"] == pytest.approx(20.0)
    # no ranges: every Monte Carlo run is the point run, so the band collapses on it
    assert c.forecasts["model"] == pytest.approx(c.single_run)
    assert c.band[0] == pytest.approx(c.band[1])
    assert c.errors["model"] == pytest.approx(abs(c.single_run - 80))
    assert c.right["weighted_mean"] and c.right["weighted_median"]
    assert c.in_band == (c.band[0] <= 80 <= c.band[1])


def test_right_side_and_overall_scores():
    assert right_side(70, 90, 50) and right_side(10, 0, 50)
    assert not right_side(40, 90, 50)
    assert not right_side(50, 90, 50)   # on the reference says nothing

    def score(name, fc, outcome, ref=50.0):
        return CaseScore(name=name, title=name, outcome=outcome, outcome_date="2020-01-01", reference=ref,
                         forecasts=fc, band=(fc["model"] - 5, fc["model"] + 5), single_run=fc["model"],
                         errors={k: abs(v - outcome) for k, v in fc.items()},
                         right={k: right_side(v, outcome, ref) for k, v in fc.items()},
                         in_band=abs(fc["model"] - outcome) <= 5)

    a = score("a", {"model": 70, "weighted_mean": 40, "weighted_median": 90}, 80)
    b = score("b", {"model": 45, "weighted_mean": 20, "weighted_median": 60}, 10)
    bt = summarise([a, b], runs=10, seed=0)
    by = {m.method: m for m in bt.overall}
    assert by["model"].mae == pytest.approx((10 + 35) / 2)
    assert by["weighted_mean"].mae == pytest.approx((40 + 10) / 2)
    assert by["weighted_median"].mae == pytest.approx((10 + 50) / 2)
    assert by["model"].right_share == 1.0
    assert by["weighted_mean"].right_share == 0.5
    assert by["weighted_median"].right_share == 0.5
    assert bt.band_coverage == 0.0


@pytest.mark.parametrize("old,new,field", [
    ('position = { value = 0, note = "invented stance", sources = ["early"] }',
     'position = { value = 0, note = "invented stance", sources = [] }', "actor[0].position.sources"),
    ('position = { value = 0, note = "invented stance", sources = ["early"] }',
     'position = { value = 0, note = "invented stance", sources = ["nowhere"] }', "actor[0].position.sources"),
    ('position = { value = 100, note', 'position = { value = 120, note', "actor[1].position.value"),
    ('salience = { value = 1.0, note = "invented stance", sources = ["month"] }',
     'salience = { value = 1.0, note = "invented stance", sources = ["later"] }', "actor[0].salience.sources"),
    ('date = "2020-05"', 'date = "2020-06"', "actor[0].salience.sources"),
    ('url = "https://example.org/early"\n', '', "sources.early.url"),
    ('date = "2020-05-01"', 'date = "1 May 2020"', "sources.early.date"),
    ('value = 80\n', 'value = 50\n', "outcome.value"),
])
def test_bad_input_is_one_line_naming_file_and_field(tmp_path, old, new, field):
    assert old in TINY
    p = _write(tmp_path, TINY.replace(old, new, 1))
    with pytest.raises(UserError) as exc:
        load_case(p)
    msg = str(exc.value)
    assert "\n" not in msg and str(p) in msg and f"'{field}'" in msg, msg
    if field.startswith("actor["):
        assert "(actor RUR)" in msg or "(actor FRE)" in msg, msg


def test_source_after_the_outcome_is_named_with_its_date(tmp_path):
    p = _write(tmp_path, TINY.replace('sources = ["early"] }', 'sources = ["later"] }', 1))
    with pytest.raises(UserError, match=r"'later' dated 2020-06-20 is not before the outcome \(2020-06-15\)"):
        load_case(p)


def test_cli_bad_case_gives_one_line_without_traceback(tmp_path):
    _write(tmp_path, TINY.replace('value = 100, note', 'value = 120, note', 1))
    r = subprocess.run([sys.executable, "-m", "heartland.cli", "backtest", str(tmp_path / "cases")],
                       capture_output=True, text=True, cwd=ROOT)
    assert r.returncode == 2
    lines = [ln for ln in r.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and "tiny.toml" in lines[0] and "position.value" in lines[0], r.stderr
    assert "Traceback" not in r.stderr


def test_cli_runs_the_bundled_backtest():
    from typer.testing import CliRunner

    from heartland.cli import app

    r = CliRunner().invoke(app, ["backtest", "--runs", "50", "--format", "json"])
    assert r.exit_code == 0, r.output
    import json

    doc = json.loads(r.output)
    assert len(doc["cases"]) == len(bundled_cases()) and {m["method"] for m in doc["overall"]} == {
        "model", "weighted_mean", "weighted_median"}


def test_docs_backtest_table_is_current():
    r = subprocess.run([sys.executable, str(ROOT / "scripts" / "backtest_table.py"), "--check"],
                       capture_output=True, text=True, cwd=ROOT, env={"PYTHONPATH": str(ROOT), "PATH": ""})
    assert r.returncode == 0, ("docs/forecast.md backtest table is stale: run PYTHONPATH=. python "
                               f"scripts/backtest_table.py\n{r.stderr}")


def test_bundled_dir_is_the_data_dir():
    assert BACKTEST_DIR == ROOT / "heartland" / "data" / "backtest"
