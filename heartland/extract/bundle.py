"""The evidence bundled in the package: what extraction found in the seeds, never their text.

A user's clone has no ``../shared/corpus``; ``make run`` then loads
``heartland/data/evidence/seeds_evidence.jsonl`` into the store. One JSON object per
line, each with a ``record`` type:

- ``header``: format version and the number of records of each kind;
- ``article``: id, url, outlet, via, title (at most ``TITLE_MAX`` characters, so no
  long run of an outlet's words is copied), authors, published (ISO with offset);
- ``mention``, ``quantity``, ``fact``, ``event``, ``story``: the rows of those tables;
- ``quote``: speaker, speaker_name, affiliation, role, direct, hypotheses, stance and the
  span — *not* the statement, which is the outlet's text.

Every record carries its ``article_id`` and span. ``load_bundle`` writes the articles
through the store (empty text, ``reader = 'bundle'``) and the evidence rows into the
extraction tables, then recomputes corroboration and conflicts.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path

import duckdb

from heartland.extract.corroborate import link_fact
from heartland.extract.schema import ensure_schema
from heartland.paths import DATA_DIR

BUNDLE_PATH = DATA_DIR / "evidence" / "seeds_evidence.jsonl"
FORMAT_VERSION = 1
TITLE_MAX = 12

_FACT_COLS = ("fact_id", "fact_key", "subject", "object", "indicator", "value", "low", "high", "unit",
              "period_start", "period_end", "period_uncertain", "qualifier", "article_id", "span_start", "span_end",
              "sentence_start", "sentence_end")
_EVENT_COLS = ("event_id", "article_id", "type", "cameo", "quad_class", "goldstein", "date", "date_end",
               "date_precision", "date_uncertain", "date_note", "actors", "span_start", "span_end")
_QUOTE_COLS = ("quote_id", "article_id", "speaker", "speaker_name", "affiliation", "role", "direct", "hypotheses",
               "stance", "span_start", "span_end")
_MENTION_COLS = ("article_id", "actor", "kind", "surface", "metonym", "span_start", "span_end")
_QUANTITY_COLS = ("article_id", "value", "low", "high", "unit", "qualifier", "hedge", "kind", "surface",
                  "span_start", "span_end")


def _jsonable(v):
    if isinstance(v, (date, datetime)):
        return v.isoformat()
    return v


def short_title(title: str | None) -> str:
    t = title or ""
    return t if len(t) <= TITLE_MAX else t[:TITLE_MAX - 1] + "…"


def _rows(conn, table: str, cols: tuple[str, ...], order: str) -> list[dict]:
    res = conn.execute(f"SELECT {', '.join(cols)} FROM {table} ORDER BY {order}").fetchall()
    return [{c: _jsonable(v) for c, v in zip(cols, r)} for r in res]


def bundle_records(conn: duckdb.DuckDBPyConnection) -> list[dict]:
    """The bundle's records (header first), deterministic order."""
    arts = conn.execute("SELECT id, url, outlet, via, title, authors, published FROM articles "
                        "ORDER BY id").fetchall()
    ids = {a[0] for a in arts}
    records: list[dict] = []
    for a in arts:
        records.append({"record": "article", "id": a[0], "url": a[1], "outlet": a[2], "via": a[3],
                        "title": short_title(a[4]), "authors": list(a[5] or []), "published": a[6]})
    for kind, table, cols, order in (
            ("mention", "mentions", _MENTION_COLS, "article_id, span_start, actor"),
            ("quantity", "quantities", _QUANTITY_COLS, "article_id, span_start"),
            ("fact", "facts", _FACT_COLS, "article_id, span_start"),
            ("event", "events", _EVENT_COLS, "article_id, event_id"),
            ("quote", "quotes", _QUOTE_COLS, "article_id, span_start")):
        for r in _rows(conn, table, cols, order):
            if r["article_id"] in ids:
                if kind == "quote":
                    r["hypotheses"] = json.loads(r["hypotheses"])
                records.append({"record": kind, **r})
    for aid, sid, sim in conn.execute("SELECT article_id, story_id, similarity FROM stories ORDER BY article_id").fetchall():
        records.append({"record": "story", "article_id": aid, "story_id": sid, "similarity": round(sim, 6)})
    counts: dict[str, int] = {}
    for r in records:
        counts[r["record"]] = counts.get(r["record"], 0) + 1
    return [{"record": "header", "format": "heartland-evidence", "version": FORMAT_VERSION, "counts": counts}] + records


def export_bundle(conn: duckdb.DuckDBPyConnection, path: str | Path = BUNDLE_PATH) -> int:
    """Write the store's evidence (no article text, no quote text) as JSON Lines; returns records written."""
    records = bundle_records(conn)
    with open(path, "w", encoding="utf-8") as fh:
        for r in records:
            fh.write(json.dumps(r, ensure_ascii=False, sort_keys=False) + "\n")
    return len(records)


