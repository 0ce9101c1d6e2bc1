"""The measure commands: index in every format and mode, explain in text and JSON."""

from __future__ import annotations

import csv
import io
import json

from typer.testing import CliRunner

from heartland.cli import app

runner = CliRunner()
ENV = {"HEARTLAND_DB": "/nonexistent/heartland.duckdb"}


def run(*args):
    return runner.invoke(app, list(args), env=ENV)


def test_index_formats_and_ranges():
    r = run("index", "--from", "2021", "--to", "2023", "--domain", "economy", "--format", "csv")
    assert r.exit_code == 0, r.output
    rows = list(csv.DictReader(io.StringIO(r.stdout)))
    assert {x["year"] for x in rows} == {"2021", "2022", "2023"} and {x["domain"] for x in rows} == {"economy"}
    assert all(float(x["low"]) <= float(x["mid"]) <= float(x["high"]) for x in rows)
    j = json.loads(run("index", "--date", "2023-06-30", "--format", "json").stdout)
    assert {x["year"] for x in j} == {2023} and {"overall", "security"} <= {x["domain"] for x in j}
    t = run("index", "--date", "2023", "--patron", "RUS", "--target", "KAZ")
    assert "RUS" in t.stdout and "overall" in t.stdout


def test_index_measures():
    d = json.loads(run("index", "--what", "division", "--from", "2022", "--to", "2023", "--format", "json").stdout)
    assert {x["target"] for x in d} >= {"KAZ", "C5"}
    tr = json.loads(run("index", "--what", "transition", "--date", "2023", "--format", "json").stdout)
    assert {x["domain"] for x in tr} == {"security", "economy", "connectivity", "politics", "society"}
    fr = json.loads(run("index", "--what", "friction", "--from", "2020", "--to", "2023", "--format", "json").stdout)
    assert [x["year"] for x in fr] == [2020, 2021, 2022, 2023]


def test_index_bad_options():
    r = run("index", "--date", "2023", "--from", "2020")
    assert r.exit_code != 0
    r = run("index", "--from", "2024", "--to", "2020")
    assert r.exit_code != 0


def test_explain_text_and_json():
    r = run("explain", "RUS", "KAZ", "security", "--date", "2023-12-31")
    assert r.exit_code == 0, r.output
    assert "RUS → KAZ security 2023" in r.stdout and "arms_import_share" in r.stdout and "CSTO" in r.stdout
    j = json.loads(run("explain", "CHN", "C5", "economy", "--date", "2023", "--format", "json").stdout)
    assert j["low"] is not None and j["components"]
    trade = next(c for c in j["components"] if c["indicator"] == "trade_bilateral")
    assert any(s["source_url"] for s in trade["sources"])
    bad = run("explain", "XXX", "KAZ", "security")
    assert bad.exit_code != 0


def test_index_years_before_the_default_first_year():
    r = run("index", "--from", "2010", "--to", "2011", "--domain", "security", "--target", "KAZ", "--format", "json")
    assert r.exit_code == 0, r.output
    rows = json.loads(r.stdout)
    rus = {x["year"]: x for x in rows if x["patron"] == "RUS"}
    chn = {x["year"]: x for x in rows if x["patron"] == "CHN"}
    assert set(rus) == {2010, 2011} and all(rus[y]["low"] > chn[y]["high"] for y in rus)
