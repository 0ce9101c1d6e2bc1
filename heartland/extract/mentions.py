"""Actor mentions: one automaton pass over the normalised text, then context rules.

Rules applied after the leftmost-longest match:
- Latin names must stand on word boundaries; acronyms (``en_exact``) must match case.
- Blockers (哈萨克族 …) match and produce nothing.
- Compounds (中俄) produce one mention per state, one character each.
- Capitals with a ``metonym`` (北京, 莫斯科) are the government in political context and
  the place after a locative word or before a venue word.
"""

from __future__ import annotations

import os
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
                  article_id: str = "", new_names: bool = True, notes: list[str] | None = None) -> list[Mention]:
    """Gazetteer mentions (reason ``gazetteer``), plus — with ``new_names`` — people and
    organisations the gazetteer lacks (``find_new_names``), in text order."""
    gaz = gaz or load_gazetteer()
    found = _gazetteer_mentions(normalised, original, gaz, article_id)
    if new_names and os.environ.get("HEARTLAND_TAGGER", "1") != "0":
        found = sorted(found + find_new_names(normalised, original if original is not None else normalised,
                                              found, gaz, article_id, notes), key=lambda m: (m.start, m.end))
    return found


def _gazetteer_mentions(normalised: str, original: str | None, gaz: Gazetteer, article_id: str) -> list[Mention]:
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


# --- names the gazetteer lacks (docs/extract.md, "Names the gazetteer lacks") -----------

import logging  # noqa: E402

import sys  # noqa: E402

_log = logging.getLogger(__name__)
_WARNED: list[bool] = []

#: Confidence of a name found by the statistical tagger (LAC) or the English rules.
CONF_PERSON_FULL = 0.8      # a person's name with a given-name part (·) or a Latin gloss
CONF_PERSON = 0.7           # a person's name of three or more characters
CONF_PERSON_SHORT = 0.5     # a two-character name (one token: 王辉, 高峰 …)
CONF_ORG = 0.6              # an organisation
CONF_EN_RULE = 0.5          # English capitalised-name rules

_CJK = re.compile(r"[\u4e00-\u9fff]")
_CJK_RUN = re.compile(r"[\u4e00-\u9fff]{20}")
# Titles and descriptors the tagger sometimes folds into a name; cut from either end.
_TITLES = ("副总统", "总统", "副总理", "总理", "国家主席", "主席", "外长", "外交部长", "部长", "副部长", "发言人",
           "大使", "总书记", "书记", "国务卿", "国务委员", "议长", "首相", "总干事", "秘书长", "主任", "局长", "院长",
           "教授", "博士", "先生", "女士", "记者", "特派员", "分析师", "学者", "研究员", "专家", "领导人", "总裁",
           "董事长", "将军", "上将", "顾问", "代表", "特使", "司令", "夫人", "妻子", "丈夫", "律师", "议员", "官员")
_TITLE_RX = re.compile("^(?:%s)+|(?:%s)+$" % ("|".join(_TITLES), "|".join(_TITLES)))
# Not names: states (-斯坦), peoples, generic words LAC tags PER/ORG.
_NOT_PERSON = re.compile(r"(斯坦|[国族人方]|政府|当局|官方)$|^(中|俄|美|哈|吉|塔|乌|土)$|^(路透|法新|美联|新华)|周[一二三四五六日末]|[成万亿%]|退休")
_NOT_ORG = re.compile(r"^(政府|当局|官方|国会|议会|外交部|国防部|军方|警方|该组织|组织|公司|大学|中央|中共|共产党)$")
_NAME_DOT = "·•・‧．.-"
_NAME_CHAR = re.compile(r"[\u4e00-\u9fffA-Za-z0-9]")
_NOT_NAME_CHAR = re.compile(r"[^\u4e00-\u9fffA-Za-z0-9·•・‧．.\-]")
_ORG_END = re.compile(r"(委员会|组织|部|局|署|厅|社|党|会|院|所|中心|银行|公司|集团|大学|学院|电台|电视台|报|法院|政府)$")
_LATIN_GLOSS = re.compile(r"\s?[（(]\s*(?:音译[，,]\s*)?([A-Z][A-Za-zÀ-ɏ'’.\- ]{1,60}?)\s*(?:[，,][^）)]{0,20})?[）)]")
_TRANSLIT = set("阿艾埃安奥巴拜贝比波博布查达德蒂迪杜多尔法菲弗福戈格古哈汗赫霍基吉加杰捷卡凯坎科克库拉莱赖兰劳勒雷里利列林卢鲁罗洛马迈曼梅米莫姆穆纳娜内尼努诺帕佩皮普齐奇恰萨塞桑瑟莎舍什斯苏索塔泰坦特提托瓦维温沃乌西希谢辛亚扬耶伊因尤扎泽札兹佐夫娃耶别姆")


