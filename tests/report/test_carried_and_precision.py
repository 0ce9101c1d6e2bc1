"""Outputs say what they are: values carried forward from an earlier year are marked (map,
/api/influence), and dates are shown at their precision (CLI tables, explain, report)."""

from __future__ import annotations

import sys
from pathlib import Path

import duckdb
import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from heartland.cli import app
from heartland.cli_common import at_precision
from heartland.report import stages
from heartland.world.components import COMPONENTS

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "measure"))
import explain_store  # noqa: E402

NO_STORE = Path("/nonexistent/heartland.duckdb")


def test_carried_forward_cells_are_marked_and_only_those():
    panel = stages.influence_panel(NO_STORE)
    w = stages.world(NO_STORE)
    c = w.components[w.components["n_items"] > 0]
    domain_of = {x.indicator: x.domain for x in COMPONENTS}
    c = c.assign(domain=c["indicator"].map(domain_of))
    marked = 0
    for year in panel["years"]:
        for cell in panel["cells"][year]:
            # the years of the evidence behind this patron, target and domain, up to this year
            used = c[(c.patron == cell["patron"]) & (c.target == cell["target"]) & (c.domain == cell["domain"])
                     & (c.year_used <= year)]["year_used"]
            if cell["carried_from"] is not None:
                marked += 1
                assert cell["carried_from"] < year and used.max() == cell["carried_from"], cell
            else:  # evidence of its own year, or none at all (memberships in force that year)
                assert used.empty or used.max() == year, cell
    assert marked > 0  # the bundled data has values carried forward (e.g. into the latest year)


def test_api_influence_carries_the_mark(tmp_path):
    from heartland.web.app import create_app

    with TestClient(create_app(NO_STORE, runs_dir=tmp_path / "runs"), base_url="http://127.0.0.1") as client:
        inf = client.get("/api/influence").json()
    assert inf["available"] and all("carried_from" in x for x in inf["cells"] + inf["overall"])
    assert any(x["carried_from"] for x in inf["cells"])


def test_dates_at_their_precision(tmp_path):
    assert at_precision("2024-01-01", "year") == "2024"
    assert at_precision("2024-05-01", "month") == "2024-05"
    assert at_precision("2024-05-07", "day") == "2024-05-07"
    assert at_precision(None, "day") == "?"
    db = explain_store.build(tmp_path / "s.duckdb")
    with duckdb.connect(str(db)) as con:
        con.execute("UPDATE events SET date = DATE '2023-01-01', date_precision = 'year' WHERE event_id = 'x1:e1'")
        for col in ("cameo VARCHAR", "quad_class INTEGER", "goldstein DOUBLE", "date_uncertain BOOLEAN",
                    "date_end DATE"):  # the extraction stage's other event columns
            con.execute(f"ALTER TABLE events ADD COLUMN {col}")
        con.execute("CREATE TABLE quotes (speaker VARCHAR, speaker_name VARCHAR, affiliation VARCHAR, text VARCHAR,"
                    " hypotheses VARCHAR, stance VARCHAR, article_id VARCHAR, span_start INT, span_end INT)")
    runner = CliRunner()
    table = runner.invoke(app, ["events", "--db", str(db), "--type", "military_exercise"], env={"COLUMNS": "250"})
    assert table.exit_code == 0, table.output
    assert "2023-01-01" not in table.stdout and "│ 2023 " in table.stdout
    text = runner.invoke(app, ["explain", "CHN", "TJK", "security", "--date", "2023", "--db", str(db),
                               "--evidence", "all"], env={"HEARTLAND_WORLD_CACHE": "0"})
    assert text.exit_code == 0, text.output
    line = next(x for x in text.stdout.splitlines() if "[x1:e1]" in x)
    assert " 2023 " in line and "2023-01-01" not in line
