"""Background runs: one thread per run, with progress, limits and nothing half-stored.

A :class:`JobManager` starts :func:`anpo.run` in a daemon thread (``workers=1``, no
store), follows its ``progress(chunks_done, chunks_total)`` callback, and writes the
finished run to the results store in one transaction under the manager's store lock
(:meth:`anpo.store.Store.save`). A run that fails (a scenario the knowledge base cannot
resolve, a bug) stores nothing: its job records the error and its state is ``failed``.

At most ``max_concurrent`` runs execute at once; :meth:`JobManager.start` refuses more
with :class:`Busy`. Finished jobs are kept (newest ``keep`` of them) so the page can
read their state after the fact.

A run has a time limit (``time_limit_s``) and can be cancelled (:meth:`JobManager.cancel`).
Either ends the job at once, as ``failed`` with an error of type ``Cancelled`` or
``TimeLimit``, and frees its slot; its thread stops at the end of the chunk it is
computing (a thread cannot be interrupted inside NumPy) and stores nothing. A run
already saving is not cancelled: it is a moment from done.
"""

from __future__ import annotations

import contextlib
import itertools
import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, Literal

from anpo import api
from anpo.errors import MISSING, AnpoError, ScenarioError, excerpt
from anpo.scenario import Scenario
from anpo.store import Store

State = Literal["queued", "resolving", "running", "saving", "done", "failed"]


DEFAULT_TIME_LIMIT_S = 900.0
"""The longest a web run may take (the command line has no limit)."""


class Busy(Exception):
    """Too many runs at once: the caller should retry when one finishes."""


class NotCancellable(Exception):
    """A job that has finished, or is saving its run, cannot be cancelled."""


class _Stopped(BaseException):
    """Raised in a cancelled run's thread at its next chunk, to end it (not an error)."""


def error_payload(exc: AnpoError) -> dict[str, Any]:
    """An :class:`AnpoError` as JSON: type, message lines and (scenarios) the problems."""
    out: dict[str, Any] = {
        "type": type(exc).__name__,
        "message": exc.lines()[0] if exc.lines() else str(exc),
        "lines": exc.lines(),
    }
    if isinstance(exc, ScenarioError):
        out["problems"] = problems_json(exc)
    return out


def problems_json(exc: ScenarioError) -> list[dict[str, Any]]:
    """The problems of a scenario error: ``path``, ``value`` (repr or None), ``message``."""
    return [
        {
            "path": p.path,
            "value": None if p.value is MISSING else excerpt(p.value),
            "message": p.message,
        }
        for p in exc.problems
    ]


@dataclass
class Job:
    """One background run and what is known of it so far."""

    job_id: str
    name: str
    trials: int
    seed: int
    state: State = "queued"
    chunks_done: int = 0
    chunks_total: int = 0
    run_id: str | None = None
    stored: bool = False
    error: dict[str, Any] | None = None
    started_at: float = field(default_factory=time.time)
    finished_at: float | None = None
    cancelled: bool = False
    task: str = "run"
    """``run``, or the study a task job computes (``compare``, ``then-and-now``, ...)."""
    result: dict[str, Any] | None = None
    """A task's answer (JSON-able), once it is done."""
    stop: threading.Event = field(default_factory=threading.Event, repr=False)

    @property
    def finished(self) -> bool:
        return self.state in ("done", "failed")

    def as_dict(self, full: bool = False) -> dict[str, Any]:
        """The job as JSON; ``full`` adds a task's ``result``."""
        if self.state == "done":
            fraction = 1.0
        elif self.chunks_total:
            fraction = self.chunks_done / self.chunks_total
        else:
            fraction = 0.0
        return {
            "job_id": self.job_id,
            "name": self.name,
            "trials": self.trials,
            "seed": self.seed,
            "state": self.state,
            "chunks_done": self.chunks_done,
            "chunks_total": self.chunks_total,
            "fraction": fraction,
            "run_id": self.run_id,
            "stored": self.stored,
            "error": self.error,
            "cancelled": self.cancelled,
            "elapsed_s": round((self.finished_at or time.time()) - self.started_at, 3),
            "task": self.task,
            **({"result": self.result} if full else {}),
        }


