r"""Air-combat kernels shared by the vectorized model and its reference twin.

:func:`salvo_p` is the salvo kill probability of one target that receives ``m``
independent shots of kill probability ``pk`` (shots spread evenly over the targets):

.. math:: P = 1 - (1 - p_k)^{m}.

It is evaluated element by element with :func:`math.pow`, so the vectorized model and
the per-trial reference compute bit-identical probabilities (NumPy's array ``power``
may take a SIMD path whose last bit differs from the scalar one).

:func:`sortie_rate` is the steady-state sortie generation of one aircraft: a sortie
cycle is the transit out and back, the time on station and the ground turn, and an
aircraft flies at most :math:`H` hours a day (maintenance and crews),

.. math:: s = \min\Big(s_{max},\ \frac{24}{2 d / v + t_{os} + t_{turn}},\
          \frac{H}{2 d / v + t_{os}}\Big),

and the time-averaged number on station of ``A`` mission-capable aircraft is
:math:`A\,s\,t_{os}/24`.
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import ArrayLike, NDArray

F64 = NDArray[np.float64]


def salvo_p(pk: ArrayLike, shots: ArrayLike, targets: ArrayLike) -> F64:
    """1 − (1 − pk)^(shots / max(targets, 1)), element by element (broadcast)."""
    p, s, t = np.broadcast_arrays(
        np.asarray(pk, dtype=np.float64),
        np.asarray(shots, dtype=np.float64),
        np.asarray(targets, dtype=np.float64),
    )
    out = np.empty(p.shape)
    flat = out.reshape(-1)
    for i, (pi, si, ti) in enumerate(zip(p.reshape(-1), s.reshape(-1), t.reshape(-1), strict=True)):
        flat[i] = 1.0 - math.pow(1.0 - float(pi), float(si) / max(float(ti), 1.0))
    return out


def sortie_rate(
    distance_km: ArrayLike,
    speed_km_h: ArrayLike,
    tos_h: ArrayLike,
    turn_h: ArrayLike,
    max_sorties: ArrayLike,
    max_flight_h: ArrayLike,
) -> F64:
    """Sorties per mission-capable aircraft per day (steady state)."""
    flight = 2.0 * np.asarray(distance_km) / np.asarray(speed_km_h) + np.asarray(tos_h)
    cycle = flight + np.asarray(turn_h)
    cap = np.minimum(np.asarray(max_sorties, dtype=np.float64), 24.0 / cycle)
    return np.asarray(np.minimum(cap, np.asarray(max_flight_h) / flight))


def on_station(aircraft: ArrayLike, mc: ArrayLike, rate: ArrayLike, tos_h: ArrayLike) -> F64:
    """Time-averaged aircraft on station: A · mc · s · t_os / 24."""
    return np.asarray(
        np.asarray(aircraft) * np.asarray(mc) * np.asarray(rate) * np.asarray(tos_h) / 24.0
    )
