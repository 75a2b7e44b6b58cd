"""Inputs, outcome names, codes and random draws of the missile-defence model."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from anpo.models.base import OutcomeSpec, frozen_array, substream
from anpo.models.distributions import Dist

UPPER, LOWER = 0, 1
MAX_SHOOTERS = 63  # shooters in one scenario (the allocation key packs an index in 6 bits)
MAX_MAGAZINE = 500  # interceptors per shooter (the model keeps magazine·64 in 16 bits)
MAX_CHANNELS = 64  # engagements one shooter can have in progress at once (0: no limit)
TIERS: tuple[str, ...] = ("upper", "lower")

# Fate of each threat in a trial (outcome ``threat_fate``).
KILLED_UPPER = 0
KILLED_LOWER = 1
LEAK_MISSED = 2
LEAK_NO_SHOOTER = 3
LEAK_MAGAZINE_EMPTY = 4
LEAK_DECOY_EXHAUSTED = 5
DECOY_IGNORED = 6
DECOY_ENGAGED = 7
DECOY_UNENGAGED = 8
LEAK_SATURATED = 9
FAILED = 10
FATES: tuple[str, ...] = (
    "killed_upper",
    "killed_lower",
    "leaked_missed",
    "leaked_no_shooter",
    "leaked_magazine_empty",
    "leaked_decoy_exhausted",
    "decoy_ignored",
    "decoy_engaged",
    "decoy_unengaged",
    "leaked_saturated",
    "failed",
)
# Why a warhead leaked (outcome ``leak_reason``), in this column order.
REASONS: tuple[str, ...] = (
    "missed",
    "no_shooter",
    "magazine_empty",
    "decoy_exhausted",
    "saturated",
)


@dataclass(frozen=True)
class Inputs:
    """Everything the engagement model needs, as arrays (T threats, S shooters, A assets).

    Parameters
    ----------
    threat_asset : int[T]
        Index of the defended asset each threat (warhead or decoy) is aimed at.
    threat_is_decoy : bool[T]
        True for decoys: objects that draw interceptors but do no harm.
    threat_time_s : float[T]
        Engagement-order key: threats are taken in increasing time, ties in listing
        order. Launch time until flight times are computed, then arrival time.
    asset_priority : int[A]
        1 is the highest priority; used only when ``use_priorities``.
    shooter_tier : int[S]
        0 upper tier (SM-3 from ships), 1 lower tier (PAC-3 fire units).
    shooter_interceptor : int[S]
        Index into the interceptor types (``labels["interceptor"]``).
    shooter_magazine : int[S]
        Interceptors ready to fire at the start of the raid; with
        ``shooter_magazine_dist``, the most a shooter can have.
    window_open_s, window_close_s : float[S, T]
        Earliest and latest decision time at which shooter s can commit against
        threat t, before the sensor delay; a window with close < open (or NaN)
        means s cannot engage t at all.
    engage_time_s : float[S, T]
        Time one engagement takes: interceptor fly-out plus kill assessment.
    window_earliest_s : float[S, T], optional
        The earliest decision that leads to an intercept (a decision before it only
        waits for the threat to enter reach): engagement k fits only if
        earliest + k·engage ≤ close, whatever the delay. Empty (the default): no
        such limit, as when every shooter can engage from the window's opening.
    salvo_size : int[2]
        Interceptors fired per engagement, per tier.
    max_engagements : int[2]
        Engagements per threat per tier: 1 is a salvo doctrine, 2 or more is
        shoot-look-shoot (each further engagement only if the threat survived
        and the window still has room).
    partial_salvos : bool
        When True a shooter with fewer interceptors than a salvo fires what it has;
        otherwise it fires a full salvo or none.
    use_priorities : bool
        When True, threats are allocated interceptors in order of their asset's
        priority first, then time.
    sspk, reliability : tuple[Dist, ...]
        Per interceptor type: single-shot kill probability of a working interceptor,
        and the probability that it works. Drawn once per trial.
    sensor_delay_s : tuple[Dist, Dist]
        Per tier: time from the window opening to the first possible decision.
    discrimination : Dist
        Probability that the defence recognises a given decoy and ignores it.
    shooter_channels : int[S], optional
        Engagements a shooter can have in progress at once (its fire-control
        channels): an engagement holds one from its decision until its kill
        assessment (``engage_time_s``). 0 means no limit; empty (the default): no
        shooter has a limit.
    threat_class : int[T], optional
        Index into ``class_reliability`` of the attacker's missile that carries each
        object (a decoy: the missile whose path it follows).
    class_reliability : tuple[Dist, ...], optional
        Per attacker missile class: the probability that a launch works and the
        missile flies to the point where the defence engages it, drawn once per trial;
        an object whose missile fails is never engaged and never arrives (fate
        ``failed``). Empty (the default): every missile works.
    threat_stripped : bool[T], optional
        True for a light decoy that re-entry strips away: the lower tier never sees
        it (only decoys may be stripped). Empty (the default): none.
    shooter_magazine_dist : tuple[Dist, ...], optional
        One distribution per shooter: its magazine is drawn once per trial and
        rounded to the nearest whole round, between 0 and ``shooter_magazine``.
        Empty (the default): every magazine is fixed.
    shooter_ship : int[S], optional
        Index into ``labels["ship"]`` of the ship each shooter is aboard (the shooters of
        one ship, its SM-3 and its SM-6, are on station together), -1 for a shooter on
        land. Empty (the default): every shooter is where the scenario puts it.
    on_station : Dist
        With ``shooter_ship``: the share of ships on station when the raid comes (the
        readiness the warning allowed), drawn once per trial; each ship is on station
        with that probability, and a ship off station fires nothing (its magazine is
        empty in that trial).
    labels : mapping
        Entry names for each outcome dimension. The names of ``"threat"``,
        ``"interceptor"`` and ``"missile"`` entries are also the identities that key
        their random streams (see :func:`draw`), so they must be unique; a dimension
        without labels is keyed by position (``"#0"``, ``"#1"``, ...).
    threat_aim_lat_deg, threat_aim_lon_deg : float[T], optional
        Aim point of each threat. Empty (the default) when the scenario has no
        geography; then no impact points are drawn.
    threat_type : int[T], optional
        Index into ``cep_km`` of each threat's missile type.
    cep_km : tuple[Dist, ...], optional
        Circular error probable of each missile type, drawn once per trial.
    city_lat_deg, city_lon_deg, city_population : float[C], optional
        Cities whose population is counted when a leaker lands within
        ``impact_radius_km`` of them.
    impact_radius_km : float
        Radius around an impact point within which a city's whole population is counted
        as living near an impact (an exposure measure, not casualties).
    casualty_area_km2 : float
        With a casualty estimate only (0, the default: none): lethal area of one
        warhead times the share of people it would reach unsheltered, km². Each leaker's
        expected casualties are this area times the population density at its impact
        point, taken as the people of the cities within ``impact_radius_km`` of it
        spread evenly over the disc of that radius.
    """

    threat_asset: NDArray[np.int64]
    threat_is_decoy: NDArray[np.bool_]
    threat_time_s: NDArray[np.float64]
    asset_priority: NDArray[np.int64]
    shooter_tier: NDArray[np.int64]
    shooter_interceptor: NDArray[np.int64]
    shooter_magazine: NDArray[np.int64]
    window_open_s: NDArray[np.float64]
    window_close_s: NDArray[np.float64]
    engage_time_s: NDArray[np.float64]
    salvo_size: NDArray[np.int64]
    max_engagements: NDArray[np.int64]
    partial_salvos: bool
    use_priorities: bool
    sspk: tuple[Dist, ...]
    reliability: tuple[Dist, ...]
    sensor_delay_s: tuple[Dist, ...]
    discrimination: Dist
    labels: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    threat_aim_lat_deg: NDArray[np.float64] = field(default_factory=lambda: np.zeros(0))
    threat_aim_lon_deg: NDArray[np.float64] = field(default_factory=lambda: np.zeros(0))
    threat_type: NDArray[np.int64] = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    cep_km: tuple[Dist, ...] = ()
    city_lat_deg: NDArray[np.float64] = field(default_factory=lambda: np.zeros(0))
    city_lon_deg: NDArray[np.float64] = field(default_factory=lambda: np.zeros(0))
    city_population: NDArray[np.float64] = field(default_factory=lambda: np.zeros(0))
    impact_radius_km: float = 0.0
    casualty_area_km2: float = 0.0
    window_earliest_s: NDArray[np.float64] = field(default_factory=lambda: np.zeros(0))
    shooter_channels: NDArray[np.int64] = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    shooter_magazine_dist: tuple[Dist, ...] = ()
    threat_stripped: NDArray[np.bool_] = field(default_factory=lambda: np.zeros(0, dtype=bool))
    threat_class: NDArray[np.int64] = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    class_reliability: tuple[Dist, ...] = ()
    shooter_ship: NDArray[np.int64] = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    on_station: Dist = field(default_factory=lambda: Dist.fixed(1.0))

    def __post_init__(self) -> None:
        for name, dtype in (
            ("threat_asset", np.int64),
            ("threat_is_decoy", np.bool_),
            ("threat_time_s", np.float64),
            ("asset_priority", np.int64),
            ("shooter_tier", np.int64),
            ("shooter_interceptor", np.int64),
            ("shooter_magazine", np.int64),
            ("window_open_s", np.float64),
            ("window_close_s", np.float64),
            ("engage_time_s", np.float64),
            ("salvo_size", np.int64),
            ("max_engagements", np.int64),
            ("threat_aim_lat_deg", np.float64),
            ("threat_aim_lon_deg", np.float64),
            ("threat_type", np.int64),
            ("city_lat_deg", np.float64),
            ("city_lon_deg", np.float64),
            ("city_population", np.float64),
            ("window_earliest_s", np.float64),
            ("shooter_channels", np.int64),
            ("threat_stripped", np.bool_),
            ("threat_class", np.int64),
            ("shooter_ship", np.int64),
        ):
            object.__setattr__(self, name, frozen_array(getattr(self, name), dtype))
        t, s = self.n_threats, self.n_shooters
        a, i = len(self.asset_priority), len(self.sspk)
        checks = [
            (self.threat_is_decoy.shape == (t,), "threat_is_decoy must have one entry per threat"),
            (self.threat_time_s.shape == (t,), "threat_time_s must have one entry per threat"),
            (bool(np.all((self.threat_asset >= 0) & (self.threat_asset < a))), "bad asset index"),
            (self.shooter_interceptor.shape == (s,), "one interceptor type per shooter"),
            (self.shooter_magazine.shape == (s,), "one magazine per shooter"),
            (bool(np.all(self.shooter_magazine >= 0)), "magazines must be >= 0"),
            (bool(np.all(self.shooter_magazine <= MAX_MAGAZINE)), "magazine too large"),
            (s <= MAX_SHOOTERS, f"at most {MAX_SHOOTERS} shooters"),
            (bool(np.all((self.shooter_tier == UPPER) | (self.shooter_tier == LOWER))), "tier"),
            (
                bool(np.all((self.shooter_interceptor >= 0) & (self.shooter_interceptor < i))),
                "bad interceptor index",
            ),
            (len(self.reliability) == i, "one reliability per interceptor type"),
            (len(self.sensor_delay_s) == 2, "one sensor delay per tier"),
            (self.window_open_s.shape == (s, t), "window_open_s must be shooters x threats"),
            (self.window_close_s.shape == (s, t), "window_close_s must be shooters x threats"),
            (self.engage_time_s.shape == (s, t), "engage_time_s must be shooters x threats"),
            (bool(np.all(self.engage_time_s > 0)), "engage_time_s must be > 0"),
            (
                self.window_earliest_s.size == 0 or self.window_earliest_s.shape == (s, t),
                "window_earliest_s must be empty or shooters x threats",
            ),
            (
                self.shooter_channels.size == 0
                or (
                    self.shooter_channels.shape == (s,)
                    and bool(np.all(self.shooter_channels >= 0))
                    and bool(np.all(self.shooter_channels <= MAX_CHANNELS))
                ),
                f"shooter_channels must be empty or one per shooter, 0-{MAX_CHANNELS}",
            ),
            (
                self.threat_stripped.size == 0
                or (
                    self.threat_stripped.shape == (t,)
                    and not bool(np.any(self.threat_stripped & ~self.threat_is_decoy))
                ),
                "threat_stripped must be empty or one per threat, and only decoys stripped",
            ),
            (
                not self.class_reliability
                or (
                    self.threat_class.shape == (t,)
                    and bool(np.all(self.threat_class >= 0))
                    and bool(np.all(self.threat_class < len(self.class_reliability)))
                ),
                "with class_reliability, threat_class needs one valid class per threat",
            ),
            (
                self.shooter_ship.size == 0
                or (self.shooter_ship.shape == (s,) and bool(np.all(self.shooter_ship >= -1))),
                "shooter_ship must be empty or one per shooter, -1 for none",
            ),
            (
                len(self.shooter_magazine_dist) in (0, s),
                "shooter_magazine_dist must be empty or one per shooter",
            ),
            (self.salvo_size.shape == (2,) and bool(np.all(self.salvo_size >= 1)), "salvo >= 1"),
            (
                self.max_engagements.shape == (2,) and bool(np.all(self.max_engagements >= 1)),
                "max_engagements >= 1",
            ),
        ]
        if self.has_geography:
            checks += [
                (self.threat_aim_lat_deg.shape == (t,), "one aim latitude per threat"),
                (self.threat_aim_lon_deg.shape == (t,), "one aim longitude per threat"),
                (self.threat_type.shape == (t,), "one missile type per threat"),
                (
                    bool(np.all((self.threat_type >= 0) & (self.threat_type < len(self.cep_km)))),
                    "bad missile type index",
                ),
                (
                    self.city_lon_deg.shape == self.city_lat_deg.shape
                    and self.city_population.shape == self.city_lat_deg.shape,
                    "one longitude and population per city",
                ),
                (self.impact_radius_km >= 0, "impact_radius_km must be >= 0"),
                (
                    self.casualty_area_km2 == 0
                    or (self.casualty_area_km2 > 0 and self.impact_radius_km > 0),
                    "casualty_area_km2 must be >= 0, and > 0 only with impact_radius_km > 0",
                ),
            ]
        for dim, count in (
            ("threat", t),
            ("shooter", s),
            ("interceptor", i),
            *((("attacker", len(self.class_reliability)),) if self.class_reliability else ()),
            *((("missile", len(self.cep_km)),) if self.has_geography else ()),
        ):
            if dim in self.labels:
                names = self.labels[dim]
                checks.append((len(names) == count, f"labels[{dim!r}] needs {count} names"))
                checks.append((len(set(names)) == len(names), f"labels[{dim!r}] must be unique"))
        for ok, message in checks:
            if not ok:
                raise ValueError(message)

    def keys(self, dim: str, count: int) -> tuple[str, ...]:
        """The identities of a dimension's entries: their labels, else ``#0``, ``#1``, ...

        Random streams are named by these keys, never by position, so a variant that
        keeps an entity's label (a threat ``"nodong 3 -> Tokyo"``, an interceptor
        ``"sm3-ib"``) keeps its random numbers whatever else is added or removed.
        """
        names = self.labels.get(dim)
        if names is not None and len(names) == count:
            return tuple(names)
        return tuple(f"#{k}" for k in range(count))

    @property
    def has_geography(self) -> bool:
        """Whether aim points are given (and so impact points are drawn)."""
        return self.threat_aim_lat_deg.size > 0

    @property
    def n_threats(self) -> int:
        return int(self.threat_asset.shape[0])

    @property
    def n_shooters(self) -> int:
        return int(self.shooter_tier.shape[0])

    @property
    def n_assets(self) -> int:
        return int(self.asset_priority.shape[0])

    @property
    def n_interceptor_types(self) -> int:
        return len(self.sspk)

    def is_stripped(self, threat: int) -> bool:
        """Whether re-entry strips the object before the lower tier (a light decoy)."""
        return bool(self.threat_stripped[threat]) if self.threat_stripped.size else False

    def channels(self, shooter: int) -> int:
        """Fire-control channels of a shooter (0: no limit)."""
        return int(self.shooter_channels[shooter]) if self.shooter_channels.size else 0

    def channels_bind(self, shooter: int) -> bool:
        """Whether a shooter's channel limit can ever bind: it has fewer channels than
        the engagements its magazine allows (⌊magazine / salvo⌋, or the magazine with
        partial salvos). Where it cannot, the limit changes nothing."""
        c = self.channels(shooter)
        tier = int(self.shooter_tier[shooter])
        mag = int(self.shooter_magazine[shooter])
        most = mag if self.partial_salvos else mag // int(self.salvo_size[tier])
        return 0 < c < most

    def timed(self, shooter: int) -> bool:
        """Whether the model must keep the shooter's timeline (its channels can bind)."""
        return self.channels_bind(shooter)

    def slots(self, tier: int) -> int:
        """Shot slots per threat in a tier: engagements × salvo size."""
        return int(self.max_engagements[tier] * self.salvo_size[tier])

    def order(self) -> NDArray[np.int64]:
        """Threat indices in engagement order: (priority,) time, then listing order."""
        idx = np.arange(self.n_threats)
        if self.use_priorities:
            prio = self.asset_priority[self.threat_asset]
            return np.lexsort((idx, self.threat_time_s, prio)).astype(np.int64)
        return np.lexsort((idx, self.threat_time_s)).astype(np.int64)


