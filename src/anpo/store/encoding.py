"""How a run's outcome arrays become stored rows: what is kept per trial, what as aggregates.

Every outcome keeps all its dimensions. Each entry of an outcome (one cell of the
array after the trial axis, in C order) is a *series* with its own id, its label
on every dimension, and:

* its **per-trial rows** (trial, value) for the first :data:`PER_TRIAL` trials
  (:data:`PER_TRIAL_WIDE` for a discrete outcome with more than
  :data:`WIDE_ENTRIES` entries, such as a fate per threat); a run of at most
  that many trials is kept whole, per trial;
* for a **discrete** outcome (integer values, as counts and codes are), the
  exact number of trials at each value, over *all* trials, and for an outcome
  with several entries the number of trials at each per-trial total;
* for a **continuous** outcome (any other: drawn parameters, impact points), its
  exact statistics over all trials (count, mean, sd, percentiles, extremes,
  share of zeros), since no aggregate smaller than the values holds their
  percentiles.

Missing values (NaN: a warhead intercepted has no impact point) are not rows and
are not counted, as before.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
from numpy.typing import NDArray

from anpo.models.base import OutcomeSpec

PER_TRIAL = 20_000
"""Trials kept per trial, for every outcome (a run of at most this many is kept whole)."""
WIDE_ENTRIES = 16
"""A discrete outcome with more entries per trial than this is *wide* ..."""
PER_TRIAL_WIDE = 5_000
"""... and keeps per-trial rows for this many trials (its counts cover every trial)."""
MAX_SPAN = 65_536
"""A discrete outcome's values span at most this many integers (else it is continuous)."""
QUANTILES = (0.05, 0.50, 0.95)
STATS_GROUP = 8
"""Entries of a continuous outcome whose statistics are computed at a time (bounds memory)."""


@dataclass(frozen=True)
class OutcomeLayout:
    """How one outcome is stored."""

    name: str
    dims: tuple[str, ...]
    shape: tuple[int, ...]
    discrete: bool
    kept: int

    @property
    def size(self) -> int:
        return math.prod(self.shape)


@dataclass
class Encoded:
    """A run's outcome rows, with series ids local to the run (0, 1, ...)."""

    layouts: list[OutcomeLayout]
    entry_outcome: list[str]
    entry_idx: NDArray[np.int32]
    rows_sid: NDArray[np.int32]
    rows_trial: NDArray[np.int32]
    rows_value: NDArray[np.float64]
    counts_sid: NDArray[np.int32]
    counts_value: NDArray[np.float64]
    counts_trials: NDArray[np.int64]
    totals_outcome: list[str]
    totals_value: NDArray[np.float64]
    totals_trials: NDArray[np.int64]
    stats: NDArray[np.float64]
    """Columns: sid, trials, mean, sd, p05, p50, p95, min, max, p_zero (continuous entries)."""

    def table(self, name: str) -> dict[str, NDArray[Any]]:
        """One numeric table as columns (to compare a recomputed run with a stored one)."""
        if name == "rows":
            return {"sid": self.rows_sid, "trial": self.rows_trial, "value": self.rows_value}
        if name == "counts":
            return {
                "sid": self.counts_sid,
                "value": self.counts_value,
                "trials": self.counts_trials,
            }
        raise KeyError(name)


STATS_COLUMNS = ("sid", "trials", "mean", "sd", "p05", "p50", "p95", "min", "max", "p_zero")


def quantile_index(n: int, q: float) -> int:
    """The 0-based rank DuckDB's ``quantile_disc(x, q)`` takes of ``n`` sorted values."""
    return max(0, math.ceil(n * q) - 1)


def kept_trials(n_trials: int, discrete: bool, size: int) -> int:
    """How many of a run's first trials an outcome keeps per trial."""
    limit = PER_TRIAL_WIDE if discrete and size > WIDE_ENTRIES else PER_TRIAL
    return min(n_trials, limit)


