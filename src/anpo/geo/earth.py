"""The size of the Earth, defined once for all of anpo.

Two figures, each named for what it is:

* :data:`WGS84_SEMI_MAJOR_KM` and :data:`WGS84_FLATTENING`: the WGS84 ellipsoid
  (a = 6378.137 km, 1/f = 298.257223563; NIMA TR8350.2, 3rd ed. (2000), table 3.1),
  for distances where accuracy matters (geodesics in :mod:`anpo.geo.greatcircle`,
  a missile's ground range, an interceptor's reach).
* :data:`EARTH_MEAN_RADIUS_KM`: the radius of the sphere used where a sphere is
  meant (the ballistic model's Earth, chords between points at altitude, haversine
  distances and range rings): 6371.0 km, the IUGG mean radius R1 = (2a + b) / 3 =
  6371.0088 km of the WGS84/GRS80 ellipsoid, rounded (Moritz, "Geodetic Reference
  System 1980", Bulletin Geodesique 54 (1980)). It differs from the ellipsoid's
  local radius by at most about 0.3%.
"""

from __future__ import annotations

WGS84_SEMI_MAJOR_KM = 6378.137
"""WGS84 equatorial (semi-major) radius a, km."""

WGS84_FLATTENING = 1.0 / 298.257223563
"""WGS84 flattening f = (a - b) / a."""

EARTH_MEAN_RADIUS_KM = 6371.0
"""Radius of the spherical Earth, km (IUGG mean radius R1, rounded)."""

__all__ = ["EARTH_MEAN_RADIUS_KM", "WGS84_FLATTENING", "WGS84_SEMI_MAJOR_KM"]
