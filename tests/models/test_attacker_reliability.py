"""Attacker reliability: missiles that fail in launch or flight before the defence engages.

Per attacker missile class a reliability r is drawn once per trial, and each object
arrives when its own uniform is below its class's r (its decoys too). With no
defence, leakers are the warheads that arrive, so

    E[leakers] = Σ_t E[r_class(t)],   P(no leaker) = E[(1 − r)^N] for N warheads of one class,

checked within five Monte Carlo standard errors. A failed warhead is neither leaked
nor intercepted (outcome ``failed``), never draws an interceptor, and lands nowhere.
"""

from __future__ import annotations

import dataclasses

import numpy as np

from anpo.models.distributions import Dist
from anpo.models.missile_defense.inputs import FAILED

N = 40_000


def _raid(make_inputs, shooters, reliability):
    inputs = make_inputs(n_threats=5, shooters=shooters, sspk=(Dist.fixed(0.9),), salvo=(2, 2))
    labels = dict(inputs.labels) | {"attacker": ("nodong",)}
    return dataclasses.replace(
        inputs,
        threat_class=np.zeros(5, dtype=np.int64),
        class_reliability=(reliability,),
        labels=labels,
    )


def test_undefended_leakers_are_the_missiles_that_work(make_inputs, run, mc_mean):
    r = Dist("uniform", (0.6, 1.0))
    out = run(_raid(make_inputs, [(0, 0, 0)], r), N, seed=31)
    mc_mean(out["leakers"], 5 * 0.8, what="E[leakers]")
    # E[(1 - r)^5] for r ~ U(0.6, 1): ∫ (1 - r)^5 dr / 0.4 = 0.4^6 / 6 / 0.4
    mc_mean(out["leakers"] == 0, 0.4**5 / 6, what="P(no leaker)")
    assert np.array_equal(out["failed"].sum(axis=1), (out["threat_fate"] == FAILED).sum(axis=1))
    assert np.all(out["intercepted"] == 0)


def test_failed_missiles_draw_no_interceptors(make_inputs, run):
    works = _raid(make_inputs, [(0, 0, 500)], Dist.fixed(1.0))
    fails = _raid(make_inputs, [(0, 0, 500)], Dist.fixed(0.5))
    a, b = run(works, N, seed=32), run(fails, N, seed=32)
    assert not np.any(a["threat_fate"] == FAILED)
    failed = (b["threat_fate"] == FAILED).sum(axis=1)
    assert np.all(b["expended"][:, 0] <= a["expended"][:, 0])
    assert np.all(a["expended"][:, 0] - b["expended"][:, 0] >= 2 * failed)
    # a threat that arrives meets the fate it meets when every missile works
    arrived = b["threat_fate"] != FAILED
    assert np.array_equal(a["threat_fate"][arrived], b["threat_fate"][arrived])
