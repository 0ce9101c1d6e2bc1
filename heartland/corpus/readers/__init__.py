"""The readers, in sniffing order: the most specific format first, plain text last.

Each reader module has ``NAME``, ``sniff(text) -> bool`` and
``read(text, source) -> list[Article | ReadError]`` (raising ``ReaderError`` when the
whole document is unreadable).
"""

from __future__ import annotations

from types import ModuleType

from heartland.corpus.readers import (
    comment_stamp,
    feed,
    html_page,
    jekyll,
    json_lines,
    mirror_markdown,
    plain_text,
)

READERS: tuple[ModuleType, ...] = (
    comment_stamp, jekyll, feed, json_lines, html_page, mirror_markdown, plain_text,
)


def sniff(text: str) -> ModuleType:
    """The reader for a decoded document, decided from its content alone."""
    for r in READERS:
        if r.sniff(text):
            return r
    return plain_text
