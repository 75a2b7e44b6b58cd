"""The ASW barrier model: reference twin, closed form, mechanisms."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest

from anpo.models.asw import OUTCOMES, Inputs, simulate, simulate_reference
from anpo.models.asw.inputs import KILLED
from anpo.models.distributions import Dist
from anpo.models.kernels.search import barrier_pd

Make = Callable[..., Inputs]


def rng(seed: int = 0) -> np.random.Generator:
    return np.random.default_rng(np.random.SeedSequence(seed))


@pytest.mark.parametrize(
    "over",
    [
        {},
        {"platform_count": [0, 3, 0, 1]},
        {"platform_counter": tuple(Dist.fixed(0.9) for _ in range(4))},
        {"platform_pk": tuple(Dist.fixed(1.0) for _ in range(4))},
    ],
)
def test_reference_agrees_exactly(make: Make, over: dict[str, object]) -> None:
    inputs = make(**over)
    for seed in (0, 1):
        a = simulate(inputs, rng(seed), 300)
        b = simulate_reference(inputs, rng(seed), 300)
        assert set(a) == set(b) == set(OUTCOMES)
        for key in a:
            assert np.array_equal(a[key], b[key]), key


def test_single_group_matches_koopman(make: Make) -> None:
    # one group of 3 P-3Cs, no counter-detection, pk = 1: P(killed) = barrier P_d
    inputs = make(
        sub_class=[0],
        sub_day=[0],
        sub_speed_km_h=[10.0],
        class_sweep_factor=(Dist.fixed(1.0),),
        platform_count=[3],
        platform_sweep_km=[4.0],
        platform_speed_km_h=[400.0],
        platform_pk=(Dist.fixed(1.0),),
        platform_counter=(Dist.fixed(0.0),),
        platform_vulnerable=[False],
        n_days=1,
        labels={},
    )
    n = 40_000
    out = simulate(inputs, rng(3), n)
    p = float(barrier_pd(4.0, 400.0, 10.0, 250.0, 3))
    assert abs(out["subs_killed"].mean() - p) < 4 * np.sqrt(p * (1 - p) / n)
    assert np.array_equal(out["subs_detected"], out["subs_killed"])


def test_accounting(make: Make) -> None:
    out = simulate(make(), rng(), 1000)
    assert np.array_equal(out["subs_killed"] + out["transits"], np.full(1000, 5))
    assert np.array_equal(out["kills"].sum(axis=1), out["subs_killed"])
    assert np.array_equal(out["killed_by_day"].sum(axis=1), out["subs_killed"])
    assert np.array_equal((out["sub_fate"] == KILLED).sum(axis=1), out["subs_killed"])
    assert np.all(out["detections"].sum(axis=1) >= out["subs_detected"])
    assert np.all(out["platforms_lost"][:, [0, 3]] == 0)  # aircraft are not counter-attacked


def _diff(a: np.ndarray, b: np.ndarray) -> tuple[float, float]:
    d = (a - b).astype(float)
    return float(d.mean()), float(d.std(ddof=1) / np.sqrt(d.size))


def test_more_aircraft_more_detections(make: Make) -> None:
    # a sceptic's check: tripling the maritime patrol aircraft raises detections by
    # more than four standard errors of the paired difference
    n = 3000
    few = simulate(make(platform_count=[1, 2, 1, 2]), rng(7), n)
    many = simulate(make(platform_count=[3, 2, 1, 2]), rng(7), n)
    mean, se = _diff(many["subs_detected"], few["subs_detected"])
    assert mean > 4 * se > 0
    mean, se = _diff(few["transits"], many["transits"])
    assert mean > 4 * se > 0


def test_quieter_submarines_get_through_more(make: Make) -> None:
    n = 3000
    loud = simulate(make(), rng(8), n)
    quiet = simulate(make(class_sweep_factor=(Dist.fixed(0.3), Dist.fixed(0.2))), rng(8), n)
    mean, se = _diff(quiet["transits"], loud["transits"])
    assert mean > 4 * se > 0


def test_bad_inputs_are_named(make: Make) -> None:
    with pytest.raises(ValueError, match="sub_speed_km_h"):
        make(sub_speed_km_h=[10.0, 0.0, 10.0, 8.0, 15.0])


def test_reference_agrees_when_platforms_are_lost(make: Make) -> None:
    # many counter-detections: platforms are sunk in many trials, so the vectorized model
    # takes the later transits of those trials again with the platforms left
    inputs = make(
        platform_counter=tuple(Dist.fixed(0.8) for _ in range(4)),
        counter_kill=Dist.fixed(0.9),
        platform_count=[1, 1, 1, 1],
        platform_sweep_km=[4.0, 40.0, 60.0, 3.0],
    )
    a = simulate(inputs, rng(6), 500)
    b = simulate_reference(inputs, rng(6), 500)
    assert (a["platforms_lost"].sum(axis=1) > 0).mean() > 0.3
    assert (a["platforms_lost"][:, [1, 2]] >= 1).all(axis=1).any()  # both ships lost somewhere
    for key in a:
        assert np.array_equal(a[key], b[key]), key
