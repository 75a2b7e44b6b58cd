"""Fast great-circle distance on a sphere, for large vectorized batches.

For the scale of the questions anpo asks of it (is a city within a few tens of
kilometres of an impact point?) the sphere of radius 6371.0 km differs from the
WGS84 ellipsoid by under 0.5%; the ellipsoidal routines in
:mod:`anpo.geo.greatcircle` (pyproj) are used where accuracy matters more than
speed.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

EARTH_RADIUS_KM = 6371.0


def haversine_km(lat1_deg: Any, lon1_deg: Any, lat2_deg: Any, lon2_deg: Any) -> NDArray[np.float64]:
    """Great-circle distance by the haversine formula (broadcasting).

    d = 2R·asin(√(sin²(Δφ/2) + cos φ₁ cos φ₂ sin²(Δλ/2))), R = 6371.0 km.
    """
    p1, p2 = np.radians(lat1_deg), np.radians(lat2_deg)
    dp = p2 - p1
    dl = np.radians(np.asarray(lon2_deg) - np.asarray(lon1_deg))
    h = np.sin(dp / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    out: NDArray[np.float64] = 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(h, 0.0, 1.0)))
    return out


def offset_deg(
    lat_deg: Any, lon_deg: Any, north_km: Any, east_km: Any
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """A point displaced by small north and east distances (local tangent plane).

    Δφ = north / R, Δλ = east / (R cos φ), in radians; accurate to well under 1% for
    displacements of tens of kilometres away from the poles.
    """
    lat = np.asarray(lat_deg, dtype=np.float64)
    dlat = np.degrees(np.asarray(north_km) / EARTH_RADIUS_KM)
    dlon = np.degrees(np.asarray(east_km) / (EARTH_RADIUS_KM * np.cos(np.radians(lat))))
    return lat + dlat, np.asarray(lon_deg, dtype=np.float64) + dlon
