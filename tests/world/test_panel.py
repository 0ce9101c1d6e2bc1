"""The bundled data panel: manifest, provenance of every row, coverage, generator, docs."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from heartland.world import PATRONS, TARGETS, build_world
from heartland.world.coverage import coverage_markdown, replace_block, trade_cells
from heartland.world.panel import MANIFEST, PANEL_CSV, PANEL_DIR, load_manifest, load_panel_rows, sha256, verify

ROOT = Path(__file__).resolve().parents[2]
MIRROR = Path(os.environ.get("HEARTLAND_MIRROR", "/work/.mirror"))


@pytest.fixture(scope="module")
def rows():
    return load_panel_rows()


@pytest.fixture(scope="module")
def world2024():
    return build_world(None, "2024-12-31")


def test_panel_matches_its_manifest():
    assert verify() == []
    man = load_manifest()
    assert man["panel"]["files"]["panel.csv"] == sha256(PANEL_CSV)
    for s in man["sources"]:
        assert len(s["commit"]) == 40 and len(s["sha256"]) == 64 and s["credit"].startswith("Source:"), s["id"]


def test_verify_catches_a_changed_panel(tmp_path):
    for f in ("panel.csv", "manifest.json"):
        (tmp_path / f).write_bytes((PANEL_DIR / f).read_bytes())
    assert verify(tmp_path) == []
    with (tmp_path / "panel.csv").open("a") as fh:
        fh.write("x\n")
    assert any("sha256 differs" in p for p in verify(tmp_path))


def test_every_row_names_its_source_file_and_lines(rows):
    man = {s["id"]: s for s in load_manifest()["sources"]}
    assert set(rows["source_id"]) == set(man)
    for sid, g in rows.groupby("source_id"):
        # an extract kept in the repository is the file its lines refer to
        assert (g["file"] == Path(man[sid].get("extract", man[sid]["path"])).name).all(), sid
        assert int(man[sid]["rows"]) == len(g)
    # every figure has its line(s) in the file, except the register's "no delivery" zeros
    zero = rows["note"].fillna("").str.contains("no delivery listed")
    assert (rows.loc[~zero, "lines"].astype(str) != "0").all()
    assert (rows.loc[zero, "value"] == 0).all()


def test_bundled_extracts_match_the_manifest():
    """A source kept as an extract (its repository has no fetchable snapshot) is the file the
    manifest hashes, and every figure's lines are rows of it that give that figure."""
    man = [s for s in load_manifest()["sources"] if "extract" in s]
    assert man, "the 2024 migrant stock is bundled as an extract"
    rows = load_panel_rows()
    for s in man:
        f = PANEL_DIR / s["extract"]
        assert sha256(f) == s["sha256"], s["id"]
        lines = f.read_text().splitlines()
        stock = rows[(rows.source_id == s["id"]) & (rows.indicator == "migrant_stock")]
        for r in stock.itertuples():
            cells = [lines[int(n) - 1].split(",") for n in str(r.lines).split(",")]
            assert sum(float(c[2]) for c in cells) == r.value, (r.patron, r.target)


def test_trade_flows_apart_and_both_reporters(rows):
    t = rows[rows["indicator"].isin(["trade_exports", "trade_imports"])]
    for p in ("CHN", "RUS"):
        for tg in TARGETS:
            for y in range(2010, 2021):
                g = t[(t.patron == p) & (t.target == tg) & (t.year == y)]
                # both flows, each from the target's own workbook and the patron's mirror
                assert set(zip(g.indicator, g.reporter)) == {("trade_exports", tg), ("trade_imports", tg),
                                                             ("trade_exports", p), ("trade_imports", p)}, (p, tg, y)
    b = rows[(rows.indicator == "trade_bilateral") & (rows.reporter == rows.target)]
    x = rows[(rows.indicator == "trade_exports") & (rows.reporter == rows.target)].set_index(["patron", "target", "year"])
    m = rows[(rows.indicator == "trade_imports") & (rows.reporter == rows.target)].set_index(["patron", "target", "year"])
    s = b.set_index(["patron", "target", "year"])["value"].dropna()
    both = s.index.intersection(x.index).intersection(m.index)
    assert len(both) > 300
    assert np.allclose(s[both], x.loc[both, "value"] + m.loc[both, "value"])


