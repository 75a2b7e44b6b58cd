"""Scenario kind ``air_superiority``: the fight for the air over the Taiwan Strait.

The schema says what a scenario file may hold; :func:`resolve` turns it into the
model's :class:`~anpo.models.air_superiority.Inputs`, asking the knowledge base
(``airpower.yaml``) for what the file leaves out: the CAP station, the bases in range
and their great-circle distances to it (``pyproj.Geod``), each fighter type's
performance and missile load, national inventories on the date, the F-22 programme's
combat-coded share, AEW&C, tankers, carriers and the air-combat parameters. The raid
on the allied bases is resolved by the air-base kind's own resolver
(:func:`anpo.scenario.air_base.resolve` on an :class:`AirBaseScenario` built here), so
the composed model's inputs are the ones an air-base scenario would get.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

import numpy as np
from pydantic import Field
from pyproj import Geod

from anpo import kb
from anpo.errors import Problem, ScenarioError
from anpo.geo.greatcircle import WGS84
from anpo.models.air_base import Inputs as AirBaseInputs
from anpo.models.air_superiority import SIDES, Inputs
from anpo.models.base import frozen_array
from anpo.models.distributions import Dist
from anpo.scenario import air_base
from anpo.scenario.common import (
    DistSpec,
    LedgerBuilder,
    LedgerEntry,
    Resolution,
    ScenarioBase,
    Strict,
    UncertainParameters,
    range_dist,
)

CARRIER = "Carrier strike groups"
OPERATORS = ("USAF", "USN", "USMC", "JASDF", "ROCAF", "PLA")


class Fleet(Strict):
    """Fighters of one type and operator at one base: ``count`` aircraft, or ``share``
    of the operator's inventory on the date (for the F-22A: of its combat-coded jets)."""

    operator: Literal["USAF", "USN", "USMC", "JASDF", "ROCAF", "PLA"]
    aircraft: str = Field(description="a fighter type of the kb (F-22A, F-15J, J-16 ...)")
    base: str = Field(description="a base in range of the Strait (kb strait_base name)")
    count: float | None = Field(default=None, ge=0, le=3000)
    share: float | None = Field(default=None, ge=0, le=1)


class AirSuperiorityScenario(ScenarioBase):
    """Fighters from bases and carriers contest the air over the Strait, day by day."""

    kind: Literal["air_superiority"]
    days: int = Field(default=7, ge=1, le=30)
    superiority_ratio: float = Field(
        default=1.0,
        gt=0,
        le=10,
        description="local air superiority: allied CAP >= this many times the PLA "
        "fighters left in the zone after the day's combat",
    )
    f22_total: int | None = Field(
        default=None,
        ge=0,
        le=750,
        description="F-22As built (default: the kb's 187); 381 is the requirement "
        "counterfactual. Deployed F-22 fleets are shares of its combat-coded part",
    )
    fleets: list[Fleet] = Field(min_length=1)
    carriers: int | None = Field(default=None, ge=0, le=4)
    carrier_standoff_km: float | None = Field(default=None, ge=100, le=4000)
    tankers: int | None = Field(default=None, ge=0, le=300)
    aew: bool = True
    pla_aew: bool = True
    air_bases: list[air_base.Base] = Field(default_factory=list)
    raid: list[air_base.MissileGroup] = Field(default_factory=list)
    waves_h: list[Annotated[float, Field(ge=0, le=60 * 24)]] = Field(
        default_factory=lambda: [0.0], min_length=1, max_length=air_base.MAX_WAVES
    )
    uncertain: dict[str, DistSpec] = Field(default_factory=dict)


def presentation(sc: AirSuperiorityScenario, day: dt.date) -> dict[str, Any] | None:
    """The map: the CAP station, the bases the scenario flies from, and a great-circle
    track from each to the station (drawn only when something shows it)."""
    base_kb = kb.load()
    station = base_kb.one(day, "cap_station")
    s_lat, s_lon = _nominal(station, "lat"), _nominal(station, "lon")
    used = {fl.base for fl in sc.fleets}
    features: list[dict[str, Any]] = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [s_lon, s_lat]},
            "properties": {"role": "cap_station", "name": station.data["name"]},
        }
    ]
    for rec in base_kb.at(day, "strait_base"):
        if rec.data["name"] not in used:
            continue
        lat, lon = _nominal(rec, "lat"), _nominal(rec, "lon")
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [lon, lat]},
                "properties": {"role": "base", "name": rec.data["name"], "side": rec.data["side"]},
            }
        )
        line = [[lon, lat], *WGS84.npts(lon, lat, s_lon, s_lat, 20), [s_lon, s_lat]]
        features.append(
            {
                "type": "Feature",
                "geometry": {
                    "type": "LineString",
                    "coordinates": [[round(x, 4), round(y, 4)] for x, y in line],
                },
                "properties": {"role": "track", "name": f"{rec.data['name']} to the CAP station"},
            }
        )
    return {"type": "FeatureCollection", "features": features}


