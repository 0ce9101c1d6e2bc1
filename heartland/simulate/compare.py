"""Set scenario runs side by side: hypotheses' probabilities and key outcomes at the horizon."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from heartland.errors import UserError

#: (metric, patron, target, domain) outcomes shown for every scenario at its last year
KEY_OUTCOMES = [("share", p, "C5", d) for d in ("security", "economy") for p in ("RUS", "CHN")]


def scenario_dirs(paths: list[Path]) -> list[Path]:
    """Each path is a scenario output folder, or a folder of them (``--out`` of simulate)."""
    found = []
    for p in paths:
        p = Path(p)
        if (p / "hypotheses.parquet").is_file():
            found.append(p)
        elif p.is_dir():
            subs = sorted(d for d in p.iterdir() if (d / "hypotheses.parquet").is_file())
            if not subs:
                raise UserError("no scenario outputs here (expected hypotheses.parquet)", path=str(p))
            found.extend(subs)
        else:
            raise UserError("no such directory", path=str(p))
    return found


def compare(paths: list[Path]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(hypotheses of every scenario, key outcomes at each scenario's last year: median and band)."""
    dirs = scenario_dirs(paths)
    hyps, outs = [], []
    for d in dirs:
        try:
            h = pd.read_parquet(d / "hypotheses.parquet")
            s = pd.read_parquet(d / "summary.parquet")
        except Exception as exc:  # noqa: BLE001 - pyarrow raises several kinds
            raise UserError(f"cannot read scenario outputs: {exc}", path=str(d)) from None
        hyps.append(h)
        last = s[s["year"] == s["year"].max()]
        if not (last["target"] == "C5").any():
            raise UserError("written by an older heartland (no five-state bands): run `heartland simulate` "
                            "again", path=str(d / "summary.parquet"))
        for metric, patron, target, domain in KEY_OUTCOMES:
            # the band simulate computed (heartland.simulate.bands), never an average of quantiles
            sel = last[(last.metric == metric) & (last.patron == patron) & (last.target == target)
                       & (last.domain == domain)]
            row = {"median": float(sel["median"].iloc[0]), "p05": float(sel["p05"].iloc[0]),
                   "p95": float(sel["p95"].iloc[0])}
            outs.append({"scenario": s["scenario"].iloc[0], "year": int(last["year"].iloc[0]),
                         "outcome": f"{metric} {patron} {domain} (C5 mean)", **row})
    return pd.concat(hyps, ignore_index=True), pd.DataFrame(outs)
