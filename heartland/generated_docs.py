"""Generated blocks in the docs: a table written between two marker comments by a script,
and a ``--check`` that fails when the block is stale (tests call the same check).

Used by scripts/data_coverage.py (docs/data.md) and scripts/backtest_table.py
(docs/forecast.md).
"""

from __future__ import annotations

import sys
from pathlib import Path


def replace_block(text: str, block: str, start: str, end: str) -> str:
    """``text`` with the block between ``start`` and ``end`` replaced by ``block`` (which
    carries the markers itself); appended when the markers are missing."""
    if start in text and end in text:
        a, b = text.index(start), text.index(end) + len(end)
        return text[:a] + block + text[b:]
    return text.rstrip("\n") + "\n\n" + block + "\n"


def write_or_check(doc: Path, new_text: str, *, check: bool, what: str, script: str) -> int:
    """Write ``new_text`` to ``doc`` (exit code 0), or with ``check`` only compare: 1 and one
    line naming the file and the command that regenerates it when ``doc`` differs."""
    old = doc.read_text(encoding="utf-8")
    if check:
        if new_text != old:
            print(f"{doc}: {what} stale (run python {script})", file=sys.stderr)
            return 1
        return 0
    doc.write_text(new_text, encoding="utf-8")
    print(f"wrote {what.removesuffix(' are').removesuffix(' is')} to {doc}", file=sys.stderr)
    return 0
