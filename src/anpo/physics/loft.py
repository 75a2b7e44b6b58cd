"""Maximum range of a missile from one lofted test flight.

North Korea tests its long-range missiles on steep ("lofted") trajectories that reach
thousands of km up and land ~1,000 km away in the Sea of Japan. Analysts turn the
published apogee and range into a burnout speed and then ask how far the same speed
would carry on a range-maximizing trajectory. :func:`infer_loft` does that with the
model of :mod:`anpo.physics.ballistic` (straight-climb powered phase, Keplerian free
flight, rotating spherical Earth, no atmosphere).

Method
------
1. **Fit.** Two unknowns, the burnout speed ``v`` and flight-path angle ``gamma``
   (both relative to the rotating Earth, heading ``azimuth_deg`` from the launch point),
   two equations: model apogee = observed apogee and model ground range (launch to
   impact on the rotating Earth) = observed range. For a trial ``gamma`` the apogee
   fixes ``v`` (bisection: apogee rises with ``v``); along that curve the range falls
   monotonically as ``gamma`` steepens, so a second bisection on ``gamma`` over the
   lofted branch (above the range-maximizing angle) finds the solution.
2. **Flight time is checked, not fitted** (``flight_time_fitted=False``). The observed
   time is reported beside the model's; the model time depends on the assumed burnout
   time and altitude (each second of burn adds a second of flight), so fitting it would
   mostly tune an unknown ``t_b`` rather than test the physics. The tests show the model
   lands within ~10 % of the published times.
3. **Maximum range.** With the same Earth-relative burnout speed, burnout altitude and
   time, launch point and azimuth, maximize the ground range over ``gamma``
   (golden-section search; range is unimodal in ``gamma``).

The speed is held fixed **relative to the Earth** (``speed_frame="earth"`` in
:func:`anpo.physics.ballistic.fly`), because that is what the rocket's propulsion
fixes; the inertial speed then includes the ~0.36 km/s of the rotating launch site
(at 39 deg N), which helps eastward shots. Holding the inertial speed instead would
penalize eastward shots by the target's motion; neither is the payload-dependent truth.

Default burnout: ``burnout_alt_km = 200``, ``burnout_time_s = 300`` for a large
two-stage liquid ICBM-class missile flown steeply (analyst assumption: two-stage liquid
ICBMs such as the US Titan II burned for roughly 2.5 + 3 minutes; on a near-vertical
lofted climb burnout occurs some 200 km up). Over 150-250 km and 250-300 s the
maximum range moves by about 2 % and the model flight time by about 1 minute.

Bias: holding the *burnout speed* fixed makes the maximum range 5-16 % lower than the
published analysts' figures for the 2017 tests (see ``tests/physics/test_loft.py``).
A real rocket holds its propellant (delta-v) fixed, not its burnout speed, and a
near-vertical lofted climb loses more speed to gravity (about g t_b) than the flatter
climb of a range-maximizing shot, so the operational burnout speed is higher than the
fitted one; analysts who simulate the boost phase capture that, this model does not.

That bias does **not** make ``max_range_km`` a conservative estimate. The method cannot
know the test's payload: a payload lighter than the operational warhead gives a higher
fitted speed and so a longer range than the missile has when armed (Wright 2017). And
near orbital speed the range is not bounded: the range angle of a minimum-energy shot
grows without limit as ``nu = v^2 r / GM`` approaches 1 (``sin(Theta/2) = nu / (2 - nu)``
for burnout and impact at one radius, Bate, Mueller and White ch. 6), so a small error in
the fitted speed moves the range by thousands of km. Since 2022 the fitted speed plus the
Earth's rotation is orbital along the tests' eastward heading (the Hwasong-17 of
18 Nov 2022); :func:`infer_loft` then reports no maximum range and flags the result
(``orbital``, ``near_orbital``, :data:`NEAR_ORBITAL_RATIO`).

Conventions: analysts quote the range "not taking into account the rotation of the
Earth" (Wright 2017) beside the range in given directions; ``rotating=False`` fits and
flies on a non-rotating Earth (the same for every heading), :func:`reach_by_heading` and
:func:`reach_to` give the rotating Earth's answer by heading and to named places.

Limits: payload differences between test and operational flights, the real
(non-vertical) powered phase, drag and re-entry are not modelled; published "maximum
range" figures differ from each other by 10-20 %.

References
----------
D. Wright, "North Korean ICBM Appears Able to Reach Major US Cities", Union of Concerned
Scientists, All Things Nuclear, 28 Jul 2017 (10,400 km on a standard trajectory for the
28 Jul 2017 test, not taking the Earth's rotation into account; ranges toward U.S. cities;
the payload is unknown). R. R. Bate, D. D. Mueller, J. E. White, *Fundamentals of
Astrodynamics* (Dover, 1971), ch. 6.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass

import numpy as np

from anpo.physics.ballistic import GEOD, earth_to_inertial, fly, launch, minimum_energy_speed
from anpo.physics.earth import EARTH_RADIUS_KM, GM_KM3_S2, OMEGA_RAD_S

DEFAULT_BURNOUT_ALT_KM = 200.0
"""Assumed burnout altitude of a large liquid ICBM-class missile on a lofted test, km."""

DEFAULT_BURNOUT_TIME_S = 300.0
"""Assumed total burn time of a two-stage liquid ICBM-class missile, s."""

NEAR_ORBITAL_RATIO = 0.9
"""``nu = v^2 r / GM`` at and above which the fitted speed counts as near orbital
(assumption, range 0.85-0.95). At ``nu = 0.9`` a minimum-energy shot already flies a
range angle of about 110 deg (some 12,000 km) and 1 % more speed adds about 5 % more
range; the sensitivity grows without bound as ``nu`` approaches 1 (``dTheta/dnu =
4 / ((2 - nu)^2 cos(Theta/2))`` from ``sin(Theta/2) = nu / (2 - nu)``), so beyond it a
"maximum range" says more about the fit's error than about the missile."""

