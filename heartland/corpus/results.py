"""What reading a document yields: articles, or one-line errors naming the source."""

from __future__ import annotations

from pydantic import BaseModel

from heartland.corpus.records import Article


class ReadError(BaseModel):
    """A document (or one item of a feed / JSON Lines file) that could not be read."""

    source: str
    message: str
    line: int | None = None

    def __str__(self) -> str:
        where = f"{self.source}:{self.line}" if self.line else self.source
        return f"{where}: {self.message}"


class ReaderError(ValueError):
    """Raised inside a reader: the whole document is unreadable for the reason given."""


ReadResult = Article | ReadError
