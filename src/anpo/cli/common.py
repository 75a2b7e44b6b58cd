"""What every ``anpo`` command shares: the consoles, ``--json`` output, and user errors.

Errors caused by input (:class:`anpo.errors.AnpoError`) print one line per problem,
or ``{"ok": false, "error": {...}}`` with ``--json``, and exit with the error's code;
never a traceback. So do command-line usage errors (an unknown option, ``--trials
abc``) when ``--json`` is on the line (:func:`run_app`). SIGTERM is handled like
Ctrl-C: the run stops, its workers end, nothing is stored (exit 143, or 130 for Ctrl-C).
"""

from __future__ import annotations

import json
import os
import signal
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from types import FrameType
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape

from anpo.errors import MISSING, AnpoError, ScenarioError, UsageError, excerpt

out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)

JsonOpt = Annotated[bool, typer.Option("--json", help="Print one JSON object (docs/cli.md).")]
DaskOpt = Annotated[
    bool,
    typer.Option("--dask", help="Run on a local Dask cluster of --workers processes."),
]
SchedulerOpt = Annotated[
    str | None,
    typer.Option("--scheduler", help="Run on the Dask cluster at tcp://HOST:PORT."),
]
DbOpt = Annotated[
    Path | None,
    typer.Option("--db", help="Results database (default: $ANPO_DB or the user data dir)."),
]


def emit(payload: dict[str, Any]) -> None:
    """Print one JSON object on standard output."""
    sys.stdout.write(json.dumps(payload, indent=2, default=str, allow_nan=False) + "\n")


def error_payload(exc: AnpoError) -> dict[str, Any]:
    error: dict[str, Any] = {
        "type": type(exc).__name__,
        "exit_code": exc.exit_code,
        "lines": exc.lines(),
    }
    if isinstance(exc, ScenarioError):
        error["problems"] = [
            {
                "path": p.path,
                "value": None if p.value is MISSING else excerpt(p.value),
                "message": p.message,
            }
            for p in exc.problems
        ]
    return {"ok": False, "error": error}


def check_writable(folder: Path) -> None:
    """Refuse, before any work, an output folder that cannot be created or written."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UsageError(f"cannot create the folder {folder}: {exc.strerror or exc}") from None
    if not folder.is_dir() or not os.access(folder, os.W_OK | os.X_OK):
        raise UsageError(f"cannot write to the folder {folder}")


class Terminated(KeyboardInterrupt):
    """SIGTERM, raised where the program is, so it unwinds exactly as Ctrl-C does."""


def _on_sigterm(signum: int, frame: FrameType | None) -> None:
    raise Terminated()


def handle_sigterm() -> None:
    """Make SIGTERM stop a command as Ctrl-C does (only the main thread can set it)."""
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, _on_sigterm)


def _interrupted(as_json: bool, exc: KeyboardInterrupt) -> int:
    code, what = (
        (143, "terminated (SIGTERM)") if isinstance(exc, Terminated) else (130, "interrupted")
    )
    if as_json:
        emit(
            {
                "ok": False,
                "error": {
                    "type": "Interrupted",
                    "exit_code": code,
                    "lines": [f"{what}: nothing was stored"],
                },
            }
        )
    else:
        err.print(f"{what}: nothing was stored")
    return code


@contextmanager
def user_errors(as_json: bool) -> Iterator[None]:
    """Turn errors caused by input into messages and exit codes, never tracebacks."""
    handle_sigterm()
    try:
        yield
    except AnpoError as exc:
        if as_json:
            emit(error_payload(exc))
        else:
            for line in exc.lines():
                err.print(
                    f"[red]error:[/red] {escape(line)}" if line == exc.lines()[0] else escape(line)
                )
        raise typer.Exit(exc.exit_code) from None
    except KeyboardInterrupt as exc:
        raise typer.Exit(_interrupted(as_json, exc)) from None


def run_app(app: typer.Typer, prog_name: str, argv: Sequence[str] | None = None) -> int:
    """Run the command line and return its exit code.

    With ``--json`` among the arguments, a usage error (unknown command or option, a
    value of the wrong type) is printed as ``{"ok": false, "error": {...}}`` with
    type ``UsageError`` and exit code 2, like every other error; without it, click
    prints its usual usage message.
    """
    args = list(sys.argv[1:] if argv is None else argv)
    if "--json" not in args:
        app(args=args, prog_name=prog_name)  # exits by itself (SystemExit)
        return 0
    try:
        code = app(args=args, prog_name=prog_name, standalone_mode=False)
    except typer.Abort:
        return _interrupted(True, KeyboardInterrupt())
    except typer.TyperException as exc:  # click's usage errors derive from it
        code = int(getattr(exc, "exit_code", 2))
        format_message = getattr(exc, "format_message", None)
        message = format_message() if callable(format_message) else str(exc)
        emit(
            {
                "ok": False,
                "error": {"type": "UsageError", "exit_code": code, "lines": [str(message)]},
            }
        )
        return code
    except KeyboardInterrupt as exc:
        return _interrupted(True, exc)
    return code if isinstance(code, int) else 0


@contextmanager
def progress_bar(
    enabled: bool, label: str, unit: str = "chunks"
) -> Iterator[Callable[[int, int], None] | None]:
    """A progress bar on standard error, updated by ``update(done, total)`` (None when off)."""
    if not enabled:
        yield None
        return
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn(f"{{task.completed}}/{{task.total}} {unit}"),
        TimeElapsedColumn(),
        console=err,
        transient=True,
    ) as bar:
        task = bar.add_task(label, total=None)

        def update(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        yield update