CANNOT_KNOW = (
    "the payload: a test payload lighter than the operational warhead gives a higher "
    "fitted speed and longer ranges than the armed missile has, a heavier one shorter "
    "(Wright 2017)",
    "the powered phase: burnout altitude and time are assumed, and a real rocket holds "
    "its delta-v, not its burnout speed, fixed (for the 2017 tests the ranges come out "
    "5-30 % below analysts' figures)",
    "whether a re-entry vehicle survives re-entry at that range, or how accurate it is",
)
"""What a fit to one test's apogee and range cannot know, said with every answer."""


@dataclass(frozen=True)
class LoftResult:
    """Burnout state fitted to one lofted test and the range it implies.

    Speeds are relative to the rotating Earth; angles are flight-path angles above the
    local horizontal at burnout; times include the powered phase.
    """

    burnout_speed_km_s: float
    flight_path_angle_deg: float
    observed_apogee_km: float
    observed_range_km: float
    observed_flight_time_min: float | None
    model_flight_time_min: float
    flight_time_fitted: bool
    max_range_km: float
    max_range_flight_time_min: float
    max_range_angle_deg: float
    burnout_alt_km: float
    burnout_time_s: float
    model_apogee_km: float = float("nan")
    model_range_km: float = float("nan")
    burnout_speed_inertial_km_s: float = float("nan")
    rotating: bool = True
    """Fitted and flown on the rotating Earth (False: the non-rotating convention)."""
    orbital_ratio: float = float("nan")
    """``nu = v^2 r / GM`` of the fitted speed flown level along the heading (inertial,
    with the Earth's rotation when ``rotating``): 1 is circular orbital speed."""
    near_orbital: bool = False
    """``orbital_ratio >= NEAR_ORBITAL_RATIO``: the maximum range means little."""
    orbital: bool = False
    """``orbital_ratio >= 1``: the speed could orbit; no maximum range (NaN)."""

    def as_dict(self) -> dict[str, float | bool | None]:
        """JSON-ready fields (NaN as None), plus ``flight_time_min``
        (= ``max_range_flight_time_min``)."""
        out: dict[str, float | bool | None] = {
            k: None if isinstance(v, float) and not np.isfinite(v) else v
            for k, v in asdict(self).items()
        }
        out["flight_time_min"] = out["max_range_flight_time_min"]
        return out


