"""Plots of the hindcast (scores by horizon) and the reliability diagram (matplotlib, Agg)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd


def _plt():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def plot_hindcast(by_horizon: pd.DataFrame, path: Path, title: str = "Hindcast") -> Path:
    """MAE against persistence, and 50%/90% coverage against their promise, by horizon."""
    plt = _plt()
    fig, (a, b) = plt.subplots(1, 2, figsize=(9, 3.4))
    d = by_horizon[by_horizon["sample"] == "all"].sort_values("horizon")
    a.plot(d["horizon"], d["mae"], "o-", label="model (median)")
    a.plot(d["horizon"], d["mae_persistence"], "s--", label="persistence")
    a.set_xlabel("horizon (years)")
    a.set_ylabel("mean absolute error (share)")
    a.legend(fontsize=8)
    b.plot(d["horizon"], d["coverage90"], "o-", label="90% band")
    b.plot(d["horizon"], d["coverage50"], "s-", label="50% band")
    b.axhline(0.9, color="grey", lw=0.8, ls=":")
    b.axhline(0.5, color="grey", lw=0.8, ls=":")
    b.set_ylim(0, 1)
    b.set_xlabel("horizon (years)")
    b.set_ylabel("coverage of the measured value")
    b.legend(fontsize=8)
    fig.suptitle(title, fontsize=10)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return Path(path)


def draw_reliability(ax, rows, title: str, color: str = "#1f2a44") -> None:
    """The reliability diagram on ``ax``: observed frequency (Wilson 95%) against the mean
    forecast per bin, with the number of events beside each point; the diagonal is a
    perfectly reliable forecaster. ``rows``: records with ``events``, ``mean_forecast``,
    ``observed``, ``observed_low`` and ``observed_high`` (heartland.simulate.reliability's
    table). Drawn here for the hindcast's PNG and for the report's SVG alike."""
    ax.plot([0, 1], [0, 1], color="#98a2b3", linewidth=1, linestyle=":")
    pts = [r for r in rows if (r.get("events") or 0) > 0]
    if pts:
        x = [r["mean_forecast"] for r in pts]
        y = [r["observed"] for r in pts]
        err = [[max(0.0, r["observed"] - r["observed_low"]) for r in pts],
               [max(0.0, r["observed_high"] - r["observed"]) for r in pts]]
        ax.errorbar(x, y, yerr=err, fmt="o", color=color, ecolor=color, elinewidth=1, capsize=2, markersize=4)
        for r in pts:
            ax.annotate(str(int(r["events"])), (r["mean_forecast"], r["observed"]), fontsize=6,
                        xytext=(3, -8), textcoords="offset points")
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.set_xlabel("forecast probability")
    ax.set_ylabel("observed frequency")
    ax.set_title(title, loc="left")


def plot_reliability(table: pd.DataFrame, path: Path, title: str = "Reliability") -> Path:
    """The reliability diagram (:func:`draw_reliability`) of ``table`` as an image file."""
    plt = _plt()
    fig, ax = plt.subplots(figsize=(4.2, 4))
    draw_reliability(ax, table.to_dict(orient="records"), title)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return Path(path)
