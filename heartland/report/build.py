"""``write_report``: one self-contained HTML file with everything heartland knows.

Sections: the system today (influence per target and domain, maps shaded by the leading
patron per domain, division of labour / transition / friction over time), the evidence
(facts with sources and corroboration, conflicts, experts and the hypotheses they back,
articles), the scenarios (fan charts, hypothesis probabilities, sensitivity) and the
issue forecasts. A section whose stage has produced nothing says so instead of failing.

The file has no external resource references: styles are inline, figures are inline
SVG; the only URLs are links (``<a href>``) to the original articles and sources.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import logging
from html import escape
from pathlib import Path
from typing import Callable

from heartland import __version__, paths
from heartland.cli_common import at_precision
from heartland.report import evidence, figures, stages
from heartland.report.readmodel import StoreUnavailable, connect_ro
from heartland.store.db import StoreDamaged, damaged, is_damage
from heartland.world.axes import DOMAINS, PATRONS, TARGETS, actor_name

log = logging.getLogger("heartland.report")

#: Rows shown in the report's long tables (the dashboard has the rest).
MAX_ROWS = 300

CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI","Noto Sans","Noto Sans CJK SC",sans-serif;color:#1d2433;
margin:0;background:#f6f7f9;line-height:1.5;font-size:14px}
header{background:#1f2a44;color:#fff;padding:22px 32px}header h1{margin:0;font-size:26px}
header p{margin:4px 0 0;color:#cfd6e4}main{max-width:1180px;margin:0 auto;padding:8px 28px 40px}
nav.toc{margin:16px 0;display:flex;gap:14px;flex-wrap:wrap}nav.toc a{color:#1f5fbf}
section{background:#fff;border:1px solid #e3e7ee;border-radius:10px;padding:16px 22px;margin:18px 0}
h2{font-size:20px;margin:4px 0 10px}h3{font-size:15px;margin:16px 0 6px}
table{border-collapse:collapse;width:100%;font-size:13px;margin:6px 0 12px}
th,td{text-align:left;padding:5px 7px;border-bottom:1px solid #e3e7ee;vertical-align:top}
th{font-size:11px;text-transform:uppercase;letter-spacing:.4px;color:#667085;background:#fafbfc}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
.muted{color:#667085}.na{padding:14px;border:1px dashed #c9d0dc;border-radius:8px;color:#667085;background:#fbfbfc}
.figs{display:flex;flex-wrap:wrap;gap:10px;align-items:flex-start}.figs svg{max-width:100%;height:auto}figure.chart{margin:0;max-width:calc(5.4in + 4px)}figure.chart figcaption{font-size:.8em;color:#475467}
.tag{display:inline-block;padding:0 7px;border-radius:999px;font-size:11px;background:#eef1f6;margin-right:3px}
.good{background:#dcfae6;color:#067647}.bad{background:#fee4e2;color:#b42318}.tag.prior{background:#f2f4f7;color:#475467;border:1px dashed #98a2b3}
.sw{display:inline-block;width:11px;height:11px;border-radius:2px;margin-right:4px;vertical-align:-1px}
mark{background:#ffe08a}.sent{font-size:13px}a{color:#1f5fbf}
summary{cursor:pointer;color:#1f5fbf;margin:4px 0}
"""


def _e(v) -> str:
    return escape("" if v is None else str(v))


def _n(v, d: int = 2) -> str:
    return "–" if v is None else f"{v:.{d}f}"


def _na(what: str) -> str:
    return f'<p class="na">{_e(what)} not available yet.</p>'


def _link(url: str | None, text: str | None = None) -> str:
    if not url or not str(url).startswith(("http://", "https://")):
        return _e(text or "")
    return f'<a href="{_e(url)}">{_e(text or url)}</a>'


def _sentence(r: dict) -> str:
    s = r.get("sentence")
    if not s:
        return ""
    a, b = max(0, r.get("mark_start") or 0), min(len(s), r.get("mark_end") or 0)
    return f'<span class="sent">{_e(s[:a])}<mark>{_e(s[a:b])}</mark>{_e(s[b:])}</span>'


# -- sections ---------------------------------------------------------------------------

