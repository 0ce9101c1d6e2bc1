"""Evidence readers: articles, facts, events, quotes, corroboration and conflicts.

These read the store tables written by the corpus/store and extract stages. Column
names are read from the store itself, so a stage adding a column never breaks a page;
each evidence row is returned with its article's URL/outlet/title and, when it has a
character span, the sentence from the stored article text that holds it.
"""

from __future__ import annotations

import json
from collections import defaultdict
from typing import Any

import duckdb

from heartland.report.readmodel import query, sentence_around, span_of, table_columns

#: Request filter name -> candidate column names, per table. Only these ever reach SQL,
#: and only as identifiers that exist in the store (values are bound parameters).
FILTERS: dict[str, dict[str, tuple[str, ...]]] = {
    "facts": {"subject": ("subject",), "object": ("object", "target"), "indicator": ("indicator",),
              "article": ("article_id",)},
    "events": {"actor": ("actors", "actor", "subject", "source_actor"), "target": ("target", "object", "target_actor"),
               "kind": ("type", "kind", "event_type", "action"), "article": ("article_id",)},
    "quotes": {"speaker": ("speaker", "speaker_id", "speaker_name"), "hypothesis": ("hypothesis_ids", "hypotheses", "hypothesis", "supports"),
               "stance": ("stance",), "article": ("article_id",)},
    "mentions": {"actor": ("actor", "actor_id", "entity_id", "canonical_id"), "article": ("article_id",)},
}

_ARTICLE_LIST_SKIP = {"text", "normalised", "paragraphs", "captions", "html", "raw"}


def article_text(row: dict) -> str:
    if isinstance(row.get("text"), str):
        return row["text"]
    paras = row.get("paragraphs")
    if isinstance(paras, list):
        return "\n".join(str(p) for p in paras)
    return ""


def list_articles(conn: duckdb.DuckDBPyConnection) -> list[dict]:
    cols = table_columns(conn).get("articles")
    if not cols:
        return []
    keep = [c for c in cols if c not in _ARTICLE_LIST_SKIP]
    order = next((f"{c} DESC NULLS LAST, id" for c in ("published_utc", "published") if c in cols), "id")
    sel = ", ".join(f'"{c}"' for c in keep)
    rows = query(conn, f"SELECT {sel} FROM articles ORDER BY {order}")
    counts = item_counts(conn)
    for r in rows:
        r["items"] = counts.get(r.get("id"), {})
    return rows


def column_types(conn: duckdb.DuckDBPyConnection, table: str) -> dict[str, str]:
    return dict(conn.execute("SELECT column_name, data_type FROM information_schema.columns "
                             "WHERE table_schema = 'main' AND table_name = ?", [table]).fetchall())


def item_counts(conn: duckdb.DuckDBPyConnection) -> dict[str, dict[str, int]]:
    tabs = table_columns(conn)
    out: dict[str, dict[str, int]] = defaultdict(dict)
    for t in ("mentions", "facts", "events", "quotes"):
        if "article_id" in tabs.get(t, []):
            for aid, n in conn.execute(f'SELECT article_id, count(*) FROM "{t}" GROUP BY 1').fetchall():
                out[aid][t] = n
    return out


def _articles_by_id(conn, ids: set[str]) -> dict[str, dict]:
    if not ids or "articles" not in table_columns(conn):
        return {}
    rows = query(conn, "SELECT * FROM articles WHERE id IN (SELECT unnest(?))", [sorted(ids)])
    return {r["id"]: r for r in rows}


def _parse_json_columns(rows: list[dict]) -> None:
    for r in rows:
        for k in ("hypotheses",):
            v = r.get(k)
            if isinstance(v, str) and v[:1] in "[{":
                try:
                    r[k] = json.loads(v)
                except ValueError:
                    pass


