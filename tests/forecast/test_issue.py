"""Issue files: formats, bundled issues, evidence, and clear errors."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from heartland.errors import UserError
from heartland.forecast import bundled_issues, forecast, load_issue, run_model
from heartland.forecast.capability import read_capabilities, resolve_capabilities

SEED_ISSUES = ["corridor_priority", "eaeu_gas_pricing", "kazakhstan_alignment", "sco_csto"]
CORE = {"CHN", "RUS", "KAZ", "KGZ", "TJK", "TKM", "UZB"}

TOML_OK = """
[issue]
name = "toy"
title = "A toy issue"
scale = [0, 10]

[evidence.e1]
seed = "004"
url = "https://example.org/a"
bytes = [10, 20]
key = "x"
gist = "Our own paraphrase."

[[actor]]
id = "A"
name = "Alpha"
capability = 0.5
capability_range = [0.4, 0.6]
position = 2
position_range = [1, 3]
position_evidence = ["e1"]
salience = 0.7

[[actor]]
id = "B"
name = "Beta"
capability = 0.5
position = 8
salience = 0.6
salience_range = [0.5, 0.8]
"""


def write(tmp_path: Path, name: str, text: str) -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def test_bundled_issues_are_listed():
    names = set(bundled_issues())
    assert {"ec_emissions_1989", *SEED_ISSUES} <= names


@pytest.mark.parametrize("name", SEED_ISSUES)
def test_seed_issue_loads_with_evidence_and_ranges(name):
    issue = load_issue(name)
    ids = {a.id for a in issue.actors}
    assert CORE <= ids or name in ("eaeu_gas_pricing", "corridor_priority")
    assert {"CHN", "RUS", "KAZ"} <= ids
    assert issue.title and issue.question and issue.low_label and issue.high_label
    assert issue.capability_basis
    for a in issue.actors:
        for f in ("capability", "position", "salience"):
            v = getattr(a, f)
            assert v.low is not None and v.low <= v.value <= v.high, (a.id, f)
            assert v.note, (a.id, f)
        # positions and saliences rest on cited seed passages
        assert a.position.evidence and a.salience.evidence, a.id
        for e in a.position.evidence + a.salience.evidence:
            ev = issue.evidence[e]
            assert ev.seed in {"000", "001", "002", "003", "004"}
            assert ev.url.startswith("https://")
            assert 0 <= ev.bytes[0] < ev.bytes[1]
            assert ev.gist and ev.key


@pytest.mark.parametrize("name", SEED_ISSUES)
def test_seed_issue_forecasts(name):
    fc = forecast(load_issue(name), rounds=20, runs=50, seed=3)
    s = fc.run.summary
    lo, hi = fc.scale
    assert lo <= s.low <= s.forecast <= s.high <= hi
    assert s.status in ("settled", "cycle", "open")
    assert fc.distribution is not None and fc.distribution.runs == 50
    q = fc.distribution.quantiles
    assert q["5"] <= q["50"] <= q["95"]
    assert len(fc.sensitivity) == len(fc.run.actors)
    assert fc.sensitivity[0].swing >= fc.sensitivity[-1].swing


@pytest.mark.seeds
@pytest.mark.parametrize("name", SEED_ISSUES)
def test_evidence_offsets_point_at_their_passages(name, seed_files):
    issue = load_issue(name)
    for ev in issue.evidence.values():
        raw = seed_files[ev.seed].read_bytes()
        passage = raw[ev.bytes[0]:ev.bytes[1]].decode("utf-8")  # offsets fall on character boundaries
        assert ev.key in passage, ev.id
        assert ev.url.split("//")[1].split("/")[0].encode() in raw, ev.id  # the seed's own URL


@pytest.mark.seeds
def test_evidence_spans_point_into_article_text(seed_files):
    """Spans refer to the corpus stage's clean Article.text (the provenance contract)."""
    from heartland.corpus import read_path

    texts = {}
    for num, path in seed_files.items():
        art = next(iter(read_path(str(path))))
        texts[num] = art.text
    for name in SEED_ISSUES:
        for ev in load_issue(name).evidence.values():
            assert ev.span is not None, ev.id
            a, b = ev.span
            assert 0 <= a < b <= len(texts[ev.seed]), ev.id
            assert ev.key in texts[ev.seed][a:b], (name, ev.id)


def test_no_article_text_in_issue_files():
    import re

    for path in bundled_issues().values():
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"[\u4e00-\u9fff]{12,}", text), path.name


