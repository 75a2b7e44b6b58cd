"""The Python API, mirroring the CLI: load a scenario, run it, keep or rerun the run.

>>> import anpo
>>> result = anpo.run(anpo.load_scenario("nk-raid-2010"), trials=2000, seed=1)
>>> result.summary().query("outcome == 'leakers'")[["mean", "se", "p05", "p95"]]  # doctest: +SKIP

:func:`run` writes to a store only when one is given (``store=``); otherwise its
tables live in a private in-memory database for the life of the result.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import platform
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any

from numpy.typing import NDArray

from anpo import defaults, engine, scenario
from anpo.engine import budget
from anpo.errors import StoreError, UsageError, VersionMismatch
from anpo.kinds import headline, registry
from anpo.models.base import OutcomeSpec
from anpo.store import RunRecord, Store, versions_json

if TYPE_CHECKING:
    import pandas as pd

DEFAULT_TRIALS = defaults.TRIALS
DEFAULT_SEED = defaults.SEED
DEFAULT_CHUNK_SIZE = defaults.CHUNK_SIZE
MAX_TRIALS = 1_500_000
"""The most trials of one run: what the largest shipped scenario (nk-raid-today, about
10 KB per trial until stored) fits in a 24 GB machine. Every run is also checked
against this machine's memory before its work (:mod:`anpo.engine.budget`)."""
MAX_WORKERS = 64
VERSIONED = ("numpy", "pandas", "duckdb", "pydantic", "pyyaml", "matplotlib")

Progress = Callable[[int, int], None]

# What each release changed in the numbers a stored run would give; rerun names them.
RESULT_CHANGES: dict[str, str] = {
    "0.4.0": "random streams and labels are keyed by identity (a threat by its group and "
    "its index within the group, an interceptor or missile type by name), no longer by "
    "position in the raid, so every missile-defence trial (and an air-base raid met by PAC-3) "
    "draws different numbers, and "
    "threat and fire-unit labels are renumbered within their group",
    "0.5.0": "missile-defence ships open their windows when they first hold a radar track "
    "(own radar, or a remote one shared under an arrangement in force), SM-3 intercepts "
    "without engage-on-remote stay within the ship's radar range, the kill assessment is "
    "the knowledge base's (60 s for SM-3, was 30 s), SM-6 and THAAD layers are in force "
    "on their dates, and runs add the ran-dry outcomes; 'population_at_risk' is renamed "
    "population_near_impacts",
}


def _release(version: str) -> tuple[int, ...] | None:
    """The leading numeric parts of a version ("0.4.0" -> (0, 4, 0)); None if none."""
    parts = []
    for piece in version.split("."):
        digits = ""
        for ch in piece:
            if not ch.isdigit():
                break
            digits += ch
        if not digits:
            break
        parts.append(int(digits))
        if len(digits) < len(piece):
            break
    return tuple(parts) or None


def result_changes(then: str, now: str) -> list[str]:
    """The recorded changes to results between two anpo versions, oldest first."""
    a, b = _release(then), _release(now)
    lo, hi = (a, b) if a is None or b is None or a <= b else (b, a)
    out = []
    for version in sorted(RESULT_CHANGES, key=lambda v: _release(v) or ()):
        v = _release(version)
        if v is not None and (lo is None or v > lo) and (hi is None or v <= hi):
            out.append(f"anpo {version}: {RESULT_CHANGES[version]}")
    return out


def anpo_version() -> str:
    try:
        return metadata.version("anpo")
    except metadata.PackageNotFoundError:  # pragma: no cover - running from a bare tree
        return "0+unknown"


def dependency_versions() -> dict[str, str]:
    """Versions of Python and of the packages that can change results or their storage."""
    out = {"python": platform.python_version(), "anpo": anpo_version()}
    for name in VERSIONED:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:  # pragma: no cover
            out[name] = "absent"
    return out


def run_id_for(scenario_hash: str, seed: int, n_trials: int, chunk_size: int) -> str:
    """The id of a run: a hash of everything that fixes its numbers.

    The resolved inputs (through their hash), the seed, the trial count, the chunk
    size, anpo's version and NumPy's (whose generators draw the numbers).
    """
    versions = dependency_versions()
    key = json.dumps(
        [scenario_hash, seed, n_trials, chunk_size, versions["anpo"], versions["numpy"]]
    )
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]


def load_scenario(ref: str | Path) -> scenario.Scenario:
    """Read and check a scenario: a YAML path or the name of a shipped scenario."""
    return scenario.load_scenario(ref)


def check_run(trials: int, seed: int, workers: int, chunk_size: int) -> None:
    """Refuse run settings outside their ranges, all at once (a :class:`UsageError`)."""
    _check(trials, seed, workers, chunk_size)


