"""A bad or busy store is found before computing; a second writer waits and loses nothing."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

import anpo
import anpo.engine
from anpo.errors import StoreError
from anpo.store import Store

HOLD = (
    "import duckdb, sys; c = duckdb.connect(sys.argv[1]); print('ready', flush=True); "
    "sys.stdin.readline(); c.close(); print('released', flush=True)"
)


class Holder:
    """Another process that holds the store's write lock until told to let go."""

    def __init__(self, db: Path) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-c", HOLD, str(db)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.proc.stdout is not None
        assert self.proc.stdout.readline().strip() == "ready"
        self.released = False

    def release(self, _message: str = "") -> None:
        if not self.released:
            assert self.proc.stdin is not None and self.proc.stdout is not None
            self.proc.stdin.write("go\n")
            self.proc.stdin.flush()
            assert self.proc.stdout.readline().strip() == "released"
            self.released = True


@pytest.fixture
def holder(tmp_path: Path) -> Iterator[Holder]:
    db = tmp_path / "busy.duckdb"
    Store(db).preflight()
    h = Holder(db)
    try:
        yield h
    finally:
        h.proc.kill()
        h.proc.wait()


@pytest.fixture
def no_computing(monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(*args: object, **kwargs: object) -> object:
        raise AssertionError("the run computed before its store was checked")

    monkeypatch.setattr(anpo.engine, "run_trials", boom)


def count_runs(db: Path) -> int:
    con = duckdb.connect(str(db), read_only=True)
    try:
        row = con.execute("SELECT count(*) FROM runs").fetchone()
        assert row is not None
        return int(row[0])
    finally:
        con.close()


@pytest.mark.usefixtures("no_computing")
def test_a_locked_store_is_found_before_computing(small_raid: Path, holder: Holder) -> None:
    db = Path(holder.proc.args[-1])  # type: ignore[index]
    said: list[str] = []
    store = Store(db, lock_wait_s=0.3, notify=said.append)
    with pytest.raises(StoreError, match=r"is in use by another anpo process \(waited 0 s\)"):
        anpo.run(small_raid, trials=100, seed=1, store=store)
    assert said == [
        f"the results store {db} is in use by another anpo process; waiting up to 0 s for it"
    ]


@pytest.mark.usefixtures("no_computing")
@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda d: d / "a-folder", "is a directory; give a file path"),
        (lambda d: d / "text.duckdb", r"is not an anpo results store \(not a DuckDB database\)"),
        (lambda d: d / "text.duckdb" / "under-a-file.duckdb", "cannot create the folder"),
        (lambda d: Path("/sys/anpo.duckdb"), "cannot open the results store /sys/anpo.duckdb"),
    ],
)
def test_a_bad_store_path_is_found_before_computing(
    small_raid: Path, tmp_path: Path, make: object, message: str
) -> None:
    (tmp_path / "a-folder").mkdir()
    (tmp_path / "text.duckdb").write_text("root:x:0:0:root:/root:/bin/bash\n")
    path = make(tmp_path)  # type: ignore[operator]
    with pytest.raises(StoreError, match=message):
        anpo.run(small_raid, trials=100, seed=1, store=path)


def test_a_second_writer_waits_for_the_lock_and_loses_nothing(
    small_raid: Path, holder: Holder
) -> None:
    db = Path(holder.proc.args[-1])  # type: ignore[index]
    said: list[str] = []

    def waiting(message: str) -> None:  # the writer is waiting: now let the holder go
        said.append(message)
        holder.release()

    result = anpo.run(small_raid, trials=200, seed=1, store=Store(db, notify=waiting))
    assert said and "waiting up to 60 s" in said[0]
    assert result.stored and count_runs(db) == 1


def test_a_reader_waits_for_a_write_in_progress(holder: Holder) -> None:
    db = Path(holder.proc.args[-1])  # type: ignore[index]
    said: list[str] = []

    def waiting(message: str) -> None:
        said.append(message)
        holder.release()

    assert Store(db, notify=waiting).runs().empty
    assert said and "waiting up to 30 s" in said[0]


def test_two_processes_writing_at_once_both_store_their_runs(
    small_raid: Path, tmp_path: Path
) -> None:
    db = tmp_path / "two.duckdb"
    code = (
        "import sys, anpo; r = anpo.run(sys.argv[1], trials=3000, seed=int(sys.argv[3]), "
        "store=sys.argv[2]); print(r.run_id)"
    )
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", code, str(small_raid), str(db), str(seed)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for seed in (1, 2)
    ]
    ids = []
    for p in procs:
        out, err = p.communicate(timeout=300)
        assert p.returncode == 0, err
        ids.append(out.strip())
    assert len(set(ids)) == 2
    assert set(Store(db).runs()["run_id"]) == set(ids)
