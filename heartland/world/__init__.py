"""heartland.world: the regional system as of a date.

Public face::

    build_world(conn_or_db=None, date=None, *, params=WorldParams(), ...) -> World
    world_arrays(world, year=None) -> TieArrays   # (patron, target, domain) arrays, low/high
    simulation_start(year=None, db=None) -> TieArrays  # the simulation's start state
    load_institutions(path=None) -> Institutions  # membership timelines, .members(inst, date)
    actors() -> list[Actor]; resolve_country(name) -> ISO alpha-3

See docs/world.md.
"""

from heartland.world.actors import Actor, actors, resolve_country
from heartland.world.axes import DOMAINS, PATRONS, TARGETS
from heartland.world.build import (TIE_TARGETS, TieArrays, World, WorldParams, build_world, latest_evidence_year,
                                   simulation_start, world_arrays)
from heartland.world.institutions import Institutions, Membership, load_institutions
from heartland.world.precedence import PrecedenceParams, combine
from heartland.world.capability import capability_intervals, capability_measures, capability_notes

__all__ = ["Actor", "actors", "resolve_country", "DOMAINS", "PATRONS", "TARGETS", "TIE_TARGETS", "TieArrays",
           "World", "WorldParams", "build_world", "world_arrays", "simulation_start", "latest_evidence_year", "Institutions", "Membership",
           "load_institutions", "PrecedenceParams", "combine"]
__all__ += ["capability_measures", "capability_intervals", "capability_notes"]
