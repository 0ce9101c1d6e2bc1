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


# --- dates in original URLs and timestamp lines in the text (issue 13) -------------------

_URL_YMD_PATH = re.compile(r"/((?:19|20)\d\d)/(\d{1,2})/(\d{1,2})(?:/|$)")
_URL_YMD_COMPACT_PATH = re.compile(r"/((?:19|20)\d\d)/(\d\d)(\d\d)/")
_URL_EPOCH = re.compile(r"/(\d\d)/(\d{1,2})/(\d{1,2})/n\d+\.html?")  # Epoch Times /gb/20/6/17/n…
_URL_DMONY = re.compile(r"/(\d{1,2})-([A-Z][a-z]{2})-((?:19|20)\d\d)/")
_URL_CNA = re.compile(r"/((?:19|20)\d{6})\d{4}\.aspx")
_URL_8 = re.compile(r"(?:(?<=[/_-])|(?<=story))(\d{8})(?=[/_.-]|$)")
_MONTHS = {m: i for i, m in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1)}


def _valid(y: int, mo: int, d: int) -> bool:
    try:
        datetime(y, mo, d)
    except ValueError:
        return False
    return 1995 <= y <= 2035


def url_date(url: str | None) -> tuple[int, int, int] | None:
    """The publication date an original URL embeds, as (year, month, day), or None.

    Path dates (``/2020/10/03/``, ``/2024/0607/``, Epoch Times ``/gb/20/6/17/n…``,
    ``/19-May-2023/``) and compact stamps (``story20210408-…``, ``/20201006-…``,
    ``…-20200915/…`` or ``…-10282020/…`` as VOA writes them, CNA ``/202010060239.aspx``).
    """
    if not url:
        return None
    from urllib.parse import unquote

    u = unquote(url)
    for rx in (_URL_YMD_PATH, _URL_YMD_COMPACT_PATH):
        m = rx.search(u)
        if m and _valid(*(int(g) for g in m.groups())):
            return tuple(int(g) for g in m.groups())  # type: ignore[return-value]
    m = _URL_EPOCH.search(u)
    if m and "epochtimes" in u.lower():
        y, mo, d = 2000 + int(m.group(1)), int(m.group(2)), int(m.group(3))
        if _valid(y, mo, d):
            return y, mo, d
    m = _URL_DMONY.search(u)
    if m and m.group(2).lower() in _MONTHS:
        y, mo, d = int(m.group(3)), _MONTHS[m.group(2).lower()], int(m.group(1))
        if _valid(y, mo, d):
            return y, mo, d
    m = _URL_CNA.search(u)
    if m:
        s = m.group(1)
        if _valid(int(s[:4]), int(s[4:6]), int(s[6:])):
            return int(s[:4]), int(s[4:6]), int(s[6:])
    for m in _URL_8.finditer(u):
        s = m.group(1)
        for y, mo, d in ((s[:4], s[4:6], s[6:]), (s[4:], s[:2], s[2:4])):  # YYYYMMDD, MMDDYYYY
            if _valid(int(y), int(mo), int(d)):
                return int(y), int(mo), int(d)
    return None


def from_url_date(url: str | None, tz: str | None) -> datetime | None:
    """Midnight of the URL's date in zone ``tz``."""
    ymd = url_date(url)
    return _local(*ymd, tz=tz) if ymd else None


_ISO_LINE = re.compile(r"^\d{4}-\d\d-\d\d[T ]\d\d:\d\d(?::\d\d(?:\.\d+)?)?(?:Z|[+-]\d\d:?\d\d)?$")
_RFC_LINE = re.compile(
    r"^(?:(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun),?\s+)?\d{1,2}\s+[A-Z][a-z]{2}\s+\d{4}\s+\d\d:\d\d(?::\d\d)?"
    r"\s*(?:GMT|UTC|Z|[+-]\d{4})?$")
_EN_TIME_DATE = re.compile(
    r"^(?P<h>\d{1,2}):(?P<mi>\d\d),?\s+(?P<mon>[A-Z][a-z]+)\s+(?P<d>\d{1,2}),?\s+(?P<y>\d{4})$")
