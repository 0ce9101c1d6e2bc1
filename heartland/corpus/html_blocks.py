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
    r"breadcrumbs?|pagination|tags?|toolbar|sponsor\w*|donat\w*|morearticle\w*|more-?news|"
    r"read-?more|also-?read)($|[\s_-])", re.I)
_CAPTION_ATTR = re.compile(r"caption|copyright|credit|photo-?info|pic-?info|img-?desc|aesop-cap", re.I)
# A summary under the headline (not body); dropped when it comes before the body.
_STANDFIRST_ATTR = re.compile(r"(^|[\s_-])(description|standfirst|dek|subtitle|sub-?headline|summary|"
                              r"lede-?summary)($|[\s_-])", re.I)
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
# Headings of related-link lists and photo galleries.
_RELATED_HEAD = re.compile(
    r"^(?:related(?: articles| stories| coverage| content)?|read more|more on this story|see also|"
    r"相关图集|相關圖集|相关图片|相關圖片|延伸阅读|延伸閱讀|相关新闻|相關新聞|相关报道|相關報導|相关文章|"
    r"相關文章|相关阅读|相關閱讀|推荐阅读|推薦閱讀)(?:\s*[：:].{0,60})?$", re.I)
_GALLERY_HEAD = re.compile(r"^(?:相关图集|相關圖集|图集|圖集|photo gallery|gallery)\s*(?:[：:]|$)", re.I)
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

    def buf_has_text(self) -> bool:
        return any(t.strip() for t in self.buf)

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
    if tag == "time" and _only_content(el):
        return  # a timestamp widget ("30 分钟前"); readers take times from attributes
    if not c.out.body and not c.buf_has_text():
        if tag in _HEADINGS:
            c.flush()
            return  # the headline or a standfirst above the body, not body text
        if _STANDFIRST_ATTR.search(attrs) and tag in ("p", "div"):
            return
    if tag in ("div", "section", "aside", "ul") and _is_related_block(el):
        return
    if (tag in CAPTION_TAGS or _CAPTION_ATTR.search(attrs)
            or (tag in _IMAGE_BLOCK_TAGS and _is_image_block(el)) or _is_small_only(el)):
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
    gallery = False
    for child in el:
        tag = child.tag
        if gallery and isinstance(tag, str):
            if next(child.iter("img"), None) is not None:
                # a gallery item: image plus its description, however long
                c.flush()
                t = clean_inline(child.text_content())
                if t:
                    c.out.captions.append(t)
                continue
            gallery = False
        if tag in _HEADINGS and _GALLERY_HEAD.match(clean_inline(child.text_content())):
            c.flush()
            gallery = True
            continue
        _walk(child, c)
        tail = child.tail
        if tail:
            buf.append(tail)


def _only_content(el: etree._Element) -> bool:
    """The element's text is all its parent's text (a widget, not an inline word)."""
    parent = el.getparent()
    if parent is None:
        return True
    return clean_inline(parent.text_content()) == clean_inline(el.text_content())


def _is_small_only(el: etree._Element) -> bool:
    """``<div><small>…</small></div>``: the grey caption line under an image or player."""
    if el.tag != "div" or (el.text or "").strip():
        return False
    kids = [k for k in el if isinstance(k.tag, str)]
    return len(kids) == 1 and kids[0].tag == "small" and not (kids[0].tail or "").strip()


def _is_related_block(el: etree._Element) -> bool:
    """A container opened by a "Related"/"延伸閱讀" heading whose rest is mostly links."""
    first = next((k for k in el.iter() if k is not el and isinstance(k.tag, str)
                  and clean_inline(k.text_content())), None)
    if first is None:
        return False
    head = clean_inline(first.text_content())
    if len(head) > 40 or not _RELATED_HEAD.match(head):
        return False
    text = clean_inline(el.text_content())
    rest = len(text) - len(head)
    links = sum(len(clean_inline(a.text_content())) for a in el.iter("a"))
    return rest <= 0 or links >= 0.5 * rest


def extract_blocks(root: etree._Element) -> Blocks:
    """Body paragraphs, captions and footer paragraphs of a parsed tree, in order."""
    c = _Collector()
    body = root.find("body")
    _walk(body if body is not None else root, c)
    c.flush()
    return c.out


def html_to_blocks(html: str) -> Blocks:
    return extract_blocks(parse_fragment(html))
