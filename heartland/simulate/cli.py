"""Commands: ``simulate``, ``sensitivity``, ``compare``, ``scenarios`` (thin shells over the library)."""

from __future__ import annotations

import contextlib
import json
from pathlib import Path

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from heartland.errors import UserError

console = Console()


def resolve_scenario(arg: str) -> Path:
    """A path to a TOML file, or the name of a bundled scenario."""
    from heartland.simulate.bundled import SCENARIO_DIR, bundled_names

    p = Path(arg)
    if p.suffix == ".toml" or p.exists():
        return p
    if arg in bundled_names():
        return SCENARIO_DIR / f"{arg}.toml"
    import difflib

    close = difflib.get_close_matches(arg, bundled_names(), n=1)
    hint = f"did you mean {close[0]!r}?" if close else f"bundled: {', '.join(bundled_names())}"
    raise UserError("not a scenario file or bundled scenario name", path=arg, hint=hint)


@contextlib.contextmanager
def dask_client(workers: int | None, scheduler: str | None):
    """None, a LocalCluster of ``workers`` processes, or a client of an existing scheduler."""
    if workers is not None and scheduler is not None:
        raise UserError("give either --workers or --scheduler, not both")
    if workers is None and scheduler is None:
        yield None
        return
    from distributed import Client, LocalCluster

    if workers is not None:
        if workers < 1:
            raise UserError(f"--workers must be at least 1, got {workers}")
        with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                          dashboard_address=None) as cluster, Client(cluster) as client:
            yield client
    else:
        try:
            client = Client(scheduler, timeout="10s")
        except (OSError, TimeoutError) as exc:
            raise UserError(f"cannot reach the Dask scheduler: {exc}", path=f"--scheduler {scheduler}") from None
        with client:
            yield client


def _hyp_table(title: str, scores) -> Table:
    t = Table(title=title, title_justify="left")
    t.add_column("hypothesis")
    t.add_column("P", justify="right")
    t.add_column("95% CI (Wilson)", justify="right")
    t.add_column("expert (seed)")
    for s in scores:
        t.add_row(s.statement, f"{s.probability:.2f}", f"{s.ci_low:.2f}–{s.ci_high:.2f}",
                  f"{s.expert} ({s.seed})" if s.seed else s.expert)
    return t


def _outcome_table(res) -> Table:
    """Key outcomes over the five (mean share) at the start and the horizon: median [5%, 95%]."""
    from heartland.simulate.bands import band, five_state_mean
    from heartland.world.axes import DOMAINS, PATRONS

    share = res.arrays["share"]
    t = Table(title="Mean share over the five: median [5%, 95%]", title_justify="left")
    t.add_column("patron, domain")
    t.add_column(f"{res.times[0]:g}", justify="right")
    t.add_column(f"{res.times[-1]:g}", justify="right")
    for dom in ("security", "economy", "politics"):
        for pat in ("RUS", "CHN"):
            cells = []
            for k in (0, -1):
                b = band(five_state_mean(share[:, k, PATRONS.index(pat), :, DOMAINS.index(dom)], 1))
                cells.append(f"{b['p50']:.2f} [{b['p05']:.2f}, {b['p95']:.2f}]")
            t.add_row(f"{pat} {dom}", *cells)
    return t


