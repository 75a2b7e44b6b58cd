"""Benchmark: a 1,000-point sweep of ``nk-raid-2010`` on 1 and 2 local workers and a
2-worker local Dask cluster, and what a point costs before and after cheap variants.

The design is a Latin hypercube over the launch interval of the Tokyo wave (a
continuous parameter, so no two points resolve alike and nothing is served from a
cache) and the two tiers' salvo sizes, 2,000 trials per point, seed 1. Each executor
runs the whole sweep as ``anpo sweep`` does: the timed span starts before the
scenario is read and ends when the last point is back, so it includes starting the
workers and resolving every point. The three executors must give identical arrays.

A point's cost is also taken apart in this process on the first ``--sample`` points:
the former path (the scenario written out as YAML with the point's values and read
back, resolved from scratch, run) against today's
(:func:`anpo.studies.sweep.evaluate_point`: values set in the parsed mapping,
resolutions and summaries reused by content, and the cities near the defended assets
kept by content in :func:`anpo.scenario.geography.cities_near`).

The floors of issue #14 are printed beside each figure; nothing here asserts (speed
is measured, never tested). The last line is JSON. Run with ``make bench`` or
``python benchmarks/bench_sweep.py [--points N] [--sample N]``.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import time
from typing import Any

import numpy as np

SCENARIO = "nk-raid-2010"
PARAMS = (
    "threat.missiles[0].launch_interval_s=10.0:30.0",  # decimals: a continuous range
    "doctrine.upper.salvo=1:4",
    "doctrine.lower.salvo=1:4",
)
TRIALS = 2000
SEED = 1
OUTCOMES = ("leakers",)
FLOOR_WALL_S = 30.0
FLOOR_SCALING = 1.6


def _former_point(task: Any) -> dict[str, tuple[float, float]]:
    """A point as the sweep evaluated it before cheap variants: YAML out and back in,
    resolved with nothing kept by content, run."""
    from anpo import engine, scenario
    from anpo.kinds import registry
    from anpo.scenario import geography
    from anpo.scenario.edit import with_values

    geography._cities_near.cache_clear()
    text, origin, values, trials, seed, chunk_size, outcomes = task
    sc = with_values(text, values, origin=origin)
    resolved = scenario.resolve(sc)
    arrays = engine.run_trials(
        registry.get(sc.kind).model, resolved.inputs, trials, seed, chunk_size
    )
    out = {}
    for name in outcomes:
        a = np.asarray(arrays[name], dtype=np.float64)
        per = a if a.ndim == 1 else np.nansum(a.reshape(a.shape[0], -1), axis=1)
        out[name] = (float(per.mean()), float(per.std(ddof=1)) / math.sqrt(per.size))
    return out


def point_costs(sample: int) -> dict[str, float]:
    """Milliseconds per point, former path against today's, on the same points."""
    from anpo import api, defaults
    from anpo.studies import sweep

    sc = api.load_scenario(SCENARIO)
    params = sweep.parse_params(PARAMS)
    points = sweep.design(params, "lhs", 1000, SEED)[:sample]
    tasks = [
        (sc.text, sc.origin, {p.path: p.value(x) for p, x in zip(params, row, strict=True)},
         TRIALS, SEED, defaults.CHUNK_SIZE, OUTCOMES)
        for row in points
    ]  # fmt: skip
    sweep.evaluate_point(tasks[0])  # warm both paths' caches of the knowledge base
    _former_point(tasks[0])
    sweep._resolved.clear()
    sweep._summaries.clear()
    t0 = time.perf_counter()
    former = [_former_point(t) for t in tasks]
    t1 = time.perf_counter()
    today = [sweep.evaluate_point(t) for t in tasks]
    t2 = time.perf_counter()
    assert all(a == b[1] for a, b in zip(former, today, strict=True)), "paths disagree"
    return {"former_ms": (t1 - t0) / sample * 1e3, "today_ms": (t2 - t1) / sample * 1e3}


def whole_sweep(n: int, workers: int, dask: bool) -> tuple[float, Any]:
    """Wall seconds of the whole sweep on one executor, from reading the scenario on."""
    from anpo import api, defaults, engine
    from anpo.studies import sweep

    start = time.perf_counter()
    sc = api.load_scenario(SCENARIO)
    params = sweep.parse_params(PARAMS)
    with engine.executor_for(workers, dask=dask) as executor:
        result = sweep.run_sweep(
            sc.text, sc.origin, params, "lhs", n, OUTCOMES, TRIALS, SEED, defaults.CHUNK_SIZE,
            executor,
        )  # fmt: skip
    return time.perf_counter() - start, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--points", type=int, default=1000)
    parser.add_argument("--sample", type=int, default=100)
    args = parser.parse_args()
    n = args.points
    print(
        f"{SCENARIO}: {n:,}-point Latin hypercube over {', '.join(PARAMS)}; {TRIALS:,} trials "
        f"per point (Python {platform.python_version()}, NumPy {np.__version__}, "
        f"{os.cpu_count()} CPUs seen)"
    )
    costs = point_costs(args.sample)
    print(
        f"  one point in this process ({args.sample} points): former {costs['former_ms']:.1f} ms,"
        f" today {costs['today_ms']:.1f} ms ({costs['former_ms'] / costs['today_ms']:.2f}x); "
        f"{n:,} points: {costs['former_ms'] * n / 1e3:.1f} s -> {costs['today_ms'] * n / 1e3:.1f} s"
    )
    walls: dict[str, float] = {}
    arrays = {}
    for label, workers, dask in (("local-1", 1, False), ("local-2", 2, False),
                                 ("dask-2", 2, True)):  # fmt: skip
        from anpo.studies import sweep

        sweep._resolved.clear()  # each executor starts cold, as a command does
        sweep._summaries.clear()
        wall, result = whole_sweep(n, workers, dask)
        walls[label] = wall
        arrays[label] = result.means
        print(f"  {label:8s}: {wall:6.1f} s, {n / wall:6.1f} evaluations/s")
    same = all(np.array_equal(arrays["local-1"], a) for a in arrays.values())
    distinct = len(set(result.hashes))
    print(f"  distinct resolved inputs: {distinct:,} of {n:,} points (none served by content)")
    scaling = walls["local-1"] / walls["local-2"]
    dask_scaling = walls["local-1"] / walls["dask-2"]
    print(f"  identical means on every executor: {same}")
    print(
        f"  2 local workers: {walls['local-2']:.1f} s (floor {FLOOR_WALL_S:.0f} s: "
        f"{'met' if walls['local-2'] <= FLOOR_WALL_S else 'NOT met'}); "
        f"{scaling:.2f}x one worker, efficiency {scaling / 2:.0%} (floor {FLOOR_SCALING}x: "
        f"{'met' if scaling >= FLOOR_SCALING else 'NOT met'}); Dask 2 workers {dask_scaling:.2f}x"
    )
    print(
        json.dumps(
            {
                "points": n,
                "trials_per_point": TRIALS,
                "point_ms_former": round(costs["former_ms"], 2),
                "point_ms_today": round(costs["today_ms"], 2),
                "wall_s": {k: round(v, 2) for k, v in walls.items()},
                "evaluations_per_s": {k: round(n / v, 1) for k, v in walls.items()},
                "scaling_local_2": round(scaling, 2),
                "scaling_dask_2": round(dask_scaling, 2),
                "identical": same,
                "distinct_points": distinct,
            }
        )
    )


if __name__ == "__main__":
    main()
