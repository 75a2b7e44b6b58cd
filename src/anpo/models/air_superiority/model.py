r"""Local air superiority over the Taiwan Strait, day by day (vectorized over trials).

Each day :math:`d` of the horizon, for every fleet :math:`f` (one aircraft type of
one operator at one base or carrier :math:`b`):

1. **Aircraft.** :math:`A_{f,1}` is drawn from the fleet's count; the raid's ground
   losses come off before the first sortie, :math:`A_{f,1} \leftarrow A_{f,1}(1-g_b)`,
   with :math:`g_b` the share of the aircraft at base :math:`b` that the composed
   air-base model (:func:`anpo.models.air_base.simulate` on the attacker's raid)
   destroyed. Air losses come off at the end of each day.
2. **Sortie generation** (steady state, :mod:`._kernels`). With mission-capable share
   :math:`m_f`, the near rate :math:`s^0_f = \min(s^{max}_f, 24/(t_{os}+t_{turn}))` (a
   base at the station) and the far rate :math:`s_f = \min(s^{max}_f,
   24/(2 d_b/v_f + t_{os} + t_{turn}), H_f/(2 d_b/v_f + t_{os}))` (:math:`H_f` the
   flying hours an aircraft can fly a day); the base's open share of the day
   :math:`o_{b,d} = 1 - h_{b,d}/24` (:math:`h` its closed hours from the air-base model,
   or an assumed share for a base outside the raid; carriers are always open):

   .. math::
       \text{lost}^{dist}_f = A m (s^0 - s), \quad
       \text{lost}^{closed}_f = A m s (1 - o), \quad
       \text{demand}_f = A m s\, o .

3. **Tankers.** A fleet whose base lies beyond its unrefuelled combat radius needs
   one tanker hook-up per sortie. A side's capacity is
   :math:`T \cdot \sigma_T \cdot r_T \cdot o_{b_T,d}` (tankers, their sorties a day,
   fighter sorties each supports, the open share of the tankers' base); demand beyond
   it is lost pro rata (:math:`\text{lost}^{tank}`). Sorties flown
   :math:`S_f = \text{demand}_f - \text{lost}^{tank}_f`, and fighters on station
   :math:`C_f = S_f\,t_{os}/24`; :math:`X = \sum_{ally} C_f`, :math:`Y = \sum_{PLA} C_f`.
   A base's sorties lost over the horizon, by cause, are its fleets' (either side): where
   the sorties were lost.
4. **Air combat** between :math:`x = \mathrm{rint}(X)` and :math:`y = \mathrm{rint}(Y)`.
   First-shot share of a side :math:`\varphi = \min(1, \ell + a\,\alpha)` (:math:`\ell`
   its low-observable share on station, :math:`a` AEW&C cover, :math:`\alpha` the share
   AEW&C gives); the side ahead fires :math:`\max(0, \varphi_i - \varphi_j)` of its BVR
   missiles first. Each volley of :math:`m` missiles of kill probability :math:`p`
   spread over :math:`n` targets kills :math:`\mathrm{Binomial}(n, 1-(1-p)^{m/n})`
   (the salvo law), with :math:`p` multiplied by :math:`1 - \ell_{target}(1-\lambda)`
   against a side whose share :math:`\ell_{target}` is low observable. Then the rest of
   both sides' BVR missiles, in proportion to their survivors, simultaneously; then a
   within-visual-range exchange in which the share :math:`\mu` that merges fires its
   WVR missiles (aimed fire: each side's losses grow with the other's numbers, the
   square law's mechanism, :mod:`anpo.models.kernels.lanchester`).
5. **Local air superiority** on day :math:`d`: after the day's combat the allies
   still have CAP on station and :math:`x' \ge k\,y'` (:math:`k` the scenario's
   ``superiority_ratio``). Its day is the first such day (:math:`D+1` if none).

Random numbers: named sub-streams keyed by identity (``count.<fleet>``,
``closure.<base>``, ``tankers.<side>``, ``bvr_pk.<side>``, ``wvr_pk.<side>``,
``air_base``, ``combat.<volley>.<side>.day<d>``), so two variants share them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from anpo.models import air_base
from anpo.models.air_superiority._kernels import salvo_p, sortie_rate
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
from anpo.models.base import Outcomes, substream

F64 = NDArray[np.float64]
VOLLEYS = ("first", "bvr", "wvr")


@dataclass(frozen=True)
class Params:
    """The per-trial draws of a chunk."""

    count: F64  # (n, F)
    closed_h: F64  # (n, B, D) hours closed
    ground_share: F64  # (n, B) share of the aircraft destroyed on the ground
    tankers: F64  # (n, 2)
    bvr_pk: F64  # (n, 2)
    wvr_pk: F64  # (n, 2)


def draw(
    inputs: Inputs,
    rng: np.random.Generator,
    n: int,
    air_base_sim: Callable[[Any, np.random.Generator, int], Outcomes] = air_base.simulate,
) -> Params:
    """Draw a chunk's parameters and run the composed air-base model."""
    fleets = inputs.labels["fleet"]
    bases = inputs.labels["base"]
    days = inputs.days
    count = np.stack(
        [
            d.sample(substream(rng, f"count.{fleets[f]}"), n)
            for f, d in enumerate(inputs.fleet_count)
        ],
        axis=1,
    )
    nb = len(bases)
    closed = np.zeros((n, nb, days))
    ground = np.zeros((n, nb))
    ab = None
    if inputs.air_base is not None:
        ab = air_base_sim(inputs.air_base, substream(rng, "air_base"), n)
    for b in range(nb):
        k = int(inputs.base_ab[b])
        if k >= 0 and ab is not None:
            closed[:, b, :] = ab["closed_hours_by_day"][:, k, :days]
            held = float(inputs.ab_aircraft[k])
            ground[:, b] = ab["aircraft_destroyed"][:, k] / held if held > 0 else 0.0
        else:
            share = inputs.base_closure[b].sample(substream(rng, f"closure.{bases[b]}"), n)
            closed[:, b, :] = 24.0 * share[:, None]
    tankers = np.stack(
        [inputs.tanker_count[s].sample(substream(rng, f"tankers.{SIDES[s]}"), n) for s in (0, 1)],
        axis=1,
    )
    bvr = np.stack(
        [inputs.bvr_pk[s].sample(substream(rng, f"bvr_pk.{SIDES[s]}"), n) for s in (0, 1)], axis=1
    )
    wvr = np.stack(
        [inputs.wvr_pk[s].sample(substream(rng, f"wvr_pk.{SIDES[s]}"), n) for s in (0, 1)], axis=1
    )
    return Params(count, closed, np.clip(ground, 0.0, 1.0), tankers, bvr, wvr)


