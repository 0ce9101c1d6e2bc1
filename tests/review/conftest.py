"""Fixtures of the review tests: small articles written here (JSON Lines with URLs, so
an updated text is a new version of the same article) and stores built from them."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

PARAS = [
    "Xi Jinping held talks with Kassym-Jomart Tokayev in Astana on 3 July 2024, the foreign ministry said.",
    "Russia supplies more than 80% of Kazakhstan's arms imports, analysts said.",
    "Vladimir Putin held talks with Shavkat Mirziyoyev in Tashkent on 27 May 2024.",
]
PARAS_B = [
    "Chinese and Kyrgyz officials held talks in Bishkek on 12 March 2023 on the railway.",
    "Russia supplies more than 60% of Kyrgyzstan's arms imports, analysts said.",
]


def article(url: str, paras: list[str], title: str = "Ties in Central Asia", outlet: str = "Test Wire",
            published: str = "2024-07-05T08:00:00Z") -> dict:
    return {"title": title, "url": url, "outlet": outlet, "published": published, "paragraphs": paras}


def write_jsonl(path: Path, items: list[dict]) -> Path:
    path.write_text("".join(json.dumps(i, ensure_ascii=False) + "\n" for i in items), encoding="utf-8")
    return path


def ingest_into(db: Path, *files: Path) -> None:
    from heartland.extract.store_hook import process_article
    from heartland.store import ingest

    rep = ingest(list(files), db=db, processors=[process_article])
    assert not rep.errors, rep.errors


@pytest.fixture()
def corpus(tmp_path) -> Path:
    return write_jsonl(tmp_path / "news.jsonl", [
        article("https://test-wire.example/a", PARAS),
        article("https://other-wire.example/b", PARAS_B, title="Kyrgyz ties", outlet="Other Wire",
                published="2023-03-14T08:00:00Z"),
    ])


@pytest.fixture(scope="session")
def _base_store(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("review-base")
    src = write_jsonl(root / "news.jsonl", [
        article("https://test-wire.example/a", PARAS),
        article("https://other-wire.example/b", PARAS_B, title="Kyrgyz ties", outlet="Other Wire",
                published="2023-03-14T08:00:00Z"),
    ])
    db = root / "base.duckdb"
    ingest_into(db, src)
    return db


@pytest.fixture()
def store(_base_store, tmp_path) -> Path:
    """A fresh copy of a store with the two articles above ingested and extracted."""
    db = tmp_path / "review.duckdb"
    shutil.copy(_base_store, db)
    return db


@pytest.fixture(scope="session")
def _seed_store(seeds_dir, tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("review-seeds") / "seeds.duckdb"
    ingest_into(db, seeds_dir)
    return db


@pytest.fixture()
def seed_store(_seed_store, tmp_path) -> Path:
    db = tmp_path / "seeds.duckdb"
    shutil.copy(_seed_store, db)
    return db
