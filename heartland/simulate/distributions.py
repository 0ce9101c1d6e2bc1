"""Parameter distributions a scenario may use: fixed, uniform, triangular, normal, interval.

``interval`` is the form evidence usually arrives in ("more than 70%", "about 90 bn"): a
low/high pair read as a uniform distribution over it. ``normal`` may be truncated to
``[low, high]`` (scipy's truncnorm), which SALib also understands for sensitivity.
"""

from __future__ import annotations

from typing import Annotated, Literal, Union

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, model_validator
from scipy import stats


class _Dist(BaseModel):
    model_config = ConfigDict(extra="forbid")

    def sample(self, rng: np.random.Generator, n: int) -> np.ndarray:  # pragma: no cover - abstract
        raise NotImplementedError

    def bounds(self) -> tuple[float, float]:
        """A finite range covering the distribution (for SALib and docs)."""
        raise NotImplementedError  # pragma: no cover

    def salib(self) -> tuple[list[float], str]:
        """SALib's (bounds, dist) pair for this distribution."""
        raise NotImplementedError  # pragma: no cover


class Fixed(_Dist):
    dist: Literal["fixed"] = "fixed"
    value: float

    def sample(self, rng, n):
        return np.full(n, self.value)

    def bounds(self):
        return (self.value, self.value)


class Uniform(_Dist):
    dist: Literal["uniform"]
    low: float
    high: float

    @model_validator(mode="after")
    def _order(self):
        if not self.low <= self.high:
            raise ValueError(f"low ({self.low}) must not exceed high ({self.high})")
        return self

    def sample(self, rng, n):
        return rng.uniform(self.low, self.high, n)

    def bounds(self):
        return (self.low, self.high)

    def salib(self):
        return [self.low, self.high], "unif"


class Interval(Uniform):
    """An evidence interval, read as uniform over [low, high]."""

    dist: Literal["interval"]


class Triangular(_Dist):
    dist: Literal["triangular"]
    low: float
    mode: float
    high: float

    @model_validator(mode="after")
    def _order(self):
        if not (self.low <= self.mode <= self.high) or self.low == self.high:
            raise ValueError(f"need low <= mode <= high and low < high, got {self.low}, {self.mode}, {self.high}")
        return self

    def sample(self, rng, n):
        return rng.triangular(self.low, self.mode, self.high, n)

    def bounds(self):
        return (self.low, self.high)

    def salib(self):
        # SALib's triang: [lower, upper, peak as a fraction of the width]
        return [self.low, self.high, (self.mode - self.low) / (self.high - self.low)], "triang"


class Normal(_Dist):
    dist: Literal["normal"]
    mean: float
    sd: float = Field(gt=0)
    low: float | None = None  # optional truncation
    high: float | None = None

    @model_validator(mode="after")
    def _order(self):
        if self.low is not None and self.high is not None and not self.low < self.high:
            raise ValueError(f"low ({self.low}) must be below high ({self.high})")
        return self

    def _limits(self) -> tuple[float, float]:
        lo = -np.inf if self.low is None else self.low
        hi = np.inf if self.high is None else self.high
        return lo, hi

    def sample(self, rng, n):
        lo, hi = self._limits()
        a, b = (lo - self.mean) / self.sd, (hi - self.mean) / self.sd
        # inverse-CDF sampling from the generator's uniforms keeps runs reproducible by seed
        return stats.truncnorm.ppf(rng.uniform(0.0, 1.0, n), a, b, loc=self.mean, scale=self.sd)

    def bounds(self):
        lo, hi = self._limits()
        lo = max(lo, self.mean - 3 * self.sd)
        hi = min(hi, self.mean + 3 * self.sd)
        return (lo, hi)

    def salib(self):
        if self.low is None and self.high is None:
            return [self.mean, self.sd], "norm"
        lo, hi = self._limits()
        return [lo, hi, self.mean, self.sd], "truncnorm"


Distribution = Annotated[Union[Uniform, Interval, Triangular, Normal], Field(discriminator="dist")]
DIST_NAMES = ("uniform", "interval", "triangular", "normal")
DIST_FIELDS = {"uniform": ("low", "high"), "interval": ("low", "high"),
               "triangular": ("low", "mode", "high"), "normal": ("mean", "sd", "low", "high")}
