"""Mirror markdown: a ``### Title`` page from a GitHub news mirror with embedded HTML,
markdown navigation/promotion link lines, and a trailer naming the original address
(seed 000: a 看中国/secretchina page republishing Voice of America).

Who is who: the trailer's ``原文地址`` is the re-publisher's page (``url``); the
re-publisher (``via``) is known from that address or the body's dateline
(``【看中国2022年1月24日讯】``); the outlet is the body's ``来源:`` credit when it names
another outlet. Time: the dateline's date, midnight in the re-publisher's home zone;
else a ``/YYYY/MM/DD/`` date in the address.
"""

from __future__ import annotations

import re

from heartland.corpus import dates, outlets
from heartland.corpus.build import make_article
from heartland.corpus.html_blocks import parse_fragment
from heartland.corpus.readers.common import SETEXT_RULE, body_from_tree
from heartland.corpus.records import Article
from heartland.corpus.results import ReaderError

NAME = "mirror-markdown"

_HEADING = re.compile(r"^\s*#{1,6}\s+(?P<title>\S.*?)\s*#*\s*$")
_MD_LINK = re.compile(r"\[[^\]\n]*\]\([^)\n]*\)")
_LINK_ONLY_LINE = re.compile(r"^[\s#|&nbsp;>*-]*$")
_ORIGINAL = re.compile(r"原文(?:地址|網址|网址|链接|鏈接)[^：:\n]{0,12}[：:]\s*(?P<url>https?://[^\s<\"']+)")
_URL_DATE = re.compile(r"/(\d{4})/(\d{1,2})/(\d{1,2})/")


def sniff(text: str) -> bool:
    head = text.lstrip()[:400]
    first = head.split("\n", 1)[0]
    return bool(_HEADING.match(first)) and bool(re.search(r"<(?:div|p|img)\b", text[:20000], re.I))


_WORD_CHARS = re.compile(r"[A-Za-z0-9\u3400-\u9fff]")


def _is_nav_line(line: str) -> bool:
    """A markdown line that is links and separators, with at most a short label
    ("#### 网站代理：[大纪元新闻网](…) | […](…)", "#### 💥 [《伪火》](…) | …")."""
    links = _MD_LINK.findall(line)
    if not links:
        return False
    rest = _MD_LINK.sub("", line)
    if _LINK_ONLY_LINE.match(rest):
        return True
    rest = re.sub(r"&#?\w+;", " ", rest)
    if _LINK_ONLY_LINE.match(rest):
        return True
    return len(_WORD_CHARS.findall(rest)) <= 8 and len(links) >= 2


def _strip_markdown(text: str) -> str:
    """Drop link-only markdown lines (navigation, promotions) and rules; keep HTML."""
    keep = []
    for line in text.split("\n"):
        # Cheap necessary conditions before each regex: most lines are HTML source.
        if line.lstrip()[:1] in ("-", "=") and SETEXT_RULE.match(line):
            continue
        if "](" in line and _is_nav_line(line):
            continue
        keep.append(line)
    return "\n".join(keep)


def read(text: str, source: str) -> list[Article]:
    lines = text.lstrip().split("\n", 1)
    m = _HEADING.match(lines[0])
    if not m:
        raise ReaderError("mirror markdown without a '### title' first line")
    title = m.group("title")
    rest = lines[1] if len(lines) > 1 else ""
    orig = _ORIGINAL.search(rest)
    url = orig.group("url").rstrip(".,;") if orig else None
    body = body_from_tree(parse_fragment(_strip_markdown(rest)))

    site = outlets.by_url(url)
    if site is None and body.dateline:
        site = next((o for o in outlets.OUTLETS
                     if any(a in body.dateline.lower() for a in o.aliases if len(a) > 2)), None)
    source_credit = (body.credits.pop("source", None) or [None])[0]
    credited = outlets.by_name(source_credit) if source_credit else None
    if credited is not None and (site is None or credited.name != site.name):
        outlet, via = credited.name, (site.name if site else None)
    else:
        outlet, via = (site.name if site else source_credit), None

    zone = site.tz if site else (credited.tz if credited else None)
    published, basis = dates.from_url_timestamp(url, zone), "url-timestamp"
    if published is None and body.dateline:
        published, basis = dates.from_zh_date(body.dateline, zone), "dateline"
    if published is None:
        stated = [(dates.parse_stamp(s, zone), "stated-time") for s in body.stamps]
        published, basis = dates.decide_published(url, zone, stated, body.dateline)
    return [make_article(
        paragraphs=body.paragraphs, title=title, url=url, outlet=outlet, via=via,
        authors=body.authors, published=published, published_basis=basis,
        captions=body.captions, source_path=source, reader=NAME, credits=body.credits,
    )]
