"""Known outlets: names as they appear in documents, web domains, and home time zones.

The home time zone is where an outlet's newsroom clock runs; readers use it to place
local times that a document gives without an offset (see docs/corpus.md).
"""

from __future__ import annotations

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
           ("自由亚洲电台", "自由亞洲電台", "rfa", "radio free asia"), ("rfa.org",)),
    Outlet("Voice of America", "America/New_York",
           ("美国之音", "美國之音", "voa", "voice of america", "美国之音中文网", "美國之音中文網"),
           ("voachinese.com", "voanews.com", "voacantonese.com")),
    Outlet("The New York Times Chinese", "Asia/Shanghai",
           ("纽约时报中文网", "紐約時報中文網", "nytimes chinese", "the new york times chinese"),
           ("cn.nytimes.com", "cn.nytstyle.com")),
    Outlet("The New York Times", "America/New_York",
           ("纽约时报", "紐約時報", "the new york times", "new york times", "nyt"), ("nytimes.com",)),
    Outlet("RFI", "Europe/Paris",
           ("法广", "法廣", "法国国际广播电台", "法國國際廣播電台", "rfi", "radio france internationale"),
           ("rfi.fr",)),
    Outlet("BBC News", "Europe/London",
           ("bbc", "bbc news", "bbc中文网", "bbc中文網", "bbc news 中文"), ("bbc.com", "bbc.co.uk")),
    Outlet("Deutsche Welle", "Europe/Berlin",
           ("德国之声", "德國之聲", "dw", "deutsche welle"), ("dw.com",)),
    Outlet("看中国", "America/New_York",
           ("看中国", "看中國", "secretchina", "kanzhongguo"), ("secretchina.com", "kanzhongguo.com")),
    Outlet("Xinhua", "Asia/Shanghai", ("新华社", "新華社", "xinhua"), ("news.cn", "xinhuanet.com")),
    Outlet("Reuters", "UTC", ("路透社", "reuters"), ("reuters.com",)),
)


def by_name(name: str | None) -> Outlet | None:
    """The outlet a name or alias refers to (case-insensitive, surrounding space ignored)."""
    if not name:
        return None
    key = name.strip().lower()
    for o in OUTLETS:
        if key == o.name.lower() or key in o.aliases:
            return o
    return None


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
