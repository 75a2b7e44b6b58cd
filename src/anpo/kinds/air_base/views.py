"""What people see of an air-base run, and the kind's levers, declared as data."""

from __future__ import annotations

from anpo.kinds.base import FigureView, Headline, Lever, MapView, UncertainKey, Views
from anpo.scenario.air_base import presentation

HEADLINE = (
    Headline(
        key="days_closed_{label}",
        outcome="hours_closed",
        each=True,
        scale=1.0 / 24.0,
        title="Days closed: {label}",
        unit="days",
        zero_title=None,
    ),
    Headline(
        key="aircraft_destroyed",
        outcome="aircraft_destroyed",
        title="Aircraft destroyed on the ground (all bases)",
        unit="aircraft",
        zero_title="P(no aircraft lost)",
        zero_wording="Share of trials in which no aircraft was destroyed on the ground.",
    ),
    Headline(
        key="aircraft_damaged",
        outcome="aircraft_damaged",
        title="Aircraft damaged on the ground (all bases)",
        unit="aircraft",
    ),
    Headline(
        key="missiles_intercepted",
        outcome="missiles_intercepted",
        title="Missiles intercepted (all bases: THAAD, PAC-3 and cruise-missile defence)",
        unit="missiles",
        short="Missiles intercepted",
    ),
    Headline(
        key="cruise_intercepted",
        outcome="cruise_intercepted",
        title="Cruise missiles intercepted by the point defence (all bases)",
        unit="missiles",
        short="Cruise missiles intercepted",
    ),
    Headline(
        key="thaad_intercepted",
        outcome="thaad_intercepted",
        title="Ballistic missiles intercepted by THAAD, the upper terminal tier (all bases)",
        unit="missiles",
        short="Ballistic missiles intercepted by THAAD",
    ),
    Headline(
        key="sorties",
        outcome="sorties",
        title="Sorties the bases can still generate over the horizon (all bases)",
        unit="sorties",
    ),
)

FIGURES = (
    FigureView(
        "by_day",
        "closed_hours_by_day",
        "Closure timeline",
        "hours closed",
        "Hours each base had no usable minimum operating strip, by day: the mean over "
        "trials, with the 5th–95th percentile band (Store.summary of "
        "'closed_hours_by_day').",
    ),
    FigureView(
        "entries",
        "aircraft_destroyed",
        "Aircraft lost on the ground",
        "aircraft",
        "Mean aircraft destroyed per base (Store.summary of 'aircraft_destroyed').",
    ),
    FigureView(
        "entries",
        "aircraft_damaged",
        "Aircraft damaged on the ground",
        "aircraft",
        "Mean aircraft damaged but not destroyed per base, out for the rest of the horizon "
        "(Store.summary of 'aircraft_damaged').",
    ),
    FigureView(
        "by_day",
        "aircraft_stranded",
        "Aircraft stranded",
        "aircraft",
        "Undamaged aircraft on a base closed all day, by day: the mean with the 5th–95th "
        "percentile band (Store.summary of 'aircraft_stranded').",
    ),
    FigureView(
        "by_day",
        "sorties",
        "Sorties",
        "sorties",
        "Sorties each base can generate per day: the mean over trials, with the 5th–95th "
        "percentile band (Store.summary of 'sorties').",
    ),
    FigureView(
        "entries",
        "missiles_intercepted",
        "Missiles intercepted",
        "missiles",
        "Mean missiles the defences destroyed per base, ballistic (THAAD, then PAC-3) and "
        "cruise (point defence) together (Store.summary of 'missiles_intercepted'; the "
        "THAAD share is 'thaad_intercepted', its interceptors fired "
        "'thaad_interceptors_fired'; the cruise share is 'cruise_intercepted', the "
        "interceptors fired 'cmd_interceptors_fired').",
    ),
    FigureView(
        "codes",
        "closure_reason",
        "State of each base at the horizon",
        "share of trials",
        "How often each base was never closed, had reopened, was still being repaired, "
        "or had run out of repair materials at the horizon (counts of 'closure_reason').",
    ),
)

VIEWS = Views(
    headline=HEADLINE,
    figures=FIGURES,
    map=MapView(presentation=presentation, has_map=lambda spec: True),
    primary="hours_closed",
)

LEVERS = (
    Lever(
        "horizon_days",
        "horizon_days",
        "int",
        (1, 60),
        "days over which closures and sorties are counted",
        "days",
    ),
    Lever(
        "repair_crews",
        "bases[0].repair_crews",
        "int",
        (1, 100),
        "rapid-repair crews at the first base",
        "crews",
    ),
    Lever(
        "repair_materials",
        "bases[0].repair_materials",
        "int",
        (0, 100_000),
        "craters' worth of repair materials at the first base",
        "craters",
    ),
    Lever(
        "pac3_fire_units",
        "bases[0].pac3_fire_units",
        "int",
        (0, 8),
        "PAC-3 fire units defending the first base",
        "fire units",
    ),
    Lever(
        "cmd_fire_units",
        "bases[0].cmd_fire_units",
        "int",
        (0, 8),
        "cruise-missile point-defence fire units at the first base",
        "fire units",
    ),
    Lever(
        "thaad_batteries",
        "bases[0].thaad_batteries",
        "int",
        (0, 4),
        "THAAD batteries defending the first base (as many as the kb lists there)",
        "batteries",
    ),
)

UNCERTAIN = (
    UncertainKey("cep_m.<missile>", "m", "circular error probable"),
    UncertainKey("reliability.<missile>", "probability", "missile reliability"),
    UncertainKey("repair_h.<base>", "h", "crew-hours to repair one crater"),
    UncertainKey("repair_delay_h", "h", "hours before repair starts after a wave"),
)
