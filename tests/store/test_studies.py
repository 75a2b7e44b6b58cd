"""The store's study tables: written additively, listed, read back exactly."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import anpo
from anpo.errors import StoreError
from anpo.scenario.edit import with_values
from anpo.store import Store
from anpo.store import studies as tables


def _record(study_id: str = "ab" * 8) -> tables.StudyRecord:
    return tables.StudyRecord(
        study_id=study_id, type="sweep", name="x", kind="missile_defense", spec_json="{}",
        seed=1, n_trials=10, chunk_size=5, anpo_version="0", versions_json="{}",
    )  # fmt: skip


def test_a_store_of_runs_has_no_studies(small_raid: Path, tmp_path: Path) -> None:
    store = Store(tmp_path / "s.duckdb")
    anpo.run(small_raid, trials=50, seed=1, store=store)
    assert tables.list_studies(store).empty  # the tables are not there yet
    with pytest.raises(StoreError, match="no study"):
        tables.study(store, "abcdef")
    with pytest.raises(StoreError, match="not a study id"):
        tables.study(store, "xyz")


def test_write_and_read_back(tmp_path: Path) -> None:
    store = Store(tmp_path / "s.duckdb")
    rec = _record()
    assert tables.begin_study(store, rec)
    tables.add_variant(store, rec.study_id, 0, "base", {}, None, "a note")
    values = np.array([[1.0, 2.0], [3.0, 4.0]])
    means = np.array([[0.1], [1 / 3]])
    tables.add_points(store, rec.study_id, 0, values, means, means / 7, ["h0", "h1"])
    assert tables.list_studies(store)["status"].tolist() == ["running"]
    result = pd.DataFrame({"param": ["a"], "S1": [1 / 3], "gap": [np.nan]})
    tables.finish_study(store, rec.study_id, {"sobol:y": result})
    (row,) = tables.list_studies(store).to_dict("records")
    assert (row["status"], row["variants"], row["points"]) == ("complete", 1, 2)
    kept = tables.study_points(store, rec.study_id[:6])
    assert np.array_equal(kept["values"], values) and np.array_equal(kept["means"], means)
    assert np.array_equal(kept["ses"], means / 7)  # every float exactly
    back = tables.study_results(store, rec.study_id)["sobol:y"]
    assert back["S1"][0] == 1 / 3 and np.isnan(back["gap"][0])
    assert tables.study_variants(store, rec.study_id)["note"].tolist() == ["a note"]
    assert not tables.begin_study(store, rec)  # complete: kept as it is
    assert tables.list_studies(store)["points"].tolist() == [2]


def test_a_study_left_running_starts_again(tmp_path: Path) -> None:
    store = Store(tmp_path / "s.duckdb")
    rec = _record()
    tables.begin_study(store, rec)
    tables.add_variant(store, rec.study_id, 0, "base", {}, None)
    assert tables.begin_study(store, rec)
    assert tables.study_variants(store, rec.study_id).empty


def test_rerun_of_a_later_run_in_a_store(small_raid: Path, tmp_path: Path) -> None:
    store = Store(tmp_path / "s.duckdb")
    anpo.run(small_raid, trials=200, seed=1, store=store)
    changed = with_values(small_raid.read_text(encoding="utf-8"), {"doctrine.lower.salvo": 1})
    later = anpo.run(changed, trials=200, seed=1, store=store)
    assert anpo.rerun(later.run_id, store).identical  # its series do not start at 0
