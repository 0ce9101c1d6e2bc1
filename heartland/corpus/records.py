"""The corpus stage's output record: one clean, fully described article."""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Script = Literal["Hans", "Hant", "mixed", "Latn", "other"]


class Article(BaseModel):
    """A news article read from any supported format.

    ``paragraphs`` hold the clean body text as written (either script); the text that
    extraction works on is ``text`` (paragraphs joined by ``PARAGRAPH_SEP``), so every
    character span refers to ``text``. ``normalised`` is the same text converted to
    simplified characters with OpenCC's character-level ``t2s`` profile: it has the
    same length as ``text`` character for character, so spans found in it are valid
    in ``text`` too.
    """

    model_config = ConfigDict(frozen=False)

    id: str = Field(description="Stable hash of the normalised text.")
    url: str | None = Field(None, description="The original article's URL (not the mirror's).")
    outlet: str | None = Field(None, description="The publishing outlet, e.g. 'Radio Free Asia'.")
    via: str | None = Field(None, description="Mirror or re-publisher, when there is one.")
    title: str = ""
    authors: list[str] = Field(default_factory=list)
    published: datetime | None = Field(None, description="Outlet's publication time, tz-aware.")
    language: str = "zh"
    script: Script = "Hans"
    paragraphs: list[str] = Field(default_factory=list)
    captions: list[str] = Field(default_factory=list)
    source_path: str | None = None
    ingested_at: datetime | None = None
    normalised: str = Field("", description="OpenCC t2s form of ``text``, same length.")
    # Provenance beyond the field list (kept out of `heartland articles` JSON):
    reader: str | None = Field(None, description="Name of the reader that produced the record.")
    published_basis: str | None = Field(
        None, description="What ``published`` was read from, e.g. 'url-timestamp', 'pudate'.")
    mirrored_at: datetime | None = Field(
        None, description="When a mirror or re-publisher posted its copy, if it says.")
    credits: dict[str, list[str]] = Field(
        default_factory=dict,
        description="Non-author people and notes: editor, web_editor, contributors, translation, "
                    "original_title …, taken out of the body.")
    warnings: list[str] = Field(
        default_factory=list,
        description="Problems that did not stop reading, e.g. an unknown front-matter key "
                    "(each names the file).")

    @property
    def text(self) -> str:
        return PARAGRAPH_SEP.join(self.paragraphs)


#: The record fields of the issue's contract, in order: ``heartland articles --format json``
#: prints exactly these (minus ``paragraphs``); scripts may depend on them.
PUBLIC_FIELDS = ("id", "url", "outlet", "via", "title", "authors", "published", "language",
                 "script", "paragraphs", "captions", "source_path", "ingested_at")

#: Separator between paragraphs in ``Article.text``; spans count it as one character.
PARAGRAPH_SEP = "\n"


def article_id(normalised_text: str) -> str:
    """Stable id: first 16 hex digits of SHA-256 over the normalised text."""
    return hashlib.sha256(normalised_text.encode("utf-8")).hexdigest()[:16]
