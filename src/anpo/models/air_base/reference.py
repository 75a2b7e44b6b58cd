"""Reference implementation of the air-base model: one trial at a time.

Plain Python loops over trials, bases, waves, surfaces, craters and aircraft,
written to be read against :mod:`.model` rather than to be fast. It shares the
random draws (:func:`~anpo.models.air_base.inputs.draw` and
:func:`~anpo.models.air_base.inputs.bomblet_blocks`) with the vectorized model, so
on the same generator both return identical arrays; the tests and the benchmark
use it.
"""

from __future__ import annotations

import dataclasses
import math

import numpy as np
from numpy.typing import NDArray

from anpo.models.air_base.geometry import min_blocking_one
from anpo.models.air_base.inputs import (
    APRON,
    FACILITY,
    NEVER_CLOSED,
    OUT_OF_MATERIALS,
    REOPENED,
    REPAIRING,
    SHELTER,
    SUBMUNITION,
    SURFACE,
    UNITARY,
    Inputs,
    Params,
    bomblet_blocks,
    draw,
)
from anpo.models.air_base.model import (
    _empty_outcomes,
    _finish,
    cruise_order,
    restrike_time,
    surface_offsets,
    wave_of_day,
    wave_window,
)
from anpo.models.base import Outcomes


def simulate_reference(inputs: Inputs, rng: np.random.Generator, n_trials: int) -> Outcomes:
    """Same contract and same results as :func:`anpo.models.air_base.simulate`."""
    p = _cruise_defence(inputs, draw(inputs, rng, n_trials))
    out = _empty_outcomes(inputs, p, n_trials)
    offsets = surface_offsets(inputs)
    table = inputs.layout.survive_table
    by_day = wave_of_day(inputs)
    days = inputs.horizon_days
    n_waves = int(inputs.wave_time_h.size)
    for start, stop, ux, uy in bomblet_blocks(inputs, rng, n_trials):
        for row in range(start, stop):
            k = row - start
            for b in range(inputs.n_bases):
                closed_h, reason, craters = _base(inputs, p, row, b, ux[k], uy[k], offsets)
                out["closed"][row, b] = closed_h
                out["closure_reason"][row, b] = reason
                out["craters"][row, b] = craters
            dead_by_wave, hurt_by_wave, fac_by_wave = _losses(inputs, p, row, table, n_waves)
            for b in range(inputs.n_bases):
                planes = [q for q in range(inputs.n_aircraft) if inputs.aircraft_base[q] == b]
                facs = [f for f in range(inputs.facility_base.size) if inputs.facility_base[f] == b]
                if n_waves:
                    out["aircraft_destroyed"][row, b] = sum(dead_by_wave[-1][q] for q in planes)
                    out["aircraft_damaged"][row, b] = sum(
                        hurt_by_wave[-1][q] and not dead_by_wave[-1][q] for q in planes
                    )
                    out["facilities_destroyed"][row, b] = sum(fac_by_wave[-1][f] for f in facs)
                for d in range(days):
                    landed = by_day[d]
                    lost = sum(hurt_by_wave[landed - 1][q] for q in planes) if landed else 0
                    out["alive"][row, b, d] = len(planes) - lost
                    factor = 1.0
                    if landed:
                        for f in facs:
                            if fac_by_wave[landed - 1][f]:
                                factor = factor * float(inputs.facility_sortie_factor[f])
                    out["factor"][row, b, d] = factor
    return _finish(inputs, out)


