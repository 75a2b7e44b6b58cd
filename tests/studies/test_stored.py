"""Studies kept in the store: recorded, rerun bit for bit, exported, reported; a crash
mid-study leaves only whole variants."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from anpo import api, scenario, studies
from anpo.engine import InProcessExecutor
from anpo.report.study import render_study_report, tornado_rows
from anpo.scenario.edit import with_values
from anpo.store import Store
from anpo.store import studies as tables
from anpo.studies import stored
from anpo.studies import sweep as sweep_mod
from anpo.studies.sweep import Param, point_scenario
from anpo.studies.then_and_now import shipped_pairs, then_and_now

LEVER = {"doctrine.lower.salvo": 1}


def test_comparison_stored_rerun_exported(small_raid: Path, tmp_path: Path) -> None:
    store = Store(tmp_path / "s.duckdb")
    cmp = studies.compare(small_raid, {"v": LEVER}, trials=400, seed=3, chunk_size=200,
                          store=store)  # fmt: skip
    assert cmp.study_id is not None
    listed = tables.list_studies(store)
    assert listed["study_id"].tolist() == [cmp.study_id]
    assert listed["status"].tolist() == ["complete"] and listed["variants"].tolist() == [2]
    variants = tables.study_variants(store, cmp.study_id[:8])
    assert variants["name"].tolist() == ["base", "v"]
    assert variants["changes"].tolist() == [{}, LEVER]
    assert variants["run_id"].tolist() == [cmp.runs["base"].run_id, cmp.runs["v"].run_id]
    assert set(variants["run_id"]) <= set(store.runs()["run_id"])
    # the stored difference table is the one computed
    kept = tables.study_results(store, cmp.study_id)["table"]
    leak = kept[kept["outcome"] == "leakers"].iloc[0]
    mine = cmp.table[cmp.table["outcome"] == "leakers"].iloc[0]
    assert leak["diff"] == mine["diff"] and leak["se_paired"] == mine["se_paired"]
    again = stored.rerun_study(store, cmp.study_id)
    assert again.identical and again.checked == 2 and again.differing == []
    # the same study again is the same study (its id is its content), stored once
    twice = studies.compare(small_raid, {"v": LEVER}, trials=400, seed=3, chunk_size=200,
                            store=store)  # fmt: skip
    assert twice.study_id == cmp.study_id and len(tables.list_studies(store)) == 1
    csv = stored.export_study(store, cmp.study_id, "csv", tmp_path / "out")
    assert sorted(p.name.split("-", 2)[2] for p in csv) == ["table.csv", "variants.csv"]
    (path,) = stored.export_study(store, cmp.study_id, "json", tmp_path / "out")
    payload = json.loads(path.read_text(encoding="utf-8"))
    assert payload["spec"]["variants"] == [["v", LEVER]] and payload["spec"]["trials"] == 400
    assert len(payload["tables"]["table"]) == len(cmp.table)
    page, _ = render_study_report(store, cmp.study_id)
    assert "paired 95%" in page and "leakers" in page


def test_rerun_finds_a_changed_number(small_raid: Path, tmp_path: Path) -> None:
    store = Store(tmp_path / "s.duckdb")
    cmp = studies.compare(small_raid, {"v": LEVER}, trials=300, seed=3, chunk_size=300,
                          store=store)  # fmt: skip
    assert cmp.study_id is not None
    run_id = cmp.runs["v"].run_id
    with store.connect(write=True) as con:
        con.execute(
            "UPDATE trial_values SET value = value + 1 WHERE trial = 0 AND sid IN "
            "(SELECT sid FROM entries WHERE run_id = ? AND outcome = 'leakers')",
            [run_id],
        )
    result = stored.rerun_study(store, cmp.study_id)
    assert not result.identical and result.differing == ["v: leakers"]


def test_a_crash_leaves_only_whole_variants(
    small_raid: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = Store(tmp_path / "s.duckdb")
    real = api.run
    calls = {"n": 0}

    def failing(*args: Any, **kwargs: Any) -> api.RunResult:
        calls["n"] += 1
        if calls["n"] == 3:
            raise RuntimeError("injected failure in the third run")
        return real(*args, **kwargs)

    monkeypatch.setattr(api, "run", failing)
    variants = {"v": LEVER, "w": {"doctrine.upper.salvo": 1}}
    with pytest.raises(RuntimeError, match="injected"):
        studies.compare(small_raid, variants, trials=300, seed=3, chunk_size=300, store=store)
    (row,) = tables.list_studies(store).to_dict("records")
    assert row["status"] == "running" and row["variants"] == 2
    kept = tables.study_variants(store, row["study_id"])
    assert kept["name"].tolist() == ["base", "v"]
    for run_id in kept["run_id"]:  # each recorded variant's run is whole
        assert api.rerun(run_id, store).identical
    with pytest.raises(Exception, match="did not finish"):
        stored.rerun_study(store, row["study_id"])
    monkeypatch.setattr(api, "run", real)
    done = studies.compare(small_raid, variants, trials=300, seed=3, chunk_size=300, store=store)
    assert done.study_id == row["study_id"]
    (row,) = tables.list_studies(store).to_dict("records")
    assert row["status"] == "complete" and row["variants"] == 3
    assert stored.rerun_study(store, row["study_id"]).identical


class _FailSecond(InProcessExecutor):
    def __init__(self) -> None:
        self.calls = 0

    def map(self, fn: Any, tasks: Any, on_done: Any = None) -> list[Any]:
        self.calls += 1
        if self.calls == 2:
            raise RuntimeError("injected failure in the second batch")
        return super().map(fn, tasks, on_done)


def test_sweep_points_stored_batch_by_batch(
    small_text: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = Store(tmp_path / "s.duckdb")
    params = [Param("doctrine.lower.salvo", 1, 2, True), Param("doctrine.upper.salvo", 1, 3, True)]
    args = (small_text, "test", "small-raid", "missile_defense", params, "grid", 3, ("leakers",),
            200, 5, 200)  # fmt: skip
    monkeypatch.setattr(sweep_mod, "BATCH", 4)
    with pytest.raises(RuntimeError, match="injected"):
        stored.recorded_sweep(store, *args, _FailSecond())
    (row,) = tables.list_studies(store).to_dict("records")
    assert row["status"] == "running" and row["points"] == 4  # the first batch, whole
    result = stored.recorded_sweep(store, *args, InProcessExecutor())
    assert result.study_id == row["study_id"]
    kept = tables.study_points(store, result.study_id)
    assert kept["point"].tolist() == list(range(6))
    assert np.array_equal(kept["values"], result.points)
    assert np.array_equal(kept["means"], result.means)
    assert np.array_equal(kept["ses"], result.ses)
    assert kept["inputs_hash"].tolist() == list(result.hashes)
    assert stored.rerun_study(store, result.study_id).identical
    frames = stored.study_tables(store, result.study_id)
    assert frames["points"]["leakers.mean"].tolist() == result.means[:, 0].tolist()
    page, _ = render_study_report(store, result.study_id)
    assert page.count("<svg") == 1 and "tornado" in page.lower()
    with store.connect(write=True) as con:
        con.execute("UPDATE study_points SET means = [0.5] WHERE point = 2")
    bad = stored.rerun_study(store, result.study_id)
    assert not bad.identical and bad.differing == ["means of points 2"]


def test_point_scenario_is_with_values(small_text: str) -> None:
    values = {"doctrine.lower.salvo": 1, "threat.missiles[0].launch_interval_s": 12.5}
    fast = point_scenario(small_text, "test", values)
    slow = with_values(small_text, values, origin="test")
    assert fast.spec == slow.spec
    assert scenario.resolve(fast).digest() == scenario.resolve(slow).digest()
    # points with the same content share one evaluation, with the same numbers
    task = (small_text, "p", {"doctrine.lower.salvo": 1}, 300, 2, 150, ("leakers",))
    first = sweep_mod.evaluate_point(task)
    sweep_mod._summaries.clear()
    sweep_mod._resolved.clear()
    assert sweep_mod.evaluate_point(task) == first


def test_then_and_now_stored_and_rerun(tmp_path: Path) -> None:
    store = Store(tmp_path / "s.duckdb")
    result = then_and_now("nk-same-raid-2010", ("leakers",), trials=300, seed=4, store=store)
    assert result.study_id is not None
    variants = tables.study_variants(store, result.study_id)
    assert len(variants) == 8 and variants["run_id"].notna().all()
    assert variants["changes"][0] == {"threat": "2010-01-01", "forces": "2010-01-01",
                                      "law": "2010-01-01"}  # fmt: skip
    kept = tables.study_results(store, result.study_id)["attribution"].iloc[0]
    assert kept["forces"] == result.attribution.iloc[0]["forces"]
    assert stored.rerun_study(store, result.study_id).identical
    page, _ = render_study_report(store, result.study_id)
    assert page.count("<svg") == 1 and "Shapley" in page


def test_shipped_pairs() -> None:
    pairs = dict(shipped_pairs())
    assert pairs["nk-raid-2010"] == "nk-raid-today"
    assert "nk-same-raid-2010" in pairs and "kadena-2010" in pairs
    assert all(a.endswith("-2010") and b.endswith("-today") for a, b in pairs.items())


def test_tornado_rows() -> None:
    values = np.array([[0.0, 10.0], [1.0, 10.0], [0.0, 20.0], [1.0, 20.0]])
    y = values[:, 0] * 5 + values[:, 1] * 0.1
    rows = tornado_rows(["a", "b"], values, y, [0.0, 10.0], [1.0, 20.0]).set_index("param")
    assert rows.loc["a", "low_mean"] == pytest.approx(1.5)
    assert rows.loc["a", "high_mean"] == pytest.approx(6.5)
    assert rows.loc["b", "swing"] == pytest.approx(1.0)
    assert rows.index.tolist() == ["a", "b"]  # widest first
