"""From a path of rounds to a forecast: settled state, cycle and the summary rule.

The model has no stopping rule and may cycle. The state of a round is the vector of
positions (risk exponents are recomputed from positions every round), so once the
positions at round t equal those at round t - p the path repeats with period p for
ever. The forecast is then:

* **settled** (p = 1): the weighted mean of the settled positions;
* **cycle** (p > 1): the average of the weighted mean over one period, with the
  period's lowest and highest values as the spread;
* **open** (no repeat within the rounds played): the average of the weighted mean
  over the last half of the rounds, with that window's range as the spread.
"""

from __future__ import annotations

import numpy as np

#: Positions closer than this fraction of the issue's range count as equal.
REPEAT_TOL = 1e-9


def detect_repeat(positions: np.ndarray, scale: np.ndarray | float = 1.0,
                  tol: float = REPEAT_TOL) -> tuple[np.ndarray, np.ndarray]:
    """First round t whose positions repeat those of round t - p, and the smallest p.

    ``positions``: ``(runs, rounds + 1, n)``. Returns ``(t, p)`` arrays of shape
    ``(runs,)``, with -1 where no repeat occurs.
    """
    runs, steps, _ = positions.shape
    scale = np.broadcast_to(np.asarray(scale, dtype=float), (runs,))
    thr = tol * np.where(scale > 0, scale, 1.0)
    best_t = np.full(runs, -1)
    best_p = np.full(runs, -1)
    for t in range(1, steps):
        todo = best_t < 0
        if not todo.any():
            break
        earlier = positions[:, :t]  # rounds 0..t-1
        gap = np.abs(earlier - positions[:, t:t + 1]).max(-1)  # (runs, t)
        hit = gap <= thr[:, None]
        # smallest period = latest earlier round that matches
        any_hit = hit.any(-1) & todo
        last = t - 1 - np.argmax(hit[:, ::-1], axis=-1)
        best_t = np.where(any_hit, t, best_t)
        best_p = np.where(any_hit, t - last, best_p)
    return best_t, best_p


def summarise_paths(mean: np.ndarray, t: np.ndarray, p: np.ndarray
                    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Forecast value and spread (low, high) per run from its mean path ``(runs, steps)``."""
    runs, steps = mean.shape
    value = np.empty(runs)
    low = np.empty(runs)
    high = np.empty(runs)
    window_start = steps - max(1, steps // 2)
    for k in range(runs):
        if t[k] >= 0:
            seg = mean[k, t[k] - p[k]:t[k]]
        else:
            seg = mean[k, window_start:]
        value[k] = seg.mean()
        low[k] = seg.min()
        high[k] = seg.max()
    return value, low, high


def status_of(t: int, p: int) -> str:
    if t < 0:
        return "open"
    return "settled" if p == 1 else "cycle"
