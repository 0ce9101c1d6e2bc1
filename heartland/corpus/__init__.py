"""heartland.corpus: documents (files, pages, feeds) to clean :class:`Article` records.

Public face::

    from heartland.corpus import read_path, read_bytes, Article, ReadError
    for result in read_path("news/"):          # a file, a directory (recursive) or "-"
        if isinstance(result, ReadError): print(result)
        else: print(result.title, result.published)

Names are imported lazily so that ``heartland --help`` stays fast.
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS = {
    "DEFAULT_MAX_SIZE": "heartland.corpus.reader", "iter_files": "heartland.corpus.reader",
    "parse_size": "heartland.corpus.reader", "read_bytes": "heartland.corpus.reader",
    "read_file": "heartland.corpus.reader", "read_path": "heartland.corpus.reader",
    "read_stream": "heartland.corpus.reader",
    "PARAGRAPH_SEP": "heartland.corpus.records", "PUBLIC_FIELDS": "heartland.corpus.records",
    "Article": "heartland.corpus.records", "article_id": "heartland.corpus.records",
    "ReadError": "heartland.corpus.results", "ReadResult": "heartland.corpus.results",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(importlib.import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'heartland.corpus' has no attribute {name!r}")
