"""Missile attack on air bases: runway closure, aircraft lost and sorties, by day.

The method is that of the public air-base vulnerability studies (J. Stillion and
D. T. Orletsky, *Airbase Vulnerability to Conventional Cruise-Missile and
Ballistic-Missile Attacks*, RAND MR-1028-AF, 1999; E. Heginbotham et al., *The
U.S.-China Military Scorecard*, RAND RR-392-AF, 2015, ch. 3), made a Monte Carlo
model over trials:

1. **Delivery.** Missile i of type t works with probability ρ_t (drawn per trial)
   and, when it is ballistic and a missile defence is given, may be intercepted
   (the missile-defence model is run on this raid's ballistic missiles: an upper
   terminal tier, THAAD, engages first and a lower tier, PAC-3, engages the
   survivors; ``thaad_intercepted`` counts the upper tier's kills). It lands
   at its aim point displaced by a normal error, σ_along = e·σ_cross along its flight
   direction (e = 1 for a circular miss, larger for ballistic missiles) with
   (σ_along + σ_cross)/2 = CEP / √(2 ln 2), turned into the target's frame. For a
   circular miss the single-shot kill probability of a point target within a lethal
   radius R is

       P = 1 − 0.5^((R / CEP)²).

   A cruise missile may instead be destroyed by the base's point defence
   (:func:`cruise_defence`): in each wave its fire units engage the first
   units × channels cruise missiles that work, in missile order, with s shots each,
   while the base's rounds last, and an engaged missile dies with probability
   1 − (1 − P_k)^s.
2. **Runways.** A unitary warhead that lands on a surface leaves a crater of its
   radius; a submunition warhead scatters n bomblets uniformly over a disk of
   radius R_p around its impact point, each leaving a small crater where it lands
   on pavement, and a share of them (the dud rate) unexploded. A base is *closed*
   while no minimum operating strip (MOS, length ℓ by width w) free of craters is
   left on any of its surfaces, runways or taxiways (:mod:`.geometry`).
3. **Repair**, in the phases of rapid airfield damage repair (AFPAM 10-219 V4).
   After each wave the base's crews (drawn per trial) take the window that holds the
   fewest craters and reopen it after

       assessment + (duds on that surface) · h_dud + h · ⌈U / c⌉ + sweeping,

   U the window's craters weighted by their type's repair units, c crews, h hours
   per standard crater; and no earlier than the day the materials for U have come
   (a stock drawn per trial plus a delivery at the end of each day). A wave that
   lands before the repair ends finds the window's craters repaired, in slot order,
   as far as c·⌊(t_next − t − assessment − clearance)/h⌋ units and the materials on
   hand allow. A wave may instead strike when the base reopens (a lag after it, no
   later than the next scheduled wave).
4. **Aircraft.** An aircraft in the open is destroyed by a unitary warhead landing
   within its lethal radius and damaged within its damage radius; inside k_t
   submunition patterns of type t it survives with probability Π_t (1 − P_k,t)^k_t,
   P_k = 1 − exp(−n r²/R_p²) (random coverage of the pattern by bomblets of lethal
   radius r; with the damage radius in place of r, undamaged). A damaged aircraft
   flies no more within the horizon; an undamaged one at a base closed all day is
   stranded. A hardened shelter and its aircraft are destroyed, with the type's
   probability, by a unitary warhead landing within the shelter's radius for that
   type (a penetrator's hit on the structure, a blast warhead's near miss);
   submunitions do not harm sheltered aircraft. A fuel or maintenance facility is
   destroyed by a warhead landing within its lethal radius (a submunition's
   pattern radius).
5. **Sorties.** On day d a base generates (undamaged aircraft) × (sortie rate) ×
   (hours open / 24) × (the factor of each facility it has lost).

The trial axis is processed in blocks (:func:`.inputs.block_size`) to keep memory
bounded; the random numbers do not depend on the block size. The per-trial
reference implementation is :mod:`.reference`; the two agree exactly.
"""

from __future__ import annotations

import dataclasses
import math
from typing import Any

import numpy as np
from numpy.typing import NDArray

