"""Across articles: the same fact from several outlets is one fact with several sources;
different values for the same subject, object, indicator and period are a conflict.

Two facts with the same key are *compatible* when their intervals overlap, each interval
widened by ``TOLERANCE`` (relative) so that rounding (214.3 vs 214) does not make a
conflict. Open bounds (超过 70% has no upper bound) are infinite.
"""

from __future__ import annotations

import math

import duckdb
import pyarrow as pa

TOLERANCE = 0.02


def fact_key(subject: str, obj: str | None, indicator: str, ps, pe) -> str:
    return "|".join([subject, obj or "", indicator, str(ps or ""), str(pe or "")])


def _interval(value, low, high) -> tuple[float, float]:
    lo = low if low is not None and not _nan(low) else (value if high is None or _nan(high) else -math.inf)
    hi = high if high is not None and not _nan(high) else (value if low is None or _nan(low) else math.inf)
    if lo is None or _nan(lo):
        lo = -math.inf
    if hi is None or _nan(hi):
        hi = math.inf
    return lo, hi


def _nan(x) -> bool:
    return isinstance(x, float) and math.isnan(x)


def compatible(a: tuple, b: tuple) -> bool:
    """a, b = (value, low, high): do the stated intervals overlap (with tolerance)?"""
    alo, ahi = _interval(*a)
    blo, bhi = _interval(*b)
    alo, ahi = alo - abs(alo) * TOLERANCE, ahi + abs(ahi) * TOLERANCE
    return alo <= bhi * (1 + TOLERANCE) and blo * (1 - TOLERANCE) <= ahi


def link_fact(conn: duckdb.DuckDBPyConnection, fact_id: str, key: str, article_id: str,
              triple: tuple, unit: str, outlet: str | None) -> None:
    """Record the new fact's sources and conflicts against facts already stored."""
    rows = conn.execute(
        "SELECT fact_id, article_id, value, low, high, unit FROM facts WHERE fact_key = ? AND fact_id <> ?",
        [key, fact_id]).fetchall()
    group = [fact_id]
    articles = {article_id}
    for fid, aid, v, lo, hi, u in rows:
        if aid == article_id:
            continue
        if u == unit and compatible(triple, (v, lo, hi)):
            group.append(fid)
            articles.add(aid)
        else:
            conn.execute("INSERT INTO conflicts VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                         [key, fid, fact_id, aid, article_id, v, lo, hi, *triple, unit])
            conn.execute("UPDATE facts SET conflict = TRUE WHERE fact_id IN (?, ?)", [fid, fact_id])
    if len(group) > 1:
        # Sources are the union over the compatible group (each member's own sources too).
        srcs = conn.execute(
            f"SELECT DISTINCT unnest(sources) FROM facts WHERE fact_id IN ({','.join('?' * len(group))})",
            group).fetchall()
        articles |= {s for s, in srcs}
        ordered = sorted(articles)
        conn.execute(f"UPDATE facts SET sources = ?, n_sources = ? WHERE fact_id IN ({','.join('?' * len(group))})",
                     [ordered, len(ordered), *group])


def sources_of(conn: duckdb.DuckDBPyConnection, fact_id: str) -> list[str]:
    """Every article id that corroborates the fact ``fact_id``."""
    row = conn.execute("SELECT sources FROM facts WHERE fact_id = ?", [fact_id]).fetchone()
    return list(row[0]) if row else []


def link_facts(conn: duckdb.DuckDBPyConnection, new: list[tuple[str, str, tuple, str]], article_id: str,
               outlet: str | None) -> None:
    """``link_fact`` for all of one article's facts: one query finds every same-key fact."""
    if not new:
        return
    keys = sorted({k for _, k, _, _ in new})
    rows = conn.execute(
        "SELECT fact_id, fact_key, article_id, value, low, high, unit, sources FROM facts "
        "WHERE fact_key IN (SELECT unnest(?::VARCHAR[])) AND article_id <> ?", [keys, article_id]).fetchall()
    if not rows:
        return
    by_key: dict[str, list] = {}
    for r in rows:
        by_key.setdefault(r[1], []).append(r)
    # Decide everything first, then write it with three statements (each DuckDB statement
    # costs milliseconds). Later facts of the article overwrite earlier ones' source lists,
    # as one UPDATE per fact in this order would.
    conflicts: list[list] = []
    flagged: dict[str, None] = {}
    sources: dict[str, list[str]] = {}
    for fid, key, triple, unit in new:
        group, articles = [fid], {article_id}
        for ofid, _, aid, v, lo, hi, u, srcs in by_key.get(key, []):
            if u == unit and compatible(triple, (v, lo, hi)):
                group.append(ofid)
                articles |= {aid, *(srcs or [])}
            else:
                conflicts.append([key, ofid, fid, aid, article_id, v, lo, hi, *triple, unit])
                flagged.update({ofid: None, fid: None})
        if len(group) > 1:
            ordered = sorted(articles)
            for g in group:
                sources[g] = ordered
    if conflicts:
        cols = ["fact_key", "fact_id_a", "fact_id_b", "article_a", "article_b", "value_a", "low_a", "high_a",
                "value_b", "low_b", "high_b", "unit"]
        _hl_conflicts = pa.table({c: pa.array([r[i] for r in conflicts], type=_CONFLICT_TYPES[c])  # noqa: F841
                                  for i, c in enumerate(cols)})
        conn.execute(f"INSERT INTO conflicts ({', '.join(cols)}) SELECT {', '.join(cols)} FROM _hl_conflicts")
        conn.execute("UPDATE facts SET conflict = TRUE WHERE fact_id IN (SELECT unnest(?::VARCHAR[]))",
                     [list(flagged)])
    if sources:
        _hl_sources = pa.table({"fact_id": list(sources),  # noqa: F841 - read by DuckDB's replacement scan
                                "sources": pa.array(list(sources.values()), type=pa.list_(pa.string())),
                                "n": pa.array([len(v) for v in sources.values()], type=pa.int32())})
        conn.execute("UPDATE facts SET sources = u.sources, n_sources = u.n FROM _hl_sources u "
                     "WHERE facts.fact_id = u.fact_id")


_CONFLICT_TYPES = {"fact_key": pa.string(), "fact_id_a": pa.string(), "fact_id_b": pa.string(),
                   "article_a": pa.string(), "article_b": pa.string(), "value_a": pa.float64(),
                   "low_a": pa.float64(), "high_a": pa.float64(), "value_b": pa.float64(),
                   "low_b": pa.float64(), "high_b": pa.float64(), "unit": pa.string()}
