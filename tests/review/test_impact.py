"""Impact previews equal the exact rebuild of the world with the decision flipped."""

from __future__ import annotations

import shutil

import duckdb
import numpy as np
import pytest

from heartland.review.decisions import decide
from heartland.review.impact import compute_impacts, policy_world

#: Stated tolerance: the preview uses the measure's own formula on the same components,
#: so cells it evaluates agree with the rebuild to rounding (docs/review.md).
TOL = 1e-9


def _exact(db, tmp_path, row) -> float:
    copy = tmp_path / "flip.duckdb"
    shutil.copy(db, copy)
    with duckdb.connect(str(copy)) as c:
        decide(c, row.item_key, "accepted" if row.direction == "accept" else "rejected", by="test")
        w = policy_world(c, "2024-12-31")
    t = w.tie(row.patron, row.target, row.domain, int(row.year))
    lo = np.clip(t["bandwidth_low"], 0, 1) * np.clip(t["dependence_low"], 0, 1)
    hi = np.clip(t["bandwidth_high"], 0, 1) * np.clip(t["dependence_high"], 0, 1)
    return (lo + hi) / 2


def _check(db, tmp_path, at_least: int):
    with duckdb.connect(str(db), read_only=True) as c:
        table = compute_impacts(c, "2024-12-31").table
    assert len(table) >= at_least
    for row in table.itertuples():
        assert abs(_exact(db, tmp_path, row) - row.after) <= TOL, row


def test_impact_equals_exact_rebuild_small_store(store, tmp_path):
    _check(store, tmp_path, 3)


@pytest.mark.slow
def test_impact_equals_exact_rebuild_on_the_seeds(seed_store, tmp_path):
    # accept and reject previews, events with several pairs, C5 ties, facts joining curated data
    _check(seed_store, tmp_path, 10)


def test_counted_items_show_what_rejecting_would_move(store, tmp_path):
    from .test_review import key_of

    # an event: the arms-share facts no longer move a number once SIPRI's panel covers 2024
    # (data takes precedence over extracted figures; docs/world.md)
    kgz = key_of(store, "event", "CHN, KGZ")
    with duckdb.connect(str(store)) as c:
        decide(c, kgz, "accepted", why="checked")
        t = compute_impacts(c, "2024-12-31").table.set_index("item_key")
    assert t.loc[kgz, "direction"] == "reject" and t.loc[kgz, "counted"]
    _check(store, tmp_path, 3)


def test_a_listing_after_a_decision_answers_from_the_kept_impacts(store, monkeypatch):
    """After a decision the kept impacts answer at once: rows outside the blocks the
    decision touched are exact, the others marked stale, and a background process brings
    the kept impacts up to date."""
    import time

    from heartland.review.impact import cache_path, cached_impacts

    monkeypatch.setenv("HEARTLAND_REVIEW_REFRESH", "0")
    with duckdb.connect(str(store), read_only=True) as c:
        first = cached_impacts(c, store, "2024-12-31")
    assert not first.from_cache and not first.table["stale"].any()
    top = first.table.iloc[0]
    with duckdb.connect(str(store)) as c:
        decide(c, top.item_key, "accepted" if top.direction == "accept" else "rejected", by="test")
    with duckdb.connect(str(store), read_only=True) as c:
        kept = cached_impacts(c, store, "2024-12-31", stale_ok=True)
        exact = compute_impacts(c, "2024-12-31").table.set_index("item_key")
    assert kept.from_cache and kept.decisions_since == 1
    t = kept.table.set_index("item_key")
    assert t.loc[top.item_key, "stale"]
    fresh = t[~t["stale"]]
    assert len(fresh) >= 1
    for key, row in fresh.iterrows():   # outside the touched blocks: exactly today's impact
        assert key in exact.index and abs(exact.loc[key, "after"] - row["after"]) <= TOL
        assert abs(exact.loc[key, "before"] - row["before"]) <= TOL
    # the background refresh: the next listing is exact again
    monkeypatch.setenv("HEARTLAND_REVIEW_REFRESH", "1")
    with duckdb.connect(str(store), read_only=True) as c:
        cached_impacts(c, store, "2024-12-31", stale_ok=True)
    lock = cache_path(store).with_name(cache_path(store).name + ".lock")
    deadline = time.time() + 240
    while lock.exists() and time.time() < deadline:
        time.sleep(0.2)
    assert not lock.exists(), "the background refresh did not finish"
    with duckdb.connect(str(store), read_only=True) as c:
        again = cached_impacts(c, store, "2024-12-31", stale_ok=True)
    assert again.from_cache and again.decisions_since == 0 and not again.table["stale"].any()
    got = again.table.set_index("item_key")
    assert set(got.index) == set(exact.index)
    assert np.allclose(got.loc[exact.index, "after"].to_numpy(float), exact["after"].to_numpy(float), atol=TOL,
                       equal_nan=True)


def test_an_ingest_recomputes_a_reviewers_kept_impacts_in_the_background(store, tmp_path, monkeypatch):
    import subprocess
    import sys

    from heartland.review.impact import cache_path, cached_impacts, fingerprint

    from .conftest import article, write_jsonl

    monkeypatch.setenv("HEARTLAND_REVIEW_REFRESH", "1")
    with duckdb.connect(str(store), read_only=True) as c:   # a reviewer listed this store once
        cached_impacts(c, store)
    src = write_jsonl(tmp_path / "more.jsonl", [article(
        "https://third-wire.example/c", ["Xi Jinping held talks with Sadyr Japarov in Bishkek on 4 July 2024."],
        outlet="Third Wire", published="2024-07-05T09:00:00Z")])
    res = subprocess.run([sys.executable, "-m", "heartland.cli", "ingest", str(src), "--db", str(store)],
                         capture_output=True, text=True, timeout=600)
    assert res.returncode == 0, res.stderr
    # the next listing waits for that refresh instead of computing again, and gets its result
    with duckdb.connect(str(store), read_only=True) as c:
        got = cached_impacts(c, store)
        fp = fingerprint(c, got.date, "policy")
    assert got.from_cache, "the ingest's background refresh should have computed the impacts"
    import pickle
    with cache_path(store).open("rb") as fh:
        assert pickle.load(fh)["evidence"] == fp


def test_an_edit_marks_every_kept_impact_stale(store, monkeypatch):
    from heartland.review.impact import cached_impacts

    from .test_review import key_of

    monkeypatch.setenv("HEARTLAND_REVIEW_REFRESH", "0")
    with duckdb.connect(str(store), read_only=True) as c:
        cached_impacts(c, store, "2024-12-31")
    with duckdb.connect(str(store)) as c:   # the subject changed: the item moves to other ties
        decide(c, key_of(store, "fact", "RUS → KGZ"), "edited", edited={"subject": "CHN"}, by="test")
    with duckdb.connect(str(store), read_only=True) as c:
        kept = cached_impacts(c, store, "2024-12-31", stale_ok=True)
    assert kept.decisions_since == 1 and len(kept.table) and kept.table["stale"].all()


def test_the_lock_of_a_refresh_that_died_is_not_waited_for(store, tmp_path):
    import subprocess
    import sys
    import time

    from heartland.review.impact import _lock_path, _wait_for_refresh

    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    lock = _lock_path(store)
    lock.write_text(str(dead.pid))
    t0 = time.monotonic()
    assert not _wait_for_refresh(store) and not lock.exists()
    assert time.monotonic() - t0 < 5
