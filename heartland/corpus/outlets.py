"""Known outlets: names as they appear in documents, web domains, and home time zones.

The home time zone is where an outlet's newsroom clock runs; readers use it to place
local times that a document gives without an offset (see docs/corpus.md).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit


@dataclass(frozen=True)
class Outlet:
    name: str
    tz: str
    aliases: tuple[str, ...]
    domains: tuple[str, ...]


OUTLETS: tuple[Outlet, ...] = (
    Outlet("Radio Free Asia", "America/New_York",
           ("自由亚洲电台", "自由亞洲電台", "rfa", "radio free asia", "自由亚洲电台普通话"), ("rfa.org",)),
    Outlet("Voice of America", "America/New_York",
           ("美国之音", "美國之音", "voa", "voice of america", "美国之音中文网", "美國之音中文網"),
           ("voachinese.com", "voanews.com", "voacantonese.com")),
    Outlet("The New York Times Chinese", "Asia/Shanghai",
           ("纽约时报中文网", "紐約時報中文網", "nytimes chinese", "the new york times chinese"),
           ("cn.nytimes.com", "cn.nytstyle.com")),
    Outlet("The New York Times", "America/New_York",
           ("纽约时报", "紐約時報", "the new york times", "new york times", "nyt"), ("nytimes.com",)),
    Outlet("RFI", "Europe/Paris",
           ("法广", "法廣", "法国国际广播电台", "法國國際廣播電台", "rfi", "radio france internationale",
            "法国国际广播电台 - rfi", "rfi 华语", "rfi 華語"),
           ("rfi.fr",)),
    Outlet("BBC News", "Europe/London",
           ("bbc", "bbc news", "bbc中文网", "bbc中文網", "bbc news 中文", "bbc chinese", "bbc中文",
            "英国广播公司", "英國廣播公司"), ("bbc.com", "bbc.co.uk")),
    Outlet("Deutsche Welle", "Europe/Berlin",
           ("德国之声", "德國之聲", "dw", "deutsche welle", "德国之声中文网", "德國之聲中文網",
            "dw chinese"), ("dw.com",)),
    Outlet("看中国", "America/New_York",
           ("看中国", "看中國", "secretchina", "kanzhongguo"), ("secretchina.com", "kanzhongguo.com")),
    Outlet("Xinhua", "Asia/Shanghai", ("新华社", "新華社", "xinhua", "新华网", "新華網"),
           ("news.cn", "xinhuanet.com")),
    Outlet("Reuters", "UTC", ("路透社", "reuters", "路透", "路透中文", "路透中文网", "路透中文網",
                              "reuters chinese"), ("reuters.com",)),
    Outlet("AFP", "Europe/Paris", ("法新社", "afp", "agence france-presse", "agence france presse"),
           ("afp.com",)),
    Outlet("Central News Agency", "Asia/Taipei",
           ("中央社", "中央通讯社", "中央通訊社", "cna", "中央社cna", "central news agency",
            "focus taiwan"), ("cna.com.tw", "focustaiwan.tw")),
    Outlet("Lianhe Zaobao", "Asia/Singapore",
           ("联合早报", "聯合早報", "zaobao", "lianhe zaobao", "联合早报网", "聯合早報網", "早报", "早報"),
           ("zaobao.com", "zaobao.com.sg", "zaobao.sg")),
    Outlet("Epoch Times", "America/New_York",
           ("大纪元", "大紀元", "epoch times", "the epoch times", "大纪元时报", "大紀元時報", "大纪元新闻网",
            "大紀元新聞網"), ("epochtimes.com", "theepochtimes.com")),
    Outlet("NTDTV", "America/New_York",
           ("新唐人", "新唐人电视台", "新唐人電視台", "ntd", "ntdtv", "ntd television"), ("ntdtv.com",)),
    Outlet("Radio Taiwan International", "Asia/Taipei",
           ("中央廣播電臺", "中央广播电台", "中央廣播電台", "中央广播电臺", "央廣", "央广", "rti",
            "rti 中央廣播電臺", "radio taiwan international"), ("rti.org.tw",)),
    Outlet("Bitter Winter", "Europe/Rome", ("寒冬", "bitter winter"), ("bitterwinter.org",)),
    Outlet("Nei.st", "UTC", ("nei.st", "neist"), ("nei.st",)),
    Outlet("The Economist", "Europe/London",
           ("经济学人", "經濟學人", "economist", "the economist", "经济学人en", "經濟學人en"),
           ("economist.com",)),
    Outlet("RFE/RL", "Europe/Prague",
           ("rfe/rl", "radio free europe/radio liberty", "radio free europe", "radio liberty",
            "自由欧洲电台", "自由歐洲電台", "rferl"), ("rferl.org",)),
    Outlet("People's Daily", "Asia/Shanghai",
           ("人民日报", "人民日報", "people's daily", "people's daily online", "人民网", "人民網",
            "peoples daily"), ("people.cn", "people.com.cn")),
    Outlet("24.kg", "Asia/Bishkek", ("24.kg", "24kg", "24.kg news agency"), ("24.kg",)),
    Outlet("The Times of Central Asia", "Asia/Almaty",
           ("the times of central asia", "times of central asia", "timesca"), ("timesca.com",)),
    Outlet("bne IntelliNews", "UTC", ("bne intellinews", "intellinews", "bne"), ("intellinews.com",)),
    Outlet("The Defense Post", "UTC", ("the defense post", "defense post"), ("thedefensepost.com",)),
    Outlet("The Nation", "Asia/Karachi", ("the nation", "the nation (pakistan)", "nation.com.pk"),
           ("nation.com.pk",)),
)


def by_name(name: str | None) -> Outlet | None:
    """The outlet a name or alias refers to (case-insensitive, surrounding space ignored)."""
    if not name:
        return None
    key = name.strip().lower()
    for cand in _keys(key):
        o = _BY_KEY.get(cand)
        if o is not None:
            return o
    return None


# A region tag before the name ("(臺)中央社CNA"), a parenthetical after it ("The Nation
# (Pakistan)"), a language suffix ("经济学人en"); spaces inside CJK names ("RTI 中央廣播電臺").
_REGION_TAG = re.compile(r"^[(（][^)）]{1,4}[)）]\s*")
_TRAILING_PAREN = re.compile(r"\s*[(（][^)）]*[)）]\s*$")
_LANG_SUFFIX = re.compile(r"(?<=[\u4e00-\u9fff])\s*(?:en|cn|zh)$")


def _keys(key: str) -> list[str]:
    out = [key]
    k = _REGION_TAG.sub("", key)
    k = _TRAILING_PAREN.sub("", k) or k
    k2 = _LANG_SUFFIX.sub("", k)
    for c in (k, k2, k2.replace(" ", "")):
        if c and c not in out:
            out.append(c)
    return out


_BY_KEY: dict[str, Outlet] = {}
for _o in OUTLETS:
    for _a in (_o.name.lower(), *_o.aliases):
        _BY_KEY.setdefault(_a.lower(), _o)


def by_url(url: str | None) -> Outlet | None:
    """The outlet whose domain (or a subdomain of it) serves ``url``; most specific wins."""
    if not url:
        return None
    try:
        host = (urlsplit(url).hostname or "").lower()
    except ValueError:
        return None
    best: tuple[int, Outlet] | None = None
    for o in OUTLETS:
        for d in o.domains:
            if host == d or host.endswith("." + d):
                if best is None or len(d) > best[0]:
                    best = (len(d), o)
    return best[1] if best else None


def canonical(name: str | None) -> str | None:
    """The canonical outlet name for a name/alias; unknown names come back as written."""
    o = by_name(name)
    return o.name if o else (name.strip() if name and name.strip() else None)
