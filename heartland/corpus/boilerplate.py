"""Paragraph-level cleaning shared by every reader.

A paragraph is dropped when it is an artefact (``Array``, a bare URL), a promotion,
share/subscribe/donate prompt, copyright notice, "click to see more" line or mirror
trailer. Credit lines (记者/责编/网编/翻译/来源/原标题 …) leave the body and become
metadata: reporters join ``authors``; editors and the rest go to ``credits``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# Literal leftovers of broken templates (seed 004's "Array").
_ARTEFACTS = frozenset({"Array", "undefined", "null", "NaN", "None", "[object Object]", "()", "-"})

# Prompts and notices that are never article prose. Each pattern is specific enough not to
# catch a sentence that merely mentions a subscription or a donation. They are kept as
# three regexes (a paragraph is a promotion when any of them matches) because in one
# alternation the `^…$` and `\b` branches stop the engine from skipping ahead to a
# possible first character, and every branch was tried at every position (~0.5 ms of
# CPU per article). Every Chinese branch starts with an uncased literal, so that one scans fast.
_PROMO_ZH = re.compile(
    r"点击查看|點擊查看|点击更多|點擊更多|点击阅读|點擊閱讀|点此|點此|阅读原文|閱讀原文|"
    r"本文短网址|本文短網址|版权所有|版權所有|转载需|轉載需|严禁建立镜像|嚴禁建立鏡像|"
    r"荣誉会员|榮譽會員|诚征|誠徵|订阅我们|訂閱我們|订阅本台|訂閱本台|欢迎订阅|歡迎訂閱|"
    r"关注我们|關注我們|扫码|掃碼|扫描二维码|掃描二維碼|下载APP|下載APP|长按并复制|長按並複製|"
    r"分享本文|分享到|原文地址|原文網址|需翻墙|需翻牆|相关新闻|相關新聞|相关阅读|相關閱讀|"
    r"延伸阅读|延伸閱讀|推荐阅读|推薦閱讀|责任编辑：|获取更多RSS|獲取更多RSS|©",
    re.I,  # for "APP"
)
_PROMO_EN = re.compile(
    r"\b(?:click here|read more|subscribe (?:to|now)|sign up for|donate|share (?:this|on)|"
    r"follow us|related (?:articles|stories|coverage)|all rights reserved)\b",
    re.I,
)
_AD_ONLY = re.compile(r"^(?:广告|廣告)$")  # used with .match: anchored at the start anyway
_RULE_ONLY = re.compile(r"[-=_*·•|｜\s]+")
_BARE_URL = re.compile(r"^(?:https?://|www\.)\S+$")
# A contributor line, e.g. "Jane Roe、Li Lei对本文亦有贡献。".
_CONTRIB = re.compile(r"^(?P<names>.+?)\s*(?:对|對|为|為)本文\S*(?:贡献|貢獻)。?$")
# Credit labels, in the order they can appear on one line (e.g. "记者：A 责编：B 网编：C").
_LABELS = {
    "记者": "reporter", "記者": "reporter", "撰稿": "reporter", "作者": "reporter",
    "文": "reporter", "采访": "reporter", "採訪": "reporter",
    "责编": "editor", "責編": "editor", "编辑": "editor", "編輯": "editor",
    "责任编辑": "editor", "責任編輯": "editor", "主编": "editor", "主編": "editor",
    "网编": "web_editor", "網編": "web_editor", "校对": "proofreader", "校對": "proofreader",
    "翻译": "translation", "翻譯": "translation", "译者": "translation", "譯者": "translation",
    "来源": "source", "來源": "source", "原标题": "original_title", "原標題": "original_title",
    "摄影": "photographer", "攝影": "photographer", "制作": "producer", "製作": "producer",
    # Translators and editors are credits, never authors (issue 13).
    "编译": "translation", "編譯": "translation", "审校": "editor", "審校": "editor",
    "核稿": "editor", "审稿": "editor", "審稿": "editor",
    "共同采访记者": "contributors", "共同採訪記者": "contributors", "协助采访": "contributors",
    "協助採訪": "contributors",
}
_LABEL_RE = re.compile(
    r"(?:^|[\s\u00a0\u3000|｜/])(" + "|".join(sorted(_LABELS, key=len, reverse=True)) + r")\s*[：:]\s*")
_STARTS_WITH_LABEL = re.compile(
    r"^(?:" + "|".join(sorted(_LABELS, key=len, reverse=True)) + r")\s*[：:]")
# 【看中国2022年1月24日讯】 / （法广RFI） style datelines at the start of the first paragraph.
_DATELINE = re.compile(r"^[【\[（(](?P<inner>[^】\]）)]{0,40}?(?:讯|訊|电|電))[】\]）)]\s*")
_IMAGE_SOURCE = re.compile(
    r"[（(](?:图片来源|圖片來源|图源|圖源|摄影|攝影|photo|photos|file photo)\s*[：:/／]|"
    r"[（(](?:图|圖)取自|[（(](?:图|圖)[/／]|"
    r"(?:中央社|本台|記者|记者)[^。，]{0,12}(?:攝|摄|傳真|传真)\s*\d{2,4}年\d{1,2}月\d{1,2}日$", re.I)


@dataclass
class Cleaned:
    paragraphs: list[str] = field(default_factory=list)
    authors: list[str] = field(default_factory=list)
    credits: dict[str, list[str]] = field(default_factory=dict)
    dateline: str | None = None
    #: timestamp lines removed from the text, in order ("2020-10-07T07:47:14.978Z", …)
    stamps: list[str] = field(default_factory=list)
    captions: list[str] = field(default_factory=list)


def split_names(s: str) -> list[str]:
    """Split a list of names: 、 , ， ; and/和/與 (not the space inside a Western name)."""
    parts = re.split(r"\s*(?:、|,|，|;|；|\band\b|和|與|与|&)\s*", s.strip().strip("。."))
    return [p.strip() for p in parts if p.strip()]


def parse_credit_line(p: str) -> dict[str, list[str]] | None:
    """``记者：乔 责编：何 网编：洪`` -> {'reporter': [...], 'editor': [...], ...}, else None."""
    if not _STARTS_WITH_LABEL.match(p) or len(p) > 160:
        return None
    marks = list(_LABEL_RE.finditer(p))
    out: dict[str, list[str]] = {}
    for i, m in enumerate(marks):
        end = marks[i + 1].start() if i + 1 < len(marks) else len(p)
        value = p[m.end():end].strip(" \u00a0\u3000|｜/")
        key = _LABELS[m.group(1)]
        if not value:
            continue
        if key in ("original_title", "source"):
            out.setdefault(key, []).append(value)
        else:
            out.setdefault(key, []).extend(split_names(value))
    return out or None


def is_boilerplate(p: str) -> bool:
    s = p.strip()
    if not s or s in _ARTEFACTS:
        return True
    if _BARE_URL.match(s):
        return True
    if _RULE_ONLY.fullmatch(s):
        return True
    return len(s) < 400 and _is_promo(s)


def _is_promo(s: str) -> bool:
    return bool(_PROMO_ZH.search(s) or _PROMO_EN.search(s) or _AD_ONLY.match(s))


# Headings of related-link lists and galleries ("Related", "相关图集：…", "延伸閱讀").
_RELATED_HEADING = re.compile(
    r"^(?:related(?: articles| stories| coverage| content)?|read more|more on this story|see also|"
    r"相关图集|相關圖集|相关图片|相關圖片|延伸阅读|延伸閱讀|相关新闻|相關新聞|相关报道|相關報導|相关文章|"
    r"相關文章|相关阅读|相關閱讀|推荐阅读|推薦閱讀)(?:\s*[：:].{0,60})?$", re.I)
# WordPress feed footers: "The post … first appeared on Bitter Winter."
_FEED_FOOTER = re.compile(r"^(?:The post .{1,300} (?:first )?appeared (?:first )?on .{1,80}\.|"
                          r"(?:本文|文章).{0,200}(?:最先|首先|首發|首发)(?:出现|出現|发表|發表)(?:在|於|于).{1,40})$")
_PRINT_FOOTNOTE = re.compile(
    r"^This article appeared in the .{0,60}?print edition under the headline\s*"
    r"[\"“](?P<headline>.+)[\"”]\.?$")
_DATE_TOKEN = re.compile(r"^date (\d{4}-\d\d-\d\d)\b\s*")  # added by a retrieval tool
_BY_LINE = re.compile(r"^(?:by|By|BY)\s+(?P<names>[^.!?]{2,80})$")
_EN_DATELINE = re.compile(
    r"^[A-Z][\w .'’-]{1,40}(?:,\s*[A-Z][\w .'’-]{1,40})?\s*\((?:AFP|Reuters|AP|Xinhua|RFE/RL|dpa|"
    r"Bloomberg)\)\s*(?:[A-Z][a-z]+\.? \d{1,2},? \d{4})?$")
_MORE_TAIL = re.compile(r"\s*(?:\.{3,}|…+)?\s*(?:\.{3,}|…+)\s*(?:more|read more|更多|閱讀更多|阅读更多)\s*$",
                        re.I)
_SENTENCE_END = re.compile(r"[。！？.!?…”」』\"')）]$")


def _add_credits(out: Cleaned, credits: dict[str, list[str]]) -> None:
    for key, names in credits.items():
        if key == "reporter":
            out.authors.extend(n for n in names if n not in out.authors)
        else:
            out.credits.setdefault(key, []).extend(n for n in names if n not in out.credits.get(key, []))


def _byline_names(s: str) -> list[str]:
    from heartland.corpus import outlets

    names = [n for n in split_names(re.sub(r"\bnull\b", " ", s)) if n and n.lower() != "null"]
    return [n for n in names if outlets.by_name(n) is None and "staff" not in n.lower()
            and "writer" not in n.lower()]


def clean_paragraphs(paragraphs: list[str]) -> Cleaned:
    """Drop boilerplate, lift credit lines, sign-offs, timestamp lines and a leading
    dateline out of the body (see docs/corpus.md, "Body start and end")."""
    from heartland.corpus import bylines, dates

    out = Cleaned()
    for i, p in enumerate(paragraphs):
        p = p.strip()
        if p.startswith("Array") and len(p) > 5 and not p[5].isalnum():
            p = p[5:].strip()  # "Array" glued before the first paragraph
        d = _DATE_TOKEN.match(p)
        if d:
            out.stamps.append(d.group(1))
            p = p[d.end():].strip()
            if not p:
                continue
        if len(p) <= 40 and dates.stamp_line(p) is not None:
            out.stamps.append(p)
            # a short line right above the opening timestamp is its byline (DW: "null 邹宗翰")
            if len(out.paragraphs) == 1 and len(out.stamps) == 1 and len(out.paragraphs[0]) <= 40 \
                    and not _SENTENCE_END.search(out.paragraphs[0]):
                _add_credits(out, {"reporter": _byline_names(out.paragraphs.pop())})
            continue
        credits = parse_credit_line(p)
        if credits is not None:
            _add_credits(out, credits)
            continue
        signed = bylines.signoff(p, parse_credit_line)
        if signed is not None:
            authors, credits = signed
            _add_credits(out, {"reporter": authors, **credits})
            continue
        # The substring test first: the lazy pattern is slow to fail on long paragraphs.
        m = _CONTRIB.match(p) if len(p) < 120 and "本文" in p else None
        if m:
            out.credits.setdefault("contributors", []).extend(split_names(m.group("names")))
            continue
        if not out.paragraphs:
            m = _BY_LINE.match(p)
            if m:
                _add_credits(out, {"reporter": _byline_names(m.group("names"))})
                continue
            if _EN_DATELINE.match(p):
                out.dateline = out.dateline or p
                continue
        if len(p) <= 80 and _RELATED_HEADING.match(p):
            continue
        if len(p) < 400 and _FEED_FOOTER.match(p):
            continue
        m = _PRINT_FOOTNOTE.match(p)
        if m:
            out.credits.setdefault("print_headline", []).append(m.group("headline"))
            continue
        if is_boilerplate(p):
            continue
        if is_caption_like(p):
            out.captions.append(p)
            continue
        if not out.paragraphs:
            d = _DATELINE.match(p)
            if d and out.dateline is None:
                out.dateline = d.group("inner")
                p = p[d.end():].strip()
                who = bylines.dateline_reporter(out.dateline)
                if who:
                    _add_credits(out, {"reporter": [who]})
            for _ in range(2):  # 【看中国…讯】（看中国记者孙七综合报导）
                rest, who, line = bylines.lead_dateline(p)
                if line is None:
                    break
                if who:
                    _add_credits(out, {"reporter": [who]})
                if out.dateline is None or dates.from_zh_date(out.dateline, None) is None:
                    out.dateline = line if out.dateline is None else out.dateline
                p = rest
            if not p:
                continue
        p, credits = bylines.strip_trailing_credits(p, parse_credit_line)
        if credits:
            _add_credits(out, credits)
        p = _MORE_TAIL.sub("", p)
        if p:
            out.paragraphs.append(p)
    return out


def is_caption_like(p: str) -> bool:
    """An image credit that leaked into the body, e.g. ending in （图片来源：…）."""
    return bool(_IMAGE_SOURCE.search(p)) and len(p) < 300
