"""Scenario kind ``missile_defense``: a ballistic-missile raid on defended assets.

The schema says what a scenario file may hold; :func:`resolve` turns a valid
scenario into the model's :class:`~anpo.models.missile_defense.Inputs`, asking
the knowledge base for everything the file leaves out (the ships, fire units,
interceptors, loads and performance in force on the scenario's date), and
records every input it used in the assumption ledger.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from collections import Counter
from dataclasses import dataclass
from typing import Annotated, Any, Literal

import numpy as np
from pydantic import Field

from anpo import kb, law
from anpo.errors import KnowledgeBaseError, ScenarioError
from anpo.kb import places as kb_places
from anpo.models.distributions import Dist
from anpo.models.missile_defense import LOWER, REASONS, UPPER, Inputs
from anpo.models.missile_defense.inputs import MAX_CHANNELS, MAX_MAGAZINE, MAX_SHOOTERS
from anpo.physics.radar import first_track_s
from anpo.scenario import geography, legal
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
from anpo.scenario.geography import Geography
from anpo.scenario.interceptors import TIER_TIMING, TIMING_REASONING, kill_dists, magazine_loads

MAX_THREATS = 1000
MAX_RAID_S = 86_400.0
"""Launch times and intervals lie within a day of the raid's start."""
MAX_WINDOW_S = 3_600.0
"""Engagement windows and times lie within an hour of launch (an ICBM flies ~30 min)."""

# --- schema -----------------------------------------------------------------------


class MissileGroup(Strict):
    """``count`` missiles of one type aimed at one defended asset."""

    type: str = Field(description="North Korean missile type (the kb's short id, e.g. nodong)")
    count: int = Field(ge=1, le=MAX_THREATS)
    target: str = Field(description="name of a defended asset in `assets`")
    launch_time_s: float = Field(default=0.0, ge=0, le=MAX_RAID_S)
    launch_interval_s: float = Field(default=0.0, ge=0, le=MAX_RAID_S)
    launch_area: str | None = Field(
        default=None, description="kb launch area (schema 2): the missiles fly from there"
    )
    id: str | None = Field(
        default=None,
        min_length=1,
        description="the group's name: labels its missiles and keys their random numbers "
        "(default: type and target, then launch area, made unique)",
    )
    trajectory: (
        Literal["minimum-energy", "lofted", "depressed", "quasi-ballistic", "glide"] | None
    ) = Field(
        default=None,
        description="the shape of the flight (schema 2; default: the kb's for the missile "
        "type, minimum-energy where the kb gives none); quasi-ballistic and glide need the "
        "kb's profile of the type",
    )
    angle_offset_deg: float | None = Field(
        default=None,
        ge=-45.0,
        le=45.0,
        description="lofted (> 0) or depressed (< 0) shots: burnout flight-path angle above "
        "the minimum-energy angle, deg (default: the kb's for the shape)",
    )


class DecoyGroup(Strict):
    """Decoys: objects the defence may mistake for warheads, aimed at one asset."""

    count: int = Field(ge=1, le=MAX_THREATS)
    target: str
    launch_time_s: float = Field(default=0.0, ge=0, le=MAX_RAID_S)
    launch_interval_s: float = Field(default=0.0, ge=0, le=MAX_RAID_S)
    launch_area: str | None = None
    flies_as: str = Field(
        default="nodong", description="missile type whose path the decoys follow (schema 2)"
    )
    light: bool = Field(
        default=True,
        description="light decoys (balloons, chaff) slow and burn up in re-entry, so the "
        "terminal tier never sees them; false for heavy re-entry decoys",
    )
    id: str | None = Field(
        default=None,
        min_length=1,
        description="the group's name: labels its decoys and keys their random numbers "
        "(default: 'decoy' and target, then launch area, made unique)",
    )


class Threat(Strict):
    missiles: list[MissileGroup] = Field(min_length=1)
    decoys: list[DecoyGroup] = Field(default_factory=list)
    failures: bool = Field(
        default=True,
        description="missiles fail in launch or flight at the knowledge base's rates "
        "(drawn per trial); false: every missile works",
    )


class Asset(Strict):
    """A place the alliance defends, the PAC-3 fire units sent to it, its priority."""

    name: str = Field(min_length=1)
    description: str = ""
    priority: int = Field(default=1, ge=1, le=100)
    pac3_fire_units: int = Field(default=0, ge=0, le=MAX_SHOOTERS)
    pac3_from: list[str] = Field(
        default_factory=list,
        description="sites or unit names to take its fire units from (default: any)",
    )
    thaad_batteries: int = Field(default=0, ge=0, le=MAX_SHOOTERS)
    thaad_from: list[str] = Field(
        default_factory=list,
        description="sites or unit names of THAAD batteries to take (default: any); a "
        "battery engages from its own site, at the threats aimed at this asset",
    )
    place: str | None = Field(default=None, description="kb place it stands for (schema 2)")
    situation: str | None = Field(
        default=None,
        description="the legal situation an attack on it creates (default: from its place)",
    )
    lat: float | None = Field(default=None, ge=-90, le=90)
    lon: float | None = Field(default=None, ge=-180, le=180)


class ExtraShip(Strict):
    """A BMD ship the knowledge base does not list on the date (a policy lever)."""

    name: str = Field(min_length=1)
    interceptor: str
    magazine: int = Field(ge=0, le=MAX_MAGAZINE)
    navy: Literal["JMSDF", "USN"] = "JMSDF"


class FireControl(Strict):
    """Fire control of a kind of shooter (default: the knowledge base's nominal values)."""

    channels: int | None = Field(
        default=None,
        ge=0,
        le=MAX_CHANNELS,
        description="engagements one shooter can have in progress at once (0: no limit)",
    )
    launch_interval_s: float | None = Field(
        default=None, ge=0, le=600, description="least time between two launches, s"
    )


class Ships(Strict):
    """Which BMD-capable Aegis ships take part (default: every one the kb lists)."""

    select: Literal["all"] | list[str] = "all"
    exclude: list[str] = Field(default_factory=list)
    usn: int | None = Field(default=None, ge=0, le=MAX_SHOOTERS)
    magazine: dict[str, Annotated[int, Field(ge=0, le=MAX_MAGAZINE)]] = Field(default_factory=dict)
    extra: list[ExtraShip] = Field(default_factory=list)
    stations: dict[str, str] = Field(
        default_factory=dict, description="ship name -> kb sea station (schema 2)"
    )
    default_station: str | None = None
    fire_control: FireControl = Field(default_factory=FireControl)


class Law(Strict):
    """How the law in force on the date limits the defence (see docs/law.md)."""

    override: bool = Field(
        default=False,
        description="let Japanese units engage even where the law in force does not permit "
        "it (a what-if, flagged in the report)",
    )


class Sharing(Strict):
    """Allied sensor data cueing Japan's defences: by partner, in force or not.

    Left out, a partner's data are used exactly where an information-sharing
    arrangement is in force on the date; true or false overrides that (flagged).
    """

    us: bool | None = None
    rok: bool | None = None
    australia: bool | None = None


class Impacts(Strict):
    """Where leakers land near people (schema 2): a city's population is counted as living
    near an impact (not as casualties) when a leaker lands within ``radius_km`` of it."""

    radius_km: float = Field(default=10.0, ge=0, le=500)
    min_city_population: int = Field(default=50_000, ge=0, le=50_000_000)


class Casualties(Strict):
    """An expected-casualty estimate (opt-in): per leaker, lethal area x unsheltered share x
    the population density near its impact point (the people of the cities within
    ``impacts.radius_km`` spread evenly over that disc). Needs a geographic raid."""

    model: Literal["lethal_area"] = Field(
        description="lethal_area: the only model; the kb's lethal area and unsheltered share"
    )
    warhead: Literal["conventional", "nuclear"] = Field(
        default="conventional",
        description="every leaker's warhead: conventional (unitary high explosive) or "
        "nuclear (the kb's 1 kt lethal area scaled by yield_kt^(2/3))",
    )
    yield_kt: float | None = Field(
        default=None, gt=0, le=1000, description="nuclear only: each warhead's yield, kt"
    )
    lethal_area_km2: float | None = Field(
        default=None, gt=0, le=1000, description="overrides the kb's lethal area (flagged)"
    )
    unsheltered_share: float | None = Field(
        default=None, gt=0, le=1, description="overrides the kb's unsheltered share (flagged)"
    )


class Pac3(Strict):
    interceptor: Literal["pac3", "pac3-mse"] | None = None
    magazine: int | None = Field(default=None, ge=0, le=MAX_MAGAZINE)
    fire_control: FireControl = Field(default_factory=FireControl)


class Posture(Strict):
    ships: Ships = Field(default_factory=Ships)
    pac3: Pac3 = Field(default_factory=Pac3)
    sharing: Sharing = Field(default_factory=Sharing)
    magazines: Literal["sampled", "nominal"] = Field(
        default="sampled",
        description="magazines the knowledge base gives as ranges: drawn per trial "
        "(sampled) or fixed at the nominal value; a magazine the scenario sets is fixed",
    )


class TierDoctrine(Strict):
    salvo: int = Field(default=2, ge=1, le=8)
    mode: Literal["salvo", "shoot-look-shoot"] = "salvo"
    max_engagements: int = Field(default=2, ge=1, le=6)


class Doctrine(Strict):
    upper: TierDoctrine = Field(
        default_factory=lambda: TierDoctrine(salvo=2, mode="shoot-look-shoot")
    )
    lower: TierDoctrine = Field(default_factory=lambda: TierDoctrine(salvo=2, mode="salvo"))
    partial_salvos: bool = False
    asset_priorities: bool = False


