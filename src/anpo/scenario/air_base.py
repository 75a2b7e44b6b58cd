"""Scenario kind ``air_base``: a PLA Rocket Force raid on U.S. air bases.

The schema says what a scenario file may hold; :func:`resolve` turns a valid
scenario into the model's :class:`~anpo.models.air_base.Inputs`, asking the
knowledge base for what the file leaves out (surfaces, aprons, shelters, aircraft
based there on the date, repair capacity, minimum operating strips, sortie rates,
the missiles in service, their warheads and accuracy), checks each missile type
can reach its base from a launch area (great-circle distance, ``pyproj.Geod``),
and records every input it used in the assumption ledger.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any, Literal, NamedTuple

import numpy as np
from pydantic import Field
from pyproj import Geod

from anpo import kb
from anpo.errors import Problem
from anpo.geo.greatcircle import circle
from anpo.kb import places
from anpo.models import missile_defense as md
from anpo.models.air_base import APRON, FACILITY, SHELTER, SUBMUNITION, SURFACE, UNITARY, Inputs
from anpo.models.distributions import Dist
from anpo.scenario.common import (
    DistSpec,
    LedgerBuilder,
    LedgerEntry,
    ScenarioBase,
    Strict,
    UncertainParameters,
    range_dist,
    suggest,
)
from anpo.scenario.geography import point

MAX_MISSILES = 1000
TARGETS = ("runways", "parking", "shelters", "fuel", "maintenance")

# --- schema -----------------------------------------------------------------------


class MissileGroup(Strict):
    """``count`` missiles of one type and warhead aimed at one kind of target of a base."""

    missile: str = Field(description="PLARF missile type (the kb's id_short, e.g. df-21c)")
    warhead: Literal["unitary", "submunition"] = "unitary"
    count: int = Field(ge=1, le=MAX_MISSILES)
    base: str
    target: Literal["runways", "parking", "shelters", "fuel", "maintenance"] = "runways"
    wave: int = Field(default=0, ge=0, description="index into `waves`")


class Base(Strict):
    """A base under attack, with optional overrides of the kb's figures."""

    name: str
    mos_length_m: float | None = Field(default=None, gt=0)
    mos_width_m: float | None = Field(default=None, gt=0)
    repair_crews: int | None = Field(default=None, ge=1, le=100)
    repair_materials: int | None = Field(default=None, ge=0, le=100_000)
    pac3_fire_units: int = Field(default=0, ge=0, le=8)


class AirBaseScenario(ScenarioBase):
    """Missiles against air bases: runway closure, aircraft lost, sorties by day."""

    kind: Literal["air_base"]
    bases: list[Base] = Field(min_length=1)
    raid: list[MissileGroup] = Field(min_length=1)
    waves_h: list[float] = Field(default_factory=lambda: [0.0], min_length=1)
    horizon_days: int = Field(default=7, ge=1, le=60)
    mos_lateral_step_m: float = Field(default=5.0, gt=0)
    uncertain: dict[str, DistSpec] = Field(default_factory=dict)


# --- resolution ---------------------------------------------------------------------


def _nominal(record: kb.Record, key: str) -> float:
    return record.range(key).nominal


