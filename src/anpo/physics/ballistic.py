"""Ballistic flight of M missiles over a spherical, rotating Earth, vectorized.

Model
-----
* **Earth.** A sphere of radius ``R = 6371.0 km`` with ``GM = 398600.4418 km^3/s^2``
  rotating eastward at ``omega = 7.2921159e-5 rad/s`` (:mod:`anpo.physics.earth`).
  Latitudes and longitudes are read as spherical coordinates on that sphere.
* **Powered phase.** Not integrated. It is replaced by a straight vertical climb: the
  missile stays above the launch point and reaches the burnout altitude ``h_b`` at the
  burnout time ``t_b`` (altitude ``h_b (t/t_b)^2``, constant acceleration). Real
  missiles pitch over and cover tens to a few hundred km downrange while burning, so the
  model puts burnout slightly short of where it really is; the solver compensates by
  choosing the burnout state that lands on the aim point, so impact point and flight
  time stay close, while the boost-phase ground track is not represented.
* **Free flight.** A Keplerian (two-body) conic from the burnout state, worked out in an
  inertial frame that coincides with the Earth-fixed frame at launch (t = 0). The
  burnout point is the launch point's inertial position at ``t_b`` (longitude advanced
  by ``omega t_b``). Positions on the conic are placed along the inertial great circle
  of the burnout azimuth and turned into Earth-fixed longitudes by subtracting
  ``omega t``, so the ground track includes Earth's rotation (the Coriolis and
  centrifugal effects of a rotating frame follow exactly from this).
* **Re-entry.** No atmosphere, no drag: impact is where the conic's radius returns to
  ``R`` (altitude 0). Drag would shorten the range of a real re-entry vehicle by a few
  km and lengthen its last tens of seconds.
* **Geodesy.** :class:`pyproj.Geod` (Karney's geodesic algorithms) on a *sphere* of
  radius ``R`` (``a = R, f = 0``), not on WGS84: the conic, the ground and the
  distances must share one figure of the Earth or the impact point would be off by up
  to ~0.5 % of the range. Azimuths, great-circle distances (``Geod.inv``) and points
  along the track (``Geod.fwd``) all come from that geodesic; the only hand-written
  formulas are the orbital ones. Ground ranges therefore differ from WGS84 geodesic
  distances by up to about 0.5 %.

Closed forms (equations)
------------------------
With burnout radius ``r1 = R + h_b``, inertial speed ``v``, flight-path angle ``gamma``
(above the local horizontal) and ``nu = v^2 r1 / GM``:

* semi-latus rectum ``p = r1 nu cos^2 gamma``, ``e cos f1 = nu cos^2 gamma - 1``,
  ``e sin f1 = nu sin gamma cos gamma``, semi-major axis ``a = r1 / (2 - nu)``;
* free-flight range angle ``Theta`` to radius ``r2 = R``, from the orbit equation
  ``1/r = 1/p + (1/r1 - 1/p) cos theta - (tan gamma / r1) sin theta``, gives a quadratic
  in ``z = tan gamma``::

      A z^2 - sin(Theta) z + (A + cos(Theta) - r1/r2) = 0,   A = (1 - cos Theta) / nu

  whose larger root is the lofted and smaller root the depressed trajectory (for
  ``r1 = r2`` this is the classic ``tan(Theta/2) = nu sin g cos g / (1 - nu cos^2 g)``);
* minimum energy: the discriminant vanishes, ``A = (rho - cos Theta + sqrt((cos Theta -
  rho)^2 + sin^2 Theta)) / 2`` with ``rho = r1/r2``, ``nu = (1 - cos Theta)/A``,
  ``tan gamma = sin Theta / (2 A)``; for ``r1 = r2`` this is ``gamma = 45 deg - Theta/4``
  and ``nu = 2 sin(Theta/2) / (1 + sin(Theta/2))``;
* time of flight from Kepler's equation ``M = E - e sin E``, ``t = (M2 - M1) sqrt(a^3/GM)``.

Sources: A. D. Wheelon, "Free Flight of a Ballistic Missile", ARS Journal 29 (1959)
915-926; R. R. Bate, D. D. Mueller, J. E. White, *Fundamentals of Astrodynamics* (Dover,
1971), ch. 6 "Ballistic missile trajectories"; F. J. Regan, *Re-Entry Vehicle Dynamics*
(AIAA, 1984), ch. 2.

Rotation and the aim point
--------------------------
:func:`fly` aims in the inertial frame at where the aim point *will be* at impact
(its longitude advanced by ``omega (t_b + T)``) and iterates on the flight time ``T``
(a fixed-point iteration; it contracts by about ``omega dT/dTheta``, < 0.2 for all
missiles of interest) until ``T`` changes by less than a microsecond; the impact then
lies within millimetres of the aim point (tests hold it to < 1 km).

Speeds: ``burnout_speed_km_s`` is the **inertial** speed unless
``speed_frame="earth"``, in which case it is the speed relative to the rotating Earth
(the inertial velocity minus ``omega x r``), which is what a rocket's performance fixes;
:mod:`anpo.physics.loft` works with Earth-relative speeds.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray
from pyproj import Geod

from anpo.physics.earth import EARTH_RADIUS_KM, GM_KM3_S2, OMEGA_RAD_S

FloatArray = NDArray[np.float64]
Mode = Literal["minimum_energy", "lofted", "depressed"]
SpeedFrame = Literal["inertial", "earth"]

GEOD = Geod(a=EARTH_RADIUS_KM * 1000.0, f=0.0)
"""Geodesics on the model sphere (radius 6371 km); pyproj works in metres."""

_TWO_PI = 2.0 * np.pi
_MAX_ITER = 60


@dataclass(frozen=True)
class Trajectory:
    """Sampled flights of M missiles, K samples each, uniform in time from launch to impact.

    Attributes
    ----------
    t_s : (M, K) time since launch, s; the last column is the impact time.
    lat_deg, lon_deg : (M, K) Earth-fixed latitude and longitude (lon in [-180, 180)).
    alt_km : (M, K) altitude above the sphere, km (0 at launch and impact).
    flight_time_s : (M,) launch to impact, s (burnout time + free flight).
    apogee_km : (M,) highest altitude, km.
    range_km : (M,) great-circle ground range launch -> impact on the rotating Earth, km.
    burnout_speed_km_s : (M,) inertial speed at burnout, km/s.
    flight_path_angle_deg : (M,) inertial flight-path angle at burnout, deg above horizontal.
    azimuth_deg : (M,) inertial heading at burnout, deg clockwise from north.
    """

    t_s: FloatArray
    lat_deg: FloatArray
    lon_deg: FloatArray
    alt_km: FloatArray
    flight_time_s: FloatArray
    apogee_km: FloatArray
    range_km: FloatArray
    burnout_speed_km_s: FloatArray
    flight_path_angle_deg: FloatArray | None = None
    azimuth_deg: FloatArray | None = None

    @property
    def impact_lat_deg(self) -> FloatArray:
        """(M,) latitude of the impact point."""
        return self.lat_deg[:, -1]

    @property
    def impact_lon_deg(self) -> FloatArray:
        """(M,) longitude of the impact point."""
        return self.lon_deg[:, -1]

    def time_at(self, lat_deg: ArrayLike, lon_deg: ArrayLike) -> FloatArray:
        """Time (s) at which each missile's ground track passes nearest a point.

        ``lat_deg``/``lon_deg`` broadcast to (M,): one point per missile. The answer is
        the time of the sample whose sub-missile point is closest (great circle on the
        model sphere) to the point, so it is exact to within half a sample interval.
        """
        m, k = self.t_s.shape
        lat = np.broadcast_to(np.asarray(lat_deg, dtype=np.float64), (m,))
        lon = np.broadcast_to(np.asarray(lon_deg, dtype=np.float64), (m,))
        _, _, dist_m = GEOD.inv(
            self.lon_deg,
            self.lat_deg,
            np.broadcast_to(lon[:, None], (m, k)),
            np.broadcast_to(lat[:, None], (m, k)),
        )
        nearest = np.argmin(np.asarray(dist_m), axis=1)
        return np.asarray(self.t_s[np.arange(m), nearest], dtype=np.float64)


@dataclass(frozen=True)
class FreeFlight:
    """Closed-form free flight from burnout to impact at altitude 0 (non-rotating frame).

    ``range_angle_rad``: central angle burnout -> impact; ``time_s``: burnout -> impact;
    ``apogee_km``: highest altitude above the sphere. NaN where the conic never comes
    back down to the sphere (orbital or escape speed).
    """

    range_angle_rad: FloatArray
    time_s: FloatArray
    apogee_km: FloatArray


def _f64(x: ArrayLike) -> FloatArray:
    return np.asarray(x, dtype=np.float64)


def _eccentric_anomaly(f: FloatArray, e: FloatArray) -> FloatArray:
    """E in [0, 2 pi] from the true anomaly f in [0, 2 pi).

    ``tan(E/2) = sqrt((1 - e)/(1 + e)) tan(f/2)``.
    """
    half = np.arctan2(np.sqrt(1.0 - e) * np.sin(f / 2.0), np.sqrt(1.0 + e) * np.cos(f / 2.0))
    return np.asarray(2.0 * half, dtype=np.float64)


def _elements(
    r1_km: FloatArray, speed_km_s: FloatArray, gamma_rad: FloatArray
) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray]:
    """Semi-latus rectum p, eccentricity e, semi-major axis a and burnout true anomaly f1."""
    nu = speed_km_s**2 * r1_km / GM_KM3_S2
    cg, sg = np.cos(gamma_rad), np.sin(gamma_rad)
    p = r1_km * nu * cg**2
    ecos, esin = nu * cg**2 - 1.0, nu * sg * cg
    e = np.hypot(ecos, esin)
    with np.errstate(divide="ignore"):
        a = r1_km / (2.0 - nu)
    f1 = np.mod(np.arctan2(esin, ecos), _TWO_PI)
    return p, e, a, f1


def free_flight(
    burnout_alt_km: ArrayLike, speed_km_s: ArrayLike, flight_path_angle_deg: ArrayLike
) -> FreeFlight:
    """Range angle, time and apogee of the Keplerian free flight down to altitude 0.

    Closed forms of Wheelon (1959) / Bate, Mueller & White (1971), ch. 6: impact true
    anomaly ``f2 = 2 pi - arccos((p/R - 1)/e)``, ``Theta = f2 - f1``, time from Kepler's
    equation, apogee radius ``a (1 + e)`` (or the burnout radius when already descending).
    Inputs broadcast; speed is inertial.
    """
    h, v, g = np.broadcast_arrays(
        _f64(burnout_alt_km), _f64(speed_km_s), np.radians(_f64(flight_path_angle_deg))
    )
    r1 = EARTH_RADIUS_KM + h
    p, e, a, f1 = _elements(r1, v, g)
    with np.errstate(invalid="ignore", divide="ignore"):
        cos_f2 = (p / EARTH_RADIUS_KM - 1.0) / e
        ok = (a > 0) & (np.abs(cos_f2) <= 1.0) & (e < 1.0)
        f2 = _TWO_PI - np.arccos(np.clip(cos_f2, -1.0, 1.0))
        e1, e2 = _eccentric_anomaly(f1, e), _eccentric_anomaly(f2, e)
        mean_motion = np.sqrt(GM_KM3_S2 / a**3)
        time = ((e2 - e * np.sin(e2)) - (e1 - e * np.sin(e1))) / mean_motion
        apogee_r = np.where(f1 <= np.pi, a * (1.0 + e), r1)
    nan = np.float64(np.nan)
    return FreeFlight(
        range_angle_rad=np.where(ok, f2 - f1, nan),
        time_s=np.where(ok, time, nan),
        apogee_km=np.where(ok, apogee_r - EARTH_RADIUS_KM, nan),
    )


def _minimum_energy(r1_km: FloatArray, theta_rad: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Inertial speed and flight-path angle (rad) of the minimum-energy conic r1 -> R over Theta."""
    rho = r1_km / EARTH_RADIUS_KM
    c = np.cos(theta_rad)
    s = np.sin(theta_rad)
    a_coef = 0.5 * (rho - c + np.sqrt((c - rho) ** 2 + s**2))
    nu = (1.0 - c) / a_coef
    gamma = np.arctan2(s, 2.0 * a_coef)
    speed = np.sqrt(nu * GM_KM3_S2 / r1_km)
    return speed, gamma


