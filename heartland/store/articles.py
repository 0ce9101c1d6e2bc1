"""The ``articles`` table: writing one article (with versions) and reading them back."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from typing import Literal

import duckdb
import pyarrow as pa

from heartland.corpus.records import Article
from heartland.errors import UserError

Outcome = Literal["new", "new-version", "unchanged"]

_COLUMNS = ("id", "url", "outlet", "via", "title", "authors", "published", "published_utc",
            "published_basis", "language", "script", "paragraphs", "text", "normalised",
            "captions", "source_path", "ingested_at", "reader", "mirrored_at", "credits",
            "version", "supersedes")


_INSERT = (f"INSERT INTO articles ({', '.join(_COLUMNS)}) VALUES "
           f"({', '.join('?' * len(_COLUMNS))})")


def _utc_naive(dt: datetime | None) -> datetime | None:
    if dt is None:
        return None
    return dt.astimezone(timezone.utc).replace(tzinfo=None)


def current_version(conn: duckdb.DuckDBPyConnection, url: str) -> tuple[str, int] | None:
    """The latest stored version at ``url``: ``(id, version)``."""
    row = conn.execute(
        "SELECT id, version FROM articles a WHERE url = ? AND NOT EXISTS "
        "(SELECT 1 FROM articles b WHERE b.supersedes = a.id) ORDER BY version DESC LIMIT 1",
        [url]).fetchone()
    return (row[0], row[1]) if row else None


def known_ids(conn: duckdb.DuckDBPyConnection, ids: list[str]) -> set[str]:
    """Which of ``ids`` are stored already (one query for a whole batch)."""
    if not ids:
        return set()
    rows = conn.execute("SELECT id FROM articles WHERE id IN (SELECT unnest(?::VARCHAR[]))",
                        [ids]).fetchall()
    return {r[0] for r in rows}


def current_versions(conn: duckdb.DuckDBPyConnection,
                     urls: list[str]) -> dict[str, tuple[str, int]]:
    """The latest stored version at each of ``urls``: ``{url: (id, version)}``."""
    if not urls:
        return {}
    rows = conn.execute(
        "SELECT url, id, version FROM articles a WHERE url IN (SELECT unnest(?::VARCHAR[])) "
        "AND NOT EXISTS (SELECT 1 FROM articles b WHERE b.supersedes = a.id) "
        "ORDER BY version", [urls]).fetchall()
    return {u: (i, v) for u, i, v in rows}


def write_article(conn: duckdb.DuckDBPyConnection, article: Article,
                  now: datetime | None = None) -> Outcome:
    """Insert ``article`` unless its text is already stored (call inside a transaction).

    Same id (same normalised text) -> ``unchanged``, nothing written. Same URL with a
    different text -> a new row with ``version`` + 1 and ``supersedes`` = previous id.
    Sets ``article.ingested_at``.
    """
    if conn.execute("SELECT 1 FROM articles WHERE id = ?", [article.id]).fetchone():
        return "unchanged"
    prev = current_version(conn, article.url) if article.url else None
    insert_article(conn, article, prev, now)
    return "new-version" if prev else "new"


def _values(article: Article, prev: tuple[str, int] | None, now: datetime) -> list:
    """The row of ``article`` stored after ``prev`` = ``(id, version)``; sets ``ingested_at``."""
    version, supersedes = (prev[1] + 1, prev[0]) if prev else (1, None)
    article.ingested_at = now
    return [
        article.id, article.url, article.outlet, article.via, article.title, article.authors,
        article.published.isoformat() if article.published else None,
        _utc_naive(article.published), article.published_basis, article.language,
        article.script, article.paragraphs, article.text, article.normalised, article.captions,
        article.source_path, _utc_naive(now), article.reader,
        article.mirrored_at.isoformat() if article.mirrored_at else None,
        json.dumps(article.credits, ensure_ascii=False, sort_keys=True), version, supersedes,
    ]


def insert_article(conn: duckdb.DuckDBPyConnection, article: Article,
                   prev: tuple[str, int] | None, now: datetime | None = None) -> int:
    """Insert a new row after ``prev`` = ``(id, version)`` at the same URL; returns its version.
    The caller has checked that the id is not stored yet."""
    values = _values(article, prev, now or datetime.now(timezone.utc))
    conn.execute(_INSERT, values)
    return values[-2]


_ARROW_TYPES = {"authors": pa.list_(pa.string()), "paragraphs": pa.list_(pa.string()),
                "captions": pa.list_(pa.string()), "published_utc": pa.timestamp("us"),
                "ingested_at": pa.timestamp("us"), "version": pa.int32()}


def insert_articles(conn: duckdb.DuckDBPyConnection,
                    items: list[tuple[Article, tuple[str, int] | None]],
                    now: datetime | None = None) -> None:
    """``insert_article`` for many articles in one statement (each DuckDB statement costs
    about a millisecond, more than the row itself)."""
    if not items:
        return
    now = now or datetime.now(timezone.utc)
    rows = [_values(a, prev, now) for a, prev in items]
    _hl_articles = pa.table({c: pa.array([r[i] for r in rows], type=_ARROW_TYPES.get(c, pa.string()))  # noqa: F841
                             for i, c in enumerate(_COLUMNS)})
    cols = ", ".join(_COLUMNS)
    conn.execute(f"INSERT INTO articles ({cols}) SELECT {cols} FROM _hl_articles")


def _row_to_article(row: dict) -> Article:
    return Article(
        id=row["id"], url=row["url"], outlet=row["outlet"], via=row["via"], title=row["title"],
        authors=list(row["authors"] or []),
        published=datetime.fromisoformat(row["published"]) if row["published"] else None,
        language=row["language"], script=row["script"], paragraphs=list(row["paragraphs"] or []),
        captions=list(row["captions"] or []), source_path=row["source_path"],
        ingested_at=row["ingested_at"].replace(tzinfo=timezone.utc) if row["ingested_at"] else None,
        normalised=row["normalised"], reader=row["reader"],
        published_basis=row["published_basis"],
        mirrored_at=datetime.fromisoformat(row["mirrored_at"]) if row["mirrored_at"] else None,
        credits=json.loads(row["credits"] or "{}"),
    )


def _rows(conn: duckdb.DuckDBPyConnection, sql: str, params: list) -> list[dict]:
    cur = conn.execute(sql, params)
    names = [d[0] for d in cur.description]
    return [dict(zip(names, r)) for r in cur.fetchall()]


def list_articles(conn: duckdb.DuckDBPyConnection, *, all_versions: bool = False) -> list[Article]:
    """Stored articles, oldest publication first (latest version per URL unless asked)."""
    where = "" if all_versions else \
        "WHERE NOT EXISTS (SELECT 1 FROM articles b WHERE b.supersedes = a.id)"
    rows = _rows(conn, f"SELECT * FROM articles a {where} "
                       "ORDER BY published_utc NULLS LAST, id", [])
    return [_row_to_article(r) for r in rows]


def version_info(conn: duckdb.DuckDBPyConnection, article_id: str) -> dict:
    row = conn.execute(
        "SELECT version, supersedes, (SELECT b.id FROM articles b WHERE b.supersedes = a.id) "
        "FROM articles a WHERE id = ?", [article_id]).fetchone()
    if not row:
        return {}
    return {"version": row[0], "supersedes": row[1], "superseded_by": row[2]}


def get_article(conn: duckdb.DuckDBPyConnection, id_or_prefix: str) -> Article:
    """One article by id, or by a unique id prefix of at least 4 characters."""
    key = id_or_prefix.strip().lower()
    if len(key) < 4:
        raise UserError(f"article id {id_or_prefix!r} is too short (give at least 4 characters)")
    rows = _rows(conn, "SELECT * FROM articles WHERE id LIKE ? ORDER BY id LIMIT 3",
                 [key.replace("%", "").replace("_", "") + "%"])
    if not rows:
        raise UserError(f"no article with id {id_or_prefix!r} (see 'heartland articles')")
    if len(rows) > 1 and rows[0]["id"] != key:
        raise UserError(f"article id prefix {id_or_prefix!r} is ambiguous: "
                        + ", ".join(r["id"] for r in rows))
    return _row_to_article(rows[0])


def count_articles(conn: duckdb.DuckDBPyConnection) -> int:
    return conn.execute("SELECT count(*) FROM articles").fetchone()[0]
