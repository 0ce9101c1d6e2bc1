"""The extraction stage's processor for ``heartland ingest``.

``process_article(conn, article)`` runs inside the store's transaction (docs/store.md): it
extracts the article and writes its mentions, quantities, facts, events, quotes and story
assignment, with its facts linked across articles (corroboration and conflicts). The
ingest uses its batch form, ``prepare`` (extract, no database) and ``write_batch`` (a
whole group of articles, a few statements in all). ``ensure_schema(conn)`` creates the
tables (idempotent).
"""

from __future__ import annotations

import json
from operator import attrgetter

import duckdb
import pyarrow as pa

from heartland.corpus.records import Article
from heartland.extract.corroborate import fact_key, link_batch
from heartland.extract.pipeline import extract_article
from heartland.extract.records import Extraction
from heartland.extract import schema as _schema
from heartland.extract.schema import FACT_COLUMNS, TABLES

__all__ = ["process_article", "reprocess_article", "ensure_schema", "write_extractions", "prepare", "write_batch", "delete_article_rows"]


def delete_article_rows(conn: duckdb.DuckDBPyConnection, article_id: str) -> None:
    for t in TABLES:
        if t == "conflicts":
            conn.execute("DELETE FROM conflicts WHERE article_a = ? OR article_b = ?", [article_id, article_id])
        else:
            conn.execute(f"DELETE FROM {t} WHERE article_id = ?", [article_id])


def _arrow(columns: list[str], rows: list[list]) -> pa.Table:
    return pa.table({c: [r[i] for r in rows] for i, c in enumerate(columns)})


MENTION_COLUMNS = ["article_id", "actor", "kind", "surface", "metonym", "span_start", "span_end", "confidence",
                   "reason"]
QUANTITY_COLUMNS = ["article_id", "value", "low", "high", "unit", "qualifier", "hedge", "kind", "surface",
                    "span_start", "span_end"]
EVENT_COLUMNS = ["event_id", "article_id", "type", "cameo", "quad_class", "goldstein", "date", "date_end",
                 "date_precision", "date_uncertain", "date_note", "actors", "span_start", "span_end", "confidence",
                 "reason"]
QUOTE_COLUMNS = ["quote_id", "article_id", "speaker", "speaker_name", "affiliation", "role", "text", "direct",
                 "hypotheses", "stance", "span_start", "span_end", "confidence", "reason"]


#: The record attributes behind MENTION_COLUMNS and QUANTITY_COLUMNS (after article_id).
_ATTRS = {"mentions": attrgetter("actor", "kind", "surface", "metonym", "start", "end", "confidence", "reason"),
          "quantities": attrgetter("value", "low", "high", "unit", "qualifier", "hedge", "kind", "surface",
                                   "start", "end")}


