"""The extraction processor inside the store: tables, corroboration, conflicts, stories, CLI."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from heartland.cli import app
from heartland.extract.store_hook import ensure_schema, process_article
from heartland.store import ingest_articles, open_store
from tests.extract.fixtures import make_article

A1 = ["据海关统计，2023年中国与哈萨克斯坦的贸易额达到410亿美元。",
      "哈萨克斯坦总统托卡耶夫5月17日在阿斯塔纳会见了中国国家主席习近平，两国签署了合作协议。"]
A2 = ["新华社报道说，2023年中国与哈萨克斯坦的贸易额约为410亿美元，创历史新高。",
      "5月17日，托卡耶夫与习近平在阿斯塔纳举行会谈。"]
A3 = ["另据一份报告，2023年中国与哈萨克斯坦的贸易额为320亿美元。"]
A4 = ["2023年俄罗斯向吉尔吉斯斯坦派出了一支工程兵部队，协助修建边境道路，预计明年完工。"]


def _ingest(db, *arts):
    return ingest_articles(list(arts), db, processors=[process_article], schema_hooks=[ensure_schema])


@pytest.fixture()
def store(tmp_db):
    a1 = make_article(A1, "2024-05-20T08:00:00+08:00", "中哈贸易", outlet="Outlet One", url="https://one.example/a1")
    a2 = make_article(A2, "2024-05-21T09:00:00+08:00", "中哈貿易", outlet="Outlet Two", url="https://two.example/a2")
    a3 = make_article(A3, "2024-05-22T09:00:00+08:00", "报告", outlet="Outlet Three", url="https://three.example/a3")
    a4 = make_article(A4, "2024-09-01T09:00:00+08:00", "工程兵", outlet="Outlet Two", url="https://two.example/a4")
    rep = _ingest(tmp_db, a1, a2, a3, a4)
    assert rep.ok, rep.errors
    return tmp_db, (a1, a2, a3, a4)


def test_tables_and_provenance(store):
    db, arts = store
    conn = open_store(db, read_only=True)
    texts = {a.id: a.text for a in arts}
    for t in ("mentions", "quantities", "facts", "fact_sources", "conflicts", "events", "quotes", "stories"):
        conn.execute(f"SELECT count(*) FROM {t}").fetchone()
    for aid, s, e, surface in conn.execute("SELECT article_id, span_start, span_end, surface FROM mentions").fetchall():
        assert texts[aid][s:e] == surface
    assert conn.execute("SELECT count(*) FROM facts").fetchone()[0] >= 3


def test_same_fact_two_outlets_is_one_fact_with_two_sources(store):
    db, (a1, a2, a3, _) = store
    conn = open_store(db, read_only=True)
    rows = conn.execute("SELECT article_id, sources, n_sources, value FROM facts WHERE indicator = 'trade_total' "
                        "AND subject = 'CHN' AND object = 'KAZ' ORDER BY article_id").fetchall()
    by_article = {r[0]: r for r in rows}
    assert sorted(by_article[a1.id][1]) == sorted([a1.id, a2.id]) and by_article[a1.id][2] == 2
    assert sorted(by_article[a2.id][1]) == sorted([a1.id, a2.id])
    assert by_article[a3.id][1] == [a3.id]  # 32 bn contradicts 41 bn: not a source


def test_different_values_are_a_recorded_conflict(store):
    db, (a1, a2, a3, _) = store
    conn = open_store(db, read_only=True)
    pairs = conn.execute("SELECT article_a, article_b, value_a, value_b FROM conflicts").fetchall()
    assert {(r[0], r[1]) for r in pairs} == {(a1.id, a3.id), (a2.id, a3.id)}
    assert conn.execute("SELECT bool_and(conflict) FROM facts WHERE article_id = ?", [a3.id]).fetchone()[0]


def test_reingest_changes_nothing(store):
    db, arts = store
    conn = open_store(db, read_only=True)
    before = {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("facts", "mentions", "events")}
    conn.close()
    rep = _ingest(db, *arts)
    assert rep.stored == 0
    conn = open_store(db, read_only=True)
    after = {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("facts", "mentions", "events")}
    assert before == after


def test_stories_group_the_same_story_across_outlets(store):
    db, (a1, a2, a3, a4) = store
    conn = open_store(db, read_only=True)
    story = dict(conn.execute("SELECT article_id, story_id FROM stories").fetchall())
    assert story[a1.id] == story[a2.id]
    assert story[a4.id] not in (story[a1.id],)


def test_cli_json_fields_are_stable(store):
    db, (a1, a2, _, _) = store
    r = CliRunner().invoke(app, ["facts", "--db", str(db), "--actor", "KAZ", "--indicator", "trade_total",
                                 "--format", "json"])
    assert r.exit_code == 0, r.output
    rows = json.loads(r.output)
    assert rows and list(rows[0]) == ["subject", "object", "indicator", "value", "low", "high", "unit",
                                      "period_start", "period_end", "qualifier", "article_id", "span", "sources"]
    r = CliRunner().invoke(app, ["events", "--db", str(db), "--since", "2024-05-01", "--format", "json"])
    ev = json.loads(r.output)
    assert ev and {"date", "date_precision", "type", "actors", "article_id", "span"} <= set(ev[0])
    assert any(e["date"] == "2024-05-17" for e in ev)
    r = CliRunner().invoke(app, ["mentions", "--db", str(db), "--article", a1.id[:8], "--type", "person",
                                 "--format", "csv"])
    assert r.exit_code == 0 and "person:tokayev" in r.output
    r = CliRunner().invoke(app, ["quotes", "--db", str(db), "--format", "json"])
    assert r.exit_code == 0 and isinstance(json.loads(r.output), list)


def test_cli_bad_options_are_one_line_errors(store):
    db, _ = store
    from heartland.extract.query import facts, parse_date
    from heartland.errors import UserError
    with pytest.raises(UserError, match="--since"):
        parse_date("last tuesday", "--since")
    conn = open_store(db, read_only=True)
    with pytest.raises(UserError, match="unknown actor"):
        facts(conn, actor="Narnia")
