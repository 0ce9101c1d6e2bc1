"""Backtest of the bargaining model on resolved issues from the region.

Each case file (``heartland/data/backtest/*.toml``) codes one issue that has since been
decided: the actors' positions (0-100, on the case's own documented scale) and saliences
(0-1), each with a one-line rationale in our own words and the ids of public sources
dated *before* the outcome; the outcome on the same scale, with its own source. The
backtest runs the model on the coded inputs (Monte Carlo over their ranges, the same
:func:`heartland.forecast.results.forecast` the ``forecast`` command uses) and scores
its median against two naive forecasts from the same inputs:

* **weighted mean**: the round-0 capability x salience weighted mean position;
* **weighted median**: the round-0 position that wins every pairwise vote
  (:func:`heartland.forecast.model.weighted_median`).

Scores (docs/forecast.md, "Backtest"): absolute error on the 0-100 scale, and whether a
forecast lies on the outcome's side of the case's reference point (the status quo where
the case names one, else the scale's midpoint 50). A forecast exactly on the reference
point counts as wrong: it does not say which way the issue goes.

Capabilities are judgements (the weight each actor brings to *this* decision) with a
note each; positions and saliences are coded from the cited sources. A source's date
may be a day (``YYYY-MM-DD``) or, where the page gives only the month, a month
(``YYYY-MM``, read as its last day when checking "before the outcome").
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
import tomllib
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from heartland import paths
from heartland.errors import UserError

BACKTEST_DIR = paths.DATA_DIR / "backtest"
SCALE = (0.0, 100.0)
_DATE = re.compile(r"^(\d{4})-(\d{2})(?:-(\d{2}))?$")


def latest_day(date: str) -> dt.date:
    """The last day a source dated ``YYYY-MM-DD`` or ``YYYY-MM`` can have appeared."""
    m = _DATE.match(date)
    if not m:
        raise ValueError(f"expected YYYY-MM-DD or YYYY-MM, got {date!r}")
    y, mo = int(m.group(1)), int(m.group(2))
    if m.group(3):
        return dt.date(y, mo, int(m.group(3)))
    return dt.date(y, mo, calendar.monthrange(y, mo)[1])


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Source(_Strict):
    url: str = Field(min_length=8)
    publisher: str = Field(min_length=1)
    date: str
    title: str = ""


class Coded(_Strict):
    """A coded input: point value, optional range, rationale and the sources it rests on."""

    value: float
    range: tuple[float, float] | None = None
    note: str = Field(min_length=3)
    sources: list[str] = Field(min_length=1)


class CaseActor(_Strict):
    id: str
    name: str
    capability: float = Field(ge=0)
    capability_note: str = Field(min_length=3)
    position: Coded
    salience: Coded


class Outcome(_Strict):
    value: float
    date: str
    note: str = Field(min_length=3)
    sources: list[str] = Field(min_length=1)


class Case(_Strict):
    name: str
    title: str
    question: str
    low: str           # what 0 means
    high: str          # what 100 means
    reference: float = 50.0
    reference_note: str = "the scale's midpoint"
    outcome: Outcome
    sources: dict[str, Source]
    actors: list[CaseActor] = Field(min_length=2)

    def to_issue(self):
        """The case as an :class:`~heartland.forecast.issue.Issue` for the model."""
        from heartland.forecast.issue import ActorInput, Issue, Value

        def val(c: Coded) -> Value:
            lo, hi = c.range if c.range else (None, None)
            return Value(value=c.value, low=lo, high=hi, note=c.note)

        actors = [ActorInput(id=a.id, name=a.name, capability=Value(value=a.capability, note=a.capability_note),
                             position=val(a.position), salience=val(a.salience)) for a in self.actors]
        return Issue(name=self.name, title=self.title, question=self.question, scale=SCALE,
                     low_label=self.low, high_label=self.high, actors=actors,
                     capability_basis="judgement per case (backtest file)")


# --- reading and checking -------------------------------------------------------------

def _loc(loc: tuple) -> str:
    parts: list[str] = []
    for p in loc:
        if isinstance(p, int):
            parts[-1:] = [f"{parts[-1]}[{p}]"] if parts else [f"[{p}]"]
        else:
            parts.append(str(p))
    return ".".join(parts)


def load_case(path: str | Path) -> Case:
    """Read and check one case file; any problem is one :class:`UserError` naming file and field."""
    path = Path(path)
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except OSError as exc:
        raise UserError(f"cannot read: {exc.strerror}", path=str(path)) from None
    except UnicodeDecodeError as exc:
        raise UserError(f"not UTF-8 text (byte {exc.start})", path=str(path)) from None
    if not text.strip():
        raise UserError("empty case file", path=str(path))
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise UserError(f"invalid TOML: {exc}", path=str(path)) from None
    doc.setdefault("name", path.stem)
    doc["actors"] = doc.pop("actor", [])
    try:
        case = Case.model_validate(doc)
    except ValidationError as exc:
        e = exc.errors()[0]
        loc = ("actor", *e["loc"][1:]) if e["loc"][:1] == ("actors",) else e["loc"]
        who = ""
        if loc[0] == "actor" and len(loc) > 1 and isinstance(loc[1], int) and loc[1] < len(doc["actors"]):
            row = doc["actors"][loc[1]]
            who = f" (actor {row.get('id', '?')})" if isinstance(row, dict) else ""
        raise UserError(f"field '{_loc(loc)}'{who}: {e['msg']}", path=str(path)) from None
    _check(case, path)
    return case


def _check(case: Case, path: Path) -> None:
    def fail(field: str, msg: str) -> UserError:
        m = re.match(r"actor\[(\d+)\]", field)
        who = f" (actor {case.actors[int(m.group(1))].id})" if m else ""
        return UserError(f"field '{field}'{who}: {msg}", path=str(path))

    for sid, s in case.sources.items():
        try:
            latest_day(s.date)
        except ValueError as exc:
            raise fail(f"sources.{sid}.date", str(exc)) from None
    try:
        decided = latest_day(case.outcome.date)
    except ValueError as exc:
        raise fail("outcome.date", str(exc)) from None
    if len(case.outcome.date) != 10:
        raise fail("outcome.date", "the outcome needs a day (YYYY-MM-DD)")
    lo, hi = SCALE
    if not lo <= case.outcome.value <= hi:
        raise fail("outcome.value", f"{case.outcome.value:g} outside {lo:g}-{hi:g}")
    if not lo < case.reference < hi:
        raise fail("reference", f"{case.reference:g} must lie strictly inside {lo:g}-{hi:g}")
    if case.outcome.value == case.reference:
        raise fail("outcome.value", "equals the reference point, so no side can be scored")
    for sid in case.outcome.sources:
        if sid not in case.sources:
            raise fail("outcome.sources", f"unknown source {sid!r}")
    seen: set[str] = set()
    for i, a in enumerate(case.actors):
        where = f"actor[{i}]"
        if a.id in seen:
            raise fail(f"{where}.id", "duplicate id")
        seen.add(a.id)
        for field, (flo, fhi) in (("position", SCALE), ("salience", (0.0, 1.0))):
            c: Coded = getattr(a, field)
            if not flo <= c.value <= fhi:
                raise fail(f"{where}.{field}.value", f"{c.value:g} outside {flo:g}-{fhi:g}")
            if c.range is not None:
                r0, r1 = c.range
                if not (flo <= r0 <= c.value <= r1 <= fhi):
                    raise fail(f"{where}.{field}.range",
                               f"[{r0:g}, {r1:g}] must lie in {flo:g}-{fhi:g} and hold the value {c.value:g}")
            for sid in c.sources:
                if sid not in case.sources:
                    raise fail(f"{where}.{field}.sources", f"unknown source {sid!r}")
                if latest_day(case.sources[sid].date) >= decided:
                    raise fail(f"{where}.{field}.sources",
                               f"source {sid!r} dated {case.sources[sid].date} is not before the outcome "
                               f"({case.outcome.date})")
    if sum(a.capability * a.salience.value for a in case.actors) <= 0:
        raise fail("actors", "every actor has zero capability or salience; nothing to weigh")


def bundled_cases(directory: str | Path | None = None) -> list[Path]:
    d = Path(directory) if directory else BACKTEST_DIR
    if not d.is_dir():
        raise UserError("no such backtest directory", path=str(d))
    files = sorted(d.glob("*.toml"))
    if not files:
        raise UserError("no case files (*.toml)", path=str(d))
    return files


# --- scoring --------------------------------------------------------------------------

METHODS = ("model", "weighted_mean", "weighted_median")


def right_side(forecast: float, outcome: float, reference: float) -> bool:
    """Is the forecast strictly on the outcome's side of the reference point?"""
    # Within rounding of the reference counts as on it (a weighted mean of 50.0 may come out 49.999...).
    if abs(forecast - reference) < 1e-9:
        return False
    return (forecast - reference) * (outcome - reference) > 0


