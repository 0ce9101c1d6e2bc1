"""The review tables: decisions, and the view of every reviewable item with its key.

``review_items`` lists facts, events, quotes and new names (mentions found by the tagger
or the English name rules) with:

- ``item_key``: md5 of kind, the article's URL (its id when it has none), the item's span
  and its content. No row id: re-ingesting an article, loading it from the bundled
  evidence (no text), or a new version of it in which the item did not move gives the same
  key; a changed item (another value, another speaker) gets a new key and is a new
  candidate.
- ``item_id``: the row's id in its table (fact_id, event_id, quote_id, or
  ``article_id:m:start``), for commands; it changes on re-ingest, the key does not.
- ``summary``: one line describing the item (for listings).

``review_decisions`` holds one row per decided key (the latest decision wins; the
history is kept in ``review_log``).
"""

from __future__ import annotations

import duckdb

STATES = ("candidate", "accepted", "rejected", "edited")
KINDS = ("fact", "event", "quote", "name")

DDL = [
    """CREATE TABLE IF NOT EXISTS review_decisions (
        item_key VARCHAR PRIMARY KEY, kind VARCHAR NOT NULL, article_url VARCHAR, article_id VARCHAR,
        state VARCHAR NOT NULL CHECK (state IN ('accepted', 'rejected', 'edited')),
        original VARCHAR,          -- JSON: the item as extracted
        edited VARCHAR,            -- JSON: the corrected fields (state edited), else NULL
        confidence DOUBLE, reason VARCHAR,   -- from extraction, kept beside the decision
        decided_by VARCHAR NOT NULL, decided_at TIMESTAMP NOT NULL, why VARCHAR)""",
    """CREATE TABLE IF NOT EXISTS review_log (
        item_key VARCHAR NOT NULL, state VARCHAR NOT NULL, edited VARCHAR, decided_by VARCHAR NOT NULL,
        decided_at TIMESTAMP NOT NULL, why VARCHAR)""",
]

#: An index of item keys per article (a cache for finding an item by key without computing
#: every key: heartland.review.decisions.find_item); articles are immutable by id.
KEY_DDL = [
    "CREATE TABLE IF NOT EXISTS review_keys (item_key VARCHAR, kind VARCHAR, item_id VARCHAR, article_id VARCHAR)",
    "CREATE TABLE IF NOT EXISTS review_keyed (article_id VARCHAR PRIMARY KEY)",
]

#: The text of an item's span in its article (empty when the article text is not stored).
_SURFACE = "coalesce(substr(a.text, x.span_start + 1, x.span_end - x.span_start), '')"
_URL = "coalesce(a.url, x.article_id)"
_SPAN = ("CAST(x.span_start AS VARCHAR)", "CAST(x.span_end AS VARCHAR)")


def _key(*parts: str) -> str:
    return "md5(concat_ws('|', " + ", ".join(parts) + "))"


#: What an item's key hashes besides its kind, article and span: one definition for the full
#: listing (items_sql) and the light key query (keys_sql), which must give the same keys.
_FACT_CONTENT = ("coalesce(x.subject, '')", "coalesce(x.object, '')", "coalesce(x.indicator, '')",
                 "coalesce(CAST(x.value AS VARCHAR), '')", "coalesce(CAST(x.low AS VARCHAR), '')",
                 "coalesce(CAST(x.high AS VARCHAR), '')", "x.unit",
                 "coalesce(CAST(x.period_start AS VARCHAR), '')", "coalesce(CAST(x.period_end AS VARCHAR), '')")
_EVENT_CONTENT = ("x.type", "coalesce(CAST(x.date AS VARCHAR), '')", "x.date_precision",
                  "array_to_string(list_sort(x.actors), ',')")


def keys_sql(tables: set[str]) -> str:
    """item_key, kind, item_id of the facts and events only: the key as ``items_sql``
    computes it, without the span's text and the summary (what impact needs, cheaply)."""
    parts = []
    if "facts" in tables:
        parts.append(f"""SELECT {_key("'fact'", _URL, *_SPAN, *_FACT_CONTENT)} AS item_key, 'fact' AS kind,
            x.fact_id AS item_id FROM facts x LEFT JOIN articles a ON a.id = x.article_id""")
    if "events" in tables:
        parts.append(f"""SELECT {_key("'event'", _URL, *_SPAN, *_EVENT_CONTENT)} AS item_key, 'event' AS kind,
            x.event_id AS item_id FROM events x LEFT JOIN articles a ON a.id = x.article_id""")
    return "\nUNION ALL\n".join(parts) if parts else (
        "SELECT NULL::VARCHAR AS item_key, NULL::VARCHAR AS kind, NULL::VARCHAR AS item_id WHERE FALSE")


