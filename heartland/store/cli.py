"""``heartland articles`` and ``heartland show``: read-only queries of the store."""

from __future__ import annotations

import csv
import io
import json
import sys
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Optional

import typer
from rich.console import Console

from heartland.cli_common import TABLE_LIMIT, collector_paused, dumps, nothing_found, shown_note

if TYPE_CHECKING:  # pydantic loads only when a command runs
    from heartland.corpus.records import Article


class ListFormat(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"


class ShowFormat(str, Enum):
    text = "text"
    json = "json"


def record(a: Article, fields: tuple[str, ...]) -> dict:
    """An article as a JSON-ready dict with exactly ``fields`` (ISO times with offsets)."""
    out = {}
    for f in fields:
        v = getattr(a, f)
        if f in ("published", "ingested_at") and v is not None:
            v = v.isoformat()
        out[f] = v
    return out


def _list_articles(fmt: ListFormat, db: Path | None, all_versions: bool, limit: int | None) -> None:
    """``heartland articles``: read the listed rows and print them in ``fmt``."""
    from heartland.store import session
    from heartland.store.listing import LIST_FIELDS, article_rows, count_rows

    # A table shows the latest few: only those are read (json and csv read all, or --limit).
    shown = (TABLE_LIMIT if limit is None else limit) if fmt is ListFormat.table else limit
    with session(db, read_only=True) as conn:
        rows = article_rows(conn, all_versions=all_versions, latest=shown or None)
        total = count_rows(conn, all_versions=all_versions) if shown else len(rows)
    if fmt is ListFormat.json:
        sys.stdout.write(dumps(rows) + "\n")
    elif fmt is ListFormat.csv:
        buf = io.StringIO()
        w = csv.DictWriter(buf, fieldnames=list(LIST_FIELDS), lineterminator="\n")
        w.writeheader()
        for r in rows:
            w.writerow({k: "; ".join(v) if isinstance(v, list) else ("" if v is None else v)
                        for k, v in r.items()})
        sys.stdout.write(buf.getvalue())
    elif not rows:
        sys.stdout.write(nothing_found("articles", {"all_versions": all_versions}) + "\n")
    else:
        from heartland.store.views import article_rows_table

        Console().print(article_rows_table(rows, total=total))
        if total > len(rows):
            Console(stderr=True).print(shown_note(len(rows), total, latest=True), highlight=False)


def register(app: typer.Typer) -> None:
    @app.command("articles")
    def articles_cmd(
        fmt: ListFormat = typer.Option(ListFormat.table, "--format", help="Output format."),
        db: Optional[Path] = typer.Option(None, "--db", envvar="HEARTLAND_DB", help="Store file."),
        all_versions: bool = typer.Option(False, "--all-versions",
                                          help="Include superseded versions of an article."),
        limit: Optional[int] = typer.Option(None, "--limit", min=0,
                                            help=f"Show the latest N (0: all; default {TABLE_LIMIT} in a table, "
                                                 "all in csv and json)."),
    ) -> None:
        """List stored articles, one row each (every field except paragraphs)."""
        with collector_paused():
            _list_articles(fmt, db, all_versions, limit)

    @app.command("show")
    def show_cmd(
        article_id: str = typer.Argument(..., metavar="ID", help="Article id (or a unique prefix)."),
        fmt: ShowFormat = typer.Option(ShowFormat.text, "--format", help="Output format."),
        db: Optional[Path] = typer.Option(None, "--db", envvar="HEARTLAND_DB", help="Store file."),
    ) -> None:
        """Show one stored article: its record and clean text."""
        from heartland.corpus.records import PUBLIC_FIELDS
        from heartland.store import get_article, session, version_info

        with session(db, read_only=True) as conn:
            a = get_article(conn, article_id)
            versions = version_info(conn, a.id)
        if fmt is ShowFormat.json:
            sys.stdout.write(json.dumps(record(a, PUBLIC_FIELDS), ensure_ascii=False, indent=2)
                             + "\n")
            return
        lines = [a.title, "=" * min(len(a.title) * 2, 60)]
        for label, value in (
            ("id", a.id), ("url", a.url), ("outlet", a.outlet), ("via", a.via),
            ("authors", ", ".join(a.authors)),
            ("published", a.published.isoformat() if a.published else None),
            ("language", a.language), ("script", a.script), ("source", a.source_path),
            ("ingested", a.ingested_at.isoformat() if a.ingested_at else None),
            ("version", f"{versions.get('version')}"
                        + (f" (supersedes {versions['supersedes']})" if versions.get("supersedes") else "")
                        + (f" (superseded by {versions['superseded_by']})"
                           if versions.get("superseded_by") else "")),
        ):
            if value:
                lines.append(f"{label:>10}: {value}")
        lines.append("")
        lines += [p + "\n" for p in a.paragraphs]
        if a.captions:
            lines.append("captions:")
            lines += [f"  - {c}" for c in a.captions]
        sys.stdout.write("\n".join(lines) + "\n")
