"""Inputs, outcome names, codes and random draws of the air-base attack model.

Frames and units
----------------
Each operating surface (a runway, or a taxiway usable as one) has its own frame:
``x`` along its length from one threshold (0 to ``length``), ``y`` across it from the
centre line (−width/2 to +width/2), in metres. An apron (where aircraft park in the
open) has a frame of its own with the aircraft at given ``(x, y)``. Shelters and
fuel or maintenance facilities are points. Times are hours from the first raid.
Geometry is in metres (``_m``) because craters, CEPs and operating strips are
metre-sized; everything else follows the project's km, s, kg rule where it applies.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np
from numpy.typing import NDArray

from anpo.models import missile_defense as md
from anpo.models.base import OutcomeSpec, frozen_array, substream
from anpo.models.distributions import Dist
from anpo.physics.accuracy import SIGMA_PER_CEP

# Target kinds of a missile (``missile_target_kind``).
SURFACE, APRON, SHELTER, FACILITY = 0, 1, 2, 3
TARGET_KINDS: tuple[str, ...] = ("surface", "apron", "shelter", "facility")
# Warhead kinds (``type_warhead``).
UNITARY, SUBMUNITION = 0, 1
WARHEADS: tuple[str, ...] = ("unitary", "submunition")
# Why a base stands as it does at the end of the horizon (outcome ``closure_reason``).
NEVER_CLOSED, REOPENED, REPAIRING, OUT_OF_MATERIALS = 0, 1, 2, 3
REASONS: tuple[str, ...] = ("never_closed", "reopened", "repairing_at_horizon", "out_of_materials")


UNCERTAIN_WARHEAD: tuple[str, ...] = (
    "repair_units",
    "dud_rate",
    "shelter_pk",
    "lethal_radius_hard_m",
)
"""Warhead parameters a scenario may make uncertain (drawn once per trial and type)."""

BLOCK_ELEMENTS = 1 << 22
"""Largest (trials × slots × lateral offsets) array one block of trials may hold."""


@dataclass(frozen=True)
class Inputs:
    """A missile raid on air bases and the bases' means to recover (B bases, M missiles).

    Parameters
    ----------
    mos_length_m, mos_width_m : float[B]
        Minimum operating strip (MOS) the aircraft of each base need: a crater-free
        rectangle of this length and width on one surface.
    mos_lateral_step_m : float
        Spacing of the lateral positions at which an MOS is sought on a surface (the
        two edges are always tried; see :func:`.geometry.lateral_offsets`).
    surface_base : int[S]; surface_length_m, surface_width_m : float[S]
        The operating surfaces and the base each belongs to.
    aircraft_base : int[P]; aircraft_sheltered : bool[P]
        Each aircraft on the ground, and whether it sits in a hardened shelter.
    aircraft_x_m, aircraft_y_m : float[P]
        Position of an aircraft in the open in its base's apron frame (ignored
        for sheltered aircraft).
    aircraft_shelter : int[P]
        Index of the shelter a sheltered aircraft is in (−1 in the open).
    shelter_base : int[H]
        Hardened shelters (occupied or empty) and their base.
    facility_base : int[F]; facility_sortie_factor : float[F]
        Fuel and maintenance facilities; once one is destroyed, its base's sortie
        rate is multiplied by its factor.
    missile_type : int[M]
        Index into the missile types (the ``type_*`` arrays).
    missile_target_kind, missile_target : int[M]
        What each missile is aimed at (SURFACE, APRON, SHELTER, FACILITY) and which
        one (a surface index, a base index for its apron, a shelter or facility index).
    missile_aim_x_m, missile_aim_y_m : float[M]
        Aim point in the target's frame (0, 0 for shelters and facilities).
    missile_wave : int[M]
        Index of the raid wave (``wave_time_h``) each missile belongs to.
    type_warhead : int[T]
        UNITARY or SUBMUNITION.
    type_bomblets : int[T]
        Submunitions per missile (0 for unitary warheads).
    type_crater_radius_m : float[T]
        Radius of the crater a unitary warhead, or one submunition, makes in pavement.
    type_pattern_radius_m : float[T]
        Radius of the disk a submunition pattern covers (0 for unitary).
    type_lethal_radius_m : float[T]
        Unitary: radius within which an aircraft in the open is destroyed.
        Submunition: lethal radius of one bomblet against an aircraft in the open.
    type_lethal_radius_hard_m : float[T]
        Radius within which a unitary warhead destroys a hardened shelter (0: never).
    type_ballistic : bool[T]
        Whether the missile defence can engage the type (ballistic missiles only).
    cep_m, reliability : tuple[Dist, ...]
        Per type, drawn once per trial.
    wave_time_h : float[W]
        Arrival time of each wave, increasing, in hours from the first.
    repair_crews : tuple[Dist, ...]
        Per base: crews that repair craters in parallel, drawn once per trial and
        rounded to a whole number of at least 1.
    repair_materials : tuple[Dist, ...]
        Per base: repair materials on hand at the first wave, in standard craters'
        worth (a crater of ``type_repair_units`` 1), drawn once per trial (≥ 0).
    repair_h : tuple[Dist, ...]
        Per base: hours one crew needs for one standard crater, drawn once per trial.
    repair_delay_h : Dist
        Damage assessment: hours after a wave before clearance and repair start,
        drawn once per trial.
    sortie_rate_per_day : float[B]
        Sorties one surviving aircraft flies in a day its base is open all day.
    horizon_days : int
        Days over which closures and sorties are counted.
    resupply_per_day : tuple[Dist, ...]
        Per base: standard craters' worth of materials delivered at the end of each
        day (hour 24, 48, ...), drawn once per trial; empty for none.
    uxo_h_per_dud : tuple[Dist, ...]
        Per base: hours to clear one unexploded bomblet from the surface to be
        repaired, drawn once per trial; empty for none.
    sweep_h : Dist
        Hours to mark and sweep a repaired strip before it opens, drawn once per trial.
    type_dud_rate : float[T]
        Share of a type's bomblets that land unexploded (0 for unitary); duds on a
        surface are counted as this share of the bomblets that landed on it.
    type_repair_units : float[T]
        Crew effort and materials of one crater of a type, in standard craters.
    type_damage_radius_m : float[T]
        Like ``type_lethal_radius_m``, the radius within which an aircraft in the open
        is damaged (or destroyed): a damaged aircraft flies no more sorties within the
        horizon. Empty: the lethal radius (no aircraft is only damaged).
    type_shelter_pk : float[T]
        Probability that a unitary warhead landing within ``type_lethal_radius_hard_m``
        of a shelter's centre destroys it and its aircraft (a penetrator's hit on the
        structure, or a blast warhead's near miss). Empty: 1.
    type_along_track_ratio : float[T]
        σ_along / σ_cross of a type's miss (≥ 1; 1 circular, larger for ballistic
        missiles, whose errors lie mostly along their track), the mean of the two σ
        kept at CEP/1.1774. Empty: 1.
    missile_heading_rad : float[M]
        Direction of flight of each missile at its target, as an angle from the
        target frame's x axis (counter-clockwise). Empty: 0.
    wave_on_reopen : bool[W]
        Waves that re-strike a base when it reopens: such a wave lands on base b
        ``restrike_lag_h`` after b reopened from the wave before (no earlier than its
        ``wave_time_h``), or with the next scheduled wave if b is still closed then.
        Its missiles must be aimed at operating surfaces. Empty: none.
    restrike_lag_h : float
        Hours between a base reopening and an on-reopen wave landing.
    warhead_dists : mapping
        Warhead parameters drawn per trial instead of fixed: for a name in
        :data:`UNCERTAIN_WARHEAD` (``repair_units``, ``dud_rate``, ``shelter_pk``,
        ``lethal_radius_hard_m``), one distribution per missile type, replacing the
        ``type_*`` array of that name.
    defence : missile_defense.Inputs or None
        The missile-defence raid made of this raid's ballistic missiles (threat i is
        missile ``defence_missile[i]``, its asset the base it is aimed at); its upper
        tier (THAAD) engages first, its lower tier (PAC-3) the survivors; an upper-tier
        shooter's interceptors count for the base of the threats its windows reach.
        None for no missile defence.
    defence_missile : int[M_d]
        Which missile each threat of ``defence`` is.
    cmd_fire_units : int[B]
        Cruise-missile point defence: fire units defending each base against its
        cruise (non-ballistic) missiles. Empty or 0: none (every cruise missile that
        works arrives, and the results are those without the layer, bit for bit).
    cmd_channels : int[B]
        Cruise missiles one fire unit can engage in one wave (≥ 1).
    cmd_magazine : tuple[Dist, ...]
        Per base: interceptor rounds one fire unit holds for cruise missiles, drawn once
        per trial (rounded down, ≥ 0); the base's rounds are its fire units times this,
        shared over the waves.
    cmd_pk : tuple[Dist, ...]
        Per base: probability that one interceptor destroys a cruise missile, drawn once
        per trial (clipped to [0, 1]).
    cmd_shots : int
        Interceptors fired at each engaged cruise missile (≥ 1).
    labels : mapping
        Entry names of each outcome dimension.
    """

    mos_length_m: NDArray[np.float64]
    mos_width_m: NDArray[np.float64]
    mos_lateral_step_m: float
    surface_base: NDArray[np.int64]
    surface_length_m: NDArray[np.float64]
    surface_width_m: NDArray[np.float64]
    aircraft_base: NDArray[np.int64]
    aircraft_sheltered: NDArray[np.bool_]
    aircraft_x_m: NDArray[np.float64]
    aircraft_y_m: NDArray[np.float64]
    aircraft_shelter: NDArray[np.int64]
    shelter_base: NDArray[np.int64]
    facility_base: NDArray[np.int64]
    facility_sortie_factor: NDArray[np.float64]
    missile_type: NDArray[np.int64]
    missile_target_kind: NDArray[np.int64]
    missile_target: NDArray[np.int64]
    missile_aim_x_m: NDArray[np.float64]
    missile_aim_y_m: NDArray[np.float64]
    missile_wave: NDArray[np.int64]
    type_warhead: NDArray[np.int64]
    type_bomblets: NDArray[np.int64]
    type_crater_radius_m: NDArray[np.float64]
    type_pattern_radius_m: NDArray[np.float64]
    type_lethal_radius_m: NDArray[np.float64]
    type_lethal_radius_hard_m: NDArray[np.float64]
    type_ballistic: NDArray[np.bool_]
    cep_m: tuple[Dist, ...]
    reliability: tuple[Dist, ...]
    wave_time_h: NDArray[np.float64]
    repair_crews: tuple[Dist, ...]
    repair_materials: tuple[Dist, ...]
    repair_h: tuple[Dist, ...]
    repair_delay_h: Dist
    sortie_rate_per_day: NDArray[np.float64]
    horizon_days: int
    resupply_per_day: tuple[Dist, ...] = ()
    uxo_h_per_dud: tuple[Dist, ...] = ()
    sweep_h: Dist = field(default_factory=lambda: Dist.fixed(0.0))
    type_dud_rate: NDArray[np.float64] = field(default_factory=lambda: np.zeros(0))
    type_repair_units: NDArray[np.float64] = field(default_factory=lambda: np.zeros(0))
    type_damage_radius_m: NDArray[np.float64] = field(default_factory=lambda: np.zeros(0))
    type_shelter_pk: NDArray[np.float64] = field(default_factory=lambda: np.zeros(0))
    type_along_track_ratio: NDArray[np.float64] = field(default_factory=lambda: np.zeros(0))
    missile_heading_rad: NDArray[np.float64] = field(default_factory=lambda: np.zeros(0))
    wave_on_reopen: NDArray[np.bool_] = field(default_factory=lambda: np.zeros(0, dtype=bool))
    restrike_lag_h: float = 0.0
    warhead_dists: Mapping[str, tuple[Dist, ...]] = field(default_factory=dict)
    defence: Any = None
    defence_missile: NDArray[np.int64] = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    cmd_fire_units: NDArray[np.int64] = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    cmd_channels: NDArray[np.int64] = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    cmd_magazine: tuple[Dist, ...] = ()
    cmd_pk: tuple[Dist, ...] = ()
    cmd_shots: int = 2
    labels: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        ints = (
            "surface_base",
            "aircraft_base",
            "aircraft_shelter",
            "shelter_base",
            "facility_base",
            "missile_type",
            "missile_target_kind",
            "missile_target",
            "missile_wave",
            "type_warhead",
            "type_bomblets",
            "defence_missile",
            "cmd_fire_units",
            "cmd_channels",
        )
        bools = ("aircraft_sheltered", "type_ballistic")
        for f in self.__dataclass_fields__:
            value = getattr(self, f)
            if f in ints:
                object.__setattr__(self, f, frozen_array(value, np.int64))
            elif f in bools:
                object.__setattr__(self, f, frozen_array(value, np.bool_))
            elif f.endswith(("_m", "_h", "_factor", "_per_day")) and not isinstance(
                value, (tuple, Dist, float, int)
            ):
                object.__setattr__(self, f, frozen_array(value, np.float64))
        n_types = int(np.asarray(self.type_warhead).shape[0])
        n_bases = int(np.asarray(self.mos_length_m).shape[0])
        for name, fill in (
            ("type_dud_rate", 0.0),
            ("type_repair_units", 1.0),
            ("type_shelter_pk", 1.0),
            ("type_along_track_ratio", 1.0),
        ):
            value = np.asarray(getattr(self, name), dtype=np.float64)
            if value.size == 0 and n_types:
                value = np.full(n_types, fill)
            object.__setattr__(self, name, frozen_array(value, np.float64))
        dmg = np.asarray(self.type_damage_radius_m, dtype=np.float64)
        if dmg.size == 0:
            dmg = np.asarray(self.type_lethal_radius_m, dtype=np.float64)
        object.__setattr__(self, "type_damage_radius_m", frozen_array(dmg, np.float64))
        heading = np.asarray(self.missile_heading_rad, dtype=np.float64)
        if heading.size == 0:
            heading = np.zeros(np.asarray(self.missile_type).shape[0])
        object.__setattr__(self, "missile_heading_rad", frozen_array(heading, np.float64))
        reopen = np.asarray(self.wave_on_reopen, dtype=bool)
        if reopen.size == 0:
            reopen = np.zeros(np.asarray(self.wave_time_h).shape[0], dtype=bool)
        object.__setattr__(self, "wave_on_reopen", frozen_array(reopen, np.bool_))
        object.__setattr__(self, "restrike_lag_h", float(self.restrike_lag_h))
        for name in ("resupply_per_day", "uxo_h_per_dud", "cmd_magazine", "cmd_pk"):
            if not getattr(self, name):
                object.__setattr__(self, name, tuple(Dist.fixed(0.0) for _ in range(n_bases)))
        for name, fill in (("cmd_fire_units", 0), ("cmd_channels", 1)):
            if np.asarray(getattr(self, name)).size == 0:
                object.__setattr__(self, name, frozen_array(np.full(n_bases, fill), np.int64))
        object.__setattr__(self, "cmd_shots", int(self.cmd_shots))
        object.__setattr__(self, "mos_lateral_step_m", float(self.mos_lateral_step_m))
        object.__setattr__(self, "horizon_days", int(self.horizon_days))
        if isinstance(self.defence, dict):  # rebuilt from stored JSON (anpo.models.codec)
            object.__setattr__(self, "defence", md.Inputs(**self.defence))
        for message in self.problems():
            raise ValueError(message)

    def problems(self) -> list[str]:
        """What is inconsistent in these inputs (empty when they are valid)."""
        b, s, m, t = self.n_bases, self.n_surfaces, self.n_missiles, self.n_types
        p, h, f = self.n_aircraft, self.shelter_base.size, self.facility_base.size
        out: list[str] = []

        def need(ok: bool, message: str) -> None:
            if not ok:
                out.append(message)

        def index_ok(a: NDArray[np.int64], size: int) -> bool:
            return bool(np.all((a >= 0) & (a < size)))

        need(self.mos_width_m.shape == (b,), "one MOS width per base")
        need(bool(np.all(self.mos_length_m > 0) & np.all(self.mos_width_m > 0)), "MOS > 0")
        need(self.mos_lateral_step_m > 0, "mos_lateral_step_m must be > 0")
        need(index_ok(self.surface_base, b), "bad surface base index")
        for name in ("surface_length_m", "surface_width_m"):
            need(getattr(self, name).shape == (s,), f"{name}: one entry per surface")
        for name in ("aircraft_sheltered", "aircraft_x_m", "aircraft_y_m", "aircraft_shelter"):
            need(getattr(self, name).shape == (p,), f"{name}: one entry per aircraft")
        need(index_ok(self.aircraft_base, b), "bad aircraft base index")
        need(index_ok(self.shelter_base, b), "bad shelter base index")
        need(index_ok(self.facility_base, b), "bad facility base index")
        need(self.facility_sortie_factor.shape == (f,), "one sortie factor per facility")
        sheltered = self.aircraft_shelter[self.aircraft_sheltered]
        need(index_ok(sheltered, h), "a sheltered aircraft needs a shelter index")
        need(np.unique(sheltered).size == sheltered.size, "one aircraft per shelter")
        if sheltered.size:
            need(
                bool(
                    np.all(
                        self.shelter_base[sheltered] == self.aircraft_base[self.aircraft_sheltered]
                    )
                ),
                "a sheltered aircraft's shelter must be at its base",
            )
        for name in (
            "missile_target_kind",
            "missile_target",
            "missile_aim_x_m",
            "missile_aim_y_m",
            "missile_wave",
        ):
            need(getattr(self, name).shape == (m,), f"{name}: one entry per missile")
        need(index_ok(self.missile_type, t), "bad missile type index")
        need(index_ok(self.missile_wave, self.wave_time_h.size), "bad wave index")
        need(bool(np.all(np.diff(self.wave_time_h) >= 0)), "wave times must increase")
        need(bool(np.all(self.wave_time_h >= 0)), "wave times must be >= 0")
        sizes = {SURFACE: s, APRON: b, SHELTER: h, FACILITY: f}
        for kind, size in sizes.items():
            sel = self.missile_target_kind == kind
            need(index_ok(self.missile_target[sel], size), f"bad {TARGET_KINDS[kind]} index")
        need(index_ok(self.missile_target_kind, 4), "bad target kind")
        for name in (
            "type_bomblets",
            "type_crater_radius_m",
            "type_pattern_radius_m",
            "type_lethal_radius_m",
            "type_lethal_radius_hard_m",
            "type_ballistic",
        ):
            need(getattr(self, name).shape == (t,), f"{name}: one entry per missile type")
        need(
            bool(np.all((self.type_warhead == UNITARY) | (self.type_warhead == SUBMUNITION))),
            "warhead must be UNITARY or SUBMUNITION",
        )
        sub = self.type_warhead == SUBMUNITION
        need(bool(np.all(self.type_bomblets[sub] >= 1)), "a submunition type needs bomblets")
        need(bool(np.all(self.type_bomblets[~sub] == 0)), "a unitary type has no bomblets")
        need(len(self.cep_m) == t and len(self.reliability) == t, "one CEP, reliability per type")
        need(len(self.repair_h) == b, "one repair time per base")
        for name in ("repair_crews", "repair_materials", "resupply_per_day", "uxo_h_per_dud"):
            need(len(getattr(self, name)) == b, f"{name}: one distribution per base")
        for name in (
            "type_dud_rate",
            "type_repair_units",
            "type_damage_radius_m",
            "type_shelter_pk",
            "type_along_track_ratio",
        ):
            need(getattr(self, name).shape == (t,), f"{name}: one entry per missile type")
        need(self.missile_heading_rad.shape == (m,), "missile_heading_rad: one per missile")
        need(self.wave_on_reopen.shape == self.wave_time_h.shape, "wave_on_reopen: one per wave")
        if self.wave_on_reopen.shape == self.wave_time_h.shape and self.wave_on_reopen.size:
            need(not bool(self.wave_on_reopen[0]), "the first wave cannot wait for a reopening")
            if (
                m
                and self.missile_wave.shape == (m,)
                and index_ok(self.missile_wave, self.wave_time_h.size)
            ):
                on = self.wave_on_reopen[self.missile_wave]
                need(
                    bool(np.all(self.missile_target_kind[on] == SURFACE)),
                    "an on-reopen wave may only aim at operating surfaces",
                )
        need(self.restrike_lag_h >= 0, "restrike_lag_h must be >= 0")
        for name, dists in self.warhead_dists.items():
            need(name in UNCERTAIN_WARHEAD, f"warhead_dists: {name} cannot be uncertain")
            need(len(dists) == t, f"warhead_dists.{name}: one distribution per missile type")
        need(bool(np.all(self.type_along_track_ratio >= 1)), "type_along_track_ratio >= 1")
        need(
            bool(np.all(self.type_damage_radius_m >= self.type_lethal_radius_m)),
            "type_damage_radius_m must be >= type_lethal_radius_m",
        )
        need(
            bool(np.all((self.type_dud_rate >= 0) & (self.type_dud_rate <= 1))),
            "dud rate in [0, 1]",
        )
        need(bool(np.all(self.type_repair_units > 0)), "type_repair_units must be > 0")
        need(
            bool(np.all((self.type_shelter_pk >= 0) & (self.type_shelter_pk <= 1))),
            "type_shelter_pk in [0, 1]",
        )
        need(self.sortie_rate_per_day.shape == (b,), "one sortie rate per base")
        for name in ("cmd_fire_units", "cmd_channels"):
            need(getattr(self, name).shape == (b,), f"{name}: one entry per base")
        need(bool(np.all(self.cmd_fire_units >= 0)), "cmd_fire_units must be >= 0")
        need(bool(np.all(self.cmd_channels >= 1)), "cmd_channels must be >= 1")
        for name in ("cmd_magazine", "cmd_pk"):
            need(len(getattr(self, name)) == b, f"{name}: one distribution per base")
        need(self.cmd_shots >= 1, "cmd_shots must be >= 1")
        need(self.horizon_days >= 1, "horizon_days must be >= 1")
        if self.defence is not None:
            need(isinstance(self.defence, md.Inputs), "defence must be missile_defense.Inputs")
            if isinstance(self.defence, md.Inputs):
                need(
                    self.defence.n_threats == self.defence_missile.size,
                    "one defence threat per defended missile",
                )
            need(index_ok(self.defence_missile, m), "bad defended missile index")
        return out

    # -- sizes ---------------------------------------------------------------------

    @property
    def n_bases(self) -> int:
        return int(self.mos_length_m.shape[0])

    @property
    def n_surfaces(self) -> int:
        return int(self.surface_base.shape[0])

    @property
    def n_missiles(self) -> int:
        return int(self.missile_type.shape[0])

    @property
    def n_types(self) -> int:
        return int(self.type_warhead.shape[0])

    @property
    def n_aircraft(self) -> int:
        return int(self.aircraft_base.shape[0])

    @property
    def max_bomblets(self) -> int:
        """Bomblet slots per missile in the draw layout (largest over the raid's types)."""
        return int(self.type_bomblets[self.missile_type].max()) if self.n_missiles else 0

    @cached_property
    def layout(self) -> Layout:
        """Static crater slots and lookup tables derived from the inputs."""
        return Layout.build(self)


@dataclass(frozen=True)
class Layout:
    """Crater slots per base and the shared tables (computed once from the inputs).

    A *crater slot* is one possible crater: one per unitary missile aimed at a
    surface, one per bomblet slot of a submunition missile aimed at a surface.
    ``base_slots[b]`` lists the slots of base b in missile order, then bomblet order.
    """

    slot_missile: NDArray[np.int64]  # (K,)
    slot_bomblet: NDArray[np.int64]  # (K,) -1 for a unitary crater
    slot_surface: NDArray[np.int64]  # (K,)
    base_slots: tuple[NDArray[np.int64], ...]
    base_surfaces: tuple[NDArray[np.int64], ...]
    survive_table: NDArray[np.float64]  # (T, M + 1): (1 − p_pattern[t])^k
    unhurt_table: NDArray[np.float64]  # (T, M + 1): the same with the damage radius

    @staticmethod
    def build(inputs: Inputs) -> Layout:
        slot_m: list[int] = []
        slot_j: list[int] = []
        slot_s: list[int] = []
        for i in range(inputs.n_missiles):
            if int(inputs.missile_target_kind[i]) != SURFACE:
                continue
            t = int(inputs.missile_type[i])
            js = [-1] if inputs.type_warhead[t] == UNITARY else list(range(inputs.type_bomblets[t]))
            for j in js:
                slot_m.append(i)
                slot_j.append(j)
                slot_s.append(int(inputs.missile_target[i]))
        sm = np.array(slot_m, dtype=np.int64)
        ss = np.array(slot_s, dtype=np.int64)
        sbase = inputs.surface_base[ss] if ss.size else ss
        base_slots = tuple(np.flatnonzero(sbase == b) for b in range(inputs.n_bases))
        base_surfaces = tuple(
            np.flatnonzero(inputs.surface_base == b) for b in range(inputs.n_bases)
        )
        table = np.ones((inputs.n_types, inputs.n_missiles + 1))
        unhurt = np.ones((inputs.n_types, inputs.n_missiles + 1))
        for t in range(inputs.n_types):
            q = 1.0 - pattern_kill_probability(inputs, t)
            qd = 1.0 - pattern_kill_probability(inputs, t, damage=True)
            for k in range(1, inputs.n_missiles + 1):
                table[t, k] = table[t, k - 1] * q
                unhurt[t, k] = unhurt[t, k - 1] * qd
        return Layout(
            sm, np.array(slot_j, dtype=np.int64), ss, base_slots, base_surfaces, table, unhurt
        )


def pattern_kill_probability(inputs: Inputs, t: int, *, damage: bool = False) -> float:
    """Probability that an aircraft in the open inside a submunition pattern is destroyed
    (with ``damage``: damaged or destroyed, r the bomblet's damage radius).

    With ``n`` bomblets spread uniformly over a disk of radius R, each destroying an
    aircraft within its lethal radius r, the number of bomblets landing within r of a
    given aircraft inside the pattern is Poisson with mean λ = n·r²/R² (the
    random-coverage model used in air-base vulnerability studies), so

        P_k = 1 − exp(−n r² / R²).

    Unitary types return 0 (they kill by the lethal radius instead).
    """
    if inputs.type_warhead[t] != SUBMUNITION or inputs.type_pattern_radius_m[t] <= 0:
        return 0.0
    n = float(inputs.type_bomblets[t])
    r = float(inputs.type_damage_radius_m[t] if damage else inputs.type_lethal_radius_m[t])
    big_r = float(inputs.type_pattern_radius_m[t])
    return 1.0 - math.exp(-n * r * r / (big_r * big_r))


OUTCOMES: dict[str, OutcomeSpec] = {
    "hours_closed": OutcomeSpec(
        ("base",), "h", "Hours each base had no crater-free minimum operating strip"
    ),
    "closed_hours_by_day": OutcomeSpec(("base", "day"), "h", "Hours each base was closed, by day"),
    "aircraft_destroyed": OutcomeSpec(("base",), "count", "Aircraft destroyed on the ground"),
    "aircraft_damaged": OutcomeSpec(
        ("base",), "count", "Aircraft damaged on the ground (not destroyed, out for the horizon)"
    ),
    "aircraft_stranded": OutcomeSpec(
        ("base", "day"), "count", "Undamaged aircraft on a base closed all day, by day"
    ),
    "sorties": OutcomeSpec(("base", "day"), "count", "Sorties each base can generate, by day"),
    "craters": OutcomeSpec(("base",), "count", "Craters made in the operating surfaces"),
    "missiles_arrived": OutcomeSpec(
        ("base",), "count", "Missiles aimed at each base that worked and were not intercepted"
    ),
    "missiles_intercepted": OutcomeSpec(("base",), "count", "Missiles the defence destroyed"),
    "cruise_intercepted": OutcomeSpec(
        ("base",), "count", "Cruise missiles the point defence destroyed (of those intercepted)"
    ),
    "cmd_interceptors_fired": OutcomeSpec(
        ("base",), "count", "Interceptors the cruise-missile point defence fired"
    ),
    "thaad_intercepted": OutcomeSpec(
        ("base",),
        "count",
        "Ballistic missiles the upper terminal tier (THAAD) destroyed (of those intercepted)",
    ),
    "thaad_interceptors_fired": OutcomeSpec(
        ("base",), "count", "Interceptors the upper terminal tier (THAAD) fired"
    ),
    "facilities_destroyed": OutcomeSpec(("base",), "count", "Fuel or maintenance sites lost"),
    "closure_reason": OutcomeSpec(
        ("base",), "code", "State of each base at the horizon", codes=REASONS
    ),
    "cep_m": OutcomeSpec(("missile_type",), "m", "Circular error probable drawn"),
    "reliability": OutcomeSpec(("missile_type",), "probability", "Missile reliability drawn"),
    "repair_h": OutcomeSpec(("base",), "h", "Crew-hours to repair one crater, drawn"),
    "repair_delay_h": OutcomeSpec((), "h", "Damage-assessment hours after a wave, drawn"),
    "repair_crews": OutcomeSpec(("base",), "count", "Repair crews of each base, drawn"),
    "repair_materials": OutcomeSpec(
        ("base",), "craters", "Repair materials on hand at the first wave, drawn"
    ),
}


@dataclass(frozen=True)
class Params:
    """The per-trial draws of a chunk (system parameters and per-missile numbers)."""

    cep_m: NDArray[np.float64]  # (n, T)
    reliability: NDArray[np.float64]  # (n, T)
    repair_h: NDArray[np.float64]  # (n, B)
    repair_delay_h: NDArray[np.float64]  # (n,)
    crews: NDArray[np.float64]  # (n, B) whole numbers >= 1
    materials: NDArray[np.float64]  # (n, B)
    resupply: NDArray[np.float64]  # (n, B)
    uxo_h: NDArray[np.float64]  # (n, B) hours per dud
    sweep_h: NDArray[np.float64]  # (n,)
    arrived: NDArray[np.bool_]  # (n, M): worked and was not intercepted
    intercepted: NDArray[np.bool_]  # (n, M)
    miss_x_m: NDArray[np.float64]  # (n, M) impact − aim, target frame
    miss_y_m: NDArray[np.float64]  # (n, M)
    aircraft_u: NDArray[np.float64]  # (n, P)
    shelter_u: NDArray[np.float64]  # (n, M)
    units: NDArray[np.float64]  # (n, T) repair units of a crater of each type
    dud: NDArray[np.float64]  # (n, T)
    shelter_pk: NDArray[np.float64]  # (n, T)
    hard_m: NDArray[np.float64]  # (n, T)
    cmd_rounds: NDArray[np.float64]  # (n, B) the base's rounds for cruise missiles
    cmd_kill: NDArray[np.float64]  # (n, B) 1 − (1 − Pk)^shots
    cmd_u: NDArray[np.float64]  # (n, M) uniforms: an engaged cruise missile dies below kill
    cmd_killed: NDArray[np.bool_]  # (n, M) destroyed by the point defence
    cmd_fired: NDArray[np.int64]  # (n, B) interceptors fired
    upper_killed: NDArray[np.bool_]  # (n, M) destroyed by the upper tier (THAAD)
    upper_fired: NDArray[np.int64]  # (n, B) interceptors the upper tier fired per base


def draw(inputs: Inputs, rng: np.random.Generator, n: int) -> Params:
    """Draw every per-trial and per-missile random number of ``n`` trials.

    Layout (each a named sub-stream of ``rng``, :func:`anpo.models.base.substream`):

    1. ``cep/{t}``, ``reliability/{t}`` per missile type t; ``repair_h/{b}``,
       ``crews/{b}``, ``materials/{b}``, ``resupply/{b}``, ``uxo/{b}`` per base b;
       ``repair_delay`` and ``sweep``: one value per trial;
    2. ``fail``: an (n, M) array of uniforms; missile i works when its number is
       below the trial's reliability of its type;
    3. ``miss/radius``, ``miss/angle``: (n, M) uniforms u, v giving the standard
       normal pair √(−2 ln(1 − u))·(cos 2πv, sin 2πv), scaled by σ_along and σ_cross
       (both σ = CEP/1.1774 for a circular miss) and turned from the missile's flight
       direction into the target's frame;
    4. ``bomblet/radius/{i}``, ``bomblet/angle/{i}``: for each missile i whose
       submunitions fall on an operating surface, (n, J_i) single-precision
       uniforms, J_i its bomblet count, drawn trial-major block by block
       (:func:`bomblet_blocks`), placing bomblet j at R·√u in direction 2πv from
       its missile's impact point;
    5. ``aircraft``: (n, P) uniforms; an aircraft in the open inside k patterns of
       type t survives when its number is at least 1 − Π_t (1 − P_k,t)^k_t;
    6. ``defence``: the stream handed to the missile-defence model, when present;
    7. ``shelter``: (n, M) uniforms; a unitary warhead landing within a shelter's hard
       radius destroys it when its number is below the type's ``type_shelter_pk``;
    8. ``warhead/{name}/{t}``: one value per trial for each uncertain warhead parameter
       (``warhead_dists``) of type t;
    9. ``cmd/magazine/{b}``, ``cmd/pk/{b}``: one value per trial and defended base b,
       and ``cmd/shot``: (n, M) uniforms, drawn only when some base has cruise-missile
       fire units (their engagements are :func:`.model.cruise_defence`; the point
       defence's outcome arrays start empty here).

    Every array but the bomblets' is drawn whether or not it is used, missiles lie
    along a fixed axis and each missile's bomblets have streams of their own, so
    variants of a scenario share their random numbers.
    """
    t_count, m = inputs.n_types, inputs.n_missiles

    def per_trial(name: str, dist: Dist) -> NDArray[np.float64]:
        return dist.sample(substream(rng, name), n)

    cep = np.empty((n, t_count))
    rel = np.empty((n, t_count))
    for t in range(t_count):
        cep[:, t] = np.maximum(per_trial(f"cep/{t}", inputs.cep_m[t]), 0.0)
        rel[:, t] = np.clip(per_trial(f"reliability/{t}", inputs.reliability[t]), 0.0, 1.0)
    repair = np.empty((n, inputs.n_bases))
    for b in range(inputs.n_bases):
        repair[:, b] = np.maximum(per_trial(f"repair_h/{b}", inputs.repair_h[b]), 0.0)
    delay = np.maximum(per_trial("repair_delay", inputs.repair_delay_h), 0.0)
    sweep = np.maximum(per_trial("sweep", inputs.sweep_h), 0.0)
    crews = np.empty((n, inputs.n_bases))
    materials = np.empty((n, inputs.n_bases))
    resupply = np.empty((n, inputs.n_bases))
    uxo = np.empty((n, inputs.n_bases))
    for b in range(inputs.n_bases):
        crews[:, b] = np.maximum(np.rint(per_trial(f"crews/{b}", inputs.repair_crews[b])), 1.0)
        materials[:, b] = np.maximum(per_trial(f"materials/{b}", inputs.repair_materials[b]), 0.0)
        resupply[:, b] = np.maximum(per_trial(f"resupply/{b}", inputs.resupply_per_day[b]), 0.0)
        uxo[:, b] = np.maximum(per_trial(f"uxo/{b}", inputs.uxo_h_per_dud[b]), 0.0)
    fail_u = substream(rng, "fail").random((n, m))
    radius_u = substream(rng, "miss/radius").random((n, m))
    angle_u = substream(rng, "miss/angle").random((n, m))
    aircraft_u = substream(rng, "aircraft").random((n, inputs.n_aircraft))
    shelter_u = substream(rng, "shelter").random((n, m))
    fixed = {
        "repair_units": inputs.type_repair_units,
        "dud_rate": inputs.type_dud_rate,
        "shelter_pk": inputs.type_shelter_pk,
        "lethal_radius_hard_m": inputs.type_lethal_radius_hard_m,
    }
    lo_hi = {
        "repair_units": (1e-6, np.inf),
        "dud_rate": (0.0, 1.0),
        "shelter_pk": (0.0, 1.0),
        "lethal_radius_hard_m": (0.0, np.inf),
    }
    wdraw = {}
    for name, nominal in fixed.items():
        values = np.broadcast_to(nominal[None, :], (n, t_count)).copy()
        for t, dist in enumerate(inputs.warhead_dists.get(name, ())):
            values[:, t] = np.clip(per_trial(f"warhead/{name}/{t}", dist), *lo_hi[name])
        wdraw[name] = values

    sigma = cep[:, inputs.missile_type] * SIGMA_PER_CEP  # (n, M)
    # elliptical miss: sigma_along = e sigma_cross, (sigma_along + sigma_cross) / 2 = sigma,
    # so CEP ~ 0.5887 (sigma_along + sigma_cross) keeps its value; e = 1 is circular
    e = inputs.type_along_track_ratio[inputs.missile_type]
    sigma_cross = sigma * (2.0 / (1.0 + e))
    sigma_along = sigma_cross * e
    unit = np.sqrt(-2.0 * np.log1p(-radius_u))
    theta = 2.0 * np.pi * angle_u
    along = (sigma_along * unit) * np.cos(theta)
    cross = (sigma_cross * unit) * np.sin(theta)
    heading = inputs.missile_heading_rad
    cos_h, sin_h = np.cos(heading), np.sin(heading)
    works = fail_u < rel[:, inputs.missile_type]
    intercepted = np.zeros((n, m), dtype=bool)
    upper = np.zeros((n, m), dtype=bool)
    upper_fired = np.zeros((n, inputs.n_bases), dtype=np.int64)
    if inputs.defence is not None and inputs.defence_missile.size:
        result = md.simulate(inputs.defence, substream(rng, "defence"), n)
        fate = result["threat_fate"]
        killed = (fate == md.inputs.KILLED_UPPER) | (fate == md.inputs.KILLED_LOWER)
        intercepted[:, inputs.defence_missile] = killed
        upper[:, inputs.defence_missile] = fate == md.inputs.KILLED_UPPER
        upper_fired = _upper_fired(inputs.defence, result["expended"], inputs.n_bases)
    intercepted &= works
    upper &= works
    b_count = inputs.n_bases
    cmd_rounds = np.zeros((n, b_count))
    cmd_kill = np.zeros((n, b_count))
    cmd_u = np.zeros((n, 0))
    if np.any(inputs.cmd_fire_units > 0):
        for b in range(b_count):
            if inputs.cmd_fire_units[b] <= 0:
                continue
            drawn = per_trial(f"cmd/magazine/{b}", inputs.cmd_magazine[b])
            per_unit = np.floor(np.maximum(drawn, 0.0))
            cmd_rounds[:, b] = float(inputs.cmd_fire_units[b]) * per_unit
            pk = np.clip(per_trial(f"cmd/pk/{b}", inputs.cmd_pk[b]), 0.0, 1.0)
            cmd_kill[:, b] = 1.0 - (1.0 - pk) ** inputs.cmd_shots
        cmd_u = substream(rng, "cmd/shot").random((n, m))
    return Params(
        cep_m=cep,
        reliability=rel,
        repair_h=repair,
        repair_delay_h=delay,
        crews=crews,
        materials=materials,
        resupply=resupply,
        uxo_h=uxo,
        sweep_h=sweep,
        arrived=works & ~intercepted,
        intercepted=intercepted,
        miss_x_m=along * cos_h - cross * sin_h,
        miss_y_m=along * sin_h + cross * cos_h,
        aircraft_u=aircraft_u,
        shelter_u=shelter_u,
        units=wdraw["repair_units"],
        dud=wdraw["dud_rate"],
        shelter_pk=wdraw["shelter_pk"],
        hard_m=wdraw["lethal_radius_hard_m"],
        cmd_rounds=cmd_rounds,
        cmd_kill=cmd_kill,
        cmd_u=cmd_u,
        cmd_killed=np.zeros((n, m), dtype=bool),
        cmd_fired=np.zeros((n, b_count), dtype=np.int64),
        upper_killed=upper,
        upper_fired=upper_fired,
    )


def _upper_fired(
    defence: md.Inputs, expended: NDArray[np.int64], n_bases: int
) -> NDArray[np.int64]:
    """Interceptors the upper-tier shooters fired, summed per base: a shooter belongs to
    the base (asset) of the threats its windows reach (one that reaches none fires none)."""
    out = np.zeros((expended.shape[0], n_bases), dtype=np.int64)
    for s in np.flatnonzero(defence.shooter_tier == md.UPPER):
        reach = np.flatnonzero(np.isfinite(defence.window_open_s[s]))
        if reach.size:
            out[:, int(defence.threat_asset[reach[0]])] += expended[:, s].astype(np.int64)
    return out


def block_size(inputs: Inputs) -> int:
    """Trials per block, so that no per-block array exceeds :data:`BLOCK_ELEMENTS`."""
    lay = inputs.layout
    # the largest per-surface array: (crater, lane) pairs of the surface with most slots
    widest = int(np.bincount(lay.slot_surface).max()) if lay.slot_surface.size else 1
    per_trial = max(
        inputs.n_missiles * max(inputs.max_bomblets, 1),
        2 * widest * max(lateral_count(inputs), 1),
    )
    return max(1, BLOCK_ELEMENTS // max(per_trial, 1))


def lateral_count(inputs: Inputs) -> int:
    """Lateral MOS positions tried on the widest surface."""
    if not inputs.n_surfaces:
        return 1
    spare = float(np.max(inputs.surface_width_m - inputs.mos_width_m[inputs.surface_base]))
    return max(2, math.ceil(max(spare, 0.0) / inputs.mos_lateral_step_m) + 1)


def bomblet_blocks(
    inputs: Inputs, rng: np.random.Generator, n: int
) -> Iterator[tuple[int, int, NDArray[np.float64], NDArray[np.float64]]]:
    """Bomblet offsets on the unit disk, block by block of trials (stream layout 4).

    Yields ``(start, stop, ux, uy)`` with ``ux, uy`` of shape (stop − start, M, J_s),
    J_s the largest bomblet count of a missile aimed at a surface: bomblet j of
    missile i lands at impact + R·(ux, uy). Only those missiles' bomblets are placed
    one by one (a pattern on an apron kills by coverage instead); each such missile
    i has its own pair of streams, ``bomblet/radius/{i}`` and ``bomblet/angle/{i}``,
    read trial-major, J_i single-precision uniforms u, v a trial (J_i its type's
    bomblet count), so the numbers depend neither on the block size nor on the rest
    of the raid. The offset is √u in direction 2πv; the angle and its cosine and
    sine are single precision, like the uniforms (v has 24 bits; the offsets are
    good to about 10⁻⁷ of the pattern radius). Other missiles' offsets are 0.
    """
    m = inputs.n_missiles
    lay = inputs.layout
    j_s = int(lay.slot_bomblet.max()) + 1 if lay.slot_bomblet.size else 0
    used = np.unique(lay.slot_missile[lay.slot_bomblet >= 0]).tolist()
    count = [int(inputs.type_bomblets[inputs.missile_type[i]]) for i in used]
    streams = [
        (substream(rng, f"bomblet/radius/{i}"), substream(rng, f"bomblet/angle/{i}")) for i in used
    ]
    step = block_size(inputs)
    for start in range(0, n, step):
        stop = min(n, start + step)
        ux = np.zeros((stop - start, m, j_s))
        uy = np.zeros((stop - start, m, j_s))
        for i, j, (r_rng, a_rng) in zip(used, count, streams, strict=True):
            r = np.sqrt(r_rng.random((stop - start, j), dtype=np.float32).astype(np.float64))
            a = np.float32(2.0 * np.pi) * a_rng.random((stop - start, j), dtype=np.float32)
            ux[:, i, :j] = r * np.cos(a)
            uy[:, i, :j] = r * np.sin(a)
        yield start, stop, ux, uy
