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
from bisect import bisect_right
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path

import yaml

from heartland.extract.gazetteer import affiliation_on, load_gazetteer
from heartland.extract.records import HypothesisLink, Mention, Quote
from heartland.extract.scan import anchored
from heartland.extract.text import Sentence

MIN_QUOTE = 12
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
        for m in _APPOS.finditer(norm):
            zh = m.group("zh")
            # Strip a title glued to the name (研究员赫斯 → 赫斯): keep the last 2-4 chars
            # unless the name is dotted.
            if "·" not in zh and len(zh) > 3:
                zh = zh[-3:]
            s = m.start("zh") + len(m.group("zh")) - len(zh)
            if any(a <= s < b or s <= a < m.end("zh") for a, b in known_spans):
                continue
            pid = "person:" + _slug(m.group("en"))
            self.extra.append(Mention(actor=pid, kind="person", surface=text[s:m.end("zh")], start=s,
                                      end=m.end("zh")))
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
        self.extra_names = {x.surface: x.actor for x in self.extra}
        for surf, pid in list(self.extra_names.items()):
            if "·" in surf and len(surf.rsplit("·", 1)[1]) >= 2:
                self.extra_names.setdefault(surf.rsplit("·", 1)[1], pid)
            if " " in surf and len(surf.rsplit(" ", 1)[1]) >= 3:  # Aziz Karimov → Karimov
                self.extra_names.setdefault(surf.rsplit(" ", 1)[1], pid)
        # Later short mentions of an apposition name (贾丁说) map to the same id.
        for surf, pid in list(self.extra_names.items()):
            pat = r"\b%s\b" % re.escape(surf) if surf.isascii() else re.escape(surf)
            for mm in re.finditer(pat, norm):
                if not any(x.start < mm.end() and mm.start() < x.end for x in self.extra + mentions):
                    self.extra.append(Mention(actor=pid, kind="person", surface=surf, start=mm.start(),
                                              end=mm.end()))
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


def _direct_speaker(norm: str, qm: re.Match, pstart: int, ppl: _People, last: Mention | None,
                    continuing: bool) -> tuple[Mention | None, str | None]:
    """The speaker of the quote ``qm`` (and the name as written when it is a pronoun)."""
    before = norm[pstart:qm.start()]
    tail = before[-30:]
    vb = list(re.finditer(_VERBS + r"[：:，,]?\s*$", tail))
    if vb:
        verb_at = pstart + len(before) - len(tail) + vb[-1].start()
        sent_lo = max(pstart, norm.rfind("。", pstart, verb_at) + 1)
        sp = ppl.before(verb_at, sent_lo)
        if sp is not None:
            return sp, None
        pr = _PRONOUN.search(norm[sent_lo:verb_at])
        if pr and last is not None:
            return last, pr.group()
    # After the closing mark: “…，”X说 / “…”，研究员X说。
    end = norm.find("。", qm.end(), qm.end() + 80)
    if end < 0 and norm[qm.start()] == '"':  # English: to the end of the sentence, which can be long
        em = re.compile(r"\.(?:\s|$)|\n").search(norm, qm.end(), qm.end() + 200)
        end = em.start() if em else -1
    end = end if end >= 0 else min(len(norm), qm.end() + 80)
    after = norm[qm.end():end]
    if not after.lstrip("，,。 ").startswith(("“", "「")):
        vm = None
        for vm in re.finditer(_VERBS, after):
            break
        if vm is not None:
            cand = [x for x in ppl.all if qm.end() <= x.start and x.end <= qm.end() + vm.start()]
            if cand:
                return cand[-1], None
            # English: ," said Alexander Gabuev
            cand = [x for x in ppl.all if qm.end() + vm.end() <= x.start <= qm.end() + vm.end() + 2]
            if cand:
                return cand[0], None
            pr = _PRONOUN.fullmatch(after[:vm.start()].strip("，,。 "))
            if pr and last is not None:
                return last, pr.group()
    lab = re.search(r"(?P<who>[^\n“”。]{2,30})\s*[：:]\s*$", before)
    if lab:
        cand = [x for x in ppl.all if pstart + lab.start() <= x.start < qm.start()]
        if cand:
            return cand[-1], None
    if last is not None and continuing:
        others = [x for x in ppl.all if pstart <= x.start < qm.start() and x.actor != last.actor]
        if not others:
            return last, None
    return None, None


