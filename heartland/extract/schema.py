"""The extraction stage's tables in the store (created by ``ensure_schema``, idempotent).

Every row carries ``article_id`` and a span ``[span_start, span_end)`` in the article's
``text``. ``facts.sources`` lists every article that corroborates the fact (same
``fact_key`` and compatible value); ``conflicts`` records pairs of facts with the same key
and incompatible values.
"""

from __future__ import annotations

import duckdb

DDL = [
    """CREATE TABLE IF NOT EXISTS mentions (
        article_id VARCHAR NOT NULL, actor VARCHAR NOT NULL, kind VARCHAR NOT NULL,
        surface VARCHAR NOT NULL, metonym BOOLEAN NOT NULL,
        span_start INTEGER NOT NULL, span_end INTEGER NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS quantities (
        article_id VARCHAR NOT NULL, value DOUBLE, low DOUBLE, high DOUBLE, unit VARCHAR NOT NULL,
        qualifier VARCHAR NOT NULL, hedge VARCHAR, kind VARCHAR, surface VARCHAR,
        span_start INTEGER NOT NULL, span_end INTEGER NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS facts (
        fact_id VARCHAR PRIMARY KEY,          -- article_id:span_start
        fact_key VARCHAR NOT NULL,            -- subject|object|indicator|period_start|period_end
        subject VARCHAR NOT NULL, object VARCHAR, indicator VARCHAR NOT NULL,
        value DOUBLE, low DOUBLE, high DOUBLE, unit VARCHAR NOT NULL,
        period_start DATE, period_end DATE, period_uncertain BOOLEAN NOT NULL,
        qualifier VARCHAR NOT NULL,
        article_id VARCHAR NOT NULL, span_start INTEGER NOT NULL, span_end INTEGER NOT NULL,
        sentence_start INTEGER, sentence_end INTEGER,
        sources VARCHAR[] NOT NULL,           -- every corroborating article id (this one included)
        n_sources INTEGER NOT NULL,
        conflict BOOLEAN NOT NULL DEFAULT FALSE)""",
    # One row per (fact, corroborating article): derived from facts.sources, never stale.
    """CREATE VIEW IF NOT EXISTS fact_sources AS
        SELECT fact_key, fact_id, unnest(sources) AS article_id FROM facts""",
    """CREATE TABLE IF NOT EXISTS conflicts (
        fact_key VARCHAR NOT NULL, fact_id_a VARCHAR NOT NULL, fact_id_b VARCHAR NOT NULL,
        article_a VARCHAR NOT NULL, article_b VARCHAR NOT NULL,
        value_a DOUBLE, low_a DOUBLE, high_a DOUBLE, value_b DOUBLE, low_b DOUBLE, high_b DOUBLE,
        unit VARCHAR)""",
    """CREATE TABLE IF NOT EXISTS events (
        event_id VARCHAR PRIMARY KEY, article_id VARCHAR NOT NULL, type VARCHAR NOT NULL,
        cameo VARCHAR NOT NULL, quad_class INTEGER NOT NULL, goldstein DOUBLE NOT NULL,
        date DATE, date_end DATE, date_precision VARCHAR NOT NULL, date_uncertain BOOLEAN NOT NULL,
        date_note VARCHAR, actors VARCHAR[] NOT NULL,
        span_start INTEGER NOT NULL, span_end INTEGER NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS quotes (
        quote_id VARCHAR PRIMARY KEY, article_id VARCHAR NOT NULL, speaker VARCHAR,
        speaker_name VARCHAR NOT NULL, affiliation VARCHAR, role VARCHAR, text VARCHAR NOT NULL,
        direct BOOLEAN NOT NULL, hypotheses VARCHAR NOT NULL,  -- JSON list of {id, stance}
        stance VARCHAR NOT NULL, span_start INTEGER NOT NULL, span_end INTEGER NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS stories (
        article_id VARCHAR PRIMARY KEY, story_id VARCHAR NOT NULL, similarity DOUBLE NOT NULL)""",
]

FACT_COLUMNS = ("fact_id", "fact_key", "subject", "object", "indicator", "value", "low", "high", "unit",
                "period_start", "period_end", "period_uncertain", "qualifier", "article_id", "span_start", "span_end",
                "sentence_start", "sentence_end", "sources", "n_sources", "conflict", "measure", "confidence",
                "reason", "flag")

TABLES = ("mentions", "quantities", "facts", "conflicts", "events", "quotes", "stories")
VIEWS = ("fact_sources",)


#: Columns added after the first schema (open-domain figures, confidence and reason codes):
#: added to an older store in place, so a store built by an earlier version keeps working.
LATER_COLUMNS = {
    "mentions": [("confidence", "DOUBLE"), ("reason", "VARCHAR")],
    "facts": [("measure", "VARCHAR"), ("confidence", "DOUBLE"), ("reason", "VARCHAR"), ("flag", "VARCHAR")],
    "events": [("confidence", "DOUBLE"), ("reason", "VARCHAR")],
    "quotes": [("confidence", "DOUBLE"), ("reason", "VARCHAR")],
}
#: Open-domain figures may have no catalogue indicator (and a figure about no actor no subject).
NULLABLE_LATER = {"facts": ("subject", "indicator")}


def ensure_schema(conn: duckdb.DuckDBPyConnection) -> None:
    for ddl in DDL:
        conn.execute(ddl)
    have = {(t, c): nullable for t, c, nullable in conn.execute(
        "SELECT table_name, column_name, is_nullable FROM information_schema.columns").fetchall()}
    for table, cols in LATER_COLUMNS.items():
        for col, typ in cols:
            if (table, col) not in have:
                conn.execute(f"ALTER TABLE {table} ADD COLUMN {col} {typ}")
    for table, cols in NULLABLE_LATER.items():
        for col in cols:
            if have.get((table, col)) == "NO":
                conn.execute(f"ALTER TABLE {table} ALTER COLUMN {col} DROP NOT NULL")
