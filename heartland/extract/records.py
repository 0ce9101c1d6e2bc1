"""Typed records that extraction produces; every one carries its article id and span."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, Field


class Mention(BaseModel):
    actor: str = Field(description="Canonical id (docs/extract.md).")
    kind: str = Field(description="state, group, institution, think_tank, media, person, place, ...")
    surface: str = Field(description="The name as written.")
    start: int
    end: int
    metonym: bool = False
    article_id: str = ""
    confidence: float = Field(1.0, description="0..1, from the method (docs/extract.md, Confidence).")
    reason: str = Field("gazetteer", description="Reason code: how the item was found.")


class Quantity(BaseModel):
    value: float | None = Field(description="Point value in `unit` (None when only bounds are known).")
    low: float | None = None
    high: float | None = None
    unit: str = Field(description="USD_bn, share, count, Mt, multiple, ...")
    qualifier: str = Field("exact", description="exact, lower_bound, upper_bound, about, max_reported")
    hedge: str = Field("", description="The hedge word as written (超过, 近, 约, ...).")
    kind: str = Field("amount", description="amount, percent, tenths, multiple, count, growth")
    surface: str = ""
    start: int
    end: int


class Period(BaseModel):
    start: date | None
    end: date | None
    precision: str = Field("year", description="day, month, year, range")
    uncertain: bool = False
    relative: bool = False
    surface: str = ""
    span_start: int = 0
    span_end: int = 0


class Fact(BaseModel):
    subject: str | None
    object: str | None
    indicator: str | None = Field(description="Catalogue indicator id, None for an open-domain figure.")
    value: float | None
    low: float | None
    high: float | None
    unit: str
    period_start: date | None = None
    period_end: date | None = None
    qualifier: str = "exact"
    article_id: str = ""
    span_start: int
    span_end: int
    sentence_start: int = 0
    sentence_end: int = 0
    period_uncertain: bool = False
    measure: str = Field("", description="What the figure measures, in the article's own words.")
    confidence: float = 1.0
    reason: str = Field("", description="Reason code (docs/extract.md, Confidence).")
    flag: str = Field("", description="Why the fact is kept but not fed to the world "
                                      "(e.g. implausible_magnitude); empty when none.")


class Event(BaseModel):
    type: str
    cameo: str
    quad_class: int
    goldstein: float
    date: date | None
    date_end: date | None = None
    date_precision: str = "day"
    date_uncertain: bool = False
    date_note: str = ""
    actors: list[str] = Field(default_factory=list)
    article_id: str = ""
    span_start: int
    span_end: int
    confidence: float = 1.0
    reason: str = ""


class HypothesisLink(BaseModel):
    id: str
    stance: str = Field(description="supports or opposes")


class Quote(BaseModel):
    speaker: str | None
    speaker_name: str
    affiliation: str | None
    role: str | None = None
    text: str
    direct: bool
    hypotheses: list[HypothesisLink] = Field(default_factory=list)
    stance: str = Field("neutral", description="China–Russia relation asserted: cooperation, competition, mixed, neutral")
    article_id: str = ""
    span_start: int
    span_end: int
    confidence: float = 1.0
    reason: str = ""


class Extraction(BaseModel):
    article_id: str
    mentions: list[Mention] = Field(default_factory=list)
    quantities: list[Quantity] = Field(default_factory=list)
    facts: list[Fact] = Field(default_factory=list)
    events: list[Event] = Field(default_factory=list)
    quotes: list[Quote] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list,
                                description="Parts of extraction that failed on this article (e.g. the name "
                                            "tagger), recorded in the store's ingest_errors; the rest stands.")
