"""Scenario kind ``naval``: a surface action between an allied group and a PLA Navy group.

The schema names the ships of each side by warship class (the knowledge base's
``warship_class`` records: missiles per salvo, anti-ship missiles and interceptors
aboard, defence per salvo, staying power) and, optionally, each group's targeting
fractions. :func:`resolve` takes each side's anti-ship missile (well-aimed
probability), ship defence (interceptor single-shot kill, soft kill, shots per
missile) and scouting (Koopman's rate W·v/A, which decides who fires first) from
the records in force on the date, checks each group against the order of battle
(no more ships of a class than the navy had), and records every input in the
assumption ledger.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

import numpy as np
from pydantic import Field

from anpo import kb
from anpo.models.kernels.search import detection_rate_per_h
from anpo.models.naval import SIDES, Inputs
from anpo.scenario.common import (
    DistSpec,
    LedgerBuilder,
    Resolution,
    ScenarioBase,
    Strict,
    UncertainParameters,
    range_dist,
)

ALLIED_NAVIES = ("JMSDF", "USN", "ROKN", "RAN")
MAX_SHIPS = 24  # per group

# --- schema -----------------------------------------------------------------------


class ShipGroup(Strict):
    """``count`` ships of one warship class, with optional overrides of the kb's loads."""

    ship_class: str = Field(description="warship_class of the kb, e.g. kongo, type-052d")
    count: int = Field(ge=1, le=MAX_SHIPS)
    name: str | None = Field(default=None, pattern=r"^[a-z0-9][a-z0-9-]{0,31}$")
    salvo: int | None = Field(default=None, ge=0, le=64)
    anti_ship_missiles: int | None = Field(default=None, ge=0, le=128)
    interceptors: int | None = Field(default=None, ge=0, le=200)
    defence_per_salvo: int | None = Field(default=None, ge=0, le=32)
    targets: dict[str, float] | None = Field(
        default=None, description="enemy group name -> fraction of this group's missiles"
    )


class NavalScenario(ScenarioBase):
    """Salvo exchanges between a surface action group with Aegis defence and a PLAN group."""

    kind: Literal["naval"]
    allied: list[ShipGroup] = Field(min_length=1)
    pla: list[ShipGroup] = Field(min_length=1)
    exchanges: int = Field(default=3, ge=1, le=10)
    simultaneous_h: float = Field(default=0.5, ge=0, le=24)
    uncertain: dict[str, DistSpec] = Field(default_factory=dict)


# --- resolution ---------------------------------------------------------------------


def _side_records(
    base: kb.KnowledgeBase, day: dt.date, type_: str, navy: str, b: LedgerBuilder, path: str
) -> kb.Record | None:
    found = [r for r in base.at(day, type_) if r.data["navy"] == navy]
    if len(found) != 1:
        b.problem(path, navy, f"the knowledge base has {len(found)} {type_} records for {navy}")
        return None
    return found[0]


