"""The air-base kind's objective measures and parties, declared as data
(see :mod:`anpo.kinds.missile_defense.objectives`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from anpo.kinds.base import Objective, PartyRole

OBJECTIVES = (
    Objective(
        key="open_by_72h",
        title="The base is open to fighters from 72 hours on",
        outcome="closed_hours_by_day",
        test="==",
        threshold=0.0,
        wording="Share of trials in which no base is closed (no crater-free minimum "
        "operating strip) at any hour from hour 72 to the horizon: it has reopened "
        "within 72 hours and stays open.",
        from_step=(("day", 3),),
    ),
    Objective(
        key="closed_at_most_24h",
        title="The base is closed for at most 24 hours in all",
        outcome="hours_closed",
        test="<=",
        threshold=24.0,
        wording="Share of trials in which the most-closed base is closed for at most 24 "
        "hours over the horizon.",
        aggregate="max",
    ),
)


def _remove_us(data: Mapping[str, Any], day: dt.date) -> dict[str, Any]:
    """The PAC-3 fire units defending each base (U.S. Army at Kadena)."""
    return {
        f"bases[{i}].pac3_fire_units": 0
        for i, base in enumerate(data.get("bases") or [])
        if int(base.get("pac3_fire_units") or 0)
    }


PARTIES = (
    PartyRole(
        "us",
        "PAC-3 fire units defending the base",
        "use_force_defence_of_japan",
        "attack_on_us_forces_in_japan",
        _remove_us,
        "The base's own repair crews and materials are not removed: they are the base "
        "under attack, not a contribution to its defence.",
    ),
    PartyRole(
        "japan",
        "none modelled (JASDF air defence of the base is not in the model)",
        "use_force_defence_of_japan",
        "attack_on_us_forces_in_japan",
        None,
        "An attack on U.S. forces in Japan is an armed attack on Japan too; Japan's part "
        "in defending the base is not modelled, so it contributes nothing here.",
    ),
)

__all__ = ["OBJECTIVES", "PARTIES"]
