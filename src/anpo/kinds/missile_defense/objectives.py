"""The missile-defence kind's objective measures and parties, declared as data.

An objective is the share of trials in which the defence does what it is for
(:class:`~anpo.kinds.base.Objective`); a party's role says which of its forces a
scenario holds, how they are taken out, and what the law must allow it
(:class:`~anpo.kinds.base.PartyRole`). The credibility study
(:mod:`anpo.studies.credibility`) reads both.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from anpo.kinds.base import Objective, PartyRole


def _priority1(spec: Any) -> Mapping[str, tuple[str, ...]]:
    """The assets of priority 1 (the highest)."""
    return {"asset": tuple(a.name for a in spec.assets if a.priority == 1)}


OBJECTIVES = (
    Objective(
        key="no_leaker_priority1",
        title="No warhead reaches a priority-1 asset",
        outcome="leaked",
        test="==",
        threshold=0.0,
        wording="Share of trials in which every warhead aimed at a priority-1 asset was "
        "destroyed or failed (decoys are not warheads); other assets may be hit.",
        select=_priority1,
    ),
    Objective(
        key="no_leaker",
        title="No warhead gets through anywhere",
        outcome="leakers",
        test="==",
        threshold=0.0,
        wording="Share of trials in which no warhead reached any aim point.",
    ),
)


def _us_sites(day: dt.date) -> set[str]:
    """Sites and unit names of PAC-3 fire units that a U.S. service operates on ``day``."""
    from anpo import kb

    base = kb.load()
    out: set[str] = set()
    for record in base.at(day, "pac3_fire_units") + base.at(day, "pac3_mse_fire_units"):
        if str(record.data["operator"]) != "JASDF":
            out |= {str(record.data["site"]), str(record.data["unit"])}
    return out


def _pac3(data: Mapping[str, Any], day: dt.date, keep_us: bool) -> dict[str, Any]:
    """Fire units off every asset whose units are (not) all taken from U.S. sites."""
    us = _us_sites(day)
    out: dict[str, Any] = {}
    for i, asset in enumerate(data.get("assets") or []):
        wanted = list(asset.get("pac3_from") or [])
        from_us = bool(wanted) and all(w in us for w in wanted)
        if int(asset.get("pac3_fire_units") or 0) and from_us != keep_us:
            out[f"assets[{i}].pac3_fire_units"] = 0
    return out


def _ships(data: Mapping[str, Any]) -> Mapping[str, Any]:
    posture = data.get("posture") or {}
    ships = posture.get("ships") if isinstance(posture, Mapping) else None
    return ships if isinstance(ships, Mapping) else {}


def _remove_japan(data: Mapping[str, Any], day: dt.date) -> dict[str, Any]:
    """JMSDF ships (every ship the kb names: the U.S. ships are counted, not named), with
    their stations and any JMSDF extra ships, and the PAC-3 fire units of assets not
    drawing only on U.S. sites."""
    from anpo import kb

    ships = _ships(data)
    named = [r.entity for r in kb.load().at(day, "aegis_bmd_ship") if r.data["navy"] != "USN"]
    exclude = sorted({*ships.get("exclude", []), *named})
    stations = {
        k: v
        for k, v in (ships.get("stations") or {}).items()
        if not any(str(k).startswith(n) for n in named)
    }
    extra = [e for e in ships.get("extra") or [] if e.get("navy") == "USN"]
    return {
        "posture.ships.exclude": exclude,
        "posture.ships.stations": stations,
        "posture.ships.extra": extra,
        **_pac3(data, day, True),
    }


def _remove_us(data: Mapping[str, Any], day: dt.date) -> dict[str, Any]:
    """U.S. Navy BMD ships (with their stations and any U.S. extra ships) and the PAC-3
    fire units of assets drawing only on U.S. sites."""
    ships = _ships(data)
    stations = {
        k: v for k, v in (ships.get("stations") or {}).items() if not str(k).startswith("USN ")
    }
    extra = [e for e in ships.get("extra") or [] if e.get("navy", "JMSDF") != "USN"]
    return {
        "posture.ships.usn": 0,
        "posture.ships.stations": stations,
        "posture.ships.extra": extra,
        **_pac3(data, day, False),
    }


def _no_sharing(party: str) -> Any:
    def remove(data: Mapping[str, Any], day: dt.date) -> dict[str, Any]:
        return {f"posture.sharing.{party}": False}

    return remove


PARTIES = (
    PartyRole(
        "japan",
        "JMSDF Aegis BMD ships and JASDF PAC-3 fire units",
        "use_force_defence_of_japan",
        "armed_attack_on_japan",
        _remove_japan,
        "The model already applies the law threat by threat (a missile bound for Guam "
        "before 2016, say); extra ships a scenario adds are removed with Japan's.",
    ),
    PartyRole(
        "us",
        "U.S. Navy BMD ships and U.S. Army PAC-3 fire units (Kadena)",
        "use_force_defence_of_japan",
        "armed_attack_on_japan",
        _remove_us,
        "Treaty Article V; U.S. units act under U.S. authority in the model.",
    ),
    PartyRole(
        "rok",
        "South Korean radar tracks cueing Japan's upper tier",
        "share_sensor_data_japan",
        "armed_attack_on_japan",
        _no_sharing("rok"),
        "Only the shorter detection-to-decision delay is modelled.",
    ),
    PartyRole(
        "australia",
        "Australian sensor data cueing Japan's upper tier",
        "share_sensor_data_japan",
        "armed_attack_on_japan",
        _no_sharing("australia"),
        "Only the shorter detection-to-decision delay is modelled.",
    ),
)

__all__ = ["OBJECTIVES", "PARTIES"]
