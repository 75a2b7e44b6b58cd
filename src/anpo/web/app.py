"""The local web application: a FastAPI app serving a JSON API and an offline page.

:func:`create_app` builds the app for one results store. The API (described at
``/openapi.json``, browsable at ``/docs``, a page built here from it with nothing loaded
from outside) lists and shows scenarios, validates YAML, starts runs in the background,
reports their progress and cancels them, and reads stored runs,
the law table and the timeline; ``/`` serves the page (``anpo/web/static``), which
loads nothing from outside the app.

Safe by default:

- scenarios come as YAML text or a shipped scenario's *name* (checked against the
  shipped list), never as a file-system path; YAML is read with the safe loader
  (:func:`anpo.scenario.parse`);
- limits on trials per run, runs at once, time per run and request size
  (``max_trials``, ``max_concurrent_runs``, ``run_time_limit_s``, ``max_yaml_bytes``);
  a run can be cancelled, and a cancelled or timed-out run frees its slot at once;
- a bad request is answered 4xx with a message (``{"detail": ...}``), never a 500:
  scenario errors carry ``problems`` with field paths, as ``anpo validate --json`` does;
- only requests naming this machine (``Host``: localhost, 127.0.0.1, ::1 or the
  address given to :func:`create_app`) are served, against DNS rebinding, and the page
  is sent with a Content-Security-Policy that allows nothing but the app itself.

The app is generic over kinds: each kind's schema, headline and figures come from its
one registration (:mod:`anpo.kinds`), results from the store's generic tables
(:meth:`~anpo.store.Store.summary`, :meth:`~anpo.store.Store.histogram`, ...).
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import math
import threading
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Annotated, Any, TypeVar

import pandas as pd
import yaml
from fastapi import FastAPI, HTTPException, Query
from fastapi import Path as PathParam
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel, ConfigDict, Field, model_validator
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

import anpo
from anpo import api, law, scenario
from anpo.errors import AnpoError, KnowledgeBaseError, ScenarioError, StoreError, UsageError
from anpo.kb import FACTORS, KB_AS_OF, check_date
from anpo.kb import law as kb_law
from anpo.kb import load as kb_load
from anpo.kb import places as kb_places
from anpo.kinds import registry
from anpo.report import views as report_views
from anpo.scenario import presentation
from anpo.scenario.presentation import range_ring
from anpo.store import Store
from anpo.web.jobs import (
    DEFAULT_TIME_LIMIT_S,
    Busy,
    Job,
    JobManager,
    NotCancellable,
    error_payload,
    problems_json,
)

STATIC = Path(__file__).parent / "static"

DEFAULT_MAX_TRIALS = 200_000
DEFAULT_MAX_CONCURRENT_RUNS = 2
DEFAULT_MAX_YAML_BYTES = 256 * 1024
BODY_SLACK_BYTES = 16 * 1024
"""A request body may exceed the YAML limit by this much (JSON quoting, other fields)."""
MAX_IMPACTS = 3000
"""Impact points sent for a run's map (the first ones, by trial)."""

NAME_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_-]*(\.[A-Za-z0-9_-]+)*$"
"""A shipped scenario's name: letters, digits, ``-``, ``_`` and single dots; no ``/`` or
``..``, so no name can be read as a path (and names are looked up, never opened)."""
RUN_ID_PATTERN = r"^[0-9a-f]{6,64}$"
JOB_ID_PATTERN = r"^[0-9]{4,}-[0-9a-f]{12}$"
DATE_TEXT = r"^(today|[0-9]{4}-[0-9]{2}-[0-9]{2})$"
BOUND_TEXT = r"^[0-9]{4}(-[0-9]{2}-[0-9]{2})?$"

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; font-src 'none'; object-src 'none'; frame-ancestors 'none'; "
    "base-uri 'none'; form-action 'self'"
)

# Which launch areas each kb missile type fires from, for the range rings. A
# ``<prefix>_missile`` record pairs with ``<prefix>_launch_area`` records; this table
# adds the pairings a prefix cannot express (places with ``place_kind: launch_area``
# carry a country code). Display only: no model reads it.
MISSILE_LAUNCH_GROUPS: dict[str, str] = {"dprk_missile": "country:KP"}

T = TypeVar("T")

RunId = Annotated[str, PathParam(pattern=RUN_ID_PATTERN, description="A run id or prefix.")]
DateQ = Annotated[
    str, Query(pattern=DATE_TEXT, description="YYYY-MM-DD or 'today' (the kb's as-of date).")
]


# --------------------------------------------------------------------- requests


class ErrorBody(BaseModel):
    """Every error: ``detail`` holds a message (``detail.message``), and for scenario and
    request errors ``detail.problems``: ``{path, value, message}`` per mistake."""

    detail: dict[str, Any] | str


_ERRORS = {
    400: "bad request (a Host other than this machine, an unreadable body)",
    404: "no such run, job, outcome or shipped scenario; or no results store yet",
    409: "a run id prefix that matches several runs; a job that can no longer be cancelled",
    413: "request body or scenario YAML over the size limit",
    422: "invalid input: a bad scenario, date, name, id or parameter (with problems)",
    429: "too many runs at once",
    503: "the results store is busy or cannot be opened",
}
ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    code: {"model": ErrorBody, "description": text} for code, text in _ERRORS.items()
}


class ScenarioRef(BaseModel):
    """A scenario given as YAML text or as a shipped scenario's name (exactly one)."""

    model_config = ConfigDict(extra="forbid")

    scenario: str | None = Field(
        default=None,
        pattern=NAME_PATTERN,
        max_length=100,
        description="A shipped scenario's name (GET /api/scenarios lists them). Never a path.",
        examples=["nk-raid-2010"],
    )
    yaml: str | None = Field(default=None, description="The scenario's YAML text.")

    @model_validator(mode="after")
    def _one(self) -> ScenarioRef:
        if (self.scenario is None) == (self.yaml is None):
            raise ValueError("give exactly one of 'scenario' (a shipped name) or 'yaml' (text)")
        return self


