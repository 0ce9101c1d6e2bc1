"""Stories: articles from different outlets about the same story, grouped.

Similarity of two articles = ``W_TEXT`` × cosine of their character n-gram TF-IDF vectors
(scikit-learn, 2–3-grams of the simplified text) + ``W_SIG`` × Jaccard overlap of their
signatures (actors named at least twice, event dates, figures). A new article joins the
story of its most similar article published within ``WINDOW_DAYS`` when the similarity
reaches ``THRESHOLD``; otherwise it starts a story. Only articles inside the window are
compared, so the cost per article stays bounded as the store grows. No model is
downloaded: everything is computed from the texts.
"""

from __future__ import annotations

from datetime import timedelta

import duckdb
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics.pairwise import cosine_similarity

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
    sig |= {f"v:{f.indicator}:{_num(f.value)}" for f in x.facts}
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
    return len(a & b) / len(a | b) if a and b else 0.0


def similarity(texts: list[str], sigs: list[set[str]]) -> list[float]:
    """Similarity of texts[0] to each of texts[1:]."""
    vec = TfidfVectorizer(analyzer="char", ngram_range=(2, 3), sublinear_tf=True, min_df=1)
    try:
        m = vec.fit_transform(texts)
        cos = cosine_similarity(m[0], m[1:]).ravel()
    except ValueError:  # no text at all (articles loaded from the bundle): signatures only
        cos = [0.0] * (len(texts) - 1)
    return [W_TEXT * c + W_SIG * jaccard(sigs[0], s) for c, s in zip(cos, sigs[1:])]


def assign_story(conn: duckdb.DuckDBPyConnection, article: Article, x: Extraction) -> str:
    """Choose the story (``choose_story``) and write it to the ``stories`` table."""
    story, best = choose_story(conn, article, x)
    conn.execute("INSERT OR REPLACE INTO stories VALUES (?, ?, ?)", [article.id, story, float(best)])
    return story


def choose_story(conn: duckdb.DuckDBPyConnection, article: Article, x: Extraction) -> tuple[str, float]:
    """The story of ``article``'s most similar recent article, or a new story, and the similarity.

    Candidates are the articles published within ``WINDOW_DAYS``; the ``TOP_K`` of them with
    the largest signature overlap are compared by text as well (TF-IDF fitted on those few).
    """
    from datetime import timezone

    pub = article.published
    params: list = [article.id]
    where = "a.id <> ?"
    if pub is not None:
        p = pub.astimezone(timezone.utc).replace(tzinfo=None) if pub.tzinfo else pub
        where += " AND a.published_utc BETWEEN ? AND ?"
        params += [p - timedelta(days=WINDOW_DAYS), p + timedelta(days=WINDOW_DAYS)]
    kinds = ",".join(f"'{k}'" for k in SIG_KINDS)
    # Candidates and their signatures in one query (rows with a NULL item carry the story).
    rows = conn.execute(
        f"WITH c AS (SELECT a.id, s.story_id FROM articles a JOIN stories s ON s.article_id = a.id "
        f"WHERE {where} ORDER BY a.published_utc DESC LIMIT {MAX_CANDIDATES}) "
        "SELECT id, story_id, NULL FROM c "
        f"UNION ALL SELECT DISTINCT article_id, NULL, 'a:' || actor FROM mentions "
        f"WHERE article_id IN (SELECT id FROM c) AND kind IN ({kinds}) "
        "UNION ALL SELECT article_id, NULL, 'd:' || CAST(date AS VARCHAR) FROM events "
        "WHERE article_id IN (SELECT id FROM c) AND date_precision = 'day' "
        "UNION ALL SELECT article_id, NULL, 'v:' || indicator || ':' || coalesce(printf('%.6g', value), '') "
        "FROM facts WHERE article_id IN (SELECT id FROM c)", params).fetchall()
    cands = [(r[0], r[1]) for r in rows if r[1] is not None]
    sigs: dict[str, set[str]] = {c[0]: set() for c in cands}
    for aid, _, item in rows:
        if item is not None:
            sigs[aid].add(item)
    story, best = f"story:{article.id}", 0.0
    ranked: list = []
    if cands:
        mine = signature(x)
        ranked = sorted(cands, key=lambda c: jaccard(mine, sigs[c[0]]), reverse=True)[:TOP_K]
        # Text similarity is only worth computing where the signatures overlap at all.
        ranked = [c for c in ranked if jaccard(mine, sigs[c[0]]) >= MIN_SIG]
    if cands and ranked:
        texts = dict(conn.execute(f"SELECT id, left(normalised, {TEXT_CHARS}) FROM articles "
                                  "WHERE id IN (SELECT unnest(?::VARCHAR[]))",
                                  [[c[0] for c in ranked]]).fetchall())
        sims = similarity([(article.normalised or article.text)[:TEXT_CHARS]] + [texts[c[0]] or "" for c in ranked],
                          [mine] + [sigs[c[0]] for c in ranked])
        i = max(range(len(sims)), key=sims.__getitem__)
        if sims[i] >= THRESHOLD:
            story, best = ranked[i][1], float(sims[i])
    return story, best
