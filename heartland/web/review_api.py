"""The dashboard's review API: list extracted items, show one with its sentence, decide on it.

``GET /api/review/items`` lists items (candidates by default) with filters, ordered by
how much accepting them would move an index when ``heartland.review.impact`` is
installed, else by extraction confidence. ``GET /api/review/items/{key}`` gives one item
with its sentence (span offsets inside it), its article and the proposed fields.
``GET /api/review/items/{key}/preview?state=accepted|rejected`` says exactly which
influence numbers that decision would change (every one, before and after).
``POST /api/review/items/{key}`` records a decision (accepted, rejected, edited).

Reads go through the dashboard's read-only, per-request connections and its read cache.
A decision is the dashboard's one write to the store: it opens the store with the
store's polite open (``heartland.store.db.open_store``: it waits and retries while an
ingest holds the file, and signals the ingest to yield between batches), writes the
decision and closes at once, so reviewing never blocks an ingest and nothing is lost.
Writes are refused unless they come from the dashboard's own origin (``Origin`` or
``Referer`` naming the host the request was sent to, and that host a loopback name or
the one ``heartland serve --host`` binds) and carry a JSON body.
"""

from __future__ import annotations

import json
import logging
import threading
from collections import OrderedDict
import time
from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

import duckdb
from fastapi import APIRouter, HTTPException, Path as PathParam, Query, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, ConfigDict, Field

from heartland.errors import UserError
from heartland.report.evidence import article_text, sentence_of
from heartland.report.readmodel import StoreUnavailable, connect_ro, jsonable, query

log = logging.getLogger("heartland.web.review")

ItemKey = Annotated[str, PathParam(pattern=r"^[0-9a-f]{32}$", description="an item key (32 hex digits)")]
Filter = Annotated[str | None, Query(max_length=64, pattern=r"^[\w .:+\-/()]*$")]
Confidence = Annotated[float | None, Query(ge=0.0, le=1.0)]
Kind = Literal["fact", "event", "quote", "name"]
StateFilter = Literal["candidate", "accepted", "rejected", "edited", "decided", "any"]
#: Hosts a state-changing request may be addressed to (besides the one ``serve`` binds).
LOOPBACK = {"127.0.0.1", "localhost", "::1"}
#: How long a decision waits for an ingest to yield the store before answering 503.
WRITE_WAIT_SECONDS = 15.0
MAX_LIST = 5000
#: Listing rows remembered (the detail reuses them).
LISTED_SIZE = 20_000
#: Items remembered as shown (for decisions without a lookup).
SHOWN_SIZE = 4096

#: The proposed fields shown per kind (the rest of the row stays in the store).
FIELDS = {
    "fact": ("subject", "object", "indicator", "value", "low", "high", "unit", "qualifier", "period_start",
             "period_end", "n_sources", "conflict", "flag"),
    "event": ("type", "date", "date_end", "date_precision", "actors", "cameo", "goldstein"),
    "quote": ("speaker", "speaker_name", "affiliation", "role", "text", "direct", "stance", "hypotheses"),
    "name": ("actor", "kind", "surface", "metonym"),
}


class Decision(BaseModel):
    """A decision on one item. ``edited`` holds the corrected fields only (state edited)."""
    model_config = ConfigDict(extra="forbid")
    state: Literal["accepted", "rejected", "edited"]
    edited: dict[str, Any] | None = Field(default=None, max_length=16)
    why: str | None = Field(default=None, max_length=500)
    by: str | None = Field(default=None, max_length=64, pattern=r"^[\w .@+\-]*$")


# -- impact (heartland.review.impact) ----------------------------------------------------------

def impact_module():
    try:
        from heartland.review import impact  # noqa: PLC0415
    except ImportError:
        return None
    return impact


