"""The steps of ``heartland run``, in pipeline order. Each returns normally or raises UserError."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console

from heartland import paths


def run_all(corpus: Path | None, db: Path | None, out: Path, console: Console) -> int:
    db = db or paths.default_db_path()
    corpus = corpus or paths.shared_corpus_dir()
    out.mkdir(parents=True, exist_ok=True)
    code = 0
    if corpus is not None:
        from heartland.corpus.ingest import ingest_paths_cli

        console.rule(f"ingest {corpus}")
        code = ingest_paths_cli([corpus], db=db, console=console, show_articles=True)
    else:
        console.print("no shared corpus found: using the evidence bundled in the package")
    return code
