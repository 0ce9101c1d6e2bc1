"""Property-based API tests with schemathesis against the OpenAPI schema: never a 5xx.

Schemathesis generates requests (valid and invalid) for each operation of the schema
FastAPI publishes; Hypothesis drives them. We use schemathesis's Python API (operation
strategies) rather than its pytest plugin, whose parametrisation does not work with
pytest 9 (``'Function' object has no attribute '_nodeid'``).
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings

from heartland.web.app import create_app

#: Every operation the dashboard's schema publishes (checked against the schema below).
OPERATIONS = [
    "GET /api/status", "GET /api/axes", "GET /api/geo", "GET /api/influence", "GET /api/measures",
    "GET /api/country/{iso}", "GET /api/explain", "GET /api/articles", "GET /api/articles/{article_id}",
    "GET /api/facts", "GET /api/events", "GET /api/quotes", "GET /api/fact-groups", "GET /api/timeline",
    "GET /api/scenarios", "POST /api/scenarios/{name}/runs", "GET /api/runs", "GET /api/runs/{run_id}",
    "GET /api/hypotheses", "GET /api/forecasts",
    "GET /api/review/items", "GET /api/review/items/{key}", "POST /api/review/items/{key}",
    "GET /api/review/items/{key}/preview",
]


ORIGIN = "http://testserver"


@pytest.fixture(scope="module")
def api_schema(seed_store, tmp_path_factory):
    # schemathesis's ASGI client addresses the app as "testserver": allowed here as --allow-host
    # would; its writes carry the page's Origin so that they reach the handlers (a foreign
    # Origin is refused before them: tests/web/test_rebinding.py)
    app = create_app(seed_store, runs_dir=tmp_path_factory.mktemp("fuzzruns"), max_runs_per_request=5,
                     allow_hosts=["testserver"], max_active_runs=64)
    return schemathesis.openapi.from_asgi("/openapi.json", app)


def _operations(schema) -> dict:
    ops = {}
    for res in schema.get_all_operations():
        op = res.ok()
        ops[f"{op.method.upper()} {op.path}"] = op
    return ops


def test_schema_covers_every_operation(api_schema):
    assert set(_operations(api_schema)) == set(OPERATIONS)


@pytest.mark.slow
@pytest.mark.parametrize("label", OPERATIONS)
def test_no_server_errors(api_schema, label):
    op = _operations(api_schema)[label]
    seen = []

    @given(case=op.as_strategy())
    @settings(max_examples=20, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    def check(case):
        resp = case.call(headers={"Origin": ORIGIN})
        seen.append(resp.status_code)
        assert resp.status_code < 500, f"{case.method} {case.formatted_path} {case.query} -> {resp.status_code}: {resp.text[:300]}"

    check()
    assert seen, "no request was generated"
