"""Inputs and outcomes of the air-superiority model (see :mod:`.model` for the equations).

Sides are indexed 0 (the allies: United States, Japan, Taiwan) and 1 (the PLA).
A *fleet* is one aircraft type of one operator at one base or carrier; a *base* is an
airfield or a carrier's stand-off station, with its distance to the combat air patrol
(CAP) station over the Strait. Bases struck in the composed air-base raid name their
index in the air-base model's inputs (``base_ab``); the others carry an assumed daily
closed fraction (``base_closure``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from anpo.models.air_base import Inputs as AirBaseInputs
from anpo.models.base import OutcomeSpec
from anpo.models.distributions import Dist

KIND = "air_superiority"
ALLY, PLA = 0, 1
SIDES = ("allied", "PLA")
CAUSES = ("bases closed", "tankers", "distance")
CLOSED, TANKERS, DISTANCE = 0, 1, 2


@dataclass(frozen=True)
class Inputs:
    """Everything one run needs, as plain arrays (F fleets, B bases, D days)."""

    days: int
    fleet_side: NDArray[np.int64]  # (F,)
    fleet_base: NDArray[np.int64]  # (F,)
    fleet_count: tuple[Dist, ...]  # (F,) aircraft at the base on day 1
    fleet_speed_km_h: NDArray[np.float64]
    fleet_radius_km: NDArray[np.float64]  # unrefuelled combat radius
    fleet_tos_h: NDArray[np.float64]  # time on station per sortie
    fleet_turn_h: NDArray[np.float64]  # ground turn between sorties
    fleet_mc: NDArray[np.float64]  # mission-capable share
    fleet_max_sorties: NDArray[np.float64]  # crew and maintenance limit per aircraft-day
    fleet_max_flight_h: NDArray[np.float64]  # flying hours per aircraft-day
    fleet_bvr: NDArray[np.float64]  # beyond-visual-range missiles carried
    fleet_wvr: NDArray[np.float64]  # within-visual-range missiles carried
    fleet_lo: NDArray[np.bool_]  # low observable
    base_side: NDArray[np.int64]  # (B,)
    base_distance_km: NDArray[np.float64]  # to the CAP station
    base_ab: NDArray[np.int64]  # index in the air-base model, or -1
    base_closure: tuple[Dist, ...]  # (B,) share of each day closed, bases outside the raid
    tanker_count: tuple[Dist, ...]  # (2,) tankers each side can use
    tanker_base: NDArray[np.int64]  # (2,) their base (its closure limits them), -1 none
    tanker_sorties_per_day: NDArray[np.float64]  # (2,)
    refuels_per_tanker_sortie: NDArray[np.float64]  # (2,) fighter sorties each supports
    aew: NDArray[np.float64]  # (2,) 1 with AEW&C cover, 0 without
    bvr_pk: tuple[Dist, ...]  # (2,) kill probability of one BVR missile
    wvr_pk: tuple[Dist, ...]  # (2,) kill probability of one WVR missile
    lo_pk_factor: float  # multiplies the Pk of a shot at a low-observable target
    aew_first_share: float  # first-shot share AEW&C gives a side's fighters
    merge_share: float  # share of the BVR survivors that merge within visual range
    superiority_ratio: float  # k: allied CAP >= k x PLA fighters in the zone
    air_base: AirBaseInputs | None = None
    ab_aircraft: NDArray[np.float64] = field(default_factory=lambda: np.zeros(0))
    labels: Mapping[str, tuple[str, ...]] = field(default_factory=dict)


OUTCOMES: dict[str, OutcomeSpec] = {
    "on_station": OutcomeSpec(
        ("side", "day"), "count", "Fighters on station over the Strait, time-averaged, by day"
    ),
    "air_losses": OutcomeSpec(("side", "day"), "count", "Fighters lost in air combat, by day"),
    "ground_losses": OutcomeSpec(("side",), "count", "Fighters destroyed on the ground"),
    "sorties": OutcomeSpec(("side", "day"), "count", "Fighter sorties flown to the CAP station"),
    "sorties_by_base": OutcomeSpec(
        ("base",), "count", "Fighter sorties flown from each base over the horizon"
    ),
    "sorties_lost": OutcomeSpec(
        ("cause",), "count", "Allied sorties lost over the horizon, by cause"
    ),
    "sorties_lost_by_day": OutcomeSpec(("cause", "day"), "count", "Allied sorties lost, by day"),
    "sorties_lost_by_base": OutcomeSpec(
        ("cause", "base"), "count", "Sorties lost at each base over the horizon, by cause"
    ),
    "missiles_expended": OutcomeSpec(("side",), "count", "Air-to-air missiles fired"),
    "superiority": OutcomeSpec(
        ("day",), "probability", "1 if the allies held local air superiority that day"
    ),
    "superiority_day": OutcomeSpec(
        (), "day", "First day of local air superiority (days + 1 when never)"
    ),
    "days_late_day3": OutcomeSpec(
        (), "days", "Days past day 3 before local air superiority (0: by day 3)"
    ),
    "allied_on_station": OutcomeSpec(("day",), "count", "Allied fighters on station, by day"),
    "allied_losses": OutcomeSpec((), "count", "Allied fighters lost, in the air and on the ground"),
    "bvr_pk": OutcomeSpec(("side",), "probability", "BVR missile kill probability drawn"),
}


def empty(n: int, f: int, d: int, b: int) -> dict[str, NDArray[Any]]:
    """Zeroed outcome arrays for ``n`` trials."""
    return {
        "on_station": np.zeros((n, 2, d)),
        "air_losses": np.zeros((n, 2, d)),
        "ground_losses": np.zeros((n, 2)),
        "sorties": np.zeros((n, 2, d)),
        "sorties_by_base": np.zeros((n, b)),
        "sorties_lost": np.zeros((n, 3)),
        "sorties_lost_by_day": np.zeros((n, 3, d)),
        "sorties_lost_by_base": np.zeros((n, 3, b)),
        "missiles_expended": np.zeros((n, 2)),
        "superiority": np.zeros((n, d)),
        "superiority_day": np.zeros(n),
        "days_late_day3": np.zeros(n),
        "allied_losses": np.zeros(n),
        "allied_on_station": np.zeros((n, d)),
        "bvr_pk": np.zeros((n, 2)),
    }
