"""``anpo compare``: a scenario against its variants, or two stored runs, paired."""

from __future__ import annotations

import math
import re
from typing import Annotated, Any

import typer
from rich import box
from rich.markup import escape
from rich.table import Table

from anpo import defaults
from anpo.cli.common import (
    DaskOpt,
    DbOpt,
    JsonOpt,
    SchedulerOpt,
    emit,
    out,
    progress_bar,
    user_errors,
)

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
    dask: DaskOpt = False,
    scheduler: SchedulerOpt = None,
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
                store=api.open_store(db),
                dask=dask,
                scheduler=scheduler,
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
                    "study_id": result.study_id,
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
        if result.study_id:
            out.print(f"stored as study {result.study_id} ('anpo study show {result.study_id}')")


__all__ = ["compare_cmd", "studies_cmd", "study_app", "sweep_cmd", "then_and_now_cmd"]


def sweep_cmd(
    scenario: Annotated[str, typer.Argument(help="A YAML path or a shipped scenario's name.")],
    param: Annotated[
        list[str],
        typer.Option("--param", "-p", help="PATH=LOW:HIGH of a scenario field (repeatable)."),
    ],
    design: Annotated[
        str, typer.Option("--design", help="grid, lhs, sobol, or saltelli (Sobol indices).")
    ] = "lhs",
    n: Annotated[int, typer.Option("--n", help="Points (grid: per axis; saltelli: base).")] = 64,
    outcome: Annotated[
        list[str] | None,
        typer.Option("--outcome", "-o", help="Outcomes to report (default: the headline's)."),
    ] = None,
    trials: Annotated[int, typer.Option("--trials", "-t", help="Trials per point.")] = 2000,
    seed: Annotated[int, typer.Option("--seed", "-s")] = defaults.SEED,
    chunk_size: Annotated[int, typer.Option("--chunk-size")] = defaults.CHUNK_SIZE,
    workers: Annotated[int, typer.Option("--workers", "-w")] = 1,
    csv: Annotated[
        str | None, typer.Option("--csv", help="Also write the design and results here.")
    ] = None,
    dask: DaskOpt = False,
    scheduler: SchedulerOpt = None,
    db: DbOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Evaluate a scenario over a design of field values, on common random numbers.

    Every point runs with the same seed, chunk size and trials. With --design saltelli,
    the first-order and total Sobol indices of each parameter, with 95% intervals.
    """
    from anpo import api, engine
    from anpo.errors import UsageError
    from anpo.kinds import registry
    from anpo.studies import stored, sweep

    with user_errors(as_json):
        sc = api.load_scenario(scenario)
        params = sweep.parse_params(param)
        heads = [h.outcome for h in registry.views(sc.kind).headline]
        names = tuple(outcome or sweep.default_outcomes(heads))
        if not names:
            raise UsageError("name an outcome to report with --outcome")
        model = registry.model(sc.kind)
        unknown = [o for o in names if o not in model.OUTCOMES]
        if unknown:
            raise UsageError(
                f"no outcome {', '.join(unknown)}; outcomes: {', '.join(model.OUTCOMES)}"
            )
        api.check_run(trials, seed, workers, chunk_size)
        with (
            engine.executor_for(workers, dask, scheduler) as executor,
            progress_bar(not as_json, f"sweeping {sc.name}", "points") as progress,
        ):
            result = stored.recorded_sweep(
                api.open_store(db), sc.text, sc.origin, sc.name, sc.kind, params, design, n,
                names, trials, seed, chunk_size, executor, progress,
            )  # fmt: skip
        table = result.table()
        if csv:
            table.to_csv(csv, index=False)
        if as_json:
            emit(
                {
                    "ok": True,
                    "command": "sweep",
                    "scenario": sc.name,
                    "design": design,
                    "points": int(result.points.shape[0]),
                    "trials_per_point": trials,
                    "seed": seed,
                    "outcomes": list(names),
                    "table": _rows(table),
                    "sobol": {k: _rows(v) for k, v in result.sobol.items()},
                    "csv": csv,
                    "study_id": result.study_id,
                }
            )
            return
        out.print(
            f"{escape(sc.name)}: {result.points.shape[0]:,} points ({design}), "
            f"{trials:,} trials each, seed {seed} (every point on the same random numbers)"
        )
        for k, name in enumerate(names):
            means = result.means[:, k]
            lo, hi = int(means.argmin()), int(means.argmax())
            out.print(
                f"{escape(name)}: mean over points {means.mean():.4g}; lowest {means[lo]:.4g} at "
                + ", ".join(f"{p.path}={result.points[lo, j]:g}" for j, p in enumerate(params))
                + f"; highest {means[hi]:.4g} at "
                + ", ".join(f"{p.path}={result.points[hi, j]:g}" for j, p in enumerate(params))
            )
        for name, frame in result.sobol.items():
            grid = Table("parameter", "first-order S1", "total ST")
            for r in frame.to_dict("records"):
                grid.add_row(
                    escape(str(r["param"])),
                    f"{r['S1']:.3f} ± {r['S1_conf']:.3f}",
                    f"{r['ST']:.3f} ± {r['ST_conf']:.3f}",
                )
            out.print(f"Sobol indices of {escape(name)} (95% intervals):")
            out.print(grid)
        if csv:
            out.print(f"design and results: {escape(csv)}")
        if result.study_id:
            out.print(
                f"every point stored as study {result.study_id} "
                f"('anpo study show {result.study_id}')"
            )


def then_and_now_cmd(
    scenario: Annotated[
        str | None,
        typer.Argument(help="A YAML path or a shipped scenario's name (none with --all)."),
    ] = None,
    outcome: Annotated[
        list[str] | None,
        typer.Option("--outcome", "-o", help="Outcomes to attribute (default: the headline's)."),
    ] = None,
    then: Annotated[str, typer.Option("--then", help="The earlier date.")] = "2010-01-01",
    trials: Annotated[int, typer.Option("--trials", "-n")] = defaults.TRIALS,
    seed: Annotated[int, typer.Option("--seed", "-s")] = defaults.SEED,
    chunk_size: Annotated[int, typer.Option("--chunk-size")] = defaults.CHUNK_SIZE,
    workers: Annotated[int, typer.Option("--workers", "-w")] = 1,
    all_: Annotated[
        bool,
        typer.Option(
            "--all", help="Every shipped scenario with a 2010 form (X-2010 beside X-today)."
        ),
    ] = False,
    db: DbOpt = None,
    as_json: JsonOpt = False,
    credibility: Annotated[
        bool,
        typer.Option("--credibility", help="Capability × willingness, 2010 against today."),
    ] = False,
) -> None:
    """The same scenario then and today, the change split into threat, forces and law.

    All eight mixes of then's and today's threat, forces and law run on common random
    numbers; each factor's Shapley share of the change comes with its paired 95% interval.
    """
    import datetime as dt

    from anpo import api
    from anpo.errors import UsageError
    from anpo.studies.then_and_now import then_and_now

    if credibility:
        from anpo.cli.credibility_cmds import then_and_now_credibility_cmd

        then_and_now_credibility_cmd(scenario, then, trials, seed, as_json)
        return
    with user_errors(as_json):
        try:
            day = dt.date.fromisoformat(then)
        except ValueError:
            raise UsageError(f"--then takes a date YYYY-MM-DD (got {then!r})") from None
        api.check_run(trials, seed, workers, chunk_size)
        if all_:
            if scenario is not None:
                raise UsageError("--all runs every shipped pair; give no scenario with it")
            _then_and_now_all(tuple(outcome or ()), trials, seed, chunk_size, workers, db, as_json)
            return
        if scenario is None:
            raise UsageError("name a scenario, or give --all or --credibility")
        with progress_bar(not as_json, f"then and now: {scenario}", "mixes") as progress:
            result = then_and_now(
                scenario, tuple(outcome or ()), then=day, trials=trials, seed=seed,
                chunk_size=chunk_size, workers=workers, progress=progress,
                store=api.open_store(db),
            )  # fmt: skip
        if as_json:
            emit(
                {
                    "ok": True,
                    "command": "then-and-now",
                    "scenario": result.name,
                    "then": str(result.then),
                    "now": str(result.now),
                    "trials": trials,
                    "seed": seed,
                    "combinations": _rows(result.means),
                    "attribution": _rows(result.attribution),
                    "refused": dict(result.refused),
                    "study_id": result.study_id,
                }
            )
            return
        out.print(
            f"{escape(result.name)}: {result.then} against {result.now}, {trials:,} trials "
            "per combination, all on the same random numbers"
        )
        for label, why in result.refused.items():
            out.print(f"[yellow]not resolved[/yellow] with {escape(label)}: {escape(why)}")
        if result.attribution.empty:
            out.print("no attribution: some combinations could not be resolved (above)")
            return
        grid = Table("outcome", "then", "now", "change", "threat", "forces", "law")
        for r in result.attribution.to_dict("records"):
            grid.add_row(
                escape(str(r["outcome"])),
                f"{r['then']:.4g}",
                f"{r['now']:.4g}",
                f"{r['change']:+.4g} ± {r['change_ci95']:.2g}",
                *(f"{r[f]:+.4g} ± {r[f + '_ci95']:.2g}" for f in ("threat", "forces", "law")),
            )
        out.print(grid)
        out.print("Shares are Shapley values over the eight mixes; ± is the paired 95% interval.")
        for f in ("threat", "forces", "law"):
            if all(
                r[f] == 0.0 and r[f + "_ci95"] == 0.0 for r in result.attribution.to_dict("records")
            ):
                out.print(
                    f"{f}: exactly zero in every trial: nothing this scenario reads of the "
                    f"{f} differs between {result.then} and {result.now}, so it cannot move "
                    "the outcome."
                )
        if result.study_id:
            out.print(f"stored as study {result.study_id} ('anpo study show {result.study_id}')")


def _then_and_now_all(
    outcomes: tuple[str, ...],
    trials: int,
    seed: int,
    chunk_size: int,
    workers: int,
    db: Any,
    as_json: bool,
) -> None:
    """``then-and-now --all``: every shipped X-2010 from its date to today, one table."""
    from anpo import api
    from anpo.studies.then_and_now import shipped_pairs, then_and_now

    store = api.open_store(db)
    results = []
    for then_name, today_name in shipped_pairs():
        sc = api.load_scenario(then_name)
        with progress_bar(not as_json, f"then and now: {then_name}", "mixes") as progress:
            result = then_and_now(
                sc, outcomes, then=sc.date, trials=trials, seed=seed, chunk_size=chunk_size,
                workers=workers, progress=progress, store=store,
            )  # fmt: skip
        results.append((then_name, today_name, result))
    if as_json:
        emit(
            {
                "ok": True,
                "command": "then-and-now",
                "all": True,
                "trials": trials,
                "seed": seed,
                "scenarios": [
                    {
                        "scenario": name,
                        "today_form": today,
                        "then": str(r.then),
                        "now": str(r.now),
                        "attribution": _rows(r.attribution),
                        "refused": dict(r.refused),
                        "study_id": r.study_id,
                    }
                    for name, today, r in results
                ],
            }
        )
        return
    out.print(
        f"Every shipped scenario with a 2010 form, its raid or force from its own date to "
        f"today: {trials:,} trials per mix, seed {seed}, the eight mixes on the same random "
        "numbers; ± is the paired 95% interval."
    )
    grid = Table(box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False)
    grid.add_column("scenario: outcome", overflow="fold", ratio=1)
    for name in ("then", "now", "threat", "forces", "law"):
        grid.add_column(name, justify="right", no_wrap=True)
    for name, _, r in results:
        grid.add_row(
            f"[bold]{escape(name)}[/bold] ({r.then} to {r.now}; study {r.study_id or '–'})"
        )
        if r.attribution.empty:
            grid.add_row("  not resolved in every mix (below)")
            continue
        for row in r.attribution.to_dict("records"):
            grid.add_row(
                "  " + escape(str(row["outcome"])),
                f"{row['then']:.4g}",
                f"{row['now']:.4g}",
                *(f"{row[f]:+.3g}±{row[f + '_ci95']:.2g}" for f in ("threat", "forces", "law")),
            )
    out.print(grid)
    for name, _, r in results:
        for label, why in r.refused.items():
            out.print(f"[yellow]{escape(name)}: not resolved[/yellow] with {escape(label)}: "
                      f"{escape(why)}")  # fmt: skip


study_app = typer.Typer(
    no_args_is_help=True,
    help="Stored studies: show, export, rerun and report one.",
    rich_markup_mode=None,
)


def studies_cmd(db: DbOpt = None, as_json: JsonOpt = False) -> None:
    """List the stored studies (comparisons, then-and-nows, sweeps), newest first."""
    from anpo import api
    from anpo.store import studies as stored_studies

    with user_errors(as_json):
        frame = stored_studies.list_studies(api.open_store(db))
        if as_json:
            emit({"ok": True, "command": "studies", "studies": _rows(frame)})
            return
        if frame.empty:
            out.print("no studies stored yet: 'anpo compare', 'anpo then-and-now' or 'anpo sweep'")
            return
        # the id is never cut (a user copies it); the scenario's name wraps instead
        grid = Table(box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False)
        grid.add_column("study id", no_wrap=True, min_width=16)
        grid.add_column("type", no_wrap=True)
        grid.add_column("scenario", overflow="fold", ratio=1)
        grid.add_column("trials", justify="right", no_wrap=True)
        grid.add_column("holds", justify="right", no_wrap=True)
        grid.add_column("status", no_wrap=True)
        for r in frame.to_dict("records"):
            holds = (
                f"{int(r['points']):,} points" if r["type"] == "sweep" else f"{r['variants']} runs"
            )
            grid.add_row(
                str(r["study_id"]),
                str(r["type"]),
                escape(str(r["name"])),
                f"{int(r['n_trials']):,}",
                holds,
                str(r["status"]),
            )
        out.print(grid)


def _fmt(x: Any) -> str:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "–"
    return f"{x:.4g}" if isinstance(x, float) else escape(str(x))


@study_app.command("show")
def study_show(
    study_id: Annotated[str, typer.Argument(help="A study id (a unique prefix is enough).")],
    db: DbOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """A stored study: what it ran, its variants and their runs, its result tables."""
    import json

    from anpo import api
    from anpo.store import studies as stored_studies
    from anpo.studies import stored

    with user_errors(as_json):
        store = api.open_store(db)
        row = stored_studies.study(store, study_id)
        spec = json.loads(row["spec_json"])
        frames = stored.study_tables(store, row["study_id"])
        if as_json:
            emit(
                {
                    "ok": True,
                    "command": "study show",
                    "study": {k: v for k, v in row.items() if k != "spec_json"},
                    "spec": {k: v for k, v in spec.items() if k != "scenario"},
                    "scenario_origin": spec["scenario"]["origin"],
                    "tables": {name: _rows(frame) for name, frame in frames.items()},
                }
            )
            return
        out.print(
            f"study {row['study_id']}: {row['type']} of {escape(row['name'])} ({row['kind']}), "
            f"{int(row['n_trials']):,} trials, seed {row['seed']}, chunk size "
            f"{row['chunk_size']}; {row['status']}; anpo {row['anpo_version']}; "
            f"started {row['created_at']}"
        )
        if spec["type"] == "sweep":
            out.print(
                f"design {spec['design']} (n = {spec['n']}) over "
                + ", ".join(f"{p[0]} in [{p[1]:g}, {p[2]:g}]" for p in spec["params"])
            )
        for name, frame in frames.items():
            if frame.empty:
                continue
            shown = frame
            if name == "points" and len(frame) > 20:
                out.print(f"{name}: {len(frame):,} rows; the first 20 ('anpo study export')")
                shown = frame.head(20)
            elif name == "table" and "outcome" in frame:
                heads = frame.groupby("variant", sort=False).head(6)
                if len(heads) < len(frame):
                    out.print(f"{name}: the first entries of each variant of {len(frame):,} rows")
                shown = heads
                cols = ["variant", "outcome", "entry", "mean_a", "mean_b", "diff", "se_paired",
                        "se_independent"]  # fmt: skip
                shown = shown[[c for c in cols if c in shown]]
            else:
                out.print(f"{name}:")
            grid = Table(*[escape(str(c)) for c in shown.columns])
            for r in shown.to_dict("records"):
                grid.add_row(*(_fmt(v) for v in r.values()))
            out.print(grid)


@study_app.command("export")
def study_export(
    study_id: Annotated[str, typer.Argument(help="A study id (a unique prefix is enough).")],
    fmt: Annotated[str, typer.Option("--format", "-f", help="csv or json.")] = "csv",
    out_dir: Annotated[str, typer.Option("--out", help="Folder to write to.")] = ".",
    force: Annotated[bool, typer.Option("--force", help="Overwrite existing files.")] = False,
    db: DbOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Write a stored study's tables (variants, sweep points, results) as CSV or JSON."""
    from anpo import api
    from anpo.studies import stored

    with user_errors(as_json):
        paths = stored.export_study(api.open_store(db), study_id, fmt, out_dir, force)
        if as_json:
            emit({"ok": True, "command": "study export", "files": [str(p) for p in paths]})
            return
        for p in paths:
            out.print(escape(str(p)))


@study_app.command("rerun")
def study_rerun(
    study_id: Annotated[str, typer.Argument(help="A study id (a unique prefix is enough).")],
    workers: Annotated[int, typer.Option("--workers", "-w")] = 1,
    db: DbOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Run a stored study again from its spec and compare every stored number, bit for bit.

    Exits 1 if any number differs.
    """
    from anpo import api
    from anpo.studies import stored

    with user_errors(as_json):
        result = stored.rerun_study(api.open_store(db), study_id, workers)
        if as_json:
            emit(
                {
                    "ok": True,
                    "command": "study rerun",
                    "study_id": result.study_id,
                    "identical": result.identical,
                    "checked": result.checked,
                    "differing": result.differing,
                }
            )
        else:
            what = "points" if result.type == "sweep" else "variants"
            if result.identical:
                out.print(
                    f"study {result.study_id}: identical, bit for bit ({result.checked} {what})"
                )
            else:
                out.print(f"study {result.study_id}: [red]differs[/red]")
                for line in result.differing:
                    out.print(f"  {escape(line)}")
        if not result.identical:
            raise typer.Exit(1)


@study_app.command("report")
def study_report(
    study_id: Annotated[str, typer.Argument(help="A study id (a unique prefix is enough).")],
    out_dir: Annotated[str, typer.Option("--out", help="Folder to write the report to.")] = ".",
    db: DbOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Write a stored study's self-contained HTML report (waterfall, tornado, indices)."""
    from anpo import api
    from anpo.report.study import write_study_report

    with user_errors(as_json):
        path = write_study_report(api.open_store(db), study_id, out_dir)
        if as_json:
            emit({"ok": True, "command": "study report", "report": str(path)})
            return
        out.print(f"report: {escape(str(path))}")
