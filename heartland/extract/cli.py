"""``heartland facts | events | quotes | mentions``: query the extracted evidence."""

from __future__ import annotations

import csv
import io
import json
import sys
from enum import Enum
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.table import Table

from heartland.cli_common import TABLE_LIMIT, at_precision, cap, collector_paused, dumps, nothing_found


class Format(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"


def _emit(rows: list[dict], fmt: Format, title: str, *, fields: tuple[str, ...] = (),
          filters: dict | None = None, limit: int | None = None) -> None:
    if limit is None:
        limit = TABLE_LIMIT if fmt is Format.table else 0
    total = len(rows)
    rows, note = cap(rows, limit)
    if fmt is Format.table and not rows:  # said in words, not an empty table
        sys.stdout.write(nothing_found(title, filters or {}) + "\n")
        return
    if fmt is Format.json:
        sys.stdout.write(dumps(rows) + "\n")
        return
    if fmt is Format.csv:
        buf = io.StringIO()
        if rows or fields:  # an empty result is still a csv file with its header
            w = csv.DictWriter(buf, fieldnames=list(rows[0]) if rows else list(fields))
            w.writeheader()
            for r in rows:
                w.writerow({k: json.dumps(v, ensure_ascii=False) if isinstance(v, (list, dict)) else v
                            for k, v in r.items()})
        sys.stdout.write(buf.getvalue())
        return
    table = Table(title=f"{title} ({len(rows)})" if len(rows) == total else f"{title} ({len(rows)} of {total:,})")
    cols = list(rows[0]) if rows else []
    for c in cols:
        table.add_column(c, overflow="fold", max_width=60 if c == "text" else None)
    for r in rows:
        table.add_row(*[at_precision(v, r.get("date_precision")) if c in ("date", "date_end") and v else _cell(c, v)
                        for c, v in r.items()])
    Console(width=None if sys.stdout.isatty() else 200).print(table)
    if note:
        Console(stderr=True).print(note, highlight=False)


def _cell(col: str, v) -> str:
    """Compact table cells: short article ids, spans as start-end, hypotheses as id:stance."""
    if v is None:
        return ""
    if col == "article_id":
        return str(v)[:8]
    if col == "sources":
        return f"{len(v)}: " + " ".join(s[:8] for s in v)
    if col == "span":
        return f"{v[0]}-{v[1]}"
    if col == "hypotheses":
        return " ".join(f"{h['id']}:{h['stance'][0]}" for h in v)
    if isinstance(v, list):
        return ", ".join(map(str, v))
    return str(v)


def _run(kind: str, db, fmt, **filters) -> None:
    from heartland.extract import query
    from heartland.store import session

    limit = filters.pop("limit", None)
    shown = dict(filters)  # as the user typed them, for "no quotes match --article …"
    filters["since"] = query.parse_date(filters.get("since"), "--since")
    filters["until"] = query.parse_date(filters.get("until"), "--until")
    with collector_paused():
        with session(db, read_only=True) as conn:
            rows = getattr(query, kind)(conn, **filters)
        _emit(rows, fmt, kind, fields=getattr(query, f"{kind[:-1].upper()}_FIELDS"), filters=shown, limit=limit)


def register(app: typer.Typer) -> None:
    def make(kind: str, doc: str, type_help: str):
        def cmd(
            actor: Optional[str] = typer.Option(None, "--actor", help="Actor id (docs/extract.md); groups included."),
            indicator: Optional[str] = typer.Option(None, "--indicator", help="Indicator id (facts)."),
            type_: Optional[str] = typer.Option(None, "--type", help=type_help),
            since: Optional[str] = typer.Option(None, "--since", help="YYYY or YYYY-MM-DD."),
            until: Optional[str] = typer.Option(None, "--until", help="YYYY or YYYY-MM-DD."),
            article: Optional[str] = typer.Option(None, "--article", help="Article id (or prefix)."),
            fmt: Format = typer.Option(Format.table, "--format", help="Output format."),
            db: Optional[Path] = typer.Option(None, "--db", envvar="HEARTLAND_DB", help="Store file."),
            limit: Optional[int] = typer.Option(None, "--limit", min=0,
                                                help=f"Rows to show (0: all; default {TABLE_LIMIT} in a table, "
                                                     "all in csv and json)."),
        ) -> None:
            _run(kind, db, fmt, actor=actor, indicator=indicator, type=type_, since=since, until=until,
                 article=article, limit=limit)
        cmd.__doc__ = doc
        app.command(kind)(cmd)

    make("facts", "Extracted facts with their sources (corroborating articles).", "Unit (e.g. share, USD_bn).")
    make("events", "Dated events with CAMEO code, QuadClass and Goldstein value.", "Event type (e.g. summit).")
    make("quotes", "Quotes and claims with speaker, affiliation and hypotheses.", "Hypothesis id.")
    make("mentions", "Actor mentions resolved to canonical ids.", "Mention kind (state, person, ...).")
