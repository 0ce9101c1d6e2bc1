"""Write the coverage tables of the bundled data into docs/data.md.

    python scripts/data_coverage.py [--check]

``--check`` changes nothing and exits 1 when docs/data.md is stale.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from heartland.generated_docs import write_or_check
from heartland.world.coverage import coverage_markdown, replace_block

DOC = Path(__file__).resolve().parents[1] / "docs" / "data.md"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="Only check that docs/data.md is current.")
    ap.add_argument("--doc", type=Path, default=DOC)
    a = ap.parse_args(argv)
    new = replace_block(a.doc.read_text(encoding="utf-8"), coverage_markdown())
    return write_or_check(a.doc, new, check=a.check, what="the coverage tables are",
                          script="scripts/data_coverage.py")


if __name__ == "__main__":
    raise SystemExit(main())
