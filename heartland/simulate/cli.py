"""Commands: ``simulate``, ``sensitivity``, ``compare``, ``scenarios`` (thin shells over the library)."""

from __future__ import annotations

import contextlib
import json
from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

from heartland.errors import UserError

console = Console()


def _progress(description: str):
    """A transient progress bar on stderr; rich.progress loads only in the commands that
    show one, not in every command's start-up."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    return Progress(TextColumn(description), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                    console=Console(stderr=True), transient=True)


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


def _hyp_table(title: str, hyps: list[dict]) -> Table:
    """Hypotheses with P (capped and marked * when the hindcast does not support it), the
    ensemble's Wilson interval, and the hindcast's observed frequency at that level."""
    from heartland.simulate.probabilities import format_probability, format_reliability

    t = Table(title=title, title_justify="left", caption="* capped: the hindcast does not support more "
              "certainty (docs/simulate.md, Probabilities)", caption_justify="left")
    t.add_column("hypothesis")
    t.add_column("P", justify="right")
    t.add_column("95% CI (Wilson)", justify="right")
    t.add_column("hindcast at this level", justify="right")
    t.add_column("expert (seed)")
    for h in hyps:
        t.add_row(h["statement"], format_probability(h), f"{h['ci_low']:.2f}–{h['ci_high']:.2f}",
                  format_reliability(h), f"{h['expert']} ({h['seed']})" if h.get("seed") else h["expert"])
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
    register_calibration(app)

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
        parameters: str = typer.Option("posterior", "--parameters", help="posterior (the calibrated one, default) or judgement (the documented defaults)."),
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
        from heartland.simulate.posterior import resolve_parameters
        from heartland.simulate.probabilities import shown_scores

        post = resolve_parameters(parameters)
        loaded = [load_scenario(resolve_scenario(s)) for s in scenarios]  # validate all before running any
        report = {}
        with dask_client(workers, scheduler) as client:
            for sc in loaded:
                n = runs or sc.scenario.runs
                with _progress("{task.description}") as prog:
                    task = prog.add_task(sc.name, total=n)
                    res = run_ensemble(sc, runs=n, seed=seed, client=client, db=db, parameters=post,
                                       progress=lambda k: prog.advance(task, k))
                folder = write_outputs(res, out)
                hyps = shown_scores(res.scores, post)
                report[sc.name] = {"out": str(folder), "runs": res.runs, "start_world": res.start.source,
                                   "parameters": res.parameters, "hypotheses": hyps}
                if fmt == "table":
                    console.print(_hyp_table(f"{sc.scenario.title} — {res.runs} runs, seed {seed}, "
                                             f"start: {res.start.source}; parameters: {res.parameters}", hyps))
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


def _parse_starts(text: str) -> list[int]:
    """"2015-2021" or "2015,2017,2019" -> years (one clear line when malformed)."""
    try:
        if "-" in text:
            a, b = text.split("-", 1)
            return list(range(int(a), int(b) + 1))
        return [int(x) for x in text.split(",") if x.strip()]
    except ValueError:
        raise UserError(f"--starts: expected YEAR-YEAR or YEAR,YEAR,..., got {text!r}") from None


def _scores_table(title: str, summary) -> Table:
    t = Table(title=title, title_justify="left")
    cols = [("sample", None), ("domain", None), ("cells", "{:d}"), ("MAE", "{:.3f}"), ("MAE persist.", "{:.3f}"),
            ("skill", "{:+.2f}"), ("CRPS", "{:.3f}"), ("50% cov.", "{:.2f}"), ("90% cov.", "{:.2f}"),
            ("direction", "{:.2f}"), ("|Δ| runs", "{:.3f}"), ("|Δ| measured", "{:.3f}")]
    keys = ["sample", "domain", "cells", "mae", "mae_persistence", "skill", "crps", "coverage50", "coverage90",
            "direction_accuracy", "mean_abs_change_runs", "mean_abs_change_measured"]
    for c, _ in cols:
        t.add_column(c, justify="left" if c in ("sample", "domain") else "right")
    for _, r in summary.iterrows():
        if not r.get("cells"):
            continue  # e.g. no in-sample cells when every start is after the fit window
        cells = []
        for (c, f), k in zip(cols, keys):
            v = r.get(k)
            if f is None:
                cells.append(str(v))
            elif v is None or (isinstance(v, float) and v != v):
                cells.append("–")
            else:
                cells.append(f.format(int(v)) if f == "{:d}" else f.format(v))
        t.add_row(*cells)
    return t


def register_calibration(app: typer.Typer) -> None:
    @app.command("hindcast")
    def hindcast_cmd(
        starts: str = typer.Option("2015-2021", "--starts", help="Start years: YEAR-YEAR or YEAR,YEAR,..."),
        end: int = typer.Option(None, "--end", help="Last year scored (default: the world's latest year with evidence)."),
        runs: int = typer.Option(200, "--runs", "-n", help="Ensemble size per start."),
        seed: int = typer.Option(0, "--seed"),
        parameters: str = typer.Option("posterior", "--parameters", help="posterior (default) or judgement."),
        workers: int = typer.Option(None, "--workers", help="Start a local Dask cluster with K worker processes."),
        scheduler: str = typer.Option(None, "--scheduler", help="Join an existing Dask scheduler at ADDRESS."),
        out: Path = typer.Option(Path("out/hindcast"), "--out", help="Output folder (Parquet and plots)."),
        fmt: str = typer.Option("table", "--format", help="table or json"),
    ) -> None:
        """Start the model from past worlds, run to the present, score it on what was measured."""
        from heartland.simulate.hindcast import run_hindcast, write_hindcast

        if fmt not in ("table", "json"):
            raise UserError(f"--format must be table or json, got {fmt!r}")
        if runs < 2:
            raise UserError(f"--runs must be at least 2 for a band, got {runs}")
        with dask_client(workers, scheduler) as client:
            res = run_hindcast(_parse_starts(starts), end=end, runs=runs, seed=seed, parameters=parameters,
                               client=client)
        folder = write_hindcast(res, out)
        if fmt == "json":
            print(json.dumps({"parameters": res.parameters, "summary": res.summary.to_dict("records"),
                              "out": str(folder)}, indent=2, default=float))
            return
        console.print(_scores_table(f"Hindcast {res.meta['starts']} → {res.meta['end']}, {runs} runs per start; "
                                    f"parameters: {res.parameters}", res.summary))
        console.print(f"outputs: {folder} (hindcast_*.parquet, hindcast.png, reliability.png)")

    @app.command("calibrate")
    def calibrate_cmd(
        config: Path = typer.Option(None, "--config", help="TOML with a [calibration] table (docs/simulate.md)."),
        steps: int = typer.Option(None, "--steps", help="emcee iterations per chain (default 500)."),
        burn: int = typer.Option(None, "--burn", help="Iterations discarded as burn-in (default 200)."),
        chains: int = typer.Option(None, "--chains", help="Independent emcee ensembles, pooled (default 2; one per Dask worker)."),
        walkers: int = typer.Option(None, "--walkers", help="emcee walkers (default 68; at least twice the 33 fitted parameters)."),
        replicates: int = typer.Option(None, "--replicates", help="Noise replicates per parameter vector (default 8)."),
        seed: int = typer.Option(None, "--seed"),
        workers: int = typer.Option(None, "--workers", help="Start a local Dask cluster with K worker processes."),
        scheduler: str = typer.Option(None, "--scheduler", help="Join an existing Dask scheduler at ADDRESS."),
        out: Path = typer.Option(Path("out/calibrate"), "--out", help="Output folder."),
        write_bundle: bool = typer.Option(False, "--write-bundle", help="Also replace the posterior bundled with the package."),
        no_cache: bool = typer.Option(False, "--no-cache", help="Refit even when a cached fit matches."),
        hindcast_runs: int = typer.Option(200, "--hindcast-runs", help="Ensemble size of the out-of-sample hindcast."),
        check: bool = typer.Option(False, "--check", help="Only say whether the bundled posterior was fitted on the world's current data (exit 1 if not)."),
    ) -> None:
        """Fit every model parameter to 2015-2020 (emcee) and score it out of sample with the hindcast."""
        from heartland.simulate.calibrate import calibrate, is_current, load_config

        if check:
            from heartland.simulate.posterior import POSTERIOR_DIR, read_posterior

            post = read_posterior(POSTERIOR_DIR)
            ok, now = is_current(post)
            fitted = str(post.provenance.get("data_version"))[:12]
            if ok:
                console.print(f"the bundled posterior is current (data {fitted})")
                return
            console.print(f"the bundled posterior was fitted on data {fitted}; the world's data are now {now[:12]}: "
                          "recalibrate with `python scripts/calibrate_posterior.py`")
            raise typer.Exit(1)
        if config is not None and not config.is_file():
            raise UserError("no such calibration config", path=f"--config {config}")
        cfg = load_config(config, steps=steps, burn=burn, walkers=walkers, replicates=replicates, seed=seed,
                          chains=chains)
        with dask_client(workers, scheduler) as client:
            with _progress("calibrate") as prog:
                task = prog.add_task("emcee", total=cfg.steps * cfg.chains)
                cal = calibrate(cfg, client=client, use_cache=not no_cache, hindcast_runs=hindcast_runs, out=out,
                                write_bundle=write_bundle, progress=lambda i: prog.update(task, completed=i))
        prov = cal.posterior.provenance
        console.print(f"posterior: {cal.posterior.size} draws; emcee {prov['sampler_version']}, "
                      f"{prov['config'].get('chains', 1)} chains × {prov['config']['walkers']} walkers × "
                      f"{prov['config']['steps']} steps "
                      f"(burn {prov['config']['burn']}), acceptance {prov['acceptance']:.2f}, "
                      + (f"autocorrelation ≤ {prov['autocorr_max']:.0f} steps; " if prov.get("autocorr_max") else "")
                      + f"{prov['seconds']:.0f} s"
                      + (" (cached)" if cal.fit.from_cache else ""))
        for label, h in (("posterior", cal.hindcast), ("judgement", cal.hindcast_judgement)):
            s = h.summary[h.summary["domain"] == "overall"]
            console.print(_scores_table(f"Hindcast with the {label} (in sample: end ≤ {cfg.fit_end}; "
                                        f"out of sample: after)", s))
        console.print(f"outputs: {cal.folder}" + (" (bundled with the package)" if write_bundle else ""))
