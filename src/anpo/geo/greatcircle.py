"""Geodesic distances, azimuths, destinations and range rings on the WGS84 ellipsoid.

Every function is vectorized over NumPy arrays (scalars broadcast) and reads no files.
The geometry is the geodesic ("great circle" on the ellipsoid) solved by
``pyproj.Geod(ellps="WGS84")``, which implements Karney's algorithms (C. F. F. Karney,
"Algorithms for geodesics", J. Geodesy 87, 43-55, 2013; accurate to about 15 nm).
Angles are decimal degrees (latitude north, longitude east, azimuth clockwise from north);
distances are kilometres.

For the inverse problem between points 1 and 2 the geodesic length ``s12`` and the forward
azimuth ``az12`` satisfy the direct problem ``(lat2, lon2) = direct(lat1, lon1, az12, s12)``.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray
from pyproj import Geod

from anpo.geo.earth import WGS84_FLATTENING, WGS84_SEMI_MAJOR_KM

M_PER_KM = 1000.0

WGS84 = Geod(a=WGS84_SEMI_MAJOR_KM * M_PER_KM, f=WGS84_FLATTENING)
"""The WGS84 ellipsoid (:mod:`anpo.geo.earth`; the same as ``Geod(ellps="WGS84")``)."""

FloatArray = NDArray[np.float64]


def _arrays(*values: ArrayLike) -> tuple[FloatArray, ...]:
    return tuple(np.broadcast_arrays(*(np.asarray(v, dtype=np.float64) for v in values)))


def _shaped(value: Any, shape: tuple[int, ...]) -> FloatArray:
    return np.asarray(value, dtype=np.float64).reshape(shape)


def _inverse(
    lat1: ArrayLike, lon1: ArrayLike, lat2: ArrayLike, lon2: ArrayLike
) -> tuple[FloatArray, FloatArray]:
    a_lat, a_lon, b_lat, b_lon = _arrays(lat1, lon1, lat2, lon2)
    shape = a_lat.shape
    az12, _az21, s12_m = WGS84.inv(a_lon.ravel(), a_lat.ravel(), b_lon.ravel(), b_lat.ravel())
    return _shaped(az12, shape), _shaped(s12_m, shape) / M_PER_KM


def distance_km(lat1: ArrayLike, lon1: ArrayLike, lat2: ArrayLike, lon2: ArrayLike) -> FloatArray:
    """Geodesic distance ``s12`` (km) from point 1 to point 2 on the WGS84 ellipsoid.

    Solves Karney's (2013) inverse problem with ``pyproj.Geod.inv``; inputs broadcast.
    """
    return _inverse(lat1, lon1, lat2, lon2)[1]


def azimuth_deg(lat1: ArrayLike, lon1: ArrayLike, lat2: ArrayLike, lon2: ArrayLike) -> FloatArray:
    """Forward azimuth ``az12`` at point 1 toward point 2, degrees clockwise from north in
    [0, 360). Karney (2013) inverse problem via ``pyproj.Geod.inv``."""
    return np.mod(_inverse(lat1, lon1, lat2, lon2)[0], 360.0)


def destination(
    lat: ArrayLike, lon: ArrayLike, azimuth_deg: ArrayLike, distance_km: ArrayLike
) -> tuple[FloatArray, FloatArray]:
    """The point ``(lat2, lon2)`` reached by going ``distance_km`` along the geodesic that
    leaves ``(lat, lon)`` at ``azimuth_deg``: Karney's (2013) direct problem via
    ``pyproj.Geod.fwd``. Longitudes are returned in [-180, 180)."""
    a_lat, a_lon, az, s_km = _arrays(lat, lon, azimuth_deg, distance_km)
    shape = a_lat.shape
    lon2, lat2, _ = WGS84.fwd(a_lon.ravel(), a_lat.ravel(), az.ravel(), s_km.ravel() * M_PER_KM)
    lon2_wrapped = np.mod(_shaped(lon2, shape) + 180.0, 360.0) - 180.0
    return _shaped(lat2, shape), lon2_wrapped


def distance_matrix_km(
    lat: ArrayLike, lon: ArrayLike, points_lat: ArrayLike, points_lon: ArrayLike
) -> FloatArray:
    """Geodesic distances (km) from each of ``N`` centres to each of ``M`` points, shape
    ``(N, M)``."""
    c_lat, c_lon = _arrays(np.ravel(lat), np.ravel(lon))
    p_lat, p_lon = _arrays(np.ravel(points_lat), np.ravel(points_lon))
    return distance_km(c_lat[:, None], c_lon[:, None], p_lat[None, :], p_lon[None, :])


def within_radius(
    lat: ArrayLike,
    lon: ArrayLike,
    points_lat: ArrayLike,
    points_lon: ArrayLike,
    radius_km: ArrayLike,
) -> NDArray[np.bool_]:
    """Boolean matrix ``(N, M)``: whether point ``j`` lies within ``radius_km`` (geodesic)
    of centre ``i``. ``radius_km`` is a scalar or one radius per centre (shape ``(N,)``)."""
    dist = distance_matrix_km(lat, lon, points_lat, points_lon)
    radius = np.asarray(radius_km, dtype=np.float64)
    if radius.ndim == 1:
        radius = radius[:, None]
    return np.asarray(dist <= radius, dtype=np.bool_)


def circle(lat: float, lon: float, radius_km: float, n: int = 72) -> tuple[FloatArray, FloatArray]:
    """A range ring: ``n`` points at geodesic distance ``radius_km`` from ``(lat, lon)`` at
    azimuths ``360 k / n`` (k = 0..n-1), closed by repeating the first point (``n + 1``
    points). Returns ``(lats, lons)`` in degrees; longitudes are unwrapped so the ring has no
    jump at the antimeridian."""
    if n < 3:
        raise ValueError("a circle needs at least 3 points")
    if radius_km < 0:
        raise ValueError("radius_km must be zero or more")
    azimuths = np.arange(n + 1, dtype=np.float64) * (360.0 / n)
    azimuths[-1] = 0.0
    lats, lons = destination(np.full(n + 1, lat), np.full(n + 1, lon), azimuths, radius_km)
    unwrapped = np.rad2deg(np.unwrap(np.deg2rad(lons)))
    shift = np.round((lon - unwrapped[0]) / 360.0) * 360.0
    return lats, unwrapped + shift


__all__ = [
    "WGS84",
    "azimuth_deg",
    "circle",
    "destination",
    "distance_km",
    "distance_matrix_km",
    "within_radius",
]
