"""Explain lists the extracted items of a number's cell that were shown but not counted,
each with why, in the one JSON shape the CLI, the API, the dashboard and the report read."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import duckdb

from heartland.measure.explain import explain, render_text
from heartland.review.decisions import decide
from heartland.review.impact import policy_world
from heartland.review.policy import WHY_EVENT_UNCORROBORATED, WHY_REJECTED

from .test_review import key_of

DATE = "2024-12-31"


def _explain(db, mode="policy", *cell):
    with duckdb.connect(str(db), read_only=True) as c:
        w = policy_world(c, DATE, mode)
        return explain(w, *cell, db=c)


def test_left_out_items_carry_why_and_follow_the_decisions(store):
    cell = ("CHN", "KAZ", "politics", 2024)
    e = _explain(store, "policy", *cell)
    talks = [x for x in e.left_out if x.kind == "event" and x.type == "talks"]
    assert len(talks) == 1, e.left_out
    t = talks[0]
    # one article reports it: the policy leaves it out, and says so, with its sentence
    assert t.why == WHY_EVENT_UNCORROBORATED and t.state == "candidate"
    assert t.indicator == "summits_visits" and t.domain == "politics" and t.sentence and t.article
    assert t.item_id not in {ev.event_id for ev in e.all_events()}
    text = render_text(e)
    assert "left out — shown as evidence, not counted (1)" in text and WHY_EVENT_UNCORROBORATED in text
    # counted under --evidence all: then it is behind the count, not left out
    e_all = _explain(store, "all", *cell)
    assert t.item_id in {ev.event_id for ev in e_all.all_events()}
    assert t.item_id not in {x.item_id for x in e_all.left_out}
    # rejected: left out in every mode, with the reviewer's rejection as the reason
    with duckdb.connect(str(store)) as c:
        decide(c, key_of(store, "event", "xi_jinping"), "rejected", why="misread")
    for mode in ("policy", "all"):
        got = {x.item_id: x for x in _explain(store, mode, *cell).left_out}
        assert got[t.item_id].why == WHY_REJECTED and got[t.item_id].state == "rejected"


def test_left_out_facts_and_the_json_shape_of_the_cli(store):
    # the Kyrgyz arms figure: one outlet, no data within 10 %: shown, not counted
    out = subprocess.run([sys.executable, "-m", "heartland.cli", "explain", "RUS", "KGZ", "security", "--date", "2023",
                          "--format", "json", "--db", str(store)], capture_output=True, text=True,
                         env={**os.environ, "HEARTLAND_EVIDENCE": "policy"}, timeout=300)
    assert out.returncode == 0, out.stderr
    e = json.loads(out.stdout)
    facts = [x for x in e["left_out"] if x["kind"] == "fact"]
    assert facts and all(x["why"] and x["domain"] == "security" for x in facts), e["left_out"]
    assert any(x["indicator"] == "arms_import_share" and x["sentence"] for x in facts)
    used = {s["eid"] for c in e["components"] for s in c["sources"]}
    assert not {f"fact:{x['item_id']}" for x in facts} & used


def test_the_dashboard_and_report_adapter_gives_the_same_left_out_list(store):
    from heartland.report import stages

    got = stages.explain(store, "CHN", "KAZ", "politics", 2024)
    cli = _explain(store, "policy", "CHN", "KAZ", "politics", 2024).as_json()
    assert got["left_out"] and got["left_out"] == cli["left_out"]
