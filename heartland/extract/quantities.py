"""Quantities with their hedges, as intervals.

One compiled regex finds a number with its scale, unit and hedge words; the number text
that regex matched (and only that) is converted with cn2an when it is written in
Chinese numerals. Hedges become intervals (docs/extract.md, "Hedges"):

- lower bound (超过, 逾, 以上, 多, more than): ``low = v``, ``high = None``
- upper bound (近, 接近, 将近, 不到, nearly): ``low = None``, ``high = v``
- about (约, 大约, 左右, 上下, about): ``low = v·(1-ABOUT_BAND)``, ``high = v·(1+ABOUT_BAND)``
- reported maximum (高达, as much as): ``high = v``, ``low = None``
- exact: ``low = high = v``
"""

from __future__ import annotations

import re

import cn2an

from heartland.extract.records import Quantity
from heartland.extract.scan import anchored

#: Relative half-width of the band for 约/大约/左右/about (±5 %): reporters round to
#: two or three significant figures, so a stated 214.3 is within a few percent.
ABOUT_BAND = 0.05

_CN_DIGITS = "零〇一二两三四五六七八九十百千"
_SCALES = {"万亿": 1e12, "千亿": 1e11, "百亿": 1e10, "十亿": 1e9, "亿": 1e8, "千万": 1e7, "百万": 1e6,
           "十万": 1e5, "万": 1e4, "千": 1e3, "百": 1e2,
           "trillion": 1e12, "billion": 1e9, "bn": 1e9, "million": 1e6, "mn": 1e6, "m": 1e6}
_LOWER = {"超过", "超出", "逾", "多达", "超", "以上", "多", "余", "至少", "不少于", "高于", "more than",
          "over", "at least", "upwards of", "in excess of"}
_UPPER = {"近", "接近", "将近", "逼近", "不到", "不足", "少于", "低于", "以下", "以内", "nearly", "almost",
          "close to", "less than", "under", "just under"}
_ABOUT = {"约", "大约", "大概", "约为", "约有", "左右", "上下", "about", "around", "approximately", "roughly",
          "some"}
_MAX = {"高达", "as much as", "up to"}

_PRE = r"(?P<pre>超过|超出|逾|多达|高达|将近|接近|逼近|近|约为|约有|大约|大概|约|不到|不足|少于|至少|不少于|高于|低于)?"
_NUM = (r"(?P<num>\d+(?:[,，]\d{3})*(?:\.\d+)?|[一二两三四五六七八九十][" + _CN_DIGITS + r"]*(?:点[零〇一二三四五六七八九]+)?"
        r"|数|几)")
# Scanned from the first character of the number (heartland.extract.scan): the optional
# hedge before it is at most 3 characters (不少于).
_ZH = anchored(re.compile(
    _PRE + _NUM + r"\s?(?P<many>多|余)?(?P<scale>万亿|千亿|百亿|十亿|亿|千万|百万|十万|万|千|百)?(?P<many2>多|余)?"
    r"(?P<unit>美元|美金|人民币|元|卢布|欧元|万吨|吨|亿立方米|立方米|%|％|成|倍|个|项|座|名|人|次|架|辆|家|所|枚|位|公里)"
    r"(?P<post>以上|以下|以内|左右|上下|(?<=倍)多)?"), r"[\d一二两三四五六七八九十数几]", back=3)
_EN = re.compile(
    r"(?i:(?P<pre>more than|over|at least|upwards of|in excess of|nearly|almost|close to|less than|just under|under"
    r"|about|around|approximately|roughly|some|as much as|up to)\s+)?"
    r"(?P<cur>US\$|USD\s?|\$)?(?P<num>\d+(?:,\d{3})*(?:\.\d+)?)\s?"
    r"(?P<scale>trillion|billion|million|bn|mn)?\s?"
    # A demonym before a noun of persons ("1.3 million Uzbek citizens") is left out of the
    # quantity's span, so the mention it is stays available as an actor.
    r"(?:(?P<demonym>[A-Z][a-z]+)\s(?=citizens|nationals|migrants|workers|labou?r))?"
    r"(?P<unit>%|percent|per cent|-fold|fold|times|dollars|tonnes|tons|cubic metres|cubic meters|bcm|people|persons"
    r"|projects|killed|citizens|nationals|migrant workers|migrants|workers|labour migrants|labor migrants)?")
