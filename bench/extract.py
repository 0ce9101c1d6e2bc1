"""Benchmark: the whole ingest (read, clean, extract, store) in MB of Chinese text per
second per core, against jieba.posseg.cut (part-of-speech tagging alone) on the same text.

    .venv/bin/python bench/extract.py [--copies N]

The corpus is the seeds (``../shared/corpus/seeds``) copied ``N`` times, each copy made a
distinct document by a numbered paragraph of our own, so every copy is read, cleaned,
extracted and stored; without the shared corpus the fixture articles of
tests/fixtures/extract are used (then the read step is skipped). "MB" is the UTF-8 size
of the articles' clean text; "per core" divides by the process CPU time (all threads).
Each side is timed ``--repeat`` times (default 3) and its best run is reported, as
``timeit`` does: the other runs measure the machine's noise, not the code. Every heartland
run ingests into a new, empty store.
Results go in docs/performance.md (## extract).
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def _seed_copies(copies: int, workdir: Path) -> list[Path] | None:
    from heartland import paths

    seeds = paths.seeds_dir()
    if seeds is None:
        return None
    out = workdir / "corpus"
    out.mkdir()
    files = sorted(p for p in seeds.iterdir() if p.is_file())
    made = []
    for i in range(copies):
        for f in files:
            raw = f.read_text(encoding="utf-8")
            # A distinct document: add a numbered line of our own at the end.
            marker = f"\n<p>基准测试副本编号{i}。</p>\n" if "<p>" in raw else f"\n\n基准测试副本编号{i}。\n"
            p = out / f"{i:04d}_{f.name}"
            p.write_text(raw + marker, encoding="utf-8")
            made.append(p)
    return made


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--copies", type=int, default=20)
    ap.add_argument("--repeat", type=int, default=3, help="runs per side; the best is reported")
    args = ap.parse_args()

    import jieba
    import jieba.posseg as pseg

    from heartland.corpus import read_path
    from heartland.extract.store_hook import ensure_schema, process_article
    from heartland.store import ingest, ingest_articles

    jieba.setLogLevel(60)
    work = Path(tempfile.mkdtemp(prefix="heartland-bench-"))
    try:
        files = _seed_copies(args.copies, work)
        if files is not None:
            source = f"seeds x{args.copies}"
            texts = [r.text for f in files for r in read_path(f) if hasattr(r, "paragraphs")]
            # Warm up imports and caches in a throwaway store: one seed and its next copy, so
            # that the story comparison (and its scikit-learn import, ~1-4 s once) runs too.
            warm = [files[0], files[len(files) // args.copies]] if args.copies > 1 else [files[0]]
            ingest(warm, work / "warm.duckdb", processors=[process_article], schema_hooks=[ensure_schema])
            runs = []
            for r in range(args.repeat):
                db = work / f"bench{r}.duckdb"
                c0, w0 = time.process_time(), time.perf_counter()
                rep = ingest([work / "corpus"], db, processors=[process_article], schema_hooks=[ensure_schema])
                runs.append((time.process_time() - c0, time.perf_counter() - w0))
                assert rep.ok and rep.stored == len(files), rep.errors
            cpu, wall = min(runs)
        else:
            sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
            from tests.extract.fixtures import fixture_set, make_article

            base = [a for name in ("dev", "heldout") for a, _ in fixture_set(name).values()]
            arts = [make_article(a.paragraphs + [f"基准测试副本编号{i}。"], a.published.isoformat(), a.title,
                                 a.outlet, a.language, a.script)
                    for i in range(args.copies * 10) for a in base]
            source = f"fixtures x{args.copies * 10} (no shared corpus: read step not timed)"
            texts = [a.text for a in arts]
            ingest_articles(arts[:2], work / "warm.duckdb", processors=[process_article], schema_hooks=[ensure_schema])
            runs = []
            for r in range(args.repeat):
                c0, w0 = time.process_time(), time.perf_counter()
                ingest_articles(arts, work / f"bench{r}.duckdb", processors=[process_article],
                                schema_hooks=[ensure_schema])
                runs.append((time.process_time() - c0, time.perf_counter() - w0))
            cpu, wall = min(runs)
        mb = sum(len(t.encode("utf-8")) for t in texts) / 1e6

        # The extraction alone (no reading, no store), for the breakdown.
        from heartland.extract.pipeline import extract_article
        if files is not None:
            arts = [r for f in files for r in read_path(f) if hasattr(r, "paragraphs")]
        ecpus = []
        for _ in range(args.repeat):
            e0 = time.process_time()
            for a in arts:
                extract_article(a)
            ecpus.append(time.process_time() - e0)
        ecpu = min(ecpus)

        list(pseg.cut(texts[0][:200]))  # load jieba's dictionaries outside the timing
        jruns = []
        for _ in range(args.repeat):
            j0, jw0 = time.process_time(), time.perf_counter()
            for t in texts:
                for _ in pseg.cut(t):
                    pass
            jruns.append((time.process_time() - j0, time.perf_counter() - jw0))
        jcpu, jwall = min(jruns)

        ours = mb / cpu
        theirs = mb / jcpu
        print(f"corpus: {source}; {len(texts)} articles, {mb:.2f} MB of clean text; best of {args.repeat} runs")
        print(f"heartland ingest (read+clean+extract+store): {cpu:.2f} s CPU, {wall:.2f} s wall "
              f"-> {ours:.3f} MB/s per core")
        print(f"  of which extraction alone (no read, no store): {ecpu:.2f} s CPU -> {mb / ecpu:.3f} MB/s per core")
        print(f"jieba.posseg.cut (tagging only):             {jcpu:.2f} s CPU, {jwall:.2f} s wall "
              f"-> {theirs:.3f} MB/s per core")
        print(f"ratio heartland / jieba: {ours / theirs:.2f}x")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