def _attach_sources(conn, rows: list[dict]) -> list[dict]:
    """Add the article's URL/outlet/title and the sentence holding the row's span."""
    _parse_json_columns(rows)
    arts = _articles_by_id(conn, {r["article_id"] for r in rows if r.get("article_id")})
    for r in rows:
        art = arts.get(r.get("article_id"))
        if not art:
            continue
        r["source"] = {k: art.get(k) for k in ("id", "url", "outlet", "title", "published", "via")}
        span = span_of(r)
        if span is not None:
            r["span"] = list(span)
            r.update(sentence_of(article_text(art), r, span))
    return rows


def sentence_of(text: str, row: dict, span: tuple[int, int]) -> dict:
    """The sentence holding a row's span: the extractor's sentence bounds when it kept them."""
    ss, se = row.get("sentence_start"), row.get("sentence_end")
    if isinstance(ss, int) and isinstance(se, int) and 0 <= ss <= span[0] <= span[1] <= se <= len(text) and se > ss:
        return {"sentence": text[ss:se], "sentence_start": ss, "mark_start": span[0] - ss, "mark_end": span[1] - ss}
    return sentence_around(text, *span)


def list_items(conn: duckdb.DuckDBPyConnection, table: str, filters: dict[str, str] | None = None,
               limit: int = 200, offset: int = 0, with_sources: bool = True) -> dict[str, Any]:
    """Rows of an evidence table with filters, paging and sources; ``None`` when absent."""
    cols = table_columns(conn).get(table)
    if cols is None:
        return {"available": False, "total": 0, "items": []}
    types = column_types(conn, table)
    where, params = [], []
    for name, value in (filters or {}).items():
        if value is None or value == "":
            continue
        col = next((c for c in FILTERS.get(table, {}).get(name, ()) if c in cols), None)
        if col is None:
            continue
        if name == "hypothesis" and types.get(col, "") == "VARCHAR":  # JSON list of {id, stance}
            where.append(f'"{col}" LIKE ?')
            value = f'%"{value}"%'
        elif types.get(col, "").endswith("[]"):  # a list column such as events.actors
            where.append(f'list_contains(CAST("{col}" AS VARCHAR[]), ?)')
        elif types.get(col, "").startswith("STRUCT") or "STRUCT" in types.get(col, ""):
            where.append(f'CAST("{col}" AS VARCHAR) LIKE ?')
            value = f"%{value}%"
        else:
            where.append(f'CAST("{col}" AS VARCHAR) = ?')
        params.append(value)
    clause = f" WHERE {' AND '.join(where)}" if where else ""
    total = conn.execute(f'SELECT count(*) FROM "{table}"{clause}', params).fetchone()[0]
    first = ("date",) if table == "events" else ()
    order = ", ".join(f'"{c}"' for c in first + ("article_id", "span_start", "start", "char_start", "id") if c in cols) or "1"
    rows = query(conn, f'SELECT * FROM "{table}"{clause} ORDER BY {order} LIMIT ? OFFSET ?', params + [limit, offset])
    if with_sources:
        _attach_sources(conn, rows)
    return {"available": True, "total": int(total), "items": rows}


def get_article(conn: duckdb.DuckDBPyConnection, article_id: str) -> dict | None:
    """One article with its text and every extracted item that points into it."""
    if "articles" not in table_columns(conn):
        return None
    rows = query(conn, "SELECT * FROM articles WHERE id = ?", [article_id])
    if not rows:
        return None
    art = rows[0]
    text = article_text(art)
    art["text"] = text
    for k in ("normalised", "html", "raw"):
        art.pop(k, None)
    items = []
    tabs = table_columns(conn)
    for t in ("facts", "events", "quotes", "mentions"):
        if "article_id" not in tabs.get(t, []):
            continue
        for r in query(conn, f'SELECT * FROM "{t}" WHERE article_id = ?', [article_id]):
            span = span_of(r)
            if span is None or not (0 <= span[0] <= span[1] <= len(text)):
                continue
            items.append({"kind": t[:-1], "start": span[0], "end": span[1], "label": item_label(t, r), "row": r})
    items.sort(key=lambda i: (i["start"], -i["end"]))
    art["items"] = items
    return art


