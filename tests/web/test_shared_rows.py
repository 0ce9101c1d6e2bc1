"""Evidence rows have one JSON shape: the CLI's facts/events/quotes rows and the API's items
both validate against the schema /openapi.json publishes, and agree field by field."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import jsonschema_rs
import pytest
from fastapi.testclient import TestClient

from heartland.schemas import standalone
from heartland.web.app import MAX_PAGE, create_app

KINDS = {"facts": "FactRow", "events": "EventRow", "quotes": "QuoteRow"}


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_cli_rows_and_api_items_share_the_published_schema(kind: str, seed_store: Path, tmp_path: Path):
    with TestClient(create_app(seed_store, runs_dir=tmp_path / "runs"), base_url="http://127.0.0.1") as client:
        openapi = client.get("/openapi.json").json()
        api = client.get(f"/api/{kind}?limit={MAX_PAGE}").json()["items"]
    schema = openapi["paths"][f"/api/{kind}"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    assert schema["$ref"].endswith("Page")
    validator = jsonschema_rs.validator_for(standalone(KINDS[kind], openapi))
    res = subprocess.run([sys.executable, "-m", "heartland.cli", kind, "--format", "json", "--db", str(seed_store)],
                         capture_output=True, text=True, check=True)
    cli = json.loads(res.stdout)
    assert cli and api, "the seeds give rows of every kind"
    for row in cli:
        validator.validate(row)
    for item in api:
        validator.validate(item)
    # the same item, the same values for every field the CLI prints
    by_span = {(x["article_id"], tuple(x["span"]), x.get("type") or x.get("indicator") or x.get("text")): x
               for x in api}
    matched = 0
    for row in cli:
        item = by_span.get((row["article_id"], tuple(row["span"]), row.get("type") or row.get("indicator")
                            or row.get("text")))
        if item is not None:
            matched += 1
            assert {k: item[k] for k in row} == row
    assert matched == len(cli) or matched >= 10
