"""Opening the DuckDB store file, politely.

DuckDB lets one process at a time open a database file for writing, and while it has
it open, no other process can open it at all (not even read-only). heartland therefore
never holds the file longer than it needs: the ingest opens it per committed batch and
closes it in between, query commands open it read-only for one query, and every open
waits and retries with backoff while another process holds the lock, touching a marker
file next to the store (``waiting_marker``) so that the writer knows to yield. After
``HEARTLAND_DB_WAIT`` seconds (default 30) it gives up with one clear line.

``HEARTLAND_DB_FSYNC=none`` makes commits skip fsync (DuckDB's ``fsync_mode``): several
times faster for bulk loads, at the cost of durability against an operating-system
crash or power loss (not against a killed process).
"""

from __future__ import annotations

import contextlib
import os
import random
import re
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import duckdb

from heartland import paths
from heartland.errors import UserError
from heartland.store.schema import ensure_schema

SchemaHook = Callable[[duckdb.DuckDBPyConnection], None]

DEFAULT_WAIT_SECONDS = 30.0


class StoreBusy(UserError):
    """The store file stayed locked by another process for the whole wait."""


class StoreDamaged(UserError):
    """The store file is damaged (truncated, overwritten, corrupt blocks): one line naming
    the file, what DuckDB found, and how to rebuild the store from the corpus."""

    def __init__(self, path: str | Path, detail: str):
        super().__init__(f"the store is damaged ({detail})",
                         path=str(path),
                         hint=f"rebuild it from the corpus: move it aside, then run `heartland ingest CORPUS "
                              f"--db {path}` (or `heartland run`)")


#: What DuckDB says when a file's blocks cannot be read back: a truncated or overwritten
#: file, a block whose checksum fails, a catalog that cannot be deserialised.
_DAMAGE_MARKS = ("could not read enough bytes", "corrupt", "checksum", "failed to read", "not a valid duckdb",
                 "serializ", "deserializ", "invalid block", "block id", "out of range", "unexpected end",
                 "database file", "magic bytes", "invalid database")


def is_damage(exc: BaseException) -> bool:
    """Whether a DuckDB error means the store file is damaged (not locked, not a bad query)."""
    if not isinstance(exc, duckdb.Error) or _is_lock_error(exc):  # type: ignore[arg-type]
        return False
    if isinstance(exc, (duckdb.SerializationException, duckdb.InternalException)):
        return True
    msg = str(exc).lower()
    return isinstance(exc, (duckdb.IOException, duckdb.InvalidInputException, duckdb.FatalException)) and \
        any(m in msg for m in _DAMAGE_MARKS)


def damaged(path: str | Path | None, exc: BaseException) -> StoreDamaged:
    """The one-line error for a damaged store at ``path`` from DuckDB's ``exc``."""
    first = (str(exc).splitlines() or [type(exc).__name__])[0]
    first = re.sub(r'\s*"[^"]*"', "", first)[:200]  # the path is said once, in front
    return StoreDamaged(resolve(path), first)


def wait_seconds() -> float:
    try:
        return max(0.0, float(os.environ.get("HEARTLAND_DB_WAIT", DEFAULT_WAIT_SECONDS)))
    except ValueError:
        return DEFAULT_WAIT_SECONDS


def _is_lock_error(exc: Exception) -> bool:
    msg = str(exc).lower()
    # "different configuration": this process has the file open read-only (a dashboard
    # read) and asks for it writable (a review decision), or the reverse: wait it out too
    # "unique file handle conflict": another thread of this process is opening or closing it
    return ("lock" in msg and ("conflicting" in msg or "could not set" in msg or "held" in msg)) or \
        "different configuration" in msg or "unique file handle conflict" in msg


def resolve(path: str | Path | None) -> Path:
    return Path(path) if path else paths.default_db_path()


#: Slack on the marker's modification time (file systems with coarse timestamps).
MTIME_SLACK = 1.0


def waiting_marker(path: str | Path | None) -> Path:
    """The file a process touches while it waits for the store's lock (next to the store,
    hidden): the ingest yields the file to waiting readers when it sees it touched."""
    db = resolve(path)
    return db.with_name(f".{db.name}.readers-waiting")


