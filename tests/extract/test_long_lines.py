"""Long lines and runs without spaces: sentences are bounded and extraction stays linear."""

from __future__ import annotations

# -- long lines and runs without spaces: bounded sentences, linear extraction ------------------

def test_sentences_are_capped_at_a_soft_break():
    from heartland.extract.text import MAX_SENTENCE, sentences

    words = ("trade grew by 12 percent while Russia kept its base " * 2000).strip()
    sents = sentences(words)
    assert len(sents) > 1 and all(s.end - s.start <= MAX_SENTENCE for s in sents)
    assert sents[0].start == 0 and sents[-1].end == len(words)
    assert all(a.end == b.start for a, b in zip(sents, sents[1:]))  # nothing lost, nothing doubled
    assert all(words[s.end - 1] == " " for s in sents[:-1])  # cut after a space
    run = "x" * 5000  # no space at all: hard cuts
    assert [s.end - s.start for s in sentences(run)] == [MAX_SENTENCE] * 5
    normal = "第一句话。Second sentence here. Third one, short，不超过上限。"
    assert len(sentences(normal)) == 3


def test_extraction_is_linear_on_one_line_documents():
    """One line of dense trigger words without a sentence end: was quadratic (34 s for
    25 KB, hours for 1 MB); now about linear. Three times the text takes well under
    nine times as long."""
    import random
    import time

    from heartland.corpus.build import make_article
    from heartland.extract.pipeline import extract_article

    rng = random.Random(1)
    vocab = ("the minister said trade with Kazakhstan grew by 12 percent in 2023 while Russia kept its base "
             "and China built a railway across the steppe he said").split()

    def doc(n):
        words = " ".join(rng.choice(vocab) for _ in range(n // 6))
        return make_article(paragraphs=[words], title="one line", url=None, outlet=None, authors=[],
                            published=None, published_basis=None, captions=[], source_path="x", reader="plain-text")

    extract_article(doc(2000))  # warm: gazetteer, vocabularies
    times = []
    for n in (60_000, 180_000):
        a = doc(n)
        t0 = time.perf_counter()
        extract_article(a)
        times.append(time.perf_counter() - t0)
    assert times[1] < 30, times
    assert times[1] / times[0] < 6.0, times
