"""Files, directories and standard input to articles: the corpus stage's library face.

``read_path`` yields one result per article or per problem; it never raises for a bad
document (a :class:`ReadError` names the file and the problem instead).
"""

from __future__ import annotations

import os
import stat
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

from heartland.corpus import readers
from heartland.corpus.build import EmptyArticle
from heartland.corpus.decode import DecodeError, decode_bytes
from heartland.corpus.limits import (
    DEFAULT_MAX_SIZE,
    Limits,
    OverBudget,
    as_limits,
    over_budget_message,
    time_budget,
)
from heartland.corpus.results import ReaderError, ReadError, ReadResult

STDIN = "-"


def parse_size(value: str | int) -> int:
    """``20MB``, ``512k``, ``1.5 GB`` or a byte count -> bytes (ValueError when unreadable)."""
    if isinstance(value, int):
        return value
    s = str(value).strip().upper().replace(" ", "")
    units = {"": 1, "B": 1, "K": 1024, "KB": 1024, "KIB": 1024, "M": 1024**2, "MB": 1024**2,
             "MIB": 1024**2, "G": 1024**3, "GB": 1024**3, "GIB": 1024**3}
    num = s.rstrip("KMGIB")
    unit = s[len(num):]
    if unit not in units or not num:
        raise ValueError(f"not a size: {value!r} (use e.g. 20MB, 512KB)")
    n = float(num)
    if n <= 0:
        raise ValueError(f"size must be positive: {value!r}")
    return int(n * units[unit])


def _mb(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MB" if n >= 1024 * 1024 else f"{n / 1024:.1f} KB"


def read_bytes(data: bytes, source: str, limits: Limits | None = None) -> list[ReadResult]:
    """Decode, sniff and read one document's bytes, within ``limits`` (its time budget and
    the clean-text limit per article; ``heartland.corpus.limits``)."""
    limits = limits or Limits()
    try:
        with time_budget(limits.seconds):
            results = _read_bytes(data, source)
    except OverBudget as exc:
        return [ReadError(source=source, message=over_budget_message(exc.seconds))]
    out: list[ReadResult] = []
    for r in results:
        if not isinstance(r, ReadError) and len(r.text) > limits.max_text:
            r = ReadError(source=source, message=f"article text is {len(r.text):,} characters, over the "
                          f"{limits.max_text:,} limit per article (raise it with --max-text)")
        out.append(r)
    return out


def _read_bytes(data: bytes, source: str) -> list[ReadResult]:
    if not data.strip():
        return [ReadError(source=source, message="empty file" if not data else
                          "empty file (only whitespace)")]
    try:
        text, _enc = decode_bytes(data)
    except DecodeError as exc:
        return [ReadError(source=source, message=str(exc))]
    if not text.strip():
        return [ReadError(source=source, message="empty file (only whitespace)")]
    reader = readers.sniff(text)
    try:
        return list(reader.read(text, source))
    except (ReaderError, EmptyArticle) as exc:
        return [ReadError(source=source, message=f"{reader.NAME}: {exc}")]
    except RecursionError:
        return [ReadError(source=source, message=f"{reader.NAME}: document nested too deeply")]
    except Exception as exc:  # noqa: BLE001 - a reader bug must not lose the rest of the batch
        return [ReadError(source=source,
                          message=f"{reader.NAME}: internal error {type(exc).__name__}: {exc}")]


def source_name(path: Path | str) -> str:
    """A file's name as text that can be stored and printed: bytes of a name that are not
    UTF-8 (kept by Python as surrogates) become ``\\xNN`` escapes."""
    s = str(path)
    try:
        s.encode("utf-8")
        return s
    except UnicodeEncodeError:
        return s.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace") \
            .encode("utf-8", "backslashreplace").decode("utf-8")


def read_file(path: Path, max_size: int | Limits = DEFAULT_MAX_SIZE) -> list[ReadResult]:
    """One file's articles or errors. ``max_size``: the byte limit, or all the :class:`Limits`."""
    limits = as_limits(max_size)
    max_size = limits.max_size
    source = source_name(path)
    try:
        st = path.stat()
        if not stat.S_ISREG(st.st_mode):
            kind = "a directory" if stat.S_ISDIR(st.st_mode) else "not a regular file"
            return [ReadError(source=source, message=f"cannot read: {kind} (fifo, socket or device)"
                              if kind != "a directory" else "is a directory")]
        size = st.st_size
        if size > max_size:
            return [ReadError(source=source, message=f"file is {_mb(size)}, over the "
                              f"{_mb(max_size)} limit (raise it with --max-size)")]
        with open(path, "rb") as fh:
            data = fh.read(max_size + 1)
    except PermissionError:
        return [ReadError(source=source, message="cannot read: permission denied")]
    except IsADirectoryError:
        return [ReadError(source=source, message="is a directory")]
    except FileNotFoundError:
        return [ReadError(source=source, message="no such file (or a broken link)")]
    except OSError as exc:
        return [ReadError(source=source, message=f"cannot read: {exc.strerror or exc}")]
    if len(data) > max_size:
        return [ReadError(source=source, message=f"file grew over the {_mb(max_size)} limit")]
    return read_bytes(data, source, limits)


def read_stream(stream: BinaryIO, max_size: int | Limits = DEFAULT_MAX_SIZE,
                source: str = "<stdin>") -> list[ReadResult]:
    limits = as_limits(max_size)
    max_size = limits.max_size
    data = stream.read(max_size + 1)
    if len(data) > max_size:
        return [ReadError(source=source, message=f"input is over the {_mb(max_size)} limit "
                          "(raise it with --max-size)")]
    return read_bytes(data, source, limits)


def iter_files(paths: Iterable[str | Path]) -> Iterator[Path | str]:
    """Files named, and files under directories (recursively, sorted, hidden names
    skipped, symlinked directories not followed); ``-`` passes through for stdin."""
    for p in paths:
        if str(p) == STDIN:
            yield STDIN
            continue
        path = Path(p)
        if path.is_dir():
            for root, dirs, files in os.walk(path, followlinks=False):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for f in sorted(files):
                    if not f.startswith("."):
                        yield Path(root) / f
        else:
            yield path


def read_path(path: str | Path, max_size: int | Limits = DEFAULT_MAX_SIZE) -> Iterator[ReadResult]:
    """Every article (or error) in a file, a directory tree, or ``-`` (stdin)."""
    for f in iter_files([path]):
        if f == STDIN:
            yield from read_stream(sys.stdin.buffer, max_size)
        else:
            yield from read_file(Path(f), max_size)
