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

    Every transit is first taken with the barrier at full strength; only in the trials
    where a platform is lost are the transits after the first loss taken again, one
    after another with the platforms left (the same as taking them one by one in every
    trial, since nothing else carries from one transit to the next).
    """
    n, p_count = n_trials, inputs.n_platforms
    d = draw(inputs, rng, n)
    order = np.asarray(inputs.order(), dtype=np.intp)
    rows = np.arange(n)
    full = np.broadcast_to(inputs.platform_count, (n, order.size, p_count))
    seen, sunk, kill, fate = _cross(inputs, d, rows, order, full)
    lossy: NDArray[np.bool_] = np.any(sunk, axis=2)  # (n, U): a platform lost to the transit
    first_loss = np.where(np.any(lossy, axis=1), np.argmax(lossy, axis=1), -1)
    again = rows[first_loss >= 0]
    if again.size:
        after = first_loss[again]
        lost = np.zeros((again.size, p_count), dtype=np.int64)
        for pos in range(order.size):
            redo = pos > after  # a transit after the trial's first loss: take it again
            if redo.any():
                sel = again[redo]
                avail = (inputs.platform_count[None, :] - lost[redo])[:, None, :]
                a, b, c, f = _cross(inputs, d, sel, order[pos : pos + 1], avail)
                seen[sel, pos], sunk[sel, pos], kill[sel, pos] = a[:, 0], b[:, 0], c[:, 0]
                fate[sel, pos] = f[:, 0]
            lost += sunk[again, pos]
    out_fate = np.zeros((n, inputs.n_subs), dtype=np.int8)
    out_fate[:, order] = fate
    return outcomes(
        inputs,
        d.sinkings,
        out_fate,
        seen.sum(axis=1).astype(np.int64),
        kill.sum(axis=1).astype(np.int64),
        sunk.sum(axis=1).astype(np.int64),
        d.pk,
        d.factor,
    )


def _cross(
    inputs: Inputs,
    d: Draws,
    rows: NDArray[np.intp],
    subs: NDArray[np.intp],
    avail: NDArray[np.int64],
) -> tuple[NDArray[np.bool_], NDArray[np.bool_], NDArray[np.bool_], NDArray[np.int8]]:
    """Transits ``subs`` in trials ``rows`` with ``avail`` (r, u, P) platforms on station.

    Returns, per (row, transit, group), whether the group detected it, lost a platform
    to it and killed it, and per (row, transit) its fate.
    """
    base = inputs.base_rate_per_h[:, subs].T[None, :, :]  # (1, u, P)
    grid = np.ix_(rows, subs)
    factor = d.factor[np.ix_(rows, inputs.sub_class[subs])][:, :, None]  # (r, u, 1)
    rate = (avail * base) * factor
    with np.errstate(divide="ignore"):
        t = np.where(rate > 0, d.clock[grid] / np.where(rate > 0, rate, 1.0), np.inf)
    uu = d.u[grid]  # (r, u, P, 3)
    detect = t < inputs.crossing_h[subs][None, :, None]
    evade = detect & (uu[..., 0] < d.counter[rows][:, None, :])
    # a group whose attack would kill; the first of them in time (ties: listing order)
    # kills, and no detection comes after it
    could = detect & ~evade & (uu[..., 1] < d.pk[rows][:, None, :])
    when = np.where(could, t, np.inf)
    killer = np.argmin(when, axis=2)[:, :, None]
    first = np.take_along_axis(when, killer, axis=2)
    done: NDArray[np.bool_] = np.any(could, axis=2)
    index = np.arange(inputs.n_platforms)[None, None, :]
    seen = detect & ((t < first) | ((t == first) & (index <= killer)) | ~done[:, :, None])
    sunk = seen & evade & inputs.platform_vulnerable[None, None, :]
    sunk &= uu[..., 2] < d.counter_kill[rows][:, None, None]
    kill = done[:, :, None] & (index == killer)
    fate = np.where(
        done, KILLED, np.where(seen.any(axis=2), THROUGH_DETECTED, THROUGH_UNDETECTED)
    ).astype(np.int8)
    return seen, sunk, kill, fate


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
