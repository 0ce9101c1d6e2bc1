"""Quotes and claims: who said what, with which affiliation, for which hypothesis.

Direct quotes are “…” spans of at least ``MIN_QUOTE`` characters (shorter ones are scare
quotes such as “中立”). The speaker is found, in this order: a speech verb before the
quote in the same paragraph with a person (or 他/她) before it; a person and speech verb
right after the closing mark (“…，”法伦说); a speaker label (``M. Levystone: “…``); the
speaker of the previous quote when the paragraph continues it. Reported speech is a
person followed by a speech verb (说, 表示, 认为, 指出, 告诉…, 写道, 强调) with no quote mark:
the statement runs to the end of the sentence. A person missing from the gazetteer is
still a speaker when written as ``中文名（Latin Name）``; the id is then built from the
Latin name. The affiliation is the organisation named just before the person's first
full mention in the article, when the gazetteer knows it as theirs (or does not know the
person); otherwise the gazetteer's affiliation as of the publication date.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path

import yaml

from heartland.extract.gazetteer import to_simplified, affiliation_on, load_gazetteer
from heartland.extract.records import HypothesisLink, Mention, Quote
from heartland.extract import speakers as SP
from heartland.extract.scan import anchored
from heartland.extract.text import Sentence

MIN_QUOTE = 12
#: How far back (characters) a quote looks for its verb, label or speaker, and a pronoun for
#: its antecedent, within the paragraph: a bounded window keeps the work per quote constant
#: on a one-line document of megabytes (real clauses and paragraphs are far shorter).
LOOKBACK = 2000
_VERBS = r"(?:说道|说|表示|认为|指出|告诉[^，。“]{0,12}|写道|强调|称(?!赞|为|之)|坦言|透露|补充说|警告|发推文说|回答|提到|said|says|told|wrote|argued|noted|stressed|added)"
_QUOTE = re.compile(r"[“「\"]([^“”「」\"]|“[^“”]*”){%d,}?[”」\"]" % MIN_QUOTE)
_QUOTE_ANY = re.compile(r"“[^”\n]{%d,}”|「[^」\n]{%d,}」|\"[^\"\n]{%d,}\"" % (MIN_QUOTE, MIN_QUOTE, MIN_QUOTE))
_EN_SAID_BEFORE = re.compile(r",?\s*(said|says|told|wrote|argued|noted|added)\s+$")
_PRONOUN = re.compile(r"(他|她)(们)?")
_APPOS = re.compile(r"(?P<zh>[\u4e00-\u9fff]{1,6}(?:·[\u4e00-\u9fff]{1,8})?)（(?P<en>[A-Z][a-zé'\-]+(?: [A-Z][A-Za-zé.'\-]+){1,3})）")
# Scanned from its full-width parenthesis (heartland.extract.scan): the name before it is at
# most 6 + 1 + 8 characters; tried at every Chinese character it cost 0.3 ms an article.
_APPOS = anchored(_APPOS, "（", back=15)
# English apposition of a person heartland may not know: "Aziz Karimov, a senior analyst at
# the X Institute", "Farrukh Nazarov, who heads the Y Group" (before or after the speech
# verb); the organisation named there is the affiliation when the gazetteer knows it.
_EN_APPOS = re.compile(r"(?P<en>[A-Z][a-z'\-]+(?: [A-Z][a-z'\-]+){1,2}),\s+"
                       r"(?:(?:a|an|the)\s+(?:[\w\-']+\s+){0,5}?(?:at|of|with|for|from)|"
                       r"who\s+(?:heads|leads|directs|runs|chairs|founded|co-founded|manages))"
                       r"\s+(?:the\s+|an?\s+)?(?P<org>[^,.;\"”]{2,80})")
# The apposition between a name and its speech verb ("Temur Umarov, a fellow at the Carnegie
# Russia Eurasia Center in Berlin, told"): the verb may then lie beyond the usual reach, but
# only right after the apposition's closing comma.
_EN_APPOS_SPAN = re.compile(r",\s+(?:a|an|the|who)\s[^,.;:\"“”\n]{2,150},\s*")
#: How far after a person's name the speech verb of reported speech may start.
VERB_REACH = 60
_NEWLINE = re.compile("\n")
_SPEAKER_KINDS = {"person"}
_ORG_KINDS = {"think_tank", "university", "ministry", "party", "institution", "organisation"}
_NEG = re.compile(r"(不|没有|并不|并非|不会|无法|未)[^，。]{0,4}$")
_COOP = re.compile(r"合作|协调|互补|和谐|趋同|一致|友好|尊重|配合|紧密|cooperat|coordinat")
_COMP = re.compile(r"竞争|冲突|摩擦|争夺|分歧|对抗|紧张|不满|警惕|挑战|取代|不舒服|compet|rival|friction|clash")


@lru_cache(maxsize=1)
def hypotheses() -> list[dict]:
    with open(Path(__file__).with_name("hypotheses.yaml"), encoding="utf-8") as fh:
        rows = yaml.safe_load(fh)
    for r in rows:
        r["_cues"] = [re.compile(c, re.I) for c in r.get("cues", [])]
        r["_against"] = [re.compile(c, re.I) for c in r.get("against", [])]
        # All of a hypothesis' cues and counter-cues as one alternation: a statement that
        # matches none of them (most do) is passed over with one search instead of one per cue.
        alts = r.get("cues", []) + r.get("against", [])
        r["_any"] = re.compile("|".join(f"(?:{c})" for c in alts), re.I) if alts else None
    return rows


def classify(statement: str) -> tuple[list[HypothesisLink], str]:
    """Hypotheses a statement supports/opposes, and the China–Russia stance it asserts."""
    links = []
    for h in hypotheses():
        if h["_any"] is None or not h["_any"].search(statement):
            continue
        stance = None
        for rx in h["_cues"]:
            m = rx.search(statement)
            if m:
                stance = "opposes" if _NEG.search(statement[max(0, m.start() - 8):m.start()]) else "supports"
                break
        if stance is None and any(rx.search(statement) for rx in h["_against"]):
            stance = "opposes"
        if stance:
            links.append(HypothesisLink(id=h["id"], stance=stance))
    coop = len(_COOP.findall(statement))
    comp = len(_COMP.findall(statement))
    stance = "mixed" if coop and comp else "cooperation" if coop else "competition" if comp else "neutral"
    return links, stance


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")


def _pub_date(published) -> date | None:
    if isinstance(published, datetime):
        return published.date()
    return published


class _People:
    """Persons of one article: gazetteer mentions plus 中文名（Latin Name） appositions."""

    def __init__(self, text: str, norm: str, mentions: list[Mention], pub: date | None):
        self.gaz = load_gazetteer()
        self.pub = pub
        self.people = [m for m in mentions if m.kind in _SPEAKER_KINDS]
        # affiliations come from organisations the gazetteer knows (docs: an unknown one leaves it null)
        self.orgs = [m for m in mentions if m.kind in _ORG_KINDS and m.reason in ("gazetteer", "tagger+gazetteer")]
        known_spans = [(m.start, m.end) for m in mentions]
        self.extra: list[Mention] = []
        # Chinese names the gazetteer lacks (中文名（Latin Name）, title + name, dotted names):
        # heartland.extract.speakers, which never cuts a name at a title or inside a word.
        for c in SP.zh_fallback_people(text, norm, mentions):
            self.extra.append(Mention(actor=c.actor, kind="person", surface=text[c.start:c.end], start=c.start,
                                      end=c.end, confidence=c.confidence, reason=c.reason))
        known_spans += [(x.start, x.end) for x in self.extra]
        self.en_affil: dict[str, str] = {}
        for m in _EN_APPOS.finditer(norm):
            s, e = m.start("en"), m.end("en")
            org = next((o for o in self.orgs if m.start("org") <= o.start < m.end("org")), None)
            known = next((p for p in self.people if p.start < e and s < p.end), None)
            if known is not None and org is not None:
                self.en_affil.setdefault(known.actor, org.actor)
            if any(a < e and s < b for a, b in known_spans) or any(x.start < e and s < x.end for x in self.extra):
                continue
            pid = "person:" + _slug(m.group("en"))
            self.extra.append(Mention(actor=pid, kind="person", surface=text[s:e], start=s, end=e))
            if org is not None:
                self.en_affil.setdefault(pid, org.actor)
        if not re.search(r"[\u4e00-\u9fff]", norm[:2000]):
            for c in SP.en_fallback_people(text, norm, mentions + self.extra, re.compile(_EN_VERB)):
                self.extra.append(Mention(actor=c.actor, kind="person", surface=c.name, start=c.start, end=c.end,
                                          confidence=c.confidence, reason=c.reason))
        # Later mentions of a name found once (贾丁说, 麦力开表示, "Karimov added") map to the same id.
        found = [SP.Candidate(x.start, x.end, x.actor, SP.PERSON, x.surface, x.reason, x.confidence)
                 for x in self.extra]
        for c in SP.recurrences(norm, text, found, [(m.start, m.end) for m in mentions]):
            self.extra.append(Mention(actor=c.actor, kind="person", surface=text[c.start:c.end], start=c.start,
                                      end=c.end, confidence=c.confidence, reason=c.reason))
        self.all = sorted(self.people + self.extra, key=lambda m: m.start)
        self.first_affil: dict[str, str] = dict(self.en_affil)
        for p in self.all:
            if p.actor in self.first_affil:
                continue
            org = next((o for o in reversed(self.orgs) if o.end <= p.start and p.start - o.end <= 40
                        and "。" not in norm[o.end:p.start] and "\n" not in norm[o.end:p.start]), None)
            if org is not None:
                self.first_affil[p.actor] = org.actor

    def affiliation(self, pid: str) -> tuple[str | None, str | None]:
        e = self.gaz.entry(pid)
        in_text = self.first_affil.get(pid)
        if e is None or not e.affiliations:
            return in_text, None
        known = {a.org: a for a in e.affiliations}
        if in_text in known:
            return in_text, known[in_text].role
        a = affiliation_on(e, self.pub)
        return (a.org, a.role) if a else (in_text, None)

    def before(self, pos: int, lo: int) -> Mention | None:
        cands = [p for p in self.all if lo <= p.start and p.end <= pos]
        if not cands:
            return None
        last = cands[-1]
        # 史蒂文·皮弗（Steven Pifer）: the name as first written, not its apposition.
        return next(p for p in cands if p.actor == last.actor and p.start >= last.start - 30)


# --- speakers of every kind (heartland.extract.speakers) ---------------------------------

#: Speech verbs for reported speech and attributions (Chinese and English). 说 not in
#: 小说/据说/说法/游说/传说/学说/说服; 称 not in 号称/堪称/简称/称为/称之/称赞; a bare 指 only before
#: a colon, comma or quote mark (Karibai指：「…」).
_ZH_VERB = (r"(?<![小据游传学演听所])说(?![法服明])|表示(?![，。])|表示|认为|指出|(?<![号堪简俗名职昵统人著对相])称(?![赞为之号作])|"
            r"强调|透露|告诉|坦言|写道|警告|回应|证实|宣布|宣称|声称|否认|承认|呼吁|批评|谴责|重申|解释|"
            r"分析|推测|质疑|解读|介绍|补充|提到|报道|报导|直言|发文|公布|通报|抱怨|预测|相信|指(?=[：:，,「“])|"
            r"披露|表态|喊话|发出警告|提出警告|答问|回答|宣告|(?<=称)之(?=为?[“「『])")
_EN_VERB = (r"\b(?:said|says|say|told|tells|added|adds|noted|notes|argued|argues|stressed|warned|warns|wrote|"
            r"writes|insists|insisted|complains|complained|promises|promised|describes|described|reported|reports|"
            r"announced|condemned|urged|claimed|claims|explained|believes|believed|confirmed|denied|"
            r"has expressed|have expressed|has said|have said|had said)\b")
_VERB_RX = re.compile(f"{_ZH_VERB}|{_EN_VERB}")
_OBJ_BEFORE = re.compile(r"(?:(?<![面绝相])对|向|与|和|同|跟|给|被|把|令|让|(?<![大公特天即致促迫行])使|接受|(?<![作认成])为|替|及|、|于|(?<![存现正])在|从|到|访问|会见|会晤|批评|"
                         r"\bto|\bwith|\bin|\bfrom|\bat|\bon|\bby|\bof|\bfor|\band|\bagainst)\s*$")
_EN_APPOS_ANY = re.compile(r",\s+[^,.;:\"“”\n]{2,150},\s*|\s+(?:of|at|from)\s+(?:the\s+)?[A-Z][\w'\-]*(?:\s+[A-Z][\w'\-]*){0,6}\s+")
_EN_GAP = re.compile(r"[\s,]*(?:(?:has|have|had|also|later|then|again|once|previously|recently|on\s+\w+day|"
                     r"last\s+\w+|this\s+\w+|earlier)\s*,?\s*)*")
_ANNOUNCE = re.compile(r"宣布|宣告|公布|通报|announced")
_LEAD = re.compile(r"\s*(?:而|但|不过|此外|同时|对此|另外|因此|随后|其后|然而|并且|就此|根据|据|[Bb]ut|[Aa]nd|[Mm]eanwhile|"
                   r"[Aa]ccording to)?\s*(?:the\s+|The\s+)?")
_ADVERBIALS = re.compile(
    r"(?:\s|也|还|则|曾|已经|已|都|又|亦|再次|多次|一再|一直|随即|随后|立即|日前|近日|此前|早前|今天|今日|昨天|昨日|当天|同日|"
    r"稍早|稍后|早些时候|周[一二三四五六日]|本周|上周|这周|星期[一二三四五六日天]|[0-9０-９]+月(?:[0-9０-９]+日)?|"
    r"[0-9０-９]+日|[（(][^）)]{1,12}[）)]|官方|方面|首度|正式|公开|明确|同样|因此|也在|"
    r"\bhas\b|\bhave\b|\bhad\b|\balso\b|\bon\s+\w+day\b|\blast\s+\w+\b|\bthis\s+\w+\b|\bearlier\b|"
    r"\bin a statement\b|\bofficially\b|,)*")
_ORG_GAP = re.compile(r"[^，,。；：“”「」]*")
_CLAUSE_END = re.compile(r"[。！？；\n，,：:]")


class _Speakers:
    """Every speaker candidate of one article (people from ``_People`` plus bodies and states)."""

    def __init__(self, text: str, norm: str, mentions: list[Mention], ppl: "_People"):
        self.ppl = ppl
        zh = bool(re.search(r"[\u4e00-\u9fff]", norm[:2000]))
        cands: list[SP.Candidate] = []
        for m in ppl.all:
            cands.append(SP.Candidate(m.start, m.end, m.actor, SP.PERSON, text[m.start:m.end],
                                      m.reason if m.reason != "gazetteer" or m.actor.startswith("person:") else "gazetteer",
                                      m.confidence))
        for m in mentions:
            if m.kind in SP.ORG_KINDS:
                cands.append(SP.Candidate(m.start, m.end, m.actor, SP.ORG, text[m.start:m.end], "gazetteer_org", 0.85))
            elif m.kind in SP.STATE_KINDS:
                cands.append(SP.Candidate(m.start, m.end, m.actor, SP.STATE, text[m.start:m.end], "gazetteer_state",
                                          0.8))
        taken = [(c.start, c.end) for c in cands]
        bodies = SP.zh_org_candidates(text, norm, mentions, taken) if zh else SP.en_org_candidates(text, norm, mentions)
        # a body candidate that covers a state/org mention replaces it (中国官方 over 中国)
        for b in bodies:
            cands = [c for c in cands if not (c.kind != SP.PERSON and b.start <= c.start and c.end <= b.end)]
        cands += bodies
        cands.sort(key=lambda c: (c.start, -c.end))
        self.cands = cands
        #: the candidates' starts, for bisect: each lookup below reads only the candidates in
        #: its window, not every candidate of the article (linear time on long documents)
        self.starts = [c.start for c in cands]
        self.norm = norm
        # the fullest name of each person: a name with a Latin apposition, else the longest
        self.names: dict[str, str] = {}
        for c in cands:
            if c.actor and c.kind == SP.PERSON:
                name = text[c.start:c.end]
                if c.actor not in self.names or (len(name) > len(self.names[c.actor]) and
                                                 self.names[c.actor] in name.replace("•", "·") + name):
                    self.names[c.actor] = name

    def display(self, c: "SP.Candidate") -> str:
        if c.kind == SP.PERSON and c.actor in self.names:
            return self.names[c.actor]
        return c.name

    def subject(self, v: int, lo: int) -> "SP.Candidate | None":
        """The speaker of a speech verb at ``v``: a candidate in the clause before it."""
        norm = self.norm
        ok = []
        for c in self.cands[bisect_left(self.starts, lo):bisect_right(self.starts, v)]:
            if c.start < lo or c.end > v:
                continue
            after = norm[c.end:v]
            if re.match(r"(?:'s|’s)\b", after) and c.kind == SP.PERSON:
                continue
            if after.startswith("的") and not re.match(r"的(?:话|新闻发言人|发言人|代表)", after):
                continue
            if _OBJ_BEFORE.search(norm[max(lo, c.start - 4):c.start]) and not \
                    re.search(r"(?:据|根据)\s*$", norm[max(lo, c.start - 3):c.start]):
                continue
            if "《" in norm[lo:c.start] and "》" not in norm[c.start:v]:
                continue
            if v - c.end > 60 and not (norm[v:v + 1].isascii() and _EN_APPOS_ANY.fullmatch(norm, c.end, v)):
                continue
            if c.kind == SP.PERSON and norm[v:v + 1].isascii() and not (
                    _EN_GAP.fullmatch(norm, c.end, v) or _EN_APPOS_ANY.fullmatch(norm, c.end, v)):
                continue
            if c.kind != SP.PERSON and not self._body_subject(c, v, lo):
                continue
            ok.append(c)
        if not ok:
            return None
        people = [c for c in ok if c.kind == SP.PERSON]
        if _ANNOUNCE.match(norm, v):
            people = []  # bodies announce (宣布, 公布); a person who announces makes an event, not a quote
            ok = [c for c in ok if c.kind != SP.PERSON]
            if not ok:
                return None
        if people:
            return people[-1]
        # spokesperson of a body without a name: the body; else the first body of the clause
        return ok[0]

    def _body_subject(self, c: "SP.Candidate", v: int, lo: int) -> bool:
        """A state or organisation speaks only as the clause's subject: at its start (after a
        connective or 据) with nothing but adverbials — dates, 也/还/曾, a place of saying for
        an organisation — between it and the verb."""
        norm = self.norm
        lead = re.sub(r"^\s*(?:[（(【][^）)】]{0,40}[）)】]\s*)+", "", norm[lo:c.start])
        if not _LEAD.fullmatch(lead):
            return False
        gap = norm[c.end:v]
        if _ADVERBIALS.fullmatch(gap):
            return True
        return c.kind == SP.ORG and len(gap) <= 25 and _ORG_GAP.fullmatch(gap) is not None

    def antecedent(self, pos: int) -> "SP.Candidate | None":
        """他/她: the person named last before ``pos`` in this paragraph or the one before."""
        floor = max(0, pos - LOOKBACK)
        lo = self.norm.rfind("\n", floor, max(floor, self.norm.rfind("\n", floor, pos)))
        lo = floor - 1 if lo < 0 else lo
        people = [c for c in self.cands[bisect_right(self.starts, lo):bisect_right(self.starts, pos)]
                  if c.kind == SP.PERSON and lo < c.start and c.end <= pos]
        return people[-1] if people else None

    def after(self, v_end: int, hi: int) -> "SP.Candidate | None":
        """The speaker named right after a verb ("…, said Guo Jiakun", "according to X")."""
        for c in self.cands[bisect_left(self.starts, v_end):bisect_right(self.starts, v_end + 3)]:
            if v_end <= c.start <= v_end + 3 and c.end <= hi:
                return c
        return None


def _clause_start(norm: str, v: int, floor: int, back: int = 0) -> int:
    """Start of the clause holding position ``v`` (``back`` clauses further back), not before ``floor``."""
    pos = v
    for _ in range(back + 1):
        # English appositions sit between commas ("X, a fellow at Y, said"): only ; : end a clause
        k = max(norm.rfind(ch, floor, pos) for ch in ("。！？；\n，,：:" if not norm[v:v + 1].isascii() else ";:\n"))
        if k < floor:
            return floor
        pos = k
    return pos + 1


def _sentence_span(sents: list[Sentence], pos: int) -> tuple[int, int]:
    for s in sents:
        if s.start <= pos < s.end:
            return s.start, s.end
    return pos, pos


def _inside_quote(norm: str, pos: int, lo: int) -> bool:
    seg = norm[lo:pos]
    return (seg.count("“") > seg.count("”") or seg.count("「") > seg.count("」") or seg.count("«") > seg.count("»")
            or seg.count('"') % 2 == 1)


_QUOTE_ALL = re.compile(r"“[^”\n]{2,}”|「[^」\n]{2,}」|『[^』\n]{2,}』|«[^»\n]{2,}»|\"[^\"\n]{2,}\"|”[^“\n]{%d,}“" % MIN_QUOTE)


def extract_quotes(text: str, norm: str, sentences: list[Sentence], mentions: list[Mention],
                   published, article_id: str = "") -> list[Quote]:
    pub = _pub_date(published)
    ppl = _People(text, norm, mentions, pub)
    sp = _Speakers(text, norm, mentions, ppl)
    out: list[Quote] = []
    covered = _Covered()
    speakers: set = set()  # every speaker of ``out``
    last: SP.Candidate | None = None
    used_verbs: set[int] = set()  # verbs that attribute a direct quote (not reported speech again)

    def add(c: SP.Candidate, s: int, e: int, direct: bool, how: str, name: str | None = None) -> None:
        nonlocal last
        links, stance = classify(norm[s:e])
        if c.kind == SP.PERSON:
            affil, role = ppl.affiliation(c.actor) if c.actor else (None, None)
            kind_reason = c.reason if c.reason.startswith("fallback") else "named_person"
        else:
            affil = getattr(c, "affiliation", None) or _body_affiliation(c)
            role = None
            kind_reason = "state_speaker" if c.kind == SP.STATE else "organisation_speaker"
        conf = {"direct": 0.95, "reported": 0.85, "according_to": 0.8, "pronoun": 0.75, "continuation": 0.7}[how]
        conf = round(min(conf, c.confidence + 0.1), 2)
        out.append(Quote(speaker=c.actor, speaker_name=name or sp.display(c), affiliation=affil, role=role,
                         text=text[s:e], direct=direct, hypotheses=links, stance=stance, article_id=article_id,
                         span_start=s, span_end=e, confidence=conf, reason=f"{how}:{kind_reason}"))
        covered.add(s, e)
        speakers.add(c.actor)
        if c.kind == SP.PERSON:
            last = c

    # 1. Direct quotes in any quote marks, of any length that is a statement (≥ MIN_QUOTE, or
    #    right after a speech verb and colon).
    newlines = [m.start() for m in re.finditer("\n", norm)]
    for qm in _QUOTE_ALL.finditer(norm):
        qs, qe = qm.start() + 1, qm.end() - 1
        ps, pe = _para_of(newlines, len(norm), qm.start())
        ps = max(ps, qm.start() - LOOKBACK)  # the window before the quote (see LOOKBACK)
        before = norm[ps:qm.start()]
        colon = re.search(r"[：:，,]\s*$", before) is not None
        if qe - qs < MIN_QUOTE and not (colon and qe - qs >= 4):
            continue
        who, how, verb_at = None, "direct", None
        # a verb just before: X说：“…” / X表示，「…」
        vb = list(_VERB_RX.finditer(before[-40:]))
        if vb and re.fullmatch(r"[^。！？“”「」]{0,12}?[：:，,]?\s*", before[-40:][vb[-1].end():]):
            v = ps + len(before) - len(before[-40:]) + vb[-1].start()
            verb_at = v
            lo = _clause_start(norm, v, ps)
            who = sp.subject(v, lo) or sp.subject(v, _clause_start(norm, v, ps, 1))
            if who is None and re.match(r"\s*[他她](?!们)", norm[lo:v]) and last is not None:
                who, how = last, "pronoun"
            elif who is None and lo > ps and norm[lo - 1] in "，," and last is not None and \
                    not sp.subject(lo - 1, _clause_start(norm, lo - 1, ps)):
                who = None
        if who is None:
            # after the quote: “…”，X说 / “…,” said X / “…” X告诉德国之声
            end = re.compile(r"[。！？\n]|\.(?:\s|$)").search(norm, qm.end(), qm.end() + 120)
            hi = end.start() if end else min(len(norm), qm.end() + 120)
            after = norm[qm.end():hi]
            if not re.match(r"\s*[“「\"«]", after.lstrip("，,。 ")):
                vm = _VERB_RX.search(after)
                if vm is not None:
                    v = qm.end() + vm.start()
                    verb_at = v
                    who = sp.subject(v, qm.end()) or sp.after(qm.end() + vm.end(), hi)
                    if who is None and re.fullmatch(r"[，,\s]*[他她]", after[:vm.start()]) and last is not None:
                        who, how = last, "pronoun"
        if who is None:
            lab = re.search(r"(?P<who>[^\n“”。：:]{2,30})\s*[：:]\s*$", before)
            if lab:
                c = [x for x in sp.cands[bisect_left(sp.starts, ps + lab.start()):bisect_left(sp.starts, qm.start())]
                     if ps + lab.start() <= x.start and x.end <= qm.start() and x.kind == SP.PERSON]
                if c:
                    who = c[-1]
        if who is None and last is not None and ps <= last.start < pe:
            others = [x for x in sp.cands[bisect_left(sp.starts, ps):bisect_left(sp.starts, qm.start())]
                      if ps <= x.start < qm.start() and x.kind == SP.PERSON and x.actor != last.actor]
            if not others and qe - qs >= MIN_QUOTE:
                who, how = last, "continuation"
        if who is not None:
            add(who, qs, qe, True, how)
            if verb_at is not None:
                used_verbs.add(verb_at)

    # 2. Reported speech: a speech verb whose clause names a speaker; the statement runs to
    #    the end of the sentence. 据/根据/according to X: X is the source.
    for s in sentences:
        seg_lo = s.start
        covered.drop_before(s.start)
        for vm in _VERB_RX.finditer(norm, s.start, s.end):
            v = vm.start()
            if v in used_verbs or _inside_quote(norm, v, s.start):
                continue
            lo = _clause_start(norm, v, seg_lo)
            who = sp.subject(v, lo)
            how = "according_to" if who is not None and re.search(r"(?:据|[Aa]ccording to)", norm[lo:who.start]) \
                else "reported"
            if who is None and re.fullmatch(r"[\s，,]*(?:并且|并|还|也|同时|随后|又|则|但|且)?\s*", norm[lo:v]):
                # zero subject: the clause before in the same sentence (…顾明…进行威胁，称“…”)
                lo2 = _clause_start(norm, v, seg_lo, 1)
                who = sp.subject(max(lo2, lo - 1), lo2) if lo2 < lo else None
            if who is None and re.match(r"\s*(?:但|而|并|同时|此外，)?[他她](?!们)", norm[lo:v]):
                # 他/她: the last speaker when one spoke in this paragraph or the one before, else
                # the person named last (另一名公民帕丽达…的先生…。她告诉…)
                recent = last is not None and bisect_left(newlines, v) - bisect_left(newlines, last.end) <= 1
                who, how = (last if recent else sp.antecedent(lo) or last), "pronoun"
            if who is None and norm[v:vm.end()].isascii():
                who = sp.after(vm.end(), s.end)
            if who is None:
                continue
            st = vm.end()
            while st < s.end and norm[st] in "，,：: ":
                st += 1
            if s.end - st < 2:
                continue
            if who.actor in speakers and covered.covers(st):
                continue
            add(who, st, s.end, False, how)
        for am in re.finditer(r"(?:根据|据|[Aa]ccording to)\s*(?:该国|印媒|外媒|官媒|媒体|the\s+)?", norm[s.start:s.end]):
            a = s.start + am.end()
            c = next((x for x in sp.cands[bisect_left(sp.starts, a):bisect_right(sp.starts, a + 1)]
                      if a <= x.start <= a + 1 and x.kind != SP.STATE), None)
            if c is not None and norm.startswith("网站", c.end):
                continue  # 根据外交部网站消息: the website is where the statement was read, not who made it
            if c is not None and not any(q.speaker == c.actor and q.speaker_name == sp.display(c) for q in out):
                add(c, s.start, s.end, False, "according_to")
    out.sort(key=lambda q: q.span_start)
    return _one_id_per_person(out)


def _para_of(newlines: list[int], n: int, pos: int) -> tuple[int, int]:
    """The paragraph around ``pos`` from the text's newline positions (bisect, not a scan)."""
    k = bisect_left(newlines, pos)
    return (newlines[k - 1] + 1 if k else 0), (newlines[k] if k < len(newlines) else n)


