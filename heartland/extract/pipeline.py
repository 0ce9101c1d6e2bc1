"""One article in, every kind of evidence out (pure: no database)."""

from __future__ import annotations

from heartland.corpus.records import Article
from heartland.extract.dates import find_dates, find_english_dates
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
    mentions = find_mentions(norm, text, article_id=article.id)
    quantities = find_quantities(norm)
    dates = find_dates(norm, pub)
    if article.language != "zh" or article.script == "Latn":
        dates = sorted(dates + find_english_dates(norm, pub), key=lambda d: d.span_start)
    facts = extract_facts(text, norm, sents, mentions, quantities, dates, article.id)
    events = extract_events(norm, sents, mentions, dates, article.id, published=pub.date() if hasattr(pub, "date") else pub)
    quotes = extract_quotes(text, norm, sents, mentions, pub, article.id)
    return Extraction(article_id=article.id, mentions=mentions, quantities=quantities, facts=facts,
                      events=events, quotes=quotes)
