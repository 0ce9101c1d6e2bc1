"""The model against the paper (Scholz, Calbert & Smith 2011) and the faithful replication."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from heartland.forecast import load_issue, run_model
from heartland.forecast.model import (
    CAPITULATION,
    COMPROMISE,
    CONFRONTATION,
    NONE,
    expected_utility,
    play_round,
    simulate,
    success_probability,
    weighted_median,
)
from heartland.forecast.options import ModelOptions

DATA = Path(__file__).parent / "data"
REFERENCE = json.loads((DATA / "replication_reference.json").read_text())
#: The paper's mean-position figure read at one decimal, rounds 0-10.
PAPER_MEAN_PATH = [7.4, 7.4, 7.5, 7.6, 7.3, 7.3, 7.4, 7.5, 7.6, 7.3, 7.2]
NAMES = ["Netherlands", "Belgium", "Luxembourg", "Germany", "France", "Italy", "UK", "Ireland",
         "Denmark", "Greece"]
#: Options matching the replication's code: its capitulation test can never hold.
MATCH = ModelOptions.replication()


def ec_arrays():
    issue = load_issue("ec_emissions_1989")
    x, c, s = (np.array(a, float) for a in issue.arrays())
    return x, c, s


def case_arrays(name):
    a = REFERENCE["cases"][name]["actors"]
    return (np.array([r["position"] for r in a]), np.array([r["capability"] for r in a]),
            np.array([r["salience"] for r in a]))


# --- the paper -------------------------------------------------------------------------

def test_ec_example_reads_salience_on_the_papers_scale():
    issue = load_issue("ec_emissions_1989")
    assert issue.salience_scale == 100.0
    assert issue.names == NAMES
    assert [a.salience.value for a in issue.actors] == [0.8, 0.4, 0.2, 0.8, 0.6, 0.6, 0.9, 0.1, 1.0, 0.7]


def test_ec_mean_path_reproduces_the_papers_figure():
    run = run_model(load_issue("ec_emissions_1989"), rounds=10)
    path = np.array(run.mean_path)
    assert path.shape == (11,)
    assert np.abs(path - PAPER_MEAN_PATH).max() < 0.07
    # the figure's shape: up to round 3, the drop at 4, up to 8, down at 9-10
    steps = np.sign(np.round(np.diff(path), 2))
    assert list(steps[[1, 2, 3, 5, 6, 7, 8]]) == [1, 1, -1, 1, 1, 1, -1]


def test_printed_equations_do_not_reproduce_the_figure():
    """The paper's equations read literally (pairwise P etc.) miss the figure: the
    defaults are needed."""
    x, c, s = ec_arrays()
    mean = simulate(x, c, s, 10, ModelOptions.printed_equations()).mean[0]
    assert np.abs(mean - PAPER_MEAN_PATH).max() > 0.2


# Belgium's perspective in round 1, read off the paper's figure (x: E^B(U_Bj),
# y: E^B(U_jB)); read precision about 0.02 on a -1..1 axis.
BELGIUM_FIGURE = {"Denmark": (-0.84, 0.24), "UK": (-0.66, 0.24), "Germany": (-0.47, 0.24),
                  "Netherlands": (-0.47, 0.24), "France": (-0.12, 0.24), "Italy": (-0.12, 0.24),
                  "Luxembourg": (0.60, 0.24), "Ireland": (0.0, 0.0), "Greece": (0.0, 0.0)}


def test_first_round_expected_utilities_of_belgium_match_the_figure():
    x, c, s = ec_arrays()
    out = play_round(x[None], s[None], (c * s)[None], np.array([6.0]), ModelOptions())
    b = NAMES.index("Belgium")
    for other, (fx, fy) in BELGIUM_FIGURE.items():
        j = NAMES.index(other)
        assert out.eu_ij[0, b, j] == pytest.approx(fx, abs=0.03), other
        assert out.eu_ji[0, b, j] == pytest.approx(fy, abs=0.03), other


def test_first_round_risk_exponents_match_the_replication_and_order():
    x, c, s = ec_arrays()
    sim = simulate(x, c, s, 1)
    ref = np.array(REFERENCE["cases"]["ec_emissions_1989"]["risk"][0])
    np.testing.assert_allclose(sim.risk[0, 0], ref, atol=1e-6)
    r = dict(zip(NAMES, sim.risk[0, 0]))
    # Denmark and the UK (most challenged) are the most risk averse; Ireland, with the
    # least at stake, the most acceptant (r = 0.5)
    assert r["Denmark"] == pytest.approx(2.0)
    assert r["Ireland"] == pytest.approx(0.5)
    assert r["Belgium"] == pytest.approx(0.7542, abs=5e-5)


# --- the faithful replication ----------------------------------------------------------

@pytest.mark.parametrize("case", sorted(REFERENCE["cases"]))
def test_agrees_with_replication_to_1e6_every_round(case):
    ref = REFERENCE["cases"][case]
    x, c, s = case_arrays(case)
    sim = simulate(x, c, s, ref["rounds"], MATCH)
    np.testing.assert_allclose(sim.positions[0], np.array(ref["positions"]), atol=1e-6, rtol=0)
    np.testing.assert_allclose(sim.risk[0], np.array(ref["risk"]), atol=1e-6, rtol=0)
    np.testing.assert_allclose(sim.mean[0], np.array(ref["mean"]), atol=1e-6, rtol=0)


def test_default_differs_from_replication_only_where_capitulation_is_possible():
    x, c, s = ec_arrays()
    a, b = simulate(x, c, s, 10), simulate(x, c, s, 10, MATCH)
    np.testing.assert_array_equal(a.positions, b.positions)  # no capitulation arises in the EC example


# --- invariants ------------------------------------------------------------------------

issues = st.integers(2, 9).flatmap(lambda n: st.tuples(
    st.lists(st.integers(0, 20), min_size=n, max_size=n),
    st.lists(st.floats(0.01, 1.0), min_size=n, max_size=n),
    st.lists(st.floats(0.01, 1.0), min_size=n, max_size=n)))


@settings(max_examples=60, deadline=None)
@given(issues, st.sampled_from(["default", "printed", "own"]))
def test_invariants(data, which):
    x, c, s = (np.array(v, float) for v in data)
    opts = {"default": ModelOptions(), "printed": ModelOptions.printed_equations(),
            "own": ModelOptions(perspective="own", capitulation="larger_loss")}[which]
    sim = simulate(x, c, s, 6, opts)
    assert np.all(sim.risk >= 0.5 - 1e-12) and np.all(sim.risk <= 2 + 1e-12)
    assert np.all(sim.positions >= x.min() - 1e-9) and np.all(sim.positions <= x.max() + 1e-9)
    assert np.all(np.isfinite(sim.mean))
    moved = np.abs(np.diff(sim.positions, axis=1)) > 0
    assert np.all(moved <= (sim.kind != NONE))


@pytest.mark.parametrize("opts", [ModelOptions(), ModelOptions.printed_equations(), ModelOptions(q=0.5, t=0.3)])
def test_unanimous_issue_never_moves(opts):
    x = np.full(6, 42.0)
    sim = simulate(x, np.linspace(0.1, 1, 6), np.linspace(0.2, 0.9, 6), 5, opts)
    assert np.all(sim.positions == 42.0)
    assert np.all(sim.kind == NONE)
    assert np.all(sim.risk == 1.0)


def test_batched_runs_equal_single_runs():
    rng = np.random.default_rng(3)
    x = rng.integers(0, 50, (5, 8)).astype(float)
    c, s = rng.uniform(0.1, 1, (5, 8)), rng.uniform(0.1, 1, (5, 8))
    batch = simulate(x, c, s, 5)
    for k in range(5):
        one = simulate(x[k], c[k], s[k], 5)
        np.testing.assert_allclose(batch.positions[k], one.positions[0], atol=1e-12)


def test_weighted_median_is_the_condorcet_winner():
    rng = np.random.default_rng(5)
    for _ in range(50):
        n = int(rng.integers(2, 12))
        x = rng.integers(0, 10, n).astype(float)
        w = rng.uniform(0.01, 1, n)
        med = weighted_median(x[None], w[None])[0]
        votes = lambda a, b: np.sum(w * (np.abs(x - b) - np.abs(x - a)))  # noqa: E731
        assert all(votes(med, b) >= -1e-12 for b in x)


# --- each option's documented effect ---------------------------------------------------

def _round(opts, x=None, c=None, s=None):
    if x is None:
        x, c, s = ec_arrays()
    return play_round(x[None], s[None], (c * s)[None], np.array([x.max() - x.min()]), opts)


def test_probability_all_votes_normalises_over_every_pair_and_pairwise_per_pair():
    x, c, s = ec_arrays()
    d = np.abs(x[:, None] - x[None, :])[None] / 6.0
    same = d == 0
    r = np.ones((1, 10))
    p_all = success_probability(d, (c * s)[None], r, same, ModelOptions())
    p_pair = success_probability(d, (c * s)[None], r, same, ModelOptions(probability="pairwise"))
    assert p_all.sum() == pytest.approx(0.5)      # sum V / (2 sum V)
    assert p_all.max() < 0.1                       # the replication's tiny probabilities
    off = ~same[0]
    np.testing.assert_allclose((p_pair[0] + p_pair[0].T)[off], 1.0)
    x2 = simulate(x, c, s, 10, ModelOptions(probability="pairwise")).mean[0]
    assert np.abs(x2 - PAPER_MEAN_PATH).max() > 0.3


def test_vote_exponent_voter_uses_risk_and_neutral_ignores_it():
    x, c, s = ec_arrays()
    d = (np.abs(x[:, None] - x[None, :]) / 6.0)[None]
    same = d == 0
    r1, r2 = np.ones((1, 10)), np.linspace(0.5, 2, 10)[None]
    neutral, voter = ModelOptions(vote_exponent="neutral"), ModelOptions()
    w = (c * s)[None]
    np.testing.assert_array_equal(success_probability(d, w, r1, same, neutral),
                                  success_probability(d, w, r2, same, neutral))
    assert not np.allclose(success_probability(d, w, r1, same, voter),
                           success_probability(d, w, r2, same, voter))


@pytest.mark.parametrize("perspective", ["observer", "own"])
def test_perspective_sets_whose_exponent_evaluates_e_ji(perspective):
    x, c, s = ec_arrays()
    opts = ModelOptions(perspective=perspective)
    out = _round(opts)
    b, f = NAMES.index("Belgium"), NAMES.index("France")
    d = (np.abs(x[:, None] - x[None, :]) / 6.0)[None]
    p = success_probability(d, (c * s)[None], out.risk, d == 0, opts)[0]
    r = out.risk[0]
    assert r[b] != pytest.approx(r[f])
    evaluator = r[b] if perspective == "observer" else r[f]
    # E^B(U_FB): France challenges Belgium; Belgium's salience is its resistance
    expect_ji = expected_utility(p[f, b], d[0, b, f], s[b], evaluator, None, 1.0, 1.0)
    assert out.eu_ji[0, b, f] == pytest.approx(expect_ji, abs=1e-12)
    # E^B(U_BF) always uses the observer's own exponent
    expect_ij = expected_utility(p[b, f], d[0, b, f], s[f], r[b], None, 1.0, 1.0)
    assert out.eu_ij[0, b, f] == pytest.approx(expect_ij, abs=1e-12)


def test_compromise_choice_scholz_versus_nearest_in_round_four():
    """Round 4 of the EC example: Scholz's rule sends Belgium to a compromise with the
    Netherlands (far), the nearest-move rule to one with France."""
    x, c, s = ec_arrays()
    b = NAMES.index("Belgium")
    scholz = simulate(x, c, s, 4)
    nearest = simulate(x, c, s, 4, ModelOptions(compromise_choice="nearest"))
    assert scholz.kind[0, 3, b] == COMPROMISE and nearest.kind[0, 3, b] == COMPROMISE
    assert NAMES[scholz.partner[0, 3, b]] == "Netherlands"
    assert NAMES[nearest.partner[0, 3, b]] == "France"
    assert abs(nearest.positions[0, 4, b] - nearest.positions[0, 3, b]) < \
        abs(scholz.positions[0, 4, b] - scholz.positions[0, 3, b])


def test_offer_priority_kind_prefers_confrontation_and_nearest_prefers_small_moves():
    rng = np.random.default_rng(11)
    checked = 0
    for _ in range(40):
        x = rng.integers(0, 20, 7).astype(float)
        c, s = rng.uniform(0.05, 1, 7), rng.uniform(0.1, 1, 7)
        kind = _round(ModelOptions(), x, c, s)
        near = _round(ModelOptions(offer_priority="nearest"), x, c, s)
        # any actor moving under 'nearest' moves no further than under 'kind'
        mv_kind = np.abs(kind.new_x - x)[0]
        mv_near = np.abs(near.new_x - x)[0]
        both = (kind.kind[0] != NONE) & (near.kind[0] != NONE)
        assert np.all(mv_near[both] <= mv_kind[both] + 1e-12)
        # under 'kind', an actor with a confrontation offer takes one
        conf_offer = (kind.eu_ji > kind.eu_ij) & (kind.eu_ij > 0) & (x[:, None] != x[None, :])[None]
        has = conf_offer[0].any(-1)
        assert np.all(kind.kind[0][has] == CONFRONTATION)
        checked += int(has.sum())
    assert checked > 0


def test_capitulation_larger_loss_capitulates_and_never_does_not():
    x = np.array([9.0, 2, 1, 3, 4, 8])
    rng = np.random.default_rng(2)
    rng.integers(0, 11, 6)
    c, s = rng.uniform(0.05, 1, 6), rng.uniform(0.1, 1, 6)
    paper = simulate(x, c, s, 5, ModelOptions(capitulation="larger_loss"))
    never = simulate(x, c, s, 5, ModelOptions(capitulation="never"))
    assert (paper.kind == CAPITULATION).any()
    assert not (never.kind == CAPITULATION).any()
    k = np.argwhere(paper.kind[0] == CAPITULATION)[0]
    rnd, i = int(k[0]), int(k[1])
    j = paper.partner[0, rnd, i]
    assert paper.positions[0, rnd + 1, i] == paper.positions[0, rnd, j]  # moves to j's position


def test_range_mode_current_rescales_when_the_range_shrinks():
    rng = np.random.default_rng(1)
    x = rng.integers(0, 11, 6).astype(float)
    c, s = rng.uniform(0.05, 1, 6), rng.uniform(0.1, 1, 6)
    a = simulate(x, c, s, 6)
    b = simulate(x, c, s, 6, ModelOptions(range_mode="current"))
    spans = a.positions[0].max(-1) - a.positions[0].min(-1)
    assert spans[-1] < spans[0]
    assert not np.allclose(a.positions, b.positions)
    x_ec, c_ec, s_ec = ec_arrays()  # the EC range never shrinks: no difference
    np.testing.assert_array_equal(simulate(x_ec, c_ec, s_ec, 10).positions,
                                  simulate(x_ec, c_ec, s_ec, 10, ModelOptions(range_mode="current")).positions)


def test_q_and_t_enter_only_below_one():
    p, d = np.array(0.3), np.array(0.4)
    base = expected_utility(p, d, 0.6, 1.2, np.array(0.2), 1.0, 0.0)
    assert base == expected_utility(p, d, 0.6, 1.2, np.array(0.2), 1.0, 1.0)
    assert expected_utility(p, d, 0.6, 1.2, np.array(0.2), 0.5, 1.0) != \
        expected_utility(p, d, 0.6, 1.2, np.array(0.2), 0.5, 0.0)
    x, c, s = ec_arrays()
    assert not np.allclose(simulate(x, c, s, 4, ModelOptions(q=0.5, t=0.5)).positions,
                           simulate(x, c, s, 4).positions)


def test_compromise_position_is_the_papers_formula():
    x, c, s = ec_arrays()
    out = _round(ModelOptions())
    b = NAMES.index("Belgium")
    assert out.kind[0, b] == COMPROMISE
    j = out.partner[0, b]
    expect = x[b] + (x[j] - x[b]) * abs(out.eu_ij[0, b, j] / out.eu_ji[0, b, j])
    assert out.new_x[0, b] == pytest.approx(expect)
