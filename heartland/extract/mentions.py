"""Actor mentions: one automaton pass over the normalised text, then context rules.

Rules applied after the leftmost-longest match:
- Latin names must stand on word boundaries; acronyms (``en_exact``) must match case.
- Blockers (哈萨克族 …) match and produce nothing.
- Compounds (中俄) produce one mention per state, one character each.
- Capitals with a ``metonym`` (北京, 莫斯科) are the government in political context and
  the place after a locative word or before a venue word.
"""

from __future__ import annotations

import re
from bisect import bisect_left

from heartland.extract.gazetteer import Gazetteer, fold, load_gazetteer
from heartland.extract.records import Mention

# Before the name: it is a location (在北京, 抵达阿斯塔纳, 访问莫斯科). 抵 covers the arrival
# verbs 抵达, 飞抵, 抵 (抵京 style); 到 covers 到访, 来到; 访 covers 来访/造访.
_LOC_BEFORE = re.compile(r"((在|位于|到|赴|抵|抵达|访问|访|前往|来自|飞往|飞赴|途经|返回|出访|驻|离开|首都|首府)|(\b(in|to|from|at|visited|visit|near|capital,?)\s+))$")
# After the name: a venue or sub-unit of the place (莫斯科音乐厅, 北京的冬奥会, 北京分社).
_LOC_AFTER = re.compile(r"^(的?(冬奥会|奥运|音乐厅|机场|大学|分社|时间|市|街头|郊外|花园|举行|举办|召开|峰会|袭击|恐怖袭击|爆炸|访问|智库|研究机构|非营利|"
                        r"国际|地铁|郊区|会议)|与.{0,12}(会谈|会晤|举行)|\s+(research|think|based|group|institute|office|bureau))")


# 现在北京 / 正在: 在 ending a word is not the locative 在.
_NOT_LOC_ZAI = re.compile(r"(现|正|存|实|所|自|好|还|仍|就|也)在$")
# A state, place or group name that opens an unknown organisation's name (香港中文大学,
# 俄罗斯中亚研究中心, Central Asian Development Institute) is part of that name, not a mention.
_ORG_SUFFIX_ZH = re.compile(r"^[\u4e00-\u9fff]{0,8}?(大学|学院|研究所|研究中心|研究院|学系|科学院|研究会|基金会)")
_ORG_STOP_ZH = re.compile(r"[的在与和对是将也从向于及、]")
# 与/和/及 inside the run joins two fields of one organisation's name (中国与亚太区域研究所)
# when no other name follows it: "中国与俄罗斯研究中心" stays two mentions.
_ORG_GLUE_ZH = re.compile(r"[与和及]")
_ORG_SUFFIX_EN = re.compile(r"^(?:\s+[A-Z][\w\-]*){0,4}\s+(Institute|University|Center|Centre|Foundation|Academy|"
                            r"Society|School|College)\b")
_ORG_PREFIX_EN = re.compile(r"\b(University|Institute|Academy|Center|Centre|Foundation|School|College)\s+"
                            r"(?:of|for)\s+(?:the\s+)?(?:[A-Z][\w\-]*\s+){0,2}$")
_PLAIN_KINDS = {"state", "group", "place"}


#: The words every organisation-name pattern above needs: an article without any of them
#: skips the patterns (most mentions are of states and places, each would try all three).
_ORG_WORDS_ZH = ("大学", "学院", "研究所", "研究中心", "研究院", "学系", "科学院", "研究会", "基金会")
_ORG_WORDS_EN = ("Institute", "University", "Center", "Centre", "Foundation", "Academy", "Society", "School",
                 "College")


#: Every position where an organisation word starts (lookaheads: overlapping ones too).
_ORG_WORD_AT_ZH = re.compile("(?=%s)" % "|".join(_ORG_WORDS_ZH))
_ORG_WORD_AT_EN = re.compile("(?=%s)" % "|".join(_ORG_WORDS_EN))


def _any_in(starts: list[int], lo: int, hi: int) -> bool:
    """Whether a position in the sorted ``starts`` lies in ``[lo, hi)``."""
    i = bisect_left(starts, lo)
    return i < len(starts) and starts[i] < hi


