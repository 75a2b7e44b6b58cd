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
import contextlib
import ctypes
import ctypes.util
import multiprocessing
import os
import signal
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
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


PARENT_POLL_S = 0.5
"""How often a worker checks that the process that started it is still alive."""

_PR_SET_PDEATHSIG = 1  # prctl(2) option: the signal a process gets when its parent dies


def _die_with_parent(parent: int) -> None:
    """Worker initializer: end this worker when the process that started it ends.

    On Linux the kernel sends SIGKILL the moment the parent dies (``prctl`` with
    ``PR_SET_PDEATHSIG``); everywhere, a daemon thread also notices that the parent
    is gone (the worker is re-parented, ``os.getppid()`` changes) and exits. So a run
    killed by ``kill -9`` or SIGTERM leaves no worker computing for nobody, and the
    resource tracker, whose pipe the workers held, ends with them.
    """
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError, TypeError):
            libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
            libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent:  # the parent died before the line above ran
        os._exit(1)

    def watch() -> None:
        while os.getppid() == parent:
            threading.Event().wait(PARENT_POLL_S)
        os._exit(1)

    threading.Thread(target=watch, name="anpo-parent-watch", daemon=True).start()


def _stop(pool: cf.ProcessPoolExecutor) -> None:
    """Cancel what has not started and end the workers now, not after their chunk."""
    # ProcessPoolExecutor has no public way to end running workers before Python 3.14
    # (terminate_workers); its process table is read once, here, for that.
    workers = list((getattr(pool, "_processes", None) or {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for process in workers:
        with contextlib.suppress(Exception):
            process.terminate()
    for process in workers:
        with contextlib.suppress(Exception):
            process.join(5.0)


class LocalProcessExecutor:
    """Runs the tasks in a pool of ``workers`` local processes.

    Workers are started with the ``spawn`` method, so each one imports only what
    its tasks need (the model module), never the store or the interfaces. They die
    with the process that started them (:func:`_die_with_parent`). If the caller is
    interrupted (Ctrl-C, or SIGTERM turned into the same by the command line), the
    pending tasks are cancelled and the workers ended at once; nothing is returned.

    Used as a context manager, the pool is started once and reused by every
    :meth:`map` inside the block (the chunks of several runs, the variants of a
    comparison, the points of a sweep), and closed at its end; otherwise each
    :meth:`map` starts and closes its own.
    """

    def __init__(self, workers: int) -> None:
        if workers < 1:
            raise ValueError("workers must be at least 1")
        self.workers = workers
        self._pool: cf.ProcessPoolExecutor | None = None
        self._kept = False

    @property
    def kept(self) -> bool:
        """Whether a ``with`` block keeps its pool open across :meth:`map` calls."""
        return self._kept

    @property
    def started(self) -> bool:
        """Whether its workers are running (a pool kept open by a ``with`` block)."""
        return self._pool is not None

    def _start(self) -> cf.ProcessPoolExecutor:
        if self._pool is None:
            self._pool = cf.ProcessPoolExecutor(
                max_workers=self.workers,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=_die_with_parent,
                initargs=(os.getpid(),),
            )
        return self._pool

    def map(
        self, fn: Callable[[T], R], tasks: Sequence[T], on_done: OnDone | None = None
    ) -> list[R]:
        results: list[R | None] = [None] * len(tasks)
        pool = self._start()
        try:
            futures = {pool.submit(fn, task): i for i, task in enumerate(tasks)}
            for future in cf.as_completed(futures):
                i = futures[future]
                results[i] = future.result()
                if on_done is not None:
                    on_done(i)
        except BaseException:
            self._pool = None
            _stop(pool)
            raise
        if not self._kept:
            self.close()
        return [r for r in results if r is not None] if None not in results else _fail()

    def close(self) -> None:
        """End the pool's workers (a later :meth:`map` starts a new pool)."""
        pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=True)

    def __enter__(self) -> LocalProcessExecutor:
        self._kept = True
        return self

    def __exit__(self, *exc: object) -> None:
        self._kept = False
        self.close()


def _fail() -> list[R]:  # pragma: no cover - a task returned None, a bug in the model
    raise RuntimeError("an executor task returned no result")


def make_executor(workers: int) -> Executor:
    """In-process for one worker, a local process pool for more."""
    return InProcessExecutor() if workers <= 1 else LocalProcessExecutor(workers)


@contextlib.contextmanager
def executor_for(
    workers: int = 1, dask: bool = False, scheduler: str | None = None
) -> Iterator[Executor]:
    """The executor a command asked for, started once and closed at the end.

    ``scheduler`` (``tcp://HOST:PORT``): a running Dask cluster; ``dask``: a local
    Dask cluster of ``workers`` processes; otherwise this process for one worker and
    a local process pool for more, reused by every run inside the block.
    """
    if scheduler is not None or dask:
        from anpo.engine.cluster import DaskExecutor

        with DaskExecutor(scheduler, workers=max(workers, 1)) as cluster:
            yield cluster
        return
    if workers <= 1:
        yield InProcessExecutor()
        return
    with LocalProcessExecutor(workers) as pool:
        yield pool