def extract_quotes(text: str, norm: str, sentences: list[Sentence], mentions: list[Mention],
                   published, article_id: str = "") -> list[Quote]:
    pub = _pub_date(published)
    ppl = _People(text, norm, mentions, pub)
    out: list[Quote] = []
    covered: list[tuple[int, int]] = []
    last_speaker: Mention | None = None
    last_para_quoted: int | None = None
    para_starts = [0] + [m.end() for m in _NEWLINE.finditer(norm)]

    def para_of(pos: int) -> int:
        return bisect_right(para_starts, pos) - 1

    def add(speaker: Mention | None, name: str, s: int, e: int, direct: bool) -> None:
        nonlocal last_speaker
        stmt = text[s:e]
        links, stance = classify(norm[s:e])
        pid = speaker.actor if speaker else None
        affil, role = ppl.affiliation(pid) if pid else (None, None)
        out.append(Quote(speaker=pid, speaker_name=name, affiliation=affil, role=role, text=stmt, direct=direct,
                         hypotheses=links, stance=stance, article_id=article_id, span_start=s, span_end=e))
        covered.append((s, e))
        if speaker:
            last_speaker = speaker

    verb_rx = re.compile(_VERBS)
    # One pass in text order, so that 他/她 and continuation paragraphs refer back to the
    # speaker of the statement just before.
    items = [(qm.start(), 0, qm) for qm in _QUOTE_ANY.finditer(norm)] + [(s.start, 1, s) for s in sentences]
    items.sort(key=lambda x: (x[0], x[1]))
    for _, kind, obj in items:
        if kind == 0:
            qm = obj
            qs, qe = qm.start() + 1, qm.end() - 1
            if any(a <= qs and qe <= b for a, b in covered):
                continue  # inside a reported statement already taken whole
            p = para_of(qm.start())
            pstart = para_starts[p]
            speaker, name = _direct_speaker(norm, qm, pstart, ppl, last_speaker, last_para_quoted == p or
                                            last_para_quoted == p - 1)
            if speaker is None:
                continue
            add(speaker, name or text[speaker.start:speaker.end], qs, qe, True)
            last_para_quoted = p
            continue
        s = obj
        if any(a < s.end and s.start < b for a, b in covered):
            continue
        seg = norm[s.start:s.end]
        done = False
        for p in [x for x in ppl.all if s.start <= x.start < s.end]:
            # English: "<statement>, said Bradley Jardine, ..."
            sm = _EN_SAID_BEFORE.search(norm, s.start, p.start)
            if sm and sm.end() == p.start and sm.start() - s.start >= MIN_QUOTE:
                add(p, text[p.start:p.end], s.start, sm.start(), False)
                done = True
                break
            ap = _EN_APPOS_SPAN.match(norm, p.end, s.end)
            vm = verb_rx.match(norm, ap.end(), s.end) if ap else None
            vm = vm or verb_rx.search(norm, p.end, min(s.end, p.end + VERB_REACH))
            if not vm:
                continue
            gap = norm[p.end:vm.start()]
            if re.search(r"[。；“”]", gap) or any(x.start < vm.start() and x.actor != p.actor for x in ppl.all
                                                 if p.end <= x.start):
                continue
            if re.match(r"[的之]", gap) or "据" in norm[max(s.start, p.start - 2):p.start]:
                continue
            st = vm.end()
            while st < s.end and norm[st] in "，,：: ":
                st += 1
            if s.end - st < MIN_QUOTE or norm[st:st + 1] in "“「":
                continue
            add(p, text[p.start:p.end], st, s.end, False)
            done = True
            break
        if not done:
            pm = _PRONOUN.match(seg)
            if pm and last_speaker is not None:
                vm = verb_rx.match(norm, s.start + pm.end())
                if vm:
                    st = vm.end()
                    while st < s.end and norm[st] in "，,：: ":
                        st += 1
                    if s.end - st >= MIN_QUOTE and norm[st:st + 1] not in "“「":
                        add(last_speaker, text[s.start:s.start + pm.end()], st, s.end, False)
    out.sort(key=lambda q: q.span_start)
    return out
