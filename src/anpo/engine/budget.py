"""Work checked before it starts: the memory a run will need, from its inputs.

A run's memory has two parts that grow with its size:

- the **outcomes**: every trial's outcome arrays, held until the run is stored, then
  laid out as the store's tidy rows. :data:`STORE_FACTOR` times their float64 size
  per trial covers both (measured: ``nk-raid-today``, 1,888 float64 bytes of outcomes
  per trial, peaks at 7,180 bytes per trial between 100,000 and 200,000 trials);
- the **chunk working set**: what the model allocates while it simulates one chunk,
  once per worker running a chunk at the same time.

A run of several chunks is measured on its own **first chunk**, which it needs
anyway (:func:`measure_chunk`): the chunk runs in this process with the peak of the
process's resident memory reset before it (Linux's ``/proc/self/clear_refs``), so its
working set is what it really touched, at the run's chunk size, with nothing
extrapolated; its outcome arrays give the outcome bytes per trial exactly.
:func:`check_measured` then refuses the run, before any other chunk starts and
before the store is opened. This costs nothing beyond reading two lines of
``/proc`` (the probes it replaces cost 0.2-0.5 s a run).

Where that is not possible (a run of one chunk larger than the default, a platform
without ``/proc``), :func:`estimate` measures both on the run's own inputs by
simulating tiny probe chunks (:data:`PROBE_TRIALS`) under :mod:`tracemalloc`, which
NumPy reports its arrays to: the outcome bytes per trial exactly, the working set
per trial as the growth of the peak between the last two probes. A run of one chunk
of at most the default size (:data:`SMALL_CHUNK`) is not checked: its memory is that
of one default chunk (at most about 0.2 GB for the shipped scenarios).
:func:`check_memory` and :func:`check_measured` refuse, with a message that says what
would fit, a run whose estimate exceeds the machine's limit (:func:`memory_limit`).
"""

from __future__ import annotations

import contextlib
import os
import time
import tracemalloc
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from anpo import defaults
from anpo.engine.chunks import ChunkTask, Outcomes, run_chunk, simulate_chunk
from anpo.errors import UsageError

STORE_FACTOR = 4.0
"""Bytes held per float64 outcome byte until a run is stored (arrays, then tidy rows)."""
PROBE_TRIALS = (4, 16, 64, 256)
"""Trials of the probe chunks (the first warms the model's caches); the last two measured
give the working set's growth per trial, extrapolated from the last one (a model that
simulates in fixed-size batches stops growing, so larger probes are truer)."""
MIN_PROBES = 2
"""Probes always run after the first (so 16 and 64 trials)."""
PROBE_S = 0.3
"""A larger probe is started only while the probes so far took less than this."""
SMALL_RUN = 64
"""A run of at most this many trials is no larger than the probes: it is not probed."""
SMALL_CHUNK = defaults.CHUNK_SIZE
"""A run of one chunk of at most this many trials is not checked (one default chunk)."""
FIXED_BYTES = 300 * 2**20
"""The interpreter, NumPy, the model's inputs and the store connection (about)."""
WORKER_BYTES = 200 * 2**20
"""One more worker process (a fresh interpreter that imports NumPy and the model)."""
LIMIT_SHARE = 0.8
"""The share of the machine's memory a run may plan to use."""
LIMIT_ENV = "ANPO_MEMORY_LIMIT"
"""An environment variable that sets the limit instead (bytes; suffix K, M or G allowed)."""


