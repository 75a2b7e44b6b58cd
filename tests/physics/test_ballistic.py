"""Ballistic flight: closed forms, a Pyongyang-Tokyo flight, rotation, vectorization.

Closed forms: Bate, Mueller & White, *Fundamentals of Astrodynamics* (Dover, 1971),
ch. 6; A. D. Wheelon, "Free Flight of a Ballistic Missile", ARS Journal 29 (1959).
For a minimum-energy trajectory between two points on a sphere of radius R separated by
the central angle Theta (burnout at altitude 0), the second focus of the ellipse lies at
the chord's midpoint, so ``a = R (1 + sin(Theta/2)) / 2``,
``e = cos(Theta/2) / (1 + sin(Theta/2))``, apogee radius ``a (1 + e)``, flight-path angle
``45 deg - Theta/4``, and the symmetric free-flight time is
``t = 2 sqrt(a^3/GM) (pi - E1 + e sin E1)`` with
``cos E1 = (e - cos(Theta/2)) / (1 - e cos(Theta/2))`` (BMW eq. 6.2-x, time of free flight).
"""

from __future__ import annotations

import numpy as np
import pytest

from anpo.physics.ballistic import GEOD, fly, free_flight, minimum_energy_speed
from anpo.physics.earth import EARTH_RADIUS_KM, GM_KM3_S2, OMEGA_RAD_S

PYONGYANG = (39.02, 125.75)
TOKYO = (35.68, 139.69)


def miss_km(lat1: np.ndarray, lon1: np.ndarray, lat2: object, lon2: object) -> np.ndarray:
    _, _, d = GEOD.inv(
        lon1, lat1, np.broadcast_to(lon2, lon1.shape), np.broadcast_to(lat2, lat1.shape)
    )
    return np.asarray(d) / 1000.0


def closed_form_minimum_energy(theta: np.ndarray) -> dict[str, np.ndarray]:
    s, c = np.sin(theta / 2), np.cos(theta / 2)
    a = EARTH_RADIUS_KM * (1 + s) / 2
    e = c / (1 + s)
    cos_e1 = (e - c) / (1 - e * c)
    e1 = np.arccos(cos_e1)
    return {
        "gamma_deg": 45.0 - np.degrees(theta) / 4.0,
        "speed": np.sqrt(GM_KM3_S2 / EARTH_RADIUS_KM * 2 * s / (1 + s)),
        "apogee_km": a * (1 + e) - EARTH_RADIUS_KM,
        "time_s": 2 * np.sqrt(a**3 / GM_KM3_S2) * (np.pi - e1 + e * np.sin(e1)),
    }


RANGES_KM = np.array([300.0, 1000.0, 1300.0, 3000.0, 6000.0, 10000.0])


def test_minimum_energy_matches_closed_forms_on_a_non_rotating_earth() -> None:
    theta = RANGES_KM / EARTH_RADIUS_KM
    ref = closed_form_minimum_energy(theta)
    # eastward along the equator from (0, 0); the aim point lies RANGES_KM away
    aim_lon = np.degrees(theta)
    tr = fly(0.0, 0.0, 0.0, aim_lon, 0.0, 0.0, rotating=False)
    assert tr.flight_path_angle_deg is not None
    np.testing.assert_allclose(tr.flight_path_angle_deg, ref["gamma_deg"], atol=1e-6)
    np.testing.assert_allclose(tr.burnout_speed_km_s, ref["speed"], rtol=1e-9)
    np.testing.assert_allclose(minimum_energy_speed(RANGES_KM, 0.0), ref["speed"], rtol=1e-9)
    np.testing.assert_allclose(tr.apogee_km, ref["apogee_km"], rtol=1e-9)
    np.testing.assert_allclose(tr.flight_time_s, ref["time_s"], rtol=1e-9)
    np.testing.assert_allclose(tr.range_km, RANGES_KM, rtol=1e-9)
    # the sampled altitude peaks at the closed-form apogee (121 samples: within 0.1 %)
    np.testing.assert_allclose(tr.alt_km.max(axis=1), ref["apogee_km"], rtol=1e-3)


