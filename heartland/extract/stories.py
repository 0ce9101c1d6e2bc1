"""Stories: articles from different outlets about the same story, grouped.

Similarity of two articles = ``W_TEXT`` × cosine of their character n-gram TF-IDF vectors
(scikit-learn's char 2–3-gram analyser and TF-IDF formula on the simplified text, reproduced
in NumPy and tested equal to it) + ``W_SIG`` × Jaccard overlap of their
signatures (actors named at least twice, event dates, figures). A new article joins the
story of its most similar article published within ``WINDOW_DAYS`` when the similarity
reaches ``THRESHOLD``; otherwise it starts a story. Only articles inside the window are
compared, so the cost per article stays bounded as the store grows. No model is
downloaded: everything is computed from the texts.

Speed (docs/performance.md, ## extract): the ingest holds the only write lock while its
connection is open, so for that connection the signatures and the n-gram counts of the
leads of stored articles are cached by article id (read from the store once, or recorded
as the article is written); the TF-IDF weights, which depend on the few texts compared,
are computed from those counts with scikit-learn's formula (smooth idf, sublinear tf, l2
norm) instead of refitting a vectoriser for every new article.
"""

from __future__ import annotations

import heapq
import re
from bisect import bisect_right
from collections import OrderedDict
from datetime import timedelta
from itertools import islice

import duckdb
import numpy as np

from heartland.corpus.records import Article
from heartland.extract.records import Extraction

W_TEXT = 0.6
W_SIG = 0.4
THRESHOLD = 0.16
WINDOW_DAYS = 14
MAX_CANDIDATES = 500
TOP_K = 3
#: Signature overlap below which two articles are not compared by text at all.
MIN_SIG = 0.05
#: Leading characters compared by TF-IDF (the lead carries the story).
TEXT_CHARS = 1000


#: Mention kinds specific enough to tell stories apart (states and groups are in every article).
SIG_KINDS = ("person", "institution", "armed_group", "think_tank", "infrastructure")


def signature(x: Extraction) -> set[str]:
    sig = {f"a:{m.actor}" for m in x.mentions if m.kind in SIG_KINDS}
    sig |= {f"d:{e.date}" for e in x.events if e.date and e.date_precision == "day"}
    sig |= {f"v:{f.indicator}:{_num(f.value)}" for f in x.facts if f.indicator}  # as the store query: catalogue facts
    return sig


def _num(v: float | None) -> str:
    """The value as the signature query formats it (printf '%.6g'), so stored and fresh agree."""
    return "" if v is None else f"{float(v):.6g}"


def _sigs_from_store(conn: duckdb.DuckDBPyConnection, ids: list[str]) -> dict[str, set[str]]:
    """Signatures of stored articles, in one query."""
    out: dict[str, set[str]] = {i: set() for i in ids}
    if not ids:
        return out
    kinds = ",".join(f"'{k}'" for k in SIG_KINDS)
    rows = conn.execute(
        "WITH ids AS (SELECT unnest(?::VARCHAR[]) AS id) "
        f"SELECT DISTINCT article_id, 'a:' || actor FROM mentions WHERE article_id IN (SELECT id FROM ids) "
        f"AND kind IN ({kinds}) "
        "UNION ALL SELECT article_id, 'd:' || CAST(date AS VARCHAR) FROM events "
        "WHERE article_id IN (SELECT id FROM ids) AND date_precision = 'day' "
        "UNION ALL SELECT article_id, 'v:' || indicator || ':' || coalesce(printf('%.6g', value), '') FROM facts "
        "WHERE article_id IN (SELECT id FROM ids)", [ids]).fetchall()
    for aid, item in rows:
        if item is not None:
            out[aid].add(item)
    return out


def jaccard(a: set, b: set) -> float:
    if not a or not b:
        return 0.0
    inter = len(a & b)  # |a ∪ b| = |a| + |b| - |a ∩ b|: no union set built
    return inter / (len(a) + len(b) - inter)


#: What scikit-learn's character analyser folds: runs of two or more whitespace characters.
_WHITE_SPACES = re.compile(r"\s\s+")


#: Most n-gram profiles kept per connection (each a few thousand entries).
COUNT_CACHE = 2048


#: A text's n-gram profile: (sorted 64-bit ids of its distinct n-grams, 1 + ln(count) of each).
Profile = tuple[np.ndarray, np.ndarray]


def ngram_ids(text: str) -> np.ndarray:
    """The character 2- and 3-grams of ``text`` exactly as scikit-learn's
    ``TfidfVectorizer(analyzer="char", ngram_range=(2, 3))`` analyser cuts them (lower-cased,
    runs of whitespace folded to one space), each as one int64 built from its code points.

    Code points take 21 bits: a 2-gram is ``c0·2²¹ + c1`` (< 2⁴²), a 3-gram
    ``(c0 + 1)·2⁴² + c1·2²¹ + c2`` (≥ 2⁴², < 2⁶³), so the ids are exactly the n-grams, with
    no collisions and no Python string per n-gram (about ten times faster than the analyser).
    """
    folded = _WHITE_SPACES.sub(" ", text.lower())
    cp = np.frombuffer(folded.encode("utf-32-le"), dtype=np.uint32).astype(np.int64)
    if len(cp) < 2:
        return np.empty(0, dtype=np.int64)
    two = (cp[:-1] << 21) | cp[1:]
    three = ((cp[:-2] + 1) << 42) | (cp[1:-1] << 21) | cp[2:]
    return np.concatenate([two, three])


