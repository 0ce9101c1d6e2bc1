"""Property tests: random bytes and mutated documents never make a reader raise.

Readers may only signal trouble with ReaderError (whole document) or EmptyArticle (no
text); anything else escaping is a bug. Seed documents are read from the shared corpus
at test time when present; the fixtures written for these tests are always used.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from heartland import paths
from heartland.corpus import Article, ReadError, read_bytes
from heartland.corpus.build import EmptyArticle
from heartland.corpus.readers import READERS
from heartland.corpus.results import ReaderError

FIX = Path(__file__).resolve().parent.parent / "fixtures" / "corpus"


def _documents() -> list[str]:
    docs = [p.read_text(encoding="utf-8") for p in sorted(FIX.iterdir())]
    seeds = paths.seeds_dir()
    if seeds is not None:
        docs += [p.read_text(encoding="utf-8") for p in sorted(seeds.iterdir()) if p.is_file()]
    return docs


DOCS = _documents()
FRAGMENTS = ["<", ">", "</p>", "<p>", "<div>", "</div>", "---\n", "\n---\n", "<!--", "-->",
             "<!--123-->\n", "[t](http://x)\n", "------\n", "<address>", "<time pudate='x'>",
             "{", "}", '"', ":", "\n", "\x00", "\ufeff", "Array", "责编：", "原文地址：",
             "<rss>", "<feed>", "<![CDATA[", "]]>", "&", "&#x0;", "&#99999999;", "\\u0000",
             "01/13/2024 - 25:61", "-99999999999999.html", "年13月45日", "<figcaption>"]


@st.composite
def mutated(draw) -> str:
    doc = draw(st.sampled_from(DOCS))
    for _ in range(draw(st.integers(1, 6))):
        op = draw(st.sampled_from(["cut", "delete", "insert", "dup"]))
        n = len(doc)
        i = draw(st.integers(0, max(n, 0)))
        if op == "cut":
            doc = doc[:i]
        elif op == "delete":
            j = draw(st.integers(i, min(n, i + 500)))
            doc = doc[:i] + doc[j:]
        elif op == "insert":
            piece = draw(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=30)))
            doc = doc[:i] + piece + doc[i:]
        else:
            j = draw(st.integers(i, min(n, i + 300)))
            doc = doc[:j] + doc[i:j] + doc[j:]
    return doc


def _check_reader(reader, text: str) -> None:
    try:
        out = reader.read(text, "prop.txt")
    except (ReaderError, EmptyArticle):
        return
    for r in out:
        assert isinstance(r, (Article, ReadError))
        if isinstance(r, Article):
            assert r.paragraphs and len(r.normalised) == len(r.text)
            assert all("\n" not in p for p in r.paragraphs)
            assert r.published is None or r.published.utcoffset() is not None


SETTINGS = settings(max_examples=60, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@pytest.mark.parametrize("reader", READERS, ids=lambda r: r.NAME)
@SETTINGS
@given(text=mutated())
def test_mutated_documents_never_raise(reader, text):
    _check_reader(reader, text)


@pytest.mark.parametrize("reader", READERS, ids=lambda r: r.NAME)
@SETTINGS
@given(data=st.binary(max_size=2000))
def test_random_bytes_decoded_never_raise(reader, data):
    _check_reader(reader, data.decode("utf-8", errors="replace"))


@SETTINGS
@given(data=st.one_of(st.binary(max_size=3000),
                      mutated().map(lambda s: s.encode("utf-8", errors="surrogatepass")),
                      mutated().map(lambda s: s.encode("gb18030", errors="replace"))))
def test_read_bytes_always_returns_results(data):
    out = read_bytes(data, "prop.bin")
    assert out and all(isinstance(r, (Article, ReadError)) for r in out)
    for r in out:
        if isinstance(r, ReadError):
            assert "internal error" not in r.message, r.message