def _cruise_defence(inputs: Inputs, p: Params) -> Params:
    """:func:`anpo.models.air_base.model.cruise_defence`, one trial, base and wave at a time."""
    if not any(int(f) > 0 for f in inputs.cmd_fire_units):
        return p
    arrived = p.arrived.copy()
    intercepted = p.intercepted.copy()
    killed = np.zeros_like(arrived)
    fired = np.zeros_like(p.cmd_fired)
    shots = int(inputs.cmd_shots)
    for row in range(arrived.shape[0]):
        for b in range(inputs.n_bases):
            units = int(inputs.cmd_fire_units[b])
            if units <= 0:
                continue
            rounds = float(p.cmd_rounds[row, b])
            per_wave = units * int(inputs.cmd_channels[b])
            seen_in_wave: dict[int, int] = {}
            for i in cruise_order(inputs, b).tolist():
                if not p.arrived[row, i]:
                    continue
                w = int(inputs.missile_wave[i])
                seen_in_wave[w] = seen_in_wave.get(w, 0) + 1
                if seen_in_wave[w] > per_wave:
                    continue  # saturated: more in this wave than the channels engage
                if rounds < shots:
                    # out of rounds: no later missile in reach is engaged either
                    rounds = -math.inf
                    continue
                rounds -= shots
                fired[row, b] += shots
                if p.cmd_u[row, i] < p.cmd_kill[row, b]:
                    killed[row, i] = True
                    arrived[row, i] = False
                    intercepted[row, i] = True
    return dataclasses.replace(
        p, arrived=arrived, intercepted=intercepted, cmd_killed=killed, cmd_fired=fired
    )


