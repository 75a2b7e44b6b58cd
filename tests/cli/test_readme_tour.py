"""The README's short tour runs as written, command by command, on the shipped scenarios.

Each command of the tour's shell block is run in order (in a fresh folder, with the test's
private store), with the trial counts made small; ``<run-id>``, ``<run-a>``, ``<run-b>`` and
``<study-id>`` are filled with ids the earlier commands stored, as a reader would copy them
from ``anpo runs`` and ``anpo studies``.
"""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from anpo.cli.main import app

ROOT = Path(__file__).resolve().parents[2]
runner = CliRunner()

SMALL = {"run": "200", "compare": "200", "then-and-now": "60", "sweep": "60"}
"""Trials per command (the tour's own counts are for a reader's machine, not a test)."""


def tour() -> list[list[str]]:
    """The tour's commands, continuation lines joined and comments dropped."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## A short tour", 1)[1]
    block = re.search(r"```sh\n(.*?)```", section, re.S)
    assert block is not None
    text = re.sub(r"\\\n\s*", " ", block.group(1))
    commands = []
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            words = shlex.split(line)
            assert words[0] == "anpo", line
            commands.append(words[1:])
    return commands


def small(words: list[str]) -> list[str]:
    """``words`` with the trial counts cut to :data:`SMALL`."""
    n = SMALL.get(words[0])
    if n is None:
        return words
    out, given = list(words), False
    for i, w in enumerate(out[:-1]):
        if w in ("--trials", "-n", "-t"):
            out[i + 1], given = n, True
    return out if given else [*out, "--trials", n]


def test_the_tour_is_the_one_documented() -> None:
    names = [" ".join(w[:2]) if w[0] == "study" else w[0] for w in tour()]
    assert names == [
        "scenarios", "show", "run", "runs", "rerun", "export", "report", "compare",
        "compare", "compare", "then-and-now", "sweep", "then-and-now", "studies",
        "study rerun", "study report",
    ]  # fmt: skip


def test_every_tour_command_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    ids: dict[str, str] = {}
    for words in tour():
        if "<run-a>" in words:
            stored = _call(["runs"])["runs"]
            assert len(stored) >= 2
            ids["<run-a>"], ids["<run-b>"] = stored[0]["run_id"], stored[1]["run_id"]
        if "<study-id>" in words:
            ids["<study-id>"] = _call(["studies"])["studies"][0]["study_id"]
        args = small([ids.get(w, w) for w in words])
        assert not [w for w in args if w.startswith("<")], args
        payload = _call(args)
        if words[0] == "run":
            ids["<run-id>"] = payload["run_id"]
            assert (tmp_path / payload["report"]).is_file()
        if words[0] == "rerun":
            assert payload["identical"] is True  # "bit-identical results"
    assert sorted(p.suffix for p in (tmp_path / "tables").iterdir())  # the export wrote
    assert any((tmp_path / "out").iterdir())


def _call(args: list[str]) -> dict[str, Any]:
    result = runner.invoke(app, [*args, "--json"])
    assert result.exit_code == 0, (args, result.stdout, result.stderr)
    payload: dict[str, Any] = json.loads(result.stdout)
    assert payload["ok"] is True, args
    return payload