def register(app: typer.Typer) -> None:
    @app.command("simulate")
    def simulate_cmd(
        scenarios: list[str] = typer.Argument(..., help="Scenario TOML files or bundled names (see `heartland scenarios`)."),
        runs: int = typer.Option(None, "--runs", "-n", help="Ensemble size (default: the scenario's)."),
        seed: int = typer.Option(0, "--seed", help="Random seed; the same seed gives the same numbers anywhere."),
        workers: int = typer.Option(None, "--workers", help="Start a local Dask cluster with K worker processes."),
        scheduler: str = typer.Option(None, "--scheduler", help="Join an existing Dask scheduler at ADDRESS."),
        out: Path = typer.Option(Path("out/simulate"), "--out", help="Output folder (Parquet per scenario)."),
        fmt: str = typer.Option("table", "--format", help="table or json"),
        db: Path = typer.Option(None, "--db", help="Store file whose evidence joins the bundled world (default: curated data only)."),
        evidence: str = typer.Option(None, "--evidence", envvar="HEARTLAND_EVIDENCE", help="What feeds the world: policy (default), reviewed or all (docs/review.md)."),
    ) -> None:
        """Run scenario ensembles; write Parquet; print each hypothesis' probability."""
        from heartland.review.modes import use_mode
        use_mode(evidence)
        from heartland.simulate.ensemble import run_ensemble
        from heartland.simulate.outputs import write_outputs
        from heartland.simulate.scenario import load_scenario

        if fmt not in ("table", "json"):
            raise UserError(f"--format must be table or json, got {fmt!r}")
        if db is not None and not db.is_file():
            raise UserError("no such store file", path=f"--db {db}")
        loaded = [load_scenario(resolve_scenario(s)) for s in scenarios]  # validate all before running any
        report = {}
        with dask_client(workers, scheduler) as client:
            for sc in loaded:
                n = runs or sc.scenario.runs
                with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                              TimeElapsedColumn(), console=Console(stderr=True), transient=True) as prog:
                    task = prog.add_task(sc.name, total=n)
                    res = run_ensemble(sc, runs=n, seed=seed, client=client, db=db,
                                       progress=lambda k: prog.advance(task, k))
                folder = write_outputs(res, out)
                report[sc.name] = {"out": str(folder), "runs": res.runs, "start_world": res.start.source,
                                   "hypotheses": [s.__dict__ for s in res.scores]}
                if fmt == "table":
                    console.print(_hyp_table(f"{sc.scenario.title} — {res.runs} runs, seed {seed}, "
                                             f"start: {res.start.source}", res.scores))
                    console.print(_outcome_table(res))
                    console.print(f"outputs: {folder}")
        if fmt == "json":
            print(json.dumps(report, indent=2, ensure_ascii=False))

    @app.command("sensitivity")
    def sensitivity_cmd(
        scenario: str = typer.Argument(..., help="Scenario TOML file or bundled name."),
        method: str = typer.Option("sobol", "--method", help="sobol (variance-based) or morris (screening)."),
        samples: int = typer.Option(256, "--samples", help="Base samples N (Sobol: power of two; Morris: trajectories)."),
        seed: int = typer.Option(0, "--seed"),
        out: Path = typer.Option(Path("out/simulate"), "--out", help="Output folder."),
    ) -> None:
        """Global sensitivity (SALib) of each hypothesis to the scenario's uncertain parameters."""
        from heartland.simulate.outputs import _write
        from heartland.simulate.scenario import load_scenario
        from heartland.simulate.sensitivity import sensitivity

        sc = load_scenario(resolve_scenario(scenario))
        df = sensitivity(sc, method=method, n=samples, seed=seed)
        folder = Path(out) / sc.name
        folder.mkdir(parents=True, exist_ok=True)
        from heartland import __version__

        _write(df, folder / f"sensitivity_{method}.parquet",
               {"heartland_version": __version__, "scenario": sc.name, "scenario_sha256": sc.sha256,
                "seed": str(seed), "samples": str(samples), "evaluations": str(df.attrs["evaluations"])})
        key = "ST" if method == "sobol" else "mu_star"
        for outcome, g in df.groupby("outcome", sort=False):
            t = Table(title=f"{sc.name}: {outcome} ({method}, {df.attrs['evaluations']} model runs)",
                      title_justify="left")
            t.add_column("rank", justify="right")
            t.add_column("parameter")
            cols = ["S1", "ST", "ST_conf"] if method == "sobol" else ["mu_star", "mu_star_conf", "sigma"]
            for c in cols:
                t.add_column(c, justify="right")
            for _, r in g.sort_values("rank").iterrows():
                t.add_row(str(r["rank"]), r["parameter"], *(f"{r[c]:.3f}" for c in cols))
            console.print(t)
        console.print(f"ranked by {key}; written to {folder / f'sensitivity_{method}.parquet'}")

    @app.command("compare")
    def compare_cmd(
        dirs: list[Path] = typer.Argument(..., help="Output folders of `heartland simulate` (or scenario subfolders)."),
        fmt: str = typer.Option("table", "--format", help="table or json"),
    ) -> None:
        """Set scenario runs side by side."""
        from heartland.simulate.compare import compare

        hyps, outs = compare(dirs)
        if fmt == "json":
            print(json.dumps({"hypotheses": hyps.to_dict("records"), "outcomes": outs.to_dict("records")},
                             indent=2, ensure_ascii=False, default=str))
            return
        t = Table(title="Hypotheses", title_justify="left")
        for c in ("scenario", "hypothesis", "P", "95% CI"):
            t.add_column(c)
        for _, r in hyps.iterrows():
            t.add_row(r["scenario"], r["statement"], f"{r['probability']:.2f}", f"{r['ci_low']:.2f}–{r['ci_high']:.2f}")
        console.print(t)
        wide = outs.assign(cell=[f"{m:.2f} [{lo:.2f}, {hi:.2f}]" for m, lo, hi in zip(outs["median"], outs["p05"], outs["p95"])])
        piv = wide.pivot(index="outcome", columns="scenario", values="cell")
        t = Table(title="Key outcomes at the horizon: median [5%, 95%]", title_justify="left")
        t.add_column("outcome")
        for c in piv.columns:
            t.add_column(c)
        for idx, r in piv.iterrows():
            t.add_row(idx, *[str(v) for v in r])
        console.print(t)

    @app.command("scenarios")
    def scenarios_cmd() -> None:
        """List the bundled scenarios and the experts they encode."""
        from heartland.simulate.bundled import bundled_paths
        from heartland.simulate.scenario import load_scenario

        t = Table(title="Bundled scenarios", title_justify="left")
        for c in ("name", "title", "sources"):
            t.add_column(c)
        for p in bundled_paths():
            sc = load_scenario(p)
            t.add_row(sc.name, sc.scenario.title,
                      "; ".join(f"{s.expert} (seed {s.seed})" for s in sc.scenario.sources))
        console.print(t)
