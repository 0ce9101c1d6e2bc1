"""Parallel ingest: read and prepare (extract) documents in worker processes, or on a Dask
cluster, while this process alone writes the store (docs/store.md, "Parallel ingest").

Each file is one task: the worker reads it (``heartland.corpus.reader.read_file``) and runs
every batch processor's ``prepare`` on its articles (``ingestion.prepare_payloads``; a
``prepare`` that raises gives a :class:`~heartland.store.ingestion.Failed` payload, so the
article is stored with its error recorded). Results come back in file order, at most
``window`` files ahead of the writer, and the writer stores them exactly as the one-process
ingest does: groups of ``GROUP_DOCS`` per transaction, idempotent (what the store holds is
looked up per group), versions chained per URL, the store file held open only while no
reader waits. Articles already stored when the ingest starts are not extracted again: the
workers get their ids (a sorted ``uint64`` array, 8 bytes an article) and skip them.
"""

from __future__ import annotations

import itertools
import multiprocessing
import os
import pickle
import sys
import time
from collections import deque
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

import duckdb
import numpy as np

from heartland.corpus.limits import Limits, as_limits
from heartland.corpus.reader import STDIN, read_file, read_stream, source_name
from heartland.corpus.records import Article
from heartland.corpus.results import ReadError, ReadResult
from heartland.store.articles import current_versions, known_ids
from heartland.store.db import SchemaHook, open_store, readers_waiting, resolve
from heartland.store.ingestion import (
    HOLD_SECONDS,
    MAX_HOLD_SECONDS,
    YIELD_SECONDS,
    IngestReport,
    Processor,
    _advance,
    _batch_form,
    _Pending,
    _prepare,
    flush_group,
    prepare_payloads,
)

#: Files in flight per worker (read, extracted or waiting to be written), and at least two
#: groups' worth (``2 * group_docs``): the workers must be able to prepare the next group
#: while the writer commits one, or they wait for it and the two alternate instead of
#: overlapping (the first measurement, with 16 files in flight for groups of 64: 0.77x).
FILES_PER_WORKER = 8

_END = object()
_NOT_READY = object()

# -- worker side -------------------------------------------------------------------------

_KNOWN: np.ndarray | None = None  # ids stored when the ingest started (set per worker)
_FROM_INIT = "init"


def _id_key(article_id: str) -> int | None:
    try:
        return int(article_id, 16) if len(article_id) == 16 else None
    except ValueError:
        return None


def _is_known(known: np.ndarray | None, article_id: str) -> bool:
    if known is None or not len(known):
        return False
    k = _id_key(article_id)
    if k is None:
        return False
    i = int(np.searchsorted(known, np.uint64(k)))
    return i < len(known) and int(known[i]) == k


#: Niceness added to the worker processes. The writer is the critical path (it does half the
#: work: story choice, corroboration, the inserts), and with the workers' queue always full
#: the scheduler gave it only about 60 % of a core against them: on 2 cores, 2 workers made
#: the ingest *slower* (0.92x). Lower-priority workers leave the writer a whole core and use
#: what it leaves (docs/performance.md, ## extract).
WORKER_NICE = 5


def _init_worker(known: np.ndarray | None, nice: int = 0) -> None:
    global _KNOWN
    _KNOWN = known
    if nice and hasattr(os, "nice"):
        try:
            os.nice(nice)
        except OSError:
            pass


def work_file(path: str, max_size: "int | Limits", processors: Sequence[Processor] | None,
              known: np.ndarray | None | str = _FROM_INIT) -> tuple[list[ReadResult], list, int, float]:
    """One task: read ``path`` and prepare its articles.

    Returns ``(results, payloads, size, cpu seconds)``: ``payloads[i]`` is the list of batch payloads of
    ``results[i]`` when it is an article to prepare, else None (a read error, an article
    stored before the ingest started, or ``processors`` None: prepared by the writer).
    """
    cpu = time.process_time()
    if isinstance(known, str):
        known = _KNOWN
    limits = as_limits(max_size)  # the byte limit, or every budget (heartland.corpus.limits)
    results = read_file(Path(path), limits)
    try:
        size = Path(path).stat().st_size
    except OSError:
        size = 0
    payloads: list = []
    for r in results:
        if isinstance(r, Article) and processors is not None and not _is_known(known, r.id):
            payloads.append(prepare_payloads(r, processors, limits.seconds))
        else:
            payloads.append(None)
    return results, payloads, size, time.process_time() - cpu


# -- executors -----------------------------------------------------------------------------

class _Done:
    """A future that is already resolved (standard input is read by the writer itself), or
    failed (a submission to a pool that broke meanwhile)."""

    def __init__(self, value=None, error: BaseException | None = None):
        self.value, self.error = value, error

    def result(self, timeout=None):
        if self.error is not None:
            raise self.error
        return self.value