def section_system(db: Path) -> str:
    panel = stages.influence_panel(db)
    out = ['<section id="system"><h2>The system today</h2>']
    if panel is None or not panel["years"]:
        return out[0] + _na("Influence indices (world and measure stages)") + "</section>"
    year = panel["years"][-1]
    out.append(f'<p class="muted">Influence of each outside power over each Central Asian state in {year}, '
               "per domain: bandwidth × dependence after the Pardee Center's Formal Bilateral Influence "
               "Capacity (0–1); the interval in brackets where the evidence is uncertain.</p>")
    # Maps: leading patron per domain.
    maps = []
    for dom in ("overall",) + DOMAINS:
        rows = panel["overall"][year] if dom == "overall" else [c for c in panel["cells"][year] if c["domain"] == dom]
        vals: dict[str, dict[str, float]] = {}
        for c in rows:
            vals.setdefault(c["target"], {})[c["patron"]] = c["value"]
        maps.append(figures.leading_map(vals, f"{dom}: leading patron"))
    present = sorted({c["patron"] for c in panel["overall"][year]}, key=PATRONS.index)
    legend = " ".join(f'<span><span class="sw" style="background:{figures.PATRON_COLORS[p]}"></span>'
                      f"{_e(actor_name(p))}</span>" for p in present)
    out.append(f'<h3>Who leads where ({year})</h3><div class="figs" id="maps">{"".join(maps)}</div>'
               f'<p>{legend} <span class="muted">— darker = larger influence of the leading patron. Map: Natural '
               "Earth (public domain) via the geopandas 0.14.4 package.</span></p>")
    # Influence table: target x patron per domain.
    out.append(f'<h3>Influence per state and domain ({year})</h3><table id="influence"><thead><tr><th>State</th>'
               "<th>Patron</th>" + "".join(f'<th class="num">{d}</th>' for d in ("overall",) + DOMAINS)
               + "</tr></thead><tbody>")
    cells = {(c["patron"], c["target"], c["domain"]): c for c in panel["cells"][year]}
    cells.update({(c["patron"], c["target"], "overall"): c for c in panel["overall"][year]})
    priors = {(c["patron"], c["target"], c["domain"]) for c in (panel.get("priors") or {}).get(year, [])}
    prior_td = ('<td class="num prior-cell" title="no figure: the simulation starts this cell from the '
                "year's prior (docs/data.md)\"><span class=\"tag prior\">prior</span></td>")
    for t in TARGETS:
        for p in PATRONS:
            doms = ("overall",) + DOMAINS
            row = [cells.get((p, t, d)) for d in doms]
            if not any(row) and not any((p, t, d) in priors for d in DOMAINS):
                continue
            tds = "".join(
                f'<td class="num">{_n(c["value"])}'
                + (f' <span class="muted">[{_n(c["low"])}–{_n(c["high"])}]</span>'
                   if c and c["low"] is not None and c["high"] is not None and c["high"] - c["low"] > 0.005 else "")
                + "</td>" if c else (prior_td if (p, t, d) in priors else '<td class="num">–</td>')
                for c, d in zip(row, doms))
            out.append(f"<tr><td>{_e(actor_name(t))}</td><td><span class=\"sw\" style=\"background:"
                       f'{figures.PATRON_COLORS.get(p, "#555")}"></span>{p}</td>{tds}</tr>')
    out.append("</tbody></table>")
    if priors:
        out.append(f'<p class="muted" id="prior-note"><span class="tag prior">prior</span> {len(priors)} of '
                   f"{len(PATRONS) * len(TARGETS) * len(DOMAINS)} cells of {year} have no figure in the data or "
                   "the evidence: the simulation starts them from the year's prior (nothing known only after "
                   f"{year}; docs/data.md), and they carry no influence number here.</p>")
    # China vs Russia over time per target (overall).
    figs = []
    for t in TARGETS:
        series = []
        for p in ("CHN", "RUS"):
            pts = [(y, next((c for c in panel["overall"][y] if c["patron"] == p and c["target"] == t), None))
                   for y in panel["years"]]
            pts = [(y, c) for y, c in pts if c]
            if pts:
                series.append({"label": p, "color": figures.PATRON_COLORS[p], "x": [y for y, _ in pts],
                               "y": [c["value"] for _, c in pts], "low": [c["low"] for _, c in pts],
                               "high": [c["high"] for _, c in pts]})
        if series:
            figs.append(figures.lines(series, title=f"{actor_name(t)}: overall influence", width=3.6, height=2.3))
    out.append(f'<h3>China and Russia over time</h3><div class="figs">{"".join(figs)}</div>')
    out.append(_measures_html(db))
    out.append("</section>")
    return "".join(out)


def _measures_html(db: Path) -> str:
    m = stages.measures(db)
    if m is None:
        return _na("Division-of-labour and friction measures")
    figs = []
    by_t: dict[str, list] = {}
    for r in m["division_of_labour"]:
        by_t.setdefault(r["target"], []).append(r)
    figs.append(figures.lines([{"label": t, "color": figures.TARGET_COLORS.get(t, "#555"), "dash": t == "C5",
                                "x": [r["year"] for r in rows], "y": [r["mid"] for r in rows],
                                "low": [r["low"] for r in rows], "high": [r["high"] for r in rows]}
                               for t, rows in by_t.items()], title="Division of labour (per state)"))
    fr = m["friction"]
    figs.append(figures.lines([
        {"label": "friction", "color": "#b42318", "x": [r["year"] for r in fr], "y": [r["friction"] for r in fr]},
        {"label": "encroachment", "color": "#e07b00", "dash": True, "x": [r["year"] for r in fr],
         "y": [r["encroachment"] for r in fr]}], title="China–Russia friction"))
    by_d: dict[str, list] = {}
    for r in m["transition"]:
        by_d.setdefault(r["domain"], []).append(r)
    figs.append(figures.lines([{"label": d, "color": figures.PALETTE[i], "x": [r["year"] for r in rows],
                                "y": [r["ratio"] for r in rows], "low": [r["ratio_low"] for r in rows],
                                "high": [r["ratio_high"] for r in rows]} for i, (d, rows) in enumerate(by_d.items())],
                              title="Power transition: China/Russia capability", hline=1.0))
    return ('<h3>Division of labour, transition and friction over time</h3><p class="muted">Formulas in '
            "docs/measure.md. Division of labour: how far China leads in the economy while Russia leads in "
            "security; transition: China's regional capability over Russia's per domain (1 = parity); friction: "
            f'encroachment, corridor competition and the balance of expert claims.</p><div class="figs" id="measures">'
            f'{"".join(figs)}</div>')


