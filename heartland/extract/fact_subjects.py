"""Whose figure it is: rules that pick a fact's subject and object from the actors around it
(docs/extract.md, "Fact subjects"). Each rule reads a construction, never a name:

- **Diplomatic missions are sources**: the states inside 中国驻哈萨克斯坦大使馆 / "Chinese
  Embassy" name who reports the figure, not whose it is (中国大使馆称，哈萨克…1772人死亡).
- **Landmarks**: a state or place after 毗邻/相邻/邻近/bordering, or before 相邻/接壤
  (与新疆相邻的阿拉木图, 毗邻塔吉克的两区), locates something else.
- **Counterparts**: a clause opening with 与/同/跟 X (与俄罗斯有7500公里的共同边界,
  与中亚邻国塔吉克武装冲突) names the other party; the subject is the actor before.
- **Goals**: X after 向/给 with a verb of giving or sending in the clause (向土库曼斯坦当局提供了
  81亿美元的贷款) receives the figure; the giver is the subject.
- **People of a state**: a count of people followed by a state's name (1037名阿富汗军人,
  数十名哈萨克人) belongs to that state.
- **Aid received**: a clause where X receives aid (乌兹别克斯坦得到了3140万美元的援助) takes its
  donor from a recent sentence that gives aid (美国…向中亚地区提供了…援助): donor / recipient.
- **Escape and migration**: 从X逃/移民, 逃离X: X is the origin (the subject), the host the object.
"""

from __future__ import annotations

import re

from heartland.extract.records import Mention, Quantity

_MISSION = re.compile(r"(?:使馆|領事館|领事馆|使館|Embassy|Consulate)$")
_LANDMARK_BEFORE = re.compile(r"(?:毗邻|毗鄰|相邻|相鄰|邻近|鄰近|紧邻|緊鄰|\bbordering|\bneighbou?ring)\s*$")
_LANDMARK_AFTER = re.compile(r"\s*(?:相邻|相鄰|毗邻|毗鄰|接壤|交界)")
_WITH_OPEN = re.compile(r"^\s*(?:[并並也还還则則又]\s*)?(?:与|與|同|跟)\s*(?:(?:中亚|中亞|邻国|鄰國|邻邦|鄰邦|国家|國家)\s*)*$")
_GOAL_BEFORE = re.compile(r"(?:向|给|給)\s*$")
_GIVE = re.compile(r"提供|援助|捐赠|捐贈|捐款|拨付|撥付|拨款|撥款|贷款|貸款|派去|派出|派遣|赠送|贈送|交付|发放|發放|转让|轉讓")
_PEOPLE_AFTER = re.compile(r"\s*(?:族)?(?:人|公民|军人|軍人|士兵|官兵|难民|難民|工人|工程师|工程師|劳工|勞工|移民|学生|學生|游客|遊客|侨民|僑民)"
                           r"|\s+(?:citizens|soldiers|troops|nationals|migrants|workers|refugees|students|engineers)\b")
_RECEIVE = re.compile(r"得到|获得|獲得|收到|接受|接获|接獲|\breceived?\b|\breceives\b")
_AID = re.compile(r"援助|贷款|貸款|赠款|贈款|拨款|撥款|资助|資助|\baid\b|\bloans?\b|\bgrants?\b|\bassistance\b")
_PROVIDE = re.compile(r"(?:向|给|給|为|為)[^，,。；;]{0,12}?(?:提供|援助|捐赠|捐贈|拨付|撥付|拨款|撥款)"
                      r"|\b(?:provided|gave|pledged|extended|allocated)\b")
_ESCAPE_FROM = re.compile(r"(?:从|從)\s*$|(?:逃离|逃離|逃出|出逃|fled|fleeing|escaped from)\s*$")
_ESCAPE_VERB = re.compile(r"逃|移民|移居|迁居|遷居|fled|flee|escaped|moved|emigrated")


def mission_spans(mentions: list[Mention]) -> list[tuple[int, int]]:
    return [(m.start, m.end) for m in mentions if m.kind not in ("state", "group", "place") and _MISSION.search(m.surface or "")]


def in_mission(m: Mention, spans: list[tuple[int, int]]) -> bool:
    return any(s <= m.start and m.end <= e for s, e in spans)


def is_landmark(text: str, m: Mention) -> bool:
    return bool(_LANDMARK_BEFORE.search(text, max(0, m.start - 12), m.start) or _LANDMARK_AFTER.match(text, m.end))


def is_counterpart(text: str, m: Mention, clause: tuple[int, int]) -> bool:
    return clause[0] <= m.start and bool(_WITH_OPEN.match(text[clause[0]:m.start]))


_WITH_BEFORE = re.compile(r"(?:与|與|同|跟)\s*(?:(?:中亚|中亞|邻国|鄰國|邻邦|鄰邦|国家|國家)\s*)*$")


def is_with(text: str, m: Mention) -> bool:
    """X after 与/同/跟 (与邻国塔吉克爆发冲突): the other party of the clause's subject."""
    return bool(_WITH_BEFORE.search(text, max(0, m.start - 10), m.start))


def is_goal(text: str, m: Mention, clause: tuple[int, int]) -> bool:
    return bool(_GOAL_BEFORE.search(text, max(clause[0], m.start - 2), m.start)
                and _GIVE.search(text, m.end, clause[1]))


def people_of(text: str, q: Quantity, acts: list[Mention]) -> Mention | None:
    """1037名阿富汗军人, 数十名哈萨克人, "300 Afghan soldiers": the state whose people they are."""
    if q.unit not in ("persons", "count"):
        return None
    for m in acts:
        if m.kind == "state" and q.end <= m.start <= q.end + 1 and not text[q.end:m.start].strip() \
                and _PEOPLE_AFTER.match(text, m.end):
            return m
    return None


def aid_donor(text: str, sentences, si: int, actors_in, back: int = 5) -> str | None:
    """The giver named in one of the ``back`` sentences before (美国…向中亚地区提供了…援助): the
    first actor before the giving words."""
    for j in range(si - 1, max(-1, si - 1 - back), -1):
        s = sentences[j]
        seg = text[s.start:s.end]
        p = _PROVIDE.search(seg)
        if p is None or not _AID.search(seg):
            continue
        acts = [m for m in actors_in(s.start, s.start + p.start()) if m.kind != "group"]
        if acts:
            return acts[0].actor
    return None


def receives_aid(text: str, clause: tuple[int, int], q: Quantity) -> bool:
    seg = text[clause[0]:clause[1]]
    return bool(_RECEIVE.search(seg) and _AID.search(seg))


def escape_origin(text: str, q: Quantity, acts: list[Mention], clause: tuple[int, int]) -> Mention | None:
    """从中国新疆逃亡该国, 逃离新疆的: the state (or place's state) people fled or moved from."""
    if not _ESCAPE_VERB.search(text, clause[0], clause[1]):
        return None
    for m in acts:
        if clause[0] <= m.start < clause[1] and _ESCAPE_FROM.search(text, max(clause[0], m.start - 12), m.start):
            return m
    return None