def naive_forecasts(case: Case) -> dict[str, float]:
    """Round-0 capability x salience weighted mean and weighted median of the point positions."""
    import numpy as np

    from heartland.forecast.model import weighted_median

    x = np.array([a.position.value for a in case.actors])
    w = np.array([a.capability * a.salience.value for a in case.actors])
    return {"weighted_mean": float((w * x).sum() / w.sum()),
            "weighted_median": float(weighted_median(x[None, :], w[None, :])[0])}


class CaseScore(BaseModel):
    model_config = ConfigDict(frozen=True)

    name: str
    title: str
    outcome: float
    outcome_date: str
    reference: float
    forecasts: dict[str, float]        # method -> forecast (model = Monte Carlo median)
    band: tuple[float, float]          # model's Monte Carlo 5-95%
    single_run: float                  # model at the point values (for reference)
    errors: dict[str, float]           # method -> |forecast - outcome|
    right: dict[str, bool]             # method -> on the outcome's side of the reference
    in_band: bool


class MethodScore(BaseModel):
    model_config = ConfigDict(frozen=True)

    method: str
    mae: float
    right_share: float


class Backtest(BaseModel):
    model_config = ConfigDict(frozen=True)

    runs: int
    seed: int
    cases: list[CaseScore]
    overall: list[MethodScore]
    band_coverage: float               # share of outcomes inside the model's 5-95% band

    def to_json(self, indent: int | None = 2) -> str:
        return self.model_dump_json(indent=indent)


