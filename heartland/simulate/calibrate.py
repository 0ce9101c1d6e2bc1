"""Calibration: fit every model parameter to the measured years 2015-2020 with emcee.

Why emcee (affine-invariant ensemble MCMC, Foreman-Mackey et al. 2013): its
``vectorize=True`` mode hands all walkers' parameter vectors to one call, which is exactly
how the model runs (vectorised across runs); it needs no tuning of proposal scales for
32 parameters on very different scales (the stretch move is affine invariant); it is
small, maintained and depends on numpy only. ABC-SMC (pyabc) evaluates one particle per
call and keeps its own database; history matching has no maintained Python library.

The likelihood (``likelihood = "predictive"``, the default since likelihood version 4)
is the Monte Carlo density of the error model of eq. 14 (``heartland.simulate.discrepancy``):
for each parameter vector the model is run from every start year s in [fit_start, fit_end)
on ``replicates`` draws of its randomness (start world inside the evidence bounds, crises,
utility drift), the same draws for every vector (common random numbers, so the surface is
smooth in the parameters); at every later year e <= fit_end and every share cell measured
at s and e, each run's forecast is anchored at the measured start (measured start + the
run's change, as the hindcast scores it), and the measured value is scored under the mean
over the replicates of a Student-t density (``error_df`` = 2 degrees of freedom by default: measured
changes are heavy-tailed) centred at each run, of squared scale error_scale^2 (e - s) +
sd_obs^2. ``error_scale`` (the model's discrepancy) is fitted with the model's parameters
and drawn with them, so the hindcast's bands add the same error to each run: what is fitted
is what is scored. ``likelihood = "synthetic"`` keeps version 3's synthetic likelihood
(Wood 2010: a Student-t at the replicates' mean with their variance plus sd_obs^2, no fitted
error), whose Student-t band the runs' own quantiles did not match (docs/simulate.md).
Each start's years are weighted 1 / (number of its end years): one start's years follow one
path, so they are not independent evidence. The prior is uniform over each parameter's
documented plausible range (``heartland.simulate.params``, ``discrepancy.ERROR_PARAMS``).

The fit runs ``chains`` independent emcee ensembles (default 2) and pools them; with a
Dask client each chain is one task on the cluster (minutes of work, so the cluster's
overhead is negligible), and the result does not depend on the number of workers.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
import tomllib
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import numpy as np
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError
from scipy.stats import t as student_t

from heartland.errors import UserError
from heartland.paths import PACKAGE_DIR
from heartland.simulate.discrepancy import ERROR_NAMES, ERROR_PARAMS, error_sd, log_density, obs_sd
from heartland.simulate.params import PARAM_NAMES, PARAMS
from heartland.world.axes import DOMAINS, PATRONS, TARGETS


class CalibrationConfig(BaseModel):
    """What to fit and how hard (``heartland calibrate --config FILE``, TOML [calibration] table)."""

    model_config = ConfigDict(extra="forbid")

    fit_start: int = 2015
    fit_end: int = 2020
    #: cells to fit: codes of patrons, targets or domains, joined by ':' ("KAZ", "RUS:KAZ:security"); [] = all
    targets: list[str] = Field(default_factory=list)
    #: prior ranges replacing the documented plausible ones: name = [low, high]
    ranges: dict[str, tuple[float, float]] = Field(default_factory=dict)
    #: at least twice the fitted parameters (32 model + 1 error = 33) for emcee's red-blue moves
    walkers: int = Field(default=68, ge=4)
    #: independent emcee ensembles, pooled; with Dask each runs on its own worker
    chains: int = Field(default=2, ge=1)
    steps: int = Field(default=500, ge=1)
    burn: int = Field(default=200, ge=0)
    thin: int = Field(default=10, ge=1)
    replicates: int = Field(default=8, ge=2)
    #: degrees of freedom of the Student-t error (eq. 14); 0 = normal. 2 was chosen over 4 on a
    #: split inside the fit window (fit 2015-2018, check 2019-2020; docs/simulate.md)
    error_df: float = Field(default=2.0, ge=0)
    #: "predictive": eq. 14 with a fitted error_scale (runs + Student-t error, the hindcast's
    #: band); "synthetic": likelihood version 3 (no fitted error; kept to compare)
    likelihood: Literal["predictive", "synthetic"] = "predictive"
    #: the error model's parameters fitted (predictive likelihood); the others keep their defaults.
    #: change_scale (ρ) did not help on the split inside the fit window (docs/simulate.md): not fitted
    error_params: list[str] = Field(default_factory=lambda: ["error_scale"])
    #: walker chunks per evaluation; does not change the result (a fixed sub-step count makes
    #: each vector's value independent of its batch-mates), only the size of the arrays
    chunks: int = Field(default=1, ge=1)
    seed: int = 0


def load_config(path: Path | None, **overrides) -> CalibrationConfig:
    raw: dict = {}
    if path is not None:
        p = Path(path)
        try:
            raw = tomllib.loads(p.read_text(encoding="utf-8")).get("calibration", {})
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            raise UserError(f"cannot read the calibration config: {exc}", path=str(p)) from None
    raw.update({k: v for k, v in overrides.items() if v is not None})
    try:
        cfg = CalibrationConfig(**raw)
    except ValidationError as exc:
        e = exc.errors()[0]
        raise UserError(f"calibration config: {'.'.join(map(str, e['loc']))}: {e['msg']}",
                        path=str(path) if path else None) from None
    check_config(cfg)
    return cfg


def check_config(cfg: CalibrationConfig) -> None:
    """Bad input as one clear line: unknown parameter, empty or inverted range, bad window."""
    import difflib

    if cfg.fit_end <= cfg.fit_start:
        raise UserError(f"calibration window {cfg.fit_start}-{cfg.fit_end} is empty (fit_end must be after fit_start)")
    for name, (lo, hi) in cfg.ranges.items():
        if name not in PARAMS and name not in ERROR_PARAMS:
            close = difflib.get_close_matches(name, PARAM_NAMES + ERROR_NAMES, n=1)
            raise UserError(f"calibration range for unknown parameter {name!r}"
                            + (f" (did you mean {close[0]!r}?)" if close else ""))
        if not (np.isfinite(lo) and np.isfinite(hi)):
            raise UserError(f"calibration range for {name}: [{lo}, {hi}] is not finite")
        if lo > hi:
            raise UserError(f"calibration range for {name}: [{lo}, {hi}] is inverted (low above high)")
        if lo == hi:
            raise UserError(f"calibration range for {name}: [{lo}, {hi}] is empty (low equals high)")
    if cfg.burn >= cfg.steps:
        raise UserError(f"calibration burn-in {cfg.burn} leaves none of the {cfg.steps} steps")
    bad = [n for n in cfg.error_params if n not in ERROR_PARAMS]
    if bad:
        raise UserError(f"calibration error_params: {bad[0]!r} is not one of {', '.join(ERROR_NAMES)}")
    k = len(fitted_names(cfg))
    if cfg.walkers < 2 * k:
        raise UserError(f"calibration walkers {cfg.walkers}: emcee needs at least twice the {k} parameters")


def fitted_names(cfg: CalibrationConfig) -> list[str]:
    """The model's parameters, then (predictive likelihood) the error model's."""
    if cfg.likelihood != "predictive":
        return list(PARAM_NAMES)
    return list(PARAM_NAMES) + [n for n in ERROR_NAMES if n in cfg.error_params]


def ranges(cfg: CalibrationConfig) -> tuple[list[str], np.ndarray, np.ndarray]:
    names = fitted_names(cfg)
    table = {**{n: (p.low, p.high) for n, p in PARAMS.items()}, **{n: (p.low, p.high) for n, p in ERROR_PARAMS.items()}}
    lo = np.array([cfg.ranges.get(n, table[n])[0] for n in names], float)
    hi = np.array([cfg.ranges.get(n, table[n])[1] for n in names], float)
    return names, lo, hi


# --- targets ---------------------------------------------------------------------------------

def _filter_mask(spec: str) -> np.ndarray:
    """(P,T,D) mask of the cells a target spec names ("KAZ", "security", "RUS:KAZ:security")."""
    mask = np.ones((len(PATRONS), len(TARGETS), len(DOMAINS)), bool)
    for tok in spec.split(":"):
        tok = tok.strip()
        if tok in PATRONS:
            sel = np.zeros(len(PATRONS), bool)
            sel[PATRONS.index(tok)] = True
            mask &= sel[:, None, None]
        elif tok in TARGETS:
            sel = np.zeros(len(TARGETS), bool)
            sel[TARGETS.index(tok)] = True
            mask &= sel[None, :, None]
        elif tok in DOMAINS:
            sel = np.zeros(len(DOMAINS), bool)
            sel[DOMAINS.index(tok)] = True
            mask &= sel[None, None, :]
        else:
            raise UserError(f"calibration target {spec!r}: {tok!r} is not a patron, target or domain code "
                            f"({', '.join(PATRONS + TARGETS + DOMAINS)})")
    return mask


@dataclass
class EndTarget:
    index: int  # step index in the run (e - s)
    year: int
    flat: np.ndarray  # indices into the flattened (P*T*D) share cells
    obs_start: np.ndarray  # measured values at the start year (the forecasts are anchored there)
    obs: np.ndarray
    var_obs: np.ndarray
    weight: float


@dataclass
class Block:
    """Everything one start year needs: scenario, start world, and the measured targets."""

    start_year: int
    scenario: object
    start: object
    targets: list[EndTarget]


def build_blocks(cfg: CalibrationConfig, panel=None, db: str | None = None) -> list[Block]:
    from heartland.simulate.hindcast import hindcast_scenario, measured_panel, start_world

    panel = panel or measured_panel(None, db)
    select = np.zeros((len(PATRONS), len(TARGETS), len(DOMAINS)), bool)
    masks = {t: _filter_mask(t) for t in cfg.targets}
    if masks:
        for m_ in masks.values():
            select |= m_
    else:
        select[:] = True
    blocks, hit = [], {t: 0 for t in cfg.targets}
    for s in range(cfg.fit_start, cfg.fit_end):
        if not panel.measured(s).any():
            continue
        ends = []
        for e in range(s + 1, cfg.fit_end + 1):
            mask = panel.measured(s) & panel.measured(e) & select
            for t, m_ in masks.items():
                hit[t] += int((mask & m_).sum())
            if mask.any():
                flat = np.flatnonzero(mask)
                sd = obs_sd(panel.low[e].ravel()[flat], panel.high[e].ravel()[flat])
                ends.append(EndTarget(e - s, e, flat, panel.mid[s].ravel()[flat], panel.mid[e].ravel()[flat],
                                      sd ** 2, 1.0))
        for et in ends:
            et.weight = 1.0 / len(ends)
        if ends:
            blocks.append(Block(s, hindcast_scenario(s, cfg.fit_end), start_world(s, db), ends))
    for t, n in hit.items():
        if n == 0:
            raise UserError(f"calibration target {t!r}: no measured data in {cfg.fit_start}-{cfg.fit_end}")
    if not blocks:
        raise UserError(f"calibration: no cells measured at two years in {cfg.fit_start}-{cfg.fit_end}")
    return blocks


def data_version(blocks: list[Block]) -> str:
    """A hash of the measured values the fit uses: it changes when the world's data change."""
    h = hashlib.sha256()
    for b in blocks:
        h.update(f"start {b.start_year}\n".encode())
        h.update(np.round(b.start.dependence_low, 9).tobytes())
        h.update(np.round(b.start.dependence_high, 9).tobytes())
        for t in b.targets:
            h.update(f"end {t.year}\n".encode())
            h.update(t.flat.astype(np.int64).tobytes())
            h.update(np.round(t.obs_start, 9).tobytes())
            h.update(np.round(t.obs, 9).tobytes())
            h.update(np.round(t.var_obs, 12).tobytes())
    return h.hexdigest()