def _counts(text: str, cache: OrderedDict | None = None, key: str | None = None) -> Profile:
    """Sublinear term frequencies ``1 + ln(count)`` of the text's character n-grams."""
    if cache is not None and key in cache:
        cache.move_to_end(key)
        return cache[key]
    ids, counts = np.unique(ngram_ids(text), return_counts=True)
    prof = (ids, 1.0 + np.log(counts.astype(np.float64)))
    if cache is not None and key is not None:
        cache[key] = prof
        if len(cache) > COUNT_CACHE:
            cache.popitem(last=False)
    return prof


def tfidf_cosines(tfs: list[Profile]) -> list[float]:
    """Cosine of tfs[0]'s TF-IDF vector with each of tfs[1:], the weights fitted on these
    documents exactly as ``TfidfVectorizer(sublinear_tf=True)`` does: tf = 1 + ln(count)
    (given), idf = ln((1 + n) / (1 + df)) + 1, rows l2-normalised.

    One sort of all the documents' n-gram ids gives every id's vocabulary index and its
    document frequency (ids are distinct within a profile); the first document's weights
    are then spread over the vocabulary once, so each dot product is a gather, with no
    pairwise intersection.
    """
    n = len(tfs)
    if n < 2:
        return []
    ids = np.concatenate([t[0] for t in tfs])
    if not len(ids):
        return [0.0] * (n - 1)
    order = np.argsort(ids)
    ordered = ids[order]
    new = np.empty(len(ids), dtype=bool)
    new[0] = True
    np.not_equal(ordered[1:], ordered[:-1], out=new[1:])
    group = np.cumsum(new) - 1
    df = np.bincount(group)
    vocab_index = np.empty(len(ids), dtype=np.int64)
    vocab_index[order] = group
    idf = np.log((1 + n) / (1 + df)) + 1.0
    weights = np.concatenate([t[1] for t in tfs]) * idf[vocab_index]
    bounds = np.cumsum([0] + [len(t[0]) for t in tfs])
    first = weights[:bounds[1]]
    norm0 = float(np.sqrt(first @ first))
    dense = np.zeros(len(df))
    dense[vocab_index[:bounds[1]]] = first
    out = []
    for j in range(1, n):
        w = weights[bounds[j]:bounds[j + 1]]
        norm = float(np.sqrt(w @ w))
        dot = float(dense[vocab_index[bounds[j]:bounds[j + 1]]] @ w)
        out.append(dot / (norm0 * norm) if norm0 and norm else 0.0)
    return out


def similarity(texts: list[str], sigs: list[set[str]], keys: list[str | None] | None = None,
               cache: OrderedDict | None = None) -> list[float]:
    """Similarity of texts[0] to each of texts[1:] (``keys``: article ids for ``cache``)."""
    keys = keys or [None] * len(texts)
    cos = tfidf_cosines([_counts(t, cache, k) for t, k in zip(texts, keys)])
    return [W_TEXT * c + W_SIG * jaccard(sigs[0], s) for c, s in zip(cos, sigs[1:])]


#: Signatures and lead n-gram counts of stored articles, for the last connection used
#: (referenced here, so a new connection is never mistaken for it).
_CACHE: dict = {"conn": None, "sigs": {}, "counts": OrderedDict()}


def _cache(conn: duckdb.DuckDBPyConnection) -> dict:
    if _CACHE["conn"] is not conn:
        _CACHE.update(conn=conn, sigs={}, counts=OrderedDict())
    return _CACHE


def _cached_sigs(conn: duckdb.DuckDBPyConnection) -> dict[str, set[str]]:
    return _cache(conn)["sigs"]


def remember_signature(conn: duckdb.DuckDBPyConnection, article_id: str, x: Extraction) -> None:
    """Record the signature of rows just written for ``article_id`` on ``conn``."""
    _cached_sigs(conn)[article_id] = signature(x)


def forget_signatures(conn: duckdb.DuckDBPyConnection) -> None:
    """Drop the cached signatures and counts (after rows were written behind our back)."""
    _cache(conn).update(sigs={}, counts=OrderedDict())


def assign_story(conn: duckdb.DuckDBPyConnection, article: Article, x: Extraction) -> str:
    """Choose the story (``choose_story``) and write it to the ``stories`` table."""
    story, best = choose_story(conn, article, x)
    conn.execute("INSERT OR REPLACE INTO stories VALUES (?, ?, ?)", [article.id, story, float(best)])
    return story


