"""The evidence policy: what each --evidence mode counts (docs/review.md)."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from heartland.errors import UserError
from heartland.review import policy


def _facts():
    # four candidate facts of one cell, as heartland.world.store_io.fact_evidence gives them
    return pd.DataFrame({
        "eid": ["fact:a:1", "fact:a:2", "fact:b:3", "fact:c:4"], "kind": "fact",
        "patron": "CHN", "target": "KAZ", "indicator": "trade_bilateral", "year": 2023,
        "value": [40.0, 41.0, 90.0, 20.0], "low": [40.0, 41.0, 90.0, 20.0], "high": [40.0, 41.0, 90.0, 20.0],
        "unit": "USD_bn", "n_outlets": [2, 1, 1, 1]})


def _states(rows):
    return pd.DataFrame(rows, columns=["item_id", "item_key", "state", "edited", "confidence"])


def test_policy_admits_confident_corroborated_or_data_backed_candidates_only():
    states = _states([("a:1", "k1", "candidate", None, 0.8), ("a:2", "k2", "candidate", None, 0.8),
                      ("b:3", "k3", "candidate", None, 0.8), ("c:4", "k4", "candidate", None, 0.5)])
    ref = pd.DataFrame({"patron": ["CHN"], "target": ["KAZ"], "indicator": ["trade_bilateral"], "year": [2023],
                        "value": [41.5], "low": [41.5], "high": [41.5]})
    got = policy.admit_facts(_facts(), states, "policy", ref)
    # a:1 corroborated by a second outlet; a:2 within 10 % of data; b:3 neither; c:4 not confident
    assert list(got["eid"]) == ["fact:a:1", "fact:a:2"]
    assert set(got["ground"]) == {"policy"}


def test_reviewed_counts_decisions_only_and_rejected_counts_nowhere():
    states = _states([("a:1", "k1", "rejected", None, 0.8), ("a:2", "k2", "accepted", None, 0.8),
                      ("b:3", "k3", "edited", json.dumps({"value": 9.0}), 0.8), ("c:4", "k4", "candidate", None, 0.5)])
    reviewed = policy.admit_facts(_facts(), states, "reviewed")
    assert list(reviewed["eid"]) == ["fact:a:2", "fact:b:3"]
    assert reviewed.set_index("eid").loc["fact:b:3", ["value", "low", "high"]].tolist() == [9.0, 9.0, 9.0]
    assert set(reviewed["ground"]) == {"reviewed"}
    everything = policy.admit_facts(_facts(), states, "all")
    assert "fact:a:1" not in set(everything["eid"]) and len(everything) == 3
    assert everything.set_index("eid").loc["fact:c:4", "ground"] == "unreviewed"


def test_events_need_another_article_for_the_policy():
    ev = pd.DataFrame({"event_id": ["a:e0", "b:e0", "c:e0"], "article_id": ["a", "b", "c"],
                       "type": ["visit", "visit", "summit"], "date": ["2023-05-18", "2023-05-19", "2023-05-18"],
                       "actors": [["CHN", "KAZ"], ["KAZ", "CHN"], ["CHN", "C5"]], "confidence": [0.8, 0.8, 0.8]})
    got = policy.admit_events(ev, _states([]), "policy")
    assert list(got["event_id"]) == ["a:e0", "b:e0"]
    rej = policy.admit_events(ev, _states([("a:e0", "k", "rejected", None, 0.8)]), "all")
    assert list(rej["event_id"]) == ["b:e0", "c:e0"]


def test_unknown_mode_is_one_clear_error():
    with pytest.raises(UserError, match="--evidence must be one of"):
        policy.check_mode("some")
