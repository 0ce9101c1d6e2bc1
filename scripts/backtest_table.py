"""Write the bargaining-model backtest table into docs/forecast.md.

    python scripts/backtest_table.py [--check]

``--check`` changes nothing and exits 1 when docs/forecast.md is stale.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from heartland.forecast.backtest import backtest_markdown, replace_block, run_backtest
from heartland.generated_docs import write_or_check

DOC = Path(__file__).resolve().parents[1] / "docs" / "forecast.md"
RUNS, SEED = 1000, 0


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="Only check that docs/forecast.md is current.")
    ap.add_argument("--doc", type=Path, default=DOC)
    a = ap.parse_args(argv)
    new = replace_block(a.doc.read_text(encoding="utf-8"), backtest_markdown(run_backtest(runs=RUNS, seed=SEED)))
    return write_or_check(a.doc, new, check=a.check, what="the backtest table is",
                          script="scripts/backtest_table.py")


if __name__ == "__main__":
    raise SystemExit(main())
