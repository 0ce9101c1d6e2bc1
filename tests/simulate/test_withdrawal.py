"""The withdrawal shock (a base closed, troops withdrawn): ties fall at once and stay down."""

from __future__ import annotations

import numpy as np
import pytest

from heartland.errors import UserError
from heartland.simulate import parse_scenario, run_ensemble
from heartland.simulate.bundled import SCENARIO_DIR
from heartland.world.axes import DOMAINS, PATRONS, TARGETS

BASE = (SCENARIO_DIR / "baseline.toml").read_text(encoding="utf-8")
SHOCK = """
[[shocks]]
kind = "withdrawal"
date = "2027-06-30"
patron = "RUS"
targets = ["KGZ"]
fraction = {fraction}
note = "an invented base closure"
"""


def _bandwidth(text: str) -> np.ndarray:
    sc = parse_scenario(text, "test.toml")
    res = run_ensemble(sc, runs=16, seed=3)
    return res.times, res.arrays["bandwidth"]


def test_withdrawal_cuts_the_ties_and_they_do_not_grow_back():
    times, base = _bandwidth(BASE)
    _, cut = _bandwidth(BASE + SHOCK.format(fraction=0.8))
    p, t, d = PATRONS.index("RUS"), TARGETS.index("KGZ"), DOMAINS.index("security")
    before = times < 2027.5
    after = times >= 2028
    # before the date nothing differs (same seed, same draws)
    np.testing.assert_allclose(cut[:, before], base[:, before])
    ratio = cut[:, after, p, t, d].mean(axis=0) / base[:, after, p, t, d].mean(axis=0)
    assert np.all(ratio < 0.3), ratio  # 80 % withdrawn; the rest of the run stays near a fifth
    assert ratio[-1] < 0.3  # still down at the horizon: the sustained level fell too
    # other targets' and other domains' ties barely move
    other = cut[:, after, p, TARGETS.index("KAZ"), d].mean() / base[:, after, p, TARGETS.index("KAZ"), d].mean()
    assert 0.9 < other < 1.1


def test_fraction_outside_zero_one_is_a_clear_error():
    with pytest.raises(UserError, match="fraction"):
        parse_scenario(BASE + SHOCK.format(fraction=1.5), "test.toml")
