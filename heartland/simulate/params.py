"""The model's parameters: name, default, plausible range, meaning and evidence.

This table is the single source of truth: scenario validation, sensitivity analysis and
``docs/simulate.md`` all read it. A scenario may set any of these to a number or to a
distribution; the rest keep their defaults. ``evidence`` says where a value comes from,
or ``judgement`` where no published figure pins it down.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Param:
    name: str
    default: float
    low: float  # plausible range (used for validation warnings and default sensitivity bounds)
    high: float
    unit: str
    meaning: str
    evidence: str


SEED_000 = "seed 000 (VOA via secretchina, 2022-01-24)"
SEED_001 = "seed 001 (RFA, 2024-11-13)"
SEED_002 = "seed 002 (RFA, 2024-05-24)"
SEED_003 = "seed 003 (NYT Chinese, 2024-07-04)"
SEED_004 = "seed 004 (RFI, 2022-01-15)"

_P = [
    # --- patron capacity -------------------------------------------------------------------
    Param("growth_chn", 0.03, 0.0, 0.07, "1/yr",
          "Growth rate of China's capacity (every domain) to engage the region.",
          "judgement; China's economy kept growing while trade with the five rose 27% in 2023 "
          f"({SEED_002}), so regional capacity grows faster than the others'"),
    Param("growth_rus", 0.005, -0.03, 0.03, "1/yr",
          "Growth rate of Russia's capacity before war drain and sanctions.",
          "judgement"),
    Param("growth_west", 0.01, -0.02, 0.03, "1/yr",
          "Growth rate of the United States' and the European Union's capacity in the region.",
          "judgement"),
    Param("growth_other", 0.02, 0.0, 0.05, "1/yr",
          "Growth rate of Turkey's and India's capacity in the region.",
          f"judgement; India's unease grows as China rises ({SEED_003}, Pant)"),
    Param("war_drain_security", 0.02, 0.0, 0.15, "1/yr",
          "Rate at which a patron at war loses security capacity for the region.",
          f"Kendall-Taylor ({SEED_001}): Russia's resources go to the war, it may be unable to "
          "intervene through the CSTO as before; the magnitude is judgement"),
    Param("war_drain_economy", 0.01, 0.0, 0.08, "1/yr",
          "Rate at which a patron at war loses economic capacity for the region.",
          f"judgement; Russia leans on China to keep its economy going ({SEED_002}, {SEED_003})"),
    Param("war_recovery", 0.10, 0.0, 0.30, "1/yr",
          "After a war ends: share of the drained capacity regained per year.",
          "judgement"),
    Param("reassertion", 0.0, 0.0, 1.0, "1",
          "After a war ends: extra weight the patron puts on the security domain (priority x (1+r)).",
          f"Kendall-Taylor ({SEED_001}): after the war Russia may return to the traditional division "
          "of labour and take a harder line in security; the size is judgement"),
    Param("sanctions_drag", 0.0, 0.0, 0.05, "1/yr",
          "Extra yearly loss of Russia's economic capacity from sanctions (sanctions shocks change it).",
          "judgement"),
    # --- allocation and coordination -------------------------------------------------------
    Param("coordination", 0.3, 0.0, 1.0, "1",
          "Strength of the China-Russia partnership's coordination: the share of its effort a patron "
          "holds back in a domain the partner leads in that target.",
          f"Liik ({SEED_000}): each respects the other's lead; Gabuev ({SEED_003}): they cooperate "
          "to keep stable regimes; magnitude judgement"),
    Param("return_weight", 0.5, 0.0, 2.0, "1",
          "How strongly a patron moves security effort toward targets in crisis (per unit of instability).",
          "judgement"),
    Param("security_ambition_chn", 0.0, 0.0, 0.10, "1/yr",
          "Yearly growth of the weight China puts on security relative to its start allocation.",
          f"seed 000: China's security role in Tajikistan (border posts, police base, 2016 "
          f"four-country mechanism); Kendall-Taylor ({SEED_001}): China may play a bigger role; "
          "size judgement"),
    # --- target response -------------------------------------------------------------------
    Param("choice_sharpness", 3.0, 1.0, 8.0, "1",
          "beta: how sharply targets follow differences in what patrons offer (logit scale).",
          "judgement"),
    Param("effort_weight", 0.5, 0.0, 2.0, "1",
          "Utility per unit of log(patron's share of the effort offered to the target-domain / "
          "its share at the start).",
          "judgement"),
    Param("bandwidth_weight", 1.5, 0.0, 4.0, "1",
          "Utility per unit of existing ties (bandwidth) with the patron in that domain.",
          f"judgement; lock-in such as Soviet-era arms compatible with Russian parts ({SEED_002}, Jardine)"),
    Param("hedging_tolerance", 0.55, 0.3, 0.8, "share",
          "Share of a domain a target accepts from one patron before multi-vector hedging bites.",
          f"Levystone ({SEED_004}): Kazakhstan balances China, Russia, the West and its neighbours; "
          "the level is judgement"),
    Param("hedging_penalty", 2.0, 0.0, 5.0, "1",
          "Utility lost per unit of share above the hedging tolerance.",
          f"judgement; the five diversify away from Russia after 2022 ({SEED_002})"),
    Param("adjustment_rate", 0.35, 0.1, 0.8, "1/yr",
          "Speed at which a target's shares move toward the shares it wants (1/yr, exponential).",
          "judgement: ties take years to shift (arms systems, pipelines, migration)"),
    Param("bandwidth_rate", 0.25, 0.05, 0.6, "1/yr",
          "Speed at which bandwidth moves toward the level the effort sustains.",
          "judgement"),
    Param("effort_elasticity", 0.5, 0.1, 1.0, "1",
          "Elasticity of sustained bandwidth to effort: B* = B0 (E/E0)^eta.",
          "judgement"),
    # --- conversion -------------------------------------------------------------------------
    Param("conversion_chn", 0.0, 0.0, 0.30, "1/yr",
          "Rate at which China turns economic influence into political (full rate) and security "
          "(half rate) bandwidth.",
          f"Pifer ({SEED_000}): China will try to turn its economic investment into political "
          f"influence; Hess ({SEED_002}): how much converts is open; rate judgement"),
    Param("conversion_rus", 0.0, 0.0, 0.30, "1/yr",
          "The same conversion rate for Russia.", "judgement"),
    # --- instability, crises and interventions ----------------------------------------------
    Param("crisis_hazard", 0.03, 0.0, 0.10, "1/yr",
          "Yearly probability of a domestic crisis in each target (random, independent).",
          f"judgement; template: Kazakhstan, January 2022 ({SEED_000}, {SEED_004})"),
    Param("crisis_intensity", 1.0, 0.2, 2.0, "1",
          "Instability added by a crisis.", "judgement"),
    Param("instability_decay", 0.7, 0.2, 2.0, "1/yr",
          "Rate at which instability fades (exponential).",
          f"the CSTO force left Kazakhstan within about two weeks ({SEED_000}); judgement"),
    Param("security_demand", 1.0, 0.0, 3.0, "1",
          "How much instability raises a target's demand for an outside security provider "
          "(it lowers the utility of going without).",
          "judgement"),
    Param("alliance_weight", 1.0, 0.0, 3.0, "1",
          "Extra security utility of an alliance patron (CSTO) per unit of instability: troops come fast.",
          f"the CSTO's January 2022 deployment vs China's statements only ({SEED_000}, {SEED_004})"),
    Param("intervention_threshold", 0.75, 0.3, 1.0, "share",
          "An alliance patron intervenes in a member's crisis only if its security capacity is at "
          "least this share of its start level.",
          f"Kendall-Taylor ({SEED_001}): Russia may struggle to intervene via the CSTO; judgement"),
    Param("rescue_gratitude", 0.5, 0.0, 1.5, "1",
          "Affinity (utility in every domain) a target gives the patron that rescues it.",
          f"Levystone ({SEED_004}): may Kazakhstan tilt back to Russia?; Ryan ({SEED_000}): "
          "Tokayev will repay; size judgement"),
    Param("affinity_decay", 0.2, 0.0, 1.0, "1/yr",
          "Rate at which shock-given affinity fades.", "judgement"),
    # --- what the named drivers leave out -------------------------------------------------
    Param("utility_volatility", 0.0, 0.0, 1.5, "1/sqrt(yr)",
          "Size of the yearly random drift in each patron's utility to each target per domain (eq. 13): "
          "what moves ties beyond the model's named drivers (elections, deals, prices, measurement "
          "revisions). 0 = only the named drivers move the system.",
          "fitted (heartland calibrate) to the measured year-to-year changes of 2015-2020; the "
          "judgement default 0 keeps every movement traceable to a named driver"),
    # --- energy leverage --------------------------------------------------------------------
    Param("gas_leverage", 0.0, 0.0, 1.0, "1",
          "Utility Russia adds to its economic and political offer in EAEU members by controlling "
          "gas pricing (active while a leverage shock holds).",
          f"Yau and Ryan ({SEED_000}): through the EAEU Russia could set Kazakh gas prices like OPEC"),
]

PARAMS: dict[str, Param] = {p.name: p for p in _P}
PARAM_NAMES: tuple[str, ...] = tuple(PARAMS)


def defaults() -> dict[str, float]:
    return {p.name: p.default for p in _P}
