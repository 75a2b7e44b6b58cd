"""Processes and files: a killed run leaves no process behind, SIGTERM is Ctrl-C, usage
errors speak JSON, files are never overwritten silently, output folders are checked
before the work (defects 10 and 11 of the hardening issue)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from anpo.cli.common import run_app
from anpo.cli.main import app
from anpo.store import Store

runner = CliRunner()
PROC = Path("/proc")


def _stat(pid: int) -> list[str] | None:
    try:
        text = (PROC / str(pid) / "stat").read_text()
    except OSError:
        return None
    return text.rsplit(")", 1)[1].split()  # state, ppid, ...


def _children(pid: int) -> list[int]:
    out = []
    for entry in PROC.iterdir():
        if entry.name.isdigit():
            fields = _stat(int(entry.name))
            if fields is not None and int(fields[1]) == pid:
                out.append(int(entry.name))
    return out


def _alive(pid: int) -> bool:
    fields = _stat(pid)
    return fields is not None and fields[0] not in ("Z", "X")


def _poll(condition: object, deadline_s: float, what: str) -> None:
    """Wait for ``condition()`` to hold, checking often; fail after ``deadline_s``."""
    end = time.monotonic() + deadline_s
    while not condition():  # type: ignore[operator]
        if time.monotonic() > end:
            pytest.fail(f"gave up waiting: {what}")
        time.sleep(0.05)


@pytest.mark.skipif(not PROC.is_dir(), reason="reads the process table from /proc")
@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGKILL])
def test_a_killed_run_leaves_no_process_behind(tmp_path: Path, sig: signal.Signals) -> None:
    db = tmp_path / "killed.duckdb"
    err_path = tmp_path / "stderr.txt"
    env = {**os.environ, "ANPO_DB": str(db)}
    command = [sys.executable, "-m", "anpo.cli.main", "run", "nk-raid-2010"]
    command += ["--trials", "1000000", "--chunk-size", "20000", "--workers", "2"]
    with open(err_path, "w") as err, open(tmp_path / "stdout.txt", "w") as out:
        proc = subprocess.Popen(command, env=env, stdout=out, stderr=err)
    try:
        # the two workers and the resource tracker: children running Python's multiprocessing
        def started() -> bool:
            kids = [k for k in _children(proc.pid) if _alive(k)]
            return len(kids) >= 3 or proc.poll() is not None

        _poll(started, 180, "the run's worker processes to start")
        assert proc.poll() is None, "the run ended before it could be killed"
        kids = _children(proc.pid)
        proc.send_signal(sig)
        code = proc.wait(timeout=120)
        _poll(lambda: not any(_alive(k) for k in kids), 60, f"workers {kids} to end")
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    if sig == signal.SIGTERM:
        assert code == 143
        assert "terminated (SIGTERM): nothing was stored" in err_path.read_text()
    else:
        assert code == -signal.SIGKILL
    assert not db.exists() or Store(db).runs().empty


def test_usage_errors_are_json_under_json(capsys: pytest.CaptureFixture[str]) -> None:
    code = run_app(app, "anpo", ["run", "nk-raid-2010", "--trials", "many", "--json"])
    assert code == 2
    payload = json.loads(capsys.readouterr().out)
    assert payload["ok"] is False and payload["error"]["type"] == "UsageError"
    assert "'--trials'" in payload["error"]["lines"][0]
    assert run_app(app, "anpo", ["no-such-command", "--json"]) == 2
    assert "No such command" in json.loads(capsys.readouterr().out)["error"]["lines"][0]


def test_export_and_report_never_overwrite_silently(small_raid: Path, tmp_path: Path) -> None:
    db = str(tmp_path / "f.duckdb")
    ran = runner.invoke(app, ["run", str(small_raid), "-n", "100", "--db", db, "--json"])
    run_id = json.loads(ran.stdout)["run_id"]
    out = str(tmp_path / "out")
    for command in (["export", run_id, "-f", "csv"], ["report", run_id]):
        first = runner.invoke(app, [*command, "--out", out, "--db", db, "--json"])
        assert first.exit_code == 0, first.stdout
        again = runner.invoke(app, [*command, "--out", out, "--db", db, "--json"])
        assert again.exit_code == 3
        assert "already exist(s); use --force" in json.loads(again.stdout)["error"]["lines"][0]
        forced = runner.invoke(app, [*command, "--out", out, "--db", db, "--force", "--json"])
        assert forced.exit_code == 0, forced.stdout


def test_report_folder_is_checked_before_the_run(small_raid: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    db = tmp_path / "r.duckdb"
    result = runner.invoke(
        app,
        ["run", str(small_raid), "-n", "100", "--db", str(db), "--report", str(blocker / "x")],
        catch_exceptions=False,
    )
    assert result.exit_code == 2
    assert "cannot create the folder" in result.stderr
    assert not db.exists()  # nothing computed, nothing stored


def test_memory_refusal_on_the_command_line(tmp_path: Path) -> None:
    db = tmp_path / "m.duckdb"
    result = runner.invoke(
        app,
        ["run", "nk-raid-today", "-n", "400000", "--db", str(db), "--json"],
        env={"ANPO_MEMORY_LIMIT": "1G"},
    )
    assert result.exit_code == 2
    line = json.loads(result.stdout)["error"]["lines"][0]
    assert "would need about" in line and "trials fit" in line
    assert not db.exists()
