"""Ingest: documents -> articles -> the store, in groups of documents per transaction.

Reading and cleaning happen outside the database; the store file is opened once per
batch (at most ``batch_docs`` documents or ``batch_seconds`` of reading), the new
documents of the batch are written in groups of up to ``GROUP_DOCS``, each group in one
transaction together with whatever the *processors* derive from its documents, and the
file is closed again so that other processes can read between batches (see
:mod:`heartland.store.db`).

A processor is any callable ``(conn, article) -> None``; it runs inside the group's
transaction, after the article rows are written, only for articles that are new (or a
new version). A processor may also offer a batch form: ``prepare(article) -> payload``
(no database; run as each document comes) and ``write_batch(conn, [(article, payload),
...])`` (once per group, in document order); the ingest then uses that instead. If a
processor raises, the group is rolled back and written again document by document, so
only the failing document is reported as failed and nothing valid is lost. A processor
that needs tables either has an ``ensure_schema(conn)`` attribute or is paired with an
entry in ``schema_hooks``; those run (idempotently) every time the store is opened for
writing.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from heartland.corpus.limits import (
    DEFAULT_MAX_SIZE,
    DEFAULT_MAX_TEXT,
    DEFAULT_SECONDS,
    Limits,
    OverBudget,
    as_limits,
    over_budget_message,
    time_budget,
)
from heartland.corpus.reader import STDIN, iter_files, read_file, read_stream, source_name
from heartland.corpus.records import Article
from heartland.corpus.results import ReadError, ReadResult
from heartland.store.articles import (
    Outcome,
    current_version,
    current_versions,
    insert_articles,
    known_ids,
)
from heartland.store.db import SchemaHook, clear_waiting, open_store, readers_waiting

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
    #: CPU seconds the worker processes spent reading and preparing (parallel ingest only).
    worker_cpu: float = 0.0

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


def _batch_form(p: object) -> tuple[Callable, Callable] | None:
    """``(prepare, write_batch)`` of a processor that can write many documents at once."""
    prepare, write_batch = getattr(p, "prepare", None), getattr(p, "write_batch", None)
    return (prepare, write_batch) if callable(prepare) and callable(write_batch) else None


@dataclass
class _Pending:
    """A new document of the group being written, with each batch processor's payload."""
    source: str
    article: Article
    prev: tuple[str, int] | None
    payloads: list


@dataclass(frozen=True)
class Failed:
    """The payload of a processor whose ``prepare`` raised on a document: the document is
    stored all the same, that processor writes nothing for it, and ``message`` goes to the
    ``ingest_errors`` table and the report (one line)."""
    message: str


def prepare_payloads(article: Article, processors: Sequence[Processor],
                     seconds: float | None = DEFAULT_SECONDS) -> list:
    """Every batch processor's ``prepare(article)`` (no database), a :class:`Failed` for
    each one that raises or runs past ``seconds`` of wall time (the budget per document,
    ``heartland.corpus.limits``). Runs in the ingest's process or in a worker (parallel ingest)."""
    payloads = []
    for proc in processors:
        form = _batch_form(proc)
        if form is None:
            continue
        try:
            with time_budget(seconds):
                payloads.append(form[0](article))
        except OverBudget as exc:
            payloads.append(Failed(f"processor {_name(proc)} failed: {over_budget_message(exc.seconds)}"))
        except Exception as exc:  # noqa: BLE001 - recorded per document, the ingest goes on
            payloads.append(Failed(_failure(proc, exc)))
    return payloads


def _prepare(source: str, article: Article, prev: tuple[str, int] | None,
             processors: Sequence[Processor], payloads: list | None = None,
             seconds: float | None = DEFAULT_SECONDS) -> _Pending:
    if payloads is None:
        payloads = prepare_payloads(article, processors, seconds)
    return _Pending(source, article, prev, payloads)


def _failure(proc: object, exc: Exception) -> str:
    return f"processor {_name(proc)} failed: {type(exc).__name__}: {exc}"


