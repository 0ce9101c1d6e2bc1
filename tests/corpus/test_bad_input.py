"""Hostile input: each bad file is one clear ReadError naming it; valid files still load."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

import pytest
from rich.console import Console

from heartland.corpus import Article, ReadError, parse_size, read_bytes, read_file, read_path

FIX = Path(__file__).resolve().parent.parent / "fixtures" / "corpus"


def _err(results) -> ReadError:
    assert len(results) == 1 and isinstance(results[0], ReadError), results
    return results[0]


@pytest.mark.parametrize("data,phrase", [
    (b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, "looks like a PNG image"),
    (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "looks like a PDF file"),
    (b"\x7fELF\x02\x01\x01" + b"\x00" * 64, "looks like an executable"),
    (b"abc\x00\x00\x01\x02def" * 50, "contains NUL bytes"),
    (bytes(range(1, 32)) * 40, "binary file"),
])
def test_binary_files(data, phrase):
    e = _err(read_bytes(data, "blob.bin"))
    assert phrase in e.message and str(e).startswith("blob.bin: ")


@pytest.mark.parametrize("data,msg", [(b"", "empty file"), (b" \n\t\n  ", "empty file (only whitespace)")])
def test_empty_files(data, msg):
    assert _err(read_bytes(data, "e.txt")).message == msg


def test_truncated_html_page_is_recovered_not_lost():
    page = (FIX / "page_en.html").read_bytes()
    cut = page[: page.index(b"A transport ministry")]
    (a,) = read_bytes(cut, "cut.html")
    assert isinstance(a, Article)
    assert a.paragraphs[0].startswith("Negotiators") and len(a.paragraphs) == 2


def test_html_page_without_text_is_an_error():
    e = _err(read_bytes(b"<!doctype html><html><head><title>x</title></head><body><div><img src=a>"
                        b"</div></body></html>", "hollow.html"))
    assert "hollow.html: html-page:" in str(e)


def test_truncated_yaml_front_matter():
    doc = (FIX / "jekyll_original.md").read_bytes()
    e = _err(read_bytes(doc[:60], "post.md"))
    assert e.message == "jekyll: malformed YAML front matter: no closing '---' line"


def test_malformed_yaml_front_matter_names_the_line():
    doc = b'---\ntitle: "unterminated\nauthor: [a, b\n---\n<p>Body text that is fine.</p>\n'
    e = _err(read_bytes(doc, "bad.md"))
    assert e.message.startswith("jekyll: malformed YAML front matter at line")


def test_front_matter_that_is_not_a_mapping():
    e = _err(read_bytes(b"---\n- just\n- a list\n---\n<p>Body.</p>\n", "list.md"))
    assert "expected 'key: value' lines" in e.message


def test_oversize_file_is_refused_without_reading(tmp_path):
    big = tmp_path / "huge.txt"
    with open(big, "wb") as fh:  # sparse: 21 MB on paper, nothing on disk
        fh.truncate(21 * 1024 * 1024)
    e = _err(read_file(big))
    assert e.message == "file is 21.0 MB, over the 20.0 MB limit (raise it with --max-size)"
    small = tmp_path / "small.txt"
    small.write_text("Title: t\n\n" + "word " * 400)
    assert "over the 1.0 KB limit" in _err(read_file(small, max_size=1024)).message
    assert isinstance(read_file(small, max_size=parse_size("20MB"))[0], Article)


@pytest.mark.parametrize("text,value", [("20MB", 20 * 1024**2), ("512k", 512 * 1024),
                                        ("1.5 GB", int(1.5 * 1024**3)), ("1000", 1000)])
def test_parse_size(text, value):
    assert parse_size(text) == value


@pytest.mark.parametrize("bad", ["lots", "-1MB", "MB", "0"])
def test_parse_size_rejects(bad):
    with pytest.raises(ValueError):
        parse_size(bad)


def test_broken_symlink_and_missing_file(tmp_path):
    (tmp_path / "gone").symlink_to(tmp_path / "nowhere")
    e = _err(list(read_path(tmp_path)))
    assert e.message == "no such file (or a broken link)"
    assert _err(read_file(tmp_path / "missing.txt")).message == "no such file (or a broken link)"


UNREADABLE = textwrap.dedent("""
    import os, sys
    from pathlib import Path
    from heartland.corpus.reader import read_file   # import while still root, then
    try:
        os.setgid(65534); os.setuid(65534)          # become 'nobody': chmod 000 now blocks reads
    except PermissionError:
        print("NO-SETUID"); sys.exit(0)
    print(read_file(Path(sys.argv[1]))[0])
