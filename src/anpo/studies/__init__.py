"""Studies: a scenario against its variants, on common random numbers.

:func:`compare` runs a scenario and each variant (a set of lever values or field
paths) with the same seed, chunk size and trial count, so trial t of every variant
draws the same random numbers wherever the variants agree; the differences are then
measured trial by trial (:mod:`anpo.studies.paired`). :func:`compare_runs` does the
same for two stored runs, and says when their random numbers are not shared.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from anpo import api, engine, scenario
from anpo.errors import UsageError
from anpo.kinds import registry
from anpo.kinds.base import Lever
from anpo.scenario.edit import parse_value, with_values
from anpo.store import Store
from anpo.studies import stored
from anpo.studies.paired import Side, paired_ok
from anpo.studies.paired import compare as compare_sides

__all__ = [
    "Comparison",
    "compare",
    "compare_runs",
    "lever_values",
    "parse_assignments",
    "side_of_result",
    "side_of_run",
]


def parse_assignments(items: Iterable[str], what: str = "--set") -> dict[str, Any]:
    """``["a.b=5", "c=true"]`` as ``{"a.b": 5, "c": True}`` (values read as YAML)."""
    out: dict[str, Any] = {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise UsageError(f"{what} takes NAME=VALUE (got {item!r})")
        out[name.strip()] = parse_value(value.strip())
    return out


def _check_lever(lever: Lever, value: Any) -> str | None:
    if lever.type == "bool":
        return None if isinstance(value, bool) else "true or false"
    if lever.type == "choice":
        return None if value in lever.domain else "one of " + ", ".join(map(str, lever.domain))
    number = isinstance(value, int | float) and not isinstance(value, bool)
    if lever.type == "int" and not (number and float(value).is_integer()):
        return "a whole number"
    if not number:
        return "a number"
    low, high = lever.domain
    return None if low <= value <= high else f"between {low} and {high}"


def lever_values(kind: str, levers: Mapping[str, Any]) -> dict[str, Any]:
    """Field paths and values for named levers of ``kind``, each value checked."""
    spec = registry.get(kind)
    out: dict[str, Any] = {}
    for name, value in levers.items():
        try:
            lever = spec.lever(name)
        except KeyError as exc:
            raise UsageError(str(exc.args[0])) from None
        problem = _check_lever(lever, value)
        if problem:
            raise UsageError(
                f"lever {name} ({lever.description}) must be {problem} (got {value!r})"
            )
        out[lever.path] = int(value) if lever.type == "int" else value
    return out


def side_of_result(result: api.RunResult, name: str) -> Side:
    """A run in memory as one side of a comparison."""
    return Side(
        name=name,
        outcomes=result.outcomes,
        dims={k: s.dims for k, s in result.specs.items()},
        labels=result.labels,
        units={k: s.unit for k, s in result.specs.items()},
        seed=result.record.seed,
        chunk_size=result.record.chunk_size,
        n_trials=result.record.n_trials,
    )


def side_of_run(store: Store, run_id: str) -> Side:
    """A stored run as one side of a comparison: the per-trial values it keeps, and each
    entry's labels on every dimension (from the store)."""
    row = store.run(run_id)
    full = str(row["run_id"])
    arrays = store.arrays(full)
    info = store.outcome_info(full)
    summary = store.summary(full)
    names: dict[str, list[str]] = {}
    for rec in summary.sort_values(["outcome", "idx"]).to_dict("records"):
        names.setdefault(str(rec["outcome"]), []).append(" · ".join(rec["labels"]))
    return Side(
        name=full,
        outcomes=arrays,
        dims={str(r["outcome"]): tuple(r["dims"]) for r in info.to_dict("records")},
        labels={},
        units={str(r["outcome"]): str(r["unit"]) for r in info.to_dict("records")},
        seed=int(row["seed"]),
        chunk_size=int(row["chunk_size"]),
        n_trials=int(row["n_trials"]),
        entry_names=names,
    )


