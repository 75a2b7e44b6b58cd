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
``salvo/{exchange}/{ship}`` for each ship's missile slots), so the per-trial
reference in :mod:`.reference` consumes exactly the same numbers.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from anpo.models.base import Outcomes
from anpo.models.kernels.salvo import stochastic_hits
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
    """One side's salvo: hits added per ship, missiles fired per ship, interceptors used."""
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
    slot_ship = np.concatenate([np.full(int(inputs.ship_salvo[s]), s) for s in shooters])
    slot_j = np.concatenate([np.arange(int(inputs.ship_salvo[s])) for s in shooters])
    u = np.concatenate([d.missile[k][s] for s in shooters], axis=1)  # (n, M, 5)
    shots_left = np.minimum(inputs.ship_salvo[slot_ship][None, :], missiles[:, slot_ship])
    fired = may[:, None] & alive[:, slot_ship] & (slot_j[None, :] < shots_left)

    members = [np.flatnonzero(inputs.ship_group == g) for g in enemy]
    count = np.stack([alive[:, m].sum(axis=1) for m in members], axis=1)  # (n, E)
    has: NDArray[np.bool_] = count > 0
    fired &= np.any(has, axis=1)[:, None]
    slot_group = inputs.ship_group[slot_ship]
    w = inputs.targeting[slot_group][:, enemy][None, :, :] * has[:, None, :]  # (n, M, E)
    total = w.sum(axis=2)
    fallback = np.broadcast_to(has[:, None, :].astype(np.float64), w.shape)
    w = np.where((total > 0)[:, :, None], w, fallback)
    total = w.sum(axis=2)
    pick = np.argmax(np.cumsum(w, axis=2) > (u[:, :, 3] * total)[:, :, None], axis=2)
    c = np.take_along_axis(count, pick, axis=1)
    rank = np.minimum(np.floor(u[:, :, 4] * c).astype(np.int64), np.maximum(c - 1, 0))
    width = max(len(m) for m in members)
    order = np.zeros((n, len(enemy), width), dtype=np.int64)
    for e, m in enumerate(members):
        order[:, e, : len(m)] = m[np.argsort(~alive[:, m], axis=1, kind="stable")]
    trial = np.arange(n)[:, None]
    target = order[trial, pick, rank]

    avail = np.where(alive & (side == y)[None, :], np.minimum(inputs.ship_defence, interceptors), 0)
    shots = int(inputs.shots[y])
    engagements = avail.sum(axis=1) // shots
    hit, engaged = stochastic_hits(
        u[:, :, 0],
        u[:, :, 1],
        u[:, :, 2],
        fired,
        d.p_hit[:, slot_group],
        d.p_soft[:, y][:, None],
        d.p_kill[:, y][:, None],
        engagements,
    )
    before = np.cumsum(avail, axis=1) - avail
    used = np.clip((engaged * shots)[:, None] - before, 0, avail)
    flat = (trial * s_count + target)[hit]
    add = np.bincount(flat, minlength=n * s_count).reshape(n, s_count).astype(np.float64)
    rows, cols = np.nonzero(fired)
    np.add.at(fired_per, (rows, slot_ship[cols]), 1)
    return add, fired_per, used


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
