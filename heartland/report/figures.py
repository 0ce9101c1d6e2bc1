"""Figures for the report, as inline SVG strings (matplotlib for charts, hand-built SVG maps).

Every figure is returned as text that goes straight into the HTML file: nothing is
written beside it and nothing refers to an external resource. Chart text stays text
(``svg.fonttype = 'none'``): the browser sets it in the first installed face of the
sans-serif stack, so the figures are searchable and selectable, and a third of the size
and time of drawing every glyph as a path.

Charts are laid out with fixed margins in inches (:func:`_figure`) rather than
matplotlib's constrained layout, which measures every text box and redraws: with text
kept as text that halves each figure's cost (0.10 s to 0.04 s), and the report draws
about forty (docs/report.md, "Figures"). Only the hypothesis bars, whose long labels
set the left margin, keep the measured layout.
"""

from __future__ import annotations

import io
import json
import math
import re
from functools import lru_cache
from html import escape

import matplotlib
import matplotlib.ticker
from matplotlib.figure import Figure

from heartland import paths

PATRON_COLORS = {"CHN": "#c8102e", "RUS": "#2457a6", "USA": "#6a3d9a", "EUU": "#d4a017", "TUR": "#12877f",
                 "IND": "#e07b00"}
TARGET_COLORS = {"KAZ": "#1f5fbf", "KGZ": "#c8102e", "TJK": "#12877f", "TKM": "#e07b00", "UZB": "#6a3d9a",
                 "C5": "#111111"}
PALETTE = ["#c8102e", "#2457a6", "#12877f", "#e07b00", "#6a3d9a", "#d4a017", "#475467", "#98a2b3", "#7a5af8",
           "#f04438", "#16b364", "#0ba5ec"]

#: The report's chart style. Applied to matplotlib's global rcParams when this module is
#: imported (an ``rc_context`` per figure would copy the whole rcParams each time).
STYLE = {
    "svg.fonttype": "none", "svg.hashsalt": "heartland", "font.size": 9, "font.family": "sans-serif",
    "axes.spines.top": False, "axes.spines.right": False, "axes.grid": True, "grid.color": "#e3e7ee",
    "grid.linestyle": "--", "axes.edgecolor": "#98a2b3", "axes.titlesize": 10, "axes.titleweight": "bold",
    "legend.frameon": False,
}
matplotlib.rcParams.update(STYLE)

#: Fixed margins (inches) around the axes: room for the tick labels on the left and below,
#: the title above; a y or x label adds one line of text.
MARGIN = {"left": 0.5, "right": 0.12, "bottom": 0.32, "top": 0.3}
LABEL_LINE = 0.18


def _figure(width: float, height: float, *, ylabel: str = "", xlabel: str = ""):
    """A figure of ``width`` × ``height`` inches with one axes inside fixed margins.

    A :class:`matplotlib.figure.Figure` made directly, not through pyplot: nothing is
    registered in pyplot's global figure list, so the dashboard's threads can draw at once
    and nothing has to be closed."""
    fig = Figure(figsize=(width, height))
    left = MARGIN["left"] + (LABEL_LINE if ylabel else 0.0)
    bottom = MARGIN["bottom"] + (LABEL_LINE if xlabel else 0.0)
    fig.subplots_adjust(left=left / width, right=1 - MARGIN["right"] / width, bottom=bottom / height,
                        top=1 - MARGIN["top"] / height)
    return fig, fig.add_subplot()


def svg_of(fig) -> str:
    """A matplotlib figure as an inline <svg> element (no XML prolog, no metadata block)."""
    buf = io.StringIO()
    fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": None})
    s = buf.getvalue()
    s = s[s.index("<svg"):]
    s = re.sub(r"<metadata>.*?</metadata>", "", s, flags=re.S)
    return s


def lines(series: list[dict], title: str = "", ylabel: str = "", ylim: tuple | None = None,
          width: float = 4.6, height: float = 2.6, hline: float | None = None) -> str:
    """Lines with optional bands. ``series``: [{label, color, x, y, low?, high?, dash?}]."""
    fig, ax = _figure(width, height, ylabel=ylabel)
    for s in series:
        x = s["x"]
        if s.get("low") is not None and s.get("high") is not None:
            lo = [math.nan if v is None else v for v in s["low"]]
            hi = [math.nan if v is None else v for v in s["high"]]
            ax.fill_between(x, lo, hi, color=s["color"], alpha=0.15, linewidth=0)
        y = [math.nan if v is None else v for v in s["y"]]
        ax.plot(x, y, color=s["color"], linewidth=1.8, linestyle="--" if s.get("dash") else "-",
                marker="o", markersize=2.5, label=s["label"])
    if hline is not None:
        ax.axhline(hline, color="#667085", linewidth=0.8, linestyle=":")
    if ylim:
        ax.set_ylim(*ylim)
    ax.set_title(title, loc="left")
    ax.set_ylabel(ylabel)
    if series and all(float(v).is_integer() for v in series[0]["x"]):
        ax.xaxis.set_major_locator(matplotlib.ticker.MaxNLocator(integer=True, nbins=6))
    if len(series) > 1:
        ax.legend(fontsize=7, ncol=min(3, len(series)), loc="best")
    return svg_of(fig)


