"""National capability measures from cited figures (``heartland/data/curated/capabilities.csv``).

The forecast stage weighs actors by capability (``heartland forecast --capabilities world``
and issue files that say ``capability = "world"``). This module supplies it: a CINC-style
composite, but built only from indicators whose every figure is a cited curated row
(World Bank GDP in current US$, SIPRI military expenditure in current US$). The method is
documented in docs/world.md ("Capability"):

* share of actor i in indicator k: ``s_ik = x_ik / Σ_j x_jk`` over the actors that have a
  figure for k in that year;
* composite: ``c_i = mean_{k ∈ K_i} s_ik`` over the indicators K_i that i has (an actor
  missing an indicator is averaged over the ones it has: renormalised, not given zero);
* the composites are rescaled to sum to 1 over the actors listed.

Intervals: a row's ``low``/``high`` give the share at its ends (others at their values);
the composite's interval spans the lowest and highest single-indicator share, i.e. how
much the answer depends on which indicator one trusts. For an indicator an actor lacks,
the candidate share is its composite times the lowest and the highest ratio
``s_jk / mean_{h ∈ K_i} s_jh`` among the actors j that have every indicator (what the
missing share could be, judged by the cited peers), so a missing figure widens the
interval instead of being guessed.
"""

from __future__ import annotations

import csv
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from heartland.errors import UserError
from heartland.paths import DATA_DIR

CAPABILITIES_CSV = DATA_DIR / "curated" / "capabilities.csv"
COLUMNS = ("actor", "indicator", "year", "value", "low", "high", "unit", "source", "source_url",
           "source_year", "note")
# Indicators the composite uses, in the order they are reported.
COMPOSITE = ("gdp_usd_bn", "milex_usd_bn")
METHODS = {"composite": COMPOSITE, "gdp": ("gdp_usd_bn",), "milex": ("milex_usd_bn",)}


class CapabilityRow(BaseModel):
    """One cited figure (a row of capabilities.csv)."""

    model_config = ConfigDict(extra="forbid")

    actor: str
    indicator: str
    year: int
    value: float | None
    low: float | None
    high: float | None
    unit: str
    source: str
    source_url: str
    source_year: int
    note: str = ""
    line: int = 0

    @property
    def point(self) -> float:
        """The value, or the midpoint of the interval when only the interval is published."""
        if self.value is not None:
            return self.value
        assert self.low is not None and self.high is not None
        return (self.low + self.high) / 2

    @property
    def bounds(self) -> tuple[float, float]:
        lo = self.low if self.low is not None else self.point
        hi = self.high if self.high is not None else self.point
        return lo, hi


class CapabilityMeasure(BaseModel):
    """An actor's composite, its interval and what it rests on."""

    model_config = ConfigDict(extra="forbid")

    actor: str
    value: float
    low: float
    high: float
    shares: dict[str, float]          # indicator -> share of the listed actors' total
    missing: list[str]                # indicators of the method this actor has no figure for
    rows: list[str]                   # "capabilities.csv:<line>" of the rows used


def _num(text: str | None, where: str, col: str) -> float | None:
    t = (text or "").strip()
    if not t:
        return None
    try:
        v = float(t)
    except ValueError:
        raise UserError(f"column {col!r}: not a number: {t!r}", path=where) from None
    if not v >= 0:
        raise UserError(f"column {col!r}: must be a finite number >= 0, got {t!r}", path=where)
    return v


def load_capability_rows(path: Path | str | None = None) -> list[CapabilityRow]:
    """Read capabilities.csv; a row without a figure, year, source, URL or source year is a
    curator's mistake and raises a UserError naming file and line."""
    p = Path(path) if path else CAPABILITIES_CSV
    try:
        fh = p.open(newline="", encoding="utf-8")
    except OSError as exc:
        raise UserError(f"cannot read: {exc.strerror}", path=str(p)) from None
    rows: list[CapabilityRow] = []
    with fh:
        reader = csv.DictReader(fh)
        missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise UserError(f"line 1: missing column(s) {', '.join(missing)}", path=str(p))
        for i, rec in enumerate(reader, start=2):
            where = f"{p}:{i}"
            if not any((v or "").strip() for v in rec.values() if isinstance(v, str)):
                continue
            for col in ("actor", "indicator", "unit", "source", "source_url"):
                if not (rec.get(col) or "").strip():
                    raise UserError(f"column {col!r}: empty", path=where)
            years = {}
            for col in ("year", "source_year"):
                t = (rec.get(col) or "").strip()
                if not t.isdigit():
                    raise UserError(f"column {col!r}: expected a year, got {t!r}", path=where)
                years[col] = int(t)
            value, low, high = (_num(rec.get(c), where, c) for c in ("value", "low", "high"))
            if value is None and (low is None or high is None):
                raise UserError("no value and no complete interval (low, high)", path=where)
            if (low is None) != (high is None):
                raise UserError("give both low and high, or neither", path=where)
            if low is not None and high is not None and (low > high or (value is not None
                                                                        and not low <= value <= high)):
                raise UserError("interval must satisfy low <= value <= high", path=where)
            rows.append(CapabilityRow(actor=rec["actor"].strip().upper(), indicator=rec["indicator"].strip(),
                                      value=value, low=low, high=high, unit=rec["unit"].strip(),
                                      source=rec["source"].strip(), source_url=rec["source_url"].strip(),
                                      note=(rec.get("note") or "").strip(), line=i, **years))
    seen: dict[tuple[str, str, int], int] = {}
    for r in rows:
        key = (r.actor, r.indicator, r.year)
        if key in seen:
            raise UserError(f"duplicate figure for {r.actor} {r.indicator} {r.year} (also line {seen[key]})",
                            path=f"{p}:{r.line}")
        seen[key] = r.line
    return rows


