"""The steps of ``heartland run``, in pipeline order.

Each step is a call into a stage's public library API (the same calls a notebook user
makes); this module only sequences them and prints what each produced:

1. evidence: ingest the corpus (``--corpus``, else ``../shared/corpus`` when present),
   or load the seed evidence bundled in the package (facts, events, quotes with spans
   and URLs, never article text);
2. world and indices: build the regional system and compute influence per target and
   domain, division of labour and friction;
3. scenarios: run every bundled scenario with a modest ensemble, print hypothesis odds;
4. forecasts: the bundled contested issues through the expected-utility model;
5. report: one self-contained HTML file, whose path is printed last.
"""

from __future__ import annotations

import math
from pathlib import Path

from rich.console import Console
from rich.table import Table

from heartland import paths

#: Ensemble size per scenario in ``heartland run`` (a user raises it with ``heartland simulate``).
RUN_ENSEMBLE = 200
#: Monte Carlo runs per bundled issue in ``heartland run``.
RUN_FORECAST_RUNS = 200


def step_evidence(corpus: Path | None, db: Path, console: Console) -> int:
    if corpus is not None:
        from heartland.corpus.ingest import ingest_paths_cli

        console.rule(f"1. evidence: ingest {corpus}")
        rc = ingest_paths_cli([corpus], db=db, console=console, show_articles=True)
    else:
        from heartland.extract.bundle import load_bundled_evidence

        console.rule("1. evidence: bundled seed evidence (no corpus found)")
        counts = load_bundled_evidence(db)
        console.print("loaded " + ", ".join(f"{n} {k}" for k, n in counts.items()))
        rc = 0
    _seed_decisions(db, console)
    return rc


def _seed_decisions(db: Path, console: Console) -> None:
    """The seeds' hand-checked items as reviewed evidence (heartland.review.seeds); the rest
    of the corpus stays candidates for `heartland review` (docs/review.md)."""
    from heartland.review.seeds import apply_seed_decisions
    from heartland.store.db import open_store

    with open_store(db) as conn:
        n = apply_seed_decisions(conn)
    if n:
        console.print(f"{n} seed items accepted as reviewed evidence (hand-checked seed gold); "
                      "other extracted items are candidates: `heartland review` lists them")


def _fmt(lo: float, hi: float) -> str:
    if lo is None or hi is None or (isinstance(lo, float) and math.isnan(lo)):
        return "–"
    return f"{lo:.2f}" if abs(hi - lo) < 0.005 else f"{lo:.2f}–{hi:.2f}"


def step_world(db: Path, console: Console):
    from heartland.measure import compute_indices
    from heartland.world import DOMAINS, TARGETS, build_world, latest_evidence_year

    console.rule("2. world and influence indices")
    world = build_world(db)
    ix = compute_indices(world)
    inf = ix.influence.dropna(subset=["mid"])
    # the latest year with evidence of its own, not a year filled only by carried-forward values
    year = latest_evidence_year(world)
    table = Table(title=f"Leading patron per target and domain, {year} (influence low–high)")
    table.add_column("target")
    for d in DOMAINS:
        table.add_column(d)
    for t in TARGETS:
        cells = []
        for d in DOMAINS:
            rows = inf[(inf.target == t) & (inf.domain == d) & (inf.year == year)]
            if rows.empty:
                cells.append("–")
                continue
            top = rows.sort_values("mid", ascending=False).iloc[0]
            cells.append(f"{top.patron} {_fmt(top.low, top.high)}")
        table.add_row(t, *cells)
    console.print(table)
    dol = ix.division_of_labour.dropna(subset=["mid"])
    if not dol.empty:
        latest = dol[dol.year == year]
        console.print("division of labour (Russia security vs China economy), "
                      f"{year}: " + ", ".join(f"{r.target} {r.mid:+.2f}" for r in latest.itertuples()))
    return world, ix


def step_scenarios(db: Path, out: Path, console: Console) -> dict:
    from heartland.simulate.bundled import run_bundled

    console.rule(f"3. scenarios: bundled, {RUN_ENSEMBLE} runs each")
    from heartland.simulate.probabilities import format_probability, format_reliability

    res = run_bundled(runs=RUN_ENSEMBLE, seed=0, out=out / "scenarios", db=db)
    params = next(iter(res["scenarios"].values()))["parameters"] if res["scenarios"] else ""
    table = Table(title=f"Hypothesis probabilities (95% CI; parameters: {params})",
                  caption="* capped at 0.05/0.95: the hindcast does not support more certainty; "
                          "'hindcast' = how often events forecast at that level came true",
                  caption_justify="left")
    for col in ("scenario", "hypothesis", "expert", "P", "95% CI", "hindcast"):
        table.add_column(col)
    for name, sc in res["scenarios"].items():
        for h in sc["hypotheses"]:
            table.add_row(name, h["statement"], h.get("expert") or "", format_probability(h),
                          f"{h['ci_low']:.2f}–{h['ci_high']:.2f}", format_reliability(h))
    console.print(table)
    return res


def step_forecasts(console: Console) -> dict:
    from heartland.forecast import bundled_issues, forecast, load_issue

    console.rule("4. contested issues: expected-utility forecasts")
    table = Table(title=f"Issue forecasts ({RUN_FORECAST_RUNS} Monte Carlo runs each over the inputs' intervals)",
                  caption="Monte Carlo 5–95%: the band of forecasts over the uncertain inputs; same side: share of "
                          "those forecasts on the point forecast's side of the scale's middle; single run's window: "
                          "the spread of the one run at point values over its final cycle or window",
                  caption_justify="left")
    for col in ("issue", "question", "forecast", "Monte Carlo 5–95%", "same side", "single run's window", "path"):
        table.add_column(col)
    results = {}
    for name in bundled_issues():
        issue = load_issue(name)
        fc = forecast(issue, runs=RUN_FORECAST_RUNS, seed=0)
        s = fc.run.summary
        results[name] = fc
        path = s.status + (f" (period {s.period})" if s.period else "")
        d = fc.distribution
        band = f"{d.quantiles['5']:.1f}–{d.quantiles['95']:.1f}" if d else "–"
        side = f"{d.same_side:.0%}" if d and d.same_side is not None else "–"
        table.add_row(name, fc.question, f"{s.forecast:.1f}", band, side, f"{s.low:.1f}–{s.high:.1f}", path)
    console.print(table)
    return results


def step_report(db: Path, out: Path, console: Console) -> Path:
    from heartland.report import write_report

    console.rule("5. report")
    path = write_report(db, out / "report.html")
    console.print(f"report written to [bold]{path.resolve()}[/]")
    return path


def run_all(corpus: Path | None, db: Path | None, out: Path, console: Console) -> int:
    db = Path(db) if db else paths.default_db_path()
    corpus = corpus or paths.shared_corpus_dir()
    out.mkdir(parents=True, exist_ok=True)
    code = step_evidence(corpus, db, console)
    step_world(db, console)
    step_scenarios(db, out, console)
    step_forecasts(console)
    step_report(db, out, console)
    return code
