"""Bundled issues take their capabilities from the world stage's cited measures."""

from __future__ import annotations

import re

import pytest
from typer.testing import CliRunner

from heartland.cli import app
from heartland.errors import UserError
from heartland.forecast import forecast, load_issue
from heartland.forecast.capability import resolve_capabilities, world_capability_values
from heartland.forecast.issue import ISSUES_DIR
from heartland.world import capability_intervals, capability_measures

SEED_ISSUES = ["sco_csto", "corridor_priority", "eaeu_gas_pricing", "kazakhstan_alignment"]
runner = CliRunner()

TOML = """
[issue]
name = "toy"

[evidence.e1]
seed = "001"
url = "https://example.org/a"
bytes = [10, 20]

[[actor]]
id = "KAZ"
name = "Kazakhstan"
capability = "world"
{extra}
position = 20
salience = 0.5

[[actor]]
id = "{other}"
name = "Other"
capability = 0.5
position = 80
salience = 0.5
"""


def write(tmp_path, text, name="toy.toml"):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


@pytest.mark.parametrize("name", SEED_ISSUES)
def test_bundled_issue_capabilities_are_the_cited_measures(name):
    text = (ISSUES_DIR / f"{name}.toml").read_text(encoding="utf-8")
    assert "recall" not in text.lower()
    caps, iv = capability_measures(), capability_intervals()
    issue = load_issue(name)
    for a in issue.actors:
        c = a.capability
        assert c.value == caps[a.id], a.id
        assert (c.low, c.high) == iv[a.id], a.id
        # the note names the capabilities.csv rows the value rests on
        assert re.search(r"capabilities\.csv:\d+", c.note), c.note
    assert "capabilities.csv" in issue.capability_basis


@pytest.mark.parametrize("name", SEED_ISSUES)
def test_bundled_issue_forecasts_with_world_capabilities(name):
    issue = load_issue(name)
    fc = forecast(issue, rounds=20, runs=30, seed=1)
    s = fc.run.summary
    lo, hi = fc.scale
    assert lo <= s.low <= s.forecast <= s.high <= hi
    assert fc.distribution is not None and fc.distribution.runs == 30
    # the largest cited power among the issue's actors weighs most in the weighted mean
    biggest = max(issue.actors, key=lambda a: a.capability.value)
    caps = capability_measures()
    assert biggest.capability.value == max(caps[a.id] for a in issue.actors)


def test_world_ranking_reaches_the_issue():
    issue = load_issue("kazakhstan_alignment")
    c = {a.id: a.capability.value for a in issue.actors}
    assert c["USA"] > c["CHN"] > c["RUS"] > c["KAZ"] > c["TJK"]


def test_cli_capabilities_world_matches_the_file_default():
    assert resolve_capabilities("world") == capability_measures()
    res = runner.invoke(app, ["forecast", "sco_csto", "--capabilities", "world", "--rounds", "6",
                              "--format", "json"])
    assert res.exit_code == 0, res.output
    res2 = runner.invoke(app, ["forecast", "sco_csto", "--rounds", "6", "--format", "json"])
    assert res2.exit_code == 0, res2.output

    import json

    # --capabilities world replaces with the same point values, so the path is the same
    assert json.loads(res.output)["run"]["summary"] == json.loads(res2.output)["run"]["summary"]


def test_world_values_carry_interval_and_note():
    w = world_capability_values()
    assert w is not None and set(w) == set(capability_measures())
    for v, lo, hi, note in w.values():
        assert lo <= v <= hi and note


def test_world_capability_in_a_user_file(tmp_path):
    issue = load_issue(write(tmp_path, TOML.format(extra='capability_note = "judged minor"', other="RUS")))
    kaz = issue.actors[0].capability
    assert kaz.value == capability_measures()["KAZ"]
    assert kaz.note.endswith("; judged minor")
    assert issue.actors[1].capability.value == 0.5  # a number stays a number


@pytest.mark.parametrize("extra,other,msg", [
    ("capability_range = [0.1, 0.2]", "RUS", r"toy.toml:\d+: actor 'Kazakhstan': field 'capability_range': not allowed"),
    ('capability_evidence = ["nope"]', "RUS", r"toy.toml:\d+: actor 'Kazakhstan': field 'capability_evidence': unknown"),
    ('capability_dist = "weird"', "RUS", r"toy.toml:\d+: actor 'Kazakhstan': field 'capability_dist'"),
])
def test_world_capability_errors_name_file_and_line(tmp_path, extra, other, msg):
    with pytest.raises(UserError, match=msg):
        load_issue(write(tmp_path, TOML.format(extra=extra, other=other)))


def test_world_capability_for_an_unmeasured_actor(tmp_path):
    text = TOML.format(extra="", other="ZZZ").replace('capability = 0.5', 'capability = "world"')
    with pytest.raises(UserError, match=r"toy.toml:\d+: actor 'Other': field 'capability': the world stage has no "
                                        r"capability measure for id 'ZZZ'"):
        load_issue(write(tmp_path, text))


def test_ec_example_keeps_its_published_capabilities():
    issue = load_issue("ec_emissions_1989")
    caps = {a.name: a.capability.value for a in issue.actors}
    assert caps["Germany"] == 0.16 and caps["Luxembourg"] == 0.03  # Table 1, untouched