def _slug_en(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")


def _new_id(kind: str, name: str) -> str:
    return ("person:" if kind == "person" else "org:") + re.sub(r"\s+", "_", name.strip())


_NAME_STOP = set("的在说表与和等是及被对向称也曾则于将并就从为已又还指认告强之")


def _extend_name(norm: str, s: int, e: int, ent_end: dict[int, int]) -> tuple[int, int]:
    """A name is not cut at its dot: 木拉格尔．阿里木 tagged as two pieces is one name.
    After a dot the name runs to the end of the entity starting there, else over up to
    six CJK characters that are not function words; likewise before a leading dot."""
    n = len(norm)
    for _ in range(3):
        if e < n and norm[e - 1] not in _NAME_DOT and norm[e] in _NAME_DOT and e + 1 < n and _CJK.match(norm[e + 1]):
            e += 1
        if norm[e - 1] not in _NAME_DOT:
            break
        if e in ent_end:
            e = ent_end[e]
            continue
        k = e
        while k < n and k - e < 6 and _CJK.match(norm[k]) and norm[k] not in _NAME_STOP:
            k += 1
        if k == e:
            e -= 1
        e = k
        break
    while s >= 2 and norm[s - 1] in _NAME_DOT and _CJK.match(norm[s - 2]):
        k = s - 1
        while k > 0 and s - 1 - k < 6 and _CJK.match(norm[k - 1]) and norm[k - 1] not in _NAME_STOP:
            k -= 1
        if k == s - 1:
            break
        s = k
    return s, e


def _tagger_mentions(normalised: str, original: str, out: list[Mention], gaz: Gazetteer,
                     article_id: str, notes: list[str] | None) -> list[Mention]:
    from heartland.extract import tagger
    try:
        model = tagger.load()
    except tagger.TaggerUnavailable:
        if not _WARNED:   # one clear line per process, no traceback
            _WARNED.append(True)
            print(tagger.unavailable_message(), file=sys.stderr)
        return []
    try:
        ents = tagger.tag_text(normalised, model)
    except Exception as e:  # the article keeps its other evidence
        msg = f"tagger failed on {article_id or 'article'}: {type(e).__name__}: {e}"
        _log.warning(msg)
        if notes is not None:
            notes.append(msg)
        return []
    taken = sorted((m.start, m.end) for m in out)
    starts = [t[0] for t in taken]

    def overlaps(s: int, e: int) -> bool:
        i = bisect_left(starts, e)
        return any(ts < e and te > s for ts, te in taken[max(0, i - 8):i])

    new: list[Mention] = []
    aliases: dict[str, tuple[str, str]] = {}   # name part -> (id, kind)
    ent_end = {x.start: x.end for x in ents}
    last_end = 0
    for ent in ents:
        if ent.label not in ("PER", "ORG") or ent.start < last_end:
            continue
        kind = "person" if ent.label == "PER" else "organisation"
        s, e = ent.start, ent.end
        # a name holds no punctuation or space other than its dots
        cut = _NOT_NAME_CHAR.search(normalised, s, e)
        if cut:
            e = cut.start()
        while s < e and not _NAME_CHAR.match(normalised[s]):
            s += 1
        if e <= s:
            continue
        if kind == "person":
            s, e = _extend_name(normalised, s, e, ent_end)
        if kind == "person" and _ORG_END.search(normalised[s:e]):
            kind = "organisation"
        name = normalised[s:e]
        tm = _TITLE_RX.search(name)
        while tm and tm.group() and len(name) > len(tm.group()):
            if tm.start() == 0:
                s += tm.end()
            else:
                e -= len(tm.group())
            name = normalised[s:e]
            tm = _TITLE_RX.search(name)
        name = name.strip(_NAME_DOT + " ")
        if len(name) < 2 or not _CJK.search(name):
            continue
        if kind == "person" and (_NOT_PERSON.search(name) or _TITLE_RX.fullmatch(name)):
            continue
        if kind == "organisation" and _NOT_ORG.match(name):
            continue
        if name.startswith("人") or name.startswith("族"):
            continue
        if overlaps(s, e) or s < last_end:
            continue
        hit = gaz.automaton.get(fold(name), None)
        if hit is not None and hit[1].ids:
            # a name the gazetteer knows but did not report here was dropped by its rules
            # (a state the tagger called a person, 吉尔吉斯斯坦 → PER; a metonym; a blocker)
            continue
        gloss = _LATIN_GLOSS.match(normalised, e)
        if name in aliases:
            actor, kind = aliases[name]
            conf = CONF_PERSON if kind == "person" else CONF_ORG
        elif kind == "person":
            parts = [p for p in re.split("[%s]" % re.escape(_NAME_DOT), name) if len(p) >= 2]
            actor = _new_id(kind, name)
            if gloss and kind == "person":
                actor = "person:" + _slug_en(gloss.group(1))
            conf = CONF_PERSON_FULL if (len(parts) > 1 or gloss) else CONF_PERSON if len(name) >= 3 else CONF_PERSON_SHORT
            aliases.setdefault(name, (actor, kind))
            if len(parts) > 1:
                aliases.setdefault(parts[-1], (actor, kind))
                aliases.setdefault(parts[0], (actor, kind))
        else:
            actor = _new_id(kind, name)
            conf = CONF_ORG
            aliases.setdefault(name, (actor, kind))
        if gloss:
            e = gloss.end()   # the fullest form: 中文名（Latin Name）
        new.append(Mention(actor=actor, kind=kind, surface=original[s:e], start=s, end=e,
                           article_id=article_id, confidence=conf, reason="tagger"))
        last_end = e
    return _unify_people(new, normalised)


_CREDIT = re.compile(r"(译者|编译|编辑|核稿|审校|责编|摄影|记者|特派员|撰稿|作者)[：:／/]?\s*$")


def _unify_people(new: list[Mention], normalised: str) -> list[Mention]:
    """One id per person in an article: a short form (the family name after the dot, the
    name without its Latin gloss, a cut of a longer name) takes the id of the longest name
    that holds it, wherever that stands in the article. Credit-line names (译者：林治平,
    记者何宏儒) are no mentions."""
    out = [m for m in new if not (m.kind == "person" and _CREDIT.search(normalised[max(0, m.start - 6):m.start]))]
    people = [m for m in out if m.kind == "person" and m.reason == "tagger"]
    full: list[tuple[str, str]] = []     # (bare Chinese name, id), longest first
    for m in people:
        bare = re.split(r"\s?[（(]", normalised[m.start:m.end])[0]
        full.append((bare, m.actor))
    full.sort(key=lambda x: -len(x[0]))
    for m in people:
        bare = re.split(r"\s?[（(]", normalised[m.start:m.end])[0]
        for name, actor in full:
            if actor == m.actor or len(name) <= len(bare):
                continue
            parts = [p for p in re.split("[%s]" % re.escape(_NAME_DOT), name) if p]
            if bare in parts or (len(bare) >= 2 and (name.startswith(bare) or name.endswith(bare))):
                m.actor = actor
                break
    return out


# English names the gazetteer lacks: capitalised 2–4 word sequences in name positions.
_CAP = r"[A-Z][a-zà-ÿ]+(?:[-'’][A-Z]?[a-zà-ÿ]+)?"
_EN_NAME = rf"{_CAP}(?:\s+{_CAP}){{1,3}}"
_EN_PERSON = re.compile(
    rf"(?:(?<=said )|(?<=told )|(?<=according to )|(?<=says ))(?P<a>{_EN_NAME})\b"
    rf"|\b(?P<b>{_EN_NAME}),\s+(?:a|an|the|who|head|director|chairman|president|minister|spokesman|spokeswoman)\b"
    rf"|\b(?P<c>{_EN_NAME})\s+(?:said|told|says|added|noted|wrote|argued|explained)\b")
_ORG_WORDS = (r"Ministry|Party|Committee|Council|Bank|University|Institute|Agency|Company|Commission|Corporation|"
              r"Foundation|Fund|Organi[sz]ation|Court|Parliament|Assembly|Service|Centre|Center|Alliance|Union|"
              r"Academy|Bureau|Office|Forum|Group|Association")
_EN_CAPW = r"(?:[A-Z][\w'’&-]*)"
_EN_ORG = re.compile(rf"{_EN_CAPW}(?:\s+(?:(?:of|for|on|and|the|de)\s+)*{_EN_CAPW})+")
_EN_ORG_WORD = re.compile(rf"\b(?:{_ORG_WORDS})\b")
_EN_STOP = {"The", "A", "An", "In", "On", "At", "But", "And", "This", "That", "It", "He", "She", "They", "We",
            "January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
            "November", "December", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday",
            "Mr", "Mrs", "Ms", "Dr", "President", "Prime", "Minister", "Foreign", "According"}


def _english_mentions(text: str, original: str, out: list[Mention], article_id: str) -> list[Mention]:
    taken = [(m.start, m.end) for m in out]
    plain = [m for m in out if m.kind in ("state", "place") and m.reason == "gazetteer"]
    new: list[Mention] = []

    def free(s: int, e: int) -> bool:
        return not any(ts < e and te > s for ts, te in taken)

    for m in _EN_PERSON.finditer(text):
        g = next(k for k in "abc" if m.group(k))
        s, e = m.span(g)
        words = text[s:e].split()
        while words and words[0] in _EN_STOP:
            s += len(words[0]) + (len(text[s + len(words[0]):]) - len(text[s + len(words[0]):].lstrip()))
            words = words[1:]
        if len(words) < 2 or not free(s, e) or any(w in _EN_STOP for w in words):
            continue
        name = " ".join(words)
        taken.append((s, e))
        new.append(Mention(actor="person:" + _slug_en(name), kind="person", surface=original[s:e], start=s, end=e,
                           article_id=article_id, confidence=CONF_EN_RULE, reason="rule_en"))
    # the last name alone later in the article is the same person ("Berk added")
    for pm in list(new):
        last = pm.surface.split()[-1]
        if len(last) < 3:
            continue
        for mm in re.finditer(r"\b%s\b" % re.escape(last), text):
            if free(mm.start(), mm.end()):
                taken.append(mm.span())
                new.append(Mention(actor=pm.actor, kind="person", surface=original[mm.start():mm.end()],
                                   start=mm.start(), end=mm.end(), article_id=article_id,
                                   confidence=CONF_EN_RULE, reason="rule_en"))
    for m in _EN_ORG.finditer(text):
        if not _EN_ORG_WORD.search(m.group()):
            continue
        s, e = m.span()
        while True:
            w = re.match(r"(?:The|A|An|In|On|At|But|And|This|That|Its|His|Her|Their|According)\s+", text[s:e])
            if not w:
                break
            s += w.end()
        inner = [ts for ts, te in taken if ts < e and te > s]
        # "Islamic Renaissance Party of Tajikistan": a name ending in "of <state>" is whole, and the
        # state stays a mention too (they overlap)
        tail_state = next((x for x in plain if s < x.start and x.end <= e and text[s:x.start].endswith(" of ")
                           and not any(ts < x.start and te > s for ts, te in taken)), None)
        if tail_state is not None and _EN_ORG_WORD.search(text[s:tail_state.start]) and free(s, tail_state.start):
            e = tail_state.end
            name = text[s:e]
            taken.append((s, e))
            new.append(Mention(actor="org:" + _slug_en(name), kind="organisation", surface=original[s:e], start=s,
                               end=e, article_id=article_id, confidence=CONF_EN_RULE, reason="rule_en"))
            continue
        if inner and min(inner) > s:   # "Ministry of Energy of Uzbekistan": the state stays a mention
            e = min(inner)
            e = s + len(re.sub(r"(\s+(?:of|for|on|and|the|de))*\s*$", "", text[s:e]))
        name = text[s:e]
        if " " not in name or not free(s, e) or not _EN_ORG_WORD.search(name):
            continue
        taken.append((s, e))
        new.append(Mention(actor="org:" + _slug_en(name), kind="organisation", surface=original[s:e], start=s, end=e,
                           article_id=article_id, confidence=CONF_EN_RULE, reason="rule_en"))
    return new


# A body of a state or place the gazetteer lacks, named with the state first: 吉尔吉斯卫生部,
# 塔吉克斯坦边防局, 美国国际开发署, 中国驻哈萨克斯坦阿拉木图总领事馆. The state stays a mention too.
_BODY_END = re.compile(r"(?:总领事馆|领事馆|大使馆|办事处|总统府|总统办公室|办公室|新闻处|议会|国会|参议院|众议院|法院|"
                       r"委员会|理事会|部门|中心|银行|通讯社|电视台|电台|部|局|署|厅)")
#: words that hold a body word without naming a body (局势, 部队, 当局, 部署)
_BODY_BAD = re.compile(r"(?:局势|局面|部分|部署|签署|部队|部长会议|处理|署名|厅长|音乐厅|[餐大展客舞]厅|[政当大格结布时全开残]局|[东西南北中内外全]部)")
_BODY_STEM_STOP = set("的在与和及或同跟对是将也从向于、等了着过并被把为已又还说称表示指认告强之其该此这那各个一两三四五六七八九十几多有无不")
#: a descriptor between the state and the body's own name: the name starts after it
_BODY_DESCRIPTOR = re.compile(r".*?(?:政府|当局|官方|智库|机构)")
_BODY_VERB = re.compile(r"兴建|修建|建立|成立|设立|开设|援建|资助|支持|提供|进入|前往|访问|关闭|批准|呈报|上报|提交")


def _state_bodies(normalised: str, original: str, known: list[Mention], article_id: str) -> list[Mention]:
    plain = sorted((m for m in known if m.kind in ("state", "place") and m.end - m.start >= 2 and m.reason == "gazetteer"),
                   key=lambda m: m.start)
    by_start = {m.start: m for m in plain}
    others = [(m.start, m.end) for m in known if m.kind not in _PLAIN_KINDS]
    out: list[Mention] = []
    bodies: list[tuple[str, str, Mention]] = []
    last = -1
    for m in plain:
        if m.start < last:
            continue
        e = m.end
        # 驻 + further states and places: 中国驻哈萨克斯坦阿拉木图总领事馆
        if m.start > 0 and normalised[m.start - 1] == "驻":
            continue   # 联合国驻哈萨克办事处: the body belongs to the name before 驻
        if normalised[e:e + 1] == "驻" and (e + 1) in by_start:
            e = by_start[e + 1].end
            while e in by_start:
                e = by_start[e].end
        best = None
        k = e
        while (k < len(normalised) and k - e < 10 and _CJK.match(normalised[k]) and normalised[k] not in _BODY_STEM_STOP
               and k not in by_start):   # another state or place starts its own body
            k += 1
            tail = normalised[e:k]
            bm = re.search(r"(?:%s)$" % _BODY_END.pattern, tail)
            if not bm:
                continue
            stem = tail[:bm.start()]
            word = bm.group()
            if len(word) == 1 and len(stem) < 2:
                continue
            if not stem and word not in ("总领事馆", "领事馆", "大使馆", "议会", "国会", "参议院", "众议院", "总统府",
                                         "总统办公室", "办事处"):
                continue
            if _BODY_BAD.search(normalised, max(e, k - 3), k + 2) or _BODY_VERB.search(stem):
                continue
            best = k
        if best is None and m.kind == "place" and normalised[e - 1] in "省市州县" and normalised.startswith("政府", e):
            best = e + 2   # a province's or city's government named with its unit (甘肃省政府) is a body
        if best is None or any(s < best and m.start < t for s, t in others):
            continue
        s0 = m.start
        d = _BODY_DESCRIPTOR.match(normalised, e, best)
        if d and best - d.end() >= 3:
            s0 = d.end()   # 哈萨克斯坦政府阿克莫拉州移民厅 → 阿克莫拉州移民厅
        name = normalised[s0:best]
        body = normalised[e:best] if s0 == m.start else name
        out.append(Mention(actor=_new_id("organisation", name), kind="organisation", surface=original[s0:best],
                           start=s0, end=best, article_id=article_id, confidence=CONF_ORG, reason="state_body"))
        bodies.append((m.actor, body, out[-1]))
        last = best
    # one body, one id: 吉尔吉斯斯坦选举委员会 is the 吉尔吉斯斯坦全国选举委员会 named before
    for state, body, mm in bodies:
        longer = [x for st, b, x in bodies if st == state and len(b) > len(body) and b.endswith(body)]
        if longer:
            mm.actor = longer[0].actor
    return out


# The English form: "Chinese Embassy", "Kyrgyzstan's Foreign Ministry", "U.S. Embassy".
_EN_BODY = re.compile(r"(?:'s|’s)?\s+((?:[A-Z][a-z]+\s+){0,2}(?:Embassy|Consulate|Ministry|Parliament|"
                      r"Election Commission|Security Council|Presidential Administration|Border Service|Border Guards))\b")


def _state_bodies_en(text: str, original: str, known: list[Mention], article_id: str) -> list[Mention]:
    out = []
    for m in known:
        if m.kind != "state" or m.reason != "gazetteer" or not m.surface[:1].isupper():
            continue
        b = _EN_BODY.match(text, m.end)
        if b is None or any(x.start < b.end() and m.end < x.end and x is not m for x in known):
            continue
        name = text[m.start:b.end()]
        out.append(Mention(actor="org:" + _slug_en(name), kind="organisation", surface=original[m.start:b.end()],
                           start=m.start, end=b.end(), article_id=article_id, confidence=CONF_EN_RULE,
                           reason="state_body"))
    return out


def find_new_names(normalised: str, original: str, known: list[Mention], gaz: Gazetteer | None = None,
                   article_id: str = "", notes: list[str] | None = None) -> list[Mention]:
    """People and organisations the gazetteer lacks: the LAC tagger on Chinese text, the
    English rules on Latin text. ``notes`` collects a tagger failure (the article keeps
    the gazetteer's mentions)."""
    gaz = gaz or load_gazetteer()
    new: list[Mention] = []
    if _CJK.search(normalised):
        new = _tagger_mentions(normalised, original, known, gaz, article_id, notes)
        new += _state_bodies(normalised, original, known + new, article_id)
    if re.search(r"[A-Z][a-z]+ [A-Z][a-z]+", normalised):
        new += _english_mentions(normalised, original, known + new, article_id)
        new += _state_bodies_en(normalised, original, known + new, article_id)
    return new
