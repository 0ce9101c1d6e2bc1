"""Reading extracted facts, events and quotes from a store: fixture tables in a temporary DuckDB."""

from __future__ import annotations

import duckdb
import pytest

from heartland.measure import compute_indices
from heartland.measure.explain import explain
from heartland.world import build_world


@pytest.fixture()
def store(tmp_path, ties_csv, institutions_csv):
    db = tmp_path / "facts.duckdb"
    con = duckdb.connect(str(db))
    con.execute("""CREATE TABLE articles (id VARCHAR, url VARCHAR, outlet VARCHAR, published VARCHAR,
                   published_utc TIMESTAMP, text VARCHAR)""")
    con.execute("""INSERT INTO articles VALUES
        ('a1', 'https://example.org/1', 'Outlet One', '2024-05-24T10:00:00-04:00', '2024-05-24 14:00:00', 'x'),
        ('a2', 'https://example.org/2', 'Outlet Two', '2022-01-15T17:00:00+01:00', '2022-01-15 16:00:00', 'y')""")
    con.execute("""CREATE TABLE facts (fact_id VARCHAR, subject VARCHAR, object VARCHAR, indicator VARCHAR,
        value DOUBLE, low DOUBLE, high DOUBLE, unit VARCHAR, period_start DATE, period_end DATE,
        qualifier VARCHAR, article_id VARCHAR, span_start INTEGER, span_end INTEGER, sources VARCHAR[],
        n_sources INTEGER)""")
    con.execute("""INSERT INTO facts VALUES
        ('a1:10', 'RUS', 'KAZ', 'arms_supply_share', 0.9, 0.9, NULL, 'share', NULL, NULL, 'lower_bound',
         'a1', 10, 14, ['a1'], 1),
        ('a1:20', 'KAZ', 'CHN', 'trade_total', 31000, 31000, 31000, 'USD_mn', '2023-01-01', '2023-12-31',
         'exact', 'a1', 20, 26, ['a1', 'a2'], 2),
        ('a1:30', 'CHN', 'RUS', 'trade_total', 240.1, 240.1, 240.1, 'USD_bn', '2023-01-01', '2023-12-31',
         'exact', 'a1', 30, 36, ['a1'], 1),
        ('a2:5', 'CHN', 'KAZ', 'fdi_cumulative', 19.2, NULL, 19.2, 'USD_bn', '2005-01-01', '2020-12-31',
         'max_reported', 'a2', 5, 9, ['a2'], 1),
        ('a2:9', 'CHN', 'KAZ', 'trade_total', 150, 150, 150, 'CNY_bn', '2021-01-01', '2021-12-31',
         'exact', 'a2', 40, 44, ['a2'], 1)""")
    con.execute("""CREATE TABLE events (event_id VARCHAR, article_id VARCHAR, type VARCHAR, date DATE,
        actors VARCHAR[], span_start INTEGER, span_end INTEGER)""")
    con.execute("""INSERT INTO events VALUES
        ('a2:e0', 'a2', 'deploy_forces', '2022-01-06', ['RUS', 'KAZ'], 0, 5),
        ('a1:e0', 'a1', 'summit', '2023-05-18', ['CHN', 'C5'], 0, 5),
        ('a1:e1', 'a1', 'statement', '2023-05-18', ['CHN', 'KAZ'], 0, 5)""")
    con.execute("""CREATE TABLE quotes (quote_id VARCHAR, article_id VARCHAR, speaker VARCHAR, stance VARCHAR,
        span_start INTEGER, span_end INTEGER)""")
    con.execute("""INSERT INTO quotes VALUES ('a1:q0', 'a1', 'person:x', 'competition', 0, 5),
        ('a1:q1', 'a1', 'person:y', 'competition', 6, 9), ('a1:q2', 'a1', 'person:z', 'cooperation', 10, 12),
        ('a2:q0', 'a2', 'person:x', 'neutral', 0, 5)""")
    con.close()
    return db


@pytest.fixture()
def world(store, ties_csv, institutions_csv):
    # These tests are about loading mechanics (orientation, mapping, units, counts), so
    # every extracted item counts (--evidence all); the policy is tested in tests/review.
    return build_world(store, "2024-12-31", curated_path=ties_csv, institutions_path=institutions_csv,
                       evidence="all")


def test_facts_are_oriented_mapped_and_converted(world):
    facts = world.evidence[world.evidence.kind == "fact"].set_index("eid")
    # arms_supply_share -> arms_import_share; no period: the article's year.
    arms = facts.loc["fact:a1:10"]
    assert (arms.patron, arms.target, arms.indicator, arms.year) == ("RUS", "KAZ", "arms_import_share", 2024)
    # "Kazakhstan's trade with China": turned round; extraction's trade_total is bilateral trade; mn -> bn.
    trade = facts.loc["fact:a1:20"]
    assert (trade.patron, trade.target, trade.indicator, trade.low) == ("CHN", "KAZ", "trade_bilateral", 31.0)
    assert trade.corroboration == 2 and trade.source == "Outlet One" and trade.source_url == "https://example.org/1"
    # China-Russia trade is not a tie to Central Asia.
    assert "fact:a1:30" not in facts.index
    # A period fact: the period's end year and the span.
    fdi = facts.loc["fact:a2:5"]
    assert fdi.year == 2020 and fdi.period == "2005-2020" and (fdi.span_start, fdi.span_end) == (5, 9)
    # A unit the indicator cannot take is left out, and said.
    assert "fact:a2:9" not in set(world.evidence.eid)
    assert any("fact:a2:9" in w and "CNY_bn" in w for w in world.warnings)


def test_corroborated_fact_and_curated_figure_agree(world):
    items = world.sources("CHN", "KAZ", "trade_bilateral", 2023)
    roles = {i.eid: i.role for i in items}
    assert roles["fact:a1:20"] == "supporting" and any(r == "used" for e, r in roles.items() if e.startswith("curated"))


def test_events_count_and_quotes_balance(world):
    dep = world.component("RUS", "KAZ", "security_events", 2022)
    assert dep["low"] == 1
    summits = world.component("CHN", "KGZ", "summits_visits", 2023)   # C5 stands for all five
    assert summits["low"] == 1
    assert world.component("CHN", "KAZ", "summits_visits", 2023)["low"] == 1  # the statement does not count
    idx = compute_indices(world, [2023, 2024])
    f = idx.friction.set_index("year")
    assert f.loc[2024, "quotes_competition"] == 2 and f.loc[2024, "quotes_cooperation"] == 1
    assert f.loc[2024, "expert_balance"] == pytest.approx(1 / 3)


def test_explain_lists_the_fact_with_article_and_span(world):
    e = explain(world, "RUS", "KAZ", "security", 2024)
    facts = [s for s in e.all_sources() if s.kind == "fact"]
    assert facts and facts[0].article_id == "a1" and (facts[0].span_start, facts[0].span_end) == (10, 14)
    assert facts[0].published.startswith("2024-05-24")
    share = explain(world, "CHN", "KAZ", "economy", 2023)
    comp = next(c for c in share.components if c.indicator == "trade_share")
    assert comp.sources[0].kind == "derived"
    assert {i.indicator for i in comp.inputs} == {"trade_bilateral", "trade_total"}
