"""``anpo compare``: a scenario against its variants, or two stored runs, paired."""

from __future__ import annotations

import math
import re
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table

from anpo import defaults
from anpo.cli.common import DbOpt, JsonOpt, emit, out, user_errors

RUN_ID = re.compile(r"^[0-9a-f]{6,64}$")


def _num(x: Any) -> float | None:
    v = float(x)
    return None if math.isnan(v) else v


def _rows(table: Any) -> list[dict[str, Any]]:
    rows = []
    for r in table.to_dict("records"):
        rows.append({k: (_num(v) if isinstance(v, float) else v) for k, v in r.items()})
    return rows


def compare_cmd(
    first: Annotated[
        str, typer.Argument(help="A scenario (YAML path or shipped name), or a run id.")
    ],
    second: Annotated[
        str | None, typer.Argument(help="With a run id first: the run id to compare it with.")
    ] = None,
    lever: Annotated[
        list[str] | None,
        typer.Option("--lever", "-l", help="NAME=VALUE of one of the kind's levers (repeatable)."),
    ] = None,
    set_: Annotated[
        list[str] | None,
        typer.Option("--set", help="PATH=VALUE of any scenario field (repeatable)."),
    ] = None,
    trials: Annotated[int, typer.Option("--trials", "-n")] = defaults.TRIALS,
    seed: Annotated[int, typer.Option("--seed", "-s")] = defaults.SEED,
    chunk_size: Annotated[int, typer.Option("--chunk-size")] = defaults.CHUNK_SIZE,
    workers: Annotated[int, typer.Option("--workers", "-w")] = 1,
    outcome: Annotated[
        list[str] | None, typer.Option("--outcome", "-o", help="Show only these outcomes.")
    ] = None,
    db: DbOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Compare a scenario with a variant on common random numbers, or two stored runs.

    Each difference is b − a with its paired Monte Carlo error (trial by trial) beside
    the error two independent runs would have; entries are matched by name.
    """
    from anpo import api, studies
    from anpo.errors import UsageError
    from anpo.kinds import registry

    with user_errors(as_json):
        if second is not None:
            if lever or set_:
                raise UsageError("--lever and --set change a scenario; give one scenario")
            if not (RUN_ID.match(first) and RUN_ID.match(second)):
                raise UsageError("two arguments are two stored run ids")
            store = api.open_store(db)
            result = studies.compare_runs(store, first, second)
            kind = str(store.run(first)["kind"])
            names = {"a": store.resolve_id(first), "b": store.resolve_id(second)}
        else:
            sc = api.load_scenario(first)
            values = studies.lever_values(
                sc.kind, studies.parse_assignments(lever or (), "--lever")
            )
            values.update(studies.parse_assignments(set_ or ()))
            if not values:
                raise UsageError(
                    "say what the variant changes: --lever NAME=VALUE or --set PATH=VALUE"
                )
            label = ", ".join(f"{k}={v}" for k, v in values.items())
            result = studies.compare(
                sc,
                {label: values},
                trials=trials,
                seed=seed,
                chunk_size=chunk_size,
                workers=workers,
                store=db,
            )
            kind = sc.kind
            names = {"a": "base", "b": label}
        table = result.table
        if outcome:
            table = table[table["outcome"].isin(outcome)]
        else:
            heads = [h.outcome for h in registry.views(kind).headline]
            table = studies.headline_rows(table, heads) if heads else table
        if as_json:
            emit(
                {
                    "ok": True,
                    "command": "compare",
                    "a": names["a"],
                    "b": names["b"],
                    "paired": result.paired,
                    "rows": _rows(table),
                }
            )
            return
        note = (
            "paired: the runs share their random numbers, so the error is measured trial by trial"
            if result.paired
            else "NOT paired (different seed, chunk size or trials): independent errors only"
        )
        out.print(f"a = {escape(names['a'])}; b = {escape(names['b'])}; {note}")
        grid = Table("outcome", "entry", "mean a", "mean b", "b − a", "± paired", "± indep.")
        for r in table.to_dict("records"):

            def f(x: Any) -> str:
                return "–" if x is None or (isinstance(x, float) and math.isnan(x)) else f"{x:.4g}"

            grid.add_row(
                escape(str(r["outcome"])),
                escape(str(r["entry"]))
                + ("" if r["present"] == "both" else f" (only {r['present']})"),
                f(r["mean_a"]),
                f(r["mean_b"]),
                f(r["diff"]),
                f(1.96 * r["se_paired"]),
                f(1.96 * r["se_independent"]),
            )
        out.print(grid)


__all__ = ["compare_cmd"]
