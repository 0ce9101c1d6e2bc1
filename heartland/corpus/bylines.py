"""Bylines, datelines and sign-offs in the body text (issue 13).

Chinese news prose names its reporter inside datelines and sign-offs rather than in a
byline field: ``（大纪元记者张三报导）``, ``（中央社記者王小明巴黎3日專電）``,
``自由亚洲电台特约记者李四华盛顿报道``, ``(记者赵五综合报导/责任编辑：钱六)``,
``中央社駐巴黎特派員王小明／3月2日``. The name runs straight into the place the
reporter filed from, so a list of places (capitals and cities that datelines name, in
simplified script; traditional text is compared after ``t2s``) separates the two.
"""

from __future__ import annotations

import re

from heartland.corpus import outlets
from heartland.corpus.text import normalise

# Places that follow a reporter's name in Chinese datelines (simplified script).
PLACES = tuple(sorted({
    "北京", "上海", "香港", "澳门", "台北", "台湾", "高雄", "广州", "深圳", "武汉", "成都", "重庆",
    "乌鲁木齐", "伊犁", "喀什", "拉萨", "南京", "天津", "西安", "大连", "青岛", "杭州", "新加坡",
    "华盛顿", "纽约", "旧金山", "洛杉矶", "波士顿", "芝加哥", "西雅图", "休斯敦", "亚特兰大",
    "费城", "迈阿密", "多伦多", "温哥华", "渥太华", "蒙特利尔", "伦敦", "巴黎", "柏林", "波恩",
    "科隆", "慕尼黑", "法兰克福", "布鲁塞尔", "日内瓦", "苏黎世", "维也纳", "罗马", "米兰",
    "马德里", "里斯本", "阿姆斯特丹", "海牙", "哥本哈根", "斯德哥尔摩", "奥斯陆", "赫尔辛基",
    "华沙", "布拉格", "布达佩斯", "基辅", "明斯克", "莫斯科", "圣彼得堡", "伊斯坦堡", "伊斯坦布尔",
    "安卡拉", "德黑兰", "喀布尔", "伊斯兰堡", "新德里", "孟买", "达卡", "加德满都", "曼谷",
    "河内", "胡志明市", "金边", "仰光", "吉隆坡", "雅加达", "马尼拉", "东京", "大阪", "首尔",
    "平壤", "乌兰巴托", "悉尼", "墨尔本", "堪培拉", "奥克兰", "开罗", "耶路撒冷", "特拉维夫",
    "利雅得", "杜拜", "迪拜", "多哈", "巴格达", "贝鲁特", "大马士革", "约翰内斯堡", "内罗毕",
    "阿拉木图", "努尔苏丹", "阿斯塔纳", "比什凯克", "比许凯克", "塔什干", "杜尚别", "杜桑贝",
    "阿什哈巴德", "巴库", "第比利斯", "埃里温", "奥什", "撒马尔罕", "联合国", "布宜诺斯艾利斯",
    "圣保罗", "墨西哥城", "檀香山", "达兰萨拉", "台中", "台南", "桃园", "新竹", "花莲",
}, key=len, reverse=True))

_HAN = r"\u3400-\u9fff"
_NAME_CHARS = re.compile(rf"^[{_HAN}·•‧．.]{{2,6}}$|^[A-Z][A-Za-z'’.-]+(?: [A-Z][A-Za-z'’.-]+){{0,3}}$")
_DATE_TAIL = re.compile(r"(?:(?:北京|当地|當地)?时间|時間)?(?:\d{4}年)?(?:\d{1,2}月)?\d{1,2}日$")
_REPORT_WORDS = (r"(?:综合报导|綜合報導|综合报道|綜合報道|综合外电报导|綜合外電報導|报导|報導|报道|報道|"
                 r"专电|專電|电|電|讯|訊|编译|編譯|采访|採訪|撰稿)")
_REPORTER = re.compile(r"(?:特约|特約|驻站|駐站|本台|本报|本報|实习|實習)?(?:记者|記者|特派员|特派員)")


def reporter_name(s: str) -> str | None:
    """The name in ``王小明安卡拉17日`` (what follows 记者 up to 报导/专电): ``王小明``."""
    s = s.strip(" ：:")
    s = re.sub(r"(?:综合|綜合)$", "", s)
    s = _DATE_TAIL.sub("", s).strip()
    simp = normalise(s)
    for place in PLACES:
        if simp.endswith(place) and len(s) - len(place) >= 2:
            s = s[:-len(place)]
            break
    s = s.strip(" ，,、")
    if not s or not _NAME_CHARS.match(s):
        return None
    if re.match(rf"^[{_HAN}]", s) and len(s) > 4 and "·" not in s:
        return None  # a name glued to a place we do not know: better none than a wrong one
    return s


