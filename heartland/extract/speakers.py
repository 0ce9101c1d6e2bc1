"""Who can speak in an article: speaker candidates and the subject of a speech verb.

A *candidate* is a span that names someone who can make a statement: a person, an
organisation (ministry, agency, embassy, commission, media outlet, think tank…) or a state
(China, 北京方面, 中国官方). Candidates come from the article's mentions, whatever found them
(the gazetteer, the statistical tagger), and from fallbacks of our own for names neither
knows:

- ``中文名（Latin Name）`` / ``中文名 (Latin Name)``: the Chinese name runs back from the
  parenthesis to the nearest title, organisation word or boundary (总统秦贝科夫（… → 秦贝科夫);
- a title or organisation word followed by a name: a run of transliteration characters
  (学者格罗津, 发言人扎哈罗娃) or a Chinese name (surname + one or two characters, 发言人华春莹,
  大使张霄), the name ending where a speech verb, a date or an adverb begins;
- dotted transliterated names (麦力开•玛合木提, 索隆拜・热恩别科夫);
- an unknown body named before a speech verb: a run ending in an organisation word
  (吉尔吉斯斯坦中央选举委员会, 哈萨克卫生部, 美国国际开发署), or a state followed by 官方/方面/
  政府/当局 (中国官方 is the state);
- English: a capitalised two- or three-word name next to a speech verb or in an apposition,
  with titles cut off ("Deputy Prime Minister Zhenish Razakov said" → Zhenish Razakov).

A name found once is a candidate wherever it recurs (华春莹还说, 格罗津：“…”), and so is its
last part after a dot or space (麦力开 for 麦力开•玛合木提, Karimov for Aziz Karimov). Titles
alone (总统, 发言人) and fragments are never candidates: every fallback name must start at a
boundary (a title, an organisation word, punctuation or the clause start), so 扎帕罗夫 is not
cut to 帕洛夫.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from heartland.extract.records import Mention

PERSON = "person"
ORG = "organisation"
STATE = "state"

ORG_KINDS = {"think_tank", "university", "ministry", "party", "institution", "organisation", "media",
             "armed_group", "company", "agency", "org"}
STATE_KINDS = {"state", "group"}

# Characters of Chinese transliterations of foreign names (Xinhua's table, both directions
# of the common ones). A run of them before a speech verb or after a title is a name.
_TRANSLIT = set(
    "阿埃艾爱安昂奥澳巴拔白拜班邦保鲍贝本比彼毕别宾滨波伯勃博布查柴楚茨达大代戴丹道德登迪蒂丁东杜敦"
    "多厄恩尔法凡范菲费芬丰夫福弗富盖甘戈哥格根古瓜圭果哈海汉豪赫亨洪侯胡华怀霍基吉加贾杰金捷津卡凯坎"
    "康考柯科克肯库夸奎昆拉莱赖兰朗劳勒雷蕾黎里理丽利莉列林琳留卢鲁伦罗洛吕马玛迈麦曼芒梅门蒙孟米秘明"
    "缪摩莫姆穆纳奈南内尼涅宁纽努诺欧帕潘庞佩彭皮珀普齐奇契乔切琴丘萨塞赛桑瑟森沙莎善舍什施史舒斯松"
    "苏索塔泰坦汤唐特滕提图托瓦万旺威韦维温沃乌伍武西希锡夏谢辛休雅亚扬耶伊因英尤于约泽扎詹哲珍卓兹"
    "则佐娃娜娅妮丝琪芙蒂黛茜莎茨卜尹汗江坚拉仕办热依卡白孜艳力开合提木隆喜毛夏娃铁百"
)
# Words that are titles, roles or kin: what a name follows, never a name.
_TITLES = (
    "发言人|新闻发言人|副总统|总统|副总理|总理|国家主席|副主席|主席|外长|外交部长|部长|副部长|大使|公使|领事|"
    "参赞|主任|副主任|所长|院长|校长|行长|局长|处长|厅长|署长|议长|秘书长|总书记|书记|首相|国王|总干事|"
    "总裁|董事长|经理|首席执行官|首席经济学家|经济学家|经济学者|学者|专家|首席专家|研究员|高级研究员|副研究员|"
    "教授|副教授|讲师|博士|评论员|分析师|分析人士|记者|编辑|作家|律师|法官|检察官|官员|代表|特使|特别代表|"
    "顾问|助理|委员|成员|会员|创办人|创始人|负责人|领袖|领导人|主持人|组织者|发起人|志愿者|活动人士|"
    "公民|居民|村民|学生|商人|司机|医生|将军|上将|中将|少将|总参谋长|参谋长|司令|指挥官|警官|队长|"
    "团长|组长|队员|团员|发言人|妻子|丈夫|儿子|女儿|母亲|父亲|哥哥|姐姐|弟弟|妹妹|友人|朋友|家属|亲属|族人|人士|先生|女士"
)
# Words that end an organisation's name.
_ORG_END = (
    "外交部|国防部|商务部|卫生部|部|委员会|选举委员会|理事会|议会|国会|参议院|众议院|大使馆|"
    "领事馆|总领事馆|使馆|办公室|办事处|商务处|领侨处|处|署|局|厅|院|所|中心|研究所|研究院|大学|学院|代表团|"
    "银行|央行|公司|集团|机场|社|电台|电视台|日报|时报|报|组织|协会|学会|基金会|联盟|党|军|总部|交易所"
)
_STATE_SUFFIX = "官方|方面|政府|当局"
# What may follow a name before its verb: dates, adverbs, places of saying.
_AFTER_NAME = re.compile(
    r"[（(\s，,：:“「0-9０-９]|上周|本周|这周|这个|今天|今日|昨天|昨日|前天|当天|当晚|当日|日前|近日|此前|早前|"
    r"稍早|随后|周[一二三四五六日天]|星期|[一二三四五六七八九十]+月|[一二三四五六七八九十]+日|去年|今年|明年|"
    r"上月|本月|曾|也|还|则|又|更|都|已|就|对|向|在|于|跟|与|和|告诉|接受|指|说|表示|认为|称|强调|透露|"
    r"坦言|承认|指出|写道|回应|解释|分析|推测|质疑|呼吁|宣布|证实|提出|介绍|补充|警告|批评|否认|重申|解读|"
    r"公开|明确|同样|再次|多次|一再|日|的话|等人|等|之前|之后|时"
)
# Common two-character words that begin with a surname character: never names.
_NOT_NAMES = set(
    "文件 文章 方面 高度 高层 安全 马上 林业 国际 金融 石油 王国 关系 周边 周年 黄金 司法 程序 成员 成为 "
    "王室 任何 于是 向来 何时 常常 时间 明确 明年 史上 记者 许多 许可 万人 韩国 习近 于是 苏联 朱古 "
    "华盛 华人 华府 华侨 江泽 叶尔 宋代 齐心 严重 严格 秦朝 陆军 陆续 孙子 白宫 宁夏 田间 汪洋 "
    "余下 孔子 包括 包含 何况 曹操 解放 米尔 卡内 金砖 金额 钱财 郑重 姚明 武器 武装 武汉 时任 施压 "
    "汤加 邱吉 于此 周一 周二 周三 周四 周五 周六 周日 周末 周天 周年 周边 周内 本周 上周 方面 方向 方式 方案 高峰会 高官 高级 江苏 林间 马来 黄河 程度 吴哥 任期 任内".split()
)
_SURNAMES = set(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程魏苏吕丁"
    "任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武"
    "戴莫孔向汤侍庄傅柯翁蓝聂童霍郎甘柳阎钮仇宁栗温应华季岳左安鲍康伍祝毕裴喻项谷褚骆凌单房卓娄成詹管包鲁葛"
    "车米欧纪屈焦关桂殷穆路齐乔梅万解邢滕兰冉符景柴祁戚苗虞麦阮习邝连饶查"
)
_COMPOUND_SURNAMES = ("欧阳", "司马", "诸葛", "上官", "东方", "皇甫", "尉迟", "公孙", "慕容", "令狐")

_TITLE_RX = re.compile(f"(?:{_TITLES})$")
_NAME_SEP = "·•・‧．.\\-"
_DOTTED = re.compile(
    r"[\u4e00-\u9fff]{1,8}(?:[·•・‧．.\-][\u4e00-\u9fff]{1,10}){1,2}")
_APPOS = re.compile(r"[（(](?P<en>[A-Z][A-Za-zÀ-ÿ'\-.]*(?:[ .][A-Za-zÀ-ÿ'\-.]+){0,4})"
                    r"(?:[，,][^）)]{0,20})?[）)]")
_BOUNDARY = set("，。、；：！？“”「」『』《》（）()\"' \n的和与及对向在是为将把被由从了也就则都还")


@dataclass
class Candidate:
    start: int
    end: int
    actor: str | None
    kind: str                  # person, organisation, state
    name: str                  # the name as written (fullest form)
    reason: str = "gazetteer"
    confidence: float = 0.9

    @property
    def span(self) -> tuple[int, int]:
        return self.start, self.end


def _is_translit(s: str) -> bool:
    return len(s) >= 2 and all(c in _TRANSLIT or c in _NAME_SEP for c in s)


def _han_name_at(norm: str, i: int, limit: int) -> int | None:
    """End of a Chinese personal name starting at ``i`` (surname + 1–2 characters), or None."""
    sur = 2 if norm.startswith(_COMPOUND_SURNAMES, i) else 1 if norm[i:i + 1] in _SURNAMES else 0
    if not sur or norm[i:i + 2] in _NOT_NAMES:
        return None
    for given in (1, 2):
        e = i + sur + given
        if e > limit or not all("\u4e00" <= c <= "\u9fff" for c in norm[i:e]):
            return None
        if norm[i:e] in _NOT_NAMES:
            continue
        if _AFTER_NAME.match(norm, e):
            return e
    return None


def _name_after_title(norm: str, i: int, limit: int) -> int | None:
    """End of a name that starts at ``i`` right after a title or organisation word."""
    j = i
    while j < limit and j - i < 12 and (norm[j] in _TRANSLIT or (norm[j] in _NAME_SEP and j > i)):
        j += 1
    while j > i and norm[j - 1] in _NAME_SEP:
        j -= 1
    if j - i >= 2 and (j >= len(norm) or _AFTER_NAME.match(norm, j)):
        return j
    return _han_name_at(norm, i, limit)


def _overlaps(a: int, b: int, spans) -> bool:
    return any(s < b and a < e for s, e in spans)


def _latin_tail(norm: str, e: int) -> int:
    """The end of a ``（Latin Name）`` apposition right after ``e`` (or ``e``)."""
    m = _APPOS.match(norm, e + (1 if norm[e:e + 1] == " " else 0))
    return m.end() if m else e


def zh_fallback_people(text: str, norm: str, mentions: list[Mention]) -> list[Candidate]:
    """Names the gazetteer lacks, found by the rules in the module docstring."""
    known = [(m.start, m.end) for m in mentions]
    out: list[Candidate] = []

    def add(s: int, e: int, reason: str, conf: float) -> None:
        name = norm[s:e]
        if e - s < 2 or _overlaps(s, e, known) or _overlaps(s, e, [(c.start, c.end) for c in out]):
            return
        if _TITLE_RX.search(name) or name in _NOT_NAMES:
            return
        full = _latin_tail(norm, e)
        en = _APPOS.match(norm, e + (1 if norm[e:e + 1] == " " else 0))
        pid = "person:" + (_slug(en.group("en")) if en and " " in en.group("en").strip() else name)
        out.append(Candidate(s, e, pid, PERSON, text[s:e], reason, conf))

    # 1. 中文名（Latin Name）: back from the parenthesis to the nearest boundary or title.
    for m in re.finditer(r"[（(]", norm):
        if not _APPOS.match(norm, m.start()):
            continue
        e = m.start()
        if e > 0 and norm[e - 1] == " ":
            e -= 1
        s = e
        while s > 0 and e - s < 16 and norm[s - 1] not in _BOUNDARY and "\u4e00" <= norm[s - 1] <= "\u9fff" \
                or (s > 0 and norm[s - 1] in _NAME_SEP and e - s < 16):
            s -= 1
        seg = norm[s:e]
        # cut a leading title / organisation word: the name begins after the last one
        cut = 0
        for t in re.finditer(f"(?:{_TITLES}|{_ORG_END})", seg):
            if t.end() < len(seg) - 1:
                cut = max(cut, t.end())
        s += cut
        # the name must be a transliteration or a Chinese name, not a title or a place
        name = norm[s:e]
        plain = re.sub(f"[{_NAME_SEP}]", "", name)
        if 2 <= len(plain) <= 14 and (_is_translit(plain) or _han_name_at(norm, s, e) == e
                                      or any(c in _NAME_SEP for c in name)):
            add(s, e, "fallback_name_apposition", 0.85)
    # 2. Dotted transliterations.
    for m in _DOTTED.finditer(norm):
        s, e = m.start(), m.end()
        seg = norm[s:e]
        first = re.split(f"[{_NAME_SEP}]", seg)[0]
        # the first part starts after the last non-transliteration character or title
        k = len(first)
        while k > 0 and first[k - 1] in _TRANSLIT:
            k -= 1
        t = None
        for t in re.finditer(f"(?:{_TITLES}|{_ORG_END})", first):
            pass
        if t is not None and t.end() > k:
            k = t.end()
        s += k
        if norm[s:e][:1] in _NAME_SEP or e - s < 4:
            continue
        # the name ends at the first character that is no transliteration (哈斯铁尔.木沙汗和… → 哈斯铁尔.木沙汗)
        j = s
        while j < e and (norm[j] in _TRANSLIT or (norm[j] in _NAME_SEP and j + 1 < e and norm[j + 1] in _TRANSLIT)):
            j += 1
        if not any(c in _NAME_SEP for c in norm[s:j]) or norm[j - 1] in _NAME_SEP:
            continue
        add(s, j, "fallback_name_dotted", 0.85)
    # 3. A title or organisation word followed by a name.
    for m in re.finditer(f"(?:{_TITLES}|{_ORG_END})(?=[\u4e00-\u9fff])", norm):
        i = m.end()
        e = _name_after_title(norm, i, min(len(norm), i + 14))
        if e is not None:
            add(i, e, "fallback_name_title", 0.75)
    # 4. A Latin name after a title in Chinese prose (发言人Mukhtar Karibai指, 教授 Leonid Bliakher 表示).
    for m in re.finditer(f"(?:{_TITLES}) ?(?P<en>[A-Z][a-z'\\-]+(?: [A-Z][a-z'\\-]+){{1,2}})(?![A-Za-z])", norm):
        s, e = m.start("en"), m.end("en")
        if not _overlaps(s, e, known) and not _overlaps(s, e, [(c.start, c.end) for c in out]):
            out.append(Candidate(s, e, "person:" + _slug(m.group("en")), PERSON, text[s:e], "fallback_name_latin", 0.8))
    # 5. A name opening a clause right before a speech verb (格罗津说：, 毛泽东直言不讳地说).
    for m in re.finditer(r"(?:^|(?<=[。！？；\n，：”」]))(?=[\u4e00-\u9fff])", norm):
        i = m.start()
        e = _name_after_title(norm, i, min(len(norm), i + 10))
        if e is None or not _CLAUSE_VERB.match(norm, e):
            continue
        add(i, e, "fallback_name_clause", 0.7)
    return _merge(norm, out)


def _merge(norm: str, out: list[Candidate]) -> list[Candidate]:
    """One id per person: a short form (麦力开, 赛尔克坚) takes the id of the fuller name it is a part
    of, and a Chinese name takes the id built from its Latin apposition."""
    full: dict[str, Candidate] = {}
    for c in sorted(out, key=lambda c: (not re.search("[a-z]", c.actor or ""), -(c.end - c.start))):
        name = norm[c.start:c.end]
        for key in [name] + [p for p in re.split(f"[{_NAME_SEP}]", name) if len(p) >= 2]:
            full.setdefault(key, c)
    for c in out:
        best = full.get(norm[c.start:c.end])
        if best is not None and best is not c:
            c.actor = best.actor
    return out


_CLAUSE_VERB = re.compile(r"(?:[也还则曾又]|[^，。“”「」\n]{0,6}地)?(?:说|表示|认为|指出|强调|告诉|透露|坦言|称)")


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")


def recurrences(norm: str, text: str, found: list[Candidate], taken: list[tuple[int, int]]) -> list[Candidate]:
    """Later mentions of names found once (the whole name, or its last part after a dot/space)."""
    names: dict[str, Candidate] = {}
    for c in found:
        if c.kind != PERSON:
            continue
        surf = norm[c.start:c.end]
        names.setdefault(surf, c)
        parts = [p for p in re.split(f"[{_NAME_SEP}\\s]+", surf) if p]
        if len(parts) > 1:
            for p in (parts[-1], parts[0]) if not surf.isascii() else (parts[-1],):
                if len(p) >= (3 if surf.isascii() else 2):
                    names.setdefault(p, c)
    out: list[Candidate] = []
    spans = list(taken) + [(c.start, c.end) for c in found]
    for surf, c in names.items():
        pat = r"\b%s\b" % re.escape(surf) if surf.isascii() else re.escape(surf)
        for m in re.finditer(pat, norm):
            if _overlaps(m.start(), m.end(), spans):
                continue
            # a Chinese part must not sit inside a longer run of transliteration characters
            if not surf.isascii() and ((m.start() > 0 and norm[m.start() - 1] in _TRANSLIT
                                        and norm[m.start() - 1] not in _BOUNDARY and
                                        not _TITLE_RX.search(norm[max(0, m.start() - 6):m.start()]))
                                       or (m.end() < len(norm) and norm[m.end()] in _TRANSLIT
                                           and not _AFTER_NAME.match(norm, m.end()))):
                continue
            out.append(Candidate(m.start(), m.end(), c.actor, PERSON, c.name, c.reason, c.confidence))
            spans.append((m.start(), m.end()))
    return out


# --- organisations and states ---------------------------------------------------------

_ZH_ORG_BEFORE_VERB = re.compile(
    f"(?P<org>[\u4e00-\u9fff]{{2,16}}?(?:{_ORG_END}))(?=(?:的)?(?:新闻)?发言人|"
    r"(?:[0-9]+月)?(?:[0-9]+日)?(?:周[一二三四五六日])?(?:也|还|则|曾|已|日前|今天|稍早)?"
    r"(?:表示|称|说|强调|指出|宣布|证实|认为|发布|公布|通报|透露|否认|回应|报道|报导|声明|警告))")


def zh_org_candidates(text: str, norm: str, mentions: list[Mention], taken) -> list[Candidate]:
    """Unknown bodies named right before a speech verb or a spokesperson."""
    out: list[Candidate] = []
    states = [m for m in mentions if m.kind == "state"]
    orgs = [m for m in mentions if m.kind in ORG_KINDS]
    for m in _ZH_ORG_BEFORE_VERB.finditer(norm):
        s, e = m.start("org"), m.end("org")
        # start at a state name or after a boundary/title inside the run
        seg = norm[s:e]
        cut = 0
        for b in re.finditer(r"[的和与及在对向是了也将把被从由据，]|要求|呼吁|认为|表示|指出|宣布|批评|" + _TITLES, seg):
            if b.end() < len(seg) - 1:
                cut = max(cut, b.end())
        s += cut
        st = next((x for x in states if s <= x.start < e), None)
        if st is not None and st.start > s and not re.fullmatch(r"[\u4e00-\u9fff]{0,2}", norm[s:st.start]):
            st = None
        if e - s < 3 or _TITLE_RX.search(norm[s:e]):
            continue
        if any(s <= o.start and o.end <= e for o in orgs):
            continue  # the gazetteer knows it (塔利班组织 is 塔利班)
        if _overlaps(s, e, [(p[0], p[1]) for p in taken if not (s <= p[0] and p[1] <= e)]):
            continue
        aff = st.actor if st is not None else None
        # one id for the body however the state before it is written (乌兹别克的/乌国 …委员会)
        core = norm[st.end:e] if st is not None and e - st.end >= 3 else norm[s:e]
        out.append(Candidate(s, e, "org:" + core, ORG, text[s:e], "fallback_org", 0.7))
        out[-1].affiliation = aff  # type: ignore[attr-defined]
    # state + 官方/方面/政府/当局: the state speaks
    for x in states:
        m = re.compile(f"(?:{_STATE_SUFFIX})").match(norm, x.end)
        if m:
            out.append(Candidate(x.start, m.end(), x.actor, STATE, text[x.start:m.end()], "state_speaker", 0.8))
    return out


# --- English ---------------------------------------------------------------------------

_EN_TITLE_WORDS = set(
    "President Vice Prime Deputy Minister Foreign Defence Defense Finance Energy Economy Interior Mr Mrs Ms Dr "
    "Chairman Chairwoman Spokesman Spokeswoman Spokesperson Ambassador Secretary General Senator Governor Mayor "
    "Premier Chancellor King Queen Sheikh Professor Prof Director Chief Head Leader Commander Colonel Lieutenant "
    "Adviser Advisor Envoy Special Representative State Chinese Russian Kazakh Kyrgyz Uzbek Tajik Turkmen "
    "American US U.S. Afghan Pakistani Indian Iranian Former Acting Security Council Deputy Executive "
    "The A An In On At For But And Of With By As If When While After Before This That These Those It Its "
    "January February March April May June July August September October November December Monday Tuesday "
    "Wednesday Thursday Friday Saturday Sunday According Beijing Moscow Astana Bishkek Tashkent Dushanbe "
    "Ashgabat Washington Central Asia Asian China Russia Kazakhstan Kyrgyzstan Uzbekistan Tajikistan "
    "Turkmenistan Afghanistan Xinjiang Belt Road Foreign Ministry Embassy Kremlin Reuters Xinhua".split()
)
_EN_NAME = re.compile(r"\b([A-Z][a-z'\-]+(?:\s+[A-Z][a-z'\-]+){1,2})\b")


def en_fallback_people(text: str, norm: str, mentions: list[Mention], verbs: re.Pattern) -> list[Candidate]:
    """Capitalised two- or three-word names next to a speech verb or followed by an apposition."""
    known = [(m.start, m.end) for m in mentions]
    out: list[Candidate] = []
    for m in _EN_NAME.finditer(norm):
        words = m.group(1).split()
        s = m.start()
        # cut titles and other non-name words off the front
        while words and words[0] in _EN_TITLE_WORDS:
            s += len(words[0])
            s += len(norm[s:]) - len(norm[s:].lstrip())
            words = words[1:]
        if len(words) < 2 or any(w in _EN_TITLE_WORDS for w in words):
            continue
        e = s + len(" ".join(words))
        if norm[s:e] != " ".join(words):
            e = m.end()
        if _overlaps(s, e, known) or _overlaps(s, e, [(c.start, c.end) for c in out]):
            continue
        before = norm[max(0, s - 40):s]
        after = norm[e:e + 40]
        near_verb = verbs.search(after[:25]) is not None and verbs.match(after.lstrip(" ,")) is not None \
            or re.search(r"\b(?:said|says|told|added|notes|noted|complains|complained|promises|promised|"
                         r"insists|insisted|argues|argued|according to)\s*$", before) is not None
        appos = re.match(r",\s+(?:a|an|the|who|chairman|chairwoman|head|director|deputy|spokes\w+)\b", after)
        if not (near_verb or appos):
            continue
        out.append(Candidate(s, e, "person:" + _slug(norm[s:e]), PERSON, text[s:e], "fallback_name_en", 0.75))
    return out


_EN_ORG = re.compile(
    r"\b(?P<whole>(?:(?P<owner>[A-Z][a-z]+)'s\s+)?(?P<body>(?:[Ff]oreign|[Dd]efen[cs]e|[Ee]nergy|[Ff]inance|"
    r"[Hh]ealth|[Ii]nterior|[Ee]conomy|[Tt]rade)\s+[Mm]inistry|[Pp]residency|[Pp]residential\s+[Pp]ress\s+"
    r"[Ss]ervice|[Ee]mbassy|[Gg]overnment|[Aa]uthorities))\b")


def en_org_candidates(text: str, norm: str, mentions: list[Mention]) -> list[Candidate]:
    """"Kazakhstan's presidency", "Beijing's foreign ministry", "Authorities in Kyrgyzstan"."""
    states = {m.start: m for m in mentions if m.kind in STATE_KINDS}
    out: list[Candidate] = []
    for m in _EN_ORG.finditer(norm):
        owner = states.get(m.start("owner")) if m.group("owner") else None
        body = m.group("body").lower()
        if owner is None:
            continue
        s, e = m.start("whole"), m.end("whole")
        if body.endswith("foreign ministry"):
            actor = "org:mfa_" + owner.actor.lower()
        elif body in ("government", "authorities"):
            out.append(Candidate(s, e, owner.actor, STATE, text[s:e], "state_speaker", 0.8))
            continue
        else:
            actor = None
        c = Candidate(s, e, actor, ORG, text[s:e], "org_speaker_en", 0.75)
        c.affiliation = owner.actor  # type: ignore[attr-defined]
        out.append(c)
    for m in re.finditer(r"\b[Aa]uthorities in ", norm):
        st = states.get(m.end())
        if st is not None:
            out.append(Candidate(m.start(), st.end, st.actor, STATE, text[m.start():st.end], "state_speaker", 0.8))
    return out