class LockedStore(Store):
    """A file store whose every connection is taken under ``lock`` (the app's store lock).

    A study's thread writes its runs and its study rows as it goes
    (:func:`anpo.studies.compare`, :func:`anpo.studies.then_and_now.then_and_now`, the
    functions the command line uses); through this view those writes never meet the
    app's reads of the same DuckDB file.
    """

    def __init__(self, path: str, lock: threading.RLock) -> None:
        super().__init__(path)
        self._lock = lock

    @contextlib.contextmanager
    def connect(self, write: bool = False) -> Iterator[Any]:
        with self._lock, super().connect(write) as con:
            yield con


RunFn = Callable[..., Any]
Progress = Callable[[int, int], None]
TaskFn = Callable[[Progress], "tuple[dict[str, Any], list[Any]]"]
"""``task(progress) -> (result, runs)``: a study computed in a job's thread. It calls
``progress(done, total)`` between steps (where a cancelled job stops), and returns its
JSON-able answer and the :class:`anpo.api.RunResult` s to store."""


class JobManager:
    """Runs scenarios in background threads and writes finished runs to ``store``.

    Parameters
    ----------
    store
        The results store every finished run goes to.
    lock
        Held around every store access (the app's reads take it too), so the writer
        and readers of the DuckDB file never open it at the same time.
    max_concurrent
        Runs allowed to execute at once.
    keep
        Finished jobs remembered (oldest forgotten first).
    time_limit_s
        The longest one run may take; then it is stopped as if cancelled.
    """

    def __init__(
        self,
        store: Store,
        lock: threading.RLock,
        max_concurrent: int = 2,
        keep: int = 200,
        run_fn: RunFn | None = None,
        time_limit_s: float = DEFAULT_TIME_LIMIT_S,
    ) -> None:
        self.store = store
        self.time_limit_s = time_limit_s
        self.lock = lock
        self.max_concurrent = max_concurrent
        self.keep = keep
        self._run = run_fn or api.run
        self._jobs: OrderedDict[str, Job] = OrderedDict()
        self._guard = threading.Lock()
        self._counter = itertools.count(1)
        self._threads: dict[str, threading.Thread] = {}
        self._timers: dict[str, threading.Timer] = {}
        self.study_store: Store | None = (
            None if store.path == ":memory:" else LockedStore(store.path, lock)
        )
        """Where studies are recorded (None for an in-memory store, which keeps no
        studies, as on the command line)."""

    def active(self) -> int:
        """Runs not yet finished."""
        with self._guard:
            return sum(1 for j in self._jobs.values() if not j.finished)

    def start(self, sc: Scenario, trials: int, seed: int) -> Job:
        """Start ``sc`` in a background thread; raises :class:`Busy` at the limit."""
        job = self._new(sc.name, trials, seed, "run")
        return self._launch(job, self._work, (job, sc))

    def start_task(self, name: str, task: str, trials: int, seed: int, fn: TaskFn) -> Job:
        """Start a study ``fn`` (see :data:`TaskFn`) in a background thread, as a job with
        the same slots, time limit and cancelling as a run; raises :class:`Busy`."""
        job = self._new(name, trials, seed, task)
        return self._launch(job, self._work_task, (job, fn))

    def _new(self, name: str, trials: int, seed: int, task: str) -> Job:
        with self._guard:
            if sum(1 for j in self._jobs.values() if not j.finished) >= self.max_concurrent:
                raise Busy(
                    f"{self.max_concurrent} run(s) already in progress (the limit); "
                    "wait for one to finish"
                )
            job_id = f"{next(self._counter):04d}-{secrets.token_hex(6)}"
            job = Job(job_id=job_id, name=name, trials=trials, seed=seed, task=task)
            self._jobs[job_id] = job
            self._forget_old()
        return job

    def _launch(self, job: Job, target: Callable[..., None], args: tuple[Any, ...]) -> Job:
        thread = threading.Thread(
            target=target, args=args, name=f"anpo-{job.task}-{job.job_id}", daemon=True
        )
        self._threads[job.job_id] = thread
        timer = threading.Timer(self.time_limit_s, self._expire, args=(job,))
        timer.daemon = True
        self._timers[job.job_id] = timer
        timer.start()
        thread.start()
        return job

    def cancel(self, job_id: str) -> Job | None:
        """Stop a job now and free its slot; None if there is no such job.

        Raises :class:`NotCancellable` for a job that has finished or is saving.
        """
        with self._guard:
            job = self._jobs.get(job_id)
            if job is None:
                return None
            self._end(
                job,
                {"type": "Cancelled", "message": "the run was cancelled; nothing was stored"},
            )
        return job

    def _expire(self, job: Job) -> None:
        with self._guard, contextlib.suppress(NotCancellable):
            self._end(
                job,
                {
                    "type": "TimeLimit",
                    "message": f"the run took longer than {self.time_limit_s:g} s, the web "
                    "app's limit, and was stopped; nothing was stored (use the command "
                    "line for longer runs)",
                },
            )

    def _end(self, job: Job, error: dict[str, Any]) -> None:
        """Mark ``job`` stopped (under the guard): its thread ends at its next chunk."""
        if job.finished or job.state == "saving":
            raise NotCancellable(
                f"job {job.job_id} is {job.state}"
                + (" (too late to cancel)" if not job.finished else "")
            )
        job.stop.set()
        job.cancelled = True
        job.error = error
        job.state = "failed"
        job.finished_at = time.time()

    def get(self, job_id: str) -> Job | None:
        with self._guard:
            return self._jobs.get(job_id)

    def jobs(self) -> list[Job]:
        """All remembered jobs, newest first."""
        with self._guard:
            return list(reversed(self._jobs.values()))

    def wait(self, job_id: str, timeout_s: float | None = None) -> Job | None:
        """Wait for a job's thread to end (tests and shutdown)."""
        thread = self._threads.get(job_id)
        if thread is not None:
            thread.join(timeout_s)
        return self.get(job_id)

    def _forget_old(self) -> None:
        finished = [k for k, j in self._jobs.items() if j.finished]
        for key in finished[: max(0, len(self._jobs) - self.keep)]:
            del self._jobs[key]
            self._threads.pop(key, None)

    def _progress(self, job: Job) -> Callable[[int, int], None]:
        def report(done: int, total: int) -> None:
            with self._guard:
                if job.stop.is_set():
                    raise _Stopped()
                job.state = "running"
                job.chunks_done, job.chunks_total = done, total

        return report

    def _work(self, job: Job, sc: Scenario) -> None:
        def go() -> None:
            result = self._run(
                sc, trials=job.trials, seed=job.seed, workers=1, progress=self._progress(job)
            )
            if self._saving(job):
                job.stored = self._save([result])
                job.run_id = result.run_id
                job.state = "done"

        self._guarded(job, go)

    def _work_task(self, job: Job, fn: TaskFn) -> None:
        def go() -> None:
            result, runs = fn(self._progress(job))
            if self._saving(job):
                job.stored = self._save(runs)
                job.result = result
                job.state = "done"

        self._guarded(job, go)

    def _saving(self, job: Job) -> bool:
        """Mark ``job`` saving, unless it was stopped meanwhile."""
        with self._guard:
            if job.stop.is_set():
                return False
            job.state = "saving"
            return True

    def _save(self, runs: list[Any]) -> bool:
        """Write finished runs to the store, each in one transaction; True if any was new
        (a run a study already stored as it went counts as stored)."""
        stored = False
        with self.lock:
            for r in runs:
                if getattr(r, "stored", False):
                    stored = True
                    continue
                stored |= bool(self.store.save(r.record, r.ledger, r.outcomes, r.specs, r.labels))
        return stored

    def _guarded(self, job: Job, go: Callable[[], None]) -> None:
        """Run ``go`` in a job's thread: errors on the job, the timer stopped at the end."""
        try:
            with self._guard:
                if job.stop.is_set():
                    return
                job.state = "resolving"
            go()
        except _Stopped:
            pass  # cancelled or out of time: the job was already marked so
        except AnpoError as exc:
            self._fail(job, error_payload(exc))
        except Exception as exc:  # a bug: report it on the job, never kill the server
            self._fail(
                job,
                {
                    "type": type(exc).__name__,
                    "message": f"the run failed unexpectedly: {exc}",
                    "lines": [str(exc)],
                },
            )
        finally:
            with self._guard:
                if job.finished_at is None:
                    job.finished_at = time.time()
                timer = self._timers.pop(job.job_id, None)
            if timer is not None:
                timer.cancel()

    def _fail(self, job: Job, error: dict[str, Any]) -> None:
        with self._guard:
            if job.stop.is_set():
                return
            job.error = error
            job.state = "failed"


__all__ = [
    "Busy",
    "Job",
    "JobManager",
    "LockedStore",
    "NotCancellable",
    "error_payload",
    "problems_json",
]
