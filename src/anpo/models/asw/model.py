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

Transits are taken in day order, then listing order, one at a time (losses of
platforms carry to later transits), vectorized over trials. Random numbers
come from :func:`.inputs.draw`.
"""

from __future__ import annotations

import numpy as np

from anpo.models.asw.inputs import KILLED, THROUGH_DETECTED, THROUGH_UNDETECTED, Inputs, draw
from anpo.models.base import Outcomes


def simulate(inputs: Inputs, rng: np.random.Generator, n_trials: int) -> Outcomes:
    """Barrier transits for ``n_trials`` trials, vectorized over trials."""
    n, p_count, u_count = n_trials, inputs.n_platforms, inputs.n_subs
    d = draw(inputs, rng, n)
    base = inputs.base_rate_per_h
    tau = inputs.crossing_h
    lost = np.zeros((n, p_count), dtype=np.int64)
    detections = np.zeros((n, p_count), dtype=np.int64)
    kills = np.zeros((n, p_count), dtype=np.int64)
    fate = np.zeros((n, u_count), dtype=np.int8)
    index = np.arange(p_count)[None, :]
    for s in inputs.order():
        avail = inputs.platform_count[None, :] - lost
        rate = (avail * base[:, s][None, :]) * d.factor[:, inputs.sub_class[s]][:, None]
        with np.errstate(divide="ignore"):
            t = np.where(rate > 0, d.clock[:, s, :] / np.where(rate > 0, rate, 1.0), np.inf)
        uu = d.u[:, s]  # (n, P, 3)
        detect = t < tau[s]
        evade = detect & (uu[:, :, 0] < d.counter)
        # a group whose attack would kill; the first of them in time (ties: listing order)
        # kills, and no detection comes after it
        could = detect & ~evade & (uu[:, :, 1] < d.pk)
        when = np.where(could, t, np.inf)
        killer = np.argmin(when, axis=1)[:, None]
        first = np.take_along_axis(when, killer, axis=1)
        done = could.any(axis=1)
        seen = detect & ((t < first) | ((t == first) & (index <= killer)) | ~done[:, None])
        sunk = seen & evade & inputs.platform_vulnerable[None, :]
        sunk &= uu[:, :, 2] < d.counter_kill[:, None]
        detections += seen
        lost += sunk
        kills += done[:, None] & (index == killer)
        fate[:, s] = np.where(
            done, KILLED, np.where(seen.any(axis=1), THROUGH_DETECTED, THROUGH_UNDETECTED)
        )
    return outcomes(inputs, d.sinkings, fate, detections, kills, lost, d.pk, d.factor)


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