class RunRequest(ScenarioRef):
    """A run to start: the scenario, the number of trials and the seed."""

    trials: int = Field(
        default=2000, ge=1, strict=True, description="Monte Carlo trials (see the limit)."
    )
    seed: int = Field(
        default=api.DEFAULT_SEED, ge=0, lt=2**63, strict=True, description="Random seed."
    )


class ValidateRequest(BaseModel):
    """YAML to check; ``resolve`` also resolves it through the knowledge base (slower)."""

    model_config = ConfigDict(extra="forbid")

    yaml: str = Field(description="The scenario's YAML text.")
    resolve: bool = Field(
        default=False, description="Also resolve names and dates through the knowledge base."
    )


LeverValue = bool | int | float | str


class LeverCompareRequest(ScenarioRef):
    """A scenario and a variant of it: lever values (the kind's ``levers``, listed by
    ``GET /api/kinds``) and/or field paths, run on common random numbers."""

    levers: dict[str, LeverValue] = Field(
        default_factory=dict,
        max_length=50,
        description="Lever name -> value (a number, true/false, or one of a choice's values).",
        examples=[{"upper_salvo": 3}],
    )
    fields: dict[str, LeverValue] = Field(
        default_factory=dict,
        max_length=50,
        description="Field path -> value, as `anpo compare --set PATH=VALUE`.",
    )
    trials: int = Field(
        default=1000, ge=1, strict=True, description="Trials of the base and of the variant."
    )
    seed: int = Field(
        default=api.DEFAULT_SEED, ge=0, lt=2**63, strict=True, description="Random seed."
    )


class ThenAndNowRequest(ScenarioRef):
    """A scenario run under all eight mixes of then's and now's threat, forces and law."""

    then: str = Field(
        default="2010-01-01", pattern=DATE_TEXT, description="The earlier date (YYYY-MM-DD)."
    )
    trials: int = Field(default=500, ge=1, strict=True, description="Trials per mix.")
    seed: int = Field(
        default=api.DEFAULT_SEED, ge=0, lt=2**63, strict=True, description="Random seed."
    )


class CredibilityRequest(BaseModel):
    """The credibility dashboard for a date (the kb's default portfolio and assumptions)."""

    model_config = ConfigDict(extra="forbid")

    date: str = Field(default="today", pattern=DATE_TEXT, description="YYYY-MM-DD or 'today'.")
    trials: int = Field(
        default=100, ge=10, le=20_000, strict=True, description="Trials per scenario run."
    )
    draws: int = Field(
        default=1000, ge=100, le=20_000, strict=True, description="Monte Carlo draws."
    )
    seed: int = Field(
        default=api.DEFAULT_SEED, ge=0, lt=2**63, strict=True, description="Random seed."
    )


# --------------------------------------------------------------------- helpers


class BodyLimit:
    """ASGI middleware: refuse request bodies over ``max_bytes`` with 413."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def _refuse(self, send: Send, status: int, message: str) -> None:
        body = json.dumps({"detail": message}).encode("utf-8")
        await send(
            {
                "type": "http.response.start",
                "status": status,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        too_large = (
            f"request body larger than {self.max_bytes:,} bytes (the limit; scenario YAML "
            f"may be up to {self.max_bytes - BODY_SLACK_BYTES:,} bytes)"
        )
        for key, value in scope.get("headers", []):
            if key == b"content-length":
                try:
                    length = int(value)
                except ValueError:
                    await self._refuse(send, 400, "Content-Length is not a number")
                    return
                if length > self.max_bytes:
                    await self._refuse(send, 413, too_large)
                    return
        # No Content-Length (a chunked body): read it here, up to the limit, then replay it.
        messages: list[Message] = []
        seen = 0
        more = scope.get("method", "GET") not in ("GET", "HEAD", "OPTIONS")
        while more:
            message = await receive()
            messages.append(message)
            if message["type"] != "http.request":
                break
            seen += len(message.get("body", b""))
            if seen > self.max_bytes:
                await self._refuse(send, 413, too_large)
                return
            more = bool(message.get("more_body", False))

        async def replay() -> Message:
            if messages:
                return messages.pop(0)
            return await receive()

        await self.app(scope, replay, send)


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """A DataFrame as JSON-safe records (NaN and infinities become null)."""
    if frame.empty:
        return []
    text = frame.to_json(orient="records", date_format="iso", double_precision=15)
    rows: list[dict[str, Any]] = json.loads(text)
    return rows


def _num(x: Any) -> float | None:
    try:
        v = float(x)
    except (TypeError, ValueError):
        return None
    return v if math.isfinite(v) else None


def _bad(exc: AnpoError, status: int = 422) -> HTTPException:
    return HTTPException(status_code=status, detail=error_payload(exc))


def _store_status(exc: StoreError) -> int:
    text = str(exc)
    if text.startswith("no run ") or text.startswith("no results store"):
        return 404
    if "ambiguous" in text:
        return 409
    if "not a run id" in text:
        return 422
    return 503


def _point(lon: float, lat: float, **props: Any) -> dict[str, Any]:
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [round(lon, 4), round(lat, 4)]},
        "properties": props,
    }


def _nominal(value: Any) -> float:
    if isinstance(value, dict):
        return float(value["nominal"])
    return float(value)


def _kb_layers(day: dt.date, min_population: int) -> dict[str, Any]:
    """The knowledge base's geography on ``day`` as GeoJSON, with missile range rings."""
    features: list[dict[str, Any]] = []
    launch: dict[str, list[tuple[str, float, float]]] = {}
    for rec in kb_places.places(day=day):
        kind = str(rec.data["place_kind"])
        lat, lon = kb_places.lat_lon(rec)
        name = str(rec.data["name"])
        if kind == "launch_area":
            group = f"country:{rec.data.get('country', '')}"
            launch.setdefault(group, []).append((name, lat, lon))
            features.append(_point(lon, lat, role="launch_area", name=name, group=group))
        elif kind.endswith("_base"):
            features.append(
                _point(
                    lon,
                    lat,
                    role="base",
                    name=name,
                    place_kind=kind,
                    operator=str(rec.data.get("operator", "")),
                )
            )
        elif kind == "pac3_site":
            features.append(_point(lon, lat, role="pac3_site", name=name))
    base = kb_load()
    for rec in base.records:
        if rec.type.endswith("_launch_area") and rec.holds_on(day) and "lat" in rec.data:
            group = rec.type[: -len("_launch_area")]
            lat, lon = _nominal(rec.data["lat"]), _nominal(rec.data["lon"])
            name = str(rec.data.get("name", rec.entity))
            launch.setdefault(group, []).append((name, lat, lon))
            features.append(_point(lon, lat, role="launch_area", name=name, group=group))
    for rec in kb_places.stations(day):
        lat, lon = kb_places.lat_lon(rec)
        features.append(
            _point(lon, lat, role="station", name=str(rec.data["name"]), sea=rec.data["sea"])
        )
    for city in kb_places.cities(min_population=min_population):
        features.append(
            _point(city.lon, city.lat, role="city", name=city.name, population=city.population)
        )
    missiles = []
    for rec in base.records:
        if "range_km" not in rec.data or not rec.holds_on(day):
            continue
        group = MISSILE_LAUNCH_GROUPS.get(rec.type, rec.type.removesuffix("_missile"))
        range_km = _nominal(rec.data["range_km"])
        name = str(rec.data.get("name", rec.entity))
        areas = launch.get(group, [])
        missiles.append(
            {"id": rec.id, "name": name, "range_km": range_km, "launch_areas": len(areas)}
        )
        for area, lat, lon in areas:
            features.append(
                {
                    "type": "Feature",
                    "geometry": {
                        "type": "Polygon",
                        "coordinates": [range_ring(lat, lon, range_km)],
                    },
                    "properties": {
                        "role": "range_ring",
                        "missile": rec.id,
                        "name": name,
                        "range_km": range_km,
                        "launch_area": area,
                    },
                }
            )
    return {
        "type": "FeatureCollection",
        "features": features,
        "date": str(day),
        "missiles": missiles,
        "sources": {"cities": kb_places.CITIES_SOURCE},
    }