from anpo.models.air_base.geometry import (
    blocking_mask,
    lane_bounds,
    lane_pairs,
    lateral_offsets,
    live_pairs,
    min_blocking,
)
from anpo.models.air_base.inputs import (
    APRON,
    FACILITY,
    NEVER_CLOSED,
    OUT_OF_MATERIALS,
    REOPENED,
    REPAIRING,
    SHELTER,
    SUBMUNITION,
    UNITARY,
    Inputs,
    Params,
    bomblet_blocks,
    draw,
)
from anpo.models.base import Outcomes


def simulate(inputs: Inputs, rng: np.random.Generator, n_trials: int) -> Outcomes:
    """Run ``n_trials`` trials of the raid, vectorized over trials (in blocks).

    Returns one array per name in :data:`~anpo.models.air_base.inputs.OUTCOMES`.
    """
    p = cruise_defence(inputs, draw(inputs, rng, n_trials))
    out = _empty_outcomes(inputs, p, n_trials)
    for start, stop, ux, uy in bomblet_blocks(inputs, rng, n_trials):
        _block(inputs, p, start, stop, ux, uy, out)
    return _finish(inputs, out)


def cruise_order(inputs: Inputs, b: int) -> NDArray[np.int64]:
    """The cruise (non-ballistic) missiles aimed at base b, by wave, then missile index."""
    base_of = missile_base(inputs)
    sel = np.flatnonzero((base_of == b) & ~inputs.type_ballistic[inputs.missile_type])
    return sel[np.argsort(inputs.missile_wave[sel], kind="stable")]


def cruise_defence(inputs: Inputs, p: Params) -> Params:
    """Point defence of each base against its cruise missiles, vectorized over trials.

    For base b with F fire units of C channels, s shots per missile and R rounds (drawn),
    take its cruise missiles in wave order, then missile order. In wave w, a missile that
    works is *in reach* when fewer than F·C missiles that work came before it in that
    wave; one in reach is engaged when s·(its place among the base's missiles in reach,
    counting from 1) ≤ R, so the rounds are spent in order and a partial salvo is never
    fired. An engaged missile is destroyed when its uniform is below
    1 − (1 − P_k)^s (the probability that one of s independent shots kills). Destroyed
    missiles are removed from those that arrived and added to those intercepted.

    The layer is deliberately simple (saturation by F·C per wave, then the magazine,
    then P_k per shot; no geometry, no sensor): its parameters are labelled analyst
    assumptions in the kb (``cruise_missile_defence``), and with F = 0 it changes no
    number.
    """
    if not np.any(inputs.cmd_fire_units > 0):
        return p
    arrived = p.arrived.copy()
    intercepted = p.intercepted.copy()
    killed = np.zeros_like(arrived)
    fired = np.zeros_like(p.cmd_fired)
    shots = inputs.cmd_shots
    for b in range(inputs.n_bases):
        units = int(inputs.cmd_fire_units[b])
        order = cruise_order(inputs, b)
        if units <= 0 or order.size == 0:
            continue
        cand = arrived[:, order]  # (n, L)
        waves = inputs.missile_wave[order]
        cs = np.cumsum(cand, axis=1)
        first = np.searchsorted(waves, waves, side="left")  # start of each one's wave
        before = np.where(first > 0, cs[:, np.maximum(first - 1, 0)], 0)
        in_reach = cand & (cs - before <= units * int(inputs.cmd_channels[b]))
        place = np.cumsum(in_reach, axis=1)
        engaged = in_reach & (shots * place <= p.cmd_rounds[:, b : b + 1])
        dead = engaged & (p.cmd_u[:, order] < p.cmd_kill[:, b : b + 1])
        killed[:, order] = dead
        fired[:, b] = shots * engaged.sum(axis=1)
    arrived &= ~killed
    intercepted |= killed
    return dataclasses.replace(
        p, arrived=arrived, intercepted=intercepted, cmd_killed=killed, cmd_fired=fired
    )


