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

import contextlib
import contextvars
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


#: Decisions taken as made without writing them (item_key → (state, edited JSON or None)):
#: the exact preview of a decision builds the world under them (``hypothetical``).
_HYPOTHETICAL: contextvars.ContextVar[dict[str, tuple[str, str | None]]] = contextvars.ContextVar(
    "heartland_review_hypothetical", default={})


@contextlib.contextmanager
def hypothetical(decisions: dict[str, tuple[str, str | None]]):
    """Within the block, ``item_states`` reads these decisions as if recorded (the store is
    not written): ``build_world`` then builds the world the decisions would make."""
    token = _HYPOTHETICAL.set(dict(decisions))
    try:
        yield
    finally:
        _HYPOTHETICAL.reset(token)


#: The table and id column of the kinds whose states the world reads.
_TABLES = {"fact": ("facts", "fact_id"), "event": ("events", "event_id")}
_STATE_COLUMNS = ["item_id", "item_key", "state", "edited", "confidence"]


def item_states(conn, kind: str) -> pd.DataFrame:
    """item_id, item_key, state, edited, confidence for the items of one kind.

    Keys are computed only for the items of articles someone decided on (a decision names
    its article's id and URL) and for ``hypothetical`` decisions: an undecided item is a
    candidate whatever its key, and computing 40,000 keys per world build cost 0.2 s on a
    10,000-article store. An undecided item's ``item_key`` is None."""
    from heartland.review.schema import existing_tables, items_with_state_sql, keys_sql

    over = _HYPOTHETICAL.get()
    try:
        tabs = existing_tables(conn)
        table, idcol = _TABLES.get(kind, (None, None))
        if table is None or table not in tabs:
            sql = items_with_state_sql(conn)
            df = conn.execute(f"SELECT item_id, item_key, state, edited, confidence FROM ({sql}) WHERE kind = ?",
                              [kind]).df()
        else:
            df = conn.execute(f"SELECT {idcol} AS item_id, coalesce(confidence, 1.0) AS confidence "
                              f"FROM {table}").df()
            df["item_key"], df["state"], df["edited"] = None, "candidate", None
            df = df[_STATE_COLUMNS].astype({"item_key": object, "state": object, "edited": object})
            dec = pd.DataFrame(columns=["item_id", "item_key", "state", "edited"])
            if "review_decisions" in tabs and conn.execute("SELECT count(*) FROM review_decisions").fetchone()[0]:
                sql = items_with_state_sql(conn, only={table})
                dec = conn.execute(
                    f"SELECT item_id, item_key, state, edited FROM ({sql}) WHERE state <> 'candidate' AND "
                    "(article_id IN (SELECT article_id FROM review_decisions) "
                    " OR article_url IN (SELECT article_url FROM review_decisions))").df()
            if over:
                hyp = conn.execute(f"SELECT item_id, item_key FROM ({keys_sql({table, 'articles'} & tabs)}) "
                                   "WHERE kind = ? AND item_key IN (SELECT unnest(?))", [kind, list(over)]).df()
                if not hyp.empty:
                    hyp["state"] = [over[k][0] for k in hyp["item_key"]]
                    hyp["edited"] = [over[k][1] for k in hyp["item_key"]]
                    dec = pd.concat([dec[~dec["item_id"].isin(hyp["item_id"])], hyp], ignore_index=True)
            if not dec.empty:
                d = dec.drop_duplicates("item_id", keep="last").set_index("item_id")
                hit = df["item_id"].isin(d.index)
                for c in ("item_key", "state", "edited"):
                    df.loc[hit, c] = df.loc[hit, "item_id"].map(d[c]).to_numpy()
    except Exception:  # noqa: BLE001 - a store without the item tables: nothing decided
        return pd.DataFrame(columns=_STATE_COLUMNS)
    return df


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


#: Why an item is shown as evidence but not counted (explain's "left out" list).
WHY_REJECTED = "rejected by a reviewer"
WHY_NOT_REVIEWED = "not reviewed (--evidence reviewed counts accepted and edited items only)"
WHY_FACT_UNCORROBORATED = (f"uncorroborated: one outlet, and no data or curated figure within "
                           f"{DATA_TOLERANCE:.0%}")
WHY_EVENT_UNCORROBORATED = "uncorroborated: no other article reports this type in the same month with a shared actor"


def _below(conf: pd.Series) -> pd.Series:
    # each distinct confidence formatted once (a store holds tens of thousands of candidates)
    return conf.map({c: f"below confidence ({c:.2f} < {MIN_CONFIDENCE})" for c in conf.unique()})


def _why(state: pd.Series, conf: pd.Series, corroborated, mode: str, uncorroborated: str) -> pd.Series:
    """None for an item the mode counts, else the reason it is left out."""
    why = pd.Series(None, index=state.index, dtype=object)
    cand = (state == "candidate").to_numpy()
    if mode == "reviewed":
        why[cand] = WHY_NOT_REVIEWED
    elif mode == "policy":
        low = (conf < MIN_CONFIDENCE).to_numpy()
        why[cand & low] = _below(conf[cand & low])
        why[cand & ~low & ~np.asarray(corroborated, dtype=bool)] = uncorroborated
    why[(state == "rejected").to_numpy()] = WHY_REJECTED
    return why