class _Pool:
    """N worker processes ('forkserver' where available, else 'spawn': no forked DuckDB
    connections or threads), restarted if one dies."""

    def __init__(self, workers: int, known: np.ndarray | None, preload: Sequence[str]):
        self.workers, self.known = workers, known
        methods = multiprocessing.get_all_start_methods()
        self.ctx = multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")
        if self.ctx.get_start_method() == "forkserver":
            # Imported once in the fork server, so each worker starts with them loaded.
            self.ctx.set_forkserver_preload(["heartland.store.parallel", *preload])
        self.window = max(2, workers) * FILES_PER_WORKER
        self.pool = self._new()

    def _new(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(self.workers, mp_context=self.ctx, initializer=_init_worker,
                                   initargs=(self.known, WORKER_NICE))

    def submit(self, path: str, max_size: int, processors):
        return self.pool.submit(work_file, path, max_size, processors)

    def restart(self) -> None:
        self.pool.shutdown(wait=False, cancel_futures=True)
        self.pool = self._new()

    def close(self) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)


class _Dask:
    """The same tasks on a Dask distributed cluster (files must be readable by its workers
    at the same paths)."""

    def __init__(self, address: str, known: np.ndarray | None):
        from distributed import Client

        self.client = Client(address)
        threads = sum(self.client.nthreads().values()) or 1
        self.window = max(2, threads) * FILES_PER_WORKER
        self.known = self.client.scatter(known, broadcast=True) if known is not None else None

    def submit(self, path: str, max_size: int, processors):
        return self.client.submit(work_file, path, max_size, processors, self.known, pure=False)

    def restart(self) -> None:  # Dask reschedules tasks of a lost worker itself
        pass

    def close(self) -> None:
        self.client.close()


# -- the ordered stream of results ---------------------------------------------------------

class _Stream:
    """Articles in file order, ``(source, article, payloads or None)``, as the tasks finish.

    Read errors and file progress are reported as each file's result is taken. If a worker
    process dies (the pool breaks), the files in flight are retried one at a time in a new
    pool, so the file that kills its worker is the one reported and the rest are stored.
    """

    def __init__(self, files: Iterable, ex, max_size: int, processors, report: IngestReport,
                 on_file, on_error, window: int):
        self.files = iter(files)
        self.window = window
        self.ex, self.max_size, self.processors = ex, max_size, processors
        self.report, self.on_file, self.on_error = report, on_file, on_error
        self.inflight: deque = deque()  # (path, future)
        self.ready: deque = deque()
        self.isolate: set[str] = set()  # files retried one at a time after a broken pool
        self.exhausted = False

    def _submit(self, f) -> None:
        if f == STDIN:
            results = read_stream(sys.stdin.buffer, self.max_size)
            self.inflight.append(("<stdin>", _Done((results, [None] * len(results), 0, 0.0))))
        else:
            try:
                fut = self.ex.submit(str(f), self.max_size, self.processors)
            except BrokenProcessPool as exc:  # seen when the file before it is taken
                fut = _Done(error=exc)
            self.inflight.append((str(f), fut))

    def _fill(self) -> None:
        limit = 1 if self.isolate else self.window
        while not self.exhausted and len(self.inflight) < limit:
            f = next(self.files, _END)
            if f is _END:
                self.exhausted = True
            else:
                self._submit(f)

    def next(self, timeout: float | None):
        """The next article, or ``_NOT_READY`` after ``timeout`` s, or ``_END``."""
        while not self.ready:
            self._fill()
            if not self.inflight:
                return _END
            source, fut = self.inflight[0]
            try:
                results, payloads, size, cpu = fut.result(timeout=timeout)
            except TimeoutError:
                return _NOT_READY
            except BrokenProcessPool:
                if self._broken(source):
                    continue
                results, payloads, size, cpu = [ReadError(source=source_name(source), message=(
                    "a worker process died while reading or extracting this file"))], [None], 0, 0.0
            except Exception as exc:  # noqa: BLE001 - one file's failure, the ingest goes on
                results, payloads, size, cpu = [ReadError(source=source_name(source), message=(
                    f"worker failed: {type(exc).__name__}: {exc}"))], [None], 0, 0.0
            self.inflight.popleft()
            self.isolate.discard(source)
            self.report.worker_cpu += cpu
            self._take(source, results, payloads, size)
        return self.ready.popleft()

    def _broken(self, source: str) -> bool:
        """The pool broke; True: retry the files in flight (one at a time), False: ``source``
        was alone in flight, so it is the one that kills its worker."""
        alone = source in self.isolate and len(self.inflight) == 1
        paths = [p for p, _ in self.inflight]
        self.ex.restart()
        if alone:
            return False
        self.isolate.update(paths)
        self.inflight.clear()
        # Resubmitted one at a time: _fill keeps one in flight while isolating.
        self.files = itertools.chain(paths, self.files)
        self.exhausted = False
        return True

    def _take(self, source: str, results: list, payloads: list, size: int) -> None:
        report = self.report
        report.files += 1
        report.bytes += size
        for r, p in zip(results, payloads):
            if isinstance(r, ReadError):
                report.errors.append(r)
                if self.on_error:
                    self.on_error(r)
            else:
                self.ready.append((source_name(source), r, p))
        if self.on_file:
            self.on_file(source_name(source), results)


