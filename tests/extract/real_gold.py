"""Scoring extraction on real published articles against span-only gold.

The gold (tests/extract/real_gold/README.md) holds character spans into the article files
in ``../shared/corpus/real/`` and values; the strings come from the files at run time.
Each gold item is located in the extracted article's clean text by its string and its
rank among the occurrences after the body start, then matched to the extractor's items:

- metadata: title, URL, outlet, authors and publication date each right, and the clean
  body starting with the gold start string and ending with the gold end string;
- figures → facts: value interval (value and qualifier, and the bounds of a range) in a
  unit that converts, subject, and the period when the gold gives one, with the fact's
  span overlapping the figure; the object and catalogue indicator are reported apart;
- events: type, date at the gold precision, at least one shared actor (when the gold
  names any) and the trigger within the same sentence region (±80 characters); events of
  type ``other`` are outside the vocabulary and not scored;
- speakers: one per article, by gazetteer id or by the whole name (a "·"- or
  space-separated part of the gold name also counts: 比拉什 for 赛尔克坚·比拉什);
- mentions (people and organisations): distinct per article, matched like speakers.

``python -m tests.extract.real_gold --split dev [--misses]`` prints the scores per
language and script and, with ``--misses``, each miss and extra.
"""

from __future__ import annotations

import hashlib
import html
import math
import re
import sys
from collections import defaultdict
from pathlib import Path
from urllib.parse import unquote

import yaml

from heartland import paths
from tests.extract.gold import Score, _d  # the seed scorer's tallies and date parsing

import os

#: The gold; HEARTLAND_GOLD_DIR points a worktree at the main checkout's (newer) gold.
GOLD_DIR = Path(os.environ.get("HEARTLAND_GOLD_DIR") or Path(__file__).parent / "real_gold")
KINDS = ("metadata", "facts", "events", "speakers", "mentions")
SCRIPT_NAMES = {"S": "zh-Hans", "T": "zh-Hant", "EN": "en"}
_PERSON_KINDS = {"person"}
_ORG_KINDS = {"institution", "think_tank", "media", "organisation", "org", "ministry", "party", "company",
              "armed_group", "university", "agency"}


def real_dir() -> Path | None:
    corpus = paths.shared_corpus_dir()
    if corpus is None:
        return None
    real = corpus / "real"
    return real if real.is_dir() else None


def load_gold(split: str) -> list[dict]:
    return [yaml.safe_load(p.read_text(encoding="utf-8")) for p in sorted((GOLD_DIR / split).glob("*.yaml"))]


# --- reading ---------------------------------------------------------------------------

class GoldFileChanged(AssertionError):
    pass


def read_raw(gold: dict, real: Path) -> str:
    data = (real / gold["file"]).read_bytes()
    if hashlib.sha256(data).hexdigest() != gold["sha256"]:
        raise GoldFileChanged(f"{gold['file']}: the file changed since its gold was written (sha256 differs)")
    return data.decode("utf-8")


def _clean(s: str) -> str:
    """Visible text: tags dropped (a drop cap split across <span>s), entities and spaces normalised."""
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]*>", "", s))).strip()


def _t2s(s: str) -> str:
    from heartland.extract.gazetteer import to_simplified
    return to_simplified(s)


def _fold(s: str) -> str:
    return re.sub(r"[\s·•・‧.\-]", "", _t2s(_clean(s))).lower()


def locate(raw: str, span: list[int], text: str, body_start: int) -> tuple[int, int] | None:
    """The gold string's position in the clean text: same rank among occurrences after the body start."""
    needle = _clean(raw[span[0]:span[1]])
    if not needle:
        return None
    rank = raw.count(needle, body_start, span[0]) if span[0] >= body_start else 0
    hits = [m.start() for m in re.finditer(re.escape(needle), text)
            # a figure is not the tail or head of a longer number (17年 in 2017年)
            if not (needle[0].isdigit() and m.start() > 0 and text[m.start() - 1].isdigit())
            and not (needle[-1].isdigit() and m.end() < len(text) and text[m.end()].isdigit())]
    if not hits:
        return None
    i = hits[min(rank, len(hits) - 1)]
    return i, i + len(needle)


# --- metadata and body -------------------------------------------------------------------

def _norm_url(u: str | None) -> str:
    if not u:
        return ""
    u = unquote(str(u)).strip().lower()
    u = re.sub(r"^https?://", "", u)
    u = re.sub(r"^www\.", "", u)
    return re.sub(r"/+", "/", u).rstrip("/")


