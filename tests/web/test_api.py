"""The dashboard's JSON API over a store built from the seed articles (in-process client)."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from heartland.web.app import create_app
from heartland.world.axes import TARGETS


@pytest.fixture(scope="module")
def client(seed_store, tmp_path_factory):
    app = create_app(seed_store, runs_dir=tmp_path_factory.mktemp("runs"), max_runs_per_request=300)
    # the dashboard answers to loopback names only, and takes writes from its own page
    with TestClient(app, raise_server_exceptions=False, base_url="http://127.0.0.1:8000",
                    headers={"Origin": "http://127.0.0.1:8000"}) as c:
        yield c


def test_status_counts_the_seed_articles(client):
    s = client.get("/api/status").json()
    assert s["store"] is True
    assert s["counts"]["articles"] == 5


def test_geo_has_the_five_states_and_cites_natural_earth(client):
    g = client.get("/api/geo").json()
    codes = {f["properties"]["iso_a3"]: f["properties"]["role"] for f in g["features"]}
    assert {c for c, r in codes.items() if r == "target"} == set(TARGETS)
    assert codes["RUS"] == "patron" and codes["CHN"] == "patron"
    assert {"AFG", "IRN", "PAK", "MNG"} <= codes.keys()
    assert "Natural Earth" in g["source"]["dataset"] and "geopandas==0.14.4" in g["source"]["via"]


def test_articles_list_and_one_article_with_text(client):
    items = client.get("/api/articles").json()["items"]
    assert len(items) == 5
    assert all(a["url"].startswith("https://") for a in items)
    assert all("text" not in a for a in items)  # the list stays light
    art = client.get(f"/api/articles/{items[0]['id']}").json()
    assert len(art["text"]) > 500 and art["title"] == items[0]["title"]
    for it in art["items"]:
        assert 0 <= it["start"] < it["end"] <= len(art["text"])


def test_influence_by_year_and_leading_patrons(client):
    inf = client.get("/api/influence").json()
    assert inf["available"] and inf["year"] == inf["years"][-1]
    first = client.get(f"/api/influence?year={inf['years'][0]}").json()
    assert first["year"] == inf["years"][0]
    # The seeds' picture: Russia leads in security in the CSTO members it protects
    # (in the latest year with security ties for that state).
    for target in ("KAZ", "KGZ", "TJK"):
        for year in reversed(inf["years"]):
            cells = [c for c in client.get(f"/api/influence?year={year}").json()["cells"]
                     if c["domain"] == "security" and c["target"] == target]
            if cells:
                break
        assert cells, f"no security ties for {target} in any year"
        lead = max(cells, key=lambda c: c["value"])
        assert lead["patron"] == "RUS", (target, year, lead)
    for c in inf["cells"]:
        assert c["low"] is None or c["high"] is None or c["low"] <= c["value"] <= c["high"] + 1e-12
    # cells the world leaves to the prior are listed (the dashboard marks them) and carry no value
    priors = {(x["patron"], x["target"], x["domain"]) for x in inf["priors"]}
    assert priors and not priors & {(c["patron"], c["target"], c["domain"]) for c in inf["cells"]}


def test_influence_year_outside_the_data_is_404_and_nonsense_is_422(client):
    assert client.get("/api/influence?year=1995").status_code == 404
    assert client.get("/api/influence?year=abc").status_code == 422
    assert client.get("/api/influence?year=3000").status_code == 422


def test_country_series_and_bad_codes(client):
    c = client.get("/api/country/KAZ").json()
    assert c["name"] == "Kazakhstan" and c["available"]
    doms = {(s["patron"], s["domain"]) for s in c["series"]}
    assert ("RUS", "security") in doms and ("CHN", "economy") in doms and ("CHN", "overall") in doms
    # Every value on the page links to /api/explain, which knows the five domains and overall.
    from heartland.world.axes import DOMAINS

    assert {d for _, d in doms} <= set(DOMAINS) | {"overall"}
    s = next(x for x in c["series"] if x["patron"] == "RUS" and x["domain"] == "politics")
    y = s["points"][-1]["year"]
    assert client.get(f"/api/explain?patron=RUS&target=KAZ&domain=politics&year={y}").status_code == 200
    assert client.get("/api/country/CHN").status_code == 404  # a patron, not a target
    assert client.get("/api/country/kaz").status_code == 422
    assert client.get("/api/country/KAZAKH").status_code == 422


def test_explain_leads_to_cited_sources(client):
    year = client.get("/api/influence").json()["year"]
    e = client.get(f"/api/explain?patron=RUS&target=KAZ&domain=security&year={year}").json()
    assert e["value"] is not None and e["components"]
    items = [i for c in e["components"] for i in c["sources"] + c["inputs"] + c["memberships"]]
    cited = [i for i in items if i.get("source")]
    assert cited, "no sourced evidence behind Russia's security influence in Kazakhstan"
    assert any((i.get("source_url") or "").startswith("http") for i in cited)
    assert abs(sum(e["grounds"].values()) - 1) < 1e-9
    assert client.get(f"/api/explain?patron=XXX&target=KAZ&domain=security&year={year}").status_code == 422
    assert client.get(f"/api/explain?patron=RUS&target=KAZ&domain=cooking&year={year}").status_code == 422


def test_measures_over_time(client):
    m = client.get("/api/measures").json()
    assert m["available"]
    assert {r["year"] for r in m["friction"]} == set(m["years"])
    assert {r["target"] for r in m["division_of_labour"]} >= set(TARGETS)


def test_evidence_endpoints_answer_with_sources(client):
    for ep in ("facts", "events", "quotes"):
        d = client.get(f"/api/{ep}?limit=50").json()
        assert set(d) >= {"available", "total", "items"}
        for r in d["items"]:
            assert r["source"]["url"].startswith("https://")
            if "sentence" in r:
                assert 0 <= r["mark_start"] <= r["mark_end"] <= len(r["sentence"])
    assert client.get("/api/facts?limit=0").status_code == 422
    assert client.get("/api/facts?limit=501").status_code == 422
    assert client.get("/api/facts?indicator=" + "x" * 65).status_code == 422
    assert client.get("/api/facts?indicator=a;drop table facts").status_code == 422


def test_forecasts_have_paths(client):
    f = client.get("/api/forecasts").json()
    assert f["available"] and f["items"]
    for it in f["items"]:
        assert len(it["path"]) >= 2 and it["actors"]
        assert it["scale"]["min"] <= it["forecast"] <= it["scale"]["max"]


def test_openapi_lists_every_api_route(client):
    spec = client.get("/openapi.json").json()
    paths = set(spec["paths"])
    for p in ("/api/influence", "/api/country/{iso}", "/api/explain", "/api/facts", "/api/events", "/api/quotes",
              "/api/articles/{article_id}", "/api/timeline", "/api/scenarios", "/api/scenarios/{name}/runs",
              "/api/runs/{run_id}", "/api/hypotheses", "/api/forecasts", "/api/measures", "/api/fact-groups"):
        assert p in paths, p


def test_index_page_references_only_local_assets(client):
    html = client.get("/").text
    refs = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert refs and all(r.startswith(("/", "#")) for r in refs), refs
    for r in refs:
        if r.startswith("/static/"):
            assert client.get(r).status_code == 200, r


def test_scenario_list_and_a_background_run(client):
    import time

    sc = client.get("/api/scenarios").json()
    assert sc["available"] and len(sc["items"]) >= 2
    names = {s["name"] for s in sc["items"]}
    assert "baseline" in names
    assert client.post("/api/scenarios/no_such_thing/runs", json={"runs": 10}).status_code == 404
    assert client.post("/api/scenarios/baseline/runs", json={"runs": 301}).status_code == 422  # over the cap
    job = client.post("/api/scenarios/baseline/runs", json={"runs": 50, "seed": 3})
    assert job.status_code == 202
    run_id = job.json()["id"]
    for _ in range(300):
        r = client.get(f"/api/runs/{run_id}").json()
        if r["status"] in ("done", "failed"):
            break
        time.sleep(0.1)
    assert r["status"] == "done", r
    res = r["result"]
    assert res["runs"] == 50 and res["seed"] == 3
    for s in res["series"]:
        q = s["quantiles"]
        assert len(q["p50"]) == len(res["x"])
        assert all(a <= b + 1e-9 for a, b in zip(q["p05"], q["p95"]))
    assert all(0 <= h["probability"] <= 1 for h in res["hypotheses"])
    assert run_id in {x["id"] for x in client.get("/api/runs").json()["items"]}


def test_hypotheses_across_scenarios(client):
    h = client.get("/api/hypotheses").json()
    assert h["available"] and h["items"]
    for x in h["items"]:
        # the Wilson interval is the ensemble share's; the shown probability may be capped
        assert x["low"] <= x["raw_probability"] <= x["high"]
        assert x["capped"] == (x["probability"] != x["raw_probability"])
        assert x["expert"]


def test_facts_say_which_numbers_they_feed(client):
    facts = client.get("/api/facts?limit=500").json()["items"]
    feeding = [f for f in facts if f["feeds"]]
    assert feeding, "no fact feeds an influence number"
    f = feeding[0]
    u = f["feeds"][0]
    e = client.get(f"/api/explain?patron={u['patron']}&target={u['target']}&domain={u['domain']}"
                   f"&year={u['years'][-1]}").json()
    fact_rows = [i for c in e["components"] for i in c["sources"] + c["inputs"] if i["kind"] == "fact"]
    assert any(r["article_id"] == f["article_id"] and r["span_start"] == f["span_start"] for r in fact_rows)
