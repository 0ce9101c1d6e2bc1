"""Build stores for the dashboard and report tests with the pipeline's own commands."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def build_seed_store(seeds_dir: Path, folder: Path) -> Path:
    """``heartland ingest SEEDS --db folder/seeds.duckdb``: articles plus whatever the
    installed stages derive from them during ingest (mentions, facts, events, quotes)."""
    db = folder / "seeds.duckdb"
    res = subprocess.run([sys.executable, "-m", "heartland.cli", "ingest", str(seeds_dir), "--db", str(db)],
                         capture_output=True, text=True, timeout=600)
    if res.returncode != 0 or not db.is_file():
        raise RuntimeError(f"ingest of the seeds failed ({res.returncode}):\n{res.stdout}\n{res.stderr}")
    return db
