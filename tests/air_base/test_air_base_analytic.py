"""Closed forms the air-base model must reproduce (5 Monte Carlo standard errors).

* Single-shot kill probability of a point target with a cookie-cutter lethal radius R
  against a circular normal miss of a given CEP: P = 1 − 0.5^((R/CEP)²) (the relation
  used in RAND MR-1028 and every weaponeering text).
* Random coverage of a submunition pattern: P_k = 1 − exp(−n r² / R_p²).
* Cratering a strip: one crater of radius r aimed at the middle of a surface as wide
  as the minimum operating strip closes it iff its centre lands on the pavement and
  within (L − ℓ − r, ℓ + r) along it: P = P(|Z| σ ≤ W/2) · P(L − ℓ − r < L/2 + σZ < ℓ + r).
* Repair: a crater that certainly closes the base is repaired in exactly delay + h hours.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np

from anpo.models.air_base import APRON, SHELTER, SUBMUNITION, SURFACE, UNITARY, simulate
from anpo.models.air_base.inputs import OUT_OF_MATERIALS, REOPENED, pattern_kill_probability

N = 20_000


def rng(seed: int) -> np.random.Generator:
    return np.random.default_rng(np.random.SeedSequence(seed))


def _phi(x: float) -> float:
    return 0.5 * (1.0 + math.erf(x / math.sqrt(2.0)))


def _check(values: np.ndarray, p: float) -> None:
    se = math.sqrt(p * (1 - p) / values.size)
    assert abs(values.mean() - p) <= 5 * se + 1e-12, (values.mean(), p, se)


def test_single_shot_kill_probability_from_cep_and_lethal_radius(make: Callable[..., Any]) -> None:
    for lethal, cep in ((10.0, 10.0), (20.0, 35.0), (30.0, 15.0)):
        inputs = make(
            missiles=[(0, APRON, 0, 0.0, 0.0, 0)],
            types=({"warhead": UNITARY, "lethal": lethal, "cep": cep},),
            aircraft=[(0, False, 0.0, 0.0, -1)],
        )
        out = simulate(inputs, rng(7), N)
        _check(out["aircraft_destroyed"][:, 0], 1 - 0.5 ** ((lethal / cep) ** 2))


def test_submunition_pattern_kill_probability(make: Callable[..., Any]) -> None:
    inputs = make(
        missiles=[(0, APRON, 0, 0.0, 0.0, 0)],
        types=({"warhead": SUBMUNITION, "bomblets": 40, "pattern": 80.0, "lethal": 6.0},),
        aircraft=[(0, False, 0.0, 0.0, -1), (0, False, 50.0, 0.0, -1)],
    )
    p = pattern_kill_probability(inputs, 0)
    assert p == 1 - math.exp(-40 * 36 / 6400)
    out = simulate(inputs, rng(8), N)
    _check(out["aircraft_destroyed"][:, 0] / 2.0, p)  # both inside the pattern


def test_crater_closes_a_strip_with_the_closed_form_probability(make: Callable[..., Any]) -> None:
    length, width, mos_l, radius, cep = 3000.0, 15.0, 1600.0, 6.0, 20.0
    sigma = cep / math.sqrt(2 * math.log(2))
    inputs = make(
        surfaces=((length, width),),
        mos=(mos_l, width),
        missiles=[(0, SURFACE, 0, length / 2, 0.0, 0)],
        types=({"warhead": UNITARY, "crater": radius, "cep": cep},),
        repair_h=1.0,
        delay_h=0.0,
    )
    out = simulate(inputs, rng(9), N)
    on = 2 * _phi(width / 2 / sigma) - 1
    along = _phi((mos_l + radius - length / 2) / sigma) - _phi(
        (length - mos_l - radius - length / 2) / sigma
    )
    _check(out["hours_closed"][:, 0] > 0, on * along)


def test_repair_takes_delay_plus_crater_time(make: Callable[..., Any]) -> None:
    inputs = make(
        surfaces=((2000.0, 15.0),),
        mos=(1500.0, 15.0),
        missiles=[(0, SURFACE, 0, 1000.0, 0.0, 0)],
        types=({"warhead": UNITARY, "crater": 5.0},),
        repair_h=3.5,
        delay_h=2.0,
        days=2,
    )
    out = simulate(inputs, rng(1), 10)
    assert np.all(out["hours_closed"] == 5.5)
    assert np.all(out["closure_reason"] == REOPENED)
    sorties = out["sorties"]
    assert sorties.shape == (10, 1, 2)
    assert np.all(sorties == 0.0)  # no aircraft


def test_repair_phases_add_up(make: Callable[..., Any]) -> None:
    """Assessment, clearing the duds, crater repair by type and sweeping, in that order.

    Ten bomblets land within 1 m of the runway's centre (CEP 0): 10 craters of 0.25
    standard craters each (2.5 units), 10 × 0.1 = 1 dud. With 2 crews of 3 h per
    standard crater the repair takes ⌈2.5 / 2⌉ · 3 = 6 h, so the base reopens after
    1 (assessment) + 0.5 · 1 (one dud at 0.5 h) + 6 + 0.75 (sweeping) = 8.25 h.
    """
    inputs = make(
        surfaces=((2000.0, 15.0),),
        mos=(1500.0, 15.0),
        missiles=[(0, SURFACE, 0, 1000.0, 0.0, 0)],
        types=(
            {
                "warhead": SUBMUNITION,
                "bomblets": 10,
                "pattern": 1.0,
                "crater": 2.0,
                "dud": 0.1,
                "units": 0.25,
            },
        ),
        crews=2,
        repair_h=3.0,
        delay_h=1.0,
        uxo_h=0.5,
        sweep_h=0.75,
        days=2,
    )
    out = simulate(inputs, rng(1), 10)
    assert np.all(out["hours_closed"] == 8.25)
    assert np.all(out["closure_reason"] == REOPENED)


def test_resupply_reopens_a_base_out_of_materials(make: Callable[..., Any]) -> None:
    """No materials on hand and 0.5 craters' worth a day: the one crater waits for the
    second delivery (hour 48), then the 1 h sweep; without resupply the base stays shut."""
    kw: dict[str, Any] = {
        "surfaces": ((2000.0, 15.0),),
        "mos": (1500.0, 15.0),
        "missiles": [(0, SURFACE, 0, 1000.0, 0.0, 0)],
        "types": ({"warhead": UNITARY, "crater": 5.0},),
        "materials": 0,
        "repair_h": 3.0,
        "sweep_h": 1.0,
        "days": 4,
        "aircraft": [(0, False, 0.0, 0.0, -1)],
    }
    out = simulate(make(resupply=0.5, **kw), rng(1), 5)
    assert np.all(out["hours_closed"] == 49.0)
    assert np.all(out["closure_reason"] == REOPENED)
    shut = simulate(make(**kw), rng(1), 5)
    assert np.all(shut["hours_closed"] == 96.0)
    assert np.all(shut["closure_reason"] == OUT_OF_MATERIALS)
    assert np.all(shut["aircraft_stranded"] == 1.0)  # its one aircraft, every day
    assert np.all(out["aircraft_stranded"][:, 0] == [1.0, 1.0, 0.0, 0.0])


def test_damaged_aircraft_from_the_damage_radius(make: Callable[..., Any]) -> None:
    """Inside one pattern an aircraft is destroyed with P_k(r) and damaged but not
    destroyed with P_k(r_d) − P_k(r); damaged aircraft fly no sorties, and aircraft at a
    base closed all day are stranded."""
    inputs = make(
        missiles=[(0, APRON, 0, 0.0, 0.0, 0)],
        types=(
            {
                "warhead": SUBMUNITION,
                "bomblets": 40,
                "pattern": 80.0,
                "lethal": 6.0,
                "damage": 12.0,
            },
        ),
        aircraft=[(0, False, 0.0, 0.0, -1)],
        days=1,
    )
    p_kill = 1 - math.exp(-40 * 36 / 6400)
    p_hurt = 1 - math.exp(-40 * 144 / 6400)
    assert pattern_kill_probability(inputs, 0, damage=True) == p_hurt
    out = simulate(inputs, rng(8), N)
    _check(out["aircraft_destroyed"][:, 0], p_kill)
    _check(out["aircraft_damaged"][:, 0], p_hurt - p_kill)
    flying = out["sorties"][:, 0, 0] > 0
    _check(flying, 1 - p_hurt)
    assert np.all(out["aircraft_stranded"] == 0)  # no crater: the base stays open


def test_shelter_killed_by_a_hit_on_the_structure(make: Callable[..., Any]) -> None:
    """A penetrator landing within the shelter's radius R_h defeats it with probability
    p: P = p · (1 − 0.5^((R_h / CEP)²)); its aircraft goes with it."""
    hard, cep, pk = 14.0, 20.0, 0.7
    inputs = make(
        missiles=[(0, SHELTER, 0, 0.0, 0.0, 0)],
        types=({"warhead": UNITARY, "hard": hard, "shelter_pk": pk, "cep": cep},),
        aircraft=[(0, True, 0.0, 0.0, 0)],
        shelters=[0],
    )
    out = simulate(inputs, rng(12), N)
    _check(out["aircraft_destroyed"][:, 0], pk * (1 - 0.5 ** ((hard / cep) ** 2)))


def test_ballistic_miss_is_longer_along_the_track(make: Callable[..., Any]) -> None:
    """σ_along = e·σ_cross with (σ_along + σ_cross)/2 = CEP/1.1774; the miss turns with
    the missile's heading. With e = 3 the half of the misses within the CEP holds to
    within the accuracy of the approximation CEP ≈ 0.5887 (σ_x + σ_y) (about 3 %)."""
    from anpo.models.air_base.inputs import draw

    cep, e, heading = 40.0, 3.0, math.pi / 2  # flying along the frame's y axis
    inputs = make(
        missiles=[(0, SURFACE, 0, 0.0, 0.0, 0, heading)],
        types=({"warhead": UNITARY, "cep": cep, "along": e},),
    )
    p = draw(inputs, rng(3), N)
    sigma = cep / math.sqrt(2 * math.log(2))
    sx, sy = p.miss_x_m[:, 0].std(), p.miss_y_m[:, 0].std()
    assert abs(sy / (2 * e / (1 + e) * sigma) - 1) < 0.02  # along track, now along y
    assert abs(sx / (2 / (1 + e) * sigma) - 1) < 0.02
    inside = np.hypot(p.miss_x_m[:, 0], p.miss_y_m[:, 0]) < cep
    assert abs(inside.mean() - 0.5) < 0.03


def test_a_taxiway_that_holds_the_strip_keeps_the_base_open(make: Callable[..., Any]) -> None:
    """A runway cut in its middle beside an intact 23 m taxiway: fighters (15 m strip)
    use the taxiway and the base stays open; tankers (27 m) cannot, and it closes."""
    kw: dict[str, Any] = {
        "surfaces": ((3000.0, 45.0), (3000.0, 23.0)),
        "missiles": [(0, SURFACE, 0, 1500.0, 0.0, 0)],
        "types": ({"warhead": UNITARY, "crater": 30.0},),  # spans the runway's width
        "repair_h": 5.0,
    }
    fighters = simulate(make(mos=(1600.0, 15.0), **kw), rng(1), 5)
    assert np.all(fighters["hours_closed"] == 0.0)
    tankers = simulate(make(mos=(1600.0, 27.0), **kw), rng(1), 5)
    assert np.all(tankers["hours_closed"] == 5.0)


def test_a_restrike_lands_when_the_base_reopens(make: Callable[..., Any]) -> None:
    """One crater closes the base for 5 h; a second wave set to strike when it reopens
    lands 1 h after (hour 6) and closes it again for 5 h: 10 h closed in all. Held for
    the next scheduled wave (hour 30) when the base does not reopen before then."""
    kw: dict[str, Any] = {
        "surfaces": ((2000.0, 15.0),),
        "mos": (1500.0, 15.0),
        "missiles": [(0, SURFACE, 0, 1000.0, 0.0, 0), (0, SURFACE, 0, 1000.0, 0.0, 1)],
        "types": ({"warhead": UNITARY, "crater": 5.0},),
        "repair_h": 5.0,
        "days": 2,
    }
    out = simulate(make(waves=(0.0, 0.0), on_reopen=(False, True), lag_h=1.0, **kw), rng(1), 5)
    assert np.all(out["hours_closed"] == 10.0)
    assert np.all(out["closure_reason"] == REOPENED)
    # with no materials the base never reopens: the re-strike waits for the horizon
    shut = simulate(make(waves=(0.0, 0.0), on_reopen=(False, True), materials=0, **kw), rng(1), 5)
    assert np.all(shut["hours_closed"] == 48.0)
