"""The seeds as the specification: extraction scored against tests/extract/gold/seeds_gold.yaml.

Precision and recall for mentions, facts, events and speakers are printed (run with -s
or see the captured output on failure); every one must reach 0.9. The facts and events
marked ``req`` (the ones issue 4 names) must all be found.
"""

from __future__ import annotations

import re

import pytest

from heartland.corpus import read_path
from heartland.extract.pipeline import extract_article
from tests.extract.gold import (GOLD_DIR, event_matches, fact_matches, load_gold, report, score_all)

pytestmark = pytest.mark.seeds

THRESHOLD = 0.9


@pytest.fixture(scope="module")
def seeds(seed_files):
    arts = {}
    for key, path in seed_files.items():
        results = [r for r in read_path(path) if hasattr(r, "paragraphs")]
        assert len(results) == 1, f"{path.name}: expected one article"
        arts[key] = results[0]
    return arts, {k: extract_article(a) for k, a in arts.items()}


def test_precision_recall_against_gold(seeds, capsys):
    arts, xs = seeds
    gold = load_gold(GOLD_DIR / "seeds_gold.yaml")
    totals = score_all(arts, xs, gold)
    with capsys.disabled():
        print("\n" + report(totals, "seeds"))
    for kind, s in totals.items():
        assert s.precision >= THRESHOLD and s.recall >= THRESHOLD, (
            f"{kind}: P={s.precision:.3f} R={s.recall:.3f}; missed {s.misses[:8]}; extra {s.extras[:8]}")


def test_every_required_fact_and_event(seeds):
    arts, xs = seeds
    gold = load_gold(GOLD_DIR / "seeds_gold.yaml")
    for key, g in gold.items():
        norm = arts[key].normalised
        for f in g["facts"]:
            if f.get("req"):
                assert any(fact_matches(norm, x, f) for x in xs[key].facts), f"seed {key}: fact missing {f}"
        for e in g["events"]:
            if e.get("req"):
                assert any(event_matches(x, e) for x in xs[key].events), f"seed {key}: event missing {e}"


def test_affiliation_as_of_article_date(seeds):
    """Niva Yau and Temur Umarov's affiliations differ between the 2022 and 2024 articles."""
    _, xs = seeds
    yau = {k: {q.affiliation for q in x.quotes if q.speaker == "person:niva_yau"} for k, x in xs.items()}
    assert yau["000"] == {"org:osce_academy"}
    assert yau["003"] == {"org:atlantic_council"}


def test_metonyms_and_single_characters(seeds):
    arts, xs = seeds
    for key, x in xs.items():
        text = arts[key].normalised
        for m in x.mentions:
            if len(m.surface) == 1:  # only inside a compound such as 中俄
                nb = text[max(0, m.start - 1):m.end + 1]
                assert any(c in nb for c in ("中俄", "俄乌", "中哈", "俄哈", "中印")), (key, nb)
    beijing = [(m.actor, m.metonym) for m in xs["000"].mentions if m.surface == "北京"]
    assert ("place:beijing", False) in beijing and ("CHN", True) in beijing


def test_spans_point_at_the_text(seeds):
    arts, xs = seeds
    for key, x in xs.items():
        text = arts[key].text
        for m in x.mentions:
            assert text[m.start:m.end] == m.surface
        for f in x.facts:
            assert 0 <= f.span_start < f.span_end <= len(text)
            span = text[f.span_start:f.span_end]
            assert any(ch.isdigit() or ch in "零一二两三四五六七八九十百千万亿半数几" for ch in span) or \
                re.search(r"(?i)one|two|three|four|five|six|seven|eight|nine|ten|twenty|hundred|thousand|million|"
                          r"billion|dozen|half|third|quarter", span), span
        for q in x.quotes:
            assert text[q.span_start:q.span_end] == q.text
        for e in x.events:
            assert 0 <= e.span_start < e.span_end <= len(text)
