"""The engine: trials, seeds, chunking, progress and executors.

It knows no specific model: it is given the dotted name of a model module and
its inputs, and runs ``simulate`` on chunks of trials through an executor.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Iterator
from typing import Any

from anpo.engine.budget import measure_chunk
from anpo.engine.chunks import (
    DEFAULT_CHUNK_SIZE,
    MAX_CHUNK_SIZE,
    Assembly,
    ChunkTask,
    Outcomes,
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
BATCH_PER_WORKER = 8
"""Chunks per worker handed to an executor at a time (bounds what a run holds twice)."""
POOL_MIN_WORK_S = 2.0
"""A local pool not yet started is started only for more than this many seconds of
chunks left after the first (as timed in this process): starting workers that each
import NumPy and the model costs about a second of the machine's time, more than it
saves on a few chunks."""
FirstChunk = Callable[[Outcomes, float | None, ChunkTask], None]
"""Called with the first chunk's outcomes, the resident memory it took (bytes, or None)
and its task, before any other chunk starts; it may refuse the run by raising."""


def run_trials(
    model: str,
    inputs: Any,
    n_trials: int,
    seed: int,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    executor: Executor | None = None,
    progress: Progress | None = None,
    first: FirstChunk | None = None,
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
    first
        When given, the first chunk runs in this process first, measured
        (:func:`anpo.engine.budget.measure_chunk`), and ``first`` sees it before any
        other chunk starts (to check the run's memory and open its store). If the
        chunks left would take at most :data:`POOL_MIN_WORK_S` here, a local pool not
        yet started is not started: they run in this process. The numbers are the
        same either way: a chunk's results do not depend on where it runs.

    Chunks run in this process are copied into the run's arrays as each finishes
    (:class:`~anpo.engine.chunks.Assembly`), so a run holds its outcomes about once,
    not twice.
    """
    tasks = plan(model, inputs, n_trials, seed, chunk_size)
    runner = executor or InProcessExecutor()
    assembly = Assembly(n_trials, chunk_size)
    done = 0

    def tick() -> None:
        nonlocal done
        done += 1
        if progress is not None:
            progress(done, len(tasks))

    if progress is not None:
        progress(0, len(tasks))
    rest = tasks
    if first is not None:
        started = time.perf_counter()
        outcomes, working = measure_chunk(tasks[0])
        chunk_s = time.perf_counter() - started
        first(outcomes, working, tasks[0])
        assembly.add(tasks[0], outcomes)
        del outcomes
        tick()
        rest = tasks[1:]
        pool = isinstance(runner, LocalProcessExecutor) and not runner.started
        if pool and len(rest) * chunk_s <= POOL_MIN_WORK_S:
            runner = InProcessExecutor()  # the same numbers, without the start-up
    if isinstance(runner, InProcessExecutor):
        for task in rest:
            assembly.add(task, run_chunk(task))
            tick()
    else:
        # in batches, each copied into place and released before the next: a run holds
        # its outcomes once plus a batch, not twice
        batch = max(1, BATCH_PER_WORKER * int(getattr(runner, "workers", 1)))
        with _kept_open(runner):
            for b in range(0, len(rest), batch):
                todo = rest[b : b + batch]
                parts = runner.map(run_chunk, todo, lambda _: tick())
                for task, part in zip(todo, parts, strict=True):
                    assembly.add(task, part)
                del parts
    return assembly.result()


@contextlib.contextmanager
def _kept_open(runner: Executor) -> Iterator[None]:
    """Keep a local pool open across the batches of one run (if its caller did not)."""
    if isinstance(runner, LocalProcessExecutor) and not runner.kept:
        with runner:
            yield
    else:
        yield


__all__ = [
    "DEFAULT_CHUNK_SIZE",
    "MAX_CHUNK_SIZE",
    "ChunkTask",
    "Executor",
    "FirstChunk",
    "InProcessExecutor",
    "LocalProcessExecutor",
    "Outcomes",
    "executor_for",
    "make_executor",
    "plan",
    "run_chunk",
    "run_trials",
]
