"""Safe by default: traversal, oversized and malformed requests get 4xx; no stack traces."""

from __future__ import annotations

import subprocess
import sys
import time

import httpx
import pytest
from fastapi.testclient import TestClient

from heartland.web.app import create_app

#: TestClient's address: a loopback name (the dashboard answers to no other host by default),
#: and its page as the origin of writes
LOCAL = "http://127.0.0.1:8000"
SAME = {"Origin": LOCAL}

TRAVERSALS = [
    "/static/../app.py",
    "/static/%2e%2e/app.py",
    "/static/..%2fapp.py",
    "/static/%2e%2e%2f%2e%2e%2fpyproject.toml",
    "/static/....//....//etc/passwd",
    "/api/articles/..%2F..%2Fetc%2Fpasswd",
    "/api/articles/%2e%2e",
    "/api/country/..%2f..",
    "/api/scenarios/..%2f..%2fetc/runs",
    "/api/runs/..%2f..%2f",
    "//etc/passwd",
    "/static//etc/passwd",
]


def test_traversal_never_serves_a_file_outside_static(server):
    with httpx.Client(base_url=server.url, timeout=20, headers={"Origin": server.url}) as c:
        for path in TRAVERSALS:
            r = c.get(path)
            assert 400 <= r.status_code < 500, (path, r.status_code)
            assert "root:" not in r.text and "[project]" not in r.text and "create_app" not in r.text
        assert c.get("/api/status").status_code == 200  # still serving


def test_oversized_and_malformed_requests_get_4xx_and_server_keeps_serving(server):
    with httpx.Client(base_url=server.url, timeout=20, headers={"Origin": server.url}) as c:
        big = c.post("/api/scenarios/x/runs", content=b"{" + b" " * 100_000 + b"}",
                     headers={"content-type": "application/json"})
        assert big.status_code == 413
        assert c.get("/api/facts?indicator=" + "a" * 5000).status_code in (414, 422)
        assert c.get("/api/influence?year=" + "9" * 3000).status_code in (414, 422)
        bad_json = c.post("/api/scenarios/x/runs", content=b"{runs: 5", headers={"content-type": "application/json"})
        assert bad_json.status_code == 422
        extra = c.post("/api/scenarios/x/runs", json={"runs": 5, "path": "/etc/passwd"})
        assert extra.status_code == 422
        negative = c.post("/api/scenarios/x/runs", json={"runs": -1})
        assert negative.status_code == 422
        too_many = c.post("/api/scenarios/x/runs", json={"runs": 99_999})
        assert too_many.status_code in (422, 503)
        assert c.request("DELETE", "/api/facts").status_code == 405
        assert c.get("/api/nothing-here").status_code == 404
        for r in (big, bad_json, extra):
            assert "Traceback" not in r.text
        assert c.get("/api/status").status_code == 200


def test_server_binds_to_loopback_by_default():
    from typer.testing import CliRunner

    from heartland.cli import app

    out = CliRunner().invoke(app, ["serve", "--help"]).output
    assert "127.0.0.1" in out


def test_internal_errors_are_one_generic_line(tmp_path):
    app = create_app(tmp_path / "none.duckdb")

    @app.get("/api/boom")
    def boom():
        raise RuntimeError("secret internal detail /home/user/file.py line 3")

    with TestClient(app, raise_server_exceptions=False, base_url=LOCAL, headers=SAME) as c:
        r = c.get("/api/boom")
    assert r.status_code == 500
    assert "secret" not in r.text and "Traceback" not in r.text
    assert r.json() == {"detail": "internal error (see the server log)"}


def test_missing_store_is_503_not_500(tmp_path):
    with TestClient(create_app(tmp_path / "none.duckdb"), raise_server_exceptions=False, base_url=LOCAL, headers=SAME) as c:
        assert c.get("/api/articles").status_code == 503
        assert c.get("/api/status").json()["store"] is False


def test_reader_waits_for_a_writer_to_release_the_store(seed_store, tmp_path):
    """An ingesting process holds DuckDB's write lock; reads retry instead of failing."""
    import shutil

    db = tmp_path / "copy.duckdb"
    shutil.copy(seed_store, db)
    holder = subprocess.Popen([sys.executable, "-c",
                               "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); "
                               "print('locked', flush=True); time.sleep(1.0); c.close()", str(db)],
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        with TestClient(create_app(db), raise_server_exceptions=False, base_url=LOCAL, headers=SAME) as c:
            t0 = time.monotonic()
            r = c.get("/api/articles")
            waited = time.monotonic() - t0
        assert r.status_code == 200 and len(r.json()["items"]) == 5
        assert waited > 0.3  # it really had to wait for the writer
    finally:
        holder.wait(10)


@pytest.mark.parametrize("length", ["abc", "-5"])
def test_bad_content_length_is_rejected(seed_store, length):
    with TestClient(create_app(seed_store), raise_server_exceptions=False, base_url=LOCAL, headers=SAME) as c:
        r = c.post("/api/scenarios/x/runs", content=b"{}", headers={"content-length": length,
                                                                   "content-type": "application/json"})
    assert 400 <= r.status_code < 500