class _Covered:
    """Spans added so far; ``covers(x)``: whether one holds ``x``. Spans mostly come with
    rising starts (the direct quotes, then reported speech sentence by sentence): those keep
    their starts and a running maximum of their ends (a lookup is a bisect, not a scan of
    every quote of the article); the few that come out of order (an "according to" span
    from its sentence's start) are kept aside and dropped once they end before the
    sentence being read (``drop_before``)."""

    def __init__(self) -> None:
        self.starts: list[int] = []
        self.reach: list[int] = []
        self.loose: list[tuple[int, int]] = []

    def add(self, a: int, b: int) -> None:
        if self.starts and a < self.starts[-1]:
            self.loose.append((a, b))
            return
        self.starts.append(a)
        self.reach.append(max(b, self.reach[-1]) if self.reach else b)

    def drop_before(self, x: int) -> None:
        if self.loose:
            self.loose = [(a, b) for a, b in self.loose if b > x]

    def covers(self, x: int) -> bool:
        k = bisect_right(self.starts, x)
        return bool(k and self.reach[k - 1] > x) or any(a <= x < b for a, b in self.loose)


def _body_affiliation(c: "SP.Candidate") -> str | None:
    if c.kind == SP.STATE:
        return c.actor
    e = load_gazetteer().entry(c.actor) if c.actor else None
    return getattr(e, "country", None) if e is not None else None



