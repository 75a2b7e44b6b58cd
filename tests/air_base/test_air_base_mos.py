"""The minimum-operating-strip search against brute force over random crater sets.

The vectorized :func:`min_blocking` must equal the plain-Python
:func:`min_blocking_one` (which counts the craters in each candidate window
directly), its verdict "open" must name a window that a direct disk-to-rectangle
test finds clear, and its verdict "closed" must agree with a brute-force sweep of
window starts every 0.5 m at every lateral position it tries.
"""

from __future__ import annotations

import numpy as np
import pytest

from anpo.models.air_base.geometry import (
    lane_pairs,
    lateral_offsets,
    min_blocking,
    min_blocking_one,
    window_clear,
)

L, W, ML, MW = 600.0, 45.0, 300.0, 15.0


def _sets(seed: int, n: int, k: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    g = np.random.default_rng(seed)
    cx = g.uniform(0, L, (n, k))
    cy = g.uniform(-W / 2, W / 2, (n, k))
    cr = g.uniform(2, 9, (n, k))
    live = g.random((n, k)) < 0.8
    return cx, cy, cr, live


def test_vectorized_equals_reference_and_brute_force() -> None:
    offsets = lateral_offsets(W, MW, 5.0, 8)
    cx, cy, cr, live = _sets(3, 300, 6)
    count, g, a = min_blocking(cx, cy, cr, live, L, ML, MW, np.array(offsets))
    n_open = 0
    for t in range(cx.shape[0]):
        craters = [(cx[t, j], cy[t, j], cr[t, j]) for j in range(cx.shape[1]) if live[t, j]]
        ref = min_blocking_one(craters, L, ML, MW, offsets)
        assert (count[t], g[t]) == (ref[0], ref[1])
        if count[t] < np.inf:
            assert a[t] == ref[2]
        brute = any(
            window_clear(craters, s, c, ML, MW)
            for c in offsets
            for s in np.arange(0.0, L - ML + 1e-9, 0.5)
        )
        if count[t] == 0:
            n_open += 1
            # the window touches the crater whose interval ends at a: test a hair past it
            assert window_clear(craters, min(a[t] + 1e-6, L - ML), offsets[g[t]], ML, MW)
            assert brute
        else:
            assert not brute
    assert 0 < n_open < cx.shape[0]  # both verdicts were exercised


def test_fine_lateral_search_agrees_with_continuous_brute_force() -> None:
    offsets = lateral_offsets(W, MW, 0.5, 61)
    cx, cy, cr, live = _sets(4, 120, 5)
    count, _, _ = min_blocking(cx, cy, cr, live, L, ML, MW, np.array(offsets))
    agree = 0
    for t in range(cx.shape[0]):
        craters = [(cx[t, j], cy[t, j], cr[t, j]) for j in range(cx.shape[1]) if live[t, j]]
        brute = any(
            window_clear(craters, s, c, ML, MW)
            for c in np.linspace(-W / 2, W / 2 - MW, 121)
            for s in np.arange(0.0, L - ML + 1e-9, 1.0)
        )
        agree += brute == (count[t] == 0)
    assert agree >= 0.97 * cx.shape[0]


def test_integer_keys_order_exactly_as_the_floats() -> None:
    from anpo.models.air_base.geometry import _keys, _values

    g = np.random.default_rng(5)
    v = np.concatenate(
        [g.uniform(-5000, 5000, 2000), [0.0, -0.0, 2.0**-30, -(2.0**-30), 1.0, np.nextafter(1, 2)]]
    )
    k = _keys(v)
    assert np.array_equal(_values(k), v)
    i, j = g.integers(0, v.size, (2, 5000))
    assert np.array_equal(k[i] < k[j], v[i] < v[j])
    assert np.array_equal(k[i] == k[j], v[i] == v[j])


def test_dense_fallback_equals_sparse_form() -> None:
    from anpo.models.air_base.geometry import min_blocking_dense

    offsets = np.array(lateral_offsets(W, MW, 5.0, 8))
    cx, cy, cr, live = _sets(6, 200, 7)
    a = min_blocking(cx, cy, cr, live, L, ML, MW, offsets)
    b = min_blocking_dense(cx, cy, cr, live, L, ML, MW, offsets)
    assert np.array_equal(a[0], b[0]) and np.array_equal(a[1], b[1])
    fin = a[0] < np.inf
    assert np.array_equal(a[2][fin], b[2][fin])
    # a crater whose interval ends a hair past 0 sends the block to the dense form
    cx2 = cx.copy()
    cx2[0, 0], cy[0, 0], cr[0, 0], live[0, 0] = -5.0 + 1e-12, 0.0, 5.0, True
    c = min_blocking(cx2, cy, cr, live, L, ML, MW, offsets)
    for t in range(cx.shape[0]):
        craters = [(cx2[t, j], cy[t, j], cr[t, j]) for j in range(cx.shape[1]) if live[t, j]]
        ref = min_blocking_one(craters, L, ML, MW, list(offsets))
        assert (c[0][t], c[1][t]) == (ref[0], ref[1])


@pytest.mark.parametrize("count", [7, 8])  # evenly spaced offsets, and a repeated last one
def test_lane_bounds_bound_and_pairs_change_nothing(count: int) -> None:
    """Many craters in clusters (lanes pruned by their bounds), a bound ``below`` from
    another surface and pairs built once for a superset of the live craters: the
    counts that matter (below the bound) and their windows equal the reference."""
    g = np.random.default_rng(7)
    n, k = 120, 30
    centre = g.uniform(0, L, (n, 3))[:, g.integers(0, 3, k)]
    cx = centre + g.normal(0, 40.0, (n, k))
    cy = g.uniform(-W / 2, W / 2, (n, k))
    cr = g.uniform(1, 4, (n, k))
    made = g.random((n, k)) < 0.9
    live = made & (g.random((n, k)) < 0.7)
    offsets = lateral_offsets(W, MW, 5.0, count)
    below = g.integers(0, 6, n).astype(float)
    below[::3] = np.inf
    pairs = lane_pairs(cx, cy, cr, made, L, ML, MW, np.array(offsets))
    plain = min_blocking(cx, cy, cr, live, L, ML, MW, np.array(offsets))
    bounded = min_blocking(cx, cy, cr, live, L, ML, MW, np.array(offsets), below)
    shared = min_blocking(cx, cy, cr, live, L, ML, MW, np.array(offsets), below, pairs)
    for t in range(n):
        craters = [(cx[t, j], cy[t, j], cr[t, j]) for j in range(k) if live[t, j]]
        ref = min_blocking_one(craters, L, ML, MW, offsets)
        assert (plain[0][t], plain[1][t], plain[2][t]) == ref
        for count, lane, start in (bounded, shared):
            if ref[0] < below[t]:
                assert (count[t], lane[t], start[t]) == ref
            else:
                assert count[t] >= below[t]


@pytest.mark.parametrize("length", [1525.0, 1560.0, 1600.0])  # span 0, under one bin, ~1.5 bins
def test_short_spare_length_equals_reference(length: float) -> None:
    """A surface barely longer than the strip (few window starts to bound)."""
    g = np.random.default_rng(11)
    n, k = 80, 12
    cx = g.uniform(0, length, (n, k))
    cy = g.uniform(-W / 2, W / 2, (n, k))
    cr = g.uniform(1, 6, (n, k))
    live = g.random((n, k)) < 0.5
    offsets = lateral_offsets(W, MW, 5.0, 7)
    count, lane, start = min_blocking(cx, cy, cr, live, length, 1525.0, MW, np.array(offsets))
    for t in range(n):
        craters = [(cx[t, j], cy[t, j], cr[t, j]) for j in range(k) if live[t, j]]
        assert (count[t], lane[t], start[t]) == min_blocking_one(
            craters, length, 1525.0, MW, offsets
        )
