"""The world cache (heartland/world/cache.py): reused while nothing it is built from changes,
rebuilt when the store's evidence, a review decision, a data file or the code changes."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from heartland.cli import app
from heartland.world import build as world_build
from heartland.world import cache

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "measure"))
from explain_store import build as build_store  # noqa: E402

runner = CliRunner()


@pytest.fixture()
def store(tmp_path: Path) -> Path:
    return build_store(tmp_path / "s.duckdb")


@pytest.fixture()
def builds(monkeypatch) -> list:
    calls: list = []
    real = world_build.build_world

    def counting(*a, **k):
        calls.append(a)
        return real(*a, **k)

    monkeypatch.setattr(world_build, "build_world", counting)
    return calls


def test_reused_until_the_store_changes(store: Path, builds: list):
    w1 = cache.cached_world(store, "2024")
    w2 = cache.cached_world(store, "2024")
    assert len(builds) == 1
    assert w2.ties.equals(w1.ties) and w2.evidence.equals(w1.evidence)
    cache.cached_world(store, "2023")  # another date is another world
    assert len(builds) == 2
    # new evidence: a new event row changes the content hash
    with duckdb.connect(str(store)) as con:
        con.execute("INSERT INTO events SELECT * REPLACE ('e-new' AS event_id) FROM events LIMIT 1")
    cache.cached_world(store, "2024")
    assert len(builds) == 3
    # a review decision is evidence too
    with duckdb.connect(str(store)) as con:
        con.execute("CREATE TABLE review_decisions (item_key VARCHAR, state VARCHAR)")
        con.execute("INSERT INTO review_decisions VALUES ('k', 'rejected')")
    cache.cached_world(store, "2024")
    assert len(builds) == 4
    cache.cached_world(store, "2024", evidence="all")  # another evidence mode
    assert len(builds) == 5


def test_data_files_and_code_are_in_the_key(store: Path, monkeypatch):
    k1 = cache.world_key(store, "2024")
    assert cache.world_key(store, "2024") == k1
    # a new data panel file (or any change under heartland/data) or changed code: a new key
    monkeypatch.setattr(cache, "files_digest", lambda: "something else")
    assert cache.world_key(store, "2024") != k1


def test_files_digest_covers_data_and_code(tmp_path: Path, monkeypatch):
    data = tmp_path / "pkg" / "data"
    (data / "panel").mkdir(parents=True)
    (tmp_path / "pkg" / "m.py").write_text("x = 1\n")
    (data / "curated.csv").write_text("a,b\n")
    monkeypatch.setattr(cache, "DATA_DIR", data)
    monkeypatch.setattr(cache, "PACKAGE_DIR", tmp_path / "pkg")
    digest = cache.files_digest.__wrapped__
    d0 = digest()
    (data / "panel" / "trade.csv").write_text("y\n")
    d1 = digest()
    (tmp_path / "pkg" / "m.py").write_text("x = 2\n")
    d2 = digest()
    assert len({d0, d1, d2}) == 3


def test_a_corrupt_cache_file_is_rebuilt(store: Path, builds: list):
    cache.cached_world(store, "2024")
    for p in cache.cache_dir(store).glob("world-*.pkl"):
        p.write_bytes(b"not a pickle")
    w = cache.cached_world(store, "2024")
    assert len(builds) == 2 and len(w.ties)


def test_store_digest_memo_is_dropped_when_the_file_changes(store: Path):
    d1 = cache.store_file_digest(store)
    assert (cache.cache_dir(store) / "store-digest").exists()
    assert cache.store_file_digest(store) == d1
    with duckdb.connect(str(store)) as con:
        con.execute("DELETE FROM events WHERE event_id = (SELECT min(event_id) FROM events)")
    assert cache.store_file_digest(store) != d1


def test_explain_answers_from_the_cache_and_follows_a_change(store: Path, tmp_path: Path):
    env = {"HEARTLAND_DB": str(store)}
    args = ["explain", "CHN", "TJK", "security", "--date", "2023", "--format", "json"]
    first = runner.invoke(app, args, env=env)
    assert first.exit_code == 0, first.output
    answers = list(cache.cache_dir(store).glob("answer-*.pkl"))
    assert len(answers) == 1
    again = runner.invoke(app, args, env=env)
    assert again.stdout == first.stdout
    # the evidence behind the number goes: the answer must not be the cached one
    with duckdb.connect(str(store)) as con:
        con.execute("DELETE FROM events")
    after = runner.invoke(app, args, env=env)
    assert after.exit_code == 0, after.output
    assert json.loads(after.stdout) != json.loads(first.stdout)
    shutil.rmtree(cache.cache_dir(store))


def test_report_sections_are_reused_until_the_store_changes(store: Path, monkeypatch, tmp_path: Path):
    from heartland.report import build

    calls: list[str] = []
    real = build.section_system

    def counting(db):
        calls.append("system")
        return real(db)

    # the system section only (the real one, counted): the scenario and forecast sections
    # take tens of seconds and are cached by the same code path
    monkeypatch.setattr(build, "SECTIONS", [("system", "The system today", lambda db, o: counting(db))])
    first = build.render_report(store)
    second = build.render_report(store)
    assert calls == ["system"]
    strip = lambda h: h.split("generated", 1)[1].split("</p>", 1)[1]  # noqa: E731 (the time stamp)
    assert strip(first) == strip(second)
    with duckdb.connect(str(store)) as con:
        con.execute("DELETE FROM facts")
    build.render_report(store)
    assert calls == ["system", "system"]
