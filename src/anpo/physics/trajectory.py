"""Trajectory shapes: ballistic (minimum-energy, lofted, depressed) and flown profiles.

A threat's *shape* decides where in the sky it is when, and so which interceptors can
reach it (:func:`anpo.physics.intercept.engagement_windows` tests each sample of the
flight against an interceptor's altitude band and reach). Five shapes:

* ``minimum-energy`` (the default): the least-speed Keplerian conic to the aim point,
  :func:`anpo.physics.ballistic.fly`.
* ``lofted`` / ``depressed``: a Keplerian conic whose burnout flight-path angle is the
  minimum-energy angle plus an offset (``> 0`` lofted, ``< 0`` depressed) and whose
  speed is the one that then reaches the aim point
  (:func:`anpo.physics.ballistic.fly` with ``angle_offset_deg``). A depressed shot flies
  lower and arrives sooner for a little more speed; a lofted one the reverse.
* ``quasi-ballistic`` (KN-23 class) and ``glide`` (hypersonic glide vehicle): not
  Keplerian. The missile steers aerodynamically, so its path is given as a **flown
  profile**, altitude and ground distance against time, from a few published
  figures (apex, pull-up or glide altitude, mean speed) rather than integrated:
  :func:`profile_flight`.

The flown profile
-----------------
Six knots of (ground distance ``x`` from the launch point, altitude ``h``), joined by
straight segments in time:

=====  ==========================================  =============================
knot   ground distance                             altitude
=====  ==========================================  =============================
0      0 (launch)                                  0
1      ``x_b = v t_b / 2`` (burnout)               ``h_b`` (burnout altitude)
2      ``f_apex D``                                ``apex_km``
3      ``f_level D``                               ``level_km`` (pull-up / glide)
4      ``D - dive_km``                             ``level_km``
5      ``D`` (the aim point)                       0
=====  ==========================================  =============================

with ``D`` the great-circle ground range. The powered phase accelerates uniformly to
the mean speed ``v`` (so it covers ``v t_b / 2`` of ground in ``t_b``); after burnout
the ground speed is ``v``, so knot ``k`` is reached at
``t_k = t_b + (x_k - x_b) / v``. For a KN-23-class *quasi-ballistic* flight, knot 2 is
the low apex (about 40-60 km), knot 3 the pull-up, after which it flies a flatter path
at ``level_km`` before the terminal dive; for a *glide* vehicle, knot 2 is where the
booster releases the glider (its apex) and knots 3-4 the glide at about 30-50 km.

Between knots, ground distance and altitude are linear in time; the ground track is
the Earth-fixed great circle from launch to aim point on the model sphere
(:data:`anpo.physics.ballistic.GEOD`), so the flight lands exactly on the aim point (a
steering vehicle aims at where its target is, so no Earth-rotation correction).

What this leaves out: the profile is kinematic, not dynamic (no lift, drag or gravity
is integrated, so speed along the path is a mean); cross-range manoeuvres are not
represented (they matter to fire control, not to the altitude band that decides who
can engage); the knots' altitudes and distances are kb estimates with ranges, of which
the resolution uses the nominal values.

Sources: the shapes' figures are in the knowledge base (``missile_trajectory``
records, with their sources); the ballistic closed forms are those of
:mod:`anpo.physics.ballistic` (Bate, Mueller & White 1971, ch. 6).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray

from anpo.physics.ballistic import GEOD, Trajectory, fly

FloatArray = NDArray[np.float64]

Shape = Literal["minimum-energy", "lofted", "depressed", "quasi-ballistic", "glide"]
SHAPES: tuple[Shape, ...] = ("minimum-energy", "lofted", "depressed", "quasi-ballistic", "glide")
"""The trajectory shapes, in the spelling scenarios and the knowledge base use."""
BALLISTIC_SHAPES = ("minimum-energy", "lofted", "depressed")
PROFILE_SHAPES = ("quasi-ballistic", "glide")

N_KNOTS = 6


def _f64(x: ArrayLike) -> FloatArray:
    return np.atleast_1d(np.asarray(x, dtype=np.float64))


def profile_knots(
    range_km: ArrayLike,
    burnout_alt_km: ArrayLike,
    burnout_time_s: ArrayLike,
    apex_km: ArrayLike,
    apex_fraction: ArrayLike,
    level_km: ArrayLike,
    level_fraction: ArrayLike,
    dive_km: ArrayLike,
    speed_km_s: ArrayLike,
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """The (M, 6) knots ``(x_km, h_km, t_s)`` of M flown profiles (module docstring).

    Raises
    ------
    ValueError
        If the knots are not in order along the ground (the range is too short for the
        profile: burnout, apex, level flight and dive must follow one another), or the
        speed is not positive.
    """
    arrays = np.broadcast_arrays(
        *(
            _f64(a)
            for a in (
                range_km,
                burnout_alt_km,
                burnout_time_s,
                apex_km,
                apex_fraction,
                level_km,
                level_fraction,
                dive_km,
                speed_km_s,
            )
        )
    )
    d, h_b, t_b, apex, f_a, level, f_l, dive, v = arrays
    if np.any(~(v > 0)):
        raise ValueError("the profile's mean speed must be > 0")
    zero = np.zeros_like(d)
    x_b = 0.5 * v * t_b
    x = np.stack([zero, x_b, f_a * d, f_l * d, d - dive, d], axis=1)
    h = np.stack([zero, h_b, apex, level, level, zero], axis=1)
    if np.any(np.diff(x, axis=1) < 0):
        bad = np.flatnonzero(np.any(np.diff(x, axis=1) < 0, axis=1)).tolist()
        raise ValueError(
            f"flights {bad}: range too short for the profile (burnout, apex, level flight "
            "and terminal dive must follow one another along the ground)"
        )
    t = np.concatenate([zero[:, None], t_b[:, None] + (x[:, 1:] - x_b[:, None]) / v[:, None]], 1)
    return x, h, t


def profile_flight(
    launch_lat_deg: ArrayLike,
    launch_lon_deg: ArrayLike,
    aim_lat_deg: ArrayLike,
    aim_lon_deg: ArrayLike,
    burnout_alt_km: ArrayLike,
    burnout_time_s: ArrayLike,
    apex_km: ArrayLike,
    apex_fraction: ArrayLike,
    level_km: ArrayLike,
    level_fraction: ArrayLike,
    dive_km: ArrayLike,
    speed_km_s: ArrayLike,
    n_samples: int = 121,
) -> Trajectory:
    """Fly M missiles on flown (quasi-ballistic or glide) profiles to their aim points.

    The knots of :func:`profile_knots` are placed on the great circle from launch to
    aim point; the K samples are uniform in time from launch to impact, and at each
    sample time ``t`` the ground distance and altitude are interpolated linearly
    between the knots that bracket it (``np.interp``), and the sub-missile point is
    ``Geod.fwd(launch, azimuth, x(t))`` on the model sphere.

    Parameters
    ----------
    launch_lat_deg, launch_lon_deg, aim_lat_deg, aim_lon_deg : broadcast to (M,).
    burnout_alt_km, burnout_time_s : the powered phase.
    apex_km, apex_fraction : highest point after burnout and where it lies, as a
        fraction of the ground range.
    level_km, level_fraction : altitude of the flatter flight after the pull-up (or of
        the glide) and where it begins (fraction of the range).
    dive_km : ground distance of the terminal dive before the aim point.
    speed_km_s : mean ground speed after burnout.
    n_samples : K.

    Returns
    -------
    Trajectory
        As :func:`anpo.physics.ballistic.fly` returns, without burnout speed angle or
        azimuth (``flight_path_angle_deg`` None); ``burnout_speed_km_s`` holds the mean
        speed.
    """
    if n_samples < 2:
        raise ValueError("n_samples must be at least 2")
    lat0, lon0, lat1, lon1 = np.broadcast_arrays(
        _f64(launch_lat_deg), _f64(launch_lon_deg), _f64(aim_lat_deg), _f64(aim_lon_deg)
    )
    az, _, dist_m = GEOD.inv(lon0, lat0, lon1, lat1)
    d = np.asarray(dist_m, dtype=np.float64) / 1000.0
    x, h, t_k = profile_knots(
        d,
        burnout_alt_km,
        burnout_time_s,
        apex_km,
        apex_fraction,
        level_km,
        level_fraction,
        dive_km,
        speed_km_s,
    )
    m = d.shape[0]
    total = t_k[:, -1]
    t = total[:, None] * np.linspace(0.0, 1.0, n_samples)[None, :]
    t[:, -1] = total
    xs = np.empty_like(t)
    hs = np.empty_like(t)
    for i in range(m):  # M flight paths, each a handful of knots: a short loop
        xs[i] = np.interp(t[i], t_k[i], x[i])
        hs[i] = np.interp(t[i], t_k[i], h[i])
    xs[:, -1] = d
    hs[:, -1] = 0.0
    lon, lat, _ = GEOD.fwd(
        np.broadcast_to(lon0[:, None], t.shape),
        np.broadcast_to(lat0[:, None], t.shape),
        np.broadcast_to(np.asarray(az, dtype=np.float64)[:, None], t.shape),
        xs * 1000.0,
    )
    lon = np.mod(np.asarray(lon, dtype=np.float64) + 180.0, 360.0) - 180.0
    return Trajectory(
        t_s=t,
        lat_deg=np.asarray(lat, dtype=np.float64),
        lon_deg=lon,
        alt_km=hs,
        flight_time_s=total,
        apogee_km=h.max(axis=1),  # the apex knot, which a sample may straddle
        range_km=d,
        burnout_speed_km_s=np.broadcast_to(_f64(speed_km_s), (m,)).astype(np.float64),
    )


def fly_shape(
    shape: Shape,
    launch_lat_deg: ArrayLike,
    launch_lon_deg: ArrayLike,
    aim_lat_deg: ArrayLike,
    aim_lon_deg: ArrayLike,
    burnout_alt_km: ArrayLike,
    burnout_time_s: ArrayLike,
    *,
    angle_offset_deg: ArrayLike | None = None,
    apex_km: ArrayLike | None = None,
    apex_fraction: ArrayLike | None = None,
    level_km: ArrayLike | None = None,
    level_fraction: ArrayLike | None = None,
    dive_km: ArrayLike | None = None,
    speed_km_s: ArrayLike | None = None,
    n_samples: int = 121,
) -> Trajectory:
    """Fly M missiles of one shape (:data:`SHAPES`) to their aim points.

    ``lofted``/``depressed`` need ``angle_offset_deg``; ``quasi-ballistic``/``glide``
    need the profile's parameters (:func:`profile_flight`).

    Raises
    ------
    ValueError
        For an unknown shape, a missing parameter or a flight that cannot be flown.
    """
    if shape == "minimum-energy":
        return fly(
            launch_lat_deg,
            launch_lon_deg,
            aim_lat_deg,
            aim_lon_deg,
            burnout_alt_km,
            burnout_time_s,
            n_samples=n_samples,
        )
    if shape in ("lofted", "depressed"):
        if angle_offset_deg is None:
            raise ValueError(f"a {shape} trajectory needs angle_offset_deg")
        return fly(
            launch_lat_deg,
            launch_lon_deg,
            aim_lat_deg,
            aim_lon_deg,
            burnout_alt_km,
            burnout_time_s,
            mode="lofted" if shape == "lofted" else "depressed",
            n_samples=n_samples,
            angle_offset_deg=angle_offset_deg,
        )
    if shape in PROFILE_SHAPES:
        params = (apex_km, apex_fraction, level_km, level_fraction, dive_km, speed_km_s)
        if any(p is None for p in params):
            raise ValueError(
                f"a {shape} flight needs apex_km, apex_fraction, level_km, level_fraction, "
                "dive_km and speed_km_s"
            )
        assert apex_km is not None and apex_fraction is not None and level_km is not None
        assert level_fraction is not None and dive_km is not None and speed_km_s is not None
        return profile_flight(
            launch_lat_deg,
            launch_lon_deg,
            aim_lat_deg,
            aim_lon_deg,
            burnout_alt_km,
            burnout_time_s,
            apex_km,
            apex_fraction,
            level_km,
            level_fraction,
            dive_km,
            speed_km_s,
            n_samples=n_samples,
        )
    raise ValueError(f"unknown trajectory shape {shape!r}; shapes: {', '.join(SHAPES)}")


def stack(trajs: Sequence[Trajectory]) -> Trajectory:
    """One :class:`Trajectory` of all the flights of ``trajs`` (same K), in order.

    Burnout angle and azimuth are kept where every part has them, else NaN for the
    flown profiles, which have neither.
    """
    if not trajs:
        raise ValueError("nothing to stack")

    def cat(name: str) -> FloatArray:
        return np.concatenate([np.asarray(getattr(t, name), dtype=np.float64) for t in trajs])

    def cat_optional(name: str) -> FloatArray:
        parts = [getattr(t, name) for t in trajs]
        return np.concatenate(
            [
                np.full(t.flight_time_s.shape, np.nan) if p is None else np.asarray(p)
                for t, p in zip(trajs, parts, strict=True)
            ]
        )

    return Trajectory(
        t_s=cat("t_s"),
        lat_deg=cat("lat_deg"),
        lon_deg=cat("lon_deg"),
        alt_km=cat("alt_km"),
        flight_time_s=cat("flight_time_s"),
        apogee_km=cat("apogee_km"),
        range_km=cat("range_km"),
        burnout_speed_km_s=cat("burnout_speed_km_s"),
        flight_path_angle_deg=cat_optional("flight_path_angle_deg"),
        azimuth_deg=cat_optional("azimuth_deg"),
    )


__all__ = [
    "BALLISTIC_SHAPES",
    "PROFILE_SHAPES",
    "SHAPES",
    "Shape",
    "fly_shape",
    "profile_flight",
    "profile_knots",
    "stack",
]
