"""Two runs compared entry by entry, matched by identity, with paired Monte Carlo errors.

Two runs of variants of one scenario made with the same seed, chunk size and trial
count share their random numbers (common random numbers): trial t of one and trial t
of the other saw the same draws wherever the variants agree. Their difference is
then measured trial by trial,

    d_t = b_t − a_t,   mean d̄,   paired SE = sd(d) / √N,

which is far smaller than the error of two independent runs,

    independent SE = √(SE_a² + SE_b²),

whenever the outcomes are positively correlated. Both are reported, and their ratio
squared is the factor by which pairing saves trials for the same precision.

Entries are matched by identity, never by position: an entry is its outcome and the
labels of its coordinates (a shooter's name, a base and a day). An entry present in
only one run is reported as such, with no difference.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from anpo.kinds.headline import stats

__all__ = ["Side", "compare", "entries"]


@dataclass(frozen=True)
class Side:
    """One run's per-trial outcomes with the names of their entries.

    ``dims[outcome]`` names the outcome's dimensions, ``labels[dim]`` their entries;
    ``units[outcome]`` its unit. Coded outcomes (unit ``"code"``) are not compared.
    """

    name: str
    outcomes: Mapping[str, NDArray[Any]]
    dims: Mapping[str, Sequence[str]]
    labels: Mapping[str, Sequence[str]]
    units: Mapping[str, str]
    seed: int
    chunk_size: int
    n_trials: int
    entry_names: Mapping[str, Sequence[str]] | None = None
    """Outcome -> the name of each entry in C order (overrides ``dims``/``labels``)."""


def _names(labels: Sequence[str], size: int) -> list[str]:
    given = [str(x) for x in labels]
    if len(given) != size:
        given = [str(i) for i in range(size)]
    seen: dict[str, int] = {}
    out = []
    for name in given:  # repeated names keep their order of appearance
        k = seen.get(name, 0)
        seen[name] = k + 1
        out.append(name if k == 0 else f"{name} #{k + 1}")
    return out


def entries(side: Side) -> dict[tuple[str, str], NDArray[np.float64]]:
    """Each entry's values over trials, keyed by (outcome, entry identity)."""
    out: dict[tuple[str, str], NDArray[np.float64]] = {}
    for name, array in side.outcomes.items():
        if side.units.get(name) == "code":
            continue
        a = np.asarray(array, dtype=np.float64)
        dims = list(side.dims.get(name, ()))
        if side.entry_names is not None and name in side.entry_names and a.ndim > 1:
            flat = a.reshape(a.shape[0], -1)
            for j, key in enumerate(_names(side.entry_names[name], flat.shape[1])):
                out[(name, key)] = flat[:, j]
            continue
        if a.ndim == 1 or not dims:
            out[(name, "")] = a.reshape(a.shape[0])
            continue
        shape = a.shape[1:]
        axes = [
            _names(side.labels.get(dims[k], ()) if k < len(dims) else (), shape[k])
            for k in range(len(shape))
        ]
        flat = a.reshape(a.shape[0], -1)
        for j, index in enumerate(np.ndindex(*shape)):
            key = " · ".join(axes[k][i] for k, i in enumerate(index))
            out[(name, key)] = flat[:, j]
    return out


def _spread(x: NDArray[np.float64] | None) -> tuple[float, float]:
    if x is None:
        return math.nan, math.nan
    s = stats(x)
    return s.p05, s.p95


def _moments(x: NDArray[np.float64]) -> tuple[float, float, int]:
    x = x[~np.isnan(x)]
    n = int(x.size)
    if n == 0:
        return math.nan, math.nan, 0
    sd = float(np.std(x, ddof=1)) if n > 1 else 0.0
    return float(np.mean(x)), sd / math.sqrt(n), n


def paired_ok(a: Side, b: Side) -> bool:
    """Whether trial t of ``a`` and of ``b`` drew the same random numbers."""
    return (a.seed, a.chunk_size, a.n_trials) == (b.seed, b.chunk_size, b.n_trials)


def compare(a: Side, b: Side) -> pd.DataFrame:
    """Every entry of two runs side by side: means, the difference, both errors.

    Returns
    -------
    pandas.DataFrame
        One row per (outcome, entry) of either run: ``present`` (``both``, ``a``,
        ``b``), ``mean_a``, ``se_a``, ``mean_b``, ``se_b``, ``diff`` = mean_b − mean_a,
        ``se_paired`` (trial by trial; None unless the runs share their random
        numbers), ``se_independent``, the 95% interval ``ci_low``–``ci_high`` of the
        difference (from the paired SE where there is one), ``z`` and ``gain`` =
        (se_independent / se_paired)², the trials pairing saves.
    """
    ea, eb = entries(a), entries(b)
    pair = paired_ok(a, b)
    rows = []
    for key in list(ea) + [k for k in eb if k not in ea]:
        outcome, entry = key
        unit = a.units.get(outcome) or b.units.get(outcome) or ""
        xa, xb = ea.get(key), eb.get(key)
        ma, sa, _ = _moments(xa) if xa is not None else (math.nan, math.nan, 0)
        mb, sb, _ = _moments(xb) if xb is not None else (math.nan, math.nan, 0)
        row: dict[str, Any] = {
            "outcome": outcome,
            "entry": entry,
            "unit": unit,
            "present": "both"
            if xa is not None and xb is not None
            else ("a" if xb is None else "b"),
            "mean_a": ma,
            "se_a": sa,
            "mean_b": mb,
            "se_b": sb,
            "p05_a": _spread(xa)[0],
            "p95_a": _spread(xa)[1],
            "p05_b": _spread(xb)[0],
            "p95_b": _spread(xb)[1],
            "diff": math.nan,
            "se_paired": math.nan,
            "se_independent": math.nan,
            "ci_low": math.nan,
            "ci_high": math.nan,
            "z": math.nan,
            "gain": math.nan,
        }
        if xa is not None and xb is not None:
            diff = mb - ma
            se_ind = math.hypot(sa, sb)
            se = se_ind
            row.update(diff=diff, se_independent=se_ind)
            if pair:
                both = ~(np.isnan(xa) | np.isnan(xb))
                _, se_p, n = _moments(xb[both] - xa[both])
                if n:
                    se = se_p
                    row["se_paired"] = se_p
                    if se_p > 0:
                        row["gain"] = (se_ind / se_p) ** 2
            row.update(ci_low=diff - 1.96 * se, ci_high=diff + 1.96 * se)
            if se > 0:
                row["z"] = diff / se
        rows.append(row)
    return pd.DataFrame(rows)