class Impacts:
    """The impact of every item (heartland.review.impact.cached_impacts), kept per state of
    the store file. After decisions the store changes and the impacts are recomputed in a
    background thread (one world build) once the reviewer has paused for ``QUIET_SECONDS``
    (a world build holds a read connection, which a decision in this process would have to
    wait for); meanwhile the last ones answer, marked stale, so that showing the next item
    never waits for a world build. The first computation (nothing earlier to show) is made
    in the request."""

    QUIET_SECONDS = 3.0

    def __init__(self, db: Path, stamp):
        self.db, self.stamp = db, stamp
        self._lock = threading.Lock()
        self._table: dict[str, dict] | None = None
        self._at = None
        self._running = False
        self._last_write = 0.0
        self.error: str | None = None

    def wrote(self) -> None:
        """A decision was written (postpones the background refresh)."""
        with self._lock:
            self._last_write = time.monotonic()

    def _compute(self) -> dict[str, dict]:
        impact = impact_module()
        with connect_ro(self.db) as conn:
            res = impact.cached_impacts(conn, self.db)
        out = {}
        for row in res.table.to_dict("records"):
            row = jsonable(row)
            row["text"] = impact.describe(row) if hasattr(impact, "describe") else None
            out[row["item_key"]] = row
        return out

    def _refresh(self) -> None:
        try:
            while True:  # wait for a pause in the decisions
                with self._lock:
                    wait = self._last_write + self.QUIET_SECONDS - time.monotonic()
                if wait <= 0:
                    break
                time.sleep(min(wait, self.QUIET_SECONDS))
            at = self.stamp()
            table = self._compute()
            with self._lock:
                self._table, self._at, self.error = table, at, None
        except Exception as exc:  # noqa: BLE001 - impact is an aid: log it, keep the last answer
            log.exception("computing review impacts")
            with self._lock:
                self.error = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        finally:
            with self._lock:
                self._running = False

    @property
    def version(self):
        """Which store state the impacts in hand were computed for (a cache key part)."""
        with self._lock:
            return self._at

    def get(self) -> tuple[dict[str, dict] | None, bool]:
        """(key → impact row, stale) or (None, False) when impact is unavailable."""
        if impact_module() is None:
            return None, False
        now = self.stamp()
        with self._lock:
            table, at, running = self._table, self._at, self._running
            if table is not None and at != now and not running:
                self._running = True
                threading.Thread(target=self._refresh, name="review-impacts").start()  # joined at exit: never cut mid-query
        if table is None:
            at = now
            table = self._compute()
            with self._lock:
                self._table, self._at = table, at
            return table, False
        return table, at != now


def _tables(conn) -> set[str]:
    return {r[0] for r in conn.execute("SELECT table_name FROM information_schema.tables").fetchall()}


def items_sql(conn) -> str:
    """Every item with its state plus ``actors`` and ``indicator`` (fact indicator or event
    type) for filtering, and the article's title and outlet."""
    from heartland.review.schema import items_with_state_sql

    tabs = _tables(conn)
    joins, actors, indicator = [], ["WHEN 'name' THEN [regexp_extract(i.summary, '^\\S+ (.*)$', 1)]"], []
    if "facts" in tabs:
        joins.append("LEFT JOIN facts f ON i.kind = 'fact' AND f.fact_id = i.item_id")
        actors.append("WHEN 'fact' THEN list_distinct([f.subject, f.object])")
        indicator.append("WHEN 'fact' THEN f.indicator")
    if "events" in tabs:
        joins.append("LEFT JOIN events e ON i.kind = 'event' AND e.event_id = i.item_id")
        actors.append("WHEN 'event' THEN CAST(e.actors AS VARCHAR[])")
        indicator.append("WHEN 'event' THEN e.type")
    if "quotes" in tabs:
        joins.append("LEFT JOIN quotes q ON i.kind = 'quote' AND q.quote_id = i.item_id")
        actors.append("WHEN 'quote' THEN list_distinct([q.speaker])")
    art = "LEFT JOIN articles a ON a.id = i.article_id" if "articles" in tabs else ""
    title = "a.title AS article_title, a.outlet AS outlet" if art else \
        "NULL::VARCHAR AS article_title, NULL::VARCHAR AS outlet"
    ind = f"CASE i.kind {' '.join(indicator)} END" if indicator else "NULL::VARCHAR"
    return (f"SELECT i.*, CAST(CASE i.kind {' '.join(actors)} END AS VARCHAR[]) AS actors, {ind} AS indicator, "
            f"{title} FROM ({items_with_state_sql(conn)}) i {' '.join(joins)} {art}")


