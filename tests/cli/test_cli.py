"""The ``anpo`` command as a user meets it: commands, --json shapes, clear errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from anpo.cli.main import app

runner = CliRunner()


def call(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def call_json(*args: str) -> dict[str, Any]:
    code, out, err = call(*args, "--json")
    assert code == 0, (out, err)
    payload: dict[str, Any] = json.loads(out)
    assert payload["ok"] is True
    return payload


@pytest.fixture
def db(tmp_path: Path) -> str:
    return str(tmp_path / "cli.duckdb")


@pytest.fixture
def run_id(small_raid: Path, db: str) -> str:
    payload = call_json("run", str(small_raid), "--trials", "1200", "--seed", "4", "--db", db)
    return str(payload["run_id"])


def test_run_json_shape(small_raid: Path, db: str) -> None:
    payload = call_json("run", str(small_raid), "-n", "1000", "--db", db, "--chunk-size", "300")
    assert set(payload) == {
        "ok",
        "command",
        "run_id",
        "scenario",
        "kind",
        "date",
        "trials",
        "seed",
        "chunk_size",
        "workers",
        "db",
        "wall_s",
        "headline",
        "report",
    }
    assert (payload["scenario"], payload["trials"], payload["seed"]) == ("small-raid", 1000, 1960)
    assert set(payload["headline"]) == {
        "leakers", "interceptors_upper", "interceptors_lower", "shooters_dry"
    }  # fmt: skip
    assert set(payload["headline"]["leakers"]) == {
        "mean", "se", "p05", "p50", "p95", "p_none", "unit"
    }  # fmt: skip
    assert payload["headline"]["leakers"]["unit"] == "warheads"
    assert payload["report"] is None
    assert Path(db).exists()


def test_run_plain_prints_headline(small_raid: Path, db: str) -> None:
    code, out, _ = call("run", str(small_raid), "-n", "500", "--db", db)
    assert code == 0
    assert "small-raid (missile_defense, 2010-06-01), 500 trials, seed 1960" in out
    assert "leakers: mean" in out and "95% Monte Carlo error" in out


def test_runs_rerun_export_report(run_id: str, db: str, tmp_path: Path) -> None:
    runs = call_json("runs", "--db", db)["runs"]
    assert [r["run_id"] for r in runs] == [run_id]
    # at 80 columns the whole id is printed, ready to copy
    lines = _console("runs", db=db)
    assert len(run_id) == 16
    assert any(line.split()[0] == run_id for line in lines if line.split())
    assert all(len(line) <= 80 for line in lines)
    assert runs[0]["scenario_date"] == "2010-06-01"
    rerun = call_json("rerun", run_id, "--db", db)
    assert rerun["identical"] is True and rerun["differing"] == []
    code, out, _ = call("rerun", run_id[:8], "--db", db)
    assert code == 0 and "identical results" in out
    files = call_json("export", run_id, "--format", "csv", "--out", str(tmp_path / "x"), "--db", db)
    assert [Path(f).name for f in files["files"]] == [
        f"{run_id[:12]}-run.csv",
        f"{run_id[:12]}-parameters.csv",
        f"{run_id[:12]}-outcomes.csv",
    ]
    report = call_json("report", run_id, "--out", str(tmp_path / "r"), "--db", db)
    html = Path(report["report"]).read_text()
    assert run_id in html


def test_show_lists_every_input_with_kind_source_and_date(small_raid: Path) -> None:
    payload = call_json("show", str(small_raid))
    inputs = {e["name"]: e for e in payload["inputs"]}
    assert set(inputs["sspk.sm3-ia"]) == {
        "name",
        "value",
        "unit",
        "kind",
        "source",
        "as_of",
        "note",
        "override",
        "url",
    }
    assert inputs["sspk.sm3-ia"]["kind"] == "estimate"
    assert inputs["date"]["value"] == "2010-06-01"
    assert len(payload["scenario_hash"]) == 64
    code, out, _ = call("show", str(small_raid), "--full")
    assert code == 0 and "sspk.sm3-ia" in out


def _console(*args: str, columns: int = 80, db: str | None = None) -> list[str]:
    """The lines the installed command prints at a terminal width of ``columns``."""
    exe = Path(sys.executable).parent / "anpo"
    env = {**os.environ, "COLUMNS": str(columns)}
    if db:
        env["ANPO_DB"] = db
    done = subprocess.run([str(exe), *args], capture_output=True, text=True, env=env, check=True)
    return done.stdout.splitlines()


def test_show_opens_with_a_summary(small_raid: Path) -> None:
    """The summary first (threat, forces, law, counts), the full ledger with --full."""
    payload = call_json("show", str(small_raid))
    summary = payload["summary"]
    kinds = [e["kind"] for e in payload["inputs"]]
    assert summary["counts"] == {k: kinds.count(k) for k in ("fact", "estimate", "assumption")}
    assert summary["inputs"] == len(payload["inputs"])
    assert any(line.startswith("threat.missiles[0]: ") for line in summary["threat"])
    assert any(line.startswith("law.japan.") for line in summary["law"])
    assert summary["forces"]

    short = _console("show", str(small_raid))
    full = _console("show", str(small_raid), "--full")
    assert len(short) <= 40 < len(full)
    assert all(len(line) <= 80 for line in short[:-1] + full)  # the last names the path
    c = summary["counts"]
    assert short[1] == (
        f"{len(kinds)} inputs: {c['fact']} facts, {c['estimate']} estimates, "
        f"{c['assumption']} assumptions"
    )
    heads = [line.split(" (")[0].split(":")[0] for line in short if not line.startswith(" ")]
    assert heads[2:5] == ["Threat", "Forces", "Law"]
    assert short[-1].endswith(f"anpo show {small_raid} --full")
    assert not any("sspk.sm3-ia" in line for line in short)
    assert any("sspk.sm3-ia" in line for line in full)


def test_scenarios_lists_shipped() -> None:
    payload = call_json("scenarios")
    assert [s["name"] for s in payload["scenarios"]] == [
        "andersen-today",
        "bases-in-range-today",
        "east-china-sea-2010",
        "east-china-sea-today",
        "guam-overflight-2015",
        "guam-overflight-2017",
        "kadena-2010",
        "kadena-today",
        "miyako-barrier-2010",
        "miyako-barrier-today",
        "nk-mixed-raid-today",
        "nk-raid-2010",
        "nk-raid-today",
        "nk-same-raid-2010",
        "nk-same-raid-today",
        "taiwan-strait-2010",
        "taiwan-strait-today-f22-381",
        "taiwan-strait-today",
    ]
    assert {s["kind"] for s in payload["scenarios"]} == {
        "air_base", "air_superiority", "asw", "missile_defense", "naval"
    }  # fmt: skip
    by_name = {s["name"]: s for s in payload["scenarios"]}
    assert by_name["nk-raid-today"]["date"] == "2025-12-31"


def test_a_broken_scenario_gets_exit_2_clear_lines_and_stores_nothing(
    broken: Path, db: str
) -> None:
    code, out, err = call("run", str(broken), "--db", db)
    assert code == 2
    assert "broken.yaml: 6 problem(s)" in err
    assert "threat.missiles[1].cuont: unknown key" in err
    assert "Traceback" not in out + err
    assert not Path(db).exists()
    code, out, _ = call("run", str(broken), "--db", db, "--json")
    payload = json.loads(out)
    assert code == 2 and payload["ok"] is False
    assert payload["error"]["type"] == "ScenarioError"
    assert payload["error"]["problems"][1] == {
        "path": "threat.missiles[1].count",
        "value": None,
        "message": "required field is missing",
    }


def test_store_errors_exit_3(db: str) -> None:
    code, _, err = call("rerun", "abcdef12", "--db", db)
    assert code == 3
    assert "no results store at" in err
    code, out, _ = call("export", "zz", "--db", db, "--json")
    assert code == 3
    assert json.loads(out)["error"]["lines"] == [
        "'zz' is not a run id (6 to 64 lowercase hex digits)"
    ]


def test_bad_numbers_exit_2(small_raid: Path, db: str) -> None:
    code, _, err = call("run", str(small_raid), "--trials", "0", "--db", db)
    assert code == 2
    assert "trials must be between 1 and 1,500,000 (got 0)" in err


@pytest.mark.slow
def test_demo_runs_the_default_scenario_and_writes_a_report(tmp_path: Path, db: str) -> None:
    payload = call_json("demo", "--trials", "800", "--out", str(tmp_path / "demo"), "--db", db)
    assert payload["scenario"] == "nk-raid-2010"
    assert Path(payload["report"]).is_file()


def test_console_script_runs_with_workers(small_raid: Path, tmp_path: Path) -> None:
    """The installed entry point, with a process pool, in a fresh interpreter."""
    exe = Path(sys.executable).parent / "anpo"
    env = {**os.environ, "ANPO_DB": str(tmp_path / "s.duckdb")}
    done = subprocess.run(
        [
            str(exe),
            "run",
            str(small_raid),
            "-n",
            "3000",
            "-w",
            "2",
            "--chunk-size",
            "1000",
            "--json",
        ],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    two = json.loads(done.stdout)
    done = subprocess.run(
        [str(exe), "rerun", two["run_id"], "--json"],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    assert json.loads(done.stdout)["identical"] is True


def test_missile_loft_json_shape() -> None:
    """Hwasong-15, 29 Nov 2017: the published test (apogee ~4,475 km, ~950 km, ~53 min)."""
    payload = call_json(
        "missile", "loft", "--apogee-km", "4475", "--range-km", "950", "--flight-time-min", "53"
    )
    assert {"burnout_speed_km_s", "max_range_km", "flight_time_min"} <= set(payload)
    assert payload["flight_time_fitted"] is False
    assert 10_000 < payload["max_range_km"] < 14_000
    code, _, err = call("missile", "loft", "--apogee-km", "-1", "--range-km", "950")
    assert code == 2 and "must be positive" in err