def section_evidence(db: Path) -> str:
    out = ['<section id="evidence"><h2>The evidence</h2>']
    try:
        with connect_ro(db) as conn:
            arts = evidence.list_articles(conn)
            facts = evidence.list_items(conn, "facts", limit=MAX_ROWS)
            groups = evidence.fact_groups(conn)
            quotes = evidence.list_items(conn, "quotes", limit=MAX_ROWS)
            events = evidence.list_items(conn, "events", limit=MAX_ROWS)
    except StoreUnavailable as exc:
        return out[0] + _na(f"The store ({exc})") + "</section>"
    out.append(f'<h3>Articles ({len(arts)})</h3><table id="articles"><thead><tr><th>Title</th><th>Outlet</th>'
               '<th>Published</th><th class="num">facts</th><th class="num">events</th><th class="num">quotes</th>'
               "</tr></thead><tbody>")
    for a in arts:
        out.append(f"<tr><td>{_link(a.get('url'), a.get('title') or a.get('id'))}</td><td>{_e(a.get('outlet'))}</td>"
                   f"<td>{_e(str(a.get('published') or '')[:10])}</td>"
                   + "".join(f'<td class="num">{a["items"].get(k, 0)}</td>' for k in ("facts", "events", "quotes"))
                   + "</tr>")
    out.append("</tbody></table>")
    # Facts with sources and corroboration.
    corr = {}
    for g in groups:
        for f in g["facts"]:
            corr[id_of(f)] = g
    if facts["available"] and facts["items"]:
        out.append(f'<h3>Facts ({facts["total"]})</h3><table id="facts"><thead><tr><th>Fact</th><th>Sentence</th>'
                   "<th>Corroboration</th><th>Source</th></tr></thead><tbody>")
        for f in facts["items"]:
            g = corr.get(id_of(f))
            tags = ""
            if g:
                tags = (f'<span class="tag {"good" if g["corroborated"] else ""}">{len(g["outlets"])} outlet(s)</span>'
                        + ('<span class="tag bad">conflict</span>' if g["conflict"] else ""))
            src = f.get("source") or {}
            out.append(f"<tr><td><b>{_e(f.get('subject'))} → {_e(f.get('object'))}</b> {_e(f.get('indicator'))} "
                       f"{_fact_value(f)}</td><td>{_sentence(f)}</td><td>{tags}</td>"
                       f"<td>{_e(src.get('outlet'))}<br>{_link(src.get('url'), 'original article')}</td></tr>")
        out.append("</tbody></table>")
        conflicts = [g for g in groups if g["conflict"]]
        out.append(f"<h3>Conflicts ({len(conflicts)})</h3>")
        if conflicts:
            out.append('<table id="conflicts"><thead><tr><th>Fact</th><th>Values reported</th></tr></thead><tbody>')
            for g in conflicts:
                vals = "; ".join(f"{_fact_value(f)} ({_link((f.get('source') or {}).get('url'), (f.get('source') or {}).get('outlet') or 'article')})"
                                 for f in g["facts"])
                out.append(f"<tr><td>{_e(g['subject'])} → {_e(g['object'])} {_e(g['indicator'])} {_e(g['period'])}</td>"
                           f"<td>{vals}</td></tr>")
            out.append("</tbody></table>")
        else:
            out.append('<p class="muted">No two reports of the same fact disagree beyond rounding.</p>')
    else:
        out.append(_na("Facts extracted from the articles (extraction stage)"))
    # Curated evidence behind the indices: always there with the bundled data.
    out.append(_curated_html(db))
    # Experts and hypotheses.
    if quotes["available"] and quotes["items"]:
        experts: dict[str, dict] = {}
        for q in quotes["items"]:
            key = q.get("speaker") or q.get("speaker_name")
            e = experts.setdefault(key, {"names": set(), "affiliation": q.get("affiliation"), "n": 0, "hyps": {},
                                         "stances": {}})
            if q.get("speaker_name") and len(q["speaker_name"]) > 1:
                e["names"].add(q["speaker_name"])
            e["n"] += 1
            e["stances"][q.get("stance")] = e["stances"].get(q.get("stance"), 0) + 1
            for h in q.get("hypotheses") or []:
                if isinstance(h, dict):
                    k = (h.get("id"), h.get("stance"))
                    e["hyps"][k] = e["hyps"].get(k, 0) + 1
        out.append('<h3>Experts and the hypotheses they back</h3><table id="experts"><thead><tr><th>Expert</th>'
                   '<th>Affiliation</th><th class="num">quotes</th><th>Stance on China–Russia</th><th>Hypotheses</th>'
                   "</tr></thead><tbody>")
        for key, e in sorted(experts.items(), key=lambda kv: -kv[1]["n"]):
            hy = ", ".join(f"{'+' if st == 'supports' else '−'}{hid} ×{n}" for (hid, st), n in e["hyps"].items())
            stances = ", ".join(f"{k} {n}" for k, n in e["stances"].items() if k)
            out.append(f"<tr><td><b>{_e(key)}</b><br><span class=\"muted\">{_e(' / '.join(sorted(e['names'])))}</span></td>"
                       f"<td>{_e(e['affiliation'])}</td><td class=\"num\">{e['n']}</td><td>{_e(stances)}</td>"
                       f"<td>{_e(hy)}</td></tr>")
        out.append("</tbody></table>")
        out.append(f'<h3>Experts and officials quoted ({quotes["total"]})</h3><details><summary>Show every quote '
                   'with its sentence</summary><table id="quotes"><thead><tr>'
                   "<th>Speaker</th><th>Stance</th><th>Hypotheses backed</th><th>Statement</th><th>Source</th>"
                   "</tr></thead><tbody>")
        for q in quotes["items"]:
            src = q.get("source") or {}
            out.append(f"<tr><td><b>{_e(q.get('speaker_name') or q.get('speaker'))}</b><br><span class=\"muted\">"
                       f"{_e(q.get('affiliation'))}</span></td><td>{_e(q.get('stance'))}</td>"
                       f"<td>{_e(_hyps(q))}</td><td>{_sentence(q)}</td>"
                       f"<td>{_e(src.get('outlet'))}<br>{_link(src.get('url'), 'original article')}</td></tr>")
        out.append("</tbody></table></details>")
    else:
        out.append(_na("Quotes and expert claims (extraction stage)"))
    if events["available"] and events["items"]:
        out.append(f'<h3>Events ({events["total"]})</h3><table id="events"><thead><tr><th>Date</th><th>Event</th>'
                   "<th>Actors</th><th>Source</th></tr></thead><tbody>")
        for ev in sorted(events["items"], key=lambda r: str(r.get("date") or "")):
            src = ev.get("source") or {}
            actors = ev.get("actors")
            when = at_precision(ev.get("date"), ev.get("date_precision"))  # 2024, not 2024-01-01
            out.append(f"<tr><td>{_e(when)}</td><td>{_e(ev.get('type') or ev.get('kind'))}</td>"
                       f"<td>{_e(', '.join(actors) if isinstance(actors, list) else actors)}</td>"
                       f"<td>{_link(src.get('url'), src.get('outlet') or 'article')}</td></tr>")
        out.append("</tbody></table>")
    else:
        out.append(_na("Events (extraction stage)"))
    out.append("</section>")
    return "".join(out)


