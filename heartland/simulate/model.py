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

from heartland.measure import indices as mi
from heartland.measure.indices import domain_influence, overall_influence
from heartland.world.axes import DOMAINS, PATRONS, TARGETS

P, T, D = len(PATRONS), len(TARGETS), len(DOMAINS)
CHN, RUS = PATRONS.index("CHN"), PATRONS.index("RUS")
SEC, ECO, CON, POL, SOC = (DOMAINS.index(d) for d in ("security", "economy", "connectivity", "politics", "society"))
#: the dtype of the ensemble state: float32 halves memory traffic and doubles SIMD width;
#: shares need no more than its 7 significant digits (docs/simulate.md, "Numerics")
DTYPE = np.float32
IS_SEC = np.zeros(D, dtype=DTYPE)
IS_SEC[SEC] = 1.0
IS_ECO = np.zeros(D, dtype=DTYPE)
IS_ECO[ECO] = 1.0
#: which patrons grow at which growth parameter
GROWTH_PARAM = {"CHN": "growth_chn", "RUS": "growth_rus", "USA": "growth_west", "EUU": "growth_west",
                "TUR": "growth_other", "IND": "growth_other"}
#: share of economic influence converted into each domain's bandwidth (eq. 9)
CONVERSION_SPLIT = np.array([0.5, 0.0, 0.0, 1.0, 0.0], dtype=DTYPE)  # security half rate, politics full rate
EFFORT_FLOOR = 1e-3  # keeps log(E/E0) finite for patrons with no presence
LEAD_WIDTH = 0.05  # softness of "who leads" in the coordination term (share units)
MIN_SHARE = 1e-5
MIN_OUTSIDE = 0.02


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
    log_share0: np.ndarray | None = field(init=False, default=None)  # cache: log offer share at the start
    hedge_from: np.ndarray | None = field(init=False, default=None)  # cache: max(tolerance, max_p S0) (R,T,D)
    u_fixed: np.ndarray | None = field(init=False, default=None)  # cache: xi - w_e log(start offer share)
    log_E0: np.ndarray | None = field(init=False, default=None)  # cache: log(E0 + floor)
    #: at least this many sub-steps (eq. 8a): calibration fixes it at the prior's worst case so
    #: that a parameter vector's result does not depend on the vectors it shares a batch with
    min_substeps: int = 1

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
    #: (R,P,T,D) random drift of utilities (eq. 13); zero at the start, so the start stays a rest point
    drift: np.ndarray | None = None


def growth_rates(params: dict[str, np.ndarray]) -> np.ndarray:
    """(R,P) growth per patron from the growth parameters."""
    return np.stack([params[GROWTH_PARAM[p]] for p in PATRONS], axis=1)


def capacity(ctx: Context, st: State) -> np.ndarray:
    """Eq. 1: K = K0 exp(G - L)."""
    return ctx.K0 * np.exp(st.G[:, :, None] - st.L)


def sum_p(a: np.ndarray) -> np.ndarray:
    """Sum over the patron axis (axis 1) as a running sum of slices: ~2.5x faster than a.sum(axis=1)
    for six patrons, and the same order a plain Python loop adds them in."""
    out = a[:, 0].copy()
    for i in range(1, a.shape[1]):
        out += a[:, i]
    return out


def max_p(a: np.ndarray) -> np.ndarray:
    """Maximum over the patron axis (axis 1), by slices (see :func:`sum_p`)."""
    out = a[:, 0].copy()
    for i in range(1, a.shape[1]):
        np.maximum(out, a[:, i], out=out)
    return out


def _lead(S: np.ndarray) -> np.ndarray:
    """Soft indicator (R,T,D) that Russia leads China in a (target, domain)."""
    z = (S[:, RUS] - S[:, CHN]) / LEAD_WIDTH
    return 0.5 * (1.0 + np.tanh(0.5 * z))  # logistic, overflow-free


