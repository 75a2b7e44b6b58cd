"""The law records: agreements, laws and interpretations, and a dated events timeline.

Each :class:`Instrument` (a treaty, a statute, a constitutional interpretation, an
arrangement) holds from ``in_force`` to ``ended`` (inclusive; ``None`` means still in
force at :data:`anpo.kb.KB_AS_OF`), names its parties, summarises the provisions that
matter, cites its sources, and carries the **rules** through which it grants,
conditions or withdraws an authority (or, for the constitutional layer, prohibits or
limits one) for a party x action x situation. The legal engine in :mod:`anpo.law`
computes every answer from these rules; no date lives in code.

The files are ``kb/data/law/*.yaml`` (a sub-folder, so the generic record loader of
:mod:`anpo.kb` does not read them). Each file is a mapping with an ``instruments``
list and/or an ``events`` list (and optional ``definitions``, shared texts for YAML
anchors). Sources come from the knowledge base's
``sources*.yaml`` registries (and any ``sources*.yaml`` beside the law files).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from anpo.errors import KnowledgeBaseError
from anpo.kb import DATA_LOADER
from anpo.kb.records import Source, SourceRef

LAW_COVERS_FROM = dt.date(1947, 5, 3)
"""The first date the law records answer for: the Constitution of Japan in force."""

Party = Literal["japan", "us", "rok", "australia"]
Situation = Literal[
    "armed_attack_on_japan",
    "attack_on_us_forces_in_japan",
    "attack_on_us_ships_defending_japan",
    "missile_over_japan_to_guam_or_hawaii",
    "attack_on_ally_threatening_survival",
    "important_influence_situation",
    "international_peace_support",
    "piracy",
]
Action = Literal[
    "use_force_defence_of_japan",
    "defend_us_ships",
    "intercept_missile_aimed_elsewhere",
    "rear_area_logistic_support",
    "refuelling_abroad",
    "escort_foreign_ships",
    "share_sensor_data_us",
    "share_sensor_data_rok",
    "share_sensor_data_aus",
    "share_sensor_data_japan",
]
Effect = Literal["prohibit", "allow", "allow_if", "grant", "condition", "withdraw"]
InstrumentKind = Literal[
    "constitution",
    "interpretation",
    "cabinet_decision",
    "treaty",
    "agreement",
    "arrangement",
    "law",
    "guidelines",
    "joint_statement",
    "charter",
]
EventKind = Literal[
    "treaty",
    "law",
    "interpretation",
    "crisis",
    "missile",
    "deployment",
    "policy",
    "basing",
    "politics",
]

PARTIES: tuple[str, ...] = ("japan", "us", "rok", "australia")
SITUATIONS: tuple[str, ...] = Situation.__args__  # type: ignore[attr-defined]
ACTIONS: tuple[str, ...] = Action.__args__  # type: ignore[attr-defined]
EVENT_KINDS: tuple[str, ...] = EventKind.__args__  # type: ignore[attr-defined]

SHARE_ACTIONS: dict[str, str] = {
    "us": "share_sensor_data_us",
    "rok": "share_sensor_data_rok",
    "australia": "share_sensor_data_aus",
    "japan": "share_sensor_data_japan",
}
"""The action by which a party passes sensor data *to* each party."""

LIMIT_EFFECTS = frozenset({"prohibit", "allow", "allow_if"})
"""Effects of the constitutional layer: what no statute may exceed."""
AUTHORITY_EFFECTS = frozenset({"grant", "condition", "withdraw"})
"""Effects of the authority layer: statutes, treaties, arrangements."""

SITUATION_ALIASES = {"situations_in_areas_surrounding_japan": "important_influence_situation"}
"""Former names still accepted (the 1999 law's term, renamed by the 2015 legislation)."""


class Rule(BaseModel):
    """What one provision does to an authority, for every party x action x situation listed.

    ``situations: [any]`` means every situation. ``starts``/``ends`` narrow the rule
    within its instrument's time in force (inclusive).
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    effect: Effect
    parties: list[Party] = Field(min_length=1)
    actions: list[Action] = Field(min_length=1)
    situations: list[Situation | Literal["any"]] = Field(min_length=1)
    provision: str
    condition: str | None = None
    starts: dt.date | None = None
    ends: dt.date | None = None

    @model_validator(mode="after")
    def _consistent(self) -> Rule:
        if self.effect in ("allow_if", "condition") and not self.condition:
            raise ValueError(f"a rule with effect {self.effect!r} needs its condition text")
        if self.effect not in ("allow_if", "condition") and self.condition:
            raise ValueError(f"a rule with effect {self.effect!r} takes no condition")
        if self.starts and self.ends and self.ends < self.starts:
            raise ValueError("rule ends before it starts")
        return self

    @property
    def layer(self) -> Literal["limit", "authority"]:
        return "limit" if self.effect in LIMIT_EFFECTS else "authority"

    def covers(self, party: str, action: str, situation: str) -> bool:
        """Whether the rule speaks to this party x action x situation."""
        return (
            party in self.parties
            and action in self.actions
            and ("any" in self.situations or situation in self.situations)
        )


class Provision(BaseModel):
    """A provision that matters, summarised in our own words."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    ref: str
    summary: str


class Instrument(BaseModel):
    """A treaty, statute, interpretation or arrangement, in force between two dates."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9._-]*$")
    title: str
    short: str
    kind: InstrumentKind
    parties: list[str] = Field(min_length=1)
    signed: dt.date | None = None
    in_force: dt.date
    ended: dt.date | None = None
    provisions: list[Provision] = Field(min_length=1)
    sources: list[SourceRef] = Field(min_length=1)
    as_of: dt.date
    rules: list[Rule] = Field(default_factory=list)
    data: dict[str, Any] = Field(default_factory=dict)
    note: str | None = None

    @model_validator(mode="after")
    def _consistent(self) -> Instrument:
        if self.ended is not None and self.ended < self.in_force:
            raise ValueError("ended is before in_force")
        if self.signed is not None and self.signed > self.in_force:
            raise ValueError("signed is after in_force")
        return self

    def holds_on(self, day: dt.date) -> bool:
        """Whether the instrument is in force on ``day`` (``ended`` is its last day)."""
        return self.in_force <= day and (self.ended is None or day <= self.ended)

    def rule_start(self, rule: Rule) -> dt.date:
        """The day a rule of this instrument takes effect."""
        return max(self.in_force, rule.starts) if rule.starts else self.in_force

    def rule_holds_on(self, rule: Rule, day: dt.date) -> bool:
        """Whether ``rule`` is in effect on ``day`` (instrument in force, rule window open)."""
        if not self.holds_on(day) or day < self.rule_start(rule):
            return False
        return rule.ends is None or day <= rule.ends

    def cite(self, rule: Rule | None = None) -> str:
        """``Short title, provision`` for a rule, or the short title alone."""
        return f"{self.short}, {rule.provision}" if rule else self.short


class Event(BaseModel):
    """One dated, sourced event of the alliance's history."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9._-]*$")
    date: dt.date
    kind: EventKind
    title: str
    summary: str
    sources: list[SourceRef] = Field(min_length=1)
    records: list[str] = Field(default_factory=list)
    data: dict[str, Any] = Field(default_factory=dict)


@dataclass(frozen=True)
class LawBase:
    """All instruments, events and the sources they cite."""

    instruments: tuple[Instrument, ...]
    events: tuple[Event, ...]
    sources: dict[str, Source] = field(repr=False)

    def get(self, instrument_id: str) -> Instrument:
        """The instrument with this id."""
        for inst in self.instruments:
            if inst.id == instrument_id:
                return inst
        raise KnowledgeBaseError(f"no law record {instrument_id!r}")

    def in_force(self, day: dt.date) -> list[Instrument]:
        """Instruments in force on ``day``, in file order."""
        return [i for i in self.instruments if i.holds_on(day)]

    def cite_source(self, ref: SourceRef) -> str:
        """The citation of one source reference."""
        return self.sources[ref.ref].cite(ref.section)

    def url_of(self, citation: str) -> str | None:
        """The address of the document behind a citation the law engine gave, if known.

        A citation is an instrument's ``short, provision`` (the URL of its first source
        that has one) or a source's own citation (:meth:`cite_source`).
        """
        for inst in self.instruments:
            if citation == inst.short or citation.startswith(inst.short + ", "):
                for ref in inst.sources:
                    url = self.sources[ref.ref].url if ref.ref in self.sources else None
                    if url:
                        return url
        for source in self.sources.values():
            if source.url and citation.startswith(source.cite()):
                return source.url
        return None


def build_law(
    instruments: Iterable[Instrument | dict[str, Any]],
    events: Iterable[Event | dict[str, Any]],
    sources: dict[str, Source],
) -> LawBase:
    """Check and assemble a :class:`LawBase` (also for tests that build one in memory)."""
    try:
        insts = tuple(i if isinstance(i, Instrument) else Instrument(**i) for i in instruments)
        evs = tuple(e if isinstance(e, Event) else Event(**e) for e in events)
    except ValidationError as exc:
        raise KnowledgeBaseError(f"law records are invalid: {exc}") from exc
    problems: list[str] = []
    seen: set[str] = set()
    for inst in insts:
        if inst.id in seen:
            problems.append(f"{inst.id}: duplicate id")
        seen.add(inst.id)
        problems += [
            f"{inst.id}: unknown source {s.ref!r}" for s in inst.sources if s.ref not in sources
        ]
        problems += [
            f"{inst.id}: a rule lets {p} share sensor data with itself"
            for rule in inst.rules
            for p in rule.parties
            if SHARE_ACTIONS[p] in rule.actions
        ]
    event_ids: set[str] = set()
    for ev in evs:
        if ev.id in event_ids or ev.id in seen:
            problems.append(f"{ev.id}: duplicate id")
        event_ids.add(ev.id)
        problems += [
            f"{ev.id}: unknown source {s.ref!r}" for s in ev.sources if s.ref not in sources
        ]
        problems += [f"{ev.id}: unknown law record {r!r}" for r in ev.records if r not in seen]
    if problems:
        raise KnowledgeBaseError("law records are invalid:\n  " + "\n  ".join(problems))
    order = sorted(evs, key=lambda e: (e.date, e.id))
    return LawBase(instruments=insts, events=tuple(order), sources=sources)


def _yaml(text: str, name: str, shipped: bool = False) -> Any:
    """A law file's parsed YAML; a shipped one's kept by content (:mod:`anpo.kb.yaml_cache`)."""
    from anpo.kb import yaml_cache

    try:
        return (
            yaml_cache.load(text, DATA_LOADER) if shipped else yaml.load(text, Loader=DATA_LOADER)
        )
    except yaml.YAMLError as exc:
        raise KnowledgeBaseError(f"{name}: not valid YAML: {exc}") from exc


def _kb_sources() -> dict[str, Source]:
    folder = resources.files("anpo.kb").joinpath("data")
    sources: dict[str, Source] = {}
    names = sorted(e.name for e in folder.iterdir() if e.name.endswith(".yaml"))
    for name in (n for n in names if n.startswith("sources")):
        text = folder.joinpath(name).read_text(encoding="utf-8")
        _add_sources(sources, _yaml(text, name, shipped=True), name)
    return sources


def _add_sources(sources: dict[str, Source], items: Any, name: str) -> None:
    for key, value in (items or {}).items():
        if key in sources:
            raise KnowledgeBaseError(f"source id {key!r} appears twice ({name})")
        try:
            sources[key] = Source(**value)
        except ValidationError as exc:
            raise KnowledgeBaseError(f"{name}: source {key!r} is invalid: {exc}") from exc


def load_law(folder: Path | str | None = None) -> LawBase:
    """Read the law records from ``folder`` (default: the shipped ``kb/data/law``).

    Sources are the knowledge base's registries plus any ``sources*.yaml`` in ``folder``.
    """
    if folder is None:
        return _load_default()
    path = Path(folder)
    if not path.is_dir():
        raise KnowledgeBaseError(f"law records folder {str(path)!r} does not exist")
    texts = {p.name: p.read_text(encoding="utf-8") for p in sorted(path.glob("*.yaml"))}
    return _assemble(texts)


@cache
def _load_default() -> LawBase:
    folder = resources.files("anpo.kb").joinpath("data", "law")
    names = sorted(e.name for e in folder.iterdir() if e.name.endswith(".yaml"))
    return _assemble({n: folder.joinpath(n).read_text(encoding="utf-8") for n in names}, True)


def _assemble(texts: dict[str, str], shipped: bool = False) -> LawBase:
    sources = _kb_sources()
    instruments: list[Any] = []
    events: list[Any] = []
    for name, text in texts.items():
        content = _yaml(text, name, shipped)
        if name.startswith("sources"):
            _add_sources(sources, content, name)
            continue
        if not isinstance(content, dict) or set(content) - {"instruments", "events", "definitions"}:
            raise KnowledgeBaseError(
                f"{name}: a law file is a mapping with 'instruments' and/or 'events' lists"
                " (and optional 'definitions' for YAML anchors)"
            )
        instruments += content.get("instruments") or []
        events += content.get("events") or []
    return build_law(instruments, events, sources)


__all__ = [
    "ACTIONS",
    "AUTHORITY_EFFECTS",
    "EVENT_KINDS",
    "LAW_COVERS_FROM",
    "LIMIT_EFFECTS",
    "PARTIES",
    "SHARE_ACTIONS",
    "SITUATIONS",
    "SITUATION_ALIASES",
    "Event",
    "Instrument",
    "LawBase",
    "Provision",
    "Rule",
    "build_law",
    "load_law",
]