def _org_run_ok(run: str, m: Mention, all_starts: list[int] | None) -> bool:
    """Whether ``run`` (the text from the name's end to its organisation suffix) continues
    the organisation's name: no stop character, or only 与/和/及 with no name after them."""
    stops = list(_ORG_STOP_ZH.finditer(run))
    if not stops:
        return True
    if all_starts is None or not all(_ORG_GLUE_ZH.fullmatch(x.group()) for x in stops):
        return False
    return not _any_in(all_starts, m.end + stops[0].end(), m.end + len(run))


def _inside_unknown_org(normalised: str, m: Mention, org_starts: list[int], zh: bool | list[int] = True,
                        en: bool | list[int] = True, all_starts: list[int] | None = None) -> bool:
    """``zh``/``en``: whether the article holds any Chinese/English organisation word, or
    the sorted positions where one starts (a pattern below can only match with such a word
    within its reach, so the others are not tried). ``all_starts``: the sorted starts of
    every mention (a name after 与 keeps the 与 a stop)."""
    after = None
    om = None
    # _ORG_SUFFIX_ZH: the word starts at most 8 characters after the name.
    if zh is True or (zh and _any_in(zh, m.end, m.end + 9)):
        after = normalised[m.end:m.end + 60]
        om = _ORG_SUFFIX_ZH.match(after)
    if om and _org_run_ok(om.group(), m, all_starts):
        return not any(m.end <= s < m.end + om.end() - len(om.group(1)) for s in org_starts)
    if not en:
        return False
    # _ORG_SUFFIX_EN: the word starts within the 60 characters after the name.
    if m.surface[:1].isupper() and (en is True or _any_in(en, m.end, m.end + 60)):
        om = _ORG_SUFFIX_EN.match(after if after is not None else normalised[m.end:m.end + 60])
        if om:
            return not any(m.end <= s < m.end + om.end() for s in org_starts)
    # University of Central Asia, Institute for Central Asian Studies: the word starts within
    # the 40 characters before the name.
    if en is not True and not _any_in(en, max(0, m.start - 40), m.start):
        return False
    return bool(_ORG_PREFIX_EN.search(normalised[max(0, m.start - 40):m.start]))


def _word_char(ch: str) -> bool:
    return ch.isascii() and (ch.isalnum() or ch == "_")


def find_mentions(normalised: str, original: str | None = None, gaz: Gazetteer | None = None,
                  article_id: str = "") -> list[Mention]:
    gaz = gaz or load_gazetteer()
    original = original if original is not None else normalised
    folded = fold(normalised)
    out: list[Mention] = []
    for end_idx, (key, pat) in gaz.automaton.iter_long(folded):
        start = end_idx - len(key) + 1
        end = end_idx + 1
        if not pat.ids:
            continue
        if pat.latin:
            if (start > 0 and _word_char(folded[start - 1])) or (end < len(folded) and _word_char(folded[end])):
                continue
            if pat.exact is not None and normalised[start:end] != pat.exact:
                continue
            if pat.exact is None and not normalised[start].isupper() and len(key) <= 12 and " " not in key:
                continue  # proper nouns are capitalised: "china" in a URL slug is not a mention
        if len(pat.ids) > 1 and len(key) == len(pat.ids):
            for i, actor in enumerate(pat.ids):
                e = gaz.entry(actor)
                out.append(Mention(actor=actor, kind=e.kind if e else "state", surface=original[start + i],
                                   start=start + i, end=start + i + 1, article_id=article_id))
            continue
        actor = pat.ids[0]
        e = gaz.entry(actor)
        kind = e.kind if e else "state"
        metonym = False
        if e is not None and e.metonym:
            before = normalised[max(0, start - 9):start]
            after = normalised[end:end + 16]
            loc = _LOC_BEFORE.search(before)
            if loc and loc.group().endswith("在") and _NOT_LOC_ZAI.search(before):
                loc = None
            is_place = bool(loc or _LOC_AFTER.search(after))
            if e.always_metonym or not is_place:
                actor, kind, metonym = e.metonym, "state", True
        out.append(Mention(actor=actor, kind=kind, surface=original[start:end], start=start, end=end,
                           metonym=metonym, article_id=article_id))
    org_starts = [m.start for m in out if m.kind not in _PLAIN_KINDS and m.kind != "person"]
    zh = [m.start() for m in _ORG_WORD_AT_ZH.finditer(normalised)]
    en = [m.start() for m in _ORG_WORD_AT_EN.finditer(normalised)]
    all_starts = [m.start for m in out]
    return [m for m in out if m.kind not in _PLAIN_KINDS or
            not _inside_unknown_org(normalised, m, org_starts, zh, en, all_starts)]
