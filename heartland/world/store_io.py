"""Reading the store for the world: imported dataset rows, extracted facts, events, quotes.

The store's tables belong to other stages (``articles``: store; ``facts``, ``events``,
``quotes``: extract); ``dataset_rows`` belongs to this stage (written by ``heartland
import``). Columns are read by name and a missing table simply yields nothing, so the
world builds from the curated data alone on an empty or absent store.
"""

from __future__ import annotations

import contextlib
from pathlib import Path

from functools import lru_cache

import duckdb
import numpy as np
import pandas as pd
import yaml

from heartland.paths import DATA_DIR

from heartland.world.axes import PATRONS, TARGETS
from heartland.world.evidence import empty_evidence, normalise

DATASET_TABLE = "dataset_rows"
DATASET_DDL = f"""
CREATE TABLE IF NOT EXISTS {DATASET_TABLE} (
    row_id VARCHAR PRIMARY KEY,  -- stable hash of (dataset, reporter, actor, partner, indicator, year, period)
    dataset VARCHAR NOT NULL,    -- comtrade, imf-dots, sipri-register, sipri-tiv, worldbank
    file VARCHAR NOT NULL,       -- file name imported
    line INTEGER,                -- first source line the value was read from
    lines VARCHAR,               -- every source line summed into the value
    reporter VARCHAR,            -- who reported the figure (mirror statistics differ)
    actor VARCHAR NOT NULL,      -- ISO alpha-3: patron side of a dyad, or the country of a monadic indicator
    partner VARCHAR,             -- ISO alpha-3 target side; NULL for monadic indicators
    indicator VARCHAR NOT NULL,
    year INTEGER NOT NULL,
    period VARCHAR,
    value DOUBLE, low DOUBLE, high DOUBLE,
    unit VARCHAR NOT NULL,
    source VARCHAR NOT NULL,
    note VARCHAR,
    imported_at TIMESTAMP DEFAULT current_timestamp
)"""

TARGET_SET = set(TARGETS) | {"C5"}
INDICATORS_YAML = DATA_DIR / "indicators.yaml"


@lru_cache(maxsize=1)
def fact_indicator_map() -> dict[str, str]:
    """Extraction's indicator ids → the curated catalogue's (the ``curated`` field of
    heartland/data/indicators.yaml, e.g. extraction's ``trade_total`` is bilateral trade)."""
    if not INDICATORS_YAML.exists():
        return {}
    with INDICATORS_YAML.open(encoding="utf-8") as fh:
        rows = yaml.safe_load(fh) or []
    return {r["id"]: r["curated"] for r in rows if isinstance(r, dict) and r.get("curated")}


@contextlib.contextmanager
def connection(conn_or_db, *, read_only: bool = True):
    """Yield a DuckDB connection for a path, pass a connection through, or yield None."""
    if conn_or_db is None:
        yield None
        return
    if isinstance(conn_or_db, (str, Path)):
        p = Path(conn_or_db)
        if read_only and not p.exists():
            yield None
            return
        con = None
        try:
            from heartland.store import open_store  # the store stage's opener, when present
            con = open_store(p, read_only=read_only)
        except ImportError:
            con = duckdb.connect(str(p), read_only=read_only)
        try:
            yield con
        finally:
            con.close()
        return
    yield conn_or_db


def tables(conn) -> set[str]:
    rows = conn.execute("SELECT table_name FROM information_schema.tables").fetchall()
    return {r[0] for r in rows}


def columns(conn, table: str) -> list[str]:
    return [r[0] for r in conn.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_name = ? ORDER BY ordinal_position",
        [table]).fetchall()]


