"""The knowledge base: sourced facts, estimates and assumptions, by date.

The data are YAML files in ``anpo/kb/data`` (shipped with the package). Each
record holds between two dates, so any date from :data:`KB_COVERS_FROM` to
:data:`KB_AS_OF` resolves. "Today" is :data:`KB_AS_OF`, the date to which the
sources have been brought up: it moves when the sources are updated, never
with the clock.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

import yaml
from pydantic import ValidationError

from anpo.errors import KnowledgeBaseError
from anpo.kb.records import REQUIRED_DATA, Range, Record, Source, SourceRef

_SAFE_BASE: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
DATA_LOADER: Any = _SAFE_BASE
"""PyYAML's safe loader (the C one where libyaml is installed) for the knowledge base's
own shipped files, which may share a value through an alias; anything a user gives is
read with the stricter :data:`SAFE_LOADER`."""


class DuplicateKeyError(yaml.constructor.ConstructorError):
    """A mapping that gives the same key twice (the ``key`` is kept for messages)."""

    def __init__(self, key: str, mark: Any) -> None:
        super().__init__(
            None,
            None,
            f"duplicate key {key!r}: a key may appear only once in a mapping",
            mark,
        )
        self.key = key


class StrictSafeLoader(_SAFE_BASE):  # type: ignore[misc]
    """PyYAML's safe loader (the C one when libyaml is available), stricter.

    - **aliases** (``*name``) are refused where they are used, so a small file cannot
      expand into a huge value (a "billion laughs" alias bomb);
    - **duplicate keys** are refused, never resolved silently by the last one winning;
    - a **timestamp that is no calendar date** (``2010-13-01``) stays the text it was,
      so the schema reports it against its field instead of the parser crashing.
    """

    def construct_object(self, node: Any, deep: bool = False) -> Any:
        if node in self.constructed_objects or node in self.recursive_objects:
            raise yaml.constructor.ConstructorError(
                None,
                None,
                "YAML aliases (*name) are not allowed: write the value out",
                node.start_mark,
            )
        return super().construct_object(node, deep=deep)

    def construct_mapping(self, node: Any, deep: bool = False) -> Any:
        if isinstance(node, yaml.MappingNode):
            seen: set[tuple[str, str]] = set()
            for key_node, _ in node.value:
                if isinstance(key_node, yaml.ScalarNode):
                    key = (key_node.tag, key_node.value)
                    if key in seen:
                        raise DuplicateKeyError(key_node.value, key_node.start_mark)
                    seen.add(key)
        return super().construct_mapping(node, deep=deep)

    def construct_yaml_timestamp(self, node: Any) -> Any:
        try:
            return super().construct_yaml_timestamp(node)
        except ValueError:
            return self.construct_scalar(node)


StrictSafeLoader.add_constructor(
    "tag:yaml.org,2002:timestamp", StrictSafeLoader.construct_yaml_timestamp
)

SAFE_LOADER = StrictSafeLoader
"""The YAML loader of every anpo file: safe, no aliases, no duplicate keys."""

KB_AS_OF = dt.date(2025, 12, 31)
"""The date the knowledge base's sources describe: anpo's "today"."""

KB_COVERS_FROM = dt.date(2009, 1, 1)
"""The first date for which every record type has a record in force."""


def record_files() -> list[str]:
    """The record files: every ``*.yaml`` in ``kb/data`` but the ``sources*.yaml``, sorted."""
    return [name for name in _data_files() if not name.startswith("sources")]


def source_files() -> list[str]:
    """The source registries: ``sources.yaml`` and any ``sources_*.yaml``, sorted."""
    return [name for name in _data_files() if name.startswith("sources")]


def _data_files() -> list[str]:
    folder = resources.files("anpo.kb").joinpath("data")
    return sorted(e.name for e in folder.iterdir() if e.name.endswith(".yaml"))


FACTORS = ("threat", "forces", "law")
"""What a date fixes, taken apart for then-and-now studies: the **threat** (the
adversary's weapons, their performance, inventories and warheads), the **forces**
(everything the alliance fields: ships, batteries, bases, aircraft, sensors, their
loads and stations) and the **law** (the agreements and interpretations in force)."""

THREAT_TYPES = frozenset(
    {
        "dprk_missile",
        "missile_flight",
        "missile_reliability",
        "missile_trajectory",
        "trajectory_shape",
        "plarf_inventory",
        "plarf_missile",
        "plarf_warhead",
        "plarf_launch_area",
        "warhead",
    }
)
"""Record types of the threat factor; every other record type is the forces' (the law's
records are read by the law engine, :mod:`anpo.law`)."""

_FACTOR_DATES: ContextVar[dict[str, dt.date] | None] = ContextVar("anpo_factor_dates", default=None)


def factor_of(type_: str) -> str:
    """The factor a record type belongs to: ``threat`` or ``forces``."""
    return "threat" if type_ in THREAT_TYPES else "forces"


@contextlib.contextmanager
def factor_dates(**dates: dt.date) -> Iterator[None]:
    """Inside the block, look-ups of a factor (``threat``, ``forces``, ``law``) use its
    date instead of the scenario's: the same raid against 2010's forces under today's
    law, say. Outside it, every look-up uses the date it is given."""
    unknown = sorted(set(dates) - set(FACTORS))
    if unknown:
        raise ValueError(f"unknown factor(s) {unknown}; the factors are {', '.join(FACTORS)}")
    for day in dates.values():
        check_date(day)
    token = _FACTOR_DATES.set(dict(dates))
    try:
        yield
    finally:
        _FACTOR_DATES.reset(token)


def factor_day(factor: str, day: dt.date) -> dt.date:
    """The date a look-up of ``factor`` uses: its date in :func:`factor_dates`, else ``day``."""
    dates = _FACTOR_DATES.get()
    return dates.get(factor, day) if dates else day


@dataclass(frozen=True)
class KnowledgeBase:
    """All records and sources, with look-ups by date."""

    records: tuple[Record, ...]
    sources: dict[str, Source] = field(repr=False)

    def get(self, record_id: str) -> Record:
        """The record with this id."""
        for record in self.records:
            if record.id == record_id:
                return record
        raise KnowledgeBaseError(f"no knowledge-base record {record_id!r}")

    def at(self, day: dt.date, type_: str) -> list[Record]:
        """Records of ``type_`` in force on ``day``, in file order (on its factor's date
        inside :func:`factor_dates`)."""
        day = factor_day(factor_of(type_), day)
        check_date(day)
        return [r for r in self.records if r.type == type_ and r.holds_on(day)]

    def one(self, day: dt.date, type_: str, **match: Any) -> Record:
        """The single record of ``type_`` in force on ``day`` whose data match ``match``."""
        found = [
            r for r in self.at(day, type_) if all(r.data.get(k) == v for k, v in match.items())
        ]
        if len(found) != 1:
            what = ", ".join(f"{k}={v}" for k, v in match.items())
            raise KnowledgeBaseError(
                f"the knowledge base has {len(found)} {type_} records for {what} on {day}"
                " (expected exactly one)"
            )
        return found[0]

    def cite(self, record: Record) -> str:
        """The citation of a record's source, or its reasoning when it has none."""
        if record.source is None:
            return "analyst assumption (no public source)"
        return self.sources[record.source.ref].cite(record.source.section)

    def url(self, record: Record) -> str | None:
        """The address of a record's source document, or None where it has none."""
        if record.source is None:
            return None
        return self.sources[record.source.ref].url

    def types(self) -> list[str]:
        return sorted({r.type for r in self.records})