OUTCOMES: dict[str, OutcomeSpec] = {
    "leakers": OutcomeSpec((), "count", "Warheads that reached their aim point"),
    "intercepted": OutcomeSpec(("asset",), "count", "Warheads destroyed, by defended asset"),
    "leaked": OutcomeSpec(("asset",), "count", "Warheads that got through, by defended asset"),
    "expended": OutcomeSpec(("shooter",), "count", "Interceptors fired, by shooter"),
    "expended_tier": OutcomeSpec(("tier",), "count", "Interceptors fired, by tier"),
    "expended_on_decoys": OutcomeSpec((), "count", "Interceptors fired at decoys"),
    "leak_reason": OutcomeSpec(("reason",), "count", "Leakers by reason they got through"),
    "threat_fate": OutcomeSpec(("threat",), "code", "Fate of each threat", codes=FATES),
    "sspk": OutcomeSpec(("interceptor",), "probability", "Single-shot kill probability drawn"),
    "reliability": OutcomeSpec(("interceptor",), "probability", "Interceptor reliability drawn"),
    "sensor_delay_s": OutcomeSpec(("tier",), "s", "Sensor-to-decision delay drawn"),
    "discrimination": OutcomeSpec((), "probability", "Probability a decoy is recognised"),
    "ran_dry": OutcomeSpec(
        ("shooter",), "count", "1 where the shooter ran dry: left with less than a salvo"
    ),
    "ran_dry_s": OutcomeSpec(
        ("shooter",),
        "s",
        "When each shooter ran dry: the fire decision that left it less than a salvo, "
        "seconds after the raid began (missing where it did not)",
    ),
    "shooters_dry": OutcomeSpec((), "count", "Shooters that ran dry in the raid"),
    # with attacker reliability only:
    "failed": OutcomeSpec(
        ("asset",), "count", "Warheads whose missile failed in launch or flight, by asset"
    ),
    "attacker_reliability": OutcomeSpec(
        ("attacker",), "probability", "Attacker missile reliability drawn, by missile class"
    ),
    # with sampled magazines only:
    "magazine": OutcomeSpec(
        ("shooter",), "count", "Interceptors ready at the start of the raid, drawn, by shooter"
    ),
    # with readiness only:
    "ships_on_station": OutcomeSpec(
        (), "count", "BMD ships on station when the raid came, drawn from the readiness"
    ),
    # with geography only:
    "impact_lat_deg": OutcomeSpec(("threat",), "deg", "Where each leaker landed (latitude)"),
    "impact_lon_deg": OutcomeSpec(("threat",), "deg", "Where each leaker landed (longitude)"),
    "cep_km": OutcomeSpec(("missile",), "km", "Circular error probable drawn, by missile type"),
    # an exposure measure, not casualties: a city's whole population counts once any
    # leaker lands within impact_radius_km of its centre
    "population_near_impacts": OutcomeSpec(
        ("asset",),
        "people",
        "People living in cities whose centre lies within the impact radius of a leaker "
        "aimed at each asset (everyone in such a city, not casualties)",
    ),
    "population_near_impacts_total": OutcomeSpec(
        (),
        "people",
        "People living in cities whose centre lies within the impact radius of any leaker, "
        "each city once (not casualties)",
    ),
    # with a casualty estimate only (casualty_area_km2 > 0)
    "expected_casualties": OutcomeSpec(
        ("asset",),
        "people",
        "Expected casualties (lethal-area estimate, if these assumptions hold) from the "
        "leakers aimed at each asset: per leaker, lethal area x unsheltered share x the "
        "population density near its impact point",
    ),
    "expected_casualties_total": OutcomeSpec(
        (),
        "people",
        "Expected casualties (lethal-area estimate, if these assumptions hold) from all leakers",
    ),
}
SAMPLED_MAGAZINE_OUTCOMES = ("magazine",)
READINESS_OUTCOMES = ("ships_on_station",)
ATTACKER_OUTCOMES = ("failed", "attacker_reliability")
GEOGRAPHIC_OUTCOMES = (
    "impact_lat_deg",
    "impact_lon_deg",
    "cep_km",
    "population_near_impacts",
    "population_near_impacts_total",
)
CASUALTY_OUTCOMES = ("expected_casualties", "expected_casualties_total")


