"""The ``anpo`` command: run scenarios, inspect their inputs, keep and rerun runs.

Every command takes ``--json`` and then prints one JSON object on standard output
(shapes documented in ``docs/cli.md``): ``{"ok": true, "command": ..., ...}`` on
success, ``{"ok": false, "error": {...}}`` on a user error. Errors caused by
input print one line per problem, never a traceback, and exit with 2 (bad
scenario or arguments) or 3 (store problems).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

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
    check_writable,
    emit,
    out,
    progress_bar,
    run_app,
    user_errors,
)
from anpo.errors import AnpoError, StoreError

if TYPE_CHECKING:
    from anpo.api import RunResult
    from anpo.kinds.headline import Figure as HeadlineFigure
    from anpo.scenario import Scenario

ForceOpt = Annotated[bool, typer.Option("--force", help="Overwrite existing files.")]

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="anpo: an open, reproducible model of the U.S.-Japan alliance as a system.",
    rich_markup_mode=None,
)


@app.command()
def run(
    scenario: Annotated[str, typer.Argument(help="A YAML path or a shipped scenario's name.")],
    trials: Annotated[
        int, typer.Option("--trials", "-n", help="Monte Carlo trials.")
    ] = defaults.TRIALS,
    seed: Annotated[int, typer.Option("--seed", "-s", help="Random seed.")] = defaults.SEED,
    workers: Annotated[int, typer.Option("--workers", "-w", help="Worker processes.")] = 1,
    chunk_size: Annotated[
        int, typer.Option("--chunk-size", help="Trials per chunk (fixes the random streams).")
    ] = defaults.CHUNK_SIZE,
    db: DbOpt = None,
    report: Annotated[
        Path | None, typer.Option("--report", help="Also write the HTML report to this folder.")
    ] = None,
    dask: DaskOpt = False,
    scheduler: SchedulerOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Run a scenario under uncertainty and store the run."""
    from anpo import api, engine

    with user_errors(as_json):
        sc = api.load_scenario(scenario)
        if report is not None:
            check_writable(report)
        cluster = engine.executor_for(workers, dask, scheduler) if dask or scheduler else None
        with progress_bar(not as_json, f"running {sc.name}") as progress:
            if cluster is None:
                result = api.run(
                    sc, trials=trials, seed=seed, workers=workers, chunk_size=chunk_size,
                    store=db or api.open_store().path, progress=progress,
                )  # fmt: skip
            else:
                with cluster as executor:
                    result = api.run(
                        sc, trials=trials, seed=seed, workers=workers, chunk_size=chunk_size,
                        store=db or api.open_store().path, progress=progress,
                        executor=executor,
                    )  # fmt: skip
        figures = result.headline()
        try:
            report_path = result.report(report).resolve() if report is not None else None
        except AnpoError as exc:
            raise StoreError(
                f"run {result.run_id} was stored, but its report was not: {exc}"
            ) from None
        if as_json:
            emit(
                {
                    "ok": True,
                    "command": "run",
                    "run_id": result.run_id,
                    "scenario": sc.name,
                    "kind": sc.kind,
                    "date": str(sc.date),
                    "trials": trials,
                    "seed": seed,
                    "chunk_size": chunk_size,
                    "workers": workers,
                    "db": result.store.path,
                    "wall_s": result.record.wall_s,
                    "headline": {f.key: f.as_json() for f in figures},
                    "report": str(report_path) if report_path else None,
                }
            )
            return
        out.print(
            f"run [bold]{result.run_id}[/bold]: {escape(sc.name)} ({sc.kind}, {sc.date}), "
            f"{trials:,} trials, seed {seed}, stored in {escape(result.store.path)}"
        )
        for figure in figures:
            out.print(escape(figure.line()))
        for note in result.notes():
            out.print(escape(note))
        for line in _assumes(sc, result, figures, max(out.width, 40)):
            out.print(escape(line))
        if report_path:
            out.print(f"report: {escape(str(report_path))}")


def _assumes(
    sc: Scenario, result: RunResult, figures: list[HeadlineFigure], width: int
) -> list[str]:
    """The run's "what it assumes" lines (:func:`anpo.cli.summary.run_lines`)."""
    from anpo.cli import summary
    from anpo.kinds import registry
    from anpo.report.narrative import narrative

    spec = registry.get(sc.kind) if registry.known(sc.kind) else None
    says = narrative(
        name=sc.name,
        kind_title=spec.title if spec else sc.kind,
        date=str(sc.date),
        n_trials=result.record.n_trials,
        figures=figures,
        ledger=result.ledger,
        uncertain=spec.uncertain if spec else (),
    )
    return summary.run_lines(says, width)


