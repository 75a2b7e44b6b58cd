"""Inputs, outcomes and random draws of the strait-barrier ASW model."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
from numpy.typing import NDArray

from anpo.models.base import OutcomeSpec, frozen_array, substream
from anpo.models.distributions import Dist
from anpo.models.kernels.search import mean_relative_speed_km_h

THROUGH_UNDETECTED, THROUGH_DETECTED, KILLED = 0, 1, 2
FATES: tuple[str, ...] = ("through_undetected", "through_detected", "killed")


@dataclass(frozen=True)
class Inputs:
    """U submarine transits of a strait barrier searched by P groups of ASW platforms.

    Parameters
    ----------
    sub_class : int[U]
        Index of each submarine's class (``labels["class"]``).
    sub_day : int[U]
        Day (0-based) of each transit; transits are taken in day order, then listing order.
    sub_speed_km_h : float[U]
        Transit speed through the barrier.
    class_sweep_factor : tuple[Dist, ...]
        Per class: factor on every platform's sweep width against it (quieting:
        1 for the reference submarine, below 1 for quieter ones), drawn per trial.
    platform_count : int[P]
        Platforms of each group on station in the barrier (time-averaged equivalents).
    platform_sweep_km : float[P]
        Sweep width of one platform against the reference submarine.
    platform_speed_km_h : float[P]
        Search speed of one platform.
    platform_pk : tuple[Dist, ...]
        Per group: probability that its attack on a contact it holds kills the submarine.
    platform_counter : tuple[Dist, ...]
        Per group: probability that the submarine counter-detects the platform first
        and evades (the contact is lost without an attack).
    platform_vulnerable : bool[P]
        Whether a counter-detecting submarine may attack the platform (ships and
        submarines; not aircraft).
    counter_kill : Dist
        Probability that such a counter-attack sinks the platform.
    shipping_sinkings : Dist
        Mean ships sunk by one submarine that got through, over its patrol; the
        number is Poisson with this mean.
    barrier_length_km, barrier_depth_km : float
        Width of the strait searched (across the track) and depth of the band.
    n_days : int
        Days over which the outcomes are counted (every transit day is below it).
    """

    sub_class: NDArray[np.int64]
    sub_day: NDArray[np.int64]
    sub_speed_km_h: NDArray[np.float64]
    class_sweep_factor: tuple[Dist, ...]
    platform_count: NDArray[np.int64]
    platform_sweep_km: NDArray[np.float64]
    platform_speed_km_h: NDArray[np.float64]
    platform_pk: tuple[Dist, ...]
    platform_counter: tuple[Dist, ...]
    platform_vulnerable: NDArray[np.bool_]
    counter_kill: Dist
    shipping_sinkings: Dist
    barrier_length_km: float
    barrier_depth_km: float
    n_days: int
    labels: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for name, dtype in (
            ("sub_class", np.int64),
            ("sub_day", np.int64),
            ("sub_speed_km_h", np.float64),
            ("platform_count", np.int64),
            ("platform_sweep_km", np.float64),
            ("platform_speed_km_h", np.float64),
            ("platform_vulnerable", np.bool_),
        ):
            object.__setattr__(self, name, frozen_array(getattr(self, name), dtype))
        u, p = self.n_subs, self.n_platforms
        checks = [
            (self.sub_day.shape == (u,) and self.sub_speed_km_h.shape == (u,), "one day, speed"),
            (
                bool(
                    np.all((self.sub_class >= 0) & (self.sub_class < len(self.class_sweep_factor)))
                ),
                "bad class index",
            ),
            (bool(np.all(self.sub_speed_km_h > 0)), "sub_speed_km_h must be > 0"),
            (
                bool(np.all((self.sub_day >= 0) & (self.sub_day < self.n_days))),
                "day in 0..n_days-1",
            ),
            (
                all(
                    a.shape == (p,)
                    for a in (
                        self.platform_sweep_km,
                        self.platform_speed_km_h,
                        self.platform_vulnerable,
                    )
                ),
                "one sweep width, speed and vulnerability per platform group",
            ),
            (len(self.platform_pk) == p and len(self.platform_counter) == p, "pk per group"),
            (bool(np.all(self.platform_count >= 0)), "platform_count must be >= 0"),
            (bool(np.all(self.platform_sweep_km >= 0)), "platform_sweep_km must be >= 0"),
            (bool(np.all(self.platform_speed_km_h >= 0)), "platform_speed_km_h must be >= 0"),
            (self.barrier_length_km > 0 and self.barrier_depth_km > 0, "barrier size > 0"),
        ]
        for ok, message in checks:
            if not ok:
                raise ValueError(message)

    @property
    def n_subs(self) -> int:
        return int(self.sub_class.shape[0])

    @property
    def n_platforms(self) -> int:
        return int(self.platform_count.shape[0])

    def label(self, dim: str, i: int) -> str:
        names = self.labels.get(dim, ())
        return names[i] if i < len(names) else f"{dim}{i}"

    def order(self) -> list[int]:
        """Transits in day order, then listing order."""
        return [int(i) for i in np.lexsort((np.arange(self.n_subs), self.sub_day))]

    @cached_property
    def base_rate_per_h(self) -> NDArray[np.float64]:
        """(P, U): Koopman's rate W·v̄/(L·D) of one platform against each transit, factor 1."""
        vbar = mean_relative_speed_km_h(
            self.platform_speed_km_h[:, None], self.sub_speed_km_h[None, :]
        )
        area = self.barrier_length_km * self.barrier_depth_km
        return np.asarray(self.platform_sweep_km[:, None] * vbar / area)

    @cached_property
    def crossing_h(self) -> NDArray[np.float64]:
        """(U,): hours each submarine spends in the barrier band, D / u."""
        return np.asarray(self.barrier_depth_km / self.sub_speed_km_h)