def _outlet_key(name: str | None) -> str:
    from heartland.corpus.outlets import canonical
    return (canonical(name) or "").lower()


def _title(s: str) -> str:
    """A headline compared without a picture marker ((图), (组图)), which annotators differ on."""
    return re.sub(r"\s*[（(](?:组|組)?(?:图|圖)[)）]\s*$", "", _clean(s))


def score_metadata(gold: dict, raw: str, art) -> tuple[bool, list[str]]:
    md, body = gold["metadata"], gold["body"]
    wrong = []
    if md.get("title") and _title(art.title) != _title(raw[slice(*md["title"])]):
        wrong.append(f"title {art.title!r} != {_clean(raw[slice(*md['title'])])!r}")
    if _norm_url(art.url) != _norm_url(md.get("url")):
        wrong.append(f"url {art.url!r} != {md.get('url')!r}")
    if _outlet_key(art.outlet) != _outlet_key(md.get("outlet")):
        wrong.append(f"outlet {art.outlet!r} != {md.get('outlet')!r}")
    gold_authors = sorted(_fold(raw[slice(*a)]) for a in md.get("authors") or [])
    if sorted(_fold(a) for a in art.authors) != gold_authors:
        wrong.append(f"authors {art.authors!r} != {[_clean(raw[slice(*a)]) for a in md.get('authors') or []]!r}")
    pub = art.published.date().isoformat() if art.published else None
    if md.get("published") and pub != str(md["published"]):
        wrong.append(f"published {pub} != {md['published']}")
    text = _clean(art.text)
    if body.get("start") and not text.startswith(_clean(raw[slice(*body["start"])])):
        wrong.append(f"body starts {text[:30]!r}, gold {_clean(raw[slice(*body['start'])])!r}")
    if body.get("end") and not text.endswith(_clean(raw[slice(*body["end"])])):
        wrong.append(f"body ends {text[-30:]!r}, gold {_clean(raw[slice(*body['end'])])!r}")
    return not wrong, wrong


# --- facts -------------------------------------------------------------------------------

_SCALE = {"bn": 1e9, "mn": 1e6, "k": 1e3}


def _unit_base(unit: str, value: float | None) -> tuple[str, float | None]:
    """Money units to (currency, absolute amount); other units unchanged."""
    m = re.fullmatch(r"([A-Z]{3})(?:_(bn|mn|k))?", unit or "")
    if m:
        scale = _SCALE.get(m.group(2) or "", 1.0)
        return m.group(1), None if value is None else float(value) * scale
    return unit, None if value is None else float(value)


def _close(a, b) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(float(a), float(b), rel_tol=2e-3, abs_tol=1e-9)  # 0.333 for a third


def value_matches(f, g: dict) -> bool:
    gu, gv = _unit_base(g["unit"], g.get("value"))
    pu, pv = _unit_base(f.unit, f.value)
    if gu != pu:
        return False
    q = g.get("qualifier", "exact")
    if q == "range":
        _, glo = _unit_base(g["unit"], g.get("low"))
        _, ghi = _unit_base(g["unit"], g.get("high"))
        _, plo = _unit_base(f.unit, f.low)
        _, phi = _unit_base(f.unit, f.high)
        return f.qualifier == "range" and _close(glo, plo) and _close(ghi, phi)
    if q == "vague":
        return f.qualifier == "vague"
    return _close(gv, pv) and f.qualifier == q


def period_matches(f, g: dict) -> bool:
    if g.get("period_start") is None and g.get("period_end") is None:
        return True
    return f.period_start == _d(g.get("period_start")) and f.period_end == _d(g.get("period_end"))


