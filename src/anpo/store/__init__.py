"""The results store: every run in a DuckDB database, and its export.

Tables (all keyed by ``run_id``):

``runs``
    one row per run: the scenario as given and as resolved, its hash, the seed,
    trial count and chunk size, anpo's and the dependencies' versions, the time.
``parameters``
    the assumption ledger: every resolved input with its kind, source and as-of.
``outcomes``
    per-trial outcome values, tidy: (outcome, trial, idx, value), where ``idx``
    indexes the outcome's dimension (0 for one number per trial). Missing values
    (NaN, such as the impact point of a warhead that was intercepted) are not
    stored: they are the rows that are absent.
``labels``
    the name of each ``idx`` of each outcome (asset, shooter, threat ...).
``outcome_info``
    each outcome's dimension, unit and description, and for a coded outcome the
    names of its codes (a JSON list).

A run is written in one transaction at its end, so a failure or Ctrl-C leaves
nothing behind; workers never open the database. Summaries are SQL over these
tables, so every number in a report can be recomputed by a query.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pandas as pd
from numpy.typing import NDArray

from anpo.errors import StoreError
from anpo.models.base import OutcomeSpec

SCHEMA = """
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
ALTER TABLE runs ADD COLUMN IF NOT EXISTS geometry_json VARCHAR;
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
CREATE TABLE IF NOT EXISTS outcomes (
    run_id VARCHAR NOT NULL,
    outcome VARCHAR NOT NULL,
    trial INTEGER NOT NULL,
    idx INTEGER NOT NULL,
    value DOUBLE NOT NULL
);
CREATE TABLE IF NOT EXISTS labels (
    run_id VARCHAR NOT NULL,
    outcome VARCHAR NOT NULL,
    idx INTEGER NOT NULL,
    label VARCHAR NOT NULL
);
CREATE TABLE IF NOT EXISTS outcome_info (
    run_id VARCHAR NOT NULL,
    outcome VARCHAR NOT NULL,
    dim VARCHAR NOT NULL,
    size INTEGER NOT NULL,
    unit VARCHAR NOT NULL,
    description VARCHAR NOT NULL,
    codes VARCHAR
);
ALTER TABLE outcome_info ADD COLUMN IF NOT EXISTS codes VARCHAR;
"""

RUN_ID = re.compile(r"^[0-9a-f]{6,64}$")


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


def tidy_outcomes(
    outcomes: Mapping[str, NDArray[Any]],
    specs: Mapping[str, OutcomeSpec],
    labels: Mapping[str, Sequence[str]],
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Per-trial arrays as tidy tables: (outcome, trial, idx, value), labels, info."""
    frames = []
    label_rows: list[tuple[str, int, str]] = []
    info_rows: list[tuple[str, str, int, str, str, str | None]] = []
    for name, array in outcomes.items():
        spec = specs[name]
        n = array.shape[0]
        flat = array.reshape(n, -1).astype(np.float64)
        k = flat.shape[1]
        keep = ~np.isnan(flat.ravel())  # missing values (e.g. no impact) are not stored
        frames.append(
            pd.DataFrame(
                {
                    "outcome": name,
                    "trial": np.repeat(np.arange(n, dtype=np.int32), k)[keep],
                    "idx": np.tile(np.arange(k, dtype=np.int32), n)[keep],
                    "value": flat.ravel()[keep],
                }
            )
        )
        dim = spec.dims[0] if spec.dims else ""
        names = list(labels.get(dim, [])) if dim else [""]
        if len(names) != k:
            names = [str(i) for i in range(k)]
        label_rows.extend((name, i, label) for i, label in enumerate(names))
        codes = json.dumps(list(spec.codes)) if spec.codes else None
        info_rows.append((name, dim, k, spec.unit, spec.description, codes))
    outcome_df = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    label_df = pd.DataFrame(label_rows, columns=["outcome", "idx", "label"])
    info_df = pd.DataFrame(
        info_rows, columns=["outcome", "dim", "size", "unit", "description", "codes"]
    )
    return outcome_df, label_df, info_df


