"""The ASW kind's objective measures and parties, declared as data
(see :mod:`anpo.kinds.missile_defense.objectives`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import numpy as np

from anpo.kinds.base import Objective, PartyRole


def _share_through(
    outcomes: Mapping[str, Any], labels: Mapping[str, tuple[str, ...]], spec: Any
) -> Any:
    """Share of the submarines attempting the transit that got through."""
    total = sum(int(t.count) for t in spec.transits)
    return np.asarray(outcomes["transits"], dtype=np.float64) / total


OBJECTIVES = (
    Objective(
        key="half_stopped",
        title="The barrier stops at least half of the submarines",
        outcome="transits",
        test="<=",
        threshold=0.5,
        wording="Share of trials in which at most half of the submarines attempting the "
        "transit got through (killed or still held in the barrier at the horizon).",
        value=_share_through,
    ),
    Objective(
        key="transit_stopped",
        title="No submarine gets through",
        outcome="transits",
        test="==",
        threshold=0.0,
        wording="Share of trials in which every submarine was stopped.",
    ),
)


def _platforms(data: Mapping[str, Any], drop: tuple[str, ...]) -> list[Any]:
    return [p for p in data.get("platforms") or [] if str(p.get("navy")) not in drop]


def _remove(navy: str) -> Any:
    def remove(data: Mapping[str, Any], day: dt.date) -> dict[str, Any]:
        out: dict[str, Any] = {"platforms": _platforms(data, (navy,))}
        if navy in ("ROKN", "RAN"):
            out["partners"] = [p for p in data.get("partners") or [] if p != navy]
        return out

    return remove


PARTIES = (
    PartyRole(
        "japan",
        "JMSDF patrol aircraft, destroyers, helicopters and submarines",
        "use_force_defence_of_japan",
        "armed_attack_on_japan",
        _remove("JMSDF"),
        "Attacking submarines is a use of force: the barrier is taken to be fought in "
        "Japan's defence (an assumption; in a Taiwan contingency alone it would be a "
        "survival-threatening situation).",
    ),
    PartyRole(
        "us",
        "U.S. Navy P-8A patrol aircraft",
        "use_force_defence_of_japan",
        "armed_attack_on_japan",
        _remove("USN"),
    ),
    PartyRole(
        "rok",
        "South Korean P-8A patrol aircraft (only where listed in partners)",
        None,
        None,
        _remove("ROKN"),
        "The law engine holds no authority for South Korean forces to fight in Japan's "
        "defence; they join only where the scenario lists them (the lever asw_partners).",
    ),
    PartyRole(
        "australia",
        "Australian P-8A patrol aircraft (only where listed in partners)",
        None,
        None,
        _remove("RAN"),
        "As for South Korea: joins only where the scenario lists it.",
    ),
)

__all__ = ["OBJECTIVES", "PARTIES"]
