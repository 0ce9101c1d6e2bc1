"""The simulation model written the straightforward way: one Mesa agent per country.

For the benchmark only (bench/simulate.py). Same equations as heartland/simulate/model.py
(docs/simulate.md), one run at a time, plain Python floats and loops — what a modeller
would write first with an agent-based framework. The start-world calibration (K0, E0, xi)
is taken from the vectorised code for a one-run context so both start identically; the
benchmark checks that both produce the same trajectories before timing them.
"""

from __future__ import annotations

import math

import mesa
import numpy as np

from heartland.simulate import model as vm

P, T, D = vm.P, vm.T, vm.D
SEC, ECO, CON, POL = vm.SEC, vm.ECO, vm.CON, vm.POL
CHN, RUS = vm.CHN, vm.RUS
GROWTH = [vm.GROWTH_PARAM[p] for p in vm.PATRONS]
SPLIT = list(vm.CONVERSION_SPLIT)


class Patron(mesa.Agent):
    def __init__(self, model, p: int):
        super().__init__(model)
        self.p = p
        self.G = 0.0
        self.L = [0.0] * D
        self.K = [model.K0[p][d] for d in range(D)]
        self.war = model.war0[p]
        self.E = [[0.0] * D for _ in range(T)]

    def update_capacity(self):
        m, pr = self.model, self.model.pr
        self.G += pr[GROWTH[self.p]] * m.dt
        for d in range(D):
            drain = 0.0
            if d == SEC:
                drain = pr["war_drain_security"] * self.war
            elif d == ECO:
                drain = pr["war_drain_economy"] * self.war
            recover = pr["war_recovery"] * (1.0 - self.war)
            self.L[d] = self.L[d] * math.exp(-recover * m.dt) + drain * m.dt
            self.K[d] = m.K0[self.p][d] * math.exp(self.G - self.L[d])

    def allocate(self):
        m, pr = self.model, self.model.pr
        elapsed = m.t - m.t0
        for d in range(D):
            boost = 1.0
            if d == SEC and self.p == CHN:
                boost *= math.exp(pr["security_ambition_chn"] * elapsed)
            w = []
            for t in range(T):
                tgt = m.targets[t]
                prio = 1.0 + m.alliance[self.p][t] * (d == SEC) + m.union[self.p][t] * (d == ECO)
                ret = 1.0 + pr["return_weight"] * tgt.instab * (d == SEC)
                w.append(prio * ret)
            total = sum(w)
            for t in range(T):
                S = m.targets[t].S
                lead_r = 0.5 * (1.0 + math.tanh(0.5 * (S[RUS][d] - S[CHN][d]) / vm.LEAD_WIDTH))
                coord = 1.0
                if self.p == CHN:
                    coord = 1.0 - m.kappa * lead_r
                elif self.p == RUS:
                    coord = 1.0 - m.kappa * (1.0 - lead_r)
                self.E[t][d] = self.K[d] * boost * (w[t] / total) * coord


