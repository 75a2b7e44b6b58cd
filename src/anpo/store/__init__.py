"""The results store: every run in a DuckDB database, and its export.

Tables (store layout 2; :data:`LAYOUT`):

``store_meta``
    the layout version of the file (key ``layout``).
``runs``
    one row per run: the scenario as given and as resolved, its hash, the seed,
    trial count and chunk size, anpo's and the dependencies' versions, the time.
``parameters``
    the assumption ledger: every resolved input with its kind, source and as-of.
``outcome_info``
    each outcome's dimensions (``dims``, ``shape``; ``dim`` is the first, ``size``
    the number of entries), unit and description, for a coded outcome the names
    of its codes (a JSON list), whether it is discrete, and how many of the run's
    first trials it keeps per trial (``kept_trials``).
``entries``
    one row per entry of each outcome (``idx`` counts the entries in C order over
    its dims), with its series id ``sid``, its label on every dim (``labels``) and
    those joined by " / " (``label``; the label itself for a 1-D outcome).
``trial_values``
    per-trial values (sid, trial, value) of the trials each outcome keeps; the view
    ``outcomes`` shows them as (run_id, outcome, trial, idx, value). Missing values
    (NaN, such as the impact point of a warhead that was intercepted) are absent.
``value_counts``, ``total_counts``
    for discrete outcomes, over every trial: how many trials gave each value of an
    entry, and each per-trial total over the outcome's entries.
``entry_stats``
    for continuous outcomes, the exact statistics of each entry over every trial.

What a run keeps per trial and as aggregates is decided in :mod:`anpo.store.encoding`.
A run is written in one transaction at its end, so a failure or Ctrl-C leaves
nothing behind; workers never open the database. Summaries are SQL over these
tables, so every number in a report can be recomputed by a query.

One process writes at a time (DuckDB locks the file): a second writer waits for
the lock up to ``lock_wait_s`` and says so; a reader waits up to ``read_wait_s``.
"""

from __future__ import annotations

import json
import os
import re
import sys
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import duckdb
import numpy as np
from numpy.typing import NDArray

from anpo.errors import StoreError

if TYPE_CHECKING:
    import pandas as pd
from anpo.models.base import OutcomeSpec
from anpo.store.encoding import STATS_COLUMNS, Encoded, OutcomeLayout, encode, entry_labels

LAYOUT = 2
"""The store layout this anpo writes and reads (1: anpo 0.3 and earlier, one flat index)."""

SCHEMA = """
CREATE TABLE IF NOT EXISTS store_meta (key VARCHAR PRIMARY KEY, value VARCHAR NOT NULL);
INSERT INTO store_meta SELECT 'layout', '2'
    WHERE NOT EXISTS (SELECT 1 FROM store_meta WHERE key = 'layout');
CREATE TABLE IF NOT EXISTS runs (
    run_id VARCHAR PRIMARY KEY,
    name VARCHAR NOT NULL,
    kind VARCHAR NOT NULL,
    model VARCHAR NOT NULL,
    scenario_date DATE NOT NULL,
    scenario_origin VARCHAR NOT NULL,
    scenario_yaml VARCHAR NOT NULL,
    inputs_json VARCHAR NOT NULL,
    scenario_hash VARCHAR NOT NULL,
    seed UBIGINT NOT NULL,
    n_trials INTEGER NOT NULL,
    chunk_size INTEGER NOT NULL,
    anpo_version VARCHAR NOT NULL,
    versions_json VARCHAR NOT NULL,
    created_at TIMESTAMP NOT NULL,
    wall_s DOUBLE NOT NULL,
    geometry_json VARCHAR
);
CREATE TABLE IF NOT EXISTS parameters (
    run_id VARCHAR NOT NULL,
    position INTEGER NOT NULL,
    name VARCHAR NOT NULL,
    value VARCHAR NOT NULL,
    unit VARCHAR NOT NULL,
    kind VARCHAR NOT NULL,
    source VARCHAR NOT NULL,
    as_of VARCHAR,
    note VARCHAR NOT NULL,
    override BOOLEAN NOT NULL,
    url VARCHAR
);
ALTER TABLE parameters ADD COLUMN IF NOT EXISTS url VARCHAR;
CREATE TABLE IF NOT EXISTS outcome_info (
    run_id VARCHAR NOT NULL,
    outcome VARCHAR NOT NULL,
    dim VARCHAR NOT NULL,
    dims VARCHAR[] NOT NULL,
    shape INTEGER[] NOT NULL,
    size INTEGER NOT NULL,
    unit VARCHAR NOT NULL,
    description VARCHAR NOT NULL,
    codes VARCHAR,
    discrete BOOLEAN NOT NULL,
    kept_trials INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS entries (
    sid INTEGER NOT NULL,
    run_id VARCHAR NOT NULL,
    outcome VARCHAR NOT NULL,
    idx INTEGER NOT NULL,
    label VARCHAR NOT NULL,
    labels VARCHAR[] NOT NULL
);
CREATE TABLE IF NOT EXISTS trial_values (
    sid INTEGER NOT NULL,
    trial INTEGER NOT NULL,
    value DOUBLE NOT NULL
);
CREATE TABLE IF NOT EXISTS value_counts (
    sid INTEGER NOT NULL,
    value DOUBLE NOT NULL,
    trials BIGINT NOT NULL
);
CREATE TABLE IF NOT EXISTS total_counts (
    run_id VARCHAR NOT NULL,
    outcome VARCHAR NOT NULL,
    value DOUBLE NOT NULL,
    trials BIGINT NOT NULL
);
CREATE TABLE IF NOT EXISTS entry_stats (
    sid INTEGER NOT NULL,
    trials BIGINT NOT NULL,
    mean DOUBLE NOT NULL,
    sd DOUBLE NOT NULL,
    p05 DOUBLE NOT NULL,
    p50 DOUBLE NOT NULL,
    p95 DOUBLE NOT NULL,
    min DOUBLE NOT NULL,
    max DOUBLE NOT NULL,
    p_zero DOUBLE NOT NULL
);
CREATE VIEW IF NOT EXISTS outcomes AS
    SELECT e.run_id, e.outcome, v.trial, e.idx, v.value
    FROM trial_values v JOIN entries e ON e.sid = v.sid;
"""

