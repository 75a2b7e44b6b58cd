"""A raid of ballistic missiles against a layered, magazine-limited defence.

The model follows the reasoning of D. A. Wilkening, "A Simple Model for
Calculating Ballistic Missile Defense Effectiveness", *Science & Global
Security* 8(2), 1999, pp. 183–215, and makes it a Monte Carlo engagement model
with finite, shared magazines.

Per engagement a shooter fires a salvo of n interceptors; each working
interceptor kills independently with probability SSPK, and each works with
probability r. A threat survives one engagement with probability

    q = (1 − r·SSPK)^n,

survives a salvo doctrine in tiers 1..m with probability ∏ q_i, and survives
shoot-look-shoot with k looks of n shots with probability (1 − r·SSPK)^(n·k),
while spending on average n·Σ_{j<k} q^j interceptors instead of n·k
(Wilkening, Sections 2–3). The probability that none of N threats leaks is
(1 − q)^N when SSPK is known.

Two levels of uncertainty (Wilkening stresses the first)
-------------------------------------------------------
1. *System parameters* — SSPK and reliability of each interceptor type, the
   sensor-to-decision delay of each tier, and the probability of recognising a
   decoy — are drawn **once per trial** and shared by all its shots. Shots are
   therefore correlated through them: averaging over trials,
   P(no leaker) = E_p[(1 − (1 − p)^n)^N], not (1 − (1 − E p)^n)^N.
2. *Shot outcomes* are drawn per shot on a fixed layout (threat × tier × shot
   slot), whether or not the shot is fired (see :func:`draw`).

Allocation (doctrine)
---------------------
Threats are taken in engagement order (time, then listing order; asset priority
first when asked). For each threat, the upper tier engages first, then the lower
tier engages survivors. In a tier, each engagement k = 0, 1, ... goes to the
shooter, among those whose window leaves room for k + 1 engagements after the
trial's sensor delay and that have a full salvo left (or any interceptor, with
partial salvos), that has the most interceptors left (ties: the first listed).
All engagements of one threat are committed before the next threat is taken.

The per-trial reference implementation is :mod:`.reference`; the two agree
exactly on the same generator.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from anpo.models.base import Outcomes
from anpo.models.missile_defense.inputs import (
    DECOY_ENGAGED,
    DECOY_IGNORED,
    DECOY_UNENGAGED,
    KILLED_LOWER,
    KILLED_UPPER,
    LEAK_DECOY_EXHAUSTED,
    LEAK_MAGAZINE_EMPTY,
    LEAK_MISSED,
    LEAK_NO_SHOOTER,
    LOWER,
    UPPER,
    Draws,
    Inputs,
    draw,
    effective_sspk,
    latest_delay,
)


def simulate(inputs: Inputs, rng: np.random.Generator, n_trials: int) -> Outcomes:
    """Run ``n_trials`` trials of the raid, vectorized over trials.

    Parameters
    ----------
    inputs
        The resolved raid, posture and doctrine.
    rng
        A generator made from a ``SeedSequence`` (the engine gives one per chunk).
    n_trials
        Number of trials.

    Returns
    -------
    dict
        One array per name in :data:`OUTCOMES`, trial axis first.
    """
    return resolve(inputs, draw(inputs, rng, n_trials))


def resolve(inputs: Inputs, d: Draws) -> Outcomes:
    """The engagement logic on given draws (vectorized over the trial axis).

    Each shooter's state (magazine, interceptors fired, interceptors fired at
    decoys) is one trial-long array of small integers, and choosing "the capable
    shooter with the most interceptors left" is a running maximum over the few
    shooters of a tier. The only Python loops run over threats, tiers,
    engagements, shooters and salvo shots, never over trials.
    """
    n = d.discrimination.shape[0]
    a_count = inputs.n_assets
    p_eff = effective_sspk(d)  # (n, I) float32
    fate = np.empty((n, inputs.n_threats), dtype=np.int8)
    leaked = np.zeros((n, a_count), dtype=np.int64)
    intercepted = np.zeros((n, a_count), dtype=np.int64)
    mag = [np.full(n, m, dtype=np.int32) for m in inputs.shooter_magazine.tolist()]
    fired = [np.zeros(n, dtype=np.int32) for _ in range(inputs.n_shooters)]
    at_decoys = [np.zeros(n, dtype=np.int32) for _ in range(inputs.n_shooters)]
    p_of = [np.ascontiguousarray(p_eff[:, i]) for i in inputs.shooter_interceptor.tolist()]
    tier_shooters = [
        np.flatnonzero(inputs.shooter_tier == tier).tolist() for tier in (UPPER, LOWER)
    ]
    delays = [np.ascontiguousarray(d.sensor_delay_s[:, tier]) for tier in (UPPER, LOWER)]
    zero = np.zeros(n, dtype=np.int32)

    for t in inputs.order().tolist():
        is_decoy = bool(inputs.threat_is_decoy[t])
        if is_decoy:
            alive = d.decoy_u[:, t] >= d.discrimination  # unrecognised decoys draw fire
        else:
            alive = np.ones(n, dtype=bool)
        engaged = alive.copy()
        killed_in = np.zeros(n, dtype=np.int8)  # 0 alive, 1 + tier of the kill
        shot_at = np.zeros(n, dtype=bool)
        could = np.zeros(n, dtype=bool)  # some shooter had a window for this threat
        drained = np.zeros(n, dtype=bool)  # a shooter that could engage it fired at decoys

        for tier in (UPPER, LOWER):
            shooters = tier_shooters[tier]
            if not shooters:
                continue
            salvo = int(inputs.salvo_size[tier])
            need = 1 if inputs.partial_salvos else salvo
            delay = delays[tier]
            for s in shooters:
                capable = delay <= latest_delay(inputs, s, t, 0)
                could |= capable
                if not is_decoy:
                    drained |= capable & (at_decoys[s] > 0)
            for k in range(int(inputs.max_engagements[tier])):
                # Running maximum of key = (magazine·64 + 63 − shooter index + 1) over the
                # capable, loaded shooters, 0 when none: the largest magazine wins and,
                # among equals, the first listed.
                best_key = zero
                for s in shooters:
                    cand = (delay <= latest_delay(inputs, s, t, k)) & (mag[s] >= need) & alive
                    key = ((mag[s] << _SHIFT) + (_MASK - s + 1)) * cand
                    best_key = np.maximum(key, best_key)
                fire = best_key > 0
                if not fire.any():
                    continue
                best_key -= 1
                best = _MASK - (best_key & _MASK)
                shots = np.minimum(salvo, best_key >> _SHIFT) * fire
                p = np.zeros(n, dtype=np.float32)
                for s in shooters:
                    mine = best == s
                    spend = shots * mine
                    mag[s] -= spend
                    fired[s] += spend
                    if is_decoy:
                        at_decoys[s] += spend
                    p += p_of[s] * mine
                shot_at |= fire
                kill = np.zeros(n, dtype=bool)
                base = k * salvo
                for j in range(salvo):
                    kill |= (shots > j) & (d.shot_u[tier][base + j][:, t] < p)
                killed_in += np.int8(tier + 1) * (kill & alive)
                alive &= ~kill

        if is_decoy:
            fate[:, t] = np.where(
                ~engaged, DECOY_IGNORED, np.where(shot_at, DECOY_ENGAGED, DECOY_UNENGAGED)
            )
            continue
        reason = np.where(
            shot_at,
            LEAK_MISSED,
            np.where(
                ~could,
                LEAK_NO_SHOOTER,
                np.where(drained, LEAK_DECOY_EXHAUSTED, LEAK_MAGAZINE_EMPTY),
            ),
        )
        fate[:, t] = np.where(
            killed_in == 1 + UPPER,
            KILLED_UPPER,
            np.where(killed_in == 1 + LOWER, KILLED_LOWER, reason),
        )
        a = int(inputs.threat_asset[t])
        leaked[:, a] += alive
        intercepted[:, a] += ~alive

    expended = _stack(fired, n)
    on_decoys = _stack(at_decoys, n)
    return _outcomes(inputs, d, fate, leaked, intercepted, expended, on_decoys)


_SHIFT = 6  # the allocation key keeps a shooter's index in its low 6 bits
_MASK = (1 << _SHIFT) - 1  # more than the shooters a scenario may list (checked by Inputs)


def _stack(rows: list[NDArray[np.int32]], n: int) -> NDArray[np.int64]:
    if not rows:
        return np.zeros((n, 0), dtype=np.int64)
    return np.stack(rows, axis=1).astype(np.int64)


def _outcomes(
    inputs: Inputs,
    d: Draws,
    fate: NDArray[np.int8],
    leaked: NDArray[np.int64],
    intercepted: NDArray[np.int64],
    expended: NDArray[np.int64],
    on_decoys: NDArray[np.int64],
) -> Outcomes:
    """Assemble the outcome arrays (shared by the vectorized and reference paths)."""
    tiers = np.stack(
        [expended[:, inputs.shooter_tier == tier].sum(axis=1) for tier in (UPPER, LOWER)],
        axis=1,
    )
    reasons = np.stack(
        [
            (fate == code).sum(axis=1)
            for code in (LEAK_MISSED, LEAK_NO_SHOOTER, LEAK_MAGAZINE_EMPTY, LEAK_DECOY_EXHAUSTED)
        ],
        axis=1,
    )
    return {
        "leakers": leaked.sum(axis=1),
        "intercepted": intercepted,
        "leaked": leaked,
        "expended": expended,
        "expended_tier": tiers,
        "expended_on_decoys": on_decoys.sum(axis=1),
        "leak_reason": reasons,
        "threat_fate": fate,
        "sspk": d.sspk,
        "reliability": d.reliability,
        "sensor_delay_s": d.sensor_delay_s,
        "discrimination": d.discrimination,
    }
