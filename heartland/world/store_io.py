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
        except duckdb.Error as exc:  # a damaged store file: one line (heartland.store.db.StoreDamaged)
            from heartland.store.db import damaged, is_damage
            if is_damage(exc):
                raise damaged(p, exc) from None
            raise
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


def _year_sql(col: str, typ: str) -> str:
    """SQL for the year of a date/timestamp/text column (NULL when it has none)."""
    if typ.startswith(("DATE", "TIMESTAMP")):
        return f"year({col})"
    return f"TRY_CAST(substr(CAST({col} AS VARCHAR), 1, 4) AS INTEGER)"


def fact_evidence(conn) -> tuple[pd.DataFrame, list[str]]:
    """Extracted facts as evidence (kind ``fact``), with article, outlet, date and span.

    Done in one SQL query (orientation, year, period, corroboration, indicator mapping),
    so a store of many thousand articles reads in well under a second.
    """
    if conn is None or "facts" not in tables(conn):
        return empty_evidence(), []
    ftypes = dict(conn.execute("SELECT column_name, data_type FROM information_schema.columns "
                               "WHERE table_name = 'facts'").fetchall())
    need = {"subject", "object", "indicator", "article_id"}
    if not need <= set(ftypes):
        return empty_evidence(), [f"facts table lacks {sorted(need - set(ftypes))}; facts left out"]
    atypes = dict(conn.execute("SELECT column_name, data_type FROM information_schema.columns "
                               "WHERE table_name = 'articles'").fetchall()) if "articles" in tables(conn) else {}
    join = "id" in atypes
    pubcol = "published_utc" if "published_utc" in atypes else ("published" if "published" in atypes else None)

    def f(name, default="NULL"):
        return f"f.{name}" if name in ftypes else default

    def a(name):
        return f"a.{name}" if join and name in atypes else "NULL"

    pub = f"a.{pubcol}" if join and pubcol else "NULL"
    y_end = _year_sql("f.period_end", ftypes["period_end"]) if "period_end" in ftypes else "NULL"
    y_start = _year_sql("f.period_start", ftypes["period_start"]) if "period_start" in ftypes else "NULL"
    y_pub = _year_sql(pub, atypes.get(pubcol, "VARCHAR")) if pub != "NULL" else "NULL"
    if "corroboration" in ftypes:
        corr = "f.corroboration"
    elif "n_sources" in ftypes:
        corr = "f.n_sources"
    elif "sources" in ftypes:
        corr = "len(f.sources)"
    else:
        corr = "1"
    fid = f("id", f("fact_id", "f.article_id || ':' || CAST(f.span_start AS VARCHAR)"))
    targets = ", ".join(f"'{t}'" for t in sorted(TARGET_SET))
    mapping = fact_indicator_map()
    ind = "f.indicator" if not mapping else (
        "CASE f.indicator " + " ".join(f"WHEN '{k}' THEN '{v}'" for k, v in mapping.items()) + " ELSE f.indicator END")
    sql = f"""
    WITH x AS (
      SELECT f.*, upper(coalesce(f.subject, '')) AS s, upper(coalesce(f.object, '')) AS o,
             {a('outlet')} AS outlet_, {a('url')} AS url_, {pub} AS published_,
             {y_end} AS y_end, {y_start} AS y_start, {y_pub} AS y_pub
      FROM facts f {"LEFT JOIN articles a ON f.article_id = a.id" if join else ""}
      -- only catalogue-mapped facts that pass the plausibility check feed the world
      WHERE f.indicator IS NOT NULL AND coalesce({f('flag', "''")}, '') = ''
    ), o AS (
      SELECT *,
        CASE WHEN s IN ({targets}) AND o NOT IN ({targets}) THEN (CASE WHEN o = '' THEN 'WLD' ELSE o END)
             ELSE s END AS patron_,
        CASE WHEN s IN ({targets}) AND o NOT IN ({targets}) THEN s ELSE o END AS target_
      FROM x
    )
    SELECT 'fact:' || CAST({fid.replace('f.', '')} AS VARCHAR) AS eid, 'fact' AS kind,
           patron_ AS patron, target_ AS target, {ind.replace('f.', '')} AS indicator,
           coalesce(y_end, y_start, y_pub) AS year,
           CASE WHEN y_start IS NOT NULL AND y_end IS NOT NULL AND y_start <> y_end
                THEN CAST(y_start AS VARCHAR) || '-' || CAST(y_end AS VARCHAR) END AS period,
           {f('value').replace('f.', '')} AS value, {f('low').replace('f.', '')} AS low,
           {f('high').replace('f.', '')} AS high, {f('unit').replace('f.', '')} AS unit,
           coalesce(outlet_, 'article') AS source, url_ AS source_url, published_ AS published,
           article_id, {f('span_start').replace('f.', '')} AS span_start,
           {f('span_end').replace('f.', '')} AS span_end, coalesce({corr.replace('f.', '')}, 1) AS corroboration,
           {f('qualifier').replace('f.', '')} AS note
    FROM o
    WHERE target_ IN ({targets}) AND patron_ <> '' AND patron_ NOT IN ({targets})
    """
    out = conn.execute(sql).df()
    if out.empty:
        return empty_evidence(), []
    return normalise(out), []


