"""Command-line values converted without pydantic where that is plain (issue 17).

typer 0.29 converts every option's value, defaults included, through a pydantic
``TypeAdapter``: importing pydantic and building one adapter per option cost about 0.1 s
of every command, a quarter of the half second ``heartland facts`` may take. Our options
are plain: strings, flags, integers and floats with bounds, paths, enum choices. For
those, :func:`install` has typer use a converter that does in Python what the adapter
does, and hand any value it is not sure of (``+5``, ``1_000``, a number out of bounds, an
unknown choice, a flag from an environment variable) to typer's own conversion, so the
result and every error message stay typer's.

This uses typer's internals (``typer.core``, ``typer._coercion``, ``typer._param_types``),
which is why typer is pinned in pyproject.toml; ``tests/test_cli_params.py`` checks that
the two conversions agree on every option of every command, and fails if they move.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Any, Callable, get_origin

from typer import core
from typer._coercion import RuntimeParam, TypeDescriptor, build_runtime_param
from typer._param_types import coerce_cli_choice, coerce_cli_path

# A plain decimal number, which int()/float() and pydantic read alike. Signs, underscores,
# exponents and spaces go to pydantic, which has its own rules for them.
_INT = re.compile(r"-?[0-9]+")
_FLOAT = re.compile(r"-?[0-9]+(\.[0-9]+)?")


class NotPlain(Exception):
    """The value needs typer's own conversion: unusual input, or an error to word."""


def _str(desc: TypeDescriptor, value, param, ctx) -> str:
    if type(value) is not str:
        raise NotPlain
    return value


def _bool(desc: TypeDescriptor, value, param, ctx) -> bool:
    if type(value) is not bool:  # "yes", "off", "1" from an environment variable
        raise NotPlain
    return value


def _number(kind: type) -> Callable:
    pattern = _INT if kind is int else _FLOAT

    def convert(desc: TypeDescriptor, value, param, ctx):
        if type(value) is kind:
            number = value
        elif type(value) is str and pattern.fullmatch(value):
            number = kind(value)
        else:
            raise NotPlain
        low, high = desc.parameter_info.min, desc.parameter_info.max
        if (low is not None and number < low) or (high is not None and number > high):
            raise NotPlain  # pydantic's message says which bound
        return number

    return convert


def _choice(desc: TypeDescriptor, value, param, ctx):
    try:
        return coerce_cli_choice(value, choices=tuple(desc.annotation), ctx=ctx,
                                 case_sensitive=desc.parameter_info.case_sensitive)
    except ValueError:
        raise NotPlain from None


def _path(desc: TypeDescriptor, value, param, ctx):
    if type(value) is str:
        value = desc.annotation(value)  # what pydantic makes of a str
    if not isinstance(value, desc.annotation):
        raise NotPlain
    # typer's own checks (exists, dir_okay, ...), which use pydantic only to make the Path
    return coerce_cli_path(value, desc.parameter_info, path_type=desc.annotation, param=param, ctx=ctx)


def plain_converter(desc: TypeDescriptor) -> Callable | None:
    """The converter for a parameter, or None where typer's own is needed (files, lists,
    tuples, custom parsers, clamped numbers, datetimes, anything else)."""
    info, kind = desc.parameter_info, desc.annotation
    if desc.file_annotation is not None or info.parser is not None or get_origin(kind) is not None:
        return None
    if not isinstance(kind, type):
        return None
    if issubclass(kind, Enum):  # first, as in typer: a str Enum is a choice
        return _choice
    if kind is bool:
        return _bool
    if kind in (int, float):
        return None if info.clamp else _number(kind)
    if kind is str:
        return _str
    if issubclass(kind, Path) and info.path_type is None:
        return _path
    return None


@dataclass(frozen=True)
class PlainRuntimeParam(RuntimeParam):
    """typer's conversion step for one parameter, done by ``convert`` when it can."""

    descriptor: TypeDescriptor
    convert: Callable

    def _coerce_value(self, value: Any, param, ctx) -> Any:
        try:
            return self.convert(self.descriptor, value, param, ctx)
        except NotPlain:
            typer_own = build_runtime_param(self.descriptor)
            return typer_own._coerce_value(value, param=param, ctx=ctx)


def runtime_param(desc: TypeDescriptor) -> RuntimeParam:
    """A plain conversion for ``desc`` when there is one, else typer's."""
    convert = plain_converter(desc)
    if convert is None:
        return build_runtime_param(desc)
    return PlainRuntimeParam(parameter_info=desc.parameter_info, annotation=desc.annotation, descriptor=desc,
                             convert=convert)


def _get_runtime_param(self) -> RuntimeParam:
    # typer.core._TyperParameter.get_runtime_param, with runtime_param for build_runtime_param
    if self._runtime_param is None:
        self._runtime_param = runtime_param(self.type_descriptor)
    return self._runtime_param


def install() -> None:
    """Have typer convert every command's plain options with :func:`runtime_param`."""
    core._TyperParameter.get_runtime_param = _get_runtime_param
