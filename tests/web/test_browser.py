"""The dashboard in a real browser: Debian's Chromium driven by Playwright.

Each test loads pages from the live ``heartland serve`` subprocess (see conftest.py),
waits explicitly for the page to finish rendering (``#view[data-ready]``), checks what a
person would see, and saves a screenshot in ``test-output/``.
"""

from __future__ import annotations

import re

import httpx
import pytest

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def goto(page, server, route: str) -> None:
    page.goto(f"{server.url}/#/{route}")
    wait_ready(page, route.split("/")[0].split("?")[0])


def wait_ready(page, name: str) -> None:
    page.wait_for_selector(f"#view[data-ready='{name}']", state="attached", timeout=60_000)


def shot(page, output_dir, name: str) -> None:
    page.screenshot(path=str(output_dir / f"web-{name}.png"), full_page=True)


def test_map_loads_with_legend_and_the_slider_moves_the_year(page, server, output_dir):
    goto(page, server, "map")
    states = page.locator("svg#map path.target")
    assert states.count() == 5
    assert page.locator("svg#map path.neighbour").count() >= 5
    legend = page.locator("#legend").inner_text()
    assert "China" in legend and "Russia" in legend
    # Shaded by the leading patron: at least one state is not the empty grey.
    fills = {states.nth(i).get_attribute("fill") for i in range(5)}
    assert fills - {"#f2f2ee"}
    table = page.locator("#influence-table")
    before = table.inner_text()
    latest = int(page.locator("#yearlabel").inner_text())
    shot(page, output_dir, "map")

    slider = page.locator("input#year")
    first = int(slider.get_attribute("min"))
    assert first < latest - 3
    first = latest - 3  # a year with ties in every domain
    slider.fill(str(first))  # sets the value and fires input + change
    page.wait_for_function(f"document.querySelector('#yearlabel') && document.querySelector('#yearlabel').textContent == '{first}'"
                           f" && document.querySelector('#view').dataset.ready == 'map'")
    page.wait_for_selector(f"text=Influence in {first}")
    assert page.locator("#influence-table").inner_text() != before
    # Shade by one patron in one domain: the legend becomes a ramp.
    page.select_option("select#mode", "CHN")
    page.wait_for_selector("#legend .ramp")
    page.select_option("select#domain", "economy")
    page.wait_for_selector("text=— economy")
    assert "economy" in page.locator("#legend").inner_text()
    assert page.locator("#influence-table a.num-link").count() >= 3
    shot(page, output_dir, "map-china-economy-earlier-year")


def test_clicking_a_state_opens_its_page(page, server, output_dir):
    goto(page, server, "map")
    page.locator("svg#map path[data-iso='KAZ']").click()
    wait_ready(page, "country")
    assert re.search(r"#/country/KAZ$", page.url)
    assert "Kazakhstan" in page.locator("h1").inner_text()
    assert page.locator("svg.chart").count() >= 4  # overall + domains
    assert page.locator("#country-table a.num-link").count() > 20
    shot(page, output_dir, "country-KAZ")


def test_a_number_leads_to_its_curated_sources(page, server, output_dir):
    goto(page, server, "country/KAZ")
    link = page.locator("#country-table a.num-link[href*='/RUS/KAZ/security/']").last
    link.click()
    wait_ready(page, "explain")
    assert "security" in page.locator("h1").inner_text()
    assert page.locator("#explain-value").inner_text() not in ("", "–")
    assert page.locator("#components tbody tr").count() >= 1
    sources = page.locator("table.evidence a.source-url")
    assert sources.count() >= 1
    assert sources.first.get_attribute("href").startswith("http")
    shot(page, output_dir, "explain-RUS-KAZ-security")


def test_evidence_browser_lists_articles_and_highlights_items(page, server, output_dir):
    goto(page, server, "evidence/articles")
    rows = page.locator("table#articles tbody tr")
    assert rows.count() == 5
    shot(page, output_dir, "evidence-articles")
    rows.first.locator("a").first.click()
    wait_ready(page, "article")
    text = page.locator("#articletext").inner_text()
    assert len(text) > 500
    assert page.locator("a.source-url").first.get_attribute("href").startswith("https://")
    shot(page, output_dir, "article")


