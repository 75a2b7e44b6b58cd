"""Headline figures: one definition, the same numbers from memory and from the store."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import anpo
from anpo.kinds import registry
from anpo.kinds.headline import stats
from anpo.report.views import headline_figures
from anpo.store import Store


def test_quantiles_are_the_stores() -> None:
    # quantile_disc: the smallest value with at least the share q at or below it
    s = stats(np.array([5.0, 1.0, 4.0, 2.0, 3.0, 0.0, 0.0]))
    assert (s.p05, s.p50, s.p95) == (0.0, 2.0, 5.0)
    assert s.mean == pytest.approx(15 / 7)
    assert s.se == pytest.approx(np.std([5, 1, 4, 2, 3, 0, 0], ddof=1) / np.sqrt(7))
    assert s.p_zero == pytest.approx(2 / 7)
    assert s.p_zero_se == pytest.approx(np.sqrt((2 / 7) * (5 / 7) / 7))


@pytest.mark.parametrize("ref", ["small", "kadena-2010"])
def test_memory_and_store_agree(ref: str, small_raid: Path, tmp_path: Path) -> None:
    spec = small_raid if ref == "small" else ref
    store = Store(tmp_path / "h.duckdb")
    result = anpo.run(spec, trials=700, seed=3, store=store, chunk_size=256)
    memory = result.headline()
    stored = headline_figures(
        store, result.run_id, registry.views(result.record.kind), store.summary(result.run_id)
    )
    assert [f.key for f in memory] == [f.key for f in stored]
    assert memory, "every shipped kind declares a headline"
    for a, b in zip(memory, stored, strict=True):
        for name in ("mean", "se", "p05", "p50", "p95", "p_zero"):
            assert getattr(a.stats, name) == pytest.approx(getattr(b.stats, name), rel=1e-9)