def _discrete_range(flat: NDArray[Any]) -> tuple[int, int] | None:
    """(lowest, span) of an outcome's values if they are integers spanning few values."""
    if flat.size == 0:
        return None
    if flat.dtype.kind == "f":
        if np.isnan(flat.min()):  # NaN anywhere: missing values, a continuous outcome
            return None
        sample = flat[:1000]
        if not np.array_equal(sample, np.rint(sample)) or not np.array_equal(flat, np.rint(flat)):
            return None
    elif flat.dtype.kind not in "iub":
        return None
    lo, hi = flat.min(), flat.max()
    if not (math.isfinite(float(lo)) and math.isfinite(float(hi))):
        return None
    span = int(hi) - int(lo) + 1
    return (int(lo), span) if span <= MAX_SPAN else None


BLOCK = 65_536
"""Trials tallied at a time (bounds the temporary memory of counting)."""


def _counts(flat: NDArray[Any], lo: int, span: int) -> NDArray[np.int64]:
    """Trials at each value of each entry: an (entries, span) table, value = lo + column."""
    k = flat.shape[1]
    offsets = np.arange(k, dtype=np.int64) * span - lo
    tally = np.zeros(k * span, dtype=np.int64)
    for start in range(0, flat.shape[0], BLOCK):
        codes = flat[start : start + BLOCK].astype(np.int64)
        codes += offsets
        tally += np.bincount(codes.ravel(), minlength=k * span)
    return tally.reshape(k, span)


def _stats(x: NDArray[np.float64]) -> list[float] | None:
    """count, mean, sd, the percentiles, min, max, share of zeros of one entry's values."""
    n = x.size
    if n == 0:
        return None
    ranked = np.sort(x)  # faster than a partition at three ranks (NumPy's SIMD sort)
    sd = float(x.std(ddof=1)) if n > 1 else 0.0
    return [
        float(n),
        float(x.mean()),
        sd,
        *(float(ranked[quantile_index(n, q)]) for q in QUANTILES),
        float(ranked[0]),
        float(ranked[-1]),
        float(np.count_nonzero(x == 0)) / n,
    ]


def layout_of(name: str, array: NDArray[Any], spec: OutcomeSpec, discrete: bool) -> OutcomeLayout:
    shape = tuple(int(s) for s in array.shape[1:])
    dims = tuple(spec.dims)
    if len(dims) != len(shape):  # an outcome whose spec names fewer axes than it has
        dims = tuple(dims[i] if i < len(dims) else f"axis{i}" for i in range(len(shape)))
    size = math.prod(shape)
    return OutcomeLayout(name, dims, shape, discrete, kept_trials(array.shape[0], discrete, size))


