"""The naval kind: salvo exchanges between an allied surface action group and a PLA Navy
group (Hughes's salvo model, in Armstrong's stochastic form).

Its schema and resolver are :mod:`anpo.scenario.naval`, its model
:mod:`anpo.models.naval`; what people see of a run and its levers are declared here.
"""

from __future__ import annotations

from typing import Any

from anpo.kinds.base import (
    FigureView,
    Headline,
    KindSpec,
    Lever,
    SummaryGroups,
    UncertainKey,
    Views,
)
from anpo.kinds.naval.objectives import OBJECTIVES, PARTIES
from anpo.scenario import naval as scenario

VIEWS = Views(
    headline=(
        Headline(
            key="allied_out_of_action",
            outcome="out_of_action_total",
            entry="allied",
            title="Allied ships out of action",
            unit="ships",
            zero_title="P(no allied ship lost)",
            zero_wording="Share of trials in which every allied ship stayed in action.",
        ),
        Headline(
            key="pla_out_of_action",
            outcome="out_of_action_total",
            entry="pla",
            title="PLA Navy ships out of action",
            unit="ships",
        ),
        Headline(
            key="allied_missiles_left",
            outcome="missiles_left",
            entry="allied",
            title="Allied anti-ship missiles left aboard",
            unit="missiles",
        ),
        Headline(
            key="allied_interceptors_left",
            outcome="interceptors_left",
            entry="allied",
            title="Allied interceptors left aboard",
            unit="interceptors",
        ),
    ),
    figures=(
        FigureView(
            "by_day",
            "out_of_action",
            "Ships out of action, salvo by salvo",
            "ships out of action",
            "Ships put out of action in each salvo exchange, by side: the mean with the "
            "5th–95th percentile band (Store.summary of 'out_of_action').",
            step="exchange",
        ),
        FigureView(
            "codes",
            "first_to_fire",
            "Which side fired first",
            "share of trials",
            "How often the allied group, the PLA Navy group, or both at once fired the "
            "first effective salvo (counts of 'first_to_fire').",
        ),
        FigureView(
            "spread",
            "missiles_fired",
            "Anti-ship missiles fired",
            "missiles per battle",
            "Mean with the 5th–95th percentile of trials (Store.summary of 'missiles_fired').",
        ),
        FigureView(
            "spread",
            "interceptors_fired",
            "Interceptors fired",
            "interceptors per battle",
            "Mean with the 5th–95th percentile of trials (Store.summary of 'interceptors_fired').",
        ),
        FigureView(
            "entries",
            "ship_out_of_action",
            "Each ship's chance of being put out of action",
            "probability",
            "Share of trials in which each ship was out of action at the end "
            "(Store.summary of 'ship_out_of_action').",
            sort=True,
        ),
    ),
    primary="out_of_action_total",
)

LEVERS = (
    Lever("salvo_exchanges", "exchanges", "int", (1, 10), "salvo exchanges fought", "salvos"),
    Lever(
        "first_salvo",
        "simultaneous_h",
        "float",
        (0.0, 24.0),
        "hours within which both sides count as firing together (0: who detects first fires "
        "first; 24: both always fire together)",
        "h",
    ),
    Lever(
        "aegis_defence",
        "allied[0].defence_per_salvo",
        "int",
        (0, 40),
        "engagements the first allied group's ships can fight per salvo",
    ),
    Lever("pla_group", "pla[0].count", "int", (1, 24), "ships in the first PLA Navy group"),
)

UNCERTAIN = (
    UncertainKey("p_hit.<side>", "probability", "well-aimed probability of a side's missiles"),
    UncertainKey("sspk.<side>", "probability", "a side's hard-kill interceptor kill probability"),
    UncertainKey("soft_kill.<side>", "probability", "a side's soft-kill probability"),
    UncertainKey("staying_power.<group>", "hits", "hits that put a group's ship out of action"),
)


def _sides(spec: Any) -> dict[str, tuple[str, ...]]:
    """Each side's ship groups by ledger name: the PLA Navy's the threat, the allies' the forces."""

    def names(groups: Any) -> tuple[str, ...]:
        return tuple(
            f"{g.name or g.ship_class}.{key}" for g in groups for key in ("count", "in_service")
        )

    return {"threat": names(spec.pla), "forces": names(spec.allied)}


SUMMARY = SummaryGroups(groups={"threat": (), "forces": ()}, names=_sides)
"""``anpo show``'s summary: the PLA Navy group's ships, then the allied group's (no law: the
kind asks none)."""


KIND = KindSpec(
    name="naval",
    title="Surface action at sea (salvo exchanges)",
    schema=scenario.NavalScenario,
    resolve=scenario.resolve,
    model="anpo.models.naval",
    views=VIEWS,
    levers=LEVERS,
    uncertain=UNCERTAIN,
    objectives=OBJECTIVES,
    parties=PARTIES,
    experimental=True,
    summary=SUMMARY,
)

__all__ = ["KIND"]