RUN_ID = re.compile(r"^[0-9a-f]{6,64}$")

LOCK_WAIT_S = 60.0
"""How long a writer waits for another process's write to finish."""
READ_WAIT_S = 30.0
"""How long a reader waits for a write in progress."""
CSV_MAX_ROWS = 1_000_000
"""Above this many per-trial rows (about 85 MB of CSV) a CSV export writes the
run's summary and value counts instead of its per-trial rows."""
CSV_ROW_BYTES = 85
"""About how many bytes one per-trial row takes as CSV (measured on nk-raid-2010)."""

Notify = Callable[[str], None]


def _stderr(message: str) -> None:
    print(f"anpo: {message}", file=sys.stderr, flush=True)


def default_path() -> Path:
    """``$ANPO_DB`` if set, else ``anpo.duckdb`` in the user's data directory."""
    env = os.environ.get("ANPO_DB")
    if env:
        return Path(env)
    import platformdirs

    return Path(platformdirs.user_data_dir("anpo")) / "anpo.duckdb"


@dataclass(frozen=True)
class RunRecord:
    """The ``runs`` row of one run."""

    run_id: str
    name: str
    kind: str
    model: str
    scenario_date: str
    scenario_origin: str
    scenario_yaml: str
    inputs_json: str
    scenario_hash: str
    seed: int
    n_trials: int
    chunk_size: int
    anpo_version: str
    versions_json: str
    created_at: str
    wall_s: float
    geometry_json: str | None = None


def _is_lock(exc: BaseException) -> bool:
    text = str(exc).lower()
    return "lock" in text and ("conflicting" in text or "could not set" in text)


