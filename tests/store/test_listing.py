"""``heartland articles`` reads listing rows without building Articles: same fields, same
values as the Article path; a table shows the latest few and says so; nothing found is said."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from heartland.corpus.records import PUBLIC_FIELDS
from heartland.store import ingest, list_articles, session
from heartland.store.cli import record
from heartland.store.listing import LIST_FIELDS, article_rows, count_rows

FIX = Path(__file__).resolve().parent.parent / "fixtures" / "corpus"


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "heartland.cli", *args], capture_output=True, text=True,
                          env={"COLUMNS": "200", "PATH": "/usr/bin:/bin"})


def test_rows_equal_the_article_records(tmp_path: Path):
    db = tmp_path / "s.duckdb"
    ingest([str(FIX)], db=db)
    assert LIST_FIELDS == tuple(f for f in PUBLIC_FIELDS if f != "paragraphs")
    with session(db, read_only=True) as conn:
        rows = article_rows(conn)
        expected = [record(a, LIST_FIELDS) for a in list_articles(conn)]
        latest = article_rows(conn, latest=3)
        assert count_rows(conn) == len(rows)
    assert rows == expected and len(rows) > 3
    assert latest == rows[-3:]
    table = _cli("articles", "--db", str(db), "--limit", "3")
    assert table.returncode == 0, table.stderr
    assert f"3 of {len(rows)} articles" in table.stdout
    assert f"showing the latest 3 of {len(rows)} rows" in table.stderr
    assert json.loads(_cli("articles", "--db", str(db), "--format", "json").stdout) == rows


def test_empty_results_are_said_in_words(tmp_path: Path):
    import duckdb

    from heartland.extract.schema import ensure_schema

    db = tmp_path / "s.duckdb"
    ingest([str(FIX)], db=db)
    with duckdb.connect(str(db)) as con:  # the evidence tables, empty
        ensure_schema(con)
    res = _cli("quotes", "--db", str(db), "--article", "ffffffffff")
    assert res.returncode == 0 and res.stdout.strip() == "no quotes match --article ffffffffff"
    res = _cli("facts", "--db", str(db), "--since", "2090", "--format", "csv")
    assert res.stdout.splitlines() == ["subject,object,indicator,value,low,high,unit,period_start,period_end,"
                                       "qualifier,article_id,span,sources"]
    assert json.loads(_cli("events", "--db", str(db), "--since", "2090", "--format", "json").stdout) == []
