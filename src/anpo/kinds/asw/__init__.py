"""The ASW kind: submarines transiting a strait of the first island chain against an
allied barrier (Koopman's random search, attack kill probability, counter-detection).

Its schema and resolver are :mod:`anpo.scenario.asw`, its model :mod:`anpo.models.asw`.
"""

from __future__ import annotations

from anpo.kinds.asw.objectives import OBJECTIVES, PARTIES
from anpo.kinds.base import (
    FigureView,
    Headline,
    KindSpec,
    Lever,
    SummaryGroups,
    UncertainKey,
    Views,
)
from anpo.scenario import asw as scenario

VIEWS = Views(
    headline=(
        Headline(
            key="transits",
            outcome="transits",
            title="Submarines through the barrier",
            unit="submarines",
            zero_title="P(no submarine through)",
            zero_wording="Share of trials in which every submarine was stopped.",
        ),
        Headline("subs_killed", "subs_killed", "Submarines killed", "submarines"),
        Headline("subs_detected", "subs_detected", "Submarines detected", "submarines"),
        Headline(
            "shipping_sunk",
            "shipping_sunk",
            "Ships sunk by submarines that got through",
            "ships",
        ),
    ),
    figures=(
        FigureView(
            "by_day",
            "transits_by_day",
            "Submarines through, by day",
            "submarines",
            "Submarines that got through each day: the mean with the 5th–95th percentile "
            "band (Store.summary of 'transits_by_day').",
        ),
        FigureView(
            "by_day",
            "detected_by_day",
            "Submarines detected, by day",
            "submarines",
            "Submarines first detected each day (Store.summary of 'detected_by_day').",
        ),
        FigureView(
            "entries",
            "detections",
            "Detections by platform",
            "mean detections per campaign",
            "Mean detections by each platform group (Store.summary of 'detections').",
            sort=True,
        ),
        FigureView(
            "entries",
            "kills",
            "Kills by platform",
            "mean submarines killed per campaign",
            "Mean submarines killed by each platform group (Store.summary of 'kills').",
            sort=True,
        ),
        FigureView(
            "codes",
            "sub_fate",
            "Fate of the submarines",
            "submarines per trial",
            "How many submarines got through undetected, got through detected, or were "
            "killed (counts of 'sub_fate').",
        ),
    ),
    primary="transits",
)

LEVERS = (
    Lever(
        "asw_partners",
        "partners",
        "choice",
        ([], ["ROKN"], ["RAN"], ["ROKN", "RAN"]),
        "partner navies that join the barrier (the essay's South Korea and Australia)",
    ),
    Lever(
        "patrol_aircraft",
        "platforms[0].on_station",
        "int",
        (0, 40),
        "aircraft (or ships) of the first platform group on station",
    ),
    Lever("strait", "strait", "choice", ("miyako", "tsushima", "bashi"), "the strait barred"),
    Lever(
        "breakout_size",
        "transits[0].count",
        "int",
        (1, 200),
        "submarines of the first group attempting the transit",
        "submarines",
    ),
)

UNCERTAIN = (
    UncertainKey("pk.<platform>", "probability", "a platform group's attack kill probability"),
    UncertainKey(
        "counter_detection.<platform>", "probability", "a platform group's counter-detection"
    ),
    UncertainKey("sweep_factor.<class>", "", "a submarine class's sweep-width factor"),
    UncertainKey("counter_kill", "probability", "a counter-detecting submarine's kill"),
    UncertainKey("shipping_sinkings", "ships", "ships a transiting submarine sinks"),
)

SUMMARY = SummaryGroups(
    groups={
        "threat": (r"transits\[\d+\]",),
        "forces": (r".+\.on_station", r"partners", r"platforms\[\d+\]\.excluded"),
    },
)
"""``anpo show``'s summary: the submarines' transits, then the platforms on station and
the partners' patrol aircraft (joined or left out)."""


KIND = KindSpec(
    name="asw",
    title="Submarines and the strait barrier (ASW)",
    schema=scenario.AswScenario,
    resolve=scenario.resolve,
    model="anpo.models.asw",
    views=VIEWS,
    levers=LEVERS,
    uncertain=UNCERTAIN,
    objectives=OBJECTIVES,
    parties=PARTIES,
    experimental=True,
    summary=SUMMARY,
)

__all__ = ["KIND"]
