"""Parts every scenario kind shares: the header, distributions, the ledger, errors.

A scenario file is YAML with ``schema_version``, ``kind`` (the model's registry
key), ``name``, ``date`` and the kind's own sections. Unknown keys are errors:
a typo must never be silently ignored.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import difflib
import types
import typing
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Annotated, Any, Literal, Union

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from anpo import kb
from anpo.errors import MISSING, Problem, ScenarioError
from anpo.models.distributions import Dist

SCHEMA_VERSION = 2
"""The current scenario schema. Version 1 files (anpo 0.1, no geography) still load:
they are version 2 files without the geographic fields (see docs/scenario.md)."""


MAX_MAGNITUDE = 1e9
"""No number in a scenario is larger than this in magnitude (metres, seconds,
people, counts: a billion is beyond every physical range the schema holds). A
field's own bounds are tighter; this one catches what a field leaves open (and
integers of 2**63 and more, which NumPy cannot hold)."""


def _too_large(value: Any) -> str | None:
    """What is wrong with a number (or a list or mapping of numbers) beyond the limit."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        if isinstance(value, list | tuple):
            for i, item in enumerate(value):
                problem = _too_large(item) if isinstance(item, int | float) else None
                if problem:
                    return f"entry [{i}]: {problem}"
        elif isinstance(value, dict):
            for key, item in value.items():
                problem = _too_large(item) if isinstance(item, int | float) else None
                if problem:
                    return f"entry {str(key)[:40]!r}: {problem}"
        return None
    if isinstance(value, float) and value != value:  # NaN: the field's own check names it
        return None
    if abs(value) > MAX_MAGNITUDE:
        return f"a number beyond +/-{MAX_MAGNITUDE:.0e}, larger than any physical range here"
    return None


class Strict(BaseModel):
    """A schema section: unknown keys are errors, values are not coerced loosely.

    Strict means: a number is a number (``true`` is not 1, ``"5"`` is not 5, ``2.5``
    is no integer), every float is finite (no ``.nan`` or ``.inf``), and no number
    exceeds :data:`MAX_MAGNITUDE` in magnitude. Every section inherits this, so
    each field gets it without saying so.
    """

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True, allow_inf_nan=False)

    @field_validator("*", mode="after")
    @classmethod
    def _bounded(cls, value: Any) -> Any:
        problem = _too_large(value)
        if problem:
            raise ValueError(problem)
        return value


# --- distributions ---------------------------------------------------------------


class FixedSpec(Strict):
    """A number known exactly (or treated so)."""

    dist: Literal["fixed"]
    value: float

    def to_dist(self) -> Dist:
        return Dist("fixed", (self.value,))


class UniformSpec(Strict):
    """Every value between ``low`` and ``high`` equally likely."""

    dist: Literal["uniform"]
    low: float
    high: float

    def to_dist(self) -> Dist:
        return Dist("uniform", (self.low, self.high))


class TriangularSpec(Strict):
    """Lowest, most likely and highest value."""

    dist: Literal["triangular"]
    low: float
    mode: float
    high: float

    def to_dist(self) -> Dist:
        return Dist("triangular", (self.low, self.mode, self.high))


class BetaSpec(Strict):
    """Beta(alpha, beta), rescaled from [0, 1] to [low, high]."""

    dist: Literal["beta"]
    alpha: float = Field(gt=0)
    beta: float = Field(gt=0)
    low: float = 0.0
    high: float = 1.0

    def to_dist(self) -> Dist:
        return Dist("beta", (self.alpha, self.beta, self.low, self.high))


class NormalSpec(Strict):
    """Normal(mean, sd) bounded to [low, high]."""

    dist: Literal["normal"]
    mean: float
    sd: float = Field(gt=0)
    low: float
    high: float

    def to_dist(self) -> Dist:
        return Dist("normal", (self.mean, self.sd, self.low, self.high))


DistSpec = Annotated[
    FixedSpec | UniformSpec | TriangularSpec | BetaSpec | NormalSpec,
    Field(discriminator="dist"),
]


def dist_problem(spec: Any) -> str | None:
    """What is wrong with a distribution's parameters, or None."""
    try:
        spec.to_dist()
    except ValueError as exc:
        return str(exc)
    return None


# --- the header -------------------------------------------------------------------


class ScenarioBase(Strict):
    """The fields every scenario has, whatever its kind."""

    schema_version: Literal[1, 2]
    kind: str
    name: str = Field(pattern=r"^[a-z0-9][a-z0-9-]{0,63}$")
    description: str = ""
    date: dt.date | Literal["today"]

    @field_validator("schema_version", mode="before")
    @classmethod
    def _version_not_bool(cls, value: Any) -> Any:
        if isinstance(value, bool) or not isinstance(value, int):  # True and 1.0 == 1
            raise ValueError("must be the integer 1 or 2")
        return value

    @model_validator(mode="before")
    @classmethod
    def _date_text(cls, data: Any) -> Any:
        if isinstance(data, dict) and isinstance(data.get("date"), str):
            text = data["date"]
            if text != "today":
                with contextlib.suppress(ValueError):
                    data = {**data, "date": dt.date.fromisoformat(text)}
        return data


