"""Reviewed decisions for the bundled seed evidence.

The five seed articles' catalogue facts and events were checked by hand against the seed
gold (tests/extract/gold/seeds_gold.yaml, which they match in full): those items ship as
``accepted`` decisions in ``heartland/data/evidence/seeds_review.jsonl``, so the default
world, built from the seeds or from their bundled evidence, counts them as reviewed
evidence. They never override a decision already in the store. Regenerate with
``python scripts/seed_review.py`` after changing the extractors (with the bundle).
"""

from __future__ import annotations

import json
from datetime import datetime

import duckdb

from heartland.paths import DATA_DIR
from heartland.review.schema import ensure_schema, items_with_state_sql

SEED_DECISIONS = DATA_DIR / "evidence" / "seeds_review.jsonl"
REVIEWER = "seed gold (tests/extract/gold/seeds_gold.yaml, hand-checked)"


def load(path=SEED_DECISIONS) -> list[dict]:
    if not path.is_file():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def apply_seed_decisions(conn: duckdb.DuckDBPyConnection, path=SEED_DECISIONS) -> int:
    """Insert the bundled decisions whose items are in the store and undecided; returns how many."""
    rows = load(path)
    if not rows:
        return 0
    ensure_schema(conn)
    present = conn.execute(f"SELECT item_key, state FROM ({items_with_state_sql(conn)})").fetchall()
    undecided = {k for k, s in present if s == "candidate"}
    n = 0
    for r in rows:
        if r["item_key"] not in undecided:
            continue
        at = datetime.fromisoformat(r["decided_at"])
        conn.execute("INSERT INTO review_decisions VALUES (?, ?, ?, ?, 'accepted', ?, NULL, ?, ?, ?, ?, ?)",
                     [r["item_key"], r["kind"], r.get("article_url"), r.get("article_id"),
                      json.dumps(r.get("original") or {}, ensure_ascii=False), r.get("confidence"), r.get("reason"),
                      r["decided_by"], at, r.get("why")])
        conn.execute("INSERT INTO review_log VALUES (?, 'accepted', NULL, ?, ?, ?)",
                     [r["item_key"], r["decided_by"], at, r.get("why")])
        n += 1
    return n
