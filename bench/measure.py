"""Benchmark: build the world and compute all indices for 10 years from a store of 10,000 articles.

Compares heartland's vectorised path (``build_world`` + ``compute_indices``) with a
straightforward pandas/pure-Python implementation of the same rules (group the facts in
dicts, loop over years, dyads, indicators and domains), checks that both give the same
influence numbers, and prints the ratio. Run from the repository root:

    .venv/bin/python bench/measure.py [--articles 10000] [--facts-per-article 5]

Results are recorded in docs/performance.md (section "measure").
"""

from __future__ import annotations

import argparse
import math
import tempfile
import time
from collections import defaultdict
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from heartland.measure import compute_indices
from heartland.measure import indices as ix
from heartland.world import DOMAINS, PATRONS, TARGETS, build_world
from heartland.world.components import COMPONENTS
from heartland.world.precedence import KIND_TIER, PrecedenceParams

YEARS = list(range(2015, 2025))
INDICATORS = {  # indicator: (unit, low, high) of the synthetic values
    "trade_bilateral": ("USD_bn", 0.1, 40.0), "arms_import_share": ("share", 0.0, 1.0),
    "fdi_stock": ("USD_bn", 0.1, 20.0), "remittances": ("USD_bn", 0.01, 5.0),
    "migrant_workers": ("persons", 1e3, 2e6), "military_bases": ("count", 0, 3),
    "remittance_share": ("share", 0.0, 1.0), "students": ("persons", 100, 40000),
    "trade_share": ("share", 0.0, 0.6), "rail_links": ("count", 0, 4),
}


def make_store(path: Path, n_articles: int, per_article: int, seed: int = 0) -> int:
    """A DuckDB store with ``articles`` and ``facts`` shaped like the real stages' tables."""
    rng = np.random.default_rng(seed)
    ids = [f"a{i:06d}" for i in range(n_articles)]
    outlets = rng.choice(["RFA", "VOA", "NYT", "RFI", "Xinhua", "TASS"], n_articles)
    pub = pd.to_datetime("2015-01-01") + pd.to_timedelta(rng.integers(0, 3650, n_articles), unit="D")
    arts = pd.DataFrame({"id": ids, "outlet": outlets, "url": [f"https://example.org/{i}" for i in ids],
                         "published_utc": pub})
    n = n_articles * per_article
    inds = rng.choice(list(INDICATORS), n)
    unit = np.array([INDICATORS[i][0] for i in inds])
    lo_b = np.array([INDICATORS[i][1] for i in inds], dtype=float)
    hi_b = np.array([INDICATORS[i][2] for i in inds], dtype=float)
    v = lo_b + (hi_b - lo_b) * rng.random(n)
    v = np.where(unit == "count", np.round(v), v)
    kind = rng.choice(["exact", "band", "lower"], n, p=[0.6, 0.3, 0.1])
    low = np.where(kind == "exact", v, np.where(kind == "band", v * 0.9, v))
    high = np.where(kind == "exact", v, np.where(kind == "band", np.minimum(v * 1.1, np.where(unit == "share", 1, np.inf)),
                                                  np.nan))
    art = rng.integers(0, n_articles, n)
    year = rng.choice(YEARS, n)
    swap = rng.random(n) < 0.2  # some facts are stated target -> patron
    pat = rng.choice(PATRONS, n)
    tgt = rng.choice(TARGETS, n)
    facts = pd.DataFrame({
        "fact_id": [f"{ids[a]}:{i}" for i, a in enumerate(art)], "subject": np.where(swap, tgt, pat),
        "object": np.where(swap, pat, tgt), "indicator": inds, "value": np.where(kind == "exact", v, np.nan),
        "low": low, "high": high, "unit": unit,
        "period_start": pd.to_datetime([f"{y}-01-01" for y in year]),
        "period_end": pd.to_datetime([f"{y}-12-31" for y in year]), "qualifier": kind,
        "article_id": [ids[a] for a in art], "span_start": rng.integers(0, 5000, n), "span_end": 0,
        "n_sources": rng.choice([1, 1, 1, 2, 3], n),
    })
    facts["span_end"] = facts["span_start"] + 6
    con = duckdb.connect(str(path))
    con.execute("CREATE TABLE articles AS SELECT * FROM arts")
    con.execute("CREATE TABLE facts AS SELECT * FROM facts")
    con.close()
    return n


# -- the straightforward implementation -------------------------------------------------------

