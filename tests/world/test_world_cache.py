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


def test_shared_answers_serve_every_store_and_follow_code_and_mode(tmp_path: Path, monkeypatch):
    """Answers that read no store (the report's scenarios, calibration, forecasts) are kept once
    per user: a second store reuses them; the code, the evidence mode or HEARTLAND_WORLD_CACHE=0
    give a fresh computation."""
    monkeypatch.setenv("HEARTLAND_CACHE_DIR", str(tmp_path / "user-cache"))
    calls: list[int] = []

    def compute():
        calls.append(1)
        return {"n": len(calls)}

    assert cache.cached_shared_answer(("q", 1), compute) == {"n": 1}
    assert cache.cached_shared_answer(("q", 1), compute) == {"n": 1} and len(calls) == 1
    assert list((tmp_path / "user-cache").glob("shared-*.pkl"))
    assert cache.cached_shared_answer(("q", 2), compute) == {"n": 2}  # another question
    cache.cached_shared_answer(("q", 1), compute, evidence="all")  # another evidence mode
    assert len(calls) == 3
    monkeypatch.setattr(cache, "files_digest", lambda: "changed code")
    cache.cached_shared_answer(("q", 1), compute)
    assert len(calls) == 4
    monkeypatch.setenv("HEARTLAND_WORLD_CACHE", "0")
    cache.cached_shared_answer(("q", 1), compute)
    cache.cached_shared_answer(("q", 1), compute)
    assert len(calls) == 6


def test_shared_answers_survive_a_new_day_but_not_a_membership_change(tmp_path: Path, monkeypatch):
    """The store-free answers are keyed on the days a store-free world can tell apart (the
    year, and the memberships in force), so the first report of a new day reuses them; a day
    across a membership change or a new year does not. The premise is checked on the bundled
    data: two days with one key build the same world, two days across a change do not."""
    import datetime as dt

    import numpy as np

    from heartland.world.build import build_world

    monkeypatch.setenv("HEARTLAND_CACHE_DIR", str(tmp_path / "user-cache"))
    changes = cache.membership_changes()
    # the latest year with at least two membership changes, and a day between them
    year = max(y for y in {c.year for c in changes} if sum(c.year == y for c in changes) >= 2)
    first, second = [c for c in changes if c.year == year][:2]
    quiet = [second - dt.timedelta(days=1), first + dt.timedelta(days=0)]  # no change in between
    assert cache.store_free_day(quiet[0]) == cache.store_free_day(quiet[1])
    assert cache.store_free_day(second) != cache.store_free_day(quiet[0])  # the change itself
    assert cache.store_free_day(dt.date(year + 1, 6, 1)) != cache.store_free_day(dt.date(year, 12, 31))
    calls: list[int] = []
    ask = lambda day: cache.cached_shared_answer(("q",), lambda: calls.append(1) or len(calls), date=day)  # noqa: E731
    assert ask(quiet[0]) == ask(quiet[1]) == 1
    assert ask(second) == 2

    def arrays(day):
        w = build_world(None, day)
        return np.concatenate([np.nan_to_num(np.asarray(v, dtype=float).ravel(), nan=-1.0)
                               for _, v in sorted(w.arrays.items())])

    assert np.array_equal(arrays(quiet[0]), arrays(quiet[1]))
    # the premise's other half: a membership change that the key follows moves the world
    later = [c for c in changes if c.year == year]
    assert any(not np.array_equal(arrays(c - dt.timedelta(days=1)), arrays(c)) for c in later), \
        f"no membership change in {year} moves the world: pick a year whose change does"


def test_report_sections_without_a_store_are_shared_between_stores(store: Path, tmp_path: Path, monkeypatch):
    from heartland.report import build

    monkeypatch.setenv("HEARTLAND_CACHE_DIR", str(tmp_path / "user-cache"))
    calls: list[str] = []
    real = build.section_forecasts

    def counting():
        calls.append("forecasts")
        return real()

    monkeypatch.setattr(build, "SECTIONS", [("forecasts", "Issue forecasts", lambda db, o: counting())])
    other = tmp_path / "other.duckdb"
    shutil.copy(store, other)
    first = build.render_report(store)
    second = build.render_report(other)  # another store: the forecasts are not redone
    assert calls == ["forecasts"]
    strip = lambda h: h.split("generated", 1)[1].split("</p>", 1)[1]  # noqa: E731 (time stamp, store name)
    assert strip(first) == strip(second) and 'id="forecasts"' in first


def test_cached_world_on_shares_the_world_cache(store: Path, builds: list):
    """The review listing's world (built through its own connection) and `explain`'s world are
    one cache entry: whichever comes first serves the other, until the store changes."""
    w1 = cache.cached_world(store, "2024-12-31", evidence="policy")
    with duckdb.connect(str(store), read_only=True) as con:
        w2 = cache.cached_world_on(con, store, "2024-12-31", evidence="policy")
    assert len(builds) == 1 and w2.ties.equals(w1.ties)
    with duckdb.connect(str(store)) as con:
        con.execute("DELETE FROM events WHERE event_id = (SELECT min(event_id) FROM events)")
    with duckdb.connect(str(store), read_only=True) as con:
        cache.cached_world_on(con, store, "2024-12-31", evidence="policy")
    assert len(builds) == 2
    cache.cached_world(store, "2024-12-31", evidence="policy")  # kept by cached_world_on
    assert len(builds) == 2


def test_world_queries_return_the_rows_a_full_filter_finds(store: Path):
    """component / tie / sources look rows up in a grouping made once per world: the same
    rows as filtering the whole table, for every key (and none for a key not there)."""
    w = cache.cached_world(store, "2024")

    def first(df, **kv):
        m = df
        for k, v in kv.items():
            m = m[m[k] == v]
        return None if m.empty else m.iloc[0].to_dict()

    c = w.components
    keys = sorted(set(zip(c.patron, c.target, c.indicator, c.year)), key=repr)
    r = w.roles
    with_roles = sorted(set(zip(r.patron, r.target, r.indicator, r.year)), key=repr)
    assert keys and with_roles
    # a spread of keys (all of them take a minute and a half): every 25th, and every 10th with sources
    for p, t, i, y in keys[::25] + with_roles[::10]:
        assert repr(w.component(p, t, i, y)) == repr(first(c, patron=p, target=t, indicator=i, year=y))
        n = len(r[(r.patron == p) & (r.target == t) & (r.indicator == i) & (r.year == y)])
        assert len(w.sources(p, t, i, y)) == n
    for p, t, d, y in sorted(set(zip(w.ties.patron, w.ties.target, w.ties.domain, w.ties.year)), key=repr)[::25]:
        assert repr(w.tie(p, t, d, y)) == repr(first(w.ties, patron=p, target=t, domain=d, year=y))
    assert w.component("CHN", "KAZ", "no_such_indicator", 2024) is None
    assert w.tie("CHN", "KAZ", "security", 1900) is None and w.sources("CHN", "KAZ", "x", 1900) == []