# --- the likelihood --------------------------------------------------------------------------

#: degrees of freedom of the error distribution: measured changes are heavy-tailed (most
#: cells barely move, a few move a lot), and a normal error would let those few set every
#: cell's band
T_DF = 2.0  # = CalibrationConfig.error_df's default (chosen on the split inside the fit window)


def loglike_chunk(blocks: list[Block], theta: np.ndarray, names: list[str], replicates: int, seed: int,
                  min_substeps: int = 1, error_df: float = T_DF, likelihood: str = "predictive") -> np.ndarray:
    """Log-likelihood (w,) of w parameter vectors ``theta`` (w, k) in model units.

    ``min_substeps``: eq. 8a's sub-step count at the prior's worst case, so that a vector's
    value does not depend on which other vectors share its batch.
    """
    from heartland.simulate.ensemble import simulate_arrays

    w = theta.shape[0]
    K = replicates
    params = {n: np.full(w * K, PARAMS[n].default) for n in PARAM_NAMES}
    errors = {n: np.full(w, ERROR_PARAMS[n].default) for n in ERROR_NAMES}
    for j, n in enumerate(names):
        if n in ERROR_PARAMS:
            errors[n] = theta[:, j]  # the error model's: never passed to the model
        else:
            params[n] = np.tile(theta[:, j], K)  # run r = k*w + i holds walker i, replicate k
    ll = np.zeros(w)
    for b in blocks:
        rng = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(b.start_year,)))
        _, rec, _ = simulate_arrays(b.scenario, b.start, params, rng, noise_runs=K, with_indices=False,
                                    min_substeps=min_substeps)
        share = rec["share"]
        R = share.shape[0]
        start = share[:, 0].reshape(R, -1)
        for t in b.targets:
            # anchored at the measured start, as the hindcast scores it: measured start + the run's change
            change = (share[:, t.index].reshape(R, -1)[:, t.flat].astype(float) - start[:, t.flat]).reshape(K, w, -1)
            if likelihood == "predictive":
                x = t.obs_start + errors["change_scale"][:, None] * change  # eq. 14's ρ
                # eq. 14: the measured value is a run plus a Student-t error (discrepancy + measurement)
                scale = error_sd(errors["error_scale"], t.index, np.sqrt(t.var_obs))
                ll += t.weight * log_density(t.obs, x, scale, error_df).sum(axis=1)
                continue
            x = change + t.obs_start
            mu = x.mean(axis=0)
            v = x.var(axis=0, ddof=1) + t.var_obs
            if error_df > 0:
                lpdf = student_t.logpdf(t.obs, error_df, loc=mu, scale=np.sqrt(v))
            else:
                lpdf = -0.5 * ((t.obs - mu) ** 2 / v + np.log(2 * np.pi * v))
            ll += t.weight * lpdf.sum(axis=1)
    return ll