def list_items(conn, filters: dict, limit: int, offset: int, impacts: "Impacts | None" = None) -> dict:
    sql = items_sql(conn)
    where, params = [], []
    state = filters.get("state") or "candidate"
    # the facets (the filters' choices and counts) are over the items in the chosen state
    fsql = f"SELECT * FROM ({sql}) WHERE " + (
        "state <> 'candidate'" if state == "decided" else "TRUE" if state == "any" else "state = ?")
    fparams = [state] if state not in ("decided", "any") else []
    if state == "decided":
        where.append("state <> 'candidate'")
    elif state != "any":
        where.append("state = ?")
        params.append(state)
    if filters.get("kind"):
        where.append("kind = ?")
        params.append(filters["kind"])
    if filters.get("article"):
        where.append("article_id = ?")
        params.append(filters["article"])
    if filters.get("actor"):
        where.append("list_contains(actors, ?)")
        params.append(filters["actor"])
    if filters.get("indicator"):
        where.append("indicator = ?")
        params.append(filters["indicator"])
    if filters.get("min_confidence") is not None:
        where.append("confidence >= ?")
        params.append(filters["min_confidence"])
    if filters.get("max_confidence") is not None:
        where.append("confidence <= ?")
        params.append(filters["max_confidence"])
    clause = f"WHERE {' AND '.join(where)}" if where else ""
    cols = ("item_key, kind, item_id, article_id, article_url, article_title, outlet, span_start, span_end, "
            "surface, confidence, reason, summary, state, edited, decided_by, decided_at, why, actors, indicator")
    rows = query(conn, f"SELECT {cols} FROM ({sql}) {clause} "
                       "ORDER BY confidence, article_id, span_start, kind, item_key", params)
    ordered_by, stale, available = "confidence", False, False
    if impacts is not None:
        try:
            table, stale = impacts.get()
        except Exception:  # noqa: BLE001 - impact is an aid; the list must still answer
            log.exception("impact of review items")
            table = None
        if table is not None:
            available = True
            for r in rows:
                r["impact"] = table.get(r["item_key"])
            # by impact (largest first); items that move nothing keep the confidence order
            rows.sort(key=lambda r: -((r.get("impact") or {}).get("impact") or 0.0))
            ordered_by = "impact"
    total = len(rows)
    facets = {
        "articles": query(conn, f"SELECT article_id AS id, any_value(article_title) AS title, count(*) AS n "
                                f"FROM ({fsql}) GROUP BY article_id ORDER BY n DESC, id", fparams),
        "actors": [r["a"] for r in query(conn, f"SELECT DISTINCT unnest(actors) AS a FROM ({fsql}) ORDER BY a",
                                         fparams) if r["a"]],
        "indicators": [r["i"] for r in query(conn, f"SELECT DISTINCT indicator AS i FROM ({fsql}) "
                                                   "WHERE indicator IS NOT NULL ORDER BY i", fparams)],
        "states": {r["state"]: r["n"] for r in query(conn, f"SELECT state, count(*) AS n FROM ({sql}) "
                                                           "GROUP BY state")},
    }
    return {"available": True, "total": total, "ordered_by": ordered_by, "impact_available": available,
            "impact_stale": stale,
            "items": rows[offset:offset + limit], "facets": facets}


def evidence_state(conn) -> tuple:
    """A cheap fingerprint of the evidence rows (not of decisions): row counts of the item
    tables and the latest ingest time. A listing row stays valid while it is unchanged."""
    tabs = _tables(conn)
    parts = [f"(SELECT count(*) FROM {t})" for t in ("facts", "events", "quotes", "mentions") if t in tabs]
    if "articles" in tabs:
        parts += ["(SELECT count(*) FROM articles)", "(SELECT CAST(max(ingested_at) AS VARCHAR) FROM articles)"]
    return tuple(conn.execute(f"SELECT {', '.join(parts)}").fetchone()) if parts else ()