def fact_status(facts: pd.DataFrame, states: pd.DataFrame, mode: str,
                reference: pd.DataFrame | None = None) -> pd.DataFrame:
    """``facts`` with ``item_id``, ``state``, ``edited``, ``confidence`` and ``why`` (None when
    the mode counts the fact, else why it is left out); the one place the rule lives."""
    mode = check_mode(mode)
    df = facts.copy()
    df["item_id"] = df["eid"].astype(str).str.removeprefix("fact:")
    st = states.drop_duplicates("item_id").set_index("item_id")
    df["state"] = df["item_id"].map(st["state"]).astype(object).fillna("candidate")
    df["edited"] = df["item_id"].map(st["edited"])
    df["confidence"] = pd.to_numeric(df["item_id"].map(st["confidence"]), errors="coerce").fillna(1.0)
    corr = np.ones(len(df), dtype=bool)
    if mode == "policy" and len(df):
        outlets = pd.to_numeric(df.get("n_outlets", df.get("corroboration", 1)), errors="coerce").fillna(1)
        corr = ((outlets >= 2) | agrees_with_data(df, reference)).to_numpy()
    df["why"] = _why(df["state"], df["confidence"], corr, mode, WHY_FACT_UNCORROBORATED)
    return df


def admit_facts(facts: pd.DataFrame, states: pd.DataFrame, mode: str,
                reference: pd.DataFrame | None = None) -> pd.DataFrame:
    """The fact evidence rows the mode counts, with a ``ground`` column (reviewed/policy)
    and edits applied. ``facts`` is heartland.world.store_io.fact_evidence's table (eid
    ``fact:<fact_id>``, corroboration = distinct sources); ``reference``: data and curated items."""
    mode = check_mode(mode)
    if facts.empty:
        return facts.assign(ground=pd.Series(dtype=object))
    df = fact_status(facts, states, mode, reference)
    df = df[df["why"].isna()].drop(columns="why").copy()
    df = _apply_fact_edits(df)
    df["ground"] = _ground(df["state"], mode)
    return df.drop(columns=["item_id", "state", "edited"])


def _month(d) -> str:
    return "" if d is None or (isinstance(d, float) and math.isnan(d)) else str(d)[:7]


def _months(dates: pd.Series) -> np.ndarray:
    """``_month`` of each date (its first 7 characters, '' when missing), column-wise."""
    out = dates.astype(str).str[:7].to_numpy(dtype=object)
    out[pd.isna(dates).to_numpy()] = ""
    return out


def _events_corroborated(df: pd.DataFrame) -> np.ndarray:
    """Whether another article reports the same type in the same month with a shared actor:
    for some actor of the event, the (type, month, actor) group holds two articles or more
    (vectorised: one explode and one groupby, not a pairwise loop)."""
    acts = [a if a is not None and not isinstance(a, float) else () for a in df["actors"].tolist()]
    lens = [len(a) for a in acts]
    rep = np.repeat(np.arange(len(df)), lens)   # one row per (event, actor): an explode by hand
    rows = pd.DataFrame({"row": rep, "article_id": df["article_id"].to_numpy()[rep],
                         "type": df["type"].astype(str).to_numpy()[rep],
                         "month": _months(df["date"])[rep],
                         "actor": pd.Series([v for a in acts for v in a], dtype=object)})
    rows = rows.dropna(subset=["actor"])
    if rows.empty:
        return np.zeros(len(df), dtype=bool)
    n = rows.groupby(["type", "month", "actor"])["article_id"].transform("nunique")
    hit = rows.loc[n.to_numpy() >= 2, "row"].unique()
    out = np.zeros(len(df), dtype=bool)
    out[hit.astype(int)] = True
    return out


def event_status(events: pd.DataFrame, states: pd.DataFrame, mode: str) -> pd.DataFrame:
    """``events`` with ``state``, ``edited_``, ``conf_`` and ``why`` (None when counted)."""
    mode = check_mode(mode)
    df = events.copy()
    st = states.drop_duplicates("item_id").set_index("item_id")
    df["state"] = df["event_id"].map(st["state"]).astype(object).fillna("candidate")
    df["edited_"] = df["event_id"].map(st["edited"])
    conf = df["confidence"] if "confidence" in df.columns else pd.Series(1.0, index=df.index)
    df["conf_"] = pd.to_numeric(conf, errors="coerce").fillna(1.0)
    corr = _events_corroborated(df) if mode == "policy" and len(df) else np.ones(len(df), dtype=bool)
    df["why"] = _why(df["state"], df["conf_"], corr, mode, WHY_EVENT_UNCORROBORATED)
    return df


def admit_events(events: pd.DataFrame, states: pd.DataFrame, mode: str) -> pd.DataFrame:
    """The event rows the mode counts, with a ``ground`` column and edits applied."""
    mode = check_mode(mode)
    if events is None or events.empty:
        return events if events is not None else pd.DataFrame()
    df = event_status(events, states, mode)
    df = df[df["why"].isna()].drop(columns="why").copy()
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
