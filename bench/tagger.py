"""Speed of the LAC tagger's NumPy inference (heartland.extract.tagger) on the Chinese
articles of ../shared/corpus/real, against jieba.posseg.cut on the same text in the same run.

    .venv/bin/python bench/tagger.py
"""

from __future__ import annotations

import sys
import time

from threadpoolctl import threadpool_limits

from heartland import paths
from heartland.extract import tagger
from heartland.extract.gazetteer import to_simplified


def best(fn, repeat=3):
    times = []
    for _ in range(repeat):
        t = time.process_time()
        fn()
        times.append(time.process_time() - t)
    return min(times)


def main() -> int:
    corpus = paths.shared_corpus_dir()
    real = corpus / "real" if corpus else None
    if real is None or not real.is_dir():
        print("bench/tagger.py: ../shared/corpus/real not found, skipped")
        return 0
    try:
        model = tagger.load()
    except tagger.TaggerUnavailable as e:
        print(f"bench/tagger.py: {e}, skipped")
        return 0
    texts = [to_simplified(p.read_text(encoding="utf-8")) for p in sorted(real.iterdir())
             if p.suffix in (".md", ".txt") and p.name != "SOURCES.md"]
    texts = [t for t in texts if sum("\u4e00" <= c <= "\u9fff" for c in t) > 200]
    n = sum(len(t) for t in texts)
    pieces = [t[s:e] for t in texts for s, e in tagger.chunks(t) if tagger._HAS_CJK.search(t, s, e)]
    threadpool_limits(1, user_api="blas")
    import jieba
    import jieba.posseg as pseg
    jieba.setLogLevel(60)
    list(pseg.cut("预热"))
    tagger.tag_text(texts[0], model)
    t_all = best(lambda: [tagger.tag_text(t, model, gate=False) for t in texts])
    t_gate = best(lambda: [tagger.tag_text(t, model, gate=True) for t in texts])
    t_j = best(lambda: [list(pseg.cut(p)) for p in pieces])
    print(f"{len(texts)} Chinese articles, {n:,} characters ({sum(map(len, pieces)):,} in Chinese chunks), "
          f"CPU time per core, BLAS 1 thread")
    print(f"tagger, every chunk:    {n / t_all:10,.0f} chars/s  ({t_all:.2f} s)")
    print(f"tagger, cued chunks:    {n / t_gate:10,.0f} chars/s  ({t_gate:.2f} s)")
    print(f"jieba.posseg.cut:       {n / t_j:10,.0f} chars/s  ({t_j:.2f} s)")
    print(f"tagger / jieba speed:   every chunk {t_j / t_all:.2f}x, cued {t_j / t_gate:.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
