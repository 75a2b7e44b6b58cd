"""The earliest useful decision limits shoot-look-shoot: engagement k needs
earliest + k·engage ≤ close, whatever the sensor delay (a decision earlier only waits)."""

from __future__ import annotations

import dataclasses

import numpy as np

from anpo.models.distributions import Dist
from anpo.models.missile_defense import Inputs, simulate, simulate_reference


def inputs(earliest: float | None) -> Inputs:
    base = Inputs(
        threat_asset=np.zeros(1, dtype=np.int64),
        threat_is_decoy=np.zeros(1, dtype=bool),
        threat_time_s=np.zeros(1),
        asset_priority=np.ones(1, dtype=np.int64),
        shooter_tier=np.array([0]),
        shooter_interceptor=np.array([0]),
        shooter_magazine=np.array([20]),
        window_open_s=np.zeros((1, 1)),
        window_close_s=np.full((1, 1), 100.0),
        engage_time_s=np.full((1, 1), 10.0),
        salvo_size=np.array([1, 1]),
        max_engagements=np.array([6, 1]),
        partial_salvos=False,
        use_priorities=False,
        sspk=(Dist.fixed(0.0),),
        reliability=(Dist.fixed(1.0),),
        sensor_delay_s=(Dist.fixed(5.0), Dist.fixed(0.0)),
        discrimination=Dist.fixed(0.0),
    )
    if earliest is None:
        return base
    return dataclasses.replace(base, window_earliest_s=np.full((1, 1), earliest))


def shots(inp: Inputs, reference: bool = False) -> np.ndarray:
    fn = simulate_reference if reference else simulate
    return fn(inp, np.random.default_rng(np.random.SeedSequence(1)), 50)["expended"][:, 0]


def test_without_an_earliest_decision_the_delay_alone_limits_engagements() -> None:
    # delay 5 s: 5 + 10k <= 100 for k = 0..9, capped by max_engagements = 6
    assert (shots(inputs(None)) == 6).all()


def test_an_earliest_decision_caps_shoot_look_shoot() -> None:
    # earliest 80 s: 80 + 10k <= 100 for k = 0, 1, 2 only
    assert (shots(inputs(80.0)) == 3).all()
    assert (shots(inputs(80.0), reference=True) == 3).all()
    # an earliest decision at the close leaves one engagement
    assert (shots(inputs(100.0)) == 1).all()


def test_array_and_scalar_latest_delays_agree_exactly() -> None:
    """The vectorized model's array of latest delays equals the reference's scalar one,
    windows with NaN (none), with and without an earliest decision, for every k."""
    from anpo.models.missile_defense.inputs import latest_delay, latest_delays

    g = np.random.default_rng(4)
    s, t = 5, 7
    close = g.uniform(20.0, 400.0, (s, t))
    close[g.random((s, t)) < 0.2] = np.nan
    base = dataclasses.replace(
        inputs(None),
        threat_asset=np.zeros(t, dtype=np.int64),
        threat_is_decoy=np.zeros(t, dtype=bool),
        threat_time_s=np.zeros(t),
        shooter_tier=np.zeros(s, dtype=np.int64),
        shooter_interceptor=np.zeros(s, dtype=np.int64),
        shooter_magazine=np.full(s, 8),
        window_open_s=g.uniform(0.0, 20.0, (s, t)),
        window_close_s=close,
        engage_time_s=g.uniform(5.0, 60.0, (s, t)),
    )
    for inp in (base, dataclasses.replace(base, window_earliest_s=g.uniform(0, 300, (s, t)))):
        shooters = np.array([4, 1, 3])
        array = latest_delays(inp, shooters, 4)
        for k in range(4):
            for j in range(t):
                for c, sh in enumerate(shooters.tolist()):
                    want = latest_delay(inp, sh, j, k)
                    got = float(array[k, j, c])
                    assert got == want or (np.isnan(got) and np.isnan(want))
