"""The exact preview: every number a decision changes, before and after, equals what the
decision then does (the world rebuilt from the store with the decision recorded)."""

from __future__ import annotations

import shutil

import duckdb

from heartland.review.decisions import decide
from heartland.review.impact import compute_impacts, diff_numbers, policy_world, preview, shown_numbers

DATE = "2024-12-31"


def _numbers(db):
    with duckdb.connect(str(db), read_only=True) as c:
        return shown_numbers(policy_world(c, DATE))


def _check_all(db, tmp_path, at_least: int):
    with duckdb.connect(str(db), read_only=True) as c:
        table = compute_impacts(c, DATE).table
    assert len(table) >= at_least
    base = _numbers(db)
    moved_others = 0
    for row in table.itertuples():
        state = "accepted" if row.direction == "accept" else "rejected"
        own = (row.patron, row.target, row.domain, int(row.year))
        with duckdb.connect(str(db), read_only=True) as c:
            got = preview(c, row.item_key, state, date=DATE, cell=own, before=base)
        copy = tmp_path / "flip.duckdb"
        shutil.copy(db, copy)
        with duckdb.connect(str(copy)) as c:
            decide(c, row.item_key, state, by="test")
        real = diff_numbers(base, _numbers(copy))
        key = lambda c: (c["patron"], c["target"], c["domain"], c["year"])  # noqa: E731
        # the same set of cells, with the same values, and the item's own cell first
        assert {key(c): (c["before"], c["after"]) for c in got["changes"]} == \
            {key(c): (c["before"], c["after"]) for c in real}, row
        assert key(got["changes"][0]) == own
        assert abs(got["changes"][0]["after"] - row.after) <= 1e-9
        moved_others += len(got["changes"]) > 1
    # the reason for listing them all: a patron's cell moving moves its rivals' shares
    assert moved_others >= 1


def test_preview_lists_every_changed_number_small_store(store, tmp_path):
    _check_all(store, tmp_path, 3)


def test_preview_of_a_decision_that_moves_nothing_is_empty(store):
    from .test_review import key_of

    # a candidate the policy does not count: rejecting it changes no number
    talks = key_of(store, "event", "xi_jinping")
    with duckdb.connect(str(store), read_only=True) as c:
        got = preview(c, talks, "rejected", date=DATE)
    assert got["changes"] == [] and got["state"] == "rejected"


def test_cli_preview_prints_the_same_changes(store):
    import json
    import subprocess
    import sys

    with duckdb.connect(str(store), read_only=True) as c:
        top = compute_impacts(c).table.iloc[0]
        lib = preview(c, top.item_key, "accepted" if top.direction == "accept" else "rejected",
                      cell=(top.patron, top.target, top.domain, int(top.year)))
    res = subprocess.run([sys.executable, "-m", "heartland.cli", "review", "preview", top.item_key[:10], "--state",
                          lib["state"], "--format", "json", "--db", str(store)], capture_output=True, text=True,
                         timeout=300)
    assert res.returncode == 0, res.stderr
    assert json.loads(res.stdout)["changes"] == lib["changes"] and lib["changes"]
    bad = subprocess.run([sys.executable, "-m", "heartland.cli", "review", "preview", top.item_key[:10], "--state",
                          "maybe", "--db", str(store)], capture_output=True, text=True, timeout=300)
    assert bad.returncode == 2 and "--state must be accepted or rejected" in bad.stderr
    assert len(bad.stderr.strip().splitlines()) == 1
