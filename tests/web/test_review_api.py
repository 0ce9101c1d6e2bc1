"""The review API (heartland.web.review_api) on a copy of the seed store, in-process.

Listing with filters and facets, one item with its sentence and article, decisions that
land in the store (and survive as the key, not the row id), the same-origin and JSON-only
rules for writes, bad input, and the time a decision takes.
"""

from __future__ import annotations

import os
import shutil
import statistics
import time

import duckdb
import pytest
from fastapi.testclient import TestClient

from heartland.web.app import create_app

BASE = "http://127.0.0.1:8000"
SAME = {"Origin": BASE}


@pytest.fixture()
def store(seed_store, tmp_path):
    db = tmp_path / "review.duckdb"
    shutil.copy(seed_store, db)
    return db


@pytest.fixture()
def client(store, tmp_path):
    return TestClient(create_app(store, runs_dir=tmp_path / "runs"), base_url=BASE)


def decisions(db) -> dict[str, tuple]:
    with duckdb.connect(str(db), read_only=True) as c:
        if not c.execute("SELECT count(*) FROM information_schema.tables WHERE table_name = 'review_decisions'"
                         ).fetchone()[0]:
            return {}
        return {r[0]: r[1:] for r in c.execute(
            "SELECT item_key, state, edited, decided_by, why FROM review_decisions").fetchall()}


def test_list_filters_and_facets(client):
    d = client.get("/api/review/items").json()
    assert d["available"] and d["total"] == len(d["items"]) > 20
    assert d["ordered_by"] in ("impact", "confidence")
    assert {i["state"] for i in d["items"]} == {"candidate"}
    # by impact, largest first; items that move no index after, least confident first
    moving = [i for i in d["items"] if i.get("impact")]
    rest = d["items"][len(moving):]
    assert all(not i.get("impact") for i in rest)
    assert [i["impact"]["impact"] for i in moving] == sorted((i["impact"]["impact"] for i in moving), reverse=True)
    assert [i["confidence"] for i in rest] == sorted(i["confidence"] for i in rest)
    every = client.get("/api/review/items?state=any").json()
    assert {"fact", "event", "quote"} <= {i["kind"] for i in every["items"]}
    assert every["total"] == sum(every["facets"]["states"].values()) >= d["total"]
    fc = d["facets"]
    assert fc["articles"] and "KAZ" in fc["actors"] and every["facets"]["indicators"]
    # each filter narrows to items that match it
    art = fc["articles"][0]["id"]
    a = client.get(f"/api/review/items?article={art}").json()
    assert a["total"] == fc["articles"][0]["n"] and {i["article_id"] for i in a["items"]} == {art}
    k = client.get("/api/review/items?actor=KAZ").json()
    assert 0 < k["total"] < d["total"] and all("KAZ" in i["actors"] for i in k["items"])
    f = client.get("/api/review/items?kind=fact&indicator=trade_total&state=any").json()
    assert f["total"] >= 1 and all(i["kind"] == "fact" and i["indicator"] == "trade_total" for i in f["items"])
    e = client.get("/api/review/items?indicator=visit&state=any").json()
    assert e["total"] >= 1 and all(i["kind"] == "event" for i in e["items"])
    c = client.get("/api/review/items?min_confidence=0.5&max_confidence=0.65").json()
    assert c["total"] >= 1 and all(0.5 <= i["confidence"] <= 0.65 for i in c["items"])
    p = client.get("/api/review/items?limit=5&offset=5").json()
    assert [i["item_key"] for i in p["items"]] == [i["item_key"] for i in d["items"][5:10]]
    for bad in ("article=../../etc", "min_confidence=2", "kind=table", "state=gone", "actor=a;drop", "limit=0"):
        assert client.get(f"/api/review/items?{bad}").status_code == 422, bad


def test_item_detail_has_sentence_span_article_and_fields(client, store):
    items = client.get("/api/review/items?kind=fact").json()["items"]
    it = items[0]
    d = client.get(f"/api/review/items/{it['item_key']}").json()
    assert d["item_key"] == it["item_key"] and d["kind"] == "fact"
    s = d["sentence"]
    assert s["sentence"][s["mark_start"]:s["mark_end"]] == d["surface"] != ""
    with duckdb.connect(str(store), read_only=True) as c:
        url, text = c.execute("SELECT url, text FROM articles WHERE id = ?", [d["article_id"]]).fetchone()
    assert text[d["span_start"]:d["span_end"]] == d["surface"]
    assert d["article"]["url"] == url and d["article"]["title"]
    assert {"subject", "object", "indicator", "unit"} <= d["proposed"].keys()
    assert "value" in d["editable"] and d["impact_status"] in ("not computed", "computed", "moves no index")
    assert client.get("/api/review/items/" + "0" * 32).status_code == 404
    assert client.get("/api/review/items/not-a-key").status_code == 422


