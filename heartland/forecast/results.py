"""Typed results of a forecast, and the library entry points that build them.

``run_model(issue)`` plays the rounds at the point values; ``forecast(issue, runs=N)``
adds the summary, the Monte Carlo distribution over uncertain inputs and the salience
perturbation ranking. Every record has ``to_json()``.
"""

from __future__ import annotations

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from heartland.forecast import model as m
from heartland.forecast.issue import Issue
from heartland.forecast.options import ModelOptions
from heartland.forecast.summary import detect_repeat, status_of, summarise_paths
from heartland.forecast.uncertainty import Distribution, salience_variants, sample_inputs

DEFAULT_ROUNDS = 20


class _Record(BaseModel):
    model_config = ConfigDict(frozen=True)

    def to_json(self, indent: int | None = 2) -> str:
        return self.model_dump_json(indent=indent)


class Move(_Record):
    actor: str
    kind: str            # confrontation | compromise | capitulation
    toward: str          # the actor whose offer was accepted
    from_position: float
    to_position: float


class RoundRecord(_Record):
    round: int
    positions: dict[str, float]
    mean: float
    median: float
    risk: dict[str, float] | None = None   # exponents that produced this round's moves
    moves: list[Move] = Field(default_factory=list)


class Summary(_Record):
    """The forecast drawn from a path (see :mod:`heartland.forecast.summary`)."""

    status: str                  # settled | cycle | open
    since_round: int | None      # first round of the settled state or of the cycle
    period: int | None
    forecast: float              # weighted mean position, summarised over rounds
    low: float
    high: float
    median_forecast: float
    rule: str


class ModelRun(_Record):
    issue: str
    actors: list[str]
    options: ModelOptions
    rounds: list[RoundRecord]
    summary: Summary

    @property
    def mean_path(self) -> list[float]:
        return [r.mean for r in self.rounds]

    @property
    def median_path(self) -> list[float]:
        return [r.median for r in self.rounds]

    def positions(self) -> np.ndarray:
        """``(rounds + 1, n)`` array of positions."""
        return np.array([[r.positions[a] for a in self.actors] for r in self.rounds])


class MonteCarlo(_Record):
    runs: int
    seed: int | None
    sampling: str
    mean: float
    sd: float
    quantiles: dict[str, float]       # "5", "25", "50", "75", "95"
    status_share: dict[str, float]    # settled / cycle / open
    mean_path_band: dict[str, list[float]]  # per round: "5", "50", "95"
    #: share of runs whose forecast lies on the same side of the scale's midpoint as the
    #: point forecast: does the forecast keep its side under the inputs' intervals?
    same_side: float | None = None


class Sensitivity(_Record):
    actor: str
    salience: float
    lowered: float
    raised: float
    forecast_lowered: float
    forecast_raised: float
    swing: float   # largest |forecast change| of the two perturbations


class Forecast(_Record):
    issue: str
    title: str
    question: str
    scale: tuple[float, float] | None
    low_label: str
    high_label: str
    salience_scale: float = 1.0   # 100 when the file gave saliences on 0-100
    run: ModelRun
    distribution: MonteCarlo | None = None
    sensitivity: list[Sensitivity] = Field(default_factory=list)
    salience_delta: float | None = None


RULE = ("settled: weighted mean of the settled positions; cycle: average of the weighted "
        "mean over one period (spread = its range); open: average over the last half of "
        "the rounds (spread = that window's range)")


def _summary(mean: np.ndarray, median: np.ndarray, positions: np.ndarray, scale: float) -> Summary:
    t, p = detect_repeat(positions[None], scale)
    value, low, high = summarise_paths(mean[None], t, p)
    med, _, _ = summarise_paths(median[None], t, p)
    tt, pp = int(t[0]), int(p[0])
    status = status_of(tt, pp)
    return Summary(status=status, since_round=None if tt < 0 else tt - pp,
                   period=None if tt < 0 else pp, forecast=float(value[0]), low=float(low[0]),
                   high=float(high[0]), median_forecast=float(med[0]), rule=RULE)