def items_sql(tables: set[str]) -> str:
    """The SELECT behind ``review_items`` for the item tables that exist."""
    parts = []
    if "facts" in tables:
        parts.append(f"""SELECT {_key("'fact'", _URL, *_SPAN, *_FACT_CONTENT)} AS item_key, 'fact' AS kind,
            x.fact_id AS item_id, x.article_id, a.url AS article_url, x.span_start, x.span_end,
            {_SURFACE} AS surface, coalesce(x.confidence, 1.0) AS confidence, coalesce(x.reason, '') AS reason,
            concat_ws(' ', coalesce(x.subject, '?'), '→', coalesce(x.object, '-'),
                      coalesce(x.indicator, '(open)'), coalesce(CAST(x.value AS VARCHAR),
                      concat('[', coalesce(CAST(x.low AS VARCHAR), ''), ', ', coalesce(CAST(x.high AS VARCHAR), ''), ']')),
                      x.unit, coalesce(CAST(x.period_start AS VARCHAR), ''),
                      coalesce(CAST(x.period_end AS VARCHAR), '')) AS summary
            FROM facts x LEFT JOIN articles a ON a.id = x.article_id""")
    if "events" in tables:
        parts.append(f"""SELECT {_key("'event'", _URL, *_SPAN, *_EVENT_CONTENT)} AS item_key, 'event' AS kind,
            x.event_id AS item_id, x.article_id, a.url AS article_url, x.span_start, x.span_end,
            {_SURFACE} AS surface, coalesce(x.confidence, 1.0) AS confidence, coalesce(x.reason, '') AS reason,
            concat_ws(' ', x.type, coalesce(CAST(x.date AS VARCHAR), '?'), '(' || x.date_precision || ')',
                      array_to_string(x.actors, ', ')) AS summary
            FROM events x LEFT JOIN articles a ON a.id = x.article_id""")
    if "quotes" in tables:
        content = ("coalesce(x.speaker, '')", "x.speaker_name")
        parts.append(f"""SELECT {_key("'quote'", _URL, *_SPAN, *content)} AS item_key, 'quote' AS kind,
            x.quote_id AS item_id, x.article_id, a.url AS article_url, x.span_start, x.span_end,
            {_SURFACE} AS surface, coalesce(x.confidence, 1.0) AS confidence, coalesce(x.reason, '') AS reason,
            concat_ws(' ', coalesce(x.speaker, '?'), '(' || x.speaker_name || ')',
                      coalesce(x.affiliation, '')) AS summary
            FROM quotes x LEFT JOIN articles a ON a.id = x.article_id""")
    if "mentions" in tables:
        parts.append(f"""SELECT {_key("'name'", _URL, *_SPAN, "x.actor", "x.kind")} AS item_key, 'name' AS kind,
            x.article_id || ':m:' || CAST(x.span_start AS VARCHAR) AS item_id, x.article_id, a.url AS article_url,
            x.span_start, x.span_end, {_SURFACE} AS surface, coalesce(x.confidence, 1.0) AS confidence,
            coalesce(x.reason, '') AS reason, concat_ws(' ', x.kind, x.actor) AS summary
            FROM mentions x LEFT JOIN articles a ON a.id = x.article_id
            WHERE coalesce(x.reason, '') IN ('tagger', 'rule_en')""")
    return "\nUNION ALL\n".join(parts) if parts else (
        "SELECT NULL::VARCHAR AS item_key, NULL::VARCHAR AS kind, NULL::VARCHAR AS item_id, NULL::VARCHAR AS "
        "article_id, NULL::VARCHAR AS article_url, NULL::INTEGER AS span_start, NULL::INTEGER AS span_end, "
        "NULL::VARCHAR AS surface, NULL::DOUBLE AS confidence, NULL::VARCHAR AS reason, NULL::VARCHAR AS summary "
        "WHERE FALSE")


def ensure_schema(conn: duckdb.DuckDBPyConnection) -> None:
    """Create the decision tables (idempotent). The items view is built on demand
    (``items_relation``) because the item tables may gain columns."""
    for ddl in DDL:
        conn.execute(ddl)


def existing_tables(conn: duckdb.DuckDBPyConnection) -> set[str]:
    return {r[0] for r in conn.execute("SELECT table_name FROM information_schema.tables").fetchall()}


def items_with_state_sql(conn: duckdb.DuckDBPyConnection, only: set[str] | None = None) -> str:
    """Every item with its state (candidate when undecided) and decision columns; ``only``:
    just the items of these tables (e.g. ``{"facts"}``)."""
    tabs = existing_tables(conn)
    if only is not None:
        tabs = {t for t in tabs if t in only or t in ("articles", "review_decisions")}
    dec = "review_decisions" in tabs
    join = "LEFT JOIN review_decisions d ON d.item_key = i.item_key" if dec else ""
    cols = ("coalesce(d.state, 'candidate') AS state, d.edited, d.decided_by, d.decided_at, d.why"
            if dec else "'candidate' AS state, NULL AS edited, NULL AS decided_by, NULL AS decided_at, NULL AS why")
    return f"SELECT i.*, {cols} FROM ({items_sql(tabs)}) i {join}"
