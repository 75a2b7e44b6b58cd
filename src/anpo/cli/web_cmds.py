"""``anpo serve``: the local web application (see ``docs/web.md``).

Registered by the main CLI with ``app.command("serve")(serve_cmd)``. Binds to the
loopback interface unless ``--host`` says otherwise; runs go to ``--db`` (default
``$ANPO_DB`` or the user's store).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer


def serve_cmd(
    host: Annotated[
        str, typer.Option("--host", help="Address to bind (default: loopback only).")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="TCP port.", min=1, max=65535)] = 8000,
    db: Annotated[
        Path | None,
        typer.Option("--db", help="Results database (default: $ANPO_DB or the user data dir)."),
    ] = None,
) -> None:
    """Serve the web application (map, scenario editor, runs, charts, law) on HOST:PORT."""
    import uvicorn

    from anpo.web import create_app

    if host not in ("127.0.0.1", "localhost", "::1"):
        typer.echo(
            f"warning: serving on {host}, not only this machine; anyone who can reach it can "
            "start runs and read the results store",
            err=True,
        )
    app = create_app(db_path=db, allowed_hosts=[host])
    typer.echo(f"anpo web: http://{'[' + host + ']' if ':' in host else host}:{port}/", err=True)
    uvicorn.run(app, host=host, port=port, log_level="warning")
