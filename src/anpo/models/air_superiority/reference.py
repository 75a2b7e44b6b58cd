"""The per-trial reference twin of :func:`anpo.models.air_superiority.simulate`.

A plain loop over trials, days and fleets with Python scalars, written from the
equations of :mod:`.model` rather than from its array code. It draws the same named
sub-streams, runs the composed air-base model through *its* reference
(:func:`anpo.models.air_base.simulate_reference`, which agrees exactly with the
vectorized one), and must give exactly the same arrays.
"""

from __future__ import annotations

import numpy as np

from anpo.models import air_base
from anpo.models.air_superiority._kernels import salvo_one
from anpo.models.air_superiority.inputs import (
    ALLY,
    CLOSED,
    DISTANCE,
    PLA,
    SIDES,
    TANKERS,
    Inputs,
    empty,
)
from anpo.models.air_superiority.model import combat_streams, draw, rates
from anpo.models.base import Outcomes


def _binomial(gen: np.random.Generator, n: int, p: float) -> int:
    return int(gen.binomial(n, p))


def _salvo(pk: float, m: float, targets: int) -> float:
    """The salvo law 1 - (1 - pk)^(m / max(targets, 1)) on Python floats."""
    return salvo_one(float(pk), float(m), float(targets))


def simulate_reference(inputs: Inputs, rng: np.random.Generator, n_trials: int) -> Outcomes:
    """Per-trial outcomes, one trial at a time."""
    days = inputs.days
    p = draw(inputs, rng, n_trials, air_base.simulate_reference)
    streams = combat_streams(rng, days)
    nf = len(inputs.fleet_side)
    out = empty(n_trials, nf, days, len(inputs.base_side))
    near, far = rates(inputs)
    for t in range(n_trials):
        out["bvr_pk"][t] = p.bvr_pk[t]
        side = [int(s) for s in inputs.fleet_side]
        base = [int(b) for b in inputs.fleet_base]
        needs = [
            bool(inputs.base_distance_km[base[f]] > inputs.fleet_radius_km[f]) for f in range(nf)
        ]
        a = [p.count[t, f] * (1.0 - p.ground_share[t, base[f]]) for f in range(nf)]
        for f in range(nf):
            out["ground_losses"][t, side[f]] += p.count[t, f] - a[f]
        first_day = float(days + 1)
        flown_by_fleet = [0.0] * nf  # over the horizon; a base's total is its fleets' sum
        lost_by_fleet = [[0.0] * nf for _ in range(3)]  # by cause, likewise
        for d in range(days):
            demand = [0.0] * nf
            for f in range(nf):
                is_open = 1.0 - p.closed_h[t, base[f], d] / 24.0
                eff = a[f] * inputs.fleet_mc[f]
                demand[f] = eff * far[f] * is_open
                lost_by_fleet[DISTANCE][f] += eff * (near[f] - far[f])
                lost_by_fleet[CLOSED][f] += eff * far[f] * (1.0 - is_open)
                if side[f] == ALLY:
                    out["sorties_lost_by_day"][t, DISTANCE, d] += eff * (near[f] - far[f])
                    out["sorties_lost_by_day"][t, CLOSED, d] += eff * far[f] * (1.0 - is_open)
            served = [1.0, 1.0]
            for s in (ALLY, PLA):
                tb = int(inputs.tanker_base[s])
                t_open = 1.0 - p.closed_h[t, tb, d] / 24.0 if tb >= 0 else 1.0
                cap = (
                    p.tankers[t, s]
                    * inputs.tanker_sorties_per_day[s]
                    * inputs.refuels_per_tanker_sortie[s]
                    * t_open
                )
                want = 0.0
                for f in range(nf):
                    if side[f] == s and needs[f]:
                        want += demand[f]
                if want > 0:
                    served[s] = min(1.0, cap / want)
            cap_f = [0.0] * nf
            tot = [0.0, 0.0]
            lo_on = [0.0, 0.0]
            bvr = [0.0, 0.0]
            wvr = [0.0, 0.0]
            for f in range(nf):
                s = side[f]
                lost_tank = demand[f] * (1.0 - served[s]) if needs[f] else 0.0
                flown = demand[f] - lost_tank
                cap_f[f] = flown * inputs.fleet_tos_h[f] / 24.0
                tot[s] += cap_f[f]
                out["sorties"][t, s, d] += flown
                flown_by_fleet[f] += flown
                lost_by_fleet[TANKERS][f] += lost_tank
                if inputs.fleet_lo[f]:
                    lo_on[s] += cap_f[f]
                bvr[s] += cap_f[f] * inputs.fleet_bvr[f]
                wvr[s] += cap_f[f] * inputs.fleet_wvr[f]
                if s == ALLY:
                    out["sorties_lost_by_day"][t, TANKERS, d] += lost_tank
            out["on_station"][t, :, d] = tot
            ell = [lo_on[s] / tot[s] if tot[s] > 0 else 0.0 for s in (0, 1)]
            phi = [min(1.0, ell[s] + inputs.aew[s] * inputs.aew_first_share) for s in (0, 1)]
            first = [max(0.0, phi[0] - phi[1]), max(0.0, phi[1] - phi[0])]
            wvr_per = [wvr[s] / tot[s] if tot[s] > 0 else 0.0 for s in (0, 1)]
            pk = [p.bvr_pk[t, s] * (1.0 - ell[1 - s] * (1.0 - inputs.lo_pk_factor)) for s in (0, 1)]
            alive = [int(np.rint(tot[0])), int(np.rint(tot[1]))]
            start = list(alive)
            fired = [0.0, 0.0]
            lost = [0, 0]
            k = [0, 0]
            for s in (0, 1):
                m = first[s] * bvr[s]
                fired[s] += m
                k[1 - s] = _binomial(
                    streams[f"first.{SIDES[s]}.{d}"], alive[1 - s], _salvo(pk[s], m, alive[1 - s])
                )
            alive = [alive[0] - k[0], alive[1] - k[1]]
            lost = [lost[0] + k[0], lost[1] + k[1]]
            for s in (0, 1):
                frac = alive[s] / max(start[s], 1) if start[s] > 0 else 0.0
                m = (1.0 - first[s]) * bvr[s] * frac
                fired[s] += m
                k[1 - s] = _binomial(
                    streams[f"bvr.{SIDES[s]}.{d}"], alive[1 - s], _salvo(pk[s], m, alive[1 - s])
                )
            alive = [alive[0] - k[0], alive[1] - k[1]]
            lost = [lost[0] + k[0], lost[1] + k[1]]
            for s in (0, 1):
                m = inputs.merge_share * alive[s] * wvr_per[s]
                fired[s] += m
                k[1 - s] = _binomial(
                    streams[f"wvr.{SIDES[s]}.{d}"],
                    alive[1 - s],
                    _salvo(p.wvr_pk[t, s], m, alive[1 - s]),
                )
            alive = [alive[0] - k[0], alive[1] - k[1]]
            lost = [lost[0] + k[0], lost[1] + k[1]]
            for s in (0, 1):
                out["air_losses"][t, s, d] = float(lost[s])
                out["missiles_expended"][t, s] += fired[s]
            for f in range(nf):
                s = side[f]
                share = cap_f[f] / tot[s] if tot[s] > 0 else 0.0
                a[f] = max(0.0, a[f] - float(lost[s]) * share)
            held = alive[ALLY] > 0 and alive[ALLY] >= inputs.superiority_ratio * alive[PLA]
            out["superiority"][t, d] = float(held)
            if held and first_day > days:
                first_day = float(d + 1)
        for f in range(nf):
            out["sorties_by_base"][t, base[f]] += flown_by_fleet[f]
            for c in (CLOSED, TANKERS, DISTANCE):
                out["sorties_lost_by_base"][t, c, base[f]] += lost_by_fleet[c][f]
        out["superiority_day"][t] = first_day
        out["days_late_day3"][t] = max(0.0, first_day - 3.0)
    out["sorties_lost"] = out["sorties_lost_by_day"].sum(axis=2)
    out["allied_losses"] = out["ground_losses"][:, ALLY] + out["air_losses"][:, ALLY, :].sum(axis=1)
    out["allied_on_station"] = out["on_station"][:, ALLY, :].copy()
    return out
