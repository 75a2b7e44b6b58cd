"""The naval kind's objective measures and parties, declared as data
(see :mod:`anpo.kinds.missile_defense.objectives`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import numpy as np

from anpo.kinds.base import Objective, PartyRole


def _in_action_after_first(
    outcomes: Mapping[str, Any], labels: Mapping[str, tuple[str, ...]], spec: Any
) -> Any:
    """Share of the allied group still in action after the first salvo exchange."""
    ships = sum(int(g.count) for g in spec.allied)
    side = list(labels["side"]).index("allied")
    lost = np.asarray(outcomes["out_of_action"], dtype=np.float64)[:, 0, side]
    return 1.0 - lost / ships


OBJECTIVES = (
    Objective(
        key="group_survives_first_exchange",
        title="The surface group survives the first exchange",
        outcome="out_of_action",
        test=">=",
        threshold=0.5,
        wording="Share of trials in which at least half of the allied ships are still in "
        "action after the first salvo exchange.",
        value=_in_action_after_first,
    ),
    Objective(
        key="no_ship_lost",
        title="No allied ship put out of action",
        outcome="out_of_action_total",
        test="==",
        threshold=0.0,
        wording="Share of trials in which every allied ship is in action at the end.",
        where=(("side", ("allied",)),),
    ),
)


def _allied(data: Mapping[str, Any], day: dt.date, drop: str) -> list[Any]:
    """The allied groups whose class the kb lists under another navy than ``drop``."""
    from anpo import kb

    navy = {
        str(r.data["ship_class"]): str(r.data["navy"]) for r in kb.load().at(day, "warship_class")
    }
    return [g for g in data.get("allied") or [] if navy.get(str(g.get("ship_class"))) != drop]


def _remove_us(data: Mapping[str, Any], day: dt.date) -> dict[str, Any]:
    """U.S. Navy ships of the allied group."""
    return {"allied": _allied(data, day, "USN")}


def _remove_japan(data: Mapping[str, Any], day: dt.date) -> dict[str, Any]:
    """JMSDF ships of the allied group."""
    return {"allied": _allied(data, day, "JMSDF")}


PARTIES = (
    PartyRole(
        "japan",
        "JMSDF destroyers and frigates",
        "use_force_defence_of_japan",
        "armed_attack_on_japan",
        _remove_japan,
        "The surface action is taken to be in Japan's defence (the East China Sea).",
    ),
    PartyRole(
        "us",
        "U.S. Navy destroyers",
        "use_force_defence_of_japan",
        "armed_attack_on_japan",
        _remove_us,
        "Treaty Article V covers territory under Japan's administration.",
    ),
)

__all__ = ["OBJECTIVES", "PARTIES"]
