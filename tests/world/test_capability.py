"""Capability measures from the cited figures in heartland/data/curated/capabilities.csv."""

from __future__ import annotations

import csv
import re

import pycountry
import pytest

from heartland.errors import UserError
from heartland.world import capability_intervals, capability_measures
from heartland.world.capability import CAPABILITIES_CSV, COLUMNS, capability_table, load_capability_rows

ROWS = list(csv.DictReader(CAPABILITIES_CSV.open(encoding="utf-8")))
ACTORS = {"CHN", "RUS", "KAZ", "KGZ", "TJK", "TKM", "UZB", "USA", "IND", "TUR", "IRN"}

HEADER = ",".join(COLUMNS)


def write(tmp_path, text):
    p = tmp_path / "caps.csv"
    p.write_text(text, encoding="utf-8")
    return p


def row(actor, indicator, value, low="", high="", year=2023):
    return (f"{actor},{indicator},{year},{value},{low},{high},USD_bn,Some publisher: a table,"
            f"https://example.org/t,2024,test row\n")


# --- the bundled file ---------------------------------------------------------------------

def test_header_is_the_documented_one():
    with CAPABILITIES_CSV.open(encoding="utf-8") as fh:
        assert tuple(next(csv.reader(fh))) == COLUMNS


@pytest.mark.parametrize("r", ROWS, ids=lambda r: f"{r['actor']}-{r['indicator']}-{r['year']}")
def test_every_row_names_source_url_and_year(r):
    assert r["source"].strip()
    assert re.match(r"https?://\S+$", r["source_url"]), r["source_url"]
    assert r["year"].isdigit() and r["source_year"].isdigit()
    assert int(r["source_year"]) >= int(r["year"])  # a figure is published after its year
    assert r["value"] or (r["low"] and r["high"])
    assert pycountry.countries.get(alpha_3=r["actor"]) is not None, r["actor"]
    assert r["unit"] == "USD_bn" and r["indicator"] in {"gdp_usd_bn", "milex_usd_bn"}


def test_bundled_file_covers_the_actors_with_gdp_and_milex_where_published():
    rows = load_capability_rows()
    gdp = {r.actor for r in rows if r.indicator == "gdp_usd_bn" and r.year == 2023}
    milex = {r.actor for r in rows if r.indicator == "milex_usd_bn" and r.year == 2023}
    assert gdp == ACTORS
    # SIPRI publishes no 2023 figure for Turkmenistan or Uzbekistan: absent, not guessed
    assert milex == ACTORS - {"TKM", "UZB"}
    assert all("worldbank" in r.note or "World Bank" in r.source for r in rows if r.indicator == "gdp_usd_bn")
    assert all("SIPRI" in r.source for r in rows if r.indicator == "milex_usd_bn")


# --- the measure --------------------------------------------------------------------------

def _shares_by_hand(year=2023):
    """The composite recomputed from the raw CSV, independently of the module."""
    data: dict[str, dict[str, float]] = {}
    for r in ROWS:
        if int(r["year"]) == year:
            data.setdefault(r["indicator"], {})[r["actor"]] = float(r["value"])
    shares: dict[str, list[float]] = {}
    for ind in data.values():
        tot = sum(ind.values())
        for a, v in ind.items():
            shares.setdefault(a, []).append(v / tot)
    raw = {a: sum(s) / len(s) for a, s in shares.items()}
    norm = sum(raw.values())
    return {a: v / norm for a, v in raw.items()}


def test_measures_rank_actors_as_the_cited_data_implies():
    caps = capability_measures()
    assert set(caps) == ACTORS
    assert sum(caps.values()) == pytest.approx(1.0)
    expect = _shares_by_hand()
    assert sorted(caps, key=caps.get) == sorted(expect, key=expect.get)
    for a in caps:
        assert caps[a] == pytest.approx(expect[a], rel=1e-12)
    # the chain the brief names: the data bear it out
    chain = ["USA", "CHN", "RUS", "KAZ", "TJK"]
    assert [caps[a] for a in chain] == sorted((caps[a] for a in chain), reverse=True)
    assert caps["KAZ"] > max(caps[a] for a in ("UZB", "TKM", "KGZ", "TJK"))


def test_single_indicator_methods_follow_their_indicator():
    gdp = capability_measures(method="gdp")
    milex = capability_measures(method="milex")
    by = {(r["actor"], r["indicator"]): float(r["value"]) for r in ROWS}
    assert sorted(gdp, key=gdp.get) == sorted(gdp, key=lambda a: by[(a, "gdp_usd_bn")])
    assert set(milex) == ACTORS - {"TKM", "UZB"}
    assert sorted(milex, key=milex.get) == sorted(milex, key=lambda a: by[(a, "milex_usd_bn")])
    # Russia's military share exceeds its GDP share; the composite lies between them
    comp = capability_table()
    r = comp["RUS"]
    assert r.shares["milex_usd_bn"] > r.shares["gdp_usd_bn"]