class LogPosterior:
    """emcee's vectorised log-probability: uniform prior on the unit cube, synthetic likelihood."""

    def __init__(self, blocks, names, lo, hi, cfg: CalibrationConfig):
        self.blocks, self.names, self.lo, self.hi, self.cfg = blocks, names, lo, hi, cfg
        self.evaluations = 0
        from heartland.simulate.model import substeps_bound

        top = dict(zip(names, hi))
        self.min_substeps = substeps_bound(top["choice_sharpness"], top["hedging_penalty"], top["adjustment_rate"], 1.0)

    def physical(self, x: np.ndarray) -> np.ndarray:
        return self.lo + x * (self.hi - self.lo)

    def __call__(self, x: np.ndarray) -> np.ndarray:
        x = np.atleast_2d(x)
        out = np.full(x.shape[0], -np.inf)
        ok = np.all((x >= 0) & (x <= 1), axis=1)
        idx = np.flatnonzero(ok)
        if idx.size:
            theta = self.physical(x[idx])
            parts = [p for p in np.array_split(np.arange(idx.size), min(self.cfg.chunks, idx.size)) if p.size]
            args = (self.names, self.cfg.replicates, self.cfg.seed, self.min_substeps, self.cfg.error_df,
                    self.cfg.likelihood)
            out[idx] = np.concatenate([loglike_chunk(self.blocks, theta[p], *args) for p in parts])
            self.evaluations += int(idx.size) * self.cfg.replicates * len(self.blocks)
        out[~np.isfinite(out)] = -np.inf
        return out


