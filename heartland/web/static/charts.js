/* Small hand-written SVG charts for the heartland dashboard (no external library). */
"use strict";
const Charts = (() => {
  const NS = "http://www.w3.org/2000/svg";
  const esc = (s) => String(s ?? "").replace(/[&<>"']/g, (c) => ({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"}[c]));
  const fmt = (v, d = 2) => (v === null || v === undefined || Number.isNaN(v)) ? "–" : Number(v).toFixed(d);

  function ticks(lo, hi, n = 5) {
    if (hi - lo < 1e-12) { hi = lo + 1; }
    const step0 = (hi - lo) / n, mag = Math.pow(10, Math.floor(Math.log10(step0)));
    const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= step0) || step0;
    const out = [];
    for (let t = Math.ceil(lo / step) * step; t <= hi + 1e-9; t += step) out.push(+t.toFixed(10));
    return out;
  }

  /* series: [{label, color, points: [{x, y, low, high, href}]}] ; returns an SVG string */
  function line(series, opts = {}) {
    const W = opts.width || 560, H = opts.height || 240, m = {l: 44, r: 14, t: 14, b: 30};
    const pts = series.flatMap((s) => s.points);
    if (!pts.length) return `<p class="muted">no data</p>`;
    const xs = pts.map((p) => p.x), ys = pts.flatMap((p) => [p.y, p.low, p.high]).filter((v) => v !== null && v !== undefined);
    let x0 = Math.min(...xs), x1 = Math.max(...xs); if (x0 === x1) { x0 -= 1; x1 += 1; }
    let y0 = opts.ymin ?? Math.min(0, ...ys), y1 = opts.ymax ?? Math.max(...ys, 1e-6);
    const X = (x) => m.l + (x - x0) / (x1 - x0) * (W - m.l - m.r);
    const Y = (y) => H - m.b - (y - y0) / (y1 - y0) * (H - m.t - m.b);
    let s = `<svg class="chart" viewBox="0 0 ${W} ${H}" xmlns="${NS}" role="img" aria-label="${esc(opts.title || "chart")}">`;
    s += `<g class="axis">`;
    for (const t of ticks(y0, y1, 4)) s += `<line x1="${m.l}" x2="${W - m.r}" y1="${Y(t)}" y2="${Y(t)}" stroke-dasharray="2,3"/><text x="${m.l - 6}" y="${Y(t) + 4}" text-anchor="end">${t}</text>`;
    const xt = opts.xticks || ticks(x0, x1, Math.min(8, Math.max(2, x1 - x0)));
    for (const t of xt) if (t >= x0 && t <= x1) s += `<text x="${X(t)}" y="${H - 10}" text-anchor="middle">${opts.xfmt ? opts.xfmt(t) : t}</text>`;
    s += `</g>`;
    for (const se of series) {
      const band = se.points.filter((p) => p.low !== null && p.low !== undefined && p.high !== null && p.high !== undefined);
      if (band.length > 1) {
        const up = band.map((p) => `${X(p.x)},${Y(p.high)}`), dn = band.slice().reverse().map((p) => `${X(p.x)},${Y(p.low)}`);
        s += `<polygon points="${up.concat(dn).join(" ")}" fill="${se.color}" opacity="0.16"/>`;
      }
      const ok = se.points.filter((p) => p.y !== null && p.y !== undefined);
      if (ok.length > 1) s += `<polyline fill="none" stroke="${se.color}" stroke-width="2.2" ${se.dash ? 'stroke-dasharray="5,4"' : ""} points="${ok.map((p) => `${X(p.x)},${Y(p.y)}`).join(" ")}"/>`;
      const rad = ok.length > 12 ? 2.2 : 3.5;
      for (const p of ok) {
        const c = `<circle cx="${X(p.x)}" cy="${Y(p.y)}" r="${rad}" fill="${se.color}"><title>${esc(se.label)} ${p.x}: ${fmt(p.y)}${p.low !== undefined && p.low !== null ? ` [${fmt(p.low)}–${fmt(p.high)}]` : ""}</title></circle>`;
        s += p.href ? `<a href="${esc(p.href)}">${c}</a>` : c;
      }
    }
    s += `</svg>`;
    return s;
  }

  /* Fan chart: x values and quantile arrays {p05,p25,p50,p75,p95} */
  function fan(x, q, opts = {}) {
    const color = opts.color || "#1f2a44";
    const pts = (k) => x.map((xx, i) => ({x: xx, y: q[k] ? q[k][i] : null}));
    const series = [];
    const outer = {label: "5–95%", color, points: x.map((xx, i) => ({x: xx, y: null, low: q.p05?.[i], high: q.p95?.[i]}))};
    const inner = {label: "25–75%", color, points: x.map((xx, i) => ({x: xx, y: null, low: q.p25?.[i], high: q.p75?.[i]}))};
    series.push(outer, inner, {label: "median", color, points: pts("p50")});
    return line(series, opts);
  }

  /* Horizontal bars: [{label, value, color, low, high}] with values in [0, max] */
  function bars(items, opts = {}) {
    const W = opts.width || 520, rowH = 26, H = items.length * rowH + 10, L = opts.labelWidth || 170;
    const max = opts.max || Math.max(1e-9, ...items.map((i) => i.high ?? i.value ?? 0));
    let s = `<svg class="chart" viewBox="0 0 ${W} ${H}" xmlns="${NS}" role="img" aria-label="${esc(opts.title || "bars")}">`;
    items.forEach((it, k) => {
      const y = 5 + k * rowH, w = (W - L - 60) * Math.max(0, it.value || 0) / max;
      s += `<text x="${L - 8}" y="${y + 16}" text-anchor="end">${esc(it.label)}</text>`;
      s += `<rect x="${L}" y="${y + 4}" width="${w}" height="${rowH - 10}" rx="3" fill="${it.color || "#1f2a44"}"/>`;
      if (it.low !== undefined && it.low !== null) {
        const a = L + (W - L - 60) * it.low / max, b = L + (W - L - 60) * it.high / max;
        s += `<line x1="${a}" x2="${b}" y1="${y + rowH / 2}" y2="${y + rowH / 2}" stroke="#1d2433" stroke-width="1.5"/>`;
      }
      s += `<text x="${L + w + 6}" y="${y + 16}">${fmt(it.value, opts.digits ?? 2)}</text>`;
    });
    return s + `</svg>`;
  }
  return {line, fan, bars, esc, fmt, ticks};
})();
