r"""Air-combat kernels shared by the vectorized model and its reference twin.

:func:`salvo_p` is the salvo kill probability of one target that receives ``m``
independent shots of kill probability ``pk`` (shots spread evenly over the targets):

.. math:: P = 1 - (1 - p_k)^{m}.

Both the vectorized model and the per-trial reference evaluate it with NumPy's
``power`` loop (:func:`salvo_p` on arrays, :func:`salvo_one` on one trial's floats),
which gives each element the same bits whatever the array's length; a test checks it.

:func:`sortie_rate` is the steady-state sortie generation of one aircraft: a sortie
cycle is the transit out and back, the time on station and the ground turn, and an
aircraft flies at most :math:`H` hours a day (maintenance and crews),

.. math:: s = \min\Big(s_{max},\ \frac{24}{2 d / v + t_{os} + t_{turn}},\
          \frac{H}{2 d / v + t_{os}}\Big),

and the time-averaged number on station of ``A`` mission-capable aircraft is
:math:`A\,s\,t_{os}/24`.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

F64 = NDArray[np.float64]


def salvo_p(pk: ArrayLike, shots: ArrayLike, targets: ArrayLike) -> F64:
    """1 − (1 − pk)^(shots / max(targets, 1)), element by element (broadcast).

    The base and the exponent are single IEEE operations; the power is NumPy's
    :func:`numpy.power`, whose loop computes each element alike whatever the array's
    length (on AVX-512 machines one SIMD routine with masked tails, elsewhere the C
    library's ``pow`` on every element), so the per-trial reference, which calls it on
    one trial's floats (:func:`salvo_one`), gets the same bits. It is not
    :func:`math.pow`: the SIMD routine may differ from the C library in the last bit.
    """
    p, s, t = (np.asarray(x, dtype=np.float64) for x in (pk, shots, targets))
    return np.asarray(1.0 - np.power(1.0 - p, s / np.maximum(t, 1.0)))


def salvo_one(pk: float, shots: float, targets: float) -> float:
    """:func:`salvo_p` of one trial's Python floats, through the same power loop."""
    return 1.0 - float(np.power(1.0 - pk, shots / max(targets, 1.0)))


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