def check_date(day: dt.date) -> None:
    """Raise a clear error for a date outside the knowledge base's coverage."""
    if day < KB_COVERS_FROM:
        raise KnowledgeBaseError(
            f"date {day} is before the knowledge base's coverage, which starts on {KB_COVERS_FROM}"
        )
    if day > KB_AS_OF:
        raise KnowledgeBaseError(
            f"date {day} is after the knowledge base's as-of date {KB_AS_OF}; "
            "use 'today' for the latest the sources describe"
        )


def _read(name: str) -> Any:
    """A shipped data file's parsed YAML (kept by content: :mod:`anpo.kb.cache`)."""
    from anpo.kb import yaml_cache

    text = resources.files("anpo.kb").joinpath("data", name).read_text(encoding="utf-8")
    return yaml_cache.load(text, SAFE_LOADER)


def _problems(records: Iterable[Record], sources: dict[str, Source]) -> list[str]:
    problems: list[str] = []
    seen: set[str] = set()
    for r in records:
        if r.id in seen:
            problems.append(f"{r.id}: duplicate id")
        seen.add(r.id)
        if r.source is not None and r.source.ref not in sources:
            problems.append(f"{r.id}: unknown source {r.source.ref!r}")
        required = REQUIRED_DATA.get(r.type)
        if required is None:
            problems.append(f"{r.id}: unknown record type {r.type!r}")
            continue
        missing = required - set(r.data)
        if missing:
            problems.append(f"{r.id}: data lacks {sorted(missing)}")
        if r.kind == "fact":
            continue
        numbers = [k for k, v in r.data.items() if isinstance(v, int | float)]
        numbers = [k for k in numbers if not isinstance(r.data[k], bool)]
        if numbers:
            problems.append(f"{r.id}: a {r.kind} gives ranges, not plain numbers {numbers}")
    return problems


@cache
def load() -> KnowledgeBase:
    """Read and check every knowledge-base file (once per process)."""
    try:
        sources: dict[str, Source] = {}
        for name in source_files():
            for key, value in _read(name).items():
                if key in sources:
                    raise KnowledgeBaseError(f"source id {key!r} appears twice ({name})")
                sources[key] = Source(**value)
        records: list[Record] = []
        for name in record_files():
            records.extend(Record(**item) for item in _read(name))
    except ValidationError as exc:  # a broken data file is a bug in anpo's data
        raise KnowledgeBaseError(f"knowledge base data are invalid: {exc}") from exc
    problems = _problems(records, sources)
    if problems:
        raise KnowledgeBaseError("knowledge base data are invalid:\n  " + "\n  ".join(problems))
    return KnowledgeBase(records=tuple(records), sources=sources)


__all__ = [
    "KB_AS_OF",
    "KB_COVERS_FROM",
    "KnowledgeBase",
    "Range",
    "Record",
    "Source",
    "SourceRef",
    "check_date",
    "load",
    "record_files",
]
