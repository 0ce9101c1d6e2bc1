"""HTML fragment to body paragraphs and captions.

Used by the readers whose documents carry the article as an HTML fragment (mirror
markdown, Jekyll posts, comment-timestamp captures, feed items). lxml's HTML parser
recovers from truncated or broken markup. The walk keeps block structure (each block
element or ``<br>`` ends a paragraph), routes image captions and credits to
``captions``, keeps footers apart for credit mining, and drops scripts, ads, hidden
elements, forms and lists of links ("related articles").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import lxml.html
from lxml import etree

from heartland.corpus.text import clean_inline

BLOCK_TAGS = frozenset({
    "p", "div", "section", "article", "main", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul",
    "ol", "dl", "dt", "dd", "blockquote", "figure", "table", "tr", "td", "th", "thead", "tbody",
    "center", "pre", "hr", "body", "html", "header", "address", "details", "summary",
})
DROP_TAGS = frozenset({
    "script", "style", "noscript", "iframe", "ins", "input", "button", "select", "textarea",
    "form", "nav", "svg", "canvas", "video", "audio", "object", "embed", "template", "head",
    "title", "meta", "link", "aside", "map", "area",
})
CAPTION_TAGS = frozenset({"figcaption"})
# Class or id fragments of ad slots, share bars, image-zoom widgets, promos.
_DROP_ATTR = re.compile(
    r"(^|[\s_-])(ad|ads|adsbygoogle|advert\w*|gpt|div-gpt-ad\S*|share\w*|social\w*|subscribe\w*|"
    r"newsletter|selfpromo\w*|promo\w*|related\w*|recommend\w*|sidebar|comments?|"
    r"breadcrumbs?|pagination|tags?|toolbar|sponsor\w*|donat\w*)($|[\s_-])", re.I)
_CAPTION_ATTR = re.compile(r"caption|copyright|credit|photo-?info|img-?desc", re.I)
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)


@dataclass
class Blocks:
    body: list[str] = field(default_factory=list)
    captions: list[str] = field(default_factory=list)
    footer: list[str] = field(default_factory=list)


def parse_fragment(html: str) -> etree._Element:
    """Parse an HTML fragment or page into a tree rooted at ``<html>`` (never raises)."""
    html = html.strip() or "<p></p>"
    try:
        return lxml.html.document_fromstring(html)
    except (etree.ParserError, ValueError):
        # lxml refuses some inputs (e.g. only a comment); wrap them in a body.
        return lxml.html.document_fromstring(f"<html><body>{html}</body></html>")


def _attrs(el: etree._Element) -> str:
    return f"{el.get('class', '')} {el.get('id', '')}"


def _is_link_list(el: etree._Element) -> bool:
    """A list whose items are mostly links: navigation or "related articles"."""
    items = [li for li in el if isinstance(li.tag, str) and li.tag == "li"]
    if not items:
        return False
    linky = 0
    for li in items:
        text = clean_inline(li.text_content())
        link_text = clean_inline(" ".join(a.text_content() for a in li.iter("a")))
        if text and len(link_text) >= 0.6 * len(text):
            linky += 1
    return linky >= 0.6 * len(items)


_IMAGE_BLOCK_TAGS = ("p", "div", "center")
_BLOCKS_IN_IMAGE = ("p", "div", "h1", "h2", "h3", "h4", "section")


def _is_image_block(el: etree._Element) -> bool:
    """A paragraph that holds an image and a short text: the text is its caption."""
    if el.tag not in _IMAGE_BLOCK_TAGS:
        return False
    if next(el.iter("img"), None) is None:
        return False
    # lxml filters the descendants by tag in C (a Python test per descendant made every
    # enclosing <div> of an image walk its whole subtree).
    if next(el.iterdescendants(*_BLOCKS_IN_IMAGE), None) is not None:
        return False
    return len(clean_inline(el.text_content())) <= 400


class _Collector:
    def __init__(self) -> None:
        self.buf: list[str] = []
        self.out = Blocks()
        self.target = self.out.body

    def flush(self) -> None:
        if self.buf:
            text = clean_inline("".join(self.buf))
            self.buf.clear()  # in place: _children holds on to this list
            if text:
                self.target.append(text)


def _drop(el: etree._Element, attrs: str) -> bool:
    if el.tag in DROP_TAGS:
        return True
    style = el.get("style")
    if style and _HIDDEN_STYLE.search(style):
        return True
    return bool(_DROP_ATTR.search(attrs))


def _walk(el: etree._Element, c: _Collector) -> None:
    tag = el.tag
    if not isinstance(tag, str):  # comment or processing instruction: only its tail counts
        return
    attrs = _attrs(el)  # read once: both the drop and the caption test look at it
    if _drop(el, attrs):
        return
    if (tag in CAPTION_TAGS or _CAPTION_ATTR.search(attrs)
            or (tag in _IMAGE_BLOCK_TAGS and _is_image_block(el))):
        c.flush()
        text = clean_inline(el.text_content())
        if text:
            c.out.captions.append(text)
        return
    if tag in ("ul", "ol") and _is_link_list(el):
        return
    if tag == "footer":
        c.flush()
        saved, c.target = c.target, c.out.footer
        _children(el, c)
        c.flush()
        c.target = saved
        return
    block = tag in BLOCK_TAGS
    if block or tag == "br":
        c.flush()
    if tag in ("img", "br", "hr"):
        return
    _children(el, c)
    if block:
        c.flush()


def _children(el: etree._Element, c: _Collector) -> None:
    # Runs once per element, so it appends to the buffer directly rather than via methods.
    buf = c.buf
    text = el.text
    if text:
        buf.append(text)
    for child in el:
        _walk(child, c)
        tail = child.tail
        if tail:
            buf.append(tail)


def extract_blocks(root: etree._Element) -> Blocks:
    """Body paragraphs, captions and footer paragraphs of a parsed tree, in order."""
    c = _Collector()
    body = root.find("body")
    _walk(body if body is not None else root, c)
    c.flush()
    return c.out


def html_to_blocks(html: str) -> Blocks:
    return extract_blocks(parse_fragment(html))
