"""The store keeps every run whole or not at all, reruns it exactly, and exports it."""

from __future__ import annotations

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


def sql(db: Path, query: str) -> None:
    con = duckdb.connect(str(db))
    try:
        con.execute(query)
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
    present = sum(
        int(np.count_nonzero(~np.isnan(a.astype(float)))) for a in result.outcomes.values()
    )
    assert count(db, "outcomes") == present
    assert count(db, "parameters") == len(result.ledger)
    assert count(db, "runs") == 1
    assert store.kept_whole(result.run_id)


def test_the_same_run_is_stored_once(small_raid: Path, stored: tuple[anpo.RunResult, Path]) -> None:
    result, db = stored
    again = anpo.run(small_raid, trials=TRIALS, seed=42, chunk_size=400, store=db)
    assert again.run_id == result.run_id
    assert count(db, "runs") == 1
    other = anpo.run(small_raid, trials=TRIALS, seed=43, chunk_size=400, store=db)
    assert other.run_id != result.run_id
    assert count(db, "runs") == 2
    # the second run's numbers are its own
    store = Store(db)
    assert np.array_equal(store.arrays(other.run_id)["leakers"], other.outcomes["leakers"])
    assert np.array_equal(store.arrays(result.run_id)["leakers"], result.outcomes["leakers"])


def test_rerun_reproduces_every_number(stored: tuple[anpo.RunResult, Path]) -> None:
    result, db = stored
    check = anpo.rerun(result.run_id, db)
    assert check.identical and check.differing == []
    arrays = Store(db).arrays(result.run_id)
    assert np.array_equal(arrays["leaked"], result.outcomes["leaked"])
    assert np.array_equal(arrays["threat_fate"], result.outcomes["threat_fate"])
    assert arrays["leakers"].shape == (TRIALS,)


def test_rerun_notices_a_changed_number(stored: tuple[anpo.RunResult, Path]) -> None:
    result, db = stored
    sql(
        db,
        "UPDATE trial_values SET value = value + 1 WHERE trial = 7 AND sid = "
        "(SELECT sid FROM entries WHERE outcome = 'leakers')",
    )
    check = anpo.rerun(result.run_id[:8], db)
    assert not check.identical
    assert check.differing == ["leakers"]


def test_rerun_notices_a_changed_aggregate(stored: tuple[anpo.RunResult, Path]) -> None:
    result, db = stored
    sql(
        db,
        "UPDATE value_counts SET trials = trials + 1 WHERE sid = "
        "(SELECT sid FROM entries WHERE outcome = 'expended_tier' AND idx = 1) AND value = 0",
    )
    sql(
        db,
        "UPDATE entry_stats SET p95 = p95 + 1e-12 WHERE sid = (SELECT min(sid) FROM entries "
        "WHERE outcome = 'sspk')",
    )
    assert anpo.rerun(result.run_id, db).differing == ["expended_tier", "sspk"]


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
    assert leakers["dims"] == [] and leakers["labels"] == [] and leakers["label"] == ""
    shooters = summary[summary.outcome == "expended"]
    assert all(d == ["shooter"] for d in shooters["dims"])
    assert [ls[0] for ls in shooters["labels"]] == shooters["label"].tolist()


def test_summary_equals_plain_sql_over_per_trial_rows(stored: tuple[anpo.RunResult, Path]) -> None:
    """The aggregates (value counts, statistics) give what SQL over every row gives."""
    result, db = stored
    summary = Store(db).summary(result.run_id).set_index(["outcome", "idx"])
    con = duckdb.connect(str(db), read_only=True)
    plain = (
        con.execute(
            "SELECT outcome, idx, count(*) AS trials, avg(value) AS mean, "
            "coalesce(stddev_samp(value), 0) AS sd, quantile_disc(value, 0.05) AS p05, "
            "quantile_disc(value, 0.5) AS p50, quantile_disc(value, 0.95) AS p95, "
            "min(value) AS min, max(value) AS max, avg((value = 0)::DOUBLE) AS p_zero "
            "FROM outcomes WHERE run_id = ? GROUP BY ALL ORDER BY ALL",
            [result.run_id],
        )
        .df()
        .set_index(["outcome", "idx"])
    )
    con.close()
    assert list(summary.index) == list(plain.index)
    for column in ("trials", "p05", "p50", "p95", "min", "max"):
        assert summary[column].tolist() == plain[column].tolist(), column
    for column in ("mean", "sd", "p_zero"):
        assert np.allclose(summary[column], plain[column], rtol=1e-12, atol=1e-15), column


