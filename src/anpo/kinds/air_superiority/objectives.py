"""The air-superiority kind's objective measures and parties, declared as data
(see :mod:`anpo.kinds.missile_defense.objectives`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from anpo.kinds.base import Objective, PartyRole

OBJECTIVES = (
    Objective(
        key="superiority_by_day3",
        title="Local air superiority by day 3",
        outcome="days_late_day3",
        test="==",
        threshold=0.0,
        wording="Share of trials in which allied fighters on station over the Strait "
        "outnumber the PLA's by the scenario's ratio on some day up to day 3.",
    ),
    Objective(
        key="superiority_in_horizon",
        title="Local air superiority at some point of the campaign",
        outcome="superiority",
        test=">",
        threshold=0.0,
        wording="Share of trials in which the allies hold local air superiority on at least "
        "one day of the campaign.",
        aggregate="max",
    ),
)

US_OPERATORS = ("USAF", "USN", "USMC")


def _fleets(data: Mapping[str, Any], drop: tuple[str, ...]) -> list[Any]:
    return [f for f in data.get("fleets") or [] if str(f.get("operator")) not in drop]


def _remove_us(data: Mapping[str, Any], day: dt.date) -> dict[str, Any]:
    """U.S. fighter fleets, carriers and tankers."""
    return {"fleets": _fleets(data, US_OPERATORS), "carriers": 0, "tankers": 0}


def _remove_japan(data: Mapping[str, Any], day: dt.date) -> dict[str, Any]:
    """JASDF fighter fleets."""
    return {"fleets": _fleets(data, ("JASDF",))}


PARTIES = (
    PartyRole(
        "japan",
        "JASDF fighters",
        "use_force_defence_of_japan",
        "attack_on_ally_threatening_survival",
        _remove_japan,
        "A fight over the Strait is taken to be a survival-threatening situation "
        "(collective self-defence): prohibited before the 2016 law.",
    ),
    PartyRole(
        "us",
        "U.S. Air Force, Navy and Marine fighters, carriers and tankers",
        None,
        None,
        _remove_us,
        "The law engine holds no U.S. authority for a Taiwan contingency (no treaty "
        "commitment): the gate is taken as open, an assumption; the prior consultation "
        "on combat operations from bases in Japan is not modelled.",
    ),
)

__all__ = ["OBJECTIVES", "PARTIES"]