def dataset_evidence(conn) -> pd.DataFrame:
    """Imported dyadic dataset rows as evidence (kind ``dataset``)."""
    if conn is None or DATASET_TABLE not in tables(conn):
        return empty_evidence()
    df = conn.execute(f"SELECT * FROM {DATASET_TABLE} WHERE partner IS NOT NULL").df()
    if df.empty:
        return empty_evidence()
    out = pd.DataFrame({
        "eid": "dataset:" + df["row_id"].astype(str), "kind": "dataset", "patron": df["actor"],
        "target": df["partner"], "indicator": df["indicator"], "year": df["year"], "period": df["period"],
        "value": df["value"], "low": df["low"], "high": df["high"], "unit": df["unit"],
        # Each reporter is its own source: mirror statistics are not revisions of each other.
        "source": df["source"] + np.where(df["reporter"].notna(), ", reported by " + df["reporter"].fillna(""), ""),
        "source_url": None, "published": df["imported_at"], "corroboration": 1,
        "note": df["dataset"] + " " + df["file"] + " line " + df["lines"].fillna(df["line"].astype(str))
        + np.where(df["reporter"].notna(), " (reported by " + df["reporter"].fillna("") + ")", ""),
    })
    return normalise(out)


def monadic_rows(conn, indicator: str) -> pd.DataFrame:
    """Monadic imported rows (World Bank indicators): country, year, value."""
    if conn is None or DATASET_TABLE not in tables(conn):
        return pd.DataFrame(columns=["actor", "year", "value", "row_id"])
    return conn.execute(f"SELECT actor, year, value, row_id, source FROM {DATASET_TABLE} "
                        "WHERE partner IS NULL AND indicator = ?", [indicator]).df()


def _year_of(v) -> float:
    if v is None or (isinstance(v, float) and np.isnan(v)):
        return np.nan
    if hasattr(v, "year"):
        return float(v.year)
    s = str(v)
    return float(s[:4]) if s[:4].isdigit() else np.nan


def orient(subject: str, obj: str) -> tuple[str, str] | None:
    """(patron, target) for a fact's subject and object, or None if it is not a patron→target tie.

    Ties run from an outside power to a Central Asian state (or C5); a fact stated the
    other way round ("Kazakhstan's trade with China") is turned round. A total with the
    world (object empty, WLD or absent) has patron ``WLD``.
    """
    s, o = (subject or "").upper(), (obj or "").upper()
    if s in TARGET_SET and o not in TARGET_SET:
        s, o = (o or "WLD"), s
    if o in TARGET_SET and s and s not in TARGET_SET:
        return s, o
    return None


def fact_evidence(conn) -> tuple[pd.DataFrame, list[str]]:
    """Extracted facts as evidence (kind ``fact``), with article, outlet, date and span."""
    if conn is None or "facts" not in tables(conn):
        return empty_evidence(), []
    fcols = set(columns(conn, "facts"))
    need = {"subject", "object", "indicator", "article_id"}
    if not need <= fcols:
        return empty_evidence(), [f"facts table lacks {sorted(need - fcols)}; facts left out"]
    facts = conn.execute("SELECT * FROM facts").df()
    if facts.empty:
        return empty_evidence(), []
    arts = pd.DataFrame()
    if "articles" in tables(conn):
        acols = set(columns(conn, "articles"))
        pick = [c for c in ("id", "outlet", "url", "title") if c in acols]
        pub = "published_utc" if "published_utc" in acols else ("published" if "published" in acols else None)
        if "id" in pick:
            sel = ", ".join(pick + ([f"{pub} AS published"] if pub else []))
            arts = conn.execute(f"SELECT {sel} FROM articles").df().rename(columns={"id": "article_id"})
            facts = facts.drop(columns=[c for c in ("outlet", "url", "title", "published") if c in facts.columns])
    if not arts.empty:
        facts = facts.merge(arts, on="article_id", how="left", suffixes=("", "_article"))
    oriented = [orient(s, o) for s, o in zip(facts["subject"], facts["object"])]
    keep = np.array([x is not None for x in oriented], dtype=bool)
    facts = facts[keep].reset_index(drop=True)
    oriented = [x for x in oriented if x is not None]
    if facts.empty:
        return empty_evidence(), []
    n = len(facts)

    def col(name, default=None):
        return facts[name] if name in facts.columns else pd.Series([default] * n)

    ps, pe = col("period_start"), col("period_end")
    pub = col("published")
    y_end = np.array([_year_of(v) for v in pe])
    y_start = np.array([_year_of(v) for v in ps])
    y_pub = np.array([_year_of(v) for v in pub])
    year = np.where(~np.isnan(y_end), y_end, np.where(~np.isnan(y_start), y_start, y_pub))
    period = [f"{int(a)}-{int(b)}" if not np.isnan(a) and not np.isnan(b) and a != b else None
              for a, b in zip(y_start, y_end)]
    fid = col("id") if "id" in facts.columns else col("fact_id")
    if fid.isna().all():
        fid = pd.Series([f"{a}:{s}" for a, s in zip(facts["article_id"], col("span_start"))])
    corr = col("corroboration")
    if corr.isna().all() and "sources" in facts.columns:
        corr = facts["sources"].map(lambda v: len(v) if hasattr(v, "__len__") and not isinstance(v, str) else 1)
    if corr.isna().all() and "n_sources" in facts.columns:
        corr = facts["n_sources"]
    outlet = col("outlet")
    out = pd.DataFrame({
        "eid": "fact:" + fid.astype(str), "kind": "fact",
        "patron": [o[0] for o in oriented], "target": [o[1] for o in oriented],
        "indicator": facts["indicator"].map(lambda i: fact_indicator_map().get(i, i)), "year": year,
        "period": period,
        "value": col("value"), "low": col("low"), "high": col("high"), "unit": col("unit"),
        "source": outlet.fillna("article") if outlet is not None else "article",
        "source_url": col("url"), "published": pub, "article_id": facts["article_id"],
        "span_start": col("span_start"), "span_end": col("span_end"),
        "corroboration": corr.fillna(1), "note": col("qualifier"),
    })
    return normalise(out), []