""")


def test_unreadable_file():
    """chmod 000. Root ignores file modes, so under root the read runs in a child process
    that drops to the unprivileged 'nobody' user (after importing heartland) first."""
    with tempfile.TemporaryDirectory() as d:
        os.chmod(d, 0o755)
        f = Path(d) / "secret.txt"
        f.write_text("Title: t\n\nA body that nobody may read.\n")
        f.chmod(0)
        try:
            if os.geteuid() != 0:
                assert _err(read_file(f)).message == "cannot read: permission denied"
            else:
                res = subprocess.run([sys.executable, "-c", UNREADABLE, str(f)],
                                     capture_output=True, text=True, timeout=120,
                                     cwd=str(Path(__file__).resolve().parents[2]))
                assert res.returncode == 0, res.stderr
                if res.stdout.strip() == "NO-SETUID":
                    pytest.skip("running as root without CAP_SETUID: cannot drop privileges "
                                "to make chmod 000 effective")
                assert res.stdout.strip() == f"{f}: cannot read: permission denied"
        finally:
            f.chmod(0o644)


def test_directory_argument_inside_list_is_walked(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "a.txt").write_text("Title: A\n\nSome body text here.\n")
    (tmp_path / ".hidden").write_text("Title: H\n\nHidden files are skipped.\n")
    res = list(read_path(tmp_path))
    assert [r.title for r in res] == ["A"]


@pytest.mark.slow
def test_ten_thousand_small_files_with_progress_bar(tmp_path, monkeypatch):
    """10,000 files in 10 directories: 10 hostile ones, and 2,500 distinct notes each
    present four times (as mirrors duplicate articles). Every distinct valid note is
    stored once, each bad file is reported on its own line, the progress bar runs to
    the end. Commits skip fsync here (HEARTLAND_DB_FSYNC=none, a documented bulk-load
    setting) to keep the test quick; the kill -9 tests run with the default."""
    from heartland.corpus.ingest import ingest_paths_cli
    from heartland.store import count_articles, session

    monkeypatch.setenv("HEARTLAND_DB_FSYNC", "none")
    root = tmp_path / "many"
    bad = set(range(7, 10000, 1000))
    for i in range(10000):
        d = root / f"{i // 1000:02d}"
        if i % 1000 == 0:
            d.mkdir(parents=True)
        f = d / f"f{i:05d}.txt"
        if i in bad:
            f.write_bytes(b"" if i % 2000 == 7 else b"\x00\x01binary\x00")
        else:
            n = i % 2500
            f.write_text(f"Title: note {n}\n\nShort note number {n} about the river.\n")
    valid_distinct = len({i % 2500 for i in range(10000) if i not in bad})
    console = Console(record=True, width=120, force_terminal=True)
    db = tmp_path / "many.duckdb"
    code = ingest_paths_cli([root], db=db, console=console, use_extract=False)
    out = console.export_text()
    assert code == 1
    assert "10000/10000" in out and "━" in out  # the bar reached the end
    assert out.count("✗ ") == 10
    assert f"✗ {root / '00' / 'f00007.txt'}: empty file" in out
    assert f"✗ {root / '01' / 'f01007.txt'}: binary file" in out
    assert "ingest summary" in out
    with session(db, read_only=True) as c:
        assert count_articles(c) == valid_distinct == 2500


def test_fifo_is_refused_not_waited_on(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    e = _err(list(read_path(tmp_path)))
    assert e.message == "cannot read: not a regular file (fifo, socket or device)"


# -- front matter: safe YAML ---------------------------------------------------------------

BOMB = ("---\ntitle: x\na0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
        + "".join(f"a{k}: &a{k} [{', '.join([f'*a{k - 1}'] * 9)}]\n" for k in range(1, 9))
        + "{field}: *a8\n---\n<p>Innocent body text.</p>\n")


@pytest.mark.parametrize("field", ["author", "tags", "categories", "date", "from"])
def test_yaml_alias_bombs_are_refused_not_expanded(field):
    """449 bytes of nested aliases would expand to 9^9 strings: refused from the parser's
    events, before anything is built (the file is named; the rest of the corpus goes on)."""
    import time
    doc = BOMB.replace("{field}", field).encode()
    assert len(doc) < 600
    t0 = time.perf_counter()
    e = _err(read_bytes(doc, "bomb.md"))
    assert time.perf_counter() - t0 < 1.0
    assert e.message.startswith("jekyll: YAML front matter uses anchors or aliases") and "refused" in e.message
    assert str(e).startswith("bomb.md: ")


@pytest.mark.parametrize("front,phrase", [
    ("title: &t x\n", "anchors or aliases"),
    ("title: x\nauthor: {name: Ana, mail: a@b}\n", "field 'author': expected a string or a list of strings, got a mapping"),
    ("title: [a, b]\n", "field 'title': expected a string, got a list"),
    ("title: x\ndate: {y: 2020}\n", "field 'date': expected a string, got a mapping"),
    ("title: x\nfrom: [[a]]\n", "field 'from': expected a string, got a list"),
    ("title: x\ncategories: [[a, b]]\n", "field 'categories': expected a string or a list of strings, got a nested list"),
    ("title: " + "x" * 5000 + "\n", "a value of 5,000 characters, over the 4,096 limit"),
    ("title: x\nauthor: [" + ", ".join(f"n{i}" for i in range(300)) + "]\n", "a list of 300 entries, over the 200 limit"),
    ("k" * 300 + ": v\n", "is 300 characters long; refused"),
    ("x: " + "[" * 20 + "]" * 20 + "\n", "nests deeper than 4 levels"),
    ("".join(f"k{i}: v\n" for i in range(3000)), "over 2000 values"),
    ("".join(f"k{i}: {'v' * 30}\n" for i in range(3000)), "over the 65,536-character limit"),
    ("title: !!python/object/apply:os.system [echo]\n", "malformed YAML front matter"),
])
def test_front_matter_fields_are_checked(front, phrase):
    e = _err(read_bytes(f"---\n{front}---\n<p>Body text that is fine.</p>\n".encode(), "fm.md"))
    assert phrase in e.message, e.message
    assert e.message.startswith("jekyll: ")


def test_typed_front_matter_still_reads():
    doc = (b"---\ntitle: 2024\nauthor: [Ana Reyes, 42]\ndate: 2023-05-01 10:00:00 +08:00\ntags: trade\n"
           b"draft: false\nimage: {path: /a.png, alt: a map}\nmood: {happy: yes}\n---\n<p>Body text that is fine.</p>\n")
    (a,) = read_bytes(doc, "ok.md")
    assert isinstance(a, Article) and a.title == "2024" and a.authors == ["Ana Reyes", "42"]
    assert any("'mood'" in w for w in a.warnings)  # an unknown key: warned, bounded, not read


# -- budgets per document ---------------------------------------------------------------------

def test_text_limit_per_article():
    from heartland.corpus.limits import Limits
    doc = ("Title: long\n\n" + "word " * 3000).encode()
    e = _err(read_bytes(doc, "long.txt", Limits(max_text=10_000)))
    assert e.message == "article text is 14,999 characters, over the 10,000 limit per article (raise it with --max-text)"
    assert isinstance(read_bytes(doc, "long.txt")[0], Article)


def test_time_budget_cuts_a_slow_reader(monkeypatch):
    import time

    from heartland.corpus import readers
    from heartland.corpus.limits import Limits
    from heartland.corpus.readers import plain_text

    def slow(text, source):
        while True:  # a reader that never ends (pure Python, or a regex: both are interrupted)
            time.sleep(0.01)

    monkeypatch.setattr(plain_text, "read", slow)
    t0 = time.monotonic()
    e = _err(read_bytes(b"Title: t\n\nsome text\n", "slow.txt", Limits(seconds=0.5)))
    assert 0.4 < time.monotonic() - t0 < 3
    assert e.message == "took over 0.5 s, the budget per document (raise it with --max-seconds)"
    assert readers.sniff("Title: t\n\nx") is plain_text


def test_time_budget_cuts_a_slow_extraction_and_the_batch_goes_on(tmp_path):
    """A processor's preparation over budget: the article is stored, the error recorded
    (one line, ingest_errors), every other document stored and prepared."""
    import time

    from heartland.store import ingest, session

    class Slow:
        def __call__(self, conn, article):  # pragma: no cover - the batch form is used
            pass

        def prepare(self, article):
            if "slow" in article.title:
                import re
                re.match(r"(a+)+b", "a" * 60)  # catastrophic backtracking: interrupted in the regex engine
            return article.id

        def write_batch(self, conn, items):
            conn.executemany("INSERT INTO prepared VALUES (?)", [[p] for _, p in items])

        def ensure_schema(self, conn):
            conn.execute("CREATE TABLE IF NOT EXISTS prepared (id VARCHAR)")

    for i, title in enumerate(["one", "slow two", "three"]):
        (tmp_path / f"{i}.txt").write_text(f"Title: {title}\n\nBody {i} text.\n")
    errors = []
    t0 = time.monotonic()
    rep = ingest([tmp_path], tmp_path / "s.duckdb", processors=[Slow()], max_seconds=0.5, on_error=errors.append)
    assert time.monotonic() - t0 < 10
    assert rep.new == 3 and [str(e) for e in errors] == [
        f"{tmp_path / '1.txt'}: processor Slow failed: took over 0.5 s, the budget per document "
        "(raise it with --max-seconds)"]
    with session(tmp_path / "s.duckdb", read_only=True) as c:
        assert c.execute("SELECT count(*) FROM prepared").fetchone()[0] == 2
        assert "budget per document" in c.execute("SELECT message FROM ingest_errors").fetchone()[0]


def test_budget_options_on_the_command_line(tmp_path):
    from typer.testing import CliRunner

    from heartland.cli import app

    (tmp_path / "a.txt").write_text("Title: t\n\n" + "word " * 400)
    out = CliRunner().invoke(app, ["ingest", str(tmp_path / "a.txt"), "--db", str(tmp_path / "x.duckdb"),
                                   "--max-text", "100", "--max-seconds", "5", "--no-extract"])
    assert out.exit_code == 1 and "over the 100 limit per article (raise it with --max-text)" in out.output
    help_text = CliRunner().invoke(app, ["ingest", "--help"], env={"COLUMNS": "200"}).output
    assert "--max-text" in help_text and "--max-seconds" in help_text


def test_file_names_that_are_not_utf8_are_escaped(tmp_path):
    from heartland.corpus.reader import source_name
    name = os.fsencode(str(tmp_path)) + b"/bad-\xff-name.txt"
    with open(name, "wb") as fh:
        fh.write(b"Title: t\n\nA body.\n")
    (a,) = list(read_path(tmp_path))
    assert a.source_path == f"{tmp_path}/bad-\\xff-name.txt" == source_name(os.fsdecode(name))
    a.source_path.encode("utf-8")  # storable and printable
