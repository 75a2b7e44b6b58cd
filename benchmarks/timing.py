"""Timing shared by the benchmarks: a vectorized model against its reference."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import numpy as np

Simulate = Callable[[Any, np.random.Generator, int], Any]


def rates(
    vectorized: Simulate,
    reference: Simulate,
    data: Any,
    trials: tuple[int, int],
    rounds: int,
) -> tuple[float, float]:
    """Trials per second of ``vectorized`` and of ``reference``, best of ``rounds`` calls.

    The two are timed in alternation (vectorized, reference, vectorized, ...), on
    ``trials`` = (vectorized, reference) trials a call, so a slow spell of the machine
    falls on both; the fastest call of each is kept. Only the calls are timed.
    """
    best = [float("inf"), float("inf")]
    for r in range(rounds):
        for i, fn in enumerate((vectorized, reference)):
            rng = np.random.default_rng(np.random.SeedSequence(2010, spawn_key=(r,)))
            start = time.perf_counter()
            fn(data, rng, trials[i])
            best[i] = min(best[i], time.perf_counter() - start)
    return trials[0] / best[0], trials[1] / best[1]


def shipped_inputs(name: str) -> Any:
    """A shipped scenario's resolved model inputs (through the scenario layer)."""
    from anpo import scenario

    return scenario.resolve(scenario.load_scenario(name)).inputs


def report(
    label: str,
    vectorized: Simulate,
    reference: Simulate,
    data: Any,
    trials: tuple[int, int],
    rounds: int = 4,
    check_trials: int = 50,
) -> tuple[float, float]:
    """Check that the two agree exactly, time them (:func:`rates`) and print the
    trials per second and their ratio; the last line printed is JSON."""
    import json
    import platform
    import sys

    check = np.random.SeedSequence(1)
    a = vectorized(data, np.random.default_rng(check), check_trials)
    b = reference(data, np.random.default_rng(check), check_trials)
    assert all(np.array_equal(a[k], b[k]) for k in a), "vectorized and reference disagree"
    vec, ref = rates(vectorized, reference, data, trials, rounds)
    print(
        f"{label}, simulate() in one process ({platform.python_version()}, NumPy {np.__version__})"
    )
    print(f"  vectorized: {vec:12,.1f} trials/s")
    print(f"  reference:  {ref:12,.1f} trials/s")
    print(f"  ratio:      {vec / ref:12,.1f}x")
    sys.stdout.write(
        json.dumps(
            {
                "vectorized_trials_per_s": round(vec, 1),
                "reference_trials_per_s": round(ref, 2),
                "ratio": round(vec / ref, 1),
            }
        )
        + "\n"
    )
    return vec, ref
