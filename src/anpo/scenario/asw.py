"""Scenario kind ``asw``: PLA Navy submarines through a strait barrier of the first island chain.

The schema names the strait (Miyako, Tsushima or Bashi), the transits (submarine
class, how many, from which day, how many a day) and the allied ASW forces on
station in the barrier (platform type, navy, how many on station at a time).
South Korean and Australian forces take part only when their navy is listed in
``partners`` (the lever of issue 16). :func:`resolve` takes the strait's width
and search depth, each platform type's Koopman inputs (sweep width, search
speed), attack kill probability and counter-detection, and each submarine
class's quieting factor and transit speed from the knowledge base, checks each
navy had the platform on the date and no more on station than it had, and
records every input in the assumption ledger.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

import numpy as np
from pydantic import Field

from anpo import kb
from anpo.models.asw import Inputs
from anpo.models.distributions import Dist
from anpo.scenario.common import (
    DistSpec,
    LedgerBuilder,
    Resolution,
    ScenarioBase,
    Strict,
    UncertainParameters,
    range_dist,
)

PARTNERS = ("ROKN", "RAN")
MAX_TRANSITS = 200
# which order-of-battle class stands behind each ASW platform type
AIRCRAFT = {"p-3c": ("p-3c", "ap-3c"), "p-1": ("p-1",), "p-8a": ("p-8a",)}

# --- schema -----------------------------------------------------------------------


class Transits(Strict):
    """``count`` submarines of one class crossing from ``start_day``, ``per_day`` a day."""

    sub_class: Literal["ssk", "ssn"]
    count: int = Field(ge=1, le=MAX_TRANSITS)
    start_day: int = Field(default=0, ge=0, le=59)
    per_day: int = Field(default=1, ge=1, le=20)


class Platforms(Strict):
    """``on_station`` platforms of one type and navy searching the barrier at any time."""

    platform: Literal["p-3c", "p-1", "p-8a", "helicopter", "surface", "submarine"]
    navy: Literal["JMSDF", "USN", "ROKN", "RAN"]
    on_station: int = Field(ge=0, le=40)


class AswScenario(ScenarioBase):
    """Submarine transits of a strait barrier against allied ASW forces, over days."""

    kind: Literal["asw"]
    strait: Literal["miyako", "tsushima", "bashi"]
    transits: list[Transits] = Field(min_length=1)
    platforms: list[Platforms] = Field(min_length=1)
    partners: list[Literal["ROKN", "RAN"]] = Field(default_factory=list)
    horizon_days: int = Field(default=10, ge=1, le=60)
    uncertain: dict[str, DistSpec] = Field(default_factory=dict)


# --- resolution ---------------------------------------------------------------------


def resolve(sc: AswScenario, day: dt.date) -> Resolution:
    """Resolve a strait-barrier scenario on ``day``: inputs, ledger, problems, no geometry."""
    base = kb.load()
    b = LedgerBuilder()
    b.assume("date", str(day), "date", "the date whose forces the scenario uses")
    b.assume(
        "partners",
        ", ".join(sc.partners) or "none",
        "",
        "partner navies (South Korea, Australia) whose forces join the barrier",
    )
    strait = base.one(day, "strait", name=sc.strait)
    width, depth = strait.range("width_km"), strait.range("depth_km")
    b.fact("strait.width_km", str(width), "km", strait, base)
    b.fact("strait.depth_km", str(depth), "km", strait, base)
    kinds = {r.data["platform"]: r for r in base.at(day, "asw_platform")}
    oob = base.at(day, "naval_force")

    p_name: list[str] = []
    p_rec: list[kb.Record] = []
    p_count: list[int] = []
    for i, p in enumerate(sc.platforms):
        path = f"platforms[{i}]"
        if p.navy in PARTNERS and p.navy not in sc.partners:
            b.assume(
                f"{path}.excluded",
                f"{p.on_station} {p.platform} ({p.navy})",
                "",
                f"{p.navy} is not among the scenario's partners, so its forces stay out",
            )
            continue
        rec = kinds.get(p.platform)
        if rec is None:
            b.problem(
                f"{path}.platform",
                p.platform,
                f"not an ASW platform in service on {day}; known then: "
                + ", ".join(k for k in sorted(kinds) if k != "counter-kill"),
            )
            continue
        classes = AIRCRAFT.get(p.platform)
        if classes is not None:
            held = [
                f
                for f in oob
                if f.data["navy"] == p.navy
                and f.data["category"] == "patrol-aircraft"
                and f.data["ship_class"] in classes
            ]
            if not held:
                b.problem(f"{path}.platform", p.platform, f"{p.navy} had no {p.platform} on {day}")
                continue
            most = sum(f.range("count").high for f in held)
            for f in held:
                b.fact(f"{path}.inventory", str(f.range("count")), "aircraft", f, base)
            if p.on_station > most:
                b.problem(
                    f"{path}.on_station",
                    p.on_station,
                    f"more {p.platform} on station than {p.navy} had on {day} (at most {most:g})",
                )
                continue
        name = f"{p.navy.lower()}-{p.platform}"
        if name in p_name:
            b.problem(f"{path}.platform", p.platform, f"{p.navy} {p.platform} is listed twice")
            continue
        p_name.append(name)
        p_rec.append(rec)
        p_count.append(p.on_station)
        b.assume(f"{name}.on_station", str(p.on_station), "platforms", "on station in the barrier")
    subs = {r.data["ship_class"]: r for r in base.at(day, "submarine_class")}
    classes_used = sorted({t.sub_class for t in sc.transits})
    sub_class: list[int] = []
    sub_day: list[int] = []
    sub_speed: list[float] = []
    sub_name: list[str] = []
    for i, t in enumerate(sc.transits):
        rec = subs.get(t.sub_class)
        if rec is None:
            b.problem(f"transits[{i}].sub_class", t.sub_class, f"no such class on {day}")
            continue
        speed = rec.range("transit_speed_km_h").nominal
        for k in range(t.count):
            d = t.start_day + k // t.per_day
            if d >= sc.horizon_days:
                b.problem(
                    f"transits[{i}]",
                    t.count,
                    f"transit {k + 1} falls on day {d + 1}, after the horizon of "
                    f"{sc.horizon_days} days",
                )
                break
            sub_class.append(classes_used.index(t.sub_class))
            sub_day.append(d)
            sub_speed.append(speed)
            sub_name.append(
                f"{t.sub_class}-{sum(1 for n in sub_name if n.startswith(t.sub_class)) + 1}"
            )
        b.assume(
            f"transits[{i}]",
            f"{t.count} x {t.sub_class} from day {t.start_day + 1}, {t.per_day} a day",
            "submarines",
            "transits of the scenario",
        )
        b.fact(
            f"{t.sub_class}.transit_speed_km_h",
            str(rec.range("transit_speed_km_h")),
            "km/h",
            rec,
            base,
        )
    if not p_name:
        b.problem("platforms", len(sc.platforms), "no ASW platform takes part")
    b.check()

    allowed = (
        [f"pk.{n}" for n in p_name]
        + [f"counter_detection.{n}" for n in p_name]
        + [f"sweep_factor.{c}" for c in classes_used]
        + ["counter_kill", "shipping_sinkings"]
    )
    pick = UncertainParameters(
        sc.uncertain,
        allowed,
        b,
        base,
        probabilities=("pk", "counter_detection", "counter_kill"),
        nonnegative=("",),
    ).pick
    pk = tuple(
        pick(f"pk.{n}", range_dist(r.range("pk")), r) for n, r in zip(p_name, p_rec, strict=True)
    )
    counter = tuple(
        pick(f"counter_detection.{n}", range_dist(r.range("counter_detection")), r)
        for n, r in zip(p_name, p_rec, strict=True)
    )
    factor = tuple(
        pick(f"sweep_factor.{c}", range_dist(subs[c].range("sweep_factor")), subs[c])
        for c in classes_used
    )
    ck = kinds["counter-kill"]
    counter_kill = pick("counter_kill", range_dist(ck.range("pk")), ck)
    shipping = pick(
        "shipping_sinkings",
        Dist("triangular", (0.0, 1.0, 3.0)),
        None,
        note="ships a submarine that got through sinks over one patrol (mean of a Poisson "
        "number): 0-3, most likely 1, from the Second World War's and the Falklands' "
        "experience of a few successful attacks per patrol",
    )
    for n, r in zip(p_name, p_rec, strict=True):
        b.fact(f"{n}.sweep_width_km", str(r.range("sweep_width_km")), "km", r, base)
        b.fact(f"{n}.speed_km_h", str(r.range("speed_km_h")), "km/h", r, base)
    inputs = Inputs(
        sub_class=np.array(sub_class),
        sub_day=np.array(sub_day),
        sub_speed_km_h=np.array(sub_speed),
        class_sweep_factor=factor,
        platform_count=np.array(p_count),
        platform_sweep_km=np.array([r.range("sweep_width_km").nominal for r in p_rec]),
        platform_speed_km_h=np.array([r.range("speed_km_h").nominal for r in p_rec]),
        platform_pk=pk,
        platform_counter=counter,
        platform_vulnerable=np.array([bool(r.data.get("vulnerable", False)) for r in p_rec]),
        counter_kill=counter_kill,
        shipping_sinkings=shipping,
        barrier_length_km=width.nominal,
        barrier_depth_km=depth.nominal,
        n_days=sc.horizon_days,
        labels={
            "sub": tuple(sub_name),
            "class": tuple(classes_used),
            "platform": tuple(p_name),
            "day": tuple(f"day {d + 1}" for d in range(sc.horizon_days)),
        },
    )
    return b.resolution(inputs)