def get_item(conn, key: str, article_id: str | None = None) -> dict | None:
    sql = items_sql(conn)
    if article_id:  # narrows the key computation to one article (filters push into the union)
        rows = query(conn, f"SELECT * FROM ({sql}) WHERE article_id = ? AND item_key = ?", [article_id, key])
    else:
        rows = []
    if not rows:
        rows = query(conn, f"SELECT * FROM ({sql}) WHERE item_key = ?", [key])
    return rows[0] if rows else None


def detail(conn, key: str, article_id: str | None = None, listed: dict | None = None) -> dict | None:
    """One item with its sentence, article, proposed fields, editable fields and impact.

    ``listed``: the item's row from a listing of the same store state (saves computing
    keys again); its decision columns are read afresh."""
    from heartland.review.decisions import EDITABLE

    tabs = _tables(conn)
    if listed is not None:
        item = dict(listed)
        item.pop("impact", None)
        dec = query(conn, "SELECT state, edited, decided_by, decided_at, why FROM review_decisions "
                          "WHERE item_key = ?", [key]) if "review_decisions" in tabs else []
        item.update(dec[0] if dec else {"state": "candidate", "edited": None, "decided_by": None,
                                        "decided_at": None, "why": None})
    else:
        item = get_item(conn, key, article_id)
    if item is None:
        return None
    table, idcol = {"fact": ("facts", "fact_id"), "event": ("events", "event_id"),
                    "quote": ("quotes", "quote_id"), "name": ("mentions", None)}[item["kind"]]
    row: dict = {}
    if table in tabs:
        if idcol:
            found = query(conn, f'SELECT * FROM "{table}" WHERE "{idcol}" = ?', [item["item_id"]])
        else:
            found = query(conn, "SELECT * FROM mentions WHERE article_id = ? AND span_start = ? AND span_end = ? "
                                "AND coalesce(reason, '') IN ('tagger', 'rule_en')",
                          [item["article_id"], item["span_start"], item["span_end"]])
        row = found[0] if found else {}
    proposed = {k: row.get(k) for k in FIELDS[item["kind"]] if k in row}
    for k in ("hypotheses",):
        if isinstance(proposed.get(k), str) and proposed[k][:1] in "[{":
            try:
                proposed[k] = json.loads(proposed[k])
            except ValueError:
                pass
    article: dict = {}
    sentence: dict = {}
    if "articles" in tabs and item.get("article_id"):
        cols = [c for c in ("id", "url", "outlet", "title", "published", "language", "text", "paragraphs")
                if c in {r[0] for r in conn.execute("SELECT column_name FROM information_schema.columns "
                                                    "WHERE table_name = 'articles'").fetchall()}]
        arts = query(conn, f"SELECT {', '.join(cols)} FROM articles WHERE id = ?", [item["article_id"]])
        if arts:
            art = arts[0]
            article = {k: art.get(k) for k in ("id", "url", "outlet", "title", "published", "language")}
            text = article_text(art)
            s, e = item.get("span_start"), item.get("span_end")
            if isinstance(s, int) and isinstance(e, int) and 0 <= s <= e <= len(text):
                sentence = sentence_of(text, row, (s, e))
                sentence["span_start"], sentence["span_end"] = s, e
    edited = item.get("edited")
    return {**item, "edited": json.loads(edited) if isinstance(edited, str) and edited else edited,
            "proposed": proposed, "editable": sorted(EDITABLE[item["kind"]]), "article": article,
            "sentence": sentence}


# -- same-origin check --------------------------------------------------------------------

def _host_of(value: str | None) -> str | None:
    if not value:
        return None
    try:
        parts = urlsplit(value if "//" in value else f"//{value}")
        return parts.netloc.lower() or None
    except ValueError:
        return None


