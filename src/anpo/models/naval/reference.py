"""The surface-action model one trial, one salvo and one missile at a time.

A plain reading of :mod:`.model` for the tests and the benchmark: the same
draws (:func:`.inputs.draw`), the same order of events, Python loops instead of
arrays. It must give exactly the same outcomes from the same generator.
"""

from __future__ import annotations

import math

import numpy as np

from anpo.models.base import Outcomes
from anpo.models.naval.inputs import FIRST_SIMULTANEOUS, Draws, Inputs, draw, first_to_fire


def simulate_reference(inputs: Inputs, rng: np.random.Generator, n_trials: int) -> Outcomes:
    """The reference twin of :func:`anpo.models.naval.simulate`."""
    n, s_count, k_count = n_trials, inputs.n_ships, inputs.n_exchanges
    d = draw(inputs, rng, n)
    first = first_to_fire(inputs, d.first_u)
    side = [int(v) for v in inputs.ship_side]
    group = [int(v) for v in inputs.ship_group]
    numbers = [
        [d.missiles(k, s, int(inputs.ship_salvo[s])) for s in range(s_count)]
        for k in range(k_count)
    ]
    out: Outcomes = {
        "out_of_action": np.zeros((n, k_count, 2), dtype=np.int64),
        "out_of_action_total": np.zeros((n, 2), dtype=np.int64),
        "ship_out_of_action": np.zeros((n, s_count), dtype=np.int64),
        "hits": np.zeros((n, 2), dtype=np.int64),
        "missiles_fired": np.zeros((n, 2), dtype=np.int64),
        "missiles_left": np.zeros((n, 2), dtype=np.int64),
        "interceptors_fired": np.zeros((n, 2), dtype=np.int64),
        "interceptors_left": np.zeros((n, 2), dtype=np.int64),
        "first_to_fire": first,
        "p_hit": d.p_hit,
        "staying_power": d.staying,
    }
    for t in range(n):
        staying = [float(d.staying[t, group[s]]) for s in range(s_count)]
        hits = [0.0] * s_count
        missiles = [int(v) for v in inputs.ship_missiles]
        interceptors = [int(v) for v in inputs.ship_interceptors]
        for k in range(k_count):
            alive = [hits[s] < staying[s] for s in range(s_count)]
            add = [0.0] * s_count
            fired = [0] * s_count
            used = [0] * s_count
            for x in (0, 1):
                if k == 0 and int(first[t]) not in (x, FIRST_SIMULTANEOUS):
                    continue
                _salvo(inputs, d, numbers[k], t, x, alive, missiles, interceptors, add, fired, used)
            for s in range(s_count):
                missiles[s] -= fired[s]
                interceptors[s] -= used[s]
                hits[s] += add[s]
                if alive[s] and not hits[s] < staying[s]:
                    out["out_of_action"][t, k, side[s]] += 1
        for s in range(s_count):
            gone = not hits[s] < staying[s]
            out["ship_out_of_action"][t, s] = int(gone)
            out["out_of_action_total"][t, side[s]] += int(gone)
            out["hits"][t, side[s]] += int(hits[s])
            out["missiles_fired"][t, side[s]] += int(inputs.ship_missiles[s]) - missiles[s]
            out["missiles_left"][t, side[s]] += missiles[s]
            out["interceptors_fired"][t, side[s]] += (
                int(inputs.ship_interceptors[s]) - interceptors[s]
            )
            out["interceptors_left"][t, side[s]] += interceptors[s]
    return out


def _salvo(
    inputs: Inputs,
    d: Draws,
    numbers: list[np.ndarray],
    t: int,
    x: int,
    alive: list[bool],
    missiles: list[int],
    interceptors: list[int],
    add: list[float],
    fired: list[int],
    used: list[int],
) -> None:
    """Side ``x`` fires one salvo in trial ``t``; adds to ``add``, ``fired`` and ``used``."""
    y = 1 - x
    s_count = inputs.n_ships
    side = [int(v) for v in inputs.ship_side]
    enemy = [g for g in range(inputs.n_groups) if int(inputs.group_side[g]) == y]
    in_action = {
        g: [s for s in range(s_count) if int(inputs.ship_group[s]) == g and alive[s]] for g in enemy
    }
    if not any(in_action[g] for g in enemy):
        return
    # the defence: pooled interceptors of y's ships in action, in ship order
    avail = [
        min(int(inputs.ship_defence[s]), interceptors[s]) if side[s] == y and alive[s] else 0
        for s in range(s_count)
    ]
    shots = int(inputs.shots[y])
    engagements_left = sum(avail) // shots
    engaged = 0
    for s in range(s_count):
        if side[s] != x or int(inputs.ship_salvo[s]) == 0 or not alive[s]:
            continue
        g_s = int(inputs.ship_group[s])
        u = numbers[s][t]
        for j in range(min(int(inputs.ship_salvo[s]), missiles[s])):
            fired[s] += 1
            weights = [float(inputs.targeting[g_s, g]) if in_action[g] else 0.0 for g in enemy]
            if sum(weights) <= 0:
                weights = [1.0 if in_action[g] else 0.0 for g in enemy]
            total = sum(weights)
            cum = 0.0
            pick = 0
            for e, wgt in enumerate(weights):
                cum += wgt
                if cum > float(u[j, 3]) * total:
                    pick = e
                    break
            ships = in_action[enemy[pick]]
            rank = min(math.floor(float(u[j, 4]) * len(ships)), len(ships) - 1)
            target = ships[rank]
            if not float(u[j, 0]) < float(d.p_hit[t, g_s]):
                continue  # not well aimed
            if float(u[j, 1]) < float(d.p_soft[t, y]):
                continue  # seduced by soft kill
            if engagements_left > 0:
                engagements_left -= 1
                engaged += 1
                if float(u[j, 2]) < float(d.p_kill[t, y]):
                    continue  # shot down
            add[target] += 1.0
    need = engaged * shots
    for s in range(s_count):
        take = min(avail[s], need)
        used[s] += take
        need -= take