def encode(
    outcomes: Mapping[str, NDArray[Any]],
    specs: Mapping[str, OutcomeSpec],
    order: Sequence[str] | None = None,
    kept: Mapping[str, int] | None = None,
) -> Encoded:
    """The rows a run stores for its outcome arrays (each with the trial axis first).

    ``order`` fixes the outcomes' order (their series ids); ``kept`` the trials each
    keeps per trial, where a stored run is recomputed (default: :func:`kept_trials`).
    """
    names = list(order) if order is not None else list(outcomes)
    layouts: list[OutcomeLayout] = []
    entry_outcome: list[str] = []
    entry_idx: list[NDArray[np.int32]] = []
    rows: list[tuple[NDArray[np.int32], NDArray[np.int32], NDArray[np.float64]]] = []
    counts: list[tuple[NDArray[np.int32], NDArray[np.float64], NDArray[np.int64]]] = []
    totals_outcome: list[str] = []
    totals: list[tuple[NDArray[np.float64], NDArray[np.int64]]] = []
    stats: list[list[float]] = []
    sid0 = 0
    for name in names:
        array = np.asarray(outcomes[name])
        n = array.shape[0]
        flat = array.reshape(n, -1)
        k = flat.shape[1]
        rng = _discrete_range(flat)
        layout = layout_of(name, array, specs[name], rng is not None)
        if kept is not None and name in kept:
            layout = replace(layout, kept=min(kept[name], n))
        layouts.append(layout)
        entry_outcome.extend([name] * k)
        entry_idx.append(np.arange(k, dtype=np.int32))
        # per-trial rows of the first `kept` trials, series-major
        head = flat[: layout.kept].T.astype(np.float64).ravel()
        sids = np.repeat(np.arange(sid0, sid0 + k, dtype=np.int32), layout.kept)
        trials = np.tile(np.arange(layout.kept, dtype=np.int32), k)
        if rng is None:  # only continuous outcomes have missing values
            mask = ~np.isnan(head)
            sids, trials, head = sids[mask], trials[mask], head[mask]
        rows.append((sids, trials, head))
        if rng is not None:
            lo, span = rng
            tally = _counts(flat, lo, span)
            entry, value = np.nonzero(tally)
            counts.append(
                (
                    (entry + sid0).astype(np.int32),
                    (value + lo).astype(np.float64),
                    tally[entry, value],
                )
            )
            if k > 1:
                total = flat.sum(axis=1, dtype=np.int64)[:, None]
                t_lo = int(total.min())
                t_tally = _counts(total, t_lo, int(total.max()) - t_lo + 1)[0]
                (t_value,) = np.nonzero(t_tally)
                totals_outcome.extend([name] * t_value.size)
                totals.append(((t_value + t_lo).astype(np.float64), t_tally[t_value]))
        else:
            for j0 in range(0, k, STATS_GROUP):  # a few entries at a time (bounds memory)
                group = np.ascontiguousarray(flat[:, j0 : j0 + STATS_GROUP].T, dtype=np.float64)
                present = ~np.isnan(group)
                values = group[present]  # entry-major
                sizes = np.count_nonzero(present, axis=1)
                ends = np.cumsum(sizes)
                starts = ends - sizes
                for j, (start, end) in enumerate(zip(starts, ends, strict=True), start=j0):
                    row = _stats(values[start:end])
                    if row is not None:
                        stats.append([float(sid0 + j), *row])
        sid0 += k

    def cat(parts: list[Any], i: int, dtype: Any) -> NDArray[Any]:
        return np.concatenate([p[i] for p in parts]) if parts else np.zeros(0, dtype=dtype)

    return Encoded(
        layouts=layouts,
        entry_outcome=entry_outcome,
        entry_idx=cat([(e,) for e in entry_idx], 0, np.int32),
        rows_sid=cat(rows, 0, np.int32),
        rows_trial=cat(rows, 1, np.int32),
        rows_value=cat(rows, 2, np.float64),
        counts_sid=cat(counts, 0, np.int32),
        counts_value=cat(counts, 1, np.float64),
        counts_trials=cat(counts, 2, np.int64),
        totals_outcome=totals_outcome,
        totals_value=cat(totals, 0, np.float64),
        totals_trials=cat(totals, 1, np.int64),
        stats=np.array(stats, dtype=np.float64).reshape(-1, len(STATS_COLUMNS)),
    )


def entry_labels(
    layout: OutcomeLayout, labels: Mapping[str, Sequence[str]]
) -> list[tuple[str, list[str]]]:
    """Each entry's label (the dims' labels joined by " / ") and its label on every dim.

    A dim's labels are ``labels[dim]`` when that names every entry of the dim, else
    the entry numbers.
    """
    per_dim: list[list[str]] = []
    for dim, size in zip(layout.dims, layout.shape, strict=True):
        names = [str(x) for x in labels.get(dim, ())]
        per_dim.append(names if len(names) == size else [str(i) for i in range(size)])
    if not per_dim:
        return [("", [])]
    out = []
    for index in np.ndindex(*layout.shape):
        parts = [per_dim[d][i] for d, i in enumerate(index)]
        out.append((" / ".join(parts), parts))
    return out


__all__ = [
    "MAX_SPAN",
    "PER_TRIAL",
    "PER_TRIAL_WIDE",
    "WIDE_ENTRIES",
    "Encoded",
    "OutcomeLayout",
    "encode",
    "entry_labels",
    "kept_trials",
    "quantile_index",
]
