"""What feeds the world: the evidence policy (docs/review.md).

Three modes (``--evidence`` on world, index, explain, simulate and report):

- ``policy`` (default): data (imported datasets) and curated rows; extracted items a
  reviewer accepted or edited (edits applied); and candidates — items nobody has decided
  on — whose extraction confidence is at least ``MIN_CONFIDENCE`` and that are either
  corroborated by another outlet (a fact: its sources span two outlets or more; an event:
  another article reports the same type in the same month with a shared actor) or, for a
  fact, agree with data within ``DATA_TOLERANCE`` (a dataset or curated item for the same
  patron, target, indicator and year whose interval lies within 10 % of the fact's).
- ``reviewed``: data, curated rows, and accepted or edited items only.
- ``all``: every extracted item (edits applied) — the behaviour before review existed.

A rejected item counts in no mode. Everything not counted is still shown as evidence.
"""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd

from heartland.review.modes import DEFAULT_MODE, EVIDENCE_MODES, check_mode, current_mode, use_mode  # noqa: F401
#: Extraction confidence a candidate needs to count without review (catalogue facts carry
#: 0.8, open figures 0.3–0.6, events and quotes per rule: docs/extract.md).
MIN_CONFIDENCE = 0.7
#: Relative distance within which a fact agrees with a data or curated item.
DATA_TOLERANCE = 0.10
#: The ground of an admitted extracted item, for explain.
GROUND = {"accepted": "reviewed", "edited": "reviewed", "candidate": "policy"}


def item_states(conn, kind: str) -> pd.DataFrame:
    """item_id, item_key, state, edited, confidence for the items of one kind."""
    from heartland.review.schema import items_with_state_sql
    try:
        sql = items_with_state_sql(conn)
        return conn.execute(f"SELECT item_id, item_key, state, edited, confidence FROM ({sql}) WHERE kind = ?",
                            [kind]).df()
    except Exception:  # noqa: BLE001 - a store without the item tables: nothing decided
        return pd.DataFrame(columns=["item_id", "item_key", "state", "edited", "confidence"])


def agrees_with_data(facts: pd.DataFrame, reference: pd.DataFrame | None) -> pd.Series:
    """Whether each fact lies within DATA_TOLERANCE of a reference item of its cell (one merge)."""
    out = pd.Series(False, index=facts.index)
    if reference is None or reference.empty or facts.empty:
        return out

    def mids(df: pd.DataFrame) -> np.ndarray:
        lo = pd.to_numeric(df["low"], errors="coerce").to_numpy(float)
        hi = pd.to_numeric(df["high"], errors="coerce").to_numpy(float)
        v = pd.to_numeric(df["value"], errors="coerce").to_numpy(float)
        both = ~np.isnan(lo) & ~np.isnan(hi)
        return np.where(both, (lo + hi) / 2, np.where(~np.isnan(v), v, np.where(np.isnan(lo), hi, lo)))

    keys = ["patron", "target", "indicator", "year"]
    f = pd.DataFrame({"pos": np.arange(len(facts)), "m": mids(facts)})
    r = pd.DataFrame({"r": mids(reference)})
    for k in keys:
        f[k] = facts[k].to_numpy() if k != "year" else pd.to_numeric(facts[k], errors="coerce").to_numpy(float)
        r[k] = reference[k].to_numpy() if k != "year" else pd.to_numeric(reference[k], errors="coerce").to_numpy(float)
    f, r = f.dropna(subset=["m", "year"]), r.dropna(subset=["r", "year"])
    for k in ("patron", "target", "indicator"):
        f[k], r[k] = f[k].astype(str), r[k].astype(str)
    both = f.merge(r, on=keys)
    ok = np.abs(both["m"] - both["r"]) <= DATA_TOLERANCE * np.maximum(np.abs(both["r"]), 1e-12)
    out.iloc[both.loc[ok, "pos"].unique().astype(int)] = True
    return out


def _apply_fact_edits(df: pd.DataFrame) -> pd.DataFrame:
    """Edited values replace the extracted ones (value, low, high, unit, indicator, year from
    period_end, subject/object → patron/target)."""
    rows = df.index[df["state"] == "edited"]
    for i in rows:
        e = json.loads(df.at[i, "edited"] or "{}")
        for f in ("value", "low", "high", "unit", "indicator"):
            if f in e:
                df.at[i, f] = e[f]
        if "value" in e and "low" not in e and "high" not in e:
            df.at[i, "low"] = df.at[i, "high"] = e["value"]
        if e.get("period_end") or e.get("period_start"):
            df.at[i, "year"] = int(str(e.get("period_end") or e.get("period_start"))[:4])
        if "subject" in e:
            df.at[i, "patron"] = e["subject"]
        if "object" in e:
            df.at[i, "target"] = e["object"]
    return df


