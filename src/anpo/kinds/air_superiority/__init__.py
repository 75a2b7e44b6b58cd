"""The air-superiority kind: the fight for the air over the Taiwan Strait.

Its schema and resolver are :mod:`anpo.scenario.air_superiority`, its model
:mod:`anpo.models.air_superiority` (which composes the air-base model on the raid);
what people see of a run is declared in :mod:`.views`.
"""

from __future__ import annotations

from anpo.kinds.air_superiority.objectives import OBJECTIVES, PARTIES
from anpo.kinds.air_superiority.views import LEVERS, UNCERTAIN, VIEWS
from anpo.kinds.base import KindSpec
from anpo.scenario import air_superiority as scenario

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
)

__all__ = ["KIND"]