_NAME_SPLIT = re.compile(r"[\s·•・‧.\-（）()]+")


def _one_id_per_person(quotes: list[Quote]) -> list[Quote]:
    """One person, one id within an article: a speaker named by a part of a fuller name
    another quote gives (格拉济耶夫 beside 谢尔盖•格拉济耶夫（Sergey Glazyev）) takes that
    fuller name's id, so the gazetteer, the tagger and the fallback rules agree."""
    people = [q for q in quotes if q.speaker and q.speaker.startswith("person:")]
    if len(people) < 2:
        return quotes
    full: list[tuple[set[str], Quote]] = []
    for q in people:
        parts = {p for p in _NAME_SPLIT.split(to_simplified(q.speaker_name or "")) if len(p) >= 2}
        full.append((parts, q))
    out = []
    for q in quotes:
        if q.speaker and q.speaker.startswith("person:"):
            name = "".join(_NAME_SPLIT.split(to_simplified(q.speaker_name or "")))
            best = max((o for parts, o in full if o.speaker != q.speaker and name in parts and len(parts) > 1),
                       key=lambda o: len(o.speaker_name or ""), default=None)
            if best is not None:
                q = q.model_copy(update={"speaker": best.speaker, "affiliation": q.affiliation or best.affiliation})
        out.append(q)
    return out