def _fly(
    lat: float,
    lon: float,
    az: float,
    h_b: float,
    t_b: float,
    speed: float,
    gamma_deg: float,
    rotating: bool = True,
) -> tuple[float, float, float, float]:
    """(apogee km, ground range km, flight time s, inertial speed) of one forward flight."""
    tr = launch(
        lat, lon, az, h_b, t_b, speed, gamma_deg, speed_frame="earth", rotating=rotating,
        n_samples=2,
    )  # fmt: skip
    return (
        float(tr.apogee_km[0]),
        float(tr.range_km[0]),
        float(tr.flight_time_s[0]),
        float(tr.burnout_speed_km_s[0]),
    )


def _bisect(fun: Callable[[float], float], lo: float, hi: float, n: int = 60) -> float:
    """Root of an increasing-or-decreasing scalar function on [lo, hi] by bisection."""
    f_lo = fun(lo)
    for _ in range(n):
        mid = 0.5 * (lo + hi)
        f_mid = fun(mid)
        if (f_mid > 0) == (f_lo > 0):
            lo, f_lo = mid, f_mid
        else:
            hi = mid
    return 0.5 * (lo + hi)


def _max_range(
    lat: float,
    lon: float,
    az: float,
    h_b: float,
    t_b: float,
    speed: float,
    rotating: bool = True,
) -> tuple[float, float]:
    """(angle deg, range km) of the range-maximizing flight-path angle, golden section;
    (NaN, NaN) when the speed is orbital along the heading (no maximum)."""
    if orbital_ratio(speed, lat, az, h_b, rotating) >= 1.0:
        return float("nan"), float("nan")
    invphi = (np.sqrt(5.0) - 1.0) / 2.0
    lo, hi = 1.0, 60.0

    def rng(g: float) -> float:
        try:
            return _fly(lat, lon, az, h_b, t_b, speed, g, rotating)[1]
        except ValueError:  # orbital: no impact
            return -1.0

    c, d = hi - invphi * (hi - lo), lo + invphi * (hi - lo)
    fc, fd = rng(c), rng(d)
    for _ in range(70):
        if fc > fd:
            hi, d, fd = d, c, fc
            c = hi - invphi * (hi - lo)
            fc = rng(c)
        else:
            lo, c, fc = c, d, fd
            d = lo + invphi * (hi - lo)
            fd = rng(d)
    g = float(0.5 * (lo + hi))
    return g, rng(g)