def naive(db: Path, params=PrecedenceParams()) -> dict[str, np.ndarray]:
    con = duckdb.connect(str(db), read_only=True)
    rows = con.execute("SELECT f.*, a.outlet, a.published_utc FROM facts f LEFT JOIN articles a "
                       "ON f.article_id = a.id").df().to_dict(orient="records")
    con.close()
    targets, patrons = set(TARGETS), set(PATRONS)
    groups: dict[tuple, list[dict]] = defaultdict(list)
    for r in rows:
        s, o = r["subject"], r["object"]
        if s in targets and o not in targets:
            s, o = o, s
        if o not in targets or s in targets:
            continue
        year = r["period_end"].year
        lo = r["low"] if not _nan(r["low"]) else (r["value"] if not _nan(r["value"]) else None)
        hi = r["high"] if not _nan(r["high"]) else (r["value"] if not _nan(r["value"]) and _nan(r["low"]) else None)
        share = r["unit"] == "share"
        tier = KIND_TIER["fact"] + (0.5 if r["n_sources"] >= params.min_corroboration else 0.0)
        groups[(s, o, r["indicator"])].append({"year": year, "lo": 0.0 if lo is None else lo,
                                               "hi": (1.0 if share else math.inf) if hi is None else hi,
                                               "tier": tier, "unit": r["unit"]})
    comp: dict[tuple, tuple[float, float]] = {}
    for (p, t, ind), items in groups.items():
        for y in YEARS:
            cand = [i for i in items if y - params.carry_years <= i["year"] <= y]
            if not cand:
                continue
            ymax = max(i["year"] for i in cand)
            sel = [i for i in cand if i["year"] == ymax]
            top = max(i["tier"] for i in sel)
            sel = [i for i in sel if i["tier"] == top]
            lo, hi = max(i["lo"] for i in sel), min(i["hi"] for i in sel)
            if lo > hi + 1e-12:
                lo, hi = min(i["lo"] for i in sel), max(i["hi"] for i in sel)
            if math.isinf(hi):
                hi = lo
            comp[(p, t, ind, y)] = (lo, hi)
    spec = {c.indicator: c for c in COMPONENTS}
    shape = (len(YEARS), len(PATRONS), len(TARGETS), len(DOMAINS))
    out = {k: np.full(shape, np.nan) for k in ("bandwidth_low", "bandwidth_high", "dependence_low", "dependence_high")}
    acc: dict[tuple, list] = defaultdict(list)
    for (p, t, ind, y), (lo, hi) in comp.items():
        c = spec.get(ind)
        if c is None or p not in patrons:
            continue
        acc[(y, p, t, c.domain, c.side)].append((c.weight, _scale(lo, c), _scale(hi, c)))
    # Membership components: the bench's institutions file is empty, so every anchored
    # dyad-domain gets its institution components at 0 (as the world does).
    anchored = {(y, p, t, d) for (y, p, t, d, _side) in acc}
    for (y, p, t, d) in anchored:
        for c in COMPONENTS:
            if c.domain == d and (c.indicator.startswith("inst_") or c.indicator == "alliance"):
                acc[(y, p, t, d, c.side)].append((c.weight, 0.0, 0.0))
    for (y, p, t, d, side), vals in acc.items():
        w = sum(v[0] for v in vals)
        idx = (YEARS.index(y), PATRONS.index(p), TARGETS.index(t), DOMAINS.index(d))
        out[f"{side}_low"][idx] = sum(v[0] * v[1] for v in vals) / w
        out[f"{side}_high"][idx] = sum(v[0] * v[2] for v in vals) / w
    # Dependence: add the relative bandwidth share, loop by loop.
    for yi in range(len(YEARS)):
        for ti in range(len(TARGETS)):
            for di in range(len(DOMAINS)):
                bl = [out["bandwidth_low"][yi, pi, ti, di] for pi in range(len(PATRONS))]
                bh = [out["bandwidth_high"][yi, pi, ti, di] for pi in range(len(PATRONS))]
                tot_l = sum(x for x in bl if not math.isnan(x))
                tot_h = sum(x for x in bh if not math.isnan(x))
                for pi in range(len(PATRONS)):
                    if math.isnan(bl[pi]):
                        continue
                    rl = bl[pi] / (bl[pi] + tot_h - bh[pi]) if bh[pi] > 0 else 0.0
                    rh = bh[pi] / (bh[pi] + tot_l - bl[pi]) if bh[pi] > 0 else 0.0
                    for b, r in (("low", rl), ("high", rh)):
                        key = f"dependence_{b}"
                        cur = out[key][yi, pi, ti, di]
                        w = sum(v[0] for v in acc.get((YEARS[yi], PATRONS[pi], TARGETS[ti], DOMAINS[di],
                                                       "dependence"), []))
                        out[key][yi, pi, ti, di] = ((0.0 if math.isnan(cur) else cur) * w + r) / (w + 1.0)
    # Influence, overall and division of labour, element by element.
    infl = {b: np.full(shape, np.nan) for b in ("low", "high")}
    for b in ("low", "high"):
        for i in np.ndindex(shape):
            bw, dep = out[f"bandwidth_{b}"][i], out[f"dependence_{b}"][i]
            if not (math.isnan(bw) or math.isnan(dep)):
                infl[b][i] = min(max(bw, 0), 1) * min(max(dep, 0), 1)
    dol = np.full((len(YEARS), len(TARGETS)), np.nan)
    c, r = PATRONS.index("CHN"), PATRONS.index("RUS")
    sec, eco = DOMAINS.index("security"), DOMAINS.index("economy")
    mid = (infl["low"] + infl["high"]) / 2
    for yi in range(len(YEARS)):
        for ti in range(len(TARGETS)):
            vals = [mid[yi, c, ti, sec], mid[yi, r, ti, sec], mid[yi, c, ti, eco], mid[yi, r, ti, eco]]
            if any(math.isnan(v) for v in vals) or vals[0] + vals[1] <= 0 or vals[2] + vals[3] <= 0:
                continue
            dol[yi, ti] = vals[2] / (vals[2] + vals[3]) - vals[0] / (vals[0] + vals[1])
    return {"influence_low": infl["low"], "influence_high": infl["high"], "dol": dol}