# -- the writer ----------------------------------------------------------------------------

def _stored_ids(db, wait) -> np.ndarray | None:
    """Ids of the articles stored now, as a sorted uint64 array (None: no store yet)."""
    if not resolve(db).exists():
        return None
    conn = open_store(db, read_only=True, wait=wait)
    try:
        try:
            ids = [r[0] for r in conn.execute("SELECT id FROM articles").fetchall()]
        except duckdb.CatalogException:
            return None
    finally:
        conn.close()
    keys = [k for k in map(_id_key, ids) if k is not None]
    return np.unique(np.array(keys, dtype=np.uint64))


def _picklable(processors: Sequence[Processor]) -> bool:
    try:
        pickle.dumps(list(processors))
        return True
    except Exception:  # noqa: BLE001 - then the writer prepares them itself
        return False


def ingest_parallel(files: Iterable, db, processors: Sequence[Processor], hooks: Sequence[SchemaHook],
                    report: IngestReport, *, workers: int = 2, scheduler: str | None = None,
                    max_size: int, wait: float | None,
                    on_file: Callable | None, on_error: Callable | None, group_docs: int) -> None:
    known = _stored_ids(db, wait)
    batch = [p for p in processors if _batch_form(p) is not None]
    # Processors that cannot be sent to a worker are prepared here, in the writer.
    remote = list(processors) if batch and (scheduler or _picklable(processors)) else None
    if scheduler:
        ex = _Dask(scheduler, known)
    else:
        preload = sorted({getattr(p, "__module__", None) or type(p).__module__ for p in batch} - {"__main__"})
        ex = _Pool(workers, known, preload)
    try:
        stream = _Stream(files, ex, max_size, remote, report, on_file, on_error,
                         window=max(ex.window, 2 * group_docs))
        seen: set[str] = set()
        item = stream.next(None)
        while item is not _END:
            item = _write_stream(item, stream, seen, db, processors, hooks, report, wait, on_error,
                                 group_docs)
            if item is not _END:
                time.sleep(YIELD_SECONDS)
                if item is _NOT_READY:
                    item = stream.next(None)
    finally:
        ex.close()


def _write_stream(item, stream: _Stream, seen: set[str], db, processors: Sequence[Processor],
                  hooks: Sequence[SchemaHook], report: IngestReport, wait: float | None,
                  on_error: Callable | None, group_docs: int):
    """Open the store and write the stream's articles until it ends (then close with a
    checkpoint and return ``_END``) or a reader waits (then close without one and return
    the next item)."""
    conn = open_store(db, wait=wait, schema_hooks=hooks)
    opened_wall, opened = time.time(), time.monotonic()
    conn.execute("SET threads = 1")  # as the one-process ingest (docs/performance.md)
    held_since = time.monotonic()
    heads: dict = {}
    heads_before: dict = {}
    looked_up: set[str] = set()
    group: list = []

    def fail(source: str, article: Article, message: str) -> None:
        err = ReadError(source=article.source_path or source, message=message)
        report.errors.append(err)
        if on_error:
            on_error(err)

    def flush() -> None:
        if not group:
            return
        stored = known_ids(conn, [a.id for _, a, _ in group])
        urls = sorted({a.url for _, a, _ in group if a.url and a.url not in looked_up})
        if urls:
            found = current_versions(conn, urls)
            heads.update(found)
            heads_before.update(found)
            looked_up.update(urls)
        pending: list[_Pending] = []
        for source, a, payloads in group:
            if a.id in stored:
                report.unchanged += 1
                report.by_reader[a.reader or "?"] += 1
                continue
            pending.append(_prepare(source, a, heads.get(a.url) if a.url else None, processors, payloads,
                                    seconds=as_limits(stream.max_size).seconds))
            _advance(heads, a)
        group.clear()
        flush_group(conn, pending, processors, report, heads, heads_before, fail, seen.discard)

    done = False
    try:
        while item is not _END:
            if time.monotonic() - held_since > HOLD_SECONDS:
                if readers_waiting(db, opened_wall) or time.monotonic() - opened > MAX_HOLD_SECONDS:
                    flush()
                    return item
                held_since = time.monotonic()  # nobody is waiting: hold on
            if item is not _NOT_READY:
                source, a, payloads = item
                if a.id in seen:
                    report.unchanged += 1
                    report.by_reader[a.reader or "?"] += 1
                else:
                    seen.add(a.id)
                    group.append(item)
                    if len(group) >= group_docs:
                        flush()
            item = stream.next(HOLD_SECONDS)
        flush()
        done = True
        return _END
    finally:
        if not done:
            try:
                conn.execute("PRAGMA disable_checkpoint_on_shutdown")
            except duckdb.Error:
                pass
        conn.close()


def default_workers() -> int:
    return os.cpu_count() or 1