class Window(Strict):
    window_open_s: float = Field(default=0.0, ge=0, le=MAX_WINDOW_S)
    window_close_s: float = Field(ge=0, le=MAX_WINDOW_S)
    engage_time_s: float = Field(gt=0, le=MAX_WINDOW_S)


class WindowOverride(Strict):
    """Change the engagement window of some shooter × threat pairs."""

    shooter: str = Field(description="shooter name, or '*' for every shooter")
    target: str | None = None
    missile: str | None = None
    feasible: bool = True
    window_open_s: float | None = Field(default=None, ge=0, le=MAX_WINDOW_S)
    window_close_s: float | None = Field(default=None, ge=0, le=MAX_WINDOW_S)
    engage_time_s: float | None = Field(default=None, gt=0, le=MAX_WINDOW_S)


DEFAULT_WINDOWS = {tier: Window(**timing._asdict()) for tier, timing in TIER_TIMING.items()}
WINDOW_REASONING = TIMING_REASONING


class Feasibility(Strict):
    upper: Window = Field(default_factory=lambda: DEFAULT_WINDOWS["upper"])
    lower: Window = Field(default_factory=lambda: DEFAULT_WINDOWS["lower"])
    overrides: list[WindowOverride] = Field(default_factory=list)


class Readiness(Strict):
    """How many of the scenario's BMD ships are on station when the raid comes.

    Left out, every ship the scenario lists is on station. With a warning, each ship is
    on station in a trial with the knowledge base's share for that warning on the date
    (``ship_readiness`` records), drawn per trial.
    """

    warning: Literal["strategic", "surprise"] = Field(
        description="strategic: days of warning, most ships sail to their stations; "
        "surprise: only the ships already on patrol are there"
    )


class MissileDefenseScenario(ScenarioBase):
    """A ballistic-missile raid against the alliance's layered missile defence."""

    kind: Literal["missile_defense"]
    threat: Threat
    assets: list[Asset] = Field(min_length=1)
    posture: Posture = Field(default_factory=Posture)
    doctrine: Doctrine = Field(default_factory=Doctrine)
    feasibility: Feasibility = Field(default_factory=Feasibility)
    uncertain: dict[str, DistSpec] = Field(default_factory=dict)
    impacts: Impacts = Field(default_factory=Impacts)
    casualties: Casualties | None = None
    law: Law = Field(default_factory=Law)
    readiness: Readiness | None = None

    def geographic(self) -> bool:
        """Whether the scenario places its raid on the map (launch areas given)."""
        return any(g.launch_area for g in self.threat.missiles)


# --- resolution ----------------------------------------------------------------------


@dataclass
class _Shooter:
    name: str
    tier: int
    interceptor: str
    magazine: int
    asset: int | None = None  # lower tier: the asset it defends
    nation: str = "japan"  # whose law governs its use: "japan" or "us"
    channels: int = 0  # engagements in progress at once (0: no limit)
    launch_interval_s: float = 0.0
    rounds: kb.Range | None = None  # the kb's range of its magazine (None: set by the scenario)
    magazine_dist: Dist | None = None  # drawn per trial (None: fixed)
    platform: str | None = None  # its fire_control record (None: its tier's default)
    site_xy: tuple[float, float] | None = None  # where it fires from, if not a ship or its asset


def _nominal_int(r: kb.Range) -> int:
    return math.floor(r.nominal + 0.5)