def test_intervals_contain_the_measure_and_span_the_indicators():
    caps = capability_measures()
    iv = capability_intervals()
    assert set(iv) == set(caps)
    for a, (lo, hi) in iv.items():
        assert 0 <= lo <= caps[a] <= hi, a
        assert hi > lo, a  # two indicators disagree, or a missing one widens it
    t = capability_table()
    kaz = t["KAZ"]
    norm = sum((sum(m.shares.values()) / len(m.shares)) for m in t.values())
    assert kaz.low == pytest.approx(min(kaz.shares.values()) / norm)
    assert kaz.high == pytest.approx(max(kaz.shares.values()) / norm)


def test_missing_indicator_is_renormalised_and_flagged():
    t = capability_table()
    for a in ("TKM", "UZB"):
        m = t[a]
        assert m.missing == ["milex_usd_bn"] and list(m.shares) == ["gdp_usd_bn"]
        assert len(m.rows) == 1
    # renormalised over what it has: the ratio of its measure to its GDP share is the
    # same normalising constant as for everyone else
    norm = sum((sum(m.shares.values()) / len(m.shares)) for m in t.values())
    assert t["UZB"].value == pytest.approx(t["UZB"].shares["gdp_usd_bn"] / norm)


def test_missing_figure_in_a_small_file(tmp_path):
    p = write(tmp_path, HEADER + "\n" + row("AAA", "gdp_usd_bn", 60) + row("BBB", "gdp_usd_bn", 40)
              + row("AAA", "milex_usd_bn", 2) + row("BBB", "milex_usd_bn", 2) + row("CCC", "gdp_usd_bn", 100))
    t = capability_table(path=p)
    # shares: gdp AAA .3 BBB .2 CCC .5; milex AAA .5 BBB .5 -> raw AAA .4, BBB .35, CCC .5
    assert t["CCC"].missing == ["milex_usd_bn"]
    assert t["AAA"].value == pytest.approx(0.4 / 1.25)
    assert t["CCC"].value == pytest.approx(0.5 / 1.25)
    # CCC's missing milex share is bracketed by the peers' milex/gdp share ratios (5/3 and 5/2)
    assert t["CCC"].low == pytest.approx(0.5 / 1.25)
    assert t["CCC"].high == pytest.approx(0.5 * 2.5 / 1.25)


def test_row_interval_widens_the_measure(tmp_path):
    base = HEADER + "\n" + row("AAA", "gdp_usd_bn", 50) + row("BBB", "gdp_usd_bn", 50)
    p = write(tmp_path, base)
    assert capability_intervals(method="gdp", path=p)["AAA"] == (pytest.approx(0.5), pytest.approx(0.5))
    p = write(tmp_path, HEADER + "\n" + row("AAA", "gdp_usd_bn", "", 25, 75) + row("BBB", "gdp_usd_bn", 50))
    lo, hi = capability_intervals(method="gdp", path=p)["AAA"]
    assert lo == pytest.approx(25 / 75) and hi == pytest.approx(75 / 125)
    assert capability_measures(method="gdp", path=p)["AAA"] == pytest.approx(0.5)


@pytest.mark.parametrize("body,msg", [
    (row("AAA", "gdp_usd_bn", "x"), r"caps.csv:2: column 'value': not a number"),
    (row("AAA", "gdp_usd_bn", ""), r"caps.csv:2: no value and no complete interval"),
    (row("AAA", "gdp_usd_bn", 5, 6, 7), r"caps.csv:2: interval must satisfy"),
    (row("AAA", "gdp_usd_bn", 5).replace("https://example.org/t", ""), r"caps.csv:2: column 'source_url': empty"),
    (row("AAA", "gdp_usd_bn", 5).replace(",2024,", ",,"), r"caps.csv:2: column 'source_year'"),
    (row("AAA", "gdp_usd_bn", 5) + row("AAA", "gdp_usd_bn", 6), r"caps.csv:3: duplicate figure"),
])
def test_bad_rows_name_file_and_line(tmp_path, body, msg):
    with pytest.raises(UserError, match=msg):
        load_capability_rows(write(tmp_path, HEADER + "\n" + body))


def test_no_figures_for_the_year_or_method(tmp_path):
    with pytest.raises(UserError, match="no gdp_usd_bn/milex_usd_bn figures for 1990"):
        capability_measures(year=1990)
    with pytest.raises(UserError, match="capability method 'cinc'"):
        capability_measures(method="cinc")
    with pytest.raises(UserError, match="missing column"):
        load_capability_rows(write(tmp_path, "actor,value\nAAA,1\n"))
