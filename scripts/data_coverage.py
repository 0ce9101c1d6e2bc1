"""Write the coverage tables of the bundled data into docs/data.md.

    python scripts/data_coverage.py [--check]

``--check`` changes nothing and exits 1 when docs/data.md is stale.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from heartland.world.coverage import coverage_markdown, replace_block

DOC = Path(__file__).resolve().parents[1] / "docs" / "data.md"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="Only check that docs/data.md is current.")
    ap.add_argument("--doc", type=Path, default=DOC)
    a = ap.parse_args(argv)
    old = a.doc.read_text(encoding="utf-8")
    new = replace_block(old, coverage_markdown())
    if a.check:
        if new != old:
            print(f"{a.doc}: the coverage tables are stale (run python scripts/data_coverage.py)", file=sys.stderr)
            return 1
        return 0
    a.doc.write_text(new, encoding="utf-8")
    print(f"wrote the coverage tables to {a.doc}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
