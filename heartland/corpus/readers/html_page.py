"""Complete HTML pages: the article body via trafilatura, metadata from the page's own
markup (which carries offsets trafilatura's date-only metadata drops).

Time: ``article:published_time`` / ``datePublished`` (meta, ``itemprop`` or JSON-LD) /
``<time datetime>`` with its offset; a value without offset is local time of the
outlet's newsroom when the outlet is known, else UTC. Failing those, trafilatura's
page date at midnight in the same zone (``published_basis='page-date'``).
"""

from __future__ import annotations

import json
import re
import warnings
from types import SimpleNamespace

from lxml import etree

from heartland.corpus import dates, outlets
from heartland.corpus.boilerplate import clean_paragraphs, is_caption_like, split_names
from heartland.corpus.build import make_article
from heartland.corpus.html_blocks import parse_fragment
from heartland.corpus.readers.common import body_from_tree
from heartland.corpus.records import Article
from heartland.corpus.results import ReaderError
from heartland.corpus.text import clean_inline

NAME = "html-page"
#: Pages with more text than this (characters) get trafilatura's date search in the markup only.
EXTENSIVE_DATE_CHARS = 200_000
#: Pages longer than this (characters of HTML) are read without trafilatura (``_large_page``).
LARGE_PAGE_CHARS = 2_000_000

_START = re.compile(r"\A(?:\s|<!--.*?-->|<\?xml[^>]*>)*<(?:!doctype\s+html|html)\b", re.I | re.S)
_PUBLISHED_META = ("article:published_time", "og:published_time", "datepublished", "pubdate",
                   "publishdate", "publish-date", "dc.date.issued", "dcterms.issued", "date",
                   "sailthru.date", "parsely-pub-date")


def sniff(text: str) -> bool:
    return bool(_START.match(text[:4096]))


def _meta(root: etree._Element) -> dict[str, str]:
    out: dict[str, str] = {}
    for m in root.iter("meta"):
        key = (m.get("property") or m.get("name") or m.get("itemprop") or "").strip().lower()
        val = (m.get("content") or "").strip()
        if key and val and key not in out:
            out[key] = val
    return out


def _jsonld(root: etree._Element) -> list[dict]:
    found: list[dict] = []
    for s in root.iter("script"):
        if (s.get("type") or "").lower() != "application/ld+json" or not s.text:
            continue
        try:
            data = json.loads(s.text)
        except ValueError:
            continue
        stack = [data]
        while stack:
            d = stack.pop()
            if isinstance(d, list):
                stack.extend(d)
            elif isinstance(d, dict):
                found.append(d)
                stack.extend(v for k, v in d.items() if k == "@graph")
    return found


def read(text: str, source: str) -> list[Article]:
    root = parse_fragment(text)
    meta = _meta(root)
    ld = _jsonld(root)
    canon = next((lk.get("href") for lk in root.iter("link")
                  if (lk.get("rel") or "").lower() == "canonical" and lk.get("href")), None)
    captions = [clean_inline(f.text_content()) for f in root.iter("figcaption")]
    captions = [c for c in captions if c]
    times = [t.get("datetime") for t in root.iter("time")]
    if len(text) > LARGE_PAGE_CHARS:
        doc = _large_page(root)
    else:
        doc = _trafilatura(root)
    if doc is None or not (doc.text or "").strip():
        raise ReaderError("HTML page without article text (trafilatura found no main content)")
    url = canon or meta.get("og:url") or doc.url
    site = outlets.by_url(url)
    site_name = meta.get("og:site_name") or doc.sitename
    outlet = site.name if site else outlets.canonical(site_name)
    zone = site.tz if site else (outlets.by_name(site_name).tz if outlets.by_name(site_name) else None)

    published, basis = None, None
    candidates = [meta.get(k) for k in _PUBLISHED_META]
    candidates += [d.get("datePublished") for d in ld]
    candidates += times
    for c in candidates:
        if c and re.search(r"\d{4}-\d{2}-\d{2}[T ]\d", str(c)):
            published = dates.parse_any(c, zone)
            if published is not None:
                basis = "page-metadata"
                break
    if published is None and doc.date:
        published, basis = dates.parse_any(doc.date, zone), "page-date"

    lines = [ln for ln in (doc.text or "").split("\n")]
    body = [ln for ln in lines if clean_inline(ln) not in captions and not is_caption_like(ln)]
    title = doc.title or meta.get("og:title")
    if body and title and clean_inline(body[0]) == clean_inline(title):
        body = body[1:]
    cleaned = clean_paragraphs(body)
    authors = []
    for a in (doc.author or "").split(";"):
        authors += split_names(a)
    authors += cleaned.authors
    return [make_article(
        paragraphs=cleaned.paragraphs, title=title, url=url, outlet=outlet, authors=authors,
        published=published, published_basis=basis, captions=captions, source_path=source,
        reader=NAME, credits=cleaned.credits,
    )]


def _trafilatura(root: etree._Element):
    import trafilatura  # imported on first use: it is slow to import

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        # The tree parsed above is handed over (trafilatura prunes it in place, so
        # everything we need from it was taken first): the page is parsed once.
        # trafilatura's extensive date search runs a date parser on every date-like string of
        # the page's text (about 10 ms each): on large pages only the markup's dates are searched.
        from trafilatura.settings import set_date_params

        return trafilatura.bare_extraction(root, with_metadata=True, include_comments=False,
                                          include_tables=False, include_images=False,
                                          date_extraction_params=set_date_params(
                                              len(root.text_content()) <= EXTENSIVE_DATE_CHARS))


def _large_page(root: etree._Element) -> SimpleNamespace:
    """A page over LARGE_PAGE_CHARS: its blocks by the pipeline the other readers use
    (linear in the page), not trafilatura's, whose tree cleaning grows faster than the page
    (20 s for a 4 MB paragraph of inline markup). Title from ``<title>``; no page date."""
    t = root.find(".//title")
    title = clean_inline(t.text_content()) if t is not None else None
    body = body_from_tree(root)
    return SimpleNamespace(text="\n".join(body.paragraphs), title=title or None, url=None,
                           sitename=None, date=None, author=None)