def resolve(sc: MissileDefenseScenario, day: dt.date) -> Resolution:
    """Resolve a scenario on ``day`` through the knowledge base.

    Returns the model inputs, the assumption ledger, the problems found (the
    inputs are meaningless when there are problems) and None (the map is drawn
    apart, by :func:`presentation`, when something shows it).
    """
    base = kb.load()
    b = LedgerBuilder()
    b.assume("date", str(day), "date", "the date whose forces and law the scenario uses")
    _schema_problems(sc, b)

    # Assets
    asset_index: dict[str, int] = {}
    for i, asset in enumerate(sc.assets):
        if asset.name in asset_index:
            b.problem(f"assets[{i}].name", asset.name, "asset names must be unique")
        asset_index[asset.name] = i
        b.assume(
            f"asset.{asset.name}",
            f"priority {asset.priority}",
            "",
            asset.description or "defended asset named by the scenario",
        )

    # Threats
    missiles = {r.data["id_short"]: r for r in base.at(day, "dprk_missile")}
    t_asset: list[int] = []
    t_decoy: list[bool] = []
    t_time: list[float] = []
    t_label: list[str] = []
    t_type: list[str] = []
    t_launch: list[str | None] = []
    t_path_type: list[str] = []  # the missile type whose flight path the threat follows
    t_shape: list[tuple[str | None, float | None]] = []  # trajectory asked for (None: kb's)
    t_k: list[int] = []  # index of the object within its group
    t_stripped: list[bool] = []  # a light decoy that re-entry strips
    used_by_type: dict[str, int] = {}
    missile_names, decoy_names = _group_names(sc.threat, b)
    for g, grp in enumerate(sc.threat.missiles):
        path = f"threat.missiles[{g}]"
        record = missiles.get(grp.type)
        if record is None:
            b.problem(
                f"{path}.type",
                grp.type,
                f"not a North Korean missile in service on {day}; "
                + suggest(grp.type, sorted(missiles))
                + "known then: "
                + ", ".join(sorted(missiles)),
            )
        if grp.target not in asset_index:
            b.problem(
                f"{path}.target",
                grp.target,
                "not a defended asset; assets: " + ", ".join(asset_index),
            )
        if record is None or grp.target not in asset_index:
            continue
        used_by_type[grp.type] = used_by_type.get(grp.type, 0) + grp.count
        for k in range(grp.count):
            t_asset.append(asset_index[grp.target])
            t_decoy.append(False)
            t_time.append(grp.launch_time_s + k * grp.launch_interval_s)
            t_label.append(missile_names[g].label(k + 1))
            t_type.append(grp.type)
            t_launch.append(grp.launch_area)
            t_path_type.append(grp.type)
            t_shape.append((grp.trajectory, grp.angle_offset_deg))
            t_k.append(k)
            t_stripped.append(False)
        b.assume(
            path,
            f"{grp.count} x {record.data['name']} at {grp.target}",
            "missiles",
            f"launched from t = {grp.launch_time_s:g} s, one every {grp.launch_interval_s:g} s",
        )
    for type_, count in used_by_type.items():
        record = missiles[type_]
        inventory = record.range("inventory")
        if count > inventory.high:
            b.problem(
                "threat.missiles",
                count,
                f"the raid uses {count} {type_} missiles, more than the high estimate "
                f"of North Korea's inventory on {day} ({inventory.high:g})",
            )
        b.fact(f"missile.{type_}.inventory", str(inventory), "missiles", record, base)
        b.fact(f"missile.{type_}.range_km", str(record.range("range_km")), "km", record, base)
    for g, dgrp in enumerate(sc.threat.decoys):
        if dgrp.target not in asset_index:
            b.problem(
                f"threat.decoys[{g}].target",
                dgrp.target,
                "not a defended asset; assets: " + ", ".join(asset_index),
            )
            continue
        for k in range(dgrp.count):
            t_asset.append(asset_index[dgrp.target])
            t_decoy.append(True)
            t_time.append(dgrp.launch_time_s + k * dgrp.launch_interval_s)
            t_label.append(decoy_names[g].label(k + 1))
            t_type.append("decoy")
            t_launch.append(dgrp.launch_area)
            t_path_type.append(dgrp.flies_as)
            t_shape.append((None, None))
            t_k.append(k)
            t_stripped.append(dgrp.light)
        b.assume(
            f"threat.decoys[{g}]",
            f"{dgrp.count} {'light' if dgrp.light else 'heavy'} decoys at {dgrp.target}",
            "decoys",
            "objects the defence may mistake for warheads; light ones (balloons, chaff) "
            "are slowed and burnt up by the atmosphere in re-entry, so only the upper tier "
            "can be drawn to them (atmospheric filtering, as in A. M. Sessler et al., "
            "Countermeasures, Union of Concerned Scientists and MIT Security Studies "
            "Program, April 2000)"
            if dgrp.light
            else "objects the defence may mistake for warheads; heavy re-entry decoys "
            "reach the terminal tier too",
        )
    # List the raid in launch order, objects launched together taken one from each group
    # in turn: the model breaks ties in arrival time by listing order, and a defence
    # cannot see a group's warheads before the decoys that arrive with them.
    listing = sorted(range(len(t_label)), key=lambda i: (t_time[i], t_k[i], i))
    t_asset = [t_asset[i] for i in listing]
    t_decoy = [t_decoy[i] for i in listing]
    t_time = [t_time[i] for i in listing]
    t_label = [t_label[i] for i in listing]
    t_type = [t_type[i] for i in listing]
    t_launch = [t_launch[i] for i in listing]
    t_path_type = [t_path_type[i] for i in listing]
    t_shape = [t_shape[i] for i in listing]
    t_stripped = [t_stripped[i] for i in listing]
    if len(t_label) > MAX_THREATS:
        b.problem("threat", len(t_label), f"a raid may hold at most {MAX_THREATS} objects")
    repeated = sorted(x for x, c in Counter(t_label).items() if c > 1)
    if repeated:
        b.problem(
            "threat",
            repeated[0],
            "two objects of the raid would share this label; give the groups distinct ids",
        )

    shooters = _ships(sc, day, base, b) + _pac3(sc, day, base, b) + _thaad(sc, day, base, b)
    _fire_control(sc, day, base, b, shooters)
    _magazines(sc, b, shooters)
    if len(shooters) > MAX_SHOOTERS:
        b.problem("posture", len(shooters), f"at most {MAX_SHOOTERS} shooters are supported")

    interceptors = sorted({s.interceptor for s in shooters})
    known_interceptors = {r.id: r for r in base.at(day, "interceptor")}
    for name in interceptors:
        if name not in known_interceptors:
            b.problem(
                "posture",
                name,
                f"interceptor not in service on {day}; known then: "
                + ", ".join(sorted(known_interceptors)),
            )
    b.check()

    sspk, reliability, delays, discrimination = _uncertain(
        sc, day, base, b, interceptors, known_interceptors
    )
    d = sc.doctrine
    for tier_name, tier in (("upper", d.upper), ("lower", d.lower)):
        engagements = tier.max_engagements if tier.mode == "shoot-look-shoot" else 1
        b.assume(
            f"doctrine.{tier_name}",
            f"{tier.mode}, {tier.salvo} per salvo, up to {engagements} engagement(s)",
            "",
            "firing doctrine of the scenario",
        )
    b.assume("doctrine.partial_salvos", str(d.partial_salvos).lower(), "", "")
    b.assume("doctrine.asset_priorities", str(d.asset_priorities).lower(), "", "")

    s_count, t_count = len(shooters), len(t_label)
    open_s = np.full((s_count, t_count), np.nan)
    close_s = np.full((s_count, t_count), np.nan)
    engage_s = np.ones((s_count, t_count))
    t_asset_arr = np.array(t_asset, dtype=np.int64)
    for s, shooter in enumerate(shooters):
        win = sc.feasibility.upper if shooter.tier == UPPER else sc.feasibility.lower
        cols = (
            np.ones(t_count, dtype=bool)
            if shooter.asset is None
            else (t_asset_arr == shooter.asset)
        )
        open_s[s, cols] = win.window_open_s
        close_s[s, cols] = win.window_close_s
        engage_s[s, cols] = win.engage_time_s
    geo: Geography | None = None
    if sc.geographic():
        geo = _geography(
            sc, day, base, b, shooters, t_asset, t_path_type, t_launch, t_time, delays, t_shape
        )
        if geo is None:  # _geography names what it could not place
            b.check()
            raise AssertionError("the raid's geography failed without naming a problem")
        open_s, close_s, engage_s = geo.window_open_s, geo.window_close_s, geo.engage_time_s
        t_time = geo.arrival_s.tolist()
    else:
        for tier_name in ("upper", "lower"):
            win = getattr(sc.feasibility, tier_name)
            b.assume(
                f"feasibility.{tier_name}",
                f"open {win.window_open_s:g} s, close {win.window_close_s:g} s, "
                f"engagement {win.engage_time_s:g} s",
                "s",
                WINDOW_REASONING,
                override=win != DEFAULT_WINDOWS[tier_name],
            )
    asset_situations = legal.situations(sc.assets, day, b)
    allowed = legal.japanese_may_engage(
        day, [a.name for a in sc.assets], asset_situations, sc.law.override, b
    )
    legal.basing(day, b)
    for s_idx, shooter in enumerate(shooters):
        if shooter.nation == "japan":
            for t_idx, a_idx in enumerate(t_asset):
                if not allowed[a_idx]:
                    close_s[s_idx, t_idx] = np.nan
    # A salvo's rounds leave one launch interval apart, and the kill assessment waits
    # for the last of them: each engagement takes (salvo - 1) intervals longer.
    for s_idx, shooter in enumerate(shooters):
        salvo = d.upper.salvo if shooter.tier == UPPER else d.lower.salvo
        engage_s[s_idx] = engage_s[s_idx] + (salvo - 1) * shooter.launch_interval_s
    _window_overrides(
        sc, shooters, t_label, t_type, t_asset, asset_index, open_s, close_s, engage_s, b
    )
    b.check()

    attackers = sorted(set(t_path_type)) if sc.threat.failures else []
    attacker_reliability = _attacker_reliability(sc, day, base, b, attackers)
    b.check()
    inter_index = {name: i for i, name in enumerate(interceptors)}
    inputs = Inputs(
        threat_asset=t_asset_arr,
        threat_is_decoy=np.array(t_decoy, dtype=bool),
        threat_stripped=np.array(t_stripped, dtype=bool),
        threat_class=np.array(
            [attackers.index(x) for x in t_path_type] if attackers else [], dtype=np.int64
        ),
        class_reliability=attacker_reliability,
        threat_time_s=np.array(t_time, dtype=np.float64),
        asset_priority=np.array([a.priority for a in sc.assets], dtype=np.int64),
        shooter_tier=np.array([s.tier for s in shooters], dtype=np.int64),
        shooter_interceptor=np.array(
            [inter_index[s.interceptor] for s in shooters], dtype=np.int64
        ),
        shooter_magazine=np.array([s.magazine for s in shooters], dtype=np.int64),
        shooter_channels=np.array([s.channels for s in shooters], dtype=np.int64),
        shooter_magazine_dist=(
            tuple(s.magazine_dist or Dist.fixed(s.magazine) for s in shooters)
            if any(s.magazine_dist for s in shooters)
            else ()
        ),
        window_open_s=open_s,
        window_close_s=close_s,
        engage_time_s=engage_s,
        salvo_size=np.array([d.upper.salvo, d.lower.salvo], dtype=np.int64),
        max_engagements=np.array(
            [t.max_engagements if t.mode == "shoot-look-shoot" else 1 for t in (d.upper, d.lower)],
            dtype=np.int64,
        ),
        partial_salvos=d.partial_salvos,
        use_priorities=d.asset_priorities,
        sspk=tuple(sspk[name] for name in interceptors),
        reliability=tuple(reliability[name] for name in interceptors),
        sensor_delay_s=(delays["upper"], delays["lower"]),
        discrimination=discrimination,
        labels={
            "threat": tuple(t_label),
            "asset": tuple(a.name for a in sc.assets),
            "shooter": tuple(s.name for s in shooters),
            "tier": ("upper", "lower"),
            "interceptor": tuple(interceptors),
            "reason": REASONS,
            "missile": geo.missile_types if geo else (),
            "attacker": tuple(attackers),
        },
    )
    if geo is not None:
        inputs = dataclasses.replace(
            inputs,
            threat_aim_lat_deg=geo.aim_lat_deg,
            threat_aim_lon_deg=geo.aim_lon_deg,
            threat_type=geo.threat_type,
            cep_km=geo.cep_km,
            city_lat_deg=geo.city_lat_deg,
            city_lon_deg=geo.city_lon_deg,
            city_population=geo.city_population,
            impact_radius_km=sc.impacts.radius_km,
            window_earliest_s=geo.window_earliest_s,
        )
    if sc.readiness is not None:
        inputs = _readiness(sc.readiness, day, base, b, shooters, inputs)
    if sc.casualties is not None:
        inputs = _casualties(sc, day, base, b, inputs)
    return b.resolution(inputs)


def _casualties(
    sc: MissileDefenseScenario,
    day: dt.date,
    base: kb.KnowledgeBase,
    b: LedgerBuilder,
    inputs: Inputs,
) -> Inputs:
    """The expected-casualty estimate's inputs: lethal area A (the kb's for the warhead,
    nuclear ones A(1 kt) · Y^(2/3)) times the unsheltered share s, both nominal."""
    spec = sc.casualties
    assert spec is not None
    problems = [
        ("casualties", "needs a geographic raid: give the missile groups a launch_area")
        if not inputs.has_geography
        else None,
        ("impacts.radius_km", "casualties need a radius > 0 (the density's disc)")
        if sc.impacts.radius_km <= 0
        else None,
        ("casualties.yield_kt", "give yield_kt for a nuclear warhead, and only for one")
        if (spec.warhead == "nuclear") != (spec.yield_kt is not None)
        else None,
    ]
    for found in problems:
        if found is not None:
            b.problem(found[0], spec.model_dump(exclude_none=True), found[1])
    if b.problems:
        return inputs
    area_rec = base.one(day, "lethal_area", warhead_kind=spec.warhead)
    share_rec = base.one(day, "unsheltered_share", warning="public")
    area_1 = area_rec.range("area_km2")
    share = share_rec.range("share")
    label = "lethal area of a warhead at 1 kt" if spec.warhead == "nuclear" else "lethal area"
    b.fact(f"casualties.{spec.warhead}.area_km2", str(area_1), "km2", area_rec, base, label)
    b.fact("casualties.unsheltered_share", str(share), "share", share_rec, base)
    area = area_1.nominal
    if spec.yield_kt is not None:
        area = area_1.nominal * spec.yield_kt ** (2.0 / 3.0)
        b.assume(
            "casualties.yield_kt",
            f"{spec.yield_kt:g}",
            "kt",
            f"lethal area A(1 kt) x Y^(2/3) = {area:.3g} km2 (blast distances scale with "
            "the cube root of the yield: Glasstone and Dolan 1977, ch. III)",
        )
    if spec.lethal_area_km2 is not None:
        area = spec.lethal_area_km2
        b.assume("casualties.lethal_area_km2", f"{area:g}", "km2", "", override=True)
    unsheltered = share.nominal if spec.unsheltered_share is None else spec.unsheltered_share
    if spec.unsheltered_share is not None:
        b.assume("casualties.unsheltered_share", f"{unsheltered:g}", "", "", override=True)
    b.assume(
        "casualties.model",
        "lethal_area",
        "",
        f"expected casualties (lethal-area estimate, if these assumptions hold): per leaker, "
        f"lethal area {area:.3g} km2 x unsheltered share {unsheltered:g} x the people of the "
        f"cities within impacts.radius_km ({sc.impacts.radius_km:g} km) of its impact point "
        "spread evenly over that disc (the city table gives populations, not areas); every "
        "leaker carries the same warhead; nominal values, overlapping lethal areas not netted",
    )
    return dataclasses.replace(inputs, casualty_area_km2=area * unsheltered)


