"""A small hand-built air-superiority case (no knowledge base, no air-base raid), as the
fixture ``small``: a function of field changes that returns the case's inputs."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

import numpy as np
import pytest

from anpo.models.air_superiority import Inputs
from anpo.models.base import frozen_array
from anpo.models.distributions import Dist


def small_case(**changes: Any) -> Inputs:
    """Allied F-22s at a near and a far base, F-15s near, a carrier; PLA J-16 and J-20."""
    fleets = ("F-22A near", "F-22A far", "F-15C near", "F/A-18E carrier", "J-16", "J-20")
    inp = Inputs(
        days=5,
        fleet_side=frozen_array([0, 0, 0, 0, 1, 1], np.int64),
        fleet_base=frozen_array([0, 1, 0, 2, 3, 3], np.int64),
        fleet_count=(
            Dist.fixed(24),
            Dist("uniform", (20, 30)),
            Dist.fixed(48),
            Dist.fixed(44),
            Dist("triangular", (150, 200, 250)),
            Dist.fixed(40),
        ),
        fleet_speed_km_h=frozen_array([900, 900, 850, 800, 850, 900], np.float64),
        fleet_radius_km=frozen_array([850, 850, 1000, 700, 1500, 1100], np.float64),
        fleet_tos_h=frozen_array([2, 2, 2, 1.5, 2, 2], np.float64),
        fleet_turn_h=frozen_array([3, 3, 3, 2, 3, 3], np.float64),
        fleet_mc=frozen_array([0.7, 0.7, 0.8, 0.75, 0.75, 0.75], np.float64),
        fleet_max_sorties=frozen_array([2, 2, 2, 2, 2, 2], np.float64),
        fleet_max_flight_h=frozen_array([8, 8, 8, 8, 8, 8], np.float64),
        fleet_bvr=frozen_array([6, 6, 4, 4, 4, 4], np.float64),
        fleet_wvr=frozen_array([2, 2, 2, 2, 2, 2], np.float64),
        fleet_lo=frozen_array([True, True, False, False, False, True], np.bool_),
        base_side=frozen_array([0, 0, 0, 1], np.int64),
        base_distance_km=frozen_array([700, 2800, 700, 300], np.float64),
        base_ab=frozen_array([-1, -1, -1, -1], np.int64),
        base_closure=(
            Dist("uniform", (0.2, 0.6)),
            Dist.fixed(0.0),
            Dist.fixed(0.0),
            Dist.fixed(0.0),
        ),
        tanker_count=(Dist("uniform", (10, 20)), Dist.fixed(3)),
        tanker_base=frozen_array([1, 3], np.int64),
        tanker_sorties_per_day=frozen_array([1.5, 1.5], np.float64),
        refuels_per_tanker_sortie=frozen_array([4, 4], np.float64),
        aew=frozen_array([1, 1], np.float64),
        bvr_pk=(Dist("uniform", (0.2, 0.5)), Dist("uniform", (0.1, 0.4))),
        wvr_pk=(Dist.fixed(0.5), Dist.fixed(0.4)),
        lo_pk_factor=0.4,
        aew_first_share=0.3,
        merge_share=0.3,
        superiority_ratio=1.0,
        labels={
            "fleet": fleets,
            "base": ("near", "far", "carrier", "PLA"),
            "side": ("allied", "PLA"),
            "day": tuple(f"day {d + 1}" for d in range(5)),
            "cause": ("bases closed", "tankers", "distance"),
        },
    )
    return replace(inp, **changes)


@pytest.fixture
def small() -> Callable[..., Inputs]:
    """The small case, as a function of field changes."""
    return small_case
