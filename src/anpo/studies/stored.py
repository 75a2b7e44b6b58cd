"""Studies kept in the results store: recorded as they run, listed, exported, rerun.

A study's spec (:func:`spec_of`) is everything that fixes its numbers: the scenario's
text and origin, the variants (or the then-and-now dates, or the sweep's design),
the trials, seed and chunk size. Its id hashes that spec with anpo's and NumPy's
versions, like a run's id. :class:`Recorder` writes it as it runs (see
:mod:`anpo.store.studies` for the tables and why a crash leaves only whole
variants); :func:`rerun_study` runs it again from its spec and compares every
number with the stored ones, bit for bit; :func:`export_study` writes its tables.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from anpo import api, engine
from anpo.errors import StoreError, UsageError, VersionMismatch
from anpo.store import Store, versions_json
from anpo.store import studies as tables

__all__ = [
    "Recorder",
    "StudyRerun",
    "export_study",
    "recorder_for",
    "rerun_study",
    "spec_of",
]


def spec_of(study_type: str, text: str, origin: str, **fields: Any) -> str:
    """A study's spec as canonical JSON (sorted keys): what reruns it."""
    return json.dumps(
        {"type": study_type, "scenario": {"text": text, "origin": origin}, **fields},
        sort_keys=True,
        default=str,
    )


@dataclass
class Recorder:
    """Writes one study to a store as it runs.

    ``active`` is False when the same study (same spec, same versions) is already
    stored complete: it holds exactly these numbers, so nothing is written again.
    """

    store: Store
    study_id: str
    active: bool
    positions: int = field(default=0)

    def variant(
        self, name: str, changes: Mapping[str, Any], run_id: str | None, note: str = ""
    ) -> None:
        """Record the next variant, after its run is stored."""
        if self.active:
            tables.add_variant(
                self.store, self.study_id, self.positions, name, changes, run_id, note
            )
        self.positions += 1

    def points(
        self,
        first: int,
        values: NDArray[np.float64],
        means: NDArray[np.float64],
        ses: NDArray[np.float64],
        hashes: list[str],
    ) -> None:
        """Record a batch of evaluated sweep points."""
        if self.active:
            tables.add_points(self.store, self.study_id, first, values, means, ses, hashes)

    def finish(self, results: Mapping[str, pd.DataFrame]) -> None:
        """Write the result tables and mark the study complete."""
        if self.active:
            tables.finish_study(self.store, self.study_id, results)


def recorder_for(
    store: Store,
    study_type: str,
    name: str,
    kind: str,
    spec: str,
    seed: int,
    trials: int,
    chunk_size: int,
) -> Recorder:
    """Start recording a study in ``store`` (checked writable before any computing)."""
    store.preflight()
    versions = api.dependency_versions()
    study_id = tables.study_id_for(spec, versions["anpo"], versions["numpy"])
    record = tables.StudyRecord(
        study_id=study_id,
        type=study_type,
        name=name,
        kind=kind,
        spec_json=spec,
        seed=seed,
        n_trials=trials,
        chunk_size=chunk_size,
        anpo_version=versions["anpo"],
        versions_json=versions_json(versions),
    )
    return Recorder(store, study_id, tables.begin_study(store, record))


def persistent(store: Store | str | Path | None) -> Store | None:
    """The store a study is recorded in: None for no store or a private in-memory one."""
    if store is None:
        return None
    target = store if isinstance(store, Store) else Store(store)
    return None if target.path == ":memory:" else target


@dataclass(frozen=True)
class StudyRerun:
    """The outcome of rerunning a stored study."""

    study_id: str
    type: str
    identical: bool
    differing: list[str]
    """Variants (or sweep points) whose numbers differ, with what differs."""
    checked: int
    """How many variants or points were compared."""


def _check_versions(row: Mapping[str, Any]) -> None:
    then = json.loads(row["versions_json"])
    now = api.dependency_versions()
    for package in ("anpo", "numpy"):
        if then.get(package) != now[package]:
            raise VersionMismatch(
                f"study {row['study_id']} was made by {package} {then.get(package)}; this is "
                f"{package} {now[package]}: install {package}=={then.get(package)} to replay it"
            )