def _write_group(conn: duckdb.DuckDBPyConnection, group: list[_Pending],
                 processors: Sequence[Processor]) -> None:
    """One transaction for the whole group: article rows, then every processor's rows."""
    conn.begin()
    try:
        insert_articles(conn, [(p.article, p.prev) for p in group])
        failed = [(p.article.id, proc_name, f.message) for p in group for proc_name, f in _failures(p, processors)]
        if failed:
            conn.executemany("INSERT INTO ingest_errors VALUES (?, ?, ?, now() AT TIME ZONE 'UTC')", failed)
        k = 0
        for proc in processors:
            form = _batch_form(proc)
            try:
                if form is None:
                    for p in group:
                        proc(conn, p.article)
                else:
                    items = [(p.article, p.payloads[k]) for p in group if not isinstance(p.payloads[k], Failed)]
                    if items:
                        form[1](conn, items)
                    k += 1
            except Exception as exc:  # noqa: BLE001 - the caller retries document by document
                raise _ProcessorFailed(_failure(proc, exc)) from exc
        conn.commit()
    except BaseException:
        conn.rollback()
        raise


def _failures(p: _Pending, processors: Sequence[Processor]) -> list[tuple[str, Failed]]:
    """``(processor name, Failed)`` for each batch processor whose preparation of ``p`` raised."""
    out = []
    if any(isinstance(x, Failed) for x in p.payloads):
        batch = [proc for proc in processors if _batch_form(proc) is not None]
        out = [(_name(proc), x) for proc, x in zip(batch, p.payloads) if isinstance(x, Failed)]
    return out


def write_one(conn: duckdb.DuckDBPyConnection, article: Article,
              processors: Sequence[Processor] = (), *,
              prev: tuple[str, int] | None | bool = True) -> Outcome:
    """One document, one transaction: the article row and every processor's rows.

    ``prev`` lets a batch writer pass the URL's current ``(id, version)`` (or None)
    that it already looked up; by default it is looked up here.
    """
    if prev is True:
        if conn.execute("SELECT 1 FROM articles WHERE id = ?", [article.id]).fetchone():
            return "unchanged"
        prev = current_version(conn, article.url) if article.url else None
    _write_group(conn, [_prepare("<memory>", article, prev or None, processors)], processors)
    return "new-version" if prev else "new"


class _ProcessorFailed(Exception):
    pass


#: While a reader waits (it touches the store's waiting marker), the longest the writer
#: holds the store file at a stretch, and the pause it then leaves so that waiting readers
#: (which retry every few tens of ms) can get in. With nobody waiting the writer holds on
#: (every reopen costs a connection and a replay of the write-ahead log), yielding at
#: least every MAX_HOLD_SECONDS for readers that cannot touch the marker.
HOLD_SECONDS = 1.0
MAX_HOLD_SECONDS = 10.0
YIELD_SECONDS = 0.15
#: Documents committed together. Each DuckDB statement and commit costs about a
#: millisecond whatever its size, which dominated the ingest at one document per
#: transaction (docs/performance.md, ## extract); a killed run still loses only the
#: open group, which the next run writes again.
GROUP_DOCS = 256
#: The same for the parallel ingest (``workers`` > 1 or a Dask scheduler): its one writer is
#: its critical path, and every group costs the writer fixed work (the story candidates'
#: query, corroboration's lookup and rewrite of growing source lists, the commit): on the
#: real corpus x18, 6.2 s of writer CPU in groups of 256 against 11.2 s in groups of 64
#: (docs/performance.md, ## extract). A killed parallel ingest loses at most this many
#: documents, which the next run writes again.
PARALLEL_GROUP_DOCS = 256


def _write_batch(batch: list[tuple[str, list[ReadResult]]], db: str | Path | None,
                 processors: Sequence[Processor], hooks: Sequence[SchemaHook],
                 report: IngestReport, wait: float | None,
                 on_error: Callable[[ReadError], None] | None,
                 group_docs: int = GROUP_DOCS, last: bool = True,
                 seconds: float | None = DEFAULT_SECONDS) -> bool:
    """``last``: no batch of this ingest follows (its final close checkpoints the store).
    ``seconds``: the time budget of each article's preparation. Returns whether the store
    was opened at all."""
    todo = [(source, r) for source, results in batch for r in results if isinstance(r, Article)]
    opened = bool(todo)
    while todo:
        todo = _write_some(todo, db, processors, hooks, report, wait, on_error, group_docs, last, seconds)
        if todo:
            time.sleep(YIELD_SECONDS)
    return opened


