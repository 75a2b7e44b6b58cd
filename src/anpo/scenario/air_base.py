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
from collections.abc import Sequence
from typing import Annotated, Any, Literal, NamedTuple

import numpy as np
from pydantic import Field
from pyproj import Geod

from anpo import kb
from anpo.errors import ScenarioError
from anpo.geo.greatcircle import WGS84, circle
from anpo.kb import places
from anpo.models import missile_defense as md
from anpo.models.air_base import APRON, FACILITY, SHELTER, SUBMUNITION, SURFACE, UNITARY, Inputs
from anpo.models.air_base.inputs import UNCERTAIN_WARHEAD
from anpo.models.distributions import Dist
from anpo.scenario.common import (
    DistSpec,
    LedgerBuilder,
    Resolution,
    ScenarioBase,
    Strict,
    UncertainParameters,
    range_dist,
    suggest,
)
from anpo.scenario.geography import keep_scene, point, scenes
from anpo.scenario.interceptors import TIER_TIMING, kill_dists, magazine_load

MAX_MISSILES = 1000
MAX_WAVES = 100
MIN_LATERAL_STEP_M = 0.5
"""The finest search step for a minimum operating strip: a tenth of a metre-scale crater
radius is beyond what the geometry resolves, and each halving doubles the work."""
WARHEAD_PARAMS = (
    "bomblets",
    "pattern_radius_m",
    "crater_radius_m",
    "repair_units",
    "dud_rate",
    "lethal_radius_m",
    "damage_radius_m",
    "lethal_radius_hard_m",
    "shelter_pk",
)
REPAIR_KEYS = (
    "crews",
    "materials_craters",
    "resupply_craters_per_day",
    "repair_h_per_crater",
    "delay_h",
    "uxo_h_per_dud",
    "sweep_h",
)
TARGETS = ("runways", "parking", "shelters", "fuel", "maintenance")

# --- schema -----------------------------------------------------------------------


class MissileGroup(Strict):
    """``count`` missiles of one type and warhead aimed at one kind of target of a base."""

    missile: str = Field(description="PLARF missile type (the kb's id_short, e.g. df-21c)")
    warhead: Literal["unitary", "submunition"] = "unitary"
    count: int = Field(ge=1, le=MAX_MISSILES)
    base: str
    target: Literal["runways", "parking", "shelters", "fuel", "maintenance"] = "runways"
    wave: int = Field(default=0, ge=0, le=MAX_WAVES - 1, description="index into `waves`")
    warhead_id: str | None = Field(
        default=None,
        description="a warhead of the kb's warhead catalogue (e.g. penetrator-unitary) "
        "instead of the missile's generic unitary or submunition warhead",
    )
    warhead_params: dict[str, float] | None = Field(
        default=None, description="override warhead parameters (see WARHEAD_PARAMS)"
    )
    aim_points_per_cut: int | None = Field(
        default=None,
        ge=1,
        le=20,
        description="runways: aim points across each cut (default: enough patterns or "
        "craters to span the surface's width)",
    )
    surface: str | None = Field(
        default=None, description="runways: aim only at this surface (e.g. 05L/23R)"
    )
    aim_points_m: list[Annotated[list[float], Field(min_length=2, max_length=2)]] | None = Field(
        default=None,
        min_length=1,
        max_length=MAX_MISSILES,
        description="explicit aim points (x along, y across, in metres, in the surface's "
        "or the apron's frame), used in turn instead of the planned ones",
    )


class Base(Strict):
    """A base under attack, with optional overrides of the kb's figures."""

    name: str
    mos_length_m: float | None = Field(default=None, gt=0, le=5_000)
    mos_width_m: float | None = Field(default=None, gt=0, le=150)
    repair_crews: int | None = Field(default=None, ge=1, le=100)
    repair_materials: int | None = Field(default=None, ge=0, le=100_000)
    pac3_fire_units: int = Field(default=0, ge=0, le=8)
    cmd_fire_units: int = Field(
        default=0,
        ge=0,
        le=8,
        description="fire units of the base's cruise-missile point defence (from the kb's "
        "cruise_missile_defence record on the date; 0: none, every cruise missile arrives)",
    )
    resupply_craters_per_day: float | None = Field(
        default=None,
        ge=0,
        le=10_000,
        description="standard craters' worth of repair materials delivered each day",
    )
    thaad_batteries: int = Field(
        default=0,
        ge=0,
        le=4,
        description="THAAD batteries at the base (the kb's thaad_battery records whose site "
        "the base's name holds, on the date), an upper terminal tier that engages the "
        "ballistic missiles before PAC-3; 0: none",
    )


