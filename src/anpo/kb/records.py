"""The knowledge base's record format, checked when the files are read.

Every record holds between ``valid_from`` and ``valid_to`` (inclusive; ``None``
means it still holds at :data:`anpo.kb.KB_AS_OF`), says whether it is a sourced
``fact``, a sourced ``estimate`` (numbers given as ranges) or an analyst
``assumption`` (with its reasoning), names its source and section, and the date
the source describes (``as_of``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

Kind = Literal["fact", "estimate", "assumption"]


class Source(BaseModel):
    """A public document that a record cites."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    title: str
    publisher: str
    date: str = Field(pattern=r"^\d{4}(-\d{2}(-\d{2})?)?$")
    url: str | None = None
    note: str | None = None

    def cite(self, section: str | None = None) -> str:
        """``Publisher, "Title" (date), section``."""
        text = f'{self.publisher}, "{self.title}" ({self.date})'
        return f"{text}, {section}" if section else text


class SourceRef(BaseModel):
    """Which source a record rests on, and where in it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    ref: str
    section: str | None = None


class Range(BaseModel):
    """An uncertain number: its lowest, most likely and highest plausible values."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    low: float
    nominal: float
    high: float

    @model_validator(mode="after")
    def _ordered(self) -> Range:
        if not self.low <= self.nominal <= self.high:
            raise ValueError("a range needs low <= nominal <= high")
        return self

    def __str__(self) -> str:
        return f"{self.nominal:g} (range {self.low:g}-{self.high:g})"


