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

from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from anpo.models.base import Outcomes
from anpo.models.missile_defense.impacts import impacts
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
    outcomes = resolve(inputs, draw(inputs, rng, n_trials))
    if inputs.has_geography:
        outcomes.update(impacts(inputs, outcomes["threat_fate"], rng))
    return outcomes


def resolve(inputs: Inputs, d: Draws) -> Outcomes:
    """The engagement logic on given draws (vectorized over the trial axis).

    Each tier's state is a (shooters in tier, trials) array of 16-bit *keys*

        key = magazine · 64 + (63 − shooter index),

    so that "the capable shooter with the most interceptors left, ties to the first
    listed" is the column-wise maximum of the keys of the shooters in time, and the
    chosen shooter and its magazine are read back from that maximum (a shooter with
    interceptors has a key of at least 64; if even the largest key lacks a salvo,
    no shooter has one). Engagement windows that no trial's delay can meet are
    dropped before any array work, and a window every trial meets costs nothing.
    The only Python loops run over threats, tiers, engagements and salvo shots,
    never over trials.
    """
    n = d.discrimination.shape[0]
    a_count = inputs.n_assets
    p_eff = effective_sspk(d)  # (n, I) float32
    p_type = [np.ascontiguousarray(p_eff[:, i]) for i in range(inputs.n_interceptor_types)]
    fate = np.empty((n, inputs.n_threats), dtype=np.int8)
    leaked = np.zeros((n, a_count), dtype=np.int64)
    intercepted = np.zeros((n, a_count), dtype=np.int64)
    start = inputs.shooter_magazine
    kind = inputs.shooter_interceptor.tolist()
    kind_of = np.zeros(_MASK + 1, dtype=np.int64)  # interceptor type by shooter index
    kind_of[: inputs.n_shooters] = kind
    tiers = []
    for tier in (UPPER, LOWER):
        idx = np.flatnonzero(inputs.shooter_tier == tier)
        tiers.append(
            _Tier(
                idx=idx.tolist(),
                key=np.repeat(
                    ((start[idx] << _SHIFT) + (_MASK - idx)).astype(np.int16)[:, None], n, axis=1
                ),
                at_decoys=np.zeros((idx.size, n), dtype=np.int16),
                rank=idx.astype(np.int16)[:, None],
                types=sorted({kind[s] for s in idx.tolist()}),
                within=_Within(np.ascontiguousarray(d.sensor_delay_s[:, tier])),
            )
        )

    for t in inputs.order().tolist():
        is_decoy = bool(inputs.threat_is_decoy[t])
        if is_decoy:
            alive = d.decoy_u[:, t] >= d.discrimination  # unrecognised decoys draw fire
        else:
            alive = np.ones(n, dtype=bool)
        engaged = alive.copy()
        killed_in = np.zeros(n, dtype=np.int8)  # 0 alive, 1 + tier of the kill
        shot_at = np.zeros(n, dtype=bool)
        could: Any = False  # some shooter had a window for this threat
        drained: Any = False  # a shooter that could engage it fired at decoys

        for tier in (UPPER, LOWER):
            g = tiers[tier]
            if not g.idx:
                continue
            salvo = int(inputs.salvo_size[tier])
            need = 1 if inputs.partial_salvos else salvo
            within = g.within
            # in_time[k][r]: "delay <= latest delay for engagement k" of row r (True,
            # False or a boolean array over trials)
            in_time = [
                [within(latest_delay(inputs, s, t, k)) for s in g.idx]
                for k in range(int(inputs.max_engagements[tier]))
            ]
            for r, cap in enumerate(in_time[0]):
                if cap is False:
                    continue
                could = could | cap
                if not is_decoy and g.decoy_fired:
                    drained = drained | (cap & (g.at_decoys[r] > 0))
            for k in range(int(inputs.max_engagements[tier])):
                rows = in_time[k]
                if all(x is False for x in rows):
                    break
                # The shooter with the largest key among those in time is the one with
                # the most interceptors left; if even it lacks a salvo, none has one.
                first = rows[0]
                if all(x is first for x in rows):
                    cand = (alive if first is True else first & alive)[None, :]
                else:
                    cand = np.empty((len(rows), n), dtype=bool)
                    for r, x in enumerate(rows):
                        cand[r] = alive if x is True else (x & alive if x is not False else False)
                best = (g.key * cand).max(axis=0)
                fire = best >= (need << _SHIFT)
                if not fire.any():
                    continue
                shots = np.minimum(salvo, best >> _SHIFT) * fire
                chosen = _MASK - (best & _MASK)
                mine = g.rank == chosen
                g.key -= (shots << _SHIFT).astype(np.int16) * mine
                if is_decoy:
                    g.at_decoys += shots.astype(np.int16) * mine
                    g.decoy_fired = True
                p = p_type[g.types[0]]
                if len(g.types) > 1:
                    chosen_kind = kind_of[chosen]
                    for i in g.types[1:]:
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
                ~np.asarray(could),
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

    expended = np.zeros((n, inputs.n_shooters), dtype=np.int64)
    on_decoys = np.zeros((n, inputs.n_shooters), dtype=np.int64)
    for g in tiers:
        expended[:, g.idx] = (start[g.idx][:, None] - (g.key >> _SHIFT)).T
        on_decoys[:, g.idx] = g.at_decoys.T
    return _outcomes(inputs, d, fate, leaked, intercepted, expended, on_decoys)


@dataclass
class _Tier:
    """The state of one tier's shooters, shooter-major: (shooters in tier, trials)."""

    idx: list[int]
    key: NDArray[np.int16]
    at_decoys: NDArray[np.int16]
    rank: NDArray[np.int16]
    types: list[int]
    within: _Within
    decoy_fired: bool = False  # some shooter of the tier has fired at a decoy


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
