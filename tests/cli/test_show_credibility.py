"""``anpo show --credibility`` lists every credibility default, with its label (issue #17)."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from anpo.cli.main import app
from anpo.studies.credibility import LABEL, assumptions

runner = CliRunner()


def _json(*args: str) -> dict[str, Any]:
    result = runner.invoke(app, [*args, "--json"])
    assert result.exit_code == 0, result.stdout
    payload: dict[str, Any] = json.loads(result.stdout)
    return payload


@pytest.mark.parametrize(
    ("name", "day"),
    [("nk-raid-2010", dt.date(2010, 1, 1)), ("east-china-sea-today", dt.date(2025, 12, 31))],
)
def test_every_default_is_listed_with_its_label(name: str, day: dt.date) -> None:
    """The JSON holds every default of the scenario's date, as ``anpo credibility`` has it."""
    payload = _json("show", name, "--credibility")
    expected = [a.as_dict() for a in assumptions(day).values()]
    assert payload["credibility"] == expected
    keys = {a["key"] for a in expected}
    assert any(k.startswith("weight.") for k in keys)
    assert any(k.startswith("willingness.japan.") for k in keys)
    assert {"deterrence.gain", "deterrence.cost", "deterrence.response"} <= keys
    assert all(a["label"] == LABEL == "assumption" for a in payload["credibility"])
    listed = _json("credibility", "--date", str(day), "--assumptions")["assumptions"]
    assert payload["credibility"] == listed
    assert "credibility" not in _json("show", name)


def test_the_text_names_each_default_its_label_range_and_reasoning() -> None:
    exe = Path(sys.executable).parent / "anpo"
    env = {**os.environ, "COLUMNS": "80"}
    done = subprocess.run(
        [str(exe), "show", "kadena-2010", "--credibility"],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    lines = done.stdout.splitlines()
    assert all(len(line) <= 80 for line in lines)
    text = done.stdout
    defaults = assumptions(dt.date(2010, 1, 1))
    assert f"Credibility defaults on 2010-01-01 ({len(defaults)};" in text
    for a in defaults.values():
        row = f"  {a.key} [assumption] {a.low:g} / {a.nominal:g} / {a.high:g}"
        assert any(line.startswith(row) for line in lines), row
        assert f"Why (kb record {a.record}):" in text
    # the reasoning itself, in words (first words of each record's)
    for a in defaults.values():
        first = " ".join(a.reasoning.split()[:3])
        assert first in " ".join(text.split())
    assert lines[-1] == "Every input, with its source: anpo show kadena-2010 --full"