@dataclass
class Chain:
    index: int
    samples: np.ndarray  # (n, k) model units, after burn-in and thinning
    acceptance: float
    tau: np.ndarray  # (k,) autocorrelation estimates
    log_prob_max: float
    evaluations: int
    seconds: float


def run_chain(blocks: list[Block], cfg: CalibrationConfig, index: int, progress=None) -> Chain:
    """One independent emcee ensemble: a pure function of (blocks, config, index).

    Its walkers start from uniform prior draws and its moves use random numbers from
    ``SeedSequence(seed, spawn_key=(index,))``; the likelihood's noise is the same for every
    chain (common random numbers), so the chains sample the same posterior.
    """
    import emcee

    names, lo, hi = ranges(cfg)
    lp = LogPosterior(blocks, names, lo, hi, cfg)
    ss = np.random.SeedSequence(cfg.seed, spawn_key=(index,))
    rng = np.random.default_rng(ss)
    x0 = rng.uniform(0.0, 1.0, (cfg.walkers, len(names)))  # walkers start spread over the prior
    sampler = emcee.EnsembleSampler(cfg.walkers, len(names), lp, vectorize=True)
    sampler.random_state = np.random.RandomState(int(ss.generate_state(1)[0])).get_state()
    t0 = time.perf_counter()
    for i, _ in enumerate(sampler.sample(x0, iterations=cfg.steps)):
        if progress:
            progress(i + 1)
    wall = time.perf_counter() - t0
    with np.errstate(invalid="ignore", divide="ignore"):  # a parameter that never moved has no acf
        tau = sampler.get_autocorr_time(discard=cfg.burn, tol=0)
    return Chain(index, lp.physical(sampler.get_chain(discard=cfg.burn, thin=cfg.thin, flat=True)),
                 float(np.mean(sampler.acceptance_fraction)), np.asarray(tau, float),
                 float(np.max(sampler.get_log_prob(discard=cfg.burn, flat=True))), lp.evaluations, wall)