class Store:
    """A DuckDB results database at ``path`` (``":memory:"`` for a private, temporary one)."""

    def __init__(self, path: str | Path | None = None) -> None:
        self.path = str(default_path() if path is None else path)
        self._memory: duckdb.DuckDBPyConnection | None = None
        if self.path == ":memory:":
            self._memory = duckdb.connect(":memory:")
            self._memory.execute(SCHEMA)

    # -- connections -------------------------------------------------------------

    @contextmanager
    def connect(self, write: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
        """A connection held only for the duration of one operation."""
        if self._memory is not None:
            yield self._memory
            return
        path = Path(self.path)
        if not write and not path.exists():
            raise StoreError(f"no results store at {path}; run a scenario first")
        if path.exists() and path.is_dir():
            raise StoreError(f"the store path {path} is a directory; give a file path")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            con = duckdb.connect(str(path), read_only=not write)
        except duckdb.IOException as exc:
            text = str(exc)
            if "lock" in text.lower():
                raise StoreError(
                    f"the results store {path} is in use by another anpo process; wait for it "
                    "to finish, or give another store with --db"
                ) from None
            raise StoreError(f"cannot open the results store {path}: {text}") from None
        except (duckdb.Error, OSError) as exc:
            raise StoreError(f"cannot open the results store {path}: {exc}") from None
        try:
            if write:
                con.execute(SCHEMA)
            yield con
        finally:
            con.close()

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
        outcome_df, label_df, info_df = tidy_outcomes(outcomes, specs, labels)
        params = pd.DataFrame(
            [
                {"run_id": record.run_id, "position": i, **{k: e.get(k) for k in _LEDGER_KEYS}}
                for i, e in enumerate(ledger)
            ],
            columns=["run_id", "position", *_LEDGER_KEYS],
        )
        for frame in (outcome_df, label_df, info_df):
            frame.insert(0, "run_id", record.run_id)
        with self.connect(write=True) as con:
            if con.execute("SELECT 1 FROM runs WHERE run_id = ?", [record.run_id]).fetchone():
                return False
            con.execute("BEGIN TRANSACTION")
            try:
                row = asdict(record)
                con.execute(
                    f"INSERT INTO runs ({', '.join(row)}) VALUES ({', '.join('?' * len(row))})",
                    list(row.values()),
                )
                for table, frame in (
                    ("parameters", params),
                    ("outcomes", outcome_df),
                    ("labels", label_df),
                    ("outcome_info", info_df),
                ):
                    con.register("frame", frame)
                    con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM frame")
                    con.unregister("frame")
                con.execute("COMMIT")
            except BaseException:
                con.execute("ROLLBACK")
                raise
        return True

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
        full = self.resolve_id(run_id)
        with self.connect() as con:
            return con.execute(
                "SELECT * FROM outcome_info WHERE run_id = ? ORDER BY outcome", [full]
            ).df()

    def outcomes(self, run_id: str) -> pd.DataFrame:
        """Per-trial outcomes, tidy, with labels."""
        full = self.resolve_id(run_id)
        with self.connect() as con:
            return con.execute(_OUTCOMES_SQL + " ORDER BY o.outcome, o.trial, o.idx", [full]).df()

    def arrays(self, run_id: str) -> dict[str, NDArray[np.float64]]:
        """Outcome arrays (trials × entries, or trials) rebuilt from the tidy table."""
        full = self.resolve_id(run_id)
        with self.connect() as con:
            info = con.execute(
                "SELECT outcome, dim, size FROM outcome_info WHERE run_id = ?", [full]
            ).fetchall()
            row = con.execute("SELECT n_trials FROM runs WHERE run_id = ?", [full]).fetchone()
            assert row is not None
            n_trials = int(row[0])
            out: dict[str, NDArray[np.float64]] = {}
            for name, dim, size in info:
                cols = con.execute(
                    "SELECT trial, idx, value FROM outcomes WHERE run_id = ? AND outcome = ?",
                    [full, name],
                ).fetchnumpy()
                array = np.full((n_trials, size), np.nan)
                array[cols["trial"], cols["idx"]] = cols["value"]
                out[name] = array if dim else array[:, 0]
        return out

    def summary(self, run_id: str) -> pd.DataFrame:
        """Per outcome and entry: trials, mean, Monte Carlo standard error, spread.

        ``se`` is the standard error of the mean, sd / √n; ``p05``/``p50``/``p95``
        are percentiles of the trials (the spread of outcomes, not an error).
        """
        full = self.resolve_id(run_id)
        with self.connect() as con:
            return con.execute(_SUMMARY_SQL, [full]).df()

    def histogram(self, run_id: str, outcome: str, idx: int | None = None) -> pd.DataFrame:
        """How many trials gave each value of an outcome (summed over entries if idx is None)."""
        full = self.resolve_id(run_id)
        with self.connect() as con:
            if idx is None:
                sql = (
                    "SELECT total AS value, count(*) AS trials FROM (SELECT trial, sum(value) "
                    "AS total FROM outcomes WHERE run_id = ? AND outcome = ? GROUP BY trial) "
                    "GROUP BY total ORDER BY total"
                )
                return con.execute(sql, [full, outcome]).df()
            sql = (
                "SELECT value, count(*) AS trials FROM outcomes WHERE run_id = ? AND "
                "outcome = ? AND idx = ? GROUP BY value ORDER BY value"
            )
            return con.execute(sql, [full, outcome, idx]).df()

    # -- export ------------------------------------------------------------------

    def export(self, run_id: str, fmt: str, out_dir: str | Path) -> list[Path]:
        """Write the run's tables (run, parameters, outcomes) as Parquet or CSV files,
        or its map as GeoJSON (what it placed on the map, and where leakers landed)."""
        if fmt == "geojson":
            return [self._export_geojson(run_id, Path(out_dir))]
        if fmt not in ("parquet", "csv"):
            raise StoreError(f"unknown export format {fmt!r}; use parquet, csv or geojson")
        full = self.resolve_id(run_id)
        out = Path(out_dir)
        try:
            out.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"cannot create {out}: {exc}") from None
        queries = {
            "run": f"SELECT * FROM runs WHERE run_id = '{full}'",
            "parameters": f"SELECT * FROM parameters WHERE run_id = '{full}' ORDER BY position",
            "outcomes": _OUTCOMES_SQL.replace("?", f"'{full}'")
            + " ORDER BY o.outcome, o.trial, o.idx",
        }
        option = "(FORMAT parquet)" if fmt == "parquet" else "(FORMAT csv, HEADER true)"
        written = []
        with self.connect() as con:
            for table, sql in queries.items():
                target = out / f"{full[:12]}-{table}.{fmt}"
                quoted = str(target).replace("'", "''")
                con.execute(f"COPY ({sql}) TO '{quoted}' {option}")
                written.append(target)
        return written

    def geometry(self, run_id: str) -> dict[str, Any] | None:
        """The GeoJSON FeatureCollection resolution made for the run (None without geography)."""
        text = self.run(run_id).get("geometry_json")
        return json.loads(text) if text else None

    def impacts(
        self, run_id: str, lat: str = "impact_lat_deg", lon: str = "impact_lon_deg"
    ) -> pd.DataFrame:
        """Points per trial and entry from two outcomes holding latitude and longitude
        (a kind's map view names them: where leakers landed), empty if there are none."""
        full = self.resolve_id(run_id)
        with self.connect() as con:
            return con.execute(
                "SELECT a.trial, a.idx, l.label AS threat, a.value AS lat, b.value AS lon "
                "FROM outcomes a JOIN outcomes b ON a.run_id = b.run_id AND a.trial = b.trial "
                "AND a.idx = b.idx AND b.outcome = ? "
                "JOIN labels l ON l.run_id = a.run_id AND l.outcome = a.outcome AND l.idx = a.idx "
                "WHERE a.run_id = ? AND a.outcome = ? ORDER BY a.trial, a.idx",
                [lon, full, lat],
            ).df()

    def _export_geojson(self, run_id: str, out: Path) -> Path:
        full = self.resolve_id(run_id)
        geometry = self.geometry(full)
        if geometry is None:
            raise StoreError(f"run {full} has no geography (a schema 1 scenario): nothing to map")
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
        target.write_text(
            json.dumps({"type": "FeatureCollection", "features": features}), encoding="utf-8"
        )
        return target