def test_forecasts_page_draws_bargaining_paths(page, server, output_dir):
    goto(page, server, "forecasts")
    cards = page.locator(".card.forecast")
    assert cards.count() >= 1
    assert cards.first.locator("svg.chart polyline").count() >= 2
    assert re.match(r"^\d+(\.\d)?$", cards.first.locator(".bignum").inner_text())
    shot(page, output_dir, "forecasts")


def test_a_late_answer_does_not_draw_over_the_next_page(page, server, output_dir):
    """Leaving a page while its data is still coming: the page asked for last is the one
    shown, and stays shown when the earlier answer arrives (a slow facts answer used to
    overwrite the timeline)."""
    import time

    def slow(route):
        time.sleep(1.5)  # the facts listing answers after the timeline has been asked for
        route.continue_()

    goto(page, server, "map")
    page.route("**/api/facts?*", slow)
    page.goto(f"{server.url}/#/evidence/facts")
    page.goto(f"{server.url}/#/timeline")
    wait_ready(page, "timeline")
    page.wait_for_timeout(2500)  # well after the slow answer
    assert page.locator("#timeline").count() == 1
    assert page.locator("#view h1").inner_text() == "Timeline"
    assert page.locator("#view").get_attribute("data-ready") == "timeline"


def test_unknown_route_and_api_error_are_shown_not_blank(page, server, output_dir):
    page.goto(f"{server.url}/#/country/XYZ")
    wait_ready(page, "error")
    assert "not one of the Central Asian states" in page.locator("#view").inner_text()
    page.goto(f"{server.url}/#/nowhere")
    page.wait_for_selector("text=No such page")
    # The server is still fine.
    assert httpx.get(server.url + "/api/status").status_code == 200


def _fact_backed_number(seed_store):
    """(patron, target, domain, year, fact_id) of an influence number that an article fact feeds,
    found with the library (the same world the server builds from the same store)."""
    from heartland.report import stages
    from heartland.world.axes import TARGETS
    from heartland.world.components import COMPONENTS

    w = stages.world(seed_store)
    years = set(stages.evidence_years(w))
    domain_of = {c.indicator: c.domain for c in COMPONENTS}
    r = w.roles
    used = r[r["eid"].str.startswith("fact:") & (r["role"] == "used") & r["target"].isin(TARGETS)
             & r["indicator"].isin(domain_of) & r["year"].isin(years)]
    assert not used.empty, "no article fact feeds any influence number: extraction or world mapping is missing"
    row = used.sort_values(["year", "eid"]).iloc[-1]
    return row["patron"], row["target"], domain_of[row["indicator"]], int(row["year"]), row["eid"][len("fact:"):]


def test_a_number_leads_to_the_article_sentence_behind_it(page, server, seed_store, output_dir):
    patron, target, domain, year, fact_id = _fact_backed_number(seed_store)
    goto(page, server, f"country/{target}")
    page.locator(f"#country-table a.num-link[href='#/explain/{patron}/{target}/{domain}/{year}']").click()
    wait_ready(page, "explain")
    card = page.locator(".card.fact").first
    mark = card.locator(".sentence mark")
    mark.wait_for()
    # The highlighted words are exactly the fact's span in the stored article text.
    facts = httpx.get(f"{server.url}/api/facts", params={"limit": 500}).json()["items"]
    fact = next(f for f in facts if f.get("fact_id", f.get("id")) == fact_id)
    art = httpx.get(f"{server.url}/api/articles/{fact['article_id']}").json()
    assert mark.inner_text() == art["text"][fact["span_start"]:fact["span_end"]]
    sentence = card.locator(".sentence").inner_text()
    assert sentence in art["text"] and len(sentence) > len(mark.inner_text())
    assert card.locator("a.source-url").get_attribute("href") == art["url"]
    shot(page, output_dir, f"explain-{patron}-{target}-{domain}-{year}-sentence")
    # And from the explanation into the article, with the items highlighted.
    card.locator("a[href^='#/article/']").click()
    wait_ready(page, "article")
    assert page.locator("#articletext mark.k-fact").count() >= 1