@dataclass(frozen=True)
class MemoryEstimate:
    """What a run will need, from its probe chunks, in bytes."""

    trials: int
    chunk_size: int
    workers: int
    outcome_bytes_per_trial: float
    """Float64 bytes of outcomes per trial (what the store keeps)."""
    chunk_bytes_per_trial: float
    """The growth of the model's working set per trial of a chunk."""
    probe_bytes: float = 0.0
    """The working set of the largest probe chunk."""
    probe_trials: int = 0
    """The trials of the largest probe chunk."""

    def chunk_bytes(self, n_trials: int) -> float:
        """The working set of one chunk of ``n_trials``."""
        extra = max(0, n_trials - self.probe_trials) * self.chunk_bytes_per_trial
        return self.probe_bytes + extra

    @property
    def concurrent(self) -> int:
        """Chunks simulated at the same time."""
        n_chunks = -(-self.trials // self.chunk_size)
        return max(1, min(self.workers, n_chunks))

    @property
    def outcomes_bytes(self) -> float:
        return self.trials * self.outcome_bytes_per_trial * STORE_FACTOR

    @property
    def chunks_bytes(self) -> float:
        return self.concurrent * self.chunk_bytes(min(self.chunk_size, self.trials))

    @property
    def total_bytes(self) -> float:
        workers = WORKER_BYTES * self.workers if self.workers > 1 else 0
        return FIXED_BYTES + workers + self.outcomes_bytes + self.chunks_bytes

    def max_trials(self, limit: float) -> int:
        """The most trials that fit ``limit`` with this chunk size and these workers."""
        room = limit - FIXED_BYTES - (WORKER_BYTES * self.workers if self.workers > 1 else 0)
        room -= self.workers * self.chunk_bytes(self.chunk_size)
        per_trial = self.outcome_bytes_per_trial * STORE_FACTOR
        return max(0, int(room // per_trial)) if per_trial > 0 else 0


def _probe(model: str, inputs: Any, n_trials: int) -> tuple[int, float]:
    """The traced peak bytes of simulating one chunk, and its float64 outcome bytes."""
    task = ChunkTask(model, inputs, seed=0, index=0, n_trials=n_trials)
    started = not tracemalloc.is_tracing()
    if started:
        tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        before = tracemalloc.get_traced_memory()[0]
        outcomes = simulate_chunk(task)
        peak = tracemalloc.get_traced_memory()[1] - before
    finally:
        if started:
            tracemalloc.stop()
    return peak, outcome_bytes_per_trial(outcomes, n_trials)


def outcome_bytes_per_trial(outcomes: Outcomes, n_trials: int) -> float:
    """Float64 bytes of outcome values per trial (what the store keeps), whatever their type."""
    return float(sum(np.asarray(a).reshape(n_trials, -1).shape[1] * 8 for a in outcomes.values()))


_STATUS = Path("/proc/self/status")
_CLEAR_REFS = Path("/proc/self/clear_refs")


def _status_kb(*keys: str) -> list[int] | None:
    """Lines ``VmRSS``, ``VmHWM``... of ``/proc/self/status`` in kB, or None."""
    try:
        text = _STATUS.read_text(encoding="ascii")
    except OSError:
        return None
    found = {}
    for line in text.splitlines():
        key, _, rest = line.partition(":")
        if key in keys:
            found[key] = int(rest.split()[0])
    return [found[k] for k in keys] if len(found) == len(keys) else None


def measure_chunk(task: ChunkTask) -> tuple[Outcomes, float | None]:
    """Run one chunk (:func:`~anpo.engine.chunks.run_chunk`) in this process, and the
    resident memory it added at its peak, in bytes (None where it cannot be read).

    The process's peak resident size is reset to its current size first (writing
    ``5`` to ``/proc/self/clear_refs``, Linux 4.0 and later), so the peak read after
    the chunk is the chunk's own: its arrays as the allocator really touched them.
    """
    before: list[int] | None = None
    try:
        _CLEAR_REFS.write_text("5", encoding="ascii")
        before = _status_kb("VmRSS", "VmHWM")
    except OSError:
        before = None
    outcomes = run_chunk(task)
    if before is None or before[1] > before[0]:  # the reset did not take
        return outcomes, None
    after = _status_kb("VmHWM")
    if after is None:
        return outcomes, None
    return outcomes, float(max(0, after[0] - before[0]) * 1024)


def check_measured(
    outcomes: Outcomes, working: float | None, task: ChunkTask, trials: int, workers: int
) -> MemoryEstimate:
    """Check a run's memory from its first chunk, measured by :func:`measure_chunk`.

    ``task`` is that chunk (its size is the run's chunk size when the run has more
    than one). Where the working set could not be measured, the chunk is probed
    instead (:func:`estimate`).

    Raises
    ------
    UsageError
        As :func:`check_memory`.
    """
    chunk_size = max(task.n_trials, 1)
    if working is None:
        est = estimate(task.model, task.inputs, trials, chunk_size, workers)
    else:
        est = MemoryEstimate(
            trials=trials,
            chunk_size=chunk_size,
            workers=workers,
            outcome_bytes_per_trial=outcome_bytes_per_trial(outcomes, task.n_trials),
            chunk_bytes_per_trial=working / chunk_size,
            probe_bytes=working,
            probe_trials=chunk_size,
        )
    return _refuse(est)


def estimate(model: str, inputs: Any, trials: int, chunk_size: int, workers: int) -> MemoryEstimate:
    """Measure a run's memory per trial on its own inputs (two tiny probe chunks)."""
    sizes = iter(PROBE_TRIALS)
    small = next(sizes)
    started = time.perf_counter()
    peak_small, out_per_trial = _probe(model, inputs, small)  # also warms up caches
    slope = peak_small / small
    for k, large in enumerate(sizes):
        if k >= MIN_PROBES and time.perf_counter() - started > PROBE_S:
            break
        peak_large, out_per_trial = _probe(model, inputs, large)
        slope = max(0.0, (peak_large - peak_small) / (large - small))
        small, peak_small = large, peak_large
    return MemoryEstimate(
        trials=trials,
        chunk_size=chunk_size,
        workers=workers,
        outcome_bytes_per_trial=out_per_trial,
        chunk_bytes_per_trial=max(slope, out_per_trial),
        probe_bytes=float(peak_small),
        probe_trials=small,
    )


def _parse_bytes(text: str) -> float | None:
    text = text.strip().upper().removesuffix("B")
    scale = {"K": 2**10, "M": 2**20, "G": 2**30, "T": 2**40}.get(text[-1:], 1)
    number = text[:-1] if text[-1:] in "KMGT" else text
    try:
        value = float(number) * scale
    except ValueError:
        return None
    return value if value > 0 else None


def machine_memory() -> float | None:
    """This machine's memory in bytes (the cgroup's limit when lower), or None."""
    found: list[float] = []
    with contextlib.suppress(ValueError, OSError, AttributeError):
        found.append(float(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")))
    for path in ("/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes"):
        try:
            text = Path(path).read_text(encoding="ascii").strip()
        except OSError:
            continue
        if text.isdigit() and int(text) < 2**60:
            found.append(float(text))
    return min(found) if found else None


def memory_limit() -> tuple[float | None, str]:
    """The bytes a run may plan to use, and where that limit comes from."""
    given = os.environ.get(LIMIT_ENV)
    if given:
        value = _parse_bytes(given)
        if value is not None:
            return value, f"${LIMIT_ENV}"
    total = machine_memory()
    if total is None:
        return None, "unknown"
    return total * LIMIT_SHARE, f"{LIMIT_SHARE:.0%} of this machine's {_gb(total)}"


def _gb(n: float) -> str:
    return f"{n / 2**30:.1f} GB"


def check_memory(
    model: str, inputs: Any, trials: int, chunk_size: int, workers: int
) -> MemoryEstimate:
    """Estimate a run's memory and refuse it, before any work, if it would not fit.

    Raises
    ------
    UsageError
        With the estimate, the limit, and the most trials that would fit.
    """
    if trials <= SMALL_RUN:
        return MemoryEstimate(trials, chunk_size, workers, 0.0, 0.0)
    return _refuse(estimate(model, inputs, trials, chunk_size, workers))


def _refuse(est: MemoryEstimate) -> MemoryEstimate:
    """``est``, or a :class:`UsageError` when it does not fit this machine's limit."""
    trials, chunk_size = est.trials, est.chunk_size
    limit, where = memory_limit()
    if limit is not None and est.total_bytes > limit:
        fit = est.max_trials(limit)
        advice = (
            f"at most about {fit:,} trials fit with these settings"
            if fit
            else "not even one chunk fits: use a smaller --chunk-size or fewer --workers"
        )
        raise UsageError(
            f"this run would need about {_gb(est.total_bytes)} of memory, more than the "
            f"{_gb(limit)} allowed ({where}): {trials:,} trials x "
            f"{est.outcome_bytes_per_trial * STORE_FACTOR:,.0f} bytes of outcomes per trial "
            f"({_gb(est.outcomes_bytes)}), plus {est.concurrent} chunk(s) of "
            f"{min(chunk_size, trials):,} trials being simulated ({_gb(est.chunks_bytes)}); "
            f"{advice}"
        )
    return est


__all__ = [
    "MemoryEstimate",
    "check_measured",
    "check_memory",
    "estimate",
    "machine_memory",
    "measure_chunk",
    "memory_limit",
]
