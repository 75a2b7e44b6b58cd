"""Random streams of the missile-defence model: reproducible, stable and coupled.

Reference: D. A. Wilkening, "A Simple Model for Calculating Ballistic Missile Defense
Effectiveness", *Science & Global Security* 8(2), 1999, pp. 183–215.

Equations checked. A shot at threat t in tier i, slot j (engagement k, shot m,
j = k·n + m) kills when

    U[i, j, t] < r·SSPK,

with one uniform U per slot drawn on a fixed layout whether or not the shot is fired,
and r, SSPK, the sensor delays and the decoy-discrimination probability drawn once
per trial (Wilkening's system-level uncertainty). Each purpose and each entity (a
threat, an interceptor type, named by its label) has its own named sub-stream,
``SeedSequence(entropy, spawn_key=parent + (crc32(name),))``, so

* the same seed gives the same outcomes;
* appending a threat, adding shot slots, adding an interceptor type, reordering
  threats or changing one interceptor type's SSPK distribution leaves every other
  draw unchanged (common random numbers);
* with a fixed SSPK raised from p₁ to p₂ > p₁, {U < p₁} ⊆ {U < p₂} shot by shot,
  so with ample magazines every trial has no more leakers at p₂ than at p₁.
"""

from __future__ import annotations

import dataclasses
import zlib

import numpy as np
import pytest

from anpo.models.base import stream_key, substream
from anpo.models.distributions import Dist
from anpo.models.missile_defense import draw
from anpo.models.missile_defense.inputs import (
    KILLED_LOWER,
    KILLED_UPPER,
    LEAK_MISSED,
    MAX_MAGAZINE,
)

AMPLE = MAX_MAGAZINE  # the largest magazine Inputs accepts: never runs out here


def _raid(make_inputs, n_threats=4, decoys=2, sspk=None, **kw):
    """A two-tier raid with decoys and random system parameters, every stream in use."""
    defaults = {
        "shooters": [(0, 0, 9), (0, 1, 7), (1, 1, 8)],
        "sspk": sspk or (Dist("beta", (6.0, 3.0, 0.0, 1.0)), Dist("uniform", (0.5, 0.9))),
        "reliability": Dist("triangular", (0.8, 0.95, 1.0)),
        "salvo": (2, 1),
        "max_engagements": (2, 3),
        "window_close_s": 300.0,
        "engage_time_s": 100.0,
        "sensor_delay": (Dist("uniform", (0.0, 150.0)), Dist("normal", (20.0, 10.0, 0.0, 60.0))),
        "discrimination": Dist("beta", (2.0, 3.0, 0.0, 1.0)),
    }
    defaults.update(kw)
    return make_inputs(n_threats=n_threats, decoys=decoys, **defaults)


def _all_equal(a: dict, b: dict) -> bool:
    return set(a) == set(b) and all(
        np.array_equal(a[k], b[k], equal_nan=a[k].dtype.kind == "f") for k in a
    )


def test_same_seed_same_outcomes(make_inputs, run):
    """Two runs on the same seed are identical; a different seed gives different trials."""
    inputs = _raid(make_inputs)
    first, second = run(inputs, 2_000, seed=5), run(inputs, 2_000, seed=5)
    assert _all_equal(first, second)
    other = run(inputs, 2_000, seed=6)
    assert not np.array_equal(first["threat_fate"], other["threat_fate"])
    assert not np.array_equal(first["sspk"], other["sspk"])


def test_appending_a_threat_keeps_earlier_draws(make_inputs, make_rng):
    """Each threat has its own streams: appending one changes no earlier number (decoy
    uniforms, every shot slot, and all per-trial parameters)."""
    n = 3_000
    short = draw(_raid(make_inputs, n_threats=4), make_rng(8), n)
    long = draw(_raid(make_inputs, n_threats=5), make_rng(8), n)
    t = 6  # 2 decoys + 4 warheads
    assert long.decoy_u.shape == (n, t + 1)
    assert np.array_equal(long.decoy_u[:, :t], short.decoy_u)
    assert len(long.shot_u) == len(short.shot_u) == 2
    for tier in (0, 1):
        assert len(long.shot_u[tier]) == len(short.shot_u[tier])
        pairs = zip(long.shot_u[tier], short.shot_u[tier], strict=True)
        for slot, (u_long, u_short) in enumerate(pairs):
            assert np.array_equal(u_long[:, :t], u_short), f"tier {tier} slot {slot}"
    for name in ("sspk", "reliability", "sensor_delay_s", "discrimination"):
        assert np.array_equal(getattr(long, name), getattr(short, name)), name