# From the digits: a hedge (approximately: 13), its whitespace and a currency (USD + space: 4).
_EN = anchored(_EN, r"\d", back=17, ws_slots=1)

_FRACTION = re.compile(
    r"(?P<pre>超过|逾|接近|将近|近|约为|约有|大约|大概|约|不到|不足|高达)?(?:(?P<den>\d+|[一二三四五六七八九十]+)分之(?P<num>\d+|[一二三四五六七八九十]+)"
    r"|(?P<half>一半|半数))(?P<post>以上|以下|左右|上下)?")
# Every fraction holds 分之, 一半 or 半数: most articles have none and skip the scan.
_FRACTION = anchored(_FRACTION, r"[\d一二三四五六七八九十半]", back=2, needs=r"分之|一半|半数")
# English fractions of a whole: "more than half of", "about a third of", "two-thirds of";
# and of a baseline: "roughly a quarter more than in 2022" (a growth of 0.25).
_EN_FRACTION = re.compile(
    r"\b(?:(?P<pre>more than|over|at least|nearly|almost|close to|less than|about|around|roughly|approximately)\s+)?"
    r"(?P<frac>half|a third|one third|one-third|a quarter|one quarter|one-quarter|two thirds|two-thirds"
    r"|three quarters|three-quarters)\s+(?:of\b|(?P<more>more|higher|larger|bigger)\s+than\b)", re.I)
_EN_FRACTION_WORDS = re.compile(r"half|third|quarter", re.I)
_EN_FRACTION_VALUE = {"half": 0.5, "third": 1 / 3, "quarter": 0.25, "two thirds": 2 / 3, "three quarters": 0.75}
_UNIT_KIND = {"%": "percent", "％": "percent", "成": "tenths", "倍": "multiple"}
_PERSONS = {"名", "人", "位", "people", "persons", "killed", "citizens", "nationals", "migrants", "workers",
            "migrant workers", "labour migrants", "labor migrants"}
#: A hedge before 占 qualifies the share that follows (约占中国天然气进口的一半, 近占…的45%):
#: the verb stands between the hedge and the figure. 最近/附近/靠近 are not hedges.
_ZHAN_HEDGE = re.compile(r"(?<![最附靠])(大约|大概|约|接近|将近|近|超过|逾|不到|不足)占[^，,。；;：:！？\n]{0,24}$")
_SHARE_KINDS = {"percent", "tenths", "fraction"}


_EN_HEDGE_BEFORE = re.compile(r"(?i)(more than|at least|nearly|almost|about|around|approximately|roughly"
                              r"|over|up to|as much as)\s+(?:US\$|USD\s?|\$)?$")


def _r(v: float | None) -> float | None:
    """Round away float noise (9 significant digits) so values compare and store cleanly."""
    return None if v is None else float(f"{v:.9g}")


def _cn_number(text: str) -> float:
    """Chinese numerals matched by our own pattern only (cn2an.cn2num, never transform)."""
    return float(cn2an.cn2an(text, "smart"))


def _interval(v: float, hedge: str) -> tuple[float | None, float | None, str]:
    h = hedge.lower()
    if h in _LOWER:
        return v, None, "lower_bound"
    if h in _UPPER:
        return None, v, "upper_bound"
    if h in _ABOUT:
        return v * (1 - ABOUT_BAND), v * (1 + ABOUT_BAND), "about"
    if h in _MAX:
        return None, v, "max_reported"
    return v, v, "exact"


