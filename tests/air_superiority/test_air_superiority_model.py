"""The air-superiority model: its reference twin, closed forms, the F-22 arithmetic."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import replace

import numpy as np
import pytest

from anpo.models.air_superiority import OUTCOMES, Inputs, simulate, simulate_reference
from anpo.models.air_superiority._kernels import on_station, salvo_one, salvo_p, sortie_rate
from anpo.models.base import frozen_array
from anpo.models.distributions import Dist
from anpo.models.kernels import lanchester


def rng(seed: int = 2010) -> np.random.Generator:
    return np.random.default_rng(np.random.SeedSequence(seed))


def test_reference_twin_agrees_exactly(small: Callable[..., Inputs]) -> None:
    inp = small()
    a = simulate(inp, rng(7), 400)
    b = simulate_reference(inp, rng(7), 400)
    assert set(a) == set(OUTCOMES) == set(b)
    for key in a:
        assert a[key].shape == b[key].shape, key
        assert np.array_equal(a[key], b[key]), key


def test_sorties_lost_by_base_say_where_each_cause_struck(small: Callable[..., Inputs]) -> None:
    # bases: near (closed 20-60% of each day), far (2,800 km: its F-22s need tankers),
    # carrier and PLA (open, within every fleet's radius); two allied tankers (12 hook-ups
    # a day) for about 17 far sorties a day
    out = simulate(small(tanker_count=(Dist.fixed(2), Dist.fixed(3))), rng(11), 300)
    by_base = out["sorties_lost_by_base"]  # (trial, cause, base)
    closed, tankers, distance = 0, 1, 2
    near, far, carrier, pla = 0, 1, 2, 3
    # the allied bases' losses add up to the allied total of each cause
    assert np.allclose(by_base[:, :, :3].sum(axis=2), out["sorties_lost"], rtol=1e-12, atol=0)
    assert np.all(by_base[:, closed, near] > 0)
    assert np.all(by_base[:, closed, [far, carrier, pla]] == 0)
    assert np.all(by_base[:, tankers, far] > 0)
    assert np.all(by_base[:, tankers, [near, carrier, pla]] == 0)
    # distance costs sorties only at the far base: elsewhere every fleet flies its crews'
    # limit of two sorties a day whether at the station or at its base
    assert np.all(by_base[:, distance, far] > 0)
    assert np.all(by_base[:, distance, [near, carrier, pla]] == 0)


def test_reference_twin_agrees_without_aew_or_tankers(small: Callable[..., Inputs]) -> None:
    inp = small(aew=frozen_array([0, 1], np.float64), tanker_count=(Dist.fixed(0), Dist.fixed(0)))
    a = simulate(inp, rng(3), 200)
    b = simulate_reference(inp, rng(3), 200)
    for key in a:
        assert np.array_equal(a[key], b[key]), key


def test_salvo_kill_probability_closed_form() -> None:
    # one target, n shots of Pk: 1 - (1 - Pk)^n
    for pk, n in ((0.3, 1), (0.3, 4), (0.5, 6), (0.05, 20)):
        assert salvo_p(pk, n, 1)[()] == pytest.approx(1 - (1 - pk) ** n, rel=1e-15)
    # 12 shots over 4 targets: each target gets 3
    assert salvo_p(0.4, 12, 4)[()] == pytest.approx(1 - 0.6**3, rel=1e-15)
    # no targets: nothing to share; no shots: no kill
    assert salvo_p(0.4, 0, 10)[()] == 0.0


def test_salvo_on_arrays_equals_salvo_on_one_trial_bit_for_bit() -> None:
    # the vectorized model and the reference share the power loop: an array of any
    # length gives each element the bits one trial's floats give
    g = rng(21)
    pk = g.uniform(0.0, 0.9, 4099)
    shots = g.uniform(0.0, 400.0, 4099)
    targets = g.integers(0, 90, 4099).astype(float)
    vec = salvo_p(pk, shots, targets)
    trials = zip(pk.tolist(), shots.tolist(), targets.tolist(), strict=True)
    one = [salvo_one(a, b, c) for a, b, c in trials]
    assert np.array_equal(vec, np.array(one))
    for k in (1, 3, 8, 17):  # short arrays and SIMD tails
        assert np.array_equal(salvo_p(pk[:k], shots[:k], targets[:k]), vec[:k])


def test_binomial_volley_mean_matches_salvo_law() -> None:
    # the model's volley: Binomial(n, 1 - (1 - p)^(m/n)); its mean over many draws
    g = rng(11)
    n, m, pk = 40, 80, 0.3
    p = 1 - (1 - pk) ** (m / n)
    kills = g.binomial(n, salvo_p(pk, m, n)[()], size=200_000)
    se = math.sqrt(n * p * (1 - p) / 200_000)
    assert abs(kills.mean() - n * p) < 4 * se


def test_steady_state_sortie_generation() -> None:
    # 700 km at 900 km/h, 2 h on station, 3 h turn: cycle 2*700/900 + 5 = 6.556 h
    s = sortie_rate(700.0, 900.0, 2.0, 3.0, 10.0, 24.0)[()]
    assert s == pytest.approx(24 / (2 * 700 / 900 + 5), rel=1e-12)
    # the crew limit binds near the station, the flying-hour limit far from it
    assert sortie_rate(0.0, 900.0, 2.0, 3.0, 2.0, 8.0)[()] == 2.0
    far = sortie_rate(2800.0, 900.0, 2.0, 3.0, 2.0, 8.0)[()]
    assert far == pytest.approx(8.0 / (2 * 2800 / 900 + 2.0), rel=1e-12)
    # 24 F-22As, 55% mission capable, 2 sorties a day, 2 h on station: 2.2 on station
    assert on_station(24, 0.55, 2.0, 2.0)[()] == pytest.approx(24 * 0.55 * 2 * 2 / 24)


def test_model_on_station_is_the_steady_state_when_nothing_opposes(
    small: Callable[..., Inputs],
) -> None:
    # no PLA fighters, no closure, no tankers needed: CAP = sum A m s t_os / 24 each day
    inp = small(
        fleet_count=(
            Dist.fixed(24),
            Dist.fixed(0),
            Dist.fixed(48),
            Dist.fixed(44),
            Dist.fixed(0),
            Dist.fixed(0),
        ),
        base_closure=(Dist.fixed(0),) * 4,
    )
    out = simulate(inp, rng(), 50)
    want = 0.0
    for f in (0, 2, 3):
        s = sortie_rate(
            inp.base_distance_km[inp.fleet_base[f]],
            inp.fleet_speed_km_h[f],
            inp.fleet_tos_h[f],
            inp.fleet_turn_h[f],
            inp.fleet_max_sorties[f],
            inp.fleet_max_flight_h[f],
        )[()]
        want += float(
            on_station(inp.fleet_count[f].params[0], inp.fleet_mc[f], s, inp.fleet_tos_h[f])
        )
    assert np.allclose(out["on_station"][:, 0, :], want, rtol=1e-12)
    assert np.all(out["air_losses"] == 0)
    assert np.all(out["superiority"] == 1)
    assert np.all(out["superiority_day"] == 1)


def test_lanchester_square_law_for_aimed_fire() -> None:
    # the square law's invariant b x^2 - a y^2 over the closed-form solution
    x0, y0, a, b = 100.0, 80.0, 0.02, 0.03
    t = np.linspace(0, 5, 11)
    x = lanchester.square_law_closed(x0, y0, a, b, t)
    y = lanchester.square_law_closed(y0, x0, b, a, t)
    assert np.allclose(b * x**2 - a * y**2, b * x0**2 - a * y0**2, rtol=1e-9)
    # and the stochastic chain's mean follows it while both forces are large
    sx, sy = lanchester.stochastic_square_law(x0, y0, a, b, 5.0, 0.01, rng(5), 4000)
    assert abs(sx.mean() - x[-1]) < 0.02 * x[-1]
    assert abs(sy.mean() - y[-1]) < 0.02 * y[-1]


def test_f22_fleet_arithmetic() -> None:
    # 187 built, about 123 combat-coded (GAO-18-190): 65.8%; the 381 requirement at the
    # same share gives about 251 combat-coded, 127 more than were built in all.
    built, coded, requirement = 187, 123, 381
    share = coded / built
    assert share == pytest.approx(0.6578, abs=1e-4)
    assert requirement * share == pytest.approx(250.6, abs=0.1)
    assert requirement * share - coded == pytest.approx(127.6, abs=0.1)


def test_allied_stealth_lowers_allied_air_losses(small: Callable[..., Inputs]) -> None:
    # with AEW&C on both sides, a side's first-shot edge is its low-observable share,
    # and shots at low-observable fighters keep only lo_pk_factor of their Pk
    base = small()
    no_lo = small(fleet_lo=frozen_array([False, False, False, False, False, True], np.bool_))
    a = simulate(base, rng(), 2000)["air_losses"][:, 0].sum(1)
    b = simulate(no_lo, rng(), 2000)["air_losses"][:, 0].sum(1)
    diff = b - a
    assert diff.mean() > 4 * diff.std(ddof=1) / np.sqrt(len(diff))


def test_outcomes_hold_their_invariants(small: Callable[..., Inputs]) -> None:
    out = simulate(small(), rng(), 300)
    assert np.all(out["superiority_day"] >= 1) and np.all(out["superiority_day"] <= 6)
    assert np.all(out["days_late_day3"] == np.maximum(0, out["superiority_day"] - 3))
    assert np.all(out["sorties_lost"] >= 0)
    assert np.all(out["allied_on_station"] == out["on_station"][:, 0, :])
    assert np.all(out["missiles_expended"] >= 0)
    inp = small()
    assert replace(inp, days=5).days == 5
