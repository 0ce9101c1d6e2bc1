"""The calibrated posterior of the model's parameters, bundled with its provenance.

``heartland calibrate --write-bundle`` writes two files under
``heartland/data/posterior/``:

* ``posterior.parquet`` — one row per posterior draw, one column per parameter;
* ``posterior.json`` — provenance: the data version (a hash of the measured cells the fit
  used), the fit window, seed, sampler and its version, walkers, steps, burn-in,
  acceptance, autocorrelation estimates, the parquet file's SHA-256, and the hindcast's
  reliability table (out of sample) used to cap probabilities.

Simulation draws every parameter a scenario does not set from these rows (one row per
run, so the parameters' correlations are kept); ``--parameters judgement`` uses the
documented defaults instead (the behaviour before calibration).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from heartland.errors import UserError
from heartland.paths import DATA_DIR
from heartland.simulate.discrepancy import ERROR_NAMES, ERROR_PARAMS
from heartland.simulate.params import PARAM_NAMES, PARAMS

POSTERIOR_DIR = DATA_DIR / "posterior"
PARQUET = "posterior.parquet"
PROVENANCE = "posterior.json"
PARAMETER_SOURCES = ("posterior", "judgement")


@dataclass
class Posterior:
    """Posterior draws (n, k) over ``names``, with the provenance record."""

    samples: np.ndarray
    names: tuple[str, ...]
    provenance: dict = field(default_factory=dict)

    @property
    def size(self) -> int:
        return self.samples.shape[0]

    def column(self, name: str) -> np.ndarray:
        return self.samples[:, self.names.index(name)]

    def label(self) -> str:
        p = self.provenance
        return (f"posterior ({self.size} draws, fitted {p.get('fit_start')}-{p.get('fit_end')}, "
                f"data {str(p.get('data_version', '?'))[:12]})")


def sha256_file(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def write_posterior(post: Posterior, folder: Path = POSTERIOR_DIR) -> Path:
    """Write the draws and the provenance (with the draws' file hash) to ``folder``."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    df = pd.DataFrame(post.samples, columns=list(post.names))
    pq_path = folder / PARQUET
    df.to_parquet(pq_path, index=False)
    prov = dict(post.provenance)
    prov["parquet_sha256"] = sha256_file(pq_path)
    prov["draws"] = post.size
    prov["parameters"] = list(post.names)
    (folder / PROVENANCE).write_text(json.dumps(prov, indent=2, sort_keys=True, default=float) + "\n")
    return folder


def validate(post: Posterior, pq_path: Path | None = None) -> list[str]:
    """Problems with a posterior against its provenance and the parameter table ([] = valid)."""
    problems = []
    prov = post.provenance
    if pq_path is not None and prov.get("parquet_sha256") != sha256_file(pq_path):
        problems.append("the draws' SHA-256 differs from the one in the provenance (edited after calibration?)")
    if prov.get("draws") != post.size:
        problems.append(f"{post.size} draws, the provenance says {prov.get('draws')}")
    if list(prov.get("parameters", [])) != list(post.names):
        problems.append("the columns differ from the provenance's parameter list")
    unknown = [n for n in post.names if n not in PARAMS and n not in ERROR_PARAMS]
    if unknown:
        problems.append(f"unknown parameters {', '.join(unknown)}")
    for key in ("data_version", "seed", "sampler", "sampler_version", "fit_start", "fit_end"):
        if key not in prov:
            problems.append(f"provenance lacks {key!r}")
    if not np.isfinite(post.samples).all():
        problems.append("draws contain NaN or infinite values")
    ranges = prov.get("ranges", {})
    for j, n in enumerate(post.names):
        lo, hi = ranges.get(n, (PARAMS[n].low, PARAMS[n].high) if n in PARAMS else (-np.inf, np.inf))
        col = post.samples[:, j]
        if col.size and (col.min() < lo - 1e-9 or col.max() > hi + 1e-9):
            problems.append(f"{n}: draws outside the prior range [{lo}, {hi}]")
    return problems


def read_posterior(folder: Path = POSTERIOR_DIR) -> Posterior:
    """Read and validate a posterior bundle; a bad one is one clear line naming the file."""
    folder = Path(folder)
    pq_path, js = folder / PARQUET, folder / PROVENANCE
    if not pq_path.is_file() or not js.is_file():
        raise UserError("no calibrated posterior here (run `heartland calibrate --write-bundle`)", path=str(folder))
    try:
        prov = json.loads(js.read_text())
        df = pd.read_parquet(pq_path)
    except (ValueError, OSError) as exc:
        raise UserError(f"cannot read the posterior: {exc}", path=str(folder)) from None
    post = Posterior(df.to_numpy(dtype=float), tuple(df.columns), prov)
    problems = validate(post, pq_path)
    if problems:
        raise UserError(f"invalid posterior: {problems[0]}", path=str(pq_path))
    return post


@lru_cache(maxsize=4)
def _bundled(folder: str) -> Posterior | None:
    p = Path(folder)
    if not (p / PARQUET).is_file():
        return None
    return read_posterior(p)


def bundled_posterior() -> Posterior | None:
    """The posterior shipped with the package, or None when none has been written yet."""
    return _bundled(str(POSTERIOR_DIR))


def resolve_parameters(parameters: "str | Posterior | None") -> Posterior | None:
    """``"posterior"`` (the bundled one; None when absent), ``"judgement"`` (None) or a Posterior."""
    if parameters is None or isinstance(parameters, Posterior):
        return parameters
    if parameters not in PARAMETER_SOURCES:
        raise UserError(f"--parameters must be one of {', '.join(PARAMETER_SOURCES)}, got {parameters!r}")
    return bundled_posterior() if parameters == "posterior" else None


def parameter_label(post: Posterior | None) -> str:
    return "judgement (documented defaults)" if post is None else post.label()


def draw_rows(post: Posterior, rng: np.random.Generator, runs: int) -> dict[str, np.ndarray]:
    """One posterior row per run (with replacement): every parameter the posterior holds (the
    model's and the error model's, ``heartland.simulate.discrepancy``: drawn from the same row)."""
    rows = rng.integers(0, post.size, runs)
    return {n: post.samples[rows, j].astype(float) for j, n in enumerate(post.names)
            if n in PARAM_NAMES or n in ERROR_NAMES}
