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


# " – 法国国际广播电台 - RFI", " - BBC News 中文", " | DW": the outlet's name after the headline.
_TITLE_SEP = re.compile(r"\s+[-–—|｜]\s+")
# " - 200804-18": a programme code after the headline (RTI).
_TITLE_CODE = re.compile(r"\s+[-–—]\s+\d{4,8}(?:-\d{1,4})?$")
# "(title inferred from URL slug; not in the excerpt)": a note added by whoever saved the page.
_TITLE_NOTE = re.compile(
    r"\s*\((?=[^()]*\b(?:title|headline)\b)(?=[^()]*\b(?:slug|inferred|excerpt|url|guessed)\b)[^()]*\)$",
    re.I)


def _strip_outlet_suffix(t: str) -> str:
    parts = _TITLE_SEP.split(t)
    while len(parts) > 1 and outlets.by_name(parts[-1].strip()) is not None:
        parts.pop()
    return " - ".join(parts) if len(parts) > 1 else parts[0]


def clean_title(title: str | None, url: str | None = None) -> str:
    """One line, mirror markers dropped, the outlet's name after the headline dropped
    (`` – 法国国际广播电台 - RFI``), a programme code (`` - 200804-18``) dropped, and a
    trailing ``- Section`` removed when that section is part of the URL's path (RFI
    appends its column name, e.g. ``- 要闻解说``)."""
    t = _TITLE_MARKER.sub("", clean_inline(title or ""))
    t = _TITLE_NOTE.sub("", t)
    if _TITLE_SEP.search(t):
        t = _strip_outlet_suffix(t)
    t = _TITLE_CODE.sub("", t)
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
    warnings: list[str] | None = None,
) -> Article:
    # A paragraph never contains the separator, so spans and paragraphs stay in step.
    paras = [clean_inline(p) for p in paragraphs]
    paras = [p for p in paras if p]
    title_c = clean_title(title, url)
    paras = _drop_title_repeats(paras, title_c, title)
    if not paras:
        raise EmptyArticle("no article text found")
    text = PARAGRAPH_SEP.join(paras)
    norm = normalise(text)
    assert len(norm) == len(text)
    via_c = outlets.canonical(via)
    outlet_c = outlets.canonical(outlet)
    seen: list[str] = []
    for a in authors or []:
        a = _PAREN_ROMANISATION.sub("", clean_inline(a)).strip()
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
        title=title_c,
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
        warnings=list(warnings or []),
    )


# "馬西莫·英特羅維吉（Massimo Introvigne）": the romanisation after a Chinese name.
_PAREN_ROMANISATION = re.compile(r"(?<=[\u3400-\u9fff])\s*[（(][A-Za-z][^（()）]*[)）]$")
_TITLE_KEY = re.compile(r"[\s\W_]+")


def _drop_title_repeats(paras: list[str], title: str, raw_title: str | None) -> list[str]:
    """The headline repeated above the body (a page's ``<h1>``, a title link, an excerpt's
    first line) is not body text."""
    keys = {_TITLE_KEY.sub("", t).lower() for t in (title, raw_title or "") if t}
    keys.discard("")
    if not keys:
        return paras
    out = list(paras)
    for _ in range(3):
        if len(out) > 1 and _TITLE_KEY.sub("", re.sub(r"\]\(https?://\S+\)$", "", out[0])).lower() in keys:
            out.pop(0)
        else:
            break
    return out