class AirBaseScenario(ScenarioBase):
    """Missiles against air bases: runway closure, aircraft lost, sorties by day."""

    kind: Literal["air_base"]
    bases: list[Base] = Field(min_length=1)
    raid: list[MissileGroup] = Field(min_length=1)
    waves_h: list[Annotated[float, Field(ge=0, le=60 * 24)]] = Field(
        default_factory=lambda: [0.0], min_length=1, max_length=MAX_WAVES
    )
    horizon_days: int = Field(default=7, ge=1, le=60)
    mos_lateral_step_m: float = Field(
        default=5.0,
        ge=MIN_LATERAL_STEP_M,
        le=500,
        description="spacing of the lateral positions searched for a minimum operating strip",
    )
    uncertain: dict[str, DistSpec] = Field(default_factory=dict)
    waves_on_reopen: list[int] = Field(
        default_factory=list,
        description="indices of waves that re-strike each base when it reopens after the "
        "wave before (no earlier than their time in waves_h, no later than the next "
        "scheduled wave); their groups must target runways",
    )
    restrike_lag_h: float = Field(
        default=1.0, ge=0, le=240, description="hours from a reopening to the re-strike"
    )


# --- resolution ---------------------------------------------------------------------


def _nominal(record: kb.Record, key: str) -> float:
    return record.range(key).nominal