def score_case(case: Case, model_median: float, band: tuple[float, float], single_run: float) -> CaseScore:
    """Errors and sides of the model's and the naive forecasts for one case."""
    fc = {"model": model_median, **naive_forecasts(case)}
    o, ref = case.outcome.value, case.reference
    return CaseScore(name=case.name, title=case.title, outcome=o, outcome_date=case.outcome.date, reference=ref,
                     forecasts=fc, band=band, single_run=single_run,
                     errors={k: abs(v - o) for k, v in fc.items()},
                     right={k: right_side(v, o, ref) for k, v in fc.items()},
                     in_band=band[0] <= o <= band[1])


def summarise(cases: list[CaseScore], runs: int, seed: int) -> Backtest:
    n = len(cases)
    overall = [MethodScore(method=m, mae=sum(c.errors[m] for c in cases) / n,
                           right_share=sum(c.right[m] for c in cases) / n) for m in METHODS]
    return Backtest(runs=runs, seed=seed, cases=cases, overall=overall,
                    band_coverage=sum(c.in_band for c in cases) / n)


def run_backtest(directory: str | Path | None = None, runs: int = 1000, seed: int = 0,
                 rounds: int | None = None) -> Backtest:
    """Forecast every case file in ``directory`` (default: the bundled cases) and score them."""
    from heartland.forecast.results import DEFAULT_ROUNDS, forecast

    cases = [load_case(p) for p in bundled_cases(directory)]
    scores = []
    for case in cases:
        fc = forecast(case.to_issue(), rounds=rounds or DEFAULT_ROUNDS, runs=runs, seed=seed,
                      salience_delta=None)
        q = fc.distribution.quantiles if fc.distribution else None
        med = q["50"] if q else fc.run.summary.forecast
        band = (q["5"], q["95"]) if q else (med, med)
        scores.append(score_case(case, med, band, fc.run.summary.forecast))
    return summarise(scores, runs, seed)


# --- the table in docs/forecast.md ----------------------------------------------------

START = "<!-- backtest:start (scripts/backtest_table.py) -->"
END = "<!-- backtest:end -->"
LABELS = {"model": "model (MC median)", "weighted_mean": "weighted mean (round 0)",
          "weighted_median": "weighted median (round 0)"}


def backtest_markdown(bt: Backtest) -> str:
    def side(ok: bool) -> str:
        return "✓" if ok else "✗"

    lines = [START, "",
             f"Generated by `python scripts/backtest_table.py` ({len(bt.cases)} cases, {bt.runs} Monte Carlo runs, "
             f"seed {bt.seed}); ✓/✗ = on the outcome's side of the reference point.", "",
             "| case | decided | outcome | ref. | model median (5–95%) | weighted mean | weighted median |",
             "|---|---|---|---|---|---|---|"]
    for c in bt.cases:
        f, r = c.forecasts, c.right
        lines.append(f"| `{c.name}` | {c.outcome_date} | {c.outcome:.0f} | {c.reference:.0f} | "
                     f"{f['model']:.1f} ({c.band[0]:.1f}–{c.band[1]:.1f}) {side(r['model'])} | "
                     f"{f['weighted_mean']:.1f} {side(r['weighted_mean'])} | "
                     f"{f['weighted_median']:.1f} {side(r['weighted_median'])} |")
    lines += ["", "| forecast | MAE (0–100) | right side |", "|---|---|---|"]
    for m in bt.overall:
        lines.append(f"| {LABELS[m.method]} | {m.mae:.1f} | {m.right_share:.0%} |")
    lines += ["", f"Outcomes inside the model's 5–95% band: {bt.band_coverage:.0%}.", "", END]
    return "\n".join(lines)


def replace_block(text: str, block: str) -> str:
    """``text`` with the backtest block replaced (appended when the markers are missing)."""
    from heartland.generated_docs import replace_block as replace

    return replace(text, block, START, END)
