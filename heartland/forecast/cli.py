"""``heartland forecast``: play an issue's rounds and print the forecast."""

from __future__ import annotations

from typing import TYPE_CHECKING, Optional

import typer
from rich.console import Console
from rich.table import Table

from heartland.errors import UserError

if TYPE_CHECKING:  # the model (numpy, pydantic) loads only when the command runs
    from heartland.forecast.options import ModelOptions
    from heartland.forecast.results import Forecast


def parse_options(pairs: list[str]) -> ModelOptions:
    """``key=value`` pairs into :class:`ModelOptions` (a clear error for a bad one)."""
    from heartland.forecast.options import OPTION_CHOICES, ModelOptions

    values: dict[str, object] = {}
    for pair in pairs:
        key, sep, val = pair.partition("=")
        key, val = key.strip().replace("-", "_"), val.strip()
        if not sep:
            raise UserError(f"option --option {pair!r}: expected key=value")
        if key in OPTION_CHOICES:
            if val not in OPTION_CHOICES[key]:
                raise UserError(f"option --option {key}: expected one of {', '.join(OPTION_CHOICES[key])}, "
                                f"got {val!r}")
            values[key] = val
        elif key in ("q", "t"):
            try:
                f = float(val)
            except ValueError:
                raise UserError(f"option --option {key}: expected a number in [0, 1], got {val!r}") from None
            if not 0 <= f <= 1:
                raise UserError(f"option --option {key}: expected a number in [0, 1], got {val!r}")
            values[key] = f
        else:
            raise UserError(f"option --option: unknown key {key!r}; known: "
                            f"{', '.join([*OPTION_CHOICES, 'q', 't'])}")
    return ModelOptions(**values)


def _short(name: str) -> str:
    return name if len(name) <= 12 else name[:11] + "…"


def print_table(fc: Forecast, console: Console) -> None:
    run = fc.run
    console.print(f"[bold]{fc.title or fc.issue}[/]")
    if fc.question:
        console.print(fc.question)
    if fc.low_label or fc.high_label:
        lo, hi = fc.scale or (None, None)
        console.print(f"scale: {lo if lo is not None else ''} = {fc.low_label} … "
                      f"{hi if hi is not None else ''} = {fc.high_label}")
    if fc.salience_scale != 1.0:
        console.print(f"saliences read on a 0–{fc.salience_scale:g} scale and divided by {fc.salience_scale:g}")
    ids = run.actors
    t = Table(title="rounds", show_lines=False)
    t.add_column("round", justify="right")
    t.add_column("mean", justify="right")
    t.add_column("median", justify="right")
    t.add_column("positions")
    t.add_column("moves (kind → toward)")
    for r in run.rounds:
        pos = " ".join(f"{_short(a)} {r.positions[a]:.3g}" for a in ids)
        moves = "; ".join(f"{_short(mv.actor)} {mv.kind[:4]}→{_short(mv.toward)} {mv.to_position:.3g}"
                          for mv in r.moves) or "–"
        t.add_row(str(r.round), f"{r.mean:.3f}", f"{r.median:.3f}", pos, moves)
    console.print(t)
    for line in summary_lines(fc):
        console.print(line, highlight=False)
    if fc.sensitivity:
        st = Table(title=f"who decides: salience ±{fc.salience_delta:g}")
        for col in ("actor", "salience", "forecast if lower", "forecast if higher", "swing"):
            st.add_column(col, justify="left" if col == "actor" else "right")
        for r in fc.sensitivity:
            st.add_row(r.actor, f"{r.salience:.2f}", f"{r.forecast_lowered:.2f}", f"{r.forecast_raised:.2f}",
                       f"{r.swing:.3f}")
        console.print(st)


