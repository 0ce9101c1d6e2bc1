"""Rich renderings of stored articles shared by ``heartland articles`` and ``heartland run``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.table import Table
from rich.text import Text

if TYPE_CHECKING:  # the pydantic models (0.1 s) are not needed to lay out listing rows
    from heartland.corpus.records import Article


def _article_columns(t: Table) -> Table:
    """The article listing's columns (shared by the two table builders below)."""
    t.add_column("id", no_wrap=True)
    t.add_column("published", no_wrap=True)
    t.add_column("outlet", overflow="fold", max_width=16)
    t.add_column("via", overflow="fold", max_width=8)
    t.add_column("title", overflow="fold", min_width=20, ratio=3)
    t.add_column("authors", overflow="fold", max_width=20)
    t.add_column("script", no_wrap=True)
    return t


def articles_table(arts: list[Article], title: str | None = None) -> Table:
    t = _article_columns(Table(title=title or f"{len(arts)} articles"))
    for a in arts:
        t.add_row(a.id, a.published.date().isoformat() if a.published else "", a.outlet or "",
                  a.via or "", Text(a.title[:60]), ", ".join(a.authors), a.script)
    return t


def article_rows_table(rows: list[dict], total: int | None = None) -> Table:
    """The same table from listing rows (heartland.store.listing), without building Articles."""
    n = len(rows)
    t = _article_columns(Table(title=f"{n} articles" if total in (None, n) else f"{n} of {total:,} articles"))
    for a in rows:
        t.add_row(a["id"], (a["published"] or "")[:10], a["outlet"] or "", a["via"] or "",
                  Text((a["title"] or "")[:60]), ", ".join(a["authors"]), a["script"] or "")
    return t
