"""Explain shows every ground: the events behind an event count (with their sentences),
the shares of a number's weight by ground, and one JSON shape for the CLI and the API."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

sys.path.insert(0, str(Path(__file__).resolve().parent))
import explain_store  # noqa: E402

from heartland.cli import app  # noqa: E402
from heartland.measure.explain import GROUNDS, explain, render_text  # noqa: E402
from heartland.world import DOMAINS, TARGETS, build_world  # noqa: E402


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Path:
    return explain_store.build(tmp_path_factory.mktemp("explain") / "store.duckdb")


@pytest.fixture(scope="module")
def world(store):
    """Every extracted item counted (``--evidence all``): what the world was before review."""
    return build_world(store, "2024-12-31", evidence="all")


@pytest.fixture(scope="module")
def world_policy(store):
    return build_world(store, "2024-12-31", evidence="policy")


@pytest.fixture(autouse=True)
def _evidence_env(monkeypatch):
    """``--evidence`` sets HEARTLAND_EVIDENCE for the process: keep each test's own."""
    monkeypatch.delenv("HEARTLAND_EVIDENCE", raising=False)


def _text(store: Path, article_id: str) -> str:
    import duckdb

    con = duckdb.connect(str(store), read_only=True)
    try:
        return con.execute("SELECT text FROM articles WHERE id = ?", [article_id]).fetchone()[0]
    finally:
        con.close()


def test_an_event_count_lists_exactly_the_events_behind_it_with_their_sentences(world, store):
    e = explain(world, "CHN", "TJK", "security", 2023, db=store)
    c = next(c for c in e.components if c.indicator == "security_events")
    assert c.low == c.high == len(c.events) == 3
    assert [ev.event_id for ev in c.events] == ["x1:e0", "x2:e0", "x1:e1"]   # by date; the statement is no exercise
    urls = {"x1": ("https://example.org/drill", "Joint drill", "Example Daily"),
            "x2": ("https://example.net/drill-ends", "Drill ends", "Other Outlet")}
    for ev in c.events:
        assert ev.type == "military_exercise" and ev.actors == ["CHN", "TJK"] and ev.date.startswith("2023")
        assert (ev.article.url, ev.article.title, ev.article.outlet) == urls[ev.article_id]
        assert ev.ground == "unreviewed"
        text = _text(store, ev.article_id)
        assert ev.sentence in text
        assert ev.sentence[ev.mark_start:ev.mark_end] == text[ev.span_start:ev.span_end]
    # Every event-derived count of the world equals the events explain lists for it.
    comps = world.components[world.components.indicator.isin(["summits_visits", "security_events",
                                                              "connectivity_events"])]
    assert len(comps) > 0
    for r in comps.itertuples():
        if r.target == "C5" or r.year not in (2023, 2024):
            continue
        d = {"summits_visits": "politics", "security_events": "security", "connectivity_events": "connectivity"}
        x = explain(world, r.patron, r.target, d[r.indicator], int(r.year))
        cc = next(c for c in x.components if c.indicator == r.indicator)
        assert cc.low == len(cc.events), (r.patron, r.target, r.indicator, r.year)


def test_under_the_policy_a_count_lists_the_admitted_events_only(world_policy, store):
    e = explain(world_policy, "CHN", "TJK", "security", 2023, db=store)
    assert e.evidence == "policy"
    c = next(c for c in e.components if c.indicator == "security_events")
    assert c.low == len(c.events) == 2 and [ev.event_id for ev in c.events] == ["x1:e0", "x2:e0"]
    assert all(ev.ground == "policy" and ev.sentence for ev in c.events)
    # The count's share, plus the policy part of the relative share (which rests on the bandwidth).
    rel = e.relative[0]
    assert c.grounds.policy == 1.0 and e.grounds.policy == pytest.approx(c.share + rel.share * rel.grounds.policy)
    # The uncorroborated misread visit feeds nothing under the policy.
    pol = explain(world_policy, "CHN", "KAZ", "politics", 2023)
    assert not any(c.indicator == "summits_visits" for c in pol.components)