def test_appending_a_threat_keeps_earlier_fates(make_inputs, run):
    """With ample magazines earlier threats meet the same fate when one is appended."""
    kw = {"shooters": [(0, 0, AMPLE), (0, 1, AMPLE), (1, 1, AMPLE)]}
    short = run(_raid(make_inputs, n_threats=4, **kw), 5_000, seed=9)
    long = run(_raid(make_inputs, n_threats=5, **kw), 5_000, seed=9)
    assert np.array_equal(long["threat_fate"][:, :6], short["threat_fate"])
    assert np.all(long["leakers"] >= short["leakers"])


def test_reordering_threats_permutes_their_draws(make_inputs, make_rng):
    """Streams follow a threat's label, not its place in the list."""

    n = 1_000
    inputs = _raid(make_inputs, n_threats=4)
    perm = np.array([5, 2, 0, 4, 1, 3])
    labels = dict(inputs.labels)
    labels["threat"] = tuple(inputs.labels["threat"][i] for i in perm)
    moved = dataclasses.replace(
        inputs,
        threat_asset=inputs.threat_asset[perm],
        threat_is_decoy=inputs.threat_is_decoy[perm],
        threat_time_s=inputs.threat_time_s[perm],
        labels=labels,
    )
    a, b = draw(inputs, make_rng(4), n), draw(moved, make_rng(4), n)
    assert np.array_equal(a.decoy_u[:, perm], b.decoy_u)
    for tier in (0, 1):
        for u, v in zip(a.shot_u[tier], b.shot_u[tier], strict=True):
            assert np.array_equal(u[:, perm], v)


def test_a_new_interceptor_type_keeps_the_others_draws(make_inputs, make_rng):
    """Interceptor types are keyed by name: one listed before the others shifts their
    index, not their numbers."""

    n = 2_000
    two = _raid(make_inputs)
    labels = dict(two.labels)
    labels["interceptor"] = ("type-new", *two.labels["interceptor"])
    three = dataclasses.replace(
        two,
        shooter_interceptor=two.shooter_interceptor + 1,
        sspk=(Dist.fixed(0.5), *two.sspk),
        reliability=(Dist("uniform", (0.5, 1.0)), *two.reliability),
        labels=labels,
    )
    a, b = draw(two, make_rng(3), n), draw(three, make_rng(3), n)
    assert np.array_equal(a.sspk, b.sspk[:, 1:])
    assert np.array_equal(a.reliability, b.reliability[:, 1:])


def test_more_shot_slots_keep_existing_slots(make_inputs, make_rng):
    """Raising max engagements adds slot streams and leaves the existing slots unchanged."""
    few = draw(_raid(make_inputs, max_engagements=(1, 1)), make_rng(10), 1_000)
    many = draw(_raid(make_inputs, max_engagements=(3, 2)), make_rng(10), 1_000)
    assert [len(s) for s in few.shot_u] == [2, 1]
    assert [len(s) for s in many.shot_u] == [6, 2]
    for tier in (0, 1):
        for slot, u in enumerate(few.shot_u[tier]):
            assert np.array_equal(many.shot_u[tier][slot], u)


def test_changing_one_sspk_keeps_other_draws(make_inputs, make_rng):
    """Common random numbers: a new SSPK distribution for type 0 changes only sspk[:, 0]."""
    n = 3_000
    base = draw(
        _raid(make_inputs, sspk=(Dist("beta", (6.0, 3.0, 0.0, 1.0)), Dist.fixed(0.7))),
        make_rng(11),
        n,
    )
    changed = draw(
        _raid(make_inputs, sspk=(Dist("normal", (0.8, 0.1, 0.0, 1.0)), Dist.fixed(0.7))),
        make_rng(11),
        n,
    )
    assert not np.array_equal(base.sspk[:, 0], changed.sspk[:, 0])
    assert np.array_equal(base.sspk[:, 1], changed.sspk[:, 1])
    for name in ("reliability", "sensor_delay_s", "discrimination", "decoy_u"):
        assert np.array_equal(getattr(base, name), getattr(changed, name)), name
    for tier in (0, 1):
        for u_base, u_changed in zip(base.shot_u[tier], changed.shot_u[tier], strict=True):
            assert np.array_equal(u_base, u_changed)


