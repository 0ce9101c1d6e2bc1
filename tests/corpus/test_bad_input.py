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