def _utc(pub):
    from datetime import timezone

    return pub.astimezone(timezone.utc).replace(tzinfo=None) if pub.tzinfo else pub


def _recency(c: tuple) -> tuple:
    """Most recent first, undated last, then by id (a stable order for equal times)."""
    return (c[1] is None, -(c[1].timestamp()) if c[1] is not None else 0.0, c[0])


def choose_stories(conn: duckdb.DuckDBPyConnection, items: list[tuple[Article, Extraction]]
                   ) -> list[tuple[str, float]]:
    """``choose_story`` for several new articles in order: each one also sees the articles
    before it in ``items`` (with the stories chosen for them), as if they had been stored
    one by one. One query finds the stored candidates of all of them."""
    if not items:
        return []
    pubs = [_utc(a.published) if a.published is not None else None for a, _ in items]
    dated = [p for p in pubs if p is not None]
    where, params = "", []
    if len(dated) == len(pubs):
        where = "WHERE a.published_utc BETWEEN ? AND ?"
        params = [min(dated) - timedelta(days=WINDOW_DAYS), max(dated) + timedelta(days=WINDOW_DAYS)]
    stored = conn.execute(
        f"SELECT a.id, a.published_utc, s.story_id FROM articles a JOIN stories s ON s.article_id = a.id "
        f"{where}", params).fetchall()
    pool: list[tuple] = sorted(((r[0], r[1], r[2]) for r in stored), key=_recency)
    own_leads: dict[str, str] = {}
    out = []
    window = timedelta(days=WINDOW_DAYS)
    for (article, x), pub in zip(items, pubs):
        cands = islice((c for c in pool if c[0] != article.id and (
            pub is None or (c[1] is not None and abs(c[1] - pub) <= window))), MAX_CANDIDATES)
        story, best = _choose(conn, article, x, [(c[0], c[2]) for c in cands], own_leads)
        out.append((story, best))
        remember_signature(conn, article.id, x)
        own_leads[article.id] = (article.normalised or "")[:TEXT_CHARS]
        entry = (article.id, pub, story)
        # Keep the pool in recency order: after every entry that sorts before or with it.
        pool.insert(bisect_right(pool, _recency(entry), key=_recency), entry)
    return out


def choose_story(conn: duckdb.DuckDBPyConnection, article: Article, x: Extraction) -> tuple[str, float]:
    """The story of ``article``'s most similar recent article, or a new story, and the similarity.

    Candidates are the articles published within ``WINDOW_DAYS``; the ``TOP_K`` of them with
    the largest signature overlap are compared by text as well (TF-IDF fitted on those few).
    """
    return choose_stories(conn, [(article, x)])[0]


def _choose(conn: duckdb.DuckDBPyConnection, article: Article, x: Extraction,
            cands: list[tuple[str, str]], leads: dict[str, str]) -> tuple[str, float]:
    """Among ``cands`` = ``[(article_id, story_id)]`` (``leads``: texts of candidates not
    in the store yet)."""
    story, best = f"story:{article.id}", 0.0
    if not cands:
        return story, best
    cache = _cached_sigs(conn)
    missing = [c[0] for c in cands if c[0] not in cache]
    if missing:
        cache.update(_sigs_from_store(conn, missing))
    sigs = {c[0]: cache[c[0]] for c in cands}
    mine = signature(x)
    # nlargest is sorted(..., reverse=True)[:TOP_K] (ties in candidate order) without the sort.
    ranked = heapq.nlargest(TOP_K, cands, key=lambda c: jaccard(mine, sigs[c[0]]))
    # Text similarity is only worth computing where the signatures overlap at all.
    ranked = [c for c in ranked if jaccard(mine, sigs[c[0]]) >= MIN_SIG]
    if not ranked:
        return story, best
    counts = _cache(conn)["counts"]
    need = [c[0] for c in ranked if c[0] not in counts and c[0] not in leads]
    texts = dict(conn.execute(f"SELECT id, left(normalised, {TEXT_CHARS}) FROM articles "
                              "WHERE id IN (SELECT unnest(?::VARCHAR[]))", [need]).fetchall()) if need else {}
    texts.update({c[0]: leads[c[0]] for c in ranked if c[0] in leads})
    # The new article's own lead is cached under its id too, exactly as the store will give it
    # back as a candidate (its normalised text, or nothing).
    _counts((article.normalised or "")[:TEXT_CHARS], counts, article.id)
    own = (article.normalised or article.text)[:TEXT_CHARS]
    sims = similarity([own] + [texts.get(c[0]) or "" for c in ranked],
                      [mine] + [sigs[c[0]] for c in ranked],
                      [article.id if article.normalised else None] + [c[0] for c in ranked], counts)
    i = max(range(len(sims)), key=sims.__getitem__)
    if sims[i] >= THRESHOLD:
        story, best = ranked[i][1], float(sims[i])
    return story, best