def fact_outlets(conn) -> dict[str, int]:
    """fact_id → the number of distinct outlets among the articles that state the fact."""
    if conn is None or "facts" not in tables(conn) or "sources" not in columns(conn, "facts"):
        return {}
    join = "LEFT JOIN articles a ON a.id = s.aid" if "articles" in tables(conn) else ""
    outlet = "coalesce(a.outlet, s.aid)" if join else "s.aid"
    return dict(conn.execute(f"SELECT s.fact_id, count(DISTINCT {outlet}) FROM (SELECT fact_id, unnest(sources) "
                             f"AS aid FROM facts) s {join} GROUP BY s.fact_id").fetchall())


def load_events(conn) -> pd.DataFrame:
    if conn is None or "events" not in tables(conn):
        return pd.DataFrame()
    df = conn.execute("SELECT * FROM events").df()
    if "actors" in df.columns:  # Python lists, not NumPy arrays: pickling 20,000 arrays took 0.14 s
        df["actors"] = pd.Series([a.tolist() if isinstance(a, np.ndarray) else a for a in df["actors"].tolist()],
                                 index=df.index, dtype=object)
    return df


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


#: Columns of an event trace: one row per event counted for one patron → target pair.
EVENT_TRACE_COLUMNS = ["patron", "target", "indicator", "year", "event_id", "article_id", "type", "date",
                       "actors", "span_start", "span_end", "ground", "date_precision"]


def _clean(v):
    if v is None or v is pd.NaT:
        return None
    if isinstance(v, float) and np.isnan(v):
        return None
    return v


class _Upper(dict):
    """str → str.upper(), computed on first use."""

    def __missing__(self, a: str) -> str:
        u = self[a] = a.upper()
        return u


def _trace_pairs(events: pd.DataFrame, years) -> dict | None:
    """The counted (event, patron, target) rows of ``events`` that :func:`event_trace` and
    :func:`event_pairs` describe: ``pairs`` (k, patron, target, in the order of a row-by-row
    walk: event, then patron, then target in actor order), ``rows`` (each pair's event's
    position in ``events``), and what the trace reads from them; None when none counts."""
    if events is None or events.empty:
        return None
    kind_col = next((c for c in ("kind", "type", "event_type", "predicate") if c in events.columns), None)
    date_col = next((c for c in ("date", "event_date", "when", "date_start") if c in events.columns), None)
    if kind_col is None or date_col is None:
        return None
    id_col = next((c for c in ("event_id", "id") if c in events.columns), None)
    years = set(int(y) for y in years)
    # Column-wise (a store holds tens of thousands of events): the component of each distinct
    # type once, the year of each date, then one explode of the counted events' actors.
    kinds = pd.Series([str(k or "") for k in events[kind_col].tolist()], dtype=object)
    comp_of = {k: next((c for c, keys in EVENT_COMPONENTS.items() if any(x in k.lower() for x in keys)), None)
               for k in set(kinds)}
    comp = kinds.map(comp_of)
    dates = events[date_col].reset_index(drop=True)
    is_dt = pd.api.types.is_datetime64_any_dtype(dates)
    yr = (dates.dt.year.to_numpy(dtype=float) if is_dt
          else np.array([_year_of(d) for d in dates.tolist()], dtype=float))
    keep = np.flatnonzero(comp.notna().to_numpy() & ~np.isnan(yr)
                          & np.isin(np.nan_to_num(yr, nan=-1).astype(int), list(years)))
    if not len(keep):
        return None
    col = lambda name: (events[name].reset_index(drop=True).iloc[keep].tolist()  # noqa: E731
                        if name in events.columns else [None] * len(keep))
    subj, obj = col("subject"), col("object")
    upper = _Upper()  # each distinct actor upper-cased once
    actors = [[upper[a] if type(a) is str else str(a).upper()
               for a in (x if x is not None and not isinstance(x, float) else (s_, o_)) if a]
              for x, s_, o_ in zip(col("actors"), subj, obj)]
    a = pd.DataFrame({"k": np.repeat(np.arange(len(keep)), [len(x) for x in actors]),
                      "actor": [v for x in actors for v in x]})
    pats = a[a["actor"].isin(PATRONS)].rename(columns={"actor": "patron"})
    targs = a[a["actor"].isin(TARGETS)].rename(columns={"actor": "target"})
    c5 = np.setdiff1d(a.loc[a["actor"] == "C5", "k"].unique(), targs["k"].unique())
    if len(c5):  # "the five" with no state named: every state
        targs = pd.concat([targs, pd.DataFrame({"k": np.repeat(c5, len(TARGETS)),
                                                "target": list(TARGETS) * len(c5)})])
    pairs = pats.merge(targs, on="k", sort=False)
    # the order of the former row-by-row walk: event, then patron, then target (actor order)
    pairs = pairs.sort_values("k", kind="stable")
    k = pairs["k"].to_numpy(dtype=int)
    return {"pairs": pairs, "k": k, "rows": keep[k], "comp": comp, "yr": yr, "kinds": kinds, "dates": dates,
            "is_dt": is_dt, "id_col": id_col, "actors": actors}


