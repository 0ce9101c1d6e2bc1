"""Pieces several readers share: the markdown title link and the HTML-body pipeline."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lxml import etree

from heartland.corpus.boilerplate import Cleaned, clean_paragraphs, is_caption_like
from heartland.corpus.html_blocks import extract_blocks

# "[Title](https://…)" on its own line, optionally followed by a setext underline.
TITLE_LINK = re.compile(
    r"^\s*\[(?P<title>(?:[^\[\]\n]|\[[^\[\]\n]*\])+)\]\((?P<url>https?://[^)\s]+)\)\s*$", re.M)
SETEXT_RULE = re.compile(r"^\s*[-=]{3,}\s*$", re.M)
HTML_COMMENT_LINE = re.compile(r"^\s*<!--.*?-->\s*$", re.M)


@dataclass
class Body:
    paragraphs: list[str] = field(default_factory=list)
    captions: list[str] = field(default_factory=list)
    authors: list[str] = field(default_factory=list)
    credits: dict[str, list[str]] = field(default_factory=dict)
    dateline: str | None = None
    footer: list[str] = field(default_factory=list)
    stamps: list[str] = field(default_factory=list)


def body_from_tree(root: etree._Element) -> Body:
    """Blocks -> cleaned paragraphs; footer lines only contribute credits."""
    blocks = extract_blocks(root)
    captions = list(blocks.captions)
    paras = []
    for p in blocks.body:
        if is_caption_like(p):
            captions.append(p)
        else:
            paras.append(p)
    cleaned: Cleaned = clean_paragraphs(paras)
    footer = clean_paragraphs(blocks.footer)  # bios and links are dropped, credits kept
    credits = dict(cleaned.credits)
    for k, v in footer.credits.items():
        credits.setdefault(k, []).extend(v)
    captions += cleaned.captions
    if cleaned.dateline:  # kept: extraction dates 今天/昨天/周二 from the dateline's day
        credits.setdefault("dateline", []).append(cleaned.dateline)
    return Body(paragraphs=cleaned.paragraphs, captions=captions, stamps=cleaned.stamps,
                authors=cleaned.authors + [a for a in footer.authors if a not in cleaned.authors],
                credits=credits, dateline=cleaned.dateline, footer=blocks.footer)
