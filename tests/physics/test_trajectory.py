"""Trajectory shapes: lofted and depressed conics, and the flown (quasi-ballistic, glide) profiles.

Closed form checked (Bate, Mueller & White, *Fundamentals of Astrodynamics*, 1971, ch. 6):
for burnout at altitude 0 the free-flight range angle Theta of a conic with speed
parameter ``nu = v^2 R / GM`` and flight-path angle ``g`` satisfies
``tan(Theta/2) = nu sin g cos g / (1 - nu cos^2 g)``, so the speed that carries a given
angle over Theta is ``nu = tan(Theta/2) / (sin g cos g + tan(Theta/2) cos^2 g)``.

The flown profile (anpo.physics.trajectory) is checked against its own definition: the
knots are reached at ``t_k = t_b + (x_k - x_b)/v``, the highest sample is the apex, the
flight lands on the aim point, and an interceptor whose floor lies above the profile
never gets a window.
"""

from __future__ import annotations

import numpy as np
import pytest

from anpo.physics.ballistic import GEOD, fly
from anpo.physics.earth import EARTH_RADIUS_KM, GM_KM3_S2
from anpo.physics.intercept import InterceptorKinematics, engagement_windows
from anpo.physics.trajectory import fly_shape, profile_flight, profile_knots, stack

PYONGYANG = (39.22, 125.67)
TOKYO = (35.684, 139.751)
WONSAN = (39.17, 127.48)
SASEBO = (33.162, 129.717)

SM3 = InterceptorKinematics(3.0, 45.0, 70.0, 300.0, 700.0, 60.0)
PAC3 = InterceptorKinematics(1.5, 9.0, 3.0, 15.0, 20.0, 5.0)

KN23 = {
    "apex_km": 50.0,
    "apex_fraction": 0.4,
    "level_km": 25.0,
    "level_fraction": 0.7,
    "dive_km": 40.0,
    "speed_km_s": 2.0,
}


def miss_km(tr: object, lat: float, lon: float) -> np.ndarray:
    _, _, d = GEOD.inv(tr.impact_lon_deg, tr.impact_lat_deg, lon, lat)  # type: ignore[attr-defined]
    return np.atleast_1d(np.asarray(d)) / 1000.0


@pytest.mark.parametrize("offset", [-20.0, -10.0, 10.0, 20.0])
def test_speed_for_an_angle_matches_the_closed_form_on_a_still_earth(offset: float) -> None:
    ranges = np.array([600.0, 1300.0, 3000.0])
    theta = ranges / EARTH_RADIUS_KM
    mode = "lofted" if offset > 0 else "depressed"
    tr = fly(0.0, 0.0, 0.0, np.degrees(theta), 0.0, 0.0, mode=mode, rotating=False,
             angle_offset_deg=offset)  # fmt: skip
    g = np.radians(45.0 - np.degrees(theta) / 4.0 + offset)  # minimum-energy angle + offset
    assert tr.flight_path_angle_deg is not None
    np.testing.assert_allclose(tr.flight_path_angle_deg, np.degrees(g), atol=1e-9)
    t = np.tan(theta / 2.0)
    nu = t / (np.sin(g) * np.cos(g) + t * np.cos(g) ** 2)
    np.testing.assert_allclose(tr.burnout_speed_km_s, np.sqrt(nu * GM_KM3_S2 / EARTH_RADIUS_KM),
                               rtol=1e-9)  # fmt: skip
    np.testing.assert_allclose(tr.range_km, ranges, rtol=1e-6)


def test_depressed_flies_lower_and_sooner_lofted_higher_and_later() -> None:
    kw = {"burnout_alt_km": 80.0, "burnout_time_s": 110.0}
    me = fly(*PYONGYANG, *TOKYO, **kw)
    dep = fly(*PYONGYANG, *TOKYO, **kw, mode="depressed", angle_offset_deg=-15.0)
    lof = fly(*PYONGYANG, *TOKYO, **kw, mode="lofted", angle_offset_deg=15.0)
    for tr in (me, dep, lof):
        assert miss_km(tr, *TOKYO)[0] < 1.0
    # the values the kb's depressed-offset reasoning quotes (trajectory_shape.depressed)
    assert me.apogee_km[0] == pytest.approx(399.3, abs=0.5)
    assert dep.apogee_km[0] == pytest.approx(239.8, abs=0.5)
    assert me.flight_time_s[0] / 60 == pytest.approx(11.9, abs=0.05)
    assert dep.flight_time_s[0] / 60 == pytest.approx(9.44, abs=0.05)
    assert lof.apogee_km[0] > me.apogee_km[0] and lof.flight_time_s[0] > me.flight_time_s[0]
    # the minimum-energy conic needs the least speed
    assert dep.burnout_speed_km_s[0] > me.burnout_speed_km_s[0]
    assert lof.burnout_speed_km_s[0] > me.burnout_speed_km_s[0]
    zero = fly(*PYONGYANG, *TOKYO, **kw, mode="depressed", angle_offset_deg=0.0)
    np.testing.assert_allclose(zero.burnout_speed_km_s, me.burnout_speed_km_s, rtol=1e-9)