def infer_loft(
    apogee_km: float,
    range_km: float,
    flight_time_min: float | None = None,
    launch_lat_deg: float = 39.0,
    launch_lon_deg: float = 125.75,
    azimuth_deg: float = 90.0,
    burnout_alt_km: float = DEFAULT_BURNOUT_ALT_KM,
    burnout_time_s: float = DEFAULT_BURNOUT_TIME_S,
    rotating: bool = True,
) -> LoftResult:
    """Fit the burnout state of a lofted test and infer the missile's maximum range.

    Parameters
    ----------
    apogee_km, range_km : the published apogee and ground range of the test.
    flight_time_min : the published flight time, reported beside the model's (not fitted).
    launch_lat_deg, launch_lon_deg, azimuth_deg : launch point (default near Pyongyang)
        and heading (default due east), used for both the test and the maximum range.
    burnout_alt_km, burnout_time_s : the assumed powered phase (module docstring).
    rotating : fit and fly on the rotating Earth (default), or on a non-rotating one, the
        convention of the ranges analysts quote (the same for every heading).

    Returns
    -------
    LoftResult
        Fitted Earth-relative burnout speed and angle, model and observed flight times,
        and the maximum range with its flight time and angle (NaN, with ``orbital``,
        when the fitted speed could orbit along the heading).
    """
    if not apogee_km > burnout_alt_km:
        raise ValueError("the apogee must lie above the burnout altitude")
    args = (launch_lat_deg, launch_lon_deg, azimuth_deg, burnout_alt_km, burnout_time_s)

    def speed_for_apogee(gamma_deg: float) -> float:
        def excess(v: float) -> float:
            try:
                return _fly(*args, v, gamma_deg, rotating)[0] - apogee_km
            except ValueError:
                return 1e9

        return _bisect(excess, 0.1, 11.0)

    def range_excess(gamma_deg: float) -> float:
        try:
            return _fly(*args, speed_for_apogee(gamma_deg), gamma_deg, rotating)[1] - range_km
        except ValueError:  # so fast that it orbits: "too far"
            return 1e9

    # The lofted branch: from the range-maximizing angle of a typical speed up to vertical.
    gamma = _bisect(range_excess, 30.0, 89.9, n=50)
    speed = speed_for_apogee(gamma)
    apogee, rng, time_s, speed_i = _fly(*args, speed, gamma, rotating)
    best_gamma, best_range = _max_range(*args, speed, rotating)
    best_time = (
        _fly(*args, speed, best_gamma, rotating)[2] if np.isfinite(best_gamma) else float("nan")
    )
    ratio = orbital_ratio(speed, launch_lat_deg, azimuth_deg, burnout_alt_km, rotating)
    return LoftResult(
        burnout_speed_km_s=speed,
        flight_path_angle_deg=gamma,
        observed_apogee_km=float(apogee_km),
        observed_range_km=float(range_km),
        observed_flight_time_min=None if flight_time_min is None else float(flight_time_min),
        model_flight_time_min=time_s / 60.0,
        flight_time_fitted=False,
        max_range_km=best_range,
        max_range_flight_time_min=best_time / 60.0,
        max_range_angle_deg=best_gamma,
        burnout_alt_km=float(burnout_alt_km),
        burnout_time_s=float(burnout_time_s),
        model_apogee_km=apogee,
        model_range_km=rng,
        burnout_speed_inertial_km_s=speed_i,
        rotating=rotating,
        orbital_ratio=ratio,
        near_orbital=ratio >= NEAR_ORBITAL_RATIO,
        orbital=ratio >= 1.0,
    )


def orbital_ratio(
    speed_km_s: float,
    lat_deg: float,
    azimuth_deg: float,
    burnout_alt_km: float,
    rotating: bool = True,
) -> float:
    """``nu = v^2 r / GM`` of an Earth-relative burnout speed flown level along a heading.

    ``v`` is the inertial speed (:func:`anpo.physics.ballistic.earth_to_inertial` adds the
    frame's ``omega r cos(lat)`` eastward on the rotating Earth) at ``r = R + h_b``, with
    the flight-path angle 0, where the rotation helps most; ``nu = 1`` is circular orbital
    speed (Bate, Mueller and White, ch. 6), about 7.79 km/s at 200 km.
    """
    r1 = EARTH_RADIUS_KM + burnout_alt_km
    if rotating:
        v = float(
            earth_to_inertial(
                np.array([lat_deg]), np.array([r1]), np.array([speed_km_s]), np.zeros(1),
                np.array([azimuth_deg]),
            )[0][0]
        )  # fmt: skip
    else:
        v = float(speed_km_s)
    return v * v * r1 / GM_KM3_S2


@dataclass(frozen=True)
class HeadingReach:
    """The maximum range of a fitted burnout speed along one heading (rotating Earth)."""

    azimuth_deg: float
    max_range_km: float
    """NaN when the speed is orbital along the heading."""
    orbital_ratio: float
    near_orbital: bool
    orbital: bool