def id_of(f: dict):
    return f.get("fact_id") or (f.get("article_id"), f.get("span_start"), f.get("span_end"), f.get("indicator"))


def _hyps(q: dict) -> str:
    h = q.get("hypotheses") or q.get("hypothesis_ids") or q.get("hypothesis")
    if isinstance(h, list):
        return ", ".join(f"{x.get('id')} ({x.get('stance')})" if isinstance(x, dict) else str(x) for x in h)
    return str(h or "")


def _fact_value(f: dict) -> str:
    v = f.get("value")
    if v is None and (f.get("low") is not None or f.get("high") is not None):
        v = f"[{'' if f.get('low') is None else f.get('low')}, {'' if f.get('high') is None else f.get('high')}]"
    return f"{_e(v)} {_e(f.get('unit'))}"


def _curated_html(db: Path) -> str:
    w = stages.world(db)
    if w is None:
        return _na("Curated figures behind the indices")
    ev = w.evidence
    cur = ev[ev["kind"].isin(["curated", "dataset"])].sort_values(["target", "patron", "indicator", "year"])
    rows = [f'<h3>Curated figures and dataset rows behind the indices ({len(cur)})</h3>'
            '<details><summary>Show the table (every row names its public source)</summary><table id="curated"><thead><tr><th>Tie</th><th>Indicator</th><th class="num">Year</th>'
            '<th class="num">Value</th><th>Unit</th><th>Source</th></tr></thead><tbody>']
    for r in cur.head(MAX_ROWS).itertuples(index=False):
        lo, hi = stages._f(r.low), stages._f(r.high)
        val = f"{lo:g}" if lo is not None and lo == hi else f"{_n(lo, 3)}–{_n(hi, 3)}"
        rows.append(f"<tr><td>{_e(r.patron)} → {_e(r.target)}</td><td>{_e(r.indicator)}</td>"
                    f'<td class="num">{_e(r.period or r.year) if isinstance(r.period, str) else _e(r.year)}</td>'
                    f'<td class="num">{val}</td><td>{_e(r.unit)}</td>'
                    f"<td>{_link(r.source_url if isinstance(r.source_url, str) else None, r.source)}</td></tr>")
    rows.append("</tbody></table></details>")
    if len(cur) > MAX_ROWS:
        rows.append(f'<p class="muted">First {MAX_ROWS} of {len(cur)}; `heartland serve` shows all.</p>')
    return "".join(rows)


def section_scenarios(db: Path, runs: int = stages.REPORT_RUNS, samples: int = stages.SOBOL_N) -> str:
    out = ['<section id="scenarios"><h2>Scenarios</h2>']
    results = stages.scenario_results(runs, samples)
    if not results:
        return out[0] + _na("Scenario ensembles (simulation stage)") + "</section>"
    runs = results[0]["runs"]
    out.append(f'<p class="muted">Each bundled scenario encodes an expert hypothesis from the seed articles as '
               f"uncertain parameters and dated shocks (docs/simulate.md). Ensembles of {runs} runs, seed 0; "
               "probabilities with Wilson 95% intervals; sensitivity: Sobol total-order indices (SALib, "
               f"base sample {samples}).</p>")
    # Hypothesis probabilities across scenarios.
    hyps = [(r, h) for r in results for h in r["hypotheses"]]
    out.append(f'<p class="muted">Parameters: {_e(results[0].get("parameters", ""))}. A probability beyond '
               "[0.05, 0.95] is shown only when the hindcast supports that confidence; otherwise it is capped and "
               "marked * (the ensemble's own share in the title of the cell). \"Hindcast\" is how often events "
               "forecast at that level came true out of sample (Calibration below).</p>")
    out.append('<h3>Hypothesis probabilities</h3><table id="hypotheses"><thead><tr><th>Scenario</th><th>Hypothesis</th>'
               '<th>Expert</th><th class="num">Probability</th><th class="num">95% interval</th>'
               '<th class="num">Hindcast at this level</th></tr></thead><tbody>')
    for r, h in hyps:
        mark = "*" if h.get("capped") else ""
        rel = "–" if h.get("reliability") is None else f'{_n(h["reliability"])} (n={h.get("reliability_events")})'
        out.append(f"<tr><td>{_e(r['title'])}</td><td>{_e(h['label'])}</td><td>{_e(h['expert'])}</td>"
                   f'<td class="num" title="ensemble share {_n(h.get("raw_probability", h["probability"]))}">'
                   f'{_n(h["probability"])}{mark}</td><td class="num">{_n(h["low"])}–{_n(h["high"])}</td>'
                   f'<td class="num">{rel}</td></tr>')
    out.append("</tbody></table>")
    out.append('<div class="figs">' + figures.hbars(
        [f"{r['scenario']}: {h['id']}"[:60] for r, h in hyps], [h["probability"] for _, h in hyps],
        "Probability that each hypothesis holds", low=[h["low"] for _, h in hyps], high=[h["high"] for _, h in hyps],
        xlim=(0, 1), width=7.5) + "</div>")
    # One block per scenario: experts, fan charts, sensitivity.
    for r in results:
        out.append(f'<h3 id="scenario-{_e(r["scenario"])}">{_e(r["title"])}</h3>')
        if r.get("description"):
            out.append(f"<p>{_e(r['description'])}</p>")
        for src in r.get("sources", []):
            out.append(f'<p class="muted">{_e(src.get("expert"))} ({_e(src.get("affiliation"))}): '
                       f'{_e(src.get("claim"))} — {_link(src.get("url"), "seed article " + str(src.get("seed")))}</p>')
        figs = []
        groups: dict[tuple, list] = {}
        for s in r["series"]:
            groups.setdefault((s["metric"], s["domain"]), []).append(s)
        for (metric, domain), ss in groups.items():
            title = f"{domain or 'overall'} influence, mean of the five"
            figs.append(figures.fan(r["x"], [(s["patron"], figures.PATRON_COLORS.get(s["patron"], "#1f2a44"),
                                              s["quantiles"]) for s in ss], title))
        out.append(f'<div class="figs fans">{"".join(figs)}</div>')
        sens = r.get("sensitivity") or []
        if sens:
            out.append('<table class="sensitivity"><thead><tr><th>Hypothesis</th><th>Parameters by total-order '
                       "Sobol index (ST)</th></tr></thead><tbody>")
            by_h: dict[str, list] = {}
            for row in sens:
                by_h.setdefault(row["outcome"], []).append(row)
            for hid, rows in by_h.items():
                rows = sorted(rows, key=lambda x: -(x.get("ST") or 0))
                top = ", ".join(f"{x['parameter']} {_n(x.get('ST'))}" for x in rows if (x.get("ST") or 0) > 0.005)
                out.append(f"<tr><td>{_e(hid)}</td><td>{_e(top or 'no parameter moves it')}</td></tr>")
            out.append("</tbody></table>")
    out.append("</section>")
    return "".join(out)