def signal_waiting(path: str | Path | None) -> None:
    """Say that this process is waiting for the store (best effort: a read-only directory
    just means the writer yields on its own schedule, ``MAX_HOLD_SECONDS``)."""
    try:
        waiting_marker(path).touch()
    except OSError:
        pass


def readers_waiting(path: str | Path | None, since: float) -> bool:
    """Whether some process has waited for the store since the wall-clock time ``since``."""
    try:
        return os.stat(waiting_marker(path)).st_mtime >= since - MTIME_SLACK
    except OSError:
        return False


def clear_waiting(path: str | Path | None) -> None:
    try:
        waiting_marker(path).unlink()
    except OSError:
        pass


def open_store(path: str | Path | None = None, *, read_only: bool = False,
               wait: float | None = None,
               schema_hooks: Sequence[SchemaHook] = ()) -> duckdb.DuckDBPyConnection:
    """Open the store (default ``$HEARTLAND_DB`` or ``./heartland.duckdb``).

    A writable open creates the file and the schema (plus every ``schema_hooks``
    entry's tables). A read-only open of a missing store is a :class:`UserError`.
    Lock conflicts with another process are retried with backoff for ``wait`` seconds
    (default ``$HEARTLAND_DB_WAIT`` or 30), then :class:`StoreBusy` is raised.
    Close the connection soon: while it is open, other processes are locked out.
    """
    db = resolve(path)
    if read_only and not db.exists():
        raise UserError("no store here yet (run 'heartland ingest PATH' first)", path=str(db))
    if not read_only and db.parent and not db.parent.exists():
        raise UserError("directory does not exist", path=str(db.parent))
    limit = wait_seconds() if wait is None else wait
    deadline = time.monotonic() + limit
    delay = 0.02
    while True:
        try:
            conn = duckdb.connect(str(db), read_only=read_only)
            break
        except (duckdb.IOException, duckdb.ConnectionException) as exc:
            if not _is_lock_error(exc):
                if is_damage(exc):
                    raise damaged(db, exc) from None
                raise UserError(f"cannot open the store: {str(exc).splitlines()[0]}",
                                path=str(db)) from None
            signal_waiting(db)
            if time.monotonic() >= deadline:
                raise StoreBusy(f"the store is in use by another process; gave up after "
                                f"{limit:g} s", path=str(db),
                                hint="try again when it finishes, or set HEARTLAND_DB_WAIT") from None
            time.sleep(delay * (0.5 + random.random()))
            delay = min(delay * 1.5, 0.1)
        except duckdb.Error as exc:
            if _is_lock_error(exc) and time.monotonic() < deadline:
                time.sleep(delay * (0.5 + random.random()))
                continue
            if is_damage(exc):
                raise damaged(db, exc) from None
            raise UserError(f"not a heartland store: {str(exc).splitlines()[0]}",
                            path=str(db)) from None
    fsync = os.environ.get("HEARTLAND_DB_FSYNC", "").strip().upper()
    if fsync in ("NONE", "STANDARD", "FULL") and not read_only:
        # Bulk loads may trade power-loss durability for speed; a killed process
        # (kill -9) loses nothing either way, since committed data is in the OS cache.
        conn.execute(f"SET fsync_mode = '{fsync}'")
    if not read_only:
        try:
            ensure_schema(conn)
            for hook in schema_hooks:
                hook(conn)
        except duckdb.Error as exc:
            conn.close()
            if is_damage(exc):
                raise damaged(db, exc) from None
            raise
        except BaseException:
            conn.close()
            raise
    return conn


@contextlib.contextmanager
def session(path: str | Path | None = None, *, read_only: bool = False,
            wait: float | None = None,
            schema_hooks: Sequence[SchemaHook] = ()) -> Iterator[duckdb.DuckDBPyConnection]:
    """``with session(db, read_only=True) as conn: ...`` — opened late, closed early.
    A DuckDB error inside that means the file is damaged becomes :class:`StoreDamaged`."""
    conn = open_store(path, read_only=read_only, wait=wait, schema_hooks=schema_hooks)
    try:
        yield conn
    except duckdb.Error as exc:
        if is_damage(exc):
            raise damaged(path, exc) from None
        raise
    finally:
        conn.close()
