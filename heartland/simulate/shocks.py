"""Dated shocks and their effects on the ensemble state.

A shock fires in a run when its date (one per run when the date is a distribution)
falls in ``(t, t + dt]``. Shocks dated at or before the start year set *standing*
conditions (a war under way, sanctions in force, a leverage regime, the partnership's
coordination) but their one-off impulses (crises, attacks, corridor openings) are
already in the start world and are not applied again.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from heartland.simulate import model as m
from heartland.simulate.distributions import _Dist
from heartland.simulate.scenario import (Attack, CorridorOpen, Crisis, Leverage, Offer, Partnership, Sanctions,
                                          WarEnd, WarStart, Withdrawal, date_to_year)
from heartland.world.axes import DOMAINS, PATRONS, TARGETS

STANDING = (WarStart, WarEnd, Sanctions, Leverage, Partnership, Offer)


@dataclass
class Scheduled:
    spec: object
    time: np.ndarray  # (R,) year at which it fires
    values: dict  # field -> (R,) for numeric fields given as distributions

    def value(self, name: str, default: np.ndarray) -> np.ndarray:
        v = getattr(self.spec, name)
        if v is None:
            return default
        return self.values.get(name, np.full(len(self.time), v, dtype=float) if not isinstance(v, _Dist) else None)


def schedule(shocks, rng: np.random.Generator, runs: int, common: bool = False) -> list[Scheduled]:
    """Dates (and any numeric field given as a distribution) drawn per run, in file order.

    ``common``: one draw shared by every run (sensitivity analysis: common random numbers).
    """
    out = []
    n = 1 if common else runs
    for s in shocks:
        if isinstance(s.date, (str, int, float)):
            time = np.full(runs, date_to_year(s.date))
        else:
            time = np.broadcast_to(s.date.sample(rng, n), (runs,)).copy()
        values = {k: np.broadcast_to(v.sample(rng, n), (runs,)).copy() for k, v in s if isinstance(v, _Dist)}
        out.append(Scheduled(s, time, values))
    return out


def _tmask(targets) -> np.ndarray:
    mask = np.zeros(len(TARGETS))
    for t in targets:
        mask[TARGETS.index(t)] = 1.0
    return mask


def _dmask(domains) -> np.ndarray:
    mask = np.zeros(len(DOMAINS))
    for d in domains:
        mask[DOMAINS.index(d)] = 1.0
    return mask


def apply(sh: Scheduled, ctx: m.Context, st: m.State, fire: np.ndarray, standing_only: bool = False) -> None:
    """Apply one shock in the runs where ``fire`` (R,) is true."""
    s = sh.spec
    f = fire.astype(float)
    if standing_only and not isinstance(s, STANDING):
        return
    if isinstance(s, WarEnd):
        p = PATRONS.index(s.patron)
        st.postwar[:, p] = np.maximum(st.postwar[:, p], f * st.war[:, p])
        st.war[:, p] *= 1.0 - f
    elif isinstance(s, WarStart):
        p = PATRONS.index(s.patron)
        st.war[:, p] = np.maximum(st.war[:, p], f)
    elif isinstance(s, Sanctions):
        p = PATRONS.index(s.patron)
        if s.drag is not None:
            st.drag[:, p] = np.where(fire, s.drag, st.drag[:, p])
        if not standing_only:
            st.L[:, p, m.ECO] -= f * np.log(s.level)
    elif isinstance(s, Partnership):
        st.kappa = np.where(fire, s.coordination, st.kappa)
    elif isinstance(s, (Leverage, Offer)):
        p = PATRONS.index(s.patron)
        if isinstance(s, Leverage):
            tm = _tmask(s.targets) if s.targets else ctx.union[p]
            strength = sh.value("strength", ctx.params["gas_leverage"])
        else:
            tm, strength = _tmask(s.targets), sh.value("utility", None)
        st.offer[:, p] += (f * strength)[:, None, None] * tm[:, None] * _dmask(s.domains)
    elif isinstance(s, Crisis):
        intensity = sh.value("intensity", ctx.params["crisis_intensity"])
        hit = fire[:, None] & (_tmask(s.targets) > 0)[None, :]
        m.crisis(ctx, st, hit, intensity[:, None], intervene=s.intervention)
    elif isinstance(s, Attack):
        st.instab += (f * s.intensity)[:, None] * _tmask(s.targets)
        if s.patron is not None and s.credibility_loss > 0:
            p = PATRONS.index(s.patron)
            st.L[:, p, m.SEC] -= f * np.log1p(-s.credibility_loss)
    elif isinstance(s, CorridorOpen):
        tm = _tmask(s.targets)
        for name in s.patrons:
            p = PATRONS.index(name)
            st.X[:, p, :, m.CON] += (f * sh.value("boost", None))[:, None] * tm
    elif isinstance(s, Withdrawal):
        # The ties go at once (B) and the level the patron's effort sustains there falls by the
        # same share for good (B0 in eq. 8), so they do not grow back; a new array, not in place:
        # B0 may be shared with the caller's start world.
        p = PATRONS.index(s.patron)
        keep = 1.0 - f * np.clip(sh.value("fraction", None), 0.0, 1.0)  # (R,)
        mask = np.zeros(ctx.B0.shape[1:], dtype=bool)
        mask[p] = np.outer(_tmask(s.targets), _dmask(s.domains)) > 0
        factor = np.where(mask[None], keep[:, None, None, None], 1.0)
        st.B *= factor
        st.X *= factor
        ctx.B0 = ctx.B0 * factor
    else:  # pragma: no cover - the scenario schema lists every kind
        raise TypeError(f"unhandled shock {type(s).__name__}")
