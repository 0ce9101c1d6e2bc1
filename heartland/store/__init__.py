"""heartland.store: the DuckDB evidence database.

Public face::

    from heartland.store import open_store, session, ingest, list_articles, get_article
    report = ingest(["news/"], db="heartland.duckdb", processors=[my_processor])
    with session("heartland.duckdb", read_only=True) as conn:
        arts = list_articles(conn)

Names are imported lazily so that ``heartland --help`` stays fast.
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS = {
    "count_articles": "heartland.store.articles", "get_article": "heartland.store.articles",
    "list_articles": "heartland.store.articles", "version_info": "heartland.store.articles",
    "write_article": "heartland.store.articles",
    "StoreBusy": "heartland.store.db", "open_store": "heartland.store.db",
    "session": "heartland.store.db",
    "IngestReport": "heartland.store.ingestion", "Processor": "heartland.store.ingestion",
    "ingest": "heartland.store.ingestion", "ingest_articles": "heartland.store.ingestion",
    "write_one": "heartland.store.ingestion",
    "ensure_schema": "heartland.store.schema",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(importlib.import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'heartland.store' has no attribute {name!r}")