def test_decisions_land_in_the_store(client, store):
    items = client.get("/api/review/items").json()["items"]
    fact = next(i for i in items if i["kind"] == "fact")
    other = next(i for i in items if i["kind"] != "fact")
    # an event the seeds decided already: a new decision replaces the old one
    event = next(i for i in client.get("/api/review/items?state=any&kind=event").json()["items"])
    seeded = decisions(store)  # the seeds' hand-checked items come accepted (docs/review.md)
    client.get(f"/api/review/items/{fact['item_key']}")  # shown first, as the page does
    r = client.post(f"/api/review/items/{fact['item_key']}", json={"state": "accepted", "by": "ana", "why": "checked"},
                    headers=SAME)
    assert r.status_code == 200, r.text
    assert r.json()["state"] == "accepted" and "write;dur=" in r.headers["server-timing"]
    # not shown before: looked up in the store
    r = client.post(f"/api/review/items/{event['item_key']}", json={"state": "edited", "edited": {"type": "talks"}},
                    headers=SAME)
    assert r.status_code == 200, r.text
    assert client.post(f"/api/review/items/{other['item_key']}", json={"state": "rejected"},
                       headers=SAME).status_code == 200
    got = decisions(store)
    assert got[fact["item_key"]][0] == "accepted" and got[fact["item_key"]][2:] == ("ana", "checked")
    assert got[event["item_key"]][:2] == ("edited", '{"type": "talks"}')
    assert got[other["item_key"]][0] == "rejected"
    # the listing shows the new states; candidates no longer include them
    left = {i["item_key"] for i in client.get("/api/review/items").json()["items"]}
    assert not left & {fact["item_key"], event["item_key"], other["item_key"]}
    decided = client.get("/api/review/items?state=decided").json()
    assert decided["total"] == len(seeded | {fact["item_key"]: 1, event["item_key"]: 1, other["item_key"]: 1})
    n_acc = sum(1 for k, v in seeded.items() if v[0] == "accepted" and k != event["item_key"])
    assert decided["facets"]["states"]["accepted"] == n_acc + 1
    # a later decision replaces the earlier one (the log keeps both)
    assert client.post(f"/api/review/items/{fact['item_key']}", json={"state": "rejected"},
                       headers=SAME).status_code == 200
    assert decisions(store)[fact["item_key"]][0] == "rejected"
    with duckdb.connect(str(store), read_only=True) as c:
        assert c.execute("SELECT count(*) FROM review_log WHERE item_key = ?", [fact["item_key"]]).fetchone()[0] == 2


def test_bad_decisions_are_refused_and_write_nothing(client, store):
    key = client.get("/api/review/items?kind=fact").json()["items"][0]["item_key"]
    url = f"/api/review/items/{key}"
    seeded = decisions(store)
    cases = [
        ({"state": "maybe"}, 422),
        ({"state": "edited"}, 422),  # an edit needs fields
        ({"state": "edited", "edited": {"speaker": "x"}}, 422),  # not a fact field
        ({"state": "accepted", "edited": {"value": 1}}, 422),
        ({"state": "accepted", "extra": 1}, 422),
        ({"state": "accepted", "by": "<script>"}, 422),
    ]
    for body, code in cases:
        assert client.post(url, json=body, headers=SAME).status_code == code, body
    assert client.post("/api/review/items/" + "0" * 32, json={"state": "accepted"}, headers=SAME).status_code == 404
    # same origin and JSON only
    assert client.post(url, json={"state": "accepted"}).status_code == 403  # no Origin, no Referer
    assert client.post(url, json={"state": "accepted"}, headers={"Origin": "http://evil.example"}).status_code == 403
    assert client.post(url, json={"state": "accepted"}, headers={"Origin": "null"}).status_code == 403
    assert client.post(url, json={"state": "accepted"},
                       headers={"Referer": "http://evil.example/#/review"}).status_code == 403
    rebound = {"Host": "evil.example:8000", "Origin": "http://evil.example:8000"}  # DNS rebinding
    assert client.post(url, json={"state": "accepted"}, headers=rebound).status_code == 421
    assert client.post(url, content="state=accepted", headers={**SAME, "Content-Type":
                                                                "application/x-www-form-urlencoded"}).status_code in (415, 422)
    assert client.post(url, content='{"state": "accepted"}', headers={**SAME, "Content-Type": "text/plain"}
                       ).status_code in (415, 422)
    assert client.post(url, content="{not json", headers={**SAME, "Content-Type": "application/json"}).status_code == 422
    assert decisions(store) == seeded
    # the Referer of the dashboard's own page is enough
    assert client.post(url, json={"state": "accepted"}, headers={"Referer": BASE + "/#/review"}).status_code == 200


