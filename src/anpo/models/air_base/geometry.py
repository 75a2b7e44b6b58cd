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
Lateral positions c are tried from the lower edge to the upper edge at a spacing
of at most ``step``; an MOS exists when the minimum is 0 at some position.

The repair doctrine needs the window that is cheapest to clear: the smallest
count over surfaces, lateral positions and starts, ties going to the first
surface, then the lowest lateral position, then the smallest start.
"""

from __future__ import annotations

import math

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


def min_blocking(
    cx: NDArray[np.float64],
    cy: NDArray[np.float64],
    cr: NDArray[np.float64],
    live: NDArray[np.bool_],
    length_m: float,
    mos_length_m: float,
    mos_width_m: float,
    offsets: NDArray[np.float64],
) -> tuple[NDArray[np.float64], NDArray[np.int64], NDArray[np.float64]]:
    """Fewest craters blocking an MOS on one surface, for a block of trials.

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