def minimum_energy_speed(range_km: ArrayLike, burnout_alt_km: ArrayLike) -> FloatArray:
    """Inertial burnout speed (km/s) of the minimum-energy trajectory of a ground range.

    Non-rotating closed form (see the module docstring): with ``Theta = range_km / R``
    (the powered phase covers no ground), ``rho = (R + h_b)/R``,
    ``A = (rho - cos Theta + sqrt((cos Theta - rho)^2 + sin^2 Theta))/2`` and
    ``v^2 = GM (1 - cos Theta) / (A (R + h_b))``; for ``h_b = 0`` this reduces to
    ``v^2 = (GM/R) 2 sin(Theta/2) / (1 + sin(Theta/2))`` (Bate, Mueller & White 1971, ch. 6).
    On the rotating Earth :func:`fly` solves the same problem for where the target will be.
    """
    rng, h = np.broadcast_arrays(_f64(range_km), _f64(burnout_alt_km))
    speed, _ = _minimum_energy(EARTH_RADIUS_KM + h, rng / EARTH_RADIUS_KM)
    return np.asarray(speed, dtype=np.float64)


def minimum_energy_angle_deg(range_km: ArrayLike, burnout_alt_km: ArrayLike) -> FloatArray:
    """Flight-path angle (deg) of the minimum-energy trajectory, non-rotating closed form.

    ``tan gamma = sin Theta / (2 A)`` (``A`` as in :func:`minimum_energy_speed`); equals
    ``45 deg - Theta/4`` when the burnout altitude is 0.
    """
    rng, h = np.broadcast_arrays(_f64(range_km), _f64(burnout_alt_km))
    _, gamma = _minimum_energy(EARTH_RADIUS_KM + h, rng / EARTH_RADIUS_KM)
    return np.asarray(np.degrees(gamma), dtype=np.float64)