def resolve(
    sc: AirBaseScenario, day: dt.date
) -> tuple[Inputs, list[LedgerEntry], list[Problem], dict[str, Any]]:
    """Resolve an air-base scenario on ``day``.

    Returns the inputs, the ledger, the problems and a GeoJSON picture of the raid
    (:func:`raid_geometry`: bases, the launch areas used, each missile type's range
    from them and the ground tracks).
    """
    base_kb = kb.load()
    b = LedgerBuilder()
    b.assume("date", str(day), "date", "the date whose forces the scenario uses")
    airbases = {r.entity: r for r in base_kb.at(day, "airbase")}
    geod = Geod(ellps="WGS84")
    launch = [
        (r.entity, r.range("lat").nominal, r.range("lon").nominal)
        for r in base_kb.at(day, "plarf_launch_area")
    ]
    index: dict[str, int] = {}
    mos_l: list[float] = []
    mos_w: list[float] = []
    s_base: list[int] = []
    s_len: list[float] = []
    s_wid: list[float] = []
    s_name: list[str] = []
    a_base: list[int] = []
    a_shel: list[bool] = []
    a_x: list[float] = []
    a_y: list[float] = []
    a_h: list[int] = []
    h_base: list[int] = []
    f_base: list[int] = []
    f_kind: list[str] = []
    crews: list[int] = []
    materials: list[int] = []
    repair: list[Dist] = []
    rates: list[float] = []
    apron: list[tuple[float, float]] = []
    coords: list[tuple[float, float]] = []
    pac3: list[int] = []
    delays: list[Dist] = []
    for i, spec in enumerate(sc.bases):
        path = f"bases[{i}]"
        rec = airbases.get(spec.name)
        if rec is None:
            b.problem(
                f"{path}.name",
                spec.name,
                "not an air base in the knowledge base on "
                f"{day}; "
                + suggest(spec.name, sorted(airbases))
                + "known: "
                + ", ".join(sorted(airbases)),
            )
            continue
        if spec.name in index:
            b.problem(f"{path}.name", spec.name, "each base may be listed once")
            continue
        k = index[spec.name] = len(index)
        place = places.place(rec.data["place"], day)
        coords.append(places.lat_lon(place))
        b.fact(
            f"{spec.name}.position",
            f"{coords[-1][0]:.3f} N, {coords[-1][1]:.3f} E",
            "deg",
            place,
            base_kb,
        )
        cls = rec.data["aircraft_class"]
        mos = base_kb.one(day, "mos_requirement", aircraft_class=cls)
        for dim, val, target in (
            ("length_m", spec.mos_length_m, mos_l),
            ("width_m", spec.mos_width_m, mos_w),
        ):
            if val is None:
                target.append(_nominal(mos, dim))
                b.fact(f"{spec.name}.mos_{dim}", str(mos.range(dim)), "m", mos, base_kb)
            else:
                target.append(val)
                b.assume(
                    f"{spec.name}.mos_{dim}", f"{val:g}", "m", "set by the scenario", override=True
                )
        for sr in base_kb.at(day, "airbase_surface"):
            if sr.data["base"] == spec.name:
                s_base.append(k)
                s_len.append(_nominal(sr, "length_m"))
                s_wid.append(_nominal(sr, "width_m"))
                s_name.append(f"{spec.name} {sr.data['surface']}")
                b.fact(
                    f"{spec.name}.surface.{sr.data['surface']}",
                    f"{sr.range('length_m')} x {sr.range('width_m')}",
                    "m",
                    sr,
                    base_kb,
                )
        n_shelters = round(_nominal(rec, "shelters"))
        h_first = len(h_base)
        h_base.extend([k] * n_shelters)
        for key in ("apron_length_m", "apron_width_m", "parking_spacing_m", "shelters"):
            b.fact(f"{spec.name}.{key}", str(rec.range(key)), "", rec, base_kb)
        apron.append((_nominal(rec, "apron_length_m"), _nominal(rec, "apron_width_m")))
        spacing = _nominal(rec, "parking_spacing_m")
        free_shelter = h_first
        slot = 0
        per_row = max(1, math.floor(apron[-1][0] / spacing))
        for ar in base_kb.at(day, "based_aircraft"):
            if ar.data["base"] != spec.name:
                continue
            count = round(_nominal(ar, "count"))
            sheltered = min(
                round(_nominal(ar, "sheltered")), count, h_first + n_shelters - free_shelter
            )
            b.fact(
                f"{spec.name}.aircraft.{ar.data['aircraft']}",
                f"{ar.range('count')}, of which {sheltered} sheltered",
                "aircraft",
                ar,
                base_kb,
            )
            for q in range(count):
                a_base.append(k)
                if q < sheltered:
                    a_shel.append(True)
                    a_h.append(free_shelter)
                    free_shelter += 1
                    a_x.append(0.0)
                    a_y.append(0.0)
                else:
                    a_shel.append(False)
                    a_h.append(-1)
                    a_x.append(spacing * (slot % per_row + 0.5))
                    a_y.append(spacing * (slot // per_row + 0.5))
                    slot += 1
        for kind in ("fuel", "maintenance"):
            f_base.extend([k] * round(_nominal(rec, f"{kind}_sites")))
            f_kind.extend([kind] * round(_nominal(rec, f"{kind}_sites")))
        rep = base_kb.one(day, "airbase_repair", base=spec.name)
        crews.append(spec.repair_crews or round(_nominal(rep, "crews")))
        materials.append(
            spec.repair_materials
            if spec.repair_materials is not None
            else round(_nominal(rep, "materials_craters"))
        )
        for key in ("crews", "materials_craters", "repair_h_per_crater", "delay_h"):
            b.fact(f"{spec.name}.repair.{key}", str(rep.range(key)), "", rep, base_kb)
        repair.append(range_dist(rep.range("repair_h_per_crater")))
        delays.append(range_dist(rep.range("delay_h")))
        sr_rec = base_kb.one(day, "sortie_rate", aircraft_class=cls)
        rates.append(_nominal(sr_rec, "sorties_per_day"))
        b.fact(
            f"{spec.name}.sortie_rate",
            str(sr_rec.range("sorties_per_day")),
            "per day",
            sr_rec,
            base_kb,
        )
        pac3.append(spec.pac3_fire_units)

    # missiles, types and warheads
    known = {r.data["id_short"]: r for r in base_kb.at(day, "plarf_missile")}
    warheads = {(r.data["missile"], r.data["warhead"]): r for r in base_kb.at(day, "plarf_warhead")}
    inventory = {r.data["missile_class"]: r for r in base_kb.at(day, "plarf_inventory")}
    type_keys: list[tuple[str, str]] = []
    m_type: list[int] = []
    m_kind: list[int] = []
    m_target: list[int] = []
    m_x: list[float] = []
    m_y: list[float] = []
    m_wave: list[int] = []
    per_class: dict[str, int] = {}
    routes: list[Route] = []
    for g, grp in enumerate(sc.raid):
        path = f"raid[{g}]"
        rec = known.get(grp.missile)
        if rec is None:
            b.problem(
                f"{path}.missile",
                grp.missile,
                f"not a PLARF missile in service on {day}; "
                + suggest(grp.missile, sorted(known))
                + "known then: "
                + ", ".join(sorted(known)),
            )
            continue
        if grp.base not in index:
            b.problem(
                f"{path}.base", grp.base, "not a base of this scenario; bases: " + ", ".join(index)
            )
            continue
        if grp.wave >= len(sc.waves_h):
            b.problem(f"{path}.wave", grp.wave, f"only {len(sc.waves_h)} waves are given")
            continue
        k = index[grp.base]
        distance_km, nearest = min(
            (
                (geod.inv(lon, lat, coords[k][1], coords[k][0])[2] / 1000.0, (name, lat, lon))
                for name, lat, lon in launch
            ),
            default=(math.inf, None),
        )
        reach = rec.range("range_km")
        if nearest is not None:
            routes.append(
                Route(str(rec.data["name"]), reach.nominal, nearest, (grp.base, *coords[k]))
            )
        b.fact(
            f"{path}.distance_km", f"{distance_km:.0f} (nearest launch area)", "km", rec, base_kb
        )
        if distance_km > reach.high:
            b.problem(
                f"{path}.missile",
                grp.missile,
                f"{rec.data['name']} (range up to {reach.high:g} km) "
                f"cannot reach {grp.base}, {distance_km:.0f} km from the nearest launch area",
            )
            continue
        wkey = (grp.missile, grp.warhead)
        if wkey not in warheads:
            b.problem(f"{path}.warhead", grp.warhead, f"no {grp.warhead} warhead for {grp.missile}")
            continue
        if wkey not in type_keys:
            type_keys.append(wkey)
        t = type_keys.index(wkey)
        cls = rec.data["missile_class"]
        per_class[cls] = per_class.get(cls, 0) + grp.count
        b.assume(
            path,
            f"{grp.count} x {rec.data['name']} ({grp.warhead}) at {grp.base} "
            f"{grp.target}, wave {grp.wave}",
            "missiles",
            "raid of the scenario",
        )
        parked = [
            [
                (x, y)
                for q, (x, y) in enumerate(zip(a_x, a_y, strict=True))
                if a_base[q] == kk and not a_shel[q]
            ]
            for kk in range(len(index))
        ]
        targets = _aim(
            grp.target, k, grp.count, s_base, s_len, h_base, f_base, f_kind, apron, parked
        )
        if targets is None:
            b.problem(f"{path}.target", grp.target, f"{grp.base} has no {grp.target} to aim at")
            continue
        for tkind, tgt, x, y in targets:
            m_type.append(t)
            m_kind.append(tkind)
            m_target.append(tgt)
            m_x.append(x)
            m_y.append(y)
            m_wave.append(grp.wave)
    for cls, count in per_class.items():
        if cls in inventory:
            inv = inventory[cls].range("missiles")
            b.fact(f"plarf.{cls}.missiles", str(inv), "missiles", inventory[cls], base_kb)
            if count > inv.high:
                b.problem(
                    "raid",
                    count,
                    f"the raid uses {count} {cls.upper()}s, more than the "
                    f"high estimate of the PLARF inventory on {day} ({inv.high:g})",
                )
    if len(m_type) > MAX_MISSILES:
        b.problem("raid", len(m_type), f"a raid may hold at most {MAX_MISSILES} missiles")
    if sorted(sc.waves_h) != list(sc.waves_h) or min(sc.waves_h) < 0:
        b.problem("waves_h", sc.waves_h, "wave times must be >= 0 and increasing")
    if b.problems:
        return _placeholder(), b.ledger, b.problems, {"type": "FeatureCollection", "features": []}

    cep, rel, rep_d, delay = _uncertain(
        sc, b, base_kb, type_keys, known, list(index), repair, delays
    )
    wh = [warheads[key] for key in type_keys]
    for tk, rec in zip(type_keys, wh, strict=True):
        b.fact(
            f"warhead.{tk[0]}.{tk[1]}",
            ", ".join(
                f"{k} {rec.range(k)}"
                for k in (
                    "bomblets",
                    "crater_radius_m",
                    "pattern_radius_m",
                    "lethal_radius_m",
                    "lethal_radius_hard_m",
                )
            ),
            "",
            rec,
            base_kb,
        )
    ballistic = [bool(known[m].data["ballistic"]) for m, _ in type_keys]
    defence, defended = _defence(
        sc,
        day,
        base_kb,
        b,
        pac3,
        m_type,
        m_target,
        m_kind,
        ballistic,
        list(index),
        s_base,
        h_base,
        f_base,
    )
    days = sc.horizon_days
    names = list(index)
    b.assume("horizon_days", str(days), "days", "days over which closures and sorties are counted")
    b.assume(
        "mos_lateral_step_m",
        f"{sc.mos_lateral_step_m:g}",
        "m",
        "spacing of the lateral positions at which a minimum operating strip is sought",
    )
    inputs = Inputs(
        mos_length_m=np.asarray(mos_l),
        mos_width_m=np.asarray(mos_w),
        mos_lateral_step_m=sc.mos_lateral_step_m,
        surface_base=np.asarray(s_base),
        surface_length_m=np.asarray(s_len),
        surface_width_m=np.asarray(s_wid),
        aircraft_base=np.asarray(a_base),
        aircraft_sheltered=np.asarray(a_shel),
        aircraft_x_m=np.asarray(a_x),
        aircraft_y_m=np.asarray(a_y),
        aircraft_shelter=np.asarray(a_h),
        shelter_base=np.asarray(h_base),
        facility_base=np.asarray(f_base),
        facility_sortie_factor=np.asarray([0.5 if k == "fuel" else 0.75 for k in f_kind]),
        missile_type=np.asarray(m_type),
        missile_target_kind=np.asarray(m_kind),
        missile_target=np.asarray(m_target),
        missile_aim_x_m=np.asarray(m_x),
        missile_aim_y_m=np.asarray(m_y),
        missile_wave=np.asarray(m_wave),
        type_warhead=np.asarray(
            [UNITARY if w.data["warhead"] == "unitary" else SUBMUNITION for w in wh]
        ),
        type_bomblets=np.asarray([round(_nominal(w, "bomblets")) for w in wh]),
        type_crater_radius_m=np.asarray([_nominal(w, "crater_radius_m") for w in wh]),
        type_pattern_radius_m=np.asarray([_nominal(w, "pattern_radius_m") for w in wh]),
        type_lethal_radius_m=np.asarray([_nominal(w, "lethal_radius_m") for w in wh]),
        type_lethal_radius_hard_m=np.asarray([_nominal(w, "lethal_radius_hard_m") for w in wh]),
        type_ballistic=np.asarray(ballistic),
        cep_m=cep,
        reliability=rel,
        wave_time_h=np.asarray(sc.waves_h),
        repair_crews=np.asarray(crews),
        repair_materials=np.asarray(materials),
        repair_h=rep_d,
        repair_delay_h=delay,
        sortie_rate_per_day=np.asarray(rates),
        horizon_days=days,
        defence=defence,
        defence_missile=np.asarray(defended),
        labels={
            "base": tuple(names),
            "base_day": tuple(f"{n} / day {d + 1}" for n in names for d in range(days)),
            "missile_type": tuple(f"{m} ({w})" for m, w in type_keys),
            "reason": ("never_closed", "reopened", "repairing_at_horizon", "out_of_materials"),
        },
    )
    b.assume(
        "facility_sortie_factor",
        "fuel 0.5, maintenance 0.75",
        "",
        "share of sorties a base keeps after losing a fuel or a maintenance site",
    )
    return inputs, b.ledger, [], raid_geometry(routes, list(zip(names, coords, strict=True)))


Place = tuple[str, float, float]  # name, lat, lon


class Route(NamedTuple):
    """A raid group's missile, its nominal range, its nearest launch area and its base."""

    missile: str
    range_km: float
    launch: Place
    base: Place


def raid_geometry(
    routes: list[Route], bases: list[tuple[str, tuple[float, float]]]
) -> dict[str, Any]:
    """A GeoJSON picture of the raid for the map.

    Features, each with a ``role``: ``base`` (every base of the scenario),
    ``launch_area`` (those the raid flies from: the nearest to each target),
    ``range_ring`` (the nominal range of each missile type from each launch area
    it uses, a geodesic circle) and ``track`` (the great-circle ground track of
    each missile type from its launch area to its base).
    """
    geod = Geod(ellps="WGS84")
    features: list[dict[str, Any]] = [
        point(lat, lon, role="base", name=name) for name, (lat, lon) in bases
    ]
    seen: set[Any] = set()
    for r in routes:
        name, lat, lon = r.launch
        if name not in seen:
            seen.add(name)
            features.append(point(lat, lon, role="launch_area", name=name))
        if (r.missile, name) not in seen:
            seen.add((r.missile, name))
            lats, lons = circle(lat, lon, r.range_km, n=144)
            ring = [
                [round(float(x), 4), round(float(y), 4)] for x, y in zip(lons, lats, strict=True)
            ]
            features.append(
                {
                    "type": "Feature",
                    "geometry": {"type": "Polygon", "coordinates": [ring]},
                    "properties": {
                        "role": "range_ring",
                        "name": f"{r.missile} range",
                        "missile": r.missile,
                        "range_km": round(r.range_km),
                        "launch_area": name,
                    },
                }
            )
        if (r.missile, name, r.base[0]) not in seen:
            seen.add((r.missile, name, r.base[0]))
            lon_lat = geod.npts(lon, lat, r.base[2], r.base[1], 30)
            line = [[lon, lat], *lon_lat, [r.base[2], r.base[1]]]
            features.append(
                {
                    "type": "Feature",
                    "geometry": {
                        "type": "LineString",
                        "coordinates": [[round(x, 4), round(y, 4)] for x, y in line],
                    },
                    "properties": {
                        "role": "track",
                        "name": f"{r.missile}: {name} to {r.base[0]}",
                    },
                }
            )
    return {"type": "FeatureCollection", "features": features}


def _aim(
    target: str,
    k: int,
    count: int,
    s_base: list[int],
    s_len: list[float],
    h_base: list[int],
    f_base: list[int],
    f_kind: list[str],
    apron: list[tuple[float, float]],
    parked: list[list[tuple[float, float]]],
) -> list[tuple[int, int, float, float]] | None:
    """Aim points: runways shared out round-robin and spaced evenly along each; apron
    aim points at parked aircraft spread evenly through the parking order (the apron's
    centre line when none is parked); shelters and facilities in turn."""
    if target == "runways":
        surfaces = [s for s, bb in enumerate(s_base) if bb == k]
        if not surfaces:
            return None
        on = [[i for i in range(count) if i % len(surfaces) == j] for j in range(len(surfaces))]
        out = []
        for i in range(count):
            j = i % len(surfaces)
            pos = on[j].index(i)
            s = surfaces[j]
            out.append((SURFACE, s, s_len[s] * (pos + 0.5) / len(on[j]), 0.0))
        return out
    if target == "parking":
        spots = parked[k]
        if not spots:
            length, width = apron[k]
            return [(APRON, k, length * (i + 0.5) / count, width / 2.0) for i in range(count)]
        picks = [
            spots[min(len(spots) - 1, int((i + 0.5) * len(spots) / count))] for i in range(count)
        ]
        return [(APRON, k, x, y) for x, y in picks]
    if target == "shelters":
        hs = [h for h, bb in enumerate(h_base) if bb == k]
        return [(SHELTER, hs[i % len(hs)], 0.0, 0.0) for i in range(count)] if hs else None
    fs = [f for f, bb in enumerate(f_base) if bb == k and f_kind[f] == target]
    return [(FACILITY, fs[i % len(fs)], 0.0, 0.0) for i in range(count)] if fs else None


def _uncertain(
    sc: AirBaseScenario,
    b: LedgerBuilder,
    base_kb: kb.KnowledgeBase,
    type_keys: list[tuple[str, str]],
    known: dict[str, kb.Record],
    bases: list[str],
    repair: list[Dist],
    delays: list[Dist],
) -> tuple[tuple[Dist, ...], tuple[Dist, ...], tuple[Dist, ...], Dist]:
    missiles = sorted({m for m, _ in type_keys})
    allowed = (
        [f"cep_m.{m}" for m in missiles]
        + [f"reliability.{m}" for m in missiles]
        + [f"repair_h.{n}" for n in bases]
        + ["repair_delay_h"]
    )
    pick = UncertainParameters(
        sc.uncertain, allowed, b, base_kb, probabilities=("reliability",), nonnegative=("",)
    ).pick

    cep = tuple(
        pick(f"cep_m.{m}", range_dist(known[m].range("cep_m")), known[m]) for m, _ in type_keys
    )
    rel = tuple(
        pick(f"reliability.{m}", range_dist(known[m].range("reliability")), known[m])
        for m, _ in type_keys
    )
    rep = tuple(pick(f"repair_h.{n}", repair[i], None) for i, n in enumerate(bases))
    delay = pick("repair_delay_h", delays[0], None)
    return cep, rel, rep, delay


def _defence(
    sc: AirBaseScenario,
    day: dt.date,
    base_kb: kb.KnowledgeBase,
    b: LedgerBuilder,
    pac3: list[int],
    m_type: list[int],
    m_target: list[int],
    m_kind: list[int],
    ballistic: list[bool],
    bases: list[str],
    s_base: list[int],
    h_base: list[int],
    f_base: list[int],
) -> tuple[md.Inputs | None, list[int]]:
    """PAC-3 fire units at the bases, as a lower-tier missile-defence raid (or None)."""
    if not any(pac3):
        return None, []
    owner = {SURFACE: s_base, SHELTER: h_base, FACILITY: f_base}
    m_base = [t if k == APRON else owner[k][t] for k, t in zip(m_kind, m_target, strict=True)]
    defended = [i for i, t in enumerate(m_type) if ballistic[t]]
    interceptor = base_kb.get("pac3")
    load = next(
        r
        for r in base_kb.at(day, "magazine_load")
        if r.data["applies_to"] == "pac3-fire-unit" and r.data["interceptor"] == "pac3"
    )
    shooters = [k for k, units in enumerate(pac3) for _ in range(units)]
    threat_asset = np.array([m_base[i] for i in defended], dtype=np.int64)
    reach = np.array([[threat_asset[t] == k for t in range(len(defended))] for k in shooters])
    reach = reach.reshape(len(shooters), len(defended))
    b.fact("defence.pac3.sspk", str(interceptor.range("sspk")), "", interceptor, base_kb)
    b.fact("defence.pac3.magazine", str(load.range("rounds")), "interceptors", load, base_kb)
    b.assume(
        "defence.pac3_fire_units",
        ", ".join(f"{bases[k]} {u}" for k, u in enumerate(pac3)),
        "fire units",
        "PAC-3 fire units defending each base (lower tier, salvo of 2, "
        "one engagement in the last 60 s, 25 s each); cruise missiles are not engaged",
    )
    inner = md.Inputs(
        threat_asset=threat_asset,
        threat_is_decoy=np.zeros(len(defended), dtype=bool),
        threat_time_s=np.arange(len(defended), dtype=np.float64),
        asset_priority=np.ones(len(bases), dtype=np.int64),
        shooter_tier=np.full(len(shooters), md.LOWER, dtype=np.int64),
        shooter_interceptor=np.zeros(len(shooters), dtype=np.int64),
        shooter_magazine=np.full(len(shooters), round(load.range("rounds").nominal)),
        window_open_s=np.where(reach, 0.0, np.nan),
        window_close_s=np.where(reach, 60.0, np.nan),
        engage_time_s=np.full(reach.shape, 25.0),
        salvo_size=np.array([2, 2]),
        max_engagements=np.array([1, 1]),
        partial_salvos=True,
        use_priorities=False,
        sspk=(range_dist(interceptor.range("sspk")),),
        reliability=(range_dist(interceptor.range("reliability")),),
        sensor_delay_s=(Dist.fixed(0.0), Dist.fixed(0.0)),
        discrimination=Dist.fixed(0.0),
        labels={"asset": tuple(bases)},
    )
    return inner, defended


def _placeholder() -> Inputs:
    """Inputs returned beside problems (never simulated)."""
    return Inputs(
        mos_length_m=np.asarray([1.0]),
        mos_width_m=np.asarray([1.0]),
        mos_lateral_step_m=1.0,
        surface_base=np.asarray([]),
        surface_length_m=np.asarray([]),
        surface_width_m=np.asarray([]),
        aircraft_base=np.asarray([]),
        aircraft_sheltered=np.asarray([]),
        aircraft_x_m=np.asarray([]),
        aircraft_y_m=np.asarray([]),
        aircraft_shelter=np.asarray([]),
        shelter_base=np.asarray([]),
        facility_base=np.asarray([]),
        facility_sortie_factor=np.asarray([]),
        missile_type=np.asarray([]),
        missile_target_kind=np.asarray([]),
        missile_target=np.asarray([]),
        missile_aim_x_m=np.asarray([]),
        missile_aim_y_m=np.asarray([]),
        missile_wave=np.asarray([]),
        type_warhead=np.asarray([]),
        type_bomblets=np.asarray([]),
        type_crater_radius_m=np.asarray([]),
        type_pattern_radius_m=np.asarray([]),
        type_lethal_radius_m=np.asarray([]),
        type_lethal_radius_hard_m=np.asarray([]),
        type_ballistic=np.asarray([]),
        cep_m=(),
        reliability=(),
        wave_time_h=np.asarray([0.0]),
        repair_crews=np.asarray([1]),
        repair_materials=np.asarray([0]),
        repair_h=(Dist.fixed(1.0),),
        repair_delay_h=Dist.fixed(0.0),
        sortie_rate_per_day=np.asarray([0.0]),
        horizon_days=1,
    )
