"""Comparisons on common random numbers: paired errors, identity matching, levers."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

import anpo
from anpo import studies
from anpo.cli.main import app
from anpo.errors import ScenarioError, UsageError
from anpo.scenario.edit import parse_path, with_values
from anpo.store import Store
from anpo.studies.paired import Side, compare


def test_paths() -> None:
    assert parse_path("posture.ships.usn") == ["posture", "ships", "usn"]
    assert parse_path('uncertain["sspk.sm3-ia"]') == ["uncertain", "sspk.sm3-ia"]
    with pytest.raises(ValueError):
        parse_path("a..b")


def test_with_values_is_checked_by_the_schema(small_text: str) -> None:
    changed = with_values(small_text, {"doctrine.upper.salvo": 1, "posture.ships.usn": 2})
    assert changed.spec.doctrine.upper.salvo == 1 and changed.spec.posture.ships.usn == 2
    with pytest.raises(ScenarioError) as bad:
        with_values(small_text, {"doctrine.upper.salvo": 99})
    assert bad.value.problems[0].path == "doctrine.upper.salvo"
    with pytest.raises(ScenarioError) as typo:
        with_values(small_text, {"doctrine.uper.salvo": 1})
    assert "unknown key" in typo.value.problems[0].message


def test_levers_are_checked() -> None:
    assert studies.lever_values("missile_defense", {"upper_salvo": 1}) == {
        "doctrine.upper.salvo": 1
    }
    with pytest.raises(UsageError, match="between 1 and 4"):
        studies.lever_values("missile_defense", {"upper_salvo": 9})
    with pytest.raises(UsageError, match="no lever"):
        studies.lever_values("missile_defense", {"f22": 381})


def test_paired_error_and_a_lever_with_no_effect(small_raid: Path) -> None:
    cmp = studies.compare(
        small_raid,
        {"one shot": {"doctrine.upper.salvo": 1}, "same": {"law.override": False}},
        trials=3000,
        seed=11,
        chunk_size=1000,
    )
    t = cmp.table
    lk = t[(t["variant"] == "one shot") & (t["outcome"] == "leakers")].iloc[0]
    # one SM-3 per look instead of two: fewer interceptors up top, more leakers
    assert lk["diff"] > 3 * lk["se_paired"]
    # (ran_dry_s has a value only in the trials where a shooter ran dry: its two sides
    # are means over different trials, which pairing cannot tighten)
    both = t[(t["present"] == "both") & (t["se_paired"] > 0) & (t["outcome"] != "ran_dry_s")]
    assert (both["se_paired"] <= both["se_independent"] + 1e-12).all()
    assert lk["gain"] > 1.5
    same = t[t["variant"] == "same"]
    assert (same["diff"].fillna(0.0) == 0.0).all()  # no effect: exactly zero
    assert (same["se_paired"].fillna(0.0) == 0.0).all()


def test_entries_matched_by_identity_not_position() -> None:
    def side(names: list[str], values: list[float], seed: int = 1) -> Side:
        a = np.tile(np.array(values), (4, 1))
        return Side("x", {"expended": a}, {"expended": ("shooter",)},
                    {"shooter": names}, {"expended": "count"}, seed, 10, 4)  # fmt: skip

    a = side(["Kongo", "Chokai"], [3.0, 5.0])
    b = side(["Chokai", "Maya", "Kongo"], [6.0, 1.0, 3.0])
    t = compare(a, b).set_index("entry")
    assert t.loc["Kongo", "diff"] == 0.0
    assert t.loc["Chokai", "diff"] == 1.0
    assert t.loc["Maya", "present"] == "b" and math.isnan(t.loc["Maya", "diff"])


def test_stored_runs_compared_by_name(small_raid: Path, tmp_path: Path) -> None:
    store = Store(tmp_path / "s.duckdb")
    a = anpo.run(small_raid, trials=800, seed=3, store=store, chunk_size=400)
    changed = with_values(small_raid.read_text(encoding="utf-8"), {"doctrine.lower.salvo": 1})
    b = anpo.run(changed, trials=800, seed=3, store=store, chunk_size=400)
    c = anpo.run(changed, trials=800, seed=4, store=store, chunk_size=400)
    paired = studies.compare_runs(store, a.run_id, b.run_id)
    assert paired.paired
    memory = studies.compare(small_raid, {"v": {"doctrine.lower.salvo": 1}},
                             trials=800, seed=3, chunk_size=400)  # fmt: skip
    lk_store = paired.table[paired.table["outcome"] == "leakers"].iloc[0]
    lk_memory = memory.table[memory.table["outcome"] == "leakers"].iloc[0]
    assert lk_store["diff"] == pytest.approx(lk_memory["diff"], abs=1e-12)
    assert lk_store["se_paired"] == pytest.approx(lk_memory["se_paired"], abs=1e-12)
    assert not studies.compare_runs(store, a.run_id, c.run_id).paired


def test_cli_compare(small_raid: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    res = runner.invoke(
        app,
        ["compare", str(small_raid), "--lever", "upper_salvo=1", "-n", "1500", "--json",
         "--db", str(tmp_path / "c.duckdb")],
    )  # fmt: skip
    assert res.exit_code == 0, res.output
    payload = json.loads(res.stdout)
    assert payload["paired"] is True and payload["b"] == "doctrine.upper.salvo=1"
    assert payload["rows"][0]["outcome"] == "leakers"
    bad = runner.invoke(app, ["compare", str(small_raid), "--lever", "nope=1", "--json"])
    assert bad.exit_code == 2 and "no lever" in bad.stdout


def test_fewer_usn_ships_drop_their_references() -> None:
    """``usn_ships=2`` on a scenario that stations a third U.S. ship removes that ship's
    station (and every other reference to it) instead of failing to resolve."""
    from anpo.kinds.missile_defense.levers import tidy

    base = anpo.load_scenario("nk-same-raid-today")
    assert "USN BMD ship 3 (Yokosuka)" in base.spec.posture.ships.stations
    values = studies.lever_values("missile_defense", {"usn_ships": 2})
    two = with_values(base.text, values)
    assert two.spec.posture.ships.stations == {}
    names = [s for s in anpo.scenario.resolve(two).inputs.labels["shooter"] if "USN" in s]
    assert names == [
        "USN BMD ship 1 (Yokosuka)",
        "USN BMD ship 1 (Yokosuka) [sm6]",
        "USN BMD ship 2 (Yokosuka)",
        "USN BMD ship 2 (Yokosuka) [sm6]",
    ]
    # three or more keep the station
    assert with_values(base.text, {"posture.ships.usn": 3}).spec.posture.ships.stations
    # every kind of reference, the ship's extra rounds ([sm6]) included
    data = {
        "posture": {
            "ships": {
                "usn": 4,
                "stations": {"USN BMD ship 3 (Yokosuka) [sm6]": "x", "JS Kongo (DDG-173)": "y"},
                "magazine": {"USN BMD ship 4 (Yokosuka)": 2, "USN BMD ship 1 (Yokosuka)": 3},
                "select": ["USN BMD ship 1 (Yokosuka)", "USN BMD ship 12 (Yokosuka)"],
                "exclude": ["USN BMD ship 2 (Yokosuka)", "USN BMD ship 3 (Yokosuka)"],
            }
        },
        "feasibility": {"overrides": [{"shooter": "USN BMD ship 3 (Yokosuka)"}, {"shooter": "*"}]},
    }
    tidy(data, {"posture.ships.usn": 2})
    ships = data["posture"]["ships"]
    assert ships["stations"] == {"JS Kongo (DDG-173)": "y"}
    assert ships["magazine"] == {"USN BMD ship 1 (Yokosuka)": 3}
    assert ships["select"] == ["USN BMD ship 1 (Yokosuka)"]
    assert ships["exclude"] == ["USN BMD ship 2 (Yokosuka)"]
    assert data["feasibility"]["overrides"] == [{"shooter": "*"}]
    before = json.dumps(data)
    tidy(data, {"doctrine.upper.salvo": 1})  # other changes leave it alone
    assert json.dumps(data) == before
