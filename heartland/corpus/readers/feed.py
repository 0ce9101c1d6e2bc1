"""RSS 2.0 and Atom feeds (feedparser): one article per item.

Time: the item's own ``pubDate`` (RFC 822) or Atom ``published``/``updated`` string,
parsed with its offset (feedparser's parsed form is normalised to UTC and loses it);
an item without one gets no time. The outlet is the feed's title (or the item URL's
known outlet); the body is the item's full content when present, else its summary.
"""

from __future__ import annotations

import re
import warnings

from heartland.corpus import dates, outlets
from heartland.corpus.boilerplate import split_names
from heartland.corpus.build import EmptyArticle, make_article
from heartland.corpus.html_blocks import parse_fragment
from heartland.corpus.readers.common import body_from_tree
from heartland.corpus.results import ReaderError, ReadError, ReadResult

NAME = "feed"

_START = re.compile(r"\A(?:\s|<\?xml[^>]*\?>|<!--.*?-->|<\?xml-stylesheet[^>]*\?>)*"
                    r"<(?:rss|feed|rdf:RDF)\b", re.S)


def sniff(text: str) -> bool:
    return bool(_START.match(text[:4096]))


def read(text: str, source: str) -> list[ReadResult]:
    import feedparser  # imported on first use

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        parsed = feedparser.parse(text)
    if not parsed.entries:
        problem = parsed.get("bozo_exception")
        why = f": {str(problem).splitlines()[0]}" if problem else ""
        raise ReaderError(f"feed without items{why}")
    feed_title = parsed.feed.get("title")
    out: list[ReadResult] = []
    for n, e in enumerate(parsed.entries, start=1):
        where = f"{source}#item{n}"
        link = e.get("link")
        outlet_rec = outlets.by_url(link) or outlets.by_name(feed_title)
        zone = outlet_rec.tz if outlet_rec else None
        html = ""
        if e.get("content"):
            html = e["content"][0].get("value", "")
        html = html or e.get("summary", "") or e.get("description", "")
        try:
            body = body_from_tree(parse_fragment(f"<div>{html}</div>"))
            raw = e.get("published") or e.get("updated") or e.get("dc_date")
            published = dates.parse_any(raw, zone) if raw else None
            authors = [a.get("name", "") for a in e.get("authors", []) if a.get("name")]
            if not authors and e.get("author"):
                authors = split_names(e["author"])
            out.append(make_article(
                paragraphs=body.paragraphs, title=e.get("title"), url=link,
                outlet=outlet_rec.name if outlet_rec else feed_title,
                authors=authors + body.authors, published=published,
                published_basis="feed" if published else None, captions=body.captions,
                source_path=where, reader=NAME, credits=body.credits,
            ))
        except (ReaderError, EmptyArticle) as exc:
            out.append(ReadError(source=source, line=None, message=f"item {n}: {exc}"))
    return out