def write_extractions(conn: duckdb.DuckDBPyConnection, items: list[tuple[Article, Extraction]],
                      stories: list[tuple[str, float]] | None = None) -> None:
    """Insert the evidence of several new articles: one statement per table for all of them.

    DuckDB reads the local Arrow tables by name (replacement scans), which is far cheaper
    than one statement per row (executemany) or registering each table; since every
    statement costs about a millisecond whatever its size, the rows of a whole group of
    articles go in together. Facts are linked across articles (``link_batch``) before they
    are inserted, so they go in with their sources and conflict flags already set.
    """
    rows: dict[str, list] = {t: [] for t in ("events", "quotes", "facts", "stories")}
    # Mentions and quantities, the bulk of the rows, go column by column (one C-level
    # transposition of their attributes) rather than as row lists transposed in Python.
    many: dict[str, tuple[list, list]] = {"mentions": ([], []), "quantities": ([], [])}
    linked: list[tuple[str, list]] = []
    for n, (article, x) in enumerate(items):
        aid = x.article_id
        for t, objs in (("mentions", x.mentions), ("quantities", x.quantities)):
            many[t][0].extend([aid] * len(objs))
            many[t][1].extend(objs)
        rows["events"] += [[f"{aid}:e{i}", aid, e.type, e.cameo, e.quad_class, e.goldstein, e.date, e.date_end,
                            e.date_precision, e.date_uncertain, e.date_note, e.actors, e.span_start, e.span_end,
                            e.confidence, e.reason]
                           for i, e in enumerate(x.events)]
        rows["quotes"] += [[f"{aid}:q{i}", aid, q.speaker, q.speaker_name, q.affiliation, q.role, q.text, q.direct,
                            json.dumps([h.model_dump() for h in q.hypotheses]), q.stance, q.span_start, q.span_end,
                            q.confidence, q.reason]
                           for i, q in enumerate(x.quotes)]
        new = []
        for f in x.facts:
            fid = f"{aid}:{f.span_start}"
            key = fact_key(f.subject, f.object, f.indicator, f.period_start, f.period_end, f.measure)
            rows["facts"].append([fid, key, f.subject, f.object, f.indicator, f.value, f.low, f.high, f.unit,
                                  f.period_start, f.period_end, f.period_uncertain, f.qualifier, aid, f.span_start,
                                  f.span_end, f.sentence_start, f.sentence_end, [aid], 1, False, f.measure,
                                  f.confidence, f.reason, f.flag])
            new.append((fid, key, (f.value, f.low, f.high), f.unit))
        linked.append((aid, new))
        if stories is not None:
            rows["stories"].append([aid, stories[n][0], float(stories[n][1])])
    warned = [(x.article_id, "extract", w) for _, x in items for w in x.warnings]
    if warned and conn.execute("SELECT count(*) FROM information_schema.tables WHERE table_name = "
                               "'ingest_errors'").fetchone()[0]:
        conn.executemany("INSERT INTO ingest_errors VALUES (?, ?, ?, now() AT TIME ZONE 'UTC')", warned)
    links = link_batch(conn, linked)
    for r in rows["facts"]:
        if r[0] in links:
            r[18], r[20] = links[r[0]][0], links[r[0]][1]
            r[19] = len(r[18])
    columns = {"mentions": MENTION_COLUMNS, "quantities": QUANTITY_COLUMNS, "events": EVENT_COLUMNS,
               "quotes": QUOTE_COLUMNS, "facts": list(FACT_COLUMNS),
               "stories": ["article_id", "story_id", "similarity"]}
    scope = {t: _arrow(columns[t], r) for t, r in rows.items() if r}
    for t, (aids, objs) in many.items():
        if objs:
            scope[t] = pa.table(dict(zip(columns[t], [aids, *zip(*map(_ATTRS[t], objs))])))
    statements = [f"INSERT INTO {t} ({', '.join(columns[t])}) SELECT {', '.join(columns[t])} FROM _hl_{t}"
                  for t in scope]
    _hl_mentions = scope.get("mentions")  # noqa: F841 - read by DuckDB's replacement scan
    _hl_quantities = scope.get("quantities")  # noqa: F841
    _hl_events = scope.get("events")  # noqa: F841
    _hl_quotes = scope.get("quotes")  # noqa: F841
    _hl_facts = scope.get("facts")  # noqa: F841
    _hl_stories = scope.get("stories")  # noqa: F841
    if statements:
        conn.execute(";\n".join(statements))


#: Connections whose schema this process has ensured (kept referenced so ids are not reused).
_ENSURED: list[duckdb.DuckDBPyConnection] = []


def ensure_schema(conn: duckdb.DuckDBPyConnection) -> None:
    """Create the extraction tables (idempotent); as the store's schema hook it also spares
    ``write_batch`` running the DDL again on the same connection."""
    _schema.ensure_schema(conn)
    _ENSURED.append(conn)
    del _ENSURED[:-8]


def _ensure_once(conn: duckdb.DuckDBPyConnection) -> None:
    if any(c is conn for c in _ENSURED):
        return
    ensure_schema(conn)


def prepare(article: Article) -> Extraction:
    """The batch form's first half (no database): extract the article."""
    return extract_article(article)


def write_batch(conn: duckdb.DuckDBPyConnection, items: list[tuple[Article, Extraction]]) -> None:
    """The batch form's second half, inside the caller's transaction: every article's
    evidence, its story (each article sees the ones before it) and the links of its facts."""
    _ensure_once(conn)
    from heartland.extract.stories import choose_stories

    write_extractions(conn, items, stories=choose_stories(conn, items))


def process_article(conn: duckdb.DuckDBPyConnection, article: Article) -> None:
    """Extract ``article`` and write everything derived from it (inside the caller's transaction)."""
    # The store runs processors only for articles it has just written (new ids), so there
    # are no earlier rows to replace; reprocess_article handles re-extraction.
    write_batch(conn, [(article, prepare(article))])


def reprocess_article(conn: duckdb.DuckDBPyConnection, article: Article) -> None:
    """Replace everything extracted from ``article`` (after a gazetteer or rule change)."""
    _ensure_once(conn)
    delete_article_rows(conn, article.id)
    process_article(conn, article)


process_article.ensure_schema = ensure_schema  # type: ignore[attr-defined]
# The batch form the ingest uses (heartland.store.ingestion): many articles per statement.
process_article.prepare = prepare  # type: ignore[attr-defined]
process_article.write_batch = write_batch  # type: ignore[attr-defined]