_SCORE_COLS = (("cells", "cells", 0), ("mae", "MAE", 3), ("mae_persistence", "MAE persistence", 3),
               ("skill", "skill", 2), ("crps", "CRPS", 3), ("coverage50", "50% coverage", 2),
               ("coverage90", "90% coverage", 2), ("direction_accuracy", "direction", 2),
               ("mean_abs_change_runs", "|change| runs", 3), ("mean_abs_change_measured", "|change| measured", 3))


def section_calibration() -> str:
    out = ['<section id="calibration"><h2>Calibration and hindcast</h2>']
    cal = stages.calibration()
    if not cal:
        return out[0] + _na("A calibrated posterior (run `heartland calibrate --write-bundle`)") + "</section>"
    cfg = cal.get("config", {})
    out.append(f'<p class="muted">Every model parameter is fitted to the measured shares of {cal.get("fit_start")}–'
               f'{cal.get("fit_end")} ({cal.get("cells")} cell-years) with emcee {_e(cal.get("sampler_version"))} '
               f'({cfg.get("walkers")} walkers × {cfg.get("steps")} steps, burn-in {cfg.get("burn")}, seed '
               f'{cal.get("seed")}; acceptance {_n(cal.get("acceptance"))}, longest autocorrelation '
               f'{_n(cal.get("autocorr_max"), 0)} steps); data version {_e(str(cal.get("data_version"))[:12])}. '
               "The hindcast starts the model from each past world (2015–2021) and scores it on the cells "
               "measured at both ends; out of sample = end years after the fit window (docs/simulate.md).</p>")
    hc = cal.get("hindcast", {})
    out.append('<table id="hindcast-scores"><thead><tr><th>Parameters</th><th>Sample</th>'
               + "".join(f'<th class="num">{_e(t)}</th>' for _, t, _ in _SCORE_COLS) + "</tr></thead><tbody>")
    for label in ("posterior", "judgement"):
        for sample in ("in_sample", "out_of_sample"):
            row = (hc.get(label) or {}).get(sample)
            if not row:
                continue
            cells = "".join(f'<td class="num">{_n(row.get(k), d)}</td>' for k, _, d in _SCORE_COLS)
            out.append(f"<tr><td>{label}</td><td>{sample.replace('_', ' ')}</td>{cells}</tr>")
    out.append("</tbody></table>")
    rel = cal.get("reliability", {})
    figs = [figures.reliability(rel[k], f"Reliability, {k} (out of sample)") for k in ("posterior", "judgement")
            if rel.get(k)]
    if figs:
        out.append('<div class="figs">' + "".join(figs) + "</div>")
    out.append("</section>")
    return "".join(out)


