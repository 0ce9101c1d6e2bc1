"""Hypothesis probabilities as reported: capped where the hindcast does not support them,
with the hindcast's reliability at their level (docs/simulate.md, Probabilities)."""

from __future__ import annotations

import pandas as pd

from heartland.simulate.posterior import Posterior, bundled_posterior
from heartland.simulate.reliability import shown


def reliability_for(post: Posterior | None) -> pd.DataFrame | None:
    """The out-of-sample reliability table of the parameters in use (from the posterior's provenance).

    Judgement runs use the table the calibration recorded for the judgement defaults; None
    when no calibration has been run (then every extreme is capped: nothing supports it).
    """
    src = post if post is not None else bundled_posterior()
    if src is None:
        return None
    records = src.provenance.get("reliability", {}).get("posterior" if post is not None else "judgement")
    return pd.DataFrame(records) if records else None


def shown_scores(scores, post: Posterior | None) -> list[dict]:
    """Each Score as a dict: ``probability`` as shown, ``raw_probability``, ``capped``,
    ``reliability`` (observed frequency of hindcast events forecast at that level) and
    ``reliability_events``, plus the Wilson interval and the expert."""
    table = reliability_for(post)
    out = []
    for s in scores:
        sh = shown(s.probability, table)
        d = dict(s.__dict__)
        d.update(probability=sh.probability, raw_probability=sh.raw, capped=sh.capped,
                 reliability=sh.reliability, reliability_events=sh.reliability_events)
        out.append(d)
    return out


def format_probability(h: dict) -> str:
    return f"{h['probability']:.2f}*" if h.get("capped") else f"{h['probability']:.2f}"


def format_reliability(h: dict) -> str:
    if h.get("reliability") is None:
        return "–"
    return f"{h['reliability']:.2f} (n={h['reliability_events']})"
