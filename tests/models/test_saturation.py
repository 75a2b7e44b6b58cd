"""Raid timing and saturation: fire-control channels.

An engagement holds one of its shooter's channels from its decision until its kill
assessment (``engage_time_s``); a shooter with every channel held is busy. A busy
shooter's engagement waits until a channel frees, and must still be decided before
its window closes; a threat's later engagements wait with it. A warhead that no shooter could
take because those in time were busy leaks as ``saturated``.

Checks (same seed, so every variant shares its random numbers):

* a tier whose clock never binds gives exactly the results of the untimed model;
* the same raid arriving more compressed in time never leaks fewer warheads;
* leakers rise with raid size and fall with magazine depth;
* with c channels, engagements of E seconds and a window of W seconds from a common
  opening, one shooter can start at most c·(⌊W/E⌋ + 1) engagements on a salvo of
  simultaneous threats (counted exactly, not estimated).
"""

from __future__ import annotations

import dataclasses
import itertools

import numpy as np

from anpo.models.distributions import Dist
from anpo.models.missile_defense import REASONS
from anpo.models.missile_defense.inputs import LEAK_SATURATED

N = 4_000


def _terminal_raid(make_inputs, n_threats=12, spacing_s=0.0, channels=2, magazine=16, **kw):
    """n threats at one asset, the i-th arriving i·spacing later, against two lower-tier
    shooters whose 40 s window opens with each threat's arrival."""
    times = np.arange(n_threats) * spacing_s
    shooters = kw.pop("shooters", [(1, 0, magazine), (1, 0, magazine)])
    s = len(shooters)
    open_ = np.broadcast_to(times, (s, n_threats)).copy()
    inputs = make_inputs(
        n_threats=n_threats,
        shooters=shooters,
        sspk=(Dist("triangular", (0.6, 0.8, 0.9)),),
        reliability=Dist("triangular", (0.85, 0.93, 0.97)),
        salvo=(2, 2),
        window_open_s=open_,
        window_close_s=open_ + 40.0,
        engage_time_s=25.0,
        threat_time_s=times,
        sensor_delay=(Dist.fixed(0.0), Dist("uniform", (0.0, 10.0))),
        **kw,
    )
    return dataclasses.replace(inputs, shooter_channels=np.full(s, channels))


def _mean_se(x):
    x = np.asarray(x, dtype=float)
    return float(x.mean()), float(x.std(ddof=1) / np.sqrt(x.size))


def test_a_clock_that_never_binds_changes_nothing(make_inputs, run):
    """One channel on a shooter that can engage nothing gives its tier a clock; the
    clock's allocation must then equal the untimed model's, array for array."""
    plain = make_inputs(
        n_threats=6,
        decoys=2,
        discrimination=Dist("beta", (2.0, 2.0, 0.0, 1.0)),
        shooters=[(0, 0, 6), (0, 1, 5), (0, 0, 4), (1, 1, 6)],
        sspk=(Dist("beta", (6.0, 3.0, 0.0, 1.0)), Dist.fixed(0.6)),
        salvo=(2, 2),
        max_engagements=(2, 1),
        window_close_s=np.array([[300.0] * 8, [300.0] * 8, [np.nan] * 8, [300.0] * 8]),
        engage_time_s=100.0,
        sensor_delay=(Dist("uniform", (0.0, 150.0)), Dist.fixed(10.0)),
    )
    clocked = dataclasses.replace(plain, shooter_channels=np.array([0, 0, 1, 0]))
    assert clocked.timed(2) and not plain.timed(2)
    a, b = run(plain, 2_000, seed=3), run(clocked, 2_000, seed=3)
    for name in a:
        assert np.array_equal(a[name], b[name], equal_nan=a[name].dtype.kind == "f"), name


