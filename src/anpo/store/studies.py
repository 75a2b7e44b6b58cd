"""Studies in the results store: a comparison, a then-and-now or a sweep, with its
variants and their runs.

Tables (added to any store the first time a study is written; a store without
them simply has no studies):

``studies``
    one row per study: its type (``comparison``, ``then-and-now``, ``sweep``), the
    scenario's name and kind, everything that reruns it (``spec_json``: the scenario
    text, the variants or the design, trials, seed, chunk size), anpo's and the
    dependencies' versions, when it started and finished, and its ``status``
    (``running`` until the last variant is stored, then ``complete``).
``study_variants``
    one row per variant (the base is position 0): its name, the changes it makes
    (``changes_json``: field paths and values, or a then-and-now mix's factor dates),
    the id of its stored run (in ``runs``), and a note (why a mix was not resolved;
    such a variant has no run).
``study_points``
    one row per evaluated point of a sweep: the parameter values (in the order of
    the spec's parameters), each outcome's mean per trial and its Monte Carlo
    standard error (in the order of the spec's outcomes), and the hash of the
    resolved inputs the point ran. A sweep keeps these summaries, not per-trial
    values: a 1,000-point design would otherwise hold millions of rows.
``study_results``
    the study's result tables as JSON records (``table``: a comparison's paired
    differences, a then-and-now's ``attribution`` and ``means``, a sweep's
    ``sobol:<outcome>``), written with the row that marks the study complete.

A crash mid-study leaves only whole variants: a variant's run is written in one
transaction (:meth:`anpo.store.Store.save`) and its ``study_variants`` row only
after that transaction committed; a sweep's points are written batch by batch, each
batch in one transaction. A study left ``running`` is listed as such.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import duckdb
import numpy as np
import pyarrow as pa

from anpo.errors import StoreError

if TYPE_CHECKING:
    import pandas as pd

    from anpo.store import Store

__all__ = [
    "STUDY_SCHEMA",
    "STUDY_TYPES",
    "StudyRecord",
    "add_points",
    "add_variant",
    "begin_study",
    "finish_study",
    "list_studies",
    "records_json",
    "resolve_study_id",
    "study",
    "study_id_for",
    "study_points",
    "study_results",
    "study_variants",
]

STUDY_TYPES = ("comparison", "then-and-now", "sweep")

STUDY_SCHEMA = """
CREATE TABLE IF NOT EXISTS studies (
    study_id VARCHAR PRIMARY KEY,
    type VARCHAR NOT NULL,
    name VARCHAR NOT NULL,
    kind VARCHAR NOT NULL,
    spec_json VARCHAR NOT NULL,
    seed UBIGINT NOT NULL,
    n_trials INTEGER NOT NULL,
    chunk_size INTEGER NOT NULL,
    anpo_version VARCHAR NOT NULL,
    versions_json VARCHAR NOT NULL,
    created_at TIMESTAMP NOT NULL,
    finished_at TIMESTAMP,
    status VARCHAR NOT NULL
);
CREATE TABLE IF NOT EXISTS study_variants (
    study_id VARCHAR NOT NULL,
    position INTEGER NOT NULL,
    name VARCHAR NOT NULL,
    changes_json VARCHAR NOT NULL,
    run_id VARCHAR,
    note VARCHAR NOT NULL
);
CREATE TABLE IF NOT EXISTS study_points (
    study_id VARCHAR NOT NULL,
    point INTEGER NOT NULL,
    "values" DOUBLE[] NOT NULL,
    means DOUBLE[] NOT NULL,
    ses DOUBLE[] NOT NULL,
    inputs_hash VARCHAR NOT NULL
);
CREATE TABLE IF NOT EXISTS study_results (
    study_id VARCHAR NOT NULL,
    "table" VARCHAR NOT NULL,
    records_json VARCHAR NOT NULL
);
"""


@dataclass(frozen=True)
class StudyRecord:
    """The ``studies`` row of a study as it starts."""

    study_id: str
    type: str
    name: str
    kind: str
    spec_json: str
    seed: int
    n_trials: int
    chunk_size: int
    anpo_version: str
    versions_json: str


def study_id_for(spec_json: str, anpo_version: str, numpy_version: str) -> str:
    """A study's id: a hash of its spec and of the versions that fix its numbers."""
    key = json.dumps([spec_json, anpo_version, numpy_version])
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]