def resolve(sc: AirBaseScenario, day: dt.date) -> Resolution:
    """Resolve an air-base scenario on ``day``.

    Returns the inputs, the ledger, the problems and None (the map is drawn apart,
    by :func:`presentation`, when something shows it).
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
    s_head: list[float] = []
    m_head: list[float] = []
    a_base: list[int] = []
    a_shel: list[bool] = []
    a_x: list[float] = []
    a_y: list[float] = []
    a_h: list[int] = []
    h_base: list[int] = []
    f_base: list[int] = []
    f_kind: list[str] = []
    crews: list[Dist] = []
    materials: list[Dist] = []
    resupply: list[Dist] = []
    uxo: list[Dist] = []
    sweeps: list[Dist] = []
    repair: list[Dist] = []
    rates: list[float] = []
    apron: list[tuple[float, float]] = []
    coords: list[tuple[float, float]] = []
    pac3: list[int] = []
    thaad: list[int] = []
    cmd: list[tuple[int, int, Dist, Dist, int]] = []
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
                s_head.append(_nominal(sr, "heading_deg"))
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
        crews.append(
            Dist.fixed(float(spec.repair_crews))
            if spec.repair_crews is not None
            else range_dist(rep.range("crews"))
        )
        materials.append(
            Dist.fixed(float(spec.repair_materials))
            if spec.repair_materials is not None
            else range_dist(rep.range("materials_craters"))
        )
        resupply.append(
            Dist.fixed(float(spec.resupply_craters_per_day))
            if spec.resupply_craters_per_day is not None
            else range_dist(rep.range("resupply_craters_per_day"))
        )
        uxo.append(range_dist(rep.range("uxo_h_per_dud")))
        sweeps.append(range_dist(rep.range("sweep_h")))
        for key in REPAIR_KEYS:
            b.fact(f"{spec.name}.repair.{key}", str(rep.range(key)), "", rep, base_kb)
        for key, val in (
            ("crews", spec.repair_crews),
            ("materials_craters", spec.repair_materials),
            ("resupply_craters_per_day", spec.resupply_craters_per_day),
        ):
            if val is not None:
                b.assume(
                    f"{spec.name}.repair.{key}",
                    f"{val:g}",
                    "",
                    "set by the scenario",
                    override=True,
                )
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
        thaad.append(_thaad_batteries(spec, path, day, base_kb, b))
        cmd.append(_cruise_defence(spec, path, day, base_kb, b))

    # missiles, types and warheads
    known = {r.data["id_short"]: r for r in base_kb.at(day, "plarf_missile")}
    warheads = {(r.data["missile"], r.data["warhead"]): r for r in base_kb.at(day, "plarf_warhead")}
    inventory = {r.data["missile_class"]: r for r in base_kb.at(day, "plarf_inventory")}
    type_keys: list[tuple[str, str]] = []
    type_recs: list[kb.Record] = []
    type_params: list[dict[str, float]] = []
    catalogue = {r.data["warhead"]: r for r in base_kb.at(day, "warhead")}
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
        chosen = _choose_warhead(grp, path, b, warheads, catalogue)
        if chosen is None:
            continue
        label, wrec, params = chosen
        wkey = (grp.missile, label)
        if wkey not in type_keys:
            type_keys.append(wkey)
            type_recs.append(wrec)
            type_params.append(params)
        t = type_keys.index(wkey)
        cls = rec.data["missile_class"]
        per_class[cls] = per_class.get(cls, 0) + grp.count
        b.assume(
            path,
            f"{grp.count} x {rec.data['name']} ({label}) at {grp.base} "
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
        plan = AimPlan(
            mos_length_m=mos_l[k],
            mos_width_m=mos_w[k],
            pattern_radius_m=params["pattern_radius_m"],
            crater_radius_m=params["crater_radius_m"],
            per_cut=grp.aim_points_per_cut,
            surface=grp.surface,
            explicit=([(p[0], p[1]) for p in grp.aim_points_m] if grp.aim_points_m else None),
        )
        if grp.surface is not None and f"{grp.base} {grp.surface}" not in s_name:
            b.problem(
                f"{path}.surface",
                grp.surface,
                f"not a surface of {grp.base}; surfaces: "
                + ", ".join(
                    n.removeprefix(grp.base + " ") for n in s_name if n.startswith(grp.base)
                ),
            )
            continue
        targets = _aim(
            grp.target, k, grp.count, s_base, s_len, s_wid, s_name, h_base, f_base, f_kind,
            apron, parked, plan,
        )  # fmt: skip
        if targets is None:
            b.problem(f"{path}.target", grp.target, f"{grp.base} has no {grp.target} to aim at")
            continue
        if grp.target == "runways" and grp.aim_points_m is None:
            b.assume(
                f"{path}.aim",
                _describe_cuts(targets, s_len, s_wid, s_name, plan),
                "",
                "runway cuts planned so that no uncut segment is as long as the minimum "
                "operating strip (cuts evenly spaced, aim points spread across the width)",
            )
        # flight direction at the target (the back azimuth turned round), in each
        # target's frame: a surface's x axis along its heading, the apron's and the
        # point targets' along the base's first surface (an assumption)
        flight = 0.0
        if nearest is not None:
            flight = geod.inv(nearest[2], nearest[1], coords[k][1], coords[k][0])[1] + 180.0
        base_head = next((h for bb, h in zip(s_base, s_head, strict=True) if bb == k), 0.0)
        for tkind, tgt, x, y in targets:
            frame = s_head[tgt] if tkind == SURFACE else base_head
            m_head.append(math.radians(frame - flight))
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
    for i, w in enumerate(sc.waves_on_reopen):
        if not 1 <= w < len(sc.waves_h):
            b.problem(
                f"waves_on_reopen[{i}]",
                w,
                f"a wave index from 1 to {len(sc.waves_h) - 1} (the first wave cannot wait)",
            )
    for g, grp in enumerate(sc.raid):
        if grp.wave in sc.waves_on_reopen and grp.target != "runways":
            b.problem(
                f"raid[{g}].target",
                grp.target,
                f"wave {grp.wave} strikes on reopening: only runways may be its target",
            )
    b.check()

    cep, rel, rep_d, delay, crews_d, mat_d, wdists = _uncertain(
        sc, b, base_kb, type_keys, known, list(index), repair, delays, crews, materials, type_params
    )
    b.check()  # the `uncertain` section's own mistakes
    for tk, rec, params in zip(type_keys, type_recs, type_params, strict=True):
        b.fact(
            f"warhead.{tk[0]}.{tk[1]}",
            ", ".join(
                f"{k} {rec.range(k)}" if k in rec.data else f"{k} {params[k]:g}"
                for k in WARHEAD_PARAMS
            ),
            "",
            rec,
            base_kb,
        )
    for m in sorted({m for m, _ in type_keys}):
        b.fact(
            f"{m}.along_track_ratio",
            str(known[m].range("along_track_ratio")),
            "",
            known[m],
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
        thaad,
        m_wave,
        list(index),
        s_base,
        h_base,
        f_base,
    )
    days = sc.horizon_days
    names = list(index)
    b.assume("horizon_days", str(days), "days", "days over which closures and sorties are counted")
    if sc.waves_on_reopen:
        b.assume(
            "waves_on_reopen",
            ", ".join(str(w) for w in sc.waves_on_reopen) + f" ({sc.restrike_lag_h:g} h lag)",
            "",
            "waves that re-strike each base when it reopens",
        )
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
            [UNITARY if w["bomblets"] == 0 else SUBMUNITION for w in type_params]
        ),
        type_bomblets=np.asarray([round(w["bomblets"]) for w in type_params]),
        type_crater_radius_m=np.asarray([w["crater_radius_m"] for w in type_params]),
        type_pattern_radius_m=np.asarray([w["pattern_radius_m"] for w in type_params]),
        type_lethal_radius_m=np.asarray([w["lethal_radius_m"] for w in type_params]),
        type_lethal_radius_hard_m=np.asarray([w["lethal_radius_hard_m"] for w in type_params]),
        type_ballistic=np.asarray(ballistic),
        cep_m=cep,
        reliability=rel,
        wave_time_h=np.asarray(sc.waves_h),
        repair_crews=crews_d,
        repair_materials=mat_d,
        repair_h=rep_d,
        repair_delay_h=delay,
        sortie_rate_per_day=np.asarray(rates),
        horizon_days=days,
        resupply_per_day=tuple(resupply),
        uxo_h_per_dud=tuple(uxo),
        sweep_h=sweeps[0],
        type_dud_rate=np.asarray([w["dud_rate"] for w in type_params]),
        type_repair_units=np.asarray([w["repair_units"] for w in type_params]),
        type_damage_radius_m=np.asarray([w["damage_radius_m"] for w in type_params]),
        type_shelter_pk=np.asarray([w["shelter_pk"] for w in type_params]),
        type_along_track_ratio=np.asarray(
            [_nominal(known[m], "along_track_ratio") for m, _ in type_keys]
        ),
        missile_heading_rad=np.asarray(m_head),
        wave_on_reopen=np.asarray([w in sc.waves_on_reopen for w in range(len(sc.waves_h))]),
        restrike_lag_h=sc.restrike_lag_h,
        warhead_dists=wdists,
        defence=defence,
        defence_missile=np.asarray(defended),
        cmd_fire_units=np.asarray([c[0] for c in cmd], dtype=np.int64),
        cmd_channels=np.asarray([c[1] for c in cmd], dtype=np.int64),
        cmd_magazine=tuple(c[2] for c in cmd),
        cmd_pk=tuple(c[3] for c in cmd),
        cmd_shots=max((c[4] for c in cmd), default=2),
        labels={
            "base": tuple(names),
            "day": tuple(f"day {d + 1}" for d in range(days)),
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
    keep_scene(lambda: BaseRaidScene(tuple(routes), tuple(zip(names, coords, strict=True))))
    return b.resolution(inputs)


Place = tuple[str, float, float]  # name, lat, lon


class Route(NamedTuple):
    """A raid group's missile, its nominal range, its nearest launch area and its base."""

    missile: str
    range_km: float
    launch: Place
    base: Place