def test_a_decision_answers_in_under_100_ms(client, store):
    """Median of 30 decisions (item shown first, as on the page). The target is 100 ms;
    the assertion leaves room for a loaded test machine (docs/performance.md, ## review)."""
    items = client.get("/api/review/items").json()["items"][:30]
    took = []
    for it in items:
        client.get(f"/api/review/items/{it['item_key']}")
        t = time.perf_counter()
        r = client.post(f"/api/review/items/{it['item_key']}", json={"state": "accepted"}, headers=SAME)
        took.append((time.perf_counter() - t) * 1000)
        assert r.status_code == 200
    assert all(decisions(store)[i["item_key"]][0] == "accepted" for i in items)
    limit = 150 * max(2.0, 1 + os.getloadavg()[0] / (os.cpu_count() or 1))  # room for a loaded machine
    assert statistics.median(took) < limit, (took, limit)


def test_a_decision_waits_for_a_writer_and_loses_nothing(client, store):
    """While another process holds the store (an ingest's batch), a decision waits and then lands."""
    import subprocess
    import sys
    key = client.get("/api/review/items").json()["items"][0]["item_key"]
    holder = subprocess.Popen([sys.executable, "-c", (
        "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); print('held', flush=True); time.sleep(1.5); c.close()"),
        str(store)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        t = time.perf_counter()
        r = client.post(f"/api/review/items/{key}", json={"state": "rejected"}, headers=SAME)
        waited = time.perf_counter() - t
    finally:
        holder.wait(10)
    assert r.status_code == 200, r.text
    assert waited > 0.3
    assert decisions(store)[key][0] == "rejected"


def test_the_exact_preview_lists_every_number_a_decision_changes(client, store):
    """GET …/preview: the decision is not recorded; what it would change comes back, the
    item's own cell first, and recording it then changes exactly those numbers."""
    with duckdb.connect(str(store)) as c:   # nothing decided: the top of the queue moves an index
        c.execute("DELETE FROM review_decisions")
    # the top item that moves a state's number (the influence table shows the five; an item
    # feeding only the C5 tie moves only C5 rows, which the preview lists too)
    top = next(i for i in client.get("/api/review/items").json()["items"]
               if (i.get("impact") or {}).get("impact") and i["impact"]["target"] != "C5")
    m = top["impact"]
    state = "accepted" if m["direction"] == "accept" else "rejected"
    before = client.get("/api/influence?year=" + str(m["year"])).json()
    p = client.get(f"/api/review/items/{top['item_key']}/preview?state={state}").json()
    assert decisions(store) == {}, "a preview records nothing"
    first = p["changes"][0]
    assert (first["patron"], first["target"], first["domain"], first["year"]) == \
        (m["patron"], m["target"], m["domain"], m["year"])
    assert first["before"] == pytest.approx(m["before"], abs=1e-9) and first["after"] == pytest.approx(m["after"],
                                                                                                      abs=1e-9)
    assert client.post(f"/api/review/items/{top['item_key']}", json={"state": state}, headers=SAME).status_code == 200
    after = client.get("/api/influence?year=" + str(m["year"])).json()
    cells = lambda d: {(x["patron"], x["target"], x["domain"]): x["value"] for x in d["cells"]} | {  # noqa: E731
        (x["patron"], x["target"], "overall"): x["value"] for x in d["overall"]}
    b, a = cells(before), cells(after)
    moved = {k for k in set(a) | set(b) if a.get(k) != b.get(k)}
    previewed = {(c["patron"], c["target"], c["domain"]) for c in p["changes"]
                 if c["year"] == m["year"] and c["target"] != "C5"}
    assert moved == previewed
    assert client.get("/api/review/items/" + "0" * 32 + "/preview").status_code == 404
    assert client.get(f"/api/review/items/{top['item_key']}/preview?state=edited").status_code == 422


def test_a_regional_item_previews_its_c5_cell(client, store):
    """An item feeding the five together (a regional figure) moves the C5 numbers: its exact
    preview lists that cell first, with the listing's before and after."""
    with duckdb.connect(str(store)) as c:
        c.execute("DELETE FROM review_decisions")
    items = client.get("/api/review/items").json()["items"]
    regional = [i for i in items if (i.get("impact") or {}).get("impact") and i["impact"]["target"] == "C5"]
    assert regional, "the seeds hold a regional figure that moves a C5 tie"
    m = regional[0]["impact"]
    state = "accepted" if m["direction"] == "accept" else "rejected"
    p = client.get(f"/api/review/items/{regional[0]['item_key']}/preview?state={state}").json()
    first = p["changes"][0]
    assert (first["patron"], first["target"], first["domain"], first["year"]) == \
        (m["patron"], "C5", m["domain"], m["year"])
    assert first["after"] == pytest.approx(m["after"], abs=1e-9)
