"""Two processes at once: `heartland review accept` while `heartland ingest` writes; nothing is lost."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import duckdb
import pytest

from heartland.review.schema import items_with_state_sql

import importlib.util
from pathlib import Path

_spec = importlib.util.spec_from_file_location("_corpus_gen", Path(__file__).parent.parent / "store" / "corpus_gen.py")
_mod = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_mod)
make_corpus = _mod.make_corpus

pytestmark = pytest.mark.slow

N_DOCS = 1500


def test_review_and_ingest_at_once_lose_nothing(store, tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    make_corpus(corpus, N_DOCS, url_mod=N_DOCS)
    with duckdb.connect(str(store), read_only=True) as c:
        keys = [k for (k,) in c.execute(f"SELECT item_key FROM ({items_with_state_sql(c)})").fetchall()]
        before = c.execute("SELECT count(*) FROM articles").fetchone()[0]
    env = dict(os.environ)
    env.pop("HEARTLAND_DB", None)
    env["HEARTLAND_DB_WAIT"] = "120"
    writer = subprocess.Popen([sys.executable, "-m", "heartland.cli", "ingest", str(corpus), "--db", str(store),
                               "--no-extract"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    time.sleep(0.5)
    results = []
    for i, k in enumerate(keys):
        state = "accept" if i % 2 == 0 else "reject"
        res = subprocess.run([sys.executable, "-m", "heartland.cli", "review", state, k, "--reason", f"r{i}",
                              "--by", "tester", "--db", str(store)], env=env, capture_output=True, text=True,
                             timeout=300)
        results.append((res.returncode, res.stderr, writer.poll()))
    assert writer.wait(timeout=600) == 0, writer.stderr.read()
    assert all(rc == 0 for rc, _, _ in results), results
    assert any(p is None for _, _, p in results), "the ingest ended before any decision; enlarge the corpus"
    with duckdb.connect(str(store), read_only=True) as c:
        assert c.execute("SELECT count(*) FROM articles").fetchone()[0] >= before + N_DOCS
        got = dict(c.execute("SELECT item_key, state FROM review_decisions").fetchall())
        assert c.execute("SELECT count(*) FROM review_log").fetchone()[0] == len(keys)
    assert got == {k: ("accepted" if i % 2 == 0 else "rejected") for i, k in enumerate(keys)}
