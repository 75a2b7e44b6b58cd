"""The surface-action model: reference twin, conservation, first fire, mechanisms."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest

from anpo.models.distributions import Dist
from anpo.models.naval import FIRST, OUTCOMES, simulate, simulate_reference
from anpo.models.naval.inputs import FIRST_ALLIED, FIRST_PLA, Inputs

Make = Callable[..., Inputs]


def rng(seed: int = 0) -> np.random.Generator:
    return np.random.default_rng(np.random.SeedSequence(seed))


@pytest.mark.parametrize(
    "over",
    [
        {},
        {"n_exchanges": 1},
        {"shots": [1, 2], "simultaneous_h": 0.0},
        {"ship_missiles": [8, 4, 0, 8, 8, 3, 16], "ship_interceptors": [3, 64, 0, 5, 1, 0, 32]},
        {"targeting": [[0, 0, 1], [0, 0, 1], [0.0, 0.0, 0]]},  # PLA aims at nobody: fallback
    ],
)
def test_reference_agrees_exactly(make: Make, over: dict[str, object]) -> None:
    inputs = make(**over)
    for seed in (0, 1):
        a = simulate(inputs, rng(seed), 200)
        b = simulate_reference(inputs, rng(seed), 200)
        assert set(a) == set(b) == set(OUTCOMES)
        for key in a:
            assert np.array_equal(a[key], b[key]), key


def test_conservation(make: Make) -> None:
    out = simulate(make(), rng(), 500)
    assert np.array_equal(out["missiles_fired"] + out["missiles_left"], [[40, 64]] * 500)
    assert np.array_equal(out["interceptors_fired"] + out["interceptors_left"], [[144, 128]] * 500)
    assert np.array_equal(out["out_of_action"].sum(axis=1), out["out_of_action_total"])
    assert np.all(out["out_of_action_total"] <= [3, 4])


def test_first_fire_follows_the_scouting_rates(make: Make) -> None:
    # with no simultaneity window, P(allied first) = λ_A / (λ_A + λ_B) = 0.5 / 0.8
    n = 20_000
    first = simulate(make(simultaneous_h=0.0, n_exchanges=1), rng(5), n)["first_to_fire"]
    p = 0.5 / 0.8
    assert abs((first == FIRST_ALLIED).mean() - p) < 4 * np.sqrt(p * (1 - p) / n)
    assert set(np.unique(first)) <= {FIRST_ALLIED, FIRST_PLA}
    assert FIRST == ("allied", "pla", "simultaneous")


def test_unanswered_first_salvo(make: Make) -> None:
    # one exchange: the side that fired first alone takes no hits
    out = simulate(make(simultaneous_h=0.0, n_exchanges=1), rng(2), 2000)
    allied_first = out["first_to_fire"] == FIRST_ALLIED
    assert np.all(out["hits"][allied_first, 0] == 0)
    assert np.all(out["hits"][~allied_first, 1] == 0)


def _mean_se(x: np.ndarray) -> tuple[float, float]:
    return float(x.mean()), float(x.std(ddof=1) / np.sqrt(x.size))


def test_more_interceptors_fewer_ships_out_of_action(make: Make) -> None:
    # a sceptic's check: doubling the allied defence per salvo lowers allied losses by
    # more than four standard errors of the (common-random-number) difference
    n = 4000
    base = simulate(make(ship_defence=[4, 4, 1, 4, 4, 4, 4]), rng(11), n)
    more = simulate(make(ship_defence=[12, 12, 3, 4, 4, 4, 4]), rng(11), n)
    diff = base["out_of_action_total"][:, 0] - more["out_of_action_total"][:, 0]
    mean, se = _mean_se(diff.astype(float))
    assert mean > 4 * se > 0


def test_better_soft_kill_fewer_hits(make: Make) -> None:
    n = 4000
    base = simulate(make(), rng(12), n)
    more = simulate(make(p_soft=(Dist.fixed(0.6), Dist.fixed(0.1))), rng(12), n)
    mean, se = _mean_se((base["hits"][:, 0] - more["hits"][:, 0]).astype(float))
    assert mean > 4 * se > 0


def test_certain_missiles_against_no_defence_match_hughes(make: Make) -> None:
    # one exchange, all missiles well aimed, no defence, staying power 1, simultaneous:
    # each side loses min(ships, missiles fired) ships only if hits land on distinct
    # ships; with a single target ship per side the Hughes bound is exact
    inputs = make(
        ship_group=[0, 1],
        group_side=[0, 1],
        ship_salvo=[3, 2],
        ship_missiles=[3, 2],
        ship_defence=[0, 0],
        ship_interceptors=[0, 0],
        targeting=[[0, 1], [1, 0]],
        p_hit=(Dist.fixed(1.0), Dist.fixed(1.0)),
        staying_power=(Dist.fixed(2.0), Dist.fixed(4.0)),
        p_soft=(Dist.fixed(0.0), Dist.fixed(0.0)),
        simultaneous_h=1e9,
        n_exchanges=1,
        labels={},
    )
    out = simulate(inputs, rng(), 10)
    # hits: allied ship takes 2 (≥ 2: out), PLA ship takes 3 (< 4: in action)
    assert out["hits"].tolist() == [[2, 3]] * 10
    assert out["out_of_action_total"].tolist() == [[1, 0]] * 10


def test_bad_inputs_are_named(make: Make) -> None:
    with pytest.raises(ValueError, match="own side"):
        make(targeting=[[0, 1, 0], [0, 0, 1], [0.7, 0.3, 0]])
    with pytest.raises(ValueError, match="n_exchanges"):
        make(n_exchanges=0)
