"""One article in, every kind of evidence out (pure: no database)."""

from __future__ import annotations

from heartland.corpus.records import Article
from heartland.extract.anaphora import resolve_references
from heartland.extract.dates import dateline_reference, find_dates, find_english_dates
from heartland.extract.events import extract_events
from heartland.extract.facts import extract_facts
from heartland.extract.mentions import find_mentions
from heartland.extract.quantities import find_quantities
from heartland.extract.quotes import extract_quotes
from heartland.extract.records import Extraction
from heartland.extract.text import sentences


def _normalised(article: Article) -> str:
    text = article.text
    norm = article.normalised
    if len(norm) == len(text):
        return norm
    from heartland.extract.gazetteer import to_simplified
    return to_simplified(text)


def extract_article(article: Article) -> Extraction:
    text = article.text
    norm = _normalised(article)
    pub = article.published
    sents = sentences(norm)
    notes: list[str] = []
    mentions = find_mentions(norm, text, article_id=article.id, notes=notes)
    refs = resolve_references(norm, mentions)
    if refs:
        mentions = sorted(mentions + [r.model_copy(update={"article_id": article.id}) for r in refs],
                          key=lambda m: (m.start, m.end))
    quantities = find_quantities(norm)
    # A dateline the corpus stage cut from the body (credits["dateline"]) still dates 今天/昨天/周二.
    ref = dateline_reference(" ".join(article.credits.get("dateline", [])), pub)
    dates = find_dates(norm, pub, reference=ref)
    if article.language != "zh" or article.script == "Latn":
        dates = sorted(dates + find_english_dates(norm, pub, reference=ref), key=lambda d: d.span_start)
    pub_day = pub.date() if pub is not None else None
    facts = extract_facts(text, norm, sents, mentions, quantities, dates, article.id, pub_day)
    events = extract_events(norm, sents, mentions, dates, article.id, published=pub_day)
    quotes = extract_quotes(text, norm, sents, mentions, pub, article.id)
    return Extraction(article_id=article.id, mentions=mentions, quantities=quantities, facts=facts,
                      events=events, quotes=quotes, warnings=notes)