def _normalise_amount(v: float, scale: float, unit: str) -> tuple[float, str, str]:
    """(value, unit, kind) in the catalogue's units."""
    if unit in ("美元", "美金", "dollars", "$", "USD"):
        base = v * scale
        return (base / 1e9, "USD_bn", "amount") if base >= 1e8 else (base / 1e6, "USD_mn", "amount")
    if unit in ("人民币", "元"):
        return v * scale / 1e9, "CNY_bn", "amount"
    if unit == "卢布":
        return v * scale / 1e9, "RUB_bn", "amount"
    if unit == "欧元":
        return v * scale / 1e9, "EUR_bn", "amount"
    if unit in ("吨", "tonnes", "tons"):
        return v * scale / 1e6, "Mt", "amount"
    if unit == "万吨":
        return v * scale * 1e4 / 1e6, "Mt", "amount"
    if unit == "亿立方米":
        return v * scale * 1e8 / 1e9, "bcm", "amount"
    if unit in ("立方米", "cubic metres", "cubic meters"):
        return v * scale / 1e9, "bcm", "amount"
    if unit == "bcm":
        return v * scale, "bcm", "amount"
    if unit in ("%", "％", "percent", "per cent"):
        return v / 100, "share", "percent"
    if unit == "成":
        return v / 10, "share", "tenths"
    if unit in ("倍", "-fold", "fold", "times"):
        return v, "multiple", "multiple"
    if unit == "公里":
        return v * scale, "km", "amount"
    if unit in _PERSONS:
        return v * scale, "persons", "count"
    return v * scale, "count", "count"


def find_quantities(text: str) -> list[Quantity]:
    """All quantities in ``text`` (the normalised text), in order, with spans."""
    out: list[Quantity] = []
    for m in _ZH.finditer(text):
        num = m.group("num")
        unit = m.group("unit")
        scale_word = m.group("scale") or ""
        start = m.start()
        if num in ("数", "几"):
            nxt = (scale_word[:1] or "")
            if nxt not in ("十", "百", "千") and scale_word not in ("十亿", "百亿", "千亿", "百万", "十万", "千万"):
                continue
            # 数十亿 = several (2..9) × 10^9: an interval, no point value.
            sc = _SCALES[scale_word]
            lo, u, kind = _normalise_amount(2, sc, unit)
            hi, _, _ = _normalise_amount(9.99, sc, unit)
            out.append(Quantity(value=None, low=_r(lo), high=_r(hi), unit=u, qualifier="vague", hedge=num,
                                kind=kind, surface=m.group(), start=start, end=m.end()))
            continue
        if num[0] in _CN_DIGITS:
            if start > 0 and text[start - 1] == "第":
                continue  # ordinal (第十九轮)
            if len(num) == 1 and not scale_word and unit not in ("倍", "成", "次"):
                continue
            try:
                v = _cn_number(num)
            except (ValueError, KeyError):
                continue
        else:
            v = float(num.replace(",", "").replace("，", ""))
            if start > 0 and (text[start - 1].isdigit() or text[start - 1] == "."):
                continue
        if unit in ("个", "项", "座", "名", "人", "次", "架", "辆", "家", "所", "枚", "位") and scale_word == "" and \
                m.end() < len(text) and text[m.end()] in "月日":
            continue
        hedge = m.group("pre") or m.group("post") or m.group("many") or m.group("many2") or ""
        if not hedge:
            en = _EN_HEDGE_BEFORE.search(text, max(0, start - 24), start)
            hedge = en.group(1).lower() if en else ""
            if en:
                start = en.start()
        scale = _SCALES.get(scale_word, 1.0)
        value, u, kind = _normalise_amount(v, scale, unit)
        low, high, qual = _interval(value, hedge)
        out.append(Quantity(value=_r(value), low=_r(low), high=_r(high), unit=u, qualifier=qual, hedge=hedge,
                            kind=kind, surface=text[start:m.end()], start=start, end=m.end()))
    taken = [(q.start, q.end) for q in out]
    for m in _FRACTION.finditer(text):
        if any(a < m.end() and m.start() < b for a, b in taken):
            continue
        if m.group("half"):
            v = 0.5
        else:
            den, num = m.group("den"), m.group("num")
            try:
                dv = float(den) if den.isdigit() else _cn_number(den)
                nv = float(num) if num.isdigit() else _cn_number(num)
            except (ValueError, KeyError):
                continue
            if not dv or nv > dv:
                continue
            v = nv / dv
        hedge = m.group("pre") or m.group("post") or ""
        low, high, qual = _interval(v, hedge)
        out.append(Quantity(value=_r(v), low=_r(low), high=_r(high), unit="share", qualifier=qual, hedge=hedge,
                            kind="fraction", surface=m.group(), start=m.start(), end=m.end()))
    # Without a fraction word there is nothing to find (a cheap test: the pattern itself
    # would be tried at every position).
    for m in _EN_FRACTION.finditer(text) if _EN_FRACTION_WORDS.search(text) else ():
        if any(a < m.end() and m.start() < b for a, b in taken):
            continue
        f = m.group("frac").lower().replace("-", " ")
        f = f.split(" ", 1)[1] if f.startswith(("a ", "one ")) else f
        v = _EN_FRACTION_VALUE[f]
        hedge = (m.group("pre") or "").lower()
        low, high, qual = _interval(v, hedge)
        end = m.start("frac") + len(m.group("frac"))
        out.append(Quantity(value=_r(v), low=_r(low), high=_r(high), unit="share", qualifier=qual, hedge=hedge,
                            kind="growth" if m.group("more") else "fraction", surface=text[m.start():end],
                            start=m.start(), end=end))
    out.sort(key=lambda q: q.start)
    out = [_zhan_hedged(text, q) for q in out]
    if _LATIN_LETTER.search(text, 0, 2000) or not out:
        out.extend(_find_english(text, {(q.start, q.end) for q in out}))
        out.sort(key=lambda q: q.start)
    return out


