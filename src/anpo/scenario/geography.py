"""Geographic resolution of a missile-defence scenario (schema 2).

Given the launch areas, the defended places and the ship stations, this module
flies every missile group with :func:`anpo.physics.ballistic.fly` (minimum-energy
trajectories on the rotating Earth), computes each shooter's engagement window
against each threat with :func:`anpo.physics.intercept.engagement_windows` (once,
during resolution, so the Monte Carlo loop never redoes physics), and returns the
aim points, accuracies, cities and a GeoJSON picture of it all for the map.
"""

from __future__ import annotations

import copy
import datetime as dt
import functools
from dataclasses import dataclass, field
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
from anpo.scenario.common import LedgerBuilder


@dataclass(frozen=True)
class PathSpec:
    """One flight path: a missile type from a launch area to an asset."""

    missile: str
    launch: str
    asset: int


@dataclass
class Geography:
    """What geography adds to the model inputs, and the picture of it."""

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
    features: list[dict[str, Any]] = field(default_factory=list)

    def geojson(self) -> dict[str, Any]:
        return {"type": "FeatureCollection", "features": self.features}


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
) -> Trajectory:
    """Fly each path once (all missiles of a path share it), vectorized."""
    launch = np.array([launch_xy[p.launch] for p in paths])
    aim = np.array([asset_xy[p.asset] for p in paths])
    alt = np.array([_nominal(flight[p.missile].range("burnout_alt_km")) for p in paths])
    burn = np.array([_nominal(flight[p.missile].range("burnout_time_s")) for p in paths])
    return fly(launch[:, 0], launch[:, 1], aim[:, 0], aim[:, 1], alt, burn, n_samples=241)


def kinematics(record: kb.Record, kill_assessment_s: float) -> InterceptorKinematics:
    return InterceptorKinematics(
        burnout_speed_km_s=_nominal(record.range("burnout_speed_km_s")),
        burn_time_s=_nominal(record.range("burn_time_s")),
        min_alt_km=_nominal(record.range("min_alt_km")),
        max_alt_km=_nominal(record.range("max_alt_km")),
        max_ground_range_km=_nominal(record.range("max_ground_range_km")),
        kill_assessment_s=kill_assessment_s,
    )


KILL_ASSESSMENT_S = {"upper": 30.0, "lower": 5.0}
KILL_ASSESSMENT_NOTE = (
    "time after an intercept before the result is known and another shot may be decided: "
    "about half a minute for an exo-atmospheric SM-3 intercept seen by ship radar, a few "
    "seconds for a PAC-3 intercept seen by its own radar (no public figure)"
)


def footprint_feature(
    name: str,
    lat: float,
    lon: float,
    kin: InterceptorKinematics,
    launch: tuple[float, float],
    flight: kb.Record,
    delay_s: float,
    center: tuple[float, float] | None,
) -> dict[str, Any] | None:
    """The ground area a shooter defends against one launch area, as a GeoJSON polygon.

    The work (thousands of flights) is kept for the last scenarios' shooters, as
    the web page resolves a scenario again after each edit; a copy is returned.
    """
    alt = _nominal(flight.range("burnout_alt_km"))
    burn = _nominal(flight.range("burnout_time_s"))
    found = _footprint(name, lat, lon, kin, launch, alt, burn, delay_s, center)
    return copy.deepcopy(found)


@functools.lru_cache(maxsize=128)
def _footprint(
    name: str,
    lat: float,
    lon: float,
    kin: InterceptorKinematics,
    launch: tuple[float, float],
    alt: float,
    burn: float,
    delay_s: float,
    center: tuple[float, float] | None,
) -> dict[str, Any] | None:
    """:func:`footprint_feature` on plain, hashable arguments (cached)."""

    def fly_fn(la: Any, lo: Any, alat: Any, alon: Any) -> Trajectory:
        return fly(la, lo, alat, alon, alt, burn, n_samples=61)

    grid = 40.0 if kin.max_ground_range_km > 200 else 8.0
    radius = None if center is None else 2.0 * kin.max_ground_range_km + 400.0
    polygon = defended_footprint(
        lat,
        lon,
        kin,
        launch[0],
        launch[1],
        fly_fn,
        grid_km=grid,
        radius_km=radius,
        delay_s=delay_s,
        center_lat_deg=None if center is None else center[0],
        center_lon_deg=None if center is None else center[1],
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
    """Cities of at least ``min_population`` within ``reach_km`` of some asset."""
    out = []
    for city in kb_places.cities(min_population=min_population):
        for lat, lon in asset_xy:
            if float(haversine_km(lat, lon, city.lat, city.lon)) <= reach_km:
                out.append(city)
                break
    return out


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
