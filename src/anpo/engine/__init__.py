"""The engine: trials, seeds, chunking, progress and executors.

It knows no specific model: it is given the dotted name of a model module and
its inputs, and runs ``simulate`` on chunks of trials through an executor.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from anpo.engine.chunks import (
    DEFAULT_CHUNK_SIZE,
    MAX_CHUNK_SIZE,
    ChunkTask,
    Outcomes,
    concatenate,
    plan,
    run_chunk,
)
from anpo.engine.executors import (
    Executor,
    InProcessExecutor,
    LocalProcessExecutor,
    executor_for,
    make_executor,
)

Progress = Callable[[int, int], None]


def run_trials(
    model: str,
    inputs: Any,
    n_trials: int,
    seed: int,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    executor: Executor | None = None,
    progress: Progress | None = None,
) -> Outcomes:
    """Run ``n_trials`` trials of a model and return its outcome arrays.

    Parameters
    ----------
    model
        Dotted name of the model module (a kind's ``model``, :mod:`anpo.kinds`).
    inputs
        The model's inputs dataclass.
    n_trials, seed, chunk_size
        Together with ``inputs`` they fix the results exactly (see
        :mod:`anpo.engine.chunks`).
    executor
        Where the chunks run; in this process by default.
    progress
        Called as ``progress(chunks_done, chunks_total)`` after each chunk.
    """
    tasks = plan(model, inputs, n_trials, seed, chunk_size)
    runner = executor or InProcessExecutor()
    done = 0

    def on_done(_: int) -> None:
        nonlocal done
        done += 1
        if progress is not None:
            progress(done, len(tasks))

    if progress is not None:
        progress(0, len(tasks))
    return concatenate(runner.map(run_chunk, tasks, on_done))


__all__ = [
    "DEFAULT_CHUNK_SIZE",
    "MAX_CHUNK_SIZE",
    "ChunkTask",
    "Executor",
    "InProcessExecutor",
    "LocalProcessExecutor",
    "executor_for",
    "make_executor",
    "plan",
    "run_chunk",
    "run_trials",
]
