"""The store: idempotent re-ingest, versions, processors and schema hooks, CLI queries."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from heartland.corpus import Article, read_path
from heartland.errors import UserError
from heartland.store import (
    count_articles,
    get_article,
    ingest,
    ingest_articles,
    list_articles,
    open_store,
    session,
    version_info,
)

from .corpus_gen import make_corpus

FIX = Path(__file__).resolve().parent.parent / "fixtures" / "corpus"


def dump(db: Path) -> list[tuple]:
    """Every stored value except the ingest timestamp, in a stable order."""
    with session(db, read_only=True) as c:
        cols = [r[0] for r in c.execute("DESCRIBE articles").fetchall() if r[0] != "ingested_at"]
        return c.execute(f"SELECT {', '.join(cols)} FROM articles ORDER BY id").fetchall()


def test_reingest_changes_nothing(tmp_db):
    r1 = ingest([FIX], tmp_db)
    assert r1.new == 16 and r1.failed == 2 and r1.files == 13
    before = dump(tmp_db)
    with session(tmp_db, read_only=True) as c:
        stamps = c.execute("SELECT id, ingested_at FROM articles ORDER BY id").fetchall()
    r2 = ingest([FIX], tmp_db)
    assert (r2.new, r2.new_versions, r2.unchanged) == (0, 0, 16)
    assert dump(tmp_db) == before
    with session(tmp_db, read_only=True) as c:
        assert c.execute("SELECT id, ingested_at FROM articles ORDER BY id").fetchall() == stamps


def test_same_url_changed_text_is_a_new_linked_version(tmp_path, tmp_db):
    f = tmp_path / "a.txt"
    f.write_text("Title: Dam talks\nURL: https://x.example/dam\n\nFirst version of the story.\n")
    ingest([f], tmp_db)
    f.write_text("Title: Dam talks\nURL: https://x.example/dam\n\nCorrected version of the story.\n")
    r = ingest([f], tmp_db)
    assert r.new_versions == 1
    with session(tmp_db, read_only=True) as c:
        rows = c.execute("SELECT id, version, supersedes FROM articles ORDER BY version").fetchall()
        assert len(rows) == 2
        (old, v1, s1), (new, v2, s2) = rows
        assert (v1, s1, v2, s2) == (1, None, 2, old)
        assert version_info(c, old)["superseded_by"] == new
        assert [a.id for a in list_articles(c)] == [new]
        assert {a.id for a in list_articles(c, all_versions=True)} == {old, new}
    # Re-ingesting the old text again changes nothing.
    f.write_text("Title: Dam talks\nURL: https://x.example/dam\n\nFirst version of the story.\n")
    assert ingest([f], tmp_db).unchanged == 1


def test_round_trip_preserves_the_record(tmp_db):
    arts = [a for a in read_path(FIX) if isinstance(a, Article)]
    ingest_articles(arts, tmp_db)
    with session(tmp_db, read_only=True) as c:
        for a in arts:
            b = get_article(c, a.id)
            assert b.model_dump(exclude={"ingested_at"}) == a.model_dump(exclude={"ingested_at"})
            assert b.published == a.published and (
                b.published is None or b.published.utcoffset() == a.published.utcoffset())
            assert b.ingested_at is not None and b.ingested_at.utcoffset().total_seconds() == 0


def test_processors_run_in_the_same_transaction_and_can_create_tables(tmp_db):
    seen = []

    def ensure_schema(conn):
        conn.execute("CREATE TABLE IF NOT EXISTS lengths (article_id VARCHAR, n INTEGER)")

    def processor(conn, article):
        seen.append(article.id)
        conn.execute("INSERT INTO lengths VALUES (?, ?)", [article.id, len(article.text)])

    processor.ensure_schema = ensure_schema
    r = ingest([FIX], tmp_db, processors=[processor])
    assert r.new == 16 and len(seen) == 16
    with session(tmp_db, read_only=True) as c:
        assert c.execute("SELECT count(*) FROM lengths").fetchone()[0] == 16
    ingest([FIX], tmp_db, processors=[processor])
    assert len(seen) == 16  # unchanged articles are not processed again


def test_failing_processor_rolls_back_that_document_only(tmp_db):
    def hook(conn):
        conn.execute("CREATE TABLE IF NOT EXISTS marks (article_id VARCHAR)")

    def flaky(conn, article):
        conn.execute("INSERT INTO marks VALUES (?)", [article.id])
        if article.title.startswith("Ferry"):
            raise RuntimeError("boom")

    r = ingest([FIX], tmp_db, processors=[flaky], schema_hooks=[hook])
    msgs = [e.message for e in r.errors]
    assert any("processor" in m and "flaky" in m and "boom" in m for m in msgs)
    assert r.new == 15
    with session(tmp_db, read_only=True) as c:
        titles = {t for (t,) in c.execute("SELECT title FROM articles").fetchall()}
        assert not any(t.startswith("Ferry") for t in titles)
        n_marks = c.execute("SELECT count(*) FROM marks").fetchone()[0]
        assert n_marks == 15  # the failed document's row was rolled back with it


def test_open_store_errors_are_user_errors(tmp_path):
    with pytest.raises(UserError, match="no store here yet"):
        open_store(tmp_path / "missing.duckdb", read_only=True)
    with pytest.raises(UserError, match="directory does not exist"):
        open_store(tmp_path / "no" / "dir.duckdb")
    junk = tmp_path / "junk.duckdb"
    junk.write_bytes(b"this is not a database file at all" * 100)
    with pytest.raises(UserError):
        open_store(junk, read_only=True)


def test_default_db_path_and_env(tmp_path, monkeypatch):
    from heartland import paths

    monkeypatch.delenv("HEARTLAND_DB", raising=False)
    monkeypatch.chdir(tmp_path)
    assert paths.default_db_path() == tmp_path / "heartland.duckdb"
    monkeypatch.setenv("HEARTLAND_DB", str(tmp_path / "other.duckdb"))
    ingest([FIX / "plain.txt"], None)
    assert (tmp_path / "other.duckdb").exists() and not (tmp_path / "heartland.duckdb").exists()


def _cli(*args, env=None, input=None, cwd=None):
    """A real ``heartland`` process (slow to start: used where stdin/exit codes matter)."""
    e = dict(os.environ)
    e.update(env or {})
    return subprocess.run([sys.executable, "-m", "heartland.cli", *args], capture_output=True,
                          text=True, env=e, input=input, cwd=cwd, timeout=300)


@pytest.fixture()
def cli(capsys, monkeypatch):
    """``heartland`` run in this process through its real entry point (``main``)."""
    from heartland import cli as cli_mod

    def run(*args):
        monkeypatch.setattr(sys, "argv", ["heartland", *args])
        code = 0
        try:
            cli_mod.main()
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        out = capsys.readouterr()
        return subprocess.CompletedProcess(args, code, out.out, out.err)

    return run


def test_cli_ingest_articles_show(tmp_db, cli):
    _cli = cli
    res = _cli("ingest", str(FIX), "--db", str(tmp_db), "--no-extract")
    assert res.returncode == 1  # items.jsonl has two bad lines
    assert "items.jsonl:3: invalid JSON" in res.stdout and "Traceback" not in res.stderr
    assert "ingest summary" in res.stdout and "articles stored (new)" in res.stdout
    out = _cli("articles", "--format", "json", "--db", str(tmp_db))
    assert out.returncode == 0, out.stderr
    rows = json.loads(out.stdout)
    assert len(rows) == 16
    assert all(list(r) == ["id", "url", "outlet", "via", "title", "authors", "published",
                           "language", "script", "captions", "source_path", "ingested_at"]
               for r in rows)
    csv_out = _cli("articles", "--format", "csv", "--db", str(tmp_db)).stdout.splitlines()
    assert csv_out[0].startswith("id,url,outlet,via,title") and len(csv_out) == 17
    table = _cli("articles", "--db", str(tmp_db))
    assert table.returncode == 0 and "16 articles" in table.stdout
    rid = next(r["id"] for r in rows if r["title"].startswith("Rail link"))
    shown = json.loads(_cli("show", rid, "--format", "json", "--db", str(tmp_db)).stdout)
    assert shown["paragraphs"][0].startswith("Negotiators") and "normalised" not in shown
    text = _cli("show", rid[:6], "--db", str(tmp_db)).stdout
    assert "Rail link talks resume in Bishkek" in text and "Negotiators" in text
    missing = _cli("show", "ffffffff", "--db", str(tmp_db))
    assert missing.returncode == 2 and "no article with id" in missing.stderr
    assert "Traceback" not in missing.stderr


def test_cli_stdin_and_good_exit_code(tmp_db):
    res = _cli("ingest", "-", "--db", str(tmp_db), "--no-extract",
               input=(FIX / "plain.txt").read_text())
    assert res.returncode == 0, res.stdout + res.stderr
    with session(tmp_db, read_only=True) as c:
        (a,) = list_articles(c)
        assert a.source_path == "<stdin>"


def test_cli_query_without_store_is_one_line(tmp_path, cli):
    res = cli("articles", "--db", str(tmp_path / "none.duckdb"))
    assert res.returncode == 2 and "no store here yet" in res.stderr
    assert "Traceback" not in res.stderr and len(res.stderr.strip().splitlines()) == 1


def test_bad_max_size_option(tmp_db, cli):
    res = cli("ingest", str(FIX), "--db", str(tmp_db), "--max-size", "lots")
    assert res.returncode == 2 and "--max-size" in res.stderr and "Traceback" not in res.stderr


def test_run_steps_ingests_through_the_cli_helper(tmp_path):
    from rich.console import Console

    from heartland.corpus.ingest import ingest_paths_cli

    db = tmp_path / "r.duckdb"
    corpus = tmp_path / "c"
    make_corpus(corpus, 12)
    console = Console(record=True, width=100)
    assert ingest_paths_cli([corpus], db=db, console=console, use_extract=False) == 0
    assert "12/12" in console.export_text()
    with session(db, read_only=True) as c:
        assert count_articles(c) == 12


def test_extract_hook_is_used_when_present(tmp_path, monkeypatch):
    """The ingest command picks up heartland.extract.store_hook when it exists."""
    import types

    from heartland.corpus import ingest as ingest_mod

    fake = types.ModuleType("heartland.extract.store_hook")
    calls = []
    fake.process_article = lambda conn, a: calls.append(a.id)
    fake.ensure_schema = lambda conn: conn.execute("CREATE TABLE IF NOT EXISTS hooked (x INT)")
    monkeypatch.setitem(sys.modules, "heartland.extract.store_hook", fake)
    monkeypatch.setattr(ingest_mod.importlib.util, "find_spec", lambda name: object())
    procs, hooks = ingest_mod.extract_processors()
    assert procs == [fake.process_article] and hooks == [fake.ensure_schema]
    db = tmp_path / "h.duckdb"
    from rich.console import Console

    assert ingest_mod.ingest_paths_cli([FIX / "plain.txt"], db=db, console=Console(file=open(os.devnull, "w"))) == 0
    assert len(calls) == 1
    with duckdb.connect(str(db), read_only=True) as c:
        assert c.execute("SELECT count(*) FROM hooked").fetchone()[0] == 0


@pytest.mark.parametrize("n_files", [13, 12])
def test_the_ingest_ends_checkpointed(tmp_path, n_files):
    """Batches close the file without a checkpoint; the ingest's end folds the log in,
    also when its last batch has nothing to write."""
    from .corpus_gen import make_corpus

    root = tmp_path / "c"
    files = make_corpus(root, 24)
    for f in files[n_files:]:
        f.unlink()
    db = tmp_path / "s.duckdb"
    wal = Path(str(db) + ".wal")
    r = ingest([root], db, batch_docs=4, group_docs=3)
    assert r.new == n_files and not wal.exists()
    # Re-ingest: every batch unchanged, nothing left behind either.
    assert ingest([root], db, batch_docs=4).unchanged == n_files and not wal.exists()
    assert dump(db) and len(dump(db)) == n_files


def _count_opens(monkeypatch) -> list[int]:
    """Patch the ingest's open_store to count the times it opens the store."""
    from heartland.store import ingestion

    opens: list[int] = []
    real = ingestion.open_store

    def counting(*a, **k):
        opens.append(1)
        return real(*a, **k)

    monkeypatch.setattr(ingestion, "open_store", counting)
    return opens