def read_bundle(path: str | Path = BUNDLE_PATH) -> list[dict]:
    from heartland.errors import UserError

    out = []
    with open(path, encoding="utf-8") as fh:
        for i, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                out.append(json.loads(line))
            except json.JSONDecodeError as exc:
                raise UserError(f"line {i}: not JSON ({exc.msg})", path=str(path)) from None
    if not out or out[0].get("format") != "heartland-evidence":
        raise UserError("not a heartland evidence bundle (no header line)", path=str(path))
    return out


def load_bundle(conn: duckdb.DuckDBPyConnection, path: str | Path = BUNDLE_PATH) -> dict[str, int]:
    """Load a bundle into the store (idempotent: articles already stored are skipped)."""
    from heartland.corpus.records import Article
    from heartland.store import write_article

    ensure_schema(conn)
    records = read_bundle(path)
    loaded: dict[str, int] = {}
    new_ids: set[str] = set()
    conn.begin()
    try:
        for r in records:
            k = r["record"]
            if k == "article":
                art = Article(id=r["id"], url=r.get("url"), outlet=r.get("outlet"), via=r.get("via"),
                              title=r.get("title") or "", authors=r.get("authors") or [],
                              published=datetime.fromisoformat(r["published"]) if r.get("published") else None,
                              paragraphs=[], normalised="", source_path=f"bundle:{Path(path).name}")
                if write_article(conn, art) != "unchanged":
                    new_ids.add(art.id)
                    conn.execute("UPDATE articles SET reader = 'bundle' WHERE id = ?", [art.id])
            elif r.get("article_id") not in new_ids:
                continue
            elif k == "mention":
                conn.execute(f"INSERT INTO mentions ({', '.join(_MENTION_COLS)}) VALUES (?, ?, ?, ?, ?, ?, ?)",
                             [r[c] for c in _MENTION_COLS])
            elif k == "quantity":
                conn.execute(f"INSERT INTO quantities ({', '.join(_QUANTITY_COLS)}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                             [r[c] for c in _QUANTITY_COLS])
            elif k == "fact":
                aid = r["article_id"]
                conn.execute(f"INSERT INTO facts ({', '.join(_FACT_COLS)}, sources, n_sources, conflict, measure) "
                             "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, FALSE, ?)",
                             [r[c] for c in _FACT_COLS] + [[aid], 1, r.get("measure", "")])
                outlet = conn.execute("SELECT outlet FROM articles WHERE id = ?", [aid]).fetchone()[0]
                link_fact(conn, r["fact_id"], r["fact_key"], aid, (r["value"], r["low"], r["high"]), r["unit"],
                          outlet)
            elif k == "event":
                conn.execute(f"INSERT INTO events ({', '.join(_EVENT_COLS)}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                             [r[c] for c in _EVENT_COLS])
            elif k == "quote":
                vals = dict(r)
                vals["hypotheses"] = json.dumps(r["hypotheses"])
                conn.execute("INSERT INTO quotes (quote_id, article_id, speaker, speaker_name, affiliation, role, "
                             "text, direct, hypotheses, stance, span_start, span_end) "
                             "VALUES (?, ?, ?, ?, ?, ?, '', ?, ?, ?, ?, ?)", [vals[c] for c in _QUOTE_COLS])
            elif k == "story":
                conn.execute("INSERT OR REPLACE INTO stories VALUES (?, ?, ?)",
                             [r["article_id"], r["story_id"], r["similarity"]])
            else:
                continue
            loaded[k] = loaded.get(k, 0) + 1
        conn.commit()
    except BaseException:
        conn.rollback()
        raise
    return loaded


def load_bundled_evidence(db: str | Path | None = None) -> dict[str, int]:
    """``make run`` without a corpus: the package's bundled seed evidence into the store ``db``."""
    from heartland.store import open_store

    conn = open_store(db, schema_hooks=[ensure_schema])
    try:
        return load_bundle(conn, BUNDLE_PATH)
    finally:
        conn.close()


def regenerate(seeds: str | Path | None = None, path: str | Path = BUNDLE_PATH) -> int:
    """Re-extract the seeds into a scratch store and rewrite the bundle (developers only)."""
    import tempfile

    from heartland import paths
    from heartland.errors import UserError
    from heartland.extract.store_hook import process_article
    from heartland.store import ingest, open_store

    seeds = Path(seeds) if seeds else paths.seeds_dir()
    if seeds is None or not Path(seeds).is_dir():
        raise UserError("seed corpus not found (set HEARTLAND_CORPUS)", path=str(seeds or "../shared/corpus/seeds"))
    with tempfile.TemporaryDirectory() as d:
        db = Path(d) / "bundle.duckdb"
        rep = ingest([seeds], db, processors=[process_article], schema_hooks=[ensure_schema])
        if not rep.ok:
            raise UserError(f"could not read every seed: {rep.errors[0]}", path=str(seeds))
        conn = open_store(db)
        try:
            return export_bundle(conn, path)
        finally:
            conn.close()


if __name__ == "__main__":
    print(f"{regenerate()} records written to {BUNDLE_PATH}")