def _write_some(todo: list[tuple[str, Article]], db: str | Path | None,
                processors: Sequence[Processor], hooks: Sequence[SchemaHook],
                report: IngestReport, wait: float | None,
                on_error: Callable[[ReadError], None] | None,
                group_docs: int, last: bool = True,
                seconds: float | None = DEFAULT_SECONDS) -> list[tuple[str, Article]]:
    """Open the store, write documents for at most HOLD_SECONDS, close; return the rest.

    Closing a DuckDB file normally checkpoints it (folds the write-ahead log into the
    file), which cost about a millisecond per document written when done after every
    batch; so only the ingest's last close checkpoints, the others leave the log, which
    the next open (a reader's too) replays and DuckDB checkpoints by itself when it grows
    past its threshold. Committed documents are in the log either way.
    """
    conn = open_store(db, wait=wait, schema_hooks=hooks)
    opened_wall, opened = time.time(), time.monotonic()
    # Small statements: DuckDB's worker threads cost more CPU (and wall time) than they
    # save here (docs/performance.md, ## extract).
    conn.execute("SET threads = 1")
    held_since = time.monotonic()

    def fail(source: str, article: Article, message: str) -> None:
        err = ReadError(source=article.source_path or source, message=message)
        report.errors.append(err)
        if on_error:
            on_error(err)

    def flush(group: list[_Pending]) -> None:
        flush_group(conn, group, processors, report, heads, heads_before, fail, stored.discard)

    done = False
    try:
        # This process holds the only write lock while the file is open, so what is
        # stored can be looked up once and then tracked here.
        stored = known_ids(conn, [a.id for _, a in todo])
        heads = current_versions(conn, sorted({a.url for _, a in todo if a.url}))
        heads_before = dict(heads)  # as committed: the state a failed group returns to
        group: list[_Pending] = []
        for n, (source, r) in enumerate(todo):
            if n and time.monotonic() - held_since > HOLD_SECONDS:
                if readers_waiting(db, opened_wall) or time.monotonic() - opened > MAX_HOLD_SECONDS:
                    flush(group)
                    return todo[n:]
                held_since = time.monotonic()  # nobody is waiting: hold on
            if r.id in stored:
                report.unchanged += 1
                report.by_reader[r.reader or "?"] += 1
                continue
            pending = _prepare(source, r, heads.get(r.url) if r.url else None, processors, seconds=seconds)
            stored.add(r.id)
            _advance(heads, r)
            group.append(pending)
            if len(group) >= group_docs:
                flush(group)
        flush(group)
        done = True
        return []
    finally:
        if not (last and done):
            try:
                conn.execute("PRAGMA disable_checkpoint_on_shutdown")
            except duckdb.Error:
                pass
        conn.close()


def flush_group(conn: duckdb.DuckDBPyConnection, group: list[_Pending], processors: Sequence[Processor],
                report: IngestReport, heads: dict, heads_before: dict,
                fail: Callable[[str, Article, str], None], forget: Callable[[str], None]) -> None:
    """Write ``group`` in one transaction; if a processor's write fails, write it again
    document by document so that only the failing document is lost (and reported).

    ``heads``: the latest version per URL including the group's documents; ``heads_before``:
    the same as committed (what a failed group returns to); ``forget(id)``: a document that
    was not stored after all.
    """
    if not group:
        return
    try:
        _write_group(conn, group, processors)
        written = group
    except _ProcessorFailed as exc:
        if len(group) == 1:
            fail(group[0].source, group[0].article, str(exc))
            forget(group[0].article.id)
            written = []
        else:
            # Find the bad document(s): the rest of the group is written one by one.
            # (Versions after a failed one at the same URL are re-chained.)
            written = []
            for p in group:
                p.prev = heads_before.get(p.article.url) if p.article.url else None
                try:
                    _write_group(conn, [p], processors)
                except _ProcessorFailed as one:
                    fail(p.source, p.article, str(one))
                    forget(p.article.id)
                    continue
                written.append(p)
                _advance(heads_before, p.article)
            heads.clear()
            heads.update(heads_before)
    for p in written:
        report.new_versions += 1 if p.prev else 0
        report.new += 0 if p.prev else 1
        report.by_reader[p.article.reader or "?"] += 1
        for _, f in _failures(p, processors):
            fail(p.source, p.article, f.message)
    heads_before.clear()
    heads_before.update(heads)
    group.clear()