def _compare_rows(table: pd.DataFrame, paired: bool) -> list[dict[str, Any]]:
    """A comparison's table (:func:`anpo.studies.paired.compare`) as the page's rows:
    ``se_diff`` is the paired SE where the runs share their random numbers, else the
    independent one, and ``ci_low``–``ci_high`` the 95% interval of the difference."""
    rows = []
    for r in table.to_dict("records"):
        se_diff = r["se_paired"] if paired else r["se_independent"]
        rows.append(
            {
                "outcome": r["outcome"],
                "label": r["entry"],
                "present": r["present"],
                "unit": r["unit"],
                **{
                    f"{k}_{s}": _num(r[f"{k}_{s}"])
                    for s in ("a", "b")
                    for k in ("mean", "se", "p05", "p95")
                },
                "diff": _num(r["diff"]),
                "se_diff": _num(se_diff),
                "se_paired": _num(r["se_paired"]),
                "se_independent": _num(r["se_independent"]),
                "ci_low": _num(r["ci_low"]),
                "ci_high": _num(r["ci_high"]),
                "z": _num(r["z"]),
            }
        )
    return rows


def _pairing_note(paired: bool) -> str:
    return (
        "Entries are matched by name (an entry only one run has is shown as such). "
        "diff = mean(b) − mean(a). "
        + (
            "The runs share their random numbers (same seed, chunk size and trials): "
            "se_diff is the paired SE, sd(b − a)/√N trial by trial; se_independent, "
            "√(se_a² + se_b²), is what two independent runs would give."
            if paired
            else "The runs do not share their random numbers (seed, chunk size or "
            "trials differ): se_diff = √(se_a² + se_b²), the SE of independent runs."
        )
    )


def _json_safe(x: Any) -> Any:
    """Plain JSON: NaN and infinities as null, NumPy scalars and tuples as Python ones."""
    if isinstance(x, dict):
        return {str(k): _json_safe(v) for k, v in x.items()}
    if isinstance(x, list | tuple):
        return [_json_safe(v) for v in x]
    if isinstance(x, bool) or x is None or isinstance(x, str):
        return x
    if isinstance(x, int) and not isinstance(x, bool):
        return int(x)
    if hasattr(x, "item") and not isinstance(x, float):  # a NumPy scalar
        return _json_safe(x.item())
    if isinstance(x, float):
        return x if math.isfinite(x) else None
    return str(x)


def headline(store: Store, run_id: str, kind: str, summary: pd.DataFrame) -> list[dict[str, Any]]:
    """The run's headline figures as its kind declares them, every number a query (the
    report's cards): the mean ± 1.96·SE (Monte Carlo error), the 5th–95th percentile
    spread and, where the kind asks, the share of trials at zero with its binomial SE
    √(p(1−p)/N). Each figure carries the cards the page draws."""
    if summary.empty:
        return []
    figs = report_views.headline_figures(store, run_id, registry.views(kind), summary)
    return [f.as_web() for f in figs]


def _series_by_step(rows: pd.DataFrame, step: str | None, title: str) -> dict[str, Any]:
    """The steps and the series of :func:`anpo.report.views.series_by_step`, as the
    page's JSON (non-finite values as null)."""
    steps, series = report_views.series_by_step(rows, step, title)
    return {
        "steps": steps,
        "series": [
            {"name": name, **{key: [_num(v) for v in vs] for key, vs in s.items()}}
            for name, s in series.items()
        ],
    }


