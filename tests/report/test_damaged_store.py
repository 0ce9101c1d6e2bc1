"""Commands on a damaged store stop with one clear line: what is damaged (the file, what
DuckDB found) and how to rebuild it from the corpus. No traceback, no partial report."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

ROOT = Path(__file__).resolve().parents[2]


def _cli(*args: str, timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "heartland.cli", *args], capture_output=True, text=True,
                          timeout=timeout, cwd=str(ROOT))


@pytest.fixture(scope="module")
def damaged(report_seed_store, tmp_path_factory) -> dict[str, Path]:
    """The seed store cut at 10 %, 50 % and 90 % of its length, cut after 3000 bytes, and
    overwritten with text."""
    d = tmp_path_factory.mktemp("damaged")
    data = report_seed_store.read_bytes()
    out = {}
    for name, blob in {"cut10": data[:len(data) // 10], "cut50": data[:len(data) // 2],
                       "cut90": data[:len(data) * 9 // 10], "head": data[:3000],
                       "text": b"this is not a database\n" * 200}.items():
        p = d / f"{name}.duckdb"
        p.write_bytes(blob)
        out[name] = p
    return out


def _one_line(res: subprocess.CompletedProcess, db: Path) -> str:
    assert res.returncode == 2, (res.returncode, res.stdout[-500:], res.stderr[-2000:])
    assert "Traceback" not in res.stderr + res.stdout, res.stderr[-2000:]
    lines = [ln for ln in res.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1, lines
    line = lines[0]
    assert line.startswith(f"error: {db}: the store is damaged (") or \
        line.startswith(f"error: {db.name}: the store is damaged ("), line
    assert "rebuild it from the corpus" in line and f"heartland ingest CORPUS --db {db}" in line, line
    return line


@pytest.mark.parametrize("name", ["cut10", "cut50", "cut90", "head", "text"])
def test_report_on_a_damaged_store_writes_nothing(damaged, tmp_path, name):
    out = tmp_path / "report.html"
    res = _cli("report", "--db", str(damaged[name]), "--out", str(out), "--runs", "10", "--samples", "4")
    _one_line(res, damaged[name])
    assert not out.exists() and not list(tmp_path.iterdir())  # no report, no temporary file


@pytest.mark.parametrize("args", [["articles"], ["facts"], ["index"], ["world", "--date", "2024-12-31"],
                                  ["explain", "CHN", "KAZ", "security", "--date", "2023"], ["review"]])
def test_queries_on_a_damaged_store_are_one_line(damaged, args):
    res = _cli(*args, "--db", str(damaged["cut10"]))
    _one_line(res, damaged["cut10"])


def test_ingest_into_a_damaged_store_is_one_line(damaged, tmp_path, seeds_dir):
    db = tmp_path / "copy.duckdb"
    shutil.copy(damaged["head"], db)
    res = _cli("ingest", str(seeds_dir), "--db", str(db), "--no-extract")
    assert res.returncode == 2 and "Traceback" not in res.stderr + res.stdout, res.stderr[-2000:]
    assert "the store is damaged" in res.stderr and "rebuild it from the corpus" in res.stderr


def test_the_dashboard_answers_503_with_one_line(damaged, tmp_path):
    from heartland.web.app import create_app

    app = create_app(damaged["cut10"], runs_dir=tmp_path / "runs")
    with TestClient(app, raise_server_exceptions=False, base_url="http://127.0.0.1:8000") as c:
        for path in ("/api/articles", "/api/facts", "/api/influence"):
            r = c.get(path)
            assert r.status_code in (200, 503), (path, r.status_code, r.text[:300])
            if r.status_code == 503:
                assert r.json() == {"detail": "the store is damaged; rebuild it from the corpus (see the server log)"}
        assert c.get("/api/facts").status_code == 503
