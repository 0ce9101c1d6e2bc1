"""Benchmark: reading and cleaning documents (heartland.corpus) vs trafilatura.extract.

    .venv/bin/python bench/ingest.py [--copies 200] [--store 1000]

Generates a corpus of a few thousand documents from the test fixtures (every format:
mirror markdown, Jekyll posts, comment-stamp captures, full HTML pages, plain text,
JSON Lines, RSS/Atom), each copy made distinct, and measures in one run:

1. read + clean, all formats: documents/s, articles/s, MB/s (decode, sniff, parse,
   clean, OpenCC-normalise, build the Article record);
2. the HTML-bearing documents only: heartland's reader vs ``trafilatura.extract`` on the
   same documents (what a user would reach for instead), as a ratio of documents/s;
3. with the seed articles (../shared/corpus/seeds, when present) copied the same way;
4. writing to the DuckDB store, one transaction per article (default fsync).
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import sys
import tempfile
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from heartland import paths  # noqa: E402
from heartland.corpus import Article, read_bytes  # noqa: E402

FIX = ROOT / "tests" / "fixtures" / "corpus"
HTML_READERS = {"html-page", "mirror-markdown", "jekyll", "comment-stamp"}


def variants(data: bytes, copies: int) -> list[bytes]:
    """Distinct copies: the copy number is written before every sentence ending."""
    out = []
    for i in range(copies):
        d = data.replace("。".encode(), f"{i}。".encode())
        d = re.sub(rb"\.(?=[\s<\"\\&])", f" {i}.".encode(), d)
        out.append(d)
    return out


def timed(fn, docs: list[bytes], repeat: int = 3) -> tuple[float, list]:
    """Best of ``repeat`` wall times (s) over all docs, and the last run's outputs."""
    best, outs = float("inf"), []
    for _ in range(repeat):
        t0 = time.perf_counter()
        outs = [fn(d) for d in docs]
        best = min(best, time.perf_counter() - t0)
    return best, outs


def compare(label: str, docs: list[bytes], repeat: int = 3) -> None:
    """heartland vs trafilatura.extract on the same documents, runs interleaved (best of
    ``repeat`` each) so that a shared machine's changing load hits both alike."""
    if not docs:
        return
    mb = sum(map(len, docs)) / 1e6
    t_ours = t_theirs = float("inf")
    for _ in range(repeat):
        t_ours = min(t_ours, timed(ours, docs, 1)[0])
        t_theirs = min(t_theirs, timed(theirs, docs, 1)[0])
    print(f"{label} ({len(docs)} docs, {mb:.2f} MB):")
    print(f"  heartland reader      : {len(docs) / t_ours:8.0f} docs/s  {mb / t_ours:6.2f} MB/s")
    print(f"  trafilatura.extract   : {len(docs) / t_theirs:8.0f} docs/s  {mb / t_theirs:6.2f} MB/s")
    print(f"  ratio heartland/trafilatura (docs/s): {t_theirs / t_ours:.2f}x")


def ours(d: bytes) -> list:
    return read_bytes(d, "bench")


def theirs(d: bytes):
    import trafilatura

    return trafilatura.extract(d.decode("utf-8"), include_comments=False, include_tables=False)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--copies", type=int, default=200, help="copies of each fixture document")
    ap.add_argument("--store", type=int, default=1000, help="articles written to the store")
    args = ap.parse_args()
    warnings.simplefilter("ignore")
    import trafilatura  # noqa: F401 - imported before timing

    fixtures = sorted(p for p in FIX.iterdir() if p.is_file())
    docs = [v for p in fixtures for v in variants(p.read_bytes(), args.copies)]
    mb = sum(map(len, docs)) / 1e6
    ours(docs[0]), theirs(b"<html><body><p>warm up</p></body></html>")

    t, outs = timed(ours, docs, repeat=2)
    arts = [a for out in outs for a in out if isinstance(a, Article)]
    print(f"load average before: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(f"corpus: {len(docs)} documents ({len(fixtures)} fixtures x {args.copies}), {mb:.2f} MB")
    print(f"read+clean, all formats : {len(docs) / t:8.0f} docs/s  {len(arts) / t:8.0f} articles/s"
          f"  {mb / t:6.2f} MB/s")

    def reader_of(out: list) -> str | None:
        return next((a.reader for a in out if isinstance(a, Article)), None)

    pages = [d for d, out in zip(docs, outs) if reader_of(out) == "html-page"]
    fragments = [d for d, out in zip(docs, outs) if reader_of(out) in HTML_READERS - {"html-page"}]
    compare("full HTML pages (heartland's reader runs trafilatura itself, then cleans)", pages)
    compare("seed-format documents with HTML fragments (mirror, Jekyll, comment-stamp)",
            fragments)
    seeds = paths.seeds_dir()
    if seeds is not None:
        sdocs = [v for p in sorted(seeds.iterdir()) if p.is_file() for v in variants(p.read_bytes(), 100)]
        compare("the five seed articles x100", sdocs)

    from heartland.store import ingest_articles

    sample = arts[: args.store]
    with tempfile.TemporaryDirectory() as d:
        t0 = time.perf_counter()
        rep = ingest_articles(sample, Path(d) / "bench.duckdb")
        ts = time.perf_counter() - t0
    per = [ts / max(rep.stored, 1) * 1000]
    print(f"load average after: {os.getloadavg()[0]:.1f}")
    print(f"store write ({rep.stored} articles, one transaction each): "
          f"{rep.stored / ts:6.0f} articles/s ({statistics.mean(per):.2f} ms/article)")


if __name__ == "__main__":
    main()
