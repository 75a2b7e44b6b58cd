"""Scenarios: the schema, validation with precise errors, and resolution.

:func:`load_scenario` reads a YAML file (or a shipped scenario by name), checks
it and returns a :class:`Scenario`; :func:`resolve` turns it into a model's
inputs and the assumption ledger through the knowledge base. Each scenario
``kind`` has its schema and resolver in a module of its own; both are found through
the kind's one registration (:mod:`anpo.kinds.registry`). The header fields are shared.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from anpo import kb
from anpo.errors import KnowledgeBaseError, Problem, ScenarioError
from anpo.kinds import registry
from anpo.models import codec
from anpo.scenario import loader
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

    What the scenario places on a map is not here: :func:`anpo.scenario.presentation.geometry`
    draws it when something shows it, never to run the model.
    """

    scenario: Scenario
    inputs: Any
    ledger: tuple[LedgerEntry, ...]

    @property
    def kind(self) -> str:
        return self.scenario.kind

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
        return loader.decode(path.read_bytes(), str(path)), str(path)
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
    data = loader.load_mapping(text, origin)
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
    "resolve",
    "schema_json",
    "shipped",
]