def surface_offsets(inputs: Inputs) -> list[list[float]]:
    """Lateral MOS positions of every surface, each with as many as it needs.

    A surface narrower than the widest would only repeat its last position (which
    changes no minimum: a repeat comes after the position it repeats and ties go to
    the first), so it keeps its distinct, evenly spaced positions only.
    """
    out = []
    for s in range(inputs.n_surfaces):
        width = float(inputs.surface_width_m[s])
        mos_w = float(inputs.mos_width_m[inputs.surface_base[s]])
        spare = width - mos_w
        g = max(2, math.ceil(spare / inputs.mos_lateral_step_m) + 1) if spare >= 0 else 2
        out.append(lateral_offsets(width, mos_w, inputs.mos_lateral_step_m, g))
    return out


def _empty_outcomes(inputs: Inputs, p: Params, n: int) -> dict[str, Any]:
    b, d = inputs.n_bases, inputs.horizon_days
    base_of = missile_base(inputs)
    arrived = np.zeros((n, b), dtype=np.int64)
    intercepted = np.zeros((n, b), dtype=np.int64)
    cruise = np.zeros((n, b), dtype=np.int64)
    upper = np.zeros((n, b), dtype=np.int64)
    for k in range(b):
        sel = base_of == k
        arrived[:, k] = p.arrived[:, sel].sum(axis=1)
        intercepted[:, k] = p.intercepted[:, sel].sum(axis=1)
        cruise[:, k] = p.cmd_killed[:, sel].sum(axis=1)
        upper[:, k] = p.upper_killed[:, sel].sum(axis=1)
    return {
        "closed": np.zeros((n, b, d)),
        "alive": np.zeros((n, b, d)),
        "factor": np.ones((n, b, d)),
        "aircraft_destroyed": np.zeros((n, b), dtype=np.int64),
        "aircraft_damaged": np.zeros((n, b), dtype=np.int64),
        "craters": np.zeros((n, b), dtype=np.int64),
        "missiles_arrived": arrived,
        "missiles_intercepted": intercepted,
        "cruise_intercepted": cruise,
        "cmd_interceptors_fired": p.cmd_fired.copy(),
        "thaad_intercepted": upper,
        "thaad_interceptors_fired": p.upper_fired.copy(),
        "facilities_destroyed": np.zeros((n, b), dtype=np.int64),
        "closure_reason": np.zeros((n, b), dtype=np.int8),
        "params": p,
    }


def missile_base(inputs: Inputs) -> NDArray[np.int64]:
    """The base each missile is aimed at."""
    kind, tgt = inputs.missile_target_kind, inputs.missile_target
    base = np.empty(inputs.n_missiles, dtype=np.int64)
    for i in range(inputs.n_missiles):
        k, j = int(kind[i]), int(tgt[i])
        base[i] = (
            inputs.surface_base[j]
            if k == 0
            else j
            if k == APRON
            else inputs.shelter_base[j]
            if k == SHELTER
            else inputs.facility_base[j]
        )
    return base


def _finish(inputs: Inputs, out: dict[str, Any]) -> Outcomes:
    p: Params = out["params"]
    closed = out["closed"]
    sorties = out["alive"] * inputs.sortie_rate_per_day[None, :, None]
    sorties = sorties * ((24.0 - closed) / 24.0) * out["factor"]
    return {
        "hours_closed": closed.sum(axis=2),
        "closed_hours_by_day": closed.copy(),
        "aircraft_destroyed": out["aircraft_destroyed"],
        "aircraft_damaged": out["aircraft_damaged"],
        "aircraft_stranded": np.where(closed >= 24.0, out["alive"], 0.0),
        "sorties": sorties,
        "craters": out["craters"],
        "missiles_arrived": out["missiles_arrived"],
        "missiles_intercepted": out["missiles_intercepted"],
        "cruise_intercepted": out["cruise_intercepted"],
        "cmd_interceptors_fired": out["cmd_interceptors_fired"],
        "thaad_intercepted": out["thaad_intercepted"],
        "thaad_interceptors_fired": out["thaad_interceptors_fired"],
        "facilities_destroyed": out["facilities_destroyed"],
        "closure_reason": out["closure_reason"],
        "cep_m": p.cep_m,
        "reliability": p.reliability,
        "repair_h": p.repair_h,
        "repair_delay_h": p.repair_delay_h,
        "repair_crews": p.crews,
        "repair_materials": p.materials,
    }