class BaseRaidScene(NamedTuple):
    """What an air-base resolution placed: the input of :func:`raid_geometry`."""

    routes: tuple[Route, ...]
    bases: tuple[tuple[str, tuple[float, float]], ...]


def presentation(sc: AirBaseScenario, day: dt.date) -> dict[str, Any] | None:
    """The raid's map on ``day`` (:func:`raid_geometry`); None when it does not resolve."""
    with scenes() as kept:
        try:
            resolve(sc, day)
        except ScenarioError:
            return None
    placed = [s for s in kept if isinstance(s, BaseRaidScene)]
    if not placed:
        return None
    return raid_geometry(placed[-1].routes, placed[-1].bases)


def raid_geometry(
    routes: Sequence[Route], bases: Sequence[tuple[str, tuple[float, float]]]
) -> dict[str, Any]:
    """A GeoJSON picture of the raid for the map.

    Features, each with a ``role``: ``base`` (every base of the scenario),
    ``launch_area`` (those the raid flies from: the nearest to each target),
    ``range_ring`` (the nominal range of each missile type from each launch area
    it uses, a geodesic circle) and ``track`` (the great-circle ground track of
    each missile type from its launch area to its base).
    """
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
            lon_lat = WGS84.npts(lon, lat, r.base[2], r.base[1], 30)
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


def _choose_warhead(
    grp: MissileGroup,
    path: str,
    b: LedgerBuilder,
    warheads: dict[tuple[str, str], kb.Record],
    catalogue: dict[str, kb.Record],
) -> tuple[str, kb.Record, dict[str, float]] | None:
    """The warhead of a raid group: its label, kb record and parameters (nominal values,
    then the group's overrides), or None after recording a problem."""
    if grp.warhead_id is None:
        rec = warheads.get((grp.missile, grp.warhead))
        if rec is None:
            b.problem(f"{path}.warhead", grp.warhead, f"no {grp.warhead} warhead for {grp.missile}")
            return None
        label: str = grp.warhead
        params = {
            k: _nominal(rec, k)
            for k in WARHEAD_PARAMS
            if k in rec.data and k not in ("damage_radius_m", "shelter_pk")
        }
        params["damage_radius_m"] = params["lethal_radius_m"]
        params["shelter_pk"] = 1.0
    else:
        rec = catalogue.get(grp.warhead_id)
        if rec is None:
            b.problem(
                f"{path}.warhead_id",
                grp.warhead_id,
                "not in the warhead catalogue; known: " + ", ".join(sorted(catalogue)),
            )
            return None
        if grp.missile not in rec.data["carriers"]:
            b.problem(
                f"{path}.warhead_id",
                grp.warhead_id,
                f"{grp.missile} does not carry it; carriers: " + ", ".join(rec.data["carriers"]),
            )
            return None
        if "warhead" in grp.model_fields_set and grp.warhead != rec.data["warhead_kind"]:
            b.problem(
                f"{path}.warhead",
                grp.warhead,
                f"{grp.warhead_id} is a {rec.data['warhead_kind']} warhead",
            )
            return None
        label = grp.warhead_id
        params = {k: _nominal(rec, k) for k in WARHEAD_PARAMS}
    for key, value in (grp.warhead_params or {}).items():
        if key not in WARHEAD_PARAMS:
            b.problem(
                f"{path}.warhead_params.{key}",
                value,
                "not a warhead parameter; allowed: " + ", ".join(WARHEAD_PARAMS),
            )
            return None
        params[key] = float(value)
    for problem in _warhead_problems(params):
        b.problem(f"{path}.warhead_params", grp.warhead_params, problem)
        return None
    if grp.warhead_params:
        label += " [" + ", ".join(f"{k}={v:g}" for k, v in sorted(grp.warhead_params.items())) + "]"
        b.assume(
            f"{path}.warhead_params",
            ", ".join(f"{k} {v:g}" for k, v in sorted(grp.warhead_params.items())),
            "",
            "set by the scenario",
            override=True,
        )
    return label, rec, params