def test_sipri_per_supplier_and_year_to_2024(rows):
    a = rows[rows.indicator == "arms_tiv"]
    for p in PATRONS:
        for tg in TARGETS:
            years = set(a[(a.patron == p) & (a.target == tg)]["year"])
            assert years == set(range(2010, 2025)), (p, tg)
    # Russia is Kazakhstan's main supplier over 2020-2024 in the register
    sh = rows[(rows.indicator == "arms_import_share") & (rows.target == "KAZ") & (rows.year == 2024)]
    assert sh.set_index("patron")["value"].idxmax() == "RUS"
    assert (sh["value"] <= 1).all() and sh["period"].eq("2020-2024").all()


def test_remittances_every_year_the_source_has(rows):
    r = rows[rows.indicator == "remittances_gdp"]
    assert set(r.target) == set(TARGETS) and (r.patron == "WLD").all() and (r.unit == "pct").all()
    assert set(r[r.target == "TJK"].year) == set(range(2010, 2025))
    # Kazakhstan and Turkmenistan from the World Bank's all-country download of May 2023, every
    # year it gives (Turkmenistan: none after 2019); one vintage per state, never two
    wb = r[r.source_id == "wdi-remittances-2023"]
    assert set(wb.target) == {"KAZ", "TKM"}
    assert set(wb[wb.target == "KAZ"].year) == set(range(2010, 2022))
    assert set(wb[wb.target == "TKM"].year) == set(range(2010, 2020))
    assert r.groupby("target")["source_id"].nunique().max() == 1
    # remittances are a fraction of a percent of GDP in both (the unit is percent, not share)
    assert wb["value"].between(0, 1).all() and wb[wb.target == "KAZ"]["value"].max() > 0.3


def test_wdi_xls_download_read_like_the_csv(tmp_path):
    """The .xls download is read by the same rules as the CSV; a file that is no workbook is refused."""
    from heartland.errors import UserError
    from heartland.world.importers import read_file

    bad = tmp_path / "remit.xls"
    bad.write_text("Country Name,Country Code\n")
    with pytest.raises(UserError, match=r"remit\.xls: not an Excel 97 workbook"):
        read_file("worldbank", bad)
    src = {s["id"]: s for s in load_manifest()["sources"]}["wdi-remittances-2023"]
    git = MIRROR / src["repository"].replace("/", "+") / "repo"
    if not git.exists():
        pytest.skip(f"no mirror of {src['repository']} under {MIRROR} (set HEARTLAND_MIRROR)")
    f = tmp_path / "remittances-received-percent-gdp.xls"
    f.write_bytes(subprocess.run(["git", "-C", str(git), "show", f"{src['commit']}:{src['path']}"],
                                 capture_output=True, check=True).stdout)
    assert sha256(f) == src["sha256"]
    cut = tmp_path / "cut.xls"
    cut.write_bytes(f.read_bytes()[:5000])
    with pytest.raises(UserError, match=r"cut\.xls: damaged or truncated Excel 97 workbook"):
        read_file("worldbank", cut)
    got = read_file("worldbank", f).rows
    got = got[got.actor.isin(["KAZ", "TKM"]) & got.year.between(2010, 2024)].set_index(["actor", "year"])["value"]
    panel = load_panel_rows()
    panel = panel[panel.source_id == "wdi-remittances-2023"].set_index(["target", "year"])["value"]
    assert len(got) == len(panel) == 22
    assert np.allclose(got.loc[panel.index].values, panel.values, rtol=1e-9)


def test_world_uses_the_panel_with_provenance(world2024):
    items = world2024.sources("CHN", "KAZ", "trade_bilateral", 2019)
    used = [i for i in items if i.role == "used"]
    assert used and all(i.kind == "dataset" for i in used)
    assert any("DOTS_103.xlsx" in (i.note or "") for i in used)
    assert all((i.source_url or "").startswith("https://github.com/SamLeBlanc/") for i in used)
    # the two reporters disagree: both kept, the component is their union
    c = world2024.component("CHN", "KAZ", "trade_bilateral", 2019)
    vals = sorted(i.low for i in used)
    assert c["low"] <= vals[0] and c["high"] >= vals[-1]


