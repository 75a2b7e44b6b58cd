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

import importlib
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


def run_chunk(task: ChunkTask) -> Outcomes:
    """Run one chunk (in whatever process the executor chose)."""
    module = importlib.import_module(task.model)
    outcomes: Outcomes = module.simulate(task.inputs, task.generator(), task.n_trials)
    return outcomes


def concatenate(parts: list[Outcomes]) -> Outcomes:
    """Join chunk outcomes along the trial axis, in chunk order."""
    if not parts:
        return {}
    return {name: np.concatenate([p[name] for p in parts], axis=0) for name in parts[0]}
