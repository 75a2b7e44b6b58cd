"""Geographic resolution of a missile-defence scenario (schema 2), and its picture.

Given the launch areas, the defended places and the ship stations, this module
flies every missile group with :func:`anpo.physics.ballistic.fly` (minimum-energy
trajectories on the rotating Earth), computes each shooter's engagement window
against each threat with :func:`anpo.physics.intercept.engagement_windows` (once,
during resolution, so the Monte Carlo loop never redoes physics), and returns the
aim points, accuracies and cities the model needs.

The picture for people (tracks, shooters, defended footprints, cities) is not made
during resolution. A resolver hands what it placed to :func:`keep_scene`, which
builds and keeps it only inside :func:`scenes` (used by a kind's ``presentation``), and
:func:`raid_picture` draws a missile-defence scene as GeoJSON.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from anpo import kb
from anpo.errors import KnowledgeBaseError
from anpo.geo.sphere import haversine_km
from anpo.kb import places as kb_places
from anpo.models.distributions import Dist
from anpo.physics.ballistic import Trajectory, fly
from anpo.physics.intercept import InterceptorKinematics, defended_footprint, engagement_windows
from anpo.physics.trajectory import PROFILE_SHAPES, Shape, fly_shape, stack
from anpo.scenario.common import LedgerBuilder


@dataclass(frozen=True)
class PathSpec:
    """One flight path: a missile type from a launch area to an asset, of one shape.

    ``shape`` is one of :data:`anpo.physics.trajectory.SHAPES`; ``angle_offset_deg`` the
    burnout-angle offset of a lofted or depressed shot (None otherwise).
    """

    missile: str
    launch: str
    asset: int
    shape: str = "minimum-energy"
    angle_offset_deg: float | None = None


@dataclass
class Geography:
    """What geography adds to the model inputs."""

    arrival_s: NDArray[np.float64]  # (T,) launch time + flight time
    window_open_s: NDArray[np.float64]  # (S, T) absolute times
    window_close_s: NDArray[np.float64]
    engage_time_s: NDArray[np.float64]
    window_earliest_s: NDArray[np.float64]
    aim_lat_deg: NDArray[np.float64]
    aim_lon_deg: NDArray[np.float64]
    threat_type: NDArray[np.int64]
    cep_km: tuple[Dist, ...]
    missile_types: tuple[str, ...]
    city_lat_deg: NDArray[np.float64]
    city_lon_deg: NDArray[np.float64]
    city_population: NDArray[np.float64]


# --- scenes: what a resolver placed, kept only when something will draw it -------------

_SCENES: ContextVar[list[object] | None] = ContextVar("anpo_scenes", default=None)


@contextmanager
def scenes() -> Iterator[list[object]]:
    """Collect, while the block runs, the scenes resolvers hand to :func:`keep_scene`.

    Outside this block :func:`keep_scene` keeps nothing, so a resolution for a run
    holds no picture. Context-local: concurrent resolutions do not mix.
    """
    token = _SCENES.set([])
    try:
        kept = _SCENES.get()
        assert kept is not None
        yield kept
    finally:
        _SCENES.reset(token)


def keep_scene(build: Callable[[], object]) -> None:
    """Keep the scene ``build()`` makes (from values resolution computed anyway) if
    :func:`scenes` asks for one; otherwise ``build`` is not called."""
    kept = _SCENES.get()
    if kept is not None:
        kept.append(build())


@dataclass(frozen=True)
class MapShooter:
    """A shooter where the map shows it: a ship at its station or a battery at its asset."""

    name: str
    lat: float
    lon: float
    interceptor: str
    kin: InterceptorKinematics
    delay_s: float  # mean decision delay of its tier (the footprint's)
    station: str | None = None  # a ship's sea station; None for a battery


@dataclass(frozen=True)
class RaidScene:
    """What a missile-defence resolution placed: the input of :func:`raid_picture`."""

    paths: tuple[PathSpec, ...]
    traj: Trajectory  # one flight per path
    asset_names: tuple[str, ...]
    asset_priorities: tuple[int, ...]
    asset_xy: tuple[tuple[float, float], ...]
    launch_xy: dict[str, tuple[float, float]]
    shooters: tuple[MapShooter, ...]
    cities: tuple[kb_places.City, ...]
    burnout_alt_km: float  # of the first path's missile, for the footprints
    burnout_time_s: float


def raid_picture(scene: RaidScene) -> dict[str, Any]:
    """A GeoJSON FeatureCollection of a raid: everything placed on the map.

    Features, each with a ``role``: ``track`` (each flight path), ``ship`` and
    ``battery`` (each shooter), ``footprint`` (the ground a shooter defends against
    the first path's launch area, one per position and interceptor), ``asset``,
    ``launch_area`` and ``city``.
    """
    traj = scene.traj
    features: list[dict[str, Any]] = []
    for k, p in enumerate(scene.paths):
        features.append(
            {
                "type": "Feature",
                "geometry": {
                    "type": "LineString",
                    "coordinates": [
                        [round(float(lo), 4), round(float(la), 4)]
                        for la, lo in zip(traj.lat_deg[k], traj.lon_deg[k], strict=True)
                    ],
                },
                "properties": {
                    "role": "track",
                    "missile": p.missile,
                    "launch": p.launch,
                    "target": scene.asset_names[p.asset],
                    "flight_time_s": float(traj.flight_time_s[k]),
                    "apogee_km": float(traj.apogee_km[k]),
                },
            }
        )
    for sh in scene.shooters:
        if sh.station is not None:
            features.append(point(sh.lat, sh.lon, role="ship", name=sh.name, station=sh.station))
        else:
            features.append(point(sh.lat, sh.lon, role="battery", name=sh.name))
    launch = scene.launch_xy[scene.paths[0].launch]
    seen: set[tuple[tuple[float, float], str]] = set()
    for sh in scene.shooters:
        key = ((sh.lat, sh.lon), sh.interceptor)
        if key in seen:
            continue
        seen.add(key)
        found = footprint_feature(
            f"{sh.interceptor} at {sh.lat:.2f} N, {sh.lon:.2f} E",
            sh.lat,
            sh.lon,
            sh.kin,
            launch,
            scene.burnout_alt_km,
            scene.burnout_time_s,
            sh.delay_s,
        )
        if found is not None:
            features.append(found)
    for name, priority, xy in zip(
        scene.asset_names, scene.asset_priorities, scene.asset_xy, strict=True
    ):
        features.append(point(*xy, role="asset", name=name, priority=priority))
    for name, xy in scene.launch_xy.items():
        features.append(point(*xy, role="launch_area", name=name))
    for c in scene.cities:
        features.append(point(c.lat, c.lon, role="city", name=c.name, population=int(c.population)))
    return {"type": "FeatureCollection", "features": features}


def point(lat: float, lon: float, **props: Any) -> dict[str, Any]:
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [round(lon, 5), round(lat, 5)]},
        "properties": props,
    }


def _nominal(r: kb.Range) -> float:
    return float(r.nominal)


def locate_assets(
    assets: list[Any], day: dt.date, b: LedgerBuilder, base: kb.KnowledgeBase
) -> list[tuple[float, float]] | None:
    """Coordinates of each asset: a kb place, or lat/lon given in the scenario."""
    out: list[tuple[float, float]] = []
    ok = True
    for i, asset in enumerate(assets):
        if asset.place is not None:
            try:
                record = kb_places.place(asset.place, day)
            except KnowledgeBaseError as exc:
                b.problem(f"assets[{i}].place", asset.place, str(exc))
                ok = False
                continue
            lat, lon = kb_places.lat_lon(record)
            b.fact(f"asset.{asset.name}.position", f"{lat:.3f} N, {lon:.3f} E", "deg", record, base)
        elif asset.lat is not None and asset.lon is not None:
            lat, lon = asset.lat, asset.lon
            b.assume(
                f"asset.{asset.name}.position",
                f"{lat:.3f} N, {lon:.3f} E",
                "deg",
                "position given in the scenario",
            )
        else:
            b.problem(
                f"assets[{i}]",
                asset.name,
                "a geographic scenario needs each asset's place (a kb place) or lat/lon",
            )
            ok = False
            continue
        out.append((lat, lon))
    return out if ok else None


def fly_paths(
    paths: list[PathSpec],
    launch_xy: dict[str, tuple[float, float]],
    asset_xy: list[tuple[float, float]],
    flight: dict[str, kb.Record],
    profiles: dict[str, kb.Record] | None = None,
) -> Trajectory:
    """Fly each path once (all missiles of a path share it), vectorized over the paths
    of one shape (:func:`anpo.physics.trajectory.fly_shape`).

    ``profiles`` holds the ``missile_trajectory`` records whose nominal knots fly the
    quasi-ballistic and glide paths. Raises ``ValueError`` where a path cannot be flown.
    """
    launch = np.array([launch_xy[p.launch] for p in paths])
    aim = np.array([asset_xy[p.asset] for p in paths])
    alt = np.array([_nominal(flight[p.missile].range("burnout_alt_km")) for p in paths])
    burn = np.array([_nominal(flight[p.missile].range("burnout_time_s")) for p in paths])
    if all(p.shape == "minimum-energy" for p in paths):
        return fly(launch[:, 0], launch[:, 1], aim[:, 0], aim[:, 1], alt, burn, n_samples=241)
    parts: list[Trajectory] = []
    order: list[int] = []
    for shape in dict.fromkeys(p.shape for p in paths):
        idx = [k for k, p in enumerate(paths) if p.shape == shape]
        extra: dict[str, Any] = {}
        if shape in PROFILE_SHAPES:
            recs = [(profiles or {})[paths[k].missile] for k in idx]
            for key in ("apex_km", "apex_fraction", "level_km", "level_fraction", "dive_km"):
                extra[key] = np.array([_nominal(r.range(key)) for r in recs])
            extra["speed_km_s"] = np.array([_nominal(r.range("speed_km_s")) for r in recs])
        elif shape in ("lofted", "depressed"):
            extra["angle_offset_deg"] = np.array([paths[k].angle_offset_deg for k in idx])
        shape_: Shape = shape  # type: ignore[assignment]
        parts.append(
            fly_shape(
                shape_,
                launch[idx, 0],
                launch[idx, 1],
                aim[idx, 0],
                aim[idx, 1],
                alt[idx],
                burn[idx],
                n_samples=241,
                **extra,
            )
        )
        order.extend(idx)
    flown = stack(parts)
    back = np.argsort(np.array(order))
    return Trajectory(
        t_s=flown.t_s[back],
        lat_deg=flown.lat_deg[back],
        lon_deg=flown.lon_deg[back],
        alt_km=flown.alt_km[back],
        flight_time_s=flown.flight_time_s[back],
        apogee_km=flown.apogee_km[back],
        range_km=flown.range_km[back],
        burnout_speed_km_s=flown.burnout_speed_km_s[back],
        flight_path_angle_deg=None
        if flown.flight_path_angle_deg is None
        else flown.flight_path_angle_deg[back],
        azimuth_deg=None if flown.azimuth_deg is None else flown.azimuth_deg[back],
    )


def kinematics(record: kb.Record, kill_assessment_s: float) -> InterceptorKinematics:
    return InterceptorKinematics(
        burnout_speed_km_s=_nominal(record.range("burnout_speed_km_s")),
        burn_time_s=_nominal(record.range("burn_time_s")),
        min_alt_km=_nominal(record.range("min_alt_km")),
        max_alt_km=_nominal(record.range("max_alt_km")),
        max_ground_range_km=_nominal(record.range("max_ground_range_km")),
        kill_assessment_s=kill_assessment_s,
    )


def footprint_feature(
    name: str,
    lat: float,
    lon: float,
    kin: InterceptorKinematics,
    launch: tuple[float, float],
    alt_km: float,
    burn_s: float,
    delay_s: float,
) -> dict[str, Any] | None:
    """The ground area a shooter defends against one launch area, as a GeoJSON polygon.

    ``alt_km`` and ``burn_s`` are the burnout altitude and time of the missile flown
    from ``launch`` (lat, lon) at a grid of aim points around the shooter; None when
    nothing is defended. Thousands of flights: only for the map, never for a model.
    """

    def fly_fn(la: Any, lo: Any, alat: Any, alon: Any) -> Trajectory:
        return fly(la, lo, alat, alon, alt_km, burn_s, n_samples=61)

    grid = 40.0 if kin.max_ground_range_km > 200 else 8.0
    polygon = defended_footprint(
        lat, lon, kin, launch[0], launch[1], fly_fn, grid_km=grid, delay_s=delay_s
    )
    if polygon.is_empty:
        return None
    ring = [[round(x, 4), round(y, 4)] for x, y in polygon.exterior.coords]
    return {
        "type": "Feature",
        "geometry": {"type": "Polygon", "coordinates": [ring]},
        "properties": {"role": "footprint", "name": name},
    }


def cities_near(
    asset_xy: list[tuple[float, float]], min_population: int, reach_km: float = 300.0
) -> list[Any]:
    """Cities of at least ``min_population`` within ``reach_km`` of some asset.

    Kept by content (the assets' positions, the population and the reach), so the
    variants of a study and the points of a sweep that leave them alone do not
    measure the same distances again.
    """
    key = tuple((float(lat), float(lon)) for lat, lon in asset_xy)
    return list(_cities_near(key, int(min_population), float(reach_km)))


@functools.lru_cache(maxsize=256)
def _cities_near(
    asset_xy: tuple[tuple[float, float], ...], min_population: int, reach_km: float
) -> tuple[Any, ...]:
    out = []
    for city in kb_places.cities(min_population=min_population):
        for lat, lon in asset_xy:
            if float(haversine_km(lat, lon, city.lat, city.lon)) <= reach_km:
                out.append(city)
                break
    return tuple(out)


def windows_for(
    traj: Trajectory,
    path_of_threat: NDArray[np.int64],
    launch_s: NDArray[np.float64],
    shooter_xy: list[tuple[float, float]],
    kins: list[InterceptorKinematics],
    reach: NDArray[np.bool_],
) -> tuple[NDArray[np.float64], ...]:
    """Absolute (S, T) windows (open, close, engage, earliest) from per-path windows;
    ``reach`` masks pairs out (NaN)."""
    xy = np.array(shooter_xy, dtype=np.float64).reshape(-1, 2)
    win = engagement_windows(traj, xy[:, 0], xy[:, 1], np.zeros(len(kins)), kins, detect_s=0.0)
    open_s = win.window_open_s[:, path_of_threat] + launch_s[None, :]
    close_s = win.window_close_s[:, path_of_threat] + launch_s[None, :]
    engage = win.engage_time_s[:, path_of_threat]
    earliest = win.earliest_decision_s[:, path_of_threat] + launch_s[None, :]
    close_s = np.where(reach, close_s, np.nan)
    engage = np.where(np.isfinite(engage), engage, 1.0)
    return open_s, close_s, engage, earliest
