"""``heartland ingest`` glue: progress bar, one line per bad file, summary table, exit code.

The library work is :func:`heartland.store.ingest`; this module only shows it.
"""

from __future__ import annotations

import importlib
import importlib.util
from collections.abc import Sequence
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from heartland.corpus.limits import DEFAULT_MAX_SIZE, DEFAULT_MAX_TEXT, DEFAULT_SECONDS
from heartland.corpus.reader import iter_files
from heartland.corpus.results import ReadError

EXTRACT_HOOK = "heartland.extract.store_hook"


def extract_processors(console: Console | None = None) -> tuple[list, list]:
    """The extraction stage's processor and schema hook, when that stage is installed."""
    try:
        if importlib.util.find_spec(EXTRACT_HOOK) is None:
            return [], []
        mod = importlib.import_module(EXTRACT_HOOK)
    except Exception as exc:  # noqa: BLE001 - a broken later stage must not block reading
        if console is not None:
            console.print(Text(f"warning: extraction hook unavailable ({type(exc).__name__}: "
                               f"{exc}); storing articles only", style="yellow"))
        return [], []
    procs = [mod.process_article] if hasattr(mod, "process_article") else []
    hooks = [mod.ensure_schema] if hasattr(mod, "ensure_schema") else []
    return procs, hooks


def _error_line(err: ReadError) -> Text:
    return Text.assemble(("✗ ", "bold red"), (str(err), ""))


def ingest_paths_cli(paths: Sequence[str | Path], db: str | Path | None = None,
                     console: Console | None = None, *, max_size: int = DEFAULT_MAX_SIZE,
                     max_text: int = DEFAULT_MAX_TEXT, max_seconds: float = DEFAULT_SECONDS,
                     use_extract: bool = True, show_articles: bool = False,
                     workers: int = 1, scheduler: str | None = None) -> int:
    """Ingest ``paths`` into ``db`` with a progress bar and a summary; return the exit code
    (0 when every file was read and stored, 1 when anything failed). ``show_articles``
    also prints the store's article table (``heartland run`` does)."""
    from heartland.store import ingest
    from heartland.store.db import resolve

    console = console or Console()
    procs, hooks = extract_processors(console) if use_extract else ([], [])
    files = list(iter_files(paths))
    progress = Progress(TextColumn("[bold]ingest"), BarColumn(), MofNCompleteColumn(),
                        TextColumn("files"), TimeElapsedColumn(),
                        TextColumn("{task.fields[current]}", style="dim"),
                        console=console, transient=False)
    with progress:
        task = progress.add_task("ingest", total=len(files), current="")

        def on_file(source: str, results: list) -> None:
            name = Path(source).name
            progress.update(task, advance=1, current=name[-40:])
            for r in results or []:
                for w in getattr(r, "warnings", None) or []:
                    progress.console.print(Text.assemble(("! ", "bold yellow"), (w, "")),
                                           soft_wrap=True, highlight=False)

        def on_error(err: ReadError) -> None:
            progress.console.print(_error_line(err), soft_wrap=True, highlight=False)

        report = ingest(paths, db, processors=procs, schema_hooks=hooks, max_size=max_size,
                        max_text=max_text, max_seconds=max_seconds,
                        on_file=on_file, on_error=on_error, files=files,
                        workers=workers, scheduler=scheduler)
        progress.update(task, current="")

    table = Table(title=f"ingest summary — store {resolve(db)}", show_header=True)
    table.add_column("")
    table.add_column("count", justify="right")
    table.add_row("files read", str(report.files))
    table.add_row("articles stored (new)", str(report.new))
    table.add_row("new versions of known URLs", str(report.new_versions))
    table.add_row("unchanged (already stored)", str(report.unchanged))
    table.add_row(Text("failed", style="red" if report.failed else ""), str(report.failed))
    for reader, n in sorted(report.by_reader.items()):
        table.add_row(Text(f"  via reader {reader}", style="dim"), str(n))
    mb = report.bytes / 1024 / 1024
    table.caption = f"{mb:.2f} MB in {report.seconds:.2f} s"
    if procs:
        table.caption += " · extraction ran in the same transactions"
    if scheduler or workers > 1:
        table.caption += f" · read and extracted {'on ' + scheduler if scheduler else f'in {workers} processes'}"
    console.print(table)
    if procs and report.new + report.new_versions:
        # a reviewer's kept impacts (heartland review) are recomputed in the background now,
        # so the first listing after this ingest finds them ready (docs/review.md, "Impact")
        from heartland.review.impact import after_ingest
        after_ingest(resolve(db))
    if show_articles and resolve(db).exists():
        from heartland.store import list_articles, session
        from heartland.store.views import articles_table

        with session(db, read_only=True) as conn:
            console.print(articles_table(list_articles(conn), title="articles in the store"))
    return 1 if report.errors else 0
