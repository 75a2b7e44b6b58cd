"""What people see of a missile-defence run: headline figures, report figures, the map."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from anpo.kinds.base import FigureView, Headline, MapView, Views
from anpo.scenario.missile_defense import presentation

HEADLINE = (
    Headline(
        key="leakers",
        outcome="leakers",
        title="Mean leakers (warheads that got through)",
        short="leakers",
        unit="warheads",
        zero_title="P(no leaker)",
        zero_wording="Share of trials in which no warhead got through.",
    ),
    Headline(
        key="interceptors_upper",
        outcome="expended_tier",
        entry="upper",
        title="Interceptors used, upper tier",
        short="interceptors used, upper tier",
        unit="interceptors",
    ),
    Headline(
        key="interceptors_lower",
        outcome="expended_tier",
        entry="lower",
        title="Interceptors used, lower tier",
        short="interceptors used, lower tier",
        unit="interceptors",
    ),
    Headline(
        key="shooters_dry",
        outcome="shooters_dry",
        title="Shooters that ran dry (left with less than a salvo)",
        short="shooters that ran dry",
        unit="shooters",
    ),
)


def ran_dry_notes(
    outcomes: Mapping[str, Any], labels: Mapping[str, tuple[str, ...]], most: int = 3
) -> list[str]:
    """One line: the shooters that ran dry in the most trials, each with its share of
    trials and its median time (the fire decision that left it less than a salvo)."""
    if "ran_dry_s" not in outcomes:
        return []
    times = np.asarray(outcomes["ran_dry_s"], dtype=np.float64)
    dry = np.isfinite(times)
    share = dry.mean(axis=0) if times.shape[0] else np.zeros(times.shape[1])
    names = labels.get("shooter", tuple(f"#{k}" for k in range(times.shape[1])))
    order = [int(k) for k in np.argsort(-share, kind="stable") if share[k] > 0]
    if not order:
        return ["ran dry: no shooter, in any trial"]
    parts = [
        f"{names[k]} in {share[k]:.0%} of trials (median {np.median(times[dry[:, k], k]):.0f} s)"
        for k in order[:most]
    ]
    more = len(order) - most
    return ["ran dry: " + "; ".join(parts) + (f"; {more} more" if more > 0 else "")]


FIGURES = (
    FigureView(
        "distribution",
        "expended_on_decoys",
        "Interceptors spent on decoys",
        "interceptors fired at decoys per raid",
        "Share of trials by the interceptors fired at decoys (Store.histogram of "
        "'expended_on_decoys').",
    ),
    FigureView(
        "distribution",
        "leakers",
        "Distribution of leakers",
        "leakers (warheads)",
        "Share of trials with each number of leakers (Store.histogram of 'leakers').",
    ),
    FigureView(
        "distribution",
        "expended_tier",
        "Interceptors used per tier",
        "interceptors",
        "Share of trials by interceptors fired in each tier "
        "(Store.histogram of 'expended_tier', per tier).",
    ),
    FigureView(
        "entries",
        "leak_reason",
        "Leak reasons",
        "mean leakers per raid (warheads)",
        "Mean leakers by reason (Store.summary of 'leak_reason'): missed = every shot "
        "missed; no_shooter = no shooter could engage (out of reach, or no ship held a track "
        "in time: the ledger's ship.*.track_s and reach_km say which); magazine_empty = "
        "shooters had run "
        "out; decoy_exhausted = interceptors went to decoys; saturated = the shooters in time "
        "had no free fire-control channel.",
    ),
    FigureView(
        "spread",
        "leaked",
        "Leakers by defended asset",
        "leakers per raid (warheads)",
        "Mean per raid, with whiskers from the 5th to the 95th percentile of trials "
        "(Store.summary of 'leaked').",
    ),
    FigureView(
        "spread",
        "population_near_impacts",
        "People living near where leakers landed (not casualties)",
        "people in cities within the impact radius of a leaker",
        "Per defended asset, everyone living in a city whose centre lies within the "
        "scenario's impact radius (impacts.radius_km) of a leaker aimed at it: mean per "
        "raid with a 5th-95th percentile whisker (Store.summary of "
        "'population_near_impacts'). An exposure measure, not a casualty estimate: most "
        "people in such a city are far from the impact point.",
    ),
    FigureView(
        "entries",
        "ran_dry",
        "Which shooters ran dry",
        "share of trials in which it ran dry",
        "Share of trials in which each shooter was left with less than a salvo, most first "
        "(Store.summary of 'ran_dry'); 'anpo run' prints the first few with their median time.",
        sort=True,
    ),
    FigureView(
        "entries",
        "ran_dry_s",
        "When shooters ran dry",
        "mean time it ran dry (s after the raid began)",
        "Mean time of the fire decision that left each shooter with less than a salvo, over "
        "the trials in which it ran dry (Store.summary of 'ran_dry_s', missing values left out).",
    ),
    FigureView(
        "entries",
        "expended",
        "Interceptors used per shooter",
        "mean interceptors fired per raid",
        "Mean interceptors fired by each shooter, most first (Store.summary of 'expended').",
        sort=True,
    ),
)

VIEWS = Views(
    headline=HEADLINE,
    figures=FIGURES,
    map=MapView(
        presentation=presentation,
        impacts=("impact_lat_deg", "impact_lon_deg"),
        has_map=lambda spec: bool(spec.geographic()),
    ),
    primary="leakers",
    notes=ran_dry_notes,
)
