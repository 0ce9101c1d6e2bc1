"""``heartland run``: the README's main job, end to end.

Steps (each a library call a notebook user can make too):
1. ingest the shared corpus when it exists (``../shared/corpus`` or ``--corpus``),
   otherwise load the evidence bundled in the package;
2. later stages extend this: build the world, compute indices, run the bundled
   scenarios and issue forecasts, write the report.
"""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer
from rich.console import Console

console = Console()


def register(app: typer.Typer) -> None:
    @app.command("run")
    def run_cmd(
        corpus: Optional[Path] = typer.Option(None, "--corpus", help="Directory of documents to ingest "
                                              "(default: ../shared/corpus when it exists)."),
        db: Optional[Path] = typer.Option(None, "--db", envvar="HEARTLAND_DB", help="Store file."),
        out: Path = typer.Option(Path("out"), "--out", help="Directory for the report and run outputs."),
    ) -> None:
        """Run the whole pipeline on the corpus (or the bundled data) and write the report."""
        from heartland.run_steps import run_all

        code = run_all(corpus=corpus, db=db, out=out, console=console)
        raise typer.Exit(code)
