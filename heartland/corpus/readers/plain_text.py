"""Plain text: an optional block of ``Key: value`` header lines (Title, URL, Outlet, Via,
Author(s), Published/Date, Language), then the body; without headers the first line is
the title when more text follows. Paragraphs are separated by blank lines; hard-wrapped
lines inside a paragraph are joined (without a space between Chinese characters).

Time: the ``Published``/``Date`` header; a value without offset is local time of the
named outlet's newsroom when known, else UTC. Without a header, no time is guessed.
"""

from __future__ import annotations

import re

from heartland.corpus import dates, outlets
from heartland.corpus.boilerplate import clean_paragraphs, split_names
from heartland.corpus.build import make_article
from heartland.corpus.records import Article
from heartland.corpus.results import ReaderError

NAME = "plain-text"

_HEADER = re.compile(r"^(?P<key>[A-Za-z][A-Za-z -]{1,20}|标题|標題|來源|来源|日期|作者)\s*[:：]\s*(?P<value>.*)$")
_KEYS = {"title": "title", "标题": "title", "標題": "title", "url": "url", "link": "url", "source url": "url",
         "outlet": "outlet", "source": "outlet", "来源": "outlet", "來源": "outlet", "via": "via",
         "author": "authors", "authors": "authors", "by": "authors", "作者": "authors",
         "published": "published", "date": "published", "日期": "published",
         "language": "language", "lang": "language"}
_CJK_END = re.compile(r"[\u3000-\u9fff\uff00-\uffef]$")
_CJK_START = re.compile(r"^[\u3000-\u9fff\uff00-\uffef]")


def sniff(text: str) -> bool:
    return True  # the fallback reader


def _join(lines: list[str]) -> str:
    out = ""
    for ln in lines:
        ln = ln.strip()
        if not out:
            out = ln
        elif _CJK_END.search(out) and _CJK_START.match(ln):
            out += ln
        else:
            out += " " + ln
    return out


def read(text: str, source: str) -> list[Article]:
    lines = text.strip("\ufeff").split("\n")
    head: dict[str, str] = {}
    i = 0
    while i < len(lines) and lines[i].strip():
        m = _HEADER.match(lines[i].strip())
        if not m or m.group("key").strip().lower() not in _KEYS:
            break
        head[_KEYS[m.group("key").strip().lower()]] = m.group("value").strip()
        i += 1
    if head and (i >= len(lines) or lines[i].strip()):
        head, i = {}, 0  # not a header block after all
    blocks: list[list[str]] = [[]]
    for ln in lines[i:]:
        if ln.strip():
            blocks[-1].append(ln)
        elif blocks[-1]:
            blocks.append([])
    paras = [_join(b) for b in blocks if b]
    title = head.get("title")
    if title is None and len(paras) > 1 and len(paras[0]) <= 120:
        title, paras = paras[0], paras[1:]
    if not paras:
        raise ReaderError("no article text found")
    outlet_rec = outlets.by_name(head.get("outlet")) or outlets.by_url(head.get("url"))
    zone = outlet_rec.tz if outlet_rec else None
    published = dates.parse_any(head.get("published"), zone) if head.get("published") else None
    if head.get("published") and published is None:
        raise ReaderError(f"unreadable date in header: {head['published'][:40]!r}")
    cleaned = clean_paragraphs(paras)
    return [make_article(
        paragraphs=cleaned.paragraphs, title=title, url=head.get("url"),
        outlet=outlet_rec.name if outlet_rec else head.get("outlet"), via=head.get("via"),
        authors=split_names(head.get("authors", "")) + cleaned.authors, published=published,
        published_basis="header" if published else None, source_path=source, reader=NAME,
        credits=cleaned.credits, language=head.get("language") or None,
    )]