def wave_window(inputs: Inputs, w: int) -> tuple[float, float]:
    """Scheduled start of wave w and the end of its period: the next wave that is not
    on-reopen, or the horizon (hours). An on-reopen wave's start is :func:`restrike_time`."""
    end = 24.0 * inputs.horizon_days
    t0 = float(inputs.wave_time_h[w])
    later = [v for v in range(w + 1, inputs.wave_time_h.size) if not inputs.wave_on_reopen[v]]
    t1 = float(inputs.wave_time_h[later[0]]) if later else end
    return t0, min(t1, end)


def restrike_time(
    inputs: Inputs, w: int, reopened: NDArray[np.float64] | float
) -> NDArray[np.float64] | float:
    """When on-reopen wave w lands on a base that reopened at ``reopened`` after wave
    w − 1: the lag later, no earlier than scheduled, no later than the end of wave
    w − 1's period (when the next scheduled wave, or the horizon, comes)."""
    t_sched, _ = wave_window(inputs, w)
    _, t_end = wave_window(inputs, w - 1)
    return np.minimum(np.maximum(reopened + inputs.restrike_lag_h, t_sched), t_end)


def _block(
    inputs: Inputs,
    p: Params,
    start: int,
    stop: int,
    ux: NDArray[np.float64],
    uy: NDArray[np.float64],
    out: dict[str, Any],
) -> None:
    rows = slice(start, stop)
    n = stop - start
    lay = inputs.layout
    offsets = surface_offsets(inputs)
    arrived = p.arrived[rows]
    mx, my = p.miss_x_m[rows], p.miss_y_m[rows]
    mtype = inputs.missile_type
    days = inputs.horizon_days
    end_h = 24.0 * days

    for b in range(inputs.n_bases):
        # --- craters on the operating surfaces -----------------------------------
        slots = lay.base_slots[b]
        sm, sj, ss = lay.slot_missile[slots], lay.slot_bomblet[slots], lay.slot_surface[slots]
        st = mtype[sm]
        cx = inputs.missile_aim_x_m[sm][None, :] + mx[:, sm]
        cy = inputs.missile_aim_y_m[sm][None, :] + my[:, sm]
        bomb = sj >= 0
        if bomb.any():
            radius = inputs.type_pattern_radius_m[st[bomb]]
            cx[:, bomb] += radius * ux[:, sm[bomb], sj[bomb]]
            cy[:, bomb] += radius * uy[:, sm[bomb], sj[bomb]]
        cr = np.broadcast_to(inputs.type_crater_radius_m[st][None, :], cx.shape)
        length = inputs.surface_length_m[ss][None, :]
        half = inputs.surface_width_m[ss][None, :] / 2.0
        made = arrived[:, sm] & (cx >= 0) & (cx <= length) & (np.abs(cy) <= half)
        out["craters"][rows, b] = made.sum(axis=1)
        stock0 = p.materials[rows, b]
        supply = p.resupply[rows, b]
        used = np.zeros(n)
        crews = p.crews[rows, b]
        repair_h = p.repair_h[rows, b]
        delay = p.repair_delay_h[rows]
        uxo_h = p.uxo_h[rows, b]
        sweep = p.sweep_h[rows]
        ever = np.zeros(n, dtype=bool)
        reason = np.full(n, NEVER_CLOSED, dtype=np.int8)
        closed_h = out["closed"][rows, b]
        surfaces = lay.base_surfaces[b]
        lm, wm = float(inputs.mos_length_m[b]), float(inputs.mos_width_m[b])
        slot_wave = inputs.missile_wave[sm]
        # each surface's craters in arrays of their own: centres, radii, made, live
        cols = {s: ss == s for s in surfaces.tolist() if (ss == s).any()}
        xyr = {s: (cx[:, on], cy[:, on], cr[:, on]) for s, on in cols.items()}
        made_s = {s: made[:, on] for s, on in cols.items()}
        live_s = {s: np.zeros_like(m) for s, m in made_s.items()}
        units_s = {s: p.units[rows][:, st[on]] for s, on in cols.items()}
        # bomblet slots of each submunition type on each surface (duds are counted by type)
        dud_sel = {
            s: [
                (p.dud[rows, t], bomb[on] & (st[on] == t))
                for t in range(inputs.n_types)
                if (bomb[on] & (st[on] == t)).any()
            ]
            for s, on in cols.items()
        }
        duds = {s: np.zeros(n) for s in cols}
        # (crater, lane) pairs of every crater made, built once for all waves
        pairs = {
            s: lane_pairs(
                *xyr[s],
                made_s[s],
                float(inputs.surface_length_m[s]),
                lm,
                wm,
                np.array(offsets[s]),
            )
            for s, on in cols.items()
        }
        last_reopen = np.zeros(n)
        for w in range(inputs.wave_time_h.size):
            t_sched, t1 = wave_window(inputs, w)
            if t_sched >= end_h:
                break
            t0: NDArray[np.float64] = (
                np.asarray(restrike_time(inputs, w, last_reopen), dtype=np.float64)
                if inputs.wave_on_reopen[w]
                else np.full(n, t_sched)
            )
            active = t0 < end_h  # an on-reopen wave held to the horizon never lands
            for s, on in cols.items():
                new = made_s[s] & (slot_wave[on] == w)[None, :] & active[:, None]
                live_s[s] |= new
                add = np.zeros(n)
                for rate, sel in dud_sel[s]:
                    add = add + rate * new[:, sel].sum(axis=1)
                duds[s] = duds[s] + add
            count = np.full(n, np.inf)
            surf = np.full(n, -1, dtype=np.int64)
            g_best = np.zeros(n, dtype=np.int64)
            a_best = np.zeros(n)
            # each surface's live pairs and count bounds; a later surface's upper bound
            # caps the counts that matter on an earlier one (which wins ties)
            now = {s: live_pairs(pairs[s], live_s[s]) for s in cols}
            bounds = {
                s: lane_bounds(now[s], n, len(offsets[s]), float(inputs.surface_length_m[s]), lm)
                for s in cols
            }
            cap = np.full(n, np.inf)
            caps = {}
            for s in reversed(surfaces.tolist()):
                caps[s] = cap
                if s in bounds:
                    cap = np.minimum(cap, bounds[s][1])
                elif _fits(inputs, s):
                    cap = np.zeros(n)
            for s in surfaces.tolist():
                if s not in cols:
                    value = np.zeros(n) if _fits(inputs, s) else np.full(n, np.inf)
                    g = np.zeros(n, dtype=np.int64)
                    a = np.zeros(n)
                else:
                    # an upper bound of 0 settles the count without a search (an open
                    # base repairs nothing, so its window is never needed)
                    settled = bounds[s][1] == 0.0
                    value, g, a = min_blocking(
                        *xyr[s],
                        live_s[s],
                        float(inputs.surface_length_m[s]),
                        lm,
                        wm,
                        np.array(offsets[s]),
                        np.where(settled, 0.0, np.minimum(count, caps[s] + 1.0)),
                        now[s],
                        bounds[s],
                    )
                    value[settled] = 0.0
                better = value < count
                count = np.where(better, value, count)
                surf = np.where(better, s, surf)
                g_best = np.where(better, g, g_best)
                a_best = np.where(better, a, a_best)
            closed = count > 0
            # the chosen window's craters, in slot order, and their cumulative repair units
            units = np.where(np.isinf(count), np.inf, 0.0)
            dud_now = np.zeros(n)
            chosen = {}
            for s in cols:
                dud_now = np.where(surf == s, duds[s], dud_now)
                pick = np.flatnonzero((surf == s) & closed & np.isfinite(count))
                if not pick.size:
                    continue
                c_low = np.array(offsets[s])[g_best[pick]]
                xs, ys, rs = (v[pick] for v in xyr[s])
                mask = blocking_mask(xs, ys, rs, live_s[s][pick], a_best[pick], c_low, lm, wm)
                cum = np.cumsum(np.where(mask, units_s[s][pick], 0.0), axis=1)
                units[pick] = cum[:, -1]
                chosen[s] = (pick, mask, cum)
            pre = delay + uxo_h * dud_now  # assessment, then clearing the duds
            with np.errstate(invalid="ignore", divide="ignore"):
                need = used + units - stock0  # materials still to be delivered
                t_mat = np.where(
                    need <= 0.0,
                    0.0,
                    np.where(
                        supply > 0, 24.0 * np.ceil(need / np.where(supply > 0, supply, 1.0)), np.inf
                    ),
                )
                finish = np.maximum(t0 + pre + np.ceil(units / crews) * repair_h, t_mat) + sweep
                finished = closed & (finish <= t1)
                reopen = np.where(closed, np.where(finished, finish, t1), t0)
                worked = np.where(
                    repair_h > 0,
                    crews
                    * np.floor(
                        np.maximum(t1 - t0 - pre, 0.0) / np.where(repair_h > 0, repair_h, 1.0)
                    ),
                    np.inf,
                )
            stock = stock0 + supply * np.floor(t1 / 24.0) - used
            done = np.where(
                finished,
                units,
                np.minimum(np.minimum(worked, stock), np.where(np.isinf(count), 0.0, units)),
            )
            done = np.where(closed, done, 0.0)
            for d in range(days):
                lo_h, hi_h = 24.0 * d, 24.0 * (d + 1)
                closed_h[:, d] += np.maximum(np.minimum(reopen, hi_h) - np.maximum(t0, lo_h), 0.0)
            # repaired craters: those of the window whose cumulative units fit in `done`
            for s, (pick, mask, cum) in chosen.items():
                fixed = mask & (cum <= done[pick][:, None])
                sub = live_s[s][pick]
                sub[fixed] = False
                live_s[s][pick] = sub
                used[pick] = used[pick] + np.max(np.where(fixed, cum, 0.0), axis=1)
                cleared = t0[pick] + pre[pick] <= t1
                duds[s][pick] = np.where(cleared, 0.0, duds[s][pick])
            ever |= closed & active
            still = closed & (reopen >= t1)
            reason = np.where(
                active,
                np.where(
                    still,
                    np.where(t_mat > t1, OUT_OF_MATERIALS, REPAIRING),
                    np.where(ever, REOPENED, NEVER_CLOSED),
                ),
                reason,
            ).astype(np.int8)
            last_reopen = reopen
        out["closed"][rows, b] = closed_h
        out["closure_reason"][rows, b] = reason

    _losses(inputs, p, rows, out)