def declared_figures(
    store: Store,
    run_id: str,
    kind: str,
    summary: pd.DataFrame,
    info: pd.DataFrame,
    n_trials: int,
) -> list[dict[str, Any]]:
    """The figures the run's kind declares (:class:`anpo.kinds.base.FigureView`), as
    data the page draws by chart type, from the same queries as the report
    (:func:`anpo.report.views.figure`): ``by_day`` the mean per step with the 5th-95th
    percentile band, one series per entry of the other dim; ``entries`` and ``spread``
    each entry's mean with its 5th-95th percentile; ``codes`` the mean number of entries
    per trial with each code ± 1.96·SE; ``distribution`` the entries whose histograms
    the page asks for. A figure whose outcome the run lacks is left out, as in the
    report. Values are multiplied by the view's ``scale``."""
    out: list[dict[str, Any]] = []
    for view in registry.views(kind).figures:
        known = info[info["outcome"] == view.outcome]
        if known.empty:
            continue
        rows = report_views.entries(summary, view.outcome)
        k = view.scale
        fig: dict[str, Any] = {
            "chart": view.chart,
            "outcome": view.outcome,
            "title": view.title,
            "axis": view.axis,
            "caption": view.caption,
            "scale": k,
            "step": view.step,
        }
        if view.chart == "codes":
            names = json.loads(known.iloc[0]["codes"]) if known.iloc[0].get("codes") else []
            counts = report_views.code_counts(store, run_id, view.outcome)
            errors = report_views.code_errors(store, run_id, view.outcome, n_trials)
            items = []
            for rec in counts.to_dict("records"):
                code = float(rec["value"])
                i = int(code) if code.is_integer() else -1
                mean = float(rec["n"]) / n_trials if n_trials else 0.0
                half = errors.get(code, 0.0)
                label = names[i] if 0 <= i < len(names) else f"{code:g}"
                items.append({"label": label, "mean": mean, "lo": mean - half, "hi": mean + half})
            fig["items"] = items
            fig["caption"] = f"{view.caption} {report_views.CODE_WHISKERS}"
            out.append(fig)
            continue
        if rows.empty:
            continue
        if view.chart == "by_day":
            fig.update(_series_by_step(rows, view.step, view.title))
            for line in fig["series"]:
                for key in ("mean", "p05", "p95"):
                    line[key] = [None if v is None else v * k for v in line[key]]
        else:
            if view.chart == "entries" and view.sort:
                rows = rows.sort_values(["mean", "idx"], ascending=[False, True])
            fig["items"] = [
                {
                    "label": str(rec["label"]),
                    "idx": int(rec["idx"]) if len(rows) > 1 else None,
                    "mean": _num(float(rec["mean"]) * k),
                    "lo": _num(float(rec["p05"]) * k),
                    "hi": _num(float(rec["p95"]) * k),
                }
                for rec in rows.to_dict("records")
            ]
            if view.chart == "entries":
                fig["caption"] = f"{view.caption} {report_views.ENTRY_WHISKERS}"
        out.append(fig)
    return out


# --------------------------------------------------------------------- the app


