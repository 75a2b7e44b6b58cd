"""The Python API mirrors the CLI and writes to a store only when asked."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest

import anpo
from anpo.errors import UsageError


def test_run_returns_tidy_tables_without_touching_a_store(small_raid: Path) -> None:
    result = anpo.run(anpo.load_scenario(small_raid), trials=800, seed=5)
    assert not Path(os.environ["ANPO_DB"]).exists()
    assert result.stored is False
    tables = result.tables()
    assert set(tables) == {"run", "parameters", "outcomes"}
    assert tables["run"].loc[0, "n_trials"] == 800
    leakers = tables["outcomes"].query("outcome == 'leakers'")
    assert len(leakers) == 800
    assert leakers["value"].mean() == pytest.approx(result.outcomes["leakers"].mean())
    summary = result.summary()
    assert set(summary.columns) >= {"outcome", "label", "mean", "se", "p05", "p50", "p95"}


def test_same_seed_same_numbers_and_common_random_numbers(
    small_raid: Path, small_text: str, tmp_path: Path
) -> None:
    a = anpo.run(small_raid, trials=2000, seed=8)
    b = anpo.run(small_raid, trials=2000, seed=8, workers=2)
    assert a.run_id == b.run_id
    for name in a.outcomes:
        x, y = a.outcomes[name], b.outcomes[name]
        assert np.array_equal(x, y, equal_nan=x.dtype.kind == "f"), name
    # a variant with one more PAC-3 round per unit shares its random numbers: its
    # system parameters are identical trial by trial
    variant = tmp_path / "variant.yaml"
    variant.write_text(small_text.replace("    usn: 0\n", "    usn: 0\n  pac3: {magazine: 20}\n"))
    c = anpo.run(variant, trials=2000, seed=8)
    assert (c.outcomes["sspk"] == a.outcomes["sspk"]).all()
    assert (c.outcomes["sensor_delay_s"] == a.outcomes["sensor_delay_s"]).all()
    assert c.run_id != a.run_id


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"trials": 0}, "trials must be between 1 and 1,500,000"),
        ({"seed": -1}, "seed must be a non-negative integer"),
        ({"workers": 0}, "workers must be between 1 and 64"),
        ({"chunk_size": 0}, "chunk size must be between 1 and 1,000,000"),
    ],
)
def test_bad_arguments_are_refused(small_raid: Path, kwargs: dict[str, int], message: str) -> None:
    with pytest.raises(UsageError, match=message):
        anpo.run(small_raid, **kwargs)
