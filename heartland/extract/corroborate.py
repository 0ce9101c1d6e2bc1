"""Across articles: the same fact from several outlets is one fact with several sources;
different values for the same subject, object, indicator and period are a conflict.

Two facts with the same key are *compatible* when their intervals overlap, each interval
widened by ``TOLERANCE`` (relative) so that rounding (214.3 vs 214) does not make a
conflict. Open bounds (超过 70% has no upper bound) are infinite.
"""

from __future__ import annotations

import hashlib

import math

import duckdb
import pyarrow as pa

TOLERANCE = 0.02


def fact_key(subject: str | None, obj: str | None, indicator: str | None, ps, pe, measure: str = "") -> str:
    """subject|object|indicator|period_start|period_end; an open-domain figure (no catalogue
    indicator) is keyed by a hash of its measure phrase, marked with ``~``."""
    # The measure phrase is the article's words: hashed, so keys (and the bundle) hold no text.
    ind = indicator if indicator else "~" + hashlib.sha1("".join((measure or "").split()).lower().encode()).hexdigest()[:12]
    return "|".join([subject or "", obj or "", ind, str(ps or ""), str(pe or "")])


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


def _bounds(t: tuple) -> tuple[float, float, float, float]:
    """(value, low, high) widened as ``compatible`` widens its first and its second argument."""
    lo, hi = _interval(*t)
    return lo - abs(lo) * TOLERANCE, hi + abs(hi) * TOLERANCE, lo * (1 - TOLERANCE), hi * (1 + TOLERANCE)


def _overlap(a: tuple, b: tuple) -> bool:
    """``compatible`` on precomputed ``_bounds``."""
    return a[0] <= b[3] and b[2] <= a[1]


def compatible(a: tuple, b: tuple) -> bool:
    """a, b = (value, low, high): do the stated intervals overlap (with tolerance)?"""
    return _overlap(_bounds(a), _bounds(b))


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


#: A fact as the linker sees it: (fact_id, fact_key, (value, low, high), unit).
NewFact = tuple[str, str, tuple, str]


def _decide(new: list[NewFact], by_key: dict[str, list[list]], article_id: str
            ) -> tuple[list[list], dict[str, None], dict[str, list[str]]]:
    """One article's facts against the same-key facts of other articles (``by_key``: key ->
    rows ``[fact_id, article_id, value, low, high, unit, sources, bounds]``, as they stand before
    this article): conflict rows, facts to flag, and new source lists. Later facts of the
    article overwrite earlier ones' source lists."""
    conflicts: list[list] = []
    flagged: dict[str, None] = {}
    sources: dict[str, list[str]] = {}
    for fid, key, triple, unit in new:
        group, articles = [fid], {article_id}
        mine = _bounds(triple)
        merged: set[int] = set()  # source lists already in `articles` (group members share one)
        for ofid, aid, v, lo, hi, u, srcs, theirs in by_key.get(key, ()):
            if aid == article_id:
                continue
            if u == unit and _overlap(mine, theirs):
                group.append(ofid)
                articles.add(aid)
                if srcs and id(srcs) not in merged:
                    merged.add(id(srcs))
                    articles.update(srcs)
            else:
                conflicts.append([key, ofid, fid, aid, article_id, v, lo, hi, *triple, unit])
                flagged.update({ofid: None, fid: None})
        if len(group) > 1:
            ordered = sorted(articles)
            for g in group:
                sources[g] = ordered
    return conflicts, flagged, sources


def link_batch(conn: duckdb.DuckDBPyConnection, batch: list[tuple[str, list[NewFact]]]
               ) -> dict[str, tuple[list[str], bool]]:
    """Link the facts of several new articles (in order) to each other and to the store.

    Call *before* the batch's facts are inserted. Returns, for every new fact whose
    sources or conflict flag differ from its own defaults (``[article_id]``, false), the
    values to insert it with; conflict rows and changes to stored facts are written here
    (three statements for the whole batch). The result equals linking the articles one
    by one, each against everything stored before it.
    """
    keys = sorted({f[1] for _, facts in batch for f in facts})
    if not keys:
        return {}
    by_key: dict[str, list[list]] = {}
    stored: dict[str, list] = {}
    for fid, key, aid, v, lo, hi, u, srcs in conn.execute(
            "SELECT fact_id, fact_key, article_id, value, low, high, unit, sources FROM facts "
            "WHERE fact_key IN (SELECT unnest(?::VARCHAR[]))", [keys]).fetchall():
        row = [fid, aid, v, lo, hi, u, list(srcs or []), _bounds((v, lo, hi))]
        by_key.setdefault(key, []).append(row)
        stored[fid] = row
    rows: dict[str, list] = dict(stored)
    conflicts: list[list] = []
    flagged: set[str] = set()
    changed: set[str] = set()
    for article_id, facts in batch:
        c, f, srcs = _decide(facts, by_key, article_id)
        conflicts += c
        flagged |= f.keys()
        for fid, key, (v, lo, hi), unit in facts:
            row = [fid, article_id, v, lo, hi, unit, [article_id], _bounds((v, lo, hi))]
            rows[fid] = row
            by_key.setdefault(key, []).append(row)
        for fid, ordered in srcs.items():
            rows[fid][6] = ordered
        changed |= srcs.keys()
    if conflicts:
        cols = ["fact_key", "fact_id_a", "fact_id_b", "article_a", "article_b", "value_a", "low_a", "high_a",
                "value_b", "low_b", "high_b", "unit"]
        _hl_conflicts = pa.table({c: pa.array([r[i] for r in conflicts], type=_CONFLICT_TYPES[c])  # noqa: F841
                                  for i, c in enumerate(cols)})
        conn.execute(f"INSERT INTO conflicts ({', '.join(cols)}) SELECT {', '.join(cols)} FROM _hl_conflicts")
    old_flagged = [fid for fid in flagged if fid in stored]
    if old_flagged:
        conn.execute("UPDATE facts SET conflict = TRUE WHERE fact_id IN (SELECT unnest(?::VARCHAR[]))",
                     [sorted(old_flagged)])
    old_changed = sorted(fid for fid in changed if fid in stored)
    if old_changed:
        _hl_sources = pa.table({"fact_id": old_changed,  # noqa: F841 - read by DuckDB's replacement scan
                                "sources": pa.array([rows[f][6] for f in old_changed], type=pa.list_(pa.string())),
                                "n": pa.array([len(rows[f][6]) for f in old_changed], type=pa.int32())})
        conn.execute("UPDATE facts SET sources = u.sources, n_sources = u.n FROM _hl_sources u "
                     "WHERE facts.fact_id = u.fact_id")
    return {fid: (rows[fid][6], fid in flagged) for fid in (changed | flagged) - stored.keys()}


_CONFLICT_TYPES = {"fact_key": pa.string(), "fact_id_a": pa.string(), "fact_id_b": pa.string(),
                   "article_a": pa.string(), "article_b": pa.string(), "value_a": pa.float64(),
                   "low_a": pa.float64(), "high_a": pa.float64(), "value_b": pa.float64(),
                   "low_b": pa.float64(), "high_b": pa.float64(), "unit": pa.string()}