def section_forecasts() -> str:
    out = ['<section id="forecasts"><h2>Issue forecasts</h2>']
    fcs = stages.forecasts()
    if not fcs:
        return out[0] + _na("Issue forecasts (forecast stage)") + "</section>"
    out.append('<p class="muted">Expected-utility bargaining model (Bueno de Mesquita, as replicated by Scholz, '
               "Calbert and Smith 2011): each actor's position over the rounds; the dashed line is the capability- "
               "and salience-weighted mean, whose settled value is the forecast.</p>")
    out.append('<p class="muted">Monte Carlo 5–95%: the band of forecasts over the inputs\' intervals (the '
               "uncertainty to read); same side: the share of those forecasts on the point forecast's side of the "
               "scale's middle; single run's window: the spread of the one run at point values over its final "
               "cycle or window — not an uncertainty band.</p>")
    out.append('<table id="forecast-table"><thead><tr><th>Issue</th><th class="num">Forecast</th><th>Status</th>'
               '<th class="num">Monte Carlo 5–95%</th><th class="num">Same side</th>'
               '<th class="num">Single run\'s window</th><th>Most sensitive to</th></tr></thead><tbody>')
    for f in fcs:
        d = f.get("distribution") or {}
        q = d.get("quantiles") or {}
        side = d.get("same_side")
        sens = ", ".join(s["actor"] for s in f.get("sensitivity", [])[:3])
        out.append(f"<tr><td>{_e(f['title'])}<br><span class=\"muted\">{_e(f.get('question'))}</span></td>"
                   f'<td class="num">{_n(f["forecast"], 1)}</td><td>{_e(f["status"])}</td>'
                   f'<td class="num">{_n(q.get("5"), 1)}–{_n(q.get("95"), 1)}</td>'
                   f'<td class="num">{"–" if side is None else f"{side:.0%}"}</td>'
                   f'<td class="num">{_n(f.get("low"), 1)}–{_n(f.get("high"), 1)}</td><td>{_e(sens)}</td></tr>')
    out.append("</tbody></table><div class=\"figs\">")
    for f in fcs:
        names = [a["name"] for a in f["actors"]]
        ids = f.get("actor_ids", {})
        series = [{"label": a, "color": figures.PATRON_COLORS.get(ids.get(a, ""), figures.PALETTE[i % 12]),
                   "x": [p["round"] for p in f["path"]], "y": [p["positions"][a] for p in f["path"]]}
                  for i, a in enumerate(names)]
        series.append({"label": "weighted mean", "color": "#111111", "dash": True,
                       "x": [p["round"] for p in f["path"]], "y": [p["mean"] for p in f["path"]]})
        sc = f["scale"]
        # the scale's end labels are sentences: a caption the browser wraps, not a clipped y label
        ends = f"{_n(sc['min'], 0)} = {sc.get('low') or 'low end'}; {_n(sc['max'], 0)} = {sc.get('high') or 'high end'}"
        out.append('<figure class="chart">' + figures.lines(series, title=f["title"], ylim=(sc["min"], sc["max"]),
                                                             width=5.4, height=3.0)
                   + f"<figcaption>Position by bargaining round. Scale: {_e(ends)}.</figcaption></figure>")
    out.append("</div>")
    out.append(_backtest_html(stages.backtest()))
    out.append("</section>")
    return "".join(out)


_BT_LABELS = {"model": "model (Monte Carlo median)", "weighted_mean": "weighted mean, round 0",
              "weighted_median": "weighted median, round 0"}


def _backtest_html(bt: dict | None) -> str:
    """How the bargaining model did on resolved issues, against the naive forecasts."""
    if not bt or not bt.get("cases"):
        return "<h3>Backtest on resolved issues</h3>" + _na("Bargaining backtest")
    out = ["<h3>Backtest on resolved issues</h3>",
           f'<p class="muted">{len(bt["cases"])} decided issues from the region, coded from sources dated before '
           "each outcome (ground: prior + judgement — positions and saliences coded from those sources, capabilities "
           "judged per case); forecasts against the "
           f'outcome on the same 0–100 scale ({bt["runs"]} Monte Carlo runs, seed {bt["seed"]}). Right side: on the '
           "outcome's side of the status quo or midpoint. See docs/forecast.md, Backtest.</p>",
           '<table id="backtest-summary"><thead><tr><th>Forecast</th><th class="num">MAE (0–100)</th>'
           '<th class="num">Right side</th></tr></thead><tbody>']
    for m in bt["overall"]:
        out.append(f'<tr><td>{_e(_BT_LABELS.get(m["method"], m["method"]))}</td><td class="num">{_n(m["mae"], 1)}</td>'
                   f'<td class="num">{m["right_share"]:.0%}</td></tr>')
    out.append("</tbody></table>")
    out.append(f'<p class="muted">Outcomes inside the model\'s 5–95% band: {bt["band_coverage"]:.0%}.</p>')
    out.append('<table id="backtest-cases"><thead><tr><th>Issue</th><th>Decided</th><th class="num">Outcome</th>'
               '<th class="num">Model (5–95%)</th><th class="num">Weighted mean</th>'
               '<th class="num">Weighted median</th></tr></thead><tbody>')
    for c in bt["cases"]:
        f = c["forecasts"]
        out.append(f'<tr><td>{_e(c["title"])}</td><td>{_e(c["outcome_date"])}</td><td class="num">{_n(c["outcome"], 0)}</td>'
                   f'<td class="num">{_n(f["model"], 1)} ({_n(c["band"][0], 1)}–{_n(c["band"][1], 1)})</td>'
                   f'<td class="num">{_n(f["weighted_mean"], 1)}</td><td class="num">{_n(f["weighted_median"], 1)}</td></tr>')
    out.append("</tbody></table>")
    return "".join(out)


#: The patrons whose numbers the report explains ground by ground (every target, every domain).
GROUND_PATRONS = ("CHN", "RUS")
GROUND_NAMES = ("data", "curated", "reviewed", "policy", "unreviewed", "prior")


def _grounds_cells(g: dict | None) -> str:
    g = g or {}
    return "".join(f'<td class="num" data-ground="{k}">{(g.get(k) or 0) * 100:.0f}%</td>' for k in GROUND_NAMES)


def _ground_tags(g: dict | None) -> str:
    g = g or {}
    return " ".join(f'<span class="tag">{k} {g[k] * 100:.0f}%</span>' for k in GROUND_NAMES if (g.get(k) or 0) > 5e-4)