def _rerun_runs(
    store: Store, row: Mapping[str, Any], spec: Mapping[str, Any], executor: engine.Executor
) -> tuple[list[str], int]:
    """Each stored variant run again from the spec; its run id and numbers compared."""
    import datetime as dt

    from anpo import kb, scenario
    from anpo.scenario.edit import with_values

    base = scenario.parse(spec["scenario"]["text"], spec["scenario"]["origin"])
    trials, seed, chunk = int(spec["trials"]), int(spec["seed"]), int(spec["chunk_size"])
    variants = tables.study_variants(store, row["study_id"])
    differing: list[str] = []
    checked = 0
    for v in variants.to_dict("records"):
        changes: dict[str, Any] = v["changes"]
        if spec["type"] == "then-and-now":
            import dataclasses

            now = dt.date.fromisoformat(spec["now"])
            sc = dataclasses.replace(base, spec=base.spec.model_copy(update={"date": now}))
            dates = {f: dt.date.fromisoformat(d) for f, d in changes.items()}
            try:
                with kb.factor_dates(**dates):
                    result = api.run(sc, trials, seed, 1, chunk, executor=executor)
            except Exception as exc:  # a mix not resolved then should not resolve now
                if v["run_id"] is None:
                    checked += 1
                    continue
                differing.append(f"{v['name']}: no longer resolves ({exc})")
                continue
        else:
            sc = (
                with_values(base.text, changes, origin=f"{base.origin} ({v['name']})")
                if changes
                else base
            )
            result = api.run(sc, trials, seed, 1, chunk, executor=executor)
        checked += 1
        if v["run_id"] is None:
            differing.append(f"{v['name']}: resolves now but did not then")
        elif result.run_id != v["run_id"]:
            differing.append(f"{v['name']}: run id {result.run_id}, stored {v['run_id']}")
        else:
            bad = store.compare(str(v["run_id"]), result.outcomes)
            if bad:
                differing.append(f"{v['name']}: {', '.join(bad)}")
    return differing, checked


def _rerun_sweep(
    store: Store, row: Mapping[str, Any], spec: Mapping[str, Any], executor: engine.Executor
) -> tuple[list[str], int]:
    from anpo.studies.sweep import Param, run_sweep

    params = [Param(p[0], float(p[1]), float(p[2]), bool(p[3])) for p in spec["params"]]
    result = run_sweep(
        spec["scenario"]["text"], spec["scenario"]["origin"], params, spec["design"],
        int(spec["n"]), tuple(spec["outcomes"]), int(spec["trials"]), int(spec["seed"]),
        int(spec["chunk_size"]), executor,
    )  # fmt: skip
    kept = tables.study_points(store, row["study_id"])
    differing: list[str] = []
    if kept["point"].size != result.points.shape[0]:
        differing.append(f"the store holds {kept['point'].size} points of {result.points.shape[0]}")
        return differing, int(kept["point"].size)
    for what, a, b in (
        ("values", kept["values"], result.points),
        ("means", kept["means"], result.means),
        ("standard errors", kept["ses"], result.ses),
    ):
        if a.shape != b.shape or not np.array_equal(a, b, equal_nan=True):
            rows: list[int] = (
                np.flatnonzero(~np.all((a == b) | (np.isnan(a) & np.isnan(b)), axis=1)).tolist()
                if a.shape == b.shape
                else []
            )
            differing.append(f"{what} of points {', '.join(map(str, rows[:10]))}")
    hashes = [str(h) for h in kept["inputs_hash"]]
    if hashes != list(result.hashes):
        differing.append("resolved inputs of some points")
    return differing, int(kept["point"].size)


def rerun_study(store: Store, study_id: str, workers: int = 1) -> StudyRerun:
    """Run a stored study again from its spec and compare every stored number.

    Each variant's run must get the same run id (the same resolved inputs) and the
    same numbers, bit for bit (:meth:`anpo.store.Store.compare`); each sweep point the
    same values, means, standard errors and inputs hash. Refused, like a run's rerun,
    under another anpo or NumPy version.
    """
    row = tables.study(store, study_id)
    _check_versions(row)
    if row["status"] != "complete":
        raise StoreError(
            f"study {row['study_id']} did not finish (status {row['status']}): run it again "
            "to complete it before rerunning it"
        )
    spec = json.loads(row["spec_json"])
    with engine.executor_for(workers) as executor:
        if spec["type"] == "sweep":
            differing, checked = _rerun_sweep(store, row, spec, executor)
        else:
            differing, checked = _rerun_runs(store, row, spec, executor)
    return StudyRerun(row["study_id"], row["type"], not differing, differing, checked)


