r"""Hughes's salvo equations, deterministic and stochastic.

Deterministic form (Hughes 1995, eqs. 1-2). Two homogeneous forces of ``A`` and
``B`` ships exchange one salvo each. Each A ship fires ``alpha`` well-aimed
missiles, each B ship destroys ``b3`` incoming missiles by defensive fire, and
``b1`` hits put one B ship out of action (its staying power); likewise
``beta``, ``a3`` and ``a1`` for B against A. The ships of B put out of action
by one salvo are

.. math::

    \Delta B = \min\!\left(B,\ \frac{\max(0,\ \alpha A - b_3 B)}{b_1}\right),
    \qquad
    \Delta A = \min\!\left(A,\ \frac{\max(0,\ \beta B - a_3 A)}{a_1}\right).

Hughes's fractional exchange ratio, the measure he uses to compare the two
sides, is :math:`\mathrm{FER} = (\Delta B / B) / (\Delta A / A)`.

Heterogeneous form (Hughes 1995, section 5). Ship types ``i`` of A and ``j`` of
B; ``alpha_i`` missiles per A ship of type ``i``, of which the fraction
``phi[i, j]`` is aimed at B ships of type ``j``; defensive fire ``b3_j`` per B
ship of type ``j`` is spent on the missiles aimed at its own type; then

.. math::

    \Delta B_j = \min\!\left(B_j,\ \frac{\max(0,\ \sum_i \alpha_i \phi_{ij} A_i
    - b_{3j} B_j)}{b_{1j}}\right).

Stochastic form (after Armstrong 2005). Missiles are counted one by one: each
fired missile is well aimed with probability ``p_hit``; each well-aimed missile
is seduced by soft kill (decoys, jamming) with probability ``p_soft``; the rest
are engaged, in order, by the defenders' pooled interceptors, ``shots`` to a
missile while interceptors last, each engagement killing with probability
:math:`1 - (1 - p_k)^{\mathrm{shots}}` (hard kill); each missile that survives
is one hit. :func:`stochastic_hits` gives the number of hits from given uniform
numbers; its mean with ``p_soft = 0`` and perfect interceptors is Hughes's
:math:`\max(0, \alpha A p_{hit} - b_3 B)` (when defence is deterministic).

References
----------
W. P. Hughes, Jr., "A Salvo Model of Warships in Missile Combat Used to Evaluate
Their Staying Power", *Naval Research Logistics* 42 (1995) 267-289.
M. J. Armstrong, "A Stochastic Salvo Model for Naval Surface Combat",
*Operations Research* 53(5) (2005) 830-841.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

F64 = NDArray[np.float64]


def salvo_losses(
    shooters: ArrayLike,
    fire: ArrayLike,
    defenders: ArrayLike,
    defence: ArrayLike,
    staying: ArrayLike,
) -> F64:
    """Ships put out of action by one salvo (Hughes's ΔB), bounded by 0 and the defenders.

    Parameters
    ----------
    shooters
        Firing ships (A), broadcast over trials.
    fire
        Well-aimed missiles per firing ship (α).
    defenders
        Defending ships (B).
    defence
        Missiles destroyed by each defending ship (b3).
    staying
        Hits that put one defending ship out of action (b1), > 0.
    """
    a = np.asarray(shooters, dtype=np.float64)
    b = np.asarray(defenders, dtype=np.float64)
    hits = np.maximum(0.0, np.asarray(fire, dtype=np.float64) * a - np.asarray(defence) * b)
    return np.minimum(b, hits / np.asarray(staying, dtype=np.float64))


def exchange(
    a: ArrayLike,
    b: ArrayLike,
    alpha: ArrayLike,
    beta: ArrayLike,
    a1: ArrayLike,
    b1: ArrayLike,
    a3: ArrayLike,
    b3: ArrayLike,
) -> tuple[F64, F64]:
    """One simultaneous salvo exchange: (ΔA, ΔB), the ships each side loses."""
    return salvo_losses(b, beta, a, a3, a1), salvo_losses(a, alpha, b, b3, b1)


def fractional_exchange_ratio(
    a: ArrayLike, b: ArrayLike, delta_a: ArrayLike, delta_b: ArrayLike
) -> F64:
    """Hughes's FER = (ΔB/B) / (ΔA/A); infinite when A loses nothing and B does."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.asarray(
            (np.asarray(delta_b) / np.asarray(b)) / (np.asarray(delta_a) / np.asarray(a)),
            dtype=np.float64,
        )