def test_csv_and_toml_load_the_same_model_inputs(tmp_path):
    toml = load_issue(write(tmp_path, "toy.toml", TOML_OK))
    csv_text = ("actor,capability,position,salience,capability_low,capability_high,position_low,position_high,"
                "salience_low,salience_high\nAlpha,0.5,2,0.7,0.4,0.6,1,3,,\nBeta,0.5,8,0.6,,,,,0.5,0.8\n")
    csv = load_issue(write(tmp_path, "toy.csv", csv_text))
    assert toml.arrays() == csv.arrays()
    assert toml.actors[0].capability.low == csv.actors[0].capability.low == 0.4
    assert toml.actors[1].salience.high == csv.actors[1].salience.high == 0.8
    assert toml.evidence["e1"].bytes == (10, 20)


@pytest.mark.parametrize("name", SEED_ISSUES)
def test_toml_issue_round_trips_through_csv(tmp_path, name):
    from heartland.forecast.issue import issue_to_csv

    toml = load_issue(name)
    back = load_issue(write(tmp_path, f"{name}.csv", issue_to_csv(toml)))
    assert back.arrays() == toml.arrays()
    for a, b in zip(toml.actors, back.actors):
        assert (a.id, a.name) == (b.id, b.name)
        for f in ("capability", "position", "salience"):
            va, vb = getattr(a, f), getattr(b, f)
            assert (va.low, va.high, va.note) == (vb.low, vb.high, vb.note)
    assert run_model(back, rounds=8).mean_path == run_model(toml, rounds=8).mean_path


def test_csv_preamble_sets_issue_metadata(tmp_path):
    issue = load_issue("ec_emissions_1989")
    assert issue.title.startswith("EC car-emission")
    assert issue.scale == (4.0, 10.0) and issue.low_label == "earlier"
    assert "Table 1" in issue.source


def test_format_is_sniffed_not_taken_from_the_name(tmp_path):
    issue = load_issue(write(tmp_path, "toy.csv", TOML_OK))  # TOML content, .csv name
    assert issue.title == "A toy issue"


def test_capabilities_hook_replaces_curated_values(tmp_path):
    issue = load_issue("sco_csto", capabilities={"CHN": 0.5, "RUS": 0.25})
    caps = {a.id: a.capability.value for a in issue.actors}
    kaz = next(a.capability.value for a in load_issue("sco_csto").actors if a.id == "KAZ")
    assert caps["CHN"] == 0.5 and caps["RUS"] == 0.25 and caps["KAZ"] == kaz  # the rest keep theirs
    p = write(tmp_path, "caps.csv", "id,capability\nCHN,0.7\n")
    assert read_capabilities(p) == {"CHN": 0.7}
    assert resolve_capabilities(str(p)) == {"CHN": 0.7}


BAD = [
    ("missing_col.csv", "actor,capability,position\nA,1,2\n", r"missing_col.csv: line 1: missing column\(s\) salience"),
    ("bad_num.csv", "actor,capability,position,salience\nA,1,2,0.5\nB,x,3,0.5\n",
     r"bad_num.csv:3: field 'capability': expected a number"),
    ("short_row.csv", "actor,capability,position,salience\nA,1,2,0.5\nB,1,3\n", r"short_row.csv:3: expected 4 fields"),
    ("sal.csv", "actor,capability,position,salience\nA,1,2,0.5\nB,1,3,-0.5\n", r"sal.csv:3: actor 'B': field 'salience'"),
    ("range.csv", "actor,capability,position,salience,position_low,position_high\nA,1,2,0.5,3,4\nB,1,3,0.5,,\n",
     r"range.csv:2: actor 'A': field 'position': value 2 outside its range"),
    ("one.csv", "actor,capability,position,salience\nA,1,2,0.5\n", r"one.csv: an issue needs at least two actors"),
    ("syntax.toml", "[issue]\nname = \"x\"\n[[actor]]\nname = = 3\n", r"syntax.toml:4: invalid TOML"),
    ("field.toml", TOML_OK.replace("position = 8", "position = \"eight\""),
     r"field.toml:\d+: actor 'Beta': field 'position': expected a number"),
    ("ev.toml", TOML_OK.replace('position_evidence = ["e1"]', 'position_evidence = ["nope"]'),
     r"ev.toml:\d+: actor 'Alpha': field 'position_evidence': unknown evidence id 'nope'"),
    ("unknown.toml", TOML_OK.replace("salience = 0.7", "salience = 0.7\nsalinece = 3"),
     r"unknown.toml:\d+: actor 'Alpha': unknown field 'salinece'"),
    ("missing.toml", TOML_OK.replace("capability = 0.5\nposition = 8", "position = 8"),
     r"missing.toml:\d+: actor 'Beta': field 'capability': missing"),
    ("empty.csv", "", r"empty.csv: empty issue file"),
    ("preamble.csv", "# title: T\n# scale: 0, 10\nactor,capability,position,salience\nA,1,2,0.5\nB,1,zz,0.5\n",
     r"preamble.csv:5: field 'position': expected a number, got 'zz'"),
]