def run_model(issue: Issue, rounds: int = DEFAULT_ROUNDS,
              options: ModelOptions | None = None) -> ModelRun:
    """Play ``rounds`` rounds at the issue's point values."""
    options = options or ModelOptions()
    x, c, s = (np.asarray(a, dtype=float) for a in issue.arrays())
    sim = m.simulate(x, c, s, rounds, options)
    names = issue.names
    pos = sim.positions[0]
    mean, median = sim.mean[0], sim.median[0]
    records = []
    for k in range(rounds + 1):
        moves, risk = [], None
        if k > 0:
            risk = {a: float(v) for a, v in zip(names, sim.risk[0, k - 1])}
            for i, a in enumerate(names):
                kind = int(sim.kind[0, k - 1, i])
                if kind != m.NONE:
                    moves.append(Move(actor=a, kind=m.KIND_NAMES[kind],
                                      toward=names[int(sim.partner[0, k - 1, i])],
                                      from_position=float(pos[k - 1, i]), to_position=float(pos[k, i])))
        records.append(RoundRecord(round=k, positions={a: float(v) for a, v in zip(names, pos[k])},
                                   mean=float(mean[k]), median=float(median[k]), risk=risk, moves=moves))
    scale = float(x.max() - x.min())
    return ModelRun(issue=issue.name, actors=names, options=options, rounds=records,
                    summary=_summary(mean, median, pos, scale))


def _batch_forecasts(x: np.ndarray, c: np.ndarray, s: np.ndarray, rounds: int,
                     options: ModelOptions) -> tuple[np.ndarray, np.ndarray, m.Simulation]:
    sim = m.simulate(x, c, s, rounds, options)
    xx = np.broadcast_to(x, sim.positions[:, 0].shape)
    t, p = detect_repeat(sim.positions, xx.max(-1) - xx.min(-1))
    value, _, _ = summarise_paths(sim.mean, t, p)
    status = np.where(t < 0, 0, np.where(p == 1, 1, 2))
    return value, status, sim


def _midpoint(issue: Issue) -> float:
    """The middle of the issue's scale (its declared scale, else the span of the positions)."""
    if issue.scale:
        return (float(issue.scale[0]) + float(issue.scale[1])) / 2
    x = np.asarray(issue.arrays()[0], dtype=float)
    return float(x.min() + x.max()) / 2


def same_side(values: np.ndarray, point: float, mid: float) -> float:
    """Share of Monte Carlo forecasts on the point forecast's side of ``mid`` (ties count as kept)."""
    side = np.sign(point - mid)
    if side == 0:
        return float(np.mean(values == mid))
    return float(np.mean(np.sign(values - mid) != -side))


def forecast(issue: Issue, rounds: int = DEFAULT_ROUNDS, runs: int = 1, seed: int | None = 0,
             options: ModelOptions | None = None, sampling: Distribution = "triangular",
             salience_delta: float | None = 0.1) -> Forecast:
    """The forecast of an issue: the path at point values, its summary, and (with
    ``runs > 1``) the distribution over uncertain inputs; with ``salience_delta`` the
    salience perturbation ranking."""
    options = options or ModelOptions()
    run = run_model(issue, rounds, options)
    dist = None
    if runs > 1:
        draws = sample_inputs(issue, runs, seed, sampling)
        value, status, sim = _batch_forecasts(draws["position"], draws["capability"],
                                              draws["salience"], rounds, options)
        qs = {str(q): float(np.percentile(value, q)) for q in (5, 25, 50, 75, 95)}
        band = {str(q): [float(v) for v in np.percentile(sim.mean, q, axis=0)] for q in (5, 50, 95)}
        names = {0: "open", 1: "settled", 2: "cycle"}
        share = {names[k]: float((status == k).mean()) for k in names}
        dist = MonteCarlo(runs=runs, seed=seed, sampling=sampling, mean=float(value.mean()),
                             sd=float(value.std(ddof=1)) if runs > 1 else 0.0, quantiles=qs,
                             status_share=share, mean_path_band=band,
                             same_side=same_side(value, run.summary.forecast, _midpoint(issue)))
    sens: list[Sensitivity] = []
    if salience_delta:
        x, c, s = (np.asarray(a, dtype=float) for a in issue.arrays())
        rows, down, up = salience_variants(s, salience_delta)
        value, _, _ = _batch_forecasts(x[None, :], c[None, :], rows, rounds, options)
        base = run.summary.forecast
        for i, a in enumerate(issue.names):
            fl, fr = float(value[2 * i]), float(value[2 * i + 1])
            sens.append(Sensitivity(actor=a, salience=float(s[i]), lowered=float(down[i]),
                                    raised=float(up[i]), forecast_lowered=fl, forecast_raised=fr,
                                    swing=max(abs(fl - base), abs(fr - base))))
        sens.sort(key=lambda r: (-r.swing, r.actor))
    return Forecast(issue=issue.name, title=issue.title, question=issue.question, scale=issue.scale,
                    low_label=issue.low_label, high_label=issue.high_label,
                    salience_scale=issue.salience_scale, run=run,
                    distribution=dist, sensitivity=sens,
                    salience_delta=salience_delta if salience_delta else None)