def composite(rows: list[CapabilityRow], indicators: tuple[str, ...] = COMPOSITE,
              name: str = "capabilities.csv") -> dict[str, CapabilityMeasure]:
    """The composite over ``rows`` (already one year): pure arithmetic, see the module doc."""
    by_ind: dict[str, dict[str, CapabilityRow]] = {k: {} for k in indicators}
    for r in rows:
        if r.indicator in by_ind:
            by_ind[r.indicator][r.actor] = r
    actors = sorted({a for d in by_ind.values() for a in d})
    shares: dict[str, dict[str, tuple[float, float, float]]] = {a: {} for a in actors}
    for k, d in by_ind.items():
        total = sum(r.point for r in d.values())
        if total <= 0:
            continue
        for a, r in d.items():
            lo, hi = r.bounds
            rest = total - r.point
            # The share at the row's own ends, with everyone else at their values.
            shares[a][k] = (lo / (lo + rest) if lo + rest > 0 else 0.0, r.point / total,
                            hi / (hi + rest) if hi + rest > 0 else 0.0)
    raw = {a: sum(s[1] for s in shares[a].values()) / len(shares[a]) for a in actors if shares[a]}
    norm = sum(raw.values())
    if norm <= 0:
        return {}
    full = [a for a in raw if len(shares[a]) == len(indicators)]
    out = {}
    for a, v in raw.items():
        sh = shares[a]
        lows = [s[0] for s in sh.values()]
        highs = [s[2] for s in sh.values()]
        have = tuple(sh)
        for k in indicators:
            if k in sh or not full:
                continue
            # A missing indicator's share is bracketed by what the actors with every
            # indicator show: its share relative to their mean share over the indicators
            # this actor does have (lowest and highest such ratio).
            ratios = [shares[j][k][1] / (sum(shares[j][h][1] for h in have) / len(have)) for j in full
                      if sum(shares[j][h][1] for h in have) > 0]
            if ratios:
                lows.append(v * min(ratios))
                highs.append(v * max(ratios))
        out[a] = CapabilityMeasure(
            actor=a, value=v / norm, low=min(min(lows), v) / norm, high=max(max(highs), v) / norm,
            shares={k: s[1] for k, s in sh.items()}, missing=[k for k in indicators if k not in sh],
            rows=[f"{name}:{by_ind[k][a].line}" for k in indicators if k in sh])
    return out


def capability_table(year: int = 2023, method: str = "composite",
                     path: Path | str | None = None) -> dict[str, CapabilityMeasure]:
    """Per actor: the measure, its interval, the shares and the rows it rests on."""
    if method not in METHODS:
        raise UserError(f"capability method {method!r}: expected one of {', '.join(METHODS)}")
    p = Path(path) if path else CAPABILITIES_CSV
    rows = [r for r in load_capability_rows(p) if r.year == year]
    out = composite(rows, METHODS[method], name=p.name)
    if not out:
        raise UserError(f"no {'/'.join(METHODS[method])} figures for {year}", path=str(p))
    return out


def capability_measures(year: int = 2023, method: str = "composite",
                        path: Path | str | None = None) -> dict[str, float]:
    """Actor (ISO alpha-3; USA = United States / West) -> capability, summing to 1."""
    return {a: m.value for a, m in capability_table(year, method, path).items()}


def capability_intervals(year: int = 2023, method: str = "composite",
                         path: Path | str | None = None) -> dict[str, tuple[float, float]]:
    """Actor -> (low, high) around :func:`capability_measures` (see the module doc)."""
    return {a: (m.low, m.high) for a, m in capability_table(year, method, path).items()}


def capability_notes(year: int = 2023, method: str = "composite",
                     path: Path | str | None = None) -> dict[str, str]:
    """Actor -> one line saying what its measure rests on (for issue files' notes)."""
    out = {}
    for a, m in capability_table(year, method, path).items():
        parts = ", ".join(f"{k} share {s:.4g}" for k, s in m.shares.items())
        text = (f"world capability measure ({method}, {year}) {m.value:.4g}, interval {m.low:.4g}-{m.high:.4g}: "
                f"{parts} ({'; '.join(m.rows)})")
        if m.missing:
            text += f"; no cited {', '.join(m.missing)}: averaged over the indicators it has, interval widened"
        out[a] = text
    return out