def _check(trials: int, seed: int, workers: int, chunk_size: int) -> None:
    problems = []
    if not 1 <= trials <= MAX_TRIALS:
        problems.append(f"trials must be between 1 and {MAX_TRIALS:,} (got {trials})")
    if not 0 <= seed < 2**63:
        problems.append(f"seed must be a non-negative integer below 2**63 (got {seed})")
    if not 1 <= workers <= MAX_WORKERS:
        problems.append(f"workers must be between 1 and {MAX_WORKERS} (got {workers})")
    if not 1 <= chunk_size <= engine.MAX_CHUNK_SIZE:
        problems.append(
            f"chunk size must be between 1 and {engine.MAX_CHUNK_SIZE:,} (got {chunk_size})"
        )
    if problems:
        raise UsageError("; ".join(problems))


@dataclass
class RunResult:
    """One run: its record, per-trial outcome arrays, ledger, and tidy tables."""

    record: RunRecord
    outcomes: dict[str, NDArray[Any]]
    ledger: list[dict[str, Any]]
    specs: dict[str, OutcomeSpec]
    labels: dict[str, tuple[str, ...]]
    store: Store
    stored: bool = False
    _in_store: bool = field(default=False, repr=False)

    @property
    def run_id(self) -> str:
        return self.record.run_id

    def _ensure(self) -> Store:
        if not self._in_store:
            self.store.save(self.record, self.ledger, self.outcomes, self.specs, self.labels)
            self._in_store = True
        return self.store

    def tables(self) -> dict[str, pd.DataFrame]:
        """The run's tidy tables: ``run``, ``parameters`` and ``outcomes``."""
        store = self._ensure()
        import pandas as pd

        run = pd.DataFrame([store.run(self.run_id)])
        return {
            "run": run,
            "parameters": store.parameters(self.run_id),
            "outcomes": store.outcomes(self.run_id),
        }

    def summary(self) -> pd.DataFrame:
        """Mean, Monte Carlo standard error and 5th-95th percentiles of every outcome."""
        return self._ensure().summary(self.run_id)

    def headline(self) -> list[headline.Figure]:
        """The kind's headline figures, from the outcome arrays in memory (no query).

        The same statistics as the report's, which reads them from the store.
        """
        dims = {name: spec.dims for name, spec in self.specs.items()}
        return headline.from_arrays(
            registry.get(self.record.kind).views, self.outcomes, self.labels, dims
        )

    def notes(self) -> list[str]:
        """The kind's lines about this run in words (``Views.notes``), if it has any."""
        notes = registry.get(self.record.kind).views.notes
        return notes(self.outcomes, self.labels) if notes is not None else []

    def report(self, out_dir: str | Path) -> Path:
        """Write the self-contained HTML report of this run; returns its path.

        A report of this run already there is replaced: its name holds the run id, and
        the same run gives the same report."""
        from anpo.report import write_report

        return write_report(self._ensure(), self.run_id, out_dir, force=True)


def _as_store(store: Store | str | Path | None) -> tuple[Store, bool]:
    if store is None:
        return Store(":memory:"), False
    if isinstance(store, Store):
        return store, store.path != ":memory:"
    return Store(store), True


