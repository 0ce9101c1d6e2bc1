"""The dashboard against a hostile web page: DNS rebinding, cross-site writes, sniffing, framing.

A page on another site can make the user's browser send requests to 127.0.0.1 (by
rebinding its own DNS name to it: the request then carries the page's host name) or
submit forms and fetches to it (cross-site). Every route must refuse a foreign ``Host``
(400 or 421) before it runs, every state-changing request must come from the
dashboard's own page, and every answer carries ``nosniff`` and a restrictive CSP.
"""

from __future__ import annotations

import re
import threading

import httpx
import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from starlette.routing import Mount, Route

from heartland.web.app import CSP, allowed_hosts, create_app, host_name

LOCAL = "http://127.0.0.1:8000"
FOREIGN_HOSTS = ["evil.example", "evil.example:8000", "127.0.0.1.evil.example", "localhost.evil.example:8000",
                 "attacker.test:80", "[::2]:8000", "0.0.0.0:8000", "10.0.0.1", "", "127.0.0.1@evil.example",
                 "evil.example/127.0.0.1", "localhost."]

#: A valid value for each path parameter (so that a refusal is the guard's, not a 404 or 422).
SAMPLES = {"article_id": "0123456789abcdef", "iso": "KAZ", "name": "baseline", "run_id": "0123456789ab",
           "key": "0" * 32, "path": "app.js"}


def _fill(path: str) -> str:
    return re.sub(r"\{(\w+)(?::\w+)?\}", lambda m: SAMPLES.get(m.group(1), "x"), path)


def every_route(app) -> list[tuple[str, str]]:
    """``(method, path)`` for every route the app serves, pages and static files included."""
    out = []
    for r in app.routes:  # pages, static files, the schema and API browser
        if isinstance(r, APIRoute) or isinstance(r, Route):
            for m in sorted(r.methods or {"GET"}):
                if m != "HEAD":
                    out.append((m, _fill(r.path)))
        elif isinstance(r, Mount):
            out.append(("GET", r.path + "/app.js"))
    for path, ops in app.openapi()["paths"].items():  # every API operation (included routers too)
        out += [(m.upper(), _fill(path)) for m in ops]
    return sorted(set(out))


@pytest.fixture(scope="module")
def app(seed_store, tmp_path_factory):
    return create_app(seed_store, runs_dir=tmp_path_factory.mktemp("rebind-runs"), max_runs_per_request=50)


def test_the_route_list_is_complete(app):
    routes = every_route(app)
    paths = {p for _, p in routes}
    assert {"/", "/static/app.js", "/openapi.json", "/docs", "/api/status", "/api/articles/0123456789abcdef",
            "/api/scenarios/baseline/runs", "/api/review/items/" + "0" * 32} <= paths
    assert len(routes) >= 28, routes


@pytest.mark.parametrize("host", FOREIGN_HOSTS)
def test_a_foreign_host_is_refused_on_every_route(app, host):
    """The DNS-rebinding test: the request reaches the server but names another host."""
    with TestClient(app, raise_server_exceptions=False, base_url=LOCAL) as c:
        for method, path in every_route(app):
            headers = {"Host": host}
            if method != "GET":
                headers["Origin"] = f"http://{host}"  # the rebound page's own origin
            r = c.request(method, path, headers=headers, json={"runs": 5} if method == "POST" else None)
            assert r.status_code in (400, 421), (host, method, path, r.status_code, r.text[:200])
            assert "Traceback" not in r.text
            assert r.headers["x-content-type-options"] == "nosniff"
        # and the same routes answer on the dashboard's own name
        assert c.get("/api/status").status_code == 200


def test_rebinding_against_the_live_server(server):
    """The real ``heartland serve`` (uvicorn) on loopback: same refusals, over TCP."""
    with httpx.Client(base_url=server.url, timeout=20) as c:
        for path in ("/", "/api/status", "/api/articles", "/api/influence", "/static/app.js", "/openapi.json"):
            r = c.get(path, headers={"Host": "evil.example:" + server.url.rsplit(":", 1)[1]})
            assert r.status_code in (400, 421), (path, r.status_code)
            assert "articles" not in r.text or "answers only" in r.text
        r = c.post("/api/scenarios/baseline/runs", json={"runs": 5},
                   headers={"Host": "evil.example", "Origin": "http://evil.example"})
        assert r.status_code in (400, 421)
        assert c.get("/api/status").status_code == 200
        assert c.get("/api/status", headers={"Host": "localhost"}).status_code == 200


def test_allow_host_adds_a_name(seed_store, tmp_path):
    app = create_app(seed_store, runs_dir=tmp_path / "runs", bind_host="0.0.0.0", allow_hosts=["dash.lan"])
    with TestClient(app, raise_server_exceptions=False, base_url="http://dash.lan:8000") as c:
        assert c.get("/api/status").status_code == 200
        assert c.get("/api/status", headers={"Host": "other.lan:8000"}).status_code == 421
        assert c.get("/api/status", headers={"Host": "0.0.0.0:8000"}).status_code == 421  # not the any-address
    assert allowed_hosts("192.168.1.5") == {"127.0.0.1", "localhost", "::1", "192.168.1.5"}
    assert host_name("[::1]:8000") == "::1" and host_name("LOCALHOST:1") == "localhost"
    assert host_name("a:b:c") is None and host_name("evil.example/x") is None and host_name(None) is None


def test_serve_has_allow_host():
    from typer.testing import CliRunner

    from heartland.cli import app as cli

    out = CliRunner().invoke(cli, ["serve", "--help"], env={"COLUMNS": "200"}).output
    assert "--allow-host" in out and "--max-active-runs" in out