@dataclass(frozen=True)
class Comparison:
    """A base run and its variants, and every entry's difference from the base."""

    base: str
    runs: Mapping[str, Any]
    """Variant name -> its run (an :class:`anpo.api.RunResult`, or a stored run's id)."""
    table: pd.DataFrame
    """:func:`anpo.studies.paired.compare` of each variant with the base, with a
    ``variant`` column."""
    paired: bool
    changes: Mapping[str, Mapping[str, Any]]
    """Variant name -> the field paths it sets."""
    study_id: str | None = None
    """The study that keeps it in a store (when run with one)."""


def compare(
    ref: scenario.Scenario | str | Path,
    variants: Mapping[str, Mapping[str, Any]],
    trials: int = api.DEFAULT_TRIALS,
    seed: int = api.DEFAULT_SEED,
    chunk_size: int = api.DEFAULT_CHUNK_SIZE,
    workers: int = 1,
    store: Store | str | Path | None = None,
    dask: bool = False,
    scheduler: str | None = None,
) -> Comparison:
    """Run a scenario and each variant on common random numbers, and compare them.

    Parameters
    ----------
    ref
        The base scenario (a Scenario, a YAML path or a shipped name).
    variants
        Variant name -> field paths and values it sets (see :mod:`anpo.scenario.edit`;
        :func:`lever_values` turns lever names into paths).
    store
        Where to keep the runs and the study (none by default): the study is recorded
        as it runs, each variant after its run is stored (:mod:`anpo.studies.stored`).
    workers, dask, scheduler
        Where the chunks run (:func:`anpo.engine.executor_for`): started once and
        used by the base and every variant.
    """
    base = ref if isinstance(ref, scenario.Scenario) else api.load_scenario(ref)
    edited = {
        name: with_values(base.text, values, origin=f"{base.origin} ({name})")
        for name, values in variants.items()
    }
    target = stored.persistent(store)
    keep = target if target is not None else store
    recorder = None
    if target is not None:
        spec = stored.spec_of(
            "comparison", base.text, base.origin,
            variants=[[name, dict(values)] for name, values in variants.items()],
            trials=trials, seed=seed, chunk_size=chunk_size,
        )  # fmt: skip
        recorder = stored.recorder_for(
            target, "comparison", base.name, base.kind, spec, seed, trials, chunk_size
        )
    with engine.executor_for(workers, dask, scheduler) as executor:
        results = {
            "base": api.run(base, trials, seed, workers, chunk_size, keep, executor=executor)
        }
        if recorder is not None:  # each variant recorded only once its run is stored
            recorder.variant("base", {}, results["base"].run_id)
        for name, sc in edited.items():
            results[name] = api.run(sc, trials, seed, workers, chunk_size, keep, executor=executor)
            if recorder is not None:
                recorder.variant(name, variants[name], results[name].run_id)
    a = side_of_result(results["base"], "base")
    frames = []
    for name in edited:
        frame = compare_sides(a, side_of_result(results[name], name))
        frame.insert(0, "variant", name)
        frames.append(frame)
    table = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    if recorder is not None:
        recorder.finish({"table": table})
    return Comparison(
        "base", results, table, True, {k: dict(v) for k, v in variants.items()},
        recorder.study_id if recorder is not None else None,
    )  # fmt: skip


def compare_runs(store: Store, run_a: str, run_b: str) -> Comparison:
    """Two stored runs compared by identity (paired when they share random numbers)."""
    a, b = side_of_run(store, run_a), side_of_run(store, run_b)
    table = compare_sides(a, b)
    table.insert(0, "variant", b.name)
    return Comparison(a.name, {a.name: a.name, b.name: b.name}, table, paired_ok(a, b), {})


def headline_rows(table: pd.DataFrame, outcomes: Sequence[str]) -> pd.DataFrame:
    """The rows of the named outcomes, in that order (what a terminal prints first)."""
    order = {name: i for i, name in enumerate(outcomes)}
    rows = table[table["outcome"].isin(order)].copy()
    rows["_o"] = rows["outcome"].map(order)
    return rows.sort_values(["variant", "_o", "entry"]).drop(columns="_o")