def test_a_failed_save_leaves_nothing(
    stored: tuple[anpo.RunResult, Path], small_raid: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, db = stored
    real = Store._insert

    def broken(con: duckdb.DuckDBPyConnection, table: str, frame: object) -> None:
        if table == "value_counts":
            raise duckdb.IOException("disk full (simulated)")
        real(con, table, frame)  # type: ignore[arg-type]

    monkeypatch.setattr(Store, "_insert", staticmethod(broken))
    with pytest.raises(duckdb.Error, match="simulated"):
        anpo.run(small_raid, trials=100, seed=9, store=db)
    assert count(db, "runs") == 1
    assert count(db, "parameters") == len(stored[0].ledger)
    assert count(db, "entries") == count(db, "entries WHERE run_id = (SELECT run_id FROM runs)")
    monkeypatch.undo()
    assert anpo.run(small_raid, trials=100, seed=9, store=db).stored
    assert count(db, "runs") == 2


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
    sql(
        db,
        'UPDATE runs SET versions_json = replace(versions_json, \'"anpo": "\', '
        '\'"anpo": "0.0.1-old\') ',
    )
    with pytest.raises(VersionMismatch, match=r"was made by anpo 0\.0\.1-old"):
        anpo.rerun(result.run_id, db)


def test_a_store_of_the_old_layout_gets_a_clear_message(small_raid: Path, tmp_path: Path) -> None:
    db = tmp_path / "old.duckdb"
    sql(db, "CREATE TABLE runs (run_id VARCHAR PRIMARY KEY); CREATE TABLE labels (idx INTEGER)")
    with pytest.raises(StoreError, match=r"written by an earlier anpo \(store layout 1"):
        Store(db).runs()
    with pytest.raises(StoreError, match="store layout 1"):
        anpo.run(small_raid, trials=10, store=db)
    sql(
        db,
        "CREATE TABLE store_meta (key VARCHAR, value VARCHAR); "
        "INSERT INTO store_meta VALUES ('layout', '9')",
    )
    with pytest.raises(StoreError, match=r"newer anpo \(store layout 9\)"):
        Store(db).runs()


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
    outcomes = pd.read_parquet(files[2])  # pandas in anpo's own environment reads it
    assert len(outcomes) == count(db, "outcomes")
    assert list(outcomes.columns) == [
        "run_id",
        "outcome",
        "trial",
        "idx",
        "label",
        "value",
        "labels",
    ]
    leakers = outcomes[outcomes.outcome == "leakers"].sort_values("trial")["value"].to_numpy()
    assert np.array_equal(leakers, result.outcomes["leakers"])
    csv = store.export(result.run_id, "csv", tmp_path / "csv")
    params = pd.read_csv(csv[1])
    assert params["name"].tolist() == [e["name"] for e in result.ledger]
    with pytest.raises(
        StoreError, match="unknown export format 'xlsx'; use parquet, csv or geojson"
    ):
        store.export(result.run_id, "xlsx", tmp_path)


def test_a_big_csv_export_writes_the_summary_and_says_so(
    stored: tuple[anpo.RunResult, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import anpo.store as store_mod

    result, db = stored
    said: list[str] = []
    monkeypatch.setattr(store_mod, "CSV_MAX_ROWS", 1000)
    store = Store(db, notify=said.append)
    files = store.export(result.run_id, "csv", tmp_path / "csv")
    assert [f.name.split("-", 1)[1] for f in files] == [
        "run.csv",
        "parameters.csv",
        "summary.csv",
        "counts.csv",
    ]
    rows = count(db, "outcomes")
    assert said == [
        f"run {result.run_id[:12]} keeps {rows:,} per-trial rows, about "
        f"{rows * 85 / 1e6:,.0f} MB as CSV (more than 1,000 rows): the CSV export holds its "
        "summary and value counts instead; use --format parquet for the per-trial rows"
    ]
    summary = pd.read_csv(files[2])
    leakers = summary[summary.outcome == "leakers"].iloc[0]
    assert leakers["mean"] == pytest.approx(result.outcomes["leakers"].mean(), rel=1e-12)
    counts = pd.read_csv(files[3])
    tier = counts[(counts.outcome == "expended_tier") & (counts.idx == 0)]
    values, trials = np.unique(result.outcomes["expended_tier"][:, 0], return_counts=True)
    assert tier["value"].tolist() == values.tolist() and tier["trials"].tolist() == trials.tolist()