class Record(BaseModel):
    """One sourced statement about one entity over a period of time."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9._-]*$")
    type: str
    entity: str
    valid_from: dt.date
    valid_to: dt.date | None = None
    kind: Kind
    source: SourceRef | None = None
    as_of: dt.date | None = None
    reasoning: str | None = None
    data: dict[str, Any]

    @model_validator(mode="after")
    def _consistent(self) -> Record:
        if self.valid_to is not None and self.valid_to < self.valid_from:
            raise ValueError("valid_to is before valid_from")
        if self.kind in ("fact", "estimate") and self.source is None:
            raise ValueError(f"a {self.kind} needs a source")
        if self.kind == "assumption" and not self.reasoning:
            raise ValueError("an assumption needs its reasoning")
        if self.source is not None and self.as_of is None:
            raise ValueError("a sourced record needs as_of, the date its source describes")
        return self

    def holds_on(self, day: dt.date) -> bool:
        """Whether the record is in force on ``day``."""
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)

    def range(self, key: str) -> Range:
        """``data[key]`` as a :class:`Range` (a plain number is a range of one point)."""
        value = self.data[key]
        if isinstance(value, dict):
            return Range(**value)
        number = float(value)
        return Range(low=number, nominal=number, high=number)


# Record types and the data keys each must carry; the loader rejects others.
REQUIRED_DATA: dict[str, frozenset[str]] = {
    # willingness, public indicators and declarations (willingness.yaml; the credibility study)
    "willingness": frozenset({"party", "resolve", "domestic_support", "casualty_tolerance"}),
    "public_indicator": frozenset({"party", "indicator", "year", "value", "unit"}),
    "declaration": frozenset({"party", "year", "statement"}),
    "portfolio_weight": frozenset({"scenario", "weight"}),
    "deterrence_parameter": frozenset({"parameter", "value", "unit"}),
    "aegis_bmd_ship": frozenset({"navy", "hull", "ship_class", "interceptor", "homeport"}),
    "aegis_bmd_ship_count": frozenset({"navy", "homeport", "ships", "interceptor"}),
    "pac3_fire_units": frozenset({"operator", "unit", "site", "fire_units", "interceptor"}),
    "pac3_mse_fire_units": frozenset({"operator", "unit", "site", "fire_units", "interceptor"}),
    "interceptor": frozenset({"name", "tier", "sspk", "reliability", "test_record"}),
    "dprk_missile": frozenset(
        {"name", "id_short", "missile_class", "range_km", "inventory", "launchers"}
    ),
    "magazine_load": frozenset({"applies_to", "interceptor", "rounds"}),
    # probability that a launch of the missile type works until the defence engages it
    "missile_reliability": frozenset({"id_short", "reliability"}),
    # engagements a shooter can have in progress at once, and the least time between launches
    "fire_control": frozenset({"applies_to", "channels", "launch_interval_s"}),
    "sensor_delay": frozenset({"tier", "delay_s"}),
    # expected-casualty estimate (opt-in): area in which a warhead kills or gravely injures
    # the people it reaches unsheltered (nuclear: at 1 kt, scaled by yield^(2/3)), and the
    # share of people unsheltered when it lands
    "lethal_area": frozenset({"warhead_kind", "area_km2"}),
    "unsheltered_share": frozenset({"warning", "share"}),
    # how much a sensor-data arrangement (a law record id) shortens a tier's delay
    "sensor_cueing": frozenset({"arrangement", "tier", "reduction_s"}),
    # the sensor and command timeline of geographic scenarios (sensors.yaml)
    "radar": frozenset({"name", "operator", "arrangement", "real_time", "lat", "lon", "range_km"}),
    "ship_radar": frozenset({"applies_to", "range_km"}),
    "launch_warning": frozenset({"detect_s"}),
    "decision_delay": frozenset({"tier", "delay_s"}),
    # THAAD batteries (lower tier, at their own site)
    "thaad_battery": frozenset(
        {"operator", "unit", "site", "lat", "lon", "batteries", "interceptor"}
    ),
    # places (geography): launch areas, bases, PAC-3 sites, named aim points
    "place": frozenset({"place_kind", "name", "lat", "lon", "country"}),
    # analyst-assumed sea stations of BMD ships
    "ship_station": frozenset({"name", "lat", "lon", "sea"}),
    # share of BMD ships on station by the warning the defence had (readiness.yaml)
    "ship_readiness": frozenset({"readiness", "on_station"}),
    # places a missile inferred from a test may reach (anpo missile loft)
    "reach_target": frozenset({"name", "lat", "lon", "country"}),
    # interceptor kinematics for engagement feasibility
    "interceptor_kinematics": frozenset(
        {
            "interceptor",
            "burnout_speed_km_s",
            "burn_time_s",
            "min_alt_km",
            "max_alt_km",
            "max_ground_range_km",
        }
    ),
    # ballistic-missile flight and accuracy parameters
    "missile_flight": frozenset({"id_short", "burnout_alt_km", "burnout_time_s", "cep_m"}),
    # a missile type's default trajectory shape and its flown profile (trajectories.yaml)
    "missile_trajectory": frozenset({"id_short", "shape"}),
    # burnout-angle offset of a lofted or depressed ballistic shot
    "trajectory_shape": frozenset({"shape", "angle_offset_deg"}),
    # air-base attack model: bases, surfaces, aircraft by period, repair, MOS, sorties
    "airbase": frozenset(
        {
            "name",
            "place",
            "aircraft_class",
            "apron_length_m",
            "apron_width_m",
            "parking_spacing_m",
            "shelters",
            "fuel_sites",
            "maintenance_sites",
        }
    ),
    "airbase_surface": frozenset({"base", "surface", "surface_kind", "length_m", "width_m"}),
    "based_aircraft": frozenset({"base", "aircraft", "aircraft_class", "count", "sheltered"}),
    "airbase_repair": frozenset(
        {"base", "crews", "materials_craters", "repair_h_per_crater", "delay_h"}
    ),
    "mos_requirement": frozenset({"aircraft_class", "length_m", "width_m"}),
    "cruise_missile_defence": frozenset(
        {"base", "unit", "fire_units", "channels_per_wave", "rounds_per_fire_unit", "pk_per_shot"}
    ),
    "airbase_bmd_engagement": frozenset({"applies_to", "window_s", "engage_time_s", "salvo"}),
    "sortie_rate": frozenset({"aircraft_class", "sorties_per_day"}),
    # PLA Rocket Force conventional missiles (air-base attack model)
    "plarf_inventory": frozenset({"missile_class", "missiles", "launchers"}),
    "plarf_missile": frozenset(
        {"name", "id_short", "missile_class", "range_km", "cep_m", "reliability", "ballistic"}
    ),
    "plarf_warhead": frozenset(
        {
            "missile",
            "warhead",
            "bomblets",
            "crater_radius_m",
            "pattern_radius_m",
            "lethal_radius_m",
            "lethal_radius_hard_m",
        }
    ),
    "plarf_launch_area": frozenset({"name", "lat", "lon"}),
    # war at sea (naval and ASW kinds)
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
    # air superiority over the Taiwan Strait (airpower.yaml)
    "cap_station": frozenset({"name", "lat", "lon"}),
    "strait_base": frozenset({"name", "side", "operator", "lat", "lon", "air_base"}),
    "f22_programme": frozenset({"built", "requirement", "combat_coded"}),
    "fighter_type": frozenset(
        {
            "aircraft",
            "speed_km_h",
            "combat_radius_km",
            "time_on_station_h",
            "turn_h",
            "mission_capable",
            "max_sorties_per_day",
            "max_flight_h",
            "bvr_missiles",
            "wvr_missiles",
            "low_observable",
        }
    ),
    "air_fleet": frozenset({"operator", "side", "aircraft", "count"}),
    "aew_fleet": frozenset({"side", "cover"}),
    "tanker_fleet": frozenset({"side", "count", "base", "sorties_per_day", "refuels_per_sortie"}),
    "carrier_availability": frozenset({"navy", "carriers", "fighters_per_wing", "standoff_km"}),
    "air_combat": frozenset({"side", "bvr_pk", "wvr_pk"}),
    "air_combat_rules": frozenset({"lo_pk_factor", "aew_first_share", "merge_share"}),
    # warhead catalogue (air-base attack model): effects on each kind of target
    "warhead": frozenset(
        {
            "warhead",
            "name",
            "warhead_kind",
            "carriers",
            "bomblets",
            "pattern_radius_m",
            "crater_radius_m",
            "repair_units",
            "dud_rate",
            "lethal_radius_m",
            "damage_radius_m",
            "lethal_radius_hard_m",
            "shelter_pk",
        }
    ),
}