# （大纪元记者张三报导） （中央社土庫曼阿什哈巴德3日綜合外電報導） （法新社杜尚别3日电）
# (德国之声中文网) （看中国记者孙七综合报导）
_LEAD_PAREN = re.compile(r"^[（(](?P<inner>[^（()）]{1,50})[)）]\s*")
_LEAD_REPORTED = re.compile(_REPORT_WORDS + r"$")
# 路透莫斯科3月5日 - … ; XIAN-Chinese President … ; ALMATY (Reuters) - …
_LEAD_WIRE_ZH = re.compile(r"^(?:路透|法新社|美联社|美聯社)[^\s，,。]{0,12}?\d{1,2}月\d{1,2}日\s*[-–—]\s*")
_LEAD_WIRE_EN = re.compile(r"^[A-Z]{3,}(?:[ '-][A-Z]{2,})*(?:,\s*[A-Z][a-z]+)?\s*(?:\([A-Za-z ]+\)\s*)?"
                           r"(?:-|–|—)\s*(?=[A-Z])")


def _is_outlet_tag(inner: str) -> bool:
    """``德国之声中文网``, ``法广RFI``, ``RFI``: the outlet naming itself at the start."""
    key = re.sub(r"(?:中文网|中文網|中文部)$", "", inner.strip())
    return outlets.by_name(inner) is not None or outlets.by_name(key) is not None


def lead_dateline(p: str) -> tuple[str, str | None, str | None]:
    """Cut a dateline/byline off the start of the first paragraph.

    Returns ``(rest, reporter or None, dateline text or None)``.
    """
    m = _LEAD_PAREN.match(p)
    if m:
        inner = m.group("inner").strip()
        if _LEAD_REPORTED.search(inner) or _is_outlet_tag(inner):
            who = None
            r = _REPORTER.search(inner)
            if r:
                tail = re.sub(_REPORT_WORDS + r"$", "", inner[r.end():])
                who = reporter_name(tail)
            return p[m.end():].strip(), who, inner
    m = _LEAD_WIRE_ZH.match(p) or _LEAD_WIRE_EN.match(p)
    if m and len(p) > m.end() + 10:
        return p[m.end():].strip(), None, m.group(0).strip(" -–—")
    return p, None, None


# 自由亚洲电台特约记者李四华盛顿报道 编辑：周八 网编：吴九 / (记者赵五综合报导/责任编辑：钱六)
_SIGNOFF = re.compile(
    r"^[（(]?(?P<outlet>[^（()）\s：:]{0,12}?)" + _REPORTER.pattern + r"(?P<who>[^（()）：:/／\s]{2,16}?)"
    + _REPORT_WORDS + r"(?P<rest>(?:[\s/／|｜]+.*)?)[)）]?$")
# 中央社駐巴黎特派員王小明／3月2日
_CORRESPONDENT = re.compile(
    r"^(?P<outlet>[^（()）\s]{0,12}?)(?:駐|驻)?[^（()）\s]{0,8}?(?:特派員|特派员|記者|记者)"
    r"(?P<who>[^（()）／/\s]{2,8})[／/]\s*(?:\d{4}年)?\d{1,2}月\d{1,2}日$")
# 杨威廉/张慈 (路透社、国际传真社）  — DW's sign-off: author/editor (sources)
_NAME = rf"(?:[{_HAN}][{_HAN}·]{{1,5}}|[A-Z][A-Za-z'’.-]+(?: [A-Z][A-Za-z'’.-]+){{0,3}})"
_DW_SIGNOFF = re.compile(
    rf"^(?P<a>{_NAME}(?:\s*[、,，]\s*{_NAME})*)\s*[/／]\s*(?P<e>{_NAME}(?:\s*[、,，]\s*{_NAME})*)"
    r"(?:\s*[（(](?P<src>[^（()）]{1,40})[)）])?$")
# （法新社） （路透社、国际传真社） — a source note alone on a line
_SOURCES_ONLY = re.compile(r"^[（(](?P<src>[^（()）]{1,40})[)）]$")


def _split(s: str) -> list[str]:
    return [x.strip() for x in re.split(r"[、,，/／]|\band\b", s) if x.strip()]