def _layout_of(con: duckdb.DuckDBPyConnection) -> int | None:
    """The file's layout: None for a file with no anpo tables yet."""
    tables = {r[0] for r in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
    if "store_meta" in tables:
        rows = con.execute("SELECT value FROM store_meta WHERE key = 'layout'").fetchall()
        return int(rows[0][0]) if rows else None
    return 1 if "runs" in tables else None


def _layout_error(path: str, layout: int) -> StoreError:
    if layout < LAYOUT:
        return StoreError(
            f"the results store {path} was written by an earlier anpo (store layout {layout}, "
            f"which flattened outcomes to one index); this anpo reads layout {LAYOUT}. Give a "
            "new store with --db (or ANPO_DB), or read this one with the anpo that wrote it"
        )
    return StoreError(
        f"the results store {path} was written by a newer anpo (store layout {layout}); this "
        f"anpo reads layout {LAYOUT}: upgrade anpo to read it"
    )


Columns = dict[str, NDArray[Any]]
"""A table to insert: NumPy columns by name (DuckDB scans them without a copy, and with
neither pyarrow nor pandas imported, which a run would otherwise pay about 0.25 s for)."""


def _objects(items: Sequence[Any]) -> NDArray[Any]:
    """A column of Python objects (strings, None, lists) for a VARCHAR or list column."""
    out = np.empty(len(items), dtype=object)
    out[:] = list(items)
    return out


def _columns(columns: Mapping[str, Any]) -> Columns:
    """A table from its columns: NumPy arrays as they are, sequences as object columns."""
    return {
        name: col if isinstance(col, np.ndarray) else _objects(col) for name, col in columns.items()
    }


class Store:
    """A DuckDB results database at ``path`` (``":memory:"`` for a private, temporary one).

    Parameters
    ----------
    lock_wait_s, read_wait_s
        How long a write and a read wait for another process's write to finish.
    notify
        Called with a sentence when the store makes someone wait or changes what an
        export writes (default: a line on standard error).
    """

    def __init__(
        self,
        path: str | Path | None = None,
        *,
        lock_wait_s: float = LOCK_WAIT_S,
        read_wait_s: float = READ_WAIT_S,
        notify: Notify | None = None,
    ) -> None:
        self.path = str(default_path() if path is None else path)
        self.lock_wait_s = lock_wait_s
        self.read_wait_s = read_wait_s
        self.notify: Notify = notify or _stderr
        self._memory: duckdb.DuckDBPyConnection | None = None
        self._held: tuple[int, duckdb.DuckDBPyConnection] | None = None
        if self.path == ":memory:":
            self._memory = duckdb.connect(":memory:")
            self._memory.execute(SCHEMA)

    # -- connections -------------------------------------------------------------

    def _open(self, path: Path, write: bool) -> duckdb.DuckDBPyConnection:
        """Open the file, waiting (bounded) while another process writes to it."""
        wait = self.lock_wait_s if write else self.read_wait_s
        started = time.monotonic()
        told = False
        pause = 0.02
        while True:
            try:
                return duckdb.connect(str(path), read_only=not write)
            except duckdb.IOException as exc:
                text = str(exc)
                if not _is_lock(exc):
                    if "not a valid duckdb database" in text.lower():
                        raise StoreError(
                            f"{path} is not an anpo results store (not a DuckDB database); "
                            "give another path with --db"
                        ) from None
                    raise StoreError(f"cannot open the results store {path}: {text}") from None
                waited = time.monotonic() - started
                if waited >= wait:
                    raise StoreError(
                        f"the results store {path} is in use by another anpo process (waited "
                        f"{waited:.0f} s); wait for it to finish, or give another store with --db"
                    ) from None
                if not told:
                    self.notify(
                        f"the results store {path} is in use by another anpo process; "
                        f"waiting up to {wait:.0f} s for it"
                    )
                    told = True
                time.sleep(min(pause, max(0.0, wait - waited)))
                pause = min(pause * 2, 0.5)
            except (duckdb.Error, OSError) as exc:
                raise StoreError(f"cannot open the results store {path}: {exc}") from None

    @contextmanager
    def connect(self, write: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
        """A connection held only for the duration of one operation (or of a
        :meth:`reading` block, for a read)."""
        if self._memory is not None:
            yield self._memory
            return
        held = self._held
        if held is not None and not write and held[0] == threading.get_ident():
            yield held[1]
            return
        path = Path(self.path)
        if path.exists() and path.is_dir():
            raise StoreError(f"the store path {path} is a directory; give a file path")
        if not write and not path.exists():
            raise StoreError(f"no results store at {path}; run a scenario first")
        if write:
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StoreError(f"cannot create the folder of the store {path}: {exc}") from None
        con = self._open(path, write)
        try:
            layout = _layout_of(con)
            if layout is None and write:
                con.execute(SCHEMA)
            elif layout is None:
                raise StoreError(f"{path} holds no anpo runs; run a scenario first")
            elif layout != LAYOUT:
                raise _layout_error(str(path), layout)
            yield con
        finally:
            con.close()

    @contextmanager
    def reading(self) -> Iterator[Store]:
        """Hold one read-only connection for the reads inside the block.

        A report asks the store a few dozen questions; opening the file for each
        costs about 20 ms. Inside the block every read of this thread shares one
        connection (other threads open their own); write nothing to the store inside it.
        """
        if self._memory is not None or self._held is not None:
            yield self
            return
        with self.connect() as con:
            self._held = (threading.get_ident(), con)
            try:
                yield self
            finally:
                self._held = None

    def preflight(self) -> None:
        """Check, quickly and before any computing, that runs can be written here.

        Opens (creating if needed) the store for writing, waiting for another writer
        as a save would, and checks its layout. Raises :class:`StoreError` for a path
        that is a directory, a file that is not a store, a store written by another
        layout, a folder that cannot be created or a file that cannot be written.
        """
        if self._memory is not None:
            return
        path = Path(self.path)
        if path.exists() and not path.is_dir() and not os.access(path, os.W_OK):
            raise StoreError(f"the results store {path} is not writable; give another --db")
        with self.connect(write=True) as con:
            con.execute("CHECKPOINT")

    # -- writing -----------------------------------------------------------------

    def save(
        self,
        record: RunRecord,
        ledger: Sequence[Mapping[str, Any]],
        outcomes: Mapping[str, NDArray[Any]],
        specs: Mapping[str, OutcomeSpec],
        labels: Mapping[str, Sequence[str]],
    ) -> bool:
        """Write a run in one transaction. Returns False if the run was already stored.

        A run id is a hash of everything that fixes the results, so a run already
        stored under this id holds exactly these numbers.
        """
        enc = encode(outcomes, specs)
        columns = ["run_id", "position", *_LEDGER_KEYS]
        rows = [
            {"run_id": record.run_id, "position": i, **{k: e.get(k) for k in _LEDGER_KEYS}}
            for i, e in enumerate(ledger)
        ]
        params = _columns({c: [r[c] for r in rows] for c in columns})
        params["position"] = np.arange(len(rows), dtype=np.int32)
        params["override"] = np.array([bool(r["override"]) for r in rows], dtype=np.bool_)
        with self.connect(write=True) as con:
            if con.execute("SELECT 1 FROM runs WHERE run_id = ?", [record.run_id]).fetchone():
                return False
            con.execute("BEGIN TRANSACTION")
            try:
                base = int(
                    con.execute("SELECT coalesce(max(sid) + 1, 0) FROM entries").fetchall()[0][0]
                )
                if base + len(enc.entry_outcome) >= 2**31:
                    raise StoreError(f"the results store {self.path} is full (2**31 entries)")
                values = asdict(record)
                con.execute(
                    f"INSERT INTO runs ({', '.join(values)}) "
                    f"VALUES ({', '.join('?' * len(values))})",
                    list(values.values()),
                )
                for table, frame in self._tables(record.run_id, enc, specs, labels, base):
                    self._insert(con, table, frame)
                self._insert(con, "parameters", params)
                con.execute("COMMIT")
            except BaseException:
                con.execute("ROLLBACK")
                raise
        return True

    @staticmethod
    def _insert(con: duckdb.DuckDBPyConnection, table: str, frame: Columns) -> None:
        con.register("frame", frame)
        try:
            con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM frame")
        finally:
            con.unregister("frame")

    @staticmethod
    def _tables(
        run_id: str,
        enc: Encoded,
        specs: Mapping[str, OutcomeSpec],
        labels: Mapping[str, Sequence[str]],
        base: int,
    ) -> Iterator[tuple[str, Columns]]:
        layouts = enc.layouts
        yield (
            "outcome_info",
            _columns(
                {
                    "run_id": [run_id] * len(layouts),
                    "outcome": [lay.name for lay in layouts],
                    "dim": [lay.dims[0] if lay.dims else "" for lay in layouts],
                    "dims": [list(lay.dims) for lay in layouts],
                    "shape": [list(lay.shape) for lay in layouts],
                    "size": np.array([lay.size for lay in layouts], np.int32),
                    "unit": [specs[lay.name].unit for lay in layouts],
                    "description": [specs[lay.name].description for lay in layouts],
                    "codes": [
                        json.dumps(list(specs[lay.name].codes)) if specs[lay.name].codes else None
                        for lay in layouts
                    ],
                    "discrete": np.array([lay.discrete for lay in layouts], np.bool_),
                    "kept_trials": np.array([lay.kept for lay in layouts], np.int32),
                }
            ),
        )
        names: list[str] = []
        parts: list[list[str]] = []
        for lay in layouts:
            for label, per_dim in entry_labels(lay, labels):
                names.append(label)
                parts.append(per_dim)
        n_entries = len(enc.entry_outcome)
        yield (
            "entries",
            _columns(
                {
                    "sid": np.arange(base, base + n_entries, dtype=np.int32),
                    "run_id": [run_id] * n_entries,
                    "outcome": enc.entry_outcome,
                    "idx": enc.entry_idx,
                    "label": names,
                    "labels": parts,
                }
            ),
        )
        yield (
            "trial_values",
            _columns(
                {
                    "sid": enc.rows_sid + np.int32(base),
                    "trial": enc.rows_trial,
                    "value": enc.rows_value,
                }
            ),
        )
        yield (
            "value_counts",
            _columns(
                {
                    "sid": enc.counts_sid + np.int32(base),
                    "value": enc.counts_value,
                    "trials": enc.counts_trials,
                }
            ),
        )
        yield (
            "total_counts",
            _columns(
                {
                    "run_id": [run_id] * len(enc.totals_outcome),
                    "outcome": enc.totals_outcome,
                    "value": enc.totals_value,
                    "trials": enc.totals_trials,
                }
            ),
        )
        stats: Columns = {name: enc.stats[:, i].copy() for i, name in enumerate(STATS_COLUMNS)}
        stats["sid"] = enc.stats[:, 0].astype(np.int32) + np.int32(base)
        stats["trials"] = enc.stats[:, 1].astype(np.int64)
        yield "entry_stats", _columns(stats)

    # -- reading -----------------------------------------------------------------

    def runs(self) -> pd.DataFrame:
        """All stored runs, newest first (without the large text columns)."""
        with self.connect() as con:
            return con.execute(
                "SELECT run_id, name, kind, CAST(scenario_date AS VARCHAR) AS scenario_date, "
                "n_trials, seed, chunk_size, anpo_version, created_at, wall_s FROM runs "
                "ORDER BY created_at DESC, run_id"
            ).df()

    def run(self, run_id: str) -> dict[str, Any]:
        """The ``runs`` row of a run (a unique prefix of its id is enough)."""
        full = self.resolve_id(run_id)
        with self.connect() as con:
            cur = con.execute("SELECT * FROM runs WHERE run_id = ?", [full])
            names = [d[0] for d in cur.description]
            row = cur.fetchone()
        assert row is not None
        out = dict(zip(names, row, strict=True))
        out["scenario_date"] = str(out["scenario_date"])
        out["created_at"] = str(out["created_at"])
        return out

    def resolve_id(self, run_id: str) -> str:
        """The full id of the run whose id starts with ``run_id``."""
        if not RUN_ID.match(run_id):
            raise StoreError(f"{run_id!r} is not a run id (6 to 64 lowercase hex digits)")
        with self.connect() as con:
            found = [
                r[0]
                for r in con.execute(
                    "SELECT run_id FROM runs WHERE starts_with(run_id, ?)", [run_id]
                ).fetchall()
            ]
        if not found:
            raise StoreError(f"no run {run_id} in {self.path}; 'anpo runs' lists them")
        if len(found) > 1:
            raise StoreError(f"run id prefix {run_id} is ambiguous: {', '.join(found)}")
        return str(found[0])

    def parameters(self, run_id: str) -> pd.DataFrame:
        full = self.resolve_id(run_id)
        with self.connect() as con:
            return con.execute(
                "SELECT * FROM parameters WHERE run_id = ? ORDER BY position", [full]
            ).df()

    def outcome_info(self, run_id: str) -> pd.DataFrame:
        """Each outcome's dims and shape (as lists), unit, description, codes, storage."""
        full = self.resolve_id(run_id)
        with self.connect() as con:
            frame = con.execute(
                "SELECT * FROM outcome_info WHERE run_id = ? ORDER BY outcome", [full]
            ).df()
        frame["dims"] = [[str(d) for d in v] for v in frame["dims"]]
        frame["shape"] = [[int(s) for s in v] for v in frame["shape"]]
        return frame

    def _span(self, con: duckdb.DuckDBPyConnection, full: str) -> tuple[int, int]:
        """The run's series ids, lowest and highest (a run's ids are consecutive)."""
        row = con.execute(
            "SELECT coalesce(min(sid), 0), coalesce(max(sid), -1) FROM entries WHERE run_id = ?",
            [full],
        ).fetchone()
        assert row is not None
        return int(row[0]), int(row[1])

    def _layouts(self, con: duckdb.DuckDBPyConnection, full: str) -> list[OutcomeLayout]:
        """The run's outcomes in the order their series ids were given."""
        rows = con.execute(
            "SELECT i.outcome, i.dims, i.shape, i.discrete, i.kept_trials, min(e.sid) AS first "
            "FROM outcome_info i LEFT JOIN entries e "
            "ON e.run_id = i.run_id AND e.outcome = i.outcome "
            "WHERE i.run_id = ? GROUP BY ALL ORDER BY first NULLS FIRST, i.outcome",
            [full],
        ).fetchall()
        return [
            OutcomeLayout(
                str(r[0]),
                tuple(str(d) for d in r[1]),
                tuple(int(s) for s in r[2]),
                bool(r[3]),
                int(r[4]),
            )
            for r in rows
        ]

    def outcomes(self, run_id: str) -> pd.DataFrame:
        """Per-trial outcomes (the trials each outcome keeps), tidy, with labels."""
        full = self.resolve_id(run_id)
        with self.connect() as con:
            lo, hi = self._span(con, full)
            return con.execute(
                _OUTCOMES_SQL + " ORDER BY e.outcome, v.trial, e.idx", [full, lo, hi]
            ).df()

    def arrays(self, run_id: str) -> dict[str, NDArray[np.float64]]:
        """Outcome arrays rebuilt in their full shape, (trials, *dims), from the per-trial rows.

        The trial axis holds the trials the outcome keeps (``outcome_info.kept_trials``:
        every trial of a run of at most :data:`~anpo.store.encoding.PER_TRIAL` trials).
        """
        full = self.resolve_id(run_id)
        with self.connect() as con:
            lo, hi = self._span(con, full)
            layouts = self._layouts(con, full)
            cols = con.execute(
                "SELECT sid, trial, value FROM trial_values WHERE sid BETWEEN ? AND ?", [lo, hi]
            ).fetchnumpy()
        sid = np.asarray(cols["sid"]) - lo
        trial = np.asarray(cols["trial"])
        value = np.asarray(cols["value"], dtype=np.float64)
        out: dict[str, NDArray[np.float64]] = {}
        first = 0
        for lay in layouts:
            flat = np.full((lay.kept, lay.size), np.nan)
            mine = (sid >= first) & (sid < first + lay.size)
            flat[trial[mine], sid[mine] - first] = value[mine]
            out[lay.name] = flat.reshape((lay.kept, *lay.shape))
            first += lay.size
        return out

    def compare(self, run_id: str, outcomes: Mapping[str, NDArray[Any]]) -> list[str]:
        """Outcomes whose stored numbers differ from those of ``outcomes``, bit for bit.

        ``outcomes`` (a recomputation of the run) is stored-as-if, with the same rules
        for what is kept per trial and as aggregates, and every resulting number (the
        per-trial rows, value counts, totals and statistics) is compared with the
        stored one. Returns the sorted names that differ or exist on one side only.
        """
        full = self.resolve_id(run_id)
        with self.connect() as con:
            lo, hi = self._span(con, full)
            layouts = self._layouts(con, full)
            stored = {
                "rows": con.execute(
                    "SELECT sid, trial, value FROM trial_values WHERE sid BETWEEN ? AND ? "
                    "ORDER BY sid, trial",
                    [lo, hi],
                ).fetchnumpy(),
                "counts": con.execute(
                    "SELECT sid, value, trials FROM value_counts WHERE sid BETWEEN ? AND ? "
                    "ORDER BY sid, value",
                    [lo, hi],
                ).fetchnumpy(),
                "stats": con.execute(
                    f"SELECT {', '.join(STATS_COLUMNS)} FROM entry_stats "
                    "WHERE sid BETWEEN ? AND ? ORDER BY sid",
                    [lo, hi],
                ).fetchnumpy(),
                "totals": con.execute(
                    "SELECT outcome, value, trials FROM total_counts WHERE run_id = ? "
                    "ORDER BY outcome, value",
                    [full],
                ).fetchnumpy(),
            }
        names = [lay.name for lay in layouts]
        differing = set(names) ^ set(outcomes)
        common = [lay for lay in layouts if lay.name in outcomes]
        specs = {lay.name: OutcomeSpec(lay.dims, "", "") for lay in common}
        fresh = encode(
            outcomes,
            specs,
            order=[lay.name for lay in common],
            kept={lay.name: lay.kept for lay in common},
        )
        fresh_by_name = {lay.name: lay for lay in fresh.layouts}
        first = 0
        fresh_first = 0
        for lay in layouts:
            span = (first, first + lay.size)
            first += lay.size
            if lay.name not in outcomes:
                continue
            new = fresh_by_name[lay.name]
            fresh_span = (fresh_first, fresh_first + new.size)
            fresh_first += new.size
            if new != lay:
                differing.add(lay.name)
                continue
            for table, columns in (("rows", ("sid", "trial", "value")), ("counts", None)):
                got = stored[table]
                want = fresh.table(table)
                cols = columns or ("sid", "value", "trials")
                if not _same(got, span, lo, want, fresh_span, cols):
                    differing.add(lay.name)
            want_stats = {c: fresh.stats[:, i] for i, c in enumerate(STATS_COLUMNS)}
            if not _same(stored["stats"], span, lo, want_stats, fresh_span, STATS_COLUMNS):
                differing.add(lay.name)
            got_t = stored["totals"]
            mine = np.asarray(got_t["outcome"]) == lay.name
            fresh_t = np.asarray(fresh.totals_outcome, dtype=object) == lay.name
            if not (
                np.array_equal(np.asarray(got_t["value"])[mine], fresh.totals_value[fresh_t])
                and np.array_equal(np.asarray(got_t["trials"])[mine], fresh.totals_trials[fresh_t])
            ):
                differing.add(lay.name)
        return sorted(differing)

    def summary(self, run_id: str) -> pd.DataFrame:
        """Per outcome and entry: trials, mean, Monte Carlo standard error, spread.

        ``se`` is the standard error of the mean, sd / √n; ``p05``/``p50``/``p95``
        are percentiles of the trials (the spread of outcomes, not an error), as
        DuckDB's ``quantile_disc`` takes them. ``label`` is the entry's label (its
        labels on every dim joined by " / "); ``dims`` and ``labels`` give the dims'
        names and the entry's label on each. Every trial of the run counts: a discrete
        outcome's figures are SQL over its value counts, a continuous one's are its
        stored statistics.
        """
        full = self.resolve_id(run_id)
        with self.connect() as con:
            lo, hi = self._span(con, full)
            frame = con.execute(_SUMMARY_SQL, {"run": full, "lo": lo, "hi": hi}).df()
        frame["dims"] = [[str(d) for d in v] for v in frame["dims"]]
        frame["labels"] = [[str(x) for x in v] for v in frame["labels"]]
        return frame

    def histogram(self, run_id: str, outcome: str, idx: int | None = None) -> pd.DataFrame:
        """How many trials gave each value of an outcome (summed over entries if idx is None).

        Over every trial for a discrete outcome; over the kept trials for a continuous one.
        """
        full = self.resolve_id(run_id)
        with self.connect() as con:
            info = con.execute(
                "SELECT discrete, size, min(e.sid), max(e.sid) FROM outcome_info i JOIN entries e "
                "ON e.run_id = i.run_id AND e.outcome = i.outcome "
                "WHERE i.run_id = ? AND i.outcome = ? GROUP BY ALL",
                [full, outcome],
            ).fetchone()
            if info is None or (idx is not None and not 0 <= idx < int(info[1])):
                import pandas as pd

                return pd.DataFrame({"value": pd.Series(dtype=float), "trials": []}).astype(
                    {"trials": "int64"}
                )
            discrete, size, first, last = bool(info[0]), int(info[1]), int(info[2]), int(info[3])
            if idx is None and size == 1:
                idx = 0
            if idx is not None and discrete:
                sql = "SELECT value, trials FROM value_counts WHERE sid = ? ORDER BY value"
                return con.execute(sql, [first + idx]).df()
            if idx is not None:
                sql = (
                    "SELECT value, count(*) AS trials FROM trial_values WHERE sid = ? "
                    "GROUP BY value ORDER BY value"
                )
                return con.execute(sql, [first + idx]).df()
            if discrete:
                sql = (
                    "SELECT value, trials FROM total_counts WHERE run_id = ? AND outcome = ? "
                    "ORDER BY value"
                )
                return con.execute(sql, [full, outcome]).df()
            sql = (
                "SELECT total AS value, count(*) AS trials FROM (SELECT trial, sum(value) "
                "AS total FROM trial_values WHERE sid BETWEEN ? AND ? GROUP BY trial) "
                "GROUP BY total ORDER BY total"
            )
            return con.execute(sql, [first, last]).df()

    def code_counts(self, run_id: str, outcome: str) -> pd.DataFrame:
        """How many (trial, entry) pairs of an outcome took each value, over every trial.

        Returns
        -------
        pandas.DataFrame
            Columns ``value`` (the code), ``n`` and ``share`` (of trials × entries).
        """
        full = self.resolve_id(run_id)
        with self.connect() as con:
            return con.execute(
                "WITH c AS (SELECT c.value, c.trials FROM value_counts c JOIN entries e "
                "ON e.sid = c.sid WHERE e.run_id = $run AND e.outcome = $outcome "
                "UNION ALL SELECT v.value, 1 FROM trial_values v JOIN entries e ON e.sid = v.sid "
                "JOIN outcome_info i ON i.run_id = e.run_id AND i.outcome = e.outcome "
                "WHERE e.run_id = $run AND e.outcome = $outcome AND NOT i.discrete) "
                "SELECT value, CAST(sum(trials) AS BIGINT) AS n, "
                "sum(trials) / sum(sum(trials)) OVER () AS share FROM c "
                "GROUP BY value ORDER BY value",
                {"run": full, "outcome": outcome},
            ).df()

    def kept_whole(self, run_id: str) -> bool:
        """Whether every outcome of the run is kept per trial for every trial."""
        full = self.resolve_id(run_id)
        with self.connect() as con:
            row = con.execute(
                "SELECT bool_and(i.kept_trials = r.n_trials) FROM outcome_info i "
                "JOIN runs r USING (run_id) WHERE run_id = ?",
                [full],
            ).fetchone()
        return bool(row[0]) if row and row[0] is not None else True

    # -- export ------------------------------------------------------------------

    def export(self, run_id: str, fmt: str, out_dir: str | Path, force: bool = False) -> list[Path]:
        """Write the run's tables (run, parameters, outcomes) as Parquet or CSV files,
        or its map as GeoJSON (what it placed on the map, and where leakers landed).

        A run not kept whole per trial also gets its ``summary`` and ``counts`` (the
        aggregates over every trial). A CSV of more than :data:`CSV_MAX_ROWS` per-trial
        rows is written as the summary and counts only, and ``notify`` says so.
        Existing files are refused unless ``force``.
        """
        if fmt == "geojson":
            return [self._export_geojson(run_id, Path(out_dir), force)]
        if fmt not in ("parquet", "csv"):
            raise StoreError(f"unknown export format {fmt!r}; use parquet, csv or geojson")
        full = self.resolve_id(run_id)
        out = Path(out_dir)
        try:
            out.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"cannot create {out}: {exc}") from None
        whole = self.kept_whole(full)
        with self.connect() as con:
            lo, hi = self._span(con, full)
            row = con.execute(
                "SELECT count(*) FROM trial_values WHERE sid BETWEEN ? AND ?", [lo, hi]
            ).fetchone()
        n_rows = int(row[0]) if row else 0
        quoted = f"'{full}'"
        queries = {
            "run": f"SELECT * FROM runs WHERE run_id = {quoted}",
            "parameters": f"SELECT * FROM parameters WHERE run_id = {quoted} ORDER BY position",
            "outcomes": _outcomes_sql(quoted, lo, hi) + " ORDER BY e.outcome, v.trial, e.idx",
        }
        if fmt == "csv" and n_rows > CSV_MAX_ROWS:
            del queries["outcomes"]
            whole = False
            self.notify(
                f"run {full[:12]} keeps {n_rows:,} per-trial rows, about "
                f"{n_rows * CSV_ROW_BYTES / 1e6:,.0f} MB as CSV (more than {CSV_MAX_ROWS:,} "
                "rows): the CSV export holds its summary and value counts instead; use "
                "--format parquet for the per-trial rows"
            )
        if not whole:
            queries["summary"] = "SELECT * FROM summary_frame"
            queries["counts"] = _COUNTS_SQL.format(quoted, lo, hi)
        option = "(FORMAT parquet)" if fmt == "parquet" else "(FORMAT csv, HEADER true)"
        refuse_overwrite([out / f"{full[:12]}-{table}.{fmt}" for table in queries], force)
        summary = self.summary(full) if not whole else None
        if summary is not None:
            summary["dims"] = [" × ".join(v) for v in summary["dims"]]
            summary["labels"] = [" / ".join(v) for v in summary["labels"]]
        written = []
        with self.connect() as con:
            if summary is not None:
                con.register("summary_frame", summary)
            for table, sql in queries.items():
                target = out / f"{full[:12]}-{table}.{fmt}"
                path_sql = str(target).replace("'", "''")
                con.execute(f"COPY ({sql}) TO '{path_sql}' {option}")
                written.append(target)
        return written

    def geometry(self, run_id: str) -> dict[str, Any] | None:
        """The run's map as a GeoJSON FeatureCollection, or None when it has none.

        Runs stored before maps were drawn on demand kept it in ``geometry_json``;
        for the others it is drawn from the stored scenario on the run's date
        (:func:`anpo.scenario.presentation.geometry`, kept by content). None for a
        scenario without geography or one this version of anpo no longer resolves.
        """
        import datetime as dt

        from anpo.scenario import presentation

        row = self.run(run_id)
        text = row.get("geometry_json")
        if text:
            stored: dict[str, Any] = json.loads(text)
            return stored
        day = dt.date.fromisoformat(row["scenario_date"])
        return presentation.of_stored(row["scenario_yaml"], row["scenario_origin"], day)

    def impacts(
        self, run_id: str, lat: str = "impact_lat_deg", lon: str = "impact_lon_deg"
    ) -> pd.DataFrame:
        """Points per kept trial and entry from two outcomes holding latitude and longitude
        (a kind's map view names them: where leakers landed); empty if there are none."""
        full = self.resolve_id(run_id)
        with self.connect() as con:
            return con.execute(
                "SELECT a.trial, e.idx, e.label AS threat, a.value AS lat, b.value AS lon "
                "FROM entries e JOIN entries f ON f.run_id = e.run_id AND f.idx = e.idx "
                "AND f.outcome = ? "
                "JOIN trial_values a ON a.sid = e.sid "
                "JOIN trial_values b ON b.sid = f.sid AND b.trial = a.trial "
                "WHERE e.run_id = ? AND e.outcome = ? ORDER BY a.trial, e.idx",
                [lon, full, lat],
            ).df()

    def _export_geojson(self, run_id: str, out: Path, force: bool = False) -> Path:
        full = self.resolve_id(run_id)
        geometry = self.geometry(full)
        if geometry is None:
            raise StoreError(
                f"run {full} has no map (a scenario without geography, or one this "
                "version of anpo no longer resolves): nothing to export"
            )
        features = list(geometry["features"])
        hits = self.impacts(full)
        for trial, threat, lat, lon in zip(
            hits["trial"].tolist(),
            hits["threat"].tolist(),
            hits["lat"].tolist(),
            hits["lon"].tolist(),
            strict=True,
        ):
            features.append(
                {
                    "type": "Feature",
                    "geometry": {"type": "Point", "coordinates": [round(lon, 5), round(lat, 5)]},
                    "properties": {"role": "impact", "trial": trial, "threat": threat},
                }
            )
        try:
            out.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"cannot create {out}: {exc}") from None
        target = out / f"{full[:12]}-map.geojson"
        refuse_overwrite([target], force)
        target.write_text(
            json.dumps({"type": "FeatureCollection", "features": features}), encoding="utf-8"
        )
        return target