def _advance(heads: dict[str, tuple[str, int]], article: Article) -> None:
    """``article`` is now the latest version at its URL."""
    if article.url:
        prev = heads.get(article.url)
        heads[article.url] = (article.id, prev[1] + 1 if prev else 1)


def ingest(paths: Iterable[str | Path], db: str | Path | None = None, *,
           processors: Sequence[Processor] = (), schema_hooks: Sequence[SchemaHook] = (),
           max_size: int = DEFAULT_MAX_SIZE, max_text: int = DEFAULT_MAX_TEXT,
           max_seconds: float = DEFAULT_SECONDS, batch_docs: int = 500, batch_seconds: float = 0.5,
           wait: float | None = None,
           on_file: Callable[[str, list[ReadResult]], None] | None = None,
           on_error: Callable[[ReadError], None] | None = None,
           files: Sequence[Path | str] | None = None,
           group_docs: int | None = None, workers: int = 1,
           scheduler: str | None = None) -> IngestReport:
    """Read every file under ``paths`` (``-`` = stdin) into the store at ``db``.

    Never raises for a bad document: each becomes a :class:`ReadError` in the report
    (and is passed to ``on_error``). ``files`` may carry an already expanded file list.
    ``group_docs``: documents per transaction (1 = one transaction per document; default
    ``GROUP_DOCS``, or ``PARALLEL_GROUP_DOCS`` with workers).
    ``workers`` > 1: read and prepare (extract) in that many processes, this one writing;
    ``scheduler``: the same on the Dask cluster at that address (``heartland.store.parallel``).
    An article whose preparation raises is stored with the error recorded (``ingest_errors``).
    Budgets per document (``heartland.corpus.limits``): ``max_size`` bytes per file,
    ``max_text`` characters of clean text per article, ``max_seconds`` of wall time for
    reading a file and again for preparing (extracting) each article.
    """
    report = IngestReport()
    limits = Limits(max_size=as_limits(max_size).max_size, max_text=max_text, seconds=max_seconds)
    t0 = time.perf_counter()
    hooks = _hooks(processors, schema_hooks)
    if workers < 1:
        raise ValueError(f"workers must be at least 1, not {workers}")
    if workers > 1 or scheduler:
        from heartland.store.parallel import ingest_parallel

        ingest_parallel(files if files is not None else iter_files(paths), db, processors, hooks, report,
                        workers=workers, scheduler=scheduler, max_size=limits, wait=wait,
                        on_file=on_file, on_error=on_error, group_docs=group_docs or PARALLEL_GROUP_DOCS)
        clear_waiting(db)
        report.seconds = time.perf_counter() - t0
        return report
    group_docs = group_docs or GROUP_DOCS
    batch: list[tuple[str, list[ReadResult]]] = []
    batch_start = time.monotonic()
    unchecked = False  # a batch closed the store without a checkpoint
    for f in (files if files is not None else iter_files(paths)):
        if f == STDIN:
            import sys

            source, results = "<stdin>", read_stream(sys.stdin.buffer, limits)
        else:
            source = source_name(f)
            results = read_file(Path(f), limits)
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
            unchecked |= _write_batch(batch, db, processors, hooks, report, wait, on_error, group_docs, last=False,
                                      seconds=max_seconds)
            batch, batch_start = [], time.monotonic()
    if not _write_batch(batch, db, processors, hooks, report, wait, on_error, group_docs,
                        seconds=max_seconds) and unchecked:
        open_store(db, wait=wait, schema_hooks=hooks).close()  # the checkpoint the last batch would do
    clear_waiting(db)  # whoever waited got in at a yield or gets in now
    report.seconds = time.perf_counter() - t0
    return report


def ingest_articles(articles: Iterable[Article], db: str | Path | None = None, *,
                    processors: Sequence[Processor] = (),
                    schema_hooks: Sequence[SchemaHook] = (),
                    wait: float | None = None, group_docs: int = GROUP_DOCS) -> IngestReport:
    """Store already-read articles (e.g. built in a notebook) the same way."""
    report = IngestReport()
    batch = [(a.source_path or "<memory>", [a]) for a in articles]
    report.files = len(batch)
    _write_batch(batch, db, processors, _hooks(processors, schema_hooks), report, wait, None, group_docs)
    clear_waiting(db)
    return report