def score_facts(gold: dict, raw: str, art, x) -> tuple[Score, dict]:
    s = Score()
    extra = {"object_right": 0, "indicator_right": 0, "matched": 0}
    used: set[int] = set()
    start = gold["body"].get("start", [0])[0]
    for g in gold.get("figures", []):
        loc = locate(raw, g["at"], art.text, start)
        hit = None
        for i, f in enumerate(x.facts):
            if i in used or loc is None or not (f.span_start < loc[1] and loc[0] < f.span_end):
                continue
            if value_matches(f, g) and f.subject == g.get("subject") and period_matches(f, g):
                hit = i
                break
        if hit is None:
            s.fn += 1
            s.misses.append((gold["file"], _clean(raw[slice(*g["at"])]), g.get("measure"), g.get("value"),
                             g.get("unit"), g.get("subject"), g.get("period_start")))
        else:
            used.add(hit)
            s.tp += 1
            f = x.facts[hit]
            extra["matched"] += 1
            extra["object_right"] += f.object == g.get("object")
            extra["indicator_right"] += (getattr(f, "indicator", None) or None) == (g.get("indicator") or None)
    for i, f in enumerate(x.facts):
        if i not in used:
            s.fp += 1
            s.extras.append((gold["file"], art.text[f.span_start:f.span_end], f.indicator, f.value, f.unit,
                             f.subject, str(f.period_start)))
    return s, extra


# --- events ------------------------------------------------------------------------------

def date_matches(e, g: dict) -> bool:
    gd, prec = _d(g["date"]), g.get("precision", "day")
    if e.date is None or gd is None:
        return False
    if prec == "year":
        return e.date.year == gd.year and e.date_precision == "year"
    if prec == "month":
        # the guide has no week precision: annotators wrote 本周/this week as its month
        return (e.date.year, e.date.month) == (gd.year, gd.month) and e.date_precision in ("month", "week")
    return e.date == gd and e.date_precision == "day"


def score_events(gold: dict, raw: str, art, x) -> Score:
    s = Score()
    used: set[int] = set()
    start = gold["body"].get("start", [0])[0]
    scored = [g for g in gold.get("events", []) if g.get("type") != "other"]
    for g in scored:
        loc = locate(raw, g["at"], art.text, start)
        hit = None
        for i, e in enumerate(x.events):
            if i in used or e.type != g["type"] or not date_matches(e, g):
                continue
            if loc is not None and not (e.span_start - 80 < loc[1] and loc[0] < e.span_end + 80):
                continue
            if g.get("actors") and not set(g["actors"]) & set(e.actors):
                continue
            hit = i
            break
        if hit is None:
            s.fn += 1
            s.misses.append((gold["file"], _clean(raw[slice(*g["at"])]), g["type"], str(g["date"]),
                             g.get("precision"), g.get("actors")))
        else:
            used.add(hit)
            s.tp += 1
    for i, e in enumerate(x.events):
        if i not in used:
            s.fp += 1
            s.extras.append((gold["file"], art.text[e.span_start:e.span_end], e.type, str(e.date),
                             e.date_precision, e.actors))
    return s


# --- speakers and mentions ---------------------------------------------------------------

def _name_parts(name: str) -> set[str]:
    clean = _t2s(_clean(name))
    # the Latin apposition of a Chinese name is a part too: 秦贝科夫（Sooronbai Jeenbekov）
    segments = [x.strip() for x in re.split(r"[（）()，,]+", clean) if x.strip()]
    parts = {p for seg in segments for p in [seg] + re.split(r"[\s·•・‧]+", seg) if len(p) >= 2}
    return {_fold(clean)} | {_fold(p) for p in parts}


def _same_entity(pred_id: str | None, pred_name: str, g: dict, gname: str) -> bool:
    if g.get("id") and pred_id == g["id"]:
        return True
    # the prediction's whole name, or a whole segment of it (the name before its Latin gloss,
    # or the gloss): 谢尔盖•格拉济耶夫（Sergey Glazyev） is the gold's 谢尔盖•格拉济耶夫
    clean = _t2s(_clean(pred_name or ""))
    forms = {_fold(clean)} | {_fold(x) for x in re.split(r"[（）()，,]+", clean) if len(x.strip()) >= 2}
    forms.discard("")
    return bool(forms & _name_parts(gname))


def _match_set(gold_items: list[dict], raw: str, preds: list[tuple[str | None, str]], file: str) -> Score:
    s = Score()
    used: set[int] = set()
    for g in gold_items:
        gname = raw[slice(*g["at"])]
        hit = next((i for i, (pid, pname) in enumerate(preds)
                    if i not in used and _same_entity(pid, pname, g, gname)), None)
        if hit is None:
            s.fn += 1
            s.misses.append((file, _clean(gname), g.get("id"), g.get("kind")))
        else:
            used.add(hit)
            s.tp += 1
    for i, p in enumerate(preds):
        if i not in used:
            s.fp += 1
            s.extras.append((file, p[1], p[0]))
    return s


