"""heartland.measure: influence indices (FBIC-style), division of labour, power transition, friction.

Public face::

    compute_indices(world, years=None, params=MeasureParams()) -> Indices
    heartland.measure.indices: pure NumPy functions over (..., patron, target, domain) arrays

See docs/measure.md for every formula and parameter.
"""

from heartland.measure.compute import Indices, MeasureParams, compute_indices
from heartland.measure.indices import (DEFAULT_DOMAIN_WEIGHTS, division_of_labour, domain_influence,
                                       overall_influence)

__all__ = ["Indices", "MeasureParams", "compute_indices", "DEFAULT_DOMAIN_WEIGHTS", "division_of_labour",
           "domain_influence", "overall_influence"]