def _warhead_problems(w: dict[str, float]) -> list[str]:
    out = []
    if any(v < 0 for v in w.values()):
        out.append("warhead parameters must be >= 0")
    if w["bomblets"] != round(w["bomblets"]):
        out.append("bomblets must be a whole number")
    if w["bomblets"] > 0 and w["pattern_radius_m"] <= 0:
        out.append("a submunition warhead needs pattern_radius_m > 0")
    if w["bomblets"] == 0 and w["pattern_radius_m"] > 0:
        out.append("a unitary warhead (bomblets 0) has pattern_radius_m 0")
    if w["damage_radius_m"] < w["lethal_radius_m"]:
        out.append("damage_radius_m must be >= lethal_radius_m")
    if not (0 <= w["shelter_pk"] <= 1 and 0 <= w["dud_rate"] <= 1):
        out.append("shelter_pk and dud_rate must lie in [0, 1]")
    if w["repair_units"] <= 0:
        out.append("repair_units must be > 0")
    return out


class AimPlan(NamedTuple):
    """What the aim-point planner needs to know about a raid group and its base."""

    mos_length_m: float
    mos_width_m: float
    pattern_radius_m: float
    crater_radius_m: float
    per_cut: int | None
    surface: str | None
    explicit: list[tuple[float, float]] | None


def cuts_needed(length_m: float, mos_length_m: float) -> int:
    """Evenly spaced cuts that leave no segment as long as the strip: ⌊L / ℓ⌋.

    With c cuts at L·j/(c + 1) every segment is shorter than L/(c + 1), which is
    below ℓ exactly when c + 1 > L/ℓ.
    """
    return max(1, math.floor(length_m / mos_length_m))


def points_per_cut(width_m: float, plan: AimPlan) -> int:
    """Aim points across a cut: patterns (or craters) side by side spanning the width.

    A submunition pattern covers a band about 1.5 R wide with few gaps; a unitary crater
    covers 2 r. A scenario may set the number instead.
    """
    if plan.per_cut is not None:
        return plan.per_cut
    span = 1.5 * plan.pattern_radius_m if plan.pattern_radius_m > 0 else 2 * plan.crater_radius_m
    return max(1, math.ceil(width_m / max(span, 1e-9)))


def _runway_points(
    k: int,
    s_base: list[int],
    s_len: list[float],
    s_wid: list[float],
    s_name: list[str],
    plan: AimPlan,
) -> list[tuple[int, float, float]]:
    """The planned aim points on a base's surfaces, in the order missiles take them:
    surface by surface (those that can hold a strip), cut by cut, across each cut."""
    surfaces = [s for s, bb in enumerate(s_base) if bb == k]
    if plan.surface is not None:
        surfaces = [s for s in surfaces if s_name[s].endswith(" " + plan.surface)]
    usable = [s for s in surfaces if s_len[s] >= plan.mos_length_m and s_wid[s] >= plan.mos_width_m]
    out: list[tuple[int, float, float]] = []
    for s in usable or surfaces:
        cuts = cuts_needed(s_len[s], plan.mos_length_m)
        across = points_per_cut(s_wid[s], plan)
        for j in range(1, cuts + 1):
            x = s_len[s] * j / (cuts + 1)
            for q in range(across):
                out.append((s, x, -s_wid[s] / 2 + s_wid[s] * (q + 0.5) / across))
    return out


def _describe_cuts(
    targets: list[tuple[int, int, float, float]],
    s_len: list[float],
    s_wid: list[float],
    s_name: list[str],
    plan: AimPlan,
) -> str:
    parts = []
    for s in sorted({t[1] for t in targets}):
        cuts = cuts_needed(s_len[s], plan.mos_length_m)
        parts.append(
            f"{s_name[s]}: {cuts} cuts x {points_per_cut(s_wid[s], plan)} aim points, "
            f"{sum(1 for t in targets if t[1] == s)} missiles"
        )
    return "; ".join(parts)


