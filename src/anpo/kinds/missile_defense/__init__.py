"""The missile-defence kind: a ballistic-missile raid against the layered defence.

Its schema and resolver are :mod:`anpo.scenario.missile_defense`, its model
:mod:`anpo.models.missile_defense` (Wilkening 1999); what people see of a run is
declared in :mod:`.views`, its levers in :mod:`.levers`.
"""

from __future__ import annotations

from anpo.kinds.base import KindSpec
from anpo.kinds.missile_defense.levers import LEVERS, UNCERTAIN, tidy
from anpo.kinds.missile_defense.objectives import OBJECTIVES, PARTIES
from anpo.kinds.missile_defense.views import VIEWS
from anpo.scenario import missile_defense as scenario

KIND = KindSpec(
    name="missile_defense",
    title="Missile defence",
    schema=scenario.MissileDefenseScenario,
    resolve=scenario.resolve,
    model="anpo.models.missile_defense",
    views=VIEWS,
    levers=LEVERS,
    uncertain=UNCERTAIN,
    objectives=OBJECTIVES,
    parties=PARTIES,
    tidy=tidy,
)

__all__ = ["KIND"]