def effort(ctx: Context, st: State, K: np.ndarray) -> np.ndarray:
    """Eqs. 2-4: priority x expected return, normalised over targets, times capacity and coordination."""
    elapsed = st.t - ctx.t0
    prio = 1.0 + ctx.alliance[None, :, :, None] * IS_SEC + ctx.union[None, :, :, None] * IS_ECO  # (1,P,T,D)
    boost = np.ones((ctx.runs, P, D), dtype=DTYPE)
    boost[:, :, SEC] += ctx.params["reassertion"][:, None] * st.postwar
    boost[:, CHN, SEC] *= np.exp(ctx.params["security_ambition_chn"] * elapsed)
    # expected return only differs in security (instability); other domains keep the priority split
    KB = (K * boost)[:, :, None, :]  # (R,P,1,D)
    E = KB * (prio / prio.sum(axis=2, keepdims=True))
    w_sec = prio[..., SEC] * (1.0 + ctx.params["return_weight"][:, None, None] * st.instab[:, None, :])  # (R,P,T)
    E[..., SEC] = KB[..., SEC] * (w_sec / w_sec.sum(axis=2, keepdims=True))
    lead_r = _lead(st.S)  # (R,T,D)
    kappa = st.kappa[:, None, None]
    E[:, CHN] *= 1.0 - kappa * lead_r
    E[:, RUS] *= 1.0 - kappa * (1.0 - lead_r)
    return E


def offer_share(E: np.ndarray) -> np.ndarray:
    """Eq. 5: a patron's share of all the effort offered to a (target, domain)."""
    return (E + EFFORT_FLOOR) / (E.sum(axis=1, keepdims=True) + EFFORT_FLOOR)


def log_offer_share(E: np.ndarray, log_E: np.ndarray) -> np.ndarray:
    """log of eq. 5 from log(E + floor): one full-size log per call instead of a division and a log."""
    out = log_E.copy()
    out -= np.log(sum_p(E) + EFFORT_FLOOR)[:, None]
    return out


def hedging_excess(ctx: Context, S: np.ndarray) -> np.ndarray:
    """Eq. 6a: how far the leading patron's share is past what the target tolerates.

    A target hedges against its dominant partner (multi-vector diplomacy): only the
    patron with the largest share in a (target, domain) is penalised, and only for the part
    of its share above max(tolerance, the largest share at the start) — the dominance
    already in place when the run starts (arms lock-in, pipelines) is tolerated, further
    concentration on one patron is resisted. Returns (mask of the leader(s), excess (R,T,D)).
    """
    top = max_p(S)  # (R,T,D)
    if ctx.hedge_from is None:
        ctx.hedge_from = np.maximum(ctx.params["hedging_tolerance"][:, None, None], ctx.S0.max(axis=1))
    return S == top[:, None], np.maximum(top - ctx.hedge_from, 0.0)


def apply_hedging(ctx: Context, U: np.ndarray, S: np.ndarray) -> np.ndarray:
    """Eq. 6b: subtract lambda x excess from the leading patron's utility (in place; returns U)."""
    leader, excess = hedging_excess(ctx, S)
    U -= leader * (ctx.params["hedging_penalty"][:, None, None] * excess)[:, None]
    return U