def load_events(conn) -> pd.DataFrame:
    if conn is None or "events" not in tables(conn):
        return pd.DataFrame()
    return conn.execute("SELECT * FROM events").df()


def load_quotes(conn) -> pd.DataFrame:
    if conn is None or "quotes" not in tables(conn):
        return pd.DataFrame()
    q = conn.execute("SELECT * FROM quotes").df()
    if "articles" in tables(conn) and "article_id" in q.columns and "published" not in q.columns:
        acols = columns(conn, "articles")
        pub = "published_utc" if "published_utc" in acols else ("published" if "published" in acols else None)
        if pub:
            a = conn.execute(f"SELECT id AS article_id, {pub} AS published FROM articles").df()
            q = q.merge(a, on="article_id", how="left")
    return q


#: Event kinds (as extraction names them; matched by substring) → event-count component.
EVENT_COMPONENTS = {
    "summits_visits": ("summit", "visit", "meeting", "talks", "consultation"),
    "security_events": ("deploy", "exercise", "drill", "training", "troops", "base", "border post"),
    "connectivity_events": ("railway", "rail", "pipeline", "corridor", "road"),
}


def event_components(events: pd.DataFrame, years) -> pd.DataFrame:
    """Counts of dated events per patron → target and year, by component (empty if no events)."""
    if events is None or events.empty:
        return pd.DataFrame()
    kind_col = next((c for c in ("kind", "type", "event_type", "predicate") if c in events.columns), None)
    date_col = next((c for c in ("date", "event_date", "when", "date_start") if c in events.columns), None)
    if kind_col is None or date_col is None:
        return pd.DataFrame()
    rows = []
    for r in events.itertuples(index=False):
        d = r._asdict()
        kind = str(d.get(kind_col) or "").lower()
        comp = next((c for c, keys in EVENT_COMPONENTS.items() if any(k in kind for k in keys)), None)
        y = _year_of(d.get(date_col))
        if comp is None or np.isnan(y) or int(y) not in years:
            continue
        actors = d.get("actors")
        if actors is None or isinstance(actors, float):
            actors = [d.get("subject"), d.get("object")]
        actors = [str(a).upper() for a in list(actors) if a]
        pats = [a for a in actors if a in PATRONS]
        targs = [a for a in actors if a in TARGETS] or (list(TARGETS) if "C5" in actors else [])
        for p in pats:
            for t in targs:
                rows.append((p, t, comp, int(y)))
    if not rows:
        return pd.DataFrame()
    df = pd.DataFrame(rows, columns=["patron", "target", "indicator", "year"])
    c = df.groupby(["patron", "target", "indicator", "year"]).size().rename("n").reset_index()
    return c.assign(low=c["n"].astype(float), high=c["n"].astype(float), unit="count", year_used=c["year"],
                    conflict=False, disputed=False, open_high=False, n_used=c["n"], n_items=c["n"]).drop(columns="n")