@pytest.mark.parametrize("headers", [
    {},                                                    # no Origin, no Referer (a script elsewhere)
    {"Origin": "http://evil.example"},                     # a cross-site fetch or form
    {"Origin": "null"},                                    # a sandboxed frame or a data: page
    {"Origin": "http://127.0.0.1:9999"},                   # another port is another origin
    {"Referer": "http://evil.example/page"},               # no Origin, a foreign Referer
    {"Origin": "http://127.0.0.1:8000.evil.example"},
])
def test_cross_site_writes_are_refused(app, headers):
    with TestClient(app, raise_server_exceptions=False, base_url=LOCAL) as c:
        for ctype, body in (("application/json", b'{"runs": 5}'), ("text/plain", b'{"runs": 5}'),
                            ("application/x-www-form-urlencoded", b"runs=5")):
            r = c.post("/api/scenarios/baseline/runs", content=body, headers={**headers, "Content-Type": ctype})
            assert r.status_code == 403, (headers, ctype, r.status_code)
            assert "cross-site" in r.json()["detail"]
        r = c.post("/api/review/items/" + "0" * 32, json={"state": "accepted"}, headers=headers)
        assert r.status_code == 403
        assert c.request("DELETE", "/api/runs", headers=headers).status_code in (403, 405)
        assert c.get("/api/runs").json()["items"] == []  # nothing was started


def test_same_origin_writes_pass(app):
    with TestClient(app, raise_server_exceptions=False, base_url=LOCAL) as c:
        ok = c.post("/api/scenarios/baseline/runs", json={"runs": 5}, headers={"Origin": LOCAL})
        assert ok.status_code == 202, ok.text
        by_referer = c.post("/api/scenarios/no_such/runs", json={"runs": 5},
                            headers={"Referer": LOCAL + "/#/scenarios"})
        assert by_referer.status_code == 404  # past the guard: the handler's answer
        for _ in range(600):  # let the run finish before the app goes
            if c.get(f"/api/runs/{ok.json()['id']}").json()["status"] in ("done", "failed"):
                break
            threading.Event().wait(0.1)


def test_security_headers_on_every_answer(app):
    with TestClient(app, raise_server_exceptions=False, base_url=LOCAL) as c:
        for path in ("/", "/static/app.js", "/static/app.css", "/api/status", "/api/nothing", "/favicon.ico"):
            r = c.get(path)
            assert r.headers["x-content-type-options"] == "nosniff", path
            assert r.headers["content-security-policy"] == CSP, path
            assert r.headers["x-frame-options"] == "DENY"
        csp = c.get("/").headers["content-security-policy"]
        assert "script-src 'self';" in csp and "default-src 'none'" in csp and "frame-ancestors 'none'" in csp
        assert "unsafe-eval" not in csp and "http" not in csp.replace("'self'", "")
        assert c.get("/static/app.js").headers["content-type"].startswith(("text/javascript", "application/javascript"))
        page = c.get("/").text
        assert "<script>" not in page and "javascript:" not in page  # no inline script for the CSP to allow


def test_concurrent_scenario_runs_are_limited(seed_store, tmp_path, monkeypatch):
    """At most ``max_active_runs`` runs queued or running per server; more get 429."""
    from heartland.report import stages

    release = threading.Event()

    def slow_run(name, runs, seed, out_dir, progress):
        release.wait(30)
        return {"x": [], "series": {}, "hypotheses": []}

    monkeypatch.setattr(stages, "run_scenario", slow_run)
    app = create_app(seed_store, runs_dir=tmp_path / "runs", max_active_runs=2)
    try:
        with TestClient(app, raise_server_exceptions=False, base_url=LOCAL, headers={"Origin": LOCAL}) as c:
            codes = [c.post("/api/scenarios/baseline/runs", json={"runs": 5}).status_code for _ in range(5)]
            assert codes == [202, 202, 429, 429, 429], codes
            r = c.post("/api/scenarios/baseline/runs", json={"runs": 5})
            assert r.status_code == 429 and r.headers.get("retry-after") and "at once (2)" in r.json()["detail"]
            release.set()
            for _ in range(100):
                if all(j["status"] == "done" for j in c.get("/api/runs").json()["items"]):
                    break
                threading.Event().wait(0.1)
            assert c.post("/api/scenarios/baseline/runs", json={"runs": 5}).status_code == 202
    finally:
        release.set()


@pytest.mark.browser
def test_the_pages_run_under_their_csp(browser, server):
    """Chromium with the policy enforced (the other browser tests bypass it for Playwright's
    string predicates): every page draws, the review form's keys work, and the console
    reports no Content-Security-Policy violation."""
    ctx = browser.new_context(viewport={"width": 1300, "height": 900})
    page = ctx.new_page()
    page.set_default_timeout(60_000)
    seen: list[str] = []
    page.on("console", lambda m: seen.append(m.text))
    page.on("pageerror", lambda e: seen.append(str(e)))
    try:
        for route, selector in (("#/map", "#map"), ("#/country/KAZ", "#influence-table, .chart"),
                                ("#/evidence/facts", "table"), ("#/timeline", "#timeline"),
                                ("#/scenarios", "#scenarios, .card"), ("#/forecasts", ".card"),
                                ("#/review", "#review-root")):
            page.goto(f"{server.url}/{route}")
            page.locator(selector).first.wait_for()
        page.keyboard.press("/")  # into the review filters; Enter must not submit the form away
        page.keyboard.press("Enter")
        assert page.url.endswith("#/review") or "#/review" in page.url
    finally:
        ctx.close()
    violations = [m for m in seen if "Content Security Policy" in m or "Refused to" in m]
    assert not violations, violations