def test_offset_of_the_wrong_sign_or_missing_is_refused() -> None:
    with pytest.raises(ValueError, match="depressed one <= 0"):
        fly(*PYONGYANG, *TOKYO, 80.0, 110.0, mode="depressed", angle_offset_deg=5.0)
    with pytest.raises(ValueError, match="needs angle_offset_deg"):
        fly_shape("lofted", *PYONGYANG, *TOKYO, 80.0, 110.0)


def test_profile_knots_follow_their_definition() -> None:
    x, h, t = profile_knots(700.0, 30.0, 40.0, **KN23)
    assert x[0].tolist() == pytest.approx([0.0, 40.0, 280.0, 490.0, 660.0, 700.0])
    assert h[0].tolist() == [0.0, 30.0, 50.0, 25.0, 25.0, 0.0]
    # t_k = t_b + (x_k - x_b) / v
    assert t[0].tolist() == pytest.approx([0.0, 40.0, 160.0, 265.0, 350.0, 370.0])


def test_quasi_ballistic_flight_lands_on_target_below_the_sm3_floor() -> None:
    tr = profile_flight(*WONSAN, *SASEBO, 30.0, 40.0, **KN23)
    assert miss_km(tr, *SASEBO)[0] < 1e-3
    assert tr.range_km[0] == pytest.approx(697.5, abs=0.5)
    assert tr.apogee_km[0] == 50.0  # the apex knot
    assert tr.alt_km.max() <= 50.0 and tr.alt_km[0, 0] == 0.0 and tr.alt_km[0, -1] == 0.0
    assert tr.flight_time_s[0] == pytest.approx(40.0 + (697.52 - 40.0) / 2.0, abs=0.1)
    # the same path flown as a minimum-energy conic peaks far above SM-3's floor
    me = fly(*WONSAN, *SASEBO, 30.0, 40.0)
    assert me.apogee_km[0] == pytest.approx(199.2, abs=0.5)


def test_a_threat_below_the_floor_is_never_engaged_above_it_is() -> None:
    """An SM-3 ship under the path: no window against the quasi-ballistic flight, a window
    against the same missile flown as a minimum-energy conic; PAC-3 at the target gets one
    against both."""
    qb = profile_flight(*WONSAN, *SASEBO, 30.0, 40.0, **KN23, n_samples=241)
    me = fly(*WONSAN, *SASEBO, 30.0, 40.0, n_samples=241)
    both = stack([qb, me])
    ship, battery = (36.0, 128.8), SASEBO
    win = engagement_windows(both, [ship[0], battery[0]], [ship[1], battery[1]], 0.0,
                             [SM3, PAC3])  # fmt: skip
    assert np.isnan(win.window_close_s[0, 0])  # SM-3 against the quasi-ballistic KN-23
    assert np.isfinite(win.window_close_s[0, 1])  # SM-3 against the ballistic one
    assert np.isfinite(win.window_close_s[1]).all()  # PAC-3 against both
    assert win.intercept_alt_km[1, 0] <= PAC3.max_alt_km


def test_glide_profile_stays_at_glide_altitude() -> None:
    tr = fly_shape(
        "glide", *PYONGYANG, 26.356, 127.768, 50.0, 100.0, apex_km=60.0, apex_fraction=0.15,
        level_km=40.0, level_fraction=0.3, dive_km=50.0, speed_km_s=2.0,
    )  # fmt: skip
    d = tr.range_km[0]
    assert d == pytest.approx(1443.7, abs=0.5)
    assert tr.apogee_km[0] == 60.0
    t_glide = 100.0 + (0.3 * d - 100.0) / 2.0, 100.0 + (d - 50.0 - 100.0) / 2.0
    gliding = (tr.t_s[0] >= t_glide[0]) & (tr.t_s[0] <= t_glide[1])
    np.testing.assert_allclose(tr.alt_km[0, gliding], 40.0)
    assert tr.flight_time_s[0] / 60 == pytest.approx(12.86, abs=0.01)


def test_a_range_too_short_for_the_profile_is_refused() -> None:
    with pytest.raises(ValueError, match="range too short"):
        profile_knots(60.0, 30.0, 40.0, **KN23)
    with pytest.raises(ValueError, match="unknown trajectory shape"):
        fly_shape("spiral", *WONSAN, *SASEBO, 30.0, 40.0)  # type: ignore[arg-type]