def study_tables(store: Store, study_id: str) -> dict[str, pd.DataFrame]:
    """The study's tables: ``variants``, a sweep's ``points`` (one row per point, the
    parameters then each outcome's mean and SE), and its result tables."""
    row = tables.study(store, study_id)
    spec = json.loads(row["spec_json"])
    out: dict[str, pd.DataFrame] = {}
    variants = tables.study_variants(store, row["study_id"])
    if not variants.empty:
        variants["changes"] = [json.dumps(c, sort_keys=True) for c in variants["changes"]]
        out["variants"] = variants
    if spec["type"] == "sweep":
        kept = tables.study_points(store, row["study_id"])
        data: dict[str, Any] = {"point": kept["point"]}
        n = kept["point"].size
        for j, p in enumerate(spec["params"]):
            data[p[0]] = kept["values"][:, j] if n else []
        for k, name in enumerate(spec["outcomes"]):
            data[f"{name}.mean"] = kept["means"][:, k] if n else []
            data[f"{name}.se"] = kept["ses"][:, k] if n else []
        data["inputs_hash"] = kept["inputs_hash"]
        out["points"] = pd.DataFrame(data)
    out.update(tables.study_results(store, row["study_id"]))
    return out


def _json_records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Records with every float exact and NaN as null (standard JSON)."""
    out = json.loads(tables.records_json(frame))
    return [
        {k: (None if isinstance(v, float) and v != v else v) for k, v in r.items()} for r in out
    ]


def _safe(name: str) -> str:
    return "".join(c if c.isalnum() or c in "-_" else "-" for c in name)


def export_study(
    store: Store, study_id: str, fmt: str, out_dir: str | Path, force: bool = False
) -> list[Path]:
    """Write a study's tables: one CSV file per table, or one JSON file with the study
    row, its spec and every table as records. Existing files are refused unless ``force``."""
    from anpo.store import refuse_overwrite

    if fmt not in ("csv", "json"):
        raise UsageError(f"unknown study export format {fmt!r}; use csv or json")
    row = tables.study(store, study_id)
    frames = study_tables(store, row["study_id"])
    out = Path(out_dir)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError(f"cannot create {out}: {exc}") from None
    stem = f"study-{row['study_id'][:12]}"
    if fmt == "json":
        target = out / f"{stem}.json"
        refuse_overwrite([target], force)
        payload = {
            "study": {k: v for k, v in row.items() if k != "spec_json"},
            "spec": json.loads(row["spec_json"]),
            "tables": {name: _json_records(frame) for name, frame in frames.items()},
        }
        target.write_text(
            json.dumps(payload, indent=1, default=str, allow_nan=False), encoding="utf-8"
        )
        return [target]
    targets = {name: out / f"{stem}-{_safe(name)}.csv" for name in frames}
    refuse_overwrite(list(targets.values()), force)
    for name, frame in frames.items():
        frame.to_csv(targets[name], index=False)
    return list(targets.values())


def recorded_sweep(
    store: Store | str | Path | None,
    text: str,
    origin: str,
    name: str,
    kind: str,
    params: Sequence[Any],
    design_name: str,
    n: int,
    outcomes: Sequence[str],
    trials: int,
    seed: int,
    chunk_size: int,
    executor: Any,
    progress: Any = None,
) -> Any:
    """:func:`anpo.studies.sweep.run_sweep`, every evaluated point kept in ``store``.

    Each point keeps its parameter values, its outcomes' means and standard errors
    and the hash of its resolved inputs (not its per-trial values); the Sobol
    indices of a ``saltelli`` design are kept as result tables ``sobol:<outcome>``.
    """
    import dataclasses

    from anpo.studies.sweep import run_sweep

    target = persistent(store)
    if target is None:
        return run_sweep(
            text, origin, params, design_name, n, outcomes, trials, seed, chunk_size,
            executor, progress,
        )  # fmt: skip
    spec = spec_of(
        "sweep", text, origin, params=[[p.path, p.low, p.high, p.integer] for p in params],
        design=design_name, n=n, outcomes=list(outcomes), trials=trials, seed=seed,
        chunk_size=chunk_size,
    )  # fmt: skip
    recorder = recorder_for(target, "sweep", name, kind, spec, seed, trials, chunk_size)
    result = run_sweep(
        text, origin, params, design_name, n, outcomes, trials, seed, chunk_size, executor,
        progress, record=recorder.points,
    )  # fmt: skip
    recorder.finish({f"sobol:{k}": v for k, v in result.sobol.items()})
    return dataclasses.replace(result, study_id=recorder.study_id)