# --- the fit ---------------------------------------------------------------------------------

#: bump when the likelihood above changes: it is part of the cache key
LIKELIHOOD_VERSION = 4


def model_source_hash() -> str:
    """Hash of the code the fit depends on, so that a changed model invalidates the cache."""
    h = hashlib.sha256(f"likelihood {LIKELIHOOD_VERSION}".encode())
    for rel in ("simulate/model.py", "simulate/ensemble.py", "simulate/params.py", "simulate/shocks.py",
                "simulate/start.py", "simulate/discrepancy.py", "data/hindcast/shocks.toml"):
        h.update((PACKAGE_DIR / rel).read_bytes())
    return h.hexdigest()


def cache_dir() -> Path:
    env = os.environ.get("HEARTLAND_CACHE")
    base = Path(env) if env else Path.home() / ".cache" / "heartland"
    return base / "calibrate"


@dataclass
class Fit:
    samples: np.ndarray  # (n, k) model units
    names: list[str]
    provenance: dict
    from_cache: bool = False


def fit(cfg: CalibrationConfig, *, client=None, db: str | None = None, use_cache: bool = True,
        progress=None) -> Fit:
    """Run (or load from the cache) the emcee fit; the posterior draws and their provenance."""
    import emcee

    blocks = build_blocks(cfg, db=db)
    names, lo, hi = ranges(cfg)
    version = data_version(blocks)
    key = hashlib.sha256(json.dumps({"data": version, "config": cfg.model_dump(mode="json"),
                                     "model": model_source_hash(), "emcee": emcee.__version__},
                                    sort_keys=True).encode()).hexdigest()[:24]
    cdir = cache_dir() / key
    if use_cache and (cdir / "samples.npy").is_file() and (cdir / "provenance.json").is_file():
        return Fit(np.load(cdir / "samples.npy"), names, json.loads((cdir / "provenance.json").read_text()), True)
    t0 = time.perf_counter()
    if client is None:
        chains = [run_chain(blocks, cfg, i, progress=(lambda k, i=i: progress(i * cfg.steps + k)) if progress else None)
                  for i in range(cfg.chains)]
    else:
        # one task per chain: minutes of work each, so the cluster's overhead is negligible
        blocks_f = client.scatter(blocks, broadcast=True, hash=False)
        futs = [client.submit(run_chain, blocks_f, cfg, i, pure=False) for i in range(cfg.chains)]
        chains = []
        for f in futs:
            chains.append(f.result())
            if progress:
                progress(len(chains) * cfg.steps)
    wall = time.perf_counter() - t0
    samples = np.concatenate([c.samples for c in chains])
    tau = np.concatenate([c.tau for c in chains])
    fin = tau[np.isfinite(tau)]
    prov = {
        "data_version": version, "fit_start": cfg.fit_start, "fit_end": cfg.fit_end,
        "seed": cfg.seed, "sampler": "emcee", "sampler_version": emcee.__version__,
        "numpy_version": np.__version__, "heartland_version": _version(), "model_source": model_source_hash(),
        "config": cfg.model_dump(mode="json"),
        "ranges": {n: [float(a), float(b)] for n, a, b in zip(names, lo, hi)},
        "cells": int(sum(t.flat.size for b in blocks for t in b.targets)),
        "starts": [b.start_year for b in blocks],
        "acceptance": float(np.mean([c.acceptance for c in chains])),
        "chain_acceptance": [c.acceptance for c in chains],
        "autocorr_max": _finite_or_none(fin.max() if fin.size else np.nan),
        "autocorr_median": _finite_or_none(np.median(fin) if fin.size else np.nan),
        "chain_over_autocorr": _finite_or_none((cfg.steps - cfg.burn) / fin.max() if fin.size else np.nan),
        # per parameter: spread of the chains' means over the pooled sd (near 0 when the chains agree)
        "chain_mean_spread_max": _finite_or_none(_chain_spread(chains)),
        "log_prob_max": max(c.log_prob_max for c in chains),
        "model_runs": int(sum(c.evaluations for c in chains)), "seconds": round(wall, 1),
        "created": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
    }
    cdir.mkdir(parents=True, exist_ok=True)
    np.save(cdir / "samples.npy", samples)
    (cdir / "provenance.json").write_text(json.dumps(prov, indent=2, sort_keys=True))
    return Fit(samples, names, prov, False)


