"""The air-superiority kind: the fight for the air over the Taiwan Strait.

Its schema and resolver are :mod:`anpo.scenario.air_superiority`, its model
:mod:`anpo.models.air_superiority` (which composes the air-base model on the raid);
what people see of a run is declared in :mod:`.views`.
"""

from __future__ import annotations

from anpo.kinds.air_superiority.objectives import OBJECTIVES, PARTIES
from anpo.kinds.air_superiority.views import LEVERS, UNCERTAIN, VIEWS
from anpo.kinds.base import KindSpec, SummaryGroups
from anpo.scenario import air_superiority as scenario

SUMMARY = SummaryGroups(
    groups={
        "threat": (r"PLA .+ at .+\.count", r"tankers\.PLA", r"raid\.raid\[\d+\]"),
        "forces": (r"(?!PLA ).+ at .+\.count", r"carriers", r"tankers\.allied"),
    },
)
"""``anpo show``'s summary: the PLA's fleets, tankers and the missile raid on the bases,
then the allied fleets (every operator but the PLA), carriers and tankers."""


KIND = KindSpec(
    name="air_superiority",
    title="Air superiority over the Taiwan Strait",
    schema=scenario.AirSuperiorityScenario,
    resolve=scenario.resolve,
    model="anpo.models.air_superiority",
    views=VIEWS,
    levers=LEVERS,
    uncertain=UNCERTAIN,
    objectives=OBJECTIVES,
    parties=PARTIES,
    experimental=True,
    summary=SUMMARY,
)

__all__ = ["KIND"]