def summary_lines(fc: Forecast) -> list[str]:
    """The forecast in words that say what each number is (docs/forecast.md, "From a path to a forecast").

    The point forecast is one run's capability × salience weighted mean position, summarised
    over a window of rounds, and its "range" is that window's spread, not an uncertainty
    band; the weighted median (the position that wins every pairwise vote) gets the same
    summary. Only a Monte Carlo over the inputs (``--runs``) gives a band across runs.
    """
    run, s = fc.run, fc.run.summary
    n = len(run.rounds) - 1  # round 0 is the start
    if s.status == "settled":
        window = f"settled from round {s.since_round}"
    elif s.status == "cycle":
        window = f"averaged over one {s.period}-round cycle (rounds {s.since_round}–{s.since_round + s.period - 1})"
    else:
        first = n + 1 - max(1, (n + 1) // 2)
        window = f"averaged over rounds {first}–{n}: no exact repeat within {n} rounds (path open)"
        alt = _alternation(run.mean_path)
        if alt is not None:
            window += (f"; the last rounds swing between about {alt[0]:.2f} and {alt[1]:.2f}, "
                       "like a 2-cycle that never repeats exactly")
    lines = [f"[bold]forecast[/] (single run, weighted mean position): {s.forecast:.2f}, {window}; "
             f"spread over those rounds {s.low:.2f}–{s.high:.2f} (a window, not an uncertainty band)",
             f"weighted median position (wins every pairwise vote), same rounds: {s.median_forecast:.2f}"]
    if fc.distribution is not None:
        d = fc.distribution
        q = d.quantiles
        share = ", ".join(f"{k} {v:.0%}" for k, v in d.status_share.items())
        lines.append(f"[bold]Monte Carlo band[/] over the inputs' intervals ({d.runs} runs, {d.sampling}, "
                     f"seed {d.seed}): the runs' forecasts have mean {d.mean:.2f}, sd {d.sd:.2f}, median "
                     f"{q['50']:.2f}, 5–95% {q['5']:.2f}–{q['95']:.2f}; paths: {share}")
    else:
        lines.append("no Monte Carlo band: one run at the inputs' point values (--runs N for a band)")
    return lines


def _alternation(path: list[float], k: int = 4) -> tuple[float, float] | None:
    """Lows' and highs' mean when the last ``k`` rounds' mean swings up, down, up (or down,
    up, down), every swing at least half the largest: a 2-cycle that never repeats exactly."""
    if len(path) < k + 1:
        return None
    last = path[-k:]
    diffs = [b - a for a, b in zip(last, last[1:])]
    big = max(abs(x) for x in diffs)
    if big == 0 or any(abs(x) < 0.5 * big for x in diffs) or any(x * y >= 0 for x, y in zip(diffs, diffs[1:])):
        return None
    first_low = diffs[0] > 0
    lows = last[0 if first_low else 1::2]
    highs = last[1 if first_low else 0::2]
    return sum(lows) / len(lows), sum(highs) / len(highs)


def register(app: typer.Typer) -> None:
    @app.command("forecast")
    def forecast_cmd(
        issue: Optional[str] = typer.Argument(None, help="A bundled issue name or an issue file (CSV or TOML); "
                                                         "omit to list the bundled issues."),
        rounds: Optional[int] = typer.Option(None, "--rounds", help="Rounds to play (default: the model's "
                                                                    "DEFAULT_ROUNDS, 20)."),
        runs: int = typer.Option(1, "--runs", help="Monte Carlo runs over the inputs' intervals."),
        seed: int = typer.Option(0, "--seed", help="Random seed for the Monte Carlo draws."),
        fmt: str = typer.Option("table", "--format", help="table or json."),
        plot: Optional[str] = typer.Option(None, "--plot", help="Write the positions over rounds to FILE (png/svg/pdf)."),
        option: list[str] = typer.Option([], "--option", help="Model option key=value (see docs/forecast.md); repeatable."),
        sampling: str = typer.Option("triangular", "--sampling", help="Default draws within intervals: triangular, uniform or normal."),
        salience_delta: float = typer.Option(0.1, "--salience-delta", help="Salience perturbation (0 to skip)."),
        capabilities: Optional[str] = typer.Option(None, "--capabilities",
                                                   help="'world' (the world stage's measures) or a CSV id,capability "
                                                        "to replace the issue file's capabilities."),
    ) -> None:
        """Forecast a contested issue with the expected-utility bargaining model."""
        from heartland.forecast.capability import resolve_capabilities
        from heartland.forecast.issue import bundled_issues, load_issue
        from heartland.forecast.results import DEFAULT_ROUNDS, forecast

        console = Console()
        rounds = DEFAULT_ROUNDS if rounds is None else rounds
        if issue is None:
            for name, path in bundled_issues().items():
                console.print(f"{name}\t{path.name}")
            return
        if rounds < 1:
            raise UserError(f"option --rounds: expected a positive integer, got {rounds}")
        if runs < 1:
            raise UserError(f"option --runs: expected a positive integer, got {runs}")
        if fmt not in ("table", "json"):
            raise UserError(f"option --format: expected table or json, got {fmt!r}")
        if sampling not in ("triangular", "uniform", "normal"):
            raise UserError(f"option --sampling: expected triangular, uniform or normal, got {sampling!r}")
        if not 0 <= salience_delta <= 1:
            raise UserError(f"option --salience-delta: expected a number in [0, 1], got {salience_delta}")
        options = parse_options(option)
        iss = load_issue(issue, capabilities=resolve_capabilities(capabilities))
        fc = forecast(iss, rounds=rounds, runs=runs, seed=seed, options=options,
                      sampling=sampling, salience_delta=salience_delta)  # type: ignore[arg-type]
        if plot:
            from heartland.forecast.plot import plot_forecast

            plot_forecast(fc, plot)
        if fmt == "json":
            print(fc.to_json())
        else:
            print_table(fc, console)
            if plot:
                console.print(f"plot written to {plot}")

    @app.command("backtest")
    def backtest_cmd(
        directory: Optional[str] = typer.Argument(None, help="A directory of backtest case files (*.toml); "
                                                             "default: the bundled cases."),
        runs: int = typer.Option(1000, "--runs", help="Monte Carlo runs per case over the coded ranges."),
        seed: int = typer.Option(0, "--seed", help="Random seed for the Monte Carlo draws."),
        fmt: str = typer.Option("table", "--format", help="table, markdown or json."),
    ) -> None:
        """Backtest the bargaining model on resolved issues against naive forecasts."""
        from heartland.forecast.backtest import LABELS, backtest_markdown, run_backtest

        if runs < 2:
            raise UserError(f"option --runs: expected an integer >= 2 (a band needs runs), got {runs}")
        if fmt not in ("table", "markdown", "json"):
            raise UserError(f"option --format: expected table, markdown or json, got {fmt!r}")
        bt = run_backtest(directory, runs=runs, seed=seed)
        if fmt == "json":
            print(bt.to_json())
            return
        if fmt == "markdown":
            print(backtest_markdown(bt))
            return
        console = Console()
        t = Table(title=f"backtest: {len(bt.cases)} resolved issues ({bt.runs} runs, seed {bt.seed})")
        for col in ("case", "decided", "outcome", "ref.", "model median", "5–95%", "w. mean", "w. median"):
            t.add_column(col, justify="left" if col in ("case", "decided") else "right")
        mark = {True: "✓", False: "✗"}
        for c in bt.cases:
            f, r = c.forecasts, c.right
            t.add_row(c.name, c.outcome_date, f"{c.outcome:.0f}", f"{c.reference:.0f}",
                      f"{f['model']:.1f} {mark[r['model']]}", f"{c.band[0]:.1f}–{c.band[1]:.1f}",
                      f"{f['weighted_mean']:.1f} {mark[r['weighted_mean']]}",
                      f"{f['weighted_median']:.1f} {mark[r['weighted_median']]}")
        console.print(t)
        s = Table(title="overall")
        for col in ("forecast", "MAE (0–100)", "right side"):
            s.add_column(col, justify="left" if col == "forecast" else "right")
        for m in bt.overall:
            s.add_row(LABELS[m.method], f"{m.mae:.1f}", f"{m.right_share:.0%}")
        console.print(s)
        console.print(f"outcomes inside the model's 5–95% band: {bt.band_coverage:.0%}; ✓/✗ = on the outcome's "
                      "side of the case's reference point (docs/forecast.md, Backtest)", highlight=False)
