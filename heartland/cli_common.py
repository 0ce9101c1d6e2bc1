"""Small pieces the commands' output shares: empty results in words, capped tables, dates at
their precision, JSON.

Kept free of heavy imports: every command's module may import it at load time.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

#: Rows a table shows by default. A terminal table of 10,000 rows is unreadable and takes
#: seconds to lay out; json and csv give every row unless ``--limit`` says otherwise.
TABLE_LIMIT = 100


def nothing_found(what: str, filters: dict[str, object]) -> str:
    """``no quotes match --article 0a1b`` / ``no articles in the store``: an empty result, said so."""
    given = [f"--{k.rstrip('_').replace('_', '-')} {v}" for k, v in filters.items() if v not in (None, "", False)]
    return f"no {what} match {' '.join(given)}" if given else f"no {what} in the store"


def cap(rows: list, limit: int | None, *, latest: bool = False) -> tuple[list, str | None]:
    """The rows to show under ``limit`` (0 or None: all), and a note saying what was left out."""
    if not limit or len(rows) <= limit:
        return rows, None
    shown = rows[-limit:] if latest else rows[:limit]
    return shown, shown_note(limit, len(rows), latest=latest)


def shown_note(shown: int, total: int, *, latest: bool = False) -> str:
    return (f"showing the {'latest' if latest else 'first'} {shown} of {total:,} rows (--limit 0 for all, "
            "--format csv or json for a file)")


def dumps(value) -> str:
    """JSON as the listing commands print it (two-space indent, UTF-8 text as is).

    orjson: the standard library's indented encoder is pure Python, about a second for
    10,000 articles; orjson writes the same text in a few hundredths (NaN becomes null).
    """
    import orjson

    return orjson.dumps(value, option=orjson.OPT_INDENT_2 | orjson.OPT_NON_STR_KEYS).decode()


def at_precision(iso: str | None, precision: str | None) -> str:
    """A date as precise as it is known: ``2024`` for a year-precision event, not ``2024-01-01``."""
    if not iso:
        return "?"
    iso = str(iso)[:10]
    if precision == "year":
        return iso[:4]
    if precision == "month":
        return iso[:7]
    return iso


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while a listing builds and prints its rows.

    Tens of thousands of new dicts and lists, all alive until printed, set off a hundred
    collector passes that free nothing: 0.01-0.05 s of a listing. Reference counting still
    frees everything as usual; only reference cycles, if any, wait until the block ends.
    """
    if not gc.isenabled():  # paused already (nested, or by the caller): theirs to resume
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
