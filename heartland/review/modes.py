"""The evidence modes (``--evidence``: policy, reviewed, all; docs/review.md) without pandas.

Every world command sets its mode first; keeping these few functions apart from
:mod:`heartland.review.policy` (which needs pandas) lets a command answered from the
world cache (heartland/world/cache.py) skip pandas altogether.
"""

from __future__ import annotations

import os

from heartland.errors import UserError

EVIDENCE_MODES = ("policy", "reviewed", "all")
DEFAULT_MODE = "policy"


def use_mode(mode: str | None) -> str:
    """Make ``mode`` this process's evidence mode (commands' ``--evidence``; also read by
    worker processes, which inherit the environment): build_world uses it by default."""
    mode = check_mode(mode or os.environ.get("HEARTLAND_EVIDENCE"))
    os.environ["HEARTLAND_EVIDENCE"] = mode
    return mode


def current_mode(mode: str | None = None) -> str:
    return check_mode(mode or os.environ.get("HEARTLAND_EVIDENCE"))


def check_mode(mode: str | None) -> str:
    mode = (mode or DEFAULT_MODE).lower()
    if mode not in EVIDENCE_MODES:
        raise UserError(f"--evidence must be one of {', '.join(EVIDENCE_MODES)}, not {mode!r}")
    return mode
