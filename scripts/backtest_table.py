"""Write the bargaining-model backtest table into docs/forecast.md.

    python scripts/backtest_table.py [--check]

``--check`` changes nothing and exits 1 when docs/forecast.md is stale.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from heartland.forecast.backtest import backtest_markdown, replace_block, run_backtest

DOC = Path(__file__).resolve().parents[1] / "docs" / "forecast.md"
RUNS, SEED = 1000, 0


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="Only check that docs/forecast.md is current.")
    ap.add_argument("--doc", type=Path, default=DOC)
    a = ap.parse_args(argv)
    old = a.doc.read_text(encoding="utf-8")
    new = replace_block(old, backtest_markdown(run_backtest(runs=RUNS, seed=SEED)))
    if a.check:
        if new != old:
            print(f"{a.doc}: the backtest table is stale (run python scripts/backtest_table.py)", file=sys.stderr)
            return 1
        return 0
    a.doc.write_text(new, encoding="utf-8")
    print(f"wrote the backtest table to {a.doc}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