def item_label(table: str, r: dict) -> str:
    """A short human label for an evidence row (for highlights and tables)."""
    def g(*names):
        return next((str(r[n]) for n in names if r.get(n) not in (None, "")), "")
    if table == "facts":
        val = g("value")
        lo, hi = r.get("low"), r.get("high")
        if not val and (lo is not None or hi is not None):
            val = f"[{'' if lo is None else lo}, {'' if hi is None else hi}]"
        return " ".join(x for x in (g("subject"), "→", g("object", "target"), g("indicator"), val, g("unit")) if x)
    if table == "events":
        actors = r.get("actors")
        who = ", ".join(map(str, actors)) if isinstance(actors, list) else g("actor", "subject")
        return " ".join(x for x in (g("date", "event_date"), who, g("type", "kind", "event_type", "action"),
                                    g("target", "object")) if x)
    if table == "quotes":
        return " ".join(x for x in (g("speaker_name", "speaker", "speaker_id"), g("stance")) if x)
    return g("actor", "actor_id", "entity_id", "canonical_id", "surface", "text")


# -- corroboration and conflicts -----------------------------------------------------

def _fact_key(r: dict) -> tuple:
    if r.get("fact_key"):  # the store's own key: subject|object|indicator|period_start|period_end
        parts = (str(r["fact_key"]).split("|") + ["", "", "", "", ""])[:5]
        a, b = parts[3][:4], parts[4][:4]
        return (parts[0], parts[1], parts[2], a if a == b or not b else (b if not a else f"{a}–{b}"))
    period = r.get("period") or r.get("year")
    if period is None and (r.get("period_start") or r.get("period_end")):
        a, b = str(r.get("period_start") or "")[:4], str(r.get("period_end") or "")[:4]
        period = a if a == b or not b else (b if not a else f"{a}–{b}")
    return (r.get("subject"), r.get("object") or r.get("target"), r.get("indicator"), period)


def _interval(r: dict) -> tuple[float, float] | None:
    vals = [r.get(k) for k in ("value", "low", "high")]
    nums = [float(v) for v in vals if isinstance(v, (int, float))]
    if not nums:
        return None
    lo = r.get("low") if isinstance(r.get("low"), (int, float)) else min(nums)
    hi = r.get("high") if isinstance(r.get("high"), (int, float)) else max(nums)
    return float(lo), float(hi)


def fact_groups(conn: duckdb.DuckDBPyConnection) -> list[dict]:
    """Facts grouped by (subject, object, indicator, period): corroboration and conflict.

    A group is *corroborated* when at least two different outlets report it, and in
    *conflict* when two of its intervals do not overlap (allowing 5% slack for rounding).
    """
    data = list_items(conn, "facts", limit=100_000)
    if not data["available"]:
        return []
    groups: dict[tuple, list[dict]] = defaultdict(list)
    for r in data["items"]:
        if r.get("indicator"):
            groups[_fact_key(r)].append(r)
    out = []
    for key, rows in groups.items():
        outlets = sorted({(r.get("source") or {}).get("outlet") or r.get("article_id") for r in rows} - {None})
        ivs = [iv for iv in (_interval(r) for r in rows) if iv]
        conflict = any(r.get("conflict") is True for r in rows)  # the store's own verdict, when it keeps one
        for i in range(len(ivs)):
            for j in range(i + 1, len(ivs)):
                (a0, a1), (b0, b1) = ivs[i], ivs[j]
                slack = 0.05 * max(abs(a1), abs(b1), 1e-9)
                if a1 + slack < b0 or b1 + slack < a0:
                    conflict = True
        out.append({"subject": key[0], "object": key[1], "indicator": key[2], "period": key[3],
                    "n_facts": len(rows), "outlets": outlets, "corroborated": len(outlets) >= 2,
                    "conflict": conflict, "facts": rows})
    out.sort(key=lambda g: (not g["conflict"], -len(g["outlets"]), str(g["indicator"])))
    return out
