"""Read-only view of everything heartland knows, shared by the report and the dashboard.

The report and the dashboard are the last stages: they read the store (read-only) and
the outputs of world/measure, simulate and forecast through those stages' public faces,
and never write the store. Every reader here degrades gracefully: when a stage's data
is not there yet it returns ``None`` / an empty list and :func:`status` says so, so a
page or report section can say "not available yet" instead of failing.

Store access: DuckDB allows one writer *process*; a reader in another process cannot
open the file while an ingest holds the write lock. Each read therefore opens the file
read-only, retries briefly on a lock error, and closes it again at once so that it
never blocks a writer for long.
"""

from __future__ import annotations

import datetime as _dt
import math
import re
import time
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path
from typing import Any, Iterator

import duckdb

#: Tables the evidence browser knows about, in pipeline order.
EVIDENCE_TABLES = ("articles", "mentions", "facts", "events", "quotes")


class StoreUnavailable(RuntimeError):
    """The store file is missing or held by a writer for longer than the retry budget.

    ``public`` is the one line a client may see (no file paths); ``str()`` has the details.
    """

    def __init__(self, message: str, public: str):
        super().__init__(message)
        self.public = public


@contextmanager
def connect_ro(db_path: Path, retries: int = 30, delay: float = 0.1) -> Iterator[duckdb.DuckDBPyConnection]:
    """Open the store read-only, retrying while a writer holds the lock (≈3 s by default).
    A damaged file (``heartland.store.db.is_damage``), at the open or in a query inside the
    block, raises :class:`heartland.store.db.StoreDamaged` (one line, how to rebuild)."""
    from heartland.store.db import damaged, is_damage

    db_path = Path(db_path)
    if not db_path.is_file():
        raise StoreUnavailable(f"store {db_path} does not exist yet (run `heartland ingest` or `heartland run`)",
                               "the store does not exist yet (run `heartland ingest` or `heartland run`)")
    last: Exception | None = None
    for _ in range(retries):
        try:
            conn = duckdb.connect(str(db_path), read_only=True)
            break
        except duckdb.IOException as exc:  # lock held by an ingesting process
            if is_damage(exc):
                raise damaged(db_path, exc) from None
            last = exc
            time.sleep(delay)
        except duckdb.Error as exc:  # this process is writing a review decision (or opening/closing)
            if "different configuration" not in str(exc) and "unique file handle conflict" not in str(exc).lower():
                if is_damage(exc):
                    raise damaged(db_path, exc) from None
                raise
            last = exc
            time.sleep(delay)
    else:
        raise StoreUnavailable(f"store {db_path} is busy (a writer holds it): {last}",
                               "the store is busy (a writer holds it); try again in a moment")
    try:
        yield conn
    except duckdb.Error as exc:
        if is_damage(exc):
            raise damaged(db_path, exc) from None
        raise
    finally:
        conn.close()


def jsonable(value: Any) -> Any:
    """DuckDB values to plain JSON values (dates as ISO strings, NaN as None)."""
    if value is None or isinstance(value, (str, bool, int)):
        return value
    if isinstance(value, float):
        return None if math.isnan(value) or math.isinf(value) else value
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, (_dt.datetime, _dt.date, _dt.time)):
        return value.isoformat()
    if isinstance(value, dict):
        return {(k if isinstance(k, (str, int)) else str(k)): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    if hasattr(value, "tolist"):
        return jsonable(value.tolist())
    return str(value)


def query(conn: duckdb.DuckDBPyConnection, sql: str, params: list | tuple = ()) -> list[dict]:
    cur = conn.execute(sql, list(params))
    names = [d[0] for d in cur.description]
    return [{n: jsonable(v) for n, v in zip(names, row)} for row in cur.fetchall()]


def table_columns(conn: duckdb.DuckDBPyConnection) -> dict[str, list[str]]:
    """Tables of the store's main schema and their columns."""
    out: dict[str, list[str]] = {}
    for t, c in conn.execute(
        "SELECT table_name, column_name FROM information_schema.columns "
        "WHERE table_schema = 'main' ORDER BY table_name, ordinal_position"
    ).fetchall():
        out.setdefault(t, []).append(c)
    return out


# -- spans and sentences -------------------------------------------------------------

_SPAN_NAMES = (("span_start", "span_end"), ("start", "end"), ("char_start", "char_end"),
               ("start_char", "end_char"), ("begin", "end"))
_SENT_END = re.compile(r"[。！？!?；\n]|\.(?=\s)")


def span_of(row: dict) -> tuple[int, int] | None:
    """The character span of an evidence row, whatever the producing stage named it."""
    span = row.get("span")
    if isinstance(span, (list, tuple)) and len(span) == 2 and all(isinstance(x, int) for x in span):
        return int(span[0]), int(span[1])
    if isinstance(span, dict) and {"start", "end"} <= span.keys():
        return int(span["start"]), int(span["end"])
    for a, b in _SPAN_NAMES:
        if isinstance(row.get(a), int) and isinstance(row.get(b), int):
            return int(row[a]), int(row[b])
    return None


def sentence_around(text: str, start: int, end: int, limit: int = 400) -> dict:
    """The sentence holding ``text[start:end]``: its bounds and the span's offsets inside it."""
    start = max(0, min(start, len(text)))
    end = max(start, min(end, len(text)))
    left = start
    while left > 0 and not _SENT_END.match(text, left - 1) and start - left < limit:
        left -= 1
    m = _SENT_END.search(text, end)
    right = m.end() if m and m.end() - end < limit else min(len(text), end + limit)
    sentence = text[left:right].strip()
    lead = len(text[left:right]) - len(text[left:right].lstrip())
    return {"sentence": sentence, "sentence_start": left + lead,
            "mark_start": start - left - lead, "mark_end": end - left - lead}
