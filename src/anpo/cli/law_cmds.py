"""``anpo law`` and ``anpo timeline``: legal authority on a date, its changes, the events.

Registered by the main CLI (``app.add_typer(law_app, name="law")`` and
``app.command("timeline")(timeline_cmd)``). Errors caused by input print one line per
problem (or ``{"ok": false, ...}`` with ``--json``) and exit with the error's code,
never a traceback. Only :mod:`anpo.law`, :mod:`anpo.kb`, typer and rich are imported;
matplotlib is imported only when ``--plot`` asks for a figure.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from anpo.cli.common import JsonOpt, emit, user_errors
from anpo.cli.common import out as _out

law_app = typer.Typer(
    add_completion=False,
    invoke_without_command=True,
    help="Who may do what on a date, and why: the alliance's legal authorities.",
    rich_markup_mode=None,
)


@law_app.callback()
def law(
    ctx: typer.Context,
    date: Annotated[
        str, typer.Option("--date", "-d", help="YYYY-MM-DD or 'today' (the kb's as-of date).")
    ] = "today",
    situation: Annotated[
        str | None, typer.Option("--situation", "-s", help="Only this situation.")
    ] = None,
    party: Annotated[str | None, typer.Option("--party", "-p", help="Only this party.")] = None,
    show_all: Annotated[
        bool, typer.Option("--all", help="Also list combinations with no legal basis.")
    ] = False,
    as_json: JsonOpt = False,
) -> None:
    """The legal authority of each party for each action and situation on a date."""
    if ctx.invoked_subcommand is not None:
        return
    from anpo.law import engine

    with user_errors(as_json):
        day = engine.parse_date(date)
        answers = engine.authority(day, situation=situation, party=party)
        if as_json:
            emit(
                {
                    "ok": True,
                    "command": "law",
                    "date": day.isoformat(),
                    "answers": [a.as_dict() for a in answers],
                }
            )
            return
        shown = [a for a in answers if show_all or a.status != "no_basis"]
        table = Table("situation", "action", "party", "status", "decided by", show_lines=True)
        for a in shown:
            status = a.status + (f": {a.condition}" if a.condition else "")
            table.add_row(
                a.situation, a.action, a.party, escape(status), escape("\n".join(a.citations))
            )
        _out.print(f"[bold]legal authority on {day}[/bold]")
        _out.print(table)
        hidden = len(answers) - len(shown)
        if hidden:
            _out.print(f"{hidden} other combinations have no legal basis (--all lists them)")


@law_app.command("diff")
def law_diff(
    d1: Annotated[str, typer.Argument(help="The earlier date (YYYY-MM-DD or 'today').")],
    d2: Annotated[str, typer.Argument(help="The later date (YYYY-MM-DD or 'today').")],
    as_json: JsonOpt = False,
) -> None:
    """What changed in legal authority between two dates, and the records that changed it."""
    from anpo.law import engine

    with user_errors(as_json):
        first, second = engine.parse_date(d1), engine.parse_date(d2)
        changes = engine.diff(first, second)
        if as_json:
            emit(
                {
                    "ok": True,
                    "command": "law diff",
                    "from": first.isoformat(),
                    "to": second.isoformat(),
                    "changes": [c.as_dict() for c in changes],
                }
            )
            return
        table = Table("situation", "action", "party", "before", "after", "why", show_lines=True)
        for c in changes:
            table.add_row(
                c.situation,
                c.action,
                c.party,
                c.before.status,
                c.after.status,
                escape(f"{c.reason} [records: {', '.join(c.records)}]"),
            )
        _out.print(f"[bold]changes in legal authority from {first} to {second}[/bold]")
        _out.print(table)
        _out.print(f"{len(changes)} change(s)")


def timeline_cmd(
    start: Annotated[str | None, typer.Option("--from", help="YYYY or YYYY-MM-DD.")] = None,
    end: Annotated[str | None, typer.Option("--to", help="YYYY or YYYY-MM-DD.")] = None,
    kind: Annotated[
        list[str] | None,
        typer.Option("--kind", "-k", help="Only events of this kind (repeatable)."),
    ] = None,
    plot: Annotated[
        Path | None,
        typer.Option(
            "--plot",
            help="Also draw the timeline to this file (.svg, .png or .pdf): one band per "
            "kind of event, labels that never overlap.",
        ),
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """The alliance's dated, sourced events."""
    from anpo.kb.law import load_law
    from anpo.law.timeline import plot_timeline, timeline

    with user_errors(as_json):
        base = load_law()
        events = timeline(start, end, kind, base=base)
        written = plot_timeline(events, plot) if plot is not None else None
        if as_json:
            emit(
                {
                    "ok": True,
                    "command": "timeline",
                    "count": len(events),
                    "plot": str(written.resolve()) if written else None,
                    "events": [
                        {
                            "id": e.id,
                            "date": e.date.isoformat(),
                            "kind": e.kind,
                            "title": e.title,
                            "summary": e.summary,
                            "records": list(e.records),
                            "sources": [base.cite_source(s) for s in e.sources],
                        }
                        for e in events
                    ],
                }
            )
            return
        table = Table("date", "kind", "event")
        for e in events:
            table.add_row(e.date.isoformat(), e.kind, escape(f"{e.title}. {e.summary}"))
        _out.print(table)
        _out.print(f"{len(events)} event(s)")
        if written:
            _out.print(f"plot: {escape(str(written.resolve()))}")