def fan(x: list, fans: list[tuple[str, str, dict[str, list]]], title: str, ylabel: str = "",
        width: float = 3.6, height: float = 2.3) -> str:
    """Fan charts on one axis: per (label, color, quantiles) the 5–95% and 25–75% bands and the median."""
    fig, ax = _figure(width, height, ylabel=ylabel)
    for label, color, q in fans:
        if q.get("p05") and q.get("p95"):
            ax.fill_between(x, q["p05"], q["p95"], color=color, alpha=0.13, linewidth=0)
        if q.get("p25") and q.get("p75"):
            ax.fill_between(x, q["p25"], q["p75"], color=color, alpha=0.28, linewidth=0)
        if q.get("p50"):
            ax.plot(x, q["p50"], color=color, linewidth=1.8, label=f"{label} (median; 25–75%, 5–95%)")
    ax.set_title(title, loc="left")
    ax.set_ylabel(ylabel)
    ax.xaxis.set_major_locator(matplotlib.ticker.MaxNLocator(integer=True, nbins=5))
    ax.legend(fontsize=6.5, loc="best")
    return svg_of(fig)


def hbars(labels: list[str], values: list[float], title: str, low: list | None = None, high: list | None = None,
          color: str = "#1f2a44", xlim: tuple | None = None, width: float = 4.6) -> str:
    # the labels' width sets the left margin: measured by the constrained layout (one figure)
    fig = Figure(figsize=(width, 0.35 * len(labels) + 0.8), layout="constrained")
    ax = fig.add_subplot()
    ypos = list(range(len(labels)))[::-1]
    xerr = None
    if low is not None and high is not None:
        xerr = [[max(0.0, v - (lo if lo is not None else v)) for v, lo in zip(values, low)],
                [max(0.0, (hi if hi is not None else v) - v) for v, hi in zip(values, high)]]
    ax.barh(ypos, values, color=color, xerr=xerr, error_kw={"elinewidth": 1, "ecolor": "#1d2433"})
    ax.set_yticks(ypos, labels)
    if xlim:
        ax.set_xlim(*xlim)
    ax.set_title(title, loc="left")
    ax.grid(axis="y", visible=False)
    return svg_of(fig)


def reliability(rows: list[dict], title: str) -> str:
    """The reliability diagram (heartland.simulate.calibration_plots.draw_reliability) as SVG."""
    from heartland.simulate.calibration_plots import draw_reliability

    fig, ax = _figure(3.6, 3.4, ylabel="observed frequency", xlabel="forecast probability")
    draw_reliability(ax, rows, title)
    return svg_of(fig)


# -- maps -------------------------------------------------------------------------------

@lru_cache(maxsize=1)
def geo() -> dict:
    return json.loads((paths.DATA_DIR / "geo" / "central_asia.geojson").read_text(encoding="utf-8"))


def _mix(hex_color: str, t: float) -> str:
    n = int(hex_color[1:], 16)
    r, g, b = n >> 16, (n >> 8) & 255, n & 255
    t = max(0.0, min(1.0, t))
    f = lambda c: round(255 + (c - 255) * t)  # noqa: E731
    return f"rgb({f(r)},{f(g)},{f(b)})"


def leading_map(values: dict[str, dict[str, float]], title: str, width: int = 330) -> str:
    """The region shaded by the leading patron of each state (darker = larger lead value).

    ``values``: target -> patron -> influence. Hand-built SVG from the bundled Natural
    Earth geometry (equirectangular, x scaled by cos of the mid latitude).
    """
    g = geo()
    x0, y0, x1, y1 = g["bbox"]
    k = math.cos(math.radians((y0 + y1) / 2))
    height = round(width * (y1 - y0) / ((x1 - x0) * k))
    vmax = max([v for tv in values.values() for v in tv.values() if v is not None] + [1e-9])

    def proj(c):
        return ((c[0] - x0) / (x1 - x0) * width, (y1 - c[1]) / (y1 - y0) * height)

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="map" viewBox="0 0 {width} {height + 22}" '
             f'width="{width}" height="{height + 22}" role="img" aria-label="{escape(title)}">',
             f'<text x="4" y="14" font-size="12" font-weight="bold" fill="#1d2433">{escape(title)}</text>',
             f'<g transform="translate(0,20)"><rect width="{width}" height="{height}" fill="#eaf1f8"/>']
    labels = []
    for f in g["features"]:
        iso, role = f["properties"]["iso_a3"], f["properties"]["role"]
        fill, tip = "#eceee8" if role == "neighbour" else "#dcdfe5", f["properties"]["name"]
        if role == "target":
            vals = {p: v for p, v in values.get(iso, {}).items() if v is not None}
            if vals:
                lead = max(vals, key=vals.get)
                fill = _mix(PATRON_COLORS.get(lead, "#555555"), 0.3 + 0.7 * vals[lead] / vmax)
                tip += f" — leading: {lead} {vals[lead]:.2f}"
            else:
                fill = "#f2f2ee"
        d = "".join("M" + "L".join(f"{x:.1f},{y:.1f}" for x, y in map(proj, ring)) + "Z"
                    for poly in f["geometry"]["coordinates"] for ring in poly)
        stroke = 'stroke="#1d2433" stroke-width="0.7"' if role == "target" else 'stroke="#ffffff" stroke-width="0.5"'
        parts.append(f'<path d="{d}" fill="{fill}" {stroke} data-iso="{iso}"><title>{escape(tip)}</title></path>')
        if role == "target":
            ring = max((p[0] for p in f["geometry"]["coordinates"]), key=len)
            cx = sum(c[0] for c in ring) / len(ring)
            cy = sum(c[1] for c in ring) / len(ring)
            x, y = proj((cx, cy))
            labels.append(f'<text x="{x:.0f}" y="{y:.0f}" font-size="9" text-anchor="middle" fill="#1d2433" '
                          f'stroke="#ffffff" stroke-width="2.5" paint-order="stroke">{iso}</text>')
    parts += labels + ["</g></svg>"]
    return "".join(parts)
