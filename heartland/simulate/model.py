"""The model core: one vectorised step of the regional system for a whole ensemble.

Every array has the ensemble's runs as its first axis, then ``(patron, target, domain)``
(see :mod:`heartland.world.axes`). Equations and parameters are in docs/simulate.md; the
comments here point at the equation numbers used there.

Influence is computed by :func:`heartland.measure.domain_influence` and
:func:`heartland.measure.overall_influence` on each step's state — never re-implemented.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from heartland.measure.indices import domain_influence, overall_influence
from heartland.world.axes import DOMAINS, PATRONS, TARGETS

P, T, D = len(PATRONS), len(TARGETS), len(DOMAINS)
CHN, RUS = PATRONS.index("CHN"), PATRONS.index("RUS")
SEC, ECO, CON, POL, SOC = (DOMAINS.index(d) for d in ("security", "economy", "connectivity", "politics", "society"))
IS_SEC = np.zeros(D)
IS_SEC[SEC] = 1.0
IS_ECO = np.zeros(D)
IS_ECO[ECO] = 1.0
#: which patrons grow at which growth parameter
GROWTH_PARAM = {"CHN": "growth_chn", "RUS": "growth_rus", "USA": "growth_west", "EUU": "growth_west",
                "TUR": "growth_other", "IND": "growth_other"}
#: share of economic influence converted into each domain's bandwidth (eq. 9)
CONVERSION_SPLIT = np.array([0.5, 0.0, 0.0, 1.0, 0.0])  # security half rate, politics full rate
EFFORT_FLOOR = 1e-3  # keeps log(E/E0) finite for patrons with no presence
LEAD_WIDTH = 0.05  # softness of "who leads" in the coordination term (share units)
MIN_SHARE = 1e-5
MIN_OUTSIDE = 0.02
ALL_PATRONS_HEDGED = False


@dataclass
class Context:
    """What stays fixed during a run: parameters per run, the start state, calibration."""

    t0: float
    dt: float
    params: dict[str, np.ndarray]  # name -> (R,)
    S0: np.ndarray  # (R,P,T,D) start dependence (shares)
    B0: np.ndarray  # (R,P,T,D) start bandwidth
    alliance: np.ndarray  # (P,T)
    union: np.ndarray  # (P,T)
    K0: np.ndarray = field(init=False)  # (R,P,D) start capacity
    E0: np.ndarray = field(init=False)  # (R,P,T,D) start effort
    xi: np.ndarray = field(init=False)  # (R,P,T,D) calibrated attractiveness (eq. 6)

    @property
    def runs(self) -> int:
        return self.S0.shape[0]

    def p(self, name: str) -> np.ndarray:
        """A per-run parameter shaped to broadcast against (R, ...) arrays: (R,1,1,1)."""
        return self.params[name][:, None, None, None]


@dataclass
class State:
    t: float
    G: np.ndarray  # (R,P) accumulated log growth
    L: np.ndarray  # (R,P,D) accumulated log loss (war, sanctions), recovers after war
    S: np.ndarray  # (R,P,T,D) dependence = the target's share of reliance on the patron
    B: np.ndarray  # (R,P,T,D) bandwidth = volume of ties
    X: np.ndarray  # (R,P,T,D) conversion stock (bandwidth from converted economic weight)
    aff: np.ndarray  # (R,P,T) affinity given by shocks (rescue gratitude), fades
    offer: np.ndarray  # (R,P,T,D) utility added by standing shocks (leverage, corridors)
    instab: np.ndarray  # (R,T) internal instability
    war: np.ndarray  # (R,P) 1 while at war
    postwar: np.ndarray  # (R,P) 1 after a war has ended (reassertion applies)
    drag: np.ndarray  # (R,P) extra yearly economic loss (sanctions)
    kappa: np.ndarray  # (R,) coordination strength of the China-Russia partnership
    crises: np.ndarray  # (R,) count of crises
    interventions: np.ndarray  # (R,) count of alliance interventions
    K: np.ndarray = field(default=None)  # (R,P,D) capacity, derived


def growth_rates(params: dict[str, np.ndarray]) -> np.ndarray:
    """(R,P) growth per patron from the growth parameters."""
    return np.stack([params[GROWTH_PARAM[p]] for p in PATRONS], axis=1)


def capacity(ctx: Context, st: State) -> np.ndarray:
    """Eq. 1: K = K0 exp(G - L)."""
    return ctx.K0 * np.exp(st.G[:, :, None] - st.L)


def _lead(S: np.ndarray) -> np.ndarray:
    """Soft indicator (R,T,D) that Russia leads China in a (target, domain)."""
    z = (S[:, RUS] - S[:, CHN]) / LEAD_WIDTH
    return 0.5 * (1.0 + np.tanh(0.5 * z))  # logistic, overflow-free


def effort(ctx: Context, st: State, K: np.ndarray) -> np.ndarray:
    """Eqs. 2-4: priority x expected return, normalised over targets, times capacity and coordination."""
    elapsed = st.t - ctx.t0
    prio = 1.0 + ctx.alliance[None, :, :, None] * IS_SEC + ctx.union[None, :, :, None] * IS_ECO
    boost = np.ones((ctx.runs, P, D))
    boost[:, :, SEC] += ctx.params["reassertion"][:, None] * st.postwar
    boost[:, CHN, SEC] *= np.exp(ctx.params["security_ambition_chn"] * elapsed)
    ret = 1.0 + ctx.p("return_weight") * st.instab[:, None, :, None] * IS_SEC
    w = prio * ret
    a = w / w.sum(axis=2, keepdims=True)
    lead_r = _lead(st.S)  # (R,T,D)
    kappa = st.kappa[:, None, None]
    coord = np.ones_like(st.S)
    coord[:, CHN] = 1.0 - kappa * lead_r
    coord[:, RUS] = 1.0 - kappa * (1.0 - lead_r)
    return (K * boost)[:, :, None, :] * a * coord


def offer_share(E: np.ndarray) -> np.ndarray:
    """Eq. 5: a patron's share of all the effort offered to a (target, domain)."""
    return (E + EFFORT_FLOOR) / (E.sum(axis=1, keepdims=True) + EFFORT_FLOOR)