@app.command()
def scenarios(as_json: JsonOpt = False) -> None:
    """List the shipped scenarios."""
    from anpo import scenario as sc_mod

    with user_errors(as_json):
        items = []
        for name in sc_mod.shipped():
            sc = sc_mod.load_scenario(name)
            items.append(
                {
                    "name": name,
                    "kind": sc.kind,
                    "date": str(sc.date),
                    "description": " ".join(sc.spec.description.split()),
                }
            )
        if as_json:
            emit({"ok": True, "command": "scenarios", "scenarios": items})
            return
        table = Table("name", "kind", "date", "description")
        for item in items:
            table.add_row(item["name"], item["kind"], item["date"], item["description"])
        out.print(table)


@app.command()
def show(
    scenario: Annotated[str, typer.Argument(help="A YAML path or a shipped scenario's name.")],
    full: Annotated[
        bool, typer.Option("--full", help="Also print every input: value, kind, source, as of.")
    ] = False,
    credibility: Annotated[
        bool,
        typer.Option(
            "--credibility",
            help="Also list every credibility default on the scenario's date (portfolio "
            "weights, willingness, deterrence margin): label, range, reasoning.",
        ),
    ] = False,
    as_json: JsonOpt = False,
) -> None:
    """A scenario's resolved inputs: a summary (the threat, the forces, the law's answers
    as the kind groups them, counts of facts, estimates and assumptions), and with
    --full every input; --credibility adds every credibility default on its date."""
    from anpo.cli import summary
    from anpo.kinds import registry
    from anpo.scenario import load_scenario, resolve  # not anpo.api: no store, no pandas

    with user_errors(as_json):
        resolved = resolve(load_scenario(scenario))
        sc = resolved.scenario
        ledger = [e.as_dict() for e in resolved.ledger]
        digest = summary.summarize(ledger, registry.get(sc.kind).summary, sc.spec)
        defaults = None
        if credibility:
            from anpo.studies.credibility import assumptions

            defaults = [a.as_dict() for a in assumptions(sc.date).values()]
        if as_json:
            emit(
                {
                    "ok": True,
                    "command": "show",
                    "scenario": sc.name,
                    "kind": sc.kind,
                    "date": str(sc.date),
                    "scenario_hash": resolved.digest(),
                    "inputs": ledger,
                    "summary": digest,
                    **({"credibility": defaults} if defaults is not None else {}),
                }
            )
            return
        width = max(out.width, 40)
        out.print(
            f"[bold]{escape(sc.name)}[/bold] ({sc.kind}) on {sc.date}, "
            f"hash {resolved.digest()[:16]}"
        )
        for line in summary.lines(digest, width):
            out.print(escape(line))
        if defaults is not None:
            for line in summary.credibility_lines(defaults, str(sc.date), width):
                out.print(escape(line))
        if not full:
            out.print(f"Every input, with its source: anpo show {escape(scenario)} --full")
            return
        table = Table("input", "value", "kind", "source", "as of", show_lines=False)
        for e in ledger:
            kind = e["kind"] + (" (override)" if e["override"] else "")
            table.add_row(
                escape(e["name"]),
                escape(f"{e['value']} {e['unit']}".strip()),
                kind,
                escape(e["source"]),
                e["as_of"] or "",
            )
        out.print(table)


@app.command()
def validate(
    scenario: Annotated[str, typer.Argument(help="A YAML path or a shipped scenario's name.")],
    as_json: JsonOpt = False,
) -> None:
    """Check a scenario (schema and knowledge base) without running it."""
    from anpo.scenario import load_scenario, resolve  # not anpo.api: no store, no pandas

    with user_errors(as_json):
        resolved = resolve(load_scenario(scenario))
        if as_json:
            emit({"ok": True, "command": "validate", "scenario": resolved.scenario.name})
            return
        out.print(f"{escape(resolved.scenario.name)}: valid")


