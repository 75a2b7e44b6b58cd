r"""Koopman's random-search law, for area search and barrier search.

A searcher of sweep width ``W`` (km) moving at speed ``v`` (km/h) through an
area ``A`` (km²) in which the target is uniformly distributed, with its track
laid down at random, detects at the constant rate :math:`\lambda = W v / A` per
hour, so that the probability of detection within ``t`` hours is

.. math::

    P_d(t) = 1 - \exp\!\left(-\frac{W v t}{A}\right)

(Koopman 1946, ch. 3; Washburn 2002, section 2.2). ``n`` independent searchers
add their rates. Against a moving target the searcher's speed is replaced by
the mean speed of the searcher relative to the target, averaged over the
relative heading, :math:`\bar v = \frac{1}{2\pi}\int_0^{2\pi}
\lvert v - u e^{i\theta}\rvert\,d\theta` (Koopman's "equivalent speed"; it is
:math:`\max(u, v)` when one of them is zero).

Barrier search. A submarine crosses a barrier band of length ``L`` (km, across
its track: the strait's width) and depth ``D`` (km, along its track) at speed
``u``; it is in the band for :math:`\tau = D / u` hours, during which ``n``
searchers search the band's area :math:`L D` at random. Its probability of being
detected in the crossing is

.. math::

    P_d = 1 - \exp\!\left(-\frac{n W \bar v \tau}{L D}\right)
        = 1 - \exp\!\left(-\frac{n W \bar v}{L u}\right),

independent of the depth. :func:`first_detection_h` draws the time of the first
detection from exponential clocks of these rates.

References
----------
B. O. Koopman, *Search and Screening*, OEG Report 56 (Washington, 1946), ch. 3.
A. R. Washburn, *Search and Detection*, 4th ed. (INFORMS, 2002), ch. 2.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

F64 = NDArray[np.float64]
_HEADINGS = 3600  # points of the relative-heading average (midpoint rule)


def detection_rate_per_h(
    sweep_width_km: ArrayLike, speed_km_h: ArrayLike, area_km2: ArrayLike, searchers: ArrayLike = 1
) -> F64:
    """Koopman's detection rate λ = n W v / A, per hour."""
    return np.asarray(
        np.asarray(searchers, dtype=np.float64)
        * np.asarray(sweep_width_km, dtype=np.float64)
        * np.asarray(speed_km_h, dtype=np.float64)
        / np.asarray(area_km2, dtype=np.float64)
    )


def random_search_pd(
    sweep_width_km: ArrayLike,
    speed_km_h: ArrayLike,
    time_h: ArrayLike,
    area_km2: ArrayLike,
    searchers: ArrayLike = 1,
) -> F64:
    """Probability of detection by random search, 1 − exp(−n W v t / A)."""
    rate = detection_rate_per_h(sweep_width_km, speed_km_h, area_km2, searchers)
    return np.asarray(-np.expm1(-rate * np.asarray(time_h, dtype=np.float64)))


def mean_relative_speed_km_h(searcher_km_h: ArrayLike, target_km_h: ArrayLike) -> F64:
    """Mean of |v − u·e^{iθ}| over a uniform relative heading θ (midpoint rule, 3,600 points)."""
    v = np.asarray(searcher_km_h, dtype=np.float64)[..., None]
    u = np.asarray(target_km_h, dtype=np.float64)[..., None]
    theta = (np.arange(_HEADINGS) + 0.5) * (2.0 * np.pi / _HEADINGS)
    rel = np.sqrt(v * v + u * u - 2.0 * v * u * np.cos(theta))
    return np.asarray(rel.mean(axis=-1))


def barrier_pd(
    sweep_width_km: ArrayLike,
    searcher_km_h: ArrayLike,
    target_km_h: ArrayLike,
    barrier_length_km: ArrayLike,
    searchers: ArrayLike = 1,
) -> F64:
    """Probability that a transit through a randomly searched barrier is detected."""
    return np.asarray(
        -np.expm1(
            -barrier_exposure(
                sweep_width_km, searcher_km_h, target_km_h, barrier_length_km, searchers
            )
        )
    )


def barrier_exposure(
    sweep_width_km: ArrayLike,
    searcher_km_h: ArrayLike,
    target_km_h: ArrayLike,
    barrier_length_km: ArrayLike,
    searchers: ArrayLike = 1,
) -> F64:
    """The expected number of detections in one crossing, n W v̄ / (L u)."""
    vbar = mean_relative_speed_km_h(searcher_km_h, target_km_h)
    return np.asarray(
        np.asarray(searchers, dtype=np.float64)
        * np.asarray(sweep_width_km, dtype=np.float64)
        * vbar
        / (
            np.asarray(barrier_length_km, dtype=np.float64)
            * np.asarray(target_km_h, dtype=np.float64)
        )
    )


def first_detection_h(u: ArrayLike, rate_per_h: ArrayLike) -> F64:
    """The time of the first detection, −ln(U)/λ, from uniforms ``u`` in (0, 1]; inf when λ = 0."""
    rate = np.asarray(rate_per_h, dtype=np.float64)
    with np.errstate(divide="ignore"):
        return np.asarray(-np.log(np.asarray(u, dtype=np.float64)) / rate)
