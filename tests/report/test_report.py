"""The self-contained HTML report, generated from the seeds and from the bundled data alone."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import lxml.html
import pytest

from heartland.report import write_report
from heartland.world.axes import TARGETS

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def seed_report(report_seed_store, output_dir) -> tuple[Path, lxml.html.HtmlElement]:
    out = output_dir / "report-seeds.html"
    res = subprocess.run([sys.executable, "-m", "heartland.cli", "report", "--db", str(report_seed_store),
                          "--out", str(out), "--runs", "100", "--samples", "16"],
                         capture_output=True, text=True, timeout=300)
    assert res.returncode == 0, res.stderr
    assert str(out) in res.stdout
    return out, lxml.html.fromstring(out.read_bytes())


def external_references(doc) -> list[str]:
    """Every reference that would make a browser fetch something: src, link href, CSS url(), srcset,
    object data, <image href>/<use href> outside the file. Plain <a href> links are allowed."""
    bad = []
    for el in doc.iter():
        if not isinstance(el.tag, str):
            continue
        tag = el.tag.split("}")[-1].lower()
        for attr, val in el.attrib.items():
            name = attr.split("}")[-1].lower()
            if tag == "a" and name == "href":
                continue
            if name in ("src", "srcset", "data", "poster", "background", "action", "formaction") or \
                    (name == "href" and tag != "a"):
                if not val.startswith("#") and not val.startswith("data:"):
                    bad.append(f"<{tag} {name}={val[:80]}>")
            if name == "style" and re.search(r"url\(\s*['\"]?(?!data:|#)", val):
                bad.append(f"<{tag} style url(): {val[:80]}>")
    for style in doc.iter("style"):
        if re.search(r"url\(\s*['\"]?(?!data:|#)", style.text or "") or "@import" in (style.text or ""):
            bad.append("<style> with url()/@import")
    if doc.xpath("//script[@src]") or doc.xpath("//link[@rel='stylesheet']") or doc.xpath("//iframe"):
        bad.append("script/link/iframe")
    return bad


def test_report_has_no_external_resource_references(seed_report):
    _, doc = seed_report
    assert external_references(doc) == []


def test_report_contains_the_map_of_the_five_states(seed_report):
    _, doc = seed_report
    maps = doc.xpath("//section[@id='system']//div[@id='maps']/*[local-name()='svg']")
    assert len(maps) == 6  # overall + five domains
    isos = {p.get("data-iso") for p in maps[0].iter("{*}path", "path")}
    assert set(TARGETS) <= isos and {"RUS", "CHN", "AFG"} <= isos
    # Shaded: the states carry a patron colour, not the empty fill.
    fills = {p.get("fill") for p in maps[0].iter("{*}path", "path") if p.get("data-iso") in TARGETS}
    assert "#f2f2ee" not in fills and len(fills) >= 2
    text = doc.text_content()
    assert "Natural Earth" in text


def test_report_influence_table_and_measures(seed_report):
    _, doc = seed_report
    rows = doc.xpath("//table[@id='influence']/tbody/tr")
    assert len(rows) >= 10
    states = {r.xpath("./td[1]")[0].text_content() for r in rows}
    assert states == {"Kazakhstan", "Kyrgyzstan", "Tajikistan", "Turkmenistan", "Uzbekistan"}
    assert len(doc.xpath("//div[@id='measures']/*[local-name()='svg']")) == 3
    # prior-filled cells are marked in the table and counted in a note
    marked = doc.xpath("//table[@id='influence']//td[contains(@class,'prior-cell')]")
    assert marked and all(td.text_content().strip() == "prior" for td in marked)
    assert "prior" in doc.xpath("//p[@id='prior-note']")[0].text_content()


def test_report_evidence_tables_carry_source_urls(seed_report):
    _, doc = seed_report
    arts = doc.xpath("//table[@id='articles']/tbody/tr")
    assert len(arts) == 5
    for r in arts:
        href = r.xpath(".//a/@href")
        assert href and href[0].startswith("https://")
    curated = doc.xpath("//table[@id='curated']/tbody/tr")
    assert len(curated) > 20
    linked = [h for h in doc.xpath("//table[@id='curated']//a/@href") if h.startswith("http")]
    assert len(linked) > 20
    facts = doc.xpath("//table[@id='facts']/tbody/tr")
    for r in facts:  # every fact shows its sentence and links to the original article
        assert r.xpath(".//mark") and r.xpath(".//a/@href")[0].startswith("http")


def test_report_explains_every_ground(seed_report):
    """Each of China's and Russia's numbers with its shares by ground, and folded, every item and
    event behind it; an article item shows its sentence."""
    _, doc = seed_report
    rows = doc.xpath("//table[@id='grounds-table']/tbody/tr")
    assert len(rows) >= 10
    for r in rows:
        shares = [float(td.text_content().rstrip("%")) for td in r.xpath("./td[@data-ground]")]
        assert len(shares) == 6 and abs(sum(shares) - 100) <= 3  # rounded to whole percents
    details = doc.xpath("//div[@id='grounds-details']/details")
    assert len(details) == len(rows)
    for li in doc.xpath("//div[@id='grounds-details']//li[@class='ground-event']") + \
            doc.xpath("//div[@id='grounds-details']//li[@data-kind='fact']"):
        if li.xpath(".//a/@href"):
            assert li.xpath(".//mark"), li.text_content()[:200]


def test_report_scenarios_fans_probabilities_and_sensitivity(seed_report):
    from heartland.simulate import bundled_names

    _, doc = seed_report
    sec = doc.xpath("//section[@id='scenarios']")[0]
    rows = sec.xpath(".//table[@id='hypotheses']/tbody/tr")
    assert len(rows) >= len(bundled_names())
    for r in rows:
        cell = r.xpath("./td[4]")[0].text_content()
        p = float(cell.rstrip("*"))
        assert 0.0 <= p <= 1.0
        if cell.endswith("*"):  # capped: the hindcast does not support more certainty
            assert p in (0.05, 0.95)
    assert len(sec.xpath(".//div[contains(@class,'fans')]")) == len(bundled_names())
    assert len(sec.xpath(".//div[contains(@class,'fans')]/*[local-name()='svg']")) == 3 * len(bundled_names())
    assert sec.xpath(".//table[contains(@class,'sensitivity')]/tbody/tr")
    assert "Sobol" in sec.text_content()


def test_report_experts_and_hypotheses(seed_report):
    _, doc = seed_report
    experts = doc.xpath("//table[@id='experts']/tbody/tr")
    assert len(experts) >= 3
    assert any("supports" in r.text_content() or "+" in r.text_content() for r in experts)


def test_report_forecasts_and_sections_that_say_not_available(seed_report):
    _, doc = seed_report
    assert doc.xpath("//table[@id='forecast-table']/tbody/tr")
    for sid in ("system", "evidence", "scenarios", "forecasts"):
        sec = doc.xpath(f"//section[@id='{sid}']")
        assert sec, sid
        # Either real content or an explicit "not available yet", never an empty section.
        assert len(sec[0].text_content().strip()) > 40, sid


def test_report_from_the_bundled_data_alone(tmp_path):
    """A fresh clone without the shared corpus: no store at all, curated data only."""
    out = write_report(tmp_path / "no-store.duckdb", tmp_path / "r.html", runs=50, samples=8)
    doc = lxml.html.fromstring(out.read_bytes())
    assert external_references(doc) == []
    assert doc.xpath("//div[@id='maps']/*[local-name()='svg']")
    assert "not available yet" in doc.xpath("//section[@id='evidence']")[0].text_content()


def test_report_cli_names_an_unwritable_output_in_one_line(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    res = subprocess.run([sys.executable, "-m", "heartland.cli", "report", "--out", str(blocker / "r.html"),
                          "--db", str(tmp_path / "none.duckdb"), "--runs", "10", "--samples", "4"],
                         capture_output=True, text=True, timeout=300)
    assert res.returncode == 2
    assert str(blocker) in res.stderr and "Traceback" not in res.stderr
    bad = subprocess.run([sys.executable, "-m", "heartland.cli", "report", "--samples", "12"],
                         capture_output=True, text=True, timeout=120)
    assert bad.returncode == 2 and "power of two" in bad.stderr


def test_write_report_into_a_directory_writes_report_html(tmp_path, monkeypatch):
    from heartland.report import build

    monkeypatch.setattr(build, "SECTIONS", build.SECTIONS[3:])  # forecasts only: fast
    out = write_report(tmp_path / "none.duckdb", tmp_path, runs=10, samples=4)
    assert out == tmp_path / "report.html" and out.stat().st_size > 1000


def test_the_external_reference_check_catches_what_it_should():
    bad = lxml.html.fromstring(
        '<html><head><link rel="stylesheet" href="https://cdn.example/x.css"></head><body>'
        '<img src="http://example.org/a.png"><div style="background:url(https://e.org/b.png)"></div>'
        '<svg xmlns="http://www.w3.org/2000/svg"><image href="https://e.org/c.png"/></svg>'
        '<a href="https://example.org/article">fine</a></body></html>')
    found = external_references(bad)
    assert len(found) >= 4 and not any("article" in f for f in found)
    ok = lxml.html.fromstring('<html><body><a href="https://example.org/a">x</a><svg><use href="#p1"/></svg></body></html>')
    assert external_references(ok) == []


def test_report_from_the_bundled_evidence_without_article_text(tmp_path):
    """A fresh clone's `heartland run` loads the bundled seed evidence (facts with spans and URLs,
    no article text): the report still lists every fact with its source link."""
    from heartland.extract.bundle import load_bundled_evidence

    db = tmp_path / "bundle.duckdb"
    counts = load_bundled_evidence(db)
    out = write_report(db, tmp_path / "r.html", runs=50, samples=8)
    doc = lxml.html.fromstring(out.read_bytes())
    assert external_references(doc) == []
    facts = doc.xpath("//table[@id='facts']/tbody/tr")
    assert len(facts) == counts["fact"]
    for r in facts:
        assert r.xpath(".//a/@href")[0].startswith("http")
    assert len(doc.xpath("//table[@id='articles']/tbody/tr")) == counts["article"]


def test_report_shows_calibration_and_reliability(seed_report):
    _, doc = seed_report
    sec = doc.xpath("//section[@id='calibration']")[0]
    rows = sec.xpath(".//table[@id='hindcast-scores']/tbody/tr")
    samples = {(r.xpath("./td[1]")[0].text_content(), r.xpath("./td[2]")[0].text_content()) for r in rows}
    assert ("posterior", "out of sample") in samples and ("judgement", "out of sample") in samples
    for r in rows:
        cov90 = float(r.xpath("./td[9]")[0].text_content())
        assert 0.0 <= cov90 <= 1.0
    assert len(sec.xpath(".//*[local-name()='svg']")) == 2  # reliability diagrams: posterior and judgement
    assert "emcee" in sec.text_content()


def test_report_backtest_section_matches_the_library(tmp_path, monkeypatch):
    from heartland.forecast.backtest import bundled_cases
    from heartland.report import build, stages

    monkeypatch.setattr(build, "SECTIONS", build.SECTIONS[3:])  # forecasts only: fast
    out = write_report(tmp_path / "none.duckdb", tmp_path, runs=10, samples=4)
    doc = lxml.html.fromstring(out.read_bytes())
    rows = doc.xpath("//table[@id='backtest-cases']/tbody/tr")
    assert len(rows) == len(bundled_cases())
    summary = doc.xpath("//table[@id='backtest-summary']/tbody/tr")
    bt = stages.backtest()
    assert len(summary) == 3
    model = next(m for m in bt["overall"] if m["method"] == "model")
    assert summary[0].xpath("./td")[1].text_content() == f"{model['mae']:.1f}"
