"""heartland.world: the regional system as of a date.

Public face::

    build_world(conn_or_db=None, date=None, *, params=WorldParams(), ...) -> World
    world_arrays(world, year=None) -> TieArrays   # (patron, target, domain) arrays, low/high
    simulation_start(year=None, db=None) -> TieArrays  # the simulation's start state
    load_institutions(path=None) -> Institutions  # membership timelines, .members(inst, date)
    actors() -> list[Actor]; resolve_country(name) -> ISO alpha-3

See docs/world.md.
"""

from __future__ import annotations

from heartland import _lazy

# Names resolve on first use (heartland/_lazy.py) so that `heartland --help` stays fast.
__all__ = _lazy.install(__name__, {
    "Actor": "heartland.world.actors", "actors": "heartland.world.actors", "resolve_country": "heartland.world.actors",
    "DOMAINS": "heartland.world.axes", "PATRONS": "heartland.world.axes", "TARGETS": "heartland.world.axes",
    "TIE_TARGETS": "heartland.world.build", "TieArrays": "heartland.world.build", "World": "heartland.world.build", "WorldParams": "heartland.world.build", "build_world": "heartland.world.build", "latest_evidence_year": "heartland.world.build", "simulation_start": "heartland.world.build", "world_arrays": "heartland.world.build",
    "Institutions": "heartland.world.institutions", "Membership": "heartland.world.institutions", "load_institutions": "heartland.world.institutions",
    "PrecedenceParams": "heartland.world.precedence", "combine": "heartland.world.precedence",
    "capability_intervals": "heartland.world.capability", "capability_measures": "heartland.world.capability", "capability_notes": "heartland.world.capability",
})
