"""Loft inference by heading, to named places, on a non-rotating Earth, near orbit.

Published figures:

* Hwasong-14, 28 Jul 2017 (3,724.9 km apogee, 998 km, 47.2 min): "a range of 10,400 km
  (6,500 miles), not taking into account the rotation of the Earth"; the rotation lengthens
  eastward shots; the payload is unknown, and a lighter test payload means the armed
  missile has less range. D. Wright, "North Korean ICBM Appears Able to Reach Major US
  Cities", Union of Concerned Scientists, All Things Nuclear, 28 Jul 2017.
* Hwasong-17, 18 Nov 2022: 6,040.9 km apogee, 999.2 km, 4,135 s (KCNA, as carried by TASS,
  19 Nov 2022); "more than 15,000 km" on an ordinary trajectory, depending on the warhead's
  weight (Japan's Ministry of Defense, as reported by TASS and Nikkei Asia, 18-19 Nov 2022).

Closed forms (Bate, Mueller and White, *Fundamentals of Astrodynamics*, ch. 6; the module
docstring of :mod:`anpo.physics.ballistic`): circular speed ``nu = v^2 r / GM = 1``; the
maximum range of a speed ``v`` is the range whose minimum-energy speed is ``v``; apogee
``r_a = a (1 + e)`` with ``a = r1 / (2 - nu)`` and ``e^2 = (nu cos^2 g - 1)^2 + (nu sin g
cos g)^2``.
"""

from __future__ import annotations

import json
import math

import pytest
from typer.testing import CliRunner

from anpo.cli.main import app
from anpo.kb import places
from anpo.physics import loft
from anpo.physics.ballistic import minimum_energy_speed
from anpo.physics.earth import EARTH_RADIUS_KM, GM_KM3_S2, OMEGA_RAD_S

JUL28 = (3724.9, 998.0, 47.2)
HS17 = (6040.9, 999.2, 4135 / 60)
TARGETS = {r.data["name"]: places.lat_lon(r) for r in places.reach_targets()}


@pytest.fixture(scope="module")
def jul28() -> tuple[loft.LoftResult, loft.LoftResult]:
    return loft.infer_loft(*JUL28), loft.infer_loft(*JUL28, rotating=False)


@pytest.fixture(scope="module")
def hs17() -> tuple[loft.LoftResult, loft.LoftResult]:
    return loft.infer_loft(*HS17), loft.infer_loft(*HS17, rotating=False)


def test_orbital_ratio_is_one_at_circular_speed() -> None:
    r1 = EARTH_RADIUS_KM + 200.0
    v_c = math.sqrt(GM_KM3_S2 / r1)  # 7.788 km/s
    assert v_c == pytest.approx(7.788, abs=1e-3)
    assert loft.orbital_ratio(v_c, 39.0, 90.0, 200.0, rotating=False) == pytest.approx(1.0)
    # on the rotating Earth at the equator, eastward, the frame supplies omega r
    u = OMEGA_RAD_S * r1
    assert loft.orbital_ratio(v_c - u, 0.0, 90.0, 200.0) == pytest.approx(1.0, rel=1e-12)
    assert loft.orbital_ratio(v_c - u, 0.0, 270.0, 200.0) < 0.88  # westward it loses 2u


def test_non_rotating_fit_and_range_are_the_closed_forms(
    jul28: tuple[loft.LoftResult, loft.LoftResult],
) -> None:
    _, flat = jul28
    r1 = EARTH_RADIUS_KM + flat.burnout_alt_km
    v, g = flat.burnout_speed_km_s, math.radians(flat.flight_path_angle_deg)
    nu = v * v * r1 / GM_KM3_S2
    e = math.hypot(nu * math.cos(g) ** 2 - 1.0, nu * math.sin(g) * math.cos(g))
    apogee = r1 / (2.0 - nu) * (1.0 + e) - EARTH_RADIUS_KM
    assert apogee == pytest.approx(JUL28[0], rel=1e-6)
    assert flat.orbital_ratio == pytest.approx(nu, rel=1e-12)
    # the maximum range is the one whose minimum-energy speed is the fitted speed
    assert float(minimum_energy_speed(flat.max_range_km, 200.0)[()]) == pytest.approx(v, rel=1e-5)
    # and a non-rotating Earth gives it along every heading
    for h in loft.reach_by_heading(flat):
        assert h.max_range_km == pytest.approx(flat.max_range_km, rel=1e-6)


