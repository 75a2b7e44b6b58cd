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

PointResult = tuple[str, dict[str, tuple[float, float]]]
"""(hash of the point's resolved inputs, outcome -> (mean, SE) per trial)."""

CACHE_SIZE = 4096
"""How many points' resolutions and summaries a worker keeps (by content)."""

_bases: dict[tuple[str, str], Any] = {}
_resolved: dict[str, tuple[str, Any]] = {}
_summaries: dict[tuple[str, int, int, int, tuple[str, ...]], dict[str, tuple[float, float]]] = {}


def _keep(cache: dict[Any, Any], key: Any, value: Any) -> None:
    if len(cache) >= CACHE_SIZE:
        cache.pop(next(iter(cache)))
    cache[key] = value


def point_scenario(text: str, origin: str, values: dict[str, Any]) -> Any:
    """The scenario ``text`` with ``values`` set, checked by its kind's schema.

    The same scenario as :func:`anpo.scenario.edit.with_values` gives (the same spec,
    so the same resolution), without writing the YAML out and reading it back: the
    base text is read once per process and each point only sets its paths in a copy
    of that mapping and validates it. The returned scenario's ``text`` is the base
    text (a point is not stored as a run).
    """
    import copy

    from pydantic import ValidationError

    from anpo import scenario
    from anpo.errors import Problem, ScenarioError
    from anpo.kinds import registry
    from anpo.scenario import loader
    from anpo.scenario.common import problems_from
    from anpo.scenario.edit import set_path

    key = (text, "")
    base = _bases.get(key)
    if base is None:
        base = loader.load_mapping(text, origin)
        scenario.parse(text, origin)  # the base itself is a valid scenario
        _keep(_bases, key, base)
    data = copy.deepcopy(base)
    problems = []
    for path, value in values.items():
        try:
            set_path(data, path, value)
        except ValueError as exc:
            problems.append(Problem(path, value, str(exc)))
    if problems:
        raise ScenarioError(origin, problems)
    schema = registry.get(str(data.get("kind"))).schema
    try:
        spec = schema.model_validate(data)
    except ValidationError as exc:
        raise ScenarioError(origin, problems_from(exc, schema)) from None
    return scenario.Scenario(spec=spec, text=text, origin=origin)


def evaluate_point(task: PointTask) -> PointResult:
    """Change, resolve and run one point; its inputs' hash and its outcomes' mean and SE.

    Runs wherever the executor puts it (a module-level function, so it pickles); an
    outcome with entries is summed over them per trial. Nothing is done twice for
    the same content: a point whose scenario (its validated spec and date) was
    resolved before reuses that resolution, and a point whose resolved inputs were
    run before with the same trials, seed and chunk size reuses that summary, which
    is exactly what running it again would give (the streams are keyed by identity).
    """
    from anpo import engine, kb, scenario
    from anpo.kinds import registry

    text, origin, values, trials, seed, chunk_size, outcomes = task
    sc = point_scenario(text, origin, values)
    days = ",".join(str(kb.factor_day(f, sc.date)) for f in kb.FACTORS)
    spec_key = f"{sc.kind}|{sc.date}|{days}|{sc.spec.model_dump_json()}"
    hit = _resolved.get(spec_key)
    if hit is None:
        resolved = scenario.resolve(sc)
        hit = (resolved.digest(), resolved.inputs)
        _keep(_resolved, spec_key, hit)
    digest, inputs = hit
    run_key = (digest, trials, seed, chunk_size, tuple(outcomes))
    done = _summaries.get(run_key)
    if done is not None:
        return digest, dict(done)
    arrays = engine.run_trials(registry.get(sc.kind).model, inputs, trials, seed, chunk_size)
    out: dict[str, tuple[float, float]] = {}
    for name in outcomes:
        a = np.asarray(arrays[name], dtype=np.float64)
        per_trial = a if a.ndim == 1 else np.nansum(a.reshape(a.shape[0], -1), axis=1)
        sd = float(np.std(per_trial, ddof=1)) if per_trial.size > 1 else 0.0
        out[name] = (float(np.mean(per_trial)), sd / math.sqrt(per_trial.size))
    _keep(_summaries, run_key, out)
    return digest, out


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
    hashes: tuple[str, ...] = ()
    """The hash of each point's resolved inputs."""
    study_id: str | None = None
    """The study that keeps it in a store, if one does."""

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


Record = Callable[[int, NDArray[np.float64], NDArray[np.float64], NDArray[np.float64],
                   list[str]], None]  # fmt: skip
"""``record(first, values, means, ses, hashes)``: keep a batch of evaluated points."""

BATCH = 250
"""Points evaluated between two writes of a recorded sweep."""


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
    record: Record | None = None,
) -> Sweep:
    """Evaluate the design's points on an executor (see :mod:`anpo.engine.executors`).

    With ``record``, the points are evaluated in batches of :data:`BATCH` and each
    batch is handed to ``record`` as soon as it is done (a study in the store keeps
    every evaluation this way, and a crash loses at most the batch in progress).
    """
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
    step = BATCH if record is not None else max(len(tasks), 1)
    results: list[PointResult] = []
    for first in range(0, len(tasks), step):
        batch = executor.map(evaluate_point, tasks[first : first + step], on_done)
        results.extend(batch)
        if record is not None:
            record(
                first,
                points[first : first + len(batch)],
                np.array([[r[1][o][0] for o in outcomes] for r in batch], dtype=np.float64),
                np.array([[r[1][o][1] for o in outcomes] for r in batch], dtype=np.float64),
                [r[0] for r in batch],
            )
    means = np.array([[r[1][o][0] for o in outcomes] for r in results], dtype=np.float64)
    ses = np.array([[r[1][o][1] for o in outcomes] for r in results], dtype=np.float64)
    means = means.reshape(len(results), len(outcomes))
    ses = ses.reshape(len(results), len(outcomes))
    sobol: dict[str, pd.DataFrame] = {}
    if design_name == "saltelli":
        for k, name in enumerate(outcomes):
            sobol[name] = sobol_indices(params, means[:, k], seed)
    return Sweep(
        tuple(params), design_name, points, tuple(outcomes), means, ses, n, seed, trials,
        chunk_size, sobol, tuple(r[0] for r in results),
    )  # fmt: skip


def default_outcomes(headline_outcomes: Mapping[str, Any] | Sequence[str]) -> tuple[str, ...]:
    """The outcomes a sweep reports when none is named: the kind's first headline's."""
    names = list(headline_outcomes)
    return (names[0],) if names else ()