def _speed_for_angle(r1_km: FloatArray, gamma_rad: FloatArray, theta_rad: FloatArray) -> FloatArray:
    """Inertial speed (km/s) that carries a given flight-path angle from r1 to R over Theta.

    The range quadratic (module docstring) solved for ``nu`` instead of ``z = tan gamma``:
    ``A = (z sin Theta + r1/R - cos Theta) / (1 + z^2)``, ``nu = (1 - cos Theta) / A``,
    ``v = sqrt(nu GM / r1)``; NaN where no suborbital conic does it (``A <= 0`` or
    ``nu >= 2``).
    """
    z = np.tan(gamma_rad)
    c, s = np.cos(theta_rad), np.sin(theta_rad)
    a_coef = (z * s + r1_km / EARTH_RADIUS_KM - c) / (1.0 + z**2)
    with np.errstate(invalid="ignore", divide="ignore"):
        nu = np.where(a_coef > 0, (1.0 - c) / a_coef, np.nan)
        nu = np.where(nu < 2.0, nu, np.nan)
        return np.asarray(np.sqrt(nu * GM_KM3_S2 / r1_km), dtype=np.float64)


def _gamma_for_range(
    r1_km: FloatArray, speed_km_s: FloatArray, theta_rad: FloatArray, lofted: bool
) -> FloatArray:
    """Flight-path angle (rad) that carries speed v from r1 to R over Theta (NaN: can't)."""
    nu = speed_km_s**2 * r1_km / GM_KM3_S2
    c, s = np.cos(theta_rad), np.sin(theta_rad)
    a_coef = (1.0 - c) / nu
    disc = s**2 - 4.0 * a_coef * (a_coef + c - r1_km / EARTH_RADIUS_KM)
    with np.errstate(invalid="ignore"):
        root = np.sqrt(disc)
    z = (s + root) / (2.0 * a_coef) if lofted else (s - root) / (2.0 * a_coef)
    return np.asarray(np.arctan(z), dtype=np.float64)


