"""Benchmark: whole runs as a user waits for them, with where the time goes.

Each command runs as its own process, as a user types it (``anpo --help``,
``anpo show``, ``anpo run`` with a fresh store), :data:`REPEAT` times (the best wall
time is kept, with the CPU time of that try and the peak resident memory of all,
from ``wait4``'s rusage): on a shared machine the best of a few is the figure least
disturbed by others, and CPU time shows what the command itself costs. Then one
run per scenario is taken apart in this process: import, resolve, engine, store
write, headline and report. The floors of issue #11 are printed beside each figure;
nothing here asserts (speed is measured, never tested). The last line is JSON.

Run with ``make bench``; ``python benchmarks/bench_runs.py report`` times only
``anpo report``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ANPO = str(Path(sys.executable).with_name("anpo"))

COMMANDS: list[tuple[str, list[str], float | None, float | None]] = [
    # (label, arguments, floor in s, memory floor in GB)
    ("anpo --help", ["--help"], 0.5, None),
    ("anpo show nk-raid-today", ["show", "nk-raid-today", "--json"], 1.0, None),
    ("anpo validate kadena-today", ["validate", "kadena-today", "--json"], 1.0, None),
    ("anpo run nk-raid-2010 -n 20000", ["run", "nk-raid-2010", "-n", "20000", "--json"], 1.0, None),
    (
        "anpo run nk-raid-today -n 20000",
        ["run", "nk-raid-today", "-n", "20000", "--json"],
        1.5,
        None,
    ),
    ("anpo run kadena-today -n 2000", ["run", "kadena-today", "-n", "2000", "--json"], 2.0, None),
    (
        "anpo run nk-raid-2010 -n 1000000",
        ["run", "nk-raid-2010", "-n", "1000000", "--json"],
        8.0,
        1.5,
    ),
    (
        "anpo run nk-raid-2010 -n 1000000 -w 2",
        ["run", "nk-raid-2010", "-n", "1000000", "-w", "2", "--json"],
        8.0,
        1.5,
    ),
]
REPEAT = 3
"""Tries of each command (the million-trial runs: one)."""
REPORT_FLOOR_S = 2.0
"""The floor of ``anpo report RUN_ID`` of a stored 100,000-trial run, first time (#19)."""
REPORT_TRIALS = 100_000
STORE_FLOOR_S = 0.3
"""The floor of a store write of 100,000 missile-defence trials."""


def timed(
    args: list[str], db: Path, fresh: bool = True, env_extra: dict[str, str] | None = None
) -> tuple[float, float, float, int]:
    """Wall seconds, CPU seconds, peak memory (GB) and exit code of one ``anpo`` command
    (with a fresh store unless ``fresh`` is False)."""
    if fresh:
        db.unlink(missing_ok=True)
    env = {**os.environ, "ANPO_DB": str(db), **(env_extra or {})}
    start = time.perf_counter()
    proc = subprocess.Popen(
        [ANPO, *args], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env
    )
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    cpu = usage.ru_utime + usage.ru_stime
    return wall, cpu, usage.ru_maxrss / 1024**2, code


def best_of(args: list[str], db: Path, tries: int) -> tuple[float, float, float, int]:
    """:func:`timed` ``tries`` times: the best wall time with its CPU time, the highest
    peak memory, and the first failing exit code (0 if none failed)."""
    results = [timed(args, db) for _ in range(tries)]
    wall, cpu, _, _ = min(results)
    peak = max(r[2] for r in results)
    code = next((r[3] for r in results if r[3] != 0), 0)
    return wall, cpu, peak, code


def reports(tmp: Path) -> dict[str, dict[str, float]]:
    """``anpo report RUN_ID`` of a stored 100,000-trial nk-raid-2010 run, each its own
    process, best of :data:`REPEAT`, in three states of the caches:

    * ``first``: the first report of this run: no drawing of it kept
      (``ANPO_CACHE=off``: every figure and the map drawn), the knowledge base's
      parsed YAML and the scenario's map geometry kept from an earlier command
      (``$ANPO_CACHE_DIR``, as after any earlier use of the scenario);
    * ``cold``: nothing kept at all (``ANPO_CACHE=off ANPO_CACHE_DIR=off``): the
      knowledge base parsed and the map's geometry (its footprints) computed;
    * ``again``: the same report again, every drawing kept.
    """
    db = tmp / "report-runs.duckdb"
    db.unlink(missing_ok=True)
    kept = {"ANPO_CACHE_DIR": str(tmp / "kb-cache"), "ANPO_CACHE": str(tmp / "drawings")}
    made = subprocess.run(
        [ANPO, "run", "nk-raid-2010", "-n", str(REPORT_TRIALS), "--seed", "1", "--json"],
        env={**os.environ, "ANPO_DB": str(db), **kept}, capture_output=True, check=True,
    )  # fmt: skip
    run_id = str(json.loads(made.stdout)["run_id"])
    args = ["report", run_id, "-o", str(tmp / "reports"), "--force"]
    timed(args, db, fresh=False, env_extra=kept)  # keeps the geometry and every drawing
    states = {
        "first": {**kept, "ANPO_CACHE": "off"},
        "cold": {"ANPO_CACHE_DIR": "off", "ANPO_CACHE": "off"},
        "again": kept,
    }
    out: dict[str, dict[str, float]] = {}
    for state, extra in states.items():
        results = [timed(args, db, fresh=False, env_extra=extra) for _ in range(REPEAT)]
        wall, cpu, _, _ = min(results)
        code = next((r[3] for r in results if r[3] != 0), 0)
        out[state] = {"wall_s": round(wall, 3), "cpu_s": round(cpu, 3), "exit": code}
    return out


def breakdown(name: str, trials: int, tmp: Path) -> dict[str, float]:
    """Seconds spent in each phase of one run, in this process."""
    from anpo import api, scenario
    from anpo.report import write_report
    from anpo.store import Store

    t0 = time.perf_counter()
    sc = scenario.load_scenario(name)
    scenario.resolve(sc)
    t1 = time.perf_counter()
    result = api.run(sc, trials=trials, seed=1)
    t2 = time.perf_counter()
    store = Store(tmp / f"{name}.duckdb")
    store.save(result.record, result.ledger, result.outcomes, result.specs, result.labels)
    t3 = time.perf_counter()
    result.headline()
    t4 = time.perf_counter()
    write_report(store, result.run_id, tmp)
    t5 = time.perf_counter()
    return {
        "resolve_s": t1 - t0,
        "engine_s": result.record.wall_s,
        "store_s": t3 - t2,
        "headline_s": t4 - t3,
        "report_s": t5 - t4,
    }


def main() -> None:
    only_report = sys.argv[1:] == ["report"]
    out: dict[str, object] = {}
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
        print(
            f"whole commands (each its own process, fresh store, best of {REPEAT}; "
            f"{os.cpu_count()} CPUs, load {load:.1f}):"
        )
        for i, (label, args, floor, mem_floor) in enumerate([] if only_report else COMMANDS):
            tries = 1 if "1000000" in args else REPEAT
            wall, cpu, gb, code = best_of(args, tmp / f"runs-{i}.duckdb", tries)
            verdict = "" if floor is None else ("  ok" if wall <= floor else "  OVER")
            if mem_floor is not None and gb > mem_floor:
                verdict = "  OVER"
            mem = "" if mem_floor is None else f", peak {gb:.2f} GB (floor {mem_floor} GB)"
            print(f"  {label:40s} {wall:6.2f} s, cpu {cpu:5.2f} s (floor {floor} s){mem}{verdict}")
            if code != 0:
                print(f"    exited {code}")
            out[label] = {
                "wall_s": round(wall, 3),
                "cpu_s": round(cpu, 3),
                "peak_gb": round(gb, 3),
                "exit": code,
            }

        print(f"anpo report RUN_ID ({REPORT_TRIALS:,}-trial nk-raid-2010, best of {REPEAT}):")
        timings = reports(tmp)
        for state, t in timings.items():
            floor = f" (floor {REPORT_FLOOR_S} s)" if state == "first" else ""
            verdict = "" if state != "first" else (
                "  ok" if t["wall_s"] <= REPORT_FLOOR_S else "  OVER"
            )  # fmt: skip
            print(f"  {state:6s} {t['wall_s']:6.2f} s, cpu {t['cpu_s']:5.2f} s{floor}{verdict}")
            if t["exit"] != 0:
                print(f"    exited {t['exit']:.0f}")
            out[f"anpo report ({state})"] = t
        if only_report:
            sys.stdout.write(json.dumps(out) + "\n")
            return

        start = time.perf_counter()
        import anpo.api  # noqa: F401  (the import a run pays once)

        imported = time.perf_counter() - start
        print(f"in-process breakdown (import of anpo.api {imported:.2f} s):")
        out["import_api_s"] = round(imported, 3)
        for name, trials in (("nk-raid-2010", 100_000), ("kadena-today", 2000)):
            phases = breakdown(name, trials, tmp)
            text = ", ".join(f"{k[:-2]} {v:.2f} s" for k, v in phases.items())
            print(f"  {name} ({trials:,} trials): {text}")
            out[f"{name} breakdown"] = {k: round(v, 3) for k, v in phases.items()}
            if name == "nk-raid-2010":
                store_s = phases["store_s"]
                verdict = "ok" if store_s <= STORE_FLOOR_S else "OVER"
                print(f"    store write of {trials:,} trials: {store_s:.2f} s "
                      f"(floor {STORE_FLOOR_S} s)  {verdict}")  # fmt: skip
    sys.stdout.write(json.dumps(out) + "\n")


if __name__ == "__main__":
    main()
