"""Publication-time parsing: every result is timezone-aware (see docs/corpus.md)."""

from __future__ import annotations

import email.utils
import re
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

# RFA article URLs end in -MMDDYYYYHHMMSS.html: the newsroom's (Washington) local time.
_URL_STAMP = re.compile(r"-(\d{2})(\d{2})(\d{4})(\d{2})(\d{2})(\d{2})\.html?(?:$|[?#])")
_DMY_TIME = re.compile(r"^\s*(\d{1,2})/(\d{1,2})/(\d{4})\s*-\s*(\d{1,2}):(\d{2})\s*$")
_ZH_DATE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_ISO_DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")


def _zone(tz: str | None) -> ZoneInfo | timezone:
    if not tz or tz == "UTC":
        return timezone.utc
    return ZoneInfo(tz)


def _local(y: int, mo: int, d: int, h: int = 0, mi: int = 0, s: int = 0,
           tz: str | None = None) -> datetime | None:
    try:
        return datetime(y, mo, d, h, mi, s, tzinfo=_zone(tz))
    except ValueError:
        return None


def from_url_timestamp(url: str | None, tz: str | None) -> datetime | None:
    """The ``MMDDYYYYHHMMSS`` stamp at the end of an RFA-style URL, in zone ``tz``."""
    if not url:
        return None
    m = _URL_STAMP.search(url)
    if not m:
        return None
    mo, d, y, h, mi, s = (int(g) for g in m.groups())
    return _local(y, mo, d, h, mi, s, tz)


def from_dmy_line(line: str, tz: str | None) -> datetime | None:
    """``dd/mm/yyyy - HH:MM`` (RFI's dateline), local time in zone ``tz``."""
    m = _DMY_TIME.match(line)
    if not m:
        return None
    d, mo, y, h, mi = (int(g) for g in m.groups())
    return _local(y, mo, d, h, mi, 0, tz)


def from_epoch_ms(ms: str | int) -> datetime | None:
    try:
        v = int(ms)
        if v > 10**11:  # milliseconds
            v //= 1000
        return datetime.fromtimestamp(v, tz=timezone.utc)
    except (ValueError, OverflowError, OSError):
        return None


def from_zh_date(text: str, tz: str | None) -> datetime | None:
    """A date written ``2022年1月24日``: midnight of that day in zone ``tz``."""
    m = _ZH_DATE.search(text)
    if not m:
        return None
    y, mo, d = (int(g) for g in m.groups())
    return _local(y, mo, d, tz=tz)


def parse_any(value: object, tz: str | None = None) -> datetime | None:
    """ISO 8601, RFC 822 (feeds), ``YYYY-MM-DD HH:MM[:SS]`` or a datetime.

    A value without an offset is local time in zone ``tz`` (UTC when unknown).
    """
    if value is None:
        return None
    if isinstance(value, datetime):
        dt = value
    else:
        s = str(value).strip()
        if not s:
            return None
        dt = None
        try:
            dt = datetime.fromisoformat(s.replace(" ", "T", 1) if re.match(r"\d{4}-\d\d-\d\d \d", s)
                                        else s)
        except ValueError:
            try:
                dt = email.utils.parsedate_to_datetime(s)
            except (TypeError, ValueError, IndexError):
                dt = None
        if dt is None:
            return from_zh_date(s, tz)
    if dt.tzinfo is None:
        try:
            dt = dt.replace(tzinfo=_zone(tz))
        except ValueError:
            return None
    return dt
