"""Reference implementation of the missile-defence model: one trial at a time.

Plain Python loops over trials, threats, tiers, engagements and shooters, written
to be read against the doctrine in :mod:`.model` rather than to be fast. It uses
the same :func:`~anpo.models.missile_defense.inputs.draw` as the vectorized model,
so on the same generator the two must return identical arrays; the tests and the
benchmark both use it.
"""

from __future__ import annotations

import math

import numpy as np

from anpo.models.base import Outcomes
from anpo.models.missile_defense.impacts import impacts_reference
from anpo.models.missile_defense.inputs import (
    DECOY_ENGAGED,
    DECOY_IGNORED,
    DECOY_UNENGAGED,
    FAILED,
    KILLED_LOWER,
    KILLED_UPPER,
    LEAK_DECOY_EXHAUSTED,
    LEAK_MAGAZINE_EMPTY,
    LEAK_MISSED,
    LEAK_NO_SHOOTER,
    LEAK_SATURATED,
    LOWER,
    UPPER,
    Draws,
    Inputs,
    draw,
    effective_sspk,
    latest_delay,
    readiness_outcomes,
)
from anpo.models.missile_defense.model import _outcomes


def simulate_reference(inputs: Inputs, rng: np.random.Generator, n_trials: int) -> Outcomes:
    """Same contract and same results as :func:`anpo.models.missile_defense.simulate`."""
    d = draw(inputs, rng, n_trials)
    outcomes = resolve_reference(inputs, d)
    if d.magazine is not None:
        outcomes["magazine"] = d.magazine.copy()
    outcomes.update(readiness_outcomes(d))
    if inputs.has_geography:
        outcomes.update(impacts_reference(inputs, outcomes["threat_fate"], rng))
    return outcomes


def resolve_reference(inputs: Inputs, d: Draws) -> Outcomes:
    """The engagement logic on given draws, trial by trial."""
    n = d.discrimination.shape[0]
    s_count, a_count, t_count = inputs.n_shooters, inputs.n_assets, inputs.n_threats
    fate = np.empty((n, t_count), dtype=np.int8)
    leaked = np.zeros((n, a_count), dtype=np.int64)
    intercepted = np.zeros((n, a_count), dtype=np.int64)
    expended = np.zeros((n, s_count), dtype=np.int64)
    on_decoys = np.zeros((n, s_count), dtype=np.int64)
    failed = np.zeros((n, a_count), dtype=np.int64)
    ran_dry_s = np.full((n, s_count), np.nan)  # the decision that left it less than a salvo
    order = [int(t) for t in inputs.order()]
    tiers = [int(x) for x in inputs.shooter_tier]
    types = [int(x) for x in inputs.shooter_interceptor]
    p_eff = effective_sspk(d)

    channels = [inputs.channels(s) for s in range(s_count)]

    for trial in range(n):
        start = inputs.shooter_magazine if d.magazine is None else d.magazine[trial]
        mag = [int(m) for m in start]
        spent_on_decoys = [0] * s_count
        # each shooter's timeline: when each of its channels frees (sorted)
        free = [[-math.inf] * channels[s] for s in range(s_count)]
        for t in order:
            is_decoy = bool(inputs.threat_is_decoy[t])
            if d.arrives is not None and not d.arrives[trial, t]:
                fate[trial, t] = FAILED  # its missile failed: never seen, never arrives
                if not is_decoy:
                    failed[trial, int(inputs.threat_asset[t])] += 1
                continue
            alive = True
            if is_decoy and d.decoy_u[trial, t] < d.discrimination[trial]:
                alive = False  # recognised: never engaged
            engaged = alive
            killed_in = -1
            shot_at = False
            could = False
            saturated = False  # a shooter in time with a salvo left was busy
            capable_shooters: set[int] = set()
            for tier in (UPPER, LOWER):
                if tier == LOWER and inputs.is_stripped(t):
                    continue  # a light decoy burns up in re-entry: the lower tier never sees it
                shooters = [s for s in range(s_count) if tiers[s] == tier]
                if not shooters:
                    continue
                salvo = int(inputs.salvo_size[tier])
                need = 1 if inputs.partial_salvos else salvo
                delay = float(d.sensor_delay_s[trial, tier])
                for s in shooters:
                    if delay <= latest_delay(inputs, s, t, 0):
                        could = True
                        capable_shooters.add(s)
                lag = 0.0  # how long this threat's engagements waited for busy shooters
                for k in range(int(inputs.max_engagements[tier])):
                    if not alive:
                        break
                    eligible = [s for s in shooters if delay + lag <= latest_delay(inputs, s, t, k)]
                    if not eligible:
                        break
                    best = -1
                    for s in eligible:  # most interceptors left; first listed wins ties
                        if mag[s] < need:
                            continue
                        # busy: every channel still held by an earlier engagement
                        ready = free[s][0] if free[s] else -math.inf
                        if not ready <= float(inputs.window_close_s[s, t]):
                            saturated = True
                            continue
                        if best < 0 or mag[s] > mag[best]:
                            best = s
                    if best < 0:
                        continue  # no salvo to fire at this look; the next look fares no better
                    shots = min(salvo, mag[best])
                    engage = float(inputs.engage_time_s[best, t])
                    tau = float(inputs.window_open_s[best, t]) + delay + k * engage + lag
                    ready = free[best][0] if free[best] else -math.inf
                    start = max(tau, ready)  # the decision waits for a channel
                    lag += start - tau  # and so do this threat's later engagements
                    if channels[best]:
                        free[best] = sorted([*free[best][1:], start + engage])
                    mag[best] -= shots
                    if mag[best] < need:
                        ran_dry_s[trial, best] = start  # it cannot fire another salvo
                    expended[trial, best] += shots
                    if is_decoy:
                        spent_on_decoys[best] += shots
                    shot_at = True
                    p = p_eff[trial, types[best]]
                    for j in range(shots):
                        if d.shot_u[tier][k * salvo + j][trial, t] < p:
                            alive = False
                    if not alive:
                        killed_in = tier
            if is_decoy:
                if not engaged:
                    fate[trial, t] = DECOY_IGNORED
                else:
                    fate[trial, t] = DECOY_ENGAGED if shot_at else DECOY_UNENGAGED
                continue
            a = int(inputs.threat_asset[t])
            if killed_in == UPPER:
                fate[trial, t] = KILLED_UPPER
            elif killed_in == LOWER:
                fate[trial, t] = KILLED_LOWER
            elif shot_at:
                fate[trial, t] = LEAK_MISSED
            elif not could:
                fate[trial, t] = LEAK_NO_SHOOTER
            elif saturated:
                fate[trial, t] = LEAK_SATURATED
            elif any(spent_on_decoys[s] > 0 for s in capable_shooters):
                fate[trial, t] = LEAK_DECOY_EXHAUSTED
            else:
                fate[trial, t] = LEAK_MAGAZINE_EMPTY
            if alive:
                leaked[trial, a] += 1
            else:
                intercepted[trial, a] += 1
        on_decoys[trial] = spent_on_decoys

    out = _outcomes(inputs, d, fate, leaked, intercepted, expended, on_decoys, failed)
    dry = np.isfinite(ran_dry_s)
    out["ran_dry"] = dry.astype(np.int64)
    out["ran_dry_s"] = ran_dry_s
    out["shooters_dry"] = dry.sum(axis=1).astype(np.int64)
    return out
