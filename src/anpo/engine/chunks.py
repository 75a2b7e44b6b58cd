"""Trials in chunks, and the random stream of each chunk.

A run of N trials is cut into chunks of a size fixed by the run (and recorded
with it), never derived from the number of workers. Chunk k draws from

    np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(k,)))

which is exactly ``SeedSequence(seed).spawn(n_chunks)[k]``, so the results
depend only on (inputs, seed, chunk size, N): one worker or sixteen, local
processes or a cluster, give the same numbers. Two variants run with the same
seed share their random numbers (common random numbers).
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import importlib
import sys
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from anpo import defaults

Outcomes = dict[str, NDArray[Any]]
"""A chunk's outcome arrays, trial axis first (the engine knows no model's names)."""

DEFAULT_CHUNK_SIZE = defaults.CHUNK_SIZE
MAX_CHUNK_SIZE = defaults.MAX_CHUNK_SIZE


@dataclass(frozen=True)
class ChunkTask:
    """One chunk of trials: everything a worker needs, and nothing else.

    ``model`` is the dotted name of the model module; the worker imports only it.
    """

    model: str
    inputs: Any
    seed: int
    index: int
    n_trials: int

    def generator(self) -> np.random.Generator:
        """The chunk's generator: child ``index`` of ``SeedSequence(seed)``."""
        return np.random.default_rng(np.random.SeedSequence(self.seed, spawn_key=(self.index,)))


def plan(model: str, inputs: Any, n_trials: int, seed: int, chunk_size: int) -> list[ChunkTask]:
    """Cut ``n_trials`` into chunks of ``chunk_size`` (the last one may be shorter)."""
    if n_trials < 1:
        raise ValueError("n_trials must be at least 1")
    if not 1 <= chunk_size <= MAX_CHUNK_SIZE:
        raise ValueError(f"chunk_size must be between 1 and {MAX_CHUNK_SIZE}")
    if seed < 0:
        raise ValueError("seed must be a non-negative integer")
    tasks = []
    for index, start in enumerate(range(0, n_trials, chunk_size)):
        tasks.append(ChunkTask(model, inputs, seed, index, min(chunk_size, n_trials - start)))
    return tasks


def simulate_chunk(task: ChunkTask) -> Outcomes:
    """Run one chunk's model, its outcome arrays as the model returns them."""
    module = importlib.import_module(task.model)
    outcomes: Outcomes = module.simulate(task.inputs, task.generator(), task.n_trials)
    return outcomes


_INTS = (np.int8, np.int16, np.int32, np.int64)


def narrow(outcomes: Outcomes) -> Outcomes:
    """The same numbers in the smallest integer type that holds them (lossless).

    Counts and codes are integers: a chunk's array of them becomes ``int8`` when its
    values fit, else ``int16``, ``int32``; float and boolean arrays are unchanged.
    A worker sends back a quarter to an eighth of the bytes, and a run holds less.
    """
    out: Outcomes = {}
    for name, a in outcomes.items():
        if a.dtype.kind in "iu" and a.size:
            lo, hi = int(a.min()), int(a.max())
            for t in _INTS:
                info = np.iinfo(t)
                if info.min <= lo and hi <= info.max:
                    a = a.astype(t, copy=False)
                    break
        out[name] = a
    return out


MMAP_THRESHOLD = 32 * 2**20
"""Allocations above this go to their own pages, returned at once when freed (glibc's most)."""
TRIM_THRESHOLD = 128 * 2**20
"""Freed memory kept for reuse before the heap is given back to the system."""
_tuned: list[bool] = []


def tune_allocator() -> None:
    """Let the C allocator keep a chunk's freed arrays for the next chunk (glibc, once).

    A model allocates and frees the same large temporaries in every chunk. By
    default glibc serves each from fresh pages and returns them when freed, so every
    chunk pays the kernel to fault its pages in again: 15-25% of the missile-defence
    model's time in whole runs (measured: nk-raid-2010, 200,000 trials, 0.6 s of
    system time of 3.1 s). With ``mallopt`` thresholds of :data:`MMAP_THRESHOLD` and
    :data:`TRIM_THRESHOLD` they are reused instead. Only speed changes, never a number;
    elsewhere than glibc this does nothing.
    """
    if _tuned:
        return
    _tuned.append(True)
    if not sys.platform.startswith("linux"):
        return
    with contextlib.suppress(OSError, AttributeError, TypeError):
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        libc.mallopt(-3, MMAP_THRESHOLD)  # M_MMAP_THRESHOLD
        libc.mallopt(-1, TRIM_THRESHOLD)  # M_TRIM_THRESHOLD


def run_chunk(task: ChunkTask) -> Outcomes:
    """Run one chunk (in whatever process the executor chose), integers narrowed."""
    tune_allocator()
    return narrow(simulate_chunk(task))


class Assembly:
    """A run's outcome arrays, filled chunk by chunk as chunks finish, in any order.

    Each outcome gets one array for all ``n_trials`` trials, of the type of the first
    chunk added; a later chunk whose values need a wider type (:func:`narrow` may give
    each chunk its own) widens it to the type that holds both, so the result is that
    of :func:`concatenate`: the same values in the widest of the chunks' types.
    """

    def __init__(self, n_trials: int, chunk_size: int) -> None:
        self.n_trials = n_trials
        self.chunk_size = chunk_size
        self.arrays: Outcomes = {}

    def add(self, task: ChunkTask, outcomes: Outcomes) -> None:
        """Copy one chunk's outcomes into place (chunk ``task.index``'s trials)."""
        if not self.arrays:
            for name, a in outcomes.items():
                self.arrays[name] = np.empty((self.n_trials, *a.shape[1:]), dtype=a.dtype)
        start = task.index * self.chunk_size
        for name, a in outcomes.items():
            full = self.arrays[name]
            dtype = np.result_type(full, a)
            if dtype != full.dtype:
                full = self.arrays[name] = full.astype(dtype)
            full[start : start + a.shape[0]] = a

    def result(self) -> Outcomes:
        """The run's outcome arrays (every chunk added)."""
        return self.arrays


def concatenate(parts: list[Outcomes]) -> Outcomes:
    """Join chunk outcomes along the trial axis, in chunk order.

    Each outcome gets one array of the type that holds every chunk's values (the
    widest of the chunks' types), filled chunk by chunk.
    """
    if not parts:
        return {}
    out: Outcomes = {}
    n = sum(int(p[next(iter(p))].shape[0]) for p in parts)
    for name in parts[0]:
        arrays = [p[name] for p in parts]
        dtype = np.result_type(*arrays)
        full = np.empty((n, *arrays[0].shape[1:]), dtype=dtype)
        start = 0
        for a in arrays:
            full[start : start + a.shape[0]] = a
            start += a.shape[0]
        out[name] = full
    return out