def _slow_processor(signal_at: set[int], db: Path, seen: list[str]):
    """A processor that takes a little time per document and, at the given documents,
    signals the way a waiting reader's open_store does."""
    import time

    from heartland.store.db import signal_waiting

    def proc(conn, article):
        seen.append(article.id)
        if len(seen) in signal_at:
            signal_waiting(db)
        time.sleep(0.004)

    return proc


@pytest.mark.parametrize("signals,yields", [(set(), 0), ({5, 30}, 2)])
def test_the_writer_yields_only_when_a_reader_waits(tmp_path, monkeypatch, signals, yields):
    """With HOLD_SECONDS tiny the writer would yield after every document; it does so only
    after a reader touched the waiting marker, and writes everything either way."""
    from heartland.store import ingestion
    from heartland.store.db import waiting_marker

    root = tmp_path / "c"
    make_corpus(root, 40)
    db = tmp_path / "s.duckdb"
    monkeypatch.setattr(ingestion, "HOLD_SECONDS", 0.0)
    monkeypatch.setattr(ingestion, "YIELD_SECONDS", 0.0)
    monkeypatch.setattr("heartland.store.db.MTIME_SLACK", 0.0)
    opens = _count_opens(monkeypatch)
    seen: list[str] = []
    r = ingest([root], db, processors=[_slow_processor(signals, db, seen)], batch_docs=1000,
               batch_seconds=60, group_docs=1)
    assert r.new == 40 and len(dump(db)) == 40
    assert len(opens) == 1 + yields
    assert not waiting_marker(db).exists()  # the ingest cleans up after itself