def _explain_item(i: dict) -> str:
    """One fact, dataset row, curated entry or derived value behind a component."""
    a = i.get("article") or {}
    val = _n(i.get("low"), 3) if i.get("low") == i.get("high") else f"[{_n(i.get('low'), 3)}, {_n(i.get('high'), 3)}]"
    src = _link(a.get("url"), a.get("outlet") or a.get("url")) if a else _link(i.get("source_url"), i.get("source"))
    return (f'<li class="ground-item" data-kind="{_e(i.get("kind"))}">{_e(i.get("role") or "")} {_e(i.get("kind"))} '
            f'{_e(i.get("indicator"))} {_e(i.get("year"))} = {val} {_e(i.get("unit"))} '
            f'<span class="tag">{_e(i.get("ground") or "from its inputs")}</span> — {src}'
            + (f' <span class="muted">{_e(a.get("title"))}</span>' if a.get("title") else "")
            + (f"<br>{_sentence(i)}" if i.get("sentence") else "") + "</li>")


def _explain_event(ev: dict) -> str:
    a = ev.get("article") or {}
    return (f'<li class="ground-event" data-event-id="{_e(ev.get("event_id"))}">event {_e(ev.get("type"))} '
            f'{_e(at_precision(ev.get("date"), ev.get("date_precision")))} {_e(", ".join(ev.get("actors") or []))} <span class="tag">{_e(ev.get("ground"))}</span>'
            f' — {_link(a.get("url"), a.get("outlet") or a.get("url"))}'
            + (f' <span class="muted">{_e(a.get("title"))}</span>' if a.get("title") else "")
            + (f"<br>{_sentence(ev)}" if ev.get("sentence") else "") + "</li>")


def _explain_details(e: dict) -> str:
    out = [f'<details class="explain"><summary>{_e(e["patron"])} → {_e(e["target"])} {_e(e["domain"])}: '
           f'{_ground_tags(e.get("grounds"))}</summary><ul>']
    for c in e["components"]:
        if not c.get("counted"):
            continue
        out.append(f'<li><strong>{_e(c["indicator"])}</strong> ({_e(c["side"])}) = '
                   f'{_n(c.get("low"), 3)}{"" if c.get("low") == c.get("high") else "–" + _n(c.get("high"), 3)} '
                   f'{_e(c.get("unit"))}: {c.get("share", 0) * 100:.0f}% of the number, {_ground_tags(c.get("grounds"))}<ul>')
        for ev in c.get("events") or []:
            out.append(_explain_event(ev))
        for i in (c.get("sources") or []) + (c.get("inputs") or []):
            out.append(_explain_item(i))
        for m in c.get("memberships") or []:
            out.append(f'<li class="ground-item" data-kind="membership">membership {_e(m["institution"])}: '
                       f'{_e(m["patron_role"])} / {_e(m["target_role"])} <span class="tag">{_e(m.get("ground"))}</span> — '
                       f'{_link(m.get("source_url"), m.get("source"))} (institutions.csv row {_e(m["row"])})</li>')
        out.append("</ul></li>")
    for r in e.get("relative") or []:
        out.append(f'<li><strong>relative share</strong> (dependence) = {_n(r.get("low"), 3)}: '
                   f'{r.get("share", 0) * 100:.0f}% of the number, resting on what the bandwidth rests on</li>')
    if e.get("left_out"):
        out.append(f'<li><strong>left out</strong>: shown as evidence, not counted ({len(e["left_out"])})<ul>')
        for x in e["left_out"]:
            a = x.get("article") or {}
            what = (f'event {_e(x.get("type"))} {_e(x.get("date") or "?")} {_e(", ".join(x.get("actors") or []))}'
                    if x.get("kind") == "event" else
                    f'fact {_e(x.get("indicator"))} {_e(x.get("year"))} = {_n(x.get("low"), 3)} {_e(x.get("unit"))}')
            out.append(f'<li class="left-out" data-kind="{_e(x.get("kind"))}">{what} '
                       f'<span class="tag">{_e(x.get("why"))}</span> — {_link(a.get("url"), a.get("outlet") or a.get("url"))}'
                       + (f"<br>{_sentence(x)}" if x.get("sentence") else "") + "</li>")
        out.append("</ul></li>")
    out.append("</ul></details>")
    return "".join(out)


def section_grounds(db: Path) -> str:
    """China's and Russia's influence per state and domain, each number with its grounds and,
    folded, every component, event, fact and row behind it (the dashboard's explain, on paper)."""
    head = '<section id="grounds"><h2>Why these numbers: every ground</h2>'
    panel = stages.influence_panel(db)
    if panel is None or not panel["years"]:
        return head + _na("Explanations (world and measure stages)") + "</section>"
    year = panel["years"][-1]
    out = [head, f'<p class="muted">What each of China\'s and Russia\'s influence numbers in {year} rests on: the '
           "share of its weight from imported data, curated rows, reviewed evidence, candidates the evidence "
           "policy admits, unreviewed extractions and the prior (docs/measure.md, \"Explain: every ground\"). "
           "Unfold a row for every component, the events counted (with their sentences) and every item "
           "behind it.</p>", '<table id="grounds-table"><thead><tr><th>State</th><th>Patron</th><th>Domain</th>'
           '<th class="num">influence</th>' + "".join(f'<th class="num">{k}</th>' for k in GROUND_NAMES)
           + "</tr></thead><tbody>"]
    details = []
    with contextlib.ExitStack() as stack:
        conn = None
        if db is not None and Path(db).is_file():
            try:  # one connection for every explanation (each would otherwise open the store)
                conn = stack.enter_context(connect_ro(db))
            except StoreUnavailable:  # a writer holds the store: each explanation tries on its own
                conn = None
        for t in TARGETS:
            for p in GROUND_PATRONS:
                for d in DOMAINS:
                    e = stages.explain(db, p, t, d, year, conn=conn)
                    if not e or e.get("value") is None:
                        continue
                    out.append(f'<tr><td>{_e(actor_name(t))}</td><td>{p}</td><td>{d}</td>'
                               f'<td class="num">{_n(e["value"])}</td>{_grounds_cells(e.get("grounds"))}</tr>')
                    details.append(_explain_details(e))
    out.append("</tbody></table>")
    out.append('<div id="grounds-details">' + "".join(details) + "</div></section>")
    return "".join(out)


