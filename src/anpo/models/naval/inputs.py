"""Inputs, outcomes and random draws of the surface-action (salvo) model."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from anpo.models.base import OutcomeSpec, frozen_array, substream
from anpo.models.distributions import Dist

ALLIED, PLA = 0, 1
SIDES: tuple[str, ...] = ("allied", "pla")
FIRST_ALLIED, FIRST_PLA, FIRST_SIMULTANEOUS = 0, 1, 2
FIRST: tuple[str, ...] = ("allied", "pla", "simultaneous")
MAX_SALVO = 64  # missiles one ship may fire in one salvo


@dataclass(frozen=True)
class Inputs:
    """A salvo exchange between two heterogeneous groups of ships (S ships, G groups).

    Parameters
    ----------
    ship_group : int[S]
        Group (ship type of one side) of each ship.
    group_side : int[G]
        Side of each group: 0 allied, 1 PLA Navy.
    ship_salvo : int[S]
        Offensive (anti-ship) missiles the ship fires in one salvo.
    ship_missiles : int[S]
        Anti-ship missiles aboard at the start.
    ship_defence : int[S]
        Interceptors the ship can fire in one salvo (its share of the pooled defence).
    ship_interceptors : int[S]
        Interceptors aboard at the start.
    targeting : float[G, G]
        Fraction of a group's missiles aimed at each enemy group (rows sum to 1 over
        enemy groups); re-normalised over enemy groups that still have ships in action.
    p_hit : tuple[Dist, ...]
        Per group: probability that one of its missiles is well aimed (finds and
        homes on a ship if not defeated), drawn once per trial.
    staying_power : tuple[Dist, ...]
        Per group: hits that put one of its ships out of action, drawn once per trial.
    p_soft : tuple[Dist, Dist]
        Per side: probability that its soft kill (decoys, jamming) seduces one
        well-aimed incoming missile.
    sspk : tuple[Dist, Dist]
        Per side: single-shot kill probability of its interceptors against an
        anti-ship missile.
    shots : int[2]
        Per side: interceptors fired at each engaged missile.
    scouting_rate_per_h : float[2]
        Per side: rate at which its scouting gives a targeting solution on the
        enemy (Koopman's W·v/A of its scouts); the first to get one fires first.
    simultaneous_h : float
        When the two sides' solutions come within this many hours, both fire at once.
    n_exchanges : int
        Salvo exchanges fought (the first may be one side's unanswered salvo).
    labels : mapping
        ``ship``, ``group``, ``side``, ``exchange`` names.
    """

    ship_group: NDArray[np.int64]
    group_side: NDArray[np.int64]
    ship_salvo: NDArray[np.int64]
    ship_missiles: NDArray[np.int64]
    ship_defence: NDArray[np.int64]
    ship_interceptors: NDArray[np.int64]
    targeting: NDArray[np.float64]
    p_hit: tuple[Dist, ...]
    staying_power: tuple[Dist, ...]
    p_soft: tuple[Dist, ...]
    sspk: tuple[Dist, ...]
    shots: NDArray[np.int64]
    scouting_rate_per_h: NDArray[np.float64]
    simultaneous_h: float
    n_exchanges: int
    labels: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for name, dtype in (
            ("ship_group", np.int64),
            ("group_side", np.int64),
            ("ship_salvo", np.int64),
            ("ship_missiles", np.int64),
            ("ship_defence", np.int64),
            ("ship_interceptors", np.int64),
            ("targeting", np.float64),
            ("shots", np.int64),
            ("scouting_rate_per_h", np.float64),
        ):
            object.__setattr__(self, name, frozen_array(getattr(self, name), dtype))
        s, g = self.n_ships, self.n_groups
        checks = [
            (bool(np.all((self.ship_group >= 0) & (self.ship_group < g))), "bad group index"),
            (bool(np.all((self.group_side == ALLIED) | (self.group_side == PLA))), "side 0 or 1"),
            (
                all(
                    a.shape == (s,)
                    for a in (
                        self.ship_salvo,
                        self.ship_missiles,
                        self.ship_defence,
                        self.ship_interceptors,
                    )
                ),
                "one salvo, magazine and defence per ship",
            ),
            (bool(np.all((self.ship_salvo >= 0) & (self.ship_salvo <= MAX_SALVO))), "salvo"),
            (
                bool(
                    np.all(self.ship_missiles >= 0)
                    and np.all(self.ship_defence >= 0)
                    and np.all(self.ship_interceptors >= 0)
                ),
                "magazines and defence must be >= 0",
            ),
            (self.targeting.shape == (g, g), "targeting must be groups x groups"),
            (bool(np.all(self.targeting >= 0)), "targeting fractions must be >= 0"),
            (len(self.p_hit) == g and len(self.staying_power) == g, "one p_hit, staying per group"),
            (len(self.p_soft) == 2 and len(self.sspk) == 2, "one p_soft and sspk per side"),
            (self.shots.shape == (2,) and bool(np.all(self.shots >= 1)), "shots >= 1 per side"),
            (
                self.scouting_rate_per_h.shape == (2,)
                and bool(np.all(self.scouting_rate_per_h > 0)),
                "one scouting rate > 0 per side",
            ),
            (self.simultaneous_h >= 0, "simultaneous_h must be >= 0"),
            (self.n_exchanges >= 1, "n_exchanges must be >= 1"),
        ]
        for ok, message in checks:
            if not ok:
                raise ValueError(message)
        for gi in range(g):
            enemy = self.group_side != self.group_side[gi]
            if self.targeting[gi, ~enemy].any():
                raise ValueError(f"group {gi} aims at a group of its own side")

    @property
    def n_ships(self) -> int:
        return int(self.ship_group.shape[0])

    @property
    def n_groups(self) -> int:
        return int(self.group_side.shape[0])

    @property
    def ship_side(self) -> NDArray[np.int64]:
        return np.asarray(self.group_side[self.ship_group], dtype=np.int64)

    def ship_label(self, s: int) -> str:
        names = self.labels.get("ship", ())
        return names[s] if s < len(names) else f"ship{s}"

    def group_label(self, g: int) -> str:
        names = self.labels.get("group", ())
        return names[g] if g < len(names) else f"group{g}"


OUTCOMES: dict[str, OutcomeSpec] = {
    "out_of_action": OutcomeSpec(
        ("exchange", "side"), "count", "Ships put out of action in each salvo exchange, by side"
    ),
    "out_of_action_total": OutcomeSpec(("side",), "count", "Ships out of action at the end"),
    "ship_out_of_action": OutcomeSpec(("ship",), "count", "1 when the ship is out of action"),
    "hits": OutcomeSpec(("side",), "count", "Missile hits taken, by side"),
    "missiles_fired": OutcomeSpec(("side",), "count", "Anti-ship missiles fired, by side"),
    "missiles_left": OutcomeSpec(("side",), "count", "Anti-ship missiles left aboard, by side"),
    "interceptors_fired": OutcomeSpec(("side",), "count", "Interceptors fired, by side"),
    "interceptors_left": OutcomeSpec(("side",), "count", "Interceptors left aboard, by side"),
    "first_to_fire": OutcomeSpec((), "code", "Which side fired first", codes=FIRST),
    "p_hit": OutcomeSpec(("group",), "probability", "Well-aimed probability drawn, by group"),
    "staying_power": OutcomeSpec(("group",), "hits", "Staying power drawn, by group"),
}


@dataclass(frozen=True)
class Draws:
    """Every random number one chunk of trials uses, on a fixed layout.

    The missiles' numbers are drawn on demand by :meth:`missiles`: stream
    ``salvo/{k}/{ship}`` holds, slot after slot, five uniforms per trial (well aimed,
    soft kill, hard kill, target group, target ship), so the first ``m`` slots are
    the same numbers however many slots are drawn. Parameters are (n, G) or (n, 2)
    arrays; ``first_u`` (n, 2).
    """

    p_hit: NDArray[np.float64]
    staying: NDArray[np.float64]
    p_soft: NDArray[np.float64]
    p_kill: NDArray[np.float64]  # per side: 1 − (1 − sspk)^shots, the engagement's kill
    first_u: NDArray[np.float64]
    rng: np.random.Generator
    n: int
    ship_labels: tuple[str, ...]

    def missiles_by_slot(self, k: int, s: int, m: int) -> NDArray[np.float32]:
        """(m, 5, n): the numbers of ship ``s``'s first ``m`` missile slots in exchange ``k``.

        Single precision (steps of 2⁻²⁴ are fine for these probabilities, and they are
        drawn several times faster); every comparison promotes them exactly to double.
        """
        stream = substream(self.rng, f"salvo/{k}/{self.ship_labels[s]}")
        return stream.random((m, 5, self.n), dtype=np.float32)

    def fill_missiles(self, k: int, s: int, out: NDArray[np.float32]) -> None:
        """Write :meth:`missiles_by_slot` for the first ``len(out)`` slots into ``out``."""
        stream = substream(self.rng, f"salvo/{k}/{self.ship_labels[s]}")
        stream.random(dtype=np.float32, out=out)

    def missiles(self, k: int, s: int, m: int) -> NDArray[np.float32]:
        """(n, m, 5): the same numbers, trial first."""
        return np.asarray(self.missiles_by_slot(k, s, m).transpose(2, 0, 1))


def draw(inputs: Inputs, rng: np.random.Generator, n: int) -> Draws:
    """Draw everything from named sub-streams keyed by group, side and ship names."""
    g = inputs.n_groups
    p_hit = np.empty((n, g))
    staying = np.empty((n, g))
    for gi in range(g):
        name = inputs.group_label(gi)
        p_hit[:, gi] = np.clip(inputs.p_hit[gi].sample(substream(rng, f"p_hit/{name}"), n), 0, 1)
        staying[:, gi] = np.maximum(
            inputs.staying_power[gi].sample(substream(rng, f"staying/{name}"), n), 1e-9
        )
    p_soft = np.empty((n, 2))
    p_kill = np.empty((n, 2))
    for side in (ALLIED, PLA):
        p_soft[:, side] = np.clip(
            inputs.p_soft[side].sample(substream(rng, f"p_soft/{SIDES[side]}"), n), 0, 1
        )
        sspk = np.clip(inputs.sspk[side].sample(substream(rng, f"sspk/{SIDES[side]}"), n), 0, 1)
        p_kill[:, side] = 1.0 - (1.0 - sspk) ** int(inputs.shots[side])
    first_u = 1.0 - substream(rng, "scouting").random((n, 2))  # in (0, 1]
    labels = tuple(inputs.ship_label(s) for s in range(inputs.n_ships))
    return Draws(p_hit, staying, p_soft, p_kill, first_u, rng, n, labels)


def first_to_fire(inputs: Inputs, first_u: NDArray[np.float64]) -> NDArray[np.int8]:
    """Who fires first: exponential times −ln(U)/λ to each side's targeting solution."""
    t = -np.log(first_u) / inputs.scouting_rate_per_h[None, :]
    code = np.where(t[:, 0] < t[:, 1], FIRST_ALLIED, FIRST_PLA)
    code = np.where(np.abs(t[:, 0] - t[:, 1]) <= inputs.simultaneous_h, FIRST_SIMULTANEOUS, code)
    return code.astype(np.int8)
