"""The cruise-missile point defence of the air-base model (:func:`.model.cruise_defence`).

Its counting is exact (saturation per wave, then the magazine), its kill rate is the
closed form 1 − (1 − P_k)^s, it never adds damage, it equals its reference twin, and
with no fire units every result is what it was without the layer, bit for bit.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

from anpo.models.air_base import APRON, SURFACE, UNITARY, Inputs, simulate, simulate_reference
from anpo.models.distributions import Dist

CRUISE = {"warhead": UNITARY, "crater": 6.0, "lethal": 30.0, "cep": 10.0, "ballistic": False}
BALLISTIC = {"warhead": UNITARY, "crater": 6.0, "lethal": 30.0, "cep": 30.0, "ballistic": True}


def rng(seed: int) -> np.random.Generator:
    return np.random.default_rng(np.random.SeedSequence(seed))


def _raid(make: Callable[..., Inputs], reliability: float = 0.9) -> Inputs:
    """Two bases; cruise and ballistic missiles at runways and aprons over three waves."""
    missiles: list[tuple[Any, ...]] = []
    for i in range(12):  # cruise at base 0's runway, waves 0-2
        missiles.append((0, SURFACE, 0, 200.0 * i + 150.0, 0.0, i % 3, 0.2))
    for i in range(6):  # cruise at base 0's apron
        missiles.append((0, APRON, 0, 40.0 * i + 20.0, 20.0, i % 2))
    for i in range(5):  # ballistic at base 0's runway (never engaged by this layer)
        missiles.append((1, SURFACE, 0, 500.0 * i + 250.0, 0.0, 0, 1.0))
    for i in range(4):  # cruise at base 1
        missiles.append((0, SURFACE, 1, 600.0 * i + 300.0, 0.0, i % 2))
    cruise = dict(CRUISE, reliability=reliability)
    return make(
        n_bases=2,
        surfaces=((3000.0, 45.0), (2800.0, 45.0)),
        surface_base=(0, 1),
        missiles=missiles,
        types=(cruise, BALLISTIC),
        aircraft=[(0, False, 40.0 * q + 20.0, 20.0, -1) for q in range(8)]
        + [(1, False, 30.0, 20.0, -1)],
        waves=(0.0, 24.0, 48.0),
        crews=2,
        repair_h=3.0,
        days=4,
    )


def _defended(
    inputs: Inputs,
    units: tuple[int, int] = (2, 1),
    channels: tuple[int, int] = (2, 3),
    magazine: tuple[Dist, Dist] = (Dist("triangular", (2, 6, 10)), Dist.fixed(8)),
    pk: tuple[Dist, Dist] = (Dist("triangular", (0.5, 0.7, 0.9)), Dist.fixed(0.6)),
    shots: int = 2,
) -> Inputs:
    return dataclasses.replace(
        inputs,
        cmd_fire_units=np.asarray(units),
        cmd_channels=np.asarray(channels),
        cmd_magazine=magazine,
        cmd_pk=pk,
        cmd_shots=shots,
    )


CASES = {
    "nominal": {},
    "one shot, deep magazine": {"shots": 1, "magazine": (Dist.fixed(100), Dist.fixed(100))},
    "saturated": {"channels": (1, 1), "magazine": (Dist.fixed(100), Dist.fixed(100))},
    "short of rounds": {"channels": (9, 9), "magazine": (Dist.fixed(3), Dist.fixed(1))},
    "only base 1": {"units": (0, 2)},
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_vectorized_equals_reference(make: Callable[..., Inputs], case: str) -> None:
    inputs = _defended(_raid(make), **CASES[case])
    fast = simulate(inputs, rng(5), 60)
    slow = simulate_reference(inputs, rng(5), 60)
    assert fast.keys() == slow.keys()
    for name in fast:
        np.testing.assert_array_equal(fast[name], slow[name], err_msg=f"{case}: {name}")
    assert fast["cruise_intercepted"].sum() > 0 or case == "only base 1"


def test_no_fire_units_changes_nothing_bit_for_bit(make: Callable[..., Inputs]) -> None:
    plain = _raid(make)
    zero = _defended(plain, units=(0, 0))
    a, b = simulate(plain, rng(9), 80), simulate(zero, rng(9), 80)
    for name in a:
        assert a[name].dtype == b[name].dtype and a[name].tobytes() == b[name].tobytes(), name
    assert not a["cruise_intercepted"].any() and not a["cmd_interceptors_fired"].any()


@pytest.mark.parametrize("case", sorted(CASES))
@pytest.mark.parametrize("waves", [3, 1])
def test_the_defence_never_adds_damage(make: Callable[..., Inputs], case: str, waves: int) -> None:
    """Trial by trial, on common random numbers: craters, aircraft destroyed or damaged,
    facilities and missiles arrived never rise. With one wave the hours closed never rise
    and the sorties never fall either. Over several waves they may: crews repair only a
    closed base, so a first wave thinned by the defence can leave its craters unrepaired
    for a later wave to add to (measured: 6 h closed instead of 3 in some trials of this
    raid), a property of the repair rule, not of the defence."""
    plain = _raid(make)
    if waves == 1:
        plain = dataclasses.replace(plain, missile_wave=np.zeros(plain.n_missiles, dtype=np.int64))
    a = simulate(plain, rng(2), 150)
    b = simulate(_defended(plain, **CASES[case]), rng(2), 150)
    for name in ("craters", "aircraft_destroyed", "facilities_destroyed", "missiles_arrived"):
        assert np.all(b[name] <= a[name]), name
    hurt_a = a["aircraft_destroyed"] + a["aircraft_damaged"]
    assert np.all(b["aircraft_destroyed"] + b["aircraft_damaged"] <= hurt_a)
    if waves == 1:
        assert np.all(b["hours_closed"] <= a["hours_closed"] + 1e-9)
        assert np.all(b["sorties"].sum(axis=2) >= a["sorties"].sum(axis=2) - 1e-9)
    # the intercepted include the cruise kills, which are all the missiles that stopped
    # arriving
    np.testing.assert_array_equal(
        b["missiles_intercepted"] - a["missiles_intercepted"], b["cruise_intercepted"]
    )
    np.testing.assert_array_equal(
        a["missiles_arrived"] - b["missiles_arrived"], b["cruise_intercepted"]
    )


def _one_wave(make: Callable[..., Inputs], n: int, **kw: Any) -> Inputs:
    plain = make(
        missiles=[(0, SURFACE, 0, 100.0 + 200.0 * i, 0.0, 0) for i in range(n)],
        types=(dict(CRUISE, reliability=1.0),),
    )
    return dataclasses.replace(
        plain,
        cmd_fire_units=np.asarray([kw.get("units", 1)]),
        cmd_channels=np.asarray([kw.get("channels", 100)]),
        cmd_magazine=(Dist.fixed(kw.get("rounds", 1000)),),
        cmd_pk=(Dist.fixed(kw.get("pk", 0.7)),),
        cmd_shots=kw.get("shots", 2),
    )


def test_saturation_and_magazine_count_exactly(make: Callable[..., Inputs]) -> None:
    # 10 missiles, 2 units of 2 channels: 4 engaged, 2 shots each
    out = simulate(_one_wave(make, 10, units=2, channels=2), rng(1), 50)
    assert np.all(out["cmd_interceptors_fired"] == 8)
    # 10 missiles, 7 rounds per unit, 1 unit, 2 shots: 3 engaged (a partial salvo is not fired)
    out = simulate(_one_wave(make, 10, rounds=7), rng(1), 50)
    assert np.all(out["cmd_interceptors_fired"] == 6)
    assert np.all(out["cruise_intercepted"] <= 3)
    # ballistic missiles are left to the missile-defence model
    bal = dataclasses.replace(_one_wave(make, 10), type_ballistic=np.array([True]))
    assert not simulate(bal, rng(1), 50)["cmd_interceptors_fired"].any()


@pytest.mark.parametrize(("pk", "shots"), [(0.7, 1), (0.7, 2), (0.5, 3)])
def test_kill_rate_is_one_minus_the_miss_probability_to_the_shots(
    make: Callable[..., Inputs], pk: float, shots: int
) -> None:
    """Unsaturated, ample rounds: each missile dies with 1 − (1 − P_k)^s. 20 missiles ×
    2,000 trials: standard error below 0.0036; tolerance 0.015."""
    out = simulate(_one_wave(make, 20, pk=pk, shots=shots), rng(3), 2000)
    rate = out["cruise_intercepted"].mean() / 20
    assert abs(rate - (1.0 - (1.0 - pk) ** shots)) < 0.015, rate


# -- through the kind's resolver ------------------------------------------------------


def _resolve_kadena_today(
    name: str = "kadena-today", **base: Any
) -> tuple[Inputs | None, list[Any]]:
    from pathlib import Path

    import yaml

    from anpo import kb
    from anpo.scenario.air_base import AirBaseScenario, resolve
    from anpo.scenario.common import attempt

    path = Path(__file__).parents[2] / "src" / "anpo" / "scenarios" / f"{name}.yaml"
    data = yaml.safe_load(path.read_text())
    data["bases"] = [{**data["bases"][0], **base}]
    inputs, _, problems = attempt(resolve, AirBaseScenario.model_validate(data), kb.KB_AS_OF)
    return inputs, problems


def test_kadena_today_is_defended_against_its_cruise_missiles() -> None:
    """The kb's 1-1 ADA record: 2 of its fire units, 4 channels a wave, 16 rounds a unit
    (8-32 drawn), P_k 0.7 (0.5-0.9 drawn), 2 shots. The 12 CJ-10 at the apron: 8 are in
    reach of 2 × 4 channels and 32 rounds (nominal) cover 16 shots, so about 8 × 0.9 × 0.91
    (reliability, 1 − 0.3²) ≈ 6.6 die; fewer aircraft are destroyed than undefended."""
    defended, problems = _resolve_kadena_today()
    assert problems == [] and defended is not None
    assert defended.cmd_fire_units.tolist() == [2]
    assert defended.cmd_channels.tolist() == [4] and defended.cmd_shots == 2
    bare, _ = _resolve_kadena_today(cmd_fire_units=0)
    assert bare is not None and bare.cmd_fire_units.tolist() == [0]
    a = simulate(bare, rng(4), 200)
    b = simulate(defended, rng(4), 200)
    cruise = float(b["cruise_intercepted"].mean())
    assert 5.0 <= cruise <= 7.5, cruise
    assert not a["cruise_intercepted"].any()
    assert b["aircraft_destroyed"].mean() < a["aircraft_destroyed"].mean()
    assert np.all(b["aircraft_destroyed"] <= a["aircraft_destroyed"])


def test_more_fire_units_than_the_kb_lists_or_none_listed_are_refused() -> None:
    _, problems = _resolve_kadena_today(cmd_fire_units=6)
    assert len(problems) == 1 and "at most 5 fire units" in str(problems[0])
    _, problems = _resolve_kadena_today("andersen-today", cmd_fire_units=1)
    assert len(problems) == 1 and "no cruise-missile defence at Andersen" in str(problems[0])
