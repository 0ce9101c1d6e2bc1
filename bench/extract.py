"""Benchmark: the whole ingest (read, clean, extract, store) in MB of Chinese text per
second per core, against jieba.posseg.cut (part-of-speech tagging alone) on the same text.

    .venv/bin/python bench/extract.py [--copies N]
    .venv/bin/python bench/extract.py --real [--mb 5] [--profile]   # the real corpus

``--real``: the real corpus (``../shared/corpus/real``, 81 articles) copied until its clean
text reaches ``--mb`` MB (default 5), each copy a distinct article (a numbered line of ours
at the end of the body and ``?hlcopy=N`` on its URLs), written to a temporary directory;
timed: the whole ingest with one process, with ``--workers 2`` (wall-time ratio; "per
core" there divides by the CPU of the writer and its workers together) and
``jieba.posseg.cut`` on the same clean text, and (``--profile``) one more one-process run
with every stage timed (reading and cleaning, each extraction stage, each store step).

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
import math
import re
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
    ap.add_argument("--real", action="store_true", help="the real corpus, repeated to --mb MB")
    ap.add_argument("--mb", type=float, default=5.0, help="--real: MB of clean text at least")
    ap.add_argument("--workers", type=int, default=2, help="--real: the parallel run's workers (0: skip)")
    ap.add_argument("--profile", action="store_true", help="--real: time every stage in one more run")
    args = ap.parse_args()
    if args.real:
        return run_real(mb=args.mb, repeat=args.repeat if "--repeat" in sys.argv else 1,
                        workers=args.workers, profile=args.profile)

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


# -- the real corpus (--real) ---------------------------------------------------------------

_URL = re.compile(r"(https?://[^\s)\"'<>\]]+)")


def real_copies(mb: float, workdir: Path) -> tuple[list[Path], int, float] | None:
    """The real corpus copied until its clean text reaches ``mb`` MB: ``(files, copies, MB)``.

    Each copy is a distinct article: a numbered line of ours closes the body (a new text, so
    a new id) and ``?hlcopy=N`` marks its URLs (a new article, not a new version of the
    original). Nothing is written into the repository.
    """
    from heartland import paths
    from heartland.corpus import read_path

    corpus = paths.shared_corpus_dir()
    real = corpus / "real" if corpus is not None else None
    if real is None or not real.is_dir():
        return None
    originals = sorted(p for p in real.iterdir() if p.is_file() and p.name != "SOURCES.md")
    one = sum(len(r.text.encode("utf-8")) for f in originals for r in read_path(f) if hasattr(r, "paragraphs"))
    copies = max(1, math.ceil(mb * 1e6 / one))
    out = workdir / "real"
    out.mkdir()
    files = []
    for i in range(copies):
        for f in originals:
            raw = f.read_text(encoding="utf-8")
            raw = _URL.sub(lambda m: m.group(1) + ("&" if "?" in m.group(1) else "?") + f"hlcopy={i}", raw)
            raw += f"\n<p>基准测试副本编号{i}。</p>\n" if "<p>" in raw else f"\n\n基准测试副本编号{i}。\n"
            p = out / f"{i:04d}_{f.name}"
            p.write_text(raw, encoding="utf-8")
            files.append(p)
    return files, copies, one * copies / 1e6


class StageTimer:
    """CPU time per stage, each stage's own time (a stage called inside another is not
    counted twice). Wraps module-level functions by name; what it cannot find is skipped,
    so it keeps working as the stages change."""

    def __init__(self):
        self.own: dict[str, float] = {}
        self.calls: dict[str, int] = {}
        self.stack: list[list] = []
        self.undo: list[tuple] = []

    def wrap(self, module, name: str, label: str | None = None, attr_of: object = None) -> None:
        target = attr_of if attr_of is not None else module
        fn = getattr(target, name, None)
        if not callable(fn) or getattr(fn, "_bench_wrapped", False):
            return
        label = label or name
        timer = self

        def wrapped(*a, **k):
            frame = [time.process_time(), 0.0]
            timer.stack.append(frame)
            try:
                return fn(*a, **k)
            finally:
                timer.stack.pop()
                spent = time.process_time() - frame[0]
                timer.own[label] = timer.own.get(label, 0.0) + spent - frame[1]
                timer.calls[label] = timer.calls.get(label, 0) + 1
                if timer.stack:
                    timer.stack[-1][1] += spent

        wrapped._bench_wrapped = True  # type: ignore[attr-defined]
        for attr in ("prepare", "write_batch", "ensure_schema"):
            if hasattr(fn, attr):
                setattr(wrapped, attr, getattr(fn, attr))
        setattr(target, name, wrapped)
        self.undo.append((target, name, fn))

    def restore(self) -> None:
        for target, name, fn in reversed(self.undo):
            setattr(target, name, fn)
        self.undo.clear()


def _install_timers() -> StageTimer:
    import heartland.extract.pipeline as pipeline
    import heartland.extract.store_hook as hook
    import heartland.store.ingestion as ingestion

    t = StageTimer()
    t.wrap(ingestion, "read_file", "read + clean (corpus reader)")
    t.wrap(ingestion, "open_store", "store: open + schema hooks")
    t.wrap(ingestion, "known_ids", "store: lookups")
    t.wrap(ingestion, "current_versions", "store: lookups")
    t.wrap(ingestion, "insert_articles", "store: article rows")
    t.wrap(ingestion, "_write_group", "store: transaction, commit, rest")
    t.wrap(hook, "extract_article", "extract: other (records)")
    # Every extraction stage the pipeline calls, whatever it is called after a change.
    for name, obj in list(vars(pipeline).items()):
        if (callable(obj) and getattr(obj, "__module__", "").startswith("heartland.extract")
                and not isinstance(obj, type) and name not in ("extract_article",)):
            t.wrap(pipeline, name, f"extract: {name}")
    t.wrap(hook, "write_extractions", "store: extraction rows")
    t.wrap(hook, "link_batch", "store: corroboration (link_batch)")
    import heartland.extract.stories as stories
    t.wrap(stories, "choose_stories", "store: story choice (choose_stories)")
    return t


def run_real(mb: float = 5.0, repeat: int = 1, workers: int = 2, profile: bool = False) -> int:
    import os

    import jieba
    import jieba.posseg as pseg

    from heartland.corpus import read_path
    from heartland.extract.store_hook import ensure_schema, process_article
    from heartland.store import ingest

    jieba.setLogLevel(60)
    kw = dict(processors=[process_article], schema_hooks=[ensure_schema])
    work = Path(tempfile.mkdtemp(prefix="heartland-bench-real-"))
    try:
        made = real_copies(mb, work)
        if made is None:
            print("no real corpus at ../shared/corpus/real: nothing to measure")
            return 1
        files, copies, size = made
        texts = [r.text for f in files for r in read_path(f) if hasattr(r, "paragraphs")]
        mb_text = sum(len(t.encode("utf-8")) for t in texts) / 1e6
        n = len(texts)
        print(f"corpus: real x{copies}; {n} articles, {mb_text:.2f} MB of clean text "
              f"({sum(f.stat().st_size for f in files) / 1e6:.2f} MB of files); "
              f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at the start")
        ingest(files[:2] + [files[len(files) // copies]], work / "warm.duckdb", **kw)

        def one_run(tag: str, w: int) -> tuple[float, float, float]:
            db = work / f"{tag}.duckdb"
            c0, w0 = time.process_time(), time.perf_counter()
            rep = ingest([work / "real"], db, workers=w, **kw)
            wall, writer = time.perf_counter() - w0, time.process_time() - c0
            assert rep.ok and rep.stored == n, rep.errors[:3]
            db.unlink()
            return writer + rep.worker_cpu, wall, writer

        results: dict[str, list] = {"1": [], "w": []}
        for r in range(repeat):  # interleaved, so that both see the same machine
            results["1"].append(one_run(f"one{r}", 1))
            if workers > 1:
                results["w"].append(one_run(f"par{r}", workers))
        cpu1 = min(r[0] for r in results["1"])
        wall1 = min(r[1] for r in results["1"])

        # jieba on one copy of the corpus (the copies are the same text but for our numbered
        # line, so its speed per MB is the same): on all of it 5 MB would take minutes, since
        # its HMM for unknown words is slow on traditional characters (≈ 0.01 MB/s).
        arts1 = [r for f in files[: len(files) // copies] for r in read_path(f) if hasattr(r, "paragraphs")]
        list(pseg.cut(texts[0][:200]))  # jieba's dictionaries load outside the timing
        jbest: dict[str, float] = {}
        for _ in range(repeat):
            spent: dict[str, float] = {}
            for a in arts1:
                j0 = time.process_time()
                for _ in pseg.cut(a.text):
                    pass
                spent[a.script] = spent.get(a.script, 0.0) + time.process_time() - j0
            for k, v in spent.items():
                jbest[k] = min(v, jbest.get(k, v))
        size1: dict[str, float] = {}
        for a in arts1:
            size1[a.script] = size1.get(a.script, 0.0) + len(a.text.encode("utf-8")) / 1e6
        jcpu = sum(jbest.values()) * mb_text / sum(size1.values())  # scaled to the whole corpus
        by_script = ", ".join(f"{k} {size1[k]:.3f} MB: {size1[k] / jbest[k]:.3f} MB/s" for k in sorted(jbest))
        ours, theirs = mb_text / cpu1, mb_text / jcpu
        print(f"heartland ingest, one process (read+clean+extract+store): {cpu1:.2f} s CPU, {wall1:.2f} s wall "
              f"-> {ours:.3f} MB/s per core (floor 0.3)")
        print(f"jieba.posseg.cut (tagging only), one copy of the corpus: {theirs:.3f} MB/s per core "
              f"(by script: {by_script})")
        print(f"ratio heartland / jieba: {ours / theirs:.2f}x")
        if "Hans" in jbest:
            hans = size1["Hans"] / jbest["Hans"]
            print(f"ratio heartland (whole corpus) / jieba on the simplified-script articles only: {ours / hans:.2f}x")
        if results["w"]:
            cpuw = min(r[0] for r in results["w"])
            wallw = min(r[1] for r in results["w"])
            writer = min(r[2] for r in results["w"])
            print(f"heartland ingest --workers {workers}: {wallw:.2f} s wall, {cpuw:.2f} s CPU "
                  f"(writer {writer:.2f} + workers {cpuw - writer:.2f}) -> {mb_text / cpuw:.3f} MB/s per core, "
                  f"{mb_text / wallw:.3f} MB/s")
            print(f"ratio --workers {workers} / --workers 1 (wall time): {wall1 / wallw:.2f}x"
                  + ("" if repeat == 1 else f" (runs: 1: {[round(r[1], 1) for r in results['1']]}, "
                                             f"{workers}: {[round(r[1], 1) for r in results['w']]})")
                  + f"; bound by the writer's share: {cpu1 / max(writer, cpuw / 2):.2f}x at most on 2 idle cores")
        if profile:
            timer = _install_timers()
            try:
                c0 = time.process_time()
                rep = ingest([work / "real"], work / "profile.duckdb", **kw)
                total = time.process_time() - c0
            finally:
                timer.restore()
            assert rep.ok
            print(f"\nwhere the time goes (one process, {total:.2f} s CPU, {1000 * total / n:.2f} ms per article):")
            rows = sorted(timer.own.items(), key=lambda kv: -kv[1])
            for label, secs in rows:
                print(f"  {label:<42} {secs:7.2f} s  {100 * secs / total:5.1f} %  {1000 * secs / n:6.2f} ms/article")
            rest = total - sum(timer.own.values())
            print(f"  {'ingest loop, report, other':<42} {rest:7.2f} s  {100 * rest / total:5.1f} %")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
