"""Ingest: documents -> articles -> the store, one transaction per document.

Reading and cleaning happen outside the database; the store file is opened once per
batch (at most ``batch_docs`` documents or ``batch_seconds`` of reading), every
document in the batch is written in its own transaction together with whatever the
*processors* derive from it, and the file is closed again so that other processes can
read between batches (see :mod:`heartland.store.db`).

A processor is any callable ``(conn, article) -> None``; it runs inside the article's
transaction, after the article row is written, only for articles that are new (or a new
version). If it raises, the whole document is rolled back and reported as failed. A
processor that needs tables either has an ``ensure_schema(conn)`` attribute or is
paired with an entry in ``schema_hooks``; those run (idempotently) every time the
store is opened for writing.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from heartland.corpus.reader import DEFAULT_MAX_SIZE, STDIN, iter_files, read_file, read_stream
from heartland.corpus.records import Article
from heartland.corpus.results import ReadError, ReadResult
from heartland.store.articles import (
    Outcome,
    current_versions,
    insert_article,
    known_ids,
    write_article,
)
from heartland.store.db import SchemaHook, open_store

Processor = Callable[[duckdb.DuckDBPyConnection, Article], None]


@dataclass
class IngestReport:
    files: int = 0
    bytes: int = 0
    new: int = 0
    new_versions: int = 0
    unchanged: int = 0
    errors: list[ReadError] = field(default_factory=list)
    by_reader: Counter = field(default_factory=Counter)
    seconds: float = 0.0

    @property
    def stored(self) -> int:
        return self.new + self.new_versions

    @property
    def failed(self) -> int:
        return len(self.errors)

    @property
    def ok(self) -> bool:
        return not self.errors


def _hooks(processors: Sequence[Processor], schema_hooks: Sequence[SchemaHook]) -> list[SchemaHook]:
    hooks = list(schema_hooks)
    for p in processors:
        h = getattr(p, "ensure_schema", None)
        if callable(h) and h not in hooks:
            hooks.append(h)
    return hooks


def _name(p: object) -> str:
    return getattr(p, "__qualname__", None) or getattr(p, "__name__", None) or type(p).__name__


def write_one(conn: duckdb.DuckDBPyConnection, article: Article,
              processors: Sequence[Processor] = (), *,
              prev: tuple[str, int] | None | bool = True) -> Outcome:
    """One document, one transaction: the article row and every processor's rows.

    ``prev`` lets a batch writer pass the URL's current ``(id, version)`` (or None)
    that it already looked up; by default it is looked up here.
    """
    conn.begin()
    try:
        if prev is True:
            outcome = write_article(conn, article)
        else:
            insert_article(conn, article, prev or None)
            outcome = "new-version" if prev else "new"
        if outcome != "unchanged":
            for proc in processors:
                try:
                    proc(conn, article)
                except Exception as exc:  # noqa: BLE001 - reported per document, batch goes on
                    raise _ProcessorFailed(f"processor {_name(proc)} failed: "
                                           f"{type(exc).__name__}: {exc}") from exc
        conn.commit()
        return outcome
    except BaseException:
        conn.rollback()
        raise


class _ProcessorFailed(Exception):
    pass


#: Longest the writer holds the store file at a stretch, and the pause it then leaves
#: so that waiting readers (which retry every few tens of ms) can get in.
HOLD_SECONDS = 1.0
YIELD_SECONDS = 0.15


def _write_batch(batch: list[tuple[str, list[ReadResult]]], db: str | Path | None,
                 processors: Sequence[Processor], hooks: Sequence[SchemaHook],
                 report: IngestReport, wait: float | None,
                 on_error: Callable[[ReadError], None] | None) -> None:
    todo = [(source, r) for source, results in batch for r in results if isinstance(r, Article)]
    while todo:
        todo = _write_some(todo, db, processors, hooks, report, wait, on_error)
        if todo:
            time.sleep(YIELD_SECONDS)


def _write_some(todo: list[tuple[str, Article]], db: str | Path | None,
                processors: Sequence[Processor], hooks: Sequence[SchemaHook],
                report: IngestReport, wait: float | None,
                on_error: Callable[[ReadError], None] | None) -> list[tuple[str, Article]]:
    """Open the store, write documents for at most HOLD_SECONDS, close; return the rest."""
    conn = open_store(db, wait=wait, schema_hooks=hooks)
    # Per-document statements are small: DuckDB's worker threads cost more CPU (and wall
    # time) than they save here (docs/performance.md, ## extract).
    conn.execute("SET threads = 1")
    held_since = time.monotonic()
    try:
        # This process holds the only write lock while the file is open, so what is
        # stored can be looked up once and then tracked here.
        stored = known_ids(conn, [a.id for _, a in todo])
        heads = current_versions(conn, sorted({a.url for _, a in todo if a.url}))
        for n, (source, r) in enumerate(todo):
            if n and time.monotonic() - held_since > HOLD_SECONDS:
                return todo[n:]
            if r.id in stored:
                report.unchanged += 1
                report.by_reader[r.reader or "?"] += 1
                continue
            try:
                outcome = write_one(conn, r, processors, prev=heads.get(r.url) if r.url else None)
            except _ProcessorFailed as exc:
                err = ReadError(source=r.source_path or source, message=str(exc))
                report.errors.append(err)
                if on_error:
                    on_error(err)
                continue
            stored.add(r.id)
            if r.url:
                prev = heads.get(r.url)
                heads[r.url] = (r.id, prev[1] + 1 if prev else 1)
            if outcome == "new":
                report.new += 1
            elif outcome == "new-version":
                report.new_versions += 1
            report.by_reader[r.reader or "?"] += 1
        return []
    finally:
        conn.close()


def ingest(paths: Iterable[str | Path], db: str | Path | None = None, *,
           processors: Sequence[Processor] = (), schema_hooks: Sequence[SchemaHook] = (),
           max_size: int = DEFAULT_MAX_SIZE, batch_docs: int = 500, batch_seconds: float = 0.5,
           wait: float | None = None,
           on_file: Callable[[str, list[ReadResult]], None] | None = None,
           on_error: Callable[[ReadError], None] | None = None,
           files: Sequence[Path | str] | None = None) -> IngestReport:
    """Read every file under ``paths`` (``-`` = stdin) into the store at ``db``.

    Never raises for a bad document: each becomes a :class:`ReadError` in the report
    (and is passed to ``on_error``). ``files`` may carry an already expanded file list.
    """
    report = IngestReport()
    t0 = time.perf_counter()
    hooks = _hooks(processors, schema_hooks)
    batch: list[tuple[str, list[ReadResult]]] = []
    batch_start = time.monotonic()
    for f in (files if files is not None else iter_files(paths)):
        if f == STDIN:
            import sys

            source, results = "<stdin>", read_stream(sys.stdin.buffer, max_size)
        else:
            source = str(f)
            results = read_file(Path(f), max_size)
            try:
                report.bytes += Path(f).stat().st_size
            except OSError:
                pass
        report.files += 1
        for r in results:
            if isinstance(r, ReadError):
                report.errors.append(r)
                if on_error:
                    on_error(r)
        batch.append((source, results))
        if on_file:
            on_file(source, results)
        if len(batch) >= batch_docs or time.monotonic() - batch_start >= batch_seconds:
            _write_batch(batch, db, processors, hooks, report, wait, on_error)
            batch, batch_start = [], time.monotonic()
    _write_batch(batch, db, processors, hooks, report, wait, on_error)
    report.seconds = time.perf_counter() - t0
    return report


def ingest_articles(articles: Iterable[Article], db: str | Path | None = None, *,
                    processors: Sequence[Processor] = (),
                    schema_hooks: Sequence[SchemaHook] = (),
                    wait: float | None = None) -> IngestReport:
    """Store already-read articles (e.g. built in a notebook) the same way."""
    report = IngestReport()
    batch = [(a.source_path or "<memory>", [a]) for a in articles]
    report.files = len(batch)
    _write_batch(batch, db, processors, _hooks(processors, schema_hooks), report, wait, None)
    return report