@pytest.mark.parametrize("name,text,pattern", BAD, ids=[b[0] for b in BAD])
def test_malformed_issue_files_name_file_line_and_field(tmp_path, name, text, pattern):
    p = write(tmp_path, name, text)
    with pytest.raises(UserError, match=pattern):
        load_issue(p)


def test_toml_error_line_is_the_fields_line(tmp_path):
    text = TOML_OK.replace("position = 8", "position = \"eight\"")
    p = write(tmp_path, "line.toml", text)
    with pytest.raises(UserError) as err:
        load_issue(p)
    line = int(str(err.value).split(":")[1])
    assert text.splitlines()[line - 1].startswith("position = ")


def test_unknown_issue_names_the_bundled_ones():
    with pytest.raises(UserError, match="unknown issue 'nosuch'.*sco_csto"):
        load_issue("nosuch")
    with pytest.raises(UserError, match="no such issue file"):
        load_issue("missing/dir/file.toml")


def test_run_model_records_moves_consistently():
    run = run_model(load_issue("ec_emissions_1989"), rounds=5)
    assert [r.round for r in run.rounds] == list(range(6))
    for prev, cur in zip(run.rounds, run.rounds[1:]):
        moved = {a for a in run.actors if cur.positions[a] != prev.positions[a]}
        assert moved <= {m.actor for m in cur.moves}
        for m in cur.moves:
            assert m.from_position == prev.positions[m.actor]
            assert m.to_position == cur.positions[m.actor]
            assert m.kind in ("confrontation", "compromise", "capitulation")
        assert min(cur.risk.values()) >= 0.5 and max(cur.risk.values()) <= 2.0


def test_forecast_is_deterministic_by_seed():
    issue = load_issue("sco_csto")
    a = forecast(issue, rounds=12, runs=40, seed=7)
    b = forecast(issue, rounds=12, runs=40, seed=7)
    c = forecast(issue, rounds=12, runs=40, seed=8)
    assert a.to_json() == b.to_json()
    assert a.distribution.quantiles != c.distribution.quantiles


def test_monte_carlo_draws_stay_within_intervals():
    from heartland.forecast.uncertainty import sample_inputs

    issue = load_issue("corridor_priority")
    draws = sample_inputs(issue, 500, seed=1)
    for i, a in enumerate(issue.actors):
        for f in ("capability", "position", "salience"):
            v = getattr(a, f)
            col = draws[f][:, i]
            assert col.min() >= v.low - 1e-12 and col.max() <= v.high + 1e-12
            assert col.std() > 0
    uni = sample_inputs(issue, 2000, seed=1, dist="uniform")["position"][:, 0]
    tri = draws["position"][:, 0]
    nor = sample_inputs(issue, 2000, seed=1, dist="normal")["position"][:, 0]
    assert np.var(uni) > np.var(tri)  # triangular concentrates at the point value
    v = issue.actors[0].position
    assert nor.min() >= v.low and nor.max() <= v.high
    assert abs(np.median(nor) - v.value) < 0.1 * (v.high - v.low)


def test_per_value_distribution_overrides_the_default(tmp_path):
    from heartland.forecast.uncertainty import sample_inputs

    text = TOML_OK.replace("position_range = [1, 3]", "position_range = [1, 3]\nposition_dist = \"uniform\"")
    issue = load_issue(write(tmp_path, "d.toml", text))
    assert issue.actors[0].position.dist == "uniform"
    a = sample_inputs(issue, 4000, seed=2, dist="triangular")["position"][:, 0]
    # uniform on [1, 3]: variance 1/3; triangular (1, 2, 3): 1/6
    assert abs(np.var(a) - 1 / 3) < 0.03
    bad = write(tmp_path, "bad.toml", text.replace('"uniform"', '"cauchy"'))
    with pytest.raises(UserError, match=r"bad.toml:\d+: actor 'Alpha': field 'position_dist'"):
        load_issue(bad)
