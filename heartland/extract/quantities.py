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
           "十万": 1e5, "万": 1e4, "千": 1e3, "百": 1e2, "十": 1e1,
           "trillion": 1e12, "billion": 1e9, "bn": 1e9, "bln": 1e9, "million": 1e6, "mn": 1e6, "mln": 1e6,
           "m": 1e6}
_LOWER = {"少则", "or more", "超过", "超出", "逾", "多达", "超", "以上", "多", "余", "至少", "至少有", "不少于", "高于", "上", "或更多",
          "或以上", "过", "more than",
          "over", "at least", "upwards of", "in excess of"}
_UPPER = {"fewer than", "近", "接近", "将近", "逼近", "不到", "不足", "少于", "低于", "以下", "以内", "几乎", "nearly", "almost",
          "close to", "less than", "under", "just under"}
_ABOUT = {"约", "大约", "大概", "约为", "约有", "左右", "上下", "about", "around", "approximately", "roughly",
          "some", "or so"}
_MAX = {"高达", "多则", "as much as", "up to"}

_PRE = r"(?P<pre>超过|超出|逾|多达|高达|将近|接近|逼近|近|约为|约有|大约|大概|约|不到|不足|少于|至少有|至少|不少于|高于|低于|几乎|少则|多则)?"
_NUM = (r"(?P<num>\d+,\d{1,2}(?=\s?[%％])|\d+(?:[,，]\d{3})*(?:\.\d+)?|[一二两三四五六七八九十][" + _CN_DIGITS + r"]*(?:点[零〇一二三四五六七八九]+)?"
        r"|数|几)")
# Scanned from the first character of the number (heartland.extract.scan): the optional
# hedge before it is at most 3 characters (不少于).
_ZH = anchored(re.compile(
    _PRE + _NUM + r"\s?(?P<many>多|余)?(?P<scale>万亿|千亿|百亿|十亿|亿|千万|百万|十万|万|千|百|十)?(?P<many2>多|余)?"
    r"(?P<unit>美元|美金|人民币|元|卢布|欧元|新元|新台币|坚戈|万吨|吨|亿立方米|立方米|%|％|成|倍|个|项|座|名|人|次|架|辆|家"
    r"|所|枚|位|平方公里|公里|公顷|岁|天|年|笔|列|场次|场|间|条|份|批|届|度|国|剂|例)?"
    r"(?P<post>\s?(?:以上|以下|以内|左右|上下)|或更多|或以上|(?<=倍)多)?"), r"[\d一二两三四五六七八九十数几]", back=3)
#: English number words (a figure a reader notes: "three people", "eight times", "16 parties").
_EN_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
             "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
             "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
             "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "a hundred": 100, "a dozen": 12}
_EN_PERSONS = ("people|persons|citizens|nationals|migrant workers|migrants|workers|labour migrants|labor migrants"
               "|killed|dead|deaths|injured|wounded|protesters|demonstrators|soldiers|troops|policemen|police officers"
               "|police|officers|civilians|residents|children|students|journalists|candidates|detainees|prisoners"
               "|refugees|men|women|villagers|activists|members|employees")
_EN_COUNTS = "parties|seats|projects|countries|states|regions|villages|companies|factories|mines|uprisings|terms"
_EN = re.compile(
    r"(?i:(?P<pre>more than|fewer than|over|at least|upwards of|in excess of|nearly|almost|close to|less than|just under"
    r"|under|about|around|approximately|roughly|some|as much as|up to)\s+)?"
    r"(?P<cur>US\$\s?|USD\s?|\$\s?)?(?P<num>\d+(?:,\d{3})*(?:\.\d+)?)\s?"
    r"(?P<scale>trillion|billion|million|bn|bln|mn|mln)?\s?"
    # A demonym before a noun of persons ("1.3 million Uzbek citizens") is left out of the
    # quantity's span, so the mention it is stays available as an actor.
    r"(?:(?P<demonym>[A-Z][a-z]+)\s(?=citizens|nationals|migrants|workers|labou?r))?"
    r"(?P<unit>%|percent|per cent|-fold|fold|times|dollars|tonnes|tons|cubic metres|cubic meters|bcm"
    r"|-year-old|years?|days|" + _EN_PERSONS + "|" + _EN_COUNTS + r")?(?![a-z])"
    r"(?P<post>\s+or so|\s+or more)?")
