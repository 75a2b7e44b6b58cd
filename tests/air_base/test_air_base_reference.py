"""The vectorized air-base model equals its per-trial reference exactly, and its
random numbers do not depend on how the trials are blocked."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

from anpo.models import missile_defense as md
from anpo.models.air_base import (
    APRON,
    FACILITY,
    SHELTER,
    SUBMUNITION,
    SURFACE,
    UNITARY,
    simulate,
    simulate_reference,
)
from anpo.models.air_base import inputs as ab_inputs
from anpo.models.distributions import Dist


def rng(seed: int) -> np.random.Generator:
    return np.random.default_rng(np.random.SeedSequence(seed))


def _raid(make: Callable[..., Any], defended: bool = False) -> Any:
    missiles = [(0, SURFACE, i % 2, 250.0 * i + 100, 0.0, i % 3, 0.3 * i) for i in range(10)]
    missiles += [(1, SURFACE, 0, 1200.0, 5.0, 1), (1, APRON, 0, 60.0, 20.0, 0)]
    missiles += [(1, APRON, 0, 100.0, 20.0, 2), (0, SHELTER, 0, 0, 0, 0), (0, FACILITY, 0, 0, 0, 1)]
    defence, which = None, []
    if defended:
        which = [i for i in range(len(missiles))]
        t = len(which)
        defence = md.Inputs(
            threat_asset=np.zeros(t, dtype=np.int64),
            threat_is_decoy=np.zeros(t, dtype=bool),
            threat_time_s=np.arange(t, dtype=float),
            asset_priority=np.ones(1, dtype=np.int64),
            shooter_tier=np.array([md.LOWER]),
            shooter_interceptor=np.array([0]),
            shooter_magazine=np.array([8]),
            window_open_s=np.zeros((1, t)),
            window_close_s=np.full((1, t), 60.0),
            engage_time_s=np.full((1, t), 25.0),
            salvo_size=np.array([2, 2]),
            max_engagements=np.array([1, 1]),
            partial_salvos=True,
            use_priorities=False,
            sspk=(Dist("triangular", (0.5, 0.7, 0.9)),),
            reliability=(Dist.fixed(0.9),),
            sensor_delay_s=(Dist.fixed(0), Dist.fixed(0)),
            discrimination=Dist.fixed(0),
        )
    return make(
        surfaces=((3000.0, 45.0), (2500.0, 23.0)),
        missiles=missiles,
        types=(
            {
                "warhead": UNITARY,
                "cep": Dist("triangular", (10, 40, 80)),
                "along": 2.0,
                "reliability": Dist("uniform", (0.7, 1.0)),
                "hard": 14.0,
                "shelter_pk": 0.7,
                "crater": 7.0,
                "damage": 40.0,
            },
            {
                "warhead": SUBMUNITION,
                "bomblets": 25,
                "pattern": 60.0,
                "crater": 2.5,
                "lethal": 8.0,
                "cep": 30.0,
                "dud": 0.1,
                "units": 0.3,
                "damage": 12.0,
            },
        ),
        aircraft=[(0, False, 20.0 * i, 20.0, -1) for i in range(12)] + [(0, True, 0, 0, 0)],
        shelters=[0, 0],
        facilities=[(0, 0.5), (0, 0.75)],
        waves=(0.0, 10.0, 30.0),
        warhead_dists={
            "shelter_pk": (Dist("uniform", (0.5, 0.9)), Dist.fixed(0.0)),
            "lethal_radius_hard_m": (Dist("triangular", (8.0, 14.0, 20.0)), Dist.fixed(0.0)),
            "repair_units": (Dist.fixed(1.0), Dist("uniform", (0.2, 0.6))),
            "dud_rate": (Dist.fixed(0.0), Dist("uniform", (0.02, 0.15))),
        },
        crews=Dist("triangular", (1.0, 2.0, 4.0)),
        materials=Dist("uniform", (5.0, 25.0)),
        resupply=Dist("uniform", (0.0, 6.0)),
        uxo_h=Dist("uniform", (0.05, 0.3)),
        sweep_h=0.5,
        repair_h=Dist("uniform", (1.0, 4.0)),
        delay_h=Dist("uniform", (0.5, 2.0)),
        days=3,
        defence=defence,
        defence_missile=which,
    )


@pytest.mark.parametrize("defended", [False, True])
def test_vectorized_equals_reference(make: Callable[..., Any], defended: bool) -> None:
    inputs = _raid(make, defended)
    a = simulate(inputs, rng(11), 300)
    b = simulate_reference(inputs, rng(11), 300)
    assert set(a) == set(b)
    for key in a:
        assert np.array_equal(a[key], b[key]), key
    assert a["hours_closed"].mean() > 0  # the raid closes the base in some trials
    assert a["aircraft_destroyed"].mean() > 0
    assert a["aircraft_damaged"].mean() > 0
    if defended:
        assert a["missiles_intercepted"].sum() > 0


def test_block_size_changes_nothing(
    make: Callable[..., Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    inputs = _raid(make)
    a = simulate(inputs, rng(5), 200)
    monkeypatch.setattr(ab_inputs, "BLOCK_ELEMENTS", 1)  # one trial per block
    b = simulate(inputs, rng(5), 200)
    for key in a:
        assert np.array_equal(a[key], b[key]), key


def test_common_random_numbers_across_variants(make: Callable[..., Any]) -> None:
    """More repair crews change no draw: the craters made are the same."""
    a = simulate(_raid(make), rng(2), 200)
    more = _raid(make)
    import dataclasses

    more = dataclasses.replace(more, repair_crews=(Dist.fixed(6.0),))
    b = simulate(more, rng(2), 200)
    assert np.array_equal(a["craters"], b["craters"])
    assert np.all(b["hours_closed"] <= a["hours_closed"] + 1e-9)


def test_surfaces_no_strip_fits_on_equal_the_reference(make: Callable[..., Any]) -> None:
    """A cratered surface shorter than the strip and one narrower than it (where no
    window fits) beside two that can hold one: the later surfaces' bounds must not
    cap the search on the earlier ones, and the vectorized model equals the reference."""
    missiles = [(1, SURFACE, s, 400.0 * k + 200, 0.0, k % 2) for s in (0, 1) for k in range(7)]
    missiles += [(0, SURFACE, s, 500.0, 0.0, 0) for s in (2, 3)]
    inputs = make(
        surfaces=((3000.0, 45.0), (2500.0, 23.0), (1000.0, 45.0), (3000.0, 10.0)),
        missiles=missiles,
        types=(
            {"warhead": UNITARY, "cep": 60.0, "crater": 7.0},
            {"warhead": SUBMUNITION, "bomblets": 30, "pattern": 40.0, "crater": 3.0, "cep": 20.0},
        ),
        waves=(0.0, 10.0),
        crews=2,
        materials=40,
        repair_h=Dist("uniform", (1.0, 3.0)),
        days=2,
    )
    a = simulate(inputs, rng(21), 300)
    b = simulate_reference(inputs, rng(21), 300)
    for key in a:
        assert np.array_equal(a[key], b[key]), key
    reasons = np.bincount(a["closure_reason"].ravel(), minlength=4)
    assert a["hours_closed"].mean() > 1.0 and reasons[1] > 0  # closed, then reopened by repair


@pytest.mark.parametrize("case", range(12))
def test_random_layouts_equal_the_reference(make: Callable[..., Any], case: int) -> None:
    """Random bases: one to four surfaces, some shorter or narrower than the strip, strips
    of fighter and tanker size, unitary and submunition warheads, one to three waves,
    scarce or plentiful repair: the vectorized model equals the reference."""
    g = np.random.default_rng([2026, case])
    n_surfaces = int(g.integers(1, 5))
    surfaces = tuple(
        (
            float(g.choice([800, 1525, 1600, 2134, 3000, 3689])),
            float(g.choice([10, 15, 23, 45, 91])),
        )
        for _ in range(n_surfaces)
    )
    waves = (0.0, 10.0, 30.0)[: int(g.integers(1, 4))]
    # every third layout re-strikes when the base reopens (wave 1), 0.5 h after
    on_reopen = [False, case % 3 == 2, False][: len(waves)]
    missiles = [
        (
            int(g.integers(0, 2)),
            SURFACE,
            int(g.integers(0, n_surfaces)),
            float(g.uniform(0, 3000)),
            float(g.uniform(-20, 20)),
            int(g.integers(0, len(waves))),
        )
        for _ in range(int(g.integers(1, 12)))
    ]
    inputs = make(
        surfaces=surfaces,
        missiles=missiles,
        mos=(float(g.choice([600, 1525, 2134])), float(g.choice([15, 26]))),
        step=float(g.choice([2.5, 5.0])),
        types=(
            {"warhead": UNITARY, "cep": float(g.uniform(5, 80)), "crater": float(g.uniform(2, 9))},
            {
                "warhead": SUBMUNITION,
                "bomblets": int(g.integers(5, 60)),
                "pattern": float(g.uniform(20, 120)),
                "crater": float(g.uniform(1, 4)),
                "cep": float(g.uniform(5, 60)),
                "dud": 0.05 * (case % 3),
                "units": (1.0, 0.25, 0.4)[case % 3],
            },
        ),
        waves=waves,
        crews=int(g.integers(1, 4)) if case % 2 else Dist("uniform", (0.6, 3.4)),
        materials=int(g.integers(0, 60)) if case % 4 < 2 else Dist("uniform", (0.0, 30.0)),
        resupply=(0.0, 3.0, Dist("uniform", (0.0, 10.0)))[case % 3],
        uxo_h=(0.0, 0.2, Dist("uniform", (0.0, 0.5)))[case % 3],
        sweep_h=(0.0, 1.0)[case % 2],
        on_reopen=on_reopen,
        lag_h=0.5,
        repair_h=Dist("uniform", (0.5, 4.0)),
        delay_h=Dist("uniform", (0.0, 2.0)),
        days=2,
    )
    a = simulate(inputs, rng(case), 60)
    b = simulate_reference(inputs, rng(case), 60)
    for key in a:
        assert np.array_equal(a[key], b[key]), key


@pytest.mark.parametrize("materials", [3.0, 40.0])
def test_restrikes_on_reopening_equal_the_reference(
    make: Callable[..., Any], materials: float
) -> None:
    """Two on-reopen waves between scheduled ones, repair that may or may not finish
    before the next scheduled wave (scarce or plentiful materials, daily resupply)."""
    missiles = [
        (1, SURFACE, s, 900.0 * k + 400, 0.0, w) for w in range(4) for s in (0, 1) for k in range(3)
    ]
    inputs = make(
        surfaces=((3000.0, 45.0), (2500.0, 23.0)),
        missiles=missiles,
        types=(
            {"warhead": UNITARY, "cep": 30.0, "crater": 6.0},
            {
                "warhead": SUBMUNITION,
                "bomblets": 20,
                "pattern": 50.0,
                "crater": 3.0,
                "cep": 25.0,
                "dud": 0.1,
                "units": 0.5,
            },
        ),
        waves=(0.0, 0.0, 30.0, 30.0),
        on_reopen=(False, True, False, True),
        lag_h=2.0,
        crews=Dist("uniform", (0.6, 3.4)),
        materials=Dist("uniform", (0.5 * materials, materials)),
        resupply=2.0,
        uxo_h=0.2,
        sweep_h=0.5,
        repair_h=Dist("uniform", (1.0, 4.0)),
        days=3,
    )
    a = simulate(inputs, rng(31), 200)
    b = simulate_reference(inputs, rng(31), 200)
    for key in a:
        assert np.array_equal(a[key], b[key]), key
    assert a["hours_closed"].mean() > 5.0
