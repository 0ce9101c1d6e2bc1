"""heartland.corpus: documents (files, pages, feeds) to clean :class:`Article` records.

Public face::

    from heartland.corpus import read_path, read_bytes, Article, ReadError
    for result in read_path("news/"):          # a file, a directory (recursive) or "-"
        if isinstance(result, ReadError): print(result)
        else: print(result.title, result.published)
"""

from heartland.corpus.reader import (
    DEFAULT_MAX_SIZE,
    iter_files,
    parse_size,
    read_bytes,
    read_file,
    read_path,
    read_stream,
)
from heartland.corpus.records import PARAGRAPH_SEP, PUBLIC_FIELDS, Article, article_id
from heartland.corpus.results import ReadError, ReadResult

__all__ = [
    "Article", "DEFAULT_MAX_SIZE", "PARAGRAPH_SEP", "PUBLIC_FIELDS", "ReadError", "ReadResult",
    "article_id", "iter_files", "parse_size", "read_bytes", "read_file", "read_path",
    "read_stream",
]
