"""Sweeps: a scenario evaluated over an explicit design of field values.

A design is a table: one row per point, one column per field path, drawn from
:mod:`scipy.stats.qmc` (``lhs``, ``sobol``), laid on a ``grid``, or Saltelli's
scheme for Sobol indices (``saltelli``, through SALib). Every point runs with the
same seed, chunk size and trial count, so the points share their random numbers
and their differences are not Monte Carlo noise. Points are independent tasks: they
run in this process or on an executor's workers (local processes or a Dask
cluster), each worker parsing, resolving and running its own points and sending
back only the means and standard errors asked for.

Global sensitivity: with the ``saltelli`` design, :func:`sobol_indices` gives the
first-order and total Sobol indices of each parameter with their confidence
intervals (SALib's ``sobol.analyze``; Saltelli et al. 2010, *Computer Physics
Communications* 181, 259–270).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from anpo.errors import UsageError

__all__ = [
    "DESIGNS",
    "Param",
    "Sweep",
    "design",
    "evaluate_point",
    "parse_params",
    "sobol_indices",
]

DESIGNS: tuple[str, ...] = ("grid", "lhs", "sobol", "saltelli")
MAX_POINTS = 100_000


@dataclass(frozen=True)
class Param:
    """One swept field: its path, its range, and whether it takes whole numbers."""

    path: str
    low: float
    high: float
    integer: bool = False

    def value(self, x: float) -> float | int:
        return round(x) if self.integer else float(x)


def parse_params(items: Iterable[str]) -> list[Param]:
    """``["doctrine.upper.salvo=1:4", "uncertain...=0.5:0.9"]`` as parameters.

    A range of two whole numbers (``1:4``) sweeps whole numbers.
    """
    out: list[Param] = []
    for item in items:
        path, sep, rng = item.partition("=")
        low_text, sep2, high_text = rng.partition(":")
        if not (sep and sep2 and path.strip()):
            raise UsageError(f"--param takes PATH=LOW:HIGH (got {item!r})")
        try:
            low, high = float(low_text), float(high_text)
        except ValueError:
            raise UsageError(
                f"--param {path}: LOW and HIGH must be numbers (got {rng!r})"
            ) from None
        if not (math.isfinite(low) and math.isfinite(high) and low < high):
            raise UsageError(f"--param {path}: need finite LOW < HIGH (got {rng!r})")
        integer = all(t.strip().lstrip("+-").isdigit() for t in (low_text, high_text))
        out.append(Param(path.strip(), low, high, integer))
    if not out:
        raise UsageError("a sweep needs at least one --param PATH=LOW:HIGH")
    if len({p.path for p in out}) != len(out):
        raise UsageError("each --param path once")
    return out


def _problem(params: Sequence[Param]) -> dict[str, Any]:
    return {
        "num_vars": len(params),
        "names": [p.path for p in params],
        "bounds": [[p.low, p.high] for p in params],
    }


def design(params: Sequence[Param], kind: str, n: int, seed: int) -> NDArray[np.float64]:
    """The design's points (rows) in parameter units (columns, in ``params`` order).

    ``grid``: ``n`` points per axis (whole-number parameters: every value, at most n);
    ``lhs``: a Latin hypercube of ``n`` points; ``sobol``: ``n`` points of a scrambled
    Sobol sequence; ``saltelli``: Saltelli's ``n·(d + 2)`` points for first-order and
    total Sobol indices.
    """
    d = len(params)
    if kind not in DESIGNS:
        raise UsageError(f"unknown design {kind!r}; use one of {', '.join(DESIGNS)}")
    if n < 1:
        raise UsageError("--n must be at least 1")
    lows = np.array([p.low for p in params])
    highs = np.array([p.high for p in params])
    if kind == "grid":
        axes = []
        for p in params:
            if p.integer:
                values = np.arange(int(p.low), int(p.high) + 1, dtype=np.float64)
                if values.size > n:
                    values = np.unique(np.round(np.linspace(p.low, p.high, n)))
            else:
                values = np.linspace(p.low, p.high, n)
            axes.append(values)
        mesh = np.meshgrid(*axes, indexing="ij")
        points = np.stack([m.ravel() for m in mesh], axis=1)
    elif kind == "saltelli":
        from SALib.sample import sobol as sobol_sample

        points = sobol_sample.sample(_problem(params), n, calc_second_order=False, seed=seed)
    else:
        from scipy.stats import qmc

        engine: Any = (
            qmc.LatinHypercube(d=d, seed=seed) if kind == "lhs" else qmc.Sobol(d=d, seed=seed)
        )
        unit = engine.random(n)
        points = qmc.scale(unit, lows, highs)
    if points.shape[0] > MAX_POINTS:
        raise UsageError(f"the design has {points.shape[0]:,} points; at most {MAX_POINTS:,}")
    for j, p in enumerate(params):
        if p.integer:
            points[:, j] = np.round(points[:, j])
    return np.asarray(points, dtype=np.float64)


PointTask = tuple[str, str, dict[str, Any], int, int, int, tuple[str, ...]]
"""(scenario text, origin, field values, trials, seed, chunk size, outcomes)."""


def evaluate_point(task: PointTask) -> dict[str, tuple[float, float]]:
    """Parse, change, resolve and run one point; its outcomes' mean and SE per trial.

    Runs wherever the executor puts it (a module-level function, so it pickles); an
    outcome with entries is summed over them per trial.
    """
    from anpo import engine, scenario
    from anpo.kinds import registry
    from anpo.scenario.edit import with_values

    text, origin, values, trials, seed, chunk_size, outcomes = task
    sc = with_values(text, values, origin=origin)
    resolved = scenario.resolve(sc)
    arrays = engine.run_trials(
        registry.get(sc.kind).model, resolved.inputs, trials, seed, chunk_size
    )
    out: dict[str, tuple[float, float]] = {}
    for name in outcomes:
        a = np.asarray(arrays[name], dtype=np.float64)
        per_trial = a if a.ndim == 1 else np.nansum(a.reshape(a.shape[0], -1), axis=1)
        sd = float(np.std(per_trial, ddof=1)) if per_trial.size > 1 else 0.0
        out[name] = (float(np.mean(per_trial)), sd / math.sqrt(per_trial.size))
    return out


@dataclass(frozen=True)
class Sweep:
    """A design and what each point gave."""

    params: tuple[Param, ...]
    design: str
    points: NDArray[np.float64]
    outcomes: tuple[str, ...]
    means: NDArray[np.float64]
    """(points × outcomes) mean per trial of each outcome at each point."""
    ses: NDArray[np.float64]
    """(points × outcomes) its Monte Carlo standard error."""
    n_base: int
    seed: int
    trials: int
    chunk_size: int
    sobol: dict[str, pd.DataFrame] = field(default_factory=dict)

    def table(self) -> pd.DataFrame:
        """One row per point: the parameter values, then each outcome's mean and SE."""
        data: dict[str, Any] = {"point": np.arange(self.points.shape[0])}
        for j, p in enumerate(self.params):
            data[p.path] = self.points[:, j]
        for k, name in enumerate(self.outcomes):
            data[f"{name}.mean"] = self.means[:, k]
            data[f"{name}.se"] = self.ses[:, k]
        return pd.DataFrame(data)


