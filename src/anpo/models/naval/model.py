r"""Surface action: salvo exchanges between two fleets (Hughes 1995; Armstrong 2005).

The model is Hughes's salvo model counted missile by missile, as in Armstrong's
stochastic form (see :mod:`anpo.models.kernels.salvo` for the equations):

1. **Who fires first.** Each side's scouting gets a targeting solution on the
   enemy after an exponential time of rate λ = W·v/A (Koopman's search rate of
   its scouts, set by the resolver). The side with the earlier solution fires
   an unanswered first salvo; when the two solutions come within
   ``simultaneous_h`` of each other both fire at once. Every later exchange is
   simultaneous: both sides fire from their strength at its start.
2. **A salvo.** Each ship in action fires ``min(salvo, missiles left)`` anti-ship
   missiles. Each missile is aimed at an enemy group by the targeting fractions
   (re-normalised over groups with ships still in action) and at one ship of that
   group, chosen uniformly among those in action.
3. **Defence.** A missile is well aimed with its group's ``p_hit``; a well-aimed
   missile is seduced by the defenders' soft kill with ``p_soft``; the rest are
   engaged in firing order by the defending side's pooled interceptors (each ship
   in action offers ``min(defence, interceptors left)``), ``shots`` to a missile,
   each engagement killing with 1 − (1 − SSPK)^shots. Interceptors are taken from
   the defending ships in ship order.
4. **Damage.** Every missile that gets through is one hit on its target ship; a
   ship with hits ≥ its group's staying power is out of action (it neither fires
   nor defends afterwards). Hits on a ship already out of action are wasted, as
   Hughes assumes when fire is not redistributed.

Random numbers come from :func:`.inputs.draw` on a fixed layout (stream
``salvo/{exchange}/{ship}`` for each ship's missile slots, drawn only as far as
some trial fires), so the per-trial reference in :mod:`.reference` consumes
exactly the same numbers.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from anpo.models.base import Outcomes
from anpo.models.kernels.salvo import ceil_float32
from anpo.models.naval.inputs import (
    FIRST_SIMULTANEOUS,
    Draws,
    Inputs,
    draw,
    first_to_fire,
)


def simulate(inputs: Inputs, rng: np.random.Generator, n_trials: int) -> Outcomes:
    """Salvo exchanges for ``n_trials`` trials, vectorized over trials."""
    n, s_count = n_trials, inputs.n_ships
    d = draw(inputs, rng, n)
    first = first_to_fire(inputs, d.first_u)
    side = inputs.ship_side
    staying = d.staying[:, inputs.ship_group]
    hits = np.zeros((n, s_count))
    missiles = np.broadcast_to(inputs.ship_missiles, (n, s_count)).copy()
    interceptors = np.broadcast_to(inputs.ship_interceptors, (n, s_count)).copy()
    ooa_by_exchange = np.zeros((n, inputs.n_exchanges, 2), dtype=np.int64)
    for k in range(inputs.n_exchanges):
        alive = hits < staying
        add = np.zeros((n, s_count))
        fired_all = np.zeros((n, s_count), dtype=np.int64)
        used_all = np.zeros((n, s_count), dtype=np.int64)
        for x in (0, 1):
            may = np.ones(n, dtype=bool) if k else (first == x) | (first == FIRST_SIMULTANEOUS)
            h, fired, used = _salvo(inputs, d, k, x, may, alive, missiles, interceptors)
            add += h
            fired_all += fired
            used_all += used
        missiles -= fired_all
        interceptors -= used_all
        hits += add
        newly = alive & ~(hits < staying)
        for y in (0, 1):
            ooa_by_exchange[:, k, y] = newly[:, side == y].sum(axis=1)
    return _outcomes(inputs, d, first, hits, staying, missiles, interceptors, ooa_by_exchange)


def _salvo(
    inputs: Inputs,
    d: Draws,
    k: int,
    x: int,
    may: NDArray[np.bool_],
    alive: NDArray[np.bool_],
    missiles: NDArray[np.int64],
    interceptors: NDArray[np.int64],
) -> tuple[NDArray[np.float64], NDArray[np.int64], NDArray[np.int64]]:
    """One side's salvo: hits added per ship, missiles fired per ship, interceptors used.

    The missile arrays are (M, n), slot first, so that each step runs over trials.
    Probabilities are compared with the single-precision numbers after rounding them
    up to single precision (:func:`ceil_float32`), which gives the same answers as
    comparing in double precision.
    """
    n, s_count = alive.shape
    y = 1 - x
    side = inputs.ship_side
    shooters = [s for s in range(s_count) if side[s] == x and inputs.ship_salvo[s] > 0]
    add = np.zeros((n, s_count))
    fired_per = np.zeros((n, s_count), dtype=np.int64)
    used = np.zeros((n, s_count), dtype=np.int64)
    enemy = [g for g in range(inputs.n_groups) if inputs.group_side[g] == y]
    if not shooters or not enemy:
        return add, fired_per, used
    members = [np.flatnonzero(inputs.ship_group == g) for g in enemy]
    count = np.stack([alive[:, m].sum(axis=1) for m in members])  # (E, n)
    has: NDArray[np.bool_] = count > 0
    # missiles each shooter fires in each trial (none when no enemy ship is in action)
    can = may[None, :] & alive[:, shooters].T & np.any(has, axis=0)[None, :]
    salvo = inputs.ship_salvo[shooters][:, None]
    n_fire = np.where(can, np.minimum(salvo, missiles[:, shooters].T), 0)  # (X, n)
    fired_per[:, shooters] = n_fire.T
    kept = n_fire.max(axis=1)
    if not kept.any():
        return add, fired_per, used
    # only the slots some trial fires are drawn and kept
    blocks = [(i, s, int(m)) for i, (s, m) in enumerate(zip(shooters, kept, strict=True)) if m]
    m_total = sum(m for _, _, m in blocks)
    u = np.empty((m_total, 5, n), dtype=np.float32)  # (M, 5, n)

    # which missiles leak through aim and soft kill, block by block (one firing ship)
    p_hit = ceil_float32(d.p_hit.T)  # (G, n)
    leak = np.empty((m_total, n), dtype=bool)
    slot_group = np.empty(m_total, dtype=np.intp)
    start = 0
    for i, ship, slots in blocks:
        rows = slice(start, start + slots)
        d.fill_missiles(k, ship, u[rows])
        g_s = int(inputs.ship_group[ship])
        slot_group[rows] = g_s
        np.less(u[rows, 0], p_hit[g_s][None, :], out=leak[rows])  # well aimed
        short = n_fire[i] < slots
        if short.any():  # trials where this ship fires fewer than ``slots``
            leak[rows] &= np.arange(slots)[:, None] < n_fire[i][None, :]
        start += slots
    leak &= np.greater_equal(u[:, 1], ceil_float32(d.p_soft[:, y])[None, :])  # not seduced

    # the defence, pooled over the defending side's ships in action, in ship order:
    # leaking missiles are engaged in slot order while engagements last
    avail = np.where(alive & (side == y)[None, :], np.minimum(inputs.ship_defence, interceptors), 0)
    shots = int(inputs.shots[y])
    engagements = avail.sum(axis=1) // shots
    rank = leak.astype(np.int32)
    for r in range(1, m_total):
        rank[r] += rank[r - 1]
    engaged = np.minimum(rank[-1], engagements)
    survives = np.greater(rank, engagements[None, :])  # not engaged ...
    survives |= np.greater_equal(u[:, 2], ceil_float32(d.p_kill[:, y])[None, :])  # ... or missed
    survives &= leak
    before = np.cumsum(avail, axis=1) - avail
    used = np.clip((engaged * shots)[:, None] - before, 0, avail)

    # where each missile that got through lands (only those are aimed here: the aim uses
    # numbers of its own): the first enemy group whose cumulative weight exceeds u·total
    # (weights of groups with ships in action; every such group alike when the targeting
    # gives none of them weight), then a ship of that group in action, uniformly
    flat = np.flatnonzero(survives)
    if flat.size == 0:
        return add, fired_per, used
    slot = flat // n
    trial = flat - slot * n
    base = flat + slot * (4 * n)  # index of (slot, 0, trial) in u, flattened
    u_flat = u.reshape(-1)
    e_count = len(enemy)
    pattern = np.zeros(n, dtype=np.intp)  # which enemy groups have ships in action
    for e in range(e_count):
        pattern |= has[e].astype(np.intp) << e
    groups = np.unique(slot_group)
    table_total, table_cum = _aim_tables(
        inputs.targeting[np.ix_(groups, np.asarray(enemy, dtype=np.intp))], e_count
    )
    key = np.searchsorted(groups, slot_group)[slot] * (1 << e_count) + pattern[trial]
    thresh = u_flat[base + 3 * n] * table_total[key]
    pick = np.zeros(flat.size, dtype=np.intp)
    for e in range(e_count - 1):
        pick += table_cum[e][key] <= thresh
    pick_trial = pick * n + trial
    c = count.reshape(-1)[pick_trial]
    rank_in = np.floor(u_flat[base + 4 * n].astype(np.float64) * c).astype(np.intp)
    rank_in = np.minimum(rank_in, np.maximum(c - 1, 0))
    width = max(len(m) for m in members)
    order = _in_action_order(alive, members, width)
    target = order[(pick * width + rank_in) * n + trial]
    landed = np.bincount(trial * s_count + target, minlength=n * s_count)
    return landed.reshape(n, s_count).astype(np.float64), fired_per, used


def _in_action_order(
    alive: NDArray[np.bool_], members: list[NDArray[np.intp]], width: int
) -> NDArray[np.intp]:
    """Flattened (E, width, n): each enemy group's ships, those in action first.

    Entry (e, r, t) is the r-th ship of group e in trial t, counting the ships in
    action in ship order and then the others in ship order (a stable sort on
    "out of action"); the rank of a missile's target among the ships in action
    indexes it.
    """
    n = alive.shape[0]
    order = np.zeros(len(members) * width * n, dtype=np.intp)
    trials = np.arange(n)
    for e, m in enumerate(members):
        slot = np.full(n, e * width * n, dtype=np.intp) + trials
        for in_action in (True, False):
            for ship in m:
                here = alive[:, ship] if in_action else ~alive[:, ship]
                order[slot[here]] = ship
                slot += here * n
    return order


def _aim_tables(
    weights: NDArray[np.float64], e_count: int
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Totals and running sums of the aim weights for each firing group and pattern.

    ``weights`` (F, E) are the firing groups' targeting fractions on the enemy groups;
    pattern p (bit e set: enemy group e has ships in action) zeroes the weights of the
    groups without ships, or, when that leaves no weight, weighs every group with
    ships alike. Returns ``total`` (F·2^E,) and ``cum`` (E−1, F·2^E): the sum of the
    first e+1 weights, summed in group order as the reference sums them.
    """
    patterns = 1 << e_count
    bits = ((np.arange(patterns)[:, None] >> np.arange(e_count)[None, :]) & 1).astype(bool)
    w = weights[:, None, :] * bits[None, :, :]  # (F, P, E)
    total = w[..., 0].copy()
    for e in range(1, e_count):
        total += w[..., e]
    none = total <= 0
    if none.any():
        w[none] = np.broadcast_to(bits, w.shape)[none].astype(np.float64)
        total = w[..., 0].copy()
        for e in range(1, e_count):
            total += w[..., e]
    cum = np.empty((max(e_count - 1, 0), *total.shape))
    run = w[..., 0].copy()
    for e in range(e_count - 1):
        cum[e] = run
        run = run + w[..., e + 1]
    return total.reshape(-1), cum.reshape(cum.shape[0], total.size)


