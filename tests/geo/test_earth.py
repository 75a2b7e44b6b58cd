"""The Earth's size is defined once (anpo.geo.earth) and every module uses it."""

from __future__ import annotations

import ast
from pathlib import Path

import numpy as np
import pytest
from pyproj import Geod

from anpo.geo import earth
from anpo.geo.greatcircle import WGS84
from anpo.geo.sphere import destination_deg, haversine_km
from anpo.physics import earth as physics_earth
from anpo.physics import intercept

SRC = Path(__file__).parents[2] / "src" / "anpo"


def test_the_ellipsoid_is_wgs84() -> None:
    reference = Geod(ellps="WGS84")
    assert (WGS84.a, WGS84.b, WGS84.f) == (reference.a, reference.b, reference.f)
    assert earth.WGS84_SEMI_MAJOR_KM == 6378.137
    # the mean radius R1 = (2a + b) / 3 of the ellipsoid, rounded to the sphere's 6371.0 km
    r1_km = (2 * reference.a + reference.b) / 3 / 1000
    assert r1_km == pytest.approx(6371.0088, abs=1e-4)
    assert round(r1_km, 1) == earth.EARTH_MEAN_RADIUS_KM


def test_one_sphere_everywhere() -> None:
    assert physics_earth.EARTH_RADIUS_KM == earth.EARTH_MEAN_RADIUS_KM
    assert intercept.EARTH_RADIUS_KM == earth.EARTH_MEAN_RADIUS_KM
    for path in SRC.rglob("*.py"):
        if path == SRC / "geo" / "earth.py":
            continue
        numbers = [
            node.value
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
            if isinstance(node, ast.Constant) and isinstance(node.value, int | float)
        ]
        radii = [v for v in numbers if 6300 < v < 6400 or 6_300_000 < v < 6_400_000]
        assert not radii, f"{path}: an Earth radius written as a number: {radii}"


def test_destination_goes_the_distance_on_the_sphere() -> None:
    bearings = np.arange(0.0, 360.0, 15.0)
    lat, lon = destination_deg(39.22, 125.67, bearings, 1300.0)
    assert np.allclose(haversine_km(39.22, 125.67, lat, lon), 1300.0, rtol=1e-12)
    north, _ = destination_deg(10.0, 20.0, 0.0, earth.EARTH_MEAN_RADIUS_KM * np.pi / 180)
    assert north == pytest.approx(11.0, abs=1e-12)
