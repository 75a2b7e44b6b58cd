r"""Lanchester's square law, deterministic and stochastic, and Engel's fit.

Square law (aimed fire). Forces ``x`` and ``y`` attrit each other at rates
proportional to the opposing force, with reinforcements ``P(t)`` to ``x``:

.. math::

    \frac{dx}{dt} = P(t) - a\,y, \qquad \frac{dy}{dt} = -b\,x .

Without reinforcements :math:`b x^2 - a y^2` is constant (the "square law"), and
the solution is :math:`x(t) = x_0\cosh(\sqrt{ab}\,t) - \sqrt{a/b}\,y_0
\sinh(\sqrt{ab}\,t)`. :func:`square_law_daily` steps the equations a day at a
time, as Engel (1954) did for Iwo Jima (reinforcements landing at the start of
a day count for that day's fire).

Stochastic form. The continuous-time Markov chain in which each of ``x``'s
members is lost at rate :math:`a y` and each of ``y``'s at :math:`b x`
(Washburn 2000, section 3); :func:`stochastic_square_law` steps it with a small
time step, drawing losses in a step as Poisson numbers of mean rate × step,
bounded by the force. Its mean follows the deterministic law while both
forces are large.

Engel's estimate. Engel (1954) fitted the Iwo Jima battle (U.S. forces ``x``
landing 54,000, 6,000 and 13,000 men on days 1, 3 and 6; a Japanese garrison
:math:`y_0 = 21{,}500` with no reinforcement, annihilated by day 36) as

.. math::

    b = \frac{y_0 - y_T}{\sum_{t=1}^{T} x_t}, \qquad
    a = \frac{\sum_t P_t - x_T}{\sum_{t=0}^{T-1} y_t},

where :math:`y_t = y_0 - b \sum_{s \le t} x_s` is computed from ``b`` day by day
(the Japanese strength was not recorded daily), and found
:math:`a = 0.0544` and :math:`b = 0.0106` per day (:func:`engel_fit`).

References
----------
F. W. Lanchester, *Aircraft in Warfare* (London, 1916), ch. V.
J. H. Engel, "A Verification of Lanchester's Law", *Journal of the Operations
Research Society of America* 2(2) (1954) 163-171.
A. R. Washburn, *Lanchester Systems* (Naval Postgraduate School, 2000).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

F64 = NDArray[np.float64]

ENGEL_A = 0.0544
"""Engel's (1954) Japanese effectiveness against U.S. forces, per day."""
ENGEL_B = 0.0106
"""Engel's (1954) U.S. effectiveness against Japanese forces, per day."""
IWO_JIMA_DAYS = 36
IWO_JIMA_JAPANESE = 21_500.0
IWO_JIMA_LANDINGS = {1: 54_000.0, 3: 6_000.0, 6: 13_000.0}
"""U.S. troops landed on days 1, 3 and 6 (Engel 1954)."""


def square_law_closed(x0: ArrayLike, y0: ArrayLike, a: float, b: float, t: ArrayLike) -> F64:
    """x(t) of the square law without reinforcement (while both forces are positive)."""
    k = np.sqrt(a * b)
    tt = np.asarray(t, dtype=np.float64)
    return np.asarray(
        np.asarray(x0) * np.cosh(k * tt) - np.sqrt(a / b) * np.asarray(y0) * np.sinh(k * tt)
    )


def square_law_daily(
    x0: float, y0: float, a: float, b: float, days: int, reinforcements: dict[int, float]
) -> tuple[F64, F64]:
    """x_t and y_t for days 1..``days`` by daily steps (Engel's computation).

    On day t: x_t = x_{t-1} + P_t − a·y_{t-1}, y_t = y_{t-1} − b·x_t, both held ≥ 0.
    """
    x = np.zeros(days + 1)
    y = np.zeros(days + 1)
    x[0], y[0] = x0, y0
    for t in range(1, days + 1):
        x[t] = max(0.0, x[t - 1] + reinforcements.get(t, 0.0) - a * y[t - 1])
        y[t] = max(0.0, y[t - 1] - b * x[t])
    return x[1:], y[1:]


def engel_fit(
    us_daily: ArrayLike,
    japanese_initial: float,
    japanese_final: float,
    landed: float | ArrayLike,
    method: str = "totals",
) -> tuple[float, float]:
    r"""Engel's (a, b) from the daily U.S. strengths, the Japanese start and end, the landings.

    ``b`` is always Engel's ratio of total Japanese losses to the summed daily U.S.
    strength, :math:`b = (y_0 - y_T) / \sum_t x_t`; the daily Japanese strength is then
    computed from it, :math:`y_t = y_0 - b \sum_{s \le t} x_s`.

    ``method="totals"``: ``a`` is total U.S. losses over the summed Japanese strength
    that fired, :math:`a = (\sum_t P_t - x_T) / \sum_t y_{t-1}` (``landed`` is then the
    total landed, a number).

    ``method="least_squares"``: ``a`` minimises :math:`\sum_t (x_t - \hat x_t)^2` with
    :math:`\hat x_t = \sum_{s \le t} P_s - a \sum_{s \le t} y_{s-1}`, the daily-step
    square law (``landed`` is then the (T,) landed-to-date series):
    :math:`a = \sum_t S_t (L_t - x_t) / \sum_t S_t^2` with
    :math:`S_t = \sum_{s \le t} y_{s-1}` and :math:`L_t` the men landed by day t.
    """
    x = np.asarray(us_daily, dtype=np.float64)
    b = (japanese_initial - japanese_final) / float(x.sum())
    y = japanese_initial - b * np.cumsum(x)
    before = np.maximum(np.concatenate([[japanese_initial], y[:-1]]), 0.0)  # y_{t-1}
    if method == "totals":
        total = float(np.asarray(landed, dtype=np.float64).reshape(-1)[-1])
        a = (total - float(x[-1])) / float(before.sum())
    elif method == "least_squares":
        to_date = np.broadcast_to(np.asarray(landed, dtype=np.float64), x.shape)
        s = np.cumsum(before)
        a = float((s * (to_date - x)).sum() / (s * s).sum())
    else:
        raise ValueError(f"unknown method {method!r}: use 'totals' or 'least_squares'")
    return a, b


def stochastic_square_law(
    x0: ArrayLike,
    y0: ArrayLike,
    a: ArrayLike,
    b: ArrayLike,
    t_end: float,
    dt: float,
    rng: np.random.Generator,
    n_trials: int,
) -> tuple[F64, F64]:
    """Survivors (n,) of the stochastic square law at ``t_end``, in Poisson steps of ``dt``.

    ``a`` and ``b`` may be (n,) arrays (drawn coefficients) or scalars.
    """
    x = np.broadcast_to(np.asarray(x0, dtype=np.float64), (n_trials,)).copy()
    y = np.broadcast_to(np.asarray(y0, dtype=np.float64), (n_trials,)).copy()
    aa = np.broadcast_to(np.asarray(a, dtype=np.float64), (n_trials,))
    bb = np.broadcast_to(np.asarray(b, dtype=np.float64), (n_trials,))
    for _ in range(round(t_end / dt)):
        lose_x = np.minimum(x, rng.poisson(aa * y * dt))
        lose_y = np.minimum(y, rng.poisson(bb * x * dt))
        x -= lose_x
        y -= lose_y
    return x, y
