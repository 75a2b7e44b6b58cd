"""Executors: "run these chunks" as one small interface.

An executor takes a picklable, module-level function and a list of tasks, runs
them in any order on any workers, and returns the results in task order,
calling ``on_done`` once per finished task (for progress). Implementations:
:class:`InProcessExecutor` (no parallelism), :class:`LocalProcessExecutor`
(a pool of local processes). A cluster executor (for example on Dask's
``Client.map``) only has to implement :meth:`Executor.map` the same way.
"""

from __future__ import annotations

import concurrent.futures as cf
import multiprocessing
from collections.abc import Callable, Sequence
from typing import Protocol, TypeVar

T = TypeVar("T")
R = TypeVar("R")

OnDone = Callable[[int], None]


class Executor(Protocol):
    """Anything that can run tasks and return their results in task order."""

    def map(
        self, fn: Callable[[T], R], tasks: Sequence[T], on_done: OnDone | None = None
    ) -> list[R]: ...


class InProcessExecutor:
    """Runs the tasks one after another in this process."""

    def map(
        self, fn: Callable[[T], R], tasks: Sequence[T], on_done: OnDone | None = None
    ) -> list[R]:
        out = []
        for i, task in enumerate(tasks):
            out.append(fn(task))
            if on_done is not None:
                on_done(i)
        return out


class LocalProcessExecutor:
    """Runs the tasks in a pool of ``workers`` fresh local processes.

    Workers are started with the ``spawn`` method, so each one imports only what
    its tasks need (the model module), never the store or the interfaces. If the
    caller is interrupted (Ctrl-C) the pool is shut down and pending tasks are
    cancelled; nothing is returned.
    """

    def __init__(self, workers: int) -> None:
        if workers < 1:
            raise ValueError("workers must be at least 1")
        self.workers = workers

    def map(
        self, fn: Callable[[T], R], tasks: Sequence[T], on_done: OnDone | None = None
    ) -> list[R]:
        results: list[R | None] = [None] * len(tasks)
        context = multiprocessing.get_context("spawn")
        pool = cf.ProcessPoolExecutor(max_workers=self.workers, mp_context=context)
        try:
            futures = {pool.submit(fn, task): i for i, task in enumerate(tasks)}
            for future in cf.as_completed(futures):
                i = futures[future]
                results[i] = future.result()
                if on_done is not None:
                    on_done(i)
        except BaseException:
            pool.shutdown(wait=False, cancel_futures=True)
            raise
        pool.shutdown(wait=True)
        return [r for r in results if r is not None] if None not in results else _fail()


def _fail() -> list[R]:  # pragma: no cover - a task returned None, a bug in the model
    raise RuntimeError("an executor task returned no result")


def make_executor(workers: int) -> Executor:
    """In-process for one worker, a local process pool for more."""
    return InProcessExecutor() if workers <= 1 else LocalProcessExecutor(workers)