def test_simultaneous_threats_saturate_the_channels(make_inputs, run):
    """12 simultaneous threats, two shooters of two channels, 25 s engagements, a 40 s
    window and decisions 0-10 s late: each shooter starts two engagements at once and
    two more when those end, 25 s later, still within the window, but not a third
    pair at 50 s: 8 of 12 at most are engaged."""
    out = run(_terminal_raid(make_inputs, spacing_s=0.0), N, seed=5)
    fates = out["threat_fate"]
    assert np.all((fates == LEAK_SATURATED).sum(axis=1) >= 4)
    assert np.array_equal(
        out["leak_reason"][:, REASONS.index("saturated")], (fates == LEAK_SATURATED).sum(axis=1)
    )
    assert np.all(out["expended"].sum(axis=1) <= 2 * 8)
    spaced = run(_terminal_raid(make_inputs, spacing_s=30.0), N, seed=5)
    assert not np.any(spaced["threat_fate"] == LEAK_SATURATED)


def test_compressing_the_raid_never_lowers_leakers(make_inputs, run):
    """The same 12 threats arriving 40, 20, 10, 5, 2 s apart and all at once: mean
    leakers never fall as the raid is compressed (common random numbers, so the
    differences are exact for this seed, not noise)."""
    means = []
    for spacing in (40.0, 20.0, 10.0, 5.0, 2.0, 0.0):
        out = run(_terminal_raid(make_inputs, spacing_s=spacing), N, seed=6)
        means.append(_mean_se(out["leakers"]))
    values = [m for m, _ in means]
    assert all(b >= a for a, b in itertools.pairwise(values)), means
    # and the compression matters: all at once leaks clearly more than 40 s apart
    (m0, se0), (m1, se1) = means[0], means[-1]
    assert m1 - m0 > 5 * np.hypot(se0, se1)


def test_leakers_rise_with_raid_size_and_fall_with_magazine_depth(make_inputs, run):
    """Simultaneous raids of 4, 8, 12, 16 threats; magazines of 4, 8, 16 rounds."""
    by_size = [
        _mean_se(run(_terminal_raid(make_inputs, n_threats=n), N, seed=7)["leakers"])[0]
        for n in (4, 8, 12, 16)
    ]
    assert all(b > a for a, b in itertools.pairwise(by_size)), by_size
    # spaced out, so that magazines rather than channels bind
    by_magazine = [
        _mean_se(
            run(_terminal_raid(make_inputs, spacing_s=30.0, magazine=m), N, seed=8)["leakers"]
        )[0]
        for m in (4, 8, 16)
    ]
    assert all(b < a for a, b in itertools.pairwise(by_magazine)), by_magazine


def test_more_channels_never_leak_more(make_inputs, run):
    """One, two and four channels a shooter on the simultaneous raid."""
    means = [
        _mean_se(run(_terminal_raid(make_inputs, channels=c), N, seed=9)["leakers"])[0]
        for c in (1, 2, 4)
    ]
    assert means[0] > means[1] > means[2], means


def test_light_decoys_never_reach_the_lower_tier(make_inputs, run):
    """Re-entry strips light decoys: with the lower tier alone, none is ever engaged,
    and the rounds saved go to the warheads (no more leakers in any trial)."""
    from anpo.models.missile_defense.inputs import DECOY_ENGAGED

    heavy = make_inputs(
        n_threats=4,
        decoys=6,
        discrimination=0.2,
        shooters=[(1, 0, 8), (1, 0, 8)],
        sspk=(Dist.fixed(0.7),),
        salvo=(2, 2),
        window_close_s=60.0,
        engage_time_s=25.0,
    )
    light = dataclasses.replace(heavy, threat_stripped=heavy.threat_is_decoy)
    a, b = run(heavy, N, seed=11), run(light, N, seed=11)
    assert np.any(a["threat_fate"][:, :6] == DECOY_ENGAGED)
    assert not np.any(b["threat_fate"][:, :6] == DECOY_ENGAGED)
    assert np.all(b["expended_on_decoys"] == 0)
    assert np.all(b["leakers"] <= a["leakers"])
    assert b["leakers"].mean() < a["leakers"].mean()
