#!/usr/bin/env python3
"""Write heartland/data/evidence/seeds_review.jsonl: the seed items that match the seed
gold, as accepted decisions (heartland/review/seeds.py). Needs ../shared/corpus/seeds."""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

import duckdb  # noqa: E402

from heartland import paths  # noqa: E402
from heartland.corpus import read_path  # noqa: E402
from heartland.extract.pipeline import extract_article  # noqa: E402
from heartland.extract.store_hook import process_article  # noqa: E402
from heartland.review.schema import items_with_state_sql  # noqa: E402
from heartland.review.seeds import REVIEWER, SEED_DECISIONS  # noqa: E402
from heartland.store import ingest  # noqa: E402
from tests.extract.gold import GOLD_DIR, event_matches, fact_matches, load_gold  # noqa: E402


def main() -> int:
    seeds = paths.seeds_dir()
    if seeds is None:
        print("../shared/corpus/seeds not found", file=sys.stderr)
        return 2
    gold = load_gold(GOLD_DIR / "seeds_gold.yaml")
    spans: set[tuple[str, str, int, int]] = set()
    for path in sorted(p for p in seeds.iterdir() if p.is_file()):
        art = next(r for r in read_path(path) if hasattr(r, "paragraphs"))
        x = extract_article(art)
        g = gold[path.name[:3]]
        for f in x.facts:
            if f.indicator and any(fact_matches(art.normalised, f, gf) for gf in g.get("facts", [])):
                spans.add(("fact", art.id, f.span_start, f.span_end))
        for e in x.events:
            if any(event_matches(e, ge) for ge in g.get("events", [])):
                spans.add(("event", art.id, e.span_start, e.span_end))
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "seeds.duckdb"
        ingest([seeds], db=db, processors=[process_article])
        con = duckdb.connect(str(db))
        items = con.execute(f"SELECT * FROM ({items_with_state_sql(con)}) WHERE kind IN ('fact', 'event')").df()
        con.close()
    rows = []
    for r in items.itertuples(index=False):
        if (r.kind, r.article_id, int(r.span_start), int(r.span_end)) in spans:
            rows.append({"item_key": r.item_key, "kind": r.kind, "article_url": r.article_url,
                         "article_id": r.article_id, "state": "accepted", "original": {"summary": r.summary},
                         "confidence": float(r.confidence), "reason": r.reason, "decided_by": REVIEWER,
                         "decided_at": "2026-12-03T00:00:00", "why": "matches the hand-checked seed gold"})
    rows.sort(key=lambda d: (d["article_id"], d["kind"], d["item_key"]))
    SEED_DECISIONS.write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in rows), encoding="utf-8")
    print(f"{len(rows)} accepted decisions of {len(items)} seed facts and events -> {SEED_DECISIONS}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
