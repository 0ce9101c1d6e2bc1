"""Dates and periods in Chinese text, resolved against the publication date.

We parse Chinese dates ourselves (dateparser misreads bare 1月6日): explicit dates
(2022年1月6日, 2021年9月, 2023年), ranges (2005至2020年间, 2021年1月至11月, 今年1至9月, 1—9月),
period ends (截至2023年底, 截至今年6月底: open start for a stock, else the calendar year to
that date), month-days without a year (1月6日: the year that puts the date nearest the
publication date, the next occurrence in a future-tense sentence), relative expressions
(今年, 去年, 上个月, 本周, 周二, 上周末, 今年早些时候, 日前, N年来) and 当天/同日 (the day named
before it). English dates: our own patterns for years, parts of a year, period ends, weeks
and month-days, dateparser for the rest. Every resolution that leans on a guess sets
``uncertain`` and says why in ``note`` (docs/extract.md, "Dates and periods").
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from heartland.extract.scan import anchored

_REL_YEAR = {"今年": 0, "去年": -1, "明年": 1, "前年": -2}
_CN_NUM = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10,
           "十一": 11, "十二": 12, "日": 7, "天": 7}
_WEEKDAY = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6}
_M = r"(?:1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九])"
_D = r"(?:3[01]|[12]\d|0?[1-9])"

#: The connective of a range (至, 到, dashes).
_TO = r"(?:至|到|-|—|–|~)"

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
                             r"|前(?P<nq>[一二两三四1-4])个?季度|第?(?P<q>[一二三四1-4])季度)"), r"半年|月|季度", back=10,
                             ws_slots=1)),
    ("year_range", re.compile(r"(?P<y1>(?:19|20)\d\d)\s*(?:年)?\s*(?:至|到|-|—|–|~)\s*(?P<y2>(?:19|20)\d\d)\s*年(?:间|期间|之间)?")),
    # Month ranges: 2021年1月至11月, 今年1至9月 (the first 月 is often left out), 1—9月.
    ("ym_range", re.compile(rf"(?P<y>(?:19|20)\d\d)年(?P<m1>{_M})月?(?:份)?{_TO}(?P<m2>{_M})月(?:份)?")),
    ("rel_ym_range", re.compile(rf"(?P<rel>今年|去年|明年)(?P<m1>{_M})月?(?:份)?{_TO}(?P<m2>{_M})月(?:份)?")),
    # 截至/截止 + a period's end: 截至2023年底, 截至去年年底, 截至今年6月底, 截至6月30日, 截至目前.
    ("until", re.compile(rf"截[至止]到?\s*(?:(?:(?P<y>(?:19|20)\d\d)\s*年|(?P<rel>今年|去年|前年|本年|上年))"
                         rf"(?:\s*(?P<m>{_M})\s*月(?:\s*(?P<d>{_D})\s*[日号]|份|底|末)?|年?底|年?末)?"
                         rf"|(?P<m0>{_M})\s*月(?:\s*(?P<d0>{_D})\s*[日号]|份|底|末)?|(?P<now>目前|当前|现在|发稿时?))")),
    ("ymd", re.compile(rf"(?P<y>(?:19|20)\d\d)\s*年\s*(?P<m>{_M})\s*月\s*(?P<d>{_D})\s*[日号]")),
    # 去年10月14日, 今年2月1日: a month-day in a year named relative to publication.
    ("rel_ymd", re.compile(rf"(?P<rel>今年|去年|明年|前年)\s*(?P<m>{_M})\s*月\s*(?P<d>{_D})\s*[日号]")),
    # 10月初, 2020年10月底, 去年9月中旬: a part of a month is dated to the month.
    ("month_part", re.compile(rf"(?:(?P<y>(?:19|20)\d\d)\s*年|(?P<rel>今年|去年|明年|前年))?\s*(?P<m>{_M})\s*月"
                              rf"(?:份)?(?P<part>初|底|末|中旬|上旬|下旬)")),
    ("rel_ym", re.compile(rf"(?P<rel>去年|明年|前年)\s*(?P<m>{_M})\s*月(?:份)?")),
    ("ym", re.compile(rf"(?P<y>(?:19|20)\d\d)\s*年\s*(?P<m>{_M})\s*月")),
    ("y", anchored(re.compile(r"(?<![\d.])(?P<y>(?:19|20)\d\d)\s*年(?!代)"), r"[12]")),
    ("md", anchored(re.compile(rf"(?<![\d年])(?P<m>{_M})\s*月\s*(?P<d>{_D})\s*[日号]"), _M_FIRST)),
    # Anchored at the range's connective: the first month, 月 and 份 before it are at most 4 characters.
    ("m_range", anchored(re.compile(rf"(?<![\d年月.])(?P<m1>{_M})月?(?:份)?{_TO}(?P<m2>{_M})月(?:份)?(?![\d日号])"),
                         rf"[至到\-—–~](?={_M_FIRST})", back=4)),
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
    # Not 每周日 (every Sunday).
    ("weekday", anchored(re.compile(r"(?<!每)(?P<rel>本|上|下|这)?(?:周|星期|礼拜)(?P<w>[一二三四五六日天])"), r"[周星礼]", back=1)),
    # 这个星期 / 上个星期 as 本周 / 上周 (上星期三 is a weekday, matched before).
    ("rel_week", re.compile(r"本周|这周|上周|下周|这一周|(?:这|本|上|下)个?(?:星期|礼拜)(?![一二三四五六日天])")),
    # 两天前, 3天之前: a day counted back from publication (not 天前往, 天前夕).
    ("days_ago", anchored(re.compile(r"(?P<n>\d{1,2}|[两二三四五六七八九十])天(?:之)?前(?![往夕])"), r"天(?:之)?前",
                          back=2)),
    ("rel_day", re.compile(r"今天|今日|今晨|今早|今晚|昨天|昨日|昨晚|昨夜|前天|日前|近日")),
    # 当天下午, 同日: the day of the date named before it (resolved in _same_day). Not 相当天然,
    # 当天然气 (when gas …), 当日本 (when Japan …), 当日元, 不可同日而语 (the lookbehinds sit at the
    # end: a pattern opening with one is tried at every position).
    ("same_day", re.compile(r"(?:当天(?![然津])|当日(?![本元])|同日(?!而)|同一天|当晚|当夜)(?<!相当天)(?<!每当天)")),
    ("day_only", anchored(re.compile(r"(?<![\d月年.])(?P<d>3[01]|[12]\d|[1-9])\s*[日号](?![前后内])"), r"[1-9]")),
    # 8月份 is 8月 (月份底 is a month part, matched before).
    ("month", anchored(re.compile(rf"(?<![\d年今])(?P<m>{_M})\s*月(?:份)?(?![\d日号份]|底|初)"), _M_FIRST)),
]
_FUTURE = re.compile(r"将|预计|计划|即将|准备")
#: Future-tense cues in a date's sentence: a month-day or month without a year that lies
#: before publication then means its next occurrence (将 not as in 将近, 将军, 将其).
_FUTURE_ANY = re.compile(r"将(?![近军领其])|预计|即将|计划于|计划在|拟于|定于|\b(?:will|shall|is\s+(?:due|set|scheduled|"
                         r"expected|slated)\s+to|are\s+(?:due|set|scheduled|expected|slated)\s+to|plans?\s+to|"
                         r"to\s+be\s+held|upcoming)\b", re.I)
#: A figure that is a stock (累计投资, 投资存量, "the stock of"): 截至 / "at the end of" then
#: opens no period, the figure holds up to that date.
_STOCK = re.compile(r"累计|累积|存量|余额|保有量|\b(?:stock|cumulative|accumulated|outstanding)\b", re.I)
#: Sentence ends, and quote marks: a quotation's tense (or a stock word in it) is the speaker's.
_SENT_END = re.compile(r"[。！？!?\n“”「」\"]|\.\s")
#: How far a date's sentence is searched for cues on each side.
_SENT_REACH = 160


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


def _sentence(text: str, s: int, e: int) -> tuple[int, int]:
    """The bounds of the sentence around ``text[s:e]`` (at most _SENT_REACH characters each side)."""
    a = max(0, s - _SENT_REACH)
    for m in _SENT_END.finditer(text, a, s):
        a = m.end()
    m = _SENT_END.search(text, e, e + _SENT_REACH)
    return a, (m.start() if m else min(len(text), e + _SENT_REACH))


#: Clause breaks: a future cue in another clause of the sentence (7月9日宣布，王毅将…访问) is
#: another verb's tense.
_CLAUSE_END = re.compile(r"[，,；;：:]")


def _future(text: str, s: int, e: int) -> bool:
    """A future-tense cue in the date's clause (将, 预计, will, is due to …): the sentence
    (cut at quote marks) narrowed to the clause around the date."""
    a, b = _sentence(text, s, e)
    for m in _CLAUSE_END.finditer(text, a, s):
        a = m.end()
    m = _CLAUSE_END.search(text, e, b)
    if m is not None and len((text[a:s] + text[e:m.start()]).strip()) <= 3:
        # 8月31日，峰会将…: a clause that is only the date takes the next clause's tense.
        m = _CLAUSE_END.search(text, m.end(), b)
    b = m.start() if m else b
    return bool(_FUTURE_ANY.search(text, a, b))


def _nearest_day(mo: int, d: int, pub: date, future) -> tuple[date, str, bool]:
    """A month-day without a year: the occurrence nearest the publication date, or the next
    one on or after it in a future-tense sentence (``future``: a callable, asked only when the
    nearest lies before publication). Returns (date, note, far)."""
    cands = [date(y, mo, d) for y in (pub.year - 1, pub.year, pub.year + 1) if d <= calendar.monthrange(y, mo)[1]]
    if not cands:
        raise ValueError("no such day")
    best = min(cands, key=lambda c: abs((c - pub).days))
    note = "year from the publication date"
    if best < pub and future():
        best = min(c for c in cands if c >= pub)
        note = "year from the publication date, the next occurrence (future tense)"
    far = abs((best - pub).days) > 120
    return best, note + (" (over four months away)" if far else ""), far


def _nearest_month_year(mo: int, pub: date, future, past_unless_future: bool = False) -> int:
    """The year of the month ``mo`` nearest the publication date (the next one after it in a
    future-tense sentence when the nearest has already ended; with ``past_unless_future``, the
    last one before it when the nearest is still to come and the sentence has no future cue —
    for English, whose verbs mark the tense; a Chinese 七月举行的峰会 may well be to come)."""
    y = min((pub.year - 1, pub.year, pub.year + 1), key=lambda yy: abs((date(yy, mo, 15) - pub).days))
    if _month_end(y, mo) < pub and future():
        y += 1
    elif past_unless_future and date(y, mo, 1) > pub and not future():
        # "took part in an election in March" in an October paper: a month after publication
        # needs a future-tense cue; without one it is the last such month.
        y -= 1
    return y


def _until(m: re.Match, pub: date | None, text: str, mk) -> DateExpr | None:
    """截至 + the end of a period. A stock (累计, 存量 … in the sentence) holds up to that date
    with no start; otherwise the figure is the flow of the calendar year to that date (截至2023年底
    的贸易额: the year 2023; 截至今年6月底: January to June)."""
    if m["y"]:
        y = int(m["y"])
    elif m["rel"]:
        if pub is None:
            return None
        y = pub.year + {"今年": 0, "本年": 0, "去年": -1, "上年": -1, "前年": -2}[m["rel"]]
    elif pub is None:
        return None
    if m["now"]:
        end, note = pub, "截至目前: up to the publication date"
    elif m["m0"]:
        mo = _num(m["m0"])
        if m["d0"]:
            end, note, _ = _nearest_day(mo, int(m["d0"]), pub, bool)
        else:
            y = _nearest_month_year(mo, pub, bool)
            end, note = _month_end(y, mo), "month without a year: the nearest such month to the publication date"
    elif m["m"]:
        mo = _num(m["m"])
        end = date(y, mo, int(m["d"])) if m["d"] else _month_end(y, mo)
        note = ""
    else:
        end, note = date(y, 12, 31), ""
    return _until_period(m.start(), m.end(), text, end, mk, note)


def _until_period(s: int, e: int, text: str, end: date, mk, note: str = "") -> DateExpr:
    a, b = _sentence(text, s, e)
    if _STOCK.search(text, a, b):
        return mk(None, end, "range", note=(note + "; " if note else "") +
                  "as of that date: a stock, no start")
    start = date(end.year, 1, 1)
    whole = end == date(end.year, 12, 31)
    return mk(start, end, "year" if whole else "range",
              note=(note + "; " if note else "") + "up to that date: the calendar year to it")


def _same_day(found: list[DateExpr], text: str) -> None:
    """当天/同日/that day: the day of the last day-precision date before it in its paragraph or
    the one before (本周二…。当天下午); without one it stays the publication date, uncertain."""
    for i, d in enumerate(found):
        if d.kind != "same_day":
            continue
        para = text.rfind("\n", 0, d.span_start)
        prev_para = text.rfind("\n", 0, para) if para > 0 else -1
        prev = next((x for x in reversed(found[:i]) if x.precision == "day" and x.start is not None
                     and x.span_start > prev_para), None)
        if prev is not None:
            d.start = d.end = prev.start
            d.uncertain = prev.uncertain
            d.note = f"that day: the day of {prev.surface!r} before it"


#: A wire dateline near the top of the body: （法新社比许凯克26日电）, 【看中国2020年7月11日讯】,
#: （中央社…6日综合外电报导）, 路透北京11月10日 -. Its day is the day "今天", "昨天" and the
#: weekdays of the report count from (a report filed on the 17th and published on the 18th).
_DATELINE = re.compile(
    r"[（(【\[]\s*[^（）()【】\[\]\n]{0,40}?(?:(?P<y>(?:19|20)\d\d)\s*年)?\s*(?:(?P<m>\d{1,2})\s*月)?\s*(?P<d>\d{1,2})\s*日"
    r"\s*(?:电|讯|综合外电报导|综合外电报道|综合报导|综合报道|报导|报道|专电)[^（）()【】\[\]\n]{0,12}[）)】\]]"
    r"|(?:^|\n)\s*(?:路透|法新社|美联社|新华社|中央社|中新社)[^\n\d]{0,12}?(?P<m2>\d{1,2})月(?P<d2>\d{1,2})日\s*(?:[-–—]|电)")
#: How far into the body a dateline is looked for, and how many days before publication it may lie.
_DATELINE_REACH = 400
_DATELINE_MAX_DAYS = 7


def find_dateline(text: str, published: datetime | date | None) -> tuple[date, int, int] | None:
    """The dateline's day and span near the top of ``text`` (None when there is none, or
    when its day is after publication or more than a week before it)."""
    pub = published.date() if isinstance(published, datetime) else published
    if pub is None or not text:
        return None
    m = _DATELINE.search(text, 0, min(len(text), _DATELINE_REACH))
    if m is None:
        return None
    try:
        day = int(m["d"] or m["d2"])
        mo = m["m"] or m["m2"]
        if m["y"] and mo:
            d = date(int(m["y"]), int(mo), day)
        elif mo:
            d, _, _ = _nearest_day(int(mo), day, pub, bool)
        else:
            y, mo_ = (pub.year, pub.month) if day <= pub.day else _shift_month(pub.year, pub.month, -1)
            d = date(y, mo_, day)
    except ValueError:
        return None
    if not 0 <= (pub - d).days <= _DATELINE_MAX_DAYS:
        return None
    return d, m.start(), m.end()


_DATELINE_DAY = re.compile(r"(?:(?P<y>(?:19|20)\d\d)\s*年)?\s*(?:(?P<m>\d{1,2})\s*月)?\s*(?P<d>\d{1,2})\s*日")


def dateline_reference(dateline: str | None, published: datetime | date | None) -> tuple[date, int, int] | None:
    """The day of a dateline the corpus stage cut from the body (法新社比许凯克26日电,
    ``Article.credits["dateline"]``) as a reference for relative dates: (day, 0, 0)."""
    if not dateline:
        return None
    found = find_dateline(f"（{dateline.strip('（）()【】[] ')}电）" if "电" not in dateline and "讯" not in dateline
                          else f"（{dateline.strip('（）()【】[] ')}）", published)
    if found is None:
        return None
    return found[0], 0, 0


def _mark_dateline(found: list[DateExpr], dl: tuple[date, int, int] | None) -> None:
    """Dates inside the dateline are the report's filing day, not an event's: kind "dateline"."""
    if dl is None:
        return
    for d in found:
        if dl[1] <= d.span_start < dl[2]:
            d.kind = "dateline"


def find_dates(text: str, published: datetime | date | None,
               reference: tuple[date, int, int] | None = None) -> list[DateExpr]:
    """Every date expression in ``text`` with its resolution, non-overlapping, in order.
    Relative expressions count from the dateline's day when the text has one (or from
    ``reference``, a dateline found elsewhere: (day, start, end)), else from publication."""
    pub = published.date() if isinstance(published, datetime) else published
    dl = reference or find_dateline(text, pub)
    if dl is not None:
        pub = dl[0]
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
    _mark_dateline(found, dl)
    _same_day(found, text)
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
            elif m["nq"]:  # 前三季度: the first three quarters, January to September
                m1, m2 = 1, 3 * _num(m["nq"])
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
            if m1 > m2:
                return None
            return mk(date(y, m1, 1), _month_end(y, m2), "range")
        if kind == "until":
            return _until(m, pub, text, mk)
        if kind == "ymd":
            dd = date(int(m["y"]), _num(m["m"]), int(m["d"]))
            return mk(dd, dd, "day")
        if kind == "month_part" and m["y"]:
            y, mo = int(m["y"]), _num(m["m"])
            return mk(date(y, mo, 1), _month_end(y, mo), "month", note=f"part of a month ({m['part']}): the month")
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
            if _num(m["m1"]) > _num(m["m2"]):
                return None
            return mk(date(y, _num(m["m1"]), 1), _month_end(y, _num(m["m2"])), "range", relative=True)
        if kind == "md":
            best, note, far = _nearest_day(_num(m["m"]), int(m["d"]), pub, lambda: _future(text, s, e))
            return mk(best, best, "day", relative=True, uncertain=far, note=note)
        if kind == "m_range":
            m1, m2 = _num(m["m1"]), _num(m["m2"])
            y = _nearest_month_year(m2, pub, lambda: _future(text, s, e))
            y1 = y - 1 if m1 > m2 else y  # 11月至2月: across the new year
            return mk(date(y1, m1, 1), _month_end(y, m2), "range", relative=True, uncertain=True,
                      note="month range without a year: the year whose end month is nearest the publication date")
        if kind == "same_day":  # resolved against the dates before it in find_dates
            return mk(pub, pub, "day", relative=True, uncertain=True,
                      note="that day: no day-precision date before it in the paragraph, the publication date")
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
        if kind == "rel_ymd":
            dd = date(pub.year + _REL_YEAR[m["rel"]], _num(m["m"]), int(m["d"]))
            return mk(dd, dd, "day", relative=True, note=f"{m['rel']}: the year relative to publication")
        if kind == "rel_ym":
            y, mo = pub.year + _REL_YEAR[m["rel"]], _num(m["m"])
            return mk(date(y, mo, 1), _month_end(y, mo), "month", relative=True,
                      note=f"{m['rel']}: the year relative to publication")
        if kind == "month_part":  # without a year of its own (with one: above)
            mo = _num(m["m"])
            if m["rel"]:
                y, note = pub.year + _REL_YEAR[m["rel"]], f"{m['rel']}: the year relative to publication"
            else:
                y = _nearest_month_year(mo, pub, lambda: _future(text, s, e))
                note = "month without a year: the nearest such month to the publication date"
            return mk(date(y, mo, 1), _month_end(y, mo), "month", relative=True, note=note + f"; part of a month "
                      f"({m['part']}): the month")
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
            k = -1 if g[0] == "上" else (1 if g[0] == "下" else 0)
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
        if kind == "days_ago":
            n = _num(m["n"])
            if not 1 <= n <= 31:
                return None
            d = pub - timedelta(days=n)
            return mk(d, d, "day", relative=True, note=f"{n} days before the report's date")
        if kind == "rel_day":
            if g in ("今天", "今日", "当天", "今晨", "今早", "今晚"):
                return mk(pub, pub, "day", relative=True)
            if g in ("昨天", "昨日", "昨晚", "昨夜"):
                d = pub - timedelta(days=1)
                return mk(d, d, "day", relative=True)
            if g == "前天":
                d = pub - timedelta(days=2)
                return mk(d, d, "day", relative=True)
            return mk(pub - timedelta(days=14), pub, "range", relative=True, uncertain=True,
                      note="recently: within two weeks before publication")
        if kind == "month":
            mo = _num(m["m"])
            y = _nearest_month_year(mo, pub, lambda: _future(text, s, e))
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


_EN_MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
#: The year a part of a year or a period end belongs to: 2024, last/this year, "the year"
#: (the publication year).
_EN_YEAR = r"(?:(?:19|20)\d\d|(?i:last|this|the)\s+year)"
_EN_DATE = re.compile(
    r"\b(?:(?i:between|from)\s+(?:19|20)\d\d\s+(?:and|to)\s+(?:19|20)\d\d|(?:19|20)\d\d\s*[-–]\s*(?:19|20)\d\d"
    # "at the end of last year", "as of the end of 2024", "by end-2024", "as of June 30, 2025".
    rf"|(?i:as\s+of|at|by)\s+(?i:the\s+)?(?i:end)(?:\s+of\s+|-)(?:{_EN_YEAR}|(?:{_EN_MONTHS})(?:,?\s+(?:19|20)\d\d)?)"
    rf"|(?i:as\s+of)\s+(?:{_EN_MONTHS})(?:\s+\d{{1,2}})?(?:,?\s+(?:19|20)\d\d)?"
    r"|(?i:earlier\s+this\s+year)"
    rf"|(?i:the\s+)?(?i:first|second)\s+half\s+of\s+{_EN_YEAR}"
    r"|(?i:the\s+)?(?i:first)\s+(?:\d{1,2}|two|three|four|five|six|seven|eight|nine|ten|eleven)\s+months\s+of\s+"
    rf"{_EN_YEAR}"
    rf"|(?i:the\s+)?(?i:first\s+(?:two|three)\s+quarters|(?:first|second|third|fourth)\s+quarter)\s+of\s+{_EN_YEAR}"
    rf"|(?:{_EN_MONTHS})"
    r"(?:\s+\d{1,2}(?:st|nd|rd|th)?)?(?:,?\s+(?:19|20)\d\d)?|(?:19|20)\d\d|(?i:last|this|next)\s+(?:week|month|year|Monday|Tuesday|"
    r"Wednesday|Thursday|Friday|Saturday|Sunday)|(?:(?i:on)\s+)?(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
    r"|(?i:that|the\s+same)\s+(?i:day|morning|afternoon|evening|night)"
    r"|(?i:yesterday|today))\b")
_EN_MONTH_NO = {name: i + 1 for i, name in enumerate(_EN_MONTHS.split("|"))}
_EN_MONTH_DAY = re.compile(rf"({_EN_MONTHS})(?:\s+(\d{{1,2}})(?!\d)(?:st|nd|rd|th)?)?(?:,?\s+((?:19|20)\d\d))?")
_EN_QUARTER = {"first": 1, "second": 2, "third": 3, "fourth": 4}


_EN_NUM = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
           "eleven": 11}


def _en_year(g: str, published: date | None) -> int | None:
    """The year of an English part-of-year or period-end phrase (2024, last/this/the year)."""
    ym = re.search(r"(?:19|20)\d\d", g)
    if ym:
        return int(ym.group())
    if published is None:
        return None
    return published.year - (1 if re.search(r"(?i)last\s+year", g) else 0)


def _en_part(g: str, published: date | None) -> tuple[date, date] | None:
    """The first half of 2025, the first eight months of the year, the third quarter of last year."""
    part = re.search(r"(?i)(first|second)\s+half|first\s+(\w+)\s+months|first\s+(two|three)\s+quarters"
                     r"|(first|second|third|fourth)\s+quarter", g)
    y = _en_year(g, published)
    if part is None or y is None:
        return None
    if part.group(1):
        m1, m2 = (1, 6) if part.group(1).lower() == "first" else (7, 12)
    elif part.group(2):
        w = part.group(2).lower()
        m1, m2 = 1, int(w) if w.isdigit() else _EN_NUM.get(w, 0)
    elif part.group(3):
        m1, m2 = 1, 3 * _EN_NUM[part.group(3).lower()]
    else:
        q = _EN_QUARTER[part.group(4).lower()]
        m1, m2 = 3 * q - 2, 3 * q
    if not 1 <= m2 <= 12:
        return None
    return date(y, m1, 1), _month_end(y, m2)


def _en_month_day(g: str, text: str, s: int, e: int, published: date | None) -> tuple[date, date, str, bool, str]:
    """August 31 / August / August 31, 2025 / August 2025 ourselves: without a year, the
    occurrence nearest the publication date, the next one in a future-tense sentence
    (dateparser's past preference put "will host … on August 31" a year back)."""
    mm = _EN_MONTH_DAY.match(g)
    mo = _EN_MONTH_NO[mm.group(1)]
    day = int(mm.group(2)) if mm.group(2) else None
    if mm.group(3):
        y = int(mm.group(3))
        if day:
            d = date(y, mo, day)
            return d, d, "day", False, ""
        return date(y, mo, 1), _month_end(y, mo), "month", False, ""
    if published is None:
        raise ValueError("no publication date")
    future = lambda: _future(text, s, e)  # noqa: E731
    if day:
        d, note, far = _nearest_day(mo, day, published, future)
        return d, d, "day", far, note
    y = _nearest_month_year(mo, published, future, past_unless_future=True)
    return (date(y, mo, 1), _month_end(y, mo), "month", True,
            "month without a year: the nearest such month to the publication date")


def _en_until_end(g: str, published: date | None) -> date | None:
    """The end date of "at the end of last year", "as of the end of June 2025", "as of June 30"."""
    rest = re.sub(r"(?i)^(?:as\s+of|at|by)\s+(?:the\s+)?(?:end(?:\s+of\s+|-))?", "", g)
    mm = _EN_MONTH_DAY.match(rest)
    if mm is None:
        y = _en_year(rest, published)
        return date(y, 12, 31) if y is not None else None
    mo = _EN_MONTH_NO[mm.group(1)]
    if mm.group(3):
        y = int(mm.group(3))
    elif published is None:
        return None
    else:
        y = _nearest_month_year(mo, published, bool)
    return date(y, mo, int(mm.group(2))) if mm.group(2) else _month_end(y, mo)


_EN_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
#: A wire dateline in English: "Astana (AFP) June 16, 2025", "BISHKEK (Reuters) -".
_EN_DATELINE = re.compile(r"\((?:AFP|Reuters|AP|Xinhua|RFE/RL|Bloomberg)\)\s*[-–—]?\s*")


def find_english_dates(text: str, published: datetime | date | None,
                       reference: tuple[date, int, int] | None = None) -> list[DateExpr]:
    pub = published.date() if isinstance(published, datetime) else published
    if reference is not None:
        pub = reference[0]
    dl_m = _EN_DATELINE.search(text, 0, min(len(text), _DATELINE_REACH))
    out = []
    for m in _EN_DATE.finditer(text):
        g = m.group()
        s, e = m.span()

        def mk(a, b, prec, **kw) -> DateExpr:
            return DateExpr(a, b, prec, s, e, g, kind=kw.pop("kind", "en"), **kw)

        years = re.findall(r"(?:19|20)\d\d", g)
        try:
            if len(years) == 2:  # between 2019 and 2023, 2019-2023: the whole range
                out.append(mk(date(int(years[0]), 1, 1), date(int(years[1]), 12, 31), "range", kind="y"))
                continue
            if re.match(r"(?i)(?:as\s+of|at|by)\s", g):  # a period's end: a stock, or the year to that date
                end = _en_until_end(g, pub)
                if end is not None:  # kind "until", as 截至: facts read an open figure's "as of" as a point
                    out.append(_until_period(s, e, text, end, lambda a, b, prec, **kw: mk(a, b, prec, kind="until", **kw)))
                continue
            if re.search(r"(?i)\b(?:half|months|quarters?)\s+of\b", g):
                span = _en_part(g, pub)
                if span is not None:
                    out.append(mk(*span, "range", relative=not years,
                                  note="" if not re.search(r"(?i)the\s+year", g) else
                                  "of the year: the publication year"))
                continue
            if re.fullmatch(r"(?i)earlier\s+this\s+year", g):  # as 今年早些时候
                if pub is not None:
                    out.append(mk(date(pub.year, 1, 1), pub, "range", relative=True, uncertain=True,
                                  note="earlier this year: between 1 January and the publication date"))
                continue
            rel = re.fullmatch(r"(?i:(last|this|next))\s+(year|week)", g)
            if rel and pub is not None:  # a calendar year or week, not a day or month (dateparser's)
                k = {"last": -1, "this": 0, "next": 1}[rel.group(1).lower()]
                if rel.group(2).lower() == "year":
                    out.append(mk(date(pub.year + k, 1, 1), date(pub.year + k, 12, 31), "year", relative=True))
                else:
                    a = pub - timedelta(days=pub.weekday()) + timedelta(weeks=k)
                    out.append(mk(a, a + timedelta(days=6), "week", relative=True))
                continue
            if re.fullmatch(r"(?:19|20)\d\d", g):
                y = int(g)
                out.append(mk(date(y, 1, 1), date(y, 12, 31), "year", kind="y"))
                continue
            if re.match(r"(?i)(?:that|the\s+same)\s", g):
                if pub is not None:
                    out.append(mk(pub, pub, "day", relative=True, uncertain=True, kind="same_day",
                                  note="that day: no day-precision date before it in the paragraph, the publication date"))
                continue
            if _EN_MONTH_DAY.match(g):
                a, b, prec, unc, note = _en_month_day(g, text, s, e, pub)
                out.append(mk(a, b, prec, relative=not years, uncertain=unc, note=note,
                              kind="dateline" if dl_m is not None and 0 <= s - dl_m.end() <= 2 else "en"))
                continue
            wd = re.fullmatch(r"(?:(?i:on)\s+)?(\w+day)", g)
            if wd and wd.group(1) in _EN_WEEKDAYS and pub is not None:
                # "held talks on Monday" in a Monday's paper is that Monday; otherwise the latest
                # such day before publication, the next one in a future-tense clause.
                w = _EN_WEEKDAYS.index(wd.group(1))
                d = pub - timedelta(days=(pub.weekday() - w) % 7)
                note = "weekday: the publication day" if d == pub else "weekday: the latest such day before publication"
                if d < pub and _future(text, s, e):
                    d += timedelta(weeks=1)
                    note = "weekday in a future-tense clause: the next one"
                out.append(mk(d, d, "day", relative=True, note=note))
                continue
        except (ValueError, KeyError):
            continue
        phrase = g[3:] if g.lower().startswith("on ") else g
        d = parse_english_date(phrase, published)
        if d is None:
            continue
        has_day = bool(re.search(r"\b\d{1,2}\b", phrase)) or phrase.split()[-1] in (
            "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday", "yesterday", "today")
        if has_day:
            note = ""
            # "will meet on Monday": dateparser's past preference gave the Monday before.
            if g[:3].lower() == "on " and pub is not None and d < pub and _future(text, s, e):
                d += timedelta(weeks=1)
                note = "weekday in a future-tense sentence: the next one"
            out.append(mk(d, d, "day", relative=not re.search(r"\d{4}", g), note=note))
        else:
            out.append(mk(date(d.year, d.month, 1), _month_end(d.year, d.month), "month",
                          relative=not re.search(r"\d{4}", g)))
    _same_day(out, text)
    return out