def _zhan_hedged(text: str, q: Quantity) -> Quantity:
    """A share without its own hedge takes one written before 占 (约占…的一半 → about)."""
    if q.hedge or q.kind not in _SHARE_KINDS:
        return q
    m = _ZHAN_HEDGE.search(text, max(0, q.start - 30), q.start)
    if m is None:
        return q
    low, high, qual = _interval(q.value, m.group(1))
    return q.model_copy(update={"low": _r(low), "high": _r(high), "qualifier": qual, "hedge": m.group(1)})


#: A Latin letter in the lead: the characters whose lower case falls in a–z (ASCII letters,
#: İ and the Kelvin sign), found by one regex search rather than a loop over characters.
_LATIN_LETTER = re.compile("[A-Za-z\u0130\u212a]")


def _find_english(text: str, taken: set[tuple[int, int]]) -> list[Quantity]:
    out = []
    for m in _EN.finditer(text):
        if not (m.group("unit") or m.group("scale") or m.group("cur")):
            continue
        s, e = m.start(), m.end()
        if any(a <= s < b or a < e <= b for a, b in taken):
            continue
        if s > 0 and (text[s - 1].isalnum() and not text[s - 1].isspace()):
            continue
        v = float(m.group("num").replace(",", ""))
        scale = _SCALES.get((m.group("scale") or "").lower(), 1.0)
        unit = (m.group("unit") or "").lower()
        if m.group("cur"):
            unit = "dollars"
        elif not unit:
            continue
        value, u, kind = _normalise_amount(v, scale, unit)
        hedge = (m.group("pre") or "").lower()
        low, high, qual = _interval(value, hedge)
        value, low, high = _r(value), _r(low), _r(high)
        end = m.start("demonym") if m.group("demonym") else m.end()
        surface = text[s:end].rstrip()
        out.append(Quantity(value=value, low=low, high=high, unit=u, qualifier=qual, hedge=hedge, kind=kind,
                            surface=surface.strip(), start=s, end=s + len(surface)))
    return out
