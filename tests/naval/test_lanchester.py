"""Lanchester's square law and Engel's (1954) Iwo Jima coefficients."""

from __future__ import annotations

import numpy as np
import pytest

from anpo.models.kernels import lanchester as L


def test_square_law_invariant_closed_form() -> None:
    a, b, x0, y0 = 0.05, 0.01, 54_000.0, 21_500.0
    t = np.linspace(0, 10, 11)
    x = L.square_law_closed(x0, y0, a, b, t)
    # y from the invariant b·x² − a·y² = const, checked against the sinh/cosh solution
    k = np.sqrt(a * b)
    y = y0 * np.cosh(k * t) - np.sqrt(b / a) * x0 * np.sinh(k * t)
    assert np.allclose(b * x**2 - a * y**2, b * x0**2 - a * y0**2, rtol=1e-12)


def test_engel_coefficients_annihilate_the_garrison_on_day_36() -> None:
    # Engel's a = 0.0544, b = 0.0106 with the landings of days 1, 3 and 6: the computed
    # Japanese strength is positive on day 35 and reaches zero on day 36, as at Iwo Jima
    x, y = L.square_law_daily(
        0.0, L.IWO_JIMA_JAPANESE, L.ENGEL_A, L.ENGEL_B, L.IWO_JIMA_DAYS, L.IWO_JIMA_LANDINGS
    )
    assert y[34] > 0 and y[35] == 0
    # day 1: 54,000 landed less a·21,500 = 52,830 (Engel's computed curve starts there)
    assert x[0] == pytest.approx(54_000 - 0.0544 * 21_500)


def test_engel_fit_recovers_the_published_coefficients() -> None:
    # fit Engel's estimator to the daily U.S. strengths of his computed battle
    # (days 1-35, while the garrison still holds): it gives back a and b to 1e-12
    days = 35
    x, y = L.square_law_daily(
        0.0, L.IWO_JIMA_JAPANESE, L.ENGEL_A, L.ENGEL_B, days, L.IWO_JIMA_LANDINGS
    )
    a, b = L.engel_fit(x, L.IWO_JIMA_JAPANESE, float(y[-1]), sum(L.IWO_JIMA_LANDINGS.values()))
    assert a == pytest.approx(0.0544, abs=1e-12)
    assert b == pytest.approx(0.0106, abs=1e-12)


def test_stochastic_square_law_follows_the_deterministic_mean() -> None:
    rng = np.random.default_rng(np.random.SeedSequence(3))
    x, _ = L.stochastic_square_law(1000.0, 800.0, 0.01, 0.01, 20.0, 0.05, rng, 2000)
    xd = L.square_law_closed(1000.0, 800.0, 0.01, 0.01, 20.0)
    assert abs(x.mean() - float(xd)) < 0.01 * float(xd)
    assert x.std() > 0  # it is stochastic