def utility(ctx: Context, st: State, E: np.ndarray, log_E: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Eqs. 5-7: each patron's utility to each target per domain, and going without (U0).

    ``log_E`` = log(E + floor) when the caller has it (it is reused for the bandwidth update).
    """
    if ctx.log_share0 is None:
        ctx.log_share0 = np.log(offer_share(ctx.E0))
        # the parts of U fixed for the run: xi - w_e log(share at start)
        ctx.u_fixed = ctx.xi - ctx.p("effort_weight") * ctx.log_share0
    if log_E is None:
        log_E = np.log(E + EFFORT_FLOOR)
    w_e = ctx.p("effort_weight")
    U = w_e * log_E
    U -= w_e * np.log(sum_p(E) + EFFORT_FLOOR)[:, None]  # w_e log(offer share), eq. 5
    U += ctx.u_fixed
    U += ctx.p("bandwidth_weight") * st.B
    if st.aff.any():
        U += st.aff[:, :, :, None]
    if st.offer.any():
        U += st.offer
    if st.drift is not None:
        U += st.drift
    U[..., SEC] += (ctx.params["alliance_weight"][:, None, None] * ctx.alliance[None] * able(ctx, st)[:, :, None]
                    * st.instab[:, None, :])
    apply_hedging(ctx, U, st.S)
    U0 = -ctx.params["security_demand"][:, None, None] * st.instab[:, :, None] * IS_SEC  # (R,T,D)
    return U, U0


def choice(beta: np.ndarray, U: np.ndarray, U0: np.ndarray) -> np.ndarray:
    """Eq. 7: logit shares with an outside option; per (target, domain) they sum to < 1."""
    z = beta * U
    z0 = beta[:, 0] * U0  # (R,T,D)
    m = np.maximum(max_p(z), z0)
    z -= m[:, None]
    ez = np.exp(z, out=z)
    ez /= (np.exp(z0 - m) + sum_p(ez))[:, None]
    return ez


def calibrate(ctx: Context) -> None:
    """Fix K0, E0 and xi so that the start world is a rest point of the dynamics (eq. 6)."""
    ctx.K0 = np.maximum(ctx.B0.sum(axis=2), EFFORT_FLOOR)  # capacity = ties held at the start
    st = initial_state(ctx)
    ctx.E0 = effort(ctx, st, ctx.K0)
    ctx.log_share0 = ctx.log_E0 = None
    ctx.xi = np.zeros_like(ctx.S0)
    U, U0 = utility(ctx, st, ctx.E0)
    s = np.maximum(ctx.S0, MIN_SHARE)
    outside = np.maximum(1.0 - s.sum(axis=1), MIN_OUTSIDE)  # (R,T,D)
    beta = ctx.p("choice_sharpness")
    ctx.xi = (np.log(s) - np.log(outside)[:, None]) / beta - (U - U0[:, None])
    ctx.log_share0 = None  # so the cached fixed part of U is rebuilt with the calibrated xi


def initial_state(ctx: Context) -> State:
    R = ctx.runs
    z = lambda *shape: np.zeros(shape, dtype=DTYPE)  # noqa: E731
    return State(
        t=ctx.t0, G=z(R, P), L=z(R, P, D), S=ctx.S0.copy(), B=ctx.B0.copy(),
        X=z(R, P, T, D), aff=z(R, P, T), offer=z(R, P, T, D),
        instab=z(R, T), war=z(R, P), postwar=z(R, P), drag=z(R, P),
        kappa=ctx.params["coordination"].copy(), crises=np.zeros(R), interventions=np.zeros(R),
        K=ctx.K0.copy(),
    )


def able(ctx: Context, st: State) -> np.ndarray:
    """(R,P) 1 where a patron's security capacity is still at least the intervention threshold."""
    return ((st.K[:, :, SEC] / ctx.K0[:, :, SEC]) >= ctx.params["intervention_threshold"][:, None]).astype(DTYPE)


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


def substeps_bound(choice_sharpness: float, hedging_penalty: float, adjustment_rate: float, dt: float) -> int:
    """Eq. 8a's sub-step count for the given (largest) parameter values."""
    k_max = 1.0 / (1.0 + choice_sharpness * hedging_penalty / 4.0)
    return max(1, int(np.ceil(adjustment_rate * dt / -np.log1p(-k_max))))


def substeps(ctx: Context) -> int:
    """Eq. 8a: sub-steps n so that the share update keeps order: (1 - k) >= k m, k = 1 - exp(-a dt / n).

    m = beta lambda / 4 bounds how fast a target's desired share falls as its current share
    rises (the hedging penalty). One value for the whole ensemble, so runs stay in lockstep.
    """
    pr = ctx.params
    m_ = pr["choice_sharpness"] * pr["hedging_penalty"] / 4.0
    k_max = 1.0 / (1.0 + m_)
    n = pr["adjustment_rate"] * ctx.dt / -np.log1p(-k_max)
    return max(1, ctx.min_substeps, int(np.ceil(n.max())))


def step(ctx: Context, st: State, u_crisis: np.ndarray, z_drift: np.ndarray | None = None) -> State:
    """Advance every run by ``ctx.dt`` years (scheduled shocks are applied by the caller first).

    ``z_drift``: standard normals (R|1,P,T,D) for the utility drift (eq. 13), drawn by the
    caller; None when every run's ``utility_volatility`` is 0 (the drift stays absent).
    """
    dt, pr = ctx.dt, ctx.params
    # unmodelled drift (eq. 13): a random walk in utility, sd = volatility x sqrt(dt) per step
    if z_drift is not None:
        inc = ctx.p("utility_volatility") * np.sqrt(dt) * z_drift
        st.drift = inc.astype(DTYPE) if st.drift is None else st.drift + inc
    # stochastic crises (eq. 10): u_crisis (R,T) uniforms, drawn by the caller for reproducibility
    hazard = 1.0 - np.exp(-pr["crisis_hazard"][:, None] * dt)
    crisis(ctx, st, u_crisis < hazard, pr["crisis_intensity"][:, None])
    # capacity (eq. 1)
    st.G += growth_rates(pr) * dt
    drain = np.zeros((ctx.runs, P, D), dtype=DTYPE)
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
        log_E = np.log(E + EFFORT_FLOOR)
        U, U0 = utility(ctx, st, E, log_E)
        step_s = choice(ctx.p("choice_sharpness"), U, U0)  # S*, then turned into the step in place
        step_s -= st.S
        step_s *= k_s
        st.S += step_s
    # conversion (eq. 9): economic influence feeds political and security bandwidth
    conv = np.zeros((ctx.runs, P), dtype=DTYPE)
    conv[:, CHN], conv[:, RUS] = pr["conversion_chn"], pr["conversion_rus"]
    if conv.any():
        infl_eco = domain_influence(st.B[..., ECO], st.S[..., ECO])  # heartland.measure, economy slice
        st.X += (conv[:, :, None] * infl_eco * dt)[..., None] * CONVERSION_SPLIT
    # bandwidth follows effort (eq. 8)
    # (in place on log_E's buffer: B* = clip(B0 exp(eta log(E/E0)) + X, 0, 1), then B += k_b (B* - B))
    if ctx.log_E0 is None:
        ctx.log_E0 = np.log(ctx.E0 + EFFORT_FLOOR)
    step_b = log_E
    step_b -= ctx.log_E0
    step_b *= ctx.p("effort_elasticity")
    np.exp(step_b, out=step_b)
    step_b *= ctx.B0
    step_b += st.X
    np.clip(step_b, 0.0, 1.0, out=step_b)
    step_b -= st.B
    step_b *= 1.0 - np.exp(-ctx.p("bandwidth_rate") * dt)
    st.B += step_b
    # fading (eq. 11)
    st.aff *= np.exp(-pr["affinity_decay"] * dt)[:, None, None]
    st.instab *= np.exp(-pr["instability_decay"] * dt)[:, None]
    st.t = st.t + dt
    return st


def observe(st: State) -> dict[str, np.ndarray]:
    """The state recorded at each step (indices are added by :func:`indices`)."""
    return {"share": st.S, "bandwidth": st.B, "capacity": st.K}


def indices(recorded: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """The measure stage's indices on every step's state at once (runs, steps leading).

    influence (R,n,P,T,D) and overall (R,n,P,T) after FBIC; division_of_labour (R,n,T);
    parity = China/Russia regional capability (R,n,D); dissatisfaction (R,n); friction
    (R,n) from encroachment (step to step) and corridor competition — the expert-quote
    part of the measure stage's friction has no counterpart in a simulation and is left
    out (NaN), which its weighted mean allows.
    """
    infl = domain_influence(recorded["bandwidth"], recorded["share"])
    with np.errstate(invalid="ignore", divide="ignore"):
        enc = mi.encroachment(infl)
        corr = mi.corridor_competition(recorded["bandwidth"])
        return {
            "influence": infl,
            "overall": overall_influence(infl),
            "division_of_labour": mi.division_of_labour(infl),
            "parity": mi.parity_ratio(mi.regional_capability(infl)),
            "dissatisfaction": mi.dissatisfaction(infl),
            "friction": mi.friction_index(enc, corr, np.full(enc.shape, np.nan)),
        }
