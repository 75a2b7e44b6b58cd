"""The study commands: studies, study show/export/rerun/report, then-and-now --all."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from anpo.cli.main import app


def _json(args: list[str]) -> dict[str, object]:
    res = CliRunner().invoke(app, [*args, "--json"])
    assert res.exit_code == 0, res.output
    payload: dict[str, object] = json.loads(res.stdout)
    return payload


def test_study_commands(small_raid: Path, tmp_path: Path) -> None:
    db = ["--db", str(tmp_path / "c.duckdb")]
    made = _json(["compare", str(small_raid), "--lever", "lower_salvo=1", "-n", "300", *db])
    study = str(made["study_id"])
    swept = _json(["sweep", str(small_raid), "-p", "doctrine.lower.salvo=1:2", "--design",
                   "grid", "--n", "2", "-t", "100", *db])  # fmt: skip
    listed = _json(["studies", *db])["studies"]
    assert isinstance(listed, list)
    assert {r["study_id"] for r in listed} == {study, swept["study_id"]}
    shown = _json(["study", "show", study[:8], *db])
    assert shown["study"]["type"] == "comparison"  # type: ignore[index]
    assert [v["name"] for v in shown["tables"]["variants"]] == [  # type: ignore[index]
        "base",
        "doctrine.lower.salvo=1",
    ]
    rerun = _json(["study", "rerun", str(swept["study_id"]), *db])
    assert rerun["identical"] is True and rerun["checked"] == 2
    files = _json(["study", "export", study, "--out", str(tmp_path / "x"), *db])["files"]
    assert isinstance(files, list) and len(files) == 2
    report = _json(["study", "report", str(swept["study_id"]), "--out", str(tmp_path), *db])
    assert Path(str(report["report"])).read_text(encoding="utf-8").count("<svg") == 1
    plain = CliRunner().invoke(app, ["studies", *db])
    assert plain.exit_code == 0 and study in plain.stdout
    bad = CliRunner().invoke(app, ["study", "show", "abcdef", *db, "--json"])
    assert bad.exit_code != 0 and "no study abcdef" in bad.stdout


def test_then_and_now_all(tmp_path: Path) -> None:
    payload = _json(["then-and-now", "--all", "-n", "20", "--db",
                     str(tmp_path / "t.duckdb")])  # fmt: skip
    rows = payload["scenarios"]
    assert isinstance(rows, list)
    names = [r["scenario"] for r in rows]
    assert "nk-raid-2010" in names and "nk-same-raid-2010" in names and "kadena-2010" in names
    nk = next(r for r in rows if r["scenario"] == "nk-raid-2010")
    assert nk["today_form"] == "nk-raid-today" and nk["then"] == "2010-01-01"
    assert nk["attribution"][0]["outcome"] == "leakers"
    assert all(r["study_id"] for r in rows)
    bad = CliRunner().invoke(app, ["then-and-now", "nk-raid-2010", "--all", "--json"])
    assert bad.exit_code == 2 and "give no scenario" in bad.stdout
