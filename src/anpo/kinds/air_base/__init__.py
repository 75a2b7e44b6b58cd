"""The air-base kind: missiles against runways, parked aircraft and facilities.

Its schema and resolver are :mod:`anpo.scenario.air_base`, its model
:mod:`anpo.models.air_base`; what people see of a run is declared in :mod:`.views`.
"""

from __future__ import annotations

from anpo.kinds.air_base.objectives import OBJECTIVES, PARTIES
from anpo.kinds.air_base.views import LEVERS, UNCERTAIN, VIEWS
from anpo.kinds.base import KindSpec, SummaryGroups
from anpo.scenario import air_base as scenario

SUMMARY = SummaryGroups(
    groups={
        "threat": (r"raid\[\d+\]", r"plarf\..+"),
        "forces": (
            r".+\.aircraft\..+",
            r"(?!defence\.).+\.(repair\.crews|cruise_defence\.fire_units|thaad\..+)",
            r"defence\.(pac3_fire_units|thaad_batteries)",
        ),
    },
)
"""``anpo show``'s summary: the raid's salvos and the PLARF's inventory, then each base's
aircraft, repair crews and missile-defence fire units (no law: the kind asks none)."""


KIND = KindSpec(
    name="air_base",
    title="Air bases under missile attack",
    schema=scenario.AirBaseScenario,
    resolve=scenario.resolve,
    model="anpo.models.air_base",
    views=VIEWS,
    levers=LEVERS,
    uncertain=UNCERTAIN,
    objectives=OBJECTIVES,
    parties=PARTIES,
    summary=SUMMARY,
)

__all__ = ["KIND"]
