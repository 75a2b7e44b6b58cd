"""Interceptor kinematics and engagement feasibility, vectorized; reads no files.

An interceptor is modelled by five numbers (:class:`InterceptorKinematics`): it
accelerates uniformly to its burnout speed over its burn time and then coasts at
that speed in a straight line; it can intercept only between a lowest and a
highest altitude and out to a largest ground distance from its launcher. From a
threat's sampled flight (any object with the attributes of
:class:`TrajectoryLike`, such as ``anpo.physics.ballistic.Trajectory``) the module
finds, for every shooter and threat at once, the latest moment a decision to fire
can still be made (:func:`engagement_windows`), and the ground area a shooter
defends against a launch point (:func:`defended_footprint`).

Geometry
--------
* Ground distances (the ``max_ground_range_km`` test) are WGS84 geodesics from
  ``pyproj.Geod(ellps="WGS84").inv``, vectorized, the same measure the ballistic
  module uses for a missile's range, so the two agree.
* Slant ranges (the fly-out distance) are straight-line chords between points at
  altitude above a sphere of radius :data:`EARTH_RADIUS_KM` = 6371 km:
  ``p = (R + h) (cos φ cos λ, cos φ sin λ, sin φ)``, ``slant = |p_target - p_shooter|``.
  A closed form in NumPy is needed for millions of (shooter, threat, sample)
  triples; the sphere's error against the ellipsoid is a few tenths of a percent,
  below the spread of every kinematic input.

Kinematic simplifications (what they do to the numbers)
-------------------------------------------------------
The fly-out ignores gravity, drag, the climb-and-turn of the real trajectory, and
the terminal homing manoeuvre. Each of these makes a real interceptor slower to
arrive than this model says, so fly-out times are lower bounds and engagement
windows upper bounds: a few percent for a midcourse SM-3 shot of several hundred
km (burnout speed ≫ the ~1 km/s lost to gravity on a climb of a few hundred km),
more for a PAC-3 shot low in the atmosphere, where drag is strong and the
interceptor slows after burnout. ``max_ground_range_km`` and the altitude band,
taken from public figures that already include these effects, cap the optimism.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

import numpy as np
from numpy.typing import ArrayLike, NDArray
from pyproj import Geod

from anpo.geo.sphere import haversine_km
from anpo.physics.earth import EARTH_RADIUS_KM

if TYPE_CHECKING:  # shapely is imported where a footprint is drawn, not to resolve
    import shapely

_GEOD = Geod(ellps="WGS84")

FloatArray = NDArray[np.float64]


class TrajectoryLike(Protocol):
    """Sampled flights of M missiles, K samples each, uniform in time from launch to impact.

    ``anpo.physics.ballistic.Trajectory`` has this shape; any object with these
    attributes will do (this module does not import the ballistic module).
    """

    @property
    def t_s(self) -> FloatArray:
        """(M, K) time since launch, s."""
        ...

    @property
    def lat_deg(self) -> FloatArray:
        """(M, K) geodetic latitude, Earth-fixed, degrees."""
        ...

    @property
    def lon_deg(self) -> FloatArray:
        """(M, K) longitude, Earth-fixed, degrees."""
        ...

    @property
    def alt_km(self) -> FloatArray:
        """(M, K) altitude above sea level, km."""
        ...

    @property
    def flight_time_s(self) -> FloatArray:
        """(M,) launch-to-impact time, s."""
        ...

    @property
    def apogee_km(self) -> FloatArray:
        """(M,) highest altitude, km."""
        ...

    @property
    def range_km(self) -> FloatArray:
        """(M,) ground range, km."""
        ...


@dataclass(frozen=True)
class InterceptorKinematics:
    """What one interceptor type can reach, in the simplest useful form.

    Attributes
    ----------
    burnout_speed_km_s
        Speed at the end of powered flight, km/s.
    burn_time_s
        Duration of powered flight (all stages together), s.
    min_alt_km, max_alt_km
        Altitude band (above sea level) in which it can intercept, km.
    max_ground_range_km
        Largest ground distance from the launcher to the intercept point, km.
    kill_assessment_s
        Time after the intercept before the result is known and a second shot
        may be decided (shoot-look-shoot), s.
    """

    burnout_speed_km_s: float
    burn_time_s: float
    min_alt_km: float
    max_alt_km: float
    max_ground_range_km: float
    kill_assessment_s: float = 0.0

    def __post_init__(self) -> None:
        if not self.burnout_speed_km_s > 0:
            raise ValueError(f"burnout_speed_km_s must be > 0, got {self.burnout_speed_km_s}")
        if not self.burn_time_s >= 0:
            raise ValueError(f"burn_time_s must be >= 0, got {self.burn_time_s}")
        if not self.min_alt_km <= self.max_alt_km:
            raise ValueError(
                f"min_alt_km ({self.min_alt_km}) must not exceed max_alt_km ({self.max_alt_km})"
            )
        if not self.max_ground_range_km >= 0:
            raise ValueError(f"max_ground_range_km must be >= 0, got {self.max_ground_range_km}")
        if not self.kill_assessment_s >= 0:
            raise ValueError(f"kill_assessment_s must be >= 0, got {self.kill_assessment_s}")

    @property
    def burnout_distance_km(self) -> float:
        """Distance flown under power, ``r_b = v_b t_b / 2`` (uniform acceleration), km."""
        return 0.5 * self.burnout_speed_km_s * self.burn_time_s


def flyout_time_s(slant_range_km: ArrayLike, kin: InterceptorKinematics) -> FloatArray:
    """Time for the interceptor to fly a straight line of the given slant range.

    Constant acceleration ``a = v_b / t_b`` to burnout speed ``v_b`` over the burn
    time ``t_b`` (distance ``r_b = v_b t_b / 2``), then coast at ``v_b``::

        t(r) = sqrt(2 r t_b / v_b)          for r <= r_b
        t(r) = t_b + (r - r_b) / v_b        for r >  r_b

    Gravity and drag are neglected, so the times are lower bounds (see the module
    docstring for how much): a few percent short for exo-atmospheric SM-3 shots,
    more for endo-atmospheric PAC-3 shots. A burn time of zero means the
    interceptor leaves at burnout speed.

    Parameters
    ----------
    slant_range_km
        Straight-line distance from launcher to intercept point, km (any shape).
    kin
        The interceptor.

    Returns
    -------
    NDArray
        Fly-out times, s, same shape as ``slant_range_km`` (NaN where it is NaN).
    """
    r = np.asarray(slant_range_km, dtype=np.float64)
    if np.any(r < 0):
        raise ValueError("slant ranges must be >= 0")
    v_b, t_b = kin.burnout_speed_km_s, kin.burn_time_s
    r_b = kin.burnout_distance_km
    with np.errstate(invalid="ignore"):
        boost = np.sqrt(2.0 * r * t_b / v_b)
        coast = t_b + (r - r_b) / v_b
        out: FloatArray = np.where(r <= r_b, boost, coast)
    return out


@dataclass(frozen=True)
class Windows:
    """Engagement windows of S shooters against M threats (all times after the threat's launch).

    Attributes
    ----------
    window_open_s
        (S, M) earliest decision time: ``detect_s`` (before the sensor delay,
        which the Monte Carlo model adds per trial), s.
    window_close_s
        (S, M) latest decision time that still intercepts somewhere; NaN if never, s.
    engage_time_s
        (S, M) duration of one engagement: fly-out to the latest intercept point
        plus kill assessment; NaN where the window is empty, s.
    intercept_points
        Diagnostic: number of (shooter, threat, sample) triples inside the
        engagement volume (altitude band and ground range) with a latest decision
        time at or after ``detect_s``.
    intercept_time_s
        (S, M) time after the threat's launch of the latest intercept; NaN if none, s.
    intercept_alt_km
        (S, M) altitude of the latest intercept; NaN if none, km.
    earliest_decision_s
        (S, M) the latest decision time of the earliest feasible intercept point,
        ``min_i d_i`` over feasible points: a decision before it only waits, so a
        first engagement begins no sooner, and shoot-look-shoot engagements follow
        from there; NaN if none, s.
    """

    window_open_s: FloatArray
    window_close_s: FloatArray
    engage_time_s: FloatArray
    intercept_points: int
    intercept_time_s: FloatArray
    intercept_alt_km: FloatArray
    earliest_decision_s: FloatArray


def _unit_vectors(lat_deg: FloatArray, lon_deg: FloatArray) -> FloatArray:
    """Unit position vectors on the sphere, shape ``lat.shape + (3,)``."""
    lat, lon = np.radians(lat_deg), np.radians(lon_deg)
    cos_lat = np.cos(lat)
    return np.stack([cos_lat * np.cos(lon), cos_lat * np.sin(lon), np.sin(lat)], axis=-1)


def slant_range_km(
    lat1_deg: ArrayLike,
    lon1_deg: ArrayLike,
    alt1_km: ArrayLike,
    lat2_deg: ArrayLike,
    lon2_deg: ArrayLike,
    alt2_km: ArrayLike,
) -> FloatArray:
    """Straight-line distance between two points at altitude over a sphere (R = 6371 km).

    ``|(R + h2) u2 - (R + h1) u1|`` with ``u`` the unit position vectors; the
    inputs broadcast against each other.
    """
    lat1, lon1, h1, lat2, lon2, h2 = np.broadcast_arrays(
        *(np.asarray(x, dtype=np.float64) for x in (lat1_deg, lon1_deg, alt1_km)),
        *(np.asarray(x, dtype=np.float64) for x in (lat2_deg, lon2_deg, alt2_km)),
    )
    p1 = (EARTH_RADIUS_KM + h1)[..., None] * _unit_vectors(lat1, lon1)
    p2 = (EARTH_RADIUS_KM + h2)[..., None] * _unit_vectors(lat2, lon2)
    out: FloatArray = np.linalg.norm(p2 - p1, axis=-1)
    return out


def ground_distance_km(
    lat1_deg: ArrayLike, lon1_deg: ArrayLike, lat2_deg: ArrayLike, lon2_deg: ArrayLike
) -> FloatArray:
    """WGS84 geodesic distance (``pyproj.Geod.inv``), km; the inputs broadcast."""
    lat1, lon1, lat2, lon2 = np.broadcast_arrays(
        *(np.asarray(x, dtype=np.float64) for x in (lat1_deg, lon1_deg, lat2_deg, lon2_deg))
    )
    if lat1.size == 0:
        return np.zeros(lat1.shape)
    _, _, dist_m = _GEOD.inv(lon1.ravel(), lat1.ravel(), lon2.ravel(), lat2.ravel())
    out: FloatArray = np.asarray(dist_m, dtype=np.float64).reshape(lat1.shape) / 1000.0
    return out


def engagement_windows(
    traj: TrajectoryLike,
    shooter_lat_deg: ArrayLike,
    shooter_lon_deg: ArrayLike,
    shooter_alt_km: ArrayLike,
    kins: Sequence[InterceptorKinematics],
    detect_s: float = 0.0,
) -> Windows:
    """Decision windows of S shooters against the M threats of ``traj``.

    For shooter ``s`` and threat ``m``, a sample point ``i`` of the threat's path
    is *feasible* when its altitude lies in ``[min_alt_km, max_alt_km]`` of the
    shooter's interceptor and its WGS84 ground distance from the shooter is at
    most ``max_ground_range_km``. An intercept at point ``i`` needs a decision at
    or before the latest decision time::

        d_i = t_i - flyout(slant_i)                     (flyout_time_s)

    with ``slant_i`` the spherical chord from the shooter (at ``shooter_alt_km``)
    to the point. Then

    * ``window_open_s = detect_s``: the earliest decision, before the sensor
      delay, which the Monte Carlo model adds per trial;
    * ``window_close_s = max_i d_i`` over feasible points; NaN when no point is
      feasible or when that maximum is before ``detect_s``;
    * ``engage_time_s = flyout(slant_i*) + kill_assessment_s`` at the point
      ``i*`` of that latest intercept (NaN where the window is empty). The model
      fits ``floor((close - open - delay) / engage) + 1`` shoot-look-shoot
      engagements into a window.

    The intercept is placed at a sample point, so the answer is exact for the
    sampled path and converges as the sampling gets finer (with K samples over a
    flight of T s, the close time is at most about T / (K - 1) early).

    Parameters
    ----------
    traj
        M threats sampled K times each (:class:`TrajectoryLike`).
    shooter_lat_deg, shooter_lon_deg, shooter_alt_km
        (S,) shooter positions (a scalar is one shooter); altitude of the launcher
        above sea level, km (0 for a ship).
    kins
        One :class:`InterceptorKinematics` per shooter.
    detect_s
        Earliest decision time after the threat's launch, s.

    Returns
    -------
    Windows
        Arrays of shape (S, M); the work is vectorized over shooters × threats ×
        samples (memory grows as S·M·K).
    """
    lat_s = np.atleast_1d(np.asarray(shooter_lat_deg, dtype=np.float64))
    lon_s = np.atleast_1d(np.asarray(shooter_lon_deg, dtype=np.float64))
    alt_s = np.atleast_1d(np.asarray(shooter_alt_km, dtype=np.float64))
    lat_s, lon_s, alt_s = np.broadcast_arrays(lat_s, lon_s, alt_s)
    if lat_s.ndim != 1:
        raise ValueError("shooter positions must be scalars or 1-D arrays")
    n_shooters = lat_s.shape[0]
    if len(kins) != n_shooters:
        raise ValueError(f"kins has {len(kins)} entries for {n_shooters} shooters (need one each)")

    t = np.asarray(traj.t_s, dtype=np.float64)
    lat_t = np.asarray(traj.lat_deg, dtype=np.float64)
    lon_t = np.asarray(traj.lon_deg, dtype=np.float64)
    alt_t = np.asarray(traj.alt_km, dtype=np.float64)
    if not t.shape == lat_t.shape == lon_t.shape == alt_t.shape or t.ndim != 2:
        raise ValueError("trajectory arrays t_s, lat_deg, lon_deg, alt_km must all be (M, K)")
    n_threats = t.shape[0]

    def per_shooter(values: Sequence[float]) -> FloatArray:
        return np.asarray(values, dtype=np.float64)[:, None, None]

    v_b = per_shooter([k.burnout_speed_km_s for k in kins])
    t_b = per_shooter([k.burn_time_s for k in kins])
    min_alt = per_shooter([k.min_alt_km for k in kins])
    max_alt = per_shooter([k.max_alt_km for k in kins])
    max_rng = per_shooter([k.max_ground_range_km for k in kins])
    kill_s = np.asarray([k.kill_assessment_s for k in kins], dtype=np.float64)[:, None]

    # (S, M, K) geometry
    s_lat, s_lon, s_alt = (x[:, None, None] for x in (lat_s, lon_s, alt_s))
    slant = slant_range_km(s_lat, s_lon, s_alt, lat_t[None], lon_t[None], alt_t[None])
    # the WGS84 geodesic distance, needed only where a point could be in the volume:
    # in the altitude band and, on the sphere (R = 6371 km, within 0.6% of the
    # geodesic), within 1% + 10 km of the range; elsewhere it is out of range (∞)
    in_band = (alt_t[None] >= min_alt) & (alt_t[None] <= max_alt)
    sphere = haversine_km(s_lat, s_lon, lat_t[None], lon_t[None])
    near = in_band & (sphere <= max_rng * 1.01 + 10.0)
    ground = np.full(near.shape, np.inf)
    lat_b, lon_b, lat_p, lon_p = np.broadcast_arrays(s_lat, s_lon, lat_t[None], lon_t[None])
    ground[near] = ground_distance_km(lat_b[near], lon_b[near], lat_p[near], lon_p[near])

    # fly-out, vectorized over shooters' kinematics (same equation as flyout_time_s)
    r_b = 0.5 * v_b * t_b
    flyout = np.where(slant <= r_b, np.sqrt(2.0 * slant * t_b / v_b), t_b + (slant - r_b) / v_b)
    latest = t[None] - flyout

    in_volume = in_band & (ground <= max_rng)
    feasible = in_volume & np.isfinite(latest) & (latest >= detect_s)

    masked = np.where(feasible, latest, -np.inf)
    best = np.argmax(masked, axis=-1)  # (S, M)
    any_ok = feasible.any(axis=-1)

    def at_best(a: FloatArray) -> FloatArray:
        picked = np.take_along_axis(np.broadcast_to(a, feasible.shape), best[..., None], axis=-1)
        out: FloatArray = np.where(any_ok, picked[..., 0], np.nan)
        return out

    close = at_best(latest)
    engage = at_best(flyout) + np.where(any_ok, kill_s, np.nan)
    earliest = np.where(any_ok, np.where(feasible, latest, np.inf).min(axis=-1), np.nan)
    return Windows(
        window_open_s=np.full((n_shooters, n_threats), float(detect_s)),
        window_close_s=close,
        engage_time_s=engage,
        intercept_points=int(feasible.sum()),
        intercept_time_s=at_best(np.broadcast_to(t[None], feasible.shape)),
        intercept_alt_km=at_best(np.broadcast_to(alt_t[None], feasible.shape)),
        earliest_decision_s=earliest,
    )


FlyFn = Callable[[float, float, FloatArray, FloatArray], TrajectoryLike]
"""``fly_fn(launch_lat, launch_lon, aim_lat, aim_lon) -> Trajectory``, vectorized over (N,) aims."""


def footprint_aim_points(
    center_lat_deg: float, center_lon_deg: float, radius_km: float, grid_km: float
) -> tuple[FloatArray, FloatArray]:
    """A square grid of spacing ``grid_km`` in a local east-north plane, inside a circle.

    Each grid offset ``(x, y)`` becomes a point at geodesic distance
    ``hypot(x, y)`` and azimuth ``atan2(x, y)`` from the centre (``Geod.fwd``).
    """
    if grid_km <= 0 or radius_km <= 0:
        raise ValueError("grid_km and radius_km must be > 0")
    n = int(np.floor(radius_km / grid_km))
    steps = np.arange(-n, n + 1, dtype=np.float64) * grid_km
    x, y = np.meshgrid(steps, steps)
    dist = np.hypot(x, y).ravel()
    keep = dist <= radius_km + 1e-9
    az = np.degrees(np.arctan2(x.ravel(), y.ravel()))[keep]
    dist = dist[keep]
    lon, lat, _ = _GEOD.fwd(
        np.full(dist.shape, center_lon_deg), np.full(dist.shape, center_lat_deg), az, dist * 1000.0
    )
    return np.asarray(lat, dtype=np.float64), np.asarray(lon, dtype=np.float64)


def defended_footprint(
    shooter_lat_deg: float,
    shooter_lon_deg: float,
    kin: InterceptorKinematics,
    launch_lat_deg: float,
    launch_lon_deg: float,
    fly_fn: FlyFn,
    grid_km: float = 25.0,
    radius_km: float | None = None,
    delay_s: float = 0.0,
    shooter_alt_km: float = 0.0,
    center_lat_deg: float | None = None,
    center_lon_deg: float | None = None,
) -> shapely.Polygon:
    """Ground area a shooter defends against threats from one launch point.

    Aim points on a grid of spacing ``grid_km`` within ``radius_km`` of the
    centre (the shooter unless ``center_lat_deg``/``center_lon_deg`` name the
    target area) are all flown at once with
    ``fly_fn(launch_lat, launch_lon, aim_lat, aim_lon)`` (arrays of N aims in, a
    trajectory of N missiles out). An aim point is defended when
    :func:`engagement_windows` with ``detect_s = delay_s`` gives a window (its
    close time is not NaN): some point of the flight lies in the interceptor's
    engagement volume and can still be reached after the delay.

    The outline is the convex hull of the defended aim points
    (``shapely.MultiPoint(...).convex_hull``), chosen because it is unique and
    needs no tuning parameter; against one launch point the defended set of one
    shooter is a single lobe that is close to convex, and the hull overstates it
    by at most about one grid cell along its edge plus any concavity. The
    polygon's coordinates are (lon, lat) in degrees (shapely's x, y order); it is
    empty when fewer than three aim points are defended or they are collinear.

    Parameters
    ----------
    radius_km
        Search radius; by default twice ``max_ground_range_km`` (plus one grid
        cell), which holds the lobe of a shooter near the threat's path. A shooter
        far forward of its defended area needs a larger radius or a centre.
    delay_s
        Decision delay after the threat's launch (detection and command), s.
    """
    import shapely

    if radius_km is None:
        radius_km = 2.0 * kin.max_ground_range_km + grid_km
    c_lat = shooter_lat_deg if center_lat_deg is None else center_lat_deg
    c_lon = shooter_lon_deg if center_lon_deg is None else center_lon_deg
    aim_lat, aim_lon = footprint_aim_points(c_lat, c_lon, radius_km, grid_km)
    traj = fly_fn(launch_lat_deg, launch_lon_deg, aim_lat, aim_lon)
    win = engagement_windows(
        traj, shooter_lat_deg, shooter_lon_deg, shooter_alt_km, [kin], detect_s=delay_s
    )
    ok = np.isfinite(win.window_close_s[0])
    if ok.sum() < 3:
        return shapely.Polygon()
    hull = shapely.MultiPoint(np.column_stack([aim_lon[ok], aim_lat[ok]])).convex_hull
    if not isinstance(hull, shapely.Polygon):
        return shapely.Polygon()
    return hull


def footprint_area_km2(polygon: shapely.Polygon) -> float:
    """Area of a (lon, lat) polygon on the WGS84 ellipsoid, km².

    Uses ``pyproj.Geod.geometry_area_perimeter``; 0 for an empty polygon.
    """
    if polygon.is_empty:
        return 0.0
    area_m2, _ = _GEOD.geometry_area_perimeter(polygon)
    return abs(float(area_m2)) / 1e6


__all__ = [
    "EARTH_RADIUS_KM",
    "FlyFn",
    "InterceptorKinematics",
    "TrajectoryLike",
    "Windows",
    "defended_footprint",
    "engagement_windows",
    "flyout_time_s",
    "footprint_aim_points",
    "footprint_area_km2",
    "ground_distance_km",
    "slant_range_km",
]
