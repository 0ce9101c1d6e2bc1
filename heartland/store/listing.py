"""Article rows for listings, read straight into JSON-ready dicts.

``heartland articles`` lists metadata only; building a validated :class:`Article` per row
(with its paragraphs and text) cost about a second per 10,000 articles. The fields and
their formatting are those of ``heartland show --format json`` (ISO times with offsets);
tests/store/test_listing.py checks both agree.
"""

from __future__ import annotations

from datetime import timezone

#: Every public field but the paragraphs (heartland.corpus.records.PUBLIC_FIELDS).
LIST_FIELDS = ("id", "url", "outlet", "via", "title", "authors", "published", "language", "script", "captions",
               "source_path", "ingested_at")


def _where(all_versions: bool) -> str:
    return "" if all_versions else "WHERE NOT EXISTS (SELECT 1 FROM articles b WHERE b.supersedes = a.id)"


def count_rows(conn, *, all_versions: bool = False) -> int:
    return conn.execute(f"SELECT count(*) FROM articles a {_where(all_versions)}").fetchone()[0]


def article_rows(conn, *, all_versions: bool = False, latest: int | None = None) -> list[dict]:
    """Stored articles' listed fields, oldest publication first (latest version per URL unless
    asked); only the ``latest`` N when given (read as such, not all then cut)."""
    inner = f"SELECT {', '.join(LIST_FIELDS)}, published_utc AS sort_utc FROM articles a {_where(all_versions)}"
    if latest:
        sql = (f"SELECT * FROM ({inner} ORDER BY sort_utc DESC NULLS FIRST, id DESC LIMIT {int(latest)}) "
               "ORDER BY sort_utc NULLS LAST, id")
    else:
        sql = f"{inner} ORDER BY sort_utc NULLS LAST, id"
    out = []
    for r in conn.execute(sql).fetchall():
        d = dict(zip(LIST_FIELDS, r))
        d["authors"] = list(d["authors"] or [])
        d["captions"] = list(d["captions"] or [])
        if d["ingested_at"]:
            d["ingested_at"] = d["ingested_at"].replace(tzinfo=timezone.utc).isoformat()
        out.append(d)
    return out
