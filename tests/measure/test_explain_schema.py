"""One JSON schema per concept: the CLI's explain JSON validates against the schema the API
publishes in /openapi.json, and docs/schemas/ holds that same schema."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import jsonschema_rs
import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from heartland.cli import app
from heartland.paths import REPO_DIR
from heartland.schemas import SHARED, standalone
from heartland.web.app import create_app

sys.path.insert(0, str(Path(__file__).resolve().parent))
import explain_store  # noqa: E402


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Path:
    return explain_store.build(tmp_path_factory.mktemp("schema") / "store.duckdb")


def test_cli_json_validates_against_the_api_schema(store: Path, tmp_path: Path):
    with TestClient(create_app(store, runs_dir=tmp_path / "runs"), base_url="http://127.0.0.1") as client:
        openapi = client.get("/openapi.json").json()
        api = client.get("/api/explain?patron=CHN&target=TJK&domain=security&year=2023").json()
    op = openapi["paths"]["/api/explain"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    assert op == {"$ref": "#/components/schemas/Explanation"}
    validator = jsonschema_rs.validator_for(standalone("Explanation", openapi))
    r = CliRunner().invoke(app, ["explain", "CHN", "TJK", "security", "--date", "2023", "--format", "json",
                                 "--db", str(store)], env={"HEARTLAND_WORLD_CACHE": "0"})
    assert r.exit_code == 0, r.output
    cli = json.loads(r.stdout)
    validator.validate(cli)
    validator.validate(api)
    # and the schema is strict enough to catch the old second shape (items[].row)
    assert not validator.is_valid({k: v for k, v in cli.items() if k != "components"} | {"items": []})


def test_published_schema_files_are_current():
    for name in SHARED.values():
        path = REPO_DIR / "docs" / "schemas" / f"{name}.json"
        assert path.is_file(), f"{path} missing: run scripts/export_schemas.py"
        assert json.loads(path.read_text(encoding="utf-8")) == standalone(name), \
            f"{path.name} is out of date: run scripts/export_schemas.py"