def test_wright_2017_non_rotating_range_and_rotation_by_heading(
    jul28: tuple[loft.LoftResult, loft.LoftResult],
) -> None:
    turning, flat = jul28
    # 10,400 km not counting the Earth's rotation (Wright 2017); the model is biased low
    # (it holds the burnout speed fixed, see anpo.physics.loft): 7,640 km, -27 %
    assert flat.max_range_km == pytest.approx(7640, rel=0.01)
    assert 0.70 * 10_400 <= flat.max_range_km <= 1.05 * 10_400
    by = {h.azimuth_deg: h.max_range_km for h in loft.reach_by_heading(turning)}
    assert by[90.0] == pytest.approx(turning.max_range_km, rel=1e-6)  # the test's heading
    # the rotation lengthens eastward shots and shortens westward ones
    assert by[90.0] > flat.max_range_km > by[270.0]
    assert by[90.0] - by[270.0] == pytest.approx(1461, rel=0.02)
    assert not (turning.near_orbital or flat.near_orbital)


def test_reach_to_named_places(jul28: tuple[loft.LoftResult, loft.LoftResult]) -> None:
    turning, flat = jul28
    assert list(TARGETS) == ["Guam", "Hawaii", "Anchorage", "Los Angeles", "Washington"]
    still = {t.name: t for t in loft.reach_to(flat, TARGETS)}
    spun = {t.name: t for t in loft.reach_to(turning, TARGETS)}
    # great-circle distances from near Pyongyang (39.0 N, 125.75 E) on the model sphere
    assert still["Guam"].distance_km == pytest.approx(3396, abs=2)
    assert still["Washington"].distance_km == pytest.approx(11047, abs=5)
    for name, t in still.items():
        # non-rotating: the closed form, and in reach exactly when within the maximum range
        assert t.speed_needed_km_s == pytest.approx(
            float(minimum_energy_speed(t.distance_km, 200.0)[()]), rel=1e-12
        )
        assert t.in_reach == (t.distance_km <= flat.max_range_km), name
        # every place lies east of north-east-ish: the rotation lowers the speed it needs
        assert spun[name].speed_needed_km_s < t.speed_needed_km_s, name
    assert [n for n, t in still.items() if t.in_reach] == ["Guam", "Hawaii", "Anchorage"]
    assert [n for n, t in spun.items() if t.in_reach] == ["Guam", "Hawaii", "Anchorage"]


def test_since_2022_the_fitted_speed_is_orbital_eastward(
    hs17: tuple[loft.LoftResult, loft.LoftResult],
) -> None:
    turning, flat = hs17
    # with the Earth's rotation the fitted speed could orbit along the test's heading
    assert turning.orbital and turning.near_orbital
    assert turning.orbital_ratio == pytest.approx(1.030, abs=0.002)
    assert math.isnan(turning.max_range_km)
    d = turning.as_dict()
    assert d["max_range_km"] is None and d["flight_time_min"] is None
    json.dumps(d, allow_nan=False)
    # non-rotating: near orbital; the range falls within [-20 %, +5 %] of Japan's 15,000 km
    assert flat.near_orbital and not flat.orbital
    assert 0.80 * 15_000 <= flat.max_range_km <= 1.05 * 15_000
    headings = {h.azimuth_deg: h for h in loft.reach_by_heading(turning)}
    assert headings[90.0].orbital and math.isnan(headings[90.0].max_range_km)
    assert not headings[270.0].orbital  # westward the rotation takes it away
    assert all(t.in_reach for t in loft.reach_to(turning, TARGETS))
    assert all(t.in_reach for t in loft.reach_to(flat, TARGETS))


def test_cli_shows_reach_flags_and_what_it_cannot_know() -> None:
    runner = CliRunner()
    args = ["missile", "loft", "--apogee-km", "6040.9", "--range-km", "999.2"]
    done = runner.invoke(app, [*args, "--json"])
    assert done.exit_code == 0, done.output
    payload = json.loads(done.output)
    assert payload["orbital"] is True and payload["max_range_km"] is None
    assert payload["non_rotating"]["near_orbital"] is True
    assert [t["name"] for t in payload["targets"]] == list(TARGETS)
    assert len(payload["headings"]) == 8
    assert any("payload" in c for c in payload["cannot_know"])
    text = runner.invoke(app, args).output
    assert "orbital" in text and "warning" in text and "non-rotating" in text
    assert "Washington" in text and "payload" in text