class Target(mesa.Agent):
    def __init__(self, model, t: int):
        super().__init__(model)
        self.t = t
        self.S = [[model.S0[p][t][d] for d in range(D)] for p in range(P)]
        self.B = [[model.B0[p][t][d] for d in range(D)] for p in range(P)]
        self.X = [[0.0] * D for _ in range(P)]
        self.aff = [0.0] * P
        self.instab = 0.0

    def crisis(self, u: float):
        m, pr = self.model, self.model.pr
        if u < 1.0 - math.exp(-pr["crisis_hazard"] * m.dt):
            self.instab += pr["crisis_intensity"]
            for p in range(P):
                able = m.patrons[p].K[SEC] / m.K0[p][SEC] >= pr["intervention_threshold"]
                if m.alliance[p][self.t] and able:
                    self.aff[p] += pr["rescue_gratitude"]

    def respond(self, k_s: float):
        m, pr = self.model, self.model.pr
        t = self.t
        beta = pr["choice_sharpness"]
        new = [[0.0] * D for _ in range(P)]
        for d in range(D):
            offered = sum(m.patrons[p].E[t][d] for p in range(P))
            offered0 = sum(m.E0[p][t][d] for p in range(P))
            col = [self.S[p][d] for p in range(P)]
            top = max(col)
            tolerated = max(pr["hedging_tolerance"], max(m.S0[q][t][d] for q in range(P)))
            U = []
            for p in range(P):
                E = m.patrons[p].E[t][d]
                share_now = (E + vm.EFFORT_FLOOR) / (offered + vm.EFFORT_FLOOR)
                share0 = (m.E0[p][t][d] + vm.EFFORT_FLOOR) / (offered0 + vm.EFFORT_FLOOR)
                able = 1.0 if m.patrons[p].K[SEC] / m.K0[p][SEC] >= pr["intervention_threshold"] else 0.0
                u = (m.xi[p][t][d] + pr["effort_weight"] * math.log(share_now / share0)
                     + pr["bandwidth_weight"] * self.B[p][d] + self.aff[p]
                     + pr["alliance_weight"] * m.alliance[p][t] * able * self.instab * (d == SEC))
                if self.S[p][d] == top:
                    u -= pr["hedging_penalty"] * max(top - tolerated, 0.0)
                U.append(u)
            u0 = -pr["security_demand"] * self.instab * (d == SEC)
            z = [beta * u for u in U]
            z0 = beta * u0
            mx = max(max(z), z0)
            ez = [math.exp(v - mx) for v in z]
            den = math.exp(z0 - mx) + sum(ez)
            for p in range(P):
                new[p][d] = self.S[p][d] + k_s * (ez[p] / den - self.S[p][d])
        self.S = new

    def grow_ties(self):
        m, pr = self.model, self.model.pr
        t = self.t
        conv = {CHN: pr["conversion_chn"], RUS: pr["conversion_rus"]}
        k_b = 1.0 - math.exp(-pr["bandwidth_rate"] * m.dt)
        for p in range(P):
            infl_eco = min(max(self.B[p][ECO], 0.0), 1.0) * min(max(self.S[p][ECO], 0.0), 1.0)
            c = conv.get(p, 0.0)
            for d in range(D):
                self.X[p][d] += c * infl_eco * SPLIT[d] * m.dt
                ratio = (m.patrons[p].E[t][d] + vm.EFFORT_FLOOR) / (m.E0[p][t][d] + vm.EFFORT_FLOOR)
                b_star = min(max(m.B0[p][t][d] * ratio ** pr["effort_elasticity"] + self.X[p][d], 0.0), 1.0)
                self.B[p][d] += k_b * (b_star - self.B[p][d])

    def fade(self):
        m, pr = self.model, self.model.pr
        self.aff = [a * math.exp(-pr["affinity_decay"] * m.dt) for a in self.aff]
        self.instab *= math.exp(-pr["instability_decay"] * m.dt)


class RegionModel(mesa.Model):
    """One run: patrons and targets as agents; ``u`` holds the crisis draws (steps, T)."""

    def __init__(self, ctx: vm.Context, run: int, war: list[float], u: np.ndarray, n_sub: int):
        super().__init__(seed=0)
        self.dt, self.t0, self.t = ctx.dt, ctx.t0, ctx.t0
        self.pr = {k: float(v[run]) for k, v in ctx.params.items()}
        self.K0 = ctx.K0[run].tolist()
        self.E0 = ctx.E0[run].tolist()
        self.xi = ctx.xi[run].tolist()
        self.S0 = ctx.S0[run].tolist()
        self.B0 = ctx.B0[run].tolist()
        self.alliance = ctx.alliance.tolist()
        self.union = ctx.union.tolist()
        self.kappa = self.pr["coordination"]
        self.war0 = war
        self.u = u.tolist()
        self.n_sub = n_sub
        self.k_s = 1.0 - math.exp(-self.pr["adjustment_rate"] * self.dt / n_sub)
        self.patrons = [Patron(self, p) for p in range(P)]
        self.targets = [Target(self, t) for t in range(T)]
        self.i = 0

    def step(self):
        for tgt in self.targets:
            tgt.crisis(self.u[self.i][tgt.t])
        for pat in self.patrons:
            pat.update_capacity()
        for _ in range(self.n_sub):
            for pat in self.patrons:
                pat.allocate()
            for tgt in self.targets:
                tgt.respond(self.k_s)
        for tgt in self.targets:
            tgt.grow_ties()
            tgt.fade()
        self.t += self.dt
        self.i += 1

    def shares(self) -> np.ndarray:
        return np.array([[[self.targets[t].S[p][d] for d in range(D)] for t in range(T)] for p in range(P)])
