"""Scenario files: the bundled ones load and cite their seeds; malformed ones fail clearly."""

from __future__ import annotations

import subprocess
import sys

import pytest

from heartland.errors import UserError
from heartland.simulate.bundled import bundled_names, bundled_paths
from heartland.simulate.scenario import load_scenario, parse_scenario
from tests.simulate.conftest import MINI

REQUIRED = {"baseline", "war_drain", "postwar_reassertion", "economic_to_political", "china_displaces_russia",
            "kazakhstan_tilt", "corridor_competition", "gas_leverage"}
EXPERTS = {"war_drain": "Kendall-Taylor", "postwar_reassertion": "Kendall-Taylor", "economic_to_political": "Pifer",
           "china_displaces_russia": "Hess", "kazakhstan_tilt": "Levystone", "corridor_competition": "Curtis",
           "gas_leverage": "Ryan"}


def test_bundled_scenarios_present_and_cite_their_seed():
    assert REQUIRED <= set(bundled_names())
    for path in bundled_paths():
        sc = load_scenario(path)
        assert sc.name == path.stem
        assert sc.scenario.sources, f"{path.name} cites no seed"
        for src in sc.scenario.sources:
            assert src.url.startswith("https://") and src.seed in {"000", "001", "002", "003", "004"}
        assert sc.hypotheses, f"{path.name} scores no hypothesis"
        if sc.name in EXPERTS:
            assert any(EXPERTS[sc.name] in s.expert for s in sc.scenario.sources)


def test_seed_urls_match_the_seed_files(seed_files):
    """Each cited URL appears in the seed file with that number (the source really is that article)."""
    for path in bundled_paths():
        for src in load_scenario(path).scenario.sources:
            text = seed_files[src.seed].read_text(encoding="utf-8")
            assert src.url in text, f"{path.name}: {src.url} not in seed {src.seed}"


def _error(text: str) -> str:
    with pytest.raises(UserError) as exc:
        parse_scenario(text, "bad.toml")
    return str(exc.value)


def _line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


def test_misspelled_parameter_names_file_line_and_suggestion():
    text = MINI.replace("war_drain_security =", "war_drain_securty =")
    msg = _error(text)
    assert msg.startswith(f"bad.toml:{_line_of(text, 'war_drain_securty')}:")
    assert "parameters.war_drain_securty" in msg and "did you mean 'war_drain_security'" in msg


def test_misspelled_hypothesis_field():
    text = MINI.replace('metric = "influence"', 'metrc = "influence"')
    msg = _error(text)
    assert msg.startswith(f"bad.toml:{_line_of(text, 'metrc')}:")
    assert "hypotheses.1.metrc" in msg and "did you mean 'metric'" in msg


def test_bad_metric_value_suggests():
    text = MINI.replace('metric = "influence"', 'metric = "influense"')
    msg = _error(text)
    assert f":{_line_of(text, 'influense')}:" in msg and "did you mean 'influence'" in msg


def test_unknown_distribution_and_bad_bounds():
    text = MINI.replace('dist = "triangular"', 'dist = "triangle"')
    msg = _error(text)
    assert f"bad.toml:{_line_of(text, 'triangle')}:" in msg and "did you mean 'triangular'" in msg
    text = MINI.replace('low = 0.0, high = 0.06', 'low = 0.1, high = 0.06')
    msg = _error(text)
    assert f"bad.toml:{_line_of(text, 'low = 0.1, high = 0.06')}:" in msg and "must not exceed" in msg


def test_unknown_shock_kind_and_patron_code():
    text = MINI.replace('kind = "crisis"', 'kind = "crises"')
    msg = _error(text)
    assert f":{_line_of(text, 'crises')}:" in msg and "did you mean 'crisis'" in msg
    text = MINI.replace('patron = "RUS"', 'patron = "RUSS"')
    msg = _error(text)
    assert f":{_line_of(text, 'RUSS')}:" in msg and "did you mean 'RUS'" in msg


def test_unknown_shock_field_and_target():
    text = MINI.replace('targets = ["KAZ"]', 'targts = ["KAZ"]')
    msg = _error(text)
    assert f":{_line_of(text, 'targts')}:" in msg and "did you mean 'targets'" in msg
    text = MINI.replace('target = "TJK"', 'target = "TJKK"')
    assert "did you mean 'TJK'" in _error(text)


def test_syntax_error_and_missing_fields():
    text = MINI.replace('title = "Mini test scenario"', 'title = "Mini test scenario')
    msg = _error(text)
    assert "bad.toml:" in msg and "not valid TOML" in msg and f":{_line_of(text, 'title =')}" in msg
    text = MINI.replace('horizon = 2032\n', '')
    assert "scenario.horizon: required field is missing" in _error(text)
    text = MINI.replace('versus = "RUS"\n', '')
    assert "exactly one of 'versus'" in _error(text)


def test_cli_reports_bad_scenario_without_traceback(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text(MINI.replace("hedging_tolerance =", "hedging_tolerence ="), encoding="utf-8")
    r = subprocess.run([sys.executable, "-m", "heartland.cli", "simulate", str(bad), "--runs", "4",
                        "--out", str(tmp_path)], capture_output=True, text=True, timeout=120)
    assert r.returncode == 2
    assert "Traceback" not in r.stderr
    assert f"{bad}:{_line_of(bad.read_text(), 'hedging_tolerence')}" in r.stderr
    assert "did you mean 'hedging_tolerance'" in r.stderr