def score_speakers(gold: dict, raw: str, x) -> Score:
    seen, preds = set(), []
    for q in x.quotes:
        key = q.speaker or _fold(q.speaker_name)
        if key and key not in seen:
            seen.add(key)
            preds.append((q.speaker, q.speaker_name))
    return _match_set(gold.get("speakers", []), raw, preds, gold["file"])


def score_mentions(gold: dict, raw: str, art, x) -> Score:
    seen, preds = set(), []
    for m in x.mentions:
        if m.kind in _PERSON_KINDS or m.kind in _ORG_KINDS:
            if m.actor not in seen:
                seen.add(m.actor)
                preds.append((m.actor, art.text[m.start:m.end]))
    # one predicted entity may surface under several names: collapse surfaces of one id
    return _match_set(gold.get("mentions", []), raw, preds, gold["file"])


# --- the whole set -----------------------------------------------------------------------

def read_article(real: Path, gold: dict):
    from heartland.corpus import ReadError, read_file
    results = read_file(real / gold["file"])
    arts = [r for r in results if not isinstance(r, ReadError)]
    return arts[0] if arts else None


def score_split(split: str, real: Path | None = None) -> dict:
    """Scores per group ('all', 'zh-Hans', 'zh-Hant', 'en') and kind, plus per-article notes."""
    from heartland.extract.pipeline import extract_article
    real = real or real_dir()
    out: dict = defaultdict(lambda: {k: Score() for k in KINDS})
    extra = defaultdict(int)
    for gold in load_gold(split):
        raw = read_raw(gold, real)
        group = SCRIPT_NAMES.get(gold.get("script"), "other")
        art = read_article(real, gold)
        scores = {k: Score() for k in KINDS}
        if art is None:
            scores["metadata"] = Score(fn=1, misses=[(gold["file"], "not read")])
            for k, items in (("facts", "figures"), ("events", "events"), ("speakers", "speakers"),
                             ("mentions", "mentions")):
                scores[k] = Score(fn=len(gold.get(items, [])))
        else:
            x = extract_article(art)
            ok, wrong = score_metadata(gold, raw, art)
            scores["metadata"] = Score(tp=int(ok), fn=int(not ok), misses=[(gold["file"], w) for w in wrong])
            scores["facts"], fx = score_facts(gold, raw, art, x)
            for k, v in fx.items():
                extra[k] += v
            scores["events"] = score_events(gold, raw, art, x)
            scores["speakers"] = score_speakers(gold, raw, x)
            scores["mentions"] = score_mentions(gold, raw, art, x)
        for g in (group, "all"):
            for k in KINDS:
                out[g][k].add(scores[k])
    result = dict(out)
    result["_facts_detail"] = dict(extra)
    return result


def report(result: dict, title: str) -> str:
    lines = [f"{title}: precision / recall against hand-written gold (metadata: share of articles exact)"]
    for group in ("all", "zh-Hans", "zh-Hant", "en"):
        if group not in result:
            continue
        lines.append(f" {group}:")
        for k, s in result[group].items():
            if k == "metadata":
                n = s.tp + s.fn
                lines.append(f"   metadata+body exact {s.tp}/{n} = {s.tp / n if n else 1:.2f}")
            else:
                lines.append(f"   {k:9} P={s.precision:.2f} R={s.recall:.2f}  (tp={s.tp} fp={s.fp} fn={s.fn})")
    d = result.get("_facts_detail") or {}
    if d.get("matched"):
        lines.append(f" matched facts with the right object {d['object_right']}/{d['matched']}, "
                     f"right catalogue indicator {d['indicator_right']}/{d['matched']}")
    return "\n".join(lines)


def misses_report(result: dict) -> str:
    lines = []
    for k in KINDS:
        s = result["all"][k]
        lines.append(f"== {k}: missed {len(s.misses)}")
        lines += [f"  - {m}" for m in s.misses]
        lines.append(f"== {k}: extra {len(s.extras)}")
        lines += [f"  + {m}" for m in s.extras]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    import argparse
    ap = argparse.ArgumentParser()
    ap.add_argument("--split", default="dev", choices=["dev", "blind"])
    ap.add_argument("--misses", action="store_true")
    args = ap.parse_args(argv)
    real = real_dir()
    if real is None:
        print("../shared/corpus/real not found", file=sys.stderr)
        return 2
    result = score_split(args.split, real)
    print(report(result, f"real articles, {args.split} set"))
    if args.misses:
        print(misses_report(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
