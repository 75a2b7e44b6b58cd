"""Magazines drawn from their ranges, once per trial per shooter.

A shooter's magazine is X rounded to the nearest whole round, kept between 0 and the
shooter's cap (``shooter_magazine``), X drawn from its distribution on the stream
``magazine/{shooter}``. For X ~ triangular(a, c, b),

    P(magazine = k) = F(k + ½) − F(k − ½),   F the triangular CDF,

(with the ends of the support folded into the extreme values), checked here within
five Monte Carlo standard errors. The stream is keyed by the shooter's label, so
reordering shooters permutes their magazines and leaves each one's draws unchanged.
"""

from __future__ import annotations

import dataclasses

import numpy as np

from anpo.models.distributions import Dist
from anpo.models.missile_defense import draw


def _tri_cdf(x: float, a: float, c: float, b: float) -> float:
    if x <= a:
        return 0.0
    if x >= b:
        return 1.0
    if x <= c:
        return (x - a) ** 2 / ((b - a) * (c - a))
    return 1.0 - (b - x) ** 2 / ((b - a) * (b - c))


def _sampled(make_inputs, dists, cap):
    inputs = make_inputs(n_threats=4, shooters=[(0, 0, c) for c in cap], sspk=(Dist.fixed(0.8),))
    return dataclasses.replace(inputs, shooter_magazine_dist=tuple(dists))


def test_magazine_is_the_rounded_draw_within_the_cap(make_inputs, make_rng, mc_mean):
    n = 40_000
    inputs = _sampled(
        make_inputs, [Dist("triangular", (6.0, 8.0, 9.0)), Dist("uniform", (0.0, 20.0))], [9, 12]
    )
    d = draw(inputs, make_rng(21), n)
    assert d.magazine is not None and d.magazine.shape == (n, 2)
    first, second = d.magazine[:, 0], d.magazine[:, 1]
    assert set(np.unique(first).tolist()) <= {6, 7, 8, 9}
    for k in (6, 7, 8, 9):
        p = _tri_cdf(k + 0.5, 6, 8, 9) - _tri_cdf(k - 0.5, 6, 8, 9)
        mc_mean(first == k, p, what=f"P(magazine = {k})")
    # uniform(0, 20) capped at 12: P(12) = P(X >= 11.5) = 8.5 / 20
    assert second.min() == 0 and second.max() == 12
    mc_mean(second == 12, 8.5 / 20, what="P(capped)")


def test_expended_never_exceeds_the_drawn_magazine(make_inputs, run):
    inputs = _sampled(
        make_inputs, [Dist("uniform", (0.0, 6.0)), Dist("triangular", (1.0, 2.0, 4.0))], [6, 4]
    )
    inputs = dataclasses.replace(inputs, salvo_size=np.array([2, 1]), partial_salvos=True)
    out = run(inputs, 5_000, seed=22)
    assert np.all(out["expended"] <= out["magazine"])
    assert np.any(out["expended"] < inputs.shooter_magazine)


def test_magazine_streams_follow_the_shooter(make_inputs, make_rng):
    dists = [Dist("uniform", (0.0, 9.0)), Dist("uniform", (2.0, 12.0)), Dist.fixed(3.0)]
    inputs = _sampled(make_inputs, dists, [9, 12, 3])
    perm = [2, 0, 1]
    labels = dict(inputs.labels)
    labels["shooter"] = tuple(inputs.labels["shooter"][i] for i in perm)
    moved = dataclasses.replace(
        inputs,
        shooter_tier=inputs.shooter_tier[perm],
        shooter_interceptor=inputs.shooter_interceptor[perm],
        shooter_magazine=inputs.shooter_magazine[perm],
        window_open_s=inputs.window_open_s[perm],
        window_close_s=inputs.window_close_s[perm],
        engage_time_s=inputs.engage_time_s[perm],
        shooter_magazine_dist=tuple(dists[i] for i in perm),
        labels=labels,
    )
    a, b = draw(inputs, make_rng(23), 2_000), draw(moved, make_rng(23), 2_000)
    assert a.magazine is not None and b.magazine is not None
    assert np.array_equal(a.magazine[:, perm], b.magazine)