def _readiness(
    spec: Readiness,
    day: dt.date,
    base: kb.KnowledgeBase,
    b: LedgerBuilder,
    shooters: list[_Shooter],
    inputs: Inputs,
) -> Inputs:
    """Ships on station by the warning: the kb's share for it on the date, drawn per trial,
    and each ship (the shooters aboard it together: its SM-3 and its SM-6) on station when
    its own uniform, keyed by the ship's name, falls below that share."""
    records = [r for r in base.at(day, "ship_readiness") if r.data["readiness"] == spec.warning]
    if not records:
        raise KnowledgeBaseError(f"no ship_readiness record for {spec.warning} on {day}")
    share = records[0].range("on_station")
    b.assume(
        "readiness.warning",
        spec.warning,
        "",
        "the warning the defence had: each BMD ship is on station in a trial with the "
        "knowledge base's share for it, drawn once per trial; a ship off station fires "
        "nothing (a threat only it could engage leaks with its magazine counted empty)",
    )
    b.fact(f"readiness.{spec.warning}.on_station", str(share), "share of ships", records[0], base)
    ships: list[str] = []
    shooter_ship: list[int] = []
    for sh in shooters:
        if sh.platform != "aegis-bmd-ship":
            shooter_ship.append(-1)
            continue
        ship = sh.name.split(" [")[0]
        if ship not in ships:
            ships.append(ship)
        shooter_ship.append(ships.index(ship))
    labels = {**inputs.labels, "ship": tuple(ships)}
    return dataclasses.replace(
        inputs,
        shooter_ship=np.array(shooter_ship if ships else [], dtype=np.int64),
        on_station=range_dist(share),
        labels=labels,
    )


@dataclass(frozen=True)
class _GroupName:
    """How one group labels its objects: ``f"{head} {k}{tail}"`` for the k-th, from 1."""

    head: str
    tail: str = ""

    def label(self, k: int) -> str:
        return f"{self.head} {k}{self.tail}"


def _group_names(threat: Threat, b: LedgerBuilder) -> tuple[list[_GroupName], list[_GroupName]]:
    """Names that identify each object of the raid by its group and its index in it.

    A group is named by its ``id`` if it has one (``"{id} 3"``), else by what it is:
    ``"nodong 3 -> Tokyo"``, ``"decoy 2 -> Tokyo"``. A later group that would repeat
    an earlier group's name adds its launch area, then a count (``"(group 2)"``). The
    labels are also the keys of each object's random streams, so changing one group's
    count, or adding a group after it, leaves every other object's label and draws as
    they were (a group given an ``id`` keeps them wherever it is listed).
    """
    taken: set[_GroupName] = set()

    def name(what: str, target: str, area: str | None, given: str | None, path: str) -> _GroupName:
        if given is not None:
            out = _GroupName(given)
            if out in taken:
                b.problem(f"{path}.id", given, "group ids must be unique")
        else:
            out = _GroupName(what, f" -> {target}")
            if out in taken and area:
                out = _GroupName(what, f" -> {target} from {area}")
            j = 2
            while out in taken:
                out = _GroupName(what, f" -> {target} (group {j})")
                j += 1
        taken.add(out)
        return out

    missiles = [
        name(g.type, g.target, g.launch_area, g.id, f"threat.missiles[{i}]")
        for i, g in enumerate(threat.missiles)
    ]
    decoys = [
        name("decoy", g.target, g.launch_area, g.id, f"threat.decoys[{i}]")
        for i, g in enumerate(threat.decoys)
    ]
    return missiles, decoys


def _ships(
    sc: MissileDefenseScenario, day: dt.date, base: kb.KnowledgeBase, b: LedgerBuilder
) -> list[_Shooter]:
    spec = sc.posture.ships
    ships = base.at(day, "aegis_bmd_ship")
    names = [r.entity for r in ships]
    out: list[_Shooter] = []
    used_names: set[str] = set()
    for record in ships:
        name = record.entity
        if not _chosen(spec, name):
            continue
        b.fact(
            f"ship.{name}",
            f"{record.data['ship_class']} class, {record.data['navy']}, "
            f"home port {record.data['homeport']}",
            "",
            record,
            base,
        )
        loads = magazine_loads(base, day, record.data["ship_class"])
        if not loads:
            raise KnowledgeBaseError(
                f"no magazine_load for class {record.data['ship_class']} on {day}"
            )
        for load in loads:
            interceptor = load.data["interceptor"]
            label = name if len(loads) == 1 else f"{name} [{interceptor}]"
            shooter = _ship(label, interceptor, load, spec.magazine.get(label), base, b)
            shooter.tier = _tier_of(base, day, interceptor)
            shooter.nation = "us" if record.data["navy"] == "USN" else "japan"
            out.append(shooter)
            used_names.add(label)

    candidates = list(names)
    counts = base.at(day, "aegis_bmd_ship_count")
    for record in counts:
        ships_range = record.range("ships")
        n = spec.usn if spec.usn is not None else _nominal_int(ships_range)
        if spec.usn is not None and spec.usn > ships_range.high:
            b.problem(
                "posture.ships.usn",
                spec.usn,
                f"more than the knowledge base's high estimate ({ships_range.high:g}) of "
                f"{record.entity} on {day}; add ships under posture.ships.extra instead",
            )
        b.fact(
            f"ships.{record.data['navy']}.{record.data['homeport']}.count",
            str(ships_range),
            "ships",
            record,
            base,
        )
        if spec.usn is not None:
            b.assume(
                "posture.ships.usn",
                str(n),
                "ships",
                "ships taking part, set by the scenario",
                override=True,
            )
        loads = [
            r
            for r in magazine_loads(base, day, "USN-DDG")
            if r.data["interceptor"] == record.data["interceptor"]
        ]
        if not loads:
            raise KnowledgeBaseError(f"no USN-DDG magazine_load on {day}")
        # sea-based terminal rounds (SM-6) the class carries besides its SM-3
        terminal = [
            r
            for r in magazine_loads(base, day, "USN-DDG")
            if _tier_of(base, day, r.data["interceptor"]) == LOWER
        ]
        for k in range(n):
            label = f"USN BMD ship {k + 1} ({record.data['homeport']})"
            candidates.append(label)
            if not _chosen(spec, label):
                continue
            shooter = _ship(
                label, record.data["interceptor"], loads[0], spec.magazine.get(label), base, b
            )
            shooter.nation = "us" if record.data["navy"] == "USN" else "japan"
            out.append(shooter)
            used_names.add(label)
            for load in terminal:
                extra_label = f"{label} [{load.data['interceptor']}]"
                shooter = _ship(
                    extra_label,
                    load.data["interceptor"],
                    load,
                    spec.magazine.get(extra_label),
                    base,
                    b,
                )
                shooter.tier = LOWER
                shooter.nation = "us" if record.data["navy"] == "USN" else "japan"
                out.append(shooter)
                used_names.add(extra_label)

    for where, chosen in (("select", spec.select), ("exclude", spec.exclude)):
        for i, name in enumerate([] if chosen == "all" else chosen):
            if name not in candidates:
                b.problem(
                    f"posture.ships.{where}[{i}]",
                    name,
                    f"not a BMD-capable ship on {day}; ships then: " + ", ".join(candidates),
                )
    for i, extra in enumerate(spec.extra):
        nation = "us" if extra.navy == "USN" else "japan"
        out.append(
            _Shooter(
                extra.name,
                _tier_of(base, day, extra.interceptor),
                extra.interceptor,
                extra.magazine,
                nation=nation,
                platform="aegis-bmd-ship",
            )
        )
        b.assume(
            f"ship.{extra.name}",
            f"{extra.interceptor}, {extra.magazine} rounds",
            "",
            "an extra ship added by the scenario",
            override=True,
        )
        used_names.add(extra.name)
        if extra.name in names:
            b.problem(
                f"posture.ships.extra[{i}].name",
                extra.name,
                "already a kb ship; extra ships need new names",
            )
    for name in spec.magazine:
        if name not in used_names:
            b.problem(
                f"posture.ships.magazine.{name}",
                name,
                "not a ship in this scenario; ships: " + ", ".join(sorted(used_names)),
            )
    return out


def _chosen(spec: Ships, name: str) -> bool:
    return (spec.select == "all" or name in spec.select) and name not in spec.exclude


def _ship(
    label: str,
    interceptor: str,
    load: kb.Record,
    override: int | None,
    base: kb.KnowledgeBase,
    b: LedgerBuilder,
) -> _Shooter:
    rounds = load.range("rounds")
    if override is None:
        b.fact(f"ship.{label}.magazine", str(rounds), "interceptors", load, base)
        magazine = _nominal_int(rounds)
    else:
        b.assume(
            f"ship.{label}.magazine",
            str(override),
            "interceptors",
            f"set by the scenario (knowledge base: {rounds})",
            override=True,
        )
        magazine = override
    kb_rounds = rounds if override is None else None
    return _Shooter(
        label, UPPER, interceptor, magazine, rounds=kb_rounds, platform="aegis-bmd-ship"
    )


def _tier_of(base: kb.KnowledgeBase, day: dt.date, interceptor: str) -> int:
    """The tier an interceptor fights in (its record's ``tier``; upper if unknown)."""
    for r in base.at(day, "interceptor"):
        if r.id == interceptor:
            return LOWER if r.data["tier"] == "lower" else UPPER
    return UPPER