def _chain_spread(chains: list[Chain]) -> float:
    """Largest (over parameters) sd of the chains' means divided by the pooled sd."""
    if len(chains) < 2:
        return float("nan")
    means = np.stack([c.samples.mean(axis=0) for c in chains])
    pooled = np.concatenate([c.samples for c in chains]).std(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        return float(np.nanmax(means.std(axis=0, ddof=1) / pooled))


def _finite_or_none(v) -> float | None:
    """JSON has no NaN: an undefined estimate (too short a chain) is recorded as null."""
    v = float(v)
    return v if np.isfinite(v) else None


def _version() -> str:
    from heartland import __version__

    return __version__


# --- fit, score out of sample, bundle ------------------------------------------------------

@dataclass
class Calibration:
    fit: Fit
    posterior: object  # heartland.simulate.posterior.Posterior
    hindcast: object  # HindcastResult with the posterior
    hindcast_judgement: object  # HindcastResult with the judgement defaults
    folder: Path | None = None


def calibrate(cfg: CalibrationConfig, *, client=None, db: str | None = None, use_cache: bool = True,
              hindcast_runs: int = 200, out: Path | None = None, write_bundle: bool = False,
              progress=None) -> Calibration:
    """Fit, then score the posterior and the judgement defaults with the hindcast; record the
    out-of-sample scores and reliability tables in the provenance; write the bundle when asked."""
    from heartland.simulate.hindcast import run_hindcast, write_hindcast
    from heartland.simulate.posterior import POSTERIOR_DIR, Posterior, write_posterior
    from heartland.simulate.reliability import reliability_table

    f = fit(cfg, client=client, db=db, use_cache=use_cache, progress=progress)
    post = Posterior(f.samples, tuple(f.names), dict(f.provenance))
    hc = run_hindcast(runs=hindcast_runs, seed=cfg.seed, parameters=post, client=client, fit_end=cfg.fit_end, db=db)
    hj = run_hindcast(runs=hindcast_runs, seed=cfg.seed, parameters="judgement", client=client,
                      fit_end=cfg.fit_end, db=db)
    prov = post.provenance
    for label, h in (("posterior", hc), ("judgement", hj)):
        summ = h.summary[h.summary["domain"] == "overall"].set_index("sample")
        prov.setdefault("hindcast", {})[label] = {k: summ.loc[k].drop("domain").to_dict() for k in summ.index}
        oos = h.events[h.events["out_of_sample"]]
        prov.setdefault("reliability", {})[label] = reliability_table(oos).to_dict("records")
    prov["hindcast_runs"] = hindcast_runs
    folder = None
    if out is not None:
        out = Path(out)
        write_hindcast(hc, out / "hindcast_posterior")
        write_hindcast(hj, out / "hindcast_judgement")
        folder = write_posterior(post, out / "posterior")
    if write_bundle:
        folder = write_posterior(post, POSTERIOR_DIR)
        from heartland.simulate.posterior import _bundled

        _bundled.cache_clear()
    return Calibration(f, post, hc, hj, folder)


def current_data_version(post, db: str | None = None) -> str:
    """The data version the posterior's fit would see now (same config, today's world)."""
    cfg = CalibrationConfig(**post.provenance.get("config", {}))
    return data_version(build_blocks(cfg, db=db))


def is_current(post, db: str | None = None) -> tuple[bool, str]:
    """(does the posterior's data version match the world now?, the current version)."""
    now = current_data_version(post, db)
    return now == post.provenance.get("data_version"), now
