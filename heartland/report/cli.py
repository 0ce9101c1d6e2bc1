"""``heartland report``: write the self-contained HTML report."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer


def register(app: typer.Typer) -> None:
    @app.command("report")
    def report_cmd(
        out: Path = typer.Option(Path("out") / "report.html", "--out",
                                 help="HTML file to write (a directory gets report.html inside it)."),
        db: Optional[Path] = typer.Option(None, "--db", envvar="HEARTLAND_DB", help="Store file (read-only)."),
        runs: int = typer.Option(500, "--runs", min=10, max=100_000, help="Ensemble size per bundled scenario."),
        samples: int = typer.Option(64, "--samples", min=4, max=4096,
                                    help="Sobol base sample for the sensitivity rankings (a power of two)."),
        evidence: str = typer.Option(None, "--evidence", envvar="HEARTLAND_EVIDENCE", help="What feeds the world: policy (default), reviewed or all (docs/review.md)."),
    ) -> None:
        """Write one self-contained HTML report: the system, its evidence, scenarios and forecasts."""
        from heartland.review.modes import use_mode
        use_mode(evidence)
        from heartland.errors import UserError
        from heartland.report import write_report

        if samples & (samples - 1):
            raise UserError(f"--samples must be a power of two, got {samples}")
        try:
            path = write_report(db, out, runs=runs, samples=samples)
        except OSError as exc:
            raise UserError(f"cannot write: {exc.strerror}", path=str(exc.filename or out)) from None
        typer.echo(f"report written to {path} ({path.stat().st_size // 1024} KiB)")