def agency_names(s: str) -> list[str] | None:
    """``路透社、国际传真社`` -> the names, when at least one is a known outlet and all are short."""
    parts = _split(s)
    if not parts or any(len(x) > 20 for x in parts):
        return None
    if not any(outlets.by_name(x) for x in parts) and not all(
            re.search(r"(?:社|通讯|通訊|报|報|台|臺|网|網|新闻|新聞)$", x) for x in parts):
        return None
    return parts


def signoff(p: str, parse_labels) -> tuple[list[str], dict[str, list[str]]] | None:
    """A whole paragraph that only says who wrote, edited or sourced the article:
    ``(authors, credits)``, else None. ``parse_labels`` reads ``编辑：周八 网编：吴九``."""
    s = p.strip()
    if len(s) > 120:
        return None
    m = _SIGNOFF.match(s)
    if m:
        who = reporter_name(m.group("who"))
        credits: dict[str, list[str]] = {}
        rest = m.group("rest").strip(" /／|｜)）")
        if rest:
            parsed = parse_labels(rest)
            if parsed is None:
                return None
            credits = parsed
        authors = [who] if who else []
        authors += credits.pop("reporter", [])
        return authors, credits
    m = _CORRESPONDENT.match(s)
    if m:
        who = reporter_name(m.group("who"))
        return ([who] if who else []), {}
    m = _DW_SIGNOFF.match(s)
    if m and len(s) <= 60:
        credits = {"editor": _split(m.group("e"))}
        if m.group("src"):
            credits["source"] = _split(m.group("src"))
        return _split(m.group("a")), credits
    m = _SOURCES_ONLY.match(s)
    if m:
        inner = m.group("src").strip()
        if inner in ("完", "全文完"):
            return [], {}
        parsed = parse_labels(inner)
        if parsed is not None:
            if "reporter" in parsed:  # （共同採訪記者：William Yang） is a contributor
                parsed.setdefault("contributors", []).extend(parsed.pop("reporter"))
            return [], parsed
        names = agency_names(inner)
        if names:
            return [], {"source": names}
        note = source_note(inner)
        if note:
            return [], note
    return None


# Credits glued to the end of the last paragraph: "…無效。（譯者：林治平）1091006", "…改善。（完）"
_TRAILING_CREDIT = re.compile(r"[（(](?P<inner>[^（()）]{1,60})[)）]\s*(?:\d{7})?\s*$")
_TRAILING_END = re.compile(r"\s*(?:[（(](?:完|全文完)[)）]|■|\u25a0)\s*$")
_ROC_CODE = re.compile(r"(?<=[。！？」”』）)])\s*\d{7}\s*$")


# （綜合報導） （本文依据了路透社的报道。） （综合外电） — where the text came from
_SOURCE_NOTE = re.compile(
    r"^(?:本文|此文)?(?:依据|依據|根据|根據|综合|綜合|编译自|編譯自|参考|參考)了?(?P<src>.*?)(?:的)?"
    r"(?:报道|報導|报导|報道|外电|外電|电讯|電訊|消息)?[。.]?$")


def source_note(inner: str) -> dict[str, list[str]] | None:
    m = _SOURCE_NOTE.match(inner)
    if not m or len(inner) > 40:
        return None
    src = m.group("src").strip()
    return {"source": _split(src) if src else [inner]}


def dateline_reporter(inner: str) -> str | None:
    """The reporter named in a dateline's text (``中央社記者王小明巴黎3日專電``)."""
    r = _REPORTER.search(inner)
    if not r:
        return None
    return reporter_name(re.sub(_REPORT_WORDS + r"$", "", inner[r.end():]))


def strip_trailing_credits(p: str, parse_labels) -> tuple[str, dict[str, list[str]]]:
    """Remove ``（完）``, the Economist's ``■``, CNA's ``（編輯：…）1091014`` and
    ``（译者：…/核稿：…）`` from the end of a paragraph; the names go to credits."""
    credits: dict[str, list[str]] = {}
    for _ in range(3):
        before = p
        p = _TRAILING_END.sub("", p)
        p = _ROC_CODE.sub("", p)
        m = _TRAILING_CREDIT.search(p)
        if m and m.start() > 0:
            inner = m.group("inner").strip()
            parsed = parse_labels(inner)
            if parsed is None:
                parsed = source_note(inner)
            if parsed is not None:
                for k, v in parsed.items():
                    credits.setdefault(k, []).extend(v)
                p = p[:m.start()].rstrip()
        if p == before:
            break
    return p, credits