def create_app(
    db_path: str | Path | None = None,
    max_trials: int = DEFAULT_MAX_TRIALS,
    max_concurrent_runs: int = DEFAULT_MAX_CONCURRENT_RUNS,
    max_yaml_bytes: int = DEFAULT_MAX_YAML_BYTES,
    allowed_hosts: Iterable[str] = (),
    run_time_limit_s: float = DEFAULT_TIME_LIMIT_S,
) -> FastAPI:
    """The web application for the results store at ``db_path``.

    Parameters
    ----------
    db_path
        The DuckDB results store (default: ``$ANPO_DB`` or the user's data directory).
    max_trials
        The most trials one run may ask for.
    max_concurrent_runs
        Runs allowed at once; a further start is answered 429.
    max_yaml_bytes
        The largest scenario YAML accepted (request bodies up to this plus 16 KiB).
    allowed_hosts
        Host names served besides localhost, 127.0.0.1 and ::1 (e.g. the address
        ``anpo serve --host`` binds).
    run_time_limit_s
        The longest one run may take; it is then stopped and its slot freed.
    """
    store = api.open_store(db_path)
    lock = threading.RLock()
    jobs = JobManager(
        store, lock, max_concurrent=max_concurrent_runs, time_limit_s=run_time_limit_s
    )

    app = FastAPI(
        docs_url=None,  # served below from the package, not from a CDN
        redoc_url=None,
        responses=ERROR_RESPONSES,
        title="anpo",
        version=anpo.__version__,
        description=(
            "The local web API of anpo, an open, reproducible model of the U.S.–Japan "
            "alliance: scenarios, their sourced inputs, background Monte Carlo runs, "
            "stored results, the law table and the timeline. Errors are 4xx with "
            '`{"detail": ...}`; scenario errors list `problems` with field paths.'
        ),
    )
    app.state.store = store
    app.state.jobs = jobs
    app.state.limits = {
        "max_trials": max_trials,
        "max_concurrent_runs": max_concurrent_runs,
        "max_yaml_bytes": max_yaml_bytes,
    }
    hosts = ["localhost", "127.0.0.1", "::1", "[::1]", *allowed_hosts]
    app.add_middleware(TrustedHostMiddleware, allowed_hosts=hosts)
    app.add_middleware(BodyLimit, max_bytes=max_yaml_bytes + BODY_SLACK_BYTES)

    # ---------------------------------------------------------------- errors

    @app.exception_handler(AnpoError)
    async def _anpo_error(request: Request, exc: AnpoError) -> JSONResponse:
        status = _store_status(exc) if isinstance(exc, StoreError) else 422
        return JSONResponse(status_code=status, content={"detail": error_payload(exc)})

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        problems = [
            {
                "path": ".".join(str(p) for p in e.get("loc", ()) if p != "body"),
                "message": str(e.get("msg", "")),
            }
            for e in exc.errors()
        ]
        message = "; ".join(f"{p['path']}: {p['message']}" for p in problems)
        return JSONResponse(
            status_code=422,
            content={"detail": {"type": "RequestError", "message": message, "problems": problems}},
        )

    # ---------------------------------------------------------------- helpers

    def read(fn: Callable[[], T]) -> T:
        with lock:
            return fn()

    def scenario_text(name: str) -> str:
        texts = scenario.shipped()
        if name not in texts:
            raise HTTPException(
                status_code=404,
                detail={
                    "type": "NotFound",
                    "message": f"no shipped scenario {name!r}; shipped: {', '.join(texts)}",
                },
            )
        return texts[name]

    def check_yaml(text: str) -> None:
        try:
            size = len(text.encode("utf-8"))
        except UnicodeEncodeError as exc:  # a lone surrogate (JSON "\ud800")
            raise HTTPException(
                status_code=422,
                detail={
                    "type": "RequestError",
                    "message": f"yaml: not valid Unicode text (a lone surrogate at character "
                    f"{exc.start}); send UTF-8 text",
                    "problems": [
                        {"path": "yaml", "message": "not valid Unicode text (a lone surrogate)"}
                    ],
                },
            ) from None
        if size > max_yaml_bytes:
            raise HTTPException(
                status_code=413,
                detail={
                    "type": "TooLarge",
                    "message": f"scenario YAML of {size:,} bytes is over the limit of "
                    f"{max_yaml_bytes:,} bytes",
                },
            )

    def parse_ref(ref: ScenarioRef) -> scenario.Scenario:
        if ref.scenario is not None:
            return scenario.parse(scenario_text(ref.scenario), f"shipped:{ref.scenario}")
        assert ref.yaml is not None
        check_yaml(ref.yaml)
        return scenario.parse(ref.yaml, "<web>")

    def summary_of(run_id: str) -> tuple[dict[str, Any], pd.DataFrame]:
        def go() -> tuple[dict[str, Any], pd.DataFrame]:
            row = store.run(run_id)
            return row, store.summary(row["run_id"])

        return read(go)

    def date_of(text: str) -> dt.date:
        day = law.parse_date(text)
        try:
            check_date(day)
        except KnowledgeBaseError as exc:
            raise _bad(exc) from None
        return day

    def check_trials(trials: int, what: str = "trials") -> None:
        if trials > max_trials:
            raise HTTPException(
                status_code=422,
                detail={
                    "type": "UsageError",
                    "message": f"{what} must be at most {max_trials:,} in the web app "
                    f"(got {trials:,}); use the command line for larger runs",
                },
            )

    def started(start: Callable[[], Job]) -> dict[str, Any]:
        """Start a job (429 at the limit) and answer 202 with where to follow it."""
        try:
            job = start()
        except Busy as exc:
            raise HTTPException(
                status_code=429, detail={"type": "Busy", "message": str(exc)}
            ) from None
        return {"job": job.as_dict(), "status_url": f"/api/runs/jobs/{job.job_id}"}

    # ---------------------------------------------------------------- page

    @app.get("/", include_in_schema=False)
    def index() -> FileResponse:
        return FileResponse(STATIC / "index.html", headers={"Content-Security-Policy": CSP})

    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    @app.get("/docs", include_in_schema=False)
    def api_docs() -> HTMLResponse:
        return HTMLResponse(_docs_page(app.openapi()), headers={"Content-Security-Policy": CSP})

    # ---------------------------------------------------------------- meta

    @app.get("/api/health", tags=["meta"], summary="Version, store and limits")
    def health() -> dict[str, Any]:
        return {
            "ok": True,
            "version": anpo.__version__,
            "db": store.path,
            "limits": app.state.limits,
            "kb_as_of": str(KB_AS_OF),
            "active_runs": jobs.active(),
        }

    @app.get("/api/kinds", tags=["scenarios"], summary="Scenario kinds, their models and schemas")
    def kinds() -> dict[str, Any]:
        return {
            "kinds": [
                {**registry.get(k).as_dict(), "schema": scenario.schema_json(k)}
                for k in registry.names()
            ]
        }

    # ---------------------------------------------------------------- scenarios

    @app.get("/api/scenarios", tags=["scenarios"], summary="The shipped scenarios")
    def scenarios() -> dict[str, Any]:
        out = []
        for name, text in scenario.shipped().items():
            item: dict[str, Any] = {"name": name, "ok": True, "error": None}
            try:
                sc = scenario.parse(text, f"shipped:{name}")
                item.update(
                    kind=sc.kind,
                    date=str(sc.date),
                    description=" ".join(str(getattr(sc.spec, "description", "") or "").split()),
                )
            except ScenarioError as exc:
                try:
                    raw = yaml.safe_load(text)
                except yaml.YAMLError:
                    raw = {}
                raw = raw if isinstance(raw, dict) else {}
                item.update(
                    ok=False,
                    kind=str(raw.get("kind", "")),
                    date=str(raw.get("date", "")),
                    description=" ".join(str(raw.get("description", "")).split()),
                    error=error_payload(exc),
                )
            out.append(item)
        return {"scenarios": out}

    @app.get("/api/scenarios/{name}", tags=["scenarios"], summary="A shipped scenario's YAML")
    def scenario_yaml(
        name: Annotated[str, PathParam(pattern=NAME_PATTERN, max_length=100)],
    ) -> dict[str, Any]:
        return {"name": name, "yaml": scenario_text(name)}

    @app.post(
        "/api/validate",
        tags=["scenarios"],
        summary="Check scenario YAML: ok, or problems with field paths",
    )
    def validate(req: ValidateRequest) -> dict[str, Any]:
        check_yaml(req.yaml)
        try:
            sc = scenario.parse(req.yaml, "<web>")
            if req.resolve:
                scenario.resolve(sc)
        except ScenarioError as exc:
            return {"ok": False, "problems": problems_json(exc), "lines": exc.lines()}
        return {
            "ok": True,
            "name": sc.name,
            "kind": sc.kind,
            "date": str(sc.date),
            "problems": [],
            "lines": [],
        }

    @app.post(
        "/api/show",
        tags=["scenarios"],
        summary="A scenario's resolved inputs with sources (the ledger)",
    )
    def show(ref: ScenarioRef) -> dict[str, Any]:
        sc = parse_ref(ref)
        res = scenario.resolve(sc)
        return {
            "scenario": sc.name,
            "kind": sc.kind,
            "date": str(sc.date),
            "scenario_hash": res.digest(),
            "inputs": [e.as_dict() for e in res.ledger],
            "has_geometry": presentation.has_map(sc),
        }

    # ---------------------------------------------------------------- runs

    @app.post(
        "/api/runs",
        status_code=202,
        tags=["runs"],
        summary="Start a run in the background (poll /api/runs/jobs/{job_id})",
    )
    def start_run(req: RunRequest) -> dict[str, Any]:
        check_trials(req.trials)
        sc = parse_ref(req)
        return started(lambda: jobs.start(sc, req.trials, req.seed))

    @app.post(
        "/api/runs/jobs/{job_id}/cancel",
        tags=["runs"],
        summary="Cancel a background run: it stops, stores nothing and frees its slot",
    )
    def cancel_job(
        job_id: Annotated[str, PathParam(pattern=JOB_ID_PATTERN, max_length=40)],
    ) -> dict[str, Any]:
        try:
            job = jobs.cancel(job_id)
        except NotCancellable as exc:
            raise HTTPException(
                status_code=409, detail={"type": "NotCancellable", "message": str(exc)}
            ) from None
        if job is None:
            raise HTTPException(
                status_code=404, detail={"type": "NotFound", "message": f"no job {job_id}"}
            )
        return job.as_dict()

    @app.get("/api/runs/jobs", tags=["runs"], summary="Runs started by this server")
    def list_jobs() -> dict[str, Any]:
        return {"jobs": [j.as_dict() for j in jobs.jobs()]}

    @app.get("/api/runs/jobs/{job_id}", tags=["runs"], summary="A background run's progress")
    def job_state(
        job_id: Annotated[str, PathParam(pattern=JOB_ID_PATTERN, max_length=40)],
    ) -> dict[str, Any]:
        job = jobs.get(job_id)
        if job is None:
            raise HTTPException(
                status_code=404, detail={"type": "NotFound", "message": f"no job {job_id}"}
            )
        return job.as_dict(full=True)

    @app.get("/api/runs", tags=["runs"], summary="Stored runs, newest first")
    def runs() -> dict[str, Any]:
        if store.path != ":memory:" and not Path(store.path).exists():
            return {"runs": [], "db": store.path}
        return {"runs": _records(read(store.runs)), "db": store.path}

    @app.get("/api/runs/{run_id}", tags=["runs"], summary="A stored run: record and summary")
    def run_detail(run_id: RunId) -> dict[str, Any]:
        row, summary = summary_of(run_id)
        info = read(lambda: store.outcome_info(row["run_id"]))
        record = {
            k: v
            for k, v in row.items()
            if k not in ("inputs_json", "geometry_json", "versions_json")
        }
        record["versions"] = json.loads(row["versions_json"])
        record["has_geometry"] = bool(row.get("geometry_json")) or _has_map(row)
        return {
            "run": record,
            "outcomes": _records(info.drop(columns=["run_id"])),
            "summary": _records(summary),
            "headline": read(lambda: headline(store, row["run_id"], str(row["kind"]), summary)),
            "primary": registry.views(str(row["kind"])).primary,
            "figures": read(
                lambda: declared_figures(
                    store, row["run_id"], str(row["kind"]), summary, info, int(row["n_trials"])
                )
            ),
        }

    @app.get(
        "/api/runs/{run_id}/histogram",
        tags=["runs"],
        summary="Trials per value of an outcome (one entry, or summed over entries)",
    )
    def histogram(
        run_id: RunId,
        outcome: Annotated[str, Query(max_length=100, pattern=r"^[A-Za-z0-9_.-]+$")],
        idx: Annotated[int | None, Query(ge=0, le=100_000)] = None,
        bins: Annotated[int, Query(ge=1, le=200)] = 40,
    ) -> dict[str, Any]:
        def go() -> tuple[str, pd.DataFrame, pd.DataFrame]:
            full = store.resolve_id(run_id)
            return full, store.outcome_info(full), store.histogram(full, outcome, idx)

        full, info, hist = read(go)
        known = info[info["outcome"] == outcome]
        if known.empty:
            raise HTTPException(
                status_code=404,
                detail={
                    "type": "NotFound",
                    "message": f"run {full} has no outcome {outcome!r}; it has: "
                    + ", ".join(info["outcome"].tolist()),
                },
            )
        if idx is not None and idx >= int(known.iloc[0]["size"]):
            raise HTTPException(
                status_code=404,
                detail={
                    "type": "NotFound",
                    "message": f"outcome {outcome!r} has entries 0 to "
                    f"{int(known.iloc[0]['size']) - 1} (got {idx})",
                },
            )
        values = [float(v) for v in hist["value"]]
        counts = [int(t) for t in hist["trials"]]
        binned = False
        if len(values) > bins:  # a continuous outcome: equal-width bins
            lo, hi = min(values), max(values)
            width = (hi - lo) / bins or 1.0
            sums = [0] * bins
            for v, c in zip(values, counts, strict=True):
                sums[min(bins - 1, int((v - lo) / width))] += c
            values = [lo + (i + 0.5) * width for i in range(bins)]
            counts = sums
            binned = True
        return {
            "run_id": full,
            "outcome": outcome,
            "idx": idx,
            "unit": str(known.iloc[0]["unit"]),
            "binned": binned,
            "values": values,
            "trials": counts,
        }

    @app.get(
        "/api/runs/{run_id}/parameters", tags=["runs"], summary="A run's ledger (inputs, sources)"
    )
    def parameters(run_id: RunId) -> dict[str, Any]:
        frame = read(lambda: store.parameters(run_id))
        return {"inputs": _records(frame.drop(columns=["run_id"]))}

    @app.get(
        "/api/runs/{run_id}/map",
        tags=["runs"],
        summary="A run's geometry (GeoJSON) and where leakers landed",
    )
    def run_map(run_id: RunId) -> dict[str, Any]:
        def go() -> tuple[dict[str, Any], pd.DataFrame]:
            full = store.resolve_id(run_id)
            return store.run(full), store.impacts(full)

        row, hits = read(go)
        # drawn outside the store's lock (Store.geometry's rule: the stored map, else redrawn)
        geometry = (
            json.loads(row["geometry_json"])
            if row.get("geometry_json")
            else presentation.of_stored(
                row["scenario_yaml"],
                row["scenario_origin"],
                dt.date.fromisoformat(row["scenario_date"]),
            )
        )
        shown = hits.head(MAX_IMPACTS)
        return {
            "geometry": geometry,
            "impacts": [
                [round(float(lon), 4), round(float(lat), 4)]
                for lat, lon in zip(shown["lat"], shown["lon"], strict=True)
            ],
            "n_impacts": len(hits),
        }

    @app.get(
        "/api/compare",
        tags=["runs"],
        summary="Two stored runs side by side: means, and the difference with its SE",
    )
    def compare(
        a: Annotated[str, Query(pattern=RUN_ID_PATTERN)],
        b: Annotated[str, Query(pattern=RUN_ID_PATTERN)],
    ) -> dict[str, Any]:
        from anpo import studies

        row_a, row_b = read(lambda: store.run(a)), read(lambda: store.run(b))
        result = read(lambda: studies.compare_runs(store, row_a["run_id"], row_b["run_id"]))
        rows = _compare_rows(result.table, result.paired)
        keep = ("run_id", "name", "kind", "scenario_date", "n_trials", "seed", "created_at")
        note = _pairing_note(result.paired)
        return {
            "a": {k: row_a[k] for k in keep},
            "b": {k: row_b[k] for k in keep},
            "paired": result.paired,
            "rows": rows,
            "note": note,
        }

    # ---------------------------------------------------------------- studies

    @app.post(
        "/api/studies/compare",
        status_code=202,
        tags=["studies"],
        summary="Start a lever comparison: the scenario and a variant on common random "
        "numbers (poll the job; its result holds the paired differences)",
    )
    def start_compare(req: LeverCompareRequest) -> dict[str, Any]:
        from anpo import studies
        from anpo.scenario.edit import with_values

        check_trials(req.trials)
        sc = parse_ref(req)
        values = studies.lever_values(sc.kind, req.levers)
        values.update(req.fields)
        if not values:
            raise UsageError(
                "say what the variant changes: set at least one lever (or a field path)"
            )
        label = ", ".join(f"{k}={v}" for k, v in values.items())
        with_values(sc.text, values, origin=f"{sc.origin} ({label})")  # a bad value: 422 now
        views = registry.views(sc.kind)
        heads = list(dict.fromkeys(h.outcome for h in views.headline))

        def task(progress: Callable[[int, int], None]) -> tuple[dict[str, Any], list[Any]]:
            progress(0, 1)
            result = studies.compare(
                sc, {label: values}, trials=req.trials, seed=req.seed, store=jobs.study_store
            )
            progress(1, 1)
            table = result.table
            shown = studies.headline_rows(table, heads) if heads else table
            base, variant = result.runs["base"], result.runs[label]
            answer = {
                "scenario": sc.name,
                "kind": sc.kind,
                "date": str(sc.date),
                "variant": label,
                "levers": dict(req.levers),
                "changes": _json_safe(values),
                "trials": req.trials,
                "seed": req.seed,
                "paired": result.paired,
                "base_run": base.run_id,
                "variant_run": variant.run_id,
                "study_id": result.study_id,
                "headline": heads,
                "rows": _compare_rows(shown if not shown.empty else table, result.paired),
                "note": _pairing_note(result.paired),
            }
            return answer, [base, variant]

        return started(lambda: jobs.start_task(sc.name, "compare", req.trials, req.seed, task))

    @app.post(
        "/api/studies/then-and-now",
        status_code=202,
        tags=["studies"],
        summary="Start a then-and-now study: eight mixes of then's and now's threat, forces "
        "and law, and each factor's Shapley share of the change (poll the job)",
    )
    def start_then_and_now(req: ThenAndNowRequest) -> dict[str, Any]:
        from anpo.studies.then_and_now import then_and_now

        check_trials(req.trials, "trials per mix")
        sc = parse_ref(req)
        then = date_of(req.then)
        if then >= KB_AS_OF:
            raise UsageError(
                f"then must be before now, the knowledge base's as-of date {KB_AS_OF} (got {then})"
            )

        def task(progress: Callable[[int, int], None]) -> tuple[dict[str, Any], list[Any]]:
            r = then_and_now(
                sc, then=then, trials=req.trials, seed=req.seed, progress=progress,
                store=jobs.study_store,
            )  # fmt: skip
            answer = {
                "scenario": r.name,
                "kind": sc.kind,
                "then": str(r.then),
                "now": str(r.now),
                "trials": req.trials,
                "seed": req.seed,
                "factors": list(FACTORS),
                "outcomes": list(r.outcomes),
                "combinations": _records(r.means),
                "attribution": _records(r.attribution),
                "refused": dict(r.refused),
                "study_id": r.study_id,
                "note": "Each share is the factor's Shapley value over the eight mixes, "
                "computed trial by trial on common random numbers; ± is its paired 95% "
                "interval (1.96 SE). The shares add up to the change exactly.",
            }
            return answer, []

        return started(lambda: jobs.start_task(sc.name, "then-and-now", req.trials, req.seed, task))

    @app.post(
        "/api/studies/credibility",
        status_code=202,
        tags=["studies"],
        summary="Start the credibility dashboard for a date: capability, willingness and "
        "credibility per objective, with intervals and the labelled assumptions (poll the job)",
    )
    def start_credibility(req: CredibilityRequest) -> dict[str, Any]:
        from anpo.studies import credibility as cred

        check_trials(req.trials)
        day = date_of(req.date)

        def task(progress: Callable[[int, int], None]) -> tuple[dict[str, Any], list[Any]]:
            c = cred.credibility(day, None, req.trials, req.seed, req.draws, progress=progress)
            return _json_safe(c.as_dict()), []

        return started(
            lambda: jobs.start_task(f"credibility {day}", "credibility", req.trials, req.seed, task)
        )

    # ---------------------------------------------------------------- law

    @app.get("/api/law", tags=["law"], summary="Who may do what on a date, and why")
    def law_table(
        date: DateQ = "today",
        situation: Annotated[str | None, Query(max_length=100)] = None,
        party: Annotated[str | None, Query(max_length=100)] = None,
        action: Annotated[str | None, Query(max_length=100)] = None,
    ) -> dict[str, Any]:
        answers = law.authority(date, situation=situation, party=party, action=action)
        return {
            "date": str(law.parse_date(date)),
            "answers": [a.as_dict() for a in answers],
            "situations": list(kb_law.SITUATIONS),
            "actions": list(kb_law.ACTIONS),
            "parties": list(kb_law.PARTIES),
        }

    @app.get("/api/law/diff", tags=["law"], summary="Answers that changed between two dates")
    def law_diff(
        date_from: Annotated[str, Query(alias="from", pattern=DATE_TEXT)],
        date_to: Annotated[str, Query(alias="to", pattern=DATE_TEXT)],
    ) -> dict[str, Any]:
        return {
            "from": str(law.parse_date(date_from)),
            "to": str(law.parse_date(date_to)),
            "changes": [c.as_dict() for c in law.diff(date_from, date_to)],
        }

    @app.get("/api/timeline", tags=["law"], summary="The alliance's dated, sourced events")
    def timeline(
        start: Annotated[str | None, Query(pattern=BOUND_TEXT)] = None,
        end: Annotated[str | None, Query(pattern=BOUND_TEXT)] = None,
        kind: Annotated[list[str] | None, Query(max_length=20)] = None,
    ) -> dict[str, Any]:
        events = law.timeline(start, end, kinds=kind)
        return {
            "events": [e.model_dump(mode="json") for e in events],
            "kinds": list(kb_law.EVENT_KINDS),
        }

    # ---------------------------------------------------------------- map

    @app.post(
        "/api/map/scenario",
        tags=["map"],
        summary="A scenario's map (GeoJSON: tracks, shooters, footprints, range rings, cities); "
        "null without geography or when it does not resolve (/api/show says why)",
    )
    def scenario_map(ref: ScenarioRef) -> dict[str, Any]:
        sc = parse_ref(ref)
        return {"scenario": sc.name, "date": str(sc.date), "geometry": presentation.geometry(sc)}

    @app.get("/api/map/outlines", tags=["map"], summary="Country outlines of the region (GeoJSON)")
    def outlines() -> dict[str, Any]:
        data = kb_places.outlines()
        data["source"] = kb_places.OUTLINES_SOURCE
        data["bbox"] = list(kb_places.REGION_BBOX)
        return data

    @app.get(
        "/api/map/layers",
        tags=["map"],
        summary="Bases, launch areas, ship stations, cities and missile range rings on a date",
    )
    def layers(
        date: DateQ = "today",
        min_population: Annotated[int, Query(ge=100_000, le=50_000_000)] = 500_000,
    ) -> dict[str, Any]:
        return _layers_cached(date_of(date), min_population)

    return app


