"""Fixtures for the air-base model tests: small, hand-checkable bases and raids.

:func:`build` makes an :class:`~anpo.models.air_base.Inputs` from keyword
arguments with defaults for one base with one runway and no aircraft; the
``make`` fixture hands it out (session scope, so ``hypothesis`` tests may use it).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import pytest

from anpo.models.air_base import SUBMUNITION, SURFACE, UNITARY, Inputs
from anpo.models.distributions import Dist


def build(
    *,
    surfaces: Sequence[tuple[float, float]] = ((3000.0, 45.0),),
    surface_base: Sequence[int] | None = None,
    n_bases: int = 1,
    mos: tuple[float, float] = (1500.0, 15.0),
    step: float = 2.5,
    missiles: Sequence[tuple[Any, ...]] = (),
    types: Sequence[dict[str, Any]] = ({"warhead": UNITARY},),
    aircraft: Sequence[tuple[int, bool, float, float, int]] = (),
    shelters: Sequence[int] = (),
    facilities: Sequence[tuple[int, float]] = (),
    waves: Sequence[float] = (0.0,),
    crews: Dist | float = 1,
    materials: Dist | float = 1000,
    repair_h: Dist | float = 1.0,
    delay_h: Dist | float = 0.0,
    resupply: Dist | float = 0.0,
    uxo_h: Dist | float = 0.0,
    sweep_h: Dist | float = 0.0,
    on_reopen: Sequence[bool] = (),
    warhead_dists: dict[str, tuple[Dist, ...]] | None = None,
    lag_h: float = 0.0,
    sortie_rate: float = 2.0,
    days: int = 3,
    defence: Any = None,
    defence_missile: Sequence[int] = (),
) -> Inputs:
    """Inputs for a test. ``missiles``: (type, target kind, target, aim x, aim y, wave);
    ``types``: dicts with warhead, bomblets, crater, pattern, lethal, hard, cep,
    reliability, ballistic; ``aircraft``: (base, sheltered, x, y, shelter)."""

    def d(v: Dist | float) -> Dist:
        return v if isinstance(v, Dist) else Dist.fixed(float(v))

    tt = list(types)
    return Inputs(
        mos_length_m=np.full(n_bases, mos[0]),
        mos_width_m=np.full(n_bases, mos[1]),
        mos_lateral_step_m=step,
        surface_base=list(surface_base) if surface_base is not None else [0] * len(surfaces),
        surface_length_m=[s[0] for s in surfaces],
        surface_width_m=[s[1] for s in surfaces],
        aircraft_base=[a[0] for a in aircraft],
        aircraft_sheltered=[a[1] for a in aircraft],
        aircraft_x_m=[a[2] for a in aircraft],
        aircraft_y_m=[a[3] for a in aircraft],
        aircraft_shelter=[a[4] for a in aircraft],
        shelter_base=list(shelters),
        facility_base=[f[0] for f in facilities],
        facility_sortie_factor=[f[1] for f in facilities],
        missile_type=[m[0] for m in missiles],
        missile_target_kind=[m[1] for m in missiles],
        missile_target=[m[2] for m in missiles],
        missile_aim_x_m=[m[3] for m in missiles],
        missile_aim_y_m=[m[4] for m in missiles],
        missile_wave=[m[5] for m in missiles],
        type_warhead=[t["warhead"] for t in tt],
        type_bomblets=[t.get("bomblets", 0) for t in tt],
        type_crater_radius_m=[t.get("crater", 5.0) for t in tt],
        type_pattern_radius_m=[t.get("pattern", 0.0) for t in tt],
        type_lethal_radius_m=[t.get("lethal", 10.0) for t in tt],
        type_lethal_radius_hard_m=[t.get("hard", 0.0) for t in tt],
        type_ballistic=[t.get("ballistic", True) for t in tt],
        cep_m=tuple(d(t.get("cep", 0.0)) for t in tt),
        reliability=tuple(d(t.get("reliability", 1.0)) for t in tt),
        wave_time_h=list(waves),
        repair_crews=tuple(d(crews) for _ in range(n_bases)),
        repair_materials=tuple(d(materials) for _ in range(n_bases)),
        resupply_per_day=tuple(d(resupply) for _ in range(n_bases)),
        uxo_h_per_dud=tuple(d(uxo_h) for _ in range(n_bases)),
        sweep_h=d(sweep_h),
        wave_on_reopen=list(on_reopen),
        restrike_lag_h=lag_h,
        warhead_dists=warhead_dists or {},
        type_dud_rate=[t.get("dud", 0.0) for t in tt],
        type_repair_units=[t.get("units", 1.0) for t in tt],
        type_damage_radius_m=[t.get("damage", t.get("lethal", 10.0)) for t in tt],
        type_shelter_pk=[t.get("shelter_pk", 1.0) for t in tt],
        type_along_track_ratio=[t.get("along", 1.0) for t in tt],
        missile_heading_rad=[m[6] if len(m) > 6 else 0.0 for m in missiles],
        repair_h=tuple(d(repair_h) for _ in range(n_bases)),
        repair_delay_h=d(delay_h),
        sortie_rate_per_day=[sortie_rate] * n_bases,
        horizon_days=days,
        defence=defence,
        defence_missile=list(defence_missile),
        labels={
            "base": tuple(f"base {b}" for b in range(n_bases)),
            "day": tuple(f"day {k + 1}" for k in range(days)),
            "missile_type": tuple(f"type {t}" for t in range(len(tt))),
            "reason": ("never_closed", "reopened", "repairing_at_horizon", "out_of_materials"),
        },
    )


def rng(seed: int = 1) -> np.random.Generator:
    """A generator made from a SeedSequence, as the engine makes them."""
    return np.random.default_rng(np.random.SeedSequence(seed))


@pytest.fixture(scope="session")
def make() -> Callable[..., Inputs]:
    return build


__all__ = ["SUBMUNITION", "SURFACE", "UNITARY", "build", "rng"]
