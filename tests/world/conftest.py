"""Fixtures of the world tests: small hand-written curated files and evidence frames."""

from __future__ import annotations

from pathlib import Path

import pytest


FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture()
def ties_csv() -> Path:
    return FIXTURES / "ties_small.csv"


@pytest.fixture()
def institutions_csv() -> Path:
    return FIXTURES / "institutions_small.csv"


@pytest.fixture(scope="session")
def seeded_store(seeds_dir, tmp_path_factory) -> Path:
    """A store with the five seeds ingested through the extraction stage's processor."""
    from heartland.extract.store_hook import process_article
    from heartland.store import ingest

    db = tmp_path_factory.mktemp("seeded") / "seeds.duckdb"
    report = ingest([seeds_dir], db=db, processors=[process_article])
    assert not report.errors, report.errors
    # the seeds' hand-checked items ship as reviewed decisions (heartland.review.seeds), as in `heartland run`
    import duckdb

    from heartland.review.seeds import apply_seed_decisions

    con = duckdb.connect(str(db))
    assert apply_seed_decisions(con) > 40
    con.close()
    return db


@pytest.fixture(scope="session")
def seeded_world(seeded_store):
    from heartland.world import build_world

    return build_world(seeded_store, "2024-12-31")


@pytest.fixture(scope="session")
def seed_article_ids(seeded_store) -> dict[str, str]:
    """Article ids of the seeds by a short key: the URL fragment each seed's mirror names."""
    import duckdb

    con = duckdb.connect(str(seeded_store), read_only=True)
    rows = con.execute("SELECT id, url, outlet, published_utc FROM articles").fetchall()
    con.close()
    keys = {"000": "995936", "001": "11122024134759", "002": "lu-05242024100614", "003": "20240704",
            "004": "20220115"}
    out = {}
    for k, frag in keys.items():
        hit = [r for r in rows if r[1] and frag in r[1]]
        assert len(hit) == 1, f"seed {k}: expected one article with {frag!r} in its URL, got {hit}"
        out[k] = hit[0][0]
    return out