def _east_speed(lat_deg: FloatArray, r1_km: FloatArray) -> FloatArray:
    """Speed of the rotating frame at the burnout point, omega r cos(lat), km/s (eastward)."""
    return OMEGA_RAD_S * r1_km * np.cos(np.radians(lat_deg))


def earth_to_inertial(
    lat_deg: FloatArray,
    r1_km: FloatArray,
    speed_km_s: FloatArray,
    gamma_rad: FloatArray,
    azimuth_deg: FloatArray,
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Burnout velocity relative to the Earth -> inertial (speed, gamma rad, azimuth deg).

    ``v_inertial = v_rel + omega x r``: the frame adds ``omega r cos(lat)`` eastward.
    """
    az = np.radians(azimuth_deg)
    horiz = speed_km_s * np.cos(gamma_rad)
    east = horiz * np.sin(az) + _east_speed(lat_deg, r1_km)
    north = horiz * np.cos(az)
    up = speed_km_s * np.sin(gamma_rad)
    h_i = np.hypot(east, north)
    return (
        np.sqrt(h_i**2 + up**2),
        np.arctan2(up, h_i),
        np.mod(np.degrees(np.arctan2(east, north)), 360.0),
    )


def _inertial_speed_from_earth_speed(
    lat_deg: FloatArray,
    r1_km: FloatArray,
    earth_speed_km_s: FloatArray,
    gamma_rad: FloatArray,
    azimuth_deg: FloatArray,
) -> FloatArray:
    """Inertial speed along a given inertial direction whose Earth-relative speed is fixed.

    Solves ``|v d - u| = v_rel`` for ``v``: ``v = d.u + sqrt((d.u)^2 - |u|^2 + v_rel^2)``
    with ``u = omega r cos(lat)`` east and ``d`` the unit vector (gamma, azimuth).
    """
    u = _east_speed(lat_deg, r1_km)
    du = np.cos(gamma_rad) * np.sin(np.radians(azimuth_deg)) * u
    return np.asarray(du + np.sqrt(du**2 - u**2 + earth_speed_km_s**2), dtype=np.float64)


def _kepler(e: FloatArray, m_anom: FloatArray, steps: int = 40) -> FloatArray:
    """Eccentric anomaly E of M = E − e sin E: ``steps`` Newton steps from E = π.

        E ← E − (E − e sin E − M) / (1 − e cos E)

    (convergent from π for every e < 1). Once converged, an entry either stays put
    (a fixed point) or, in the last bit, swaps between two values (a 2-cycle); the
    step being a fixed function of the entry, either repeats forever, so the entry
    is settled there with the value it would have after ``steps`` steps, and only
    the entries still moving are stepped on. The result is that of ``steps`` steps
    on every entry, in a fraction of the work (most settle within a dozen steps).
    """
    ecc = np.full(m_anom.shape, np.pi)
    out = ecc.reshape(-1)
    active = np.arange(out.size)
    e_a, m_a = e.reshape(-1), m_anom.reshape(-1)
    x = out.copy()
    before: FloatArray | None = None  # the entries' values one step before x
    for j in range(1, steps + 1):
        new = x - (x - e_a * np.sin(x) - m_a) / (1.0 - e_a * np.cos(x))
        out[active] = new
        settled = new == x
        if before is not None:
            swaps = (new == before) & ~settled  # x → new → x → ...: new at even remaining
            if swaps.any():
                out[active[swaps]] = np.where((steps - j) % 2 == 0, new[swaps], x[swaps])
                settled |= swaps
        if settled.any():
            keep = ~settled
            active, e_a, m_a, x, new = active[keep], e_a[keep], m_a[keep], x[keep], new[keep]
            if not active.size:
                break
        before, x = x, new
    return ecc


def _sample(
    lat0: FloatArray,
    lon0: FloatArray,
    h_b: FloatArray,
    t_b: FloatArray,
    speed: FloatArray,
    gamma: FloatArray,
    az_i: FloatArray,
    omega: float,
    n_samples: int,
) -> Trajectory:
    """Sample launch -> impact for inertial burnout states (all inputs (M,))."""
    if n_samples < 2:
        raise ValueError("n_samples must be at least 2")
    r1 = EARTH_RADIUS_KM + h_b
    ff = free_flight(h_b, speed, np.degrees(gamma))
    if np.any(~np.isfinite(ff.time_s)):
        bad = np.flatnonzero(~np.isfinite(ff.time_s)).tolist()
        raise ValueError(f"missiles {bad} do not come back to the ground (orbital speed)")
    _, e, a, f1 = _elements(r1, speed, gamma)
    total = t_b + ff.time_s
    frac = np.linspace(0.0, 1.0, n_samples)
    t = total[:, None] * frac[None, :]
    t[:, -1] = total
    tau = np.clip(t - t_b[:, None], 0.0, None)
    # Kepler's equation M = E - e sin E by Newton from E = pi (converges for e < 1).
    e_col = e[:, None]
    mean_motion = np.sqrt(GM_KM3_S2 / a**3)[:, None]
    e1 = _eccentric_anomaly(f1, e)[:, None]
    m_anom = (e1 - e_col * np.sin(e1)) + mean_motion * tau
    ecc = _kepler(np.broadcast_to(e_col, m_anom.shape), m_anom)
    f = 2.0 * np.arctan2(
        np.sqrt(1.0 + e_col) * np.sin(ecc / 2.0), np.sqrt(1.0 - e_col) * np.cos(ecc / 2.0)
    )
    r = a[:, None] * (1.0 - e_col * np.cos(ecc))
    sweep = np.mod(f - f1[:, None] + 1e-9, _TWO_PI) - 1e-9
    sweep = np.clip(sweep, 0.0, ff.range_angle_rad[:, None])
    sweep = np.where(tau <= 0.0, 0.0, sweep)
    sweep[:, -1] = ff.range_angle_rad
    r[:, -1] = EARTH_RADIUS_KM
    lon_b_inertial = lon0 + np.degrees(omega * t_b)
    m, k = t.shape
    lon_i, lat_i, _ = GEOD.fwd(
        np.broadcast_to(lon_b_inertial[:, None], (m, k)),
        np.broadcast_to(lat0[:, None], (m, k)),
        np.broadcast_to(az_i[:, None], (m, k)),
        sweep * EARTH_RADIUS_KM * 1000.0,
    )
    boost = t < t_b[:, None]
    lat = np.where(boost, lat0[:, None], np.asarray(lat_i))
    lon = np.where(boost, lon0[:, None], np.asarray(lon_i) - np.degrees(omega * t))
    lon = np.mod(lon + 180.0, 360.0) - 180.0
    with np.errstate(invalid="ignore", divide="ignore"):
        climb = h_b[:, None] * np.where(t_b[:, None] > 0, (t / t_b[:, None]) ** 2, 1.0)
    alt = np.where(boost, climb, np.clip(r - EARTH_RADIUS_KM, 0.0, None))
    alt[:, 0] = 0.0
    _, _, rng_m = GEOD.inv(lon0, lat0, lon[:, -1], lat[:, -1])
    return Trajectory(
        t_s=t,
        lat_deg=lat,
        lon_deg=lon,
        alt_km=alt,
        flight_time_s=total,
        apogee_km=np.maximum(ff.apogee_km, h_b),
        range_km=np.asarray(rng_m, dtype=np.float64) / 1000.0,
        burnout_speed_km_s=speed,
        flight_path_angle_deg=np.degrees(gamma),
        azimuth_deg=az_i,
    )


def launch(
    launch_lat_deg: ArrayLike,
    launch_lon_deg: ArrayLike,
    azimuth_deg: ArrayLike,
    burnout_alt_km: ArrayLike,
    burnout_time_s: ArrayLike,
    burnout_speed_km_s: ArrayLike,
    flight_path_angle_deg: ArrayLike,
    speed_frame: SpeedFrame = "inertial",
    rotating: bool = True,
    n_samples: int = 121,
) -> Trajectory:
    """Fly M missiles forward from a given burnout state (no aim point).

    With ``speed_frame="earth"`` the speed, flight-path angle and azimuth are relative to
    the rotating Earth and are converted with :func:`earth_to_inertial`; otherwise they
    are inertial. Inputs broadcast to (M,).
    """
    arrays = np.broadcast_arrays(
        _f64(launch_lat_deg),
        _f64(launch_lon_deg),
        _f64(azimuth_deg),
        _f64(burnout_alt_km),
        _f64(burnout_time_s),
        _f64(burnout_speed_km_s),
        np.radians(_f64(flight_path_angle_deg)),
    )
    lat0, lon0, az, h_b, t_b, v, g = (np.atleast_1d(x).astype(np.float64) for x in arrays)
    omega = OMEGA_RAD_S if rotating else 0.0
    if speed_frame == "earth" and rotating:
        v, g, az = earth_to_inertial(lat0, EARTH_RADIUS_KM + h_b, v, g, az)
    return _sample(lat0, lon0, h_b, t_b, v, g, az, omega, n_samples)


def fly(
    launch_lat_deg: ArrayLike,
    launch_lon_deg: ArrayLike,
    aim_lat_deg: ArrayLike,
    aim_lon_deg: ArrayLike,
    burnout_alt_km: ArrayLike,
    burnout_time_s: ArrayLike,
    mode: Mode = "minimum_energy",
    burnout_speed_km_s: ArrayLike | None = None,
    n_samples: int = 121,
    *,
    speed_frame: SpeedFrame = "inertial",
    rotating: bool = True,
    angle_offset_deg: ArrayLike | None = None,
) -> Trajectory:
    """Fly M missiles from launch points to aim points on the rotating Earth.

    Parameters
    ----------
    launch_lat_deg, launch_lon_deg, aim_lat_deg, aim_lon_deg : broadcast to (M,).
    burnout_alt_km, burnout_time_s : the straight-climb powered phase (module docstring).
    mode : ``"minimum_energy"`` solves speed and flight-path angle of the least-speed
        conic that reaches the (moving) aim point; ``"lofted"``/``"depressed"`` need
        ``burnout_speed_km_s`` and take the higher/lower of the two flight-path angles
        that reach it at that speed.
    burnout_speed_km_s : inertial speed (or Earth-relative with ``speed_frame="earth"``).
    n_samples : K, samples per trajectory, uniform in time from launch to impact.
    rotating : ``False`` stops the Earth (omega = 0), for checks against closed forms.
    angle_offset_deg : with ``"lofted"``/``"depressed"`` and no speed, the burnout
        flight-path angle is the minimum-energy angle plus this offset (deg; > 0 for
        lofted, < 0 for depressed), and the speed is the one that reaches the aim point
        at that angle (:func:`_speed_for_angle`): a lofted or depressed shot defined by
        its shape, as analysts describe them, rather than by a missile's speed.

    Raises
    ------
    ValueError
        If a given speed cannot reach the aim point (or would go into orbit).
    """
    if mode not in ("minimum_energy", "lofted", "depressed"):
        raise ValueError(f"unknown mode {mode!r}")
    by_angle = mode != "minimum_energy" and burnout_speed_km_s is None
    if by_angle and angle_offset_deg is None:
        raise ValueError(f"mode {mode!r} needs burnout_speed_km_s or angle_offset_deg")
    offset = np.radians(_f64(0.0 if angle_offset_deg is None else angle_offset_deg))
    if by_angle and np.any(offset * (1.0 if mode == "lofted" else -1.0) < 0):
        raise ValueError("a lofted shot needs an angle offset >= 0, a depressed one <= 0")
    speed_in = _f64(0.0 if burnout_speed_km_s is None else burnout_speed_km_s)
    arrays = np.broadcast_arrays(
        _f64(launch_lat_deg),
        _f64(launch_lon_deg),
        _f64(aim_lat_deg),
        _f64(aim_lon_deg),
        _f64(burnout_alt_km),
        _f64(burnout_time_s),
        speed_in,
        offset,
    )
    lat0, lon0, lat_t, lon_t, h_b, t_b, v_given, offset = (
        np.atleast_1d(x).astype(np.float64) for x in arrays
    )
    omega = OMEGA_RAD_S if rotating else 0.0
    r1 = EARTH_RADIUS_KM + h_b
    lon_b_i = lon0 + np.degrees(omega * t_b)
    t_free = np.zeros_like(lat0)
    gamma = np.full_like(lat0, np.pi / 4.0)
    speed = v_given.copy()
    az_i = np.zeros_like(lat0)
    for _ in range(_MAX_ITER):
        lon_t_i = lon_t + np.degrees(omega * (t_b + t_free))
        az, _, dist_m = GEOD.inv(lon_b_i, lat0, lon_t_i, lat_t)
        az_i = np.mod(np.asarray(az, dtype=np.float64), 360.0)
        theta = np.asarray(dist_m, dtype=np.float64) / (EARTH_RADIUS_KM * 1000.0)
        if mode == "minimum_energy":
            speed, gamma = _minimum_energy(r1, theta)
        elif by_angle:
            gamma = _minimum_energy(r1, theta)[1] + offset
            speed = _speed_for_angle(r1, gamma, theta)
            if np.any(~np.isfinite(speed)):
                bad = np.flatnonzero(~np.isfinite(speed)).tolist()
                raise ValueError(f"missiles {bad}: no suborbital flight at that angle")
        else:
            if speed_frame == "earth" and rotating:
                speed = _inertial_speed_from_earth_speed(lat0, r1, v_given, gamma, az_i)
            gamma = _gamma_for_range(r1, speed, theta, lofted=mode == "lofted")
        if np.any(~np.isfinite(gamma)):
            bad = np.flatnonzero(~np.isfinite(gamma)).tolist()
            raise ValueError(f"missiles {bad}: burnout speed too low to reach the aim point")
        ff = free_flight(h_b, speed, np.degrees(gamma))
        if np.any(~np.isfinite(ff.time_s)) or np.any(np.abs(ff.range_angle_rad - theta) > 1e-6):
            raise ValueError("no ballistic solution reaches the aim point at this speed")
        step = np.max(np.abs(ff.time_s - t_free))
        t_free = ff.time_s
        if step < 1e-6:
            break
    return _sample(lat0, lon0, h_b, t_b, speed, gamma, az_i, omega, n_samples)
