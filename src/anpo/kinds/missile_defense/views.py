"""What people see of a missile-defence run: headline figures, report figures, the map."""

from __future__ import annotations

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
)

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
        "missed; no_shooter = no shooter could engage; magazine_empty = shooters had run "
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
)
