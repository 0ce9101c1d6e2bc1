"""Everyday commands stay fast: ``--help`` loads no stage library (issue 17).

Each stage registers its commands from ``heartland/<stage>/cli.py``; those modules and the
stage packages' ``__init__`` must import only typer/rich at module level, so that the
heavy stacks load when (and only when) a command that needs them runs.
"""

from __future__ import annotations

import json
import subprocess
import sys

# Libraries that cost hundredths to tenths of a second each to import; none is needed to
# print help. (pydantic: typer would convert every option with it, heartland/cli_params.py.)
HEAVY = ("pandas", "numpy", "scipy", "matplotlib", "duckdb", "fastapi", "starlette", "uvicorn", "pyarrow",
         "SALib", "mesa", "networkx", "dask", "distributed", "sklearn", "statsmodels", "plotly", "pydantic")

_PROBE = r"""
import json, sys
from typer.main import get_command
import heartland.cli as cli
group = get_command(cli.app)
loaded = {}
for args in [["--help"]] + [[name, "--help"] for name in sorted(group.commands)]:
    try:
        group.main(args, prog_name="heartland", standalone_mode=False)
    except SystemExit:
        pass
    loaded[" ".join(args)] = sorted({m.split(".")[0] for m in sys.modules} & set(HEAVY))
stages = sorted(m for m in sys.modules if m.startswith("heartland.") and not m.endswith(".cli")
                and m not in ("heartland.errors", "heartland._lazy", "heartland.pipeline", "heartland.cli_common",
                              "heartland.cli_params"))
print(json.dumps({"commands": sorted(group.commands), "loaded": loaded, "stages": stages}))
"""


def _probe() -> dict:
    code = f"HEAVY = {HEAVY!r}\n" + _PROBE
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def test_help_of_every_command_imports_no_heavy_library_nor_stage_library():
    res = _probe()
    # the commands of every stage are registered (a stage that failed to register would vanish)
    for cmd in ("ingest", "articles", "facts", "quotes", "world", "index", "explain", "review", "simulate",
                "compare", "forecast", "report", "serve", "run"):
        assert cmd in res["commands"], cmd
    heavy = {args: mods for args, mods in res["loaded"].items() if mods}
    assert heavy == {}, f"help imported heavy libraries: {heavy}"
    # no stage library module either: only the stage packages and their cli modules
    libs = [m for m in res["stages"] if m.count(".") > 1 or m.split(".")[1] not in
            ("corpus", "store", "extract", "world", "measure", "review", "simulate", "forecast", "report", "web")]
    assert libs == [], libs


def test_lazy_package_keeps_functions_named_like_their_submodules():
    # heartland.simulate exports compare() and sensitivity() from submodules of the same name;
    # importing the submodule first must not shadow the function (as the eager __init__ never did).
    code = ("import heartland.simulate.compare, heartland.simulate.sensitivity\n"
            "from heartland.simulate import compare, sensitivity\n"
            "import types; print(isinstance(compare, types.FunctionType), isinstance(sensitivity, types.FunctionType))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["True", "True"]


def test_lazy_package_names_resolve_and_unknown_names_fail():
    import heartland.world as world

    assert callable(world.build_world) and "build_world" in dir(world)
    try:
        world.no_such_name  # noqa: B018
    except AttributeError as exc:
        assert "no_such_name" in str(exc)
    else:
        raise AssertionError("an unknown name resolved")
