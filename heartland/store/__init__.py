"""heartland.store: the DuckDB evidence database.

Public face::

    from heartland.store import open_store, session, ingest, list_articles, get_article
    report = ingest(["news/"], db="heartland.duckdb", processors=[my_processor])
    with session("heartland.duckdb", read_only=True) as conn:
        arts = list_articles(conn)
"""

from heartland.store.articles import count_articles, get_article, list_articles, version_info
from heartland.store.db import StoreBusy, open_store, session
from heartland.store.ingest import IngestReport, Processor, ingest, ingest_articles, write_one
from heartland.store.schema import ensure_schema

__all__ = [
    "IngestReport", "Processor", "StoreBusy", "count_articles", "ensure_schema", "get_article",
    "ingest", "ingest_articles", "list_articles", "open_store", "session", "version_info",
    "write_one",
]