def _fits(inputs: Inputs, s: int) -> bool:
    b = inputs.surface_base[s]
    return bool(
        inputs.surface_length_m[s] >= inputs.mos_length_m[b]
        and inputs.surface_width_m[s] >= inputs.mos_width_m[b]
    )


def wave_of_day(inputs: Inputs) -> list[int]:
    """For each day d, the number of waves that have landed by its end (time < 24(d+1))."""
    return [int(np.sum(inputs.wave_time_h < 24.0 * (d + 1))) for d in range(inputs.horizon_days)]


def _losses(inputs: Inputs, p: Params, rows: slice, out: dict[str, Any]) -> None:
    """Aircraft, shelters and facilities destroyed, wave by wave; alive and factors by day."""
    arrived = p.arrived[rows]
    n = arrived.shape[0]
    miss2 = p.miss_x_m[rows] ** 2 + p.miss_y_m[rows] ** 2
    mtype, kind, tgt = inputs.missile_type, inputs.missile_target_kind, inputs.missile_target
    unitary = inputs.type_warhead[mtype] == UNITARY
    n_waves = inputs.wave_time_h.size
    by_day = wave_of_day(inputs)
    table = inputs.layout.survive_table
    table_d = inputs.layout.unhurt_table

    # shelters: killed by the end of wave w
    h_count = inputs.shelter_base.size
    shelter_kill = np.zeros((n_waves, n, h_count), dtype=bool)
    r_hard = p.hard_m[rows][:, mtype]  # (n, M)
    pk_hard = p.shelter_pk[rows][:, mtype]
    for i in np.flatnonzero((kind == SHELTER) & unitary).tolist():
        hit = arrived[:, i] & (miss2[:, i] < r_hard[:, i] ** 2)
        hit &= p.shelter_u[rows][:, i] < pk_hard[:, i]
        shelter_kill[inputs.missile_wave[i] :, :, tgt[i]] |= hit[None, :]

    # facilities
    f_count = inputs.facility_base.size
    fac_kill = np.zeros((n_waves, n, f_count), dtype=bool)
    reach = np.where(
        unitary, inputs.type_lethal_radius_m[mtype], inputs.type_pattern_radius_m[mtype]
    )
    for i in np.flatnonzero(kind == FACILITY).tolist():
        hit = arrived[:, i] & (miss2[:, i] < reach[i] ** 2)
        fac_kill[inputs.missile_wave[i] :, :, tgt[i]] |= hit[None, :]

    # aircraft
    p_count = inputs.n_aircraft
    dead = np.zeros((n_waves, n, p_count), dtype=bool)
    hurt = np.zeros((n_waves, n, p_count), dtype=bool)  # damaged or destroyed
    sheltered = inputs.aircraft_sheltered
    if sheltered.any():
        dead[:, :, sheltered] = shelter_kill[:, :, inputs.aircraft_shelter[sheltered]]
        hurt[:, :, sheltered] = dead[:, :, sheltered]
    u = p.aircraft_u[rows]
    for b in range(inputs.n_bases):
        planes = np.flatnonzero((inputs.aircraft_base == b) & ~sheltered)
        missiles = np.flatnonzero((kind == APRON) & (tgt == b))
        if not planes.size or not missiles.size:
            continue
        ix = inputs.missile_aim_x_m[missiles][None, :] + p.miss_x_m[rows][:, missiles]
        iy = inputs.missile_aim_y_m[missiles][None, :] + p.miss_y_m[rows][:, missiles]
        dx = inputs.aircraft_x_m[planes][None, :, None] - ix[:, None, :]
        dy = inputs.aircraft_y_m[planes][None, :, None] - iy[:, None, :]
        d2 = dx * dx + dy * dy  # (n, planes, missiles)
        t_m = mtype[missiles]
        arr = arrived[:, missiles][:, None, :]
        uni = inputs.type_warhead[t_m] == UNITARY
        lethal2 = inputs.type_lethal_radius_m[t_m] ** 2
        damage2 = inputs.type_damage_radius_m[t_m] ** 2
        pattern2 = inputs.type_pattern_radius_m[t_m] ** 2
        hit_uni = arr & uni[None, None, :] & (d2 < lethal2[None, None, :])
        near_uni = arr & uni[None, None, :] & (d2 < damage2[None, None, :])
        covered = arr & (~uni)[None, None, :] & (d2 < pattern2[None, None, :])
        waves_m = inputs.missile_wave[missiles]
        for w in range(n_waves):
            upto = waves_m <= w
            killed = hit_uni[:, :, upto].any(axis=2)
            harmed = near_uni[:, :, upto].any(axis=2)
            survive = np.ones((n, planes.size))
            unhurt = np.ones((n, planes.size))
            for t in range(inputs.n_types):
                if inputs.type_warhead[t] != SUBMUNITION:
                    continue
                sel = upto & (t_m == t)
                if sel.any():
                    k = covered[:, :, sel].sum(axis=2)
                    survive = survive * table[t][k]
                    unhurt = unhurt * table_d[t][k]
            killed |= u[:, planes] < 1.0 - survive
            harmed |= killed | (u[:, planes] < 1.0 - unhurt)
            dead[w][:, planes] |= killed
            hurt[w][:, planes] |= harmed

    for b in range(inputs.n_bases):
        mine = inputs.aircraft_base == b
        total = int(mine.sum())
        facs = np.flatnonzero(inputs.facility_base == b)
        if n_waves:
            out["aircraft_destroyed"][rows, b] = dead[-1][:, mine].sum(axis=1)
            out["aircraft_damaged"][rows, b] = (hurt[-1] & ~dead[-1])[:, mine].sum(axis=1)
            out["facilities_destroyed"][rows, b] = fac_kill[-1][:, facs].sum(axis=1)
        for d, landed in enumerate(by_day):
            lost = hurt[landed - 1][:, mine].sum(axis=1) if landed else np.zeros(n, dtype=np.int64)
            out["alive"][rows, b, d] = total - lost
            factor = np.ones(n)
            if landed:
                for f in facs.tolist():
                    factor = factor * np.where(
                        fac_kill[landed - 1][:, f], inputs.facility_sortie_factor[f], 1.0
                    )
            out["factor"][rows, b, d] = factor