@app.command()
def runs(db: DbOpt = None, as_json: JsonOpt = False) -> None:
    """List the stored runs, newest first (the seed and more with --json)."""
    from anpo import api

    with user_errors(as_json):
        frame = api.open_store(db).runs()
        rows = json.loads(frame.to_json(orient="records", date_format="iso"))
        if as_json:
            emit({"ok": True, "command": "runs", "runs": rows})
            return
        # the id is never cut (a user copies it); the scenario's name wraps instead
        table = Table(box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False)
        table.add_column("run id", no_wrap=True, min_width=16)
        table.add_column("scenario", overflow="fold", ratio=1)
        table.add_column("date", no_wrap=True)
        table.add_column("trials", justify="right", no_wrap=True)
        table.add_column("created (UTC)", no_wrap=True)
        for r in frame.itertuples():
            table.add_row(
                str(r.run_id),
                escape(str(r.name)),
                str(r.scenario_date),
                f"{r.n_trials:,}",
                str(r.created_at)[:16],
            )
        out.print(table)


@app.command()
def rerun(
    run_id: Annotated[str, typer.Argument(help="A stored run's id (or a unique prefix).")],
    db: DbOpt = None,
    workers: Annotated[int, typer.Option("--workers", "-w")] = 1,
    as_json: JsonOpt = False,
) -> None:
    """Run a stored run again from what the store kept, and compare every number."""
    from anpo import api

    with user_errors(as_json):
        with progress_bar(not as_json, f"rerunning {run_id}") as progress:
            result = api.rerun(run_id, api.open_store(db), workers=workers, progress=progress)
        if as_json:
            emit(
                {
                    "ok": True,
                    "command": "rerun",
                    "run_id": result.run_id,
                    "identical": result.identical,
                    "differing": result.differing,
                    "trials": result.n_trials,
                    "wall_s": result.wall_s,
                    "version_then": result.version_then,
                    "version_now": result.version_now,
                }
            )
        elif result.identical:
            out.print(
                f"run {result.run_id}: rerun gives identical results "
                f"({result.n_trials:,} trials, every outcome bit for bit)"
            )
        else:
            out.print(
                f"run {result.run_id}: results DIFFER in {', '.join(result.differing)} "
                f"(stored by anpo {result.version_then}, now {result.version_now})"
            )
        if not result.identical:
            raise typer.Exit(1)


@app.command()
def export(
    run_id: Annotated[str, typer.Argument(help="A stored run's id (or a unique prefix).")],
    fmt: Annotated[
        str, typer.Option("--format", "-f", help="parquet, csv, or geojson (the map).")
    ] = "parquet",
    out_dir: Annotated[Path, typer.Option("--out", "-o", help="Folder to write to.")] = Path(
        "anpo-export"
    ),
    db: DbOpt = None,
    force: ForceOpt = False,
    as_json: JsonOpt = False,
) -> None:
    """Write a run's tables (run, parameters, per-trial outcomes) as Parquet or CSV, or its
    map (launch areas, tracks, ships, batteries, footprints, impacts) as GeoJSON."""
    from anpo import api

    with user_errors(as_json):
        files = api.open_store(db).export(run_id, fmt, out_dir, force=force)
        if as_json:
            emit({"ok": True, "command": "export", "format": fmt, "files": [str(f) for f in files]})
            return
        for f in files:
            out.print(escape(str(f)))


@app.command()
def report(
    run_id: Annotated[str, typer.Argument(help="A stored run's id (or a unique prefix).")],
    out_dir: Annotated[Path, typer.Option("--out", "-o", help="Folder to write to.")] = Path(
        "anpo-output"
    ),
    db: DbOpt = None,
    force: ForceOpt = False,
    as_json: JsonOpt = False,
) -> None:
    """Write the self-contained HTML report of a stored run."""
    from anpo import api
    from anpo.report import write_report

    with user_errors(as_json):
        store = api.open_store(db)
        path = write_report(store, store.resolve_id(run_id), out_dir, force=force).resolve()
        if as_json:
            emit({"ok": True, "command": "report", "report": str(path)})
            return
        out.print(f"report: {escape(str(path))}")


