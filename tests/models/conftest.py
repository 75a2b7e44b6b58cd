"""Fixtures for the tests of :mod:`anpo.models`.

The missile-defence tests build small, hand-checkable raids with :func:`build_inputs`
(the ``make_inputs`` fixture), run them with :func:`run_model` (the ``run`` fixture)
and compare Monte Carlo estimates with closed forms from D. A. Wilkening, "A Simple
Model for Calculating Ballistic Missile Defense Effectiveness", *Science & Global
Security* 8(2), 1999, pp. 183–215, with :func:`assert_mc_mean` (the ``mc_mean``
fixture), whose tolerance is a stated multiple of the Monte Carlo standard error.

The fixtures hand out plain functions (session scope), so that they also serve
``hypothesis`` tests, which must not use function-scoped fixtures.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import pytest
from numpy.typing import ArrayLike, NDArray

from anpo.models.distributions import Dist
from anpo.models.missile_defense import REASONS, Inputs, simulate, simulate_reference
from anpo.models.missile_defense.inputs import MAX_MAGAZINE

Shooter = tuple[int, int, int]  # (tier, interceptor index, magazine)


def build_inputs(
    n_threats: int = 1,
    shooters: Sequence[Shooter] = ((0, 0, MAX_MAGAZINE),),
    sspk: Sequence[Dist] = (Dist.fixed(1.0),),
    reliability: Sequence[Dist] | Dist | float | None = None,
    salvo: tuple[int, int] = (1, 1),
    max_engagements: tuple[int, int] = (1, 1),
    window_open_s: ArrayLike = 0.0,
    window_close_s: ArrayLike = 1000.0,
    engage_time_s: ArrayLike = 100.0,
    sensor_delay: tuple[Dist, Dist] = (Dist.fixed(0.0), Dist.fixed(0.0)),
    decoys: int = 0,
    discrimination: Dist | float = 0.0,
    partial_salvos: bool = False,
    use_priorities: bool = False,
    assets: int = 1,
    asset_priority: Sequence[int] | None = None,
    threat_asset: Sequence[int] | None = None,
    threat_time_s: Sequence[float] | None = None,
) -> Inputs:
    """A missile-defence :class:`Inputs` for a small test raid.

    Parameters
    ----------
    n_threats
        Number of warheads.
    shooters
        One ``(tier, interceptor_index, magazine)`` per shooter, tier 0 upper, 1 lower
        (default: one upper-tier shooter with the largest magazine ``Inputs`` accepts).
    sspk, reliability
        One :class:`Dist` per interceptor type; ``reliability`` may also be one
        ``Dist`` or number for every type (default: 1, every interceptor works).
    salvo, max_engagements
        Per tier (upper, lower).
    window_open_s, window_close_s, engage_time_s
        Scalars (same for every shooter and threat) or ``(S, T)`` arrays.
    sensor_delay
        Per tier.
    decoys
        Number of decoys, listed before the warheads (threats ``0 .. decoys-1``).
    discrimination
        Probability that a decoy is recognised (a ``Dist`` or a number).
    assets, asset_priority, threat_asset, threat_time_s
        Defended assets (priority default 1, 2, ...), the asset each threat (decoys
        first) is aimed at (default 0) and the engagement-order key (default 0, so
        listing order decides).
    """
    t = decoys + n_threats
    s = len(shooters)
    n_types = len(sspk)
    if reliability is None:
        reliability = 1.0
    if isinstance(reliability, (int, float)):
        reliability = Dist.fixed(float(reliability))
    if isinstance(reliability, Dist):
        reliability = (reliability,) * n_types
    if isinstance(discrimination, (int, float)):
        discrimination = Dist.fixed(float(discrimination))

    def grid(x: ArrayLike) -> NDArray[np.float64]:
        return np.broadcast_to(np.asarray(x, dtype=np.float64), (s, t)).copy()

    return Inputs(
        threat_asset=np.zeros(t, dtype=np.int64) if threat_asset is None else threat_asset,
        threat_is_decoy=np.arange(t) < decoys,
        threat_time_s=np.zeros(t) if threat_time_s is None else threat_time_s,
        asset_priority=np.arange(1, assets + 1) if asset_priority is None else asset_priority,
        shooter_tier=np.array([x[0] for x in shooters], dtype=np.int64),
        shooter_interceptor=np.array([x[1] for x in shooters], dtype=np.int64),
        shooter_magazine=np.array([x[2] for x in shooters], dtype=np.int64),
        window_open_s=grid(window_open_s),
        window_close_s=grid(window_close_s),
        engage_time_s=grid(engage_time_s),
        salvo_size=np.array(salvo),
        max_engagements=np.array(max_engagements),
        partial_salvos=partial_salvos,
        use_priorities=use_priorities,
        sspk=tuple(sspk),
        reliability=tuple(reliability),
        sensor_delay_s=tuple(sensor_delay),
        discrimination=discrimination,
        labels={
            "threat": tuple(f"{'decoy' if i < decoys else 'warhead'}-{i}" for i in range(t)),
            "shooter": tuple(f"shooter-{i}" for i in range(s)),
            "asset": tuple(f"asset-{i}" for i in range(assets)),
            "interceptor": tuple(f"type-{i}" for i in range(n_types)),
            "tier": ("upper", "lower"),
            "reason": REASONS,
        },
    )


def rng_for(seed: int) -> np.random.Generator:
    """The generator the engine would hand a model: ``default_rng(SeedSequence(seed))``."""
    return np.random.default_rng(np.random.SeedSequence(seed))


def run_model(
    inputs: Inputs, n_trials: int, seed: int = 20240601, reference: bool = False
) -> dict[str, NDArray[Any]]:
    """Run the vectorized model (or the per-trial reference) on a fresh seeded generator."""
    fn = simulate_reference if reference else simulate
    return fn(inputs, rng_for(seed), n_trials)


def assert_mc_mean(
    samples: ArrayLike, expected: float, n_se: float = 5.0, what: str = "estimate"
) -> tuple[float, float]:
    """Assert that the mean of ``samples`` is within ``n_se`` standard errors of ``expected``.

    The standard error is the sample standard deviation over √n. Returns
    ``(mean, standard error)`` so a test can make further claims with them.
    """
    x = np.asarray(samples, dtype=np.float64)
    mean = float(x.mean())
    se = float(x.std(ddof=1) / np.sqrt(x.size))
    assert se > 0.0, f"{what}: zero sample variance, a Monte Carlo comparison is meaningless"
    assert abs(mean - expected) <= n_se * se, (
        f"{what}: Monte Carlo mean {mean:.6g} differs from the closed form {expected:.6g} "
        f"by {abs(mean - expected) / se:.2f} standard errors (SE {se:.3g}, allowed {n_se})"
    )
    return mean, se


@pytest.fixture(scope="session")
def make_inputs() -> Callable[..., Inputs]:
    """The :func:`build_inputs` builder."""
    return build_inputs


@pytest.fixture(scope="session")
def run() -> Callable[..., dict[str, NDArray[Any]]]:
    """The :func:`run_model` runner."""
    return run_model


@pytest.fixture(scope="session")
def mc_mean() -> Callable[..., tuple[float, float]]:
    """The :func:`assert_mc_mean` Monte Carlo check."""
    return assert_mc_mean


@pytest.fixture(scope="session")
def make_rng() -> Callable[[int], np.random.Generator]:
    """The :func:`rng_for` generator factory."""
    return rng_for