def test_run_two_scenarios_see_results_and_compare(page, server, output_dir):
    goto(page, server, "scenarios")
    cards = page.locator(".card.scenario")
    assert cards.count() >= 2
    assert page.locator("table.hypotheses tbody tr").count() >= cards.count()
    for name in ("baseline", "war_drain"):
        card = page.locator(f".card.scenario[data-name='{name}']")
        card.locator("input.nruns").fill("120")
        card.locator("button.run").click()
        result = page.locator(f"#latest .run-result[data-scenario='{name}']")
        result.wait_for(timeout=120_000)
        assert "120 runs" in result.inner_text() and "done" in card.locator(".runstatus").inner_text()
        assert result.locator(".fan svg.chart").count() == 6  # China and Russia: overall, security, economy
        assert result.locator("table.hypotheses tbody tr").count() >= 1
    shot(page, output_dir, "scenario-runs")
    boxes = page.locator("#runs-table input.cmp:not([disabled])")
    assert boxes.count() >= 2
    boxes.nth(0).check()
    boxes.nth(1).check()
    page.locator("#cmpbtn").click()
    page.locator("#compare svg.chart").first.wait_for()
    legend = page.locator("#compare .legend").inner_text()
    assert "baseline" in legend and "war_drain" in legend
    page.locator("#compare").scroll_into_view_if_needed()
    shot(page, output_dir, "scenario-compare")


def test_fresh_clone_without_a_store_shows_the_bundled_data(browser, tmp_path, output_dir):
    from web_store_builder import Server

    srv = Server(tmp_path / "not-yet.duckdb", tmp_path / "runs", tmp_path / "server.log")
    ctx = browser.new_context(viewport={"width": 1400, "height": 950})
    try:
        pg = ctx.new_page()
        pg.goto(f"{srv.url}/#/map")
        wait_ready(pg, "map")
        fills = {pg.locator(f"svg#map path[data-iso='{t}']").get_attribute("fill") for t in ("KAZ", "KGZ", "UZB")}
        assert fills - {"#f2f2ee"}, "the curated data alone should shade the map"
        assert pg.locator("#influence-table a.num-link").count() > 5
        assert "no store yet" in pg.locator("#storeinfo").inner_text()
        shot(pg, output_dir, "map-bundled-data-only")
        pg.goto(f"{srv.url}/#/evidence/articles")
        wait_ready(pg, "error")
        assert "does not exist yet" in pg.locator("#view").inner_text()
    finally:
        ctx.close()
        srv.stop()


def test_bundled_evidence_store_links_facts_to_their_originals(browser, tmp_path, output_dir):
    """What `heartland run` gives a fresh clone: the bundled facts (spans, URLs, no article text)."""
    from web_store_builder import Server

    from heartland.extract.bundle import load_bundled_evidence

    db = tmp_path / "bundle.duckdb"
    load_bundled_evidence(db)
    srv = Server(db, tmp_path / "runs", tmp_path / "server.log")
    ctx = browser.new_context(viewport={"width": 1400, "height": 950})
    try:
        pg = ctx.new_page()
        pg.goto(f"{srv.url}/#/evidence/facts")
        wait_ready(pg, "evidence")
        rows = pg.locator("table.facts tbody tr")
        assert rows.count() >= 10
        assert rows.first.locator("a.source-url").get_attribute("href").startswith("https://")
        shot(pg, output_dir, "evidence-facts-bundled")
        rows.first.locator("a[href^='#/article/']").click()
        wait_ready(pg, "article")
        assert pg.locator("#articletext-missing").count() == 1
        assert pg.locator("table.facts tbody tr").count() >= 1
    finally:
        ctx.close()
        srv.stop()
