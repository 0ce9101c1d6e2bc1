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


def _tables(db) -> dict[str, list]:
    """Every extraction table, in a stable order."""
    order = {"mentions": "article_id, span_start, actor", "quantities": "article_id, span_start",
             "facts": "fact_id", "conflicts": "fact_id_a, fact_id_b", "events": "event_id",
             "quotes": "quote_id", "stories": "article_id"}
    with open_store(db, read_only=True) as conn:
        return {t: conn.execute(f"SELECT * FROM {t} ORDER BY {o}").fetchall() for t, o in order.items()}


def test_groups_of_documents_equal_one_transaction_per_document(tmp_path):
    """Batched writing (stories, corroboration, conflicts across the articles of a group)
    gives exactly the tables of writing the same articles one by one."""
    from tests.extract.fixtures import fixture_set

    fixtures = [a for name in ("dev", "heldout") for a, _ in fixture_set(name).values()]
    arts = [make_article(A1, "2024-05-20T08:00:00+08:00", "一", outlet="One", url="https://one.example/a1"),
            make_article(A2, "2024-05-21T09:00:00+08:00", "二", outlet="Two", url="https://two.example/a2"),
            make_article(A3, "2024-05-22T09:00:00+08:00", "三", outlet="Three", url="https://three.example/a3"),
            make_article(A1 + ["另据报道。"], "2024-05-23T08:00:00+08:00", "四", outlet="Four"),
            make_article(A3 + ["据悉。"], "2024-05-24T09:00:00+08:00", "五", outlet="Five"),
            make_article(A4, None, "六", outlet="Six"), *fixtures]
    one, grouped, split = tmp_path / "one.duckdb", tmp_path / "grouped.duckdb", tmp_path / "split.duckdb"
    kw = dict(processors=[process_article], schema_hooks=[ensure_schema])
    assert ingest_articles(arts, one, group_docs=1, **kw).ok
    assert ingest_articles(arts, grouped, **kw).ok
    # A store that already holds some of them, the rest added as a group.
    assert ingest_articles(arts[:2], split, group_docs=1, **kw).ok
    assert ingest_articles(arts, split, group_docs=4, **kw).ok
    ref = _tables(one)
    assert ref["conflicts"] and any(r[19] > 2 for r in ref["facts"])  # the case is exercised
    assert _tables(grouped) == ref
    assert _tables(split) == ref


def test_a_bad_document_in_a_group_loses_only_itself(tmp_db):
    good = [make_article([f"2023年中国与哈萨克斯坦的贸易额达到{400 + i}亿美元。"], "2024-05-20T08:00:00+08:00",
                         f"好{i}") for i in range(5)]
    bad = make_article(["2023年中国与乌兹别克斯坦的贸易额达到100亿美元。"], "2024-05-20T08:00:00+08:00", "坏")

    def fails_on_bad_when_writing(conn, items):
        if any(a.id == bad.id for a, _ in items):
            raise ValueError("bad row")
        process_article.write_batch(conn, items)

    class Batched:
        __qualname__ = "Batched"
        prepare = staticmethod(process_article.prepare)
        write_batch = staticmethod(fails_on_bad_when_writing)

        def __call__(self, conn, article):  # pragma: no cover - the ingest uses the batch form
            raise AssertionError("batch form expected")

    rep = ingest_articles(good[:2] + [bad] + good[2:], tmp_db, processors=[Batched()],
                          schema_hooks=[ensure_schema])
    assert rep.new == 5 and len(rep.errors) == 1 and "bad row" in rep.errors[0].message
    with open_store(tmp_db, read_only=True) as conn:
        assert conn.execute("SELECT count(*) FROM articles").fetchone()[0] == 5
        assert conn.execute("SELECT count(DISTINCT article_id) FROM facts").fetchone()[0] == 5
        assert conn.execute("SELECT count(*) FROM articles WHERE id = ?", [bad.id]).fetchone()[0] == 0