def _thaad(
    sc: MissileDefenseScenario, day: dt.date, base: kb.KnowledgeBase, b: LedgerBuilder
) -> list[_Shooter]:
    """THAAD batteries sent to the assets that ask for them (``thaad_batteries``), in
    priority order, from the batteries the knowledge base lists on the date (from the
    sites an asset names, if any). A battery fires from its own site at the threats
    aimed at its asset, in the lower (terminal) tier, under U.S. authority."""
    asked = sum(a.thaad_batteries for a in sc.assets)
    if not asked:
        return []
    pool: list[kb.Record] = []
    for record in base.at(day, "thaad_battery"):
        pool.extend(record for _ in range(_nominal_int(record.range("batteries"))))
        b.fact(
            f"thaad.{record.id}",
            f"{record.data['unit']} at {record.data['site']}, {record.data['operator']}",
            "batteries",
            record,
            base,
        )
    loads = magazine_loads(base, day, "thaad-battery")
    if not loads:
        b.problem("assets", asked, f"no THAAD rounds are recorded for batteries on {day}")
        return []
    rounds = loads[0].range("rounds")
    out: list[_Shooter] = []
    free = list(range(len(pool)))
    for i in sorted(range(len(sc.assets)), key=lambda i: (sc.assets[i].priority, i)):
        asset = sc.assets[i]
        if not asset.thaad_batteries:
            continue
        wanted = asset.thaad_from
        for w, name in enumerate(wanted):
            if not any(name in (r.data["site"], r.data["unit"]) for r in pool):
                b.problem(
                    f"assets[{i}].thaad_from[{w}]",
                    name,
                    f"no THAAD battery or site of that name on {day}; sites: "
                    + (", ".join(sorted({r.data["site"] for r in pool})) or "none"),
                )
        matching = [
            p
            for p in free
            if not wanted or pool[p].data["site"] in wanted or pool[p].data["unit"] in wanted
        ]
        if len(matching) < asset.thaad_batteries:
            b.problem(
                f"assets[{i}].thaad_batteries",
                asset.thaad_batteries,
                f"only {len(matching)} matching THAAD batteries are left on {day}",
            )
            return []
        for j, p in enumerate(matching[: asset.thaad_batteries]):
            free.remove(p)
            record = pool[p]
            label = f"THAAD {j + 1} ({record.data['unit']}) -> {asset.name}"
            b.fact(f"thaad.{label}.magazine", str(rounds), "interceptors", loads[0], base)
            out.append(
                _Shooter(
                    label,
                    LOWER,
                    str(record.data["interceptor"]),
                    _nominal_int(rounds),
                    asset=i,
                    nation="us",
                    rounds=rounds,
                    platform="thaad-battery",
                    site_xy=(
                        float(record.range("lat").nominal),
                        float(record.range("lon").nominal),
                    ),
                )
            )
    return out


def _pac3(
    sc: MissileDefenseScenario, day: dt.date, base: kb.KnowledgeBase, b: LedgerBuilder
) -> list[_Shooter]:
    pool: list[tuple[str, kb.Record]] = []
    for record in base.at(day, "pac3_fire_units"):
        n = _nominal_int(record.range("fire_units"))
        pool.extend((f"{record.data['unit']} ({record.data['site']})", record) for _ in range(n))
    mse_total = sum(
        _nominal_int(r.range("fire_units")) for r in base.at(day, "pac3_mse_fire_units")
    )
    asked = sum(a.pac3_fire_units for a in sc.assets)
    for record in (
        base.at(day, "pac3_fire_units") + base.at(day, "pac3_mse_fire_units") if asked else []
    ):
        b.fact(
            f"pac3.{record.id}",
            f"{record.range('fire_units')} fire units, {record.data['operator']}",
            "fire units",
            record,
            base,
        )
    if asked > len(pool):
        b.problem(
            "assets",
            asked,
            f"the assets ask for {asked} PAC-3 fire units; the knowledge "
            f"base lists {len(pool)} in Japan on {day}",
        )
        return []
    out: list[_Shooter] = []
    order = sorted(range(len(sc.assets)), key=lambda i: (sc.assets[i].priority, i))
    free = list(range(len(pool)))
    taken = 0
    for i in order:
        asset = sc.assets[i]
        wanted = asset.pac3_from
        for w, name in enumerate(wanted):
            if not any(name in (r.data["site"], r.data["unit"]) for _, r in pool):
                b.problem(
                    f"assets[{i}].pac3_from[{w}]",
                    name,
                    "no PAC-3 unit or site of that "
                    f"name on {day}; sites: "
                    + ", ".join(sorted({r.data["site"] for _, r in pool})),
                )
        matching = [
            p
            for p in free
            if not wanted or pool[p][1].data["site"] in wanted or pool[p][1].data["unit"] in wanted
        ]
        if len(matching) < asset.pac3_fire_units:
            b.problem(
                f"assets[{i}].pac3_fire_units",
                asset.pac3_fire_units,
                f"only {len(matching)} matching fire units are left on {day}",
            )
            return []
        for j, p in enumerate(matching[: asset.pac3_fire_units]):
            free.remove(p)
            unit, record = pool[p]
            interceptor = sc.posture.pac3.interceptor or (
                "pac3-mse" if taken < mse_total and record.data["operator"] == "JASDF" else "pac3"
            )
            taken += 1
            # numbered within the asset, so adding units elsewhere relabels none of these
            label = f"PAC-3 FU {j + 1} ({unit}) -> {asset.name}"
            loads = magazine_loads(base, day, "pac3-fire-unit", interceptor)
            if not loads:
                b.problem(
                    "posture.pac3.interceptor",
                    interceptor,
                    f"no {interceptor} rounds are recorded for fire units on {day}",
                )
                return []
            rounds = loads[0].range("rounds")
            magazine = sc.posture.pac3.magazine
            if magazine is None:
                magazine = _nominal_int(rounds)
                b.fact(f"pac3.{label}.magazine", str(rounds), "interceptors", loads[0], base)
            else:
                b.assume(
                    f"pac3.{label}.magazine",
                    str(magazine),
                    "interceptors",
                    f"set by the scenario (knowledge base: {rounds})",
                    override=True,
                )
            nation = "japan" if record.data["operator"] == "JASDF" else "us"
            out.append(
                _Shooter(
                    label,
                    LOWER,
                    interceptor,
                    magazine,
                    asset=i,
                    nation=nation,
                    rounds=rounds if sc.posture.pac3.magazine is None else None,
                    platform="pac3-fire-unit",
                )
            )
    if asked:
        b.assume(
            "pac3.assignment",
            f"{asked} fire units",
            "fire units",
            "fire units sent to the assets in priority order, taken from the units the "
            "knowledge base lists (from the sites an asset names, if any); JASDF units "
            "get PAC-3 MSE first, up to the number the knowledge base lists as modified",
        )
    return out


def _attacker_reliability(
    sc: MissileDefenseScenario,
    day: dt.date,
    base: kb.KnowledgeBase,
    b: LedgerBuilder,
    attackers: list[str],
) -> tuple[Dist, ...]:
    """The kb's launch-and-flight reliability of each attacker missile type in the raid."""
    if not sc.threat.failures:
        b.assume(
            "threat.failures",
            "false",
            "",
            "every attacker missile works (the knowledge base gives failure rates)",
            override=True,
        )
        return ()
    records = {r.data["id_short"]: r for r in base.at(day, "missile_reliability")}
    out = []
    for name in attackers:
        record = records.get(name)
        if record is None:
            b.problem(
                "threat.failures",
                name,
                f"no launch reliability for {name} on {day}; set threat.failures: false",
            )
            continue
        r = record.range("reliability")
        b.fact(f"missile.{name}.reliability", str(r), "probability", record, base)
        out.append(range_dist(r))
    return tuple(out)


def _magazines(sc: MissileDefenseScenario, b: LedgerBuilder, shooters: list[_Shooter]) -> None:
    """Magazines from the kb drawn per trial from their ranges (the default), capped at
    the high end; or fixed at the nominal value."""
    from_kb = [s for s in shooters if s.rounds is not None]
    if not from_kb:
        return
    sampled = sc.posture.magazines == "sampled"
    b.assume(
        "posture.magazines",
        sc.posture.magazines,
        "",
        "each magazine the knowledge base gives as a range is drawn once per trial, "
        "triangular(low, nominal, high) rounded to whole rounds"
        if sampled
        else "each magazine is the knowledge base's nominal value",
        override=not sampled,
    )
    if not sampled:
        return
    for s in from_kb:
        assert s.rounds is not None
        dist = range_dist(s.rounds)
        if dist.family != "fixed":
            s.magazine_dist = dist
            s.magazine = min(MAX_MAGAZINE, math.floor(s.rounds.high + 0.5))


FIRE_CONTROL = {UPPER: "aegis-bmd-ship", LOWER: "pac3-fire-unit"}


def _fire_control(
    sc: MissileDefenseScenario,
    day: dt.date,
    base: kb.KnowledgeBase,
    b: LedgerBuilder,
    shooters: list[_Shooter],
) -> None:
    """Fire-control channels and launch interval of every shooter: the kb's nominal
    values for its kind (Aegis ship or Patriot fire unit), or the scenario's. An
    engagement holds a channel until its kill assessment; the launch interval spaces
    the rounds of a salvo, so it lengthens each engagement by (salvo − 1) intervals."""
    records = {r.data["applies_to"]: r for r in base.at(day, "fire_control")}
    for platform, spec, where in (
        ("aegis-bmd-ship", sc.posture.ships.fire_control, "posture.ships.fire_control"),
        ("pac3-fire-unit", sc.posture.pac3.fire_control, "posture.pac3.fire_control"),
        ("thaad-battery", FireControl(), "thaad.fire_control"),
    ):
        mine = [s for s in shooters if (s.platform or FIRE_CONTROL[s.tier]) == platform]
        if not mine:
            continue
        record = records.get(platform)
        if record is None:
            raise KnowledgeBaseError(f"no fire_control record for {platform} on {day}")
        values: dict[str, float] = {}
        for key, unit, given in (
            ("channels", "engagements", spec.channels),
            ("launch_interval_s", "s", spec.launch_interval_s),
        ):
            kb_range = record.range(key)
            if given is None:
                values[key] = kb_range.nominal
                b.fact(f"{where}.{key}", str(kb_range), unit, record, base)
            else:
                values[key] = float(given)
                b.assume(
                    f"{where}.{key}",
                    f"{given:g}",
                    unit,
                    f"set by the scenario (knowledge base: {kb_range})",
                    override=True,
                )
        for s in mine:
            s.channels = math.floor(values["channels"] + 0.5)
            s.launch_interval_s = values["launch_interval_s"]