def hedging_excess(ctx: Context, S: np.ndarray) -> np.ndarray:
    """Eq. 6a: how far the leading patron's share is past what the target tolerates.

    A target hedges against its dominant partner (multi-vector diplomacy): only the
    patron with the largest share in a (target, domain) is penalised, and only for the part
    of its share above max(tolerance, its start share) — dependence already in place when
    the run starts (arms lock-in, pipelines) is tolerated, further growth is resisted.
    """
    top = 1.0 if ALL_PATRONS_HEDGED else (S == S.max(axis=1, keepdims=True))
    return top * np.maximum(S - np.maximum(ctx.p("hedging_tolerance"), ctx.S0), 0.0)


def utility(ctx: Context, st: State, E: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Eqs. 5-7: each patron's utility to each target per domain, and going without (U0)."""
    U = (ctx.xi
         + ctx.p("effort_weight") * np.log(offer_share(E) / offer_share(ctx.E0))
         + ctx.p("bandwidth_weight") * st.B
         + st.aff[:, :, :, None]
         + st.offer
         + ctx.p("alliance_weight") * (ctx.alliance[None] * able(ctx, st)[:, :, None] * st.instab[:, None, :])[..., None] * IS_SEC
         - ctx.p("hedging_penalty") * hedging_excess(ctx, st.S))
    U0 = -ctx.params["security_demand"][:, None, None] * st.instab[:, :, None] * IS_SEC  # (R,T,D)
    return U, U0


def choice(beta: np.ndarray, U: np.ndarray, U0: np.ndarray) -> np.ndarray:
    """Eq. 7: logit shares with an outside option; per (target, domain) they sum to < 1."""
    z = beta * U
    z0 = beta[:, 0] * U0  # (R,T,D)
    m = np.maximum(z.max(axis=1), z0)
    ez = np.exp(z - m[:, None])
    return ez / (np.exp(z0 - m) + ez.sum(axis=1))[:, None]


def calibrate(ctx: Context) -> None:
    """Fix K0, E0 and xi so that the start world is a rest point of the dynamics (eq. 6)."""
    ctx.K0 = np.maximum(ctx.B0.sum(axis=2), EFFORT_FLOOR)  # capacity = ties held at the start
    st = initial_state(ctx)
    ctx.E0 = effort(ctx, st, ctx.K0)
    ctx.xi = np.zeros_like(ctx.S0)
    U, U0 = utility(ctx, st, ctx.E0)
    s = np.maximum(ctx.S0, MIN_SHARE)
    outside = np.maximum(1.0 - s.sum(axis=1), MIN_OUTSIDE)  # (R,T,D)
    beta = ctx.p("choice_sharpness")
    ctx.xi = (np.log(s) - np.log(outside)[:, None]) / beta - (U - U0[:, None])


def initial_state(ctx: Context) -> State:
    R = ctx.runs
    return State(
        t=ctx.t0, G=np.zeros((R, P)), L=np.zeros((R, P, D)), S=ctx.S0.copy(), B=ctx.B0.copy(),
        X=np.zeros((R, P, T, D)), aff=np.zeros((R, P, T)), offer=np.zeros((R, P, T, D)),
        instab=np.zeros((R, T)), war=np.zeros((R, P)), postwar=np.zeros((R, P)), drag=np.zeros((R, P)),
        kappa=ctx.params["coordination"].copy(), crises=np.zeros(R), interventions=np.zeros(R),
        K=ctx.K0.copy(),
    )


def able(ctx: Context, st: State) -> np.ndarray:
    """(R,P) 1 where a patron's security capacity is still at least the intervention threshold."""
    return ((st.K[:, :, SEC] / ctx.K0[:, :, SEC]) >= ctx.params["intervention_threshold"][:, None]).astype(float)


def crisis(ctx: Context, st: State, hit: np.ndarray, intensity: np.ndarray, intervene: bool = True) -> None:
    """A domestic crisis in targets ``hit`` (R,T bool); the alliance patron intervenes if able.

    Template: Kazakhstan, January 2022 — the CSTO (Russia-led) deployed within days and
    left within two weeks; China issued statements only (seeds 000, 004).
    """
    hit = hit.astype(float)
    st.instab += hit * intensity
    st.crises += hit.sum(axis=1)
    if not intervene:
        return
    able_ = able(ctx, st)
    rescue = hit[:, None, :] * ctx.alliance[None] * able_[:, :, None]  # (R,P,T)
    st.aff += rescue * ctx.params["rescue_gratitude"][:, None, None]
    st.interventions += rescue.max(axis=1).sum(axis=1)


def substeps(ctx: Context) -> int:
    """Eq. 8a: sub-steps n so that the share update keeps order: (1 - k) >= k m, k = 1 - exp(-a dt / n).

    m = beta lambda / 4 bounds how fast a target's desired share falls as its current share
    rises (the hedging penalty). One value for the whole ensemble, so runs stay in lockstep.
    """
    pr = ctx.params
    m_ = pr["choice_sharpness"] * pr["hedging_penalty"] / 4.0
    k_max = 1.0 / (1.0 + m_)
    n = pr["adjustment_rate"] * ctx.dt / -np.log1p(-k_max)
    return max(1, int(np.ceil(n.max())))


def step(ctx: Context, st: State, u_crisis: np.ndarray) -> State:
    """Advance every run by ``ctx.dt`` years (scheduled shocks are applied by the caller first)."""
    dt, pr = ctx.dt, ctx.params
    # stochastic crises (eq. 10): u_crisis (R,T) uniforms, drawn by the caller for reproducibility
    hazard = 1.0 - np.exp(-pr["crisis_hazard"][:, None] * dt)
    crisis(ctx, st, u_crisis < hazard, pr["crisis_intensity"][:, None])
    # capacity (eq. 1)
    st.G += growth_rates(pr) * dt
    drain = np.zeros((ctx.runs, P, D))
    drain[:, :, SEC] = pr["war_drain_security"][:, None] * st.war
    drain[:, :, ECO] = pr["war_drain_economy"][:, None] * st.war + st.drag
    recover = pr["war_recovery"][:, None, None] * (1.0 - st.war[:, :, None])
    st.L = st.L * np.exp(-recover * dt) + drain * dt
    st.K = capacity(ctx, st)
    # allocation and the targets' response (eqs. 2-8), in sub-steps small enough that the
    # hedging penalty's negative feedback cannot overshoot (eq. 8a)
    n_sub = substeps(ctx)
    k_s = 1.0 - np.exp(-ctx.p("adjustment_rate") * dt / n_sub)
    for _ in range(n_sub):
        E = effort(ctx, st, st.K)
        U, U0 = utility(ctx, st, E)
        S_star = choice(ctx.p("choice_sharpness"), U, U0)
        st.S = st.S + k_s * (S_star - st.S)
    # conversion (eq. 9): economic influence feeds political and security bandwidth
    infl = domain_influence(st.B, st.S)
    conv = np.zeros((ctx.runs, P))
    conv[:, CHN], conv[:, RUS] = pr["conversion_chn"], pr["conversion_rus"]
    st.X += conv[:, :, None, None] * infl[:, :, :, ECO][..., None] * CONVERSION_SPLIT * dt
    # bandwidth follows effort (eq. 8)
    ratio = (E + EFFORT_FLOOR) / (ctx.E0 + EFFORT_FLOOR)
    B_star = np.clip(ctx.B0 * ratio ** ctx.p("effort_elasticity") + st.X, 0.0, 1.0)
    k_b = 1.0 - np.exp(-ctx.p("bandwidth_rate") * dt)
    st.B = st.B + k_b * (B_star - st.B)
    # fading (eq. 11)
    st.aff *= np.exp(-pr["affinity_decay"] * dt)[:, None, None]
    st.instab *= np.exp(-pr["instability_decay"] * dt)[:, None]
    st.t = st.t + dt
    return st


def observe(st: State) -> dict[str, np.ndarray]:
    """The recorded outcomes of a state, indices from heartland.measure."""
    infl = domain_influence(st.B, st.S)
    return {
        "share": st.S,
        "bandwidth": st.B,
        "influence": infl,
        "overall": overall_influence(infl),
        "capacity": st.K,
    }
