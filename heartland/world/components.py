"""From indicator values to the tie components of each domain: the mapping table.

Each row of :data:`COMPONENTS` says which indicator feeds which domain, on which side of
the FBIC product (``bandwidth``: volume of ties; ``dependence``: the target's reliance
on the patron), how it is scaled to 0..1 and with what weight. The same table is printed
in docs/world.md. Institution-based components (``inst_*``, ``alliance``) come from the
membership timelines, event counts (``*_events``, ``summits_visits``) from the store's
events table when extraction provides one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from heartland.world.axes import PATRONS, TARGETS
from heartland.world.institutions import Institutions


@dataclass(frozen=True)
class Component:
    domain: str
    side: str        # "bandwidth" or "dependence"
    indicator: str
    scale: str       # "share" (already 0..1), "log" (log over 3 decades below ref), "linear" (x/ref)
    ref: float       # value that scores 1.0
    weight: float


COMPONENTS: tuple[Component, ...] = (
    # security
    Component("security", "bandwidth", "arms_tiv", "log", 300.0, 1.0),
    Component("security", "bandwidth", "military_bases", "linear", 2.0, 1.0),
    Component("security", "bandwidth", "troops", "log", 10_000.0, 1.0),
    Component("security", "bandwidth", "inst_security", "linear", 1.0, 1.0),
    Component("security", "bandwidth", "security_events", "log", 5.0, 0.5),
    Component("security", "dependence", "arms_import_share", "share", 1.0, 2.0),
    Component("security", "dependence", "alliance", "share", 1.0, 1.0),
    # economy
    Component("economy", "bandwidth", "trade_bilateral", "log", 100.0, 2.0),
    Component("economy", "bandwidth", "fdi_stock", "log", 50.0, 1.0),
    Component("economy", "bandwidth", "fdi_cumulative", "log", 50.0, 1.0),
    Component("economy", "bandwidth", "fdi_inflow", "log", 10.0, 0.5),
    Component("economy", "bandwidth", "debt_stock", "log", 10.0, 0.5),
    Component("economy", "bandwidth", "energy_projects", "log", 50.0, 0.5),
    Component("economy", "bandwidth", "inst_economy", "linear", 1.0, 0.5),
    Component("economy", "dependence", "trade_share", "share", 1.0, 2.0),
    Component("economy", "dependence", "fdi_share", "share", 1.0, 1.0),
    Component("economy", "dependence", "debt_share", "share", 1.0, 1.0),
    # connectivity
    Component("connectivity", "bandwidth", "pipelines", "linear", 4.0, 1.0),
    Component("connectivity", "bandwidth", "rail_links", "linear", 4.0, 1.0),
    Component("connectivity", "bandwidth", "inst_connectivity", "linear", 1.0, 1.0),
    Component("connectivity", "bandwidth", "connectivity_events", "log", 5.0, 0.5),
    Component("connectivity", "dependence", "energy_export_share", "share", 1.0, 1.0),
    # The patron's share of the target's pipeline gas exports (Statistical Review).
    Component("connectivity", "dependence", "gas_export_share", "share", 1.0, 1.0),
    # politics
    Component("politics", "bandwidth", "inst_politics", "linear", 4.0, 1.0),
    Component("politics", "bandwidth", "summits_visits", "log", 6.0, 1.0),
    # society
    Component("society", "bandwidth", "migrant_workers", "log", 3_000_000.0, 1.0),
    # UN DESA migrant stock (persons born in the target living in the patron): the
    # population labour migration and remittances come from, published for 2010/2015/2019.
    Component("society", "bandwidth", "migrant_stock", "log", 3_000_000.0, 1.0),
    Component("society", "bandwidth", "remittances", "log", 10.0, 1.0),
    Component("society", "bandwidth", "students", "log", 50_000.0, 1.0),
    Component("society", "dependence", "remittance_share", "share", 1.0, 2.0),
    Component("society", "dependence", "migrant_share", "share", 1.0, 1.0),
)

#: Weight of each institution in the domains its shared membership ties two states in.
#: A dyad's ``inst_<domain>`` is the sum over institutions both hold a role in of
#: weight × the lesser of the two role weights (institutions.ROLE_WEIGHT).
INSTITUTION_DOMAINS: dict[str, dict[str, float]] = {
    "CSTO": {"security": 1.0, "politics": 1.0},
    "SCO": {"security": 0.5, "politics": 1.0},
    "QUAD4": {"security": 1.0},
    "EAEU": {"economy": 1.0, "politics": 1.0},
    "CIS": {"politics": 0.5},
    "BRICS": {"politics": 0.5},
    "C+C5": {"politics": 1.0},
    "R+C5": {"politics": 1.0},
    # Ministerial dialogue formats of the other patrons with the five (summits are rarer):
    # half the weight of the leaders' summit mechanisms above.
    "C5+1": {"politics": 0.5},
    "EU+C5": {"politics": 0.5},
    "I+C5": {"politics": 0.5},
    "BRI": {"connectivity": 1.0, "economy": 0.5},
    "OTS": {"politics": 1.0},
    "TITR": {"connectivity": 1.0},
    "INSTC": {"connectivity": 1.0},
}
#: Collective-defence treaties: sharing one in force makes ``alliance`` 1.
ALLIANCES = frozenset({"CSTO"})


def scale(values: np.ndarray, how: str, ref: float) -> np.ndarray:
    """Scale raw values to 0..1 (monotone, so interval bounds map to bounds)."""
    v = np.asarray(values, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        if how == "share":
            out = v
        elif how == "linear":
            out = v / ref
        elif how == "log":
            floor = ref / 1000.0
            out = np.log10(np.maximum(v, floor) / floor) / 3.0
        else:
            raise ValueError(how)
    return np.where(np.isnan(v), np.nan, np.clip(out, 0.0, 1.0))


def year_date(year: int, as_of: date) -> date:
    """The day a year's institutional state is read: 31 December, or the as-of date in its year."""
    return as_of if year == as_of.year else date(year, 12, 31)


def institution_components(inst: Institutions, years, as_of: date) -> pd.DataFrame:
    """``inst_<domain>`` and ``alliance`` for every patron × target × year (true zeros included).

    Membership lists are complete for the institutions they cover, so not sharing an
    institution is a known 0, not a missing figure.
    """
    rows = []
    for y in years:
        on = year_date(int(y), as_of)
        for p in PATRONS:
            for t in TARGETS:
                sums = {d: 0.0 for d in ("security", "economy", "connectivity", "politics")}
                alliance = 0.0
                srcs = []
                for ra, rb in inst.shared(p, t, on):
                    w = min(ra.weight, rb.weight)
                    for d, dw in INSTITUTION_DOMAINS.get(ra.institution, {}).items():
                        sums[d] += dw * w
                    if ra.institution in ALLIANCES and w >= 1.0:
                        alliance = 1.0
                    srcs.append(f"{ra.institution}")
                for d, v in sums.items():
                    rows.append((p, t, f"inst_{d}", int(y), v, ";".join(srcs)))
                rows.append((p, t, "alliance", int(y), alliance, ";".join(s for s in srcs if s in ALLIANCES)))
    return pd.DataFrame(rows, columns=["patron", "target", "indicator", "year", "value", "institutions"])
