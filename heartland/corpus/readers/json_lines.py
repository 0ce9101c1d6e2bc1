"""JSON Lines: one article per line, an object with ``title``, ``url``, ``published``
(or ``date``), ``text`` (paragraphs separated by blank lines or newlines) or
``paragraphs`` (a list) or ``html``, and optionally ``outlet``, ``via``, ``authors``
(list or string), ``language``, ``captions``.

Time: ``published`` as ISO 8601 / RFC 822; without an offset it is the outlet's
newsroom time when the outlet is known, else UTC. A bad line is reported as
``file:LINE: problem`` and the other lines are still read.
"""

from __future__ import annotations

import json
import re

from heartland.corpus import dates, outlets
from heartland.corpus.boilerplate import clean_paragraphs, split_names
from heartland.corpus.build import EmptyArticle, make_article
from heartland.corpus.html_blocks import parse_fragment
from heartland.corpus.readers.common import body_from_tree
from heartland.corpus.results import ReaderError, ReadError, ReadResult

NAME = "json-lines"


def sniff(text: str) -> bool:
    first = text.lstrip()[:1]
    if first != "{":
        return False
    line = text.lstrip().split("\n", 1)[0]
    try:
        return isinstance(json.loads(line), dict)
    except ValueError:
        return line.rstrip().endswith("}") or "\n" not in text.strip()


def _one(obj: dict, source: str) -> ReadResult:
    outlet_rec = outlets.by_name(str(obj.get("outlet") or "")) or outlets.by_url(obj.get("url"))
    zone = outlet_rec.tz if outlet_rec else None
    captions = [str(c) for c in obj.get("captions") or []]
    credits: dict[str, list[str]] = {}
    extra_authors: list[str] = []
    if isinstance(obj.get("paragraphs"), list):
        paras = [str(p) for p in obj["paragraphs"]]
    elif isinstance(obj.get("text"), str):
        paras = re.split(r"\n+", obj["text"])
    elif isinstance(obj.get("html") or obj.get("content"), str):
        body = body_from_tree(parse_fragment(obj.get("html") or obj.get("content")))
        paras, captions = body.paragraphs, captions + body.captions
        credits, extra_authors = body.credits, body.authors
    else:
        raise ReaderError("no 'text', 'paragraphs' or 'html' field")
    cleaned = clean_paragraphs(paras)
    for k, v in cleaned.credits.items():
        credits.setdefault(k, []).extend(v)
    raw_pub = obj.get("published") or obj.get("date")
    published = dates.parse_any(raw_pub, zone) if raw_pub else None
    if raw_pub and published is None:
        raise ReaderError(f"unreadable 'published' value {str(raw_pub)[:40]!r}")
    authors = obj.get("authors") or obj.get("author") or []
    if isinstance(authors, str):
        authors = split_names(authors)
    return make_article(
        paragraphs=cleaned.paragraphs, title=str(obj.get("title") or ""), url=obj.get("url"),
        outlet=outlet_rec.name if outlet_rec else obj.get("outlet"), via=obj.get("via"),
        authors=[str(a) for a in authors] + extra_authors + cleaned.authors,
        published=published, published_basis="json" if published else None,
        captions=captions, source_path=source, reader=NAME, credits=credits,
        language=obj.get("language"),
    )


def read(text: str, source: str) -> list[ReadResult]:
    out: list[ReadResult] = []
    for n, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except ValueError as exc:
            out.append(ReadError(source=source, line=n, message=f"invalid JSON: {exc.msg}"))
            continue
        if not isinstance(obj, dict):
            out.append(ReadError(source=source, line=n, message="expected a JSON object"))
            continue
        try:
            out.append(_one(obj, f"{source}:{n}"))
        except (ReaderError, EmptyArticle) as exc:
            out.append(ReadError(source=source, line=n, message=str(exc)))
    if not out:
        raise ReaderError("no JSON lines found")
    return out
