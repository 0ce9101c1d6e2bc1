"""Benchmark: list review candidates by impact, and record a decision, on a store of 10,000 articles.

The store is synthetic: generated article rows (a short made-up text, not news) and
evidence rows shaped like the extraction stage's tables (facts with catalogue indicators,
events of counted types, quotes, tagger names), with confidences spread so the policy
admits some and leaves the rest as candidates. Run from the repository root:

    .venv/bin/python bench/review.py [--articles 10000] [--repeat 3]

Timed: ``ranked_items`` (the ``heartland review`` listing: impacts of every candidate
against the policy's world, filtered, ordered, with sentences) cold (world built and
impacts computed: the first listing after an ingest) and warm (impacts reused from the
cache beside the store, as between two listings with no decision in between); ``decide``
(one accept, in its own connection, as ``heartland review accept`` does after opening the
store); the listing right after those decisions (what ``heartland review`` does: the kept
impacts with the touched blocks marked stale) and the background refresh that follows it.
Results: docs/performance.md ("review").
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

YEARS = list(range(2015, 2025))
PATRONS = ["CHN", "RUS", "USA", "EUU", "TUR", "IND"]
TARGETS = ["KAZ", "KGZ", "TJK", "TKM", "UZB"]
FACT_INDICATORS = {  # extraction indicator: (unit, low, high)
    "trade_total": ("USD_bn", 0.5, 40.0), "arms_supply_share": ("share", 0.05, 0.95),
    "fdi_flow_cumulative": ("USD_bn", 0.5, 30.0), "remittances": ("USD_bn", 0.05, 5.0),
    "migrant_workers": ("persons", 1e4, 2e6), "students": ("persons", 500, 40000),
}
EVENT_TYPES = ["summit", "visit", "talks", "military_exercise", "railway_agreement", "statement"]


def make_store(path: Path, n_articles: int, seed: int = 0) -> dict[str, int]:
    """A store with the store's and extraction's schemas and generated rows."""
    from heartland.extract import schema as xs
    from heartland.store.schema import ensure_schema

    rng = np.random.default_rng(seed)
    con = duckdb.connect(str(path))
    ensure_schema(con)
    xs.ensure_schema(con)
    ids = [f"{i:016x}" for i in range(n_articles)]
    pub = pd.to_datetime("2015-01-01") + pd.to_timedelta(rng.integers(0, 3650, n_articles), unit="D")
    outlets = rng.choice(["RFA", "VOA", "NYT", "RFI", "Xinhua", "TASS"], n_articles)
    texts = [f"Synthetic sentence one of article {i}. Synthetic figure sentence with a number {i % 97}. "
             f"Synthetic event sentence about a meeting. Someone said something about it."
             for i in range(n_articles)]
    df_arts = pd.DataFrame({
        "id": ids, "url": [f"https://example.org/a/{i}" for i in ids], "outlet": outlets, "via": None,
        "title": [f"Article {i}" for i in range(n_articles)], "authors": [[] for _ in ids],
        "published": [p.isoformat() for p in pub], "published_utc": pub, "published_basis": "synthetic",
        "language": "en", "script": "Latn", "paragraphs": [[t] for t in texts], "text": texts,
        "normalised": texts, "captions": [[] for _ in ids], "source_path": None,
        "ingested_at": pd.Timestamp("2026-01-01"), "reader": "synthetic", "mirrored_at": None,
        "credits": "{}", "version": 1, "supersedes": None})
    con.execute("INSERT INTO articles BY NAME SELECT * FROM df_arts")
    # facts: two per article
    n = 2 * n_articles
    art = np.repeat(np.arange(n_articles), 2)
    inds = rng.choice(list(FACT_INDICATORS), n)
    unit = np.array([FACT_INDICATORS[i][0] for i in inds])
    lo_b = np.array([FACT_INDICATORS[i][1] for i in inds])
    hi_b = np.array([FACT_INDICATORS[i][2] for i in inds])
    v = lo_b + (hi_b - lo_b) * rng.random(n)
    year = rng.choice(YEARS, n)
    n_src = rng.choice([1, 1, 1, 2, 3], n)
    fid = [f"{ids[a]}:{40 + 100 * (i % 2)}" for i, a in enumerate(art)]
    df_facts = pd.DataFrame({
        "fact_id": fid, "fact_key": [f"k{i}" for i in range(n)], "subject": rng.choice(PATRONS, n),
        "object": rng.choice(TARGETS, n), "indicator": inds, "value": v, "low": v, "high": v, "unit": unit,
        "period_start": pd.to_datetime([f"{y}-01-01" for y in year]),
        "period_end": pd.to_datetime([f"{y}-12-31" for y in year]), "period_uncertain": False,
        "qualifier": "exact", "article_id": [ids[a] for a in art],
        "span_start": [40 + 100 * (i % 2) for i in range(n)], "span_end": [46 + 100 * (i % 2) for i in range(n)],
        "sentence_start": None, "sentence_end": None,
        "sources": [[ids[a]] * int(k) for a, k in zip(art, n_src)], "n_sources": n_src, "conflict": False,
        "measure": None, "confidence": rng.choice([0.5, 0.6, 0.8, 0.9], n), "reason": "catalogue:synthetic",
        "flag": None})
    con.execute("INSERT INTO facts BY NAME SELECT * FROM df_facts")
    # events: two per article, a patron and one or two targets
    m = 2 * n_articles
    eart = np.repeat(np.arange(n_articles), 2)
    etype = rng.choice(EVENT_TYPES, m)
    edate = pd.to_datetime("2015-01-01") + pd.to_timedelta(rng.integers(0, 3650, m), unit="D")
    actors = [[str(rng.choice(PATRONS)), str(rng.choice(TARGETS))] + ([str(rng.choice(TARGETS))] if rng.random() < 0.3 else [])
              for _ in range(m)]
    df_events = pd.DataFrame({
        "event_id": [f"{ids[a]}:e{i % 2}" for i, a in enumerate(eart)], "article_id": [ids[a] for a in eart],
        "type": etype, "cameo": "040", "quad_class": 1, "goldstein": 1.0, "date": edate.date, "date_end": None,
        "date_precision": "day", "date_uncertain": False, "date_note": None, "actors": actors,
        "span_start": 100, "span_end": 120, "confidence": rng.choice([0.6, 0.7, 0.8], m), "reason": "trigger:en"})
    con.execute("INSERT INTO events BY NAME SELECT * FROM df_events")
    df_quotes = pd.DataFrame({
        "quote_id": [f"{i}:q0" for i in ids], "article_id": ids, "speaker": "person:someone",
        "speaker_name": "Someone", "affiliation": None, "role": None, "text": "something", "direct": False,
        "hypotheses": "[]", "stance": rng.choice(["competition", "cooperation", "neutral"], n_articles),
        "span_start": 140, "span_end": 170, "confidence": 0.7, "reason": "said_en"})
    con.execute("INSERT INTO quotes BY NAME SELECT * FROM df_quotes")
    df_mentions = pd.DataFrame({"article_id": ids, "actor": [f"person:p{i % 500}" for i in range(n_articles)],
                             "kind": "person", "surface": "Someone", "metonym": False, "span_start": 140,
                             "span_end": 147, "confidence": 0.5, "reason": "tagger"})
    con.execute("INSERT INTO mentions BY NAME SELECT * FROM df_mentions")
    con.close()
    return {"articles": n_articles, "facts": n, "events": m, "quotes": n_articles, "names": n_articles}


def _best(f, repeat: int) -> tuple[float, object]:
    best, out = float("inf"), None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = f()
        best = min(best, time.perf_counter() - t0)
    return best, out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--articles", type=int, default=10_000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--date", default="2024-12-31")
    args = ap.parse_args()

    from heartland.review.decisions import decide
    from heartland.review.impact import cache_path, cached_impacts, ranked_items, refresh
    from heartland.review.schema import ensure_schema, items_with_state_sql

    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.duckdb"
        t0 = time.perf_counter()
        counts = make_store(db, args.articles)
        print(f"store: {counts} in {time.perf_counter() - t0:.1f} s")
        con = duckdb.connect(str(db))
        ensure_schema(con)
        n_items = con.execute(f"SELECT count(*) FROM ({items_with_state_sql(con)})").fetchone()[0]
        con.close()

        def listing(stale_ok=False):
            with duckdb.connect(str(db), read_only=True) as c:
                return ranked_items(c, db, date=args.date, limit=20, stale_ok=stale_ok)

        def cold():
            cache_path(db).unlink(missing_ok=True)
            return listing()

        t_cold, rows = _best(cold, args.repeat)
        t_warm, rows = _best(listing, args.repeat)
        moving = sum(1 for r in rows if r["impact"])
        print(f"items: {n_items}; top 20 listed, {moving} of them move an index")
        print(f"list by impact, cold (world built, every impact computed): {t_cold * 1000:.0f} ms")
        print(f"list by impact, warm (impacts kept beside the store):       {t_warm * 1000:.0f} ms")
        keys = [r["item_key"] for r in rows]
        times = []
        for i in range(min(args.repeat * 3, len(keys))):
            t0 = time.perf_counter()
            with duckdb.connect(str(db)) as c:
                decide(c, keys[i], "accepted" if i % 2 else "rejected", by="bench", why="bench")
            times.append(time.perf_counter() - t0)
        print(f"one decision (open, find by key, record, close): best {min(times) * 1000:.0f} ms, "
              f"median {np.median(times) * 1000:.0f} ms over {len(times)}")
        # what `heartland review` does after decisions: the kept impacts, the touched blocks
        # marked stale, a background refresh started (timed separately below)
        os.environ["HEARTLAND_REVIEW_REFRESH"] = "0"
        t_stale, rows = _best(lambda: listing(stale_ok=True), args.repeat)
        with duckdb.connect(str(db), read_only=True) as c:
            res = cached_impacts(c, db, args.date, stale_ok=True)
        n_stale = int(res.table["stale"].sum())
        print(f"list by impact after {len(times)} decisions (kept impacts, {n_stale} of {len(res.table)} rows "
              f"marked stale): {t_stale * 1000:.0f} ms")
        t0 = time.perf_counter()
        refresh(db, args.date)
        t_refresh = time.perf_counter() - t0
        print(f"the background refresh (world rebuilt, impacts recomputed): {t_refresh * 1000:.0f} ms")
        t_after, _ = _best(listing, 1)
        print(f"list by impact after the refresh (exact again):             {t_after * 1000:.0f} ms")


if __name__ == "__main__":
    main()
