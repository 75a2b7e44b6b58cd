"""A real local Dask cluster (two worker processes, loopback only) gives the same numbers."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from anpo import engine, scenario
from anpo.engine.cluster import DaskExecutor
from anpo.kinds import registry

pytestmark = pytest.mark.slow


def test_local_processes_and_dask_give_identical_arrays(small_raid: Path) -> None:
    sc = scenario.load_scenario(small_raid)
    inputs = scenario.resolve(sc).inputs
    model = registry.get(sc.kind).model
    one = engine.run_trials(model, inputs, 5000, 9, 700, engine.InProcessExecutor())
    two = engine.run_trials(model, inputs, 5000, 9, 700, engine.LocalProcessExecutor(2))
    with DaskExecutor(workers=2) as dask:
        assert dask.address.startswith("tcp://127.0.0.1:")
        three = engine.run_trials(model, inputs, 5000, 9, 700, dask)
    for name in one:
        assert np.array_equal(one[name], two[name], equal_nan=True), name
        assert np.array_equal(one[name], three[name], equal_nan=True), name
