"""The listing commands' speed-ups keep behaviour: options converted without pydantic
(heartland/cli_params.py) exactly as typer's own conversion does, and the collector pause
(heartland/cli_common.py) always resumed.

Every option of every command, with its default and with typical and awkward values, must
come out the same (value and type) or fail with the same message both ways.
"""

from __future__ import annotations

import subprocess
import sys
from enum import Enum
from pathlib import Path

import pytest
from typer._click import Context
from typer._click.exceptions import BadParameter
from typer._coercion import build_runtime_param
from typer.main import get_command

import heartland.cli as cli
from heartland.cli_params import PlainRuntimeParam, plain_converter, runtime_param

GROUP = get_command(cli.app)

# Values typer may be handed for each kind of option: from the command line (str), from a
# default, or from an environment variable; awkward ones must go to typer's own conversion.
SAMPLES = {
    str: ["abc", "", "ünï code", "-", "KAZ"],
    bool: [True, False, "yes", "0", "off"],
    int: [0, 5, "0", "5", "-3", "007", "+5", "1_0", " 5", "abc", "-1", "1.5", "4096", "70000", "9" * 30],
    float: [0.5, 2, "0.5", "5", "-1.25", "007.50", "1e3", ".5", "nan", "x", "0.05", "-0.0"],
    Path: ["a/b", "", "/tmp", "/nonexistent/x.duckdb", Path("c/d")],
}


def _params():
    for name, command in sorted(GROUP.commands.items()):
        for param in command.params:
            if plain_converter(param.type_descriptor) is not None:
                yield name, command, param


def _outcome(runtime, value, param, ctx):
    try:
        out = runtime.coerce(value, param=param, ctx=ctx)
    except BadParameter as exc:
        return "error", exc.format_message()
    return "value", repr(out), type(out)  # repr: nan is nan


def _samples(param) -> list:
    kind = param.type_descriptor.annotation
    if isinstance(kind, type) and issubclass(kind, Enum):
        return [*kind, *(m.value for m in kind), *(m.value.upper() for m in kind), "nope"]
    return SAMPLES[next(k for k in SAMPLES if isinstance(kind, type) and issubclass(kind, k))]


@pytest.mark.parametrize(("name", "command", "param"), list(_params()),
                         ids=[f"{n}-{p.name}" for n, _, p in _params()])
def test_plain_conversion_agrees_with_typers(name, command, param):
    ctx = Context(command, info_name=name)
    plain = runtime_param(param.type_descriptor)
    assert isinstance(plain, PlainRuntimeParam)
    typer_own = build_runtime_param(param.type_descriptor)
    for value in [param.default, *_samples(param)]:
        assert _outcome(plain, value, param, ctx) == _outcome(typer_own, value, param, ctx), (name, param.name, value)


def test_most_options_are_plain():
    # the point of the module: a command that has only plain options never imports pydantic
    kinds = [(n, p.name) for n, c in GROUP.commands.items() for p in c.params]
    plain = list(_params())
    assert len(plain) > 0.9 * len(kinds)


def test_a_listing_command_does_not_import_pydantic(tmp_path):
    code = ("import sys, heartland.cli as c\n"
            "sys.argv = ['heartland', 'facts', '--actor', 'KAZ', '--limit', '5', '--format', 'json', '--db', "
            f"{str(tmp_path / 'none.duckdb')!r}]\n"
            "try:\n    c.main()\nexcept SystemExit:\n    pass\n"
            "print('pydantic' in sys.modules)")
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "no store here yet" in res.stderr  # the options were converted and the command ran
    assert res.stdout.split()[-1] == "False"


def test_the_collector_pause_resumes_and_nests():
    import gc

    from heartland.cli_common import collector_paused

    assert gc.isenabled()
    with collector_paused():
        assert not gc.isenabled()
        with collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the inner block leaves the outer pause alone
    assert gc.isenabled()
    with pytest.raises(ValueError), collector_paused():
        raise ValueError
    assert gc.isenabled()
