"""Recording decisions: accept, reject, edit an item, by key or by its current row id.

A decision names the item by its ``item_key`` (stable) or its ``item_id`` (fact_id,
event_id, quote_id, ``article_id:m:start``: handy on the command line, resolved to the
key at once). The latest decision for a key wins; every decision is appended to
``review_log``. ``edited`` holds only the corrected fields (for a fact: subject, object,
indicator, value, low, high, unit, qualifier, period_start, period_end; for an event:
type, date, date_precision, actors; for a quote: speaker, affiliation; for a name: actor),
checked against the item's kind.
"""

from __future__ import annotations

import getpass
import json
from datetime import datetime, timezone

import duckdb

from heartland.errors import UserError
from heartland.review.schema import ensure_schema, items_with_state_sql

#: Fields an edit may change, per kind.
EDITABLE = {
    "fact": {"subject", "object", "indicator", "value", "low", "high", "unit", "qualifier", "period_start",
             "period_end"},
    "event": {"type", "date", "date_precision", "actors"},
    "quote": {"speaker", "affiliation"},
    "name": {"actor"},
}
DECISIONS = ("accepted", "rejected", "edited")
_TABLE = {"fact": "facts", "event": "events", "quote": "quotes", "name": "mentions"}


class ReviewError(UserError):
    """A decision that cannot be applied (unknown item, bad edit)."""


def default_reviewer() -> str:
    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 - no login name (containers): a plain default
        return "reviewer"


def _index_keys(conn: duckdb.DuckDBPyConnection) -> bool:
    """Bring ``review_keys`` (item key → kind, row id, article) up to date for articles not
    indexed yet; False on a read-only connection or a store without articles."""
    from heartland.review.schema import KEY_DDL, existing_tables, items_sql

    tabs = existing_tables(conn)
    if "articles" not in tabs:
        return False
    try:
        for ddl in KEY_DDL:
            conn.execute(ddl)
        # articles are only ever added (a new version is a new row): equal counts, all indexed
        new = conn.execute("SELECT (SELECT count(*) FROM articles) <> (SELECT count(*) FROM review_keyed)"
                           ).fetchone()[0]
        if new:
            conn.execute("CREATE OR REPLACE TEMP TABLE _hl_new_articles AS SELECT a.id FROM articles a "
                         "ANTI JOIN review_keyed k ON k.article_id = a.id")
            conn.execute(f"""INSERT INTO review_keys SELECT item_key, kind, item_id, article_id
                             FROM ({items_sql(tabs)}) WHERE article_id IN (SELECT id FROM _hl_new_articles)""")
            conn.execute("INSERT OR IGNORE INTO review_keyed SELECT id FROM _hl_new_articles")
            conn.execute("DROP TABLE _hl_new_articles")
        return True
    except (duckdb.InvalidInputException, duckdb.CatalogException, duckdb.TransactionException,
            duckdb.PermissionException, duckdb.IOException):
        return False


def find_item(conn: duckdb.DuckDBPyConnection, ref: str) -> dict:
    """The item whose key or row id is ``ref`` (a unique key prefix of 8+ characters works too).

    On a writable connection the keys are looked up in ``review_keys`` (an index of keys per
    article, extended with the articles ingested since), so a decision does not compute
    every item's key; a miss falls back to the full scan."""
    sql = items_with_state_sql(conn)
    prefix = ref if len(ref) >= 8 else "\x00"
    rows = None
    if _index_keys(conn):
        hits = conn.execute("SELECT DISTINCT item_key, article_id, kind FROM review_keys "
                            "WHERE item_key = ? OR item_id = ? OR starts_with(item_key, ?)", [ref, ref, prefix]
                            ).fetchall()
        if hits and len({k for k, _, _ in hits}) == 1:
            k, aid, kind = hits[0]
            one = items_with_state_sql(conn, only={_TABLE[kind]})
            got = _dicts(conn.execute(f"SELECT * FROM ({one}) WHERE article_id = ? AND item_key = ?", [aid, k]))
            if got:
                rows = got
    if rows is None:
        # one scan of the items (computing every key is the cost): exact key, row id, or prefix
        rows = _dicts(conn.execute(f"SELECT * FROM ({sql}) WHERE item_key = ? OR item_id = ? "
                                   "OR starts_with(item_key, ?)", [ref, ref, prefix]))
    exact = [r for r in rows if r["item_key"] == ref or r["item_id"] == ref]
    if exact:
        rows = exact
    if not rows:
        raise ReviewError(f"no item with key or id {ref!r} (heartland review lists them)")
    keys = {r["item_key"] for r in rows}
    if len(keys) > 1:
        raise ReviewError(f"{ref!r} matches {len(keys)} items; give more of the key")
    return rows[0]


def _dicts(cur) -> list[dict]:
    """Rows as dicts (no pandas: a decision stays light)."""
    cols = [d[0] for d in cur.description]
    return [dict(zip(cols, r)) for r in cur.fetchall()]


def check_edit(kind: str, edited: dict) -> dict:
    unknown = set(edited) - EDITABLE[kind]
    if unknown:
        raise ReviewError(f"cannot edit {sorted(unknown)} of a {kind} (editable: {sorted(EDITABLE[kind])})")
    return edited


def decide(conn: duckdb.DuckDBPyConnection, ref: str, state: str, *, edited: dict | None = None,
           by: str | None = None, why: str | None = None, at: datetime | None = None) -> dict:
    """Record a decision on the item ``ref``; returns the item with its new state."""
    if state not in DECISIONS:
        raise ReviewError(f"state must be one of {', '.join(DECISIONS)}, not {state!r}")
    ensure_schema(conn)
    item = find_item(conn, ref)
    if state == "edited":
        if not edited:
            raise ReviewError("an edit needs the corrected fields (e.g. --set subject=RUS)")
        check_edit(item["kind"], edited)
    elif edited:
        raise ReviewError("corrected fields go with an edit only")
    record(conn, item, state, edited=edited, by=by, why=why, at=at)
    item.update(state=state, edited=json.dumps(edited) if edited else None)
    return item


def record(conn: duckdb.DuckDBPyConnection, item: dict, state: str, *, edited: dict | None = None,
           by: str | None = None, why: str | None = None, at: datetime | None = None) -> None:
    """Write one decision for an item row (as from ``items_with_state_sql``)."""
    at = at or datetime.now(timezone.utc).replace(tzinfo=None)
    by = by or default_reviewer()
    original = {k: item.get(k) for k in ("kind", "summary", "surface", "span_start", "span_end", "article_id")}
    ed = json.dumps(edited, ensure_ascii=False, default=str) if edited else None
    conn.execute("INSERT OR REPLACE INTO review_decisions VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                 [item["item_key"], item["kind"], item.get("article_url"), item.get("article_id"), state,
                  json.dumps(original, ensure_ascii=False, default=str), ed, item.get("confidence"),
                  item.get("reason"), by, at, why])
    conn.execute("INSERT INTO review_log VALUES (?, ?, ?, ?, ?, ?)", [item["item_key"], state, ed, by, at, why])


def states(conn: duckdb.DuckDBPyConnection) -> dict[str, tuple[str, dict | None]]:
    """item_key → (state, edited fields) for every decided item."""
    tabs = {r[0] for r in conn.execute("SELECT table_name FROM information_schema.tables").fetchall()}
    if "review_decisions" not in tabs:
        return {}
    return {k: (s, json.loads(e) if e else None)
            for k, s, e in conn.execute("SELECT item_key, state, edited FROM review_decisions").fetchall()}