def test_free_flight_range_equation_for_equal_radii() -> None:
    """tan(Theta/2) = nu sin g cos g / (1 - nu cos^2 g) (Wheelon 1959, BMW eq. 6.2-16)."""
    speed = np.array([2.0, 3.5, 5.0, 6.5, 7.0])
    gamma = np.array([20.0, 45.0, 60.0, 35.0, 80.0])
    ff = free_flight(0.0, speed, gamma)
    nu = speed**2 * EARTH_RADIUS_KM / GM_KM3_S2
    g = np.radians(gamma)
    expected = 2 * np.arctan2(nu * np.sin(g) * np.cos(g), 1 - nu * np.cos(g) ** 2)
    np.testing.assert_allclose(ff.range_angle_rad, expected, rtol=1e-10)


def test_minimum_energy_is_the_maximum_range_at_its_speed() -> None:
    v = minimum_energy_speed(1300.0, 80.0)
    best = free_flight(80.0, v, np.linspace(5, 85, 1601)).range_angle_rad.max()
    assert best * EARTH_RADIUS_KM == pytest.approx(1300.0, rel=1e-4)


def test_pyongyang_to_tokyo_minimum_energy_takes_about_ten_minutes() -> None:
    """Japan's Cabinet Secretariat civil-protection Q&A (April 2017) says a missile from
    North Korea reaches Japan in about 10 minutes (its example: the 7 Feb 2016 launch
    took about 10 minutes to pass over Okinawa, ~1,600 km). Pyongyang-Tokyo is ~1,285 km
    on the sphere. Nodong-like powered phase assumed: burnout 80 km up after 110 s.
    Tolerance: 8-12 minutes (the government figure is rounded, and this model's
    straight-climb boost adds no downrange travel); apogee 300-400 km, the usual
    minimum-energy apogee of a ~1,300 km MRBM (about a quarter of the range)."""
    tr = fly(*PYONGYANG, *TOKYO, burnout_alt_km=80.0, burnout_time_s=110.0)
    assert tr.range_km[0] == pytest.approx(1285.4, abs=1.0)
    assert 8.0 <= tr.flight_time_s[0] / 60 <= 12.0  # computed: 11.8 min
    assert 300.0 <= tr.apogee_km[0] <= 400.0  # computed: 396 km
    assert miss_km(tr.impact_lat_deg, tr.impact_lon_deg, TOKYO[0], TOKYO[1])[0] < 1.0
    # launch and burnout: on the ground at t=0, above the launch point until burnout
    assert tr.alt_km[0, 0] == 0.0 and tr.alt_km[0, -1] == pytest.approx(0.0, abs=1e-6)
    assert tr.time_at(*TOKYO)[0] == pytest.approx(tr.flight_time_s[0])


@pytest.mark.parametrize("mode", ["minimum_energy", "lofted", "depressed"])
def test_impact_within_one_km_of_the_aim_point_with_rotation(mode: str) -> None:
    aims_lat = np.array([35.68, 26.35, 43.06, 33.59, 13.44])  # Tokyo, Okinawa, Sapporo, ...
    aims_lon = np.array([139.69, 127.77, 141.35, 130.40, 144.79])  # ... Fukuoka, Guam
    speed = None if mode == "minimum_energy" else 1.03 * minimum_energy_speed(4000.0, 150.0)
    tr = fly(*PYONGYANG, aims_lat, aims_lon, 150.0, 150.0, mode=mode, burnout_speed_km_s=speed)
    assert np.all(miss_km(tr.impact_lat_deg, tr.impact_lon_deg, aims_lat, aims_lon) < 1.0)
    if mode == "lofted":
        me = fly(*PYONGYANG, aims_lat, aims_lon, 150.0, 150.0)
        assert np.all(tr.apogee_km > me.apogee_km)
        assert np.all(tr.flight_time_s > me.flight_time_s)


