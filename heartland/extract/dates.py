"""Dates and periods in Chinese text, resolved against the publication date.

We parse Chinese dates ourselves (dateparser misreads bare 1月6日): explicit dates
(2022年1月6日, 2021年9月, 2023年), ranges (2005至2020年间, 2021年1月至11月, 截至2023年底),
month-days without a year (1月6日: the year that puts the date nearest the publication
date), and relative expressions (今年, 去年, 上个月, 本周, 周二, 上周末, 今年早些时候, 日前,
N年来). English dates go to dateparser. Every resolution that leans on a guess sets
``uncertain`` and says why in ``note``.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from heartland.extract.scan import anchored

_CN_NUM = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10,
           "十一": 11, "十二": 12, "日": 7, "天": 7}
_WEEKDAY = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6}
_M = r"(?:1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九])"
_D = r"(?:3[01]|[12]\d|0?[1-9])"

#: The first character of a month (_M), the anchor of the patterns that open with one.
_M_FIRST = r"[0-9十一二三四五六七八九]"

# Patterns that open with a lookbehind or an optional part are scanned from anchors
# (heartland.extract.scan): same matches as finditer, a fraction of the time.
_PATTERNS = [
    # Part of a year: 2024年上半年, 今年前7个月, 去年第三季度, 上半年 (the publication year).
    # Anchored at 半年, 月 or 季度, which lie at most 4 characters into the part and the
    # optional year before it (2024 年的) at most 6 (plus whitespace).
    ("part_year", anchored(re.compile(r"(?:(?P<y>(?:19|20)\d\d)\s*年|(?P<rel>今年|去年|明年))?(?:的)?"
                             r"(?P<part>上半年|下半年|前(?P<n>1[0-2]|[1-9]|十[一二]?|[一二两三四五六七八九])个?月"
                             r"|第?(?P<q>[一二三四1-4])季度)"), r"半年|月|季度", back=10, ws_slots=1)),
    ("year_range", re.compile(r"(?P<y1>(?:19|20)\d\d)\s*(?:年)?\s*(?:至|到|-|—|–|~)\s*(?P<y2>(?:19|20)\d\d)\s*年(?:间|期间|之间)?")),
    ("ym_range", re.compile(rf"(?P<y>(?:19|20)\d\d)年(?P<m1>{_M})月(?:份)?(?:至|到|-|—)(?P<m2>{_M})月(?:份)?")),
    ("rel_ym_range", re.compile(rf"(?P<rel>今年|去年|明年)(?P<m1>{_M})月(?:份)?(?:至|到|-|—)(?P<m2>{_M})月(?:份)?")),
    ("until_year_end", re.compile(r"截[至止](?P<y>(?:19|20)\d\d)年(?P<part>底|末|年底)?")),
    ("ymd", re.compile(rf"(?P<y>(?:19|20)\d\d)\s*年\s*(?P<m>{_M})\s*月\s*(?P<d>{_D})\s*[日号]")),
    ("ym", re.compile(rf"(?P<y>(?:19|20)\d\d)\s*年\s*(?P<m>{_M})\s*月")),
    ("y", anchored(re.compile(r"(?<![\d.])(?P<y>(?:19|20)\d\d)\s*年(?!代)"), r"[12]")),
    ("md", anchored(re.compile(rf"(?<![\d年])(?P<m>{_M})\s*月\s*(?P<d>{_D})\s*[日号]"), _M_FIRST)),
    ("past_years", re.compile(r"(?:过去|近|最近)(?P<n>\d{1,3}|[一二三四五六七八九十]{1,3})(?:多)?年(?:来|以来|间|里|中)?")),
    # Anchored at their closing literal: the number and 多 before 年 are at most 4 characters.
    ("years_ago", anchored(re.compile(r"(?P<n>\d{1,3}|[一二三四五六七八九十]{1,3})(?:多)?年前"), r"年前", back=4)),
    ("years_since", anchored(re.compile(r"(?P<n>\d{1,3}|[一二三四五六七八九十]{1,3})(?:多)?年(?:来|以来)"), r"年(?:来|以来)",
                             back=4)),
    ("early_this_year", re.compile(r"今年早些时候|今年初|年初")),
    ("this_year_month", re.compile(rf"今年(?P<m>{_M})月")),
    ("rel_year", re.compile(r"今年|去年|明年|前年")),
    ("rel_month", re.compile(r"上个月|上月|本月|这个月|下个月|下月")),
    ("last_weekend", re.compile(r"上周末|上个周末")),
    ("weekday", anchored(re.compile(r"(?P<rel>本|上|下|这)?(?:周|星期|礼拜)(?P<w>[一二三四五六日天])"), r"[周星礼]", back=1)),
    ("rel_week", re.compile(r"本周|这周|上周|下周")),
    ("rel_day", re.compile(r"今天|今日|昨天|昨日|前天|日前|近日|当天")),
    ("day_only", anchored(re.compile(r"(?<![\d月年.])(?P<d>3[01]|[12]\d|[1-9])\s*[日号](?![前后内])"), r"[1-9]")),
    ("month", anchored(re.compile(rf"(?<![\d年今])(?P<m>{_M})\s*月(?![\d日号份]|底|初)"), _M_FIRST)),
]
_FUTURE = re.compile(r"将|预计|计划|即将|准备")


@dataclass
class DateExpr:
    start: date | None
    end: date | None
    precision: str  # day, month, year, range, week
    span_start: int
    span_end: int
    surface: str
    uncertain: bool = False
    relative: bool = False
    note: str = ""
    kind: str = ""


def _num(s: str) -> int:
    return int(s) if s.isdigit() else _CN_NUM.get(s, 0) or int(_cn(s))


def _cn(s: str) -> int:
    import cn2an
    return int(cn2an.cn2an(s, "smart"))


def _month_end(y: int, m: int) -> date:
    return date(y, m, calendar.monthrange(y, m)[1])


def _shift_month(y: int, m: int, k: int) -> tuple[int, int]:
    idx = y * 12 + (m - 1) + k
    return idx // 12, idx % 12 + 1


def find_dates(text: str, published: datetime | date | None) -> list[DateExpr]:
    """Every date expression in ``text`` with its resolution, non-overlapping, in order."""
    pub = published.date() if isinstance(published, datetime) else published
    found: list[DateExpr] = []
    taken: list[tuple[int, int]] = []
    for kind, rx in _PATTERNS:
        for m in rx.finditer(text):
            s, e = m.span()
            if any(a < e and s < b for a, b in taken):
                continue
            d = _resolve(kind, m, pub, text)
            if d is None:
                continue
            d.kind = kind
            found.append(d)
            taken.append((s, e))
    found.sort(key=lambda d: d.span_start)
    return found


def _resolve(kind: str, m: re.Match, pub: date | None, text: str) -> DateExpr | None:
    s, e, g = m.start(), m.end(), m.group()

    def mk(a, b, prec, **kw) -> DateExpr:
        return DateExpr(a, b, prec, s, e, g, **kw)

    try:
        if kind == "part_year":
            if m["y"]:
                y, rel = int(m["y"]), False
            elif pub is None:
                return None
            else:
                y, rel = pub.year + {"今年": 0, "去年": -1, "明年": 1, None: 0}[m["rel"]], True
            part = m["part"]
            if part == "上半年":
                m1, m2 = 1, 6
            elif part == "下半年":
                m1, m2 = 7, 12
            elif m["n"]:
                m1, m2 = 1, _num(m["n"])
            else:
                qn = _num(m["q"]) if not m["q"].isdigit() else int(m["q"])
                m1, m2 = 3 * qn - 2, 3 * qn
            note = "" if (m["y"] or m["rel"]) else "part of a year without a year: the publication year"
            return mk(date(y, m1, 1), _month_end(y, m2), "range", relative=rel, note=note)
        if kind == "year_range":
            y1, y2 = int(m["y1"]), int(m["y2"])
            return mk(date(y1, 1, 1), date(y2, 12, 31), "range") if y1 <= y2 else None
        if kind == "ym_range":
            y, m1, m2 = int(m["y"]), _num(m["m1"]), _num(m["m2"])
            return mk(date(y, m1, 1), _month_end(y, m2), "range")
        if kind == "until_year_end":
            y = int(m["y"])
            return mk(date(y, 1, 1), date(y, 12, 31), "year", note="截至…年底: the year to its end")
        if kind == "ymd":
            dd = date(int(m["y"]), _num(m["m"]), int(m["d"]))
            return mk(dd, dd, "day")
        if kind == "ym":
            y, mo = int(m["y"]), _num(m["m"])
            return mk(date(y, mo, 1), _month_end(y, mo), "month")
        if kind == "y":
            y = int(m["y"])
            return mk(date(y, 1, 1), date(y, 12, 31), "year")
        if pub is None:
            return None
        if kind == "rel_ym_range":
            y = pub.year + {"今年": 0, "去年": -1, "明年": 1}[m["rel"]]
            return mk(date(y, _num(m["m1"]), 1), _month_end(y, _num(m["m2"])), "range", relative=True)
        if kind == "md":
            mo, d = _num(m["m"]), int(m["d"])
            cands = [date(y, mo, d) for y in (pub.year - 1, pub.year, pub.year + 1) if d <= calendar.monthrange(y, mo)[1]]
            best = min(cands, key=lambda c: abs((c - pub).days))
            far = abs((best - pub).days) > 120
            return mk(best, best, "day", relative=True, uncertain=far,
                      note="year from the publication date" + (" (over four months away)" if far else ""))
        if kind == "past_years":
            n = _num(m["n"])
            if not 1 <= n <= 100:
                return None
            return mk(date(pub.year - n, pub.month, min(pub.day, 28)), pub, "range", relative=True, uncertain=True,
                      note=f"the past {n} years up to the publication date")
        if kind == "day_only":
            d = int(m["d"])
            y, mo = (pub.year, pub.month) if d <= pub.day else _shift_month(pub.year, pub.month, -1)
            if d > calendar.monthrange(y, mo)[1]:
                return None
            dd = date(y, mo, d)
            return mk(dd, dd, "day", relative=True, note="day of the month: the latest such day not after publication")
        if kind == "years_since":
            n = _num(m["n"])
            if not 1 <= n <= 100:
                return None
            return mk(date(pub.year - n, pub.month, min(pub.day, 28)), pub, "range", relative=True, uncertain=True,
                      note=f"{n} years up to the publication date")
        if kind == "years_ago":
            n = _num(m["n"])
            if not 1 <= n <= 100:
                return None
            y = pub.year - n
            return mk(date(y, 1, 1), date(y, 12, 31), "year", relative=True, uncertain=True,
                      note=f"{n} years before the publication year")
        if kind == "early_this_year":
            return mk(date(pub.year, 1, 1), pub, "range", relative=True, uncertain=True,
                      note="earlier this year: between 1 January and the publication date")
        if kind == "this_year_month":
            mo = _num(m["m"])
            return mk(date(pub.year, mo, 1), _month_end(pub.year, mo), "month", relative=True)
        if kind == "rel_year":
            y = pub.year + {"今年": 0, "去年": -1, "明年": 1, "前年": -2}[g]
            return mk(date(y, 1, 1), date(y, 12, 31), "year", relative=True)
        if kind == "rel_month":
            k = -1 if g in ("上个月", "上月") else (1 if g in ("下个月", "下月") else 0)
            y, mo = _shift_month(pub.year, pub.month, k)
            return mk(date(y, mo, 1), _month_end(y, mo), "month", relative=True)
        monday = pub - timedelta(days=pub.weekday())
        if kind == "last_weekend":
            sat = monday - timedelta(days=2)
            return mk(sat, sat + timedelta(days=1), "range", relative=True, uncertain=True,
                      note="the weekend before the publication week")
        if kind == "rel_week":
            k = {"本周": 0, "这周": 0, "上周": -1, "下周": 1}[g]
            a = monday + timedelta(weeks=k)
            return mk(a, a + timedelta(days=6), "week", relative=True)
        if kind == "weekday":
            w = _WEEKDAY[m["w"]]
            k = {"上": -1, "下": 1}.get(m["rel"] or "", 0)
            d = monday + timedelta(weeks=k, days=w)
            future = bool(_FUTURE.search(text[max(0, s - 8):s]))
            note = "weekday in the publication week"
            uncertain = False
            if d > pub and not future and k == 0:
                d -= timedelta(weeks=1)
                uncertain, note = True, "weekday after the publication date in a past-tense sentence: the week before"
            elif d < pub and future:
                uncertain, note = True, "future tense but the weekday precedes publication (translation or mirror lag)"
            return mk(d, d, "day", relative=True, uncertain=uncertain, note=note)
        if kind == "rel_day":
            if g in ("今天", "今日", "当天"):
                return mk(pub, pub, "day", relative=True)
            if g in ("昨天", "昨日"):
                d = pub - timedelta(days=1)
                return mk(d, d, "day", relative=True)
            if g == "前天":
                d = pub - timedelta(days=2)
                return mk(d, d, "day", relative=True)
            return mk(pub - timedelta(days=14), pub, "range", relative=True, uncertain=True,
                      note="recently: within two weeks before publication")
        if kind == "month":
            mo = _num(m["m"])
            y = min((pub.year - 1, pub.year, pub.year + 1), key=lambda yy: abs((date(yy, mo, 15) - pub).days))
            return mk(date(y, mo, 1), _month_end(y, mo), "month", relative=True, uncertain=True,
                      note="month without a year: the nearest such month to the publication date")
    except (ValueError, KeyError):
        return None
    return None


def parse_english_date(text: str, published: datetime | date | None) -> date | None:
    """English (non-Chinese) date strings via dateparser, relative to the publication date."""
    import dateparser

    base = published if isinstance(published, datetime) else (
        datetime(published.year, published.month, published.day) if published else None)
    settings = {"PREFER_DATES_FROM": "past"}
    if base is not None:
        settings["RELATIVE_BASE"] = base.replace(tzinfo=None)
    d = dateparser.parse(text, languages=["en"], settings=settings)
    return d.date() if d else None


_EN_DATE = re.compile(
    r"\b(?:(?i:between|from)\s+(?:19|20)\d\d\s+(?:and|to)\s+(?:19|20)\d\d|(?:19|20)\d\d\s*[-–]\s*(?:19|20)\d\d"
    r"|(?i:the\s+)?(?i:first|second)\s+half\s+of\s+(?:(?:19|20)\d\d|(?i:last|this)\s+year)"
    r"|(?i:the\s+)?(?i:first)\s+(?:\d{1,2}|two|three|four|five|six|seven|eight|nine|ten|eleven)\s+months\s+of\s+"
    r"(?:(?:19|20)\d\d|(?i:last|this)\s+year)"
    r"|(?:January|February|March|April|May|June|July|August|September|October|November|December)"
    r"(?:\s+\d{1,2})?(?:,?\s+(?:19|20)\d\d)?|(?:19|20)\d\d|(?i:last|this|next)\s+(?:week|month|year|Monday|Tuesday|"
    r"Wednesday|Thursday|Friday|Saturday|Sunday)|(?i:on)\s+(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
    r"|(?i:yesterday|today))\b")


_EN_NUM = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
           "eleven": 11}


def find_english_dates(text: str, published: datetime | date | None) -> list[DateExpr]:
    out = []
    for m in _EN_DATE.finditer(text):
        g = m.group()
        years = re.findall(r"(?:19|20)\d\d", g)
        if len(years) == 2:  # between 2019 and 2023, 2019-2023: the whole range
            out.append(DateExpr(date(int(years[0]), 1, 1), date(int(years[1]), 12, 31), "range", m.start(), m.end(), g,
                                kind="y"))
            continue
        part = re.search(r"(?i)(first|second)\s+half|first\s+(\w+)\s+months", g)
        if part:
            ym = re.search(r"(?:19|20)\d\d", g)
            if ym is None and published is None:
                continue
            y = int(ym.group()) if ym else published.year - (1 if re.search(r"(?i)last\s+year", g) else 0)
            if part.group(1):
                m1, m2 = (1, 6) if part.group(1).lower() == "first" else (7, 12)
            else:
                w = part.group(2).lower()
                m1, m2 = 1, int(w) if w.isdigit() else _EN_NUM.get(w, 0)
                if not 1 <= m2 <= 12:
                    continue
            out.append(DateExpr(date(y, m1, 1), _month_end(y, m2), "range", m.start(), m.end(), g,
                                relative=ym is None, kind="en"))
            continue
        rel = re.fullmatch(r"(?i:(last|this|next))\s+year", g)
        if rel and published is not None:  # a calendar year, not a month (dateparser gives a day)
            y = published.year + {"last": -1, "this": 0, "next": 1}[rel.group(1).lower()]
            out.append(DateExpr(date(y, 1, 1), date(y, 12, 31), "year", m.start(), m.end(), g, relative=True,
                                kind="en"))
            continue
        if re.fullmatch(r"(?:19|20)\d\d", g):
            y = int(g)
            out.append(DateExpr(date(y, 1, 1), date(y, 12, 31), "year", m.start(), m.end(), g, kind="y"))
            continue
        phrase = g[3:] if g.lower().startswith("on ") else g
        d = parse_english_date(phrase, published)
        if d is None:
            continue
        has_day = bool(re.search(r"\b\d{1,2}\b", phrase)) or phrase.split()[-1] in (
            "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday", "yesterday", "today")
        if has_day:
            out.append(DateExpr(d, d, "day", m.start(), m.end(), g, relative=not re.search(r"\d{4}", g), kind="en"))
        else:
            out.append(DateExpr(date(d.year, d.month, 1), _month_end(d.year, d.month), "month", m.start(), m.end(), g,
                                relative=not re.search(r"\d{4}", g), kind="en"))
    return out
