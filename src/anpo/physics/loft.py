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
Treat ``max_range_km`` as a conservative (low) estimate.

Limits: payload differences between test and operational flights, the real
(non-vertical) powered phase, drag and re-entry are not modelled; published "maximum
range" figures differ from each other by 10-20 %.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass

import numpy as np

from anpo.physics.ballistic import launch

DEFAULT_BURNOUT_ALT_KM = 200.0
"""Assumed burnout altitude of a large liquid ICBM-class missile on a lofted test, km."""

DEFAULT_BURNOUT_TIME_S = 300.0
"""Assumed total burn time of a two-stage liquid ICBM-class missile, s."""


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

    def as_dict(self) -> dict[str, float | bool | None]:
        """JSON-ready fields, plus ``flight_time_min`` (= ``max_range_flight_time_min``)."""
        out: dict[str, float | bool | None] = dict(asdict(self))
        out["flight_time_min"] = self.max_range_flight_time_min
        return out


def _fly(
    lat: float, lon: float, az: float, h_b: float, t_b: float, speed: float, gamma_deg: float
) -> tuple[float, float, float, float]:
    """(apogee km, ground range km, flight time s, inertial speed) of one forward flight."""
    tr = launch(lat, lon, az, h_b, t_b, speed, gamma_deg, speed_frame="earth", n_samples=2)
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
    lat: float, lon: float, az: float, h_b: float, t_b: float, speed: float
) -> tuple[float, float]:
    """(angle deg, range km) of the range-maximizing flight-path angle, golden section."""
    invphi = (np.sqrt(5.0) - 1.0) / 2.0
    lo, hi = 1.0, 60.0

    def rng(g: float) -> float:
        try:
            return _fly(lat, lon, az, h_b, t_b, speed, g)[1]
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
    g = 0.5 * (lo + hi)
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
) -> LoftResult:
    """Fit the burnout state of a lofted test and infer the missile's maximum range.

    Parameters
    ----------
    apogee_km, range_km : the published apogee and ground range of the test.
    flight_time_min : the published flight time, reported beside the model's (not fitted).
    launch_lat_deg, launch_lon_deg, azimuth_deg : launch point (default near Pyongyang)
        and heading (default due east), used for both the test and the maximum range.
    burnout_alt_km, burnout_time_s : the assumed powered phase (module docstring).

    Returns
    -------
    LoftResult
        Fitted Earth-relative burnout speed and angle, model and observed flight times,
        and the maximum range with its flight time and angle.
    """
    if not apogee_km > burnout_alt_km:
        raise ValueError("the apogee must lie above the burnout altitude")
    args = (launch_lat_deg, launch_lon_deg, azimuth_deg, burnout_alt_km, burnout_time_s)

    def speed_for_apogee(gamma_deg: float) -> float:
        def excess(v: float) -> float:
            try:
                return _fly(*args, v, gamma_deg)[0] - apogee_km
            except ValueError:
                return 1e9

        return _bisect(excess, 0.1, 11.0)

    def range_excess(gamma_deg: float) -> float:
        try:
            return _fly(*args, speed_for_apogee(gamma_deg), gamma_deg)[1] - range_km
        except ValueError:  # so fast that it orbits: "too far"
            return 1e9

    # The lofted branch: from the range-maximizing angle of a typical speed up to vertical.
    gamma = _bisect(range_excess, 30.0, 89.9, n=50)
    speed = speed_for_apogee(gamma)
    apogee, rng, time_s, speed_i = _fly(*args, speed, gamma)
    best_gamma, best_range = _max_range(*args, speed)
    best_time = _fly(*args, speed, best_gamma)[2]
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
    )
