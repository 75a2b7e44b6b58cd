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

from typing import Any

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

    Each shooter's state is one trial-long array of 16-bit integers, its *key*

        key = magazine · 64 + (63 − shooter index),

    so that "the capable shooter with the most interceptors left, ties to the first
    listed" is the running maximum of the keys of the capable, loaded shooters
    (a loaded shooter's key is at least 64, so 0 means no shooter), and the chosen
    shooter and its magazine are read back from the maximum. Pairs
    that can never engage (no window, or a window shorter than k engagements even
    with no delay) are skipped before any array work. The only Python loops run
    over threats, tiers, engagements, shooters and salvo shots, never over trials.
    """
    n = d.discrimination.shape[0]
    a_count, s_count = inputs.n_assets, inputs.n_shooters
    p_eff = effective_sspk(d)  # (n, I) float32
    p_type = [np.ascontiguousarray(p_eff[:, i]) for i in range(inputs.n_interceptor_types)]
    fate = np.empty((n, inputs.n_threats), dtype=np.int8)
    leaked = np.zeros((n, a_count), dtype=np.int64)
    intercepted = np.zeros((n, a_count), dtype=np.int64)
    start = inputs.shooter_magazine.tolist()
    key = [np.full(n, (m << _SHIFT) + (_MASK - s), dtype=np.int16) for s, m in enumerate(start)]
    at_decoys = [np.zeros(n, dtype=np.int16) for _ in range(s_count)]
    kind = inputs.shooter_interceptor.tolist()
    kind_of = np.zeros(_MASK + 1, dtype=np.int64)  # interceptor type by shooter index
    kind_of[:s_count] = kind
    tier_shooters = [
        np.flatnonzero(inputs.shooter_tier == tier).tolist() for tier in (UPPER, LOWER)
    ]
    delays = [np.ascontiguousarray(d.sensor_delay_s[:, tier]) for tier in (UPPER, LOWER)]
    zero = np.zeros(n, dtype=np.int16)

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
            salvo = int(inputs.salvo_size[tier])
            need = 1 if inputs.partial_salvos else salvo
            delay = delays[tier]
            # latest[s][k]: the largest delay that lets s make engagement k on t
            latest = {
                s: [latest_delay(inputs, s, t, k) for k in range(int(inputs.max_engagements[tier]))]
                for s in tier_shooters[tier]
            }
            within = _Within(delay)
            shooters = [s for s in tier_shooters[tier] if within(latest[s][0]) is not False]
            if not shooters:
                continue
            for s in shooters:
                capable = within(latest[s][0])
                could |= capable
                if not is_decoy:
                    drained |= capable & (at_decoys[s] > 0)
            for k in range(int(inputs.max_engagements[tier])):
                active = [s for s in shooters if within(latest[s][k]) is not False]
                if not active:
                    break
                # The shooter with the largest key among those in time is the one with
                # the most interceptors left; if even it lacks a salvo, none has one.
                best = zero
                for s in active:
                    in_time = within(latest[s][k])
                    cand = alive if in_time is True else in_time & alive
                    best = np.maximum(key[s] * cand, best)
                fire = best >= (need << _SHIFT)
                if not fire.any():
                    continue
                shots = np.minimum(salvo, best >> _SHIFT) * fire
                spend = (shots << _SHIFT).astype(np.int16)
                chosen = _MASK - (best & _MASK)
                types = sorted({kind[s] for s in active})
                for s in active:
                    mine = chosen == s
                    key[s] -= spend * mine
                    if is_decoy:
                        at_decoys[s] += shots.astype(np.int16) * mine
                p = p_type[types[0]]
                if len(types) > 1:
                    chosen_kind = kind_of[chosen]
                    for i in types[1:]:
                        p = np.where(chosen_kind == i, p_type[i], p)
                shot_at |= fire
                kill = np.zeros(n, dtype=bool)
                base = k * salvo
                for j in range(salvo):
                    kill |= (shots > j) & (d.shot_u[tier][base + j][:, t] < p)
                killed_in += np.int8(tier + 1) * (kill & alive)
                alive &= ~kill

        if is_decoy:
            fate[:, t] = np.where(
                ~engaged,
                _I8[DECOY_IGNORED],
                np.where(shot_at, _I8[DECOY_ENGAGED], _I8[DECOY_UNENGAGED]),
            )
            continue
        reason = np.where(
            shot_at,
            _I8[LEAK_MISSED],
            np.where(
                ~could,
                _I8[LEAK_NO_SHOOTER],
                np.where(drained, _I8[LEAK_DECOY_EXHAUSTED], _I8[LEAK_MAGAZINE_EMPTY]),
            ),
        )
        fate[:, t] = np.where(
            killed_in == 1 + UPPER,
            _I8[KILLED_UPPER],
            np.where(killed_in == 1 + LOWER, _I8[KILLED_LOWER], reason),
        )
        a = int(inputs.threat_asset[t])
        leaked[:, a] += alive
        intercepted[:, a] += ~alive

    expended = [m - (key[s] >> _SHIFT) for s, m in enumerate(start)]
    return _outcomes(
        inputs, d, fate, leaked, intercepted, _stack(expended, n), _stack(at_decoys, n)
    )


class _Within:
    """``delay <= x`` for every trial of a chunk, as True, False or a boolean array.

    Computed once per distinct x (shooters often share a window), and as a plain
    True or False when x lies above or below every trial's delay.
    """

    def __init__(self, delay: NDArray[np.float64]) -> None:
        self.delay = delay
        self.low = float(delay.min()) if delay.size else 0.0
        self.high = float(delay.max()) if delay.size else 0.0
        self.cache: dict[float, Any] = {}

    def __call__(self, x: float) -> Any:
        if x not in self.cache:
            if x >= self.high:
                self.cache[x] = True
            elif not x >= self.low:  # also NaN
                self.cache[x] = False
            else:
                self.cache[x] = self.delay <= x
        return self.cache[x]


_SHIFT = 6  # the key keeps (63 - shooter index) in its low 6 bits
_MASK = (1 << _SHIFT) - 1
_I8 = np.arange(16, dtype=np.int8)  # fate codes as int8 scalars


def _stack(rows: list[NDArray[Any]], n: int) -> NDArray[np.int64]:
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
