"""Build stores for the dashboard and report tests with the pipeline's own commands."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx


def build_seed_store(seeds_dir: Path, folder: Path) -> Path:
    """``heartland ingest SEEDS --db folder/seeds.duckdb``: articles plus whatever the
    installed stages derive from them during ingest (mentions, facts, events, quotes)."""
    db = folder / "seeds.duckdb"
    res = subprocess.run([sys.executable, "-m", "heartland.cli", "ingest", str(seeds_dir), "--db", str(db)],
                         capture_output=True, text=True, timeout=600)
    if res.returncode != 0 or not db.is_file():
        raise RuntimeError(f"ingest of the seeds failed ({res.returncode}):\n{res.stdout}\n{res.stderr}")
    # the seeds' hand-checked items as reviewed evidence, as `heartland run` does (docs/review.md)
    from heartland.review.seeds import SEED_DECISIONS
    res = subprocess.run([sys.executable, "-m", "heartland.cli", "review", "import", str(SEED_DECISIONS),
                          "--db", str(db)], capture_output=True, text=True, timeout=600)
    if res.returncode != 0:
        raise RuntimeError(f"import of the seed decisions failed ({res.returncode}):\n{res.stdout}\n{res.stderr}")
    return db


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, db: Path, runs_dir: Path, log: Path):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = log
        env = dict(os.environ, PYTHONUNBUFFERED="1")
        self._out = open(log, "w")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "heartland.cli", "serve", "--port", str(self.port), "--db", str(db),
             "--runs-dir", str(runs_dir), "--max-runs", "500"],
            stdout=self._out, stderr=subprocess.STDOUT, env=env)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited early:\n{log.read_text()}")
            try:
                if httpx.get(self.url + "/api/status", timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"server did not become ready:\n{log.read_text()}")

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
        self._out.close()