@pytest.mark.parametrize(("p_low", "p_high"), [(0.4, 0.6), (0.2, 0.9), (0.5, 0.5000001)])
def test_raising_sspk_never_adds_leakers(make_inputs, run, p_low, p_high):
    """Monotone coupling: {U < p₁} ⊆ {U < p₂}, so leakers(p₂) ≤ leakers(p₁) in every trial."""

    def raid(p):
        return make_inputs(
            n_threats=6,
            shooters=[(0, 0, AMPLE), (0, 0, AMPLE), (1, 0, AMPLE)],
            sspk=(Dist.fixed(p),),
            reliability=0.9,
            salvo=(1, 2),
            max_engagements=(2, 1),
            window_close_s=150.0,
            engage_time_s=100.0,
        )

    low, high = run(raid(p_low), 20_000, seed=12), run(raid(p_high), 20_000, seed=12)
    assert np.all(high["leakers"] <= low["leakers"])
    # Threat by threat: a threat killed at p₁ is killed at p₂, in the same tier or earlier.
    killed_low = low["threat_fate"] != LEAK_MISSED
    killed_high = high["threat_fate"] != LEAK_MISSED
    assert np.all(killed_high[killed_low])
    upper_low = low["threat_fate"] == KILLED_UPPER
    assert np.all(high["threat_fate"][upper_low] == KILLED_UPPER)
    lower_low = low["threat_fate"] == KILLED_LOWER
    assert np.all(np.isin(high["threat_fate"][lower_low], [KILLED_UPPER, KILLED_LOWER]))
    if p_high - p_low > 0.1:
        assert high["leakers"].sum() < low["leakers"].sum()


def test_substream_depends_only_on_seed_and_name(make_rng):
    """substream(G, name) is fixed by G's seed and the name, not by earlier draws."""
    fresh = substream(make_rng(13), "shot/0/1").random(8)

    used = make_rng(13)
    used.random(1_000)
    substream(used, "sspk/0").random(50)
    substream(used, "shot/0/1").random(3)
    assert np.array_equal(substream(used, "shot/0/1").random(8), fresh)

    assert not np.array_equal(substream(make_rng(13), "shot/0/2").random(8), fresh)
    assert not np.array_equal(substream(make_rng(14), "shot/0/1").random(8), fresh)
    # Not the parent stream either.
    assert not np.array_equal(make_rng(13).random(8), fresh)


def test_substream_key_layout(make_rng):
    """The child is SeedSequence(entropy, spawn_key=parent_key + (crc32(name),))."""
    assert stream_key("decoy") == zlib.crc32(b"decoy")
    child = substream(make_rng(15), "decoy").bit_generator.seed_seq
    assert child.entropy == 15
    assert child.spawn_key == (zlib.crc32(b"decoy"),)
    # A generator spawned from the seed sequence keeps its own key in front.
    spawned = np.random.default_rng(np.random.SeedSequence(15).spawn(2)[1])
    grandchild = substream(spawned, "decoy").bit_generator.seed_seq
    assert grandchild.spawn_key == (1, zlib.crc32(b"decoy"))
    expected = np.random.default_rng(
        np.random.SeedSequence(15, spawn_key=(1, zlib.crc32(b"decoy")))
    ).random(4)
    assert np.array_equal(substream(spawned, "decoy").random(4), expected)


def test_substream_needs_a_seed_sequence():
    """A generator without a SeedSequence (legacy seeding) is refused with TypeError."""
    legacy = np.random.Generator(np.random.RandomState(3)._bit_generator)
    with pytest.raises(TypeError, match="SeedSequence"):
        substream(legacy, "decoy")
