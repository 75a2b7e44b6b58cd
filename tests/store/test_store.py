"""The store keeps every run whole or not at all, reruns it exactly, and exports it."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest

import anpo
from anpo.errors import StoreError
from anpo.store import Store

TRIALS = 1500


@pytest.fixture
def stored(small_raid: Path, tmp_path: Path) -> tuple[anpo.RunResult, Path]:
    db = tmp_path / "runs.duckdb"
    return anpo.run(small_raid, trials=TRIALS, seed=42, chunk_size=400, store=db), db


def count(db: Path, table: str) -> int:
    con = duckdb.connect(str(db), read_only=True)
    try:
        row = con.execute(f"SELECT count(*) FROM {table}").fetchone()
        assert row is not None
        return int(row[0])
    finally:
        con.close()


def test_a_run_is_stored_whole(stored: tuple[anpo.RunResult, Path]) -> None:
    result, db = stored
    store = Store(db)
    row = store.run(result.run_id)
    assert (row["name"], row["n_trials"], row["seed"], row["chunk_size"]) == (
        "small-raid",
        TRIALS,
        42,
        400,
    )
    assert row["scenario_yaml"].startswith("# Test fixture")
    assert row["scenario_hash"] == result.record.scenario_hash
    assert '"numpy"' in row["versions_json"]
    entries = sum(a.reshape(TRIALS, -1).shape[1] for a in result.outcomes.values())
    assert count(db, "outcomes") == TRIALS * entries
    assert count(db, "parameters") == len(result.ledger)
    assert count(db, "runs") == 1


def test_the_same_run_is_stored_once(small_raid: Path, stored: tuple[anpo.RunResult, Path]) -> None:
    result, db = stored
    again = anpo.run(small_raid, trials=TRIALS, seed=42, chunk_size=400, store=db)
    assert again.run_id == result.run_id
    assert count(db, "runs") == 1
    other = anpo.run(small_raid, trials=TRIALS, seed=43, chunk_size=400, store=db)
    assert other.run_id != result.run_id
    assert count(db, "runs") == 2


def test_rerun_reproduces_every_number(stored: tuple[anpo.RunResult, Path]) -> None:
    result, db = stored
    check = anpo.rerun(result.run_id, db)
    assert check.identical and check.differing == []
    arrays = Store(db).arrays(result.run_id)
    assert np.array_equal(arrays["leaked"], result.outcomes["leaked"])


def test_rerun_notices_a_changed_number(stored: tuple[anpo.RunResult, Path]) -> None:
    result, db = stored
    con = duckdb.connect(str(db))
    con.execute("UPDATE outcomes SET value = value + 1 WHERE outcome = 'leakers' AND trial = 7")
    con.close()
    check = anpo.rerun(result.run_id[:8], db)
    assert not check.identical
    assert check.differing == ["leakers"]


def test_summary_is_sql_over_the_trials(stored: tuple[anpo.RunResult, Path]) -> None:
    result, db = stored
    summary = Store(db).summary(result.run_id)
    leakers = summary[summary.outcome == "leakers"].iloc[0]
    values = result.outcomes["leakers"].astype(float)
    assert leakers["trials"] == TRIALS
    assert leakers["mean"] == pytest.approx(values.mean(), rel=1e-12)
    assert leakers["se"] == pytest.approx(values.std(ddof=1) / np.sqrt(TRIALS), rel=1e-9)
    assert leakers["p_zero"] == pytest.approx((values == 0).mean())
    assert leakers["p95"] == np.sort(values)[int(np.ceil(0.95 * TRIALS)) - 1]


def test_a_failed_save_leaves_nothing(
    stored: tuple[anpo.RunResult, Path], small_raid: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, db = stored
    import anpo.store as store_mod

    real = store_mod.tidy_outcomes

    def broken(*args: object, **kwargs: object) -> object:
        outcome_df, label_df, info_df = real(*args, **kwargs)  # type: ignore[arg-type]
        outcome_df["value"] = "not a number"
        return outcome_df, label_df, info_df

    monkeypatch.setattr(store_mod, "tidy_outcomes", broken)
    with pytest.raises(duckdb.Error):
        anpo.run(small_raid, trials=100, seed=9, store=db)
    assert count(db, "runs") == 1
    assert count(db, "parameters") == len(stored[0].ledger)


def test_a_locked_store_gets_a_clear_message(small_raid: Path, tmp_path: Path) -> None:
    db = tmp_path / "locked.duckdb"
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            f"import duckdb, time; c = duckdb.connect({str(db)!r}); print('ready', flush=True); "
            "time.sleep(30)",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None
        assert holder.stdout.readline().strip() == "ready"
        with pytest.raises(StoreError, match="is in use by another anpo process"):
            anpo.run(small_raid, trials=100, seed=1, store=db)
    finally:
        holder.kill()
        holder.wait()
    time.sleep(0.1)
    anpo.run(small_raid, trials=100, seed=1, store=db)
    assert count(db, "runs") == 1


def test_export_writes_the_three_tables(
    stored: tuple[anpo.RunResult, Path], tmp_path: Path
) -> None:
    result, db = stored
    store = Store(db)
    files = store.export(result.run_id, "parquet", tmp_path / "out")
    assert [f.name.split("-", 1)[1] for f in files] == [
        "run.parquet",
        "parameters.parquet",
        "outcomes.parquet",
    ]
    con = duckdb.connect()
    outcomes = con.execute(f"SELECT * FROM read_parquet('{files[2]}')").df()
    assert len(outcomes) == count(db, "outcomes")
    assert list(outcomes.columns) == ["run_id", "outcome", "trial", "idx", "label", "value"]
    csv = store.export(result.run_id, "csv", tmp_path / "csv")
    params = pd.read_csv(csv[1])
    assert params["name"].tolist() == [e["name"] for e in result.ledger]
    with pytest.raises(
        StoreError, match="unknown export format 'xlsx'; use parquet, csv or geojson"
    ):
        store.export(result.run_id, "xlsx", tmp_path)


def test_bad_run_ids_are_refused(stored: tuple[anpo.RunResult, Path]) -> None:
    _, db = stored
    store = Store(db)
    with pytest.raises(StoreError, match="is not a run id"):
        store.run("'; DROP TABLE runs; --")
    with pytest.raises(StoreError, match="no run abcdef12"):
        store.run("abcdef12")


def test_a_missing_store_is_reported(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="no results store at"):
        Store(tmp_path / "none.duckdb").runs()


def test_rerun_refuses_a_run_made_by_another_version(stored: tuple[anpo.RunResult, Path]) -> None:
    from anpo.errors import VersionMismatch

    result, db = stored
    con = duckdb.connect(str(db))
    con.execute(
        'UPDATE runs SET versions_json = replace(versions_json, \'"anpo": "\', '
        '\'"anpo": "0.0.1-old\') '
    )
    con.close()
    with pytest.raises(VersionMismatch, match=r"was made by anpo 0\.0\.1-old"):
        anpo.rerun(result.run_id, db)
