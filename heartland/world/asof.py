"""The "as of" date every world command takes, parsed without the world's heavy imports."""

from __future__ import annotations

from datetime import date, datetime

from heartland.errors import UserError


def as_date(d) -> date:
    """``None`` (today), a date, a datetime, ``"YYYY-MM-DD"`` or ``"YYYY"`` (31 December)."""
    if d is None:
        return date.today()
    if isinstance(d, datetime):
        return d.date()
    if isinstance(d, date):
        return d
    s = str(d).strip()
    try:
        if len(s) == 4 and s.isdigit():
            return date(int(s), 12, 31)
        return date.fromisoformat(s[:10])
    except ValueError:
        raise UserError(f"--date: expected YYYY-MM-DD or YYYY, got {s!r}") from None
