"""The bundled seed evidence: current, complete, loadable, and free of the seeds' text."""

from __future__ import annotations

import json
import re

import pytest

from heartland.corpus import read_path
from heartland.errors import UserError
from heartland.extract.bundle import BUNDLE_PATH, bundle_records, load_bundle, read_bundle
from heartland.extract.store_hook import ensure_schema, process_article
from heartland.store import ingest, open_store

RUN = 16
_CJK = re.compile(r"[\u3400-\u9fff]")


@pytest.mark.seeds
def test_bundle_matches_what_extraction_of_the_seeds_produces_now(seeds_dir, tmp_db):
    rep = ingest([seeds_dir], tmp_db, processors=[process_article], schema_hooks=[ensure_schema])
    assert rep.ok and rep.stored == 5
    conn = open_store(tmp_db, read_only=True)
    fresh = json.loads(json.dumps(bundle_records(conn), ensure_ascii=False))
    bundled = read_bundle(BUNDLE_PATH)
    assert fresh[0] == bundled[0], "bundle is stale: regenerate it with `python bench/../scripts` (see docs/extract.md)"
    assert fresh == bundled, "bundle is stale: regenerate it (docs/extract.md, 'Bundled evidence')"


@pytest.mark.seeds
def test_bundle_contains_no_run_of_seed_text(seed_files):
    blob = BUNDLE_PATH.read_text(encoding="utf-8")
    grams = {blob[i:i + RUN] for i in range(len(blob) - RUN + 1)}
    for key, path in seed_files.items():
        art = next(r for r in read_path(path) if hasattr(r, "paragraphs"))
        # Proper names in Latin script (Andrea Kendall-Taylor) may be longer than a run; the
        # rule is about the outlets' Chinese prose: runs with at least 12 CJK characters.
        for text in (art.text, art.normalised):
            for i in range(len(text) - RUN + 1):
                w = text[i:i + RUN]
                if len(_CJK.findall(w)) >= 12:
                    assert w not in grams, f"seed {key}: bundle holds a {RUN}-char run of its text"
        raw = path.read_text(encoding="utf-8")
        for i in range(len(raw) - RUN + 1):
            w = raw[i:i + RUN]
            if len(_CJK.findall(w)) >= 12:
                assert w not in grams, f"seed {key}: bundle holds a {RUN}-char run of the seed file"


def test_bundle_has_no_quote_statements():
    for r in read_bundle(BUNDLE_PATH):
        if r["record"] == "quote":
            assert "text" not in r and r["speaker"] and "span_start" in r
        if r["record"] == "article":
            assert len(r["title"]) <= 12 and "paragraphs" not in r and "text" not in r


def test_load_bundle_fills_the_store_idempotently(tmp_db):
    conn = open_store(tmp_db, schema_hooks=[ensure_schema])
    header = read_bundle(BUNDLE_PATH)[0]["counts"]
    loaded = load_bundle(conn)
    assert loaded["fact"] == header["fact"] and loaded["article"] == header["article"]
    assert conn.execute("SELECT count(*) FROM facts").fetchone()[0] == header["fact"]
    assert conn.execute("SELECT count(*) FROM events").fetchone()[0] == header["event"]
    assert conn.execute("SELECT count(*) FROM quotes WHERE text <> ''").fetchone()[0] == 0
    # The headline figures are there, with provenance.
    row = conn.execute("SELECT article_id, span_start, span_end FROM facts WHERE indicator = 'trade_total' "
                       "AND subject = 'CHN' AND object = 'RUS'").fetchone()
    assert row and row[2] > row[1]
    again = load_bundle(conn)
    assert again.get("fact", 0) == 0
    assert conn.execute("SELECT count(*) FROM facts").fetchone()[0] == header["fact"]


def test_bad_bundle_is_a_user_error(tmp_path):
    p = tmp_path / "bad.jsonl"
    p.write_text('{"record": "article"}\nnot json\n', encoding="utf-8")
    with pytest.raises(UserError, match="bad.jsonl"):
        read_bundle(p)


def test_seed_stories_group_the_two_kazakhstan_crisis_articles():
    """000 (VOA via a mirror) and 004 (RFI) cover the January 2022 Kazakhstan crisis; the
    2024 articles are each their own story."""
    recs = read_bundle(BUNDLE_PATH)
    outlets = {r["id"]: r["outlet"] for r in recs if r["record"] == "article"}
    stories: dict[str, set[str]] = {}
    for r in recs:
        if r["record"] == "story":
            stories.setdefault(r["story_id"], set()).add(outlets[r["article_id"]])
    sizes = sorted(len(v) for v in stories.values())
    assert sizes == [1, 1, 1, 2]
    assert {"RFI", "Voice of America"} in stories.values()
