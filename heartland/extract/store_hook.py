"""The extraction stage's processor for ``heartland ingest``.

``process_article(conn, article)`` runs inside the store's per-document transaction
(docs/store.md): it extracts the article and writes its mentions, quantities, facts,
events, quotes and story assignment, then links facts across articles (corroboration
and conflicts). ``ensure_schema(conn)`` creates the tables (idempotent).
"""

from __future__ import annotations

import json

import duckdb
import pyarrow as pa

from heartland.corpus.records import Article
from heartland.extract.corroborate import fact_key, link_facts
from heartland.extract.pipeline import extract_article
from heartland.extract.records import Extraction
from heartland.extract.schema import FACT_COLUMNS, TABLES, ensure_schema

__all__ = ["process_article", "reprocess_article", "ensure_schema", "write_extraction", "delete_article_rows"]


def delete_article_rows(conn: duckdb.DuckDBPyConnection, article_id: str) -> None:
    for t in TABLES:
        if t == "conflicts":
            conn.execute("DELETE FROM conflicts WHERE article_a = ? OR article_b = ?", [article_id, article_id])
        else:
            conn.execute(f"DELETE FROM {t} WHERE article_id = ?", [article_id])


def _arrow(columns: list[str], rows: list[list]) -> pa.Table:
    return pa.table({c: [r[i] for r in rows] for i, c in enumerate(columns)})


MENTION_COLUMNS = ["article_id", "actor", "kind", "surface", "metonym", "span_start", "span_end"]
QUANTITY_COLUMNS = ["article_id", "value", "low", "high", "unit", "qualifier", "hedge", "kind", "surface",
                    "span_start", "span_end"]
EVENT_COLUMNS = ["event_id", "article_id", "type", "cameo", "quad_class", "goldstein", "date", "date_end",
                 "date_precision", "date_uncertain", "date_note", "actors", "span_start", "span_end"]
QUOTE_COLUMNS = ["quote_id", "article_id", "speaker", "speaker_name", "affiliation", "role", "text", "direct",
                 "hypotheses", "stance", "span_start", "span_end"]


def write_extraction(conn: duckdb.DuckDBPyConnection, x: Extraction, outlet: str | None = None,
                     story: tuple[str, float] | None = None) -> None:
    """Insert one article's evidence: all tables in one multi-statement call.

    DuckDB reads the local Arrow tables by name (replacement scans), which is far cheaper
    than one statement per row (executemany) or registering each table; one call for all
    tables saves the per-statement overhead that dominates small documents.
    """
    aid = x.article_id
    tables = {
        "mentions": (MENTION_COLUMNS, [[aid, m.actor, m.kind, m.surface, m.metonym, m.start, m.end]
                                       for m in x.mentions]),
        "quantities": (QUANTITY_COLUMNS, [[aid, q.value, q.low, q.high, q.unit, q.qualifier, q.hedge, q.kind,
                                           q.surface, q.start, q.end] for q in x.quantities]),
        "events": (EVENT_COLUMNS, [[f"{aid}:e{i}", aid, e.type, e.cameo, e.quad_class, e.goldstein, e.date,
                                    e.date_end, e.date_precision, e.date_uncertain, e.date_note, e.actors,
                                    e.span_start, e.span_end] for i, e in enumerate(x.events)]),
        "quotes": (QUOTE_COLUMNS, [[f"{aid}:q{i}", aid, q.speaker, q.speaker_name, q.affiliation, q.role, q.text,
                                    q.direct, json.dumps([h.model_dump() for h in q.hypotheses]), q.stance,
                                    q.span_start, q.span_end] for i, q in enumerate(x.quotes)]),
    }
    fact_rows = []
    for f in x.facts:
        fid = f"{aid}:{f.span_start}"
        key = fact_key(f.subject, f.object, f.indicator, f.period_start, f.period_end)
        fact_rows.append([fid, key, f.subject, f.object, f.indicator, f.value, f.low, f.high, f.unit, f.period_start,
                          f.period_end, f.period_uncertain, f.qualifier, aid, f.span_start, f.span_end,
                          f.sentence_start, f.sentence_end, [aid], 1, False])
    tables["facts"] = (list(FACT_COLUMNS), fact_rows)
    if story is not None:
        tables["stories"] = (["article_id", "story_id", "similarity"], [[aid, story[0], float(story[1])]])
    scope = {}
    statements = []
    for table, (cols, rows) in tables.items():
        if rows:
            scope[table] = _arrow(cols, rows)
            statements.append(f"INSERT INTO {table} ({', '.join(cols)}) SELECT {', '.join(cols)} FROM _hl_{table}")
    _hl_mentions = scope.get("mentions")  # noqa: F841 - read by DuckDB's replacement scan
    _hl_quantities = scope.get("quantities")  # noqa: F841
    _hl_events = scope.get("events")  # noqa: F841
    _hl_quotes = scope.get("quotes")  # noqa: F841
    _hl_facts = scope.get("facts")  # noqa: F841
    _hl_stories = scope.get("stories")  # noqa: F841
    if statements:
        conn.execute(";\n".join(statements))
    link_facts(conn, [(r[0], r[1], (r[5], r[6], r[7]), r[8]) for r in fact_rows], aid, outlet)


#: Connections whose schema this process has ensured (kept referenced so ids are not reused).
_ENSURED: list[duckdb.DuckDBPyConnection] = []


def _ensure_once(conn: duckdb.DuckDBPyConnection) -> None:
    if any(c is conn for c in _ENSURED):
        return
    ensure_schema(conn)
    _ENSURED.append(conn)
    del _ENSURED[:-8]


def process_article(conn: duckdb.DuckDBPyConnection, article: Article) -> None:
    """Extract ``article`` and write everything derived from it (inside the caller's transaction)."""
    _ensure_once(conn)
    # The store runs processors only for articles it has just written (new ids), so there
    # are no earlier rows to replace; reprocess_article handles re-extraction.
    x = extract_article(article)
    from heartland.extract.stories import choose_story, remember_signature

    write_extraction(conn, x, article.outlet, story=choose_story(conn, article, x))
    remember_signature(conn, article.id, x)


def reprocess_article(conn: duckdb.DuckDBPyConnection, article: Article) -> None:
    """Replace everything extracted from ``article`` (after a gazetteer or rule change)."""
    _ensure_once(conn)
    delete_article_rows(conn, article.id)
    process_article(conn, article)


process_article.ensure_schema = ensure_schema  # type: ignore[attr-defined]
