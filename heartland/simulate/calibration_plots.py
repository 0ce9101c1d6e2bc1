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


def plot_reliability(table: pd.DataFrame, path: Path, title: str = "Reliability") -> Path:
    """Observed frequency (Wilson 95%) against the forecast probability, per bin; the diagonal is perfect."""
    plt = _plt()
    fig, ax = plt.subplots(figsize=(4.2, 4))
    t = table[table["events"] > 0]
    ax.plot([0, 1], [0, 1], color="grey", lw=0.8, ls=":")
    ax.errorbar(t["mean_forecast"], t["observed"],
                yerr=[t["observed"] - t["observed_low"], t["observed_high"] - t["observed"]], fmt="o", capsize=3)
    for _, r in t.iterrows():
        ax.annotate(str(int(r["events"])), (r["mean_forecast"], r["observed"]), fontsize=7,
                    xytext=(4, -8), textcoords="offset points")
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.set_xlabel("forecast probability")
    ax.set_ylabel("observed frequency")
    ax.set_title(title, fontsize=9)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return Path(path)
