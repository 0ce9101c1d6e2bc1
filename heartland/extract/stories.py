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
THRESHOLD = 0.18
WINDOW_DAYS = 14
MAX_CANDIDATES = 200


#: Mention kinds specific enough to tell stories apart (states and groups are in every article).
SIG_KINDS = ("person", "institution", "armed_group", "think_tank", "infrastructure")


def signature(x: Extraction) -> set[str]:
    sig = {f"a:{m.actor}" for m in x.mentions if m.kind in SIG_KINDS}
    sig |= {f"d:{e.date}" for e in x.events if e.date and e.date_precision == "day"}
    sig |= {f"v:{f.indicator}:{f.value}" for f in x.facts}
    return sig


def _sig_from_store(conn: duckdb.DuckDBPyConnection, aid: str) -> set[str]:
    sig = {f"a:{a}" for a, in conn.execute(
        f"SELECT DISTINCT actor FROM mentions WHERE article_id = ? AND kind IN ({','.join('?' * len(SIG_KINDS))})",
        [aid, *SIG_KINDS]).fetchall()}
    sig |= {f"d:{d}" for d, in conn.execute(
        "SELECT date FROM events WHERE article_id = ? AND date_precision = 'day'", [aid]).fetchall()}
    sig |= {f"v:{i}:{v}" for i, v in conn.execute(
        "SELECT indicator, value FROM facts WHERE article_id = ?", [aid]).fetchall()}
    return sig


def jaccard(a: set, b: set) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


def similarity(texts: list[str], sigs: list[set[str]]) -> list[float]:
    """Similarity of texts[0] to each of texts[1:]."""
    vec = TfidfVectorizer(analyzer="char", ngram_range=(2, 3), sublinear_tf=True, min_df=1)
    m = vec.fit_transform(texts)
    cos = cosine_similarity(m[0], m[1:]).ravel()
    return [W_TEXT * c + W_SIG * jaccard(sigs[0], s) for c, s in zip(cos, sigs[1:])]


def assign_story(conn: duckdb.DuckDBPyConnection, article: Article, x: Extraction) -> str:
    pub = article.published
    params: list = [article.id]
    where = "a.id <> ?"
    if pub is not None:
        where += " AND a.published_utc BETWEEN ? AND ?"
        p = pub.astimezone(tz=None).replace(tzinfo=None) if pub.tzinfo else pub
        from datetime import timezone
        p = pub.astimezone(timezone.utc).replace(tzinfo=None) if pub.tzinfo else pub
        params += [p - timedelta(days=WINDOW_DAYS), p + timedelta(days=WINDOW_DAYS)]
    cands = conn.execute(
        f"SELECT a.id, a.normalised, s.story_id FROM articles a JOIN stories s ON s.article_id = a.id "
        f"WHERE {where} ORDER BY a.published_utc DESC LIMIT {MAX_CANDIDATES}", params).fetchall()
    story, best = f"story:{article.id}", 0.0
    if cands:
        sims = similarity([article.normalised or article.text] + [c[1] for c in cands],
                          [signature(x)] + [_sig_from_store(conn, c[0]) for c in cands])
        i = max(range(len(sims)), key=sims.__getitem__)
        if sims[i] >= THRESHOLD:
            story, best = cands[i][2], sims[i]
    conn.execute("INSERT OR REPLACE INTO stories VALUES (?, ?, ?)", [article.id, story, float(best)])
    return story