def _nominal(rec: kb.Record, key: str) -> float:
    return rec.range(key).nominal


def _raid(sc: AirSuperiorityScenario, day: dt.date, b: LedgerBuilder) -> AirBaseInputs | None:
    """The composed air-base model's inputs, through the air-base resolver."""
    if not sc.raid:
        if sc.air_bases:
            b.problem("raid", [], "air_bases are given but no raid strikes them")
        return None
    if not sc.air_bases:
        b.problem("air_bases", [], "a raid needs the air bases it strikes")
        return None
    ab = air_base.AirBaseScenario(
        schema_version=1,
        kind="air_base",
        name=f"{sc.name}-raid"[:64],
        date=day,
        bases=sc.air_bases,
        raid=sc.raid,
        waves_h=sc.waves_h,
        horizon_days=sc.days,
    )
    # the air-base resolver answers a Resolution and raises its problems
    problems: list[Problem] = []
    ledger: list[LedgerEntry] = []
    inputs: AirBaseInputs | None = None
    try:
        answer = air_base.resolve(ab, day)
    except ScenarioError as exc:
        problems = list(exc.problems)
    else:
        inputs, ledger = answer.inputs, list(answer.ledger)
    for p in problems:
        path = p.path if p.path.startswith(("raid", "waves_h")) else f"air_bases.{p.path}"
        b.problems.append(Problem(path, p.value, p.message))
    for e in ledger:
        b.ledger.append(e.__class__(**{**e.__dict__, "name": f"raid.{e.name}"}))
    return None if problems else inputs


