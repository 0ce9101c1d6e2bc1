"""Budgets per document: how large a file, how long an article's text, how much wall time.

A hostile or broken document must cost bounded work and never block the batch. Every
document read by the ingest is held to:

* ``max_size`` — bytes per file (``--max-size``, default 20 MB): larger files are refused
  before they are read;
* ``max_text`` — characters of clean text per article (``--max-text``, default 2,000,000):
  a longer article is refused after reading, before extraction;
* ``seconds`` — wall-clock seconds (``--max-seconds``, default 60) for reading one file
  (decoding and the reader), and again for each processor's preparation (the extraction)
  of each of its articles. A read over budget is a failed document; an extraction over
  budget leaves the article stored without that processor's rows, its error recorded
  (``ingest_errors``), like any extraction that fails.

The readers and the extraction are linear in the document (long lines and long runs
without spaces included: ``heartland.extract.text.MAX_SENTENCE``), so the time budget is
a backstop. It is enforced with ``SIGALRM`` in the main thread of a process (the one-process
ingest and the worker processes of ``--workers N``); elsewhere (a thread, e.g. a Dask worker)
it is not enforced and only the size budgets hold.
"""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Iterator
from dataclasses import dataclass

#: Default per-file size limit (``--max-size``).
DEFAULT_MAX_SIZE = 20 * 1024 * 1024
#: Default limit of clean text per article, in characters (``--max-text``).
DEFAULT_MAX_TEXT = 2_000_000
#: Default wall-clock budget per document, in seconds (``--max-seconds``).
DEFAULT_SECONDS = 60.0


@dataclass(frozen=True)
class Limits:
    """The budgets of one ingest (see the module's docstring)."""

    max_size: int = DEFAULT_MAX_SIZE
    max_text: int = DEFAULT_MAX_TEXT
    seconds: float = DEFAULT_SECONDS


def as_limits(value: "int | Limits | None") -> Limits:
    """A byte count (the older ``max_size`` argument) or ``Limits`` -> ``Limits``."""
    if value is None:
        return Limits()
    if isinstance(value, Limits):
        return value
    return Limits(max_size=int(value))


class OverBudget(BaseException):
    """Raised inside work that ran past its wall-clock budget.

    A ``BaseException`` (like ``KeyboardInterrupt``), so that a library's ``except
    Exception`` cannot swallow it and carry on.
    """

    def __init__(self, seconds: float):
        super().__init__(f"over the {seconds:g} s budget per document")
        self.seconds = seconds


_state = threading.local()


def _enforceable() -> bool:
    return hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()


@contextlib.contextmanager
def time_budget(seconds: float | None) -> Iterator[None]:
    """Raise :class:`OverBudget` in the block once it has run ``seconds`` of wall time
    (then again every second, should something swallow it). A no-op outside a process's
    main thread, for ``seconds`` None or <= 0, and inside another budget (the outer one
    governs)."""
    if not seconds or seconds <= 0 or not _enforceable() or getattr(_state, "armed", False):
        yield
        return

    def on_alarm(_signum, _frame):
        if getattr(_state, "armed", False):
            raise OverBudget(seconds)

    previous = signal.signal(signal.SIGALRM, on_alarm)
    _state.armed = True
    signal.setitimer(signal.ITIMER_REAL, seconds, 1.0)
    try:
        yield
    finally:
        _state.armed = False  # first: an alarm arriving now does nothing
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous if previous is not None else signal.SIG_DFL)


def over_budget_message(seconds: float) -> str:
    return f"took over {seconds:g} s, the budget per document (raise it with --max-seconds)"
