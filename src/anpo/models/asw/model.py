r"""Submarines through a strait barrier against allied ASW forces (Koopman 1946).

Each submarine crosses the barrier band (length L across its track, depth D
along it) at speed u, so it is in the band for τ = D/u hours. Each group of
ASW platforms searches the band at random (Koopman's law, see
:mod:`anpo.models.kernels.search`): with ``m`` platforms of sweep width W
(times the submarine class's factor f) and mean relative speed v̄, its first
detection of the submarine comes after an exponential time of rate

.. math::

    \lambda = \frac{m\, W f\, \bar v}{L D},

so the group detects the submarine in the crossing with probability
:math:`1 - e^{-\lambda \tau} = 1 - e^{-m W f \bar v / (L u)}`.

The detections are taken in time order (vectorized: the group whose attack
would kill and comes first in time is the killer, and only detections up to it
happen). At each, the submarine first
counter-detects the platform with the group's ``counter`` probability: it
evades (the contact is lost) and, if the platform is a ship or a submarine,
counter-attacks it, sinking it with ``counter_kill`` (the group has one platform
fewer for every later transit). Otherwise the platform attacks and kills the
submarine with the group's ``pk``; a miss loses the contact. A submarine not
killed gets through and sinks a Poisson number of ships with mean
``shipping_sinkings`` over its patrol.

Transits are taken in day order, then listing order (losses of platforms carry
to later transits); :func:`simulate` explains how it does this for all trials
and transits at once. Random numbers come from :func:`.inputs.draw`, so the
per-transit reference in :mod:`.reference` uses exactly the same ones.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from anpo.models.asw.inputs import (
    KILLED,
    THROUGH_DETECTED,
    THROUGH_UNDETECTED,
    Draws,
    Inputs,
    draw,
)
from anpo.models.base import Outcomes


def simulate(inputs: Inputs, rng: np.random.Generator, n_trials: int) -> Outcomes:
    """Barrier transits for ``n_trials`` trials, vectorized over trials and transits.

    Every transit is first taken with the barrier at full strength. Then, in waves, the
    trials where a platform was lost take the transits after their latest loss again
    with the platforms left, until no trial has a loss it has not taken into account
    (the same as taking them one by one in every trial, since nothing else carries from
    one transit to the next). Arrays are transit-major, (U, n, ...), as drawn.
    """
    n, p_count, u_count = n_trials, inputs.n_platforms, inputs.n_subs
    d = draw(inputs, rng, n)
    order = np.asarray(inputs.order(), dtype=np.intp)
    pos_of = np.empty(u_count, dtype=np.intp)
    pos_of[order] = np.arange(u_count)
    subs_all = np.arange(u_count)
    seen, sunk, kill, fate, lossy = _cross(inputs, d, subs_all, None, None)
    # waves: rows still to redo, with the position of the loss last taken into account
    lossy = lossy[order]  # (U, n) in transit order
    has = np.any(lossy, axis=0)
    rows = np.flatnonzero(has)
    at = np.argmax(lossy[:, rows], axis=0)
    lost = np.zeros((n, p_count), dtype=np.int64)
    while rows.size:
        lost[rows] += sunk[order[at], rows]
        keep = at < u_count - 1
        rows, at = rows[keep], at[keep]
        if not rows.size:
            break
        lo = int(at.min()) + 1
        subs = order[lo:]
        a, b, c, f, g = _cross(inputs, d, subs, rows, inputs.platform_count[None, :] - lost[rows])
        accept = np.arange(lo, u_count)[:, None] > at[None, :]  # (k, r)
        grid = np.ix_(subs, rows)
        acc3 = accept[:, :, None]
        seen[grid] = np.where(acc3, a, seen[grid])
        sunk[grid] = np.where(acc3, b, sunk[grid])
        kill[grid] = np.where(acc3, c, kill[grid])
        fate[grid] = np.where(accept, f, fate[grid])
        new = g & accept
        more = np.any(new, axis=0)
        rows, at = rows[more], lo + np.argmax(new[:, more], axis=0)
    return outcomes(
        inputs,
        d.sinkings,
        fate.T,
        seen.sum(axis=0, dtype=np.int64),
        kill.sum(axis=0, dtype=np.int64),
        sunk.sum(axis=0, dtype=np.int64),
        d.pk,
        d.factor,
    )


def _cross(
    inputs: Inputs,
    d: Draws,
    subs: NDArray[np.intp],
    rows: NDArray[np.intp] | None,
    avail: NDArray[np.int64] | None,
) -> tuple[
    NDArray[np.bool_], NDArray[np.bool_], NDArray[np.bool_], NDArray[np.int8], NDArray[np.bool_]
]:
    """Transits ``subs`` in trials ``rows`` with ``avail`` (r, P) platforms on station
    (``rows`` None: every transit in every trial, with every platform on station).

    Returns, per (transit, row, group), whether the group detected it, lost a platform
    to it and killed it, and per (transit, row) its fate and whether a platform was lost.
    """
    clock = d.clock.transpose(1, 0, 2)  # (U, n, P), contiguous
    uu = d.u.transpose(1, 0, 2, 3)
    factor = d.factor[:, inputs.sub_class[subs]].T  # (k, n)
    # per (trial, group): the thresholds of the three uniforms of an engagement
    limits = np.stack(
        (d.counter, d.pk, np.broadcast_to(d.counter_kill[:, None], d.pk.shape)), axis=-1
    )
    if rows is None or avail is None:
        rate = _full_rate(inputs)[:, None, :] * factor[:, :, None]
    else:
        clock, uu = clock[np.ix_(subs, rows)], uu[np.ix_(subs, rows)]
        factor, limits = factor[:, rows], limits[rows]
        base = inputs.base_rate_per_h.T[subs]  # (k, P)
        rate = (avail[None, :, :] * base[:, None, :]) * factor[:, :, None]
    # t is inf or nan where the rate is 0: never a detection, and not used elsewhere
    with np.errstate(divide="ignore", invalid="ignore"):
        t = np.divide(clock, rate, out=rate)
    detect = t < inputs.crossing_h[subs][:, None, None]
    below = uu < limits  # (k, r, P, 3): counter-detected, kill, counter-kill
    # a group whose attack would kill; the first of them in time (ties: listing order)
    # kills, and no detection comes after it
    could = detect & ~below[..., 0] & below[..., 1]
    p_count = inputs.n_platforms
    first = np.where(could[..., 0], t[..., 0], np.inf)
    for p in range(1, p_count):
        np.minimum(first, np.where(could[..., p], t[..., p], np.inf), out=first)
    done = first < np.inf
    first3 = first[:, :, None]
    at_first = detect & (t == first3)
    seen = detect & (t < first3)
    if np.count_nonzero(at_first) == np.count_nonzero(done):
        # no ties: only the killer is detected at the first kill's time
        seen |= at_first
        kill = at_first
    else:
        kill = np.zeros_like(seen)
        before = np.ones(first.shape, dtype=np.bool_)  # the killer's column not reached
        for p in range(p_count):
            seen[..., p] |= at_first[..., p] & before
            hit = at_first[..., p] & could[..., p] & before
            kill[..., p] = hit
            before &= ~hit
    sunk = np.zeros_like(seen)
    lossy = np.zeros(first.shape, dtype=np.bool_)
    for p in np.flatnonzero(inputs.platform_vulnerable).tolist():
        sunk[..., p] = seen[..., p] & below[..., p, 0] & below[..., p, 2]
        lossy |= sunk[..., p]
    any_seen = detect[..., 0].copy()  # the earliest detection is always seen
    for p in range(1, p_count):
        any_seen |= detect[..., p]
    fate = np.where(done, KILLED, np.where(any_seen, THROUGH_DETECTED, THROUGH_UNDETECTED))
    return seen, sunk, kill, fate.astype(np.int8), lossy


def _full_rate(inputs: Inputs) -> NDArray[np.float64]:
    """(U, P): the rate m·W·v̄/(L·D) of each group at full strength, factor 1."""
    return inputs.platform_count[None, :] * inputs.base_rate_per_h.T


def outcomes(
    inputs: Inputs,
    sinkings: np.ndarray,
    fate: np.ndarray,
    detections: np.ndarray,
    kills: np.ndarray,
    lost: np.ndarray,
    pk: np.ndarray,
    factor: np.ndarray,
) -> Outcomes:
    """The outcome arrays from each transit's fate and the per-group counts."""
    days = inputs.n_days
    detected = fate != THROUGH_UNDETECTED
    killed = fate == KILLED
    through = ~killed
    on_day = (inputs.sub_day[:, None] == np.arange(days)[None, :]).astype(np.int64)  # (U, D)
    by_day = [np.asarray(m, dtype=np.int64) @ on_day for m in (detected, killed, through)]
    return {
        "subs_detected": detected.sum(axis=1).astype(np.int64),
        "subs_killed": killed.sum(axis=1).astype(np.int64),
        "transits": through.sum(axis=1).astype(np.int64),
        "detected_by_day": by_day[0],
        "killed_by_day": by_day[1],
        "transits_by_day": by_day[2],
        "detections": detections,
        "kills": kills,
        "platforms_lost": lost,
        "shipping_sunk": (sinkings * through).sum(axis=1).astype(np.int64),
        "sub_fate": fate,
        "platform_pk": pk,
        "class_sweep_factor": factor,
    }
