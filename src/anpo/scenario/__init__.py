"""Scenarios: the schema, validation with precise errors, and resolution.

:func:`load_scenario` reads a YAML file (or a shipped scenario by name), checks
it and returns a :class:`Scenario`; :func:`resolve` turns it into a model's
inputs and the assumption ledger through the knowledge base. Each scenario
``kind`` has its schema and resolver in a module of its own; both are found through
the kind's one registration (:mod:`anpo.kinds.registry`). The header fields are shared.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from anpo import kb
from anpo.errors import KnowledgeBaseError, Problem, ScenarioError
from anpo.kinds import registry
from anpo.models import codec
from anpo.scenario.common import (
    SCHEMA_VERSION,
    LedgerEntry,
    Resolution,
    ScenarioBase,
    problems_from,
    suggest,
)

MAX_FILE_BYTES = 1_000_000


@dataclass(frozen=True)
class Scenario:
    """A checked scenario: its parsed schema object and the text it came from."""

    spec: ScenarioBase
    text: str
    origin: str

    @property
    def name(self) -> str:
        return self.spec.name

    @property
    def kind(self) -> str:
        return self.spec.kind

    @property
    def date(self) -> dt.date:
        """The scenario's date, with 'today' read as the knowledge base's as-of date."""
        return kb.KB_AS_OF if self.spec.date == "today" else self.spec.date


@dataclass(frozen=True)
class Resolved:
    """A scenario resolved for its date: the model's inputs and the ledger.

    :attr:`geometry`, what the scenario places on a map, is computed by the kind's
    presentation the first time something asks for it, never to run the model.
    """

    scenario: Scenario
    inputs: Any
    ledger: tuple[LedgerEntry, ...]
    _geometry: list[dict[str, Any] | None] = field(default_factory=list, repr=False)

    @property
    def kind(self) -> str:
        return self.scenario.kind

    @property
    def geometry(self) -> dict[str, Any] | None:
        """The GeoJSON FeatureCollection people see on the map (None without geography)."""
        if not self._geometry:
            self._geometry.append(presentation(self.scenario))
        return self._geometry[0]

    def inputs_json(self) -> str:
        """The inputs as canonical JSON (what the store keeps, and what is hashed)."""
        return codec.dumps(self.inputs)

    def digest(self) -> str:
        """SHA-256 of the kind and the resolved inputs."""
        text = f"{self.kind}\n{self.inputs_json()}"
        return hashlib.sha256(text.encode("utf-8")).hexdigest()


def shipped() -> dict[str, str]:
    """Shipped scenarios: name -> YAML text."""
    folder = resources.files("anpo").joinpath("scenarios")
    out: dict[str, str] = {}
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".yaml"):
            out[entry.name[: -len(".yaml")]] = entry.read_text(encoding="utf-8")
    return out


def read_text(ref: str | Path) -> tuple[str, str]:
    """The YAML text of a scenario given as a path or a shipped name, and its origin."""
    path = Path(ref)
    if path.suffix in (".yaml", ".yml") or path.exists():
        if not path.is_file():
            raise ScenarioError(str(ref), [Problem("", str(ref), "no such scenario file")])
        if path.stat().st_size > MAX_FILE_BYTES:
            raise ScenarioError(
                str(ref),
                [Problem("", path.stat().st_size, f"file larger than {MAX_FILE_BYTES} bytes")],
            )
        return path.read_text(encoding="utf-8"), str(path)
    names = shipped()
    if str(ref) in names:
        return names[str(ref)], f"shipped:{ref}"
    raise ScenarioError(
        str(ref),
        [
            Problem(
                "",
                str(ref),
                "neither a YAML file nor a shipped scenario; shipped: " + ", ".join(names),
            )
        ],
    )


def parse(text: str, origin: str = "<string>") -> Scenario:
    """Check a scenario's YAML text against its kind's schema.

    Raises
    ------
    ScenarioError
        With one problem per mistake: the field path, the value, what is allowed.
    """
    try:
        data = yaml.load(text, Loader=kb.SAFE_LOADER)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "?"
        reason = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise ScenarioError(
            origin, [Problem("<yaml>", where, f"not valid YAML: {reason}")]
        ) from None
    if not isinstance(data, dict):
        raise ScenarioError(
            origin, [Problem("", type(data).__name__, "a scenario is a YAML mapping of fields")]
        )
    kind = data.get("kind")
    if not registry.known(kind):
        known = registry.names()
        problems = [
            Problem(
                "kind", kind, "unknown kind; " + suggest(kind, known) + "known: " + ", ".join(known)
            )
        ]
        if data.get("schema_version") != SCHEMA_VERSION:
            problems.append(
                Problem("schema_version", data.get("schema_version"), f"must be {SCHEMA_VERSION}")
            )
        raise ScenarioError(origin, problems)
    schema = registry.get(str(kind)).schema
    try:
        spec = schema.model_validate(data)
    except ValidationError as exc:
        raise ScenarioError(origin, problems_from(exc, schema)) from None
    return Scenario(spec=spec, text=text, origin=origin)


def load_scenario(ref: str | Path) -> Scenario:
    """Read and check a scenario from a YAML path or a shipped scenario's name."""
    text, origin = read_text(ref)
    return parse(text, origin)


def resolve(scenario: Scenario) -> Resolved:
    """Resolve a scenario for its date through the knowledge base.

    Raises
    ------
    ScenarioError
        When the scenario names things the knowledge base does not have on its date.
    """
    try:
        kb.check_date(scenario.date)
    except KnowledgeBaseError as exc:
        raise ScenarioError(
            scenario.origin, [Problem("date", str(scenario.date), str(exc))]
        ) from None
    try:
        resolution: Resolution = registry.get(scenario.kind).resolve(scenario.spec, scenario.date)
    except ScenarioError as exc:
        raise ScenarioError(scenario.origin, exc.problems) from None
    return Resolved(scenario=scenario, inputs=resolution.inputs, ledger=resolution.ledger)


@functools.lru_cache(maxsize=32)
def _presentation(kind: str, text: str, day: dt.date) -> dict[str, Any] | None:
    present = registry.get(kind).views.map.presentation
    if present is None:
        return None
    return present(parse(text).spec, day)


def presentation(scenario: Scenario) -> dict[str, Any] | None:
    """What a scenario places on the map, as GeoJSON (None if nothing), cached by content.

    Computed only for what shows it (the report's map, ``export --format geojson``,
    the web page), by the kind's presentation; never to run the model.
    """
    try:
        kb.check_date(scenario.date)
    except KnowledgeBaseError:
        return None
    return _presentation(scenario.kind, scenario.text, scenario.date)


def inputs_from_json(kind: str, data: dict[str, Any]) -> Any:
    """Rebuild a kind's model inputs from their stored JSON form."""
    return codec.decode(registry.model(kind).Inputs, data)


def schema_json(kind: str) -> dict[str, Any]:
    """The JSON Schema of a kind's scenario files."""
    model: type[BaseModel] = registry.get(kind).schema
    return model.model_json_schema()


__all__ = [
    "LedgerEntry",
    "Resolved",
    "Scenario",
    "inputs_from_json",
    "load_scenario",
    "parse",
    "presentation",
    "resolve",
    "schema_json",
    "shipped",
]