def admit_facts(facts: pd.DataFrame, states: pd.DataFrame, mode: str,
                reference: pd.DataFrame | None = None) -> pd.DataFrame:
    """The fact evidence rows the mode counts, with a ``ground`` column (reviewed/policy)
    and edits applied. ``facts`` is heartland.world.store_io.fact_evidence's table (eid
    ``fact:<fact_id>``, corroboration = distinct sources); ``reference``: data and curated items."""
    mode = check_mode(mode)
    if facts.empty:
        return facts.assign(ground=pd.Series(dtype=object))
    df = facts.copy()
    df["item_id"] = df["eid"].astype(str).str.removeprefix("fact:")
    st = states.drop_duplicates("item_id").set_index("item_id")
    df["state"] = df["item_id"].map(st["state"]).astype(object).fillna("candidate")
    df["edited"] = df["item_id"].map(st["edited"])
    df["confidence"] = pd.to_numeric(df["item_id"].map(st["confidence"]), errors="coerce").fillna(1.0)
    keep = df["state"] != "rejected"
    if mode == "reviewed":
        keep &= df["state"].isin(["accepted", "edited"])
    elif mode == "policy":
        cand = df["state"] == "candidate"
        outlets = pd.to_numeric(df.get("n_outlets", df.get("corroboration", 1)), errors="coerce").fillna(1)
        sure = df["confidence"] >= MIN_CONFIDENCE
        ok = sure & ((outlets >= 2) | agrees_with_data(df, reference))
        keep &= ~cand | ok
    df = df[keep].copy()
    df = _apply_fact_edits(df)
    df["ground"] = _ground(df["state"], mode)
    return df.drop(columns=["item_id", "state", "edited"])


def _month(d) -> str:
    return "" if d is None or (isinstance(d, float) and math.isnan(d)) else str(d)[:7]


def _events_corroborated(df: pd.DataFrame) -> np.ndarray:
    """Whether another article reports the same type in the same month with a shared actor:
    for some actor of the event, the (type, month, actor) group holds two articles or more
    (vectorised: one explode and one groupby, not a pairwise loop)."""
    rows = pd.DataFrame({"row": np.arange(len(df)), "article_id": df["article_id"].to_numpy(),
                         "type": df["type"].astype(str).to_numpy(),
                         "month": [_month(d) for d in df["date"]],
                         "actor": [list(a) if a is not None and not isinstance(a, float) else [] for a in df["actors"]]})
    rows = rows.explode("actor").dropna(subset=["actor"])
    if rows.empty:
        return np.zeros(len(df), dtype=bool)
    n = rows.groupby(["type", "month", "actor"])["article_id"].transform("nunique")
    hit = rows.loc[n.to_numpy() >= 2, "row"].unique()
    out = np.zeros(len(df), dtype=bool)
    out[hit.astype(int)] = True
    return out


def admit_events(events: pd.DataFrame, states: pd.DataFrame, mode: str) -> pd.DataFrame:
    """The event rows the mode counts, with a ``ground`` column and edits applied."""
    mode = check_mode(mode)
    if events is None or events.empty:
        return events if events is not None else pd.DataFrame()
    df = events.copy()
    st = states.drop_duplicates("item_id").set_index("item_id")
    df["state"] = df["event_id"].map(st["state"]).astype(object).fillna("candidate")
    df["edited_"] = df["event_id"].map(st["edited"])
    conf = df["confidence"] if "confidence" in df.columns else pd.Series(1.0, index=df.index)
    df["conf_"] = pd.to_numeric(conf, errors="coerce").fillna(1.0)
    keep = df["state"] != "rejected"
    if mode == "reviewed":
        keep &= df["state"].isin(["accepted", "edited"])
    elif mode == "policy":
        corr = _events_corroborated(df)
        ok = (df["conf_"] >= MIN_CONFIDENCE) & np.array(corr, dtype=bool)
        keep &= (df["state"] != "candidate") | ok
    df = df[keep].copy()
    for i in df.index[df["state"] == "edited"]:
        e = json.loads(df.at[i, "edited_"] or "{}")
        for f in ("type", "date", "date_precision", "actors"):
            if f in e:
                df.at[i, f] = e[f]
    df["ground"] = _ground(df["state"], mode)
    return df.drop(columns=["state", "edited_", "conf_"])


def _ground(state: pd.Series, mode: str) -> pd.Series:
    """reviewed for accepted/edited items; a candidate is policy-admitted, or unreviewed
    when ``--evidence all`` counts it without the policy."""
    return state.map({"accepted": "reviewed", "edited": "reviewed"}).fillna("policy" if mode == "policy"
                                                                            else "unreviewed")
