"""Small promises from issue 17 that would otherwise quietly come back."""

from __future__ import annotations

import re
import tomllib

from heartland.paths import REPO_DIR

#: A template name left unfilled, e.g. "{SEED_002}" (an f-string that lost its f).
PLACEHOLDER = re.compile(r"\{[A-Z][A-Z0-9_]*\}")


def test_no_unfilled_placeholders_in_docs_or_parameter_sources():
    from heartland.simulate.params import PARAMS

    for doc in sorted((REPO_DIR / "docs").glob("*.md")) + [REPO_DIR / "README.md"]:
        found = PLACEHOLDER.findall(doc.read_text(encoding="utf-8"))
        assert not found, f"{doc.name}: unfilled {found}"
    for name, p in PARAMS.items():
        text = " ".join(str(v) for v in vars(p).values()) if hasattr(p, "__dict__") else str(p)
        assert not PLACEHOLDER.search(text), f"parameter {name}: unfilled placeholder in {text!r}"


def test_licence_is_an_spdx_string():
    # a TOML table (license = {text = ...}) makes every install print a deprecation warning
    meta = tomllib.loads((REPO_DIR / "pyproject.toml").read_text(encoding="utf-8"))
    assert meta["project"]["license"] == "MIT"
    req = meta["build-system"]["requires"]
    assert any(r.startswith("setuptools>=") and int(r.split(">=")[1].split(".")[0]) >= 77 for r in req), req