@dataclass(frozen=True)
class Draws:
    """Every random number one chunk of trials uses, on a fixed layout.

    ``shot_u[tier][slot]`` is a (T, n) array: the uniform number of shot slot
    ``slot`` (engagement k, shot j → slot k·salvo + j) against each threat in each
    trial. A shot kills when its number is below the trial's effective SSPK.
    """

    sspk: NDArray[np.float64]  # (n, I)
    reliability: NDArray[np.float64]  # (n, I)
    sensor_delay_s: NDArray[np.float64]  # (n, 2)
    discrimination: NDArray[np.float64]  # (n,)
    decoy_u: NDArray[np.float32]  # (n, T)
    shot_u: tuple[tuple[NDArray[np.float32], ...], ...]  # [tier][slot] -> (n, T)
    magazine: NDArray[np.int64] | None = None  # (n, S), with sampled magazines only
    attacker_reliability: NDArray[np.float64] | None = None  # (n, classes)
    arrives: NDArray[np.bool_] | None = None  # (n, T): the object's missile worked
    on_station: NDArray[np.bool_] | None = None  # (n, ships), with readiness only


def draw(inputs: Inputs, rng: np.random.Generator, n_trials: int) -> Draws:
    """Draw all random numbers for ``n_trials`` trials.

    Layout (each a named sub-stream of ``rng``, see :func:`anpo.models.base.substream`),
    keyed by the identity of what it belongs to (:meth:`Inputs.keys`), never by its
    position:

    1. ``sspk/{interceptor}``, ``reliability/{interceptor}`` for each interceptor type:
       one value per trial (system parameters: shared by every shot of that type in
       the trial);
    2. ``sensor_delay/{tier}`` (tier 0 or 1): one value per trial;
    3. ``discrimination``: one value per trial; ``decoy/{threat}``: one uniform per
       trial for each decoy (warheads get 1, never "recognised");
    4. ``shot/{tier}/{slot}/{threat}``: one uniform per trial for each threat and shot
       slot, drawn whether or not the shot is fired;
    5. ``magazine/{shooter}``, with sampled magazines: one value per trial for each
       shooter, rounded to the nearest whole round and kept between 0 and the
       shooter's ``shooter_magazine``;
    6. ``attacker_reliability/{class}``, with attacker reliability: one value per
       trial for each attacker missile class, and ``arrives/{threat}``: one uniform
       per trial for each object, which arrives when it is below its class's value;
    7. ``on_station``, with readiness (``shooter_ship``): the share of ships on station,
       one value per trial, and ``on_station/{ship}``: one uniform per trial for each
       ship, on station when below the share; the magazines of a ship off station are
       emptied for that trial (after step 5).

    Because each purpose and each entity has its own stream, adding, removing or
    reordering threats (a group's count, a new decoy group), interceptor types or
    shot slots changes no other entity's numbers: two variants run on the same seed
    share the random numbers of every entity they have in common.
    """
    n = n_trials
    t = inputs.n_threats

    def per_trial(name: str, dist: Dist) -> NDArray[np.float64]:
        return dist.sample(substream(rng, name), n)

    threats = inputs.keys("threat", t)

    def uniforms(name: str, rows: NDArray[np.bool_] | None = None) -> NDArray[np.float32]:
        """(n, T) uniforms, threat t's column from stream ``name/{key of t}``; threats
        outside ``rows`` get 1."""
        out = np.empty((t, n), dtype=np.float32)
        for k, key in enumerate(threats):
            if rows is None or rows[k]:
                substream(rng, f"{name}/{key}").random(n, dtype=np.float32, out=out[k])
            else:
                out[k] = 1.0
        return out.T

    def per_type(name: str, dists: tuple[Dist, ...]) -> NDArray[np.float64]:
        out = np.empty((n, len(dists)))
        for i, (key, dist) in enumerate(zip(types, dists, strict=True)):
            out[:, i] = per_trial(f"{name}/{key}", dist)
        return out

    types = inputs.keys("interceptor", inputs.n_interceptor_types)

    sspk = per_type("sspk", inputs.sspk)
    rel = per_type("reliability", inputs.reliability)
    delay = np.column_stack(
        [per_trial(f"sensor_delay/{k}", d) for k, d in enumerate(inputs.sensor_delay_s)]
    )
    disc = per_trial("discrimination", inputs.discrimination)
    decoy_u = uniforms("decoy", inputs.threat_is_decoy)
    shot_u = tuple(
        tuple(uniforms(f"shot/{tier}/{slot}") for slot in range(inputs.slots(tier)))
        for tier in (UPPER, LOWER)
    )
    magazine = None
    if inputs.shooter_magazine_dist:
        shooters = inputs.keys("shooter", inputs.n_shooters)
        magazine = np.empty((n, inputs.n_shooters), dtype=np.int64)
        for k, (key, dist) in enumerate(zip(shooters, inputs.shooter_magazine_dist, strict=True)):
            x = np.floor(per_trial(f"magazine/{key}", dist) + 0.5)
            magazine[:, k] = np.clip(x, 0, inputs.shooter_magazine[k])
    att = arrives = None
    if inputs.class_reliability:
        classes = inputs.keys("attacker", len(inputs.class_reliability))
        att = np.empty((n, len(classes)))
        for k, (key, dist) in enumerate(zip(classes, inputs.class_reliability, strict=True)):
            att[:, k] = np.clip(per_trial(f"attacker_reliability/{key}", dist), 0.0, 1.0)
        u = np.empty((t, n))
        for k, key in enumerate(threats):
            substream(rng, f"arrives/{key}").random(n, out=u[k])
        arrives = (u < np.ascontiguousarray(att[:, inputs.threat_class].T)).T
    on_station = None
    if inputs.shooter_ship.size:
        magazine, on_station = _on_station(inputs, rng, n, magazine)
    return Draws(
        on_station=on_station,
        attacker_reliability=att,
        arrives=arrives,
        magazine=magazine,
        sspk=np.clip(sspk, 0.0, 1.0),
        reliability=np.clip(rel, 0.0, 1.0),
        sensor_delay_s=np.maximum(delay, 0.0),
        discrimination=np.clip(disc, 0.0, 1.0),
        decoy_u=decoy_u,
        shot_u=shot_u,
    )


