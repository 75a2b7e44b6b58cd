"""The missile-defence kind's levers and uncertain keys, declared as data.

A lever is a named change to a scenario file (a dotted path and the values it may
take); the comparison and sweep commands apply it and validate the result with the
scenario's own schema, so a lever can never produce a scenario a user could not write.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from anpo.kinds.base import Lever, UncertainKey

LEVERS = (
    Lever(
        "usn_ships",
        "posture.ships.usn",
        "int",
        (0, 16),
        "U.S. Navy BMD ships on station (default: as the knowledge base lists them)",
        "ships",
    ),
    Lever(
        "us_tracks",
        "posture.sharing.us",
        "bool",
        (),
        "U.S. forward radar (AN/TPY-2) tracks reach Japan's ships, so they may launch on "
        "remote, and an SM-3 IIA engage on remote (default: where the arrangement for each "
        "radar is in force on the date)",
    ),
    Lever(
        "rok_tracks",
        "posture.sharing.rok",
        "bool",
        (),
        "South Korean radar tracks reach Japan's ships as they form (default: under the "
        "2023 trilateral real-time arrangement; the 2016 GSOMIA passes data only after the "
        "event, which opens no engagement window)",
    ),
    Lever(
        "australia_tracks",
        "posture.sharing.australia",
        "bool",
        (),
        "Australian sensor data cue Japan's upper tier (no Australian radar is in the "
        "knowledge base, so this changes only scenarios without geography)",
    ),
    Lever(
        "upper_salvo",
        "doctrine.upper.salvo",
        "int",
        (1, 4),
        "SM-3 interceptors fired at each threat per look",
        "interceptors",
    ),
    Lever(
        "upper_mode",
        "doctrine.upper.mode",
        "choice",
        ("salvo", "shoot-look-shoot"),
        "upper-tier firing doctrine",
    ),
    Lever(
        "lower_salvo",
        "doctrine.lower.salvo",
        "int",
        (1, 4),
        "PAC-3 interceptors fired at each threat",
        "interceptors",
    ),
    Lever(
        "law_override",
        "law.override",
        "bool",
        (),
        "let Japanese units engage where the law in force does not permit it (a "
        "counterfactual, flagged in the report)",
    ),
    Lever(
        "readiness",
        "readiness.warning",
        "choice",
        ("strategic", "surprise"),
        "the warning the defence had: each BMD ship is on station with the knowledge "
        "base's share for it on the date (default, left out: every listed ship is there)",
    ),
)

UNCERTAIN = (
    UncertainKey("sspk.<interceptor>", "probability", "single-shot kill probability"),
    UncertainKey("reliability.<interceptor>", "probability", "interceptor reliability"),
    UncertainKey(
        "sensor_delay_s.upper",
        "s",
        "track-to-decision delay, upper tier (without geography: detection to decision)",
    ),
    UncertainKey("sensor_delay_s.lower", "s", "detection-to-decision delay, lower tier"),
    UncertainKey("discrimination", "probability", "probability a decoy is recognised"),
)


_USN_SHIP = re.compile(r"^USN BMD ship (\d+) \(")
"""The name the resolver gives the k-th U.S. Navy BMD ship (``USN BMD ship 3
(Yokosuka)``, its extra rounds ``USN BMD ship 3 (Yokosuka) [sm6]``)."""


def _beyond(name: Any, count: int) -> bool:
    m = _USN_SHIP.match(name) if isinstance(name, str) else None
    return m is not None and int(m.group(1)) > count


def tidy(data: dict[str, Any], values: Mapping[str, Any]) -> None:
    """Remove what a change to the number of U.S. ships leaves dangling.

    With ``posture.ships.usn`` set to n (the ``usn_ships`` lever, ``--set`` or a sweep
    point), the U.S. ships numbered above n are no longer in the scenario: their
    stations, their magazine loads, their entries in ``select`` and ``exclude`` and the
    window overrides naming them are removed, so fewer ships is a scenario a user could
    have written (the resolver rejects a reference to a ship it does not field).
    """
    count = values.get("posture.ships.usn")
    if isinstance(count, bool) or not isinstance(count, int) or count < 0:
        return  # the schema reports a bad value
    posture = data.get("posture")
    ships = posture.get("ships") if isinstance(posture, dict) else None
    if isinstance(ships, dict):
        for key in ("stations", "magazine"):
            table = ships.get(key)
            if isinstance(table, dict):
                ships[key] = {k: v for k, v in table.items() if not _beyond(k, count)}
        for key in ("select", "exclude"):
            names = ships.get(key)
            if isinstance(names, list):
                ships[key] = [n for n in names if not _beyond(n, count)]
    feasibility = data.get("feasibility")
    overrides = feasibility.get("overrides") if isinstance(feasibility, dict) else None
    if isinstance(feasibility, dict) and isinstance(overrides, list):
        feasibility["overrides"] = [
            o for o in overrides if not (isinstance(o, dict) and _beyond(o.get("shooter"), count))
        ]