def _apron_points(spots: list[tuple[float, float]], radius_m: float) -> list[tuple[float, float]]:
    """Aim points that cover the parked aircraft: for a submunition pattern of radius R,
    the centres of a square grid of cells 1.4 R wide (so a pattern covers its cell),
    those with the most aircraft first; for a unitary warhead, the aircraft one by one."""
    if radius_m <= 0:
        return list(spots)
    cell = 1.4 * radius_m
    groups: dict[tuple[int, int], list[tuple[float, float]]] = {}
    for x, y in spots:
        groups.setdefault((math.floor(x / cell), math.floor(y / cell)), []).append((x, y))
    ranked = sorted(groups.items(), key=lambda kv: (-len(kv[1]), kv[0]))
    return [
        (sum(x for x, _ in pts) / len(pts), sum(y for _, y in pts) / len(pts)) for _, pts in ranked
    ]


def _aim(
    target: str,
    k: int,
    count: int,
    s_base: list[int],
    s_len: list[float],
    s_wid: list[float],
    s_name: list[str],
    h_base: list[int],
    f_base: list[int],
    f_kind: list[str],
    apron: list[tuple[float, float]],
    parked: list[list[tuple[float, float]]],
    plan: AimPlan,
) -> list[tuple[int, int, float, float]] | None:
    """Aim points, as an attacker plans them.

    Runways: the cuts of :func:`_runway_points`, taken in turn (more missiles than aim
    points go round again). Parking: the cells of :func:`_apron_points` with the most
    aircraft first (the apron's centre line when none is parked). Shelters one by one,
    occupied ones first; facilities in turn. Explicit aim points are used in turn.
    """
    if target == "runways":
        points = _runway_points(k, s_base, s_len, s_wid, s_name, plan)
        if not points:
            return None
        if plan.explicit is not None:
            s0 = points[0][0]
            return [(SURFACE, s0, *plan.explicit[i % len(plan.explicit)]) for i in range(count)]
        return [(SURFACE, *points[i % len(points)]) for i in range(count)]
    if target == "parking":
        if plan.explicit is not None:
            return [(APRON, k, *plan.explicit[i % len(plan.explicit)]) for i in range(count)]
        spots = parked[k]
        if not spots:
            length, width = apron[k]
            return [(APRON, k, length * (i + 0.5) / count, width / 2.0) for i in range(count)]
        cells = _apron_points(spots, plan.pattern_radius_m)
        if plan.pattern_radius_m <= 0:
            picks = [
                cells[min(len(cells) - 1, int((i + 0.5) * len(cells) / count))]
                for i in range(count)
            ]
            return [(APRON, k, x, y) for x, y in picks]
        return [(APRON, k, *cells[i % len(cells)]) for i in range(count)]
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
    crews: list[Dist],
    materials: list[Dist],
    type_params: list[dict[str, float]],
) -> tuple[
    tuple[Dist, ...],
    tuple[Dist, ...],
    tuple[Dist, ...],
    Dist,
    tuple[Dist, ...],
    tuple[Dist, ...],
    dict[str, tuple[Dist, ...]],
]:
    missiles = sorted({m for m, _ in type_keys})
    # warhead parameters: warhead.<missile>.<warhead>.<parameter>, the warhead as the raid
    # group names it (its catalogue id or unitary/submunition), before any overrides
    wkeys = [f"warhead.{m}.{label.split(' [')[0]}" for m, label in type_keys]
    allowed = (
        [f"cep_m.{m}" for m in missiles]
        + [f"reliability.{m}" for m in missiles]
        + [f"repair_h.{n}" for n in bases]
        + [f"repair_crews.{n}" for n in bases]
        + [f"repair_materials.{n}" for n in bases]
        + ["repair_delay_h"]
        + sorted({f"{k}.{name}" for k in wkeys for name in UNCERTAIN_WARHEAD})
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
    crew = tuple(pick(f"repair_crews.{n}", crews[i], None) for i, n in enumerate(bases))
    mat = tuple(pick(f"repair_materials.{n}", materials[i], None) for i, n in enumerate(bases))
    wdists: dict[str, tuple[Dist, ...]] = {}
    for name in UNCERTAIN_WARHEAD:
        keys = [f"{k}.{name}" for k in wkeys]
        if not any(key in sc.uncertain for key in keys):
            continue
        dists = tuple(
            pick(key, Dist.fixed(params[name]), None)
            for key, params in zip(keys, type_params, strict=True)
        )
        for key, dist in zip(keys, dists, strict=True):
            low, high = dist.support
            if name in ("dud_rate", "shelter_pk") and not 0 <= low <= high <= 1:
                b.problem(
                    f"uncertain.{key}", dist.describe(), "a probability must lie between 0 and 1"
                )
            elif name == "repair_units" and low <= 0:
                b.problem(f"uncertain.{key}", dist.describe(), "repair units must be > 0")
        wdists[name] = dists
    return cep, rel, rep, delay, crew, mat, wdists


NO_CMD = (0, 1, Dist.fixed(0.0), Dist.fixed(0.0), 2)


def _cruise_defence(
    spec: Base, path: str, day: dt.date, base_kb: kb.KnowledgeBase, b: LedgerBuilder
) -> tuple[int, int, Dist, Dist, int]:
    """A base's cruise-missile point defence: (fire units, channels per wave, rounds per
    fire unit, P_k per shot, shots per missile), from the kb's record on the date."""
    if spec.cmd_fire_units == 0:
        return NO_CMD
    recs = [r for r in base_kb.at(day, "cruise_missile_defence") if r.data["base"] == spec.name]
    if not recs:
        b.problem(
            f"{path}.cmd_fire_units",
            spec.cmd_fire_units,
            f"the knowledge base lists no cruise-missile defence at {spec.name} on {day}",
        )
        return NO_CMD
    rec = recs[0]
    most = rec.range("fire_units").high
    if spec.cmd_fire_units > most:
        b.problem(
            f"{path}.cmd_fire_units",
            spec.cmd_fire_units,
            f"{rec.data['unit']} at {spec.name} has at most {most:g} fire units on {day}",
        )
        return NO_CMD
    key = f"{spec.name}.cruise_defence"
    b.assume(
        f"{key}.fire_units",
        str(spec.cmd_fire_units),
        "fire units",
        f"set by the scenario ({rec.data['unit']} has {rec.range('fire_units')})",
    )
    for name in ("channels_per_wave", "rounds_per_fire_unit", "pk_per_shot", "shots_per_missile"):
        if name in rec.data:
            b.fact(f"{key}.{name}", str(rec.range(name)), "", rec, base_kb)
    shots = round(rec.range("shots_per_missile").nominal) if "shots_per_missile" in rec.data else 2
    return (
        spec.cmd_fire_units,
        max(1, round(rec.range("channels_per_wave").nominal)),
        range_dist(rec.range("rounds_per_fire_unit")),
        range_dist(rec.range("pk_per_shot")),
        max(1, shots),
    )


def _thaad_batteries(
    spec: Base, path: str, day: dt.date, base_kb: kb.KnowledgeBase, b: LedgerBuilder
) -> int:
    """THAAD batteries defending a base: as many as the scenario asks, which the kb's
    ``thaad_battery`` records sited at the base (their site named in the base's name)
    must hold on the date."""
    if spec.thaad_batteries == 0:
        return 0
    recs = [r for r in base_kb.at(day, "thaad_battery") if str(r.data["site"]) in spec.name]
    there = sum(round(r.range("batteries").nominal) for r in recs)
    if spec.thaad_batteries > there:
        b.problem(
            f"{path}.thaad_batteries",
            spec.thaad_batteries,
            f"the knowledge base lists {there} THAAD batter{'y' if there == 1 else 'ies'} "
            f"at {spec.name} on {day}",
        )
        return 0
    for r in recs:
        b.fact(
            f"{spec.name}.thaad.{r.id}",
            f"{r.data['unit']} at {r.data['site']}, {r.data['operator']}: {r.range('batteries')}",
            "batteries",
            r,
            base_kb,
        )
    return spec.thaad_batteries


WAVE_S = 3600.0


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
    thaad: list[int],
    m_wave: list[int],
    bases: list[str],
    s_base: list[int],
    h_base: list[int],
    f_base: list[int],
) -> tuple[md.Inputs | None, list[int]]:
    """The bases' ballistic-missile defence as a two-tier missile-defence raid (or None).

    Threats are the raid's ballistic missiles, taken wave by wave (then in missile
    order). THAAD batteries (upper terminal tier) engage first, from the wave's time
    for the kb's decision window, with the kb's engagement time, fire-control channels,
    salvo, magazine, SSPK and reliability; PAC-3 fire units (lower tier) engage the
    survivors, with the lower-tier doctrine the missile-defence kind uses
    (:data:`anpo.scenario.interceptors.TIER_TIMING`). Interceptor SSPK, reliability and
    magazine loads come from the shared interceptor section
    (:mod:`anpo.scenario.interceptors`). Each shooter reaches only the missiles aimed at
    its own base.
    """
    if not any(pac3) and not any(thaad):
        return None, []
    owner = {SURFACE: s_base, SHELTER: h_base, FACILITY: f_base}
    m_base = [t if k == APRON else owner[k][t] for k, t in zip(m_kind, m_target, strict=True)]
    defended = [i for i, t in enumerate(m_type) if ballistic[t]]
    threat_asset = np.array([m_base[i] for i in defended], dtype=np.int64)
    wave_s = np.array([sc.waves_h[m_wave[i]] * WAVE_S for i in defended], dtype=np.float64)
    n_t = len(defended)
    shooters: list[tuple[int, int]] = []  # (base, tier)
    shooters += [(k, md.UPPER) for k, units in enumerate(thaad) for _ in range(units)]
    shooters += [(k, md.LOWER) for k, units in enumerate(pac3) for _ in range(units)]
    reach = np.array([[threat_asset[t] == k for t in range(n_t)] for k, _ in shooters])
    reach = reach.reshape(len(shooters), n_t)
    opened = np.empty((len(shooters), n_t))
    window = np.empty((len(shooters), n_t))
    engage = np.empty((len(shooters), n_t))
    magazine: list[int] = []
    channels: list[int] = []
    interceptor = base_kb.get("pac3")
    kill, works = kill_dists(interceptor)
    sspk, rel = [kill], [works]
    salvo = [2, 2]
    lower = TIER_TIMING["lower"]  # the missile-defence kind's PAC-3 doctrine
    if any(pac3):
        load = magazine_load(base_kb, day, "pac3-fire-unit", "pac3")
        b.fact("defence.pac3.sspk", str(interceptor.range("sspk")), "", interceptor, base_kb)
        b.fact("defence.pac3.magazine", str(load.range("rounds")), "interceptors", load, base_kb)
        b.assume(
            "defence.pac3_fire_units",
            ", ".join(f"{bases[k]} {u}" for k, u in enumerate(pac3)),
            "fire units",
            "PAC-3 fire units defending each base (lower tier, salvo of 2, one engagement "
            f"in the last {lower.window_close_s - lower.window_open_s:g} s, "
            f"{lower.engage_time_s:g} s each); cruise missiles are left to the "
            "cruise-missile point defence (bases[].cmd_fire_units)",
        )
    if any(thaad):
        t_rec = base_kb.get("thaad")
        t_load = magazine_load(base_kb, day, "thaad-battery", "thaad")
        t_fc = base_kb.one(day, "fire_control", applies_to="thaad-battery")
        t_eng = base_kb.one(day, "airbase_bmd_engagement", applies_to="thaad-battery")
        kill, works = kill_dists(t_rec)
        sspk.append(kill)
        rel.append(works)
        salvo[md.UPPER] = max(1, round(t_eng.range("salvo").nominal))
        for key, rec, name, unit in (
            ("sspk", t_rec, "sspk", ""),
            ("reliability", t_rec, "reliability", ""),
            ("magazine", t_load, "rounds", "interceptors"),
            ("channels", t_fc, "channels", "engagements"),
            ("window_s", t_eng, "window_s", "s"),
            ("engage_time_s", t_eng, "engage_time_s", "s"),
            ("salvo", t_eng, "salvo", "interceptors"),
        ):
            b.fact(f"defence.thaad.{key}", str(rec.range(name)), unit, rec, base_kb)
        b.assume(
            "defence.thaad_batteries",
            ", ".join(f"{bases[k]} {u}" for k, u in enumerate(thaad)),
            "batteries",
            "THAAD batteries defending each base (upper terminal tier, before PAC-3; one "
            "engagement per missile; nominal values of the kb's ranges, SSPK and "
            "reliability drawn per trial)",
        )
    for s, (_, tier) in enumerate(shooters):
        if tier == md.UPPER:
            opened[s] = 0.0
            window[s] = t_eng.range("window_s").nominal
            engage[s] = t_eng.range("engage_time_s").nominal
            magazine.append(round(t_load.range("rounds").nominal))
            channels.append(max(1, round(t_fc.range("channels").nominal)))
        else:
            opened[s] = lower.window_open_s
            window[s] = lower.window_close_s
            engage[s] = lower.engage_time_s
            magazine.append(round(load.range("rounds").nominal))
            channels.append(0)
    inner = md.Inputs(
        threat_asset=threat_asset,
        threat_is_decoy=np.zeros(n_t, dtype=bool),
        threat_time_s=wave_s,
        asset_priority=np.ones(len(bases), dtype=np.int64),
        shooter_tier=np.array([tier for _, tier in shooters], dtype=np.int64),
        shooter_interceptor=np.array([int(tier == md.UPPER) for _, tier in shooters]),
        shooter_magazine=np.array(magazine, dtype=np.int64),
        window_open_s=np.where(reach, wave_s[None, :] + opened, np.nan),
        window_close_s=np.where(reach, wave_s[None, :] + window, np.nan),
        engage_time_s=engage,
        salvo_size=np.array(salvo),
        max_engagements=np.array([1, 1]),
        partial_salvos=True,
        use_priorities=False,
        sspk=tuple(sspk),
        reliability=tuple(rel),
        sensor_delay_s=(Dist.fixed(0.0), Dist.fixed(0.0)),
        discrimination=Dist.fixed(0.0),
        shooter_channels=np.array(channels if any(thaad) else [], dtype=np.int64),
        labels={"asset": tuple(bases)},
    )
    return inner, defended