_EN = anchored(_EN, r"\d", back=17, ws_slots=1)

_FRACTION = re.compile(
    r"(?P<pre>超过|逾|接近|将近|近|约为|约有|大约|大概|约|不到|不足|高达|几乎)?(?:(?P<den>\d+|[一二三四五六七八九十]+)分之(?P<num>\d+|[一二三四五六七八九十]+)"
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


_EN_HEDGE_BEFORE = re.compile(r"(?i)(more than|fewer than|less than|at least|nearly|almost|about|around|approximately"
                              r"|roughly|over|under|up to|as much as)\s+(?:US\$|USD\s?|\$)?$")


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
    if unit in ("倍", "-fold", "fold", "times", "multiple"):
        return v, "multiple", "multiple"
    if unit == "新元":
        return v * scale / 1e9, "SGD_bn", "amount"
    if unit == "新台币":
        return v * scale / 1e6, "TWD_mn", "amount"
    if unit == "坚戈":
        return v * scale / 1e9, "KZT_bn", "amount"
    if unit == "公里":
        return v * scale, "km", "amount"
    if unit == "平方公里":
        return v * scale, "km2", "amount"
    if unit == "公顷":
        return v * scale, "ha", "amount"
    if unit in ("年", "years", "year"):
        return v * scale, "years", "duration"
    if unit == "岁":
        return v * scale, "years", "age"
    if unit in ("天", "days", "day"):
        return v * scale, "days", "duration"
    if unit in _PERSONS or unit == "people":
        return v * scale, "persons", "count"
    return v * scale, "count", "count"


_CLASSIFIERS = {"个", "名", "位"}
#: People named right after a classifier (几十个警察) or right before a bare number (人口约600万).
_PERSON_NOUN = re.compile(r"(?:警察|士兵|军人|学生|工人|记者|官员|孩子|儿童|民众|居民|示威者|抗议者|难民|移民|游客|候选人|议员"
                          r"|村民|牧民|公民|人质|平民|囚犯|犯人|少数民族|哈萨克人|维吾尔人|人)")
_PEOPLE_AFTER = re.compile(r"[\u4e00-\u9fff]{0,4}?(?:人|族|民众|居民|难民|移民)(?!民币)")
_PEOPLE_BEFORE = re.compile(r"(?:人口|居民|选民|民众|公民|人数|人)[^，,。；;]{0,6}$")
#: Units a single Chinese numeral may count (两名, 一人, 三年, 两度); 一个/一家/一项 are
#: indefinite articles more often than counts.
_SINGLE_OK = {"倍", "成", "人", "年", "岁", "天", "度", "国", "届"}
#: After N年: a date or an era, not a duration (2020年5月, 90年代, 年底, 年前, 年度).
_YEAR_NOT_DURATION = set("月日代级底初末中前后内度份来起终")


def _unit_fits(text: str, m: re.Match, num: str, unit: str, scale_word: str) -> bool:
    """Units that are also ordinary words, kept only where they count something."""
    end = m.end("unit")
    nxt = text[end:end + 1]
    if m.start() > 0 and text[m.start() - 1] in "这那此该其每另":
        return False  # 这两个国家, 每一个人: a reference, not a figure
    if unit == "个" and text.startswith(("小时", "月", "星期", "钟头", "礼拜", "世纪", "半月"), end):
        return False  # 七、八个小时, 三个月: durations in units the facts do not keep
    if unit == "人" and num in ("两", "二", "三") and not scale_word and \
            not text.startswith(("死", "受伤", "遇难", "丧生", "被", "遭"), end):
        return False  # 两人都…, 两人分别…: "the two of them", a pronoun
    if unit == "年":
        if num.isdigit() and (len(num) >= 3 or int(num) > 150):
            return False  # 2020年, 1990年: a date
        return nxt not in _YEAR_NOT_DURATION and not text.startswith("以来", end)
    if unit == "天":
        return not (num == "一" and not scale_word) and not text.startswith("然", end)  # 一天, 天然气
    if unit == "国":
        return num[0].isdigit()  # 29国; 两国 is "both countries"
    if unit == "度":
        return num in ("两", "三", "四", "五", "六", "七", "八", "九", "十")  # 两度 = twice; not 40度
    if unit in ("场", "间", "条", "份", "批", "列", "笔", "届", "岁"):
        return not (num == "一" and not scale_word)
    return True


#: A range written as A、B / A到B / A至B: the lower end right before a quantity.
_RANGE_BEFORE = re.compile(r"(?P<a>\d+(?:\.\d+)?|[一二两三四五六七八九十]+)(?P<scale>万亿|亿|千万|百万|十万|万|千|百)?"
                           r"(?:%|％)?\s*(?:、|到|至|~|～|-|–|—|或)\s*$")
_RANGE_BEFORE_EN = re.compile(r"(?i)(?:between\s+)?(?:US\$|\$)?(?P<a>\d+(?:\.\d+)?)\s*(?P<scale>trillion|billion|million|bn|mn)?"
                              r"\s*(?:to|and|-|–)\s+(?:US\$|\$)?$")


def _range_before(text: str, start: int) -> re.Match | None:
    return _RANGE_BEFORE.search(text, max(0, start - 10), start)


def _as_range(text: str, q: Quantity, raw_value: float, scale: float, unit: str, num: str) -> Quantity:
    """A quantity with a range's lower end before it (两、三百名, 50万到70万, $7 to $9 billion)."""
    m = _range_before(text, q.start) or _RANGE_BEFORE_EN.search(text, max(0, q.start - 30), q.start)
    if m is None or q.qualifier != "exact":
        return q
    a = m.group("a")
    try:
        av = float(a) if a[0].isdigit() else _cn_number(a)
    except (ValueError, KeyError):
        return q
    own = m.group("scale")
    if own:
        a_scale = _SCALES[own.lower()]
    elif num and num[0] in _CN_DIGITS and len(num) > 1 and num[0] not in "十":
        lead = _cn_number(num[0])
        a_scale = scale * (raw_value / lead) if lead else scale  # 两、三百: 两 counts hundreds
    else:
        a_scale = scale
    low, _, _ = _normalise_amount(av, a_scale, unit)
    if not low < q.value:
        return q
    return q.model_copy(update={"value": None, "low": _r(low), "high": q.value, "qualifier": "range",
                                "hedge": "range", "surface": text[m.start():q.end], "start": m.start()})


_ZH_UNITS = {"美元", "美金", "人民币", "元", "卢布", "欧元", "新元", "新台币", "坚戈", "万吨", "吨", "亿立方米", "立方米",
             "成", "倍", "个", "项", "座", "名", "人", "次", "架", "辆", "家", "所", "枚", "位", "平方公里", "公里",
             "公顷", "岁", "天", "年", "笔", "列", "场次", "场", "间", "条", "份", "批", "届", "度", "国"}
#: 1亿2千8百万美元: digits with several scale words (one number, read by cn2an).
_COMPOUND = re.compile(r"(?P<num>\d+(?:\.\d+)?(?:亿|万|千|百)(?:\d+(?:\.\d+)?(?:亿|万|千|百)+)+)\s?"
                       r"(?P<unit>美元|人民币|元|卢布|欧元|人|名)")
#: 上千人 (over a thousand), 近万列 (nearly ten thousand), 数以百计: a round number without digits.
_ROUND = re.compile(r"(?P<pre>上|近|逾|将近|超过|数以|成)(?P<scale>十万|百万|千万|亿|万|千|百)(?P<many>多|余)?(?:计)?"
                    r"(?P<unit>人|名|个|家|列|辆|所|项|次|美元)?")
#: 过半 / 逾半 / 超过半数: more than half.
_HALF_PLUS = re.compile(r"(?:过半|逾半|超过半数|半数以上)")
#: 1/5, 1/4 as shares (small denominators; not dates, which carry a year or more digits).
_SLASH = re.compile(r"(?<![\d/.])(?P<num>[1-9])\s?/\s?(?P<den>[2-9]|10)(?![\d/])")


def _extra_zh(text: str, taken: list[tuple[int, int]]) -> tuple[list[Quantity], list[Quantity]]:
    """Chinese forms the main pattern does not read: (compound numbers, which replace the
    pieces the main pattern read; round numbers without digits, more than half, slash fractions)."""
    compounds: list[Quantity] = []
    out: list[Quantity] = []

    def free(a: int, b: int) -> bool:
        return not any(x < b and a < y for x, y in taken)

    if any(w in text for w in ("亿", "万")) and _COMPOUND.search(text):
        for m in _COMPOUND.finditer(text):
            try:
                v = _cn_number(m.group("num"))
            except (ValueError, KeyError):
                continue
            value, u, kind = _normalise_amount(v, 1.0, m.group("unit"))
            compounds.append(Quantity(value=_r(value), low=_r(value), high=_r(value), unit=u, qualifier="exact",
                                      hedge="", kind=kind, surface=m.group(), start=m.start(), end=m.end()))
    for m in _ROUND.finditer(text):
        if not free(m.start(), m.end()) or (m.group("pre") in ("上",) and not m.group("unit")):
            continue
        pre, scale = m.group("pre"), _SCALES[m.group("scale")]
        unit = m.group("unit") or "人"
        if pre in ("数以",) or (pre == "成" and m.group(0).endswith("计")):
            lo, u, kind = _normalise_amount(2, scale, unit)
            out.append(Quantity(value=None, low=None, high=None, unit=u, qualifier="vague", hedge=pre, kind=kind,
                                surface=m.group(), start=m.start(), end=m.end()))
            continue
        if pre == "成" or (not m.group("unit") and pre != "近"):
            continue
        value, u, kind = _normalise_amount(1, scale, unit)
        low, high, qual = _interval(value, pre if pre != "上" else "上")
        out.append(Quantity(value=_r(value), low=_r(low), high=_r(high), unit=u, qualifier=qual, hedge=pre, kind=kind,
                            surface=m.group(), start=m.start(), end=m.end()))
    for m in _HALF_PLUS.finditer(text):
        if free(m.start(), m.end()):
            out.append(Quantity(value=0.5, low=0.5, high=None, unit="share", qualifier="lower_bound", hedge="过",
                                kind="fraction", surface=m.group(), start=m.start(), end=m.end()))
    for m in _SLASH.finditer(text):
        if free(m.start(), m.end()) and int(m.group("num")) < int(m.group("den")):
            v = int(m.group("num")) / int(m.group("den"))
            out.append(Quantity(value=_r(v), low=_r(v), high=_r(v), unit="share", qualifier="exact", hedge="",
                                kind="fraction", surface=m.group(), start=m.start(), end=m.end()))
    return compounds, out


def find_quantities(text: str) -> list[Quantity]:
    """All quantities in ``text`` (the normalised text), in order, with spans."""
    out: list[Quantity] = []
    for m in _ZH.finditer(text):
        num = m.group("num")
        unit = m.group("unit")
        scale_word = m.group("scale") or ""
        start = m.start()
        if unit is None:
            # A bare number counts only with a scale word (人口约600多万, 逾50万): persons when
            # people are named just before it, else a count.
            if not scale_word or scale_word in ("十", "百") or not (num[0].isdigit() or len(num) > 1 or num in "数几"):
                continue
            people = _PEOPLE_BEFORE.search(text, max(0, start - 14), start) or _PEOPLE_AFTER.match(text, m.end())
            unit = "人" if people else "个"
        elif unit in _CLASSIFIERS and _PERSON_NOUN.match(text, m.end()):
            unit = "名"  # 几十个警察: a count of people
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
        if start > 0 and text[start - 1] == "第":
            continue  # ordinal (第十九轮, 第3年)
        if not _unit_fits(text, m, num, unit, scale_word):
            continue
        if num[0] in _CN_DIGITS:
            if len(num) == 1 and not scale_word and num == "一" and unit not in _SINGLE_OK \
                    and not _range_before(text, start):
                continue  # 一个, 一家: an indefinite article
            try:
                v = _cn_number(num)
            except (ValueError, KeyError):
                continue
        else:
            v = float(num.replace(",", ".")) if re.fullmatch(r"\d+,\d{1,2}", num) else \
                float(num.replace(",", "").replace("，", ""))
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
        end = m.end()
        if unit in ("年", "天") and text.startswith("半", end):
            v, end = v + 0.5, end + 1  # 两年半
        value, u, kind = _normalise_amount(v, scale, unit)
        low, high, qual = _interval(value, hedge.strip())
        q = Quantity(value=_r(value), low=_r(low), high=_r(high), unit=u, qualifier=qual, hedge=hedge,
                     kind=kind, surface=text[start:end], start=start, end=end)
        out.append(_as_range(text, q, v, scale, unit, num))
    compounds, extra = _extra_zh(text, [(q.start, q.end) for q in out])
    if compounds:
        out = [q for q in out if not any(c.start < q.end and q.start < c.end for c in compounds)] + compounds
    out += extra
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
    return _outermost(out)


def _outermost(qs: list[Quantity]) -> list[Quantity]:
    """Drop a quantity inside a longer one (the 4% of a range 4%到5%), keeping order."""
    keep: list[Quantity] = []
    for q in qs:
        while keep and keep[-1].start >= q.start and keep[-1].end <= q.end and \
                (keep[-1].start, keep[-1].end) != (q.start, q.end):
            keep.pop()
        if keep and keep[-1].start <= q.start and q.end <= keep[-1].end:
            continue
        keep.append(q)
    return keep


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


_EN_WORD_NUM = re.compile(
    r"(?i)\b(?:(?P<pre>more than|fewer than|over|at least|nearly|almost|about|around|some|less than)\s+)?"
    r"(?P<num>" + "|".join(sorted(_EN_WORDS, key=len, reverse=True)) + r")\s+(?:[a-z\-]+\s+)?"
    r"(?P<unit>times|years|days|" + _EN_PERSONS + "|" + _EN_COUNTS + r")\b")
#: "thousands", "tens of thousands", "hundreds of people", "billions of dollars": vague.
_EN_VAGUE = re.compile(r"(?i)\b(?P<num>tens of thousands|hundreds of thousands|thousands|hundreds|dozens|millions|"
                       r"billions)\b(?:\s+of\s+(?P<unit>dollars|" + _EN_PERSONS + r"))?")
_EN_VAGUE_SCALE = {"tens of thousands": 1e4, "hundreds of thousands": 1e5, "thousands": 1e3, "hundreds": 1e2,
                   "dozens": 12, "millions": 1e6, "billions": 1e9}


def _en_unit(unit: str) -> str:
    u = unit.lower().strip()
    if u in ("-year-old", "year", "years"):
        return "years"
    if re.fullmatch(_EN_PERSONS, u):
        return "people"
    if re.fullmatch(_EN_COUNTS, u):
        return "items"
    return u


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
        unit = _en_unit(m.group("unit") or "")
        if m.group("cur"):
            unit = "dollars"
        elif not unit:
            continue
        if unit in ("people", "items", "years", "days") and not m.group("scale") and "," not in m.group("num") \
                and 1800 <= v <= 2100 and not m.group("pre"):
            continue  # "in 2020 people …": a year, not a count
        value, u, kind = _normalise_amount(v, scale, unit)
        hedge = (m.group("pre") or (m.group("post") or "").strip()).lower()
        low, high, qual = _interval(value, hedge)
        value, low, high = _r(value), _r(low), _r(high)
        end = m.start("demonym") if m.group("demonym") else m.end()
        surface = text[s:end].rstrip()
        q = Quantity(value=value, low=low, high=high, unit=u, qualifier=qual, hedge=hedge, kind=kind,
                     surface=surface.strip(), start=s, end=s + len(surface))
        out.append(_as_range(text, q, v, scale, unit, ""))
    spans = taken | {(q.start, q.end) for q in out}
    for m in _EN_WORD_NUM.finditer(text):
        if any(a < m.end() and m.start() < b for a, b in spans):
            continue
        v = float(_EN_WORDS[m.group("num").lower()])
        unit = _en_unit(m.group("unit"))
        value, u, kind = _normalise_amount(v, 1.0, unit)
        hedge = (m.group("pre") or "").lower()
        low, high, qual = _interval(value, hedge)
        out.append(Quantity(value=_r(value), low=_r(low), high=_r(high), unit=u, qualifier=qual, hedge=hedge,
                            kind=kind, surface=m.group(), start=m.start(), end=m.end()))
    for m in _EN_VAGUE.finditer(text):
        if any(a < m.end() and m.start() < b for a, b in spans):
            continue
        unit = (m.group("unit") or "").lower()
        if unit == "dollars" or (m.group("num").lower() == "billions" and not unit):
            lo, u, kind = _normalise_amount(2, _EN_VAGUE_SCALE[m.group("num").lower()], "dollars")
        else:
            lo, u, kind = _normalise_amount(2, _EN_VAGUE_SCALE[m.group("num").lower()], "people")
        out.append(Quantity(value=None, low=None, high=None, unit=u, qualifier="vague", hedge=m.group("num").lower(),
                            kind=kind, surface=m.group(), start=m.start(), end=m.end()))
    out.sort(key=lambda q: q.start)
    return out
