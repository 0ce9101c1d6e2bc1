"""Assemble an :class:`Article` from what a reader found, enforcing the record's invariants."""

from __future__ import annotations

import re
from datetime import datetime

from heartland.corpus import outlets
from heartland.corpus.records import PARAGRAPH_SEP, Article, article_id
from heartland.corpus.text import clean_inline, detect_language, detect_script, normalise

# Mirror markers appended to titles: (图) picture, (组图) gallery, (视频) video.
_TITLE_MARKER = re.compile(r"\s*[（(](?:图|圖|组图|組圖|视频|視頻|多图|多圖|图集|圖集)[)）]\s*$")


class EmptyArticle(ValueError):
    """A document without any article text after cleaning."""


def clean_title(title: str | None, url: str | None = None) -> str:
    """One line, mirror markers dropped, and a trailing ``- Section`` removed when that
    section is part of the URL's path (RFI appends its column name, e.g. ``- 要闻解说``)."""
    t = _TITLE_MARKER.sub("", clean_inline(title or ""))
    m = re.match(r"^(?P<title>.+?)\s+[-–|｜]\s+(?P<section>[^-–|｜]{1,20})$", t)
    if m and url:
        from urllib.parse import unquote

        if m.group("section").strip() in unquote(url):
            t = m.group("title").strip()
    return t


def make_article(
    *,
    paragraphs: list[str],
    title: str | None,
    url: str | None,
    outlet: str | None,
    via: str | None = None,
    authors: list[str] | None = None,
    published: datetime | None = None,
    published_basis: str | None = None,
    captions: list[str] | None = None,
    source_path: str | None = None,
    reader: str,
    mirrored_at: datetime | None = None,
    credits: dict[str, list[str]] | None = None,
    language: str | None = None,
) -> Article:
    # A paragraph never contains the separator, so spans and paragraphs stay in step.
    paras = [clean_inline(p) for p in paragraphs]
    paras = [p for p in paras if p]
    if not paras:
        raise EmptyArticle("no article text found")
    text = PARAGRAPH_SEP.join(paras)
    norm = normalise(text)
    assert len(norm) == len(text)
    via_c = outlets.canonical(via)
    outlet_c = outlets.canonical(outlet)
    seen: list[str] = []
    for a in authors or []:
        a = clean_inline(a)
        if a and a not in seen and a != outlet_c and outlets.by_name(a) is None:
            seen.append(a)
    caps = []
    for c in captions or []:
        c = clean_inline(c)
        if c and c not in caps:
            caps.append(c)
    return Article(
        id=article_id(norm),
        url=(url or None),
        outlet=outlet_c,
        via=via_c if via_c != outlet_c else None,
        title=clean_title(title, url),
        authors=seen,
        published=published,
        published_basis=published_basis if published else None,
        language=language or detect_language(text),
        script=detect_script(text, t2s=norm),
        paragraphs=paras,
        captions=caps,
        source_path=source_path,
        normalised=norm,
        reader=reader,
        mirrored_at=mirrored_at,
        credits={k: v for k, v in (credits or {}).items() if v},
    )