SECTIONS: list[tuple[str, str, Callable]] = [
    ("system", "The system today", lambda db, o: section_system(db)),
    ("grounds", "Why these numbers", lambda db, o: section_grounds(db)),
    ("evidence", "Evidence", lambda db, o: section_evidence(db)),
    ("scenarios", "Scenarios", lambda db, o: section_scenarios(db, o["runs"], o["samples"])),
    ("calibration", "Calibration", lambda db, o: section_calibration()),
    ("forecasts", "Issue forecasts", lambda db, o: section_forecasts()),
]

#: Sections built from the package's bundled data alone (their functions never open the store).
STORE_FREE = frozenset({"scenarios", "calibration", "forecasts"})


def check_store(db: Path) -> None:
    """Read every row of every table of the store once (streamed, nothing kept), so that a
    damaged file stops the report before any section is built: one
    :class:`heartland.store.db.StoreDamaged` line, no partial report. A missing store is
    fine (the sections say what is not available)."""
    if not db.is_file():
        return
    stamp = _file_stamp(db)
    memo = _verified_memo(db)
    try:
        if memo is not None and memo.read_text() == stamp:
            return  # read in full since its last change: nothing to find again
    except OSError:
        pass
    try:
        with connect_ro(db) as conn:
            tables = [r[0] for r in conn.execute(
                "SELECT table_name FROM duckdb_tables() WHERE NOT temporary ORDER BY table_name").fetchall()]
            for t in tables:
                reader = conn.sql(f'SELECT * FROM "{t}"').to_arrow_reader(50_000)
                for _ in reader:
                    pass
    except StoreUnavailable:
        return  # busy: the sections wait or say so themselves
    if memo is not None and _file_stamp(db) == stamp:
        try:
            memo.parent.mkdir(exist_ok=True)
            memo.write_text(stamp)
        except OSError:
            pass  # a read-only folder: checked again next time


def _file_stamp(db: Path) -> str:
    """The store file's and its write-ahead log's identity, size and modification time: any
    write, truncation or replacement changes it (the world cache's own stamp)."""
    from heartland.world.cache import _stat

    return _stat(db)


def _verified_memo(db: Path) -> Path | None:
    """Where the stamp of the last full read without damage is kept (beside the store, with
    the world's cache), so that a report on an unchanged store does not read it all again."""
    try:
        from heartland.world.cache import cache_dir
    except ImportError:
        return None
    return cache_dir(db) / "store-read-in-full"


def render_report(db: Path | str | None = None, title: str = "heartland: China and Russia in Central Asia",
                  runs: int = stages.REPORT_RUNS, samples: int = stages.SOBOL_N) -> str:
    """The report as one HTML string. ``runs``: ensemble size per bundled scenario;
    ``samples``: Sobol base sample (a power of two) for the sensitivity rankings.
    A damaged store raises :class:`heartland.store.db.StoreDamaged` (no report)."""
    db = Path(db) if db else paths.default_db_path()
    check_store(db)
    opts = {"runs": runs, "samples": samples}
    body = []
    from heartland.world.cache import cached_answer, cached_shared_answer

    for sid, name, fn in SECTIONS:
        try:
            # Each section is kept beside the store under the world's inputs key (store rows,
            # package data, code, today's date, evidence mode): a report on an unchanged store
            # is assembled from them. A section that could not read something is not kept.
            # Sections that read no store (bundled scenarios, posterior, issues) are kept once
            # per user under the same key without the store: a new store does not redo them.
            keep = lambda html: 'class="na"' not in html  # noqa: E731
            if sid in STORE_FREE:
                body.append(cached_shared_answer(("report", sid, runs, samples), lambda: fn(db, opts), keep=keep))
            else:
                body.append(cached_answer(db, ("report", sid, runs, samples), lambda: fn(db, opts), keep=keep))
        except StoreDamaged:
            raise
        except Exception as exc:  # one broken section must not cost the others; the log has the trace
            if is_damage(exc):  # read past the check (a stage's own connection): no partial report
                raise damaged(db, exc) from None
            log.exception("report section %s failed", sid)
            body.append(f'<section id="{sid}"><h2>{_e(name)}</h2><p class="na">This section could not be built '
                        "(see the log).</p></section>")
    now = _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    toc = "".join(f'<a href="#{sid}">{_e(name)}</a>' for sid, name, _ in SECTIONS)
    return ("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            f"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>{_e(title)}</title>"
            f"<style>{CSS}</style></head><body><header><h1>{_e(title)}</h1>"
            f"<p>heartland {__version__} · generated {now} · store {_e(db.name)}</p></header><main>"
            f'<nav class="toc">{toc}</nav>'
            '<p class="muted">Every figure traces to its source: an article sentence (with a link to the original), '
            "a dataset row or a cited curated entry.</p>"
            + "".join(body) + "</main></body></html>\n")


def write_report(db: Path | str | None = None, out: Path | str = Path("out") / "report.html", **kw) -> Path:
    """Write the self-contained HTML report to ``out`` and return its path.

    ``out`` is the HTML file; an existing directory (or a path without a suffix, such as
    ``heartland run``'s output folder) gets ``report.html`` inside it. Keyword options go to
    :func:`render_report` (``title``, ``runs``, ``samples``).
    """
    out = Path(out)
    if out.is_dir() or not out.suffix:
        out = out / "report.html"
    out.parent.mkdir(parents=True, exist_ok=True)
    html = render_report(db, **kw)
    tmp = out.with_suffix(out.suffix + ".tmp")
    tmp.write_text(html, encoding="utf-8")
    tmp.replace(out)
    return out
