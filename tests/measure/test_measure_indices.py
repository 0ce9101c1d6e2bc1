"""The array functions: shapes with free leading axes, NaN handling, bounds, known values."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from heartland.measure import indices as ix
from heartland.world.axes import DOMAINS, PATRONS, TARGETS

P, T, D = len(PATRONS), len(TARGETS), len(DOMAINS)
C, R = PATRONS.index("CHN"), PATRONS.index("RUS")
SEC, ECO = DOMAINS.index("security"), DOMAINS.index("economy")


def world(china_sec, china_eco, russia_sec, russia_eco):
    a = np.full((P, T, D), np.nan)
    a[C, :, SEC], a[C, :, ECO] = china_sec, china_eco
    a[R, :, SEC], a[R, :, ECO] = russia_sec, russia_eco
    return a


def test_leading_axes_are_free():
    x = np.random.default_rng(0).random((4, 3, P, T, D))
    assert ix.domain_influence(x, x).shape == x.shape
    assert ix.overall_influence(x).shape == (4, 3, P, T)
    assert ix.division_of_labour(x).shape == (4, 3, T)
    assert ix.regional_capability(x).shape == (4, 3, P, D)
    assert ix.parity_ratio(ix.regional_capability(x)).shape == (4, 3, D)
    assert ix.dissatisfaction(x).shape == (4, 3)
    assert ix.encroachment(x).shape == (4, 3)            # year axis = the 3
    assert ix.corridor_competition(x).shape == (4, 3)
    # Same numbers as one run at a time.
    one = ix.division_of_labour(x[2, 1])
    np.testing.assert_allclose(ix.division_of_labour(x)[2, 1], one)


def test_overall_leaves_out_missing_domains():
    inf = np.array([0.8, np.nan, np.nan, np.nan, 0.2])
    w = ix.DEFAULT_DOMAIN_WEIGHTS
    assert np.isclose(ix.overall_influence(inf), (0.8 * w[0] + 0.2 * w[4]) / (w[0] + w[4]))
    assert np.isnan(ix.overall_influence(np.full(5, np.nan)))


def test_division_of_labour_known_values():
    # Complete split: Russia only security, China only economy -> 1.
    assert np.allclose(ix.division_of_labour(world(0.0, 0.5, 0.5, 0.0)), 1.0)
    # Same mix -> 0; reversed split -> -1.
    assert np.allclose(ix.division_of_labour(world(0.2, 0.2, 0.2, 0.2)), 0.0)
    assert np.allclose(ix.division_of_labour(world(0.5, 0.0, 0.0, 0.5)), -1.0)
    # Russia 0.6 of security, China 0.7 of economy: s_C(eco) - s_C(sec) = 0.7 - 0.4.
    assert np.allclose(ix.division_of_labour(world(0.4, 0.7, 0.6, 0.3)), 0.3)
    # Missing Chinese security figure -> NaN, not a number made up.
    assert np.isnan(ix.division_of_labour(world(np.nan, 0.7, 0.6, 0.3))).all()


def test_parity_and_zones():
    cap = np.zeros((P, D))
    cap[C], cap[R] = 0.75, 1.0
    r = ix.parity_ratio(cap)
    assert np.allclose(r, 0.75)
    assert (ix.transition_zone(r) == -1).all()                    # inside the 0.7-0.8 band
    assert ix.transition_zone(np.array([0.5]))[0] == -2
    assert ix.transition_zone(np.array([1.0]))[0] == 0
    assert ix.transition_zone(np.array([3.0]))[0] == 2
    assert ix.transition_zone(np.array([0.75]), band=(0.6, 0.7))[0] == 0   # band is a parameter


def test_dissatisfaction():
    # China holds 0.7 of the economy and 0.4 of security: stake exceeds say by 0.3.
    assert np.isclose(ix.dissatisfaction(world(0.4, 0.7, 0.6, 0.3)), 0.3)
    assert ix.dissatisfaction(world(0.6, 0.3, 0.4, 0.7)) == 0.0


def test_encroachment_and_friction():
    years = np.stack([world(0.1, 0.7, 0.9, 0.3), world(0.3, 0.7, 0.7, 0.3)])  # China gains in security
    e = ix.encroachment(years)
    assert np.isnan(e[0]) and np.isclose(e[1], (0.2 + 0.0) / 2)
    bw = np.full((P, T, D), np.nan)
    bw[C, :, ix.CONNECTIVITY], bw[R, :, ix.CONNECTIVITY] = 0.5, 0.5
    assert np.isclose(ix.corridor_competition(bw), 1.0)
    assert np.isclose(ix.expert_balance(3, 1), 0.5) and np.isnan(ix.expert_balance(0, 0))
    f = ix.friction_index(np.array([0.1]), np.array([np.nan]), np.array([1.0]))
    w = ix.DEFAULT_FRICTION_WEIGHTS
    assert np.isclose(f[0], (1.0 * w[0] + 1.0 * w[2]) / (w[0] + w[2]))


unit = st.floats(0, 1, allow_nan=False)


@settings(max_examples=60, deadline=None)
@given(arrays(float, (P, T, D), elements=unit), arrays(float, (P, T, D), elements=unit),
       arrays(float, (P, T, D), elements=unit), arrays(float, (P, T, D), elements=unit))
def test_intervals_bound_the_midpoint(b1, b2, d1, d2):
    bl, bh = np.minimum(b1, b2), np.maximum(b1, b2)
    dl, dh = np.minimum(d1, d2), np.maximum(d1, d2)
    lo, hi = ix.influence_interval(bl, bh, dl, dh)
    mid = ix.domain_influence((bl + bh) / 2, (dl + dh) / 2)
    assert (lo <= mid + 1e-12).all() and (mid <= hi + 1e-12).all()
    dlo, dhi = ix.division_of_labour_interval(lo, hi)
    dm = ix.division_of_labour(mid)
    ok = ~np.isnan(dm) & ~np.isnan(dlo) & ~np.isnan(dhi)
    assert (dlo[ok] <= dm[ok] + 1e-9).all() and (dm[ok] <= dhi[ok] + 1e-9).all()


def test_fbic_aggregate_is_product_of_means():
    bw = np.array([0.8, 0.4, np.nan, np.nan, np.nan])
    dep = np.array([0.5, 0.5, np.nan, np.nan, np.nan])
    w = ix.DEFAULT_DOMAIN_WEIGHTS
    mean_bw = (0.8 * w[0] + 0.4 * w[1]) / (w[0] + w[1])
    assert np.isclose(ix.fbic_aggregate(bw, dep), mean_bw * 0.5)