PROBABILITY_KEYS = ("sspk", "reliability", "discrimination")
DISCRIMINATION_DEFAULT = Dist("triangular", (0.2, 0.5, 0.8))


def _uncertain(
    sc: MissileDefenseScenario,
    day: dt.date,
    base: kb.KnowledgeBase,
    b: LedgerBuilder,
    interceptors: list[str],
    known: dict[str, kb.Record],
) -> tuple[dict[str, Dist], dict[str, Dist], dict[str, Dist], Dist]:
    allowed = (
        [f"sspk.{i}" for i in interceptors]
        + [f"reliability.{i}" for i in interceptors]
        + ["sensor_delay_s.upper", "sensor_delay_s.lower", "discrimination"]
    )
    params = UncertainParameters(
        sc.uncertain,
        allowed,
        b,
        base,
        probabilities=PROBABILITY_KEYS,
        nonnegative=("sensor_delay",),
    )
    pick = params.pick

    sspk: dict[str, Dist] = {}
    reliability: dict[str, Dist] = {}
    for name in interceptors:
        record = known[name]
        kill, works = kill_dists(record)
        sspk[name] = pick(f"sspk.{name}", kill, record)
        reliability[name] = pick(f"reliability.{name}", works, record)
    delays: dict[str, Dist] = {}
    for tier in ("upper", "lower"):
        if tier == "upper" and sc.geographic():
            # the radar geometry gives when a track exists (_timeline); the delay is the
            # decision that follows it
            record = base.one(day, "decision_delay", tier=tier)
            default = range_dist(record.range("delay_s"))
        else:
            record = base.one(day, "sensor_delay", tier=tier)
            default = range_dist(record.range("delay_s"))
            if tier == "upper" and f"sensor_delay_s.{tier}" not in params.given:
                default = legal.cued_delay(default, sc.posture.sharing, day, base, b)
        delays[tier] = pick(f"sensor_delay_s.{tier}", default, record)
    discrimination = pick(
        "discrimination",
        DISCRIMINATION_DEFAULT,
        None,
        "no public data give how often a defence tells North Korean decoys from warheads; "
        "a wide triangular range around even odds",
    )
    return sspk, reliability, delays, discrimination


def _window_overrides(
    sc: MissileDefenseScenario,
    shooters: list[_Shooter],
    t_label: list[str],
    t_type: list[str],
    t_asset: list[int],
    asset_index: dict[str, int],
    open_s: Any,
    close_s: Any,
    engage_s: Any,
    b: LedgerBuilder,
) -> None:
    names = [s.name for s in shooters]
    for i, ov in enumerate(sc.feasibility.overrides):
        path = f"feasibility.overrides[{i}]"
        if ov.shooter != "*" and ov.shooter not in names:
            b.problem(
                f"{path}.shooter",
                ov.shooter,
                "not a shooter in this scenario; shooters: " + ", ".join(names),
            )
            continue
        if ov.target is not None and ov.target not in asset_index:
            b.problem(f"{path}.target", ov.target, "not a defended asset")
            continue
        if ov.missile is not None and ov.missile not in t_type:
            b.problem(
                f"{path}.missile",
                ov.missile,
                "not a missile type of this raid; types: " + ", ".join(sorted(set(t_type))),
            )
            continue
        rows = [s for s, name in enumerate(names) if ov.shooter in ("*", name)]
        cols = [
            t
            for t in range(len(t_label))
            if (ov.target is None or t_asset[t] == asset_index[ov.target])
            and (ov.missile is None or t_type[t] == ov.missile)
        ]
        for s in rows:
            for t in cols:
                if not ov.feasible:
                    open_s[s, t] = close_s[s, t] = np.nan
                    continue
                if ov.window_open_s is not None:
                    open_s[s, t] = ov.window_open_s
                if ov.window_close_s is not None:
                    close_s[s, t] = ov.window_close_s
                if ov.engage_time_s is not None:
                    engage_s[s, t] = ov.engage_time_s
        b.assume(
            path,
            f"{len(rows)} shooter(s) x {len(cols)} threat(s)",
            "",
            "feasible" if ov.feasible else "cannot engage",
            override=True,
        )


def _schema_problems(sc: MissileDefenseScenario, b: LedgerBuilder) -> None:
    """Geographic fields need schema 2; a geographic raid needs them everywhere."""
    geo_fields = [
        *(
            f"threat.missiles[{i}].launch_area"
            for i, g in enumerate(sc.threat.missiles)
            if g.launch_area
        ),
        *(
            f"threat.decoys[{i}].launch_area"
            for i, g in enumerate(sc.threat.decoys)
            if g.launch_area
        ),
        *(f"assets[{i}].place" for i, a in enumerate(sc.assets) if a.place or a.lat is not None),
        *(["posture.ships.stations"] if sc.posture.ships.stations else []),
        *(["posture.ships.default_station"] if sc.posture.ships.default_station else []),
        *(
            f"threat.missiles[{i}].trajectory"
            for i, g in enumerate(sc.threat.missiles)
            if g.trajectory or g.angle_offset_deg is not None
        ),
    ]
    if sc.schema_version == 1 and geo_fields:
        b.problem(
            geo_fields[0],
            1,
            "geographic fields need schema_version: 2 (see "
            "docs/scenario.md: a version 1 file becomes version 2 by changing that "
            "line, and may then add launch areas, places and stations)",
        )
    if not sc.geographic():
        return
    for i, g in enumerate(sc.threat.missiles):
        if not g.launch_area:
            b.problem(
                f"threat.missiles[{i}].launch_area",
                None,
                "a geographic raid needs a launch area for every missile group",
            )
    for i, dg in enumerate(sc.threat.decoys):
        if not dg.launch_area:
            b.problem(
                f"threat.decoys[{i}].launch_area",
                None,
                "a geographic raid needs a launch area for every decoy group",
            )