def _has_map(row: dict[str, Any]) -> bool:
    """Whether a stored run's scenario places anything on a map."""
    try:
        return presentation.has_map(scenario.parse(row["scenario_yaml"], row["scenario_origin"]))
    except ScenarioError:
        return False


def _docs_page(spec: dict[str, Any]) -> str:
    """The API's description as one plain HTML page (no script, nothing from outside)."""
    from html import escape

    rows = []
    for path, methods in spec.get("paths", {}).items():
        for method, op in methods.items():
            params = ", ".join(
                f"{p['name']} ({p.get('in', '')}{', required' if p.get('required') else ''})"
                for p in op.get("parameters", [])
            )
            body = op.get("requestBody", {}).get("content", {}).get("application/json", {})
            ref = str(body.get("schema", {}).get("$ref", "")).rsplit("/", 1)[-1]
            rows.append(
                f"<tr><td><code>{escape(method.upper())}</code></td>"
                f"<td><code>{escape(path)}</code></td><td>{escape(op.get('summary', ''))}</td>"
                f"<td>{escape(params)}</td><td>{escape(ref)}</td></tr>"
            )
    info = spec.get("info", {})
    return (
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>"
        f"<title>{escape(str(info.get('title', 'API')))} API</title></head><body>"
        f"<h1>{escape(str(info.get('title', '')))} {escape(str(info.get('version', '')))} API</h1>"
        f"<p>{escape(str(info.get('description', '')))}</p>"
        "<p>The full description, with every schema: <a href='/openapi.json'>/openapi.json</a>."
        "</p><table><thead><tr><th>method</th><th>path</th><th>what</th><th>parameters</th>"
        "<th>body</th></tr></thead><tbody>" + "".join(rows) + "</tbody></table></body></html>"
    )


@functools.lru_cache(maxsize=32)
def _layers_cached(day: dt.date, min_population: int) -> dict[str, Any]:
    return _kb_layers(day, min_population)


__all__ = ["create_app", "headline"]