def _base(
    inputs: Inputs,
    p: Params,
    row: int,
    b: int,
    ux: NDArray[np.float64],
    uy: NDArray[np.float64],
    offsets: list[list[float]],
) -> tuple[list[float], int, int]:
    """Closed hours by day, the reason code at the horizon and the crater count of base b."""
    # (wave, surface, x, y, r, type, bomblet?): wave −1 for a bomblet off the pavement
    craters: list[tuple[int, int, float, float, float, int, bool]] = []
    for i in range(inputs.n_missiles):
        if inputs.missile_target_kind[i] != SURFACE:
            continue
        s = int(inputs.missile_target[i])
        if inputs.surface_base[s] != b:
            continue
        t = int(inputs.missile_type[i])
        x0 = float(inputs.missile_aim_x_m[i]) + float(p.miss_x_m[row, i])
        y0 = float(inputs.missile_aim_y_m[i]) + float(p.miss_y_m[row, i])
        bomblets = inputs.type_warhead[t] != UNITARY
        points = (
            [(x0, y0)]
            if not bomblets
            else [
                (
                    x0 + float(inputs.type_pattern_radius_m[t]) * float(ux[i, j]),
                    y0 + float(inputs.type_pattern_radius_m[t]) * float(uy[i, j]),
                )
                for j in range(int(inputs.type_bomblets[t]))
            ]
        )
        for x, y in points:
            on = (
                bool(p.arrived[row, i])
                and 0.0 <= x <= float(inputs.surface_length_m[s])
                and abs(y) <= float(inputs.surface_width_m[s]) / 2.0
            )
            r = float(inputs.type_crater_radius_m[t])
            craters.append(
                (int(inputs.missile_wave[i]), s, x, y, r, t, bomblets)
                if on
                else (-1, s, x, y, 0.0, t, bomblets)
            )
    live = [False] * len(craters)
    stock0 = float(p.materials[row, b])
    supply = float(p.resupply[row, b])
    used = 0.0
    crews = float(p.crews[row, b])
    repair_h = float(p.repair_h[row, b])
    delay = float(p.repair_delay_h[row])
    uxo_h = float(p.uxo_h[row, b])
    sweep = float(p.sweep_h[row])
    lm, wm = float(inputs.mos_length_m[b]), float(inputs.mos_width_m[b])
    days = inputs.horizon_days
    closed_h = [0.0] * days
    ever = False
    reason = NEVER_CLOSED
    surfaces = [s for s in range(inputs.n_surfaces) if inputs.surface_base[s] == b]
    duds = dict.fromkeys(surfaces, 0.0)
    last_reopen = 0.0
    for w in range(int(inputs.wave_time_h.size)):
        t0, t1 = wave_window(inputs, w)
        if inputs.wave_on_reopen[w]:
            t0 = float(restrike_time(inputs, w, last_reopen))
        if t0 >= 24.0 * days:
            break
        for k, crater in enumerate(craters):
            if crater[0] == w:
                live[k] = True
        for s in surfaces:
            add = 0.0
            for t in range(inputs.n_types):
                if not any(c[1] == s and c[5] == t and c[6] for c in craters):
                    continue
                landed = sum(1 for c in craters if c[0] == w and c[1] == s and c[5] == t and c[6])
                add = add + float(p.dud[row, t]) * landed
            duds[s] = duds[s] + add
        best = (math.inf, -1, 0, 0.0)  # count, surface, lateral index, start
        for s in surfaces:
            mine = [(c[2], c[3], c[4]) for k, c in enumerate(craters) if c[1] == s and live[k]]
            length = float(inputs.surface_length_m[s])
            if not any(c[1] == s for c in craters):
                fits = length >= lm and float(inputs.surface_width_m[s]) >= wm
                value, g, a = (0.0 if fits else math.inf), 0, 0.0
            else:
                value, g, a = min_blocking_one(mine, length, lm, wm, offsets[s])
            if value < best[0]:
                best = (value, s, g, a)
        count, chosen_s, g, a = best
        closed = count > 0
        # the chosen window's craters in slot order, with their cumulative repair units
        window: list[tuple[int, float]] = []
        units = math.inf if math.isinf(count) else 0.0
        if closed and not math.isinf(count):
            c_low = offsets[chosen_s][g]
            for k, (_, sk, x, y, r, t, _) in enumerate(craters):
                if sk != chosen_s or not live[k]:
                    continue
                dy = max(max(c_low - y, 0.0), y - (c_low + wm))
                h = math.sqrt(max(r * r - dy * dy, 0.0))
                if dy < r and x - h - lm < a < x + h:
                    units = units + float(p.units[row, t])
                    window.append((k, units))
        dud_now = duds.get(chosen_s, 0.0)
        pre = delay + uxo_h * dud_now
        need = used + units - stock0
        if need <= 0.0:
            t_mat = 0.0
        elif supply > 0:
            t_mat = 24.0 * math.ceil(need / supply) if not math.isinf(need) else math.inf
        else:
            t_mat = math.inf
        if math.isinf(units):
            finish = math.inf
        else:
            work = math.ceil(units / crews) * repair_h
            finish = max(t0 + pre + work, t_mat) + sweep
        finished = closed and finish <= t1
        reopen = (finish if finished else t1) if closed else t0
        stock = stock0 + supply * math.floor(t1 / 24.0) - used
        if not closed:
            done = 0.0
        elif finished:
            done = units
        else:
            worked = (
                crews * math.floor(max(t1 - t0 - pre, 0.0) / repair_h) if repair_h > 0 else math.inf
            )
            done = min(min(worked, stock), 0.0 if math.isinf(count) else units)
        for d in range(days):
            lo_h, hi_h = 24.0 * d, 24.0 * (d + 1)
            closed_h[d] += max(min(reopen, hi_h) - max(t0, lo_h), 0.0)
        if window:
            last = 0.0
            for k, cum in window:
                if cum <= done:
                    live[k] = False
                    last = cum
            used = used + last
            if t0 + pre <= t1:
                duds[chosen_s] = 0.0
        ever = ever or closed
        if closed and reopen >= t1:
            reason = OUT_OF_MATERIALS if t_mat > t1 else REPAIRING
        else:
            reason = REOPENED if ever else NEVER_CLOSED
        last_reopen = reopen
    return closed_h, reason, sum(1 for c in craters if c[0] >= 0)


