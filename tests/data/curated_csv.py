"""Shared readers for the curated-data tests (plain csv; no heartland code under test)."""

from __future__ import annotations

import csv
import re
from datetime import date
from pathlib import Path

import pycountry

CURATED = Path(__file__).resolve().parents[2] / "heartland" / "data" / "curated"
DATA_DOC = Path(__file__).resolve().parents[2] / "docs" / "data.md"

TIES_COLUMNS = ["patron", "target", "indicator", "year", "period", "value", "low", "high", "unit",
                "source", "source_url", "source_year", "note"]
INSTITUTION_COLUMNS = ["institution", "member", "role", "start", "end", "source", "source_url",
                       "source_year", "note"]

TARGETS = {"KAZ", "KGZ", "TJK", "TKM", "UZB"}
ROLES = {"founder", "member", "observer", "dialogue_partner", "suspended", "partner", "associate"}
FULL = {"founder", "member"}

_PARTIAL_DATE = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?$")


def read(name: str) -> tuple[list[str], list[dict[str, str]]]:
    with (CURATED / name).open(newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        return list(reader.fieldnames or []), list(reader)


def is_iso3(code: str) -> bool:
    return pycountry.countries.get(alpha_3=code) is not None


def num(text: str) -> float | None:
    text = (text or "").strip()
    return float(text) if text else None


def partial_date(text: str) -> date | None:
    """``YYYY``/``YYYY-MM``/``YYYY-MM-DD`` read at the start of the period; '' -> None."""
    text = (text or "").strip()
    if not text:
        return None
    m = _PARTIAL_DATE.match(text)
    if not m:
        raise ValueError(f"bad date {text!r}")
    return date(int(m.group(1)), int(m.group(2) or 1), int(m.group(3) or 1))


def in_force(row: dict[str, str], on: date) -> bool:
    start, end = partial_date(row["start"]), partial_date(row["end"])
    return start <= on and (end is None or on < end)


def members(rows: list[dict[str, str]], institution: str, on: date, roles=FULL) -> set[str]:
    return {r["member"] for r in rows
            if r["institution"] == institution and r["role"] in roles and in_force(r, on)}
