"""The evidence rows' one JSON shape, as ``heartland facts|events|quotes --format json`` prints
them and as every item of ``/api/facts``, ``/api/events`` and ``/api/quotes`` carries them.

The API's items have more fields (ids, confidences, the source article, the sentence); the
models allow them (``extra="allow"``) and declare the fields both sides share, with their
types. The API publishes them in ``/openapi.json`` (and ``docs/schemas/``);
``tests/measure/test_explain_schema.py`` validates the CLI's rows and the API's items
against the published schemas. Field lists: :mod:`heartland.extract.query`.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class _Row(BaseModel):
    model_config = ConfigDict(extra="allow")

    article_id: str
    span: list[int | None] = Field(min_length=2, max_length=2, description="[start, end) in the clean text")


class FactRow(_Row):
    subject: str | None
    object: str | None
    indicator: str | None
    value: float | None
    low: float | None
    high: float | None
    unit: str | None
    period_start: str | None = Field(description="ISO date")
    period_end: str | None = Field(description="ISO date")
    qualifier: str | None
    sources: list[str] = Field(description="every article id that corroborates the fact")


class EventRow(_Row):
    date: str | None = Field(description="ISO date; read it at date_precision")
    date_precision: str | None = Field(description="day, week, month, range or year")
    type: str
    actors: list[str]
    cameo: str | None
    quad_class: int | None
    goldstein: float | None
    date_uncertain: bool | None


class HypothesisStance(BaseModel):
    model_config = ConfigDict(extra="allow")

    id: str
    stance: str


class QuoteRow(_Row):
    speaker: str | None
    speaker_name: str | None
    affiliation: str | None
    text: str
    hypotheses: list[HypothesisStance]
    stance: str | None


class _Page(BaseModel):
    available: bool
    total: int


class FactPage(_Page):
    items: list[FactRow]


class EventPage(_Page):
    items: list[EventRow]


class QuotePage(_Page):
    items: list[QuoteRow]
