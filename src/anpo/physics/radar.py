"""When a radar first holds a track of a sampled flight: range and line of sight, vectorized.

A radar at a point on the sphere (R = :data:`EARTH_RADIUS_KM`, at altitude
``radar_alt_km``) sees a point of a flight when both hold:

* the straight-line (slant) distance is at most the radar's detection range;
* the point is above the radar's horizon: its elevation is not negative,
  ``(p − r) · û_r ≥ 0`` with ``r`` and ``p`` the radar's and the point's position
  vectors and ``û_r`` the radar's local vertical (refraction is ignored, which
  makes a low target appear slightly later than a real radar would see it).

The first sample that passes both is the time the radar first holds a track. Reads no
files; the numbers come from the knowledge base through the scenario layer.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from anpo.physics.earth import EARTH_RADIUS_KM
from anpo.physics.intercept import TrajectoryLike

FloatArray = NDArray[np.float64]


def _unit(lat_deg: FloatArray, lon_deg: FloatArray) -> FloatArray:
    lat, lon = np.radians(lat_deg), np.radians(lon_deg)
    c = np.cos(lat)
    return np.stack([c * np.cos(lon), c * np.sin(lon), np.sin(lat)], axis=-1)


def first_track_s(
    traj: TrajectoryLike,
    radar_lat_deg: ArrayLike,
    radar_lon_deg: ArrayLike,
    range_km: ArrayLike,
    radar_alt_km: float = 0.0,
) -> FloatArray:
    """Time after launch at which each of R radars first sees each of the M flights.

    Parameters
    ----------
    traj
        M flights sampled K times each.
    radar_lat_deg, radar_lon_deg, range_km
        (R,) positions and detection ranges (scalars are one radar).
    radar_alt_km
        Height of the antennas above the sphere, km.

    Returns
    -------
    NDArray
        (R, M) time of the first sample i with slant_i ≤ range and elevation_i ≥ 0,
        the flight's sample time ``t_s``; NaN where no sample passes.
    """
    lat = np.atleast_1d(np.asarray(radar_lat_deg, dtype=np.float64))
    lon = np.atleast_1d(np.asarray(radar_lon_deg, dtype=np.float64))
    rng = np.atleast_1d(np.asarray(range_km, dtype=np.float64))
    lat, lon, rng = np.broadcast_arrays(lat, lon, rng)
    t = np.asarray(traj.t_s, dtype=np.float64)
    u_r = _unit(lat, lon)  # (R, 3)
    r = (EARTH_RADIUS_KM + radar_alt_km) * u_r
    p = (EARTH_RADIUS_KM + np.asarray(traj.alt_km, dtype=np.float64))[..., None] * _unit(
        np.asarray(traj.lat_deg, dtype=np.float64), np.asarray(traj.lon_deg, dtype=np.float64)
    )  # (M, K, 3)
    d = p[None] - r[:, None, None, :]  # (R, M, K, 3)
    slant = np.linalg.norm(d, axis=-1)
    up = np.einsum("rmkj,rj->rmk", d, u_r)
    seen = (slant <= rng[:, None, None]) & (up >= 0.0)
    first = np.argmax(seen, axis=-1)  # (R, M)
    out: FloatArray = np.where(
        seen.any(axis=-1),
        np.take_along_axis(np.broadcast_to(t, seen.shape), first[..., None], -1)[..., 0],
        np.nan,
    )
    return out


__all__ = ["first_track_s"]