def resolve(sc: NavalScenario, day: dt.date) -> Resolution:
    """Resolve a surface-action scenario on ``day``: inputs, ledger, problems, no geometry."""
    base = kb.load()
    b = LedgerBuilder()
    b.assume("date", str(day), "date", "the date whose forces the scenario uses")
    classes = {r.data["ship_class"]: r for r in base.at(day, "warship_class")}
    oob = base.at(day, "naval_force")
    names: list[str] = []
    group_side: list[int] = []
    group_rec: list[kb.Record] = []
    specs: list[ShipGroup] = []
    for side, groups in ((0, sc.allied), (1, sc.pla)):
        side_name = SIDES[side]
        for i, g in enumerate(groups):
            path = f"{side_name}[{i}]"
            rec = classes.get(g.ship_class)
            if rec is None:
                b.problem(
                    f"{path}.ship_class",
                    g.ship_class,
                    f"not a warship class in service on {day}; known then: "
                    + ", ".join(sorted(classes)),
                )
                continue
            navy = rec.data["navy"]
            if (side == 0) != (navy in ALLIED_NAVIES):
                b.problem(
                    f"{path}.ship_class",
                    g.ship_class,
                    f"a {navy} class cannot sail with the {side_name} side",
                )
                continue
            name = g.name or g.ship_class
            if name in names:
                b.problem(f"{path}.name", name, "each group needs a name of its own")
                continue
            for force in oob:
                if force.data["ship_class"] == g.ship_class and force.data["navy"] == navy:
                    high = force.range("count").high
                    b.fact(f"{name}.in_service", str(force.range("count")), "ships", force, base)
                    if g.count > high:
                        b.problem(
                            f"{path}.count",
                            g.count,
                            f"more {g.ship_class} than {navy} had on {day} (at most {high:g})",
                        )
            names.append(name)
            group_side.append(side)
            group_rec.append(rec)
            specs.append(g)
    b.check()

    # loads per group (kb nominal, or the scenario's override)
    ship_group: list[int] = []
    salvo: list[int] = []
    missiles: list[int] = []
    defence: list[int] = []
    interceptors: list[int] = []
    ship_names: list[str] = []
    for gi, (g, rec) in enumerate(zip(specs, group_rec, strict=True)):
        values = {}
        for key in ("salvo", "anti_ship_missiles", "interceptors", "defence_per_salvo"):
            given = getattr(g, key)
            if given is None:
                values[key] = round(rec.range(key).nominal)
                b.fact(f"{names[gi]}.{key}", str(rec.range(key)), "", rec, base)
            else:
                values[key] = given
                b.assume(f"{names[gi]}.{key}", str(given), "", "set by the scenario", override=True)
        b.assume(f"{names[gi]}.count", str(g.count), "ships", "ships of the scenario")
        for k in range(g.count):
            ship_group.append(gi)
            ship_names.append(f"{names[gi]}-{k + 1}")
            salvo.append(min(values["salvo"], values["anti_ship_missiles"]))
            missiles.append(values["anti_ship_missiles"])
            defence.append(values["defence_per_salvo"])
            interceptors.append(values["interceptors"])

    targeting = _targeting(sc, b, names, group_side, specs)
    navies = ("allied", "PLAN")
    recs = {
        (side, t): _side_records(base, day, t, navies[side], b, SIDES[side])
        for side in (0, 1)
        for t in ("anti_ship_missile", "ship_defence", "naval_scouting")
    }
    b.check()
    allowed = (
        [f"p_hit.{s}" for s in SIDES]
        + [f"sspk.{s}" for s in SIDES]
        + [f"soft_kill.{s}" for s in SIDES]
        + [f"staying_power.{n}" for n in names]
    )
    pick = UncertainParameters(
        sc.uncertain,
        allowed,
        b,
        base,
        probabilities=("p_hit", "sspk", "soft_kill"),
        nonnegative=("",),
    ).pick

    def side_rec(side: int, type_: str) -> kb.Record:
        r = recs[(side, type_)]
        assert r is not None
        return r

    p_side = [
        pick(
            f"p_hit.{SIDES[s]}",
            range_dist(side_rec(s, "anti_ship_missile").range("p_hit")),
            side_rec(s, "anti_ship_missile"),
        )
        for s in (0, 1)
    ]
    p_hit = tuple(p_side[group_side[gi]] for gi in range(len(names)))
    staying = tuple(
        pick(
            f"staying_power.{names[gi]}",
            range_dist(group_rec[gi].range("staying_power_hits")),
            group_rec[gi],
        )
        for gi in range(len(names))
    )
    sspk = tuple(
        pick(
            f"sspk.{SIDES[s]}",
            range_dist(side_rec(s, "ship_defence").range("sspk")),
            side_rec(s, "ship_defence"),
        )
        for s in (0, 1)
    )
    soft = tuple(
        pick(
            f"soft_kill.{SIDES[s]}",
            range_dist(side_rec(s, "ship_defence").range("soft_kill")),
            side_rec(s, "ship_defence"),
        )
        for s in (0, 1)
    )
    shots = [round(side_rec(s, "ship_defence").range("shots").nominal) for s in (0, 1)]
    rates = []
    for s in (0, 1):
        r = side_rec(s, "naval_scouting")
        rate = float(
            detection_rate_per_h(
                r.range("sweep_width_km").nominal,
                r.range("speed_km_h").nominal,
                r.range("area_km2").nominal,
            )
        )
        rates.append(rate)
        b.fact(
            f"scouting.{SIDES[s]}.rate_per_h",
            f"{rate:.3f} (W {r.range('sweep_width_km')} km x v {r.range('speed_km_h')} km/h"
            f" / A {r.range('area_km2')} km2)",
            "per h",
            r,
            base,
        )
    b.assume(
        "exchanges",
        str(sc.exchanges),
        "salvos",
        "salvo exchanges fought; the first is one side's unanswered salvo unless the two "
        f"sides' targeting solutions come within {sc.simultaneous_h:g} h of each other",
    )
    inputs = Inputs(
        ship_group=np.array(ship_group),
        group_side=np.array(group_side),
        ship_salvo=np.array(salvo),
        ship_missiles=np.array(missiles),
        ship_defence=np.array(defence),
        ship_interceptors=np.array(interceptors),
        targeting=targeting,
        p_hit=p_hit,
        staying_power=staying,
        p_soft=soft,
        sspk=sspk,
        shots=np.array(shots),
        scouting_rate_per_h=np.array(rates),
        simultaneous_h=sc.simultaneous_h,
        n_exchanges=sc.exchanges,
        labels={
            "ship": tuple(ship_names),
            "group": tuple(names),
            "side": SIDES,
            "exchange": tuple(f"salvo {k + 1}" for k in range(sc.exchanges)),
        },
    )
    return b.resolution(inputs)


def _targeting(
    sc: NavalScenario,
    b: LedgerBuilder,
    names: list[str],
    group_side: list[int],
    specs: list[ShipGroup],
) -> np.ndarray[Any, np.dtype[np.float64]]:
    """Targeting fractions: the scenario's, or spread over enemy groups by ship count."""
    g = len(names)
    out = np.zeros((g, g))
    for gi, spec in enumerate(specs):
        enemy = [e for e in range(g) if group_side[e] != group_side[gi]]
        side_name = SIDES[group_side[gi]]
        index = [s for s in range(g) if group_side[s] == group_side[gi]].index(gi)
        path = f"{side_name}[{index}].targets"
        if spec.targets is None:
            weights = np.array([specs[e].count for e in enemy], dtype=float)
            out[gi, enemy] = weights / weights.sum()
            continue
        for target, frac in spec.targets.items():
            if target not in [names[e] for e in enemy]:
                b.problem(
                    path,
                    target,
                    "not an enemy group; enemy groups: " + ", ".join(names[e] for e in enemy),
                )
                continue
            if frac < 0:
                b.problem(f"{path}.{target}", frac, "a fraction cannot be negative")
                continue
            out[gi, names.index(target)] = frac
        total = out[gi].sum()
        if abs(total - 1.0) > 1e-6:
            b.problem(path, spec.targets, f"fractions must sum to 1 (they sum to {total:g})")
        else:
            b.assume(path, str(spec.targets), "", "targeting fractions set by the scenario")
    return out
