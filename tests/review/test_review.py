"""Decisions: survive re-ingest and new versions, export/import, all-or-nothing import,
a rejected item changes no number, the CLI's errors."""

from __future__ import annotations

import json
import subprocess
import sys

import duckdb
import numpy as np
import pandas as pd
import pytest

from heartland.errors import UserError
from heartland.review.decisions import decide, states
from heartland.review.impact import policy_world
from heartland.review.io import ImportProblems, export_decisions, import_decisions
from heartland.review.schema import items_with_state_sql

from .conftest import PARAS, PARAS_B, article, ingest_into, write_jsonl


def items(db) -> pd.DataFrame:
    with duckdb.connect(str(db)) as c:
        return c.execute(f"SELECT * FROM ({items_with_state_sql(c)}) ORDER BY item_key").df()


def influence(db, mode="policy") -> pd.DataFrame:
    from heartland.measure import compute_indices

    with duckdb.connect(str(db)) as c:
        w = policy_world(c, "2024-12-31", mode)
    f = compute_indices(w).influence
    return f.sort_values(["patron", "target", "domain", "year"]).reset_index(drop=True)


def key_of(db, kind: str, text: str) -> str:
    it = items(db)
    hit = it[(it["kind"] == kind) & it["summary"].str.contains(text, regex=False)]
    assert len(hit) == 1, it[["kind", "summary"]]
    return hit["item_key"].iat[0]


def test_decisions_survive_reingest_and_a_new_version(store, tmp_path):
    talks = key_of(store, "event", "xi_jinping")
    arms = key_of(store, "fact", "RUS → KAZ")
    with duckdb.connect(str(store)) as c:
        decide(c, talks, "rejected", by="ana", why="Putin's visit misread")
        decide(c, arms, "edited", edited={"value": 0.85}, by="ana", why="SIPRI says 0.85")
    before = items(store).set_index("item_key")
    # the same articles again: nothing changes
    src = write_jsonl(tmp_path / "again.jsonl", [article("https://test-wire.example/a", PARAS)])
    ingest_into(store, src)
    again = items(store).set_index("item_key")
    assert again.loc[talks, "state"] == "rejected" and again.loc[arms, "state"] == "edited"
    assert len(again) == len(before)
    # an updated version: a paragraph added elsewhere, the items' sentences unchanged
    v2 = write_jsonl(tmp_path / "v2.jsonl", [article("https://test-wire.example/a",
                                                     ["An editor's note was added at the top."] + PARAS)])
    ingest_into(store, v2)
    with duckdb.connect(str(store)) as c:
        assert c.execute("SELECT max(version) FROM articles WHERE url = 'https://test-wire.example/a'"
                         ).fetchone()[0] == 2
    now = items(store)
    cur = now[now["article_id"].isin(now.loc[now["item_key"] == talks, "article_id"])]
    assert set(now.loc[now["item_key"] == talks, "state"]) == {"rejected"}
    assert set(now.loc[now["item_key"] == arms, "state"]) == {"edited"}
    assert not cur.empty
    # item ids changed with the new version (other spans), keys did not
    with duckdb.connect(str(store)) as c:
        assert states(c)[arms] == ("edited", {"value": 0.85})


def test_export_then_import_into_a_fresh_store_reproduces_decisions_and_indices(store, corpus, tmp_path):
    talks = key_of(store, "event", "xi_jinping")
    kgz = key_of(store, "fact", "RUS → KGZ")
    uzb = key_of(store, "event", "mirziyoyev")
    with duckdb.connect(str(store)) as c:
        decide(c, talks, "rejected", by="ana", why="misread")
        decide(c, kgz, "accepted", by="bo", why="checked against SIPRI")
        decide(c, uzb, "edited", edited={"date": "2024-05-27"}, by="bo", why="exact day")
    fresh = tmp_path / "fresh.duckdb"
    ingest_into(fresh, corpus)
    for suffix in (".csv", ".jsonl"):
        f = tmp_path / f"decisions{suffix}"
        with duckdb.connect(str(store), read_only=True) as c:
            assert export_decisions(c, f) == 3
        target = tmp_path / f"fresh{suffix}.duckdb"
        target.write_bytes(fresh.read_bytes())
        with duckdb.connect(str(target)) as c:
            rep = import_decisions(c, f)
            assert rep.applied == 3
            assert import_decisions(c, f).unchanged == 3   # importing twice changes nothing
        cols = ["item_key", "kind", "state", "edited", "decided_by", "decided_at", "why"]
        with duckdb.connect(str(store), read_only=True) as a, duckdb.connect(str(target), read_only=True) as b:
            got = b.execute(f"SELECT {', '.join(cols)} FROM review_decisions ORDER BY item_key").fetchall()
            want = a.execute(f"SELECT {', '.join(cols)} FROM review_decisions ORDER BY item_key").fetchall()
        assert got == want
        pd.testing.assert_frame_equal(influence(target), influence(store))
        pd.testing.assert_frame_equal(influence(target, "reviewed"), influence(store, "reviewed"))


def test_a_rejected_item_changes_no_number(store, tmp_path):
    talks = key_of(store, "event", "xi_jinping")
    kgz = key_of(store, "fact", "RUS → KGZ")
    base = {m: influence(store, m) for m in ("policy", "reviewed")}
    with duckdb.connect(str(store)) as c:
        decide(c, talks, "rejected", why="misread")
        decide(c, kgz, "rejected", why="misread")
        ids = c.execute(f"SELECT item_id FROM ({items_with_state_sql(c)}) WHERE state = 'rejected'").fetchall()
    # candidates the policy did not count: rejecting them changes nothing
    for m in ("policy", "reviewed"):
        pd.testing.assert_frame_equal(influence(store, m), base[m])
    # in every mode, a rejected item is as if it were not there at all
    gone = tmp_path / "gone.duckdb"
    gone.write_bytes(store.read_bytes())
    with duckdb.connect(str(gone)) as c:
        for (i,) in ids:
            c.execute("DELETE FROM events WHERE event_id = ?", [i])
            c.execute("DELETE FROM facts WHERE fact_id = ?", [i])
        c.execute("DELETE FROM review_decisions")
    for m in ("policy", "reviewed", "all"):
        pd.testing.assert_frame_equal(influence(store, m), influence(gone, m))


