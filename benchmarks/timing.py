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