def test_earth_rotation_east_versus_west() -> None:
    """Same inertial burnout state, launched due east and due west from the equator.

    The ground turns east under the missile at omega R = 0.465 km/s, so in the Earth
    frame an eastward shot lands short by about omega R T of its inertial range and a
    westward one long by the same amount (R = 6371 km, T the time of flight).
    """
    from anpo.physics.ballistic import launch

    tr = launch(0.0, 0.0, [90.0, 270.0], 0.0, 0.0, 5.0, 40.0)
    still = launch(0.0, 0.0, 90.0, 0.0, 0.0, 5.0, 40.0, rotating=False)
    shift = OMEGA_RAD_S * EARTH_RADIUS_KM * tr.flight_time_s
    east, west = tr.range_km
    assert east < still.range_km[0] < west
    assert still.range_km[0] - east == pytest.approx(shift[0], rel=1e-6)
    assert west - still.range_km[0] == pytest.approx(shift[1], rel=1e-6)
    assert west - east == pytest.approx(2 * shift[0], rel=1e-6)  # about 2 x 390 km


def test_earth_relative_speed_helps_eastward_shots() -> None:
    """With the Earth-relative speed fixed (a rocket's performance), the launch site's
    0.36 km/s eastward motion at 39 deg N lengthens eastward and shortens westward shots."""
    from anpo.physics.ballistic import launch

    tr = launch(39.0, 125.75, [90.0, 270.0], 150.0, 150.0, 5.0, 30.0, speed_frame="earth")
    east, west = tr.range_km
    assert east > west + 200.0  # computed: 3,642 vs 3,254 km


def test_vectorized_equals_one_at_a_time() -> None:
    rng = np.random.default_rng(2009)
    m = 7
    aim_lat = rng.uniform(24.0, 45.0, m)
    aim_lon = rng.uniform(127.0, 146.0, m)
    h_b = rng.uniform(30.0, 150.0, m)
    t_b = rng.uniform(60.0, 180.0, m)
    for mode, speed in [("minimum_energy", None), ("lofted", rng.uniform(4.5, 5.5, m))]:
        together = fly(*PYONGYANG, aim_lat, aim_lon, h_b, t_b, mode=mode, burnout_speed_km_s=speed)
        for i in range(m):
            one = fly(
                *PYONGYANG,
                aim_lat[i],
                aim_lon[i],
                h_b[i],
                t_b[i],
                mode=mode,
                burnout_speed_km_s=None if speed is None else speed[i],
            )
            for name in ("t_s", "lat_deg", "lon_deg", "alt_km"):
                np.testing.assert_allclose(
                    getattr(together, name)[i], getattr(one, name)[0], rtol=1e-9, atol=1e-9
                )
            for name in ("flight_time_s", "apogee_km", "range_km", "burnout_speed_km_s"):
                assert getattr(together, name)[i] == pytest.approx(getattr(one, name)[0], rel=1e-9)


def test_unreachable_aim_point_is_an_error() -> None:
    with pytest.raises(ValueError, match="too low"):
        fly(*PYONGYANG, *TOKYO, 80.0, 110.0, mode="lofted", burnout_speed_km_s=2.0)
    with pytest.raises(ValueError, match="needs burnout_speed_km_s"):
        fly(*PYONGYANG, *TOKYO, 80.0, 110.0, mode="depressed")


def test_kepler_settles_entries_exactly_as_forty_plain_newton_steps() -> None:
    """The shortcut (settled entries and last-bit 2-cycles stop early) gives the very
    values of 40 Newton steps on every entry, NaN included."""
    from anpo.physics.ballistic import _kepler

    g = np.random.default_rng(9)
    e = np.concatenate([g.uniform(0.0, 0.999, 19_998), [0.5, 0.9999]])
    m = np.concatenate([g.uniform(-1.0, 8.0, 19_998), [np.nan, 3.0]])
    plain = np.full_like(m, np.pi)
    for _ in range(40):
        plain = plain - (plain - e * np.sin(plain) - m) / (1.0 - e * np.cos(plain))
    fast = _kepler(e.reshape(100, -1), m.reshape(100, -1)).ravel()
    assert np.array_equal(fast, plain, equal_nan=True)