_LEDGER_KEYS = ("name", "value", "unit", "kind", "source", "as_of", "note", "override", "url")

_OUTCOMES_SQL = (
    "SELECT o.run_id, o.outcome, o.trial, o.idx, l.label, o.value FROM outcomes o "
    "JOIN labels l ON l.run_id = o.run_id AND l.outcome = o.outcome AND l.idx = o.idx "
    "WHERE o.run_id = ?"
)

_SUMMARY_SQL = """
SELECT o.outcome, o.idx, l.label, i.unit,
       count(*) AS trials,
       avg(o.value) AS mean,
       coalesce(stddev_samp(o.value), 0) / sqrt(count(*)) AS se,
       coalesce(stddev_samp(o.value), 0) AS sd,
       quantile_disc(o.value, 0.05) AS p05,
       quantile_disc(o.value, 0.50) AS p50,
       quantile_disc(o.value, 0.95) AS p95,
       min(o.value) AS min,
       max(o.value) AS max,
       avg(CASE WHEN o.value = 0 THEN 1.0 ELSE 0.0 END) AS p_zero
FROM outcomes o
JOIN labels l ON l.run_id = o.run_id AND l.outcome = o.outcome AND l.idx = o.idx
JOIN outcome_info i ON i.run_id = o.run_id AND i.outcome = o.outcome
WHERE o.run_id = ?
GROUP BY o.outcome, o.idx, l.label, i.unit
ORDER BY o.outcome, o.idx
"""


def versions_json(versions: Mapping[str, str]) -> str:
    return json.dumps(dict(versions), sort_keys=True)


__all__ = ["RunRecord", "Store", "default_path", "tidy_outcomes", "versions_json"]
