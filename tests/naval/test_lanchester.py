"""Lanchester's square law and Engel's (1954) Iwo Jima coefficients.

The Iwo Jima check fits Engel's estimator to the U.S. daily record of the battle
(tests/fixtures/iwo_jima_us_daily.csv, provenance in tests/fixtures/IWO_JIMA.md) and
states how far the result lies from Engel's published a = 0.0544, b = 0.0106.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from anpo.models.kernels import lanchester as L

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


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


def test_engel_fit_inverts_its_own_daily_steps() -> None:
    # a consistency check of the estimator only (not a check against history): on the
    # daily strengths that a = 0.0544, b = 0.0106 themselves generate (days 1-35, while
    # the garrison still holds) the "totals" estimator gives them back to 1e-12
    days = 35
    x, y = L.square_law_daily(
        0.0, L.IWO_JIMA_JAPANESE, L.ENGEL_A, L.ENGEL_B, days, L.IWO_JIMA_LANDINGS
    )
    a, b = L.engel_fit(x, L.IWO_JIMA_JAPANESE, float(y[-1]), sum(L.IWO_JIMA_LANDINGS.values()))
    assert a == pytest.approx(0.0544, abs=1e-12)
    assert b == pytest.approx(0.0106, abs=1e-12)


def _iwo_jima() -> dict[str, np.ndarray]:
    """The U.S. daily record of Iwo Jima (tests/fixtures/IWO_JIMA.md for provenance)."""
    rows = np.loadtxt(FIXTURES / "iwo_jima_us_daily.csv", delimiter=",", skiprows=1)
    return {
        "day": rows[:, 0],
        "landed": rows[:, 1],
        "casualties": rows[:, 2],
        "active": rows[:, 3],
    }


def test_iwo_jima_record_is_the_one_engel_fitted() -> None:
    d = _iwo_jima()
    assert d["day"].tolist() == list(range(1, 36))
    # landings of days 1, 3 and 6, 73,000 in all; day 1 active 52,839 (Engel's first entry)
    assert d["landed"][[0, 2, 5]].tolist() == [54_000, 60_000, 73_000]
    assert d["active"][0] == 52_839
    assert np.array_equal(d["active"], d["landed"] - d["casualties"])
    assert d["casualties"][-1] == 20_860


def test_engel_fit_on_the_iwo_jima_record_recovers_the_published_coefficients() -> None:
    # Engel (1954): b from the total Japanese loss (21,500, none left) over the summed
    # U.S. active strength; a from the U.S. strengths given the Japanese strength that b
    # implies. The record has 35 days (Engel used 36), and the fit is to the data as
    # published, so the coefficients come back close to, not exactly, 0.0544 and 0.0106.
    d = _iwo_jima()
    a_tot, b = L.engel_fit(d["active"], L.IWO_JIMA_JAPANESE, 0.0, d["landed"], "totals")
    a_ls, b_ls = L.engel_fit(d["active"], L.IWO_JIMA_JAPANESE, 0.0, d["landed"], "least_squares")
    assert b_ls == b
    # b = 21,500 / 1,955,798 man-days = 0.010993: 3.7 % above Engel's 0.0106
    assert b == pytest.approx(21_500 / 1_955_798, rel=1e-12)
    assert b == pytest.approx(L.ENGEL_B, rel=0.04)
    assert (b - L.ENGEL_B) / L.ENGEL_B == pytest.approx(0.0371, abs=5e-4)
    # a from total U.S. losses (20,860) over the summed Japanese strength that fired:
    # 0.05513, 1.3 % above Engel's 0.0544
    assert a_tot == pytest.approx(L.ENGEL_A, rel=0.02)
    assert (a_tot - L.ENGEL_A) / L.ENGEL_A == pytest.approx(0.0134, abs=5e-4)
    # a by least squares on the daily U.S. strength: 0.05710, 5.0 % above Engel's
    assert a_ls == pytest.approx(L.ENGEL_A, rel=0.06)
    assert (a_ls - L.ENGEL_A) / L.ENGEL_A == pytest.approx(0.0496, abs=5e-4)


def test_engel_coefficients_track_the_iwo_jima_record() -> None:
    # Engel's published a, b stepped day by day follow the actual U.S. active strength
    # within 3.3 % on every day from day 6 (after the last landing) to day 35, the
    # largest gap on day 19, the day before the record's casualty count dips
    d = _iwo_jima()
    x, _ = L.square_law_daily(
        0.0, L.IWO_JIMA_JAPANESE, L.ENGEL_A, L.ENGEL_B, 35, L.IWO_JIMA_LANDINGS
    )
    gap = np.abs(x[5:] - d["active"][5:]) / d["active"][5:]
    assert gap.max() < 0.033
    assert int(np.argmax(gap)) + 6 == 19


def test_engel_fit_rejects_an_unknown_method() -> None:
    with pytest.raises(ValueError, match="unknown method"):
        L.engel_fit([1.0, 2.0], 10.0, 0.0, 3.0, "median")


def test_stochastic_square_law_follows_the_deterministic_mean() -> None:
    rng = np.random.default_rng(np.random.SeedSequence(3))
    x, _ = L.stochastic_square_law(1000.0, 800.0, 0.01, 0.01, 20.0, 0.05, rng, 2000)
    xd = L.square_law_closed(1000.0, 800.0, 0.01, 0.01, 20.0)
    assert abs(x.mean() - float(xd)) < 0.01 * float(xd)
    assert x.std() > 0  # it is stochastic