def resolve(sc: AirSuperiorityScenario, day: dt.date) -> Resolution:
    """Resolve an air-superiority scenario on ``day`` (see the module docstring)."""
    base_kb = kb.load()
    b = LedgerBuilder()
    b.assume("date", str(day), "date", "the date whose forces the scenario uses")
    geod = Geod(ellps="WGS84")
    station = base_kb.one(day, "cap_station")
    s_lat, s_lon = _nominal(station, "lat"), _nominal(station, "lon")
    b.fact("cap_station", f"{s_lat:.2f} N, {s_lon:.2f} E", "deg", station, base_kb)

    # bases in range, with their distance to the station; the carriers' stand-off point
    carriers_rec = base_kb.one(day, "carrier_availability", navy="USN")
    base_names: list[str] = []
    base_side: list[int] = []
    base_dist: list[float] = []
    base_ab_name: list[str] = []
    for rec in base_kb.at(day, "strait_base"):
        _, _, metres = geod.inv(s_lon, s_lat, _nominal(rec, "lon"), _nominal(rec, "lat"))
        base_names.append(rec.data["name"])
        base_side.append(SIDES.index(rec.data["side"]))
        base_dist.append(metres / 1000.0)
        base_ab_name.append(rec.data["air_base"])
        b.fact(f"{rec.data['name']}.distance_km", f"{metres / 1000.0:.0f}", "km", rec, base_kb)
    if sc.carrier_standoff_km is None:
        standoff = _nominal(carriers_rec, "standoff_km")
        b.fact(
            "carrier.standoff_km",
            str(carriers_rec.range("standoff_km")),
            "km",
            carriers_rec,
            base_kb,
        )
    else:
        standoff = sc.carrier_standoff_km
        b.assume("carrier.standoff_km", f"{standoff:g}", "km", "set by the scenario", override=True)
    base_names.append(CARRIER)
    base_side.append(0)
    base_dist.append(standoff)
    base_ab_name.append("")

    # the raid on the allied bases, through the air-base kind's resolver
    ab_inputs = _raid(sc, day, b)
    ab_names = tuple(ab_inputs.labels["base"]) if ab_inputs is not None else ()
    base_ab = [ab_names.index(n) if n in ab_names else -1 for n in base_ab_name]
    for name in ab_names:
        if name not in base_ab_name:
            b.problem("air_bases", name, "struck by the raid but not a base in range of the Strait")
    ab_aircraft = (
        np.bincount(ab_inputs.aircraft_base, minlength=len(ab_names)).astype(np.float64)
        if ab_inputs is not None
        else np.zeros(0)
    )

    # uncertain parameters
    allowed = [f"bvr_pk.{s}" for s in SIDES] + [f"wvr_pk.{s}" for s in SIDES]
    allowed += [
        f"closure.{n}" for n, k in zip(base_names, base_ab, strict=True) if k < 0 and n != CARRIER
    ]
    unc = UncertainParameters(
        sc.uncertain, allowed, b, base_kb, probabilities=("bvr_pk", "wvr_pk", "closure", "lo_pk")
    )
    bvr_pk: list[Dist] = []
    wvr_pk: list[Dist] = []
    for s in SIDES:
        rec = base_kb.one(day, "air_combat", side=s)
        bvr_pk.append(unc.pick(f"bvr_pk.{s}", range_dist(rec.range("bvr_pk")), rec))
        wvr_pk.append(unc.pick(f"wvr_pk.{s}", range_dist(rec.range("wvr_pk")), rec))
    rules = base_kb.one(day, "air_combat_rules")
    for key in ("lo_pk_factor", "aew_first_share", "merge_share"):
        b.fact(key, f"{_nominal(rules, key):g} (range {rules.range(key)})", "", rules, base_kb)
    closure: list[Dist] = []
    for n, k in zip(base_names, base_ab, strict=True):
        if k >= 0 or n == CARRIER:
            closure.append(Dist.fixed(0.0))
        else:
            closure.append(
                unc.pick(f"closure.{n}", Dist.fixed(0.0), note="no raid modelled on this base")
            )

    # fleets
    types = {r.data["aircraft"]: r for r in base_kb.at(day, "fighter_type")}
    inventory = {(r.data["operator"], r.data["aircraft"]): r for r in base_kb.at(day, "air_fleet")}
    programme = base_kb.one(day, "f22_programme")
    built = _nominal(programme, "built")
    coded = _nominal(programme, "combat_coded")
    f22_total = float(sc.f22_total) if sc.f22_total is not None else built
    if sc.f22_total is None:
        b.fact("f22.total", f"{built:g}", "aircraft", programme, base_kb)
    else:
        b.assume("f22.total", f"{f22_total:g}", "aircraft", "set by the scenario", override=True)
    b.fact("f22.combat_coded_share", f"{coded:g}/{built:g}", "", programme, base_kb)
    f22_coded = f22_total * coded / built

    rows: list[tuple[str, int, int, Dist, kb.Record]] = []
    for i, fl in enumerate(sc.fleets):
        path = f"fleets[{i}]"
        found = types.get(fl.aircraft)
        if found is None:
            b.problem(
                f"{path}.aircraft",
                fl.aircraft,
                "not a fighter type; known: " + ", ".join(sorted(types)),
            )
            continue
        if fl.base not in base_names:
            b.problem(
                f"{path}.base", fl.base, "not a base in range; known: " + ", ".join(base_names)
            )
            continue
        k = base_names.index(fl.base)
        side = 1 if fl.operator == "PLA" else 0
        if base_side[k] != side:
            b.problem(f"{path}.base", fl.base, f"a base of the other side ({SIDES[base_side[k]]})")
            continue
        if (fl.count is None) == (fl.share is None):
            b.problem(path, fl.model_dump(), "give exactly one of count and share")
            continue
        label = f"{fl.operator} {fl.aircraft} at {fl.base}"
        if fl.count is not None:
            count = Dist.fixed(fl.count)
            b.assume(f"{label}.count", f"{fl.count:g}", "aircraft", "set by the scenario")
        elif fl.aircraft == "F-22A":
            count = Dist.fixed(float(fl.share or 0.0) * f22_coded)
            b.assume(
                f"{label}.count",
                f"{count.params[0]:.1f}",
                "aircraft",
                f"share {fl.share:g} of {f22_coded:.1f} combat-coded F-22As "
                f"({f22_total:g} built x {coded:g}/{built:g})",
            )
        else:
            inv = inventory.get((fl.operator, fl.aircraft))
            if inv is None:
                b.problem(f"{path}.aircraft", fl.aircraft, f"no {fl.operator} inventory on {day}")
                continue
            r = inv.range("count")
            s_ = float(fl.share or 0.0)
            count = range_dist(kb.Range(low=r.low * s_, nominal=r.nominal * s_, high=r.high * s_))
            b.fact(f"{label}.count", f"share {s_:g} of {r}", "aircraft", inv, base_kb)
        b.fact(f"{fl.aircraft}.performance", "see the record", "", found, base_kb)
        rows.append((label, side, k, count, found))
    carriers = float(sc.carriers) if sc.carriers is not None else _nominal(carriers_rec, "carriers")
    if sc.carriers is None:
        b.fact("carriers", str(carriers_rec.range("carriers")), "carriers", carriers_rec, base_kb)
    else:
        b.assume("carriers", str(sc.carriers), "carriers", "set by the scenario", override=True)
    per_wing = _nominal(carriers_rec, "fighters_per_wing")
    lo_wing = _nominal(carriers_rec, "lo_per_wing") if "lo_per_wing" in carriers_rec.data else 0.0
    k_cv = base_names.index(CARRIER)
    for ac, n_ac in (("F/A-18E/F", per_wing - lo_wing), ("F-35A", lo_wing)):
        if n_ac > 0 and ac in types:
            note = " (F-35C flown with the F-35A's figures)" if ac == "F-35A" else ""
            label = f"USN {'F-35C' if ac == 'F-35A' else ac} at {CARRIER}"
            b.assume(
                f"{label}.count", f"{carriers * n_ac:g}", "aircraft", f"{carriers:g} wings{note}"
            )
            rows.append((label, 0, k_cv, Dist.fixed(carriers * n_ac), types[ac]))

    # tankers and AEW&C
    tanker_count: list[Dist] = []
    tanker_base: list[int] = []
    t_sorties: list[float] = []
    t_refuels: list[float] = []
    for s in SIDES:
        rec = base_kb.one(day, "tanker_fleet", side=s)
        if s == "allied" and sc.tankers is not None:
            tanker_count.append(Dist.fixed(float(sc.tankers)))
            b.assume(
                "tankers.allied", str(sc.tankers), "tankers", "set by the scenario", override=True
            )
        else:
            tanker_count.append(range_dist(rec.range("count")))
            b.fact(f"tankers.{s}", str(rec.range("count")), "tankers", rec, base_kb)
        name = rec.data["base"]
        tanker_base.append(base_names.index(name) if name in base_names else -1)
        t_sorties.append(_nominal(rec, "sorties_per_day"))
        t_refuels.append(_nominal(rec, "refuels_per_sortie"))
    aew = []
    for s, flag in zip(SIDES, (sc.aew, sc.pla_aew), strict=True):
        rec = base_kb.one(day, "aew_fleet", side=s)
        aew.append(_nominal(rec, "cover") if flag else 0.0)
        b.fact(f"aew.{s}", "covered" if flag else "none (set by the scenario)", "", rec, base_kb)
    b.assume(
        "superiority",
        f"allied CAP >= {sc.superiority_ratio:g} x PLA fighters in the zone after the day's combat",
        "",
        "the definition of local air superiority",
    )
    b.check()

    def col(key: str) -> object:
        return [_nominal(r[4], key) for r in rows]

    inputs = Inputs(
        days=sc.days,
        fleet_side=frozen_array([r[1] for r in rows], np.int64),
        fleet_base=frozen_array([r[2] for r in rows], np.int64),
        fleet_count=tuple(r[3] for r in rows),
        fleet_speed_km_h=frozen_array(col("speed_km_h"), np.float64),
        fleet_radius_km=frozen_array(col("combat_radius_km"), np.float64),
        fleet_tos_h=frozen_array(col("time_on_station_h"), np.float64),
        fleet_turn_h=frozen_array(col("turn_h"), np.float64),
        fleet_mc=frozen_array(col("mission_capable"), np.float64),
        fleet_max_sorties=frozen_array(col("max_sorties_per_day"), np.float64),
        fleet_max_flight_h=frozen_array(col("max_flight_h"), np.float64),
        fleet_bvr=frozen_array(col("bvr_missiles"), np.float64),
        fleet_wvr=frozen_array(col("wvr_missiles"), np.float64),
        fleet_lo=frozen_array([bool(r[4].data["low_observable"]) for r in rows], np.bool_),
        base_side=frozen_array(base_side, np.int64),
        base_distance_km=frozen_array(base_dist, np.float64),
        base_ab=frozen_array(base_ab, np.int64),
        base_closure=tuple(closure),
        tanker_count=tuple(tanker_count),
        tanker_base=frozen_array(tanker_base, np.int64),
        tanker_sorties_per_day=frozen_array(t_sorties, np.float64),
        refuels_per_tanker_sortie=frozen_array(t_refuels, np.float64),
        aew=frozen_array(aew, np.float64),
        bvr_pk=tuple(bvr_pk),
        wvr_pk=tuple(wvr_pk),
        lo_pk_factor=_nominal(rules, "lo_pk_factor"),
        aew_first_share=_nominal(rules, "aew_first_share"),
        merge_share=_nominal(rules, "merge_share"),
        superiority_ratio=sc.superiority_ratio,
        air_base=ab_inputs,
        ab_aircraft=frozen_array(ab_aircraft, np.float64),
        labels={
            "fleet": tuple(r[0] for r in rows),
            "base": tuple(base_names),
            "side": SIDES,
            "day": tuple(f"day {d + 1}" for d in range(sc.days)),
            "cause": ("bases closed", "tankers", "distance"),
        },
    )
    return b.resolution(inputs)


__all__ = ["CARRIER", "OPERATORS", "AirSuperiorityScenario", "Fleet", "presentation", "resolve"]
