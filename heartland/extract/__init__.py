"""heartland.extract: articles to evidence (mentions, quantities, facts, events, quotes).

Public face (imported lazily so that ``heartland --help`` stays fast)::

    from heartland.extract import extract_article, process_article, ensure_schema
    x = extract_article(article)            # pure: an Extraction record, no database
    process_article(conn, article)          # the store processor (inside ingest's transaction)
    load_bundle(conn) / export_bundle(conn, path)   # the evidence bundled in the package

Ids, units, indicators, event types and hypotheses: docs/extract.md.
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS = {
    "extract_article": "heartland.extract.pipeline",
    "process_article": "heartland.extract.store_hook", "reprocess_article": "heartland.extract.store_hook",
    "ensure_schema": "heartland.extract.schema",
    "load_bundle": "heartland.extract.bundle", "export_bundle": "heartland.extract.bundle",
    "load_bundled_evidence": "heartland.extract.bundle", "BUNDLE_PATH": "heartland.extract.bundle",
    "sources_of": "heartland.extract.corroborate",
    "load_gazetteer": "heartland.extract.gazetteer", "affiliation_on": "heartland.extract.gazetteer",
    "load_catalogue": "heartland.extract.catalogue",
    "Extraction": "heartland.extract.records", "Mention": "heartland.extract.records",
    "Quantity": "heartland.extract.records", "Fact": "heartland.extract.records",
    "Event": "heartland.extract.records", "Quote": "heartland.extract.records",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(importlib.import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'heartland.extract' has no attribute {name!r}")
