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

_HEADER = re.compile(r"^(?P<key>[A-Za-z][A-Za-z _-]{1,20}|标题|標題|來源|来源|日期|作者)\s*[:：]\s*(?P<value>.*)$")
_KEYS = {"title": "title", "标题": "title", "標題": "title", "url": "url", "link": "url", "source url": "url",
         "source_url": "url", "source-url": "url",
         "outlet": "outlet", "source": "outlet", "来源": "outlet", "來源": "outlet", "via": "via",
         "author": "authors", "authors": "authors", "by": "authors", "作者": "authors",
         "published": "published", "date": "published", "日期": "published",
         "language": "language", "lang": "language",
         # page excerpts saved by a retrieval tool: how the copy was obtained (kept as a note)
         "retrieved-via": "retrieved", "retrieved via": "retrieved", "retrieved": "retrieved"}
# The end of a header block: a blank line or a rule ("---").
_HEADER_END = re.compile(r"^\s*(?:-{3,}|={3,})?\s*$")
# "AFP (republished by SpaceWar.com / SpaceDaily)", "The Nation (Pakistan), AFP wire copy"
_OUTLET_NOTE = re.compile(r"\s*(?:\([^()]*\)|,.*)$")
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
    warnings: list[str] = []
    i = 0
    while i < len(lines) and lines[i].strip():
        m = _HEADER.match(lines[i].strip())
        if not m:
            break
        key = m.group("key").strip().lower()
        if key not in _KEYS:
            if not head or " " in key.strip():  # a sentence with a colon, not a header line
                break
            warnings.append(f"{source}:{i + 1}: header key {m.group('key').strip()!r} is not known "
                            "to the plain-text reader (ignored)")
        else:
            head[_KEYS[key]] = m.group("value").strip()
        i += 1
    if head and (i >= len(lines) or not _HEADER_END.match(lines[i])):
        head, i, warnings = {}, 0, []  # not a header block after all
    elif head and lines[i].strip():
        i += 1  # the "---" rule under the header
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
    outlet_name = head.get("outlet")
    outlet_rec = outlets.by_name(outlet_name) or outlets.by_name(
        _OUTLET_NOTE.sub("", outlet_name or "")) or outlets.by_url(head.get("url"))
    zone = outlet_rec.tz if outlet_rec else None
    # "2019-09-03 (date of the event; …)": a note after the value is not part of the date
    when = re.sub(r"\s*[(（].*$", "", head.get("published") or "").strip() or head.get("published")
    published = dates.parse_any(when, zone) if when else None
    if head.get("published") and published is None:
        raise ReaderError(f"unreadable date in header: {head['published'][:40]!r}")
    cleaned = clean_paragraphs(paras)
    basis = "header" if published else None
    if published is None:
        stated = [(dates.parse_stamp(s, zone), "stated-time") for s in cleaned.stamps]
        published, basis = dates.decide_published(head.get("url"), zone, stated, cleaned.dateline)
    credits = dict(cleaned.credits)
    if cleaned.dateline:  # kept: extraction dates 今天/昨天 from the dateline's day
        credits.setdefault("dateline", []).append(cleaned.dateline)
    if head.get("retrieved"):
        credits["retrieved_via"] = [head["retrieved"]]
    return [make_article(
        paragraphs=_drop_page_chrome(cleaned.paragraphs) if head else cleaned.paragraphs,
        title=title, url=head.get("url"),
        outlet=outlet_rec.name if outlet_rec else outlet_name, via=head.get("via"),
        authors=split_names(head.get("authors", "")) + cleaned.authors, published=published,
        published_basis=basis, captions=cleaned.captions, source_path=source, reader=NAME,
        credits=credits, language=head.get("language") or None, warnings=warnings,
    )]


# What a saved web page keeps of its player and navigation: "Accessibility links",
# "Breaking News", "please wait", "No media source currently available", "0:00 0:00:52 0:00".
_CHROME = re.compile(
    r"^(?:accessibility links|skip to (?:main )?content|breaking news|please wait|loading\.*|"
    r"no media source currently available|share|print|menu|search|advertisement|"
    r"(?:\d{1,2}:\d\d(?::\d\d)?\s*)+|(?:watch|listen|video|photo|gallery)\s*:.*)$", re.I)
_PROSE_END = re.compile(r"[.!?。！？\"”’'»)\]:;,]$")


def _drop_page_chrome(paras: list[str]) -> list[str]:
    """In a saved page excerpt, the lines above the first sentence are page furniture
    (player, navigation, headline variants): a line is kept from the first one that reads
    as prose (ends like a sentence, or is long) onwards; chrome lines are dropped anywhere."""
    out = [p for p in paras if not _CHROME.match(p.strip())]
    for k, p in enumerate(out):
        if _PROSE_END.search(p) or len(p) > 150:
            return out[k:]
    return out