def _trace_ids(events: pd.DataFrame, t: dict) -> list[str]:
    """The event id of each pair (``event:<position>`` for an event without one)."""
    rows_ = t["rows"]
    if t["id_col"] is None:
        return [f"event:{i}" for i in rows_]
    v = events[t["id_col"]].reset_index(drop=True).iloc[rows_]
    ids = v.to_numpy(dtype=object, copy=True)
    ids[pd.isna(v).to_numpy()] = None
    return [str(x) if x is not None else f"event:{i}" for x, i in zip(ids.tolist(), rows_)]


#: Columns of :func:`event_pairs`.
EVENT_PAIR_COLUMNS = ["event_id", "patron", "target", "indicator", "year"]


def event_pairs(events: pd.DataFrame, years) -> pd.DataFrame:
    """The rows of :func:`event_trace` with only its count keys (event_id, patron, target,
    indicator, year), in the same order: what a count needs, without the explain columns."""
    t = _trace_pairs(events, years)
    if t is None:
        return pd.DataFrame(columns=EVENT_PAIR_COLUMNS)
    rows_ = t["rows"]
    return pd.DataFrame({"event_id": _trace_ids(events, t), "patron": t["pairs"]["patron"].to_numpy(),
                         "target": t["pairs"]["target"].to_numpy(), "indicator": t["comp"].to_numpy()[rows_],
                         "year": t["yr"][rows_].astype(int)}, columns=EVENT_PAIR_COLUMNS)


def event_trace(events: pd.DataFrame, years) -> pd.DataFrame:
    """Every event behind an event-derived count: one row per (event, patron, target) it
    counts for, with the event's id, type, date, actors, article, span and ground.

    :func:`event_components` counts these rows, so a count and the events explain lists
    for it are the same rows by construction.
    """
    t = _trace_pairs(events, years)
    if t is None:
        return pd.DataFrame(columns=EVENT_TRACE_COLUMNS)
    pairs, k, rows_, actors, dates = t["pairs"], t["k"], t["rows"], t["actors"], t["dates"]

    def take(name: str) -> pd.Series:
        return (events[name].reset_index(drop=True).iloc[rows_] if name in events.columns
                else pd.Series([None] * len(k), dtype=object))

    def other(name: str) -> list:  # missing (None, NaN, NaT) → None, as _clean
        v = take(name)
        out = v.to_numpy(dtype=object, copy=True)
        out[pd.isna(v).to_numpy()] = None
        return out.tolist()

    def span(name: str) -> list:
        v = pd.to_numeric(take(name), errors="coerce").to_numpy(dtype=float)
        out = np.nan_to_num(v).astype(np.int64).tolist()  # Python ints
        for i in np.flatnonzero(np.isnan(v)):
            out[i] = None
        return out

    ev_id = _trace_ids(events, t)
    if t["is_dt"]:
        d = dates.iloc[rows_]
        day = d.dt.strftime("%Y-%m-%d").to_numpy(dtype=object, copy=True)
        day[pd.isna(d).to_numpy()] = None
        day = day.tolist()
    else:
        day = [str(x)[:10] if x is not None else None for x in (_clean(v) for v in dates.iloc[rows_].tolist())]
    return pd.DataFrame({"patron": pairs["patron"].to_numpy(), "target": pairs["target"].to_numpy(),
                         "indicator": t["comp"].to_numpy()[rows_], "year": t["yr"][rows_].astype(int),
                         "event_id": ev_id, "article_id": other("article_id"), "type": t["kinds"].to_numpy()[rows_],
                         "date": day, "actors": [actors[i] for i in k], "span_start": span("span_start"),
                         "span_end": span("span_end"), "ground": other("ground"),
                         "date_precision": other("date_precision")}, columns=EVENT_TRACE_COLUMNS)


def counts_from_trace(trace: pd.DataFrame) -> pd.DataFrame:
    """Event-count components (one row per patron, target, indicator, year) from an event trace."""
    if trace is None or trace.empty:
        return pd.DataFrame()
    c = trace.groupby(["patron", "target", "indicator", "year"]).size().rename("n").reset_index()
    return c.assign(low=c["n"].astype(float), high=c["n"].astype(float), unit="count", year_used=c["year"],
                    conflict=False, disputed=False, open_high=False, n_used=c["n"], n_items=c["n"]).drop(columns="n")


def event_components(events: pd.DataFrame, years) -> pd.DataFrame:
    """Counts of dated events per patron → target and year, by component (empty if no events)."""
    return counts_from_trace(event_trace(events, years))