def _geography(
    sc: MissileDefenseScenario,
    day: dt.date,
    base: kb.KnowledgeBase,
    b: LedgerBuilder,
    shooters: list[_Shooter],
    t_asset: list[int],
    t_path_type: list[str],
    t_launch: list[str | None],
    t_time: list[float],
    delays: dict[str, Dist],
    t_shape: list[tuple[str | None, float | None]] | None = None,
) -> Geography | None:
    """Place the raid and the defence on the map and compute the engagement windows."""
    asset_xy = geography.locate_assets(sc.assets, day, b, base)
    flight = {r.data["id_short"]: r for r in base.at(day, "missile_flight")}
    missiles = {r.data["id_short"]: r for r in base.at(day, "dprk_missile")}
    launch_xy: dict[str, tuple[float, float]] = {}
    for name in sorted({x for x in t_launch if x}):
        try:
            rec = kb_places.place(name, day)
        except KnowledgeBaseError as exc:
            b.problem("threat.launch_area", name, str(exc))
            continue
        if rec.data["place_kind"] != "launch_area":
            b.problem("threat.launch_area", name, f"a {rec.data['place_kind']}, not a launch area")
            continue
        launch_xy[name] = kb_places.lat_lon(rec)
        b.fact(
            f"launch_area.{name}",
            f"{launch_xy[name][0]:.3f} N, {launch_xy[name][1]:.3f} E",
            "deg",
            rec,
            base,
        )
    for i, dg in enumerate(sc.threat.decoys):
        if dg.flies_as not in flight:
            b.problem(
                f"threat.decoys[{i}].flies_as",
                dg.flies_as,
                "no flight data for that missile type on this date; "
                + suggest(dg.flies_as, sorted(flight))
                + "known: "
                + ", ".join(sorted(flight)),
            )
    for type_ in sorted(set(t_path_type)):
        if type_ in flight:
            b.fact(
                f"missile.{type_}.flight",
                (
                    f"burnout {flight[type_].range('burnout_alt_km')} km at "
                    f"{flight[type_].range('burnout_time_s')} s; "
                    f"CEP {flight[type_].range('cep_m')} m"
                ),
                "",
                flight[type_],
                base,
            )
    stations = {r.data["name"]: r for r in kb_places.stations(day)}
    spec = sc.posture.ships
    for name, where in [*spec.stations.items(), ("default_station", spec.default_station)]:
        if where is not None and where not in stations:
            b.problem(
                f"posture.ships.stations.{name}",
                where,
                "not a sea station; "
                + suggest(where, list(stations))
                + "stations: "
                + ", ".join(stations),
            )
    ships = {sh.name for sh in shooters if sh.asset is None}
    ships |= {name.split(" [")[0] for name in ships}
    for name in spec.stations:
        if name not in ships:
            b.problem(
                f"posture.ships.stations.{name}",
                name,
                "not a ship of this scenario; ships: " + ", ".join(sorted(ships)),
            )
    if b.problems or asset_xy is None:
        return None

    # flight paths: one per (missile type, launch area, asset, trajectory shape)
    profiles = {r.data["id_short"]: r for r in base.at(day, "missile_trajectory")}
    shapes = _trajectory_shapes(
        day, base, b, t_path_type, t_shape or [(None, None)] * len(t_asset), profiles
    )
    if b.problems:
        return None
    paths: list[geography.PathSpec] = []
    path_of_threat = np.empty(len(t_asset), dtype=np.int64)
    for t, (type_, launch, a) in enumerate(zip(t_path_type, t_launch, t_asset, strict=True)):
        spec_ = geography.PathSpec(type_, str(launch), a, *shapes[t])
        if spec_ not in paths:
            paths.append(spec_)
        path_of_threat[t] = paths.index(spec_)
    try:
        traj = geography.fly_paths(paths, launch_xy, asset_xy, flight, profiles)
    except ValueError as exc:
        b.problem("threat", ", ".join(sorted({p.missile for p in paths})), str(exc))
        return None
    for k, p in enumerate(paths):
        max_km = missiles[p.missile].range("range_km").high if p.missile in missiles else math.inf
        target = sc.assets[p.asset].name
        if traj.range_km[k] > max_km:
            b.problem(
                "threat",
                f"{p.missile} from {p.launch} at {target}",
                f"{traj.range_km[k]:,.0f} km away, beyond the missile's reach "
                f"({max_km:,.0f} km at most)",
            )
        b.assume(
            f"path.{p.missile}.{p.launch}.{target}"
            + ("" if p.shape == "minimum-energy" else f".{p.shape}"),
            f"{traj.range_km[k]:,.0f} km, {traj.flight_time_s[k] / 60:.1f} min, "
            f"apogee {traj.apogee_km[k]:,.0f} km",
            "",
            _PATH_REASONS[p.shape],
            source="computed",
        )
    if b.problems:
        return None

    # shooters: ships at sea stations, PAC-3 fire units at the asset they defend
    default = spec.default_station or next(iter(stations))
    shooter_xy: list[tuple[float, float]] = []
    shooter_station: list[str | None] = []
    kins = []
    kin_records = {r.data["interceptor"]: r for r in base.at(day, "interceptor_kinematics")}
    remote = _remote_radars(sc, day, base, b, shooters)
    own_radar = base.one(day, "ship_radar", applies_to="aegis-bmd-ship")
    own_km = float(own_radar.range("range_km").nominal)
    if any(sh.tier == UPPER for sh in shooters):
        b.fact(
            "sensors.ship_radar_km",
            str(own_radar.range("range_km")),
            "km",
            own_radar,
            base,
            note=(own_radar.reasoning or "").strip(),
        )
    for s_idx, sh in enumerate(shooters):
        kin_record = kin_records.get(sh.interceptor)
        if kin_record is None:
            raise KnowledgeBaseError(f"no kinematics for {sh.interceptor} on {day}")
        kin = geography.kinematics(kin_record, kill_assessment_s(kin_record))
        if sh.tier == UPPER:
            kin = _guided_reach(sh, kin, kin_record, bool(remote[s_idx]), own_km, b)
        kins.append(kin)
        if sh.site_xy is not None:
            xy = sh.site_xy
            shooter_station.append(None)
        elif sh.asset is None:
            station_name = spec.stations.get(
                sh.name, spec.stations.get(sh.name.split(" [")[0], default)
            )
            st = stations[station_name]
            xy = kb_places.lat_lon(st)
            b.fact(
                f"ship.{sh.name}.station",
                station_name,
                "",
                st,
                base,
                note=(st.reasoning or "").strip(),
            )
            shooter_station.append(station_name)
        else:
            xy = asset_xy[sh.asset]
            shooter_station.append(None)
        shooter_xy.append(xy)
    for name, kr in kin_records.items():
        if any(sh.interceptor == name for sh in shooters):
            reach_km = kr.range("max_ground_range_km")
            b.fact(
                f"kinematics.{name}",
                (
                    f"burnout {kr.range('burnout_speed_km_s')} km/s after "
                    f"{kr.range('burn_time_s')} s; altitude {kr.range('min_alt_km')}-"
                    f"{kr.range('max_alt_km')} km; ground range {reach_km} km"
                ),
                "",
                kr,
                base,
            )
    for name, kr in kin_records.items():
        if any(sh.interceptor == name for sh in shooters):
            b.fact(
                f"kill_assessment_s.{name}",
                f"{kill_assessment_s(kr):g} (range {kr.range('kill_assessment_s').low:g}-"
                f"{kr.range('kill_assessment_s').high:g})",
                "s",
                kr,
                base,
                note="time after an intercept before its result is known and another shot "
                "may be decided; the nominal value is used (the windows are computed once, "
                "before the trials)",
            )
    launch_s = np.array(t_time, dtype=np.float64)
    t_asset_arr = np.array(t_asset)
    can_reach = np.array(
        [
            np.ones(len(t_asset), dtype=bool) if sh.asset is None else t_asset_arr == sh.asset
            for sh in shooters
        ]
    ).reshape(len(shooters), len(t_asset))
    if shooters:
        open_s, close_s, engage_s, earliest_s = geography.windows_for(
            traj, path_of_threat, launch_s, shooter_xy, kins, can_reach
        )
        _timeline(
            day,
            base,
            b,
            shooters,
            shooter_xy,
            remote,
            own_km,
            traj,
            path_of_threat,
            launch_s,
            open_s,
            close_s,
        )
    else:
        open_s = close_s = engage_s = earliest_s = np.zeros((0, len(t_asset)))

    cities = geography.cities_near(asset_xy, sc.impacts.min_city_population)
    b.assume(
        "impacts.radius_km",
        f"{sc.impacts.radius_km:g}",
        "km",
        "a city's whole population is counted as living near an impact when a leaker "
        "lands within this radius of its centre (population_near_impacts: an exposure "
        "measure, not casualties)",
    )
    src = kb_places.CITIES_SOURCE
    b.assume(
        "cities",
        f"{len(cities)} cities of {sc.impacts.min_city_population:,}+ people",
        "",
        f"{src.get('dataset', '')} {src.get('version', '')}, as of "
        f"{src.get('as_of', '')} ({src.get('licence', src.get('license', ''))})",
        source=str(src.get("dataset", "GeoNames")),
    )

    first = flight[paths[0].missile]
    geography.keep_scene(
        lambda: geography.RaidScene(
            paths=tuple(paths),
            traj=traj,
            asset_names=tuple(a.name for a in sc.assets),
            asset_priorities=tuple(a.priority for a in sc.assets),
            asset_xy=tuple(asset_xy),
            launch_xy=dict(launch_xy),
            shooters=tuple(
                geography.MapShooter(
                    sh.name,
                    *xy,
                    sh.interceptor,
                    kin,
                    delays["upper" if sh.tier == UPPER else "lower"].mean(),
                    station,
                )
                for sh, xy, kin, station in zip(
                    shooters, shooter_xy, kins, shooter_station, strict=True
                )
            ),
            cities=tuple(cities),
            burnout_alt_km=float(first.range("burnout_alt_km").nominal),
            burnout_time_s=float(first.range("burnout_time_s").nominal),
        )
    )

    types = sorted({p for p in t_path_type})
    cep = tuple(_cep_km(flight[tp].range("cep_m")) for tp in types)
    for tp in types:
        b.fact(
            f"cep_km.{tp}", _cep_km(flight[tp].range("cep_m")).describe(), "km", flight[tp], base
        )
    return geography.Geography(
        arrival_s=launch_s + traj.flight_time_s[path_of_threat],
        window_open_s=open_s,
        window_close_s=close_s,
        engage_time_s=engage_s,
        window_earliest_s=earliest_s,
        aim_lat_deg=np.array([asset_xy[a][0] for a in t_asset]),
        aim_lon_deg=np.array([asset_xy[a][1] for a in t_asset]),
        threat_type=np.array([types.index(tp) for tp in t_path_type], dtype=np.int64),
        cep_km=cep,
        missile_types=tuple(types),
        city_lat_deg=np.array([c.lat for c in cities]),
        city_lon_deg=np.array([c.lon for c in cities]),
        city_population=np.array([float(c.population) for c in cities]),
    )


_PATH_REASONS = {
    "minimum-energy": "minimum-energy trajectory on the rotating Earth (anpo.physics.ballistic) "
    "from the kb's launch area, aim point and burnout assumptions",
    "lofted": "lofted ballistic trajectory on the rotating Earth (anpo.physics.ballistic): "
    "burnout angle above the minimum-energy angle by the offset in the ledger",
    "depressed": "depressed ballistic trajectory on the rotating Earth (anpo.physics.ballistic): "
    "burnout angle below the minimum-energy angle by the offset in the ledger",
    "quasi-ballistic": "quasi-ballistic flown profile (anpo.physics.trajectory): low apex, "
    "pull-up and flatter flight, terminal dive, from the kb's profile of the missile",
    "glide": "boost-glide flown profile (anpo.physics.trajectory): release at the booster's "
    "apex, glide, terminal dive, from the kb's profile of the missile",
}