def test_a_misread_event_shows_with_its_sentence(world, store):
    """A Putin visit to Kyrgyzstan read as a China–Kazakhstan visit: the count it moves shows it."""
    e = explain(world, "CHN", "KAZ", "politics", 2023, db=store)
    c = next(c for c in e.components if c.indicator == "summits_visits")
    assert c.low == 1 and len(c.events) == 1
    ev = c.events[0]
    assert ev.event_id == "m1:e0" and ev.actors == ["CHN", "KAZ"] and ev.date == "2023-10-12"
    assert "Putin arrived in Kyrgyzstan" in ev.sentence
    assert ev.sentence[ev.mark_start:ev.mark_end].startswith("Russian President Vladimir Putin")
    assert ev.article.url == "https://example.org/putin-bishkek"
    assert ev.ground == "unreviewed" and c.counted and c.share > 0 and e.grounds.unreviewed > 0
    text = render_text(e)
    assert "1 event counted" in text and "Putin arrived in Kyrgyzstan" in text
    assert "https://example.org/putin-bishkek" in text and "grounds:" in text


def test_an_accepted_misread_event_counts_as_reviewed_and_still_shows_its_sentence(store, tmp_path):
    import shutil

    import duckdb

    from heartland.review.decisions import decide

    db = tmp_path / "reviewed.duckdb"
    shutil.copy(store, db)
    con = duckdb.connect(str(db))
    decide(con, "m1:e0", "accepted", by="tester", why="test: a reviewer let the misread through")
    con.close()
    w = build_world(db, "2024-12-31", evidence="reviewed")
    e = explain(w, "CHN", "KAZ", "politics", 2023, db=db)
    c = next(c for c in e.components if c.indicator == "summits_visits")
    assert c.low == 1 and [ev.event_id for ev in c.events] == ["m1:e0"]
    assert c.events[0].ground == "reviewed" and "Putin arrived in Kyrgyzstan" in c.events[0].sentence
    assert c.grounds.reviewed == 1.0 and e.grounds.reviewed > 0


def test_the_fact_behind_a_number_carries_its_article_and_sentence(world_policy, store):
    e = explain(world_policy, "CHN", "KAZ", "economy", 2023, db=store)
    facts = [s for s in e.all_sources() if s.kind == "fact"]
    assert facts and facts[0].article.title == "Xi in Astana"
    assert facts[0].ground == "policy"  # a candidate that agrees with the curated figure
    assert facts[0].sentence[facts[0].mark_start:facts[0].mark_end] == "USD 41 bn"


def _check_shares(e) -> None:
    if e.value is None:
        assert e.grounds.total() == 0
        return
    assert abs(e.grounds.total() - 1) < 1e-9, (e.patron, e.target, e.domain, e.grounds)
    parts = sum(c.share for c in e.components) + sum(r.share for r in e.relative)
    assert abs(parts - 1) < 1e-9, (e.patron, e.target, e.domain, parts)
    for c in e.components:
        assert abs(c.grounds.total() - 1) < 1e-9
        assert c.counted or c.share == 0
    for name in GROUNDS:
        assert 0 <= getattr(e.grounds, name) <= 1 + 1e-12


def test_shares_sum_to_one_for_every_number(world, world_policy):
    for w in (world, world_policy):
        for p in ("CHN", "RUS", "USA", "TUR"):
            for t in TARGETS + ("C5",):
                for d in DOMAINS + ("overall",):
                    _check_shares(explain(w, p, t, d, 2023))


