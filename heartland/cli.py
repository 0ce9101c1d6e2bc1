"""The ``heartland`` command: a thin typer shell over the stages' library functions.

Each stage that has commands provides ``heartland/<stage>/cli.py`` with a
``register(app: typer.Typer) -> None`` function; this module only assembles them and
turns :class:`heartland.errors.UserError` into one clear line and an exit code.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys

import typer
from rich.console import Console

from heartland import __version__, cli_params
from heartland.errors import UserError

#: Stages in pipeline order; each may contribute commands through ``<stage>/cli.py``.
STAGES = ("corpus", "store", "extract", "world", "measure", "review", "simulate", "forecast", "report", "web")

err_console = Console(stderr=True)

app = typer.Typer(
    name="heartland",
    help="Sourced, quantitative analysis of great-power rivalry in Central Asia.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _version_callback(value: bool) -> None:
    if value:
        print(f"heartland {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(False, "--version", callback=_version_callback, is_eager=True,
                                 help="Print the version and exit."),
) -> None:
    """heartland: news in, sourced model of Central Asia's great-power system out."""


def _register_stages() -> None:
    for stage in STAGES:
        name = f"heartland.{stage}.cli"
        if importlib.util.find_spec(name) is not None:
            importlib.import_module(name).register(app)
    importlib.import_module("heartland.pipeline").register(app)


_register_stages()
cli_params.install()  # plain options converted without pydantic (0.1 s of every command)


def main() -> None:
    """Entry point: click handles usage errors; a UserError becomes one red line."""
    try:
        app()
    except UserError as exc:
        err_console.print(f"[bold red]error:[/] {exc}", highlight=False, soft_wrap=True)
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        err_console.print("interrupted")
        sys.exit(130)


if __name__ == "__main__":
    main()