def reach_by_heading(
    result: LoftResult,
    launch_lat_deg: float = 39.0,
    launch_lon_deg: float = 125.75,
    azimuths_deg: tuple[float, ...] = (0.0, 45.0, 90.0, 135.0, 180.0, 225.0, 270.0, 315.0),
) -> list[HeadingReach]:
    """The maximum range of the fitted Earth-relative speed along each heading.

    The rocket fixes its speed relative to the Earth, so the same speed is flown from the
    same launch point along every azimuth; on the rotating Earth eastward shots gain the
    frame's ``omega r cos(lat)`` (about 0.36 km/s at 39 deg N) and westward ones lose it.
    On a non-rotating ``result`` every heading gives its ``max_range_km``.
    """
    out = []
    for az in azimuths_deg:
        args = (launch_lat_deg, launch_lon_deg, az, result.burnout_alt_km, result.burnout_time_s)
        _, rng = _max_range(*args, result.burnout_speed_km_s, result.rotating)
        ratio = orbital_ratio(
            result.burnout_speed_km_s, launch_lat_deg, az, result.burnout_alt_km, result.rotating
        )
        out.append(HeadingReach(float(az), rng, ratio, ratio >= NEAR_ORBITAL_RATIO, ratio >= 1.0))
    return out


@dataclass(frozen=True)
class TargetReach:
    """Whether a fitted burnout speed reaches a named place, and by what margin.

    ``speed_needed_km_s`` is the Earth-relative burnout speed of the least-energy
    (minimum inertial speed) trajectory to the place: on the rotating Earth from
    :func:`anpo.physics.ballistic.fly`, aimed at where the place will be at impact; on a
    non-rotating one the closed form :func:`anpo.physics.ballistic.minimum_energy_speed`.
    ``in_reach`` when the fitted speed is at least that (on the rotating Earth a sufficient
    condition: some other trajectory may need slightly less speed relative to the Earth).
    """

    name: str
    distance_km: float
    azimuth_deg: float
    speed_needed_km_s: float
    burnout_speed_km_s: float
    in_reach: bool
    rotating: bool


def reach_to(
    result: LoftResult,
    targets: dict[str, tuple[float, float]],
    launch_lat_deg: float = 39.0,
    launch_lon_deg: float = 125.75,
) -> list[TargetReach]:
    """Whether the fitted speed of ``result`` reaches each named ``(lat, lon)`` place.

    The distance and initial azimuth are great-circle ones on the model sphere. On the
    rotating Earth the least-energy trajectory to the place is solved for where the place
    will be at impact, and its burnout velocity taken relative to the Earth
    (``v_rel = v_inertial - omega x r``); on a non-rotating Earth the closed form
    ``nu = (1 - cos Theta) / A`` of :mod:`anpo.physics.ballistic` gives it.
    """
    out = []
    h_b, t_b = result.burnout_alt_km, result.burnout_time_s
    r1 = EARTH_RADIUS_KM + h_b
    for name, (lat, lon) in targets.items():
        az, _, dist_m = GEOD.inv(launch_lon_deg, launch_lat_deg, lon, lat)
        dist_km = float(dist_m) / 1000.0
        if result.rotating:
            tr = fly(launch_lat_deg, launch_lon_deg, lat, lon, h_b, t_b, n_samples=2)
            if tr.flight_path_angle_deg is None or tr.azimuth_deg is None:
                raise ValueError("the trajectory lacks its burnout angles")
            v = float(tr.burnout_speed_km_s[0])
            g = np.radians(float(tr.flight_path_angle_deg[0]))
            a = np.radians(float(tr.azimuth_deg[0]))
            u = OMEGA_RAD_S * r1 * np.cos(np.radians(launch_lat_deg))
            east = v * np.cos(g) * np.sin(a) - u
            north = v * np.cos(g) * np.cos(a)
            needed = float(np.sqrt(east**2 + north**2 + (v * np.sin(g)) ** 2))
        else:
            needed = float(minimum_energy_speed(dist_km, h_b)[()])
        out.append(
            TargetReach(
                name=name,
                distance_km=dist_km,
                azimuth_deg=float(np.mod(az, 360.0)),
                speed_needed_km_s=needed,
                burnout_speed_km_s=result.burnout_speed_km_s,
                in_reach=result.burnout_speed_km_s >= needed,
                rotating=result.rotating,
            )
        )
    return out