def _scale(x: float, c) -> float:
    if c.scale == "share":
        v = x
    elif c.scale == "linear":
        v = x / c.ref
    else:
        floor = c.ref / 1000.0
        v = math.log10(max(x, floor) / floor) / 3.0
    return min(max(v, 0.0), 1.0)


def _nan(v) -> bool:
    return v is None or (isinstance(v, float) and math.isnan(v))


# -- heartland ---------------------------------------------------------------------------------

def heartland_path(db: Path, empty_dir: Path) -> dict[str, np.ndarray]:
    empty_ties = empty_dir / "ties.csv"
    empty_inst = empty_dir / "institutions.csv"
    w = build_world(db, "2024-12-31", curated_path=empty_ties, institutions_path=empty_inst)
    idx = compute_indices(w, YEARS)
    lo, hi = ix.influence_interval(w.arrays["bandwidth_low"], w.arrays["bandwidth_high"],
                                   w.arrays["dependence_low"], w.arrays["dependence_high"])
    dol = idx.division_of_labour[idx.division_of_labour.target.isin(TARGETS)]
    dol_arr = dol.pivot(index="year", columns="target", values="mid").reindex(index=YEARS, columns=list(TARGETS))
    return {"influence_low": lo, "influence_high": hi, "dol": dol_arr.to_numpy()}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=10_000)
    ap.add_argument("--facts-per-article", type=int, default=5)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        db = tmp / "bench.duckdb"
        (tmp / "ties.csv").write_text("patron,target,indicator,year,period,value,low,high,unit,source,source_url,"
                                      "source_year,note\n")
        (tmp / "institutions.csv").write_text("institution,member,role,start,end,source,source_url,source_year,note\n")
        n = make_store(db, args.articles, args.facts_per_article)
        print(f"store: {args.articles} articles, {n} facts, years {YEARS[0]}-{YEARS[-1]}")
        fast = min(_timed(lambda: heartland_path(db, tmp)) for _ in range(args.repeat))
        slow = min(_timed(lambda: naive(db)) for _ in range(max(1, args.repeat - 2)))
        a, b = heartland_path(db, tmp), naive(db)
        for k in a:
            np.testing.assert_allclose(a[k], b[k], rtol=1e-9, atol=1e-12, equal_nan=True, err_msg=k)
        print("results: identical (influence low/high for every dyad, domain and year; division of labour)")
        print(f"heartland build_world + compute_indices: {fast:.2f} s")
        print(f"straightforward pandas/pure-Python:       {slow:.2f} s")
        print(f"ratio (straightforward / heartland):      {slow / fast:.1f}x")


def _timed(fn) -> float:
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


if __name__ == "__main__":
    main()