@app.command()
def demo(
    out_dir: Annotated[Path, typer.Option("--out", "-o", help="Folder for the report.")] = Path(
        "anpo-output"
    ),
    trials: Annotated[int, typer.Option("--trials", "-n")] = defaults.TRIALS,
    db: DbOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Run the default scenario (nk-raid-2010), store it and write its report."""
    run(
        scenario="nk-raid-2010",
        trials=trials,
        seed=defaults.SEED,
        workers=1,
        chunk_size=defaults.CHUNK_SIZE,
        db=db,
        report=out_dir,
        as_json=as_json,
    )


from anpo.cli.credibility_cmds import credibility_cmd  # noqa: E402
from anpo.cli.law_cmds import law_app, timeline_cmd  # noqa: E402 - registered after app
from anpo.cli.study_cmds import (  # noqa: E402
    compare_cmd,
    studies_cmd,
    study_app,
    sweep_cmd,
    then_and_now_cmd,
)
from anpo.cli.web_cmds import serve_cmd  # noqa: E402

app.add_typer(law_app, name="law")
app.command("timeline")(timeline_cmd)
app.command("serve")(serve_cmd)
app.command("compare")(compare_cmd)
app.command("sweep")(sweep_cmd)
app.command("then-and-now")(then_and_now_cmd)
app.command("studies")(studies_cmd)
app.add_typer(study_app, name="study")
app.command("credibility")(credibility_cmd)

missile_app = typer.Typer(
    no_args_is_help=True, help="Ballistic-missile calculations.", rich_markup_mode=None
)
app.add_typer(missile_app, name="missile")


@missile_app.command("loft")
def missile_loft(
    apogee_km: Annotated[float, typer.Option("--apogee-km", help="Observed apogee, km.")],
    range_km: Annotated[float, typer.Option("--range-km", help="Observed ground range, km.")],
    flight_time_min: Annotated[
        float | None,
        typer.Option("--flight-time-min", help="Observed flight time, min (checked, not fitted)."),
    ] = None,
    launch_lat: Annotated[float, typer.Option("--launch-lat", help="Launch latitude, deg.")] = 39.0,
    launch_lon: Annotated[
        float, typer.Option("--launch-lon", help="Launch longitude, deg.")
    ] = 125.75,
    azimuth_deg: Annotated[
        float, typer.Option("--azimuth-deg", help="Azimuth of the range-maximizing shot, deg.")
    ] = 90.0,
    as_json: JsonOpt = False,
) -> None:
    """Infer a missile's maximum range from a lofted test's apogee and range.

    Fitted: the burnout speed and flight-path angle that give the observed apogee and
    ground range. Assumed: burnout at 200 km altitude after 300 s (a two-stage liquid
    ICBM-class missile; anpo.physics.loft). The observed flight time, if given, is only
    checked against the model's, not fitted. Then the same burnout speed is flown on the
    range-maximizing trajectory from the launch point (default near Pyongyang) along the
    azimuth (default due east), on the rotating Earth, and along other headings; the
    non-rotating Earth's range (the convention analysts quote) is shown beside it, and
    whether the speed reaches Guam, Hawaii, Anchorage, Los Angeles and Washington.
    Near orbital speed (since the 2022 tests) "maximum range" means nothing and is
    flagged. Not conservative: the test's payload is unknown, and a light test payload
    gives too long a range.
    """
    from anpo.cli.loft_view import print_reach, reach_data
    from anpo.errors import UsageError
    from anpo.physics.loft import infer_loft

    with user_errors(as_json):
        if not (0 < apogee_km < 20_000 and 0 < range_km < 20_000):
            raise UsageError("apogee and range must be positive and below 20,000 km")
        try:
            result = infer_loft(
                apogee_km, range_km, flight_time_min, launch_lat, launch_lon, azimuth_deg
            )
        except ValueError as exc:
            raise UsageError(f"no ballistic trajectory fits: {exc}") from None
        data = result.as_dict()
        reach = reach_data(result, flight_time_min, launch_lat, launch_lon)
        if as_json:
            emit({"ok": True, "command": "missile loft", **data, **reach})
            return
        out.print(
            f"fitted burnout speed {result.burnout_speed_km_s:.3f} km/s at "
            f"{result.flight_path_angle_deg:.1f} deg (burnout {result.burnout_alt_km:g} km "
            f"after {result.burnout_time_s:g} s, assumed)"
        )
        if flight_time_min is not None:
            out.print(
                f"flight time: observed {flight_time_min:g} min, model "
                f"{result.model_flight_time_min:.1f} min (checked, not fitted)"
            )
        print_reach(out, result, reach, azimuth_deg)


def main() -> None:
    """Entry point of the ``anpo`` console script."""
    raise SystemExit(run_app(app, "anpo"))


if __name__ == "__main__":  # pragma: no cover
    main()
