"""Fast great-circle distance on a sphere, for large vectorized batches.

For the scale of the questions anpo asks of it (is a city within a few tens of
kilometres of an impact point?) the sphere of radius
:data:`~anpo.geo.earth.EARTH_MEAN_RADIUS_KM` (6371.0 km) differs from the WGS84
ellipsoid by under 0.5%; the ellipsoidal routines in
:mod:`anpo.geo.greatcircle` (pyproj) are used where accuracy matters more than
speed.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

from anpo.geo.earth import EARTH_MEAN_RADIUS_KM


def haversine_km(lat1_deg: Any, lon1_deg: Any, lat2_deg: Any, lon2_deg: Any) -> NDArray[np.float64]:
    """Great-circle distance by the haversine formula (broadcasting).

    d = 2R·asin(√(sin²(Δφ/2) + cos φ₁ cos φ₂ sin²(Δλ/2))), R = EARTH_MEAN_RADIUS_KM.
    """
    p1, p2 = np.radians(lat1_deg), np.radians(lat2_deg)
    dp = p2 - p1
    dl = np.radians(np.asarray(lon2_deg) - np.asarray(lon1_deg))
    h = np.sin(dp / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    out: NDArray[np.float64] = 2 * EARTH_MEAN_RADIUS_KM * np.arcsin(np.sqrt(np.clip(h, 0.0, 1.0)))
    return out


def offset_deg(
    lat_deg: Any, lon_deg: Any, north_km: Any, east_km: Any
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """A point displaced by small north and east distances (local tangent plane).

    Δφ = north / R, Δλ = east / (R cos φ), in radians; accurate to well under 1% for
    displacements of tens of kilometres away from the poles.
    """
    lat = np.asarray(lat_deg, dtype=np.float64)
    dlat = np.degrees(np.asarray(north_km) / EARTH_MEAN_RADIUS_KM)
    dlon = np.degrees(np.asarray(east_km) / (EARTH_MEAN_RADIUS_KM * np.cos(np.radians(lat))))
    return lat + dlat, np.asarray(lon_deg, dtype=np.float64) + dlon


def destination_deg(
    lat_deg: Any, lon_deg: Any, bearing_deg: Any, distance_km: Any
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """The point reached along a great circle of the sphere (broadcasting).

    With angular distance δ = d / R and bearing θ from north,
    φ₂ = asin(sin φ₁ cos δ + cos φ₁ sin δ cos θ) and
    λ₂ = λ₁ + atan2(sin θ sin δ cos φ₁, cos δ − sin φ₁ sin φ₂)
    (Snyder, *Map Projections: A Working Manual*, USGS PP 1395, 1987, eq. 5-5, 5-6).
    Longitudes are not wrapped, so a ring drawn with it has no jump.
    """
    phi1, lam1 = np.radians(lat_deg), np.radians(lon_deg)
    theta = np.radians(bearing_deg)
    delta = np.asarray(distance_km, dtype=np.float64) / EARTH_MEAN_RADIUS_KM
    phi2 = np.arcsin(np.sin(phi1) * np.cos(delta) + np.cos(phi1) * np.sin(delta) * np.cos(theta))
    lam2 = lam1 + np.arctan2(
        np.sin(theta) * np.sin(delta) * np.cos(phi1),
        np.cos(delta) - np.sin(phi1) * np.sin(phi2),
    )
    return np.degrees(phi2), np.degrees(lam2)
