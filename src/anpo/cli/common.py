"""What every ``anpo`` command shares: the consoles, ``--json`` output, and user errors.

Errors caused by input (:class:`anpo.errors.AnpoError`) print one line per problem,
or ``{"ok": false, "error": {...}}`` with ``--json``, and exit with the error's code;
never a traceback.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape

from anpo.errors import MISSING, AnpoError, ScenarioError, excerpt

out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)

JsonOpt = Annotated[bool, typer.Option("--json", help="Print one JSON object (docs/cli.md).")]
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


@contextmanager
def user_errors(as_json: bool) -> Iterator[None]:
    """Turn errors caused by input into messages and exit codes, never tracebacks."""
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
    except KeyboardInterrupt:
        err.print("interrupted: nothing was stored")
        raise typer.Exit(130) from None
