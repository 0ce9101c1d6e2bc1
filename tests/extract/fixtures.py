"""Our own fixture articles (tests/fixtures/extract) as Article records plus their gold."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import yaml

from heartland.corpus.records import Article, article_id
from heartland.extract.gazetteer import to_simplified

FIXTURE_DIR = Path(__file__).resolve().parent.parent / "fixtures" / "extract"


def make_article(paragraphs: list[str], published: str | None = None, title: str = "", outlet: str | None = None,
                 language: str = "zh", script: str = "Hans", url: str | None = None) -> Article:
    text = "\n".join(paragraphs)
    norm = to_simplified(text)
    return Article(id=article_id(norm), url=url, outlet=outlet, title=title,
                   published=datetime.fromisoformat(published) if published else None, language=language,
                   script=script, paragraphs=paragraphs, normalised=norm)


def extracted(paragraphs: list[str], published: str = "2025-03-05T09:00:00+00:00", language: str = "zh",
              script: str | None = None):
    """(article, extraction) of sentences written for a unit test, through the whole pipeline."""
    from heartland.extract.pipeline import extract_article

    script = script or ("Latn" if language == "en" else "Hans")
    art = make_article(paragraphs, published, language=language, script=script)
    return art, extract_article(art)


def load_fixture(path: Path) -> tuple[Article, dict]:
    with open(path, encoding="utf-8") as fh:
        d = yaml.safe_load(fh)
    art = make_article(d["paragraphs"], d.get("published"), d.get("title", ""), d.get("outlet"),
                       d.get("language", "zh"), d.get("script", "Hans"))
    return art, d.get("gold", {})


def fixture_set(name: str) -> dict[str, tuple[Article, dict]]:
    return {p.stem: load_fixture(p) for p in sorted((FIXTURE_DIR / name).glob("*.yaml"))}