def combat_streams(rng: np.random.Generator, days: int) -> dict[str, np.random.Generator]:
    """One generator per volley, side and day, named by identity."""
    return {
        f"{v}.{s}.{d}": substream(rng, f"combat.{v}.{s}.day{d}")
        for v in VOLLEYS
        for s in SIDES
        for d in range(days)
    }


def rates(inputs: Inputs) -> tuple[F64, F64]:
    """(near, far) sorties per mission-capable aircraft per day of each fleet."""
    dist = inputs.base_distance_km[inputs.fleet_base]
    args = (inputs.fleet_speed_km_h, inputs.fleet_tos_h, inputs.fleet_turn_h)
    caps = (inputs.fleet_max_sorties, inputs.fleet_max_flight_h)
    near = sortie_rate(np.zeros_like(dist), *args, *caps)
    far = sortie_rate(dist, *args, *caps)
    return near, far


def _total(x: F64, rows: NDArray[np.int64]) -> F64:
    """Sum of the rows ``rows`` of the fleet-major array ``x`` (F, n), added one row
    after another in fleet order (a reduction over the outer axis is sequential), as
    the reference adds them; zeros when ``rows`` is empty."""
    if len(rows) == 0:
        return np.zeros(x.shape[1:])
    return np.asarray(x[rows].sum(axis=0))


def _volley(gen: np.random.Generator, targets: NDArray[np.int64], pk: F64, shots: F64) -> Any:
    """Kills of one volley, Binomial(targets, 1 - (1 - pk)^(shots / targets)) per trial.

    Only the trials with targets, shots and a kill probability draw: NumPy's binomial
    returns 0 for ``n = 0`` or ``p = 0`` without touching the generator, so drawing the
    others alone, in order, gives the same numbers as drawing every trial.
    """
    kills = np.zeros(len(targets), dtype=np.int64)
    live = np.flatnonzero((targets > 0) & (shots > 0) & (pk > 0))
    if len(live):
        t = targets[live]
        kills[live] = gen.binomial(t, salvo_p(pk[live], shots[live], t))
    return kills