def _on_station(
    inputs: Inputs, rng: np.random.Generator, n: int, magazine: NDArray[np.int64] | None
) -> tuple[NDArray[np.int64], NDArray[np.bool_]]:
    """Which ships are on station in each trial, and the magazines that leaves (step 7
    of :func:`draw`): ship j is on station when ``u_j < share``, both drawn per trial."""
    n_ships = int(inputs.shooter_ship.max()) + 1 if inputs.shooter_ship.size else 0
    share = np.clip(inputs.on_station.sample(substream(rng, "on_station"), n), 0.0, 1.0)
    present = np.empty((n, n_ships), dtype=bool)
    for j, key in enumerate(inputs.keys("ship", n_ships)):
        present[:, j] = substream(rng, f"on_station/{key}").random(n) < share
    if magazine is None:
        magazine = np.repeat(inputs.shooter_magazine[None, :], n, axis=0).astype(np.int64)
    for k, j in enumerate(inputs.shooter_ship):
        if j >= 0:
            magazine[~present[:, j], k] = 0
    return magazine, present


def readiness_outcomes(d: Draws) -> dict[str, NDArray[np.int64]]:
    """``ships_on_station`` per trial, with readiness only."""
    if d.on_station is None:
        return {}
    return {"ships_on_station": d.on_station.sum(axis=1).astype(np.int64)}


