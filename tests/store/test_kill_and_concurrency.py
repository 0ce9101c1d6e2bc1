"""Real processes: kill -9 mid-ingest then rerun == uninterrupted; a reader alongside a writer."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import duckdb
import pytest

from heartland.store import ingest, session

from .corpus_gen import make_corpus
from .test_store import dump

pytestmark = pytest.mark.slow

N_DOCS = 600


def _corpus(tmp_path_factory, name: str, n: int) -> Path:
    root = tmp_path_factory.mktemp(name)
    make_corpus(root, n, url_mod=n // 3)  # every URL has three versions
    return root


def _reference(corpus: Path, n: int, tmp_path_factory) -> list[tuple]:
    """The store of an uninterrupted ingest of ``corpus`` (n documents, three per URL)."""
    db = tmp_path_factory.mktemp("ref") / "ref.duckdb"
    r = ingest([corpus], db)
    assert (r.new, r.new_versions, r.failed) == (n // 3, n - n // 3, 0)
    return dump(db)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    return _corpus(tmp_path_factory, "killcorpus", N_DOCS)


@pytest.fixture(scope="module")
def reference(corpus, tmp_path_factory) -> list[tuple]:
    return _reference(corpus, N_DOCS, tmp_path_factory)


def _env():
    e = dict(os.environ)
    e.pop("HEARTLAND_DB", None)
    return e


def _count(db: Path) -> int:
    with session(db, read_only=True) as c:
        return c.execute("SELECT count(*) FROM articles").fetchone()[0]


SELF_KILL = textwrap.dedent("""
    import os, signal, sys
    from heartland.store import ingest
    seen = 0
    def killer(conn, article):
        # runs inside the article's open transaction, after its row was inserted
        global seen
        seen += 1
        if seen == int(sys.argv[3]):
            os.kill(os.getpid(), signal.SIGKILL)
    ingest([sys.argv[1]], sys.argv[2], processors=[killer])
""")


def test_kill_inside_a_transaction_then_rerun_equals_uninterrupted(corpus, reference, tmp_path):
    db = tmp_path / "k.duckdb"
    script = tmp_path / "selfkill.py"
    script.write_text(SELF_KILL)
    counts = []
    for k in (37, 300):  # kill twice, at different points, mid-batch and mid-transaction
        res = subprocess.run([sys.executable, str(script), str(corpus), str(db), str(k)],
                             env=_env(), capture_output=True, text=True, timeout=300)
        assert res.returncode == -signal.SIGKILL, res.stderr
        counts.append(_count(db) if db.exists() else 0)
    # Documents commit in groups (GROUP_DOCS): the killed document's open group is lost,
    # nothing of it is half-written. The first run dies at its 37th document, the second
    # at the 300th new one after what the first committed (groups of GROUP_DOCS = 256:
    # the second run commits its first group, then dies inside the second).
    assert counts[0] <= 36
    assert counts[0] < counts[1] <= counts[0] + 299
    r = ingest([corpus], db)
    assert r.unchanged == counts[1] and r.new + r.new_versions == N_DOCS - counts[1]
    assert dump(db) == reference


#: Documents for the external kill: enough that the ingest is still writing when it is
#: killed (documents are committed in groups, so 600 are written in well under a second).
N_BIG = 6000


@pytest.fixture(scope="module")
def big_corpus(tmp_path_factory) -> Path:
    return _corpus(tmp_path_factory, "bigcorpus", N_BIG)


@pytest.fixture(scope="module")
def big_reference(big_corpus, tmp_path_factory) -> list[tuple]:
    return _reference(big_corpus, N_BIG, tmp_path_factory)


def test_external_kill_9_then_rerun_equals_uninterrupted(big_corpus, big_reference, tmp_path):
    corpus, reference = big_corpus, big_reference
    db = tmp_path / "e.duckdb"
    cmd = [sys.executable, "-m", "heartland.cli", "ingest", str(corpus), "--db", str(db),
           "--no-extract"]
    proc = subprocess.Popen(cmd, env=_env(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    # Wait (reading between the writer's batches) until some articles are committed.
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline and proc.poll() is None:
        if db.exists():
            try:
                if _count(db) >= 50:
                    break
            except Exception:  # noqa: BLE001 - the file may be half-created at first
                pass
        time.sleep(0.05)
    time.sleep(0.2)  # the writer has the file again by now: kill it while it writes
    assert proc.poll() is None, "ingest finished before it could be killed; enlarge the corpus"
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=60)
    assert proc.returncode == -signal.SIGKILL, proc.stderr.read()
    partial = _count(db)
    assert 50 <= partial < N_BIG
    res = subprocess.run(cmd, env=_env(), capture_output=True, text=True, timeout=300)
    assert res.returncode == 0, res.stdout + res.stderr
    assert dump(db) == reference


READER = textwrap.dedent("""
    import json, sys, time
    from heartland.store import session
    from pathlib import Path
    db, stop_file = sys.argv[1], Path(sys.argv[2])
    counts = []
    while True:
        done = stop_file.exists()  # checked before reading: the last read sees the end
        with session(db, read_only=True, wait=20) as conn:
            counts.append(conn.execute("SELECT count(*) FROM articles").fetchone()[0])
        if done:
            break
        time.sleep(0.05)
    print(json.dumps(counts))
""")


def test_reader_process_reads_while_writer_ingests(big_corpus, tmp_path):
    corpus = big_corpus
    db = tmp_path / "c.duckdb"
    ingest([corpus / "d000" / "doc00000.txt"], db)  # the store exists before the reader starts
    first = _count(db)
    script = tmp_path / "reader.py"
    script.write_text(READER)
    stop = tmp_path / "writer-done"
    reader = subprocess.Popen([sys.executable, str(script), str(db), str(stop)], env=_env(),
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    writer = subprocess.Popen([sys.executable, "-m", "heartland.cli", "ingest", str(corpus),
                               "--db", str(db), "--no-extract"], env=_env(),
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    cli_reader = subprocess.run([sys.executable, "-m", "heartland.cli", "articles", "--format",
                                 "json", "--db", str(db)], env=_env(), capture_output=True,
                                text=True, timeout=300)
    assert writer.wait(timeout=300) == 0, writer.stderr.read()
    stop.touch()
    out, err = reader.communicate(timeout=300)
    assert reader.returncode == 0, err
    counts = json.loads(out)
    assert len(counts) >= 3 and counts == sorted(counts) and counts[0] >= first
    assert counts[-1] == N_BIG
    assert any(first < c < N_BIG for c in counts), counts  # it read mid-ingest
    assert cli_reader.returncode == 0, cli_reader.stderr
    assert isinstance(json.loads(cli_reader.stdout), list)
    assert _count(db) == N_BIG


def test_reader_gives_up_with_a_clear_message(tmp_path):
    db = tmp_path / "busy.duckdb"
    ingest([Path(__file__).resolve().parent.parent / "fixtures" / "corpus" / "plain.txt"], db)
    holder = duckdb.connect(str(db))  # this process holds the write lock
    try:
        env = _env() | {"HEARTLAND_DB_WAIT": "1"}
        t0 = time.monotonic()
        res = subprocess.run([sys.executable, "-m", "heartland.cli", "articles", "--db", str(db)],
                             env=env, capture_output=True, text=True, timeout=120)
        assert res.returncode == 2
        assert "in use by another process" in res.stderr and "gave up after 1 s" in res.stderr
        assert "Traceback" not in res.stderr and len(res.stderr.strip().splitlines()) == 1
        assert time.monotonic() - t0 >= 1.0
    finally:
        holder.close()
