"""Where capabilities come from when not from the issue file: the hook for the world stage.

Issue files carry curated capabilities (judgements anchored on cited figures). When a
stage upstream offers capability measures, they replace the curated values through
:meth:`Issue.with_capabilities`. The contract asked of the world stage is one function,
``heartland.world.capability_measures() -> dict[str, float]``, keyed by the ISO alpha-3
ids the issue files use (CHN, RUS, KAZ, ..., USA for "United States / West"), with
``capability_intervals()`` and ``capability_notes()`` beside it. ``--capabilities world``
replaces every listed actor's capability; an issue file's ``capability = "world"`` takes
the measure, its interval and its note for that actor (:func:`world_capability_values`);
``--capabilities FILE.csv`` (columns ``id, capability``) reads them from a file.
"""

from __future__ import annotations

import csv
import importlib
from pathlib import Path

from heartland.errors import UserError

WORLD_HOOK = ("heartland.world", "capability_measures")


def _world_hook():
    """The world stage's module and capability function, or None if it offers none."""
    module, name = WORLD_HOOK
    try:
        mod = importlib.import_module(module)
    except ImportError:
        return None
    fn = getattr(mod, name, None)
    return (mod, fn) if fn is not None else None


def world_capabilities() -> dict[str, float] | None:
    """Capability measures from the world stage, or None if it offers none yet."""
    hook = _world_hook()
    if hook is None:
        return None
    return {str(k): float(v) for k, v in hook[1]().items()}


def world_capability_values() -> dict[str, tuple[float, float, float, str]] | None:
    """Actor id -> (value, low, high, note) from the world stage, or None if it offers none.

    Intervals and notes are optional parts of the hook: without them the interval is the
    point and the note says only where the value came from."""
    hook = _world_hook()
    if hook is None:
        return None
    mod, fn = hook
    values = {str(k): float(v) for k, v in fn().items()}
    iv = getattr(mod, "capability_intervals", None)
    intervals = {str(k): (float(lo), float(hi)) for k, (lo, hi) in iv().items()} if iv else {}
    nt = getattr(mod, "capability_notes", None)
    notes = {str(k): str(v) for k, v in nt().items()} if nt else {}
    out = {}
    for k, v in values.items():
        lo, hi = intervals.get(k, (v, v))
        out[k] = (v, min(lo, v), max(hi, v), notes.get(k, f"world capability measure {v:.4g}"))
    return out


def read_capabilities(path: str | Path) -> dict[str, float]:
    """``id,capability`` rows from a CSV file."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise UserError(f"cannot read: {exc.strerror}", path=str(p)) from None
    rows = list(csv.reader(text.splitlines()))
    if not rows or [h.strip().lower() for h in rows[0][:2]] != ["id", "capability"]:
        raise UserError("line 1: expected the header 'id,capability'", path=str(p))
    out: dict[str, float] = {}
    for lineno, row in enumerate(rows[1:], start=2):
        if not row or not "".join(row).strip():
            continue
        if len(row) < 2:
            raise UserError("expected 2 fields (id, capability)", path=f"{p}:{lineno}")
        try:
            v = float(row[1])
        except ValueError:
            raise UserError(f"field 'capability': expected a number, got {row[1]!r}", path=f"{p}:{lineno}") from None
        if not v >= 0:
            raise UserError("field 'capability': must be >= 0", path=f"{p}:{lineno}")
        out[row[0].strip()] = v
    return out


def resolve_capabilities(source: str | None) -> dict[str, float] | None:
    """``None`` (curated), ``"world"`` or a CSV path."""
    if not source:
        return None
    if source == "world":
        caps = world_capabilities()
        if caps is None:
            raise UserError("option --capabilities world: the world stage offers no capability "
                            "measures yet (heartland.world.capability_measures); use a CSV file")
        return caps
    return read_capabilities(source)