def _same(
    got: Mapping[str, Any],
    span: tuple[int, int],
    lo: int,
    want: Mapping[str, NDArray[Any]],
    fresh_span: tuple[int, int],
    columns: Sequence[str],
) -> bool:
    """Whether the stored rows of series ``span`` equal the recomputed rows of ``fresh_span``."""
    got_sid = np.asarray(got["sid"]) - lo
    want_sid = np.asarray(want["sid"])
    a = (got_sid >= span[0]) & (got_sid < span[1])
    b = (want_sid >= fresh_span[0]) & (want_sid < fresh_span[1])
    if int(a.sum()) != int(b.sum()):
        return False
    for column in columns:
        x = np.asarray(got[column])[a]
        y = np.asarray(want[column])[b]
        if column == "sid":  # both as offsets within their series
            x, y = got_sid[a] - span[0], y - fresh_span[0]
        if not np.array_equal(x.astype(np.float64), y.astype(np.float64), equal_nan=True):
            return False
    return True


def refuse_overwrite(paths: Sequence[Path], force: bool) -> None:
    """Refuse to replace existing files silently: a :class:`StoreError` unless ``force``."""
    existing = [str(p) for p in paths if p.exists()]
    if existing and not force:
        raise StoreError(
            f"{', '.join(existing)} already exist(s); use --force to overwrite, "
            "or another --out folder"
        )