def test_a_document_failing_extraction_is_reported_and_stored_with_its_error(tmp_db, monkeypatch):
    import heartland.extract.store_hook as hook

    arts = [make_article([f"2023年中国与哈萨克斯坦的贸易额达到{400 + i}亿美元。"], "2024-05-20T08:00:00+08:00",
                         f"文{i}") for i in range(3)]
    real = hook.extract_article
    monkeypatch.setattr(hook, "extract_article",
                        lambda a: (_ for _ in ()).throw(RuntimeError("cannot")) if a.title == "文1" else real(a))
    rep = _ingest(tmp_db, *arts)
    assert rep.new == 3 and len(rep.errors) == 1 and "cannot" in rep.errors[0].message
    with open_store(tmp_db, read_only=True) as conn:  # stored, its error recorded, no evidence rows
        assert conn.execute("SELECT article_id FROM ingest_errors").fetchall() == [(arts[1].id,)]
        assert conn.execute("SELECT count(*) FROM facts WHERE article_id = ?", [arts[1].id]).fetchone()[0] == 0


def test_story_ngrams_equal_scikit_learn_analyser():
    """stories.ngram_ids cuts exactly the n-grams of scikit-learn's char (2, 3) analyser."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    from heartland.extract.stories import ngram_ids

    analyse = TfidfVectorizer(analyzer="char", ngram_range=(2, 3)).build_analyzer()

    def decode(i: int) -> str:
        if i < 1 << 42:
            return chr(i >> 21) + chr(i & 0x1FFFFF)
        return chr((i >> 42) - 1) + chr((i >> 21) & 0x1FFFFF) + chr(i & 0x1FFFFF)

    for text in ["", "x", "ab", "Ab  C\t\n\u3000D", "中亚五国\n\n与 俄罗斯 İstanbul 🇰🇿 𠀀𠀁", "".join(A1)]:
        assert sorted(decode(int(i)) for i in ngram_ids(text)) == sorted(analyse(text)), text


def test_story_tfidf_equals_scikit_learn():
    """stories.tfidf_cosines (n-gram ids, NumPy) against TfidfVectorizer + cosine_similarity."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.metrics.pairwise import cosine_similarity

    from heartland.extract.stories import TEXT_CHARS, _counts, tfidf_cosines
    from tests.extract.fixtures import fixture_set

    texts = [a.normalised[:TEXT_CHARS] for name in ("dev", "heldout") for a, _ in fixture_set(name).values()]
    texts += ["".join(A1), "".join(A2), "".join(A3), "", "x"]
    for group in (texts[:4], texts[3:7], texts[-7:], texts):
        m = TfidfVectorizer(analyzer="char", ngram_range=(2, 3), sublinear_tf=True).fit_transform(group)
        want = cosine_similarity(m[:1], m[1:])[0]
        got = tfidf_cosines([_counts(t) for t in group])
        assert got == pytest.approx(list(want), abs=1e-12)
        assert max(got) > 0.05  # related texts: the comparison is not trivially zero


def test_a_tagger_failure_is_recorded_and_the_article_keeps_its_other_evidence(tmp_path, monkeypatch):
    """An article the name tagger cannot handle: its gazetteer mentions, facts and events
    are stored, and the failure is one row of ingest_errors."""
    import duckdb

    from heartland.extract import tagger
    from heartland.extract.store_hook import process_article
    from heartland.store import ingest

    def broken(*a, **k):
        raise RuntimeError("model exploded")

    monkeypatch.setattr(tagger, "tag_text", broken)
    doc = tmp_path / "a.txt"
    doc.write_text("2023年，中国与哈萨克斯坦贸易额约410亿美元。哈萨克斯坦总统托卡耶夫表示欢迎。\n", encoding="utf-8")
    db = tmp_path / "s.duckdb"
    report = ingest([doc], db=db, processors=[process_article])
    assert not report.errors
    con = duckdb.connect(str(db), read_only=True)
    errs = con.execute("SELECT processor, message FROM ingest_errors").fetchall()
    n_mentions = con.execute("SELECT count(*) FROM mentions").fetchone()[0]
    con.close()
    assert tagger.available(), "the LAC model package is missing (the Makefile installs it)"
    assert errs and errs[0][0] == "extract" and "tagger failed" in errs[0][1] and "model exploded" in errs[0][1]
    assert n_mentions >= 2
