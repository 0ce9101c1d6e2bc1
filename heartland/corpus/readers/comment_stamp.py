"""Captures that open with an HTML comment holding a millisecond timestamp, then a
markdown title link and the article as HTML (seeds 003 and 004).

The comment's timestamp is when the capture was made (``mirrored_at``, UTC); it is
not the outlet's time. The outlet's time, in its newsroom's zone, comes from:

* ``<time pudate="YYYY-MM-DD HH:MM:SS">`` (The New York Times Chinese, seed 003): the
  site prints Beijing time, so Asia/Shanghai (+08:00);
* a ``dd/mm/yyyy - HH:MM`` line (RFI, seed 004): Paris time, Europe/Paris;
* failing both, the capture time itself, marked ``published_basis='capture-time'``.

Authors come from ``<address>`` (an upper-case byline is re-cased from the footer's
spelling of the same name when there is one).
"""

from __future__ import annotations

import re

from heartland.corpus import dates, outlets
from heartland.corpus.boilerplate import split_names
from heartland.corpus.build import make_article
from heartland.corpus.html_blocks import parse_fragment
from heartland.corpus.readers.common import SETEXT_RULE, TITLE_LINK, body_from_tree
from heartland.corpus.records import Article
from heartland.corpus.results import ReaderError
from heartland.corpus.text import clean_inline

NAME = "comment-stamp"

_STAMP = re.compile(r"\A\s*<!--\s*(?P<ms>\d{9,14})\s*-->[ \t]*\n")
_DMY = re.compile(r"^\s*\d{1,2}/\d{1,2}/\d{4}\s*-\s*\d{1,2}:\d{2}\s*$")


def sniff(text: str) -> bool:
    return bool(_STAMP.match(text[:64]))


def _recase(name: str, haystack: str) -> str:
    if not name.isupper():
        return name
    m = re.search(re.escape(name), haystack, re.I)
    if m and not m.group(0).isupper():
        return m.group(0)
    return name.title()


def read(text: str, source: str) -> list[Article]:
    stamp = _STAMP.match(text)
    if not stamp:
        raise ReaderError("expected an opening <!--timestamp--> comment")
    captured = dates.from_epoch_ms(stamp.group("ms"))
    rest = text[stamp.end():]
    link = TITLE_LINK.search(rest[:3000])
    if not link:
        raise ReaderError("no markdown title link '[title](url)' after the timestamp comment")
    title, url = link.group("title"), link.group("url")
    rest = SETEXT_RULE.sub("", rest[link.end():], count=1)
    site = outlets.by_url(url)
    zone = site.tz if site else None

    root = parse_fragment(rest)
    byline: list[str] = []
    for addr in root.iter("address"):
        byline += split_names(clean_inline(addr.text_content()))
        addr.drop_tree()
    published, basis = None, None
    for t in list(root.iter("time")):
        value = t.get("pudate") or t.get("datetime")
        if published is None and value:
            published, basis = dates.parse_any(value, zone), "pudate"
        t.drop_tree()
    for el in list(root.iter("div", "p", "span")):
        own = clean_inline(el.text_content())
        if _DMY.match(own):
            if published is None:
                published, basis = dates.from_dmy_line(own, zone), "dateline"
            el.drop_tree()
    if published is None and captured is not None:
        published, basis = captured, "capture-time"

    footer_text = " ".join(clean_inline(f.text_content()) for f in root.iter("footer"))
    body = body_from_tree(root)
    authors = [_recase(a, footer_text) for a in byline] + body.authors
    return [make_article(
        paragraphs=body.paragraphs, title=title, url=url,
        outlet=site.name if site else None, authors=authors, published=published,
        published_basis=basis, captions=body.captions, source_path=source, reader=NAME,
        mirrored_at=captured, credits=body.credits,
    )]
