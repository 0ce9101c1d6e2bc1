"""Institutions and their membership timelines, queryable as of a date.

Read from ``heartland/data/curated/institutions.csv`` (schema in ``docs/data.md``);
every membership row cites its source. A row is in force on day ``d`` when
``start <= d`` and (``end`` is empty or ``d < end``). Partial dates are read at the
start of the period they name: ``2005`` is 2005-01-01, ``2015-07`` is 2015-07-01.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from pydantic import BaseModel

from heartland.errors import UserError
from heartland.paths import DATA_DIR

INSTITUTIONS_CSV = DATA_DIR / "curated" / "institutions.csv"

#: Roles that make a state a full participant (counted as members).
FULL_ROLES = frozenset({"founder", "member"})
#: How much each role counts in shared-institution ties (documented in docs/world.md).
ROLE_WEIGHT = {"founder": 1.0, "member": 1.0, "associate": 0.5, "partner": 0.5, "observer": 0.25,
               "dialogue_partner": 0.1, "suspended": 0.0}

_DATE = re.compile(r"^(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?$")


def parse_partial_date(text: str, *, where: str = "") -> date | None:
    """``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` → date (start of the period); empty → None."""
    text = (text or "").strip()
    if not text:
        return None
    m = _DATE.match(text)
    if not m:
        raise UserError(f"bad date {text!r} (expected YYYY, YYYY-MM or YYYY-MM-DD)", path=where or None)
    y, mo, d = int(m.group(1)), int(m.group(2) or 1), int(m.group(3) or 1)
    try:
        return date(y, mo, d)
    except ValueError:
        raise UserError(f"bad date {text!r}", path=where or None) from None


class Membership(BaseModel):
    institution: str
    member: str
    role: str
    start: date
    end: date | None = None
    source: str = ""
    source_url: str = ""
    source_year: int | None = None
    note: str = ""
    row: int = 0  # line number in the CSV, for provenance

    def in_force(self, on: date) -> bool:
        return self.start <= on and (self.end is None or on < self.end)

    @property
    def weight(self) -> float:
        return ROLE_WEIGHT.get(self.role, 0.0)


@dataclass
class Institutions:
    """All membership rows; query them as of any date."""

    rows: list[Membership] = field(default_factory=list)
    path: str = ""

    def names(self) -> list[str]:
        return sorted({r.institution for r in self.rows})

    def as_of(self, on: date) -> list[Membership]:
        """The rows in force on ``on`` (one per institution and state)."""
        return [r for r in self.rows if r.in_force(on)]

    def members(self, institution: str, on: date, roles=FULL_ROLES) -> list[str]:
        """States holding one of ``roles`` in ``institution`` on ``on``, sorted."""
        return sorted({r.member for r in self.rows
                       if r.institution == institution and r.role in roles and r.in_force(on)})

    def _by_pair(self) -> dict[tuple[str, str], list[Membership]]:
        idx = self.__dict__.get("_pairs")
        if idx is None or self.__dict__.get("_pairs_n") != len(self.rows):
            idx = {}
            for r in self.rows:
                idx.setdefault((r.institution, r.member), []).append(r)
            self.__dict__["_pairs"], self.__dict__["_pairs_n"] = idx, len(self.rows)
        return idx

    def role(self, institution: str, member: str, on: date) -> Membership | None:
        """The member's row in force on ``on``; full roles win over lesser ones if both are open."""
        best = None
        for r in self._by_pair().get((institution, member), ()):
            if r.in_force(on):
                if best is None or r.weight > best.weight:
                    best = r
        return best

    def shared(self, a: str, b: str, on: date) -> list[tuple[Membership, Membership]]:
        """Institutions where both ``a`` and ``b`` hold a role on ``on`` (pairs of rows)."""
        out = []
        for inst in self.names():
            ra, rb = self.role(inst, a, on), self.role(inst, b, on)
            if ra is not None and rb is not None and ra.weight > 0 and rb.weight > 0:
                out.append((ra, rb))
        return out


def load_institutions(path: Path | str | None = None) -> Institutions:
    """Read the membership timelines; a malformed row is a UserError naming file and line."""
    p = Path(path) if path else INSTITUTIONS_CSV
    if not p.exists():
        return Institutions(rows=[], path=str(p))
    rows: list[Membership] = []
    with p.open(newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        need = {"institution", "member", "role", "start"}
        if reader.fieldnames is None or not need <= set(reader.fieldnames):
            raise UserError(f"missing columns {sorted(need - set(reader.fieldnames or []))}", path=str(p))
        for i, rec in enumerate(reader, start=2):
            where = f"{p}:{i}"
            start = parse_partial_date(rec.get("start", ""), where=where)
            if start is None:
                raise UserError("empty start date", path=where)
            end = parse_partial_date(rec.get("end", "") or "", where=where)
            sy = (rec.get("source_year") or "").strip()
            rows.append(Membership(
                institution=rec["institution"].strip(), member=rec["member"].strip().upper(),
                role=rec["role"].strip(), start=start, end=end, source=(rec.get("source") or "").strip(),
                source_url=(rec.get("source_url") or "").strip(),
                source_year=int(sy) if sy.isdigit() else None, note=(rec.get("note") or "").strip(), row=i))
    return Institutions(rows=rows, path=str(p))
