/* heartland dashboard: the review page (#/review). One extracted item at a time, with
   single-key actions: a accept, r reject, e edit, s skip, j/k or arrows to move, / filters.
   Decisions go to POST /api/review/items/{key}; keys pressed while a decision is on its
   way are queued and applied in order, so a fast scripted review loses nothing. */
"use strict";
window.ReviewPage = (() => {
  const ST = {items: [], pos: 0, details: new Map(), params: null, queue: Promise.resolve(), session: 0,
              total: 0, orderedBy: "confidence", busy: 0};
  let H = null; // helpers from app.js: {api, esc, fmt}
  const $ = (id) => document.getElementById(id);
  const FILTERS = ["article", "actor", "indicator", "kind", "min_confidence", "max_confidence", "state"];
  // The page's forms never submit (no inline handlers: the Content-Security-Policy allows none).
  document.addEventListener("submit", (e) => {
    if (e.target && (e.target.id === "review-filters" || e.target.id === "review-edit")) e.preventDefault();
  });

  function qs(params) {
    const q = new URLSearchParams();
    for (const k of FILTERS) { const v = params.get(k); if (v) q.set(k, v); }
    return q.toString();
  }

  async function render(view, params, helpers) {
    H = helpers;
    ST.params = params;
    const data = await H.api("/api/review/items?limit=5000&" + qs(params));
    ST.items = data.items || []; ST.total = data.total || 0; ST.orderedBy = data.ordered_by || "confidence";
    ST.pos = 0; ST.details = new Map();
    const fc = data.facets || {};
    const opt = (vals, cur, label) => `<option value="">${label}</option>` + vals.map((v) => {
      const [val, text] = Array.isArray(v) ? v : [v, v];
      return `<option value="${H.esc(val)}" ${val === cur ? "selected" : ""}>${H.esc(text)}</option>`; }).join("");
    const cur = (k) => params.get(k) || "";
    const states = fc.states || {};
    const stateOpts = [["candidate", `candidates (${states.candidate || 0})`], ["accepted", `accepted (${states.accepted || 0})`],
      ["rejected", `rejected (${states.rejected || 0})`], ["edited", `edited (${states.edited || 0})`], ["decided", "all decided"], ["any", "everything"]];
    view.innerHTML = `<div id="review-root">
      <h1>Review extracted evidence</h1>
      <form class="controls" id="review-filters">
        <label>Article <select id="f-article" name="article">${opt((fc.articles || []).map((a) => [a.id, `${(a.title || a.id).slice(0, 48)} (${a.n})`]), cur("article"), "all articles")}</select></label>
        <label>Actor <select id="f-actor" name="actor">${opt(fc.actors || [], cur("actor"), "any actor")}</select></label>
        <label>Indicator / event type <select id="f-indicator" name="indicator">${opt(fc.indicators || [], cur("indicator"), "any")}</select></label>
        <label>Kind <select id="f-kind" name="kind">${opt(["fact", "event", "quote", "name"], cur("kind"), "any kind")}</select></label>
        <label>Confidence ≥ <input type="number" id="f-min" name="min_confidence" min="0" max="1" step="0.05" value="${H.esc(cur("min_confidence"))}" style="width:80px"></label>
        <label>Confidence ≤ <input type="number" id="f-max" name="max_confidence" min="0" max="1" step="0.05" value="${H.esc(cur("max_confidence"))}" style="width:80px"></label>
        <label>State <select id="f-state" name="state">${stateOpts.map(([v, t]) => `<option value="${v}" ${v === (cur("state") || "candidate") ? "selected" : ""}>${t}</option>`).join("")}</select></label>
        <label>Reviewer <input type="text" id="f-by" maxlength="64" value="${H.esc(localStorage.getItem("heartland.reviewer") || "")}" placeholder="(your login)" style="width:120px"></label>
      </form>
      <div id="review-progress" class="muted"></div>
      <div id="review-card" class="card review-card" tabindex="-1"></div>
      <div id="review-status" class="muted" aria-live="polite"></div>
      <p class="keys muted"><kbd>a</kbd> accept · <kbd>r</kbd> reject · <kbd>e</kbd> edit · <kbd>s</kbd> skip ·
        <kbd>j</kbd>/<kbd>k</kbd> or arrows: next/previous · <kbd>/</kbd> filters, <kbd>Esc</kbd> back to the item.
        Nothing counts in the indices until the evidence policy admits it (docs/review.md); a rejected item never counts.</p>
    </div>`;
    const apply = () => {
      const q = new URLSearchParams();
      for (const el of $("review-filters").querySelectorAll("select[name], input[name]")) if (el.value) q.set(el.name, el.value);
      const s = q.toString();
      location.hash = "#/review" + (s ? "?" + s : "");
    };
    for (const el of $("review-filters").querySelectorAll("select[name]")) el.onchange = apply;
    for (const el of $("review-filters").querySelectorAll("input[name]")) el.onchange = apply;
    $("f-by").onchange = (e) => localStorage.setItem("heartland.reviewer", e.target.value.trim());
    await show();
  }

  async function detail(key) {
    if (!ST.details.has(key)) ST.details.set(key, H.api(`/api/review/items/${key}`).catch((e) => { ST.details.delete(key); throw e; }));
    return ST.details.get(key);
  }
  function prefetch() {
    if (ST.busy > 1) return; // more keys queued: fetch on demand, so reads do not contend with the writes
    for (let i = ST.pos + 1; i <= ST.pos + 2 && i < ST.items.length; i++) detail(ST.items[i].item_key).catch(() => {});
  }

  function impactHtml(d) {
    const m = d.impact;
    if (!m) return `<div class="impact muted" id="review-impact" data-status="${H.esc(d.impact_status || "")}">Index change: ${H.esc(d.impact_status || "not computed")}</div>`;
    const verb = m.direction === "reject" ? "Counted now by the evidence policy: rejecting" : "Accepting";
    const cell = `${m.patron}→${m.target} ${m.domain} ${m.year}`;
    return `<div class="impact" id="review-impact" data-status="computed" data-direction="${H.esc(m.direction)}" data-patron="${H.esc(m.patron)}" data-target="${H.esc(m.target)}" data-domain="${H.esc(m.domain)}" data-year="${H.esc(m.year)}" data-before="${m.before ?? ""}" data-after="${m.after ?? ""}">
      ${verb} this moves <a href="#/explain/${H.esc(m.patron)}/${H.esc(m.target)}/${H.esc(m.domain)}/${H.esc(m.year)}"><strong>${H.esc(cell)}</strong></a>
      from <strong>${m.before === null ? "none" : H.fmt(m.before, 3)}</strong> to <strong>${m.after === null ? "none" : H.fmt(m.after, 3)}</strong>
      ${d.impact_stale ? `<span class="muted">(computed before your latest decisions; being refreshed)</span>` : ""}</div>`;
  }
  function sentenceHtml(s) {
    if (!s || !s.sentence) return `<div class="sentence muted">(the article text is not stored)</div>`;
    const t = s.sentence, a = Math.max(0, s.mark_start ?? 0), b = Math.min(t.length, s.mark_end ?? 0);
    return `<div class="sentence" id="review-sentence">${H.esc(t.slice(0, a))}<mark>${H.esc(t.slice(a, b))}</mark>${H.esc(t.slice(b))}</div>`;
  }
  function fieldsHtml(d) {
    const rows = Object.entries(d.proposed || {}).filter(([, v]) => v !== null && v !== "" && !(Array.isArray(v) && !v.length));
    const ed = d.edited || {};
    return `<dl class="kv" id="review-fields">` + rows.map(([k, v]) => `<dt>${H.esc(k)}</dt><dd data-field="${H.esc(k)}">${H.esc(Array.isArray(v) ? v.map((x) => typeof x === "object" ? JSON.stringify(x) : x).join(", ") : v)}${k in ed ? ` → <strong class="edited">${H.esc(JSON.stringify(ed[k]))}</strong>` : ""}</dd>`).join("") + `</dl>`;
  }
  const stateTag = (s) => `<span class="tag ${s === "accepted" || s === "edited" ? "good" : s === "rejected" ? "bad" : "warn"}" id="review-state">${H.esc(s)}</span>`;

  async function show() {
    const card = $("review-card");
    if (!card) return;
    const n = ST.items.length;
    $("review-progress").textContent = n ? `item ${ST.pos + 1} of ${n}${ST.total > n ? ` (first ${n} of ${ST.total})` : ""} · ordered by ${ST.orderedBy === "impact" ? "impact on the indices" : "extraction confidence"} · ${ST.session} decided in this session` : `${ST.session} decided in this session`;
    if (!n) { card.innerHTML = `<div class="empty" id="review-done">Nothing to review with these filters.</div>`; card.dataset.key = ""; return; }
    const it = ST.items[ST.pos];
    card.dataset.key = it.item_key;
    let d;
    try { d = await detail(it.item_key); } catch (e) { card.innerHTML = `<div class="empty error">${H.esc(e.message)}</div>`; return; }
    if (card.dataset.key !== it.item_key) return; // moved on meanwhile
    const a = d.article || {};
    card.innerHTML = `<div class="review-head"><span class="tag">${H.esc(d.kind)}</span> ${stateTag(d.state === it.state ? d.state : it.state)}
        <span class="muted">confidence ${H.fmt(d.confidence, 2)} · ${H.esc(d.reason || "")} · <code>${H.esc(d.item_key.slice(0, 12))}</code></span></div>
      <div class="review-summary"><strong>${H.esc(d.summary || "")}</strong></div>
      ${sentenceHtml(d.sentence)}
      <div class="muted">${a.outlet ? H.esc(a.outlet) + " · " : ""}${a.published ? H.esc(String(a.published).slice(0, 10)) + " · " : ""}${H.esc(a.title || "")}
        ${a.url ? ` · <a class="source-url" id="review-article-url" href="${H.esc(a.url)}" target="_blank" rel="noopener noreferrer">original article ↗</a>` : ""}
        ${d.article_id ? ` · <a href="#/article/${H.esc(d.article_id)}">in the stored text</a>` : ""}</div>
      ${impactHtml(d)}
      <div class="preview" id="review-preview" data-status="pending" data-key="${H.esc(it.item_key)}"></div>
      <h3>Proposed ${H.esc(d.kind)}</h3>${fieldsHtml(d)}
      ${it.why || d.why ? `<div class="muted">why: ${H.esc(it.why || d.why)}</div>` : ""}
      <form id="review-edit" class="edit" hidden></form>`;
    card.dataset.ready = it.item_key;
    preview(it.item_key, d);
    prefetch();
  }

  /* The exact effect of the decision the item invites (accept; reject when the policy counts
     it now): every influence number it changes, the item's own cell first. A world rebuild
     on the server, whose reading of the store would delay a decision written meanwhile, so
     it is asked for only once the reviewer dwells on the item (PREVIEW_DWELL_MS, no keys
     queued) and drawn when it arrives; the keys never wait for it. */
  const previews = new Map();
  const PREVIEW_DWELL_MS = 400;
  function preview(key, d) {
    const box = $("review-preview");
    if (!box || box.dataset.key !== key) return;
    if (ST.busy > 1) { box.dataset.status = "skipped"; box.innerHTML = ""; return; }
    box.dataset.status = "waiting";
    setTimeout(() => {
      const b = $("review-preview");
      if (!b || b.dataset.key !== key || b.dataset.status !== "waiting") return;
      if (ST.busy > 0) { b.dataset.status = "skipped"; return; }
      fetchPreview(key, d);
    }, PREVIEW_DWELL_MS);
  }
  function fetchPreview(key, d) {
    const box = $("review-preview");
    const state = d.impact && d.impact.direction === "reject" ? "rejected" : "accepted";
    const k = `${key}:${state}`;
    if (!previews.has(k)) previews.set(k, H.api(`/api/review/items/${key}/preview?state=${state}`).catch((e) => { previews.delete(k); throw e; }));
    box.dataset.status = "computing";
    box.innerHTML = `<span class="muted">computing every number this decision changes…</span>`;
    previews.get(k).then((p) => {
      const b = $("review-preview");
      if (!b || b.dataset.key !== key) return;
      const verb = state === "accepted" ? "Accepting" : "Rejecting";
      const num = (v) => v === null || v === undefined ? "none" : H.fmt(v, 3);
      b.dataset.state = state; b.dataset.count = String(p.changes.length);
      const other = state === "accepted" ? "Rejecting (r) it changes no number: the policy does not count it now." :
        "Accepting (a) it changes no number: the policy counts it already.";
      b.innerHTML = (!p.changes.length ? `<span class="muted">${verb} this changes no number the dashboard shows.</span>` :
        `<details${p.changes.length <= 8 ? " open" : ""}><summary>${verb} this changes ${p.changes.length} number${p.changes.length === 1 ? "" : "s"} (exact: the world rebuilt with the decision)</summary>
        <table class="data" id="review-preview-table"><thead><tr><th>patron → target</th><th>domain</th><th>year</th><th>before</th><th>after</th></tr></thead><tbody>` +
        p.changes.map((c, i) => `<tr data-patron="${H.esc(c.patron)}" data-target="${H.esc(c.target)}" data-domain="${H.esc(c.domain)}" data-year="${c.year}" data-before="${c.before ?? ""}" data-after="${c.after ?? ""}"${i === 0 ? ' class="own"' : ""}>
          <td><a href="#/explain/${H.esc(c.patron)}/${H.esc(c.target)}/${H.esc(c.domain)}/${c.year}">${H.esc(c.patron)}→${H.esc(c.target)}</a></td><td>${H.esc(c.domain)}</td><td>${c.year}</td><td>${num(c.before)}</td><td>${num(c.after)}</td></tr>`).join("") +
        `</tbody></table></details>`) + (d.impact && d.state === "candidate" ? ` <span class="muted">${other}</span>` : "");
      b.dataset.status = "computed";
    }).catch((e) => { const b = $("review-preview"); if (b && b.dataset.key === key) { b.dataset.status = "failed"; b.textContent = `exact preview failed: ${e.message}`; } });
  }

  function move(delta) {
    if (!ST.items.length) return;
    ST.pos = Math.max(0, Math.min(ST.items.length - 1, ST.pos + delta));
    return show();
  }

  async function decide(state, edited, why) {
    const it = ST.items[ST.pos];
    if (!it) return;
    const body = {state};
    if (edited) body.edited = edited;
    if (why) body.why = why;
    const by = ($("f-by") && $("f-by").value.trim()) || localStorage.getItem("heartland.reviewer") || "";
    if (by) body.by = by;
    const t0 = performance.now();
    const res = await H.api(`/api/review/items/${it.item_key}`, {method: "POST", headers: {"Content-Type": "application/json"}, body: JSON.stringify(body)});
    const ms = performance.now() - t0;
    (window.reviewTimings ??= []).push({client_ms: ms, server_ms: res.ms});
    ST.session += 1;
    ST.details.delete(it.item_key);
    previews.clear(); // the store changed: every exact preview is recomputed
    const filter = ST.params.get("state") || "candidate";
    const keep = filter === "any" || filter === res.state || (filter === "decided");
    if (keep) { Object.assign(it, {state: res.state, edited: res.edited, why: res.why}); ST.pos = Math.min(ST.items.length - 1, ST.pos + 1); }
    else { ST.items.splice(ST.pos, 1); ST.pos = Math.min(ST.pos, Math.max(0, ST.items.length - 1)); }
    const st = $("review-status");
    if (st) { st.textContent = `${res.state}: ${it.summary} (${Math.round(ms)} ms)`; st.dataset.ms = String(Math.round(ms)); st.dataset.count = String(ST.session); }
    await show();
  }

  function openEdit() {
    const card = $("review-card"), it = ST.items[ST.pos];
    if (!it || !card) return;
    detail(it.item_key).then((d) => {
      const form = $("review-edit");
      if (!form) return;
      const cur = Object.assign({}, d.proposed || {}, d.edited || {});
      form.innerHTML = `<h3>Edit (Enter saves, Esc cancels)</h3><div class="controls">` + d.editable.map((f) => {
        const v = cur[f]; const s = Array.isArray(v) ? v.join(", ") : v ?? "";
        return `<label>${H.esc(f)} <input type="text" name="${H.esc(f)}" data-orig="${H.esc(s)}" value="${H.esc(s)}" style="width:140px"></label>`; }).join("") +
        `<label>why <input type="text" name="__why" maxlength="500" style="width:240px"></label><button type="submit">Save edit</button></div>`;
      form.hidden = false;
      form.querySelector("input").focus();
      form.onsubmit = (e) => {
        e.preventDefault();
        const edited = {};
        for (const inp of form.querySelectorAll("input[name]")) {
          if (inp.name === "__why" || inp.value === inp.dataset.orig) continue;
          const v = inp.value.trim();
          edited[inp.name] = inp.name === "actors" ? v.split(/\s*,\s*/).filter(Boolean) : ["value", "low", "high"].includes(inp.name) && v !== "" && !isNaN(+v) ? +v : v;
        }
        const why = form.querySelector("input[name=__why]").value.trim();
        if (!Object.keys(edited).length) { $("review-status").textContent = "nothing changed: edit a field, or Esc"; return false; }
        form.hidden = true;
        enqueue(() => decide("edited", edited, why));
        return false;
      };
      form.onkeydown = (e) => { if (e.key === "Escape") { e.preventDefault(); form.hidden = true; $("review-card").focus(); } };
    });
  }

  function enqueue(fn) {
    ST.busy += 1;
    ST.queue = ST.queue.then(fn).catch((e) => {
      const st = $("review-status");
      if (st) { st.textContent = `not saved: ${e.message}${e.status ? ` (HTTP ${e.status})` : ""}`; st.classList.add("error"); }
    }).finally(() => { ST.busy -= 1; const root = $("review-root"); if (root) root.dataset.busy = String(ST.busy); });
    const root = $("review-root"); if (root) root.dataset.busy = String(ST.busy);
  }

  document.addEventListener("keydown", (e) => {
    if (!$("review-root") || e.ctrlKey || e.metaKey || e.altKey) return;
    const t = e.target, typing = t && (t.tagName === "INPUT" || t.tagName === "SELECT" || t.tagName === "TEXTAREA");
    if (typing) {
      if (e.key === "Escape" && t.closest("#review-filters")) { t.blur(); $("review-card").focus(); }
      return;
    }
    const act = {
      a: () => enqueue(() => decide("accepted")),
      r: () => enqueue(() => decide("rejected")),
      e: () => openEdit(),
      s: () => enqueue(() => move(1)),
      j: () => enqueue(() => move(1)), ArrowDown: () => enqueue(() => move(1)), ArrowRight: () => enqueue(() => move(1)),
      k: () => enqueue(() => move(-1)), ArrowUp: () => enqueue(() => move(-1)), ArrowLeft: () => enqueue(() => move(-1)),
      "/": () => $("f-article").focus(),
    }[e.key];
    if (act) { e.preventDefault(); act(); }
  });

  return {render};
})();
