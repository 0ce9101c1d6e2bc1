/* heartland dashboard: a small hash-routed single-page app over the /api/ JSON endpoints. */
"use strict";
(() => {
  const {esc, fmt} = Charts;
  const view = document.getElementById("view");
  const COLORS = {CHN: "#c8102e", RUS: "#2457a6", USA: "#6a3d9a", EUU: "#d4a017", TUR: "#12877f", IND: "#e07b00"};
  const state = {axes: null, geo: null, mapMode: "leading", domain: "overall", year: null, years: []};
  const cache = {};

  async function api(path, opts) {
    const r = await fetch(path, opts);
    let body = null;
    try { body = await r.json(); } catch (e) { body = {detail: r.statusText}; }
    if (!r.ok) { const err = new Error(body.detail || r.statusText); err.status = r.status; err.body = body; throw err; }
    return body;
  }
  const once = async (k, f) => (cache[k] ??= await f());
  const name = (code) => {
    const a = state.axes; if (!a) return code;
    const f = a.patrons.concat(a.targets).find((x) => x.code === code);
    return f ? f.name : code;
  };
  const empty = (msg) => `<div class="empty">${msg}</div>`;
  const set = (html) => { view.innerHTML = html; };
  const explainHref = (p, t, d, y) => `#/explain/${p}/${t}/${d}/${y}`;

  // ---------------------------------------------------------------- map
  function project(geo) {
    const [x0, y0, x1, y1] = geo.bbox, k = Math.cos(((y0 + y1) / 2) * Math.PI / 180);
    const W = 960, H = Math.round(W * (y1 - y0) / ((x1 - x0) * k));
    const P = ([lon, lat]) => [((lon - x0) * k) / ((x1 - x0) * k) * W, (y1 - lat) / (y1 - y0) * H];
    return {W, H, P};
  }
  function pathOf(geom, P) {
    return geom.coordinates.map((poly) => poly.map((ring) => "M" + ring.map((c) => P(c).map((v) => v.toFixed(1)).join(",")).join("L") + "Z").join("")).join("");
  }
  function centroid(geom, P) {
    // centroid of the largest ring (good enough for labels)
    let best = null, ba = -1;
    for (const poly of geom.coordinates) {
      const r = poly[0]; let a = 0, cx = 0, cy = 0;
      for (let i = 0; i < r.length - 1; i++) { const [x1, y1] = P(r[i]), [x2, y2] = P(r[i + 1]); const f = x1 * y2 - x2 * y1; a += f; cx += (x1 + x2) * f; cy += (y1 + y2) * f; }
      if (Math.abs(a) > ba) { ba = Math.abs(a); best = [cx / (3 * a), cy / (3 * a)]; }
    }
    return best;
  }
  // label positions (lon, lat) where the clipped shape's centroid is a poor spot
  const LABEL_AT = {RUS: [62, 55.6], CHN: [86, 39], IND: [76, 29.5], MNG: [90, 47.5], IRN: [54, 31], AZE: [47.6, 40.4]};

  function mix(hex, t) { // white -> hex by t in [0,1]
    const n = parseInt(hex.slice(1), 16), r = n >> 16, g = (n >> 8) & 255, b = n & 255;
    const f = (c) => Math.round(255 + (c - 255) * Math.max(0, Math.min(1, t)));
    return `rgb(${f(r)},${f(g)},${f(b)})`;
  }

  async function renderMap() {
    state.axes = await once("axes", () => api("/api/axes"));
    state.geo = await once("geo", () => api("/api/geo"));
    const inf = await api("/api/influence" + (state.year ? `?year=${state.year}` : ""));
    state.years = inf.years; state.year = inf.year; state.priors = inf.priors || [];
    const values = {}; // target -> {patron: {value, low, high}}
    const rows = state.domain === "overall" ? inf.overall : inf.cells.filter((c) => c.domain === state.domain);
    for (const c of rows) (values[c.target] ??= {})[c.patron] = c;
    const max = Math.max(1e-9, ...rows.map((c) => c.value ?? 0));
    const {W, H, P} = project(state.geo);
    const fillOf = (iso) => {
      const v = values[iso];
      if (!v) return "#f2f2ee";
      if (state.mapMode === "leading") {
        const lead = Object.values(v).filter((c) => c.value !== null).sort((a, b) => b.value - a.value)[0];
        return lead ? mix(COLORS[lead.patron] || "#555", 0.35 + 0.65 * lead.value / max) : "#f2f2ee";
      }
      const c = v[state.mapMode];
      return c && c.value !== null ? mix(COLORS[state.mapMode] || "#555", 0.08 + 0.92 * c.value / max) : "#f2f2ee";
    };
    let svg = `<svg class="map" id="map" viewBox="0 0 ${W} ${H}" xmlns="http://www.w3.org/2000/svg">`;
    const labels = [];
    for (const f of state.geo.features) {
      const iso = f.properties.iso_a3, role = f.properties.role;
      const fill = role === "target" ? fillOf(iso) : role === "patron" ? "#dcdfe5" : "#eceee8";
      const lead = role === "target" ? leadingOf(values[iso]) : null;
      svg += `<path d="${pathOf(f.geometry, P)}" fill="${fill}" class="${role}" data-iso="${iso}"><title>${esc(f.properties.name)}${lead ? ` — leading: ${name(lead.patron)} ${fmt(lead.value)}${lead.carried_from ? ` (carried forward from ${lead.carried_from})` : ""}` : ""}</title></path>`;
      const c = LABEL_AT[iso] ? P(LABEL_AT[iso]) : centroid(f.geometry, P);
      if (c && (role !== "neighbour" || ["AFG", "IRN", "PAK", "MNG", "AZE", "IND"].includes(iso)))
        labels.push(`<text x="${c[0]}" y="${c[1]}" text-anchor="middle" class="${role}">${esc(f.properties.name)}</text>`);
    }
    svg += labels.join("") + `</svg>`;

    const domOpts = ["overall"].concat(state.axes.domains).map((d) => `<option value="${d}" ${d === state.domain ? "selected" : ""}>${d}</option>`).join("");
    const modeOpts = [`<option value="leading">leading patron</option>`].concat(state.axes.patrons.map((p) => `<option value="${p.code}" ${p.code === state.mapMode ? "selected" : ""}>${esc(p.name)}'s influence</option>`)).join("");
    const slider = inf.years.length ? `<label>Year <input type="range" id="year" min="${inf.years[0]}" max="${inf.years[inf.years.length - 1]}" step="1" value="${inf.year}" list="yearticks"></label><span class="yearlabel" id="yearlabel">${inf.year}</span>` : "";
    let legend;
    if (state.mapMode === "leading") {
      const present = [...new Set(rows.map((c) => c.patron))];
      legend = present.map((p) => `<span><span class="swatch" style="background:${COLORS[p]}"></span>${esc(name(p))}</span>`).join("") + `<span class="muted">darker = stronger lead</span>`;
    } else {
      legend = `<span>0</span><span class="ramp" style="background:linear-gradient(90deg,${mix(COLORS[state.mapMode], 0.08)},${COLORS[state.mapMode]})"></span><span>${fmt(max)}</span><span class="muted">${esc(name(state.mapMode))}'s influence (${state.domain})</span>`;
    }
    const table = tableFor(values, inf.year);
    set(`<h1>Who has influence in Central Asia, in which domain</h1>
      <div class="controls">
        <label>Shade by <select id="mode">${modeOpts}</select></label>
        <label>Domain <select id="domain">${domOpts}</select></label>
        ${slider}
      </div>
      ${inf.available ? "" : empty("Influence indices are not available yet: the world and measure stages have not produced them for this store. The map shows the geometry only.")}
      <div class="grid2"><div class="card">${svg}<div class="legend" id="legend">${legend}</div></div>
      <div class="card"><h2 style="margin-top:0">Influence ${inf.year ? "in " + inf.year : ""} — ${esc(state.domain)}</h2>${table}
      <p class="muted">Influence = bandwidth × dependence (FBIC, 0–1). Click a state on the map or a number to see the evidence.</p></div></div>`);
    view.insertAdjacentHTML("beforeend", await measuresHtml());
    document.getElementById("mode").onchange = (e) => { state.mapMode = e.target.value; renderMap(); };
    document.getElementById("domain").onchange = (e) => { state.domain = e.target.value; renderMap(); };
    const yr = document.getElementById("year");
    if (yr) {
      yr.oninput = (e) => { document.getElementById("yearlabel").textContent = e.target.value; };
      yr.onchange = (e) => { state.year = +e.target.value; renderMap(); };
    }
    for (const p of view.querySelectorAll("path.target")) p.addEventListener("click", () => { location.hash = `#/country/${p.dataset.iso}`; });
  }
  async function measuresHtml() {
    const m = await once("measures", () => api("/api/measures"));
    if (!m.available) return "";
    const TC = {KAZ: "#1f5fbf", KGZ: "#c8102e", TJK: "#12877f", TKM: "#e07b00", UZB: "#6a3d9a", C5: "#111"};
    const by = (rows, key) => { const g = {}; for (const r of rows) (g[r[key]] ??= []).push(r); return g; };
    const dol = Object.entries(by(m.division_of_labour, "target")).map(([t, rows]) => ({label: t, color: TC[t] || "#555", dash: t === "C5",
      points: rows.map((r) => ({x: r.year, y: r.mid, low: r.low, high: r.high}))}));
    const fr = [{label: "friction", color: "#b42318", points: m.friction.map((r) => ({x: r.year, y: r.friction}))},
      {label: "encroachment", color: "#e07b00", dash: true, points: m.friction.map((r) => ({x: r.year, y: r.encroachment}))}];
    const tr = Object.entries(by(m.transition, "domain")).map(([d, rows], i) => ({label: d, color: ["#2457a6", "#c8102e", "#12877f", "#6a3d9a", "#d4a017"][i % 5],
      points: rows.map((r) => ({x: r.year, y: r.ratio, low: r.ratio_low, high: r.ratio_high}))}));
    const leg = (ss) => `<div class="legend">${ss.map((x) => `<span><span class="swatch" style="background:${x.color}"></span>${esc(x.label)}</span>`).join("")}</div>`;
    return `<h2>The system over time</h2><div class="grid3" id="measures">
      <div class="card"><h3>Division of labour</h3><p class="muted">How far China leads in the economy while Russia leads in security, per state (0 = none).</p>${Charts.line(dol, {height: 200, title: "division of labour"})}${leg(dol)}</div>
      <div class="card"><h3>China–Russia friction</h3><p class="muted">Friction index and its encroachment component.</p>${Charts.line(fr, {height: 200, ymin: 0, title: "friction"})}${leg(fr)}</div>
      <div class="card"><h3>Power transition (China : Russia)</h3><p class="muted">Ratio of regional capability per domain; 1 = parity.</p>${Charts.line(tr, {height: 200, ymin: 0, title: "power transition"})}${leg(tr)}</div></div>`;
  }
  function leadingOf(v) { return v ? Object.values(v).filter((c) => c.value !== null).sort((a, b) => b.value - a.value)[0] : null; }

  function tableFor(values, year) {
    const targets = state.axes.targets, patrons = state.axes.patrons.filter((p) => targets.some((t) => values[t.code]?.[p.code]));
    if (!patrons.length) return `<p class="muted" id="no-values">No ${esc(state.domain)} values for ${esc(year)} in the evidence: move the slider to a later year.</p>`;
    let h = `<table id="influence-table"><thead><tr><th>State</th>${patrons.map((p) => `<th class="num"><span class="swatch" style="background:${COLORS[p.code]}"></span>${esc(p.code)}</th>`).join("")}</tr></thead><tbody>`;
    for (const t of targets) {
      h += `<tr><td><a href="#/country/${t.code}">${esc(t.name)}</a></td>`;
      for (const p of patrons) {
        const c = values[t.code]?.[p.code];
        const prior = (state.priors || []).some((x) => x.patron === p.code && x.target === t.code && (state.domain === "overall" || x.domain === state.domain));
        const mark = prior ? ` <span class="tag ground-prior prior-cell" title="no figure${state.domain === "overall" ? " in some domain" : ""}: the simulation starts this cell from the year's prior (docs/data.md)">prior</span>` : "";
        h += `<td class="num">${c && c.value !== null ? `<a class="num-link" href="${explainHref(p.code, t.code, state.domain, year)}" title="${c.low !== null && c.low !== undefined ? `band ${fmt(c.low)}–${fmt(c.high)}` : ""}${c.carried_from ? `; carried forward from ${c.carried_from} (no evidence of ${year})` : ""}">${fmt(c.value)}</a>${carriedMark(c)}` : "–"}${mark}</td>`;
      }
      h += `</tr>`;
    }
    h += `</tbody></table>`;
    const carried = Object.values(values).flatMap((v) => Object.values(v)).filter((c) => c.carried_from && c.value !== null).length;
    if (carried) h += `<p class="muted" id="carried-note"><span class="carried">*</span> carried forward: ${carried} value${carried > 1 ? "s" : ""} rest on evidence of an earlier year (the year is marked), none of ${esc(year)}.</p>`;
    return h;
  }
  // A value with no evidence of its own year (the world carries the latest earlier one forward).
  function carriedMark(c) {
    return c.carried_from ? `<span class="carried" title="carried forward from ${esc(c.carried_from)}">*${esc(c.carried_from)}</span>` : "";
  }

  // ---------------------------------------------------------------- country
  async function renderCountry(iso) {
    state.axes = await once("axes", () => api("/api/axes"));
    const c = await api(`/api/country/${encodeURIComponent(iso)}`);
    let h = `<p><a href="#/map">← map</a></p><h1>${esc(c.name)} <span class="muted">(${esc(iso)})</span></h1>`;
    if (!c.available || !c.series.length) {
      h += empty("Ties and indices for this state are not available yet (world/measure stages).");
    } else {
      h += `<div class="legend">${[...new Set(c.series.map((s) => s.patron))].map((p) => `<span><span class="swatch" style="background:${COLORS[p]}"></span>${esc(name(p))}</span>`).join("")}<span class="muted">shaded band = uncertainty interval; click a point or number for its evidence</span></div><div class="grid3">`;
      for (const d of ["overall"].concat(state.axes.domains)) {
        const ss = c.series.filter((s) => s.domain === d);
        if (!ss.length) continue;
        h += `<div class="card"><h3>${esc(d)}</h3>${Charts.line(ss.map((s) => ({label: name(s.patron), color: COLORS[s.patron] || "#555",
          points: s.points.map((p) => ({x: p.year, y: p.value, low: p.low, high: p.high, href: explainHref(s.patron, iso, d, p.year)}))})), {height: 200, ymin: 0, title: d})}</div>`;
      }
      h += `</div><h2>Values by year</h2><div class="card" style="overflow:auto">`;
      const years = c.years;
      h += `<table id="country-table"><thead><tr><th>Domain</th><th>Patron</th>${years.map((y) => `<th class="num">${y}</th>`).join("")}</tr></thead><tbody>`;
      for (const s of c.series.sort((a, b) => (a.domain + a.patron).localeCompare(b.domain + b.patron))) {
        const by = Object.fromEntries(s.points.map((p) => [p.year, p]));
        h += `<tr><td>${esc(s.domain)}</td><td><span class="swatch" style="background:${COLORS[s.patron]}"></span>${esc(s.patron)}</td>` +
          years.map((y) => by[y] && by[y].value !== null ? `<td class="num"><a class="num-link" href="${explainHref(s.patron, iso, s.domain, y)}">${fmt(by[y].value)}</a></td>` : `<td class="num">–</td>`).join("") + `</tr>`;
      }
      h += `</tbody></table></div>`;
    }
    const facts = await api(`/api/facts?object=${encodeURIComponent(iso)}&limit=50`).catch(() => ({items: []}));
    h += `<h2>Facts about ${esc(c.name)}</h2>` + factTable(facts.items);
    set(h);
  }

  // A date as precise as it is known: "2024" for a year-precision event, not "2024-01-01".
  function atPrecision(d, precision) {
    if (!d) return "?";
    const s = String(d).slice(0, 10);
    return precision === "year" ? s.slice(0, 4) : precision === "month" ? s.slice(0, 7) : s;
  }

  // ---------------------------------------------------------------- explain
  // The /api/explain shape is the measure stage's Explanation (docs/measure.md, "Explain: every ground").
  const GROUNDS = ["data", "curated", "reviewed", "policy", "unreviewed", "prior"];
  const pct = (v) => `${Math.round((v || 0) * 100)}%`;
  function groundsHtml(g, id) {
    const parts = GROUNDS.filter((k) => g && g[k] > 5e-4);
    if (!parts.length) return `<span class="muted">no grounds (the number is missing)</span>`;
    return `<span class="grounds"${id ? ` id="${id}"` : ""}>` + parts.map((k) => `<span class="tag ground-${k}" data-ground="${k}" data-share="${g[k]}">${k} ${pct(g[k])}</span>`).join("") + `</span>`;
  }
  function articleSource(a) { return a ? {outlet: a.outlet, published: a.published, url: a.url, title: a.title} : {}; }
  function eventCard(ev) {
    const a = ev.article || {};
    return `<div class="card event" data-event-id="${esc(ev.event_id)}"><div><strong>${esc(ev.type)}</strong> <span class="muted">${esc(atPrecision(ev.date, ev.date_precision))}</span> ${ev.actors.map((x) => `<span class="tag">${esc(x)}</span>`).join("")} <span class="tag ground-${esc(ev.ground)}">${esc(ev.ground)}</span></div>${sentenceHtml(ev)}
      <div class="muted">${a.outlet ? esc(a.outlet) + " · " : ""}${a.published ? esc(a.published) + " · " : ""}${a.title ? `“${esc(a.title)}” · ` : ""}
      ${a.url ? `<a class="source-url" href="${esc(a.url)}" target="_blank" rel="noopener noreferrer">original article ↗</a> · ` : ""}
      ${ev.article_id ? `<a href="#/article/${esc(ev.article_id)}">in the stored text</a>` : ""}</div></div>`;
  }
  function leftOutCard(x) {
    const a = x.article || {};
    const what = x.kind === "event" ? `event <strong>${esc(x.type)}</strong> <span class="muted">${esc(x.date || "?")}</span> ${(x.actors || []).map((v) => `<span class="tag">${esc(v)}</span>`).join("")}`
      : `fact <strong>${esc(x.indicator)}</strong> ${esc(x.year)} = ${fmt(x.low, 3)}${x.high !== x.low ? `–${fmt(x.high, 3)}` : ""} ${esc(x.unit || "")}`;
    return `<div class="card left-out" data-item-id="${esc(x.item_id)}" data-why="${esc(x.why)}"><div>${what} <span class="muted">${esc(x.domain)}/${esc(x.indicator)}</span> <span class="tag warn">${esc(x.why)}</span> <span class="muted">${esc(x.state)}${x.confidence !== null && x.confidence !== undefined ? `, confidence ${fmt(x.confidence, 2)}` : ""}</span></div>${sentenceHtml(x)}
      <div class="muted">${a.outlet ? esc(a.outlet) + " · " : ""}${a.published ? esc(a.published) + " · " : ""}${a.title ? `“${esc(a.title)}” · ` : ""}${x.article_id ? `<a href="#/article/${esc(x.article_id)}">in the stored text</a> · ` : ""}<a href="#/review?article=${esc(x.article_id || "")}">review</a></div></div>`;
  }
  async function renderExplain(p, t, d, y) {
    const e = await api(`/api/explain?patron=${p}&target=${t}&domain=${d}&year=${y}`);
    let h = `<p><a href="#/country/${t}">← ${esc(name(t))}</a></p><h1>Why ${esc(name(p))} → ${esc(name(t))}: ${esc(d)}, ${esc(y)}</h1>`;
    const band = e.low !== null && e.low !== undefined && Math.abs(e.high - e.low) > 5e-4 ? `<div class="muted">band ${fmt(e.low)} – ${fmt(e.high)}</div>` : "";
    const comps = e.components || [];
    h += `<div class="card"><div><div><div class="bignum" id="explain-value">${fmt(e.value)}</div>${band}<p class="muted">${esc(e.formula || "")}</p>`;
    h += `<p><strong>Grounds</strong> ${groundsHtml(e.grounds, "explain-grounds")}${e.evidence ? ` <span class="muted">(evidence: ${esc(e.evidence)})</span>` : ""}</p><p class="muted" style="font-size:12px">${esc(e.grounds_rule || "")}</p>`;
    if (e.domain !== "overall") h += `<dl class="kv"><dt>bandwidth</dt><dd>${fmt(e.bandwidth_low, 3)}${e.bandwidth_high !== e.bandwidth_low ? ` – ${fmt(e.bandwidth_high, 3)}` : ""} <span class="muted">(${comps.filter((c) => c.side === "bandwidth" && c.counted).length} components)</span></dd>
      <dt>dependence</dt><dd>${fmt(e.dependence_low, 3)}${e.dependence_high !== e.dependence_low ? ` – ${fmt(e.dependence_high, 3)}` : ""} <span class="muted">(incl. ${esc(name(p))}'s share of ${esc(name(t))}'s tracked ties: ${fmt(e.relative_low, 3)})</span></dd></dl>`;
    h += `</div><div><h3>Components (scaled to 0–1, then weighted)</h3>`;
    const rel = (e.relative || []).map((r) => `<tr class="relative"><td>relative share <span class="muted">${esc(r.domain)}</span></td><td>dependence</td><td class="num">${fmt(r.low, 2)}${r.high !== r.low ? `–${fmt(r.high, 2)}` : ""}</td><td>share</td><td class="num"></td><td class="num"></td><td class="num">${esc(r.weight)}</td><td class="num">${pct(r.share)}</td><td>${groundsHtml(r.grounds)}</td></tr>`).join("");
    if (comps.length) h += `<table id="components"><thead><tr><th>Component</th><th>side</th><th class="num">value</th><th>unit</th><th class="num">scaled 0–1</th><th class="num">year used</th><th class="num">weight</th><th class="num">share</th><th>grounds</th></tr></thead><tbody>` +
      comps.map((c) => `<tr><td>${esc(c.indicator)}${e.domain === "overall" ? ` <span class="muted">${esc(c.domain)}</span>` : ""}${c.disputed ? ` <span class="tag warn">disputed</span>` : ""}${c.conflict ? ` <span class="tag bad">conflict</span>` : ""}${c.memberships && c.memberships.length ? `<div class="muted">${esc(c.memberships.map((m) => m.institution).join(";"))}</div>` : ""}${c.events && c.events.length ? `<div class="muted">${c.events.length} event${c.events.length > 1 ? "s" : ""} below</div>` : ""}</td><td>${esc(c.side)}</td><td class="num">${fmt(c.low, 2)}${c.high !== c.low ? `–${fmt(c.high, 2)}` : ""}</td><td>${esc(c.unit || "")}</td><td class="num">${fmt(c.scaled_low, 2)}${c.scaled_high !== c.scaled_low ? `–${fmt(c.scaled_high, 2)}` : ""}</td><td class="num">${esc(c.year_used ?? "")}</td><td class="num">${esc(c.weight)}</td><td class="num">${c.counted ? pct(c.share) : `<span class="muted">not counted</span>`}</td><td>${c.counted ? groundsHtml(c.grounds) : ""}</td></tr>`).join("") + rel + `</tbody></table>`;
    h += `</div></div></div>`;
    // Every item once (an input can stand behind several components).
    const seen = new Set(), items = [], events = [];
    for (const c of comps) {
      for (const [list, relation] of [[c.sources || [], "source"], [c.inputs || [], "input of a derived value"]])
        for (const it of list) if (!seen.has(it.eid)) { seen.add(it.eid); items.push({...it, relation}); }
      for (const m of c.memberships || []) {
        const key = `membership:${m.institution}:${m.row}`;
        if (seen.has(key)) continue; seen.add(key);
        items.push({eid: key, kind: "curated", ground: m.ground, patron: p, target: t, indicator: c.indicator, year: y, value: null, low: null, high: null, unit: "membership", source: m.source, source_url: m.source_url, role: "used",
          note: `${m.institution}: ${p} ${m.patron_role}, ${t} ${m.target_role} (institutions.csv row ${m.row})`});
      }
      for (const ev of c.events || []) events.push({...ev, indicator: c.indicator});
    }
    const facts = items.filter((i) => i.kind === "fact"), rows = items.filter((i) => i.kind === "dataset"), cur = items.filter((i) => i.kind === "curated" || i.kind === "derived");
    h += `<h2>Events counted (${events.length})</h2>`;
    h += events.length ? `<div id="explain-events">` + events.map(eventCard).join("") + `</div>` : `<p class="muted">No event-derived count behind this number.</p>`;
    h += `<h2>Facts from articles (${facts.length})</h2>`;
    h += facts.length ? facts.map((f) => factCard({row: f, sentence: f.sentence, mark_start: f.mark_start, mark_end: f.mark_end, source: articleSource(f.article)})).join("") : `<p class="muted">No article facts behind this number.</p>`;
    h += `<h2>Curated entries and derived values (${cur.length})</h2>` + (cur.length ? evidenceTable(cur) : `<p class="muted">None.</p>`);
    h += `<h2>Dataset rows (${rows.length})</h2>` + (rows.length ? evidenceTable(rows) : `<p class="muted">None imported for this tie.</p>`);
    const out = e.left_out || [];
    h += `<h2>Left out: shown as evidence, not counted (${out.length})</h2>` + (out.length ? `<div id="explain-left-out">` + out.map(leftOutCard).join("") + `</div>` : `<p class="muted">No extracted item of this tie was left out by the evidence policy.</p>`);
    set(h);
  }
  function roleTag(r) { return r ? `<span class="tag ${r === "used" ? "good" : r === "conflicting" ? "bad" : ""}">${esc(r)}</span>` : ""; }
  function evidenceTable(items) {
    return `<div class="card" style="overflow:auto"><table class="evidence"><thead><tr><th>Indicator</th><th class="num">Year</th><th class="num">Value</th><th>Unit</th><th>Role</th><th>Source</th></tr></thead><tbody>` + items.map((i) => {
      const r = i.row || i;
      const v = r.low !== null && r.high !== null && r.low !== r.high ? `${fmt(r.low, 3)}–${fmt(r.high, 3)}` : fmt(r.value ?? r.low, 3);
      return `<tr><td>${esc(r.indicator)} <span class="muted">${esc(r.patron)}→${esc(r.target)}</span></td><td class="num">${esc(r.period || r.year)}</td><td class="num">${v}</td><td>${esc(r.unit || "")}</td><td>${roleTag(r.role)}${r.ground ? ` <span class="tag ground-${esc(r.ground)}">${esc(r.ground)}</span>` : ""}</td>
        <td>${r.source_url ? `<a class="source-url" href="${esc(r.source_url)}" target="_blank" rel="noopener noreferrer">${esc(r.source || r.source_url)}</a>` : esc(r.source || "")}${r.note ? `<div class="muted">${esc(r.note)}</div>` : ""}</td></tr>`;
    }).join("") + `</tbody></table></div>`;
  }

  function factCard(f) {
    const r = f.row || f, src = f.source || (typeof r.source === "object" ? r.source : {}) || {};
    return `<div class="card fact"><div>${label(r)} ${roleTag(r.role)}${r.ground ? ` <span class="tag ground-${esc(r.ground)}">${esc(r.ground)}</span>` : ""}</div>${sentenceHtml(f.sentence !== undefined ? f : r)}
      <div class="muted">${src.outlet ? esc(src.outlet) + " · " : ""}${src.published ? esc(String(src.published).slice(0, 10)) + " · " : ""}
      ${src.url ? `<a class="source-url" href="${esc(src.url)}" target="_blank" rel="noopener noreferrer">original article ↗</a> · ` : ""}
      ${r.article_id ? `<a href="#/article/${esc(r.article_id)}">in the stored text</a>` : ""}</div></div>`;
  }
  function sentenceHtml(r) {
    if (!r.sentence) return "";
    const s = r.sentence, a = Math.max(0, r.mark_start ?? 0), b = Math.min(s.length, r.mark_end ?? 0);
    return `<div class="sentence">${esc(s.slice(0, a))}<mark>${esc(s.slice(a, b))}</mark>${esc(s.slice(b))}</div>`;
  }
  function label(r) {
    const v = r.value !== null && r.value !== undefined ? fmt(r.value, 3).replace(/\.?0+$/, "") : (r.low !== undefined || r.high !== undefined) ? `[${r.low ?? ""}, ${r.high ?? ""}]` : "";
    return `<strong>${esc(r.subject ?? r.patron ?? "")} → ${esc(r.object ?? r.target ?? "")}</strong> <span class="tag">${esc(r.indicator ?? "")}</span> ${esc(v)} ${esc(r.unit ?? "")} ${r.period || r.year ? `<span class="muted">(${esc(r.period ?? r.year)})</span>` : ""}`;
  }

  function factTable(items) {
    if (!items || !items.length) return `<p class="muted">No facts.</p>`;
    const feeds = (f) => (f.feeds || []).map((u) => { const y = u.years[u.years.length - 1];
      return `<a class="feeds tag ${u.role === "used" ? "good" : u.role === "conflicting" ? "bad" : ""}" href="${explainHref(u.patron, u.target, u.domain, y)}" title="${esc(u.role)} for ${esc(u.indicator)} in ${u.years.join(", ")}">${esc(u.patron)}→${esc(u.target)} ${esc(u.domain)} ${u.years.length > 1 ? `${u.years[0]}–${y}` : y}</a>`; }).join(" ");
    return `<table class="facts"><thead><tr><th>Fact</th><th>Sentence</th><th>Source</th></tr></thead><tbody>` + items.map((f) =>
      `<tr><td>${label(f)}${f.feeds && f.feeds.length ? `<div class="muted" style="margin-top:4px">feeds ${feeds(f)}</div>` : ""}</td><td>${sentenceHtml(f)}</td><td>${f.source ? `${esc(f.source.outlet || "")}<br>${f.source.url ? `<a class="source-url" href="${esc(f.source.url)}" target="_blank" rel="noopener noreferrer">original ↗</a> · ` : ""}<a href="#/article/${esc(f.article_id)}">text</a>` : ""}</td></tr>`).join("") + `</tbody></table>`;
  }
  function genericTable(rows, prefer) {
    if (!rows.length) return "";
    let cols = prefer ? prefer.filter((c) => rows.some((r) => r[c] !== undefined && r[c] !== null)) : [];
    if (!cols.length) cols = Object.keys(rows[0]).filter((k) => typeof rows[0][k] !== "object" || rows[0][k] === null).slice(0, 10);
    const cell = (c, v) => c.endsWith("url") && v ? `<a href="${esc(v)}" target="_blank" rel="noopener noreferrer">${esc(v)}</a>` : esc(v ?? "");
    return `<div class="card" style="overflow:auto"><table><thead><tr>${cols.map((c) => `<th>${esc(c)}</th>`).join("")}</tr></thead><tbody>` +
      rows.map((r) => `<tr>${cols.map((c) => `<td>${cell(c, r[c])}</td>`).join("")}</tr>`).join("") + `</tbody></table></div>`;
  }

  // ---------------------------------------------------------------- evidence
  const EVTABS = ["facts", "events", "quotes", "groups", "articles"];
  async function renderEvidence(tab, params) {
    tab = EVTABS.includes(tab) ? tab : "facts";
    let h = `<h1>Evidence</h1><div class="tabs">${EVTABS.map((t) => `<a href="#/evidence/${t}" class="${t === tab ? "active" : ""}">${{groups: "corroboration & conflicts"}[t] || t}</a>`).join("")}</div>`;
    const filters = {facts: ["subject", "object", "indicator"], events: ["actor", "target", "kind"], quotes: ["speaker", "hypothesis", "stance"]}[tab] || [];
    if (filters.length) h += `<form class="controls" id="filters">${filters.map((f) => `<label>${f}<input type="text" name="${f}" value="${esc(params.get(f) || "")}" maxlength="64"></label>`).join("")}<button>Filter</button></form>`;
    const qs = new URLSearchParams(); for (const f of filters) if (params.get(f)) qs.set(f, params.get(f)); qs.set("limit", "200");
    if (tab === "facts") {
      const d = await api(`/api/facts?${qs}`);
      h += d.available ? `<p class="muted">${d.total} facts</p>` + factTable(d.items) : empty("Facts are not available yet (extraction stage).");
    } else if (tab === "events") {
      const d = await api(`/api/events?${qs}`);
      h += d.available ? `<p class="muted">${d.total} events</p>` + itemTable(d.items, "event") : empty("Events are not available yet (extraction stage).");
    } else if (tab === "quotes") {
      const d = await api(`/api/quotes?${qs}`);
      h += d.available ? `<p class="muted">${d.total} quotes</p>` + itemTable(d.items, "quote") : empty("Quotes are not available yet (extraction stage).");
    } else if (tab === "groups") {
      const d = await api(`/api/fact-groups`);
      h += d.items.length ? `<table><thead><tr><th>Fact</th><th class="num">reports</th><th>Outlets</th><th>Status</th><th>Values</th></tr></thead><tbody>` + d.items.map((g) =>
        `<tr><td><strong>${esc(g.subject)} → ${esc(g.object)}</strong> <span class="tag">${esc(g.indicator)}</span> ${esc(g.period ?? "")}</td><td class="num">${g.n_facts}</td><td>${g.outlets.map(esc).join(", ")}</td>
         <td>${g.conflict ? `<span class="tag bad">conflict</span>` : ""}${g.corroborated ? `<span class="tag good">corroborated</span>` : `<span class="tag">single source</span>`}</td>
         <td>${g.facts.map((f) => `<a href="#/article/${esc(f.article_id)}">${esc(f.value ?? `[${f.low ?? ""}, ${f.high ?? ""}]`)}</a>`).join(", ")}</td></tr>`).join("") + `</tbody></table>` : empty("No facts to compare yet.");
    } else {
      const d = await api(`/api/articles`);
      h += d.items.length ? `<table id="articles"><thead><tr><th>Title</th><th>Outlet</th><th>Published</th><th class="num">facts</th><th class="num">events</th><th class="num">quotes</th><th>Original</th></tr></thead><tbody>` + d.items.map((a) =>
        `<tr><td><a href="#/article/${esc(a.id)}">${esc(a.title || a.id)}</a></td><td>${esc(a.outlet || "")}</td><td>${esc(String(a.published || "").slice(0, 10))}</td>
        <td class="num">${a.items.facts || 0}</td><td class="num">${a.items.events || 0}</td><td class="num">${a.items.quotes || 0}</td><td>${a.url ? `<a href="${esc(a.url)}" target="_blank" rel="noopener noreferrer">↗</a>` : ""}</td></tr>`).join("") + `</tbody></table>` : empty("No articles in the store yet.");
    }
    set(h);
    const form = document.getElementById("filters");
    if (form) form.onsubmit = (e) => { e.preventDefault(); const q = new URLSearchParams(new FormData(form)); for (const [k, v] of [...q]) if (!v) q.delete(k); location.hash = `#/evidence/${tab}?${q}`; };
  }

  function itemTable(items, kind) {
    if (!items.length) return `<p class="muted">None.</p>`;
    const keys = kind === "event" ? ["date", "type", "actors", "kind"] : ["speaker_name", "speaker", "affiliation", "role", "stance"];
    return `<table><thead><tr><th>${kind}</th><th>Sentence</th><th>Source</th></tr></thead><tbody>` + items.map((r) =>
      `<tr><td>${keys.filter((k) => r[k] !== undefined && r[k] !== null && r[k] !== "").map((k) => `<div><span class="muted">${esc(k)}</span> ${esc(Array.isArray(r[k]) ? r[k].join(", ") : r[k])}</div>`).join("")}${Array.isArray(r.hypotheses) ? r.hypotheses.map((x) => `<a class="tag ${x.stance === "supports" ? "good" : "bad"}" href="#/evidence/quotes?hypothesis=${encodeURIComponent(x.id)}">${esc(x.stance)} ${esc(x.id)}</a>`).join("") : ""}</td><td>${sentenceHtml(r)}</td>
       <td>${r.source ? `${esc(r.source.outlet || "")}<br>${r.source.url ? `<a class="source-url" href="${esc(r.source.url)}" target="_blank" rel="noopener noreferrer">original ↗</a> · ` : ""}<a href="#/article/${esc(r.article_id)}">text</a>` : ""}</td></tr>`).join("") + `</tbody></table>`;
  }

  async function renderArticle(id) {
    const a = await api(`/api/articles/${encodeURIComponent(id)}`);
    const text = a.text || "";
    // highlight non-overlapping items, longest first at each start
    let out = "", pos = 0;
    for (const it of a.items) {
      if (it.start < pos) continue;
      out += esc(text.slice(pos, it.start)) + `<mark class="k-${it.kind}" title="${esc(it.kind + ": " + it.label)}">${esc(text.slice(it.start, it.end))}</mark>`;
      pos = it.end;
    }
    out += esc(text.slice(pos));
    const counts = {}; for (const it of a.items) counts[it.kind] = (counts[it.kind] || 0) + 1;
    set(`<p><a href="#/evidence/articles">← articles</a></p><h1>${esc(a.title || a.id)}</h1>
      <p class="muted">${esc(a.outlet || "")} ${a.published ? "· " + esc(String(a.published).slice(0, 10)) : ""} ${a.authors && a.authors.length ? "· " + esc(a.authors.join(", ")) : ""}
      ${a.url ? `· <a class="source-url" href="${esc(a.url)}" target="_blank" rel="noopener noreferrer">original article ↗</a>` : ""}</p>
      <div class="legend">${["fact", "event", "quote", "mention"].map((k) => `<span><mark class="k-${k}">${k}</mark> ${counts[k] || 0}</span>`).join("")}</div>
      ${text ? `<div class="card"><div class="articletext" id="articletext">${out}</div></div>` :
        `<div class="empty" id="articletext-missing">The text of this article is not stored here (the bundled evidence keeps facts, spans and links, not other people's articles). Read it at the <a href="${esc(a.url || "#")}" target="_blank" rel="noopener noreferrer">original</a>; ingest the document to see the items highlighted.</div>
         <h2>Items extracted from it</h2>` + factTable((await api(`/api/facts?article=${encodeURIComponent(a.id)}&limit=500`)).items)}`);
  }

  // ---------------------------------------------------------------- timeline
  async function renderTimeline() {
    const d = await api(`/api/timeline`);
    let h = `<h1>Timeline</h1><p class="muted">Events extracted from the articles, by date and actor (states and organisations). A vertical line joins the actors of one event; click a dot for the article.</p>`;
    const isActor = (a) => /^[A-Z][A-Z0-9+]{1,5}$/.test(a);
    const ev = (d.items || []).map((e) => ({...e, _date: e.date || e.event_date || null,
      _actors: (Array.isArray(e.actors) ? e.actors : [e.actor || e.subject]).filter((a) => a && isActor(a)),
      _kind: e.type || e.kind || e.event_type || ""})).filter((e) => e._date && e._actors.length);
    if (!d.available || !ev.length) { set(h + empty("Events are not available yet (extraction stage).")); return; }
    ev.sort((a, b) => String(a._date).localeCompare(String(b._date)));
    const counts = {}; for (const e of ev) for (const a of e._actors) counts[a] = (counts[a] || 0) + 1;
    const actors = Object.keys(counts).sort((a, b) => counts[b] - counts[a] || a.localeCompare(b));
    const t = (s) => new Date(String(s).slice(0, 10) + "T00:00:00Z").getTime();
    const t0 = t(ev[0]._date) - 20 * 864e5, t1 = t(ev[ev.length - 1]._date) + 20 * 864e5;
    const W = 1200, L = 80, rowH = 30, H = actors.length * rowH + 46, X = (s) => L + (t(s) - t0) / (t1 - t0) * (W - L - 20);
    const Y = (a) => 24 + actors.indexOf(a) * rowH;
    let svg = `<svg class="chart" id="timeline" viewBox="0 0 ${W} ${H}" xmlns="http://www.w3.org/2000/svg">`;
    actors.forEach((a) => { svg += `<text x="${L - 10}" y="${Y(a) + 4}" text-anchor="end" font-weight="600">${esc(a)}</text><line x1="${L}" x2="${W - 20}" y1="${Y(a)}" y2="${Y(a)}" stroke="#e3e7ee"/>`; });
    const y0 = new Date(t0).getUTCFullYear(), y1 = new Date(t1).getUTCFullYear();
    for (let y = y0; y <= y1; y++) for (let m = 0; m < 12; m += (t1 - t0 > 3 * 365 * 864e5 ? 12 : 3)) {
      const tt = Date.UTC(y, m, 1); if (tt < t0 || tt > t1) continue;
      const x = L + (tt - t0) / (t1 - t0) * (W - L - 20);
      svg += `<line x1="${x}" x2="${x}" y1="10" y2="${H - 26}" stroke="#f0f2f5"/><text x="${x}" y="${H - 8}" text-anchor="middle">${m === 0 ? y : `${y}-${String(m + 1).padStart(2, "0")}`}</text>`;
    }
    for (const e of ev) {
      const x = X(e._date), ys = e._actors.map(Y);
      const tip = `${atPrecision(e._date, e.date_precision)} ${e._kind}: ${e._actors.join(", ")}`;
      if (ys.length > 1) svg += `<line x1="${x}" x2="${x}" y1="${Math.min(...ys)}" y2="${Math.max(...ys)}" stroke="#98a2b3" stroke-width="1.5"/>`;
      for (const a of e._actors) svg += `<a href="#/article/${esc(e.article_id)}"><circle class="event" cx="${x}" cy="${Y(a)}" r="6" fill="${COLORS[a] || "#475467"}" stroke="#fff" stroke-width="1.5"><title>${esc(tip)}</title></circle></a>`;
    }
    svg += `</svg>`;
    const kinds = [...new Set(ev.map((e) => e._kind))].sort();
    h += `<div class="card">${svg}</div><h2>Events (${ev.length})</h2><p>${kinds.map((k) => `<span class="tag">${esc(k)}</span>`).join("")}</p>`;
    h += `<table id="events"><thead><tr><th>Date</th><th>Event</th><th>Actors</th><th>Sentence</th><th>Source</th></tr></thead><tbody>` + ev.map((e) =>
      `<tr><td>${esc(atPrecision(e._date, e.date_precision))}${e.date_uncertain ? ` <span class="tag warn">uncertain</span>` : ""}</td><td><span class="tag">${esc(e._kind)}</span></td><td>${esc((e.actors || []).join(", "))}</td><td>${sentenceHtml(e)}</td>
       <td>${e.source ? `${esc(e.source.outlet || "")}<br>${e.source.url ? `<a class="source-url" href="${esc(e.source.url)}" target="_blank" rel="noopener noreferrer">original ↗</a> · ` : ""}<a href="#/article/${esc(e.article_id)}">text</a>` : ""}</td></tr>`).join("") + `</tbody></table>`;
    set(h);
  }

  // ---------------------------------------------------------------- scenarios
  async function renderScenarios() {
    const [sc, runs, hyp] = await Promise.all([api("/api/scenarios"), api("/api/runs"), api("/api/hypotheses")]);
    let h = `<h1>Scenarios</h1>`;
    if (!sc.available) { set(h + empty("Scenarios are not available yet (simulation stage).")); return; }
    h += `<p class="muted">Each scenario encodes an expert's hypothesis from the seed articles. Run an ensemble (at most ${sc.max_runs} runs per request) to see its fan charts and how often each hypothesis holds.</p>`;
    h += `<div class="grid3">` + sc.items.map((s) => `<div class="card scenario" data-name="${esc(s.name)}"><h3>${esc(s.title || s.name)}</h3>
      <p class="muted">${esc(s.description || "")}</p>
      ${(s.sources || []).map((x) => `<p style="font-size:13px"><strong>${esc(x.expert)}</strong> <span class="muted">${esc(x.affiliation || "")}</span><br>${esc(x.claim || "")} ${x.url ? `<a href="${esc(x.url)}" target="_blank" rel="noopener noreferrer">seed ${esc(x.seed)} ↗</a>` : ""}</p>`).join("")}
      <p>${(s.hypotheses || []).map((x) => `<span class="tag" title="${esc(x.statement)}">${esc(x.id)}</span>`).join("")}</p>
      <div class="controls"><label>runs <input type="number" class="nruns" min="1" max="${sc.max_runs}" value="${Math.min(200, sc.max_runs)}" style="width:90px"></label>
      <button class="run">Run ensemble</button></div><div class="runstatus"></div></div>`).join("") + `</div>`;
    h += `<div id="latest"></div><h2>Runs</h2><div id="runs">${runsTable(runs.items)}</div><div id="compare"></div>`;
    h += `<h2>Hypotheses across the bundled scenarios</h2><p class="muted">Probability that each hypothesis holds over an ensemble of ${hyp.items[0]?.runs ?? "–"} runs per scenario (seed 0), with Wilson 95% intervals.</p>` + (hyp.available && hyp.items.length ? hypTable(hyp.items) : `<p class="muted">Hypothesis probabilities appear here once scenarios have run.</p>`);
    set(h);
    for (const card of view.querySelectorAll(".scenario")) card.querySelector(".run").onclick = () => startRun(card);
    bindCompare();
  }
  function runsTable(items) {
    if (!items.length) return `<p class="muted">No runs yet in this session.</p>`;
    return `<table id="runs-table"><thead><tr><th></th><th>Run</th><th>Scenario</th><th class="num">runs</th><th>Status</th><th>Started</th></tr></thead><tbody>` + items.map((r) =>
      `<tr><td><input type="checkbox" class="cmp" value="${esc(r.id)}" ${r.status !== "done" ? "disabled" : ""}></td><td><a href="#/run/${esc(r.id)}">${esc(r.id)}</a></td><td>${esc(r.scenario)}</td><td class="num">${r.runs}</td>
      <td>${r.status === "done" ? `<span class="tag good">done</span>` : r.status === "failed" ? `<span class="tag bad">failed</span>` : `<span class="tag warn">${esc(r.status)} ${Math.round(100 * r.progress)}%</span>`}</td><td>${esc(r.created)}</td></tr>`).join("") +
      `</tbody></table><p><button class="secondary" id="cmpbtn">Compare selected</button></p>`;
  }
  function hypTable(items) {
    const withSc = items.some((x) => x.scenario_title);
    return `<table class="hypotheses"><thead><tr>${withSc ? "<th>Scenario</th>" : ""}<th>Hypothesis</th><th>Expert</th><th class="num">probability</th><th class="num">95% interval</th><th style="width:24%"></th></tr></thead><tbody>` + items.map((x) =>
      `<tr>${withSc ? `<td>${esc(x.scenario_title)}</td>` : ""}<td>${esc(x.label || x.id)}</td><td>${esc(x.expert || "")}</td><td class="num"${x.capped ? ` title="capped: the hindcast does not support more certainty (ensemble share ${fmt(x.raw_probability)})"` : ""}>${fmt(x.probability)}${x.capped ? "*" : ""}</td><td class="num">${fmt(x.low)}–${fmt(x.high)}</td><td>${Charts.bars([{label: "", value: x.probability, color: "#1f2a44", low: x.low, high: x.high}], {max: 1, labelWidth: 4, width: 260})}</td></tr>`).join("") + `</tbody></table>`;
  }
  async function startRun(card) {
    const status = card.querySelector(".runstatus"), btn = card.querySelector(".run");
    btn.disabled = true;
    try {
      const n = parseInt(card.querySelector(".nruns").value, 10);
      const job = await api(`/api/scenarios/${encodeURIComponent(card.dataset.name)}/runs`, {method: "POST", headers: {"Content-Type": "application/json"}, body: JSON.stringify({runs: n})});
      await poll(job.id, status);
    } catch (e) { status.innerHTML = `<p class="error">${esc(e.message)}</p>`; }
    btn.disabled = false;
  }
  async function poll(id, el) {
    for (;;) {
      const r = await api(`/api/runs/${id}`);
      el.innerHTML = `<div class="progress"><div style="width:${Math.round(100 * r.progress)}%"></div></div><p class="muted">${esc(r.status)} · ${Math.round(100 * r.progress)}%</p>`;
      if (r.status === "done") {
        const latest = document.getElementById("latest");
        if (latest && el.classList.contains("runstatus")) {
          el.innerHTML = `<p><span class="tag good">done</span> ${r.runs} runs · <a href="#/run/${esc(r.id)}">open</a> · results below</p>`;
          latest.innerHTML = `<div class="card"><h2 style="margin-top:0">${esc(r.result?.title || r.scenario)}: latest run</h2>${runResult(r)}</div>`;
        } else el.innerHTML = runResult(r);
        const rr = await api("/api/runs"); document.getElementById("runs").innerHTML = runsTable(rr.items); bindCompare(); return;
      }
      if (r.status === "failed") { el.innerHTML = `<p class="error">run failed: ${esc(r.error)}</p>`; return; }
      await new Promise((res) => setTimeout(res, 400));
    }
  }
  function runResult(r) {
    const res = r.result || {};
    let h = `<div class="run-result" data-run="${esc(r.id)}" data-scenario="${esc(r.scenario)}"><p><span class="tag good">done</span> ${res.runs ?? r.runs} runs ${res.elapsed_s ? `in ${fmt(res.elapsed_s, 1)} s` : ""} · seed ${esc(res.seed)} · start: ${esc(res.start_world || "")} · Parquet outputs written on the server</p><div class="fans">`;
    for (const s of (res.series || [])) h += `<div class="fan"><h3>${esc(s.label)}</h3>` + Charts.fan(res.x || res.years, s.quantiles, {color: COLORS[s.patron] || "#1f2a44", height: 200, title: s.label, xticks: (res.x || []).filter((v) => v % 2 === 0)}) + `</div>`;
    h += `</div><div class="legend"><span class="muted">bands: 5–95% and 25–75% of the runs; line: median</span></div>`;
    if (res.hypotheses && res.hypotheses.length) h += hypTable(res.hypotheses);
    return h + `</div>`;
  }
  function bindCompare() {
    const b = document.getElementById("cmpbtn");
    if (b) b.onclick = async () => {
      const ids = [...view.querySelectorAll("input.cmp:checked")].map((c) => c.value);
      const runs = await Promise.all(ids.map((i) => api(`/api/runs/${i}`)));
      const el = document.getElementById("compare");
      if (runs.length < 2) { el.innerHTML = `<p class="muted">Select two or more finished runs.</p>`; return; }
      const labels = [...new Set(runs.flatMap((r) => (r.result?.series || []).map((s) => s.label)))];
      const palette = ["#c8102e", "#2457a6", "#12877f", "#e07b00", "#6a3d9a"];
      el.innerHTML = `<h2>Comparison</h2><div class="legend">${runs.map((r, i) => `<span><span class="swatch" style="background:${palette[i % 5]}"></span>${esc(r.scenario)} (${esc(r.id)})</span>`).join("")}</div><div class="grid3">` + labels.map((l) =>
        `<div class="card"><h3>${esc(l)}</h3>${Charts.line(runs.map((r, i) => { const s = (r.result?.series || []).find((x) => x.label === l); const x = r.result?.x || r.result?.years || [];
          return {label: r.scenario, color: palette[i % 5], points: s ? x.map((xx, k) => ({x: xx, y: s.quantiles.p50[k], low: s.quantiles.p25?.[k], high: s.quantiles.p75?.[k]})) : []}; }), {height: 200})}</div>`).join("") + `</div>`;
    };
  }
  async function renderRun(id) {
    const r = await api(`/api/runs/${encodeURIComponent(id)}`);
    set(`<p><a href="#/scenarios">← scenarios</a></p><h1>Run ${esc(r.id)}: ${esc(r.scenario)}</h1><div class="card" id="runview"></div>`);
    const el = document.getElementById("runview");
    if (r.status === "done") el.innerHTML = runResult(r); else poll(r.id, el);
  }

  // ---------------------------------------------------------------- forecasts
  async function renderForecasts() {
    const d = await api("/api/forecasts");
    let h = `<h1>Issue forecasts</h1><p class="muted">Expected-utility bargaining (Bueno de Mesquita; replication by Scholz, Calbert and Smith 2011): each line is an actor's position over the rounds of challenges and offers; the dashed line is the capability- and salience-weighted mean.</p>`;
    if (!d.available || !d.items.length) { set(h + empty("Issue forecasts are not available yet (forecast stage).")); return; }
    const palette = ["#c8102e", "#2457a6", "#12877f", "#e07b00", "#6a3d9a", "#d4a017", "#475467", "#98a2b3", "#7a5af8", "#f04438", "#16b364", "#0ba5ec"];
    for (const f of d.items) {
      const path = f.path || [];
      const actors = f.actors.map((a) => a.name);
      const col = (a, i) => COLORS[(f.actor_ids || {})[a]] || palette[i % palette.length];
      const series = actors.map((a, i) => ({label: a, color: col(a, i), points: path.map((p) => ({x: p.round, y: p.positions[a]}))}));
      series.push({label: "weighted mean", color: "#111", dash: true, points: path.map((p) => ({x: p.round, y: p.mean}))});
      const dist = f.distribution;
      h += `<div class="card forecast" data-issue="${esc(f.issue)}"><h2 style="margin-top:0">${esc(f.title)}${f.reference ? ` <span class="tag">reference replication</span>` : ""}</h2>
        ${f.question ? `<p>${esc(f.question)}</p>` : ""}<p class="muted">${esc(fmt(f.scale.min, 0))} = ${esc(f.scale.low || "low")} · ${esc(fmt(f.scale.max, 0))} = ${esc(f.scale.high || "high")}</p>
        <div class="grid2"><div>${Charts.line(series, {height: 280, title: f.title, ymin: f.scale.min, ymax: f.scale.max, xticks: path.map((p) => p.round).filter((r) => r % 2 === 0)})}
        <div class="legend">${actors.map((a, i) => `<span><span class="swatch" style="background:${col(a, i)}"></span>${esc(a)}</span>`).join("")}</div></div>
        <div><div class="bignum">${fmt(f.forecast, 1)}</div><div class="muted">forecast (${esc(f.status)}; single run's window ${fmt(f.low, 1)}–${fmt(f.high, 1)})</div>
        ${dist ? `<p>Monte Carlo over ${dist.runs} draws of the uncertain inputs: median ${fmt(dist.quantiles["50"], 1)}, 5–95% band ${fmt(dist.quantiles["5"], 1)}–${fmt(dist.quantiles["95"], 1)}${dist.same_side != null ? `; ${fmt(dist.same_side * 100, 0)}% on the forecast's side of the middle` : ""}.</p>` : ""}
        <table><thead><tr><th>Actor</th><th class="num">cap.</th><th class="num">sal.</th><th class="num">start</th><th class="num">end</th></tr></thead><tbody>${f.actors.map((a, i) => `<tr><td><span class="swatch" style="background:${col(a.name, i)}"></span>${esc(a.name)}</td><td class="num">${fmt(a.capability, 2)}</td><td class="num">${fmt(a.salience, 2)}</td><td class="num">${fmt(path[0]?.positions[a.name], 1)}</td><td class="num">${fmt(path[path.length - 1]?.positions[a.name], 1)}</td></tr>`).join("")}</tbody></table>
        ${f.sensitivity && f.sensitivity.length ? `<h3>Whose salience matters most</h3>` + Charts.bars(f.sensitivity.slice(0, 6).map((x) => ({label: x.actor, value: x.swing})), {width: 420, labelWidth: 130, digits: 2}) : ""}
        </div></div></div>`;
    }
    set(h);
  }

  // ---------------------------------------------------------------- router
  // One page is drawn at a time. A render awaits the API and may draw in steps; a render
  // started while another was still waiting would let the late one draw over the new page
  // (a slow store made the timeline disappear under the evidence table). So a hash change
  // during a render only marks the page as stale, and the latest hash is drawn when the
  // running render has finished.
  let rendering = null, stale = false;
  async function route() {
    if (rendering) { stale = true; return rendering; }
    try {
      do { stale = false; rendering = renderHash(); await rendering; } while (stale);
    } finally { rendering = null; }
  }
  async function renderHash() {
    const raw = location.hash.replace(/^#\/?/, "") || "map";
    const [pathPart, query] = raw.split("?");
    const parts = pathPart.split("/").map(decodeURIComponent), params = new URLSearchParams(query || "");
    for (const a of document.querySelectorAll("#nav a[data-route]")) a.classList.toggle("active", a.dataset.route === (parts[0] === "country" || parts[0] === "explain" ? "map" : parts[0] === "article" ? "evidence" : parts[0] === "run" ? "scenarios" : parts[0]));
    try {
      switch (parts[0]) {
        case "map": await renderMap(); break;
        case "country": await renderCountry(parts[1]); break;
        case "explain": await renderExplain(parts[1], parts[2], parts[3], parts[4]); break;
        case "evidence": await renderEvidence(parts[1], params); break;
        case "article": await renderArticle(parts[1]); break;
        case "timeline": await renderTimeline(); break;
        case "scenarios": await renderScenarios(); break;
        case "run": await renderRun(parts[1]); break;
        case "forecasts": await renderForecasts(); break;
        case "review": await ReviewPage.render(view, params, {api, esc, fmt}); break;
        default: set(empty("No such page. <a href='#/map'>Back to the map</a>."));
      }
      if (!stale) view.dataset.ready = parts[0];
    } catch (e) {
      set(`<div class="empty error">${esc(e.message)}${e.status ? ` (HTTP ${e.status})` : ""}</div>`);
      if (!stale) view.dataset.ready = "error";
    }
  }
  async function storeInfo() {
    try { const s = await api("/api/status"); document.getElementById("storeinfo").textContent = s.store ? `${s.counts.articles || 0} articles · ${s.counts.facts || 0} facts · ${s.counts.events || 0} events · v${s.version}` : "no store yet"; } catch (e) { /* header only */ }
  }
  window.addEventListener("hashchange", () => { view.dataset.ready = ""; route(); });
  storeInfo();
  route();
})();