def heterogeneous_losses(
    shooters: ArrayLike,
    fire: ArrayLike,
    targeting: ArrayLike,
    defenders: ArrayLike,
    defence: ArrayLike,
    staying: ArrayLike,
) -> F64:
    """Ships of each defending type put out of action (heterogeneous ΔB_j).

    ``shooters`` (..., I), ``fire`` (I,), ``targeting`` (I, J) with rows summing to 1,
    ``defenders``, ``defence`` and ``staying`` (..., J).
    """
    a = np.asarray(shooters, dtype=np.float64)
    per_type = a * np.asarray(fire, dtype=np.float64)
    aimed = per_type @ np.asarray(targeting, dtype=np.float64)
    b = np.asarray(defenders, dtype=np.float64)
    hits = np.maximum(0.0, aimed - np.asarray(defence, dtype=np.float64) * b)
    return np.asarray(np.minimum(b, hits / np.asarray(staying, dtype=np.float64)))


def engagement_kill(sspk: ArrayLike, shots: int) -> F64:
    """Probability that ``shots`` interceptors fired at one missile kill it, 1 − (1 − p)^shots."""
    return np.asarray(1.0 - (1.0 - np.asarray(sspk, dtype=np.float64)) ** shots)


def stochastic_hits(
    u_hit: NDArray[Any],
    u_soft: NDArray[Any],
    u_kill: NDArray[Any],
    fired: NDArray[np.bool_],
    p_hit: ArrayLike,
    p_soft: ArrayLike,
    p_engaged_kill: ArrayLike,
    engagements: ArrayLike,
    axis: int = 1,
) -> tuple[NDArray[np.bool_], NDArray[np.int64]]:
    """Which missiles of a salvo hit, and how many engagements the defence fought.

    Arrays are (n, M): one row per trial, one column per missile slot in firing
    order; ``fired`` marks slots that fired. ``p_*`` broadcast to (n, M) or (n, 1);
    ``engagements`` (n,) is how many missiles the defence can engage (pooled
    interceptors // shots per missile). Missiles are engaged in slot order.
    With ``axis=0`` the arrays are (M, n) instead, slot first.

    Returns ``hit`` (n, M) and ``engaged`` (n,), the engagements fought.
    """
    aimed = fired & (u_hit < p_hit)
    leaking = aimed & ~(u_soft < p_soft)
    rank = _running_count(leaking, axis)  # 1-based order among those engaged
    cap = np.expand_dims(np.asarray(engagements, dtype=np.int64), axis)
    engaged = leaking & (rank <= cap)
    killed = engaged & (u_kill < p_engaged_kill)
    return leaking & ~killed, engaged.sum(axis=axis).astype(np.int64)


def _running_count(mask: NDArray[np.bool_], axis: int) -> NDArray[np.int32]:
    """Cumulative count of True along ``axis`` (row by row along axis 0: much faster there)."""
    if axis != 0:
        return np.cumsum(mask, axis=axis, dtype=np.int32)
    out = mask.astype(np.int32)
    for i in range(1, out.shape[0]):
        out[i] += out[i - 1]
    return out


def ceil_float32(p: ArrayLike) -> NDArray[np.float32]:
    """``p`` rounded up to single precision: the least float32 q with q ≥ p.

    For any single-precision u, ``u < q`` exactly when ``u < p`` in double precision
    (every float32 below q lies below p), so comparisons of single-precision uniforms
    with probabilities can run in single precision and give the same answers.
    """
    pd = np.asarray(p, dtype=np.float64)
    q = pd.astype(np.float32)
    low = q.astype(np.float64) < pd
    if low.any():
        q[low] = np.nextafter(q[low], np.float32(np.inf))
    return q
