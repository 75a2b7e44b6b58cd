"""What people see of an air-superiority run, and the kind's levers, declared as data."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from anpo.kinds.base import FigureView, Headline, Lever, MapView, UncertainKey, Views
from anpo.scenario.air_superiority import presentation

HEADLINE = (
    Headline(
        key="days_late_day3",
        outcome="days_late_day3",
        title="Days past day 3 before local air superiority",
        unit="days",
        zero_title="P(local air superiority by day 3)",
        zero_wording="Share of trials in which, on some day from 1 to 3, the allied CAP left "
        "after the day's combat was at least k times the PLA fighters left in the zone.",
    ),
    Headline(
        key="on_station_day1",
        outcome="allied_on_station",
        entry="day 1",
        title="Allied fighters on station, day 1",
        unit="fighters",
        short="allied CAP day 1",
    ),
    Headline(
        key="on_station_day3",
        outcome="allied_on_station",
        entry="day 3",
        title="Allied fighters on station, day 3",
        unit="fighters",
        short="allied CAP day 3",
    ),
    Headline(
        key="allied_losses",
        outcome="allied_losses",
        title="Allied fighters lost, in the air and on the ground",
        unit="aircraft",
    ),
    Headline(
        key="superiority_day",
        outcome="superiority_day",
        title="First day of local air superiority (days + 1: never)",
        unit="day",
    ),
)

FIGURES = (
    FigureView(
        "by_day",
        "on_station",
        "Fighters on station over the Strait",
        "fighters",
        "Time-averaged fighters on station, each side, by day: the mean over trials with the "
        "5th-95th percentile band (Store.summary of 'on_station').",
        step="day",
    ),
    FigureView(
        "by_day",
        "air_losses",
        "Losses in air combat",
        "aircraft",
        "Fighters lost in the air each day, each side (Store.summary of 'air_losses').",
        step="day",
    ),
    FigureView(
        "by_day",
        "superiority",
        "Local air superiority",
        "probability",
        "Share of trials with local air superiority on each day (Store.summary of 'superiority').",
        step="day",
    ),
    FigureView(
        "entries",
        "sorties_lost",
        "Allied sorties lost, by cause",
        "sorties",
        "Mean allied sorties lost over the horizon to bases closed by the raid, to too few "
        "tankers, and to distance (against a base at the station) (Store.summary of "
        "'sorties_lost').",
        sort=True,
    ),
    FigureView(
        "by_day",
        "sorties_lost_by_day",
        "Allied sorties lost each day, by cause",
        "sorties",
        "Allied sorties lost each day to bases closed by the raid, to too few tankers, and "
        "to distance (against a base at the station): the mean over trials with the "
        "5th-95th percentile band, one line per cause (Store.summary of "
        "'sorties_lost_by_day').",
        step="day",
    ),
    FigureView(
        "entries",
        "sorties_lost_by_base",
        "Sorties lost at each base, by cause",
        "sorties",
        "Mean sorties lost over the horizon at each base and carrier station, either side, "
        "by cause, largest first (Store.summary of 'sorties_lost_by_base').",
        sort=True,
    ),
    FigureView(
        "entries",
        "ground_losses",
        "Fighters destroyed on the ground",
        "aircraft",
        "Mean fighters destroyed on the ground by the raid, each side.",
    ),
)


def sorties_lost_notes(
    outcomes: Mapping[str, Any], labels: Mapping[str, tuple[str, ...]]
) -> list[str]:
    """One line: where the allied sorties were lost, the mean over trials of each cause
    and its share of the sorties the fleets could have flown from a base at the station
    (flown plus lost)."""
    if "sorties_lost" not in outcomes or "sorties" not in outcomes:
        return []
    lost = np.asarray(outcomes["sorties_lost"], dtype=np.float64)
    if lost.shape[0] == 0:
        return []
    flown = np.asarray(outcomes["sorties"], dtype=np.float64)[:, 0, :].sum(axis=1)
    could = float(flown.mean() + lost.sum(axis=1).mean())
    names = labels.get("cause", tuple(f"#{k}" for k in range(lost.shape[1])))
    parts = [
        f"{names[k]} {lost[:, k].mean():,.0f} ({lost[:, k].mean() / could:.0%})"
        if could > 0
        else f"{names[k]} {lost[:, k].mean():,.0f}"
        for k in range(lost.shape[1])
    ]
    return [f"allied sorties lost (mean of {could:,.0f} possible): " + "; ".join(parts)]


VIEWS = Views(
    headline=HEADLINE,
    figures=FIGURES,
    map=MapView(presentation=presentation, has_map=lambda spec: True),
    primary="days_late_day3",
    notes=sorties_lost_notes,
)

LEVERS = (
    Lever(
        "f22_total",
        "f22_total",
        "choice",
        (187, 381),
        "F-22As built: 187 as halted in 2009, or the Air Force's 381 requirement",
        "aircraft",
    ),
    Lever("carriers", "carriers", "int", (0, 4), "U.S. carriers within reach", "carriers"),
    Lever("tankers", "tankers", "int", (0, 300), "allied tankers for the fighters", "tankers"),
    Lever("aew", "aew", "bool", (), "allied AEW&C cover over the Strait"),
    Lever("days", "days", "int", (1, 30), "days of the campaign", "days"),
)

UNCERTAIN = (
    UncertainKey("bvr_pk.<side>", "probability", "kill probability of one BVR missile"),
    UncertainKey("wvr_pk.<side>", "probability", "kill probability of one WVR missile"),
    UncertainKey("closure.<base>", "share of a day", "closure of a base outside the raid"),
)
