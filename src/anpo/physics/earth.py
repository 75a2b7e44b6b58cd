"""Constants of the spherical, rotating Earth used by :mod:`anpo.physics`.

The ballistic model works on a sphere (not the WGS84 ellipsoid), so that the
Keplerian orbit, the ground and the geodesy all share one radius.

References
----------
* ``EARTH_RADIUS_KM``: the mean radius 6371.0 km,
  :data:`anpo.geo.earth.EARTH_MEAN_RADIUS_KM` (IUGG mean radius R1 of the
  WGS84/GRS80 ellipsoid, 6371.0088 km, rounded; Moritz, "Geodetic Reference
  System 1980", Bulletin Geodesique 54 (1980)).
* ``GM_KM3_S2``: the geocentric gravitational constant 398600.4418 km^3/s^2
  (WGS84, NIMA TR8350.2, 3rd ed. (2000), table 3.1 / IERS Conventions 2010).
* ``OMEGA_RAD_S``: Earth's sidereal rotation rate 7.2921159e-5 rad/s (IERS
  Conventions 2010, table 1.2; WGS84 uses 7.292115e-5).
"""

from __future__ import annotations

from anpo.geo.earth import EARTH_MEAN_RADIUS_KM

EARTH_RADIUS_KM = EARTH_MEAN_RADIUS_KM
"""Radius of the spherical Earth, km (:data:`anpo.geo.earth.EARTH_MEAN_RADIUS_KM`)."""

GM_KM3_S2 = 398600.4418
"""Geocentric gravitational constant mu = G*M, km^3/s^2."""

OMEGA_RAD_S = 7.2921159e-5
"""Sidereal rotation rate of the Earth, rad/s (eastward)."""

G0_KM_S2 = GM_KM3_S2 / EARTH_RADIUS_KM**2
"""Surface gravity of the sphere, km/s^2 (about 9.82e-3)."""