def effective_sspk(d: Draws) -> NDArray[np.float32]:
    """Kill probability of one shot in each trial, r·SSPK, per interceptor type.

    Kept in single precision, like the shot uniforms it is compared with.
    """
    return (d.sspk * d.reliability).astype(np.float32)


def latest_delay(inputs: Inputs, shooter: int, threat: int, k: int) -> float:
    """The largest sensor delay that still lets ``shooter`` make engagement ``k`` on ``threat``.

    Engagement k (counting from 0) fits the window when the decision for it, made
    after the sensor delay and k earlier engagements (each of fly-out plus kill
    assessment), still comes before the window closes:

        open + delay + k·engage ≤ close  ⇔  delay ≤ (close − open) − k·engage.

    The number of engagements that fit, ⌊(close − open − delay) / engage⌋ + 1, is
    the number of k for which this holds. A NaN window fits nothing. Where the
    inputs give the earliest useful decision, engagement k also needs
    earliest + k·engage ≤ close (a delay-free limit); otherwise −∞ is returned.
    """
    close = float(inputs.window_close_s[shooter, threat])
    open_ = float(inputs.window_open_s[shooter, threat])
    engage = float(inputs.engage_time_s[shooter, threat])
    earliest = inputs.window_earliest_s
    if k and earliest.size and not float(earliest[shooter, threat]) + k * engage <= close:
        return -math.inf
    return (close - open_) - k * engage


def latest_delays(inputs: Inputs, shooters: NDArray[np.int64], n_looks: int) -> NDArray[np.float64]:
    """:func:`latest_delay` for every engagement k < ``n_looks``, threat and shooter of
    ``shooters``: an array (K, T, shooters), the same float operations on the same
    numbers, element by element (a test checks they agree exactly):

        latest = (close − open) − k·engage, or −∞ where k ≥ 1, the earliest useful
        decision is given and not earliest + k·engage ≤ close.
    """
    close = inputs.window_close_s[shooters].T  # (T, shooters)
    open_ = inputs.window_open_s[shooters].T
    engage = inputs.engage_time_s[shooters].T
    earliest = inputs.window_earliest_s
    out = np.empty((n_looks, *close.shape))
    for k in range(n_looks):
        out[k] = (close - open_) - k * engage
        if k and earliest.size:
            out[k][~(earliest[shooters].T + k * engage <= close)] = -math.inf
    return out