def test_trade_target_2010_2020_from_data_and_gaps_listed(world2024):
    tc = trade_cells(world2024)
    assert tc[tc.year <= 2020]["filled"].all()
    # to 2020 every dyad-year rests on a dataset row (the IMF workbooks), curated rows or not
    assert tc[tc.year <= 2020]["kinds"].str.split(",").map(lambda k: "dataset" in k).all()
    # issue 15's target: every (five states x China, Russia) dyad-year 2010-2024 has a figure of
    # its own year; 2021-2024 from curated official figures only (no bulk file reaches past 2020)
    missing = tc[~tc["filled"]]
    assert missing.empty, missing[["patron", "target", "year"]].to_string()
    assert set(tc[tc.year > 2020]["kinds"]) == {"curated"}


def test_remittance_share_of_gdp_target_in_the_world(world2024):
    """Issue 15's target: remittances as a share of GDP for every state and year published.
    The world has a sourced figure for each state-year 2010-2024 except those no public
    release carries: Kyrgyzstan 2023-2024 (not in the World Bank's 2025 data) and
    Turkmenistan after 2019 (the World Bank's last Turkmen year). Kazakhstan 2022-2023 is the
    state's own SDG 17.3.2 figure, a curated row kept beside the World Bank series."""
    unpublished = {("KGZ", 2023), ("KGZ", 2024)} | {("TKM", y) for y in range(2020, 2025)}
    e = world2024.evidence
    e = e[e.indicator == "remittances_gdp"]
    assert (e.patron == "WLD").all() and e.source_url.str.startswith("https://").all()
    for t in TARGETS:
        for y in range(2010, 2025):
            kinds = set(e[(e.target == t) & (e.year == y)].kind)
            if (t, y) in unpublished:
                assert not kinds, (t, y)  # a figure appearing here would be news: check its source
            else:
                assert kinds and kinds <= {"dataset", "curated"}, (t, y)
    kaz = e[(e.target == "KAZ") & e.year.isin([2022, 2023])]
    assert set(kaz.kind) == {"curated"} and kaz.source_url.str.contains("kazstat/sdg-data-kazstat").all()
    # in the indices' cells a published year is its own figure, not one carried from an earlier year
    used = world2024.roles
    used = used[(used.indicator == "remittances_gdp") & (used.role == "used") & (used.target == "KAZ")]
    assert set(used[used.year == 2023].eid) == set(kaz[kaz.year == 2023].eid)


def test_docs_coverage_table_is_current(world2024):
    doc = (ROOT / "docs" / "data.md").read_text(encoding="utf-8")
    assert replace_block(doc, coverage_markdown(world2024)) == doc, \
        "docs/data.md coverage is stale: run PYTHONPATH=. python scripts/data_coverage.py"


@pytest.mark.slow
def test_generator_reproduces_the_bundled_panel(tmp_path):
    man = json.loads(MANIFEST.read_text())
    # Sources bundled as an extract (no fetchable snapshot) are read from the repository itself.
    repos = {s["repository"] for s in man["sources"] if "extract" not in s}
    missing = [r for r in repos if not (MIRROR / r.replace("/", "+") / "repo").exists()]
    if missing:
        pytest.skip(f"no mirror of {', '.join(sorted(missing))} under {MIRROR} (set HEARTLAND_MIRROR)")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    subprocess.run([sys.executable, str(ROOT / "scripts" / "build_panel.py"), "--mirror", str(MIRROR),
                    "--out", str(tmp_path)], check=True, env=env, capture_output=True)
    assert (tmp_path / "panel.csv").read_bytes() == PANEL_CSV.read_bytes()
    new = json.loads((tmp_path / "manifest.json").read_text())
    assert [(s["id"], s["sha256"]) for s in new["sources"]] == [(s["id"], s["sha256"]) for s in man["sources"]]