def check_same_origin(request: Request, allowed_hosts: set[str]) -> None:
    """Refuse a state-changing request that is not JSON, or not from the dashboard's own page."""
    ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if ctype != "application/json":
        raise HTTPException(415, "a decision is a JSON body (Content-Type: application/json)")
    host = (request.headers.get("host") or "").lower()
    hostname = urlsplit(f"//{host}").hostname or ""
    if hostname not in allowed_hosts:
        raise HTTPException(403, f"decisions are accepted only on the dashboard's own address, not {hostname!r}")
    origin = request.headers.get("origin")
    source = _host_of(origin) if origin and origin != "null" else _host_of(request.headers.get("referer"))
    if source != host:
        raise HTTPException(403, "decisions are accepted only from the dashboard's own page (same origin)")


# -- router ---------------------------------------------------------------------------------

def router(db: Path, cache, bind_host: str | None = None, hosts: "set[str] | frozenset[str] | None" = None) -> APIRouter:
    """The review endpoints over the store ``db``; ``cache`` is the app's ReadCache;
    ``hosts``: the names the dashboard answers to (default: loopback and ``bind_host``)."""
    r = APIRouter(prefix="/api/review", tags=["review"])
    allowed = set(hosts) if hosts else set(LOOPBACK) | ({bind_host.lower().strip("[]")} if bind_host else set())
    where: dict[str, str] = {}  # item key → article id, from listings (narrows lookups)
    shown: OrderedDict[str, dict] = OrderedDict()  # item key → its row, as the detail showed it
    write_lock = threading.Lock()  # one decision at a time
    mem_lock = threading.Lock()    # the in-memory maps
    impacts = Impacts(db, cache.stamp)

    def remember_shown(d: dict) -> None:
        row = {k: d.get(k) for k in ("item_key", "kind", "item_id", "article_id", "article_url", "span_start",
                                     "span_end", "surface", "confidence", "reason", "summary")}
        with mem_lock:
            shown[d["item_key"]] = row
            shown.move_to_end(d["item_key"])
            while len(shown) > SHOWN_SIZE:
                shown.popitem(last=False)

    listed: OrderedDict[str, tuple] = OrderedDict()  # item key → (evidence state, its listing row)

    def remember(items: list[dict], at: tuple) -> None:
        with mem_lock:
            for it in items:
                if it.get("article_id"):
                    where[it["item_key"]] = it["article_id"]
                listed[it["item_key"]] = (at, it)
                listed.move_to_end(it["item_key"])
            while len(listed) > LISTED_SIZE:
                listed.popitem(last=False)

    @r.get("/items", summary="Extracted items to review (candidates by default), by impact or confidence")
    async def items(article: Annotated[str | None, Query(pattern=r"^[0-9a-f]{16}$")] = None,
                    actor: Filter = None, indicator: Filter = None, kind: Kind | None = None,
                    min_confidence: Confidence = None, max_confidence: Confidence = None,
                    state: StateFilter = "candidate",
                    limit: Annotated[int, Query(ge=1, le=MAX_LIST)] = 500,
                    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0) -> Response:
        f = {"article": article, "actor": actor, "indicator": indicator, "kind": kind,
             "min_confidence": min_confidence, "max_confidence": max_confidence, "state": state}

        def compute():
            with connect_ro(db) as conn:
                try:
                    out = list_items(conn, f, limit, offset, impacts)
                    at = evidence_state(conn)
                except duckdb.CatalogException:
                    out = {"available": False, "total": 0, "items": [], "facets": {}, "ordered_by": "confidence",
                           "impact_available": False}
            if out["items"]:
                remember(out["items"], at)
            return out
        return await cache.get(("review-items", tuple(f.items()), limit, offset, impacts.version), compute)

    @r.get("/items/{key}", summary="One item: sentence with its span, article, proposed fields, impact")
    async def item(key: ItemKey) -> Response:
        def compute():
            with connect_ro(db) as conn:
                known = listed.get(key)
                # a listing row is good while the evidence is as it was (decisions are re-read)
                fresh = known is not None and known[0] == evidence_state(conn)
                d = detail(conn, key, where.get(key), known[1] if fresh else None)
                if d is None:
                    raise HTTPException(404, f"no item {key}")
            d["impact"], d["impact_status"], d["impact_stale"] = None, "not computed", False
            try:
                table, stale = impacts.get()
            except Exception:  # noqa: BLE001
                log.exception("impact of %s", key)
                table, stale, d["impact_status"] = None, False, "failed (see the server log)"
            if table is not None:
                d["impact"] = table.get(key)
                d["impact_stale"] = stale
                d["impact_status"] = "computed" if d["impact"] else "moves no index"
            where[key] = d["article_id"]
            remember_shown(d)
            return d
        return await cache.get(("review-item", key, impacts.version), compute)

    @r.get("/items/{key}/preview", summary="Exactly which numbers a decision would change, before and after")
    async def item_preview(key: ItemKey, state: Literal["accepted", "rejected"] = "accepted") -> Response:
        """The world rebuilt with the decision taken as made (nothing written) against the
        dashboard's own world: every influence number that would change (the item's own
        cell first), so the page can show the exact effect of the key the reviewer presses."""
        def compute():
            from heartland.report import stages
            from heartland.review.impact import preview, shown_numbers

            if key not in shown and key not in listed:
                with connect_ro(db) as conn:
                    if get_item(conn, key, where.get(key)) is None:
                        raise HTTPException(404, f"no item {key}")
            cell = None
            try:
                table, _ = impacts.get()
                m = (table or {}).get(key)
                if m and m.get("patron"):
                    cell = (m["patron"], m["target"], m["domain"], int(m["year"]))
            except Exception:  # noqa: BLE001 - the own cell only orders the list
                log.exception("impact of %s", key)
            w = stages.world(db)
            before = shown_numbers(w) if w is not None else None
            return preview(str(db), key, state, cell=cell, before=before)
        return await cache.get(("review-preview", key, state), compute)

    @r.post("/items/{key}", summary="Record a decision on an item (same-origin JSON only)")
    def decide_item(key: ItemKey, body: Decision, request: Request) -> JSONResponse:
        check_same_origin(request, allowed)
        from heartland.review.decisions import ReviewError, check_edit, record
        from heartland.review.schema import ensure_schema
        from heartland.store.db import StoreBusy, open_store

        if not db.is_file():
            raise StoreUnavailable(f"store {db} does not exist yet", "the store does not exist yet")
        if body.state == "edited" and not body.edited:
            raise HTTPException(422, "an edit needs the corrected fields (edited: {field: value})")
        if body.state != "edited" and body.edited:
            raise HTTPException(422, "corrected fields go with an edit only")
        t0 = time.perf_counter()
        with write_lock:
            try:
                conn = open_store(db, wait=WRITE_WAIT_SECONDS, schema_hooks=[ensure_schema])
            except StoreBusy as exc:
                raise StoreUnavailable(str(exc), "the store is busy (an ingest holds it); try again") from None
            except UserError as exc:
                log.warning("cannot open %s for a decision: %s", db, exc)
                raise HTTPException(503, "the store cannot be opened for writing (see the server log)") from None
            try:
                # The item as its detail showed it (the page always shows an item before a
                # decision): its fields are a function of its key, so no lookup is needed.
                found = shown.get(key) or get_item(conn, key, where.get(key))
                if found is None:
                    raise HTTPException(404, f"no item {key}")
                try:
                    if body.state == "edited":
                        check_edit(found["kind"], body.edited)
                except ReviewError as exc:
                    raise HTTPException(422, str(exc)) from None
                conn.execute("BEGIN TRANSACTION")  # the decision and its log line: one commit
                record(conn, found, body.state, edited=body.edited, by=body.by or None, why=body.why or None)
                conn.execute("COMMIT")
                state = conn.execute("SELECT state, edited, decided_by, decided_at, why FROM review_decisions "
                                     "WHERE item_key = ?", [key]).fetchone()
            finally:
                conn.close()
        impacts.wrote()
        ms = (time.perf_counter() - t0) * 1000
        out = {"item_key": key, "kind": found["kind"], "item_id": found["item_id"],
               "state": state[0], "edited": json.loads(state[1]) if state[1] else None, "decided_by": state[2],
               "decided_at": state[3], "why": state[4], "ms": round(ms, 1)}
        return JSONResponse(jsonable(out), headers={"Server-Timing": f"write;dur={ms:.1f}"})

    return r
