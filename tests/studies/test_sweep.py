"""Sweeps: designs, common random numbers across points, and Sobol indices (Ishigami)."""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import numpy as np
import pytest

from anpo.engine import InProcessExecutor
from anpo.errors import UsageError
from anpo.kinds import registry
from anpo.studies.sweep import Param, design, parse_params, run_sweep

TEXT = "schema_version: 2\nkind: ishigami\nname: ishigami\ndate: 2010-01-01\n"


@pytest.fixture
def ishigami() -> Iterator[ModuleType]:
    path = Path(__file__).parents[1] / "kinds" / "ishigami_kind.py"
    spec = importlib.util.spec_from_file_location("anpo_ishigami_kind", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["anpo_ishigami_kind"] = module
    spec.loader.exec_module(module)
    registry.register(module.KIND)
    try:
        yield module
    finally:
        registry.unregister("ishigami")
        del sys.modules["anpo_ishigami_kind"]


def test_closed_forms(ishigami: ModuleType) -> None:
    assert pytest.approx((0.3139, 0.4424, 0.0), abs=1e-4) == ishigami.S1
    assert pytest.approx((0.5576, 0.4424, 0.2437), abs=1e-4) == ishigami.ST


def test_params_and_designs() -> None:
    params = parse_params(["doctrine.upper.salvo=1:4", "uncertain.x=0.5:0.9"])
    assert params[0] == Param("doctrine.upper.salvo", 1.0, 4.0, True)
    assert not params[1].integer
    grid = design(params, "grid", 4, seed=1)
    assert grid.shape == (4 * 4, 2) and set(grid[:, 0]) == {1.0, 2.0, 3.0, 4.0}
    assert set(design(params, "grid", 3, seed=1)[:, 0]) == {1.0, 2.0, 4.0}  # at most n values
    lhs = design(params, "lhs", 50, seed=1)
    assert lhs.shape == (50, 2) and lhs[:, 1].min() >= 0.5 and lhs[:, 1].max() <= 0.9
    # a Latin hypercube puts exactly one point in each of the n strata of every axis
    strata = np.floor((lhs[:, 1] - 0.5) / 0.4 * 50).astype(int)
    assert sorted(strata.tolist()) == list(range(50))
    with pytest.raises(UsageError):
        parse_params(["a=3:1"])
    with pytest.raises(UsageError):
        design(params, "factorial", 4, seed=1)


def test_ishigami_sobol_indices(ishigami: ModuleType) -> None:
    params = [Param(f"x{i}", -np.pi, np.pi) for i in (1, 2, 3)]
    sweep = run_sweep(
        TEXT, "test", params, "saltelli", 512, ("y",), trials=1, seed=7, chunk_size=1,
        executor=InProcessExecutor(),
    )  # fmt: skip
    table = sweep.sobol["y"].set_index("param")
    assert sweep.points.shape[0] == 512 * 5
    # every point's mean is the closed form at that point (the sweep machinery is exact)
    x = sweep.points
    expected = np.sin(x[:, 0]) + 7 * np.sin(x[:, 1]) ** 2 + 0.1 * x[:, 2] ** 4 * np.sin(x[:, 0])
    np.testing.assert_allclose(sweep.means[:, 0], expected, rtol=1e-12, atol=1e-12)
    for i, name in enumerate(("x1", "x2", "x3")):
        s1, c1 = table.loc[name, "S1"], table.loc[name, "S1_conf"]
        st, ct = table.loc[name, "ST"], table.loc[name, "ST_conf"]
        # within SALib's sampling error (its 95% half-width, with a small floor)
        assert abs(s1 - ishigami.S1[i]) <= max(1.5 * c1, 0.02), (name, s1, c1)
        assert abs(st - ishigami.ST[i]) <= max(1.5 * ct, 0.02), (name, st, ct)


def test_points_share_random_numbers(small_text: str) -> None:
    params = [Param("doctrine.lower.salvo", 1, 2, True)]
    sweep = run_sweep(
        small_text, "test", params, "grid", 2, ("leakers",), trials=600, seed=5,
        chunk_size=300, executor=InProcessExecutor(),
    )  # fmt: skip
    again = run_sweep(
        small_text, "test", params, "grid", 2, ("leakers",), trials=600, seed=5,
        chunk_size=300, executor=InProcessExecutor(),
    )  # fmt: skip
    assert np.array_equal(sweep.means, again.means)
    # a second PAC-3 shot per threat can only help on the same random numbers
    assert sweep.means[1, 0] <= sweep.means[0, 0]