_LEDGER_KEYS = ("name", "value", "unit", "kind", "source", "as_of", "note", "override", "url")

_OUTCOMES_SQL = (
    "SELECT e.run_id, e.outcome, v.trial, e.idx, e.label, v.value, e.labels "
    "FROM trial_values v JOIN entries e ON e.sid = v.sid "
    "WHERE e.run_id = ? AND v.sid BETWEEN ? AND ?"
)


def _outcomes_sql(run: str, lo: int, hi: int) -> str:
    """The per-trial rows query with its parameters written in (for COPY)."""
    return _OUTCOMES_SQL.replace("e.run_id = ?", f"e.run_id = {run}").replace(
        "BETWEEN ? AND ?", f"BETWEEN {int(lo)} AND {int(hi)}"
    )


_COUNTS_SQL = (
    "SELECT e.run_id, e.outcome, e.idx, e.label, c.value, c.trials FROM value_counts c "
    "JOIN entries e ON e.sid = c.sid WHERE e.run_id = {} AND c.sid BETWEEN {} AND {} "
    "ORDER BY e.outcome, e.idx, c.value"
)

_SUMMARY_SQL = """
WITH e AS (SELECT sid, outcome, idx, label, labels FROM entries WHERE run_id = $run),
c AS (
    SELECT sid, value, trials,
           sum(trials) OVER (PARTITION BY sid ORDER BY value
                             ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS cum,
           sum(trials) OVER (PARTITION BY sid) AS n
    FROM value_counts WHERE sid BETWEEN $lo AND $hi
),
m AS (SELECT sid, sum(value * trials) / any_value(n) AS mean FROM c GROUP BY sid),
d AS (
    SELECT c.sid,
           any_value(c.n) AS trials,
           any_value(m.mean) AS mean,
           CASE WHEN any_value(c.n) > 1
                THEN sqrt(sum(c.trials * (c.value - m.mean) ^ 2) / (any_value(c.n) - 1))
                ELSE 0 END AS sd,
           min(c.value) FILTER (WHERE c.cum >= ceil(c.n * 0.05)) AS p05,
           min(c.value) FILTER (WHERE c.cum >= ceil(c.n * 0.50)) AS p50,
           min(c.value) FILTER (WHERE c.cum >= ceil(c.n * 0.95)) AS p95,
           min(c.value) AS min,
           max(c.value) AS max,
           coalesce(sum(c.trials) FILTER (WHERE c.value = 0), 0) / any_value(c.n) AS p_zero
    FROM c JOIN m ON m.sid = c.sid
    GROUP BY c.sid
),
s AS (
    SELECT sid, trials, mean, sd, p05, p50, p95, min, max, p_zero FROM d
    UNION ALL
    SELECT sid, trials, mean, sd, p05, p50, p95, min, max, p_zero FROM entry_stats
    WHERE sid BETWEEN $lo AND $hi
)
SELECT e.outcome, e.idx, e.label, i.unit,
       CAST(s.trials AS BIGINT) AS trials,
       s.mean,
       s.sd / sqrt(s.trials) AS se,
       s.sd,
       s.p05, s.p50, s.p95, s.min, s.max,
       CAST(s.p_zero AS DOUBLE) AS p_zero,
       i.dims, e.labels
FROM s
JOIN e ON e.sid = s.sid
JOIN outcome_info i ON i.run_id = $run AND i.outcome = e.outcome
ORDER BY e.outcome, e.idx
"""


def versions_json(versions: Mapping[str, str]) -> str:
    return json.dumps(dict(versions), sort_keys=True)


__all__ = [
    "CSV_MAX_ROWS",
    "LAYOUT",
    "LOCK_WAIT_S",
    "READ_WAIT_S",
    "RunRecord",
    "Store",
    "default_path",
    "versions_json",
]