def _now() -> str:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None).isoformat(" ", "seconds")


def _has_tables(con: duckdb.DuckDBPyConnection) -> bool:
    rows = con.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE table_name = 'studies'"
    ).fetchone()
    return bool(rows and rows[0])


def begin_study(store: Store, record: StudyRecord) -> bool:
    """Record a study as ``running``; returns False if it is already stored complete.

    A study of the same id left ``running`` (by a crash) is started again: its
    variants, points and results are removed, its runs stay (they are whole).
    """
    with store.connect(write=True) as con:
        con.execute(STUDY_SCHEMA)
        row = con.execute(
            "SELECT status FROM studies WHERE study_id = ?", [record.study_id]
        ).fetchone()
        if row is not None and row[0] == "complete":
            return False
        con.execute("BEGIN TRANSACTION")
        try:
            for table in ("study_variants", "study_points", "study_results", "studies"):
                con.execute(f"DELETE FROM {table} WHERE study_id = ?", [record.study_id])
            values = {**record.__dict__, "created_at": _now(), "status": "running"}
            con.execute(
                f"INSERT INTO studies ({', '.join(values)}) "
                f"VALUES ({', '.join('?' * len(values))})",
                list(values.values()),
            )
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
    return True


def add_variant(
    store: Store,
    study_id: str,
    position: int,
    name: str,
    changes: Mapping[str, Any],
    run_id: str | None,
    note: str = "",
) -> None:
    """Record one variant of a study, after its run (if any) is stored."""
    with store.connect(write=True) as con:
        con.execute(
            "INSERT INTO study_variants VALUES (?, ?, ?, ?, ?, ?)",
            [study_id, position, name, json.dumps(dict(changes), default=str), run_id, note],
        )


def add_points(
    store: Store,
    study_id: str,
    first: int,
    values: np.ndarray[Any, Any],
    means: np.ndarray[Any, Any],
    ses: np.ndarray[Any, Any],
    hashes: Sequence[str],
) -> None:
    """Record a batch of sweep points (rows ``first`` on) in one transaction."""
    n = int(values.shape[0])
    table = pa.table(
        {
            "study_id": [study_id] * n,
            "point": pa.array(np.arange(first, first + n, dtype=np.int32)),
            "values": pa.array([list(map(float, r)) for r in values], pa.list_(pa.float64())),
            "means": pa.array([list(map(float, r)) for r in means], pa.list_(pa.float64())),
            "ses": pa.array([list(map(float, r)) for r in ses], pa.list_(pa.float64())),
            "inputs_hash": list(hashes),
        }
    )
    with store.connect(write=True) as con:
        con.register("points_frame", table)
        try:
            con.execute("BEGIN TRANSACTION")
            try:
                con.execute("INSERT INTO study_points BY NAME SELECT * FROM points_frame")
                con.execute("COMMIT")
            except BaseException:
                con.execute("ROLLBACK")
                raise
        finally:
            con.unregister("points_frame")


def _plain(value: Any) -> Any:
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.floating):
        return float(value)
    if isinstance(value, np.bool_):
        return bool(value)
    if isinstance(value, np.ndarray):
        return value.tolist()
    return str(value)


def records_json(frame: pd.DataFrame) -> str:
    """Records as JSON, every float written exactly (shortest repr; NaN as NaN)."""
    return json.dumps(frame.to_dict("records"), default=_plain)


def finish_study(store: Store, study_id: str, results: Mapping[str, pd.DataFrame]) -> None:
    """Write the study's result tables and mark it complete, in one transaction."""
    with store.connect(write=True) as con:
        con.execute("BEGIN TRANSACTION")
        try:
            for name, frame in results.items():
                con.execute(
                    "INSERT INTO study_results VALUES (?, ?, ?)",
                    [study_id, name, records_json(frame)],
                )
            con.execute(
                "UPDATE studies SET status = 'complete', finished_at = ? WHERE study_id = ?",
                [_now(), study_id],
            )
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise


def list_studies(store: Store) -> pd.DataFrame:
    """Every stored study, newest first, with how many variants and points it holds."""
    import pandas as pd

    with store.connect() as con:
        if not _has_tables(con):
            return pd.DataFrame(
                columns=["study_id", "type", "name", "kind", "n_trials", "seed", "status",
                         "created_at", "variants", "points"]
            )  # fmt: skip
        return con.execute(
            "SELECT s.study_id, s.type, s.name, s.kind, s.n_trials, s.seed, s.status, "
            "s.created_at, (SELECT count(*) FROM study_variants v WHERE v.study_id = s.study_id) "
            "AS variants, (SELECT count(*) FROM study_points p WHERE p.study_id = s.study_id) "
            "AS points FROM studies s ORDER BY s.created_at DESC, s.study_id"
        ).df()


def resolve_study_id(store: Store, study_id: str) -> str:
    """The full id of the study whose id starts with ``study_id``."""
    from anpo.store import RUN_ID

    if not RUN_ID.match(study_id):
        raise StoreError(f"{study_id!r} is not a study id (6 to 64 lowercase hex digits)")
    with store.connect() as con:
        found = (
            [
                str(r[0])
                for r in con.execute(
                    "SELECT study_id FROM studies WHERE starts_with(study_id, ?)", [study_id]
                ).fetchall()
            ]
            if _has_tables(con)
            else []
        )
    if not found:
        raise StoreError(f"no study {study_id} in {store.path}; 'anpo studies' lists them")
    if len(found) > 1:
        raise StoreError(f"study id prefix {study_id} is ambiguous: {', '.join(found)}")
    return found[0]


def study(store: Store, study_id: str) -> dict[str, Any]:
    """The ``studies`` row of a study (a unique prefix of its id is enough)."""
    full = resolve_study_id(store, study_id)
    with store.connect() as con:
        cur = con.execute("SELECT * FROM studies WHERE study_id = ?", [full])
        names = [d[0] for d in cur.description]
        row = cur.fetchone()
    assert row is not None
    out = dict(zip(names, row, strict=True))
    for key in ("created_at", "finished_at"):
        out[key] = None if out[key] is None else str(out[key])
    return out


def study_variants(store: Store, study_id: str) -> pd.DataFrame:
    """The study's variants in order, with their changes (parsed) and run ids."""
    full = resolve_study_id(store, study_id)
    with store.connect() as con:
        frame = con.execute(
            "SELECT position, name, changes_json, run_id, note FROM study_variants "
            "WHERE study_id = ? ORDER BY position",
            [full],
        ).df()
    frame["changes"] = [json.loads(t) for t in frame.pop("changes_json")]
    return frame


def study_points(store: Store, study_id: str) -> dict[str, np.ndarray[Any, Any]]:
    """A sweep's stored points: ``point``, ``values``, ``means``, ``ses`` (2-D arrays in
    the spec's parameter and outcome order) and ``inputs_hash``."""
    full = resolve_study_id(store, study_id)
    with store.connect() as con:
        rows = con.execute(
            'SELECT point, "values", means, ses, inputs_hash FROM study_points '
            "WHERE study_id = ? ORDER BY point",
            [full],
        ).fetchall()
    return {
        "point": np.array([r[0] for r in rows], dtype=np.int64),
        "values": np.array([r[1] for r in rows], dtype=np.float64),
        "means": np.array([r[2] for r in rows], dtype=np.float64),
        "ses": np.array([r[3] for r in rows], dtype=np.float64),
        "inputs_hash": np.array([r[4] for r in rows], dtype=object),
    }


def study_results(store: Store, study_id: str) -> dict[str, pd.DataFrame]:
    """The study's result tables by name (empty for a study that did not finish)."""
    import pandas as pd

    full = resolve_study_id(store, study_id)
    with store.connect() as con:
        rows = con.execute(
            'SELECT "table", records_json FROM study_results WHERE study_id = ? ORDER BY "table"',
            [full],
        ).fetchall()
    return {str(r[0]): pd.DataFrame(json.loads(str(r[1]))) for r in rows}