def _outcomes(
    inputs: Inputs,
    d: Draws,
    first: NDArray[np.int8],
    hits: NDArray[np.float64],
    staying: NDArray[np.float64],
    missiles: NDArray[np.int64],
    interceptors: NDArray[np.int64],
    ooa: NDArray[np.int64],
) -> Outcomes:
    side = inputs.ship_side
    out = ~(hits < staying)
    by_side = np.stack([out[:, side == y].sum(axis=1) for y in (0, 1)], axis=1)
    per_side = [side == y for y in (0, 1)]
    return {
        "out_of_action": ooa,
        "out_of_action_total": by_side.astype(np.int64),
        "ship_out_of_action": out.astype(np.int64),
        "hits": np.stack([hits[:, m].sum(axis=1) for m in per_side], axis=1).astype(np.int64),
        "missiles_fired": np.stack(
            [(inputs.ship_missiles[m] - missiles[:, m]).sum(axis=1) for m in per_side], axis=1
        ),
        "missiles_left": np.stack([missiles[:, m].sum(axis=1) for m in per_side], axis=1),
        "interceptors_fired": np.stack(
            [(inputs.ship_interceptors[m] - interceptors[:, m]).sum(axis=1) for m in per_side],
            axis=1,
        ),
        "interceptors_left": np.stack([interceptors[:, m].sum(axis=1) for m in per_side], axis=1),
        "first_to_fire": first,
        "p_hit": d.p_hit,
        "staying_power": d.staying,
    }