def _trajectory_shapes(
    day: dt.date,
    base: kb.KnowledgeBase,
    b: LedgerBuilder,
    t_path_type: list[str],
    t_shape: list[tuple[str | None, float | None]],
    profiles: dict[str, kb.Record],
) -> list[tuple[str, float | None]]:
    """Each threat's trajectory shape and burnout-angle offset (the scenario's, else the kb's).

    A missile type's default shape is its ``missile_trajectory`` record's (minimum-energy
    without one); quasi-ballistic and glide need that record's profile; lofted and
    depressed take the ``trajectory_shape`` record's nominal offset unless the scenario
    gives one. Problems go to the ledger; records used are entered in it once.
    """
    offsets = {r.data["shape"]: r for r in base.at(day, "trajectory_shape")}
    out: list[tuple[str, float | None]] = []
    noted: set[str] = set()
    for type_, (asked, offset) in zip(t_path_type, t_shape, strict=True):
        profile = profiles.get(type_)
        shape = asked or (str(profile.data["shape"]) if profile else "minimum-energy")
        if shape in ("quasi-ballistic", "glide"):
            if profile is None or profile.data["shape"] != shape:
                b.problem(
                    "threat.missiles.trajectory",
                    shape,
                    f"the knowledge base has no {shape} profile for {type_} on {day}"
                    + (f" (its profile is {profile.data['shape']})" if profile else ""),
                )
                out.append((shape, None))
                continue
            if f"profile.{type_}" not in noted:
                noted.add(f"profile.{type_}")
                knots = ", ".join(
                    f"{key} {profile.range(key)}" for key in ("apex_km", "level_km", "speed_km_s")
                )
                b.fact(f"missile.{type_}.trajectory", f"{shape}: {knots}", "", profile, base)
        if offset is not None and shape not in ("lofted", "depressed"):
            b.problem(
                "threat.missiles.angle_offset_deg",
                offset,
                f"an angle offset applies to lofted or depressed shots, not to {shape}",
            )
        if shape in ("lofted", "depressed"):
            if offset is None:
                record = offsets.get(shape)
                if record is None:
                    raise KnowledgeBaseError(f"no trajectory_shape record for {shape} on {day}")
                offset = float(record.range("angle_offset_deg").nominal)
                if f"shape.{shape}" not in noted:
                    noted.add(f"shape.{shape}")
                    b.fact(
                        f"trajectory.{shape}.angle_offset_deg",
                        str(record.range("angle_offset_deg")),
                        "deg",
                        record,
                        base,
                    )
            elif (offset < 0) if shape == "lofted" else (offset > 0):
                b.problem(
                    "threat.missiles.angle_offset_deg",
                    offset,
                    "a lofted shot needs an offset >= 0, a depressed one <= 0",
                )
            elif f"given.{shape}.{offset}" not in noted:
                noted.add(f"given.{shape}.{offset}")
                b.assume(
                    f"trajectory.{shape}.angle_offset_deg",
                    f"{offset:g}",
                    "deg",
                    "burnout-angle offset given in the scenario",
                    override=True,
                )
        out.append((shape, offset))
    return out


def kill_assessment_s(record: kb.Record) -> float:
    """The nominal kill-assessment time of an interceptor's kinematics record, s."""
    return float(record.range("kill_assessment_s").nominal)


PARTY = {"US": "us", "ROK": "rok", "Australia": "australia"}


def _remote_radars(
    sc: MissileDefenseScenario,
    day: dt.date,
    base: kb.KnowledgeBase,
    b: LedgerBuilder,
    shooters: list[_Shooter],
) -> list[list[kb.Record]]:
    """Per shooter: the remote radars whose live tracks reach it (launch on remote).

    An upper-tier shooter gets a radar's track when the radar is its own nation's, or when
    an arrangement by which the radar's nation passes sensor data to the shooter's is in
    force on the law's date (:func:`anpo.law.sharing_in_force`); for Japanese ships the
    scenario's ``posture.sharing`` may force a partner's data in or out (flagged). Data
    passed case by case (``real_time: false``, the Japan-ROK GSOMIA) are no live track
    and reach nobody; the ledger says so. Lower-tier shooters use their own radar only.
    """
    law_day = kb.factor_day("law", day)
    radars = base.at(day, "radar")
    out: list[list[kb.Record]] = [[] for _ in shooters]
    if not any(sh.tier == UPPER for sh in shooters):
        return out
    for radar in radars:
        party = PARTY.get(str(radar.data["operator"]), str(radar.data["operator"]).lower())
        arrangement = str(radar.data["arrangement"])
        reached: list[str] = []
        for nation in ("us", "japan"):
            mine = [i for i, sh in enumerate(shooters) if sh.tier == UPPER and sh.nation == nation]
            if not mine:
                continue
            if party == nation:
                ok = True
            else:
                ok = arrangement in law.sharing_in_force(law_day, party, nation)
                forced = getattr(sc.posture.sharing, party, None) if nation == "japan" else None
                if forced is not None and forced != ok:
                    b.assume(
                        f"sharing.{party}.{radar.id}",
                        "used" if forced else "not used",
                        "",
                        f"{radar.data['name']} tracks "
                        + ("passed to" if forced else "kept from")
                        + f" Japanese ships though {arrangement} is "
                        + ("not " if forced else "")
                        + f"in force on {law_day}",
                        override=True,
                    )
                    ok = forced
            if ok and not radar.data["real_time"]:
                b.fact(
                    f"sensors.{radar.id}.{nation}",
                    "no live track",
                    "",
                    radar,
                    base,
                    note=f"{arrangement} passes data case by case, after the event: it opens "
                    "no engagement window",
                )
                continue
            if ok:
                reached.append(nation)
                for i in mine:
                    out[i].append(radar)
        b.fact(
            f"sensors.{radar.id}",
            f"{radar.data['name']}: {radar.range('range_km')} km; tracks to "
            + (
                " and ".join(f"{n.upper() if n == 'us' else n.title()} ships" for n in reached)
                or "no shooter"
            ),
            "km",
            radar,
            base,
            note=(radar.reasoning or "").strip(),
        )
    return out


def _guided_reach(
    sh: _Shooter,
    kin: Any,
    record: kb.Record,
    remote: bool,
    own_km: float,
    b: LedgerBuilder,
) -> Any:
    """The reach of a ship's interceptor: its own (kinematic) reach where it can be guided
    on a remote track (``engage_on_remote`` and a remote track), else no farther than the
    ship's own radar sees (an intercept the ship cannot track cannot be guided)."""
    if remote and record.data.get("engage_on_remote", False):
        b.assume(
            f"ship.{sh.name}.reach_km",
            f"{kin.max_ground_range_km:g}",
            "km",
            "engage on remote: the interceptor is guided on a remote track, so its own "
            "kinematic reach counts",
        )
        return kin
    reach = min(kin.max_ground_range_km, own_km)
    b.assume(
        f"ship.{sh.name}.reach_km",
        f"{reach:g}",
        "km",
        "intercepts only where the ship's own radar tracks the threat (no engage on remote "
        f"for {sh.interceptor}" + (")" if remote else ", and no remote track)"),
    )
    return dataclasses.replace(kin, max_ground_range_km=reach)


def _timeline(
    day: dt.date,
    base: kb.KnowledgeBase,
    b: LedgerBuilder,
    shooters: list[_Shooter],
    shooter_xy: list[tuple[float, float]],
    remote: list[list[kb.Record]],
    own_km: float,
    traj: Any,
    path_of_threat: Any,
    launch_s: Any,
    open_s: Any,
    close_s: Any,
) -> None:
    """Open each ship's windows when it first holds a track of the threat (in place).

    track = max(warning, min(own radar, each remote radar that reaches the ship)), each
    radar's first sight of the flight by :func:`anpo.physics.radar.first_track_s` (range
    and horizon). A ship with no track of a threat cannot engage it (close = NaN). The
    per-trial decision delay of the tier is then added by the model.
    """
    warning = base.one(day, "launch_warning")
    warn_s = float(warning.range("detect_s").nominal)
    b.fact("sensors.launch_warning_s", str(warning.range("detect_s")), "s", warning, base)
    ships = [i for i, sh in enumerate(shooters) if sh.tier == UPPER]
    if not ships:
        return
    xy = np.array([shooter_xy[i] for i in ships])
    own = first_track_s(traj, xy[:, 0], xy[:, 1], own_km)  # (ships, paths)
    radars = {r.id: r for rs in remote for r in rs}
    seen = {
        rid: first_track_s(
            traj,
            r.range("lat").nominal,
            r.range("lon").nominal,
            r.range("range_km").nominal,
        )[0]
        for rid, r in radars.items()
    }
    for row, i in enumerate(ships):
        track = own[row]
        for r in remote[i]:
            track = np.fmin(track, seen[r.id])
        track = np.maximum(track, warn_s)  # NaN stays NaN: never tracked
        opened = track[path_of_threat] + launch_s
        open_s[i] = np.where(np.isfinite(opened), opened, open_s[i])
        close_s[i] = np.where(np.isfinite(opened), close_s[i], np.nan)
        sources = ", ".join(["own radar", *(str(r.data["name"]) for r in remote[i])])
        first = np.nanmin(track) if np.isfinite(track).any() else math.nan
        b.assume(
            f"ship.{shooters[i].name}.track_s",
            "never" if math.isnan(first) else f"{first:.0f}",
            "s after launch",
            f"first track of the raid's paths from: {sources} (earliest over paths; "
            "launch on remote where a remote track comes first)",
            source="computed",
        )


def presentation(sc: MissileDefenseScenario, day: dt.date) -> dict[str, Any] | None:
    """The map of a geographic scenario on ``day`` as a GeoJSON FeatureCollection
    (:func:`anpo.scenario.geography.raid_picture`); None without geography or when
    the scenario does not resolve. Resolves the scenario to place it, then draws."""
    if not sc.geographic():
        return None
    with geography.scenes() as kept:
        try:
            resolve(sc, day)
        except ScenarioError:
            return None
    placed = [s for s in kept if isinstance(s, geography.RaidScene)]
    if not placed:
        return None
    return geography.raid_picture(placed[-1])


def _cep_km(cep_m: kb.Range) -> Dist:
    """A CEP range in metres as a distribution in kilometres."""
    return range_dist(
        kb.Range(low=cep_m.low / 1000, nominal=cep_m.nominal / 1000, high=cep_m.high / 1000)
    )
