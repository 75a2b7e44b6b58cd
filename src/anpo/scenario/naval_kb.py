"""The knowledge base with the war-at-sea records (``kb/data/naval/navies.yaml``).

The naval and ASW resolvers ask :func:`naval_kb` for their records. Once the record
types below are registered in :data:`anpo.kb.records.REQUIRED_DATA` and the file is
moved up into ``kb/data``, :func:`anpo.kb.load` reads it like any other and
:func:`naval_kb` simply returns that; until then it reads the file itself, with the
same record model and the same checks (known type, required keys, known source,
ranges for estimates and assumptions, unique ids).
"""

from __future__ import annotations

from functools import cache
from importlib import resources

import yaml

from anpo import kb
from anpo.errors import KnowledgeBaseError
from anpo.kb.records import REQUIRED_DATA, Record

NAVAL_REQUIRED_DATA: dict[str, frozenset[str]] = {
    # order of battle: ships, submarines, carriers and patrol aircraft by navy and class
    "naval_force": frozenset({"navy", "category", "ship_class", "count"}),
    # salvo-model inputs of one warship class
    "warship_class": frozenset(
        {
            "navy",
            "ship_class",
            "anti_ship_missiles",
            "salvo",
            "interceptors",
            "defence_per_salvo",
            "staying_power_hits",
        }
    ),
    "anti_ship_missile": frozenset({"navy", "name", "p_hit"}),
    "ship_defence": frozenset({"navy", "sspk", "soft_kill", "shots"}),
    "naval_scouting": frozenset({"navy", "sweep_width_km", "speed_km_h", "area_km2"}),
    # Koopman inputs of an ASW platform type, and of a submarine class
    "asw_platform": frozenset(
        {"platform", "platform_kind", "sweep_width_km", "speed_km_h", "pk", "counter_detection"}
    ),
    "submarine_class": frozenset(
        {"navy", "ship_class", "propulsion", "sweep_factor", "transit_speed_km_h"}
    ),
    "strait": frozenset({"name", "width_km", "depth_km", "lat", "lon"}),
}
PENDING = ("naval", "navies.yaml")


@cache
def naval_kb() -> kb.KnowledgeBase:
    """The knowledge base including the naval records (read once per process)."""
    base = kb.load()
    if set(NAVAL_REQUIRED_DATA) <= set(REQUIRED_DATA) and any(
        r.type == "naval_force" for r in base.records
    ):
        return base
    text = resources.files("anpo.kb").joinpath("data", *PENDING).read_text(encoding="utf-8")
    records = [Record(**item) for item in yaml.load(text, Loader=kb.SAFE_LOADER)]
    problems = _problems(records, base)
    if problems:
        raise KnowledgeBaseError(
            "naval knowledge base data are invalid:\n  " + "\n  ".join(problems)
        )
    return kb.KnowledgeBase(records=(*base.records, *records), sources=base.sources)


def _problems(records: list[Record], base: kb.KnowledgeBase) -> list[str]:
    problems: list[str] = []
    seen = {r.id for r in base.records}
    for r in records:
        if r.id in seen:
            problems.append(f"{r.id}: duplicate id")
        seen.add(r.id)
        if r.source is not None and r.source.ref not in base.sources:
            problems.append(f"{r.id}: unknown source {r.source.ref!r}")
        required = NAVAL_REQUIRED_DATA.get(r.type)
        if required is None:
            problems.append(f"{r.id}: unknown record type {r.type!r}")
            continue
        missing = required - set(r.data)
        if missing:
            problems.append(f"{r.id}: data lacks {sorted(missing)}")
        if r.kind != "fact":
            plain = [
                k
                for k, v in r.data.items()
                if isinstance(v, int | float) and not isinstance(v, bool)
            ]
            if plain:
                problems.append(f"{r.id}: a {r.kind} gives ranges, not plain numbers {plain}")
    return problems