def simulate(inputs: Inputs, rng: np.random.Generator, n_trials: int) -> Outcomes:
    """Per-trial outcomes (see the module docstring for the equations).

    Fleet arrays are held fleet-major, (F, n), so each side's and each base's totals
    are sums over whole rows, in fleet order.
    """
    n, days = n_trials, inputs.days
    p = draw(inputs, rng, n)
    streams = combat_streams(rng, days)
    nb = len(inputs.base_side)
    out = empty(n, len(inputs.fleet_side), days, nb)
    out["bvr_pk"][:] = p.bvr_pk
    # fleets in side order (stable: each side's fleets keep their order), so a side's
    # fleets are one block of rows and its totals add them in the reference's order
    order = np.argsort(inputs.fleet_side, kind="stable")
    side, fbase = inputs.fleet_side[order], inputs.fleet_base[order]
    near, far = (r[order] for r in rates(inputs))
    needs = inputs.base_distance_km[fbase] > inputs.fleet_radius_km[order]
    lo = inputs.fleet_lo[order]
    n_ally = int(np.count_nonzero(side == ALLY))
    block = (slice(0, n_ally), slice(n_ally, len(side)))
    tanked = [np.flatnonzero((side == s) & needs) for s in (ALLY, PLA)]
    stealthy = [np.flatnonzero((side == s) & lo) for s in (ALLY, PLA)]
    at_base = [np.flatnonzero(fbase == b) for b in range(nb)]
    needy = np.flatnonzero(needs)
    col = (slice(None), None)
    mc, tos = inputs.fleet_mc[order][col], inputs.fleet_tos_h[order][col]
    fbvr, fwvr = inputs.fleet_bvr[order][col], inputs.fleet_wvr[order][col]
    gap, far_c = (near - far)[col], far[col]
    count = np.ascontiguousarray(p.count.T[order])  # (F, n)
    a = count * (1.0 - p.ground_share.T[fbase])
    for s in (ALLY, PLA):
        out["ground_losses"][:, s] = (count - a)[block[s]].sum(axis=0)
    closed_h = np.ascontiguousarray(p.closed_h.transpose(2, 1, 0))  # (D, B, n)
    open_share = 1.0 - closed_h / 24.0
    shut_share = 1.0 - open_share
    tank_cap = [
        p.tankers[:, s] * inputs.tanker_sorties_per_day[s] * inputs.refuels_per_tanker_sortie[s]
        for s in (ALLY, PLA)
    ]
    flown_total = np.zeros((len(side), n))
    lost_total = np.zeros((3, len(side), n))  # by cause, fleet: over the horizon
    first_day = np.full(n, float(days + 1))
    for d in range(days):
        eff = a * mc
        lost_dist = eff * gap
        gen = eff * far_c
        lost_closed = gen * shut_share[d][fbase]
        demand = gen * open_share[d][fbase]
        served = np.ones((2, n))
        for s in (ALLY, PLA):
            if len(tanked[s]) == 0:
                continue
            tb = int(inputs.tanker_base[s])
            cap = tank_cap[s] * open_share[d, tb] if tb >= 0 else tank_cap[s] * 1.0
            want = _total(demand, tanked[s])
            served[s] = np.where(
                want > 0, np.minimum(1.0, cap / np.where(want > 0, want, 1.0)), 1.0
            )
        lost_tank = np.zeros_like(demand)
        lost_tank[needy] = demand[needy] * (1.0 - served[side[needy]])
        flown = demand - lost_tank
        flown_total += flown
        lost_total[CLOSED] += lost_closed
        lost_total[TANKERS] += lost_tank
        lost_total[DISTANCE] += lost_dist
        cap_f = flown * tos / 24.0
        cap_bvr, cap_wvr = cap_f * fbvr, cap_f * fwvr
        tot = np.zeros((n, 2))
        lo_on = np.zeros((n, 2))
        bvr = np.zeros((n, 2))
        wvr = np.zeros((n, 2))
        for s in (ALLY, PLA):
            rows = block[s]
            if rows.stop > rows.start:
                tot[:, s] = cap_f[rows].sum(axis=0)
                bvr[:, s] = cap_bvr[rows].sum(axis=0)
                wvr[:, s] = cap_wvr[rows].sum(axis=0)
                out["sorties"][:, s, d] = flown[rows].sum(axis=0)
            lo_on[:, s] = _total(cap_f, stealthy[s])
        if n_ally:
            lost = out["sorties_lost_by_day"]
            lost[:, CLOSED, d] = lost_closed[:n_ally].sum(axis=0)
            lost[:, TANKERS, d] = lost_tank[:n_ally].sum(axis=0)
            lost[:, DISTANCE, d] = lost_dist[:n_ally].sum(axis=0)
        out["on_station"][:, :, d] = tot
        safe = np.where(tot > 0, tot, 1.0)
        ell = np.where(tot > 0, lo_on / safe, 0.0)
        phi = np.minimum(1.0, ell + inputs.aew * inputs.aew_first_share)
        first = np.stack(
            [np.maximum(0.0, phi[:, 0] - phi[:, 1]), np.maximum(0.0, phi[:, 1] - phi[:, 0])], axis=1
        )
        wvr_per = np.where(tot > 0, wvr / safe, 0.0)
        pk = p.bvr_pk * (1.0 - ell[:, ::-1] * (1.0 - inputs.lo_pk_factor))  # vs the other side
        alive = np.rint(tot).astype(np.int64)
        start = alive.copy()
        fired = np.zeros((n, 2))
        # volley 1: the side ahead on first shot
        k1 = np.zeros((n, 2), dtype=np.int64)
        for s in (ALLY, PLA):
            o = 1 - s
            m = first[:, s] * bvr[:, s]
            fired[:, s] += m
            k1[:, o] = _volley(streams[f"first.{SIDES[s]}.{d}"], alive[:, o], pk[:, s], m)
        alive1 = alive - k1
        # volley 2: the rest of the BVR missiles, from the survivors, simultaneously
        k2 = np.zeros((n, 2), dtype=np.int64)
        for s in (ALLY, PLA):
            o = 1 - s
            frac = np.where(start[:, s] > 0, alive1[:, s] / np.maximum(start[:, s], 1), 0.0)
            m = (1.0 - first[:, s]) * bvr[:, s] * frac
            fired[:, s] += m
            k2[:, o] = _volley(streams[f"bvr.{SIDES[s]}.{d}"], alive1[:, o], pk[:, s], m)
        alive2 = alive1 - k2
        # within visual range: the merged share fires its WVR missiles
        k3 = np.zeros((n, 2), dtype=np.int64)
        for s in (ALLY, PLA):
            o = 1 - s
            m = np.asarray(inputs.merge_share * alive2[:, s] * wvr_per[:, s], dtype=np.float64)
            fired[:, s] += m
            k3[:, o] = _volley(streams[f"wvr.{SIDES[s]}.{d}"], alive2[:, o], p.wvr_pk[:, s], m)
        alive3 = alive2 - k3
        lost = (k1 + k2 + k3).astype(np.float64)
        out["air_losses"][:, :, d] = lost
        out["missiles_expended"] += fired
        # a fleet's share of its side's losses is its share of the CAP (0 / 1 = 0 when
        # the side has none up: every fleet's CAP is then 0)
        share = cap_f / safe.T[side]
        a = np.maximum(0.0, a - lost.T[side] * share)
        held = (alive3[:, ALLY] > 0) & (
            alive3[:, ALLY] >= inputs.superiority_ratio * alive3[:, PLA]
        )
        out["superiority"][:, d] = held
        first_day = np.where(held & (first_day > days), float(d + 1), first_day)
    for b in range(nb):
        out["sorties_by_base"][:, b] = _total(flown_total, at_base[b])
        for c in (CLOSED, TANKERS, DISTANCE):
            out["sorties_lost_by_base"][:, c, b] = _total(lost_total[c], at_base[b])
    out["sorties_lost"] = out["sorties_lost_by_day"].sum(axis=2)
    out["superiority_day"] = first_day
    out["days_late_day3"] = np.maximum(0.0, first_day - 3.0)
    out["allied_losses"] = out["ground_losses"][:, ALLY] + out["air_losses"][:, ALLY, :].sum(axis=1)
    out["allied_on_station"] = out["on_station"][:, ALLY, :].copy()
    return out
