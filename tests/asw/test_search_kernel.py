"""Koopman's random-search law in closed form (Koopman 1946, ch. 3; Washburn 2002, ch. 2)."""

from __future__ import annotations

import numpy as np
import pytest

from anpo.models.kernels import search


def test_random_search_closed_form() -> None:
    # W = 10 km, v = 300 km/h, t = 2 h, A = 10,000 km²: 1 − exp(−0.6)
    pd = float(search.random_search_pd(10.0, 300.0, 2.0, 10_000.0))
    assert pd == pytest.approx(1 - np.exp(-0.6), abs=1e-15)
    # n searchers add their rates
    assert float(search.random_search_pd(10.0, 300.0, 1.0, 10_000.0, 2)) == pytest.approx(pd)


def test_random_search_by_simulation() -> None:
    # a detection clock of rate λ = W v / A, sampled: the fraction detected by t
    rng = np.random.default_rng(0)
    rate = float(search.detection_rate_per_h(10.0, 300.0, 10_000.0))
    t = search.first_detection_h(1.0 - rng.random(200_000), rate)
    p = 1 - np.exp(-0.6)
    assert abs((t < 2.0).mean() - p) < 4 * np.sqrt(p * (1 - p) / t.size)


def test_mean_relative_speed() -> None:
    # a stationary target: the searcher's own speed; equal speeds: 4v/π
    assert float(search.mean_relative_speed_km_h(20.0, 0.0)) == pytest.approx(20.0)
    assert float(search.mean_relative_speed_km_h(0.0, 7.0)) == pytest.approx(7.0)
    assert float(search.mean_relative_speed_km_h(10.0, 10.0)) == pytest.approx(40 / np.pi, 1e-6)


def test_barrier_probability_closed_form() -> None:
    # 3 aircraft, W = 5 km, v = 400 km/h against a 10 km/h submarine in a 250 km strait
    vbar = float(search.mean_relative_speed_km_h(400.0, 10.0))
    expected = 1 - np.exp(-3 * 5 * vbar / (250 * 10))
    assert float(search.barrier_pd(5.0, 400.0, 10.0, 250.0, 3)) == pytest.approx(expected)
    # and the depth cancels: the same as random search of L·D for D/u hours
    depth = 80.0
    area = search.random_search_pd(5.0, vbar, depth / 10.0, 250.0 * depth, 3)
    assert float(area) == pytest.approx(expected)