def test_grounds_follow_what_the_loader_says(store):
    """A fact a reviewer accepted counts as reviewed, a dataset row as data, an event the
    policy admitted as policy; curated rows as curated; a zero membership score as the prior."""
    extra = pd.DataFrame([
        {"eid": "fact:rev1", "kind": "fact", "patron": "RUS", "target": "KGZ", "indicator": "students",
         "year": 2023, "value": 9000, "unit": "persons", "source": "Outlet", "ground": "reviewed"},
        {"eid": "dataset:d1", "kind": "dataset", "patron": "RUS", "target": "KGZ", "indicator": "migrant_workers",
         "year": 2023, "value": 350000, "unit": "persons", "source": "a dataset"},
    ])
    w = build_world(store, "2024-12-31", extra_evidence=extra, evidence="all")
    w.event_trace = w.event_trace.assign(ground="policy")
    e = explain(w, "RUS", "KGZ", "society", 2023)
    comp = {c.indicator: c for c in e.components}
    assert comp["students"].grounds.reviewed == 1.0 and comp["remittances"].grounds.curated == 1.0
    assert comp["migrant_workers"].grounds.data > 0
    assert e.grounds.reviewed > 0 and e.grounds.data > 0
    _check_shares(e)
    pol = explain(w, "CHN", "KAZ", "politics", 2023)
    assert pol.grounds.policy > 0 and next(c for c in pol.components if c.indicator == "summits_visits").events[0].ground == "policy"
    _check_shares(pol)
    eco = explain(w, "CHN", "KAZ", "economy", 2023)
    inst = next(c for c in eco.components if c.indicator == "inst_economy")
    assert inst.low == 0 and inst.grounds.prior == 1.0 and eco.grounds.prior > 0 and eco.grounds.curated > 0


def _shape(v):
    """The shape of a JSON value: dict keys (recursively), list element shapes, leaf types."""
    if isinstance(v, dict):
        return {k: _shape(x) for k, x in v.items()}
    if isinstance(v, list):
        shapes = []
        for x in v:
            s = _shape(x)
            if s not in shapes:
                shapes.append(s)
        return shapes
    return "null" if v is None else "number" if isinstance(v, (int, float)) and not isinstance(v, bool) else type(v).__name__


def test_cli_json_and_api_json_have_one_shape(store, tmp_path):
    from fastapi.testclient import TestClient

    from heartland.web.app import create_app

    r = CliRunner().invoke(app, ["explain", "CHN", "TJK", "security", "--date", "2023", "--format", "json",
                                 "--db", str(store)])
    assert r.exit_code == 0, r.output
    cli = json.loads(r.stdout)
    with TestClient(create_app(store, runs_dir=tmp_path / "runs"), base_url="http://127.0.0.1") as client:
        resp = client.get("/api/explain?patron=CHN&target=TJK&domain=security&year=2023")
        assert resp.status_code == 200, resp.text
        api = resp.json()
    assert set(cli) == set(api)
    assert _shape(cli) == _shape(api)
    # The same number, the same events with the same sentences.
    assert cli["value"] == pytest.approx(api["value"]) and cli["grounds"] == pytest.approx(api["grounds"])
    ev = lambda j: [(x["event_id"], x["sentence"]) for c in j["components"] for x in c["events"]]  # noqa: E731
    assert ev(cli) == ev(api) and len(ev(cli)) == 2 and "counter-terrorism exercise" in ev(cli)[0][1]
    assert cli == api


def test_cli_text_lists_events_and_grounds(store):
    r = CliRunner().invoke(app, ["explain", "CHN", "TJK", "security", "--date", "2023", "--db", str(store),
                                 "--evidence", "all"])
    assert r.exit_code == 0, r.output
    assert "3 events counted" in r.stdout and "(evidence: all)" in r.stdout and "grounds:" in r.stdout
    assert "held a joint counter-terrorism exercise" in r.stdout


def test_report_section_lists_the_events_with_their_sentences(store, monkeypatch):
    import lxml.html

    from heartland.report.build import section_grounds

    monkeypatch.setenv("HEARTLAND_EVIDENCE", "all")
    doc = lxml.html.fromstring(section_grounds(store))
    row = [r for r in doc.xpath("//table[@id='grounds-table']/tbody/tr")
           if [td.text_content() for td in r.xpath("./td")[:3]] == ["Kazakhstan", "CHN", "politics"]]
    assert row
    ev = doc.xpath("//li[@class='ground-event'][@data-event-id='s1:e0']")
    assert ev and ev[0].xpath(".//mark")[0].text_content() == "Xi Jinping arrived in Kazakhstan for a state visit"
    assert ev[0].xpath(".//a/@href") == ["https://example.org/xi-astana"]
