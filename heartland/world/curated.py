"""The bundled curated figures (``heartland/data/curated/ties.csv``) as evidence items."""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd

from heartland.errors import UserError
from heartland.paths import DATA_DIR
from heartland.world.evidence import empty_evidence, normalise

TIES_CSV = DATA_DIR / "curated" / "ties.csv"
REQUIRED = ("patron", "target", "indicator", "year", "unit", "source")


def _num(text: str, where: str, col: str) -> float | None:
    t = (text or "").strip()
    if not t:
        return None
    try:
        return float(t)
    except ValueError:
        raise UserError(f"column {col!r}: not a number: {t!r}", path=where) from None


def load_curated_ties(path: Path | str | None = None) -> pd.DataFrame:
    """Read ties.csv into an evidence frame (kind ``curated``; eid ``curated:<file>:<line>``).

    A row without a number, a year or a source is the user's (or curator's) mistake and
    raises a UserError naming file and line; a missing file yields no items.
    """
    p = Path(path) if path else TIES_CSV
    if not p.exists():
        return empty_evidence()
    rows = []
    with p.open(newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        missing = [c for c in REQUIRED if c not in (reader.fieldnames or [])]
        if missing:
            raise UserError(f"missing columns {missing}", path=str(p))
        for i, rec in enumerate(reader, start=2):
            where = f"{p}:{i}"
            if not any((v or "").strip() for v in rec.values()):
                continue
            year = (rec.get("year") or "").strip()
            if not year.isdigit():
                raise UserError(f"column 'year': expected a year, got {year!r}", path=where)
            value, low, high = (_num(rec.get(c, ""), where, c) for c in ("value", "low", "high"))
            if value is None and low is None and high is None:
                raise UserError("no value, low or high", path=where)
            if not (rec.get("source") or "").strip():
                raise UserError("no source", path=where)
            sy = (rec.get("source_year") or "").strip()
            rows.append({
                "eid": f"curated:{p.name}:{i}", "kind": "curated",
                "patron": rec["patron"].strip().upper(), "target": rec["target"].strip().upper(),
                "indicator": rec["indicator"].strip(), "year": int(year),
                "period": (rec.get("period") or "").strip() or None,
                "value": value, "low": low, "high": high, "unit": rec["unit"].strip(),
                "source": rec["source"].strip(), "source_url": (rec.get("source_url") or "").strip() or None,
                "published": f"{sy}-01-01" if sy.isdigit() else None,
                "corroboration": 1, "note": (rec.get("note") or "").strip() or None,
            })
    if not rows:
        return empty_evidence()
    return normalise(pd.DataFrame(rows))
