"""``heartland ingest PATH... [--db FILE] [--max-size 20MB] [--max-text CHARS] [--max-seconds S]``."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer
from rich.console import Console

from heartland.errors import UserError


def register(app: typer.Typer) -> None:
    @app.command("ingest")
    def ingest_cmd(
        paths: list[str] = typer.Argument(..., help="Files, directories (read recursively) "
                                          "or - for standard input.", metavar="PATH..."),
        db: Optional[Path] = typer.Option(None, "--db", envvar="HEARTLAND_DB",
                                          help="Store file (default ./heartland.duckdb)."),
        max_size: str = typer.Option("20MB", "--max-size", help="Skip files larger than this."),
        max_text: int = typer.Option(2_000_000, "--max-text", min=1, metavar="CHARS",
                                     help="Refuse articles with more clean text than this (characters)."),
        max_seconds: float = typer.Option(60.0, "--max-seconds", min=0.1, metavar="SECONDS",
                                          help="Wall-clock budget per document: for reading a file, "
                                               "and again for extracting each article."),
        no_extract: bool = typer.Option(False, "--no-extract",
                                        help="Store articles only; skip the extraction stage."),
        workers: int = typer.Option(1, "--workers", min=1,
                                    help="Read and extract in N processes (this one writes the store)."),
        scheduler: Optional[str] = typer.Option(None, "--scheduler", metavar="ADDRESS",
                                                help="Read and extract on this Dask cluster "
                                                     "(e.g. tcp://host:8786) instead."),
    ) -> None:
        """Read documents (any supported format, sniffed from content) into the store."""
        from heartland.corpus.ingest import ingest_paths_cli
        from heartland.corpus.reader import parse_size

        try:
            limit = parse_size(max_size)
        except ValueError as exc:
            raise UserError(str(exc), path="--max-size") from None
        code = ingest_paths_cli(paths, db=db, console=Console(), max_size=limit, max_text=max_text,
                                max_seconds=max_seconds,
                                use_extract=not no_extract, workers=workers, scheduler=scheduler)
        raise typer.Exit(code)