def sobol_indices(params: Sequence[Param], y: NDArray[np.float64], seed: int) -> pd.DataFrame:
    """First-order (S1) and total (ST) Sobol indices with their 95% confidence half-widths.

    ``y`` holds one output per point of a ``saltelli`` design, in design order.
    """
    from SALib.analyze import sobol as sobol_analyze

    res = sobol_analyze.analyze(
        _problem(params), np.asarray(y, dtype=np.float64), calc_second_order=False,
        print_to_console=False, seed=seed,
    )  # fmt: skip
    return pd.DataFrame(
        {
            "param": [p.path for p in params],
            "S1": res["S1"],
            "S1_conf": res["S1_conf"],
            "ST": res["ST"],
            "ST_conf": res["ST_conf"],
        }
    )


def run_sweep(
    text: str,
    origin: str,
    params: Sequence[Param],
    design_name: str,
    n: int,
    outcomes: Sequence[str],
    trials: int,
    seed: int,
    chunk_size: int,
    executor: Any,
    progress: Callable[[int, int], None] | None = None,
) -> Sweep:
    """Evaluate the design's points on an executor (see :mod:`anpo.engine.executors`)."""
    points = design(params, design_name, n, seed)
    tasks: list[PointTask] = [
        (
            text,
            f"{origin} (point {i})",
            {p.path: p.value(x) for p, x in zip(params, row, strict=True)},
            trials,
            seed,
            chunk_size,
            tuple(outcomes),
        )
        for i, row in enumerate(points)
    ]
    done = 0

    def on_done(_: int) -> None:
        nonlocal done
        done += 1
        if progress is not None:
            progress(done, len(tasks))

    if progress is not None:
        progress(0, len(tasks))
    results = executor.map(evaluate_point, tasks, on_done)
    means = np.array([[r[o][0] for o in outcomes] for r in results], dtype=np.float64)
    ses = np.array([[r[o][1] for o in outcomes] for r in results], dtype=np.float64)
    sobol: dict[str, pd.DataFrame] = {}
    if design_name == "saltelli":
        for k, name in enumerate(outcomes):
            sobol[name] = sobol_indices(params, means[:, k], seed)
    return Sweep(
        tuple(params), design_name, points, tuple(outcomes), means, ses, n, seed, trials,
        chunk_size, sobol,
    )  # fmt: skip


def default_outcomes(headline_outcomes: Mapping[str, Any] | Sequence[str]) -> tuple[str, ...]:
    """The outcomes a sweep reports when none is named: the kind's first headline's."""
    names = list(headline_outcomes)
    return (names[0],) if names else ()