def test_the_writer_yields_after_max_hold_even_unasked(tmp_path, monkeypatch):
    from heartland.store import ingestion

    root = tmp_path / "c"
    make_corpus(root, 12)
    db = tmp_path / "s.duckdb"
    monkeypatch.setattr(ingestion, "HOLD_SECONDS", 0.0)
    monkeypatch.setattr(ingestion, "MAX_HOLD_SECONDS", 0.0)
    monkeypatch.setattr(ingestion, "YIELD_SECONDS", 0.0)
    opens = _count_opens(monkeypatch)
    r = ingest([root], db, processors=[_slow_processor(set(), db, [])], batch_docs=1000, batch_seconds=60,
               group_docs=1)
    assert r.new == 12 and len(opens) == 12  # one document per stretch


def test_a_reader_blocked_by_a_writer_signals_it(tmp_path):
    """A real second process holding the lock: our open_store touches the marker while it waits."""
    from heartland.store.db import StoreBusy, readers_waiting, waiting_marker

    db = tmp_path / "busy.duckdb"
    ingest([FIX / "plain.txt"], db)
    holder = subprocess.Popen([sys.executable, "-c", "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); "
                               "print('held', flush=True); time.sleep(30)", str(db)],
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        import time

        t0 = time.time()
        with pytest.raises(StoreBusy):
            open_store(db, read_only=True, wait=0.3)
        assert waiting_marker(db).exists() and readers_waiting(db, t0)
    finally:
        holder.kill()
        holder.wait()
