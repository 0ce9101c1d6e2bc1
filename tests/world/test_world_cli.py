"""The world commands: world, institutions, import (bad input → one clear line, exit 2)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from heartland.cli import app

FIX = Path(__file__).parent / "fixtures"
runner = CliRunner()


def run(*args, env=None):
    return runner.invoke(app, list(args), env=env or {"HEARTLAND_DB": "/nonexistent/heartland.duckdb"})


def test_world_json_lists_ties_with_intervals():
    r = run("world", "--date", "2023-12-31", "--format", "json")
    assert r.exit_code == 0, r.output
    rows = json.loads(r.stdout)
    kaz = [x for x in rows if (x["patron"], x["target"], x["domain"]) == ("RUS", "KAZ", "security")]
    assert kaz and kaz[0]["year"] == 2023 and 0 < kaz[0]["bandwidth_low"] <= kaz[0]["bandwidth_high"] <= 1


def test_institutions_as_of_date():
    r = run("institutions", "--date", "2017-12-31", "--institution", "SCO", "--format", "json")
    assert r.exit_code == 0
    rows = json.loads(r.stdout)
    full = {x["member"] for x in rows if x["role"] in ("founder", "member")}
    assert full == {"CHN", "RUS", "KAZ", "KGZ", "TJK", "UZB", "IND", "PAK"}
    assert all(x["source_url"] for x in rows)
    t = run("institutions", "--date", "2024-12-31")
    assert "SCO" in t.stdout and "10:" in t.stdout


def test_import_then_world_uses_dataset(tmp_path):
    db = tmp_path / "s.duckdb"
    r = run("import", "sipri-tiv", str(FIX / "sipri_tiv_imports.csv"), "--db", str(db))
    assert r.exit_code == 0, r.output
    assert "sipri-tiv:" in r.stdout and "figures" in r.stdout
    r = run("world", "--date", "2023", "--format", "json", "--db", str(db))
    assert r.exit_code == 0


def test_import_bad_input_is_one_line():
    # Through the real entry point, so the UserError handling is exercised.
    p = subprocess.run([sys.executable, "-m", "heartland.cli", "import", "comtrade", str(FIX / "worldbank.csv"),
                        "--db", "/tmp/heartland-test-unused.duckdb"], capture_output=True, text=True)
    assert p.returncode == 2
    assert "worldbank.csv" in p.stderr and "not a UN Comtrade CSV" in p.stderr
    assert "Traceback" not in p.stderr
    p = subprocess.run([sys.executable, "-m", "heartland.cli", "world", "--date", "someday"],
                       capture_output=True, text=True)
    assert p.returncode == 2 and "--date" in p.stderr and "Traceback" not in p.stderr


@pytest.mark.seeds
def test_commands_on_the_seeds_ingested(seeded_store):
    env = {"HEARTLAND_DB": str(seeded_store)}
    r = run("explain", "RUS", "KAZ", "security", "--date", "2024-12-31", env=env)
    assert r.exit_code == 0, r.output
    assert "Radio Free Asia" in r.stdout and "fact" in r.stdout and "chars" in r.stdout
    r = run("world", "--date", "2024-06-30", "--format", "csv", env=env)
    assert r.exit_code == 0 and r.stdout.startswith("year,patron,target,domain")
    r = run("index", "--what", "friction", "--from", "2022", "--to", "2024", "--format", "json", env=env)
    rows = json.loads(r.stdout)
    assert rows[-1]["quotes_competition"] + rows[-1]["quotes_cooperation"] > 0
    r = run("index", "--domain", "fbic", "--target", "KAZ", "--date", "2023", "--format", "json", env=env)
    fb = json.loads(r.stdout)
    assert {x["domain"] for x in fb} == {"fbic"} and all(x["low"] <= x["high"] for x in fb)


def test_world_conflicts_lists_disagreeing_sources(tmp_path):
    db = tmp_path / "c.duckdb"
    assert run("import", "comtrade", str(FIX / "comtrade_plus.csv"), "--db", str(db)).exit_code == 0
    r = run("world", "--date", "2023-12-31", "--conflicts", "--format", "json", "--db", str(db))
    assert r.exit_code == 0, r.output
    rows = json.loads(r.stdout)
    kz = [x for x in rows if (x["patron"], x["target"], x["indicator"]) == ("CHN", "KAZ", "trade_bilateral")]
    assert kz and kz[0]["status"] == "conflict" and "reported by KAZ" in kz[0]["sources"]
    assert "reported by CHN" in kz[0]["sources"]