# --- the ledger -------------------------------------------------------------------

LedgerKind = Literal["fact", "estimate", "assumption"]


@dataclass(frozen=True)
class LedgerEntry:
    """One resolved input: its value, and whether it is a sourced fact, an estimate
    or an analyst assumption, with the source (or the reasoning) behind it."""

    name: str
    value: str
    unit: str
    kind: LedgerKind
    source: str
    as_of: str | None = None
    note: str = ""
    override: bool = False
    url: str | None = None
    """The address of the source document, where the knowledge base has one."""

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "value": self.value,
            "unit": self.unit,
            "kind": self.kind,
            "source": self.source,
            "as_of": self.as_of,
            "note": self.note,
            "override": self.override,
            "url": self.url,
        }


@dataclass(frozen=True)
class Resolution:
    """What a kind's resolver returns: the model's inputs and the assumption ledger.

    A resolver never returns inputs beside problems: it raises (see
    :meth:`LedgerBuilder.resolution`). Geometry for people (tracks, rings,
    footprints) is not here: the kind's presentation computes it when shown.
    """

    inputs: Any
    ledger: tuple[LedgerEntry, ...]


def attempt(
    resolve: Any, spec: Any, day: dt.date
) -> tuple[Any, tuple[LedgerEntry, ...], list[Problem]]:
    """Run a kind's resolver and return (inputs, ledger, problems) instead of raising:
    (None, (), problems) when the scenario has problems."""
    try:
        res = resolve(spec, day)
    except ScenarioError as exc:
        return None, (), list(exc.problems)
    return res.inputs, res.ledger, []


@dataclass
class LedgerBuilder:
    """Collects a resolution's problems and its assumption ledger, entry by entry."""

    problems: list[Problem] = field(default_factory=list)
    ledger: list[LedgerEntry] = field(default_factory=list)

    def problem(self, path: str, value: object, message: str) -> None:
        """A mistake in the scenario: the field path, the value, what is allowed."""
        self.problems.append(Problem(path, value, message))

    def check(self) -> None:
        """Raise the problems found so far, all at once, if there are any.

        Raises
        ------
        ScenarioError
            One problem per mistake (its origin is filled in by :func:`anpo.scenario.resolve`).
        """
        if self.problems:
            raise ScenarioError("", list(self.problems))

    def resolution(self, inputs: Any) -> Resolution:
        """The resolver's answer: ``inputs`` and the ledger, or the problems raised."""
        self.check()
        return Resolution(inputs=inputs, ledger=tuple(self.ledger))

    def fact(
        self,
        name: str,
        value: str,
        unit: str,
        record: kb.Record,
        base: kb.KnowledgeBase,
        note: str | None = None,
    ) -> None:
        """An input taken from a knowledge-base record: its kind, source and as-of date."""
        self.ledger.append(
            LedgerEntry(
                name=name,
                value=value,
                unit=unit,
                kind=record.kind,
                source=base.cite(record),
                as_of=str(record.as_of) if record.as_of else None,
                note=note if note is not None else (record.reasoning or "").strip(),
                url=base.url(record),
            )
        )

    def cited(
        self, name: str, value: str, note: str, source: str, as_of: str, url: str | None = None
    ) -> None:
        """A sourced fact from outside the record knowledge base (the law engine)."""
        self.ledger.append(LedgerEntry(name, value, "", "fact", source, as_of, note, url=url))

    def assume(
        self,
        name: str,
        value: str,
        unit: str,
        note: str,
        source: str = "scenario file",
        override: bool = False,
    ) -> None:
        """An analyst assumption (the scenario's or anpo's), flagged when it overrides."""
        self.ledger.append(
            LedgerEntry(name, value, unit, "assumption", source, None, note, override)
        )


class UncertainParameters:
    """A scenario's ``uncertain`` section, checked, and the choice it makes per parameter.

    Parameters
    ----------
    given
        The scenario's ``uncertain`` mapping (key -> distribution spec).
    allowed
        The keys this scenario accepts; any other key is a problem naming them.
    probabilities
        Key prefixes whose values are probabilities (support within [0, 1]).
    nonnegative
        Key prefixes whose values cannot be negative ("" for every key).
    """

    def __init__(
        self,
        given: Mapping[str, Any],
        allowed: Sequence[str],
        b: LedgerBuilder,
        base: kb.KnowledgeBase,
        probabilities: Sequence[str] = (),
        nonnegative: Sequence[str] = (),
    ) -> None:
        self.b, self.base = b, base
        self.given: dict[str, Dist] = {}
        for key, spec in given.items():
            path = f"uncertain.{key}"
            if key not in allowed:
                b.problem(
                    path,
                    key,
                    "not an uncertain parameter of this scenario; allowed: " + ", ".join(allowed),
                )
                continue
            problem = dist_problem(spec)
            if problem:
                b.problem(path, spec.model_dump(), problem)
                continue
            dist = spec.to_dist()
            low, high = dist.support
            if key.startswith(tuple(probabilities)) and probabilities and not 0 <= low <= high <= 1:
                b.problem(path, spec.model_dump(), "a probability must lie between 0 and 1")
                continue
            if key.startswith(tuple(nonnegative)) and nonnegative and low < 0:
                b.problem(path, spec.model_dump(), "cannot be negative")
                continue
            self.given[key] = dist

    def pick(
        self, key: str, default: Dist, record: kb.Record | None = None, note: str | None = None
    ) -> Dist:
        """The scenario's distribution for ``key`` (flagged as an override) or the default.

        The default is entered in the ledger as the record's fact or estimate, or as an
        anpo default with ``note``; with neither, the caller has already entered it.
        """
        if key in self.given:
            self.b.assume(
                key,
                self.given[key].describe(),
                "",
                f"set by the scenario (default: {default.describe()})",
                override=True,
            )
            return self.given[key]
        if record is not None:
            self.b.fact(key, default.describe(), "", record, self.base)
        elif note is not None:
            self.b.assume(key, default.describe(), "", note, source="anpo default")
        return default


