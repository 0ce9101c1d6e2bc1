"""Positions over rounds, with the weighted mean, the median and the Monte Carlo band."""

from __future__ import annotations

from pathlib import Path

from heartland.errors import UserError
from heartland.forecast.results import Forecast


def plot_forecast(fc: Forecast, path: str | Path) -> Path:
    """Write a PNG/SVG/PDF (by suffix) of the forecast's path; returns the path."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import matplotlib.ticker  # noqa: F401  (used as matplotlib.ticker)

    path = Path(path)
    if not path.parent.exists():
        raise UserError("folder does not exist", path=str(path.parent))
    run = fc.run
    rounds = [r.round for r in run.rounds]
    pos = run.positions()
    fig, ax = plt.subplots(figsize=(9, 5.5), dpi=110)
    for i, name in enumerate(run.actors):
        ax.plot(rounds, pos[:, i], lw=1.2, alpha=0.8, label=name)
    if fc.distribution is not None:
        band = fc.distribution.mean_path_band
        ax.fill_between(rounds, band["5"], band["95"], color="0.6", alpha=0.3,
                        label=f"mean, 5-95% of {fc.distribution.runs} runs")
    ax.plot(rounds, run.mean_path, color="black", lw=2.6, label="weighted mean")
    ax.plot(rounds, run.median_path, color="black", lw=1.6, ls="--", label="median")
    s = run.summary
    ax.axhline(s.forecast, color="crimson", lw=1, ls=":", label=f"forecast {s.forecast:.1f} ({s.status})")
    if s.status == "cycle" and s.since_round is not None:
        ax.axvspan(s.since_round, s.since_round + (s.period or 0), color="crimson", alpha=0.08)
    ax.set_xlabel("round")
    ax.set_ylabel("position")
    ax.xaxis.set_major_locator(matplotlib.ticker.MaxNLocator(integer=True))
    if fc.low_label:
        ax.annotate(f"low: {fc.low_label}", (0.01, 0.01), xycoords="axes fraction", fontsize=7, color="0.35")
    if fc.high_label:
        ax.annotate(f"high: {fc.high_label}", (0.01, 0.97), xycoords="axes fraction", fontsize=7,
                    color="0.35", va="top")
    ax.set_title(fc.title or fc.issue)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=7, ncol=2, loc="best")
    fig.tight_layout()
    try:
        fig.savefig(path)
    except (OSError, ValueError) as exc:
        raise UserError(f"cannot write plot: {exc}", path=str(path)) from None
    finally:
        plt.close(fig)
    return path