OUTCOMES: dict[str, OutcomeSpec] = {
    "subs_detected": OutcomeSpec((), "count", "Submarines detected at least once in the barrier"),
    "subs_killed": OutcomeSpec((), "count", "Submarines killed in the barrier"),
    "transits": OutcomeSpec((), "count", "Submarines that got through the barrier"),
    "detected_by_day": OutcomeSpec(("day",), "count", "Submarines detected, by day"),
    "killed_by_day": OutcomeSpec(("day",), "count", "Submarines killed, by day"),
    "transits_by_day": OutcomeSpec(("day",), "count", "Submarines through, by day"),
    "detections": OutcomeSpec(("platform",), "count", "Detections, by platform group"),
    "kills": OutcomeSpec(("platform",), "count", "Submarines killed, by platform group"),
    "platforms_lost": OutcomeSpec(("platform",), "count", "Platforms sunk by submarines"),
    "shipping_sunk": OutcomeSpec((), "count", "Ships sunk by submarines that got through"),
    "sub_fate": OutcomeSpec(("sub",), "code", "Fate of each submarine", codes=FATES),
    "platform_pk": OutcomeSpec(("platform",), "probability", "Attack kill probability drawn"),
    "class_sweep_factor": OutcomeSpec(("class",), "", "Sweep-width factor drawn, by class"),
}


@dataclass(frozen=True)
class Draws:
    """Every random number of one chunk: parameters per trial, and per transit the
    standard exponentials of the detection clocks and uniforms of the engagements
    (single precision: drawn faster, and promoted exactly to double wherever used).

    The per-transit arrays are views of transit-major storage: ``clock.transpose(1, 0, 2)``
    is a contiguous (U, n, P) array, and likewise for ``u`` and ``sinkings``."""

    factor: NDArray[np.float64]  # (n, C)
    pk: NDArray[np.float64]  # (n, P)
    counter: NDArray[np.float64]  # (n, P)
    counter_kill: NDArray[np.float64]  # (n,)
    clock: NDArray[np.float32]  # (n, U, P) standard exponentials (single precision)
    u: NDArray[np.float32]  # (n, U, P, 3): counter-detection, kill, counter-kill
    sinkings: NDArray[np.int64]  # (n, U) ships a submarine sinks if it gets through


def draw(inputs: Inputs, rng: np.random.Generator, n: int) -> Draws:
    """Draw everything from sub-streams named by class, platform group and submarine."""
    c, p, u = len(inputs.class_sweep_factor), inputs.n_platforms, inputs.n_subs
    factor = np.empty((n, c))
    for i, dist in enumerate(inputs.class_sweep_factor):
        name = inputs.label("class", i)
        factor[:, i] = np.maximum(dist.sample(substream(rng, f"sweep/{name}"), n), 0.0)
    pk = np.empty((n, p))
    counter = np.empty((n, p))
    for i in range(p):
        name = inputs.label("platform", i)
        pk[:, i] = np.clip(inputs.platform_pk[i].sample(substream(rng, f"pk/{name}"), n), 0, 1)
        counter[:, i] = np.clip(
            inputs.platform_counter[i].sample(substream(rng, f"counter/{name}"), n), 0, 1
        )
    ck = np.clip(inputs.counter_kill.sample(substream(rng, "counter_kill"), n), 0, 1)
    mean = np.maximum(inputs.shipping_sinkings.sample(substream(rng, "shipping_mean"), n), 0)
    # stored transit by transit (each transit's draws land contiguously, straight from
    # the generator); the fields are (n, U, ...) views of these
    clock = np.empty((u, n, p), dtype=np.float32)
    uu = np.empty((u, n, p, 3), dtype=np.float32)
    sinkings = np.empty((u, n), dtype=np.int64)
    for s in range(u):
        name = inputs.label("sub", s)
        stream = substream(rng, f"transit/{name}")
        stream.standard_exponential((n, p), dtype=np.float32, out=clock[s])
        stream.random((n, p, 3), dtype=np.float32, out=uu[s])
        sinkings[s] = substream(rng, f"shipping/{name}").poisson(mean)
    return Draws(
        factor, pk, counter, ck, clock.transpose(1, 0, 2), uu.transpose(1, 0, 2, 3), sinkings.T
    )
