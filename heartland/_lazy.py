"""Lazy public faces for the stage packages, so that ``heartland --help`` stays fast.

Importing ``heartland.<stage>.cli`` imports the package ``heartland.<stage>`` first; when
that package's ``__init__`` imported its library eagerly, every command paid for pandas,
scipy, matplotlib and the web app. :func:`install` makes a package's names resolve on
first use instead, with the same public face (``from heartland.world import build_world``).

One subtlety: some packages export a function under the name of the submodule that
defines it (``heartland.simulate.compare`` is both). Importing such a submodule after the
package has loaded makes Python bind the *module* to the package attribute, shadowing the
function; the package's module class therefore refuses to rebind an exported name to a
submodule, as the eager ``__init__`` did implicitly.
"""

from __future__ import annotations

import importlib
import sys
import types
from typing import Any


class _LazyPackage(types.ModuleType):
    _lazy_exports: dict[str, str]

    def __getattr__(self, name: str) -> Any:
        exports = self.__dict__.get("_lazy_exports", {})
        if name in exports:
            value = getattr(importlib.import_module(exports[name]), name)
            self.__dict__[name] = value
            return value
        raise AttributeError(f"module {self.__name__!r} has no attribute {name!r}")

    def __setattr__(self, name: str, value: Any) -> None:
        exports = self.__dict__.get("_lazy_exports", {})
        if name in exports and isinstance(value, types.ModuleType) and \
                value.__name__ == f"{self.__name__}.{name}":
            return  # a submodule named like an exported function: keep the function
        super().__setattr__(name, value)

    def __dir__(self) -> list[str]:
        return sorted(set(super().__dir__()) | set(self.__dict__.get("_lazy_exports", {})))


def install(package: str, exports: dict[str, str]) -> list[str]:
    """Make ``package`` resolve each name in ``exports`` (name -> defining module) on first use.

    Returns the sorted names, for ``__all__``.
    """
    mod = sys.modules[package]
    mod.__dict__["_lazy_exports"] = dict(exports)
    mod.__class__ = _LazyPackage
    return sorted(exports)
