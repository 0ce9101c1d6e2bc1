"""heartland.measure: influence indices (FBIC-style), division of labour, power transition, friction.

Public face::

    compute_indices(world, years=None, params=MeasureParams()) -> Indices
    heartland.measure.indices: pure NumPy functions over (..., patron, target, domain) arrays

See docs/measure.md for every formula and parameter.
"""

from __future__ import annotations

from heartland import _lazy

# Names resolve on first use (heartland/_lazy.py) so that `heartland --help` stays fast.
__all__ = _lazy.install(__name__, {
    "Indices": "heartland.measure.compute", "MeasureParams": "heartland.measure.compute", "compute_indices": "heartland.measure.compute",
    "DEFAULT_DOMAIN_WEIGHTS": "heartland.measure.indices", "division_of_labour": "heartland.measure.indices", "domain_influence": "heartland.measure.indices", "overall_influence": "heartland.measure.indices",
})
