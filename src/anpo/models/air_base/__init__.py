"""Air-base attack: missiles against runways, parked aircraft, shelters and facilities.

Runway closure by craters and minimum operating strips, rapid runway repair,
aircraft destroyed on the ground and the sorties each base can still generate,
day by day, after the method of Stillion and Orletsky (RAND MR-1028-AF, 1999)
and the RAND *U.S.-China Military Scorecard* (2015, ch. 3). See :mod:`.model`
for the equations, :mod:`.geometry` for the minimum-operating-strip search,
:mod:`.reference` for the per-trial reference implementation and :mod:`.inputs`
for the inputs, outcomes and random-number layout. The optional missile-defence
thinning calls :func:`anpo.models.missile_defense.simulate` on the raid.
"""

from anpo.models.air_base.inputs import (
    APRON,
    FACILITY,
    OUTCOMES,
    REASONS,
    SHELTER,
    SUBMUNITION,
    SURFACE,
    TARGET_KINDS,
    UNITARY,
    WARHEADS,
    Inputs,
    Params,
    draw,
    pattern_kill_probability,
)
from anpo.models.air_base.model import simulate
from anpo.models.air_base.reference import simulate_reference

KIND = "air_base"

__all__ = [
    "APRON",
    "FACILITY",
    "KIND",
    "OUTCOMES",
    "REASONS",
    "SHELTER",
    "SUBMUNITION",
    "SURFACE",
    "TARGET_KINDS",
    "UNITARY",
    "WARHEADS",
    "Inputs",
    "Params",
    "draw",
    "pattern_kill_probability",
    "simulate",
    "simulate_reference",
]
