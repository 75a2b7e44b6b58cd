"""A Dask cluster as an executor: the same chunks, the same numbers, more machines.

:class:`DaskExecutor` implements :meth:`~anpo.engine.executors.Executor.map` on
``distributed.Client.map``: tasks go to the cluster's workers, results come back in
task order. Because a chunk's random numbers depend only on the run's seed and the
chunk's index, a cluster gives exactly the numbers one process gives.

``DaskExecutor()`` starts a ``distributed.LocalCluster`` of worker processes on this
machine, listening on the loopback address only; ``DaskExecutor("tcp://HOST:PORT")``
uses a running cluster (started with ``dask scheduler`` and ``dask worker``, each
worker in an environment with anpo installed). Use it as a context manager, or call
:meth:`close`, so the cluster it started stops with it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from types import TracebackType
from typing import Any, TypeVar

from anpo.engine.executors import OnDone

T = TypeVar("T")
R = TypeVar("R")

__all__ = ["DaskExecutor"]


class DaskExecutor:
    """Runs tasks on a Dask cluster: a local one it starts, or one at ``scheduler``."""

    def __init__(self, scheduler: str | None = None, workers: int = 2) -> None:
        try:
            from distributed import Client, LocalCluster
        except ImportError as exc:  # pragma: no cover - a dependency of anpo
            raise RuntimeError("the Dask executor needs the 'distributed' package") from exc
        self._cluster: Any = None
        if scheduler is None:
            self._cluster = LocalCluster(
                n_workers=workers,
                threads_per_worker=1,
                processes=True,
                host="127.0.0.1",
                dashboard_address=None,
                silence_logs=40,
            )
            self.client: Any = Client(self._cluster)
        else:
            self.client = Client(scheduler, timeout=30)
        self.address = str(self.client.scheduler.address)

    def map(
        self, fn: Callable[[T], R], tasks: Sequence[T], on_done: OnDone | None = None
    ) -> list[R]:
        from distributed import as_completed

        futures = self.client.map(fn, list(tasks), pure=False)
        index = {f.key: i for i, f in enumerate(futures)}
        results: list[Any] = [None] * len(futures)
        try:
            for future in as_completed(futures):
                i = index[future.key]
                results[i] = future.result()
                if on_done is not None:
                    on_done(i)
        except BaseException:
            self.client.cancel(futures)
            raise
        return results

    def close(self) -> None:
        """Disconnect, and stop the cluster this executor started (if it did)."""
        self.client.close()
        if self._cluster is not None:
            self._cluster.close()

    def __enter__(self) -> DaskExecutor:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
