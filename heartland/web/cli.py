"""``heartland serve``: the local dashboard."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from heartland.errors import UserError


def register(app: typer.Typer) -> None:
    @app.command("serve")
    def serve_cmd(
        host: str = typer.Option("127.0.0.1", "--host", help="Interface to bind (default: loopback only)."),
        port: int = typer.Option(8000, "--port", min=0, max=65535, help="TCP port."),
        db: Optional[Path] = typer.Option(None, "--db", envvar="HEARTLAND_DB", help="Store file (read-only)."),
        runs_dir: Optional[Path] = typer.Option(None, "--runs-dir", help="Where dashboard scenario runs write."),
        max_runs: int = typer.Option(2000, "--max-runs", min=1, max=100_000, help="Largest ensemble per request."),
        allow_host: list[str] = typer.Option([], "--allow-host", metavar="NAME",
                                             help="Also answer to this host name (repeatable); by default only "
                                                  "loopback names and the --host address."),
        max_active_runs: int = typer.Option(2, "--max-active-runs", min=1, max=64,
                                            help="Scenario runs queued or running at once (more get 429)."),
    ) -> None:
        """Start the local dashboard (map, countries, evidence, timeline, scenarios, forecasts)."""
        import uvicorn

        from heartland import paths
        from heartland.web.app import create_app

        db_path = db or paths.default_db_path()
        if db_path.exists() and not db_path.is_file():
            raise UserError("is not a store file", path=str(db_path))
        if not db_path.exists():
            typer.echo(f"note: no store at {db_path} yet: the dashboard shows the bundled data only "
                       "(run `heartland ingest` or `heartland run` to add articles)", err=True)
        if host not in ("127.0.0.1", "localhost", "::1"):
            typer.echo(f"warning: serving on {host}: the dashboard is reachable from other machines; it answers "
                       "only to loopback names, that address and each --allow-host NAME", err=True)
        typer.echo(f"heartland dashboard on http://{host}:{port}/  (store {db_path})")
        uvicorn.run(create_app(db_path, runs_dir=runs_dir, max_runs_per_request=max_runs, bind_host=host,
                               allow_hosts=allow_host, max_active_runs=max_active_runs),
                    host=host, port=port, log_level="warning")
