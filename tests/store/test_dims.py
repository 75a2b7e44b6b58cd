"""Outcomes keep every dimension, and runs beyond the per-trial limit keep exact aggregates."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest
from numpy.typing import NDArray

import anpo
from anpo.models.base import OutcomeSpec
from anpo.store import RunRecord, Store
from anpo.store import encoding as encode_mod

BASES = ("Kadena", "Misawa", "Iwakuni")
DAYS = ("day 1", "day 2")
N = 400


def record(n: int, run_id: str = "0123456789abcdef") -> RunRecord:
    return RunRecord(
        run_id=run_id,
        name="grid",
        kind="toy",
        model="anpo.models.toy",
        scenario_date="2020-01-01",
        scenario_origin="test",
        scenario_yaml="kind: toy\n",
        inputs_json="{}",
        scenario_hash="0" * 64,
        seed=1,
        n_trials=n,
        chunk_size=100,
        anpo_version="0",
        versions_json="{}",
        created_at="2020-01-01 00:00:00",
        wall_s=0.1,
    )


SPECS = {
    "sorties": OutcomeSpec(("base", "day"), "count", "Sorties each base can fly, by day"),
    "closed_h": OutcomeSpec(("base", "day"), "h", "Hours each base was closed, by day"),
    "lost": OutcomeSpec(("base",), "count", "Aircraft lost"),
    "delay_h": OutcomeSpec((), "h", "Repair delay drawn"),
    "state": OutcomeSpec(("unit",), "code", "State of each unit", codes=("up", "hit", "gone")),
}
LABELS = {"base": BASES, "day": DAYS, "unit": tuple(f"unit {i}" for i in range(20))}


def outcomes(n: int, seed: int = 3) -> dict[str, NDArray[Any]]:
    rng = np.random.default_rng(seed)
    closed = rng.gamma(2.0, 3.0, (n, 3, 2))
    closed[rng.random((n, 3, 2)) < 0.3] = 0.0
    return {
        "sorties": rng.integers(0, 40, (n, 3, 2)),
        "closed_h": closed,
        "lost": rng.poisson(2.0, (n, 3)),
        "delay_h": rng.uniform(1.0, 6.0, n),
        "state": rng.integers(0, 3, (n, 20)).astype(np.int8),
    }


@pytest.fixture
def grid(tmp_path: Path) -> tuple[Store, dict[str, NDArray[Any]]]:
    store = Store(tmp_path / "grid.duckdb")
    arrays = outcomes(N)
    assert store.save(record(N), [], arrays, SPECS, LABELS)
    return store, arrays


def test_a_two_dimensional_outcome_keeps_both_dimensions(
    grid: tuple[Store, dict[str, NDArray[Any]]],
) -> None:
    store, arrays = grid
    back = store.arrays("0123456789abcdef")
    assert back["sorties"].shape == (N, 3, 2)
    assert np.array_equal(back["sorties"], arrays["sorties"])
    assert np.array_equal(back["closed_h"], arrays["closed_h"])
    assert back["lost"].shape == (N, 3) and back["delay_h"].shape == (N,)
    info = store.outcome_info("0123456789abcdef").set_index("outcome")
    assert info.loc["sorties", "dims"] == ["base", "day"]
    assert info.loc["sorties", "shape"] == [3, 2]
    assert info.loc["sorties", "dim"] == "base" and info.loc["sorties", "size"] == 6
    assert info.loc["delay_h", "dims"] == [] and info.loc["delay_h", "dim"] == ""


def test_the_summary_groups_by_base_and_day_without_parsing(
    grid: tuple[Store, dict[str, NDArray[Any]]],
) -> None:
    store, arrays = grid
    summary = store.summary("0123456789abcdef")
    sorties = summary[summary.outcome == "sorties"]
    assert sorties["idx"].tolist() == list(range(6))
    assert [tuple(x) for x in sorties["labels"]] == [(b, d) for b in BASES for d in DAYS]
    assert sorties["label"].tolist() == [f"{b} / {d}" for b in BASES for d in DAYS]
    assert all(d == ["base", "day"] for d in sorties["dims"])
    misawa_day2 = sorties[[ls == ["Misawa", "day 2"] for ls in sorties["labels"]]].iloc[0]
    values = arrays["sorties"][:, 1, 1].astype(float)
    assert misawa_day2["mean"] == pytest.approx(values.mean(), rel=1e-12)
    assert misawa_day2["sd"] == pytest.approx(values.std(ddof=1), rel=1e-12)
    assert misawa_day2["p50"] == np.sort(values)[int(np.ceil(0.5 * N)) - 1]
    assert misawa_day2["trials"] == N and misawa_day2["unit"] == "count"
    closed = summary[summary.outcome == "closed_h"].iloc[5]  # Iwakuni, day 2
    x = arrays["closed_h"][:, 2, 1]
    assert closed["labels"] == ["Iwakuni", "day 2"]
    assert closed["mean"] == pytest.approx(x.mean(), rel=1e-12)
    assert closed["p95"] == np.sort(x)[int(np.ceil(0.95 * N)) - 1]
    assert closed["p_zero"] == pytest.approx((x == 0).mean())
    lost = summary[summary.outcome == "lost"]
    assert lost["label"].tolist() == list(BASES)
    assert [ls for ls in lost["labels"]] == [[b] for b in BASES]


def test_histograms_and_code_counts_of_a_grid(grid: tuple[Store, dict[str, NDArray[Any]]]) -> None:
    store, arrays = grid
    run_id = "0123456789abcdef"
    cell = store.histogram(run_id, "sorties", 3)  # Misawa, day 2
    values, trials = np.unique(arrays["sorties"][:, 1, 1], return_counts=True)
    assert cell["value"].tolist() == values.tolist() and cell["trials"].tolist() == trials.tolist()
    total = store.histogram(run_id, "sorties")
    values, trials = np.unique(arrays["sorties"].sum(axis=(1, 2)), return_counts=True)
    assert total["value"].tolist() == values.tolist()
    assert total["trials"].tolist() == trials.tolist()
    codes = store.code_counts(run_id, "state")
    values, n = np.unique(arrays["state"], return_counts=True)
    assert codes["value"].tolist() == values.tolist() and codes["n"].tolist() == n.tolist()
    assert codes["share"].sum() == pytest.approx(1.0)
    assert store.histogram(run_id, "sorties", 6).empty
    assert store.histogram(run_id, "no_such_outcome").empty


def test_a_run_beyond_the_per_trial_limit_keeps_exact_aggregates(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(encode_mod, "PER_TRIAL", 150)
    monkeypatch.setattr(encode_mod, "PER_TRIAL_WIDE", 50)
    store = Store(tmp_path / "big.duckdb")
    arrays = outcomes(N, seed=5)
    store.save(record(N), [], arrays, SPECS, LABELS)
    run_id = "0123456789abcdef"
    info = store.outcome_info(run_id).set_index("outcome")
    assert info["kept_trials"].to_dict() == {
        "closed_h": 150,
        "delay_h": 150,
        "lost": 150,
        "sorties": 150,
        "state": 50,  # discrete with 20 entries: wide
    }
    assert not store.kept_whole(run_id)
    back = store.arrays(run_id)
    assert np.array_equal(back["sorties"], arrays["sorties"][:150])
    assert np.array_equal(back["state"], arrays["state"][:50])
    summary = store.summary(run_id)
    for name, array in arrays.items():
        flat = array.reshape(N, -1).astype(float)
        rows = summary[summary.outcome == name].sort_values("idx")
        assert rows["trials"].tolist() == [N] * flat.shape[1]  # every trial counts
        assert np.allclose(rows["mean"], flat.mean(axis=0), rtol=1e-12)
        k95 = int(np.ceil(0.95 * N)) - 1
        assert rows["p95"].tolist() == np.sort(flat, axis=0)[k95].tolist()
        assert rows["max"].tolist() == flat.max(axis=0).tolist()
    assert store.compare(run_id, arrays) == []
    changed = dict(arrays)
    changed["state"] = arrays["state"].copy()
    changed["state"][300, 4] = (changed["state"][300, 4] + 1) % 3  # beyond the kept trials
    changed["delay_h"] = arrays["delay_h"].copy()
    changed["delay_h"][399] += 1e-9
    assert store.compare(run_id, changed) == ["delay_h", "state"]
    assert store.compare(run_id, {k: v for k, v in arrays.items() if k != "lost"}) == ["lost"]


def test_a_model_run_past_the_limit_stores_its_summary_exactly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, small_raid: Path
) -> None:
    """A real model run past the limit: summary over all trials, rerun identical."""
    monkeypatch.setattr(encode_mod, "PER_TRIAL", 300)
    monkeypatch.setattr(encode_mod, "PER_TRIAL_WIDE", 100)
    db = tmp_path / "r.duckdb"
    result = anpo.run(small_raid, trials=1200, seed=4, chunk_size=300, store=db)
    summary = Store(db).summary(result.run_id)
    for name in ("leakers", "expended", "sspk"):
        flat = result.outcomes[name].reshape(1200, -1).astype(float)
        rows = summary[summary.outcome == name].sort_values("idx")
        assert np.allclose(rows["mean"], flat.mean(axis=0), rtol=1e-12)
        assert rows["p05"].tolist() == np.sort(flat, axis=0)[int(np.ceil(0.05 * 1200)) - 1].tolist()
    fates = Store(db).code_counts(result.run_id, "threat_fate")
    values, n = np.unique(result.outcomes["threat_fate"], return_counts=True)
    assert fates["value"].tolist() == values.tolist() and fates["n"].tolist() == n.tolist()
    check = anpo.rerun(result.run_id, db)
    assert check.identical, check.differing


def test_an_outcome_with_no_entries_and_a_boolean_one_are_kept(tmp_path: Path) -> None:
    store = Store(tmp_path / "edge.duckdb")
    n = 30
    arrays: dict[str, NDArray[Any]] = {
        "none": np.zeros((n, 0)),
        "flag": np.arange(n) % 3 == 0,
        "delay_h": np.linspace(0.0, 1.0, n),
    }
    specs = {
        "none": OutcomeSpec(("unit",), "count", "Nothing"),
        "flag": OutcomeSpec((), "probability", "A flag"),
        "delay_h": SPECS["delay_h"],
    }
    store.save(record(n), [], arrays, specs, {"unit": ()})
    back = store.arrays("0123456789abcdef")
    assert back["none"].shape == (n, 0)
    assert np.array_equal(back["flag"], arrays["flag"])
    flag = store.summary("0123456789abcdef").set_index("outcome").loc["flag"]
    assert flag["mean"] == pytest.approx(10 / 30) and flag["p_zero"] == pytest.approx(20 / 30)
    assert store.compare("0123456789abcdef", arrays) == []


def test_a_run_stored_under_another_per_trial_limit_still_compares(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = Store(tmp_path / "limits.duckdb")
    arrays = outcomes(N, seed=8)
    monkeypatch.setattr(encode_mod, "PER_TRIAL", 100)
    store.save(record(N), [], arrays, SPECS, LABELS)
    monkeypatch.setattr(encode_mod, "PER_TRIAL", 300)  # a later anpo keeps more per trial
    assert store.compare("0123456789abcdef", arrays) == []
