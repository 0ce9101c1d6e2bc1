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


class ReviewError(UserError):
    """A decision that cannot be applied (unknown item, bad edit)."""


def default_reviewer() -> str:
    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 - no login name (containers): a plain default
        return "reviewer"


def find_item(conn: duckdb.DuckDBPyConnection, ref: str) -> dict:
    """The item whose key or row id is ``ref`` (a unique key prefix of 8+ characters works too)."""
    sql = items_with_state_sql(conn)
    # one scan of the items (computing every key is the cost): exact key, row id, or prefix
    prefix = ref if len(ref) >= 8 else "\x00"
    rows = conn.execute(f"SELECT * FROM ({sql}) WHERE item_key = ? OR item_id = ? OR starts_with(item_key, ?)",
                        [ref, ref, prefix]).df()
    exact = rows[(rows["item_key"] == ref) | (rows["item_id"] == ref)]
    if not exact.empty:
        rows = exact
    if rows.empty:
        raise ReviewError(f"no item with key or id {ref!r} (heartland review lists them)")
    keys = rows["item_key"].unique()
    if len(keys) > 1:
        raise ReviewError(f"{ref!r} matches {len(keys)} items; give more of the key")
    return rows.iloc[0].to_dict()


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
