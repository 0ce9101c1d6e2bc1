"""docs/simulate.md documents every parameter, shock kind and bundled scenario."""

from __future__ import annotations

from heartland.paths import REPO_DIR
from heartland.simulate.bundled import bundled_names
from heartland.simulate.params import PARAMS
from heartland.simulate.scenario import METRICS, SHOCK_KINDS


def test_every_parameter_shock_metric_and_scenario_is_documented():
    doc = (REPO_DIR / "docs" / "simulate.md").read_text(encoding="utf-8")
    table = doc.split("## Parameters", 1)[1]
    for name, p in PARAMS.items():
        row = next((line for line in table.splitlines() if line.startswith(f"| `{name}` |")), None)
        assert row is not None, f"parameter {name} missing from the table"
        assert f"| {p.default:g} |" in row and f"{p.low:g} – {p.high:g}" in row, f"{name}: default/range out of date"
    for kind in SHOCK_KINDS:
        assert f"| `{kind}` |" in doc
    for metric in METRICS:
        assert f"`{metric}`" in doc
    for name in bundled_names():
        assert f"| `{name}` |" in doc