def _decisions(db):
    with duckdb.connect(str(db), read_only=True) as c:
        try:
            return c.execute("SELECT * FROM review_decisions ORDER BY item_key").fetchall()
        except duckdb.CatalogException:
            return []


def test_import_problems_are_reported_line_by_line_and_nothing_is_applied(store, tmp_path):
    talks = key_of(store, "event", "xi_jinping")
    kgz = key_of(store, "fact", "RUS → KGZ")
    uzb = key_of(store, "event", "mirziyoyev")
    lines = [
        json.dumps({"key": kgz, "state": "accepted", "why": "fine"}),                      # 1 good
        json.dumps({"key": "0" * 32, "state": "accepted"}),                                # 2 unknown key
        '{"key": "' + talks + '", "state": "rejected"',                                    # 3 malformed
        json.dumps({"key": uzb, "state": "accepted"}),                                     # 4
        json.dumps({"key": uzb, "state": "rejected"}),                                     # 5 conflicts with 4
        json.dumps({"key": talks, "state": "maybe"}),                                      # 6 bad state
        json.dumps({"key": talks, "state": "edited", "edited": {"colour": "red"}}),        # 7 bad field
    ]
    f = tmp_path / "bad.jsonl"
    f.write_bytes(("\n".join(lines) + "\n").encode() + b'{"key": "caf\xe9", "state": "accepted"}\n')  # 8 latin-1
    before = _decisions(store)
    with duckdb.connect(str(store)) as c, pytest.raises(ImportProblems) as exc:
        import_decisions(c, f)
    msg = str(exc.value)
    assert "nothing was imported" in msg
    for n in (2, 3, 5, 6, 7, 8):
        assert f"{f}:{n}:" in msg, msg
    assert f"{f}:1:" not in msg and f"{f}:4:" not in msg
    assert "unknown key" in msg and "not valid JSON" in msg and "conflicting" in msg and "not UTF-8" in msg
    assert _decisions(store) == before
    # CSV: a short row and a bad header are reported too, and nothing applied
    g = tmp_path / "bad.csv"
    g.write_text(f"key,state,why\n{kgz},accepted,fine\n{talks},rejected\n", encoding="utf-8")
    with duckdb.connect(str(store)) as c, pytest.raises(ImportProblems) as exc:
        import_decisions(c, g)
    assert f"{g}:3: 2 fields" in str(exc.value)
    assert _decisions(store) == before


def test_find_and_decide_errors(store):
    with duckdb.connect(str(store)) as c:
        with pytest.raises(UserError, match="no item with key or id"):
            decide(c, "feedfacefeedface", "accepted")
        arms = key_of(store, "fact", "RUS → KAZ")
        with pytest.raises(UserError, match="cannot edit"):
            decide(c, arms, "edited", edited={"speaker": "x"})
        # a unique prefix of 8+ characters and the row id both work
        it = decide(c, arms[:10], "accepted", why="ok")
        assert it["item_key"] == arms


def _cli(*args, db):
    return subprocess.run([sys.executable, "-m", "heartland.cli", "review", *args, "--db", str(db)],
                          capture_output=True, text=True, timeout=300)


def test_cli_list_accept_edit_export_import(store, tmp_path):
    res = _cli("--format", "json", "--limit", "0", db=store)
    assert res.returncode == 0, res.stderr
    rows = json.loads(res.stdout)
    assert rows and rows[0]["impact"] >= rows[-1]["impact"]
    top = rows[0]
    assert top["impact_text"].startswith("accepting this moves ")
    s0, s1 = top["sentence_span"]
    assert top["sentence"] and 0 <= s0 < s1 <= len(top["sentence"])
    zero = [r for r in rows if not r["impact"]]
    assert all(r["impact"] == 0 for r in rows[len(rows) - len(zero):])   # items moving nothing come last
    res = _cli("accept", top["key"][:10], "--reason", "read the article", "--by", "ana", db=store)
    assert res.returncode == 0, res.stderr
    assert "accepted" in res.stdout
    res = _cli("--state", "accepted", "--format", "json", db=store)
    assert [r["key"] for r in json.loads(res.stdout)] == [top["key"]]
    for args, msg in [(("accept", "nosuchkey0", "--reason", "x"), "no item with key or id"),
                      (("edit", top["key"], "--set", "colour=red", "--reason", "x"), "cannot edit"),
                      (("edit", top["key"], "--set", "novalue", "--reason", "x"), "expected field=value")]:
        res = _cli(*args, db=store)
        assert res.returncode == 2 and msg in res.stderr, res.stderr
        assert "Traceback" not in res.stderr and len(res.stderr.strip().splitlines()) == 1
    out = tmp_path / "d.csv"
    assert _cli("export", str(out), db=store).returncode == 0
    assert "1 decisions applied" not in _cli("import", str(out), db=store).stdout   # already so
    kinds = _cli("list", "--kind", "fact", "--state", "all", "--format", "csv", db=store)
    assert kinds.returncode == 0 and all(line.split(",")[1] == "fact" for line in kinds.stdout.splitlines()[1:])