_EN_MONTH_DATE = re.compile(r"(?P<mon>[A-Z][a-z]+)\.?\s+(?P<d>\d{1,2}),?\s+(?P<y>\d{4})$")
_ZH_FULL_STAMP = re.compile(r"^\d{4}年\d{1,2}月\d{1,2}日(?:\s*\d{1,2}:\d\d(?::\d\d)?)?$")


def stamp_line(line: str, tz: str | None = None) -> datetime | None:
    """A paragraph that is only a timestamp (``2020-10-07T07:47:14.978Z``, ``Sat, 10 Jul 2021
    17:15:06 GMT``, ``30/04/2021 - 10:02``, ``09:34, June 07, 2024``, ``2020年10月30日``): its
    time, else None. Times without an offset are local to ``tz``."""
    s = line.strip()
    if len(s) > 40 or not s[:1].isalnum():
        return None
    if _ISO_LINE.match(s):
        return parse_any(s.replace("Z", "+00:00") if s.endswith("Z") else s, tz)
    if _RFC_LINE.match(s):
        return parse_any(s, tz)
    if _DMY_TIME.match(s):
        return from_dmy_line(s, tz)
    m = _EN_TIME_DATE.match(s)
    if m and m.group("mon")[:3].lower() in _MONTHS:
        return _local(int(m.group("y")), _MONTHS[m.group("mon")[:3].lower()], int(m.group("d")),
                      int(m.group("h")), int(m.group("mi")), tz=tz)
    if _ZH_FULL_STAMP.match(s):
        return from_zh_date(s, tz)
    return None


def english_date(text: str, tz: str | None) -> datetime | None:
    """``June 16, 2025`` at the end of an English dateline: midnight in zone ``tz``."""
    m = _EN_MONTH_DATE.search(text)
    if not m or m.group("mon")[:3].lower() not in _MONTHS:
        return None
    return _local(int(m.group("y")), _MONTHS[m.group("mon")[:3].lower()], int(m.group("d")), tz=tz)


def in_zone(dt: datetime | None, tz: str | None) -> datetime | None:
    """The same instant on the outlet's newsroom clock (unchanged when the zone is unknown)."""
    if dt is None or not tz:
        return dt
    return dt.astimezone(_zone(tz))


_DATE_ONLY = re.compile(r"^(\d{4})-(\d\d)-(\d\d)$")


def parse_stamp(s: str, tz: str | None) -> datetime | None:
    """A removed timestamp line or a bare ``YYYY-MM-DD`` token."""
    m = _DATE_ONLY.match(s.strip())
    if m:
        return _local(*(int(g) for g in m.groups()), tz=tz)
    return stamp_line(s, tz)


def decide_published(url: str | None, tz: str | None,
                     stated: list[tuple[datetime | None, str]],
                     dateline: str | None = None) -> tuple[datetime | None, str | None]:
    """The outlet's publication time and the rule that gave it (docs/corpus.md).

    1. a full timestamp in the original URL (RFA) — ``url-timestamp``;
    2. a date in the original URL — but a stated time (``stated``, in order of trust) on that
       same local date is more precise and is used instead, under its own basis;
    3. without a URL date, the first stated time (on the outlet's clock);
    4. a dateline's date (``【大纪元2020年06月18日讯】``, ``Astana (AFP) June 16, 2025``).
    """
    ts = from_url_timestamp(url, tz)
    if ts is not None:
        return ts, "url-timestamp"
    times = [(in_zone(dt, tz), basis) for dt, basis in stated if dt is not None]
    ymd = url_date(url)
    if ymd is not None:
        for dt, basis in times:
            # a URL date may be the newsroom's local date or the UTC date of the same instant
            utc = dt.astimezone(timezone.utc)
            if ymd in ((dt.year, dt.month, dt.day), (utc.year, utc.month, utc.day)):
                return dt, basis
        return _local(*ymd, tz=tz), "url-date"
    if times:
        return times[0]
    if dateline:
        dt = from_zh_date(dateline, tz) or english_date(dateline, tz)
        if dt is not None:
            return dt, "dateline"
    return None, None
