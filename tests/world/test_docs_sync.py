"""docs/world.md and docs/measure.md state the method the code runs: tables kept in sync."""

from __future__ import annotations

from pathlib import Path

from heartland.measure import indices as ix
from heartland.world.components import COMPONENTS, INSTITUTION_DOMAINS
from heartland.world.institutions import ROLE_WEIGHT

DOCS = Path(__file__).resolve().parents[2] / "docs"


def test_mapping_table_matches_components():
    text = (DOCS / "world.md").read_text()
    for c in COMPONENTS:
        row = next((line for line in text.splitlines() if line.startswith(f"| {c.domain} | {c.side} | `{c.indicator}`")),
                   None)
        assert row is not None, f"docs/world.md lacks the row for {c.indicator}"
        cells = [x.strip() for x in row.strip("|").split("|")]
        assert cells[3] == c.scale and float(cells[4]) == c.ref and float(cells[5]) == c.weight, row
    for inst, doms in INSTITUTION_DOMAINS.items():
        expect = ", ".join(f"{d} {w:g}" for d, w in doms.items())
        assert f"| {inst} | {expect} |" in text
    for role in ROLE_WEIGHT:
        assert role.replace("_", " ") in text


def test_measure_defaults_documented():
    text = (DOCS / "measure.md").read_text()
    assert "(0.25, 0.35, 0.15, 0.15, 0.10)" in text and tuple(ix.DEFAULT_DOMAIN_WEIGHTS) == (0.25, 0.35, 0.15, 0.15, 0.10)
    assert "(0.7, 0.8)" in text and ix.DEFAULT_PARITY_BAND == (0.7, 0.8)
    assert "(0.4, 0.3, 0.3)" in text and tuple(ix.DEFAULT_FRICTION_WEIGHTS) == (0.4, 0.3, 0.3)
