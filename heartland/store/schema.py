"""The store's own tables. Later stages add theirs through schema hooks (docs/store.md)."""

from __future__ import annotations

import duckdb

SCHEMA_VERSION = 1

ARTICLES_DDL = """
CREATE TABLE IF NOT EXISTS articles (
    id               VARCHAR PRIMARY KEY,  -- sha256(normalised text)[:16]
    url              VARCHAR,
    outlet           VARCHAR,
    via              VARCHAR,
    title            VARCHAR NOT NULL,
    authors          VARCHAR[] NOT NULL,
    published        VARCHAR,              -- ISO 8601 with the document's own offset
    published_utc    TIMESTAMP,            -- the same instant in UTC, for sorting and ranges
    published_basis  VARCHAR,
    language         VARCHAR NOT NULL,
    script           VARCHAR NOT NULL,
    paragraphs       VARCHAR[] NOT NULL,
    text             VARCHAR NOT NULL,     -- paragraphs joined by newlines; spans refer to it
    normalised       VARCHAR NOT NULL,     -- OpenCC t2s of text, same length
    captions         VARCHAR[] NOT NULL,
    source_path      VARCHAR,
    ingested_at      TIMESTAMP NOT NULL,   -- UTC
    reader           VARCHAR,
    mirrored_at      VARCHAR,
    credits          VARCHAR NOT NULL,     -- JSON object of name lists
    version          INTEGER NOT NULL,     -- 1 for the first text seen at this URL
    supersedes       VARCHAR               -- id of the previous version at the same URL
)
"""

META_DDL = "CREATE TABLE IF NOT EXISTS heartland_meta (key VARCHAR PRIMARY KEY, value VARCHAR)"

#: Articles stored although a processor's preparation (the extraction) raised on them: the
#: article row is kept, that processor wrote nothing for it, and the error is kept here.
ERRORS_DDL = """
CREATE TABLE IF NOT EXISTS ingest_errors (
    article_id   VARCHAR NOT NULL,
    processor    VARCHAR NOT NULL,
    message      VARCHAR NOT NULL,             -- 'processor NAME failed: Type: message'
    recorded_at  TIMESTAMP NOT NULL            -- UTC
)
"""


def ensure_schema(conn: duckdb.DuckDBPyConnection) -> None:
    """Create the store's tables if missing (idempotent)."""
    conn.execute(ARTICLES_DDL)
    conn.execute(META_DDL)
    conn.execute(ERRORS_DDL)
    conn.execute("INSERT OR IGNORE INTO heartland_meta VALUES ('schema_version', ?)",
                 [str(SCHEMA_VERSION)])