def range_dist(r: kb.Range) -> Dist:
    """A knowledge-base range as a distribution: triangular(low, nominal, high), or fixed."""
    if r.low == r.high:
        return Dist.fixed(r.nominal)
    return Dist("triangular", (r.low, r.nominal, r.high))


# --- errors -----------------------------------------------------------------------


def suggest(name: object, choices: Sequence[str], n: int = 3) -> str:
    """``"did you mean 'x'? "`` for the choices nearest to a name that matched none, or "".

    Nearest means: the same name in another case, then choices containing the name (or
    contained in it), then close spellings (difflib, ratio 0.6 or more). The text is
    meant to go before the list of what is allowed: ``"...; " + suggest(...) + "known: ..."``.
    """
    if not isinstance(name, str) or not name.strip() or not choices:
        return ""
    folded = name.casefold().strip()
    by_fold: dict[str, str] = {}
    for c in choices:
        by_fold.setdefault(str(c).casefold(), str(c))
    picks = [by_fold[folded]] if folded in by_fold else []
    if not picks:
        picks = [c for f, c in by_fold.items() if folded in f or (len(f) >= 3 and f in folded)][:n]
    if not picks:  # close spellings, only those about as close as the closest
        close = difflib.get_close_matches(folded, list(by_fold), n, 0.6)
        ratio = [difflib.SequenceMatcher(None, folded, f).ratio() for f in close]
        picks = [by_fold[f] for f, r in zip(close, ratio, strict=True) if r >= ratio[0] - 0.05]
    if not picks:
        return ""
    return "did you mean " + " or ".join(repr(p) for p in picks) + "? "


def _path(loc: Sequence[int | str]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


def _unwrap(annotation: Any) -> list[Any]:
    """The model classes an annotation may hold (through Optional, list, dict, unions)."""
    origin = typing.get_origin(annotation)
    if origin is Annotated:
        return _unwrap(typing.get_args(annotation)[0])
    if origin in (Union, types.UnionType, list, tuple, dict, Sequence):
        out: list[Any] = []
        for arg in typing.get_args(annotation):
            out.extend(_unwrap(arg))
        return out
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return []


def _allowed_keys(root: type[BaseModel], loc: Sequence[int | str]) -> list[str]:
    """The keys allowed in the section at ``loc`` (for "unknown key" messages)."""
    models: list[Any] = [root]
    for part in loc:
        if isinstance(part, int):
            continue
        nxt: list[Any] = []
        for model in models:
            field = model.model_fields.get(part)
            if field is not None:
                nxt.extend(_unwrap(field.annotation))
            elif isinstance(part, str):
                # a discriminated-union tag such as 'beta' in the location
                nxt.extend(
                    m
                    for m in [model]
                    if "dist" in model.model_fields and part in str(model.model_fields["dist"])
                )
        models = nxt or models
    keys: list[str] = []
    for model in models:
        keys.extend(k for k in model.model_fields if k not in keys)
    return keys


def problems_from(exc: ValidationError, root: type[BaseModel]) -> list[Problem]:
    """One :class:`Problem` per pydantic error, with the field path and what is allowed."""
    out: list[Problem] = []
    for err in exc.errors(include_url=False):
        loc = [p for p in err["loc"] if not (isinstance(p, str) and p in _TAGS)]
        value = err.get("input")
        if err["type"] == "extra_forbidden":
            keys = _allowed_keys(root, loc[:-1])
            hint = suggest(loc[-1], keys, n=1) if loc else ""
            out.append(
                Problem(_path(loc), value, f"unknown key; {hint}allowed here: {', '.join(keys)}")
            )
            continue
        if err["type"] == "missing":
            out.append(Problem(_path(loc), MISSING, "required field is missing"))
            continue
        message = err["msg"]
        if message.startswith("Value error, "):
            message = message[len("Value error, ") :]
        out.append(Problem(_path(loc), value, message))
    return out


_TAGS = {"fixed", "uniform", "triangular", "beta", "normal", "function-after", "function-before"}