def _losses(
    inputs: Inputs, p: Params, row: int, table: NDArray[np.float64], n_waves: int
) -> tuple[list[list[bool]], list[list[bool]], list[list[bool]]]:
    """Aircraft destroyed, aircraft damaged or destroyed, and facilities destroyed by the
    end of each wave, for one trial."""
    shelters = inputs.shelter_base.size
    facs = inputs.facility_base.size
    shelter_dead = [[False] * shelters for _ in range(n_waves)]
    fac_dead = [[False] * facs for _ in range(n_waves)]
    for i in range(inputs.n_missiles):
        if not p.arrived[row, i]:
            continue
        t = int(inputs.missile_type[i])
        miss2 = float(p.miss_x_m[row, i]) ** 2 + float(p.miss_y_m[row, i]) ** 2
        kind, j, w = (
            int(inputs.missile_target_kind[i]),
            int(inputs.missile_target[i]),
            int(inputs.missile_wave[i]),
        )
        unitary = inputs.type_warhead[t] == UNITARY
        pierced = float(p.shelter_u[row, i]) < float(p.shelter_pk[row, t])
        hard2 = float(p.hard_m[row, t]) ** 2
        if kind == SHELTER and unitary and miss2 < hard2 and pierced:
            for v in range(w, n_waves):
                shelter_dead[v][j] = True
        if kind == FACILITY:
            reach = inputs.type_lethal_radius_m[t] if unitary else inputs.type_pattern_radius_m[t]
            if miss2 < float(reach) ** 2:
                for v in range(w, n_waves):
                    fac_dead[v][j] = True
    dead = [[False] * inputs.n_aircraft for _ in range(n_waves)]
    hurt = [[False] * inputs.n_aircraft for _ in range(n_waves)]
    table_d = inputs.layout.unhurt_table
    for q in range(inputs.n_aircraft):
        for w in range(n_waves):
            if inputs.aircraft_sheltered[q]:
                dead[w][q] = shelter_dead[w][int(inputs.aircraft_shelter[q])]
                hurt[w][q] = dead[w][q]
                continue
            b = int(inputs.aircraft_base[q])
            killed = False
            harmed = False
            covered = [0] * inputs.n_types
            any_missile = False
            for i in range(inputs.n_missiles):
                if inputs.missile_target_kind[i] != APRON or inputs.missile_target[i] != b:
                    continue
                any_missile = True
                if inputs.missile_wave[i] > w or not p.arrived[row, i]:
                    continue
                t = int(inputs.missile_type[i])
                ix = float(inputs.missile_aim_x_m[i]) + float(p.miss_x_m[row, i])
                iy = float(inputs.missile_aim_y_m[i]) + float(p.miss_y_m[row, i])
                dx = float(inputs.aircraft_x_m[q]) - ix
                dy = float(inputs.aircraft_y_m[q]) - iy
                d2 = dx * dx + dy * dy
                if inputs.type_warhead[t] == UNITARY:
                    killed = killed or d2 < float(inputs.type_lethal_radius_m[t]) ** 2
                    harmed = harmed or d2 < float(inputs.type_damage_radius_m[t]) ** 2
                elif d2 < float(inputs.type_pattern_radius_m[t]) ** 2:
                    covered[t] += 1
            if not any_missile:
                continue
            survive = 1.0
            unhurt = 1.0
            for t in range(inputs.n_types):
                if inputs.type_warhead[t] == SUBMUNITION and _used(inputs, b, w, t):
                    survive = survive * float(table[t][covered[t]])
                    unhurt = unhurt * float(table_d[t][covered[t]])
            uq = float(p.aircraft_u[row, q])
            dead[w][q] = killed or uq < 1.0 - survive
            hurt[w][q] = dead[w][q] or harmed or uq < 1.0 - unhurt
    return dead, hurt, fac_dead


def _used(inputs: Inputs, b: int, w: int, t: int) -> bool:
    """Whether a missile of type t aimed at base b's apron lands in waves up to w."""
    return any(
        inputs.missile_target_kind[i] == APRON
        and inputs.missile_target[i] == b
        and inputs.missile_wave[i] <= w
        and inputs.missile_type[i] == t
        for i in range(inputs.n_missiles)
    )
