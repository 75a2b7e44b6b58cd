"""Is a minimum operating strip left? Craters as disks on a rectangular surface.

A surface of length L and width W (frame: ``x`` along, 0..L; ``y`` across,
−W/2..W/2) holds craters, disks of centre (x_k, y_k) and radius r_k. An aircraft
needs a *minimum operating strip* (MOS): an axis-aligned window [a, a + ℓ] ×
[c, c + w] inside the surface that no crater disk enters. A crater blocks the
window when the distance from its centre to the window is less than its radius:

    d_y = max(c − y_k, 0, y_k − (c + w)),   blocked ⇔ d_y < r_k and
    x_k − h_k − ℓ < a < x_k + h_k,   h_k = √(r_k² − d_y²).

For a lateral position c each crater therefore blocks an open interval of window
starts a; the number of craters to fill to clear the window at a is the number of
intervals holding a. Its minimum over a ∈ [0, L − ℓ] is reached at a = 0 or at an
interval's right end (the count only drops there), so it is found by sorting the
2K interval ends and taking a running sum (O(K log K) per position, vectorized).
:func:`min_blocking` builds only the (crater, position) pairs that block
(:func:`lane_pairs`), bounds each position's count from crater counts in bins
along the surface and drops the positions that cannot be cheapest (:func:`lane_bounds`),
and sorts exact integer keys of the ends (:func:`_keys`) of the rest;
:func:`min_blocking_dense` is the dense form it falls back on.
Lateral positions c are tried from the lower edge to the upper edge at a spacing
of at most ``step``; an MOS exists when the minimum is 0 at some position.

The repair doctrine needs the window that is cheapest to clear: the smallest
count over surfaces, lateral positions and starts, ties going to the first
surface, then the lowest lateral position, then the smallest start.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np
from numpy.typing import NDArray

INF = np.inf


def lateral_offsets(width_m: float, mos_width_m: float, step_m: float, count: int) -> list[float]:
    """Lower edges c of the MOS windows tried across a surface, ``count`` of them.

    Evenly spaced from −W/2 to W/2 − w (both edges included); when the surface is
    narrower than the MOS there is no window and the list holds NaN. ``count``
    is the same for every surface of a scenario (the widest one needs it), and a
    narrower surface repeats positions, which changes no minimum.
    """
    spare = width_m - mos_width_m
    if spare < 0:
        return [math.nan] * count
    need = max(2, math.ceil(spare / step_m) + 1)
    out = []
    for g in range(count):
        k = min(g, need - 1)
        out.append(-width_m / 2.0 + spare * k / (need - 1))
    return out


class LanePairs(NamedTuple):
    """The (crater, lateral position) pairs of a block of trials, ready for :func:`min_blocking`.

    Built once by :func:`lane_pairs` from every crater that may become live (all
    waves of a raid), then reused: each call keeps the pairs of its live craters.
    """

    cell: NDArray[np.int64]  # t·K + k: the crater's trial t and slot k
    lane: NDArray[np.int64]  # t·G + g: the trial and the lateral position g
    dy: NDArray[np.float64]  # distance from the crater's centre to the lane, d_y < r
    binned: NDArray[np.int64] | None  # lane·(bins + 1) + bin of the centre (:func:`lane_bounds`)
    r_max: float  # largest crater radius
    live: NDArray[np.bool_] | None = None  # which pairs' craters are live (None: all)


class _Bins(NamedTuple):
    """Bins of crater centres along a surface for the lane bounds of :func:`lane_bounds`."""

    step: float  # bin width Δ
    inner: int  # bins wholly inside any window: ⌊ℓ/Δ⌋ − 2
    q_lb: int  # window starts q of the lower bound (one spare)
    q_ub: int  # window starts q of the upper bound
    bins: int  # shifted bins: 0 below, then the real ones, the last above


def _bin_plan(length_m: float, mos_length_m: float) -> _Bins | None:
    """The bins of :func:`lane_bounds` for a surface, or None when they bound nothing.

    None too when no window fits (a surface shorter than the strip): its count is
    ∞, which no bound here may claim to be less than.
    """
    span = length_m - mos_length_m
    step = max(mos_length_m / 32.0, length_m / 128.0)
    if not (step > 0.0 and math.isfinite(step) and math.isfinite(span) and span >= 0.0):
        return None
    inner = math.floor(mos_length_m / step) - 2
    if inner < 1:
        return None
    q_lb = math.floor(span / step) + 2
    q_ub = max(math.floor(span / step) - 1, 0) + 1
    return _Bins(step, inner, q_lb, q_ub, q_lb + inner + 4)


def lane_pairs(
    cx: NDArray[np.float64],
    cy: NDArray[np.float64],
    cr: NDArray[np.float64],
    live: NDArray[np.bool_],
    length_m: float,
    mos_length_m: float,
    mos_width_m: float,
    offsets: NDArray[np.float64],
) -> LanePairs:
    """The pairs (crater, position g) of live craters whose disk enters the lane [c_g, c_g + w].

    d_y = max(c_g − y, 0, y − (c_g + w)) < r, the test of :func:`min_blocking`; each
    pair carries d_y (its crater blocks the window starts in (x − h − ℓ, x + h),
    h = √(r² − d_y²), worked out by :func:`min_blocking` for the lanes it keeps)
    and the bin of its crater's centre. Pairs come by lane (trial, then position),
    then crater.
    """
    g_count = offsets.size
    n_slots = live.shape[1]
    cell = np.flatnonzero(live)
    t = cell // n_slots
    x, y = cx.reshape(-1)[cell], cy.reshape(-1)[cell]
    r = cr.reshape(-1)[cell] if cr.strides[0] else cr[0, cell - t * n_slots]
    # the lateral positions c a crater may enter, c ∈ (y − w − r, y + r), are among
    # the `reach` from the first candidate g0; the exact test keeps those it enters
    r_max = float(r.max()) if r.size else 0.0
    step = (float(offsets[-1]) - float(offsets[0])) / max(g_count - 1, 1)
    even = step > 0.0 and bool(
        np.all(np.abs(offsets - (offsets[0] + step * np.arange(g_count))) <= 0.25)
    )
    z = (y - mos_width_m - r - 0.5 - float(offsets[0])) / step if even else y
    if even and math.isfinite(r_max) and bool(np.isfinite(z).all()):
        # offsets within 0.25 m of o₀ + g·s: a crater enters only g with g > z
        g0 = (np.floor(np.clip(z, -1.0, g_count - 1.0)) + 1.0).astype(np.int64)
        reach = max(math.ceil((mos_width_m + 2.0 * r_max + 1.0) / step), 1)
    else:  # 1 m of slack
        g0 = np.searchsorted(offsets, y - mos_width_m - r - 1.0, side="left")
        far = np.searchsorted(offsets, offsets + (mos_width_m + 2.0 * r_max + 2.0), "right")
        reach = max(int((far - np.arange(g_count)).max()), 1) if math.isfinite(r_max) else g_count
    g = g0[:, None] + np.arange(reach)
    c = np.concatenate([offsets, np.full(reach, INF)])[g]
    # d_y < r ⇔ c − y < r and y − (c + w) < r (r > 0; a radius ≤ 0 or NaN enters nothing)
    below_c = c - y[:, None]
    above_c = y[:, None] - (c + mos_width_m)
    pair = np.flatnonzero((below_c < r[:, None]) & (above_c < r[:, None]) & (r > 0.0)[:, None])
    crater = pair // reach
    lane = t[crater] * g_count + g.reshape(-1)[pair]
    # by lane, craters in order within a lane (stable; a 16-bit stable sort is a radix sort)
    rows = live.shape[0] * g_count
    if rows <= 1 << 16:
        order = np.argsort(lane.astype(np.uint16), kind="stable")
    else:
        order = np.argsort(lane, kind="stable")
    pair, crater, lane = pair[order], crater[order], lane[order]
    d = np.maximum(np.maximum(below_c.reshape(-1)[pair], 0.0), above_c.reshape(-1)[pair])
    plan = _bin_plan(length_m, mos_length_m)
    binned = None
    if plan is not None and math.isfinite(r_max) and bool(np.isfinite(x).all()):
        j = (np.clip(np.floor(x / plan.step), -1.0, plan.bins - 2) + 2.0).astype(np.int64)
        binned = lane * (plan.bins + 1)
        binned += j[crater]
    return LanePairs(cell[crater], lane, d, binned, r_max)


def min_blocking(
    cx: NDArray[np.float64],
    cy: NDArray[np.float64],
    cr: NDArray[np.float64],
    live: NDArray[np.bool_],
    length_m: float,
    mos_length_m: float,
    mos_width_m: float,
    offsets: NDArray[np.float64],
    below: NDArray[np.float64] | None = None,
    pairs: LanePairs | None = None,
    bounds: tuple[NDArray[np.int64], NDArray[np.float64]] | None = None,
) -> tuple[NDArray[np.float64], NDArray[np.int64], NDArray[np.float64]]:
    """Fewest craters blocking an MOS on one surface, for a block of trials.

    Sparse form: only the (crater, lateral position) pairs where the crater enters
    the window's lane are built (:func:`lane_pairs`: a crater of radius r at y
    reaches the positions c ∈ (y − w − r, y + r), a few of them), each giving the
    interval of window starts it blocks. Lanes that cannot hold the cheapest window
    are dropped (bounds, :func:`lane_bounds`). Each remaining lane (trial, position) then
    holds its intervals' ends, starts and the point 0 as exact, order-preserving
    64-bit integer keys (:func:`_keys`) whose two low bits rank, at equal positions,
    the point 0 before ends before starts; one value sort per lane replaces a stable
    argsort, and a running sum of −1 (end) and +1 (start) gives the count at every
    candidate start. Inputs whose positions fall outside what the keys hold exactly
    (|v| < 2⁻³⁰ m but not 0, or |v| ≥ 2¹⁵ m) go to :func:`min_blocking_dense`.

    Parameters
    ----------
    cx, cy, cr, live : (n, K)
        Crater centres and radii in the surface frame, and which slots hold a crater.
    length_m, mos_length_m, mos_width_m : float
        Surface length and the MOS size.
    offsets : (G,)
        Lateral window positions (:func:`lateral_offsets`), non-decreasing.
    below : (n,), optional
        Only counts less than this matter (another surface's count): a trial that
        has none gets ``inf``, and lanes that cannot hold one are not searched.
    pairs : LanePairs, optional
        :func:`lane_pairs` of these craters (same surface and MOS) with any superset
        of ``live`` (craters that become live later), built once and reused.
    bounds : (lower, upper), optional
        :func:`lane_bounds` of ``pairs``; when given, ``pairs`` must already be
        marked with these live craters (:func:`live_pairs`). Computed when absent.

    Returns
    -------
    count : (n,) float
        Smallest number of craters in any window (``inf`` when no window fits).
    g : (n,) int
        Lateral position of the cheapest window.
    a : (n,) float
        Its start along the surface.
    """
    n = cx.shape[0]
    g_count = offsets.size
    span = length_m - mos_length_m
    if n == 0 or span < 0 or g_count == 0 or bool(np.isnan(offsets).any()):
        return np.full(n, INF), np.zeros(n, dtype=np.int64), np.full(n, np.nan)
    if pairs is None and below is not None and not bool((below > 0).all()):
        # counts are ≥ 0: trials with nothing below 0 are left out
        sub = np.flatnonzero(below > 0)
        value, g_sub, a_sub = min_blocking(
            cx[sub],
            cy[sub],
            cr[sub],
            live[sub],
            length_m,
            mos_length_m,
            mos_width_m,
            offsets,
            below[sub],
        )
        count, g_all, a_all = np.full(n, INF), np.zeros(n, dtype=np.int64), np.full(n, np.nan)
        count[sub], g_all[sub], a_all[sub] = value, g_sub, a_sub
        return count, g_all, a_all
    if pairs is None:
        pairs = lane_pairs(cx, cy, cr, live, length_m, mos_length_m, mos_width_m, offsets)
    elif bounds is None:  # pairs of a superset of the live craters: keep those of live ones
        pairs = live_pairs(pairs, live)
    # lanes that cannot hold the cheapest window are dropped (bounds, :func:`lane_bounds`)
    limit = np.full(n, INF) if below is None else np.ceil(below) - 1.0
    if bounds is None:
        bounds = lane_bounds(pairs, n, g_count, length_m, mos_length_m)
    lower, upper = bounds
    most = np.minimum(upper, limit)
    keep = lower.reshape(n, g_count) <= most[:, None]
    kept = keep.reshape(-1)
    cell, lane, dy = pairs.cell, pairs.lane, pairs.dy
    chosen = kept[lane]
    if pairs.live is not None:
        chosen &= pairs.live
    if not chosen.all():
        cell, lane, dy = cell[chosen], lane[chosen], dy[chosen]
    # the window starts each kept pair's crater blocks: (x − h − ℓ, x + h)
    n_slots = live.shape[1]
    x = cx.reshape(-1)[cell]
    r = cr.reshape(-1)[cell] if cr.strides[0] else cr[0, cell % n_slots]
    h = np.sqrt(np.maximum(r * r - dy * dy, 0.0))
    start = x - h - mos_length_m
    end = x + h
    if not (_exact(start) and _exact(end) and _exact(np.array([span]))):
        return min_blocking_dense(cx, cy, cr, live, length_m, mos_length_m, mos_width_m, offsets)
    rows = int(np.count_nonzero(kept))
    if rows < kept.size:
        lane = (np.cumsum(kept) - 1)[lane]
    # pairs come by lane, craters in order: slot 1 + rank within the lane
    per_lane = np.bincount(lane, minlength=rows)
    k_max = int(per_lane.max()) if rows else 0
    width = 2 * k_max + 1
    slot = np.arange(1, lane.size + 1) - (np.cumsum(per_lane) - per_lane)[lane]
    slot += lane * width
    keys = np.full((rows, width), _PAD, dtype=np.int64)
    keys[:, 0] = 0  # the point 0: value key 0, kind 0
    flat = keys.reshape(-1)
    end_key = _keys(end)
    end_key <<= 2
    end_key |= 1  # kind 1: an end
    flat[slot] = end_key
    start_key = _keys(start)
    start_key <<= 2
    start_key |= 2  # kind 2: a start
    flat[slot + k_max] = start_key
    keys.sort(axis=1)
    kind = keys & 3
    count = np.cumsum(_WEIGHT[kind], axis=1)
    top = int(_keys(np.array([span]))[0]) << 2 | 1
    outside = (kind >= 2) | (keys < 0) | (keys > top)
    np.copyto(count, _NONE, where=outside)
    # cheapest start of each kept lane, then the first kept lane of a trial at its minimum
    at = np.argmin(count, axis=1)
    least = np.take_along_axis(count, at[:, None], axis=1)[:, 0]
    per_trial = keep.sum(axis=1)
    some = per_trial > 0  # a trial with no lane left has no count below `below`
    first_row = (np.cumsum(per_trial) - per_trial)[some]
    best = np.minimum.reduceat(least, first_row) if rows else least
    row = np.where(least == np.repeat(best, per_trial[some]), np.arange(rows), rows)
    row = np.minimum.reduceat(row, first_row) if rows else row
    out, g_out, a = np.full(n, INF), np.zeros(n, dtype=np.int64), np.full(n, np.nan)
    out[some] = np.where(best == _NONE, INF, best.astype(np.float64))
    g_out[some] = np.flatnonzero(kept)[row] % g_count
    a[some] = _values(keys[row, at[row]] >> 2)
    return out, g_out, a


def live_pairs(pairs: LanePairs, live: NDArray[np.bool_]) -> LanePairs:
    """The pairs of :func:`lane_pairs` whose crater is live: marked, not copied."""
    sel = live.reshape(-1)[pairs.cell]
    if pairs.live is not None:
        sel &= pairs.live
    return pairs._replace(live=None if sel.all() else sel)


def lane_bounds(
    pairs: LanePairs, n: int, g_count: int, length_m: float, mos_length_m: float
) -> tuple[NDArray[np.int64], NDArray[np.float64]]:
    """Bounds on the count of each lane (trial, position) and of each trial.

    Crater centres are counted in bins of width Δ along the surface, by lane
    (``pairs.binned`` of live craters: lane·(bins + 1) + shifted bin). For a window start
    p ∈ [qΔ, (q + 1)Δ) every crater of the lane in the bins q + 2 to q + ⌊ℓ/Δ⌋ − 2
    lies more than Δ inside (p, p + ℓ), so its interval holds p: their sum, least
    over q, is a lower bound of the lane's count. At p = qΔ (q Δ < span) no crater
    outside [p − r − 1, p + ℓ + r + 1] can hold p, so the sum over the bins covering
    that, least over q and lanes, is an upper bound of the trial's count. A lane
    whose lower bound exceeds a bound of the trial's count cannot be cheapest; the
    margins of a whole bin absorb rounding. Without bins: lower 0, upper ∞.

    Returns
    -------
    lower : (n·G,) int
    upper : (n,) float
    """
    rows = n * g_count
    plan = _bin_plan(length_m, mos_length_m)
    if pairs.binned is None or not pairs.binned.size or plan is None:
        return np.zeros(rows, dtype=np.int64), np.full(n, INF)
    step, inner, q_lb, q_ub, bins = plan
    r_max = pairs.r_max
    # row i of `cum` is the running count over bins, column 0 before the first bin
    # (each row also holds the total of the rows before it, which differences cancel)
    binned = pairs.binned if pairs.live is None else pairs.binned[pairs.live]
    cum = np.cumsum(np.bincount(binned, minlength=rows * (bins + 1)), dtype=np.int32)
    cum = cum.reshape(rows, bins + 1)
    # real bins [q + 2, q + inner + 1) are shifted bins [q + 3, q + inner + 2)
    lower = (cum[:, inner + 2 : inner + 2 + q_lb] - cum[:, 3 : 3 + q_lb]).min(axis=1)
    # real bins [q − ⌈R/Δ⌉ − 1, q + ⌈(ℓ + R)/Δ⌉ + 2), R = r + 1, clipped to the array
    below = math.ceil((r_max + 1.0) / step)
    above = math.ceil((mos_length_m + r_max + 1.0) / step) + 3
    q0, q1 = below, min(q_ub, bins - above + 1)
    if q1 > q0:  # starts q whose bins need no clipping (fewer starts: a looser bound)
        upper = cum[:, q0 + above : q1 + above] - cum[:, q0 - below : q1 - below]
    else:
        q = np.arange(q_ub)
        upper = cum[:, np.clip(q + above, 0, bins)] - cum[:, np.clip(q - below, 0, bins)]
    most = upper.min(axis=1).reshape(n, g_count).min(axis=1)
    return lower.astype(np.int64), most.astype(np.float64)


_TINY = 2.0**-30
_HUGE = 2.0**15
_LOW_BITS = int(np.array(_TINY).view(np.int64))
_MAGNITUDE = (1 << 63) - 1
_PAD = 1 << 62
_NONE = np.iinfo(np.int32).max
_WEIGHT = np.array([0, -1, 1, 0], dtype=np.int64)


def _exact(v: NDArray[np.float64]) -> bool:
    """Whether :func:`_keys` holds every value of ``v`` exactly (0 or 2⁻³⁰ ≤ |v| < 2¹⁵)."""
    m = np.abs(v)
    if not m.size:
        return True
    if m.min() >= _TINY:  # the common case: no zero, nothing tiny
        return bool(m.max() < _HUGE)
    return bool(np.all(((m >= _TINY) | (m == 0.0)) & (m < _HUGE)))


def _keys(v: NDArray[np.float64]) -> NDArray[np.int64]:
    """Order-preserving integer keys of floats with 2⁻³⁰ ≤ |v| < 2¹⁵ or v = 0.

    A positive double's bit pattern increases with its value; counting patterns
    from that of 2⁻³⁰ gives 1 + bits(|v|) − bits(2⁻³⁰) < 45·2⁵², signed by v's
    sign, and 0 for ±0. Equal values get equal keys and ordered values ordered
    keys, so comparisons of keys are exactly those of the floats.
    """
    bits = np.ascontiguousarray(v, dtype=np.float64).view(np.int64)
    q = bits & _MAGNITUDE  # the bit pattern of |v|
    q -= _LOW_BITS - 1
    np.maximum(q, 0, out=q)  # ±0 (and nothing else: |v| ≥ 2⁻³⁰ otherwise) → 0
    sign = bits >> 63  # 0, or −1 for a negative v: q ↦ (q ^ −1) + 1 = −q
    q ^= sign
    q -= sign
    return q


def _values(q: NDArray[np.int64]) -> NDArray[np.float64]:
    """Inverse of :func:`_keys`."""
    bits = np.abs(q) - 1 + _LOW_BITS
    mag = np.where(q == 0, 0.0, bits.view(np.float64))
    out: NDArray[np.float64] = np.where(q < 0, -mag, mag)
    return out


def min_blocking_dense(
    cx: NDArray[np.float64],
    cy: NDArray[np.float64],
    cr: NDArray[np.float64],
    live: NDArray[np.bool_],
    length_m: float,
    mos_length_m: float,
    mos_width_m: float,
    offsets: NDArray[np.float64],
) -> tuple[NDArray[np.float64], NDArray[np.int64], NDArray[np.float64]]:
    """Dense form of :func:`min_blocking` (the fallback for keys it cannot hold).

    Parameters
    ----------
    cx, cy, cr, live : (n, K)
        Crater centres and radii in the surface frame, and which slots hold a crater.
    length_m, mos_length_m, mos_width_m : float
        Surface length and the MOS size.
    offsets : (G,)
        Lateral window positions (:func:`lateral_offsets`).

    Returns
    -------
    count : (n,) float
        Smallest number of craters in any window (``inf`` when no window fits).
    g : (n,) int
        Lateral position of the cheapest window.
    a : (n,) float
        Its start along the surface.
    """
    n = cx.shape[0]
    span = length_m - mos_length_m
    cx, cy, cr, live = _compact(cx, cy, cr, live)
    lo = offsets[None, :, None]  # (1, G, 1)
    dy = np.maximum(np.maximum(lo - cy[:, None, :], 0.0), cy[:, None, :] - (lo + mos_width_m))
    blocks = live[:, None, :] & (dy < cr[:, None, :])
    # keep only the blocking craters of each (trial, position), in crater order
    per_row = blocks.sum(axis=2)
    k = int(per_row.max()) if per_row.size else 0
    i, g_i, j = np.nonzero(blocks)  # C order: by trial, position, then crater
    g_count = offsets.size
    first = (np.cumsum(per_row.ravel()) - per_row.ravel())[i * g_count + g_i]
    slot = np.arange(i.size) - first
    r = cr[i, j]
    d = dy[i, g_i, j]
    h = np.sqrt(np.maximum(r * r - d * d, 0.0))
    x = cx[i, j]
    start = np.full((n, g_count, k), INF)
    end = np.full((n, g_count, k), INF)
    start[i, g_i, slot] = x - h - mos_length_m
    end[i, g_i, slot] = x + h
    valid = (np.arange(k)[None, None, :] < per_row[:, :, None]).astype(np.float64)
    pos = np.concatenate([np.zeros((n, g_count, 1)), end, start], axis=2)
    weight = np.concatenate([np.zeros((n, g_count, 1)), -valid, valid], axis=2)
    order = np.argsort(pos, axis=2, kind="stable")
    pos_sorted = np.take_along_axis(pos, order, axis=2)
    count = np.cumsum(np.take_along_axis(weight, order, axis=2), axis=2)
    candidate = (order <= k) & (pos_sorted >= 0.0) & (pos_sorted <= span)
    candidate &= ~np.isnan(offsets)[None, :, None]
    count = np.where(candidate, count, INF)
    flat = count.reshape(n, -1)
    best = np.argmin(flat, axis=1)
    rows = np.arange(n)
    value = flat[rows, best]
    g = best // pos.shape[2]
    a = pos_sorted.reshape(n, -1)[rows, best]
    return value, g.astype(np.int64), a


def _compact(
    cx: NDArray[np.float64],
    cy: NDArray[np.float64],
    cr: NDArray[np.float64],
    live: NDArray[np.bool_],
) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64], NDArray[np.bool_]]:
    """Move each trial's live craters to the front, in crater order (drops dead columns)."""
    per_row = live.sum(axis=1)
    k = int(per_row.max()) if per_row.size else 0
    if k == live.shape[1]:
        return cx, cy, cr, live
    i, j = np.nonzero(live)
    slot = (np.cumsum(live, axis=1) - 1)[i, j]
    out = []
    for a in (cx, cy, cr):
        c = np.zeros((live.shape[0], k))
        c[i, slot] = a[i, j]
        out.append(c)
    mask = np.arange(k)[None, :] < per_row[:, None]
    return out[0], out[1], out[2], mask


def blocking_mask(
    cx: NDArray[np.float64],
    cy: NDArray[np.float64],
    cr: NDArray[np.float64],
    live: NDArray[np.bool_],
    a: NDArray[np.float64],
    c: NDArray[np.float64],
    mos_length_m: float,
    mos_width_m: float,
) -> NDArray[np.bool_]:
    """Which craters (n, K) enter the window starting at (a, c) of each trial (n,)."""
    lo = c[:, None]
    dy = np.maximum(np.maximum(lo - cy, 0.0), cy - (lo + mos_width_m))
    h = np.sqrt(np.maximum(cr * cr - dy * dy, 0.0))
    inside = (dy < cr) & (cx - h - mos_length_m < a[:, None]) & (a[:, None] < cx + h)
    out: NDArray[np.bool_] = live & inside
    return out


def min_blocking_one(
    craters: list[tuple[float, float, float]],
    length_m: float,
    mos_length_m: float,
    mos_width_m: float,
    offsets: list[float],
) -> tuple[float, int, float]:
    """Reference form of :func:`min_blocking` for one trial, in plain Python.

    Counts, for every lateral position and every candidate start (0 and each
    interval's right end, taken in increasing order, 0 first and ends in crater
    order at ties), the craters whose open interval holds it, directly.
    """
    span = length_m - mos_length_m
    best = (math.inf, 0, math.nan)
    for g, c in enumerate(offsets):
        if math.isnan(c):
            continue
        intervals: list[tuple[float, float] | None] = []
        for x, y, r in craters:
            dy = max(max(c - y, 0.0), y - (c + mos_width_m))
            if dy < r:
                h = math.sqrt(max(r * r - dy * dy, 0.0))
                intervals.append((x - h - mos_length_m, x + h))
            else:
                intervals.append(None)
        points = [(0.0, -1)] + [(iv[1], i) for i, iv in enumerate(intervals) if iv is not None]
        points.sort(key=lambda p: p[0])  # stable: 0 first, then ends in crater order
        for p, _ in points:
            if not 0.0 <= p <= span:
                continue
            n = sum(1 for iv in intervals if iv is not None and iv[0] < p < iv[1])
            if n < best[0]:
                best = (float(n), g, p)
    return best


def window_clear(
    craters: list[tuple[float, float, float]],
    a: float,
    c: float,
    mos_length_m: float,
    mos_width_m: float,
) -> bool:
    """Whether no crater disk enters the window [a, a + ℓ] × [c, c + w] (brute force).

    The distance from a disk's centre to the rectangle is that to its nearest
    point (the centre clamped to the rectangle); the disk enters when it is less
    than the radius.
    """
    for x, y, r in craters:
        px = min(max(x, a), a + mos_length_m)
        py = min(max(y, c), c + mos_width_m)
        if (x - px) ** 2 + (y - py) ** 2 < r * r:
            return False
    return True
