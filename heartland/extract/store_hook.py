"""The extraction stage's processor for ``heartland ingest``.

``process_article(conn, article)`` runs inside the store's per-document transaction
(docs/store.md): it extracts the article and writes its mentions, quantities, facts,
events, quotes and story assignment, then links facts across articles (corroboration
and conflicts). ``ensure_schema(conn)`` creates the tables (idempotent).
"""

from __future__ import annotations

import json

import duckdb

from heartland.corpus.records import Article
from heartland.extract.corroborate import fact_key, link_fact
from heartland.extract.pipeline import extract_article
from heartland.extract.records import Extraction
from heartland.extract.schema import TABLES, ensure_schema

__all__ = ["process_article", "ensure_schema", "write_extraction", "delete_article_rows"]


def delete_article_rows(conn: duckdb.DuckDBPyConnection, article_id: str) -> None:
    for t in TABLES:
        if t == "conflicts":
            conn.execute("DELETE FROM conflicts WHERE article_a = ? OR article_b = ?", [article_id, article_id])
        else:
            conn.execute(f"DELETE FROM {t} WHERE article_id = ?", [article_id])


def write_extraction(conn: duckdb.DuckDBPyConnection, x: Extraction, outlet: str | None = None) -> None:
    aid = x.article_id
    if x.mentions:
        conn.executemany("INSERT INTO mentions VALUES (?, ?, ?, ?, ?, ?, ?)",
                         [[aid, m.actor, m.kind, m.surface, m.metonym, m.start, m.end] for m in x.mentions])
    if x.quantities:
        conn.executemany("INSERT INTO quantities VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                         [[aid, q.value, q.low, q.high, q.unit, q.qualifier, q.hedge, q.kind, q.surface,
                           q.start, q.end] for q in x.quantities])
    for f in x.facts:
        fid = f"{aid}:{f.span_start}"
        key = fact_key(f.subject, f.object, f.indicator, f.period_start, f.period_end)
        conn.execute("INSERT INTO facts VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, FALSE)",
                     [fid, key, f.subject, f.object, f.indicator, f.value, f.low, f.high, f.unit, f.period_start,
                      f.period_end, f.period_uncertain, f.qualifier, aid, f.span_start, f.span_end,
                      f.sentence_start, f.sentence_end, [aid], 1])
        link_fact(conn, fid, key, aid, (f.value, f.low, f.high), f.unit, outlet)
    if x.events:
        conn.executemany("INSERT INTO events VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                         [[f"{aid}:e{i}", aid, e.type, e.cameo, e.quad_class, e.goldstein, e.date, e.date_end,
                           e.date_precision, e.date_uncertain, e.date_note, e.actors, e.span_start, e.span_end]
                          for i, e in enumerate(x.events)])
    if x.quotes:
        conn.executemany("INSERT INTO quotes VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                         [[f"{aid}:q{i}", aid, q.speaker, q.speaker_name, q.affiliation, q.role, q.text, q.direct,
                           json.dumps([h.model_dump() for h in q.hypotheses]), q.stance, q.span_start, q.span_end]
                          for i, q in enumerate(x.quotes)])


def process_article(conn: duckdb.DuckDBPyConnection, article: Article) -> None:
    """Extract ``article`` and write everything derived from it (inside the caller's transaction)."""
    ensure_schema(conn)
    delete_article_rows(conn, article.id)
    x = extract_article(article)
    write_extraction(conn, x, article.outlet)
    from heartland.extract.stories import assign_story
    assign_story(conn, article, x)


process_article.ensure_schema = ensure_schema  # type: ignore[attr-defined]