def _default_executor(workers: int, trials: int, chunk_size: int) -> engine.Executor:
    """This process for one worker or a run of one chunk (starting processes would cost
    more than the trials), else a local pool of ``workers`` processes."""
    chunks = -(-trials // chunk_size)
    return engine.make_executor(workers if chunks > 1 else 1)


def _before_the_rest(
    model: str, inputs: Any, trials: int, chunk_size: int, workers: int, target: Store | None
) -> engine.FirstChunk | None:
    """What a run checks before its work: its memory and (``target``) its store.

    A run of several chunks checks them after its first chunk, measured in this
    process (:func:`anpo.engine.budget.check_measured`; no probe chunks), and before
    any other chunk starts or the store is touched; returns that check. A run of one
    chunk is checked now, by probes only when that chunk is larger than the default
    (:data:`anpo.engine.budget.SMALL_CHUNK`), and its store opened now; returns None.
    """
    persistent = target is not None and target.path != ":memory:"
    if trials <= chunk_size:
        if trials > budget.SMALL_CHUNK:
            budget.check_memory(model, inputs, trials, chunk_size, workers)
        if persistent and target is not None:
            target.preflight()  # a bad or busy --db is found before any computing
        return None

    def first(outcomes: engine.Outcomes, working: float | None, task: engine.ChunkTask) -> None:
        budget.check_measured(outcomes, working, task, trials, workers)
        if persistent and target is not None:
            target.preflight()  # a bad or busy --db is found before the other chunks

    return first


def run(
    spec: scenario.Scenario | str | Path,
    trials: int = DEFAULT_TRIALS,
    seed: int = DEFAULT_SEED,
    workers: int = 1,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    store: Store | str | Path | None = None,
    progress: Progress | None = None,
    executor: engine.Executor | None = None,
) -> RunResult:
    """Resolve a scenario, run it under uncertainty, and (when asked) store the run.

    Parameters
    ----------
    spec
        A :class:`~anpo.scenario.Scenario`, a YAML path or a shipped scenario's name.
    trials, seed, chunk_size
        Fix the results exactly, whatever ``workers`` is.
    workers
        Local worker processes (1 runs in this process).
    store
        A :class:`~anpo.store.Store` or a database path to write the run to.
    progress
        ``progress(chunks_done, chunks_total)`` after each chunk.
    executor
        Where the chunks run, kept by the caller across runs (an
        :func:`anpo.engine.executor_for` block: a local pool or a Dask cluster);
        default: this process for one worker or one chunk, else a local pool of
        ``workers`` processes for this run.
    """
    _check(trials, seed, workers, chunk_size)
    sc = spec if isinstance(spec, scenario.Scenario) else load_scenario(spec)
    resolved = scenario.resolve(sc)
    model = registry.get(sc.kind).model
    target, persistent = _as_store(store)
    started = time.perf_counter()
    outcomes = engine.run_trials(
        model,
        resolved.inputs,
        trials,
        seed,
        chunk_size,
        executor or _default_executor(workers, trials, chunk_size),
        progress,
        first=_before_the_rest(model, resolved.inputs, trials, chunk_size, workers, target),
    )
    wall = time.perf_counter() - started
    digest = resolved.digest()
    record = RunRecord(
        run_id=run_id_for(digest, seed, trials, chunk_size),
        name=sc.name,
        kind=sc.kind,
        model=model,
        scenario_date=str(sc.date),
        scenario_origin=sc.origin,
        scenario_yaml=sc.text,
        inputs_json=resolved.inputs_json(),
        scenario_hash=digest,
        seed=seed,
        n_trials=trials,
        chunk_size=chunk_size,
        anpo_version=anpo_version(),
        versions_json=versions_json(dependency_versions()),
        created_at=dt.datetime.now(dt.UTC).replace(tzinfo=None).isoformat(" ", "seconds"),
        wall_s=wall,
    )
    result = RunResult(
        record=record,
        outcomes=outcomes,
        ledger=[e.as_dict() for e in resolved.ledger],
        specs=dict(registry.model(sc.kind).OUTCOMES),
        labels=dict(resolved.inputs.labels),
        store=target,
    )
    if persistent:
        result.stored = (
            target.save(record, result.ledger, outcomes, result.specs, result.labels) or True
        )
        result._in_store = True
    return result


@dataclass(frozen=True)
class Rerun:
    """The outcome of rerunning a stored run."""

    run_id: str
    identical: bool
    differing: list[str]
    n_trials: int
    wall_s: float
    version_then: str
    version_now: str


def rerun(
    run_id: str,
    store: Store | str | Path | None = None,
    workers: int = 1,
    progress: Progress | None = None,
) -> Rerun:
    """Run a stored run again from the inputs the store kept, and compare every number.

    A run is replayed only by the anpo version (and NumPy version) that made it: a
    different version may draw or compute differently, so it is refused with a
    message naming the version that made the run, never silently recomputed.
    """
    target = store if isinstance(store, Store) else Store(store)
    row = target.run(run_id)
    then = json.loads(row["versions_json"])
    now = dependency_versions()
    for package in ("anpo", "numpy"):
        if then.get(package) != now[package]:
            changes = (
                result_changes(str(then.get(package)), now[package]) if package == "anpo" else []
            )
            why = " Since then: " + "; ".join(changes) + "." if changes else ""
            raise VersionMismatch(
                f"run {row['run_id']} was made by {package} {then.get(package)}; this is "
                f"{package} {now[package]}. Results from another version are not comparable "
                f"bit for bit: install {package}=={then.get(package)} to replay it.{why}"
            )
    _check(row["n_trials"], row["seed"], workers, row["chunk_size"])
    inputs = scenario.inputs_from_json(row["kind"], json.loads(row["inputs_json"]))
    started = time.perf_counter()
    outcomes = engine.run_trials(
        row["model"],
        inputs,
        row["n_trials"],
        row["seed"],
        row["chunk_size"],
        _default_executor(workers, row["n_trials"], row["chunk_size"]),
        progress,
        first=_before_the_rest(
            row["model"], inputs, row["n_trials"], row["chunk_size"], workers, None
        ),
    )
    wall = time.perf_counter() - started
    differing = target.compare(row["run_id"], outcomes)  # every stored number, bit for bit
    return Rerun(
        run_id=row["run_id"],
        identical=not differing,
        differing=differing,
        n_trials=row["n_trials"],
        wall_s=wall,
        version_then=row["anpo_version"],
        version_now=anpo_version(),
    )


def show(ref: str | Path | scenario.Scenario) -> scenario.Resolved:
    """Resolve a scenario without running it: its inputs and assumption ledger."""
    sc = ref if isinstance(ref, scenario.Scenario) else load_scenario(ref)
    return scenario.resolve(sc)


def open_store(path: str | Path | None = None) -> Store:
    """The results store at ``path`` (default: ``$ANPO_DB`` or the user data directory)."""
    return Store(path)


__all__ = [
    "DEFAULT_CHUNK_SIZE",
    "DEFAULT_SEED",
    "DEFAULT_TRIALS",
    "Rerun",
    "RunResult",
    "StoreError",
    "load_scenario",
    "open_store",
    "rerun",
    "run",
    "show",
]
