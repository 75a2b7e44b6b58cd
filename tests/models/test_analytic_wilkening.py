"""The missile-defence model reproduces Wilkening's closed forms within Monte Carlo error.

Reference: D. A. Wilkening, "A Simple Model for Calculating Ballistic Missile Defense
Effectiveness", *Science & Global Security* 8(2), 1999, pp. 183–215.

Equations checked (p the single-shot kill probability, r the reliability, n shots
per engagement, N threats; "p" below is the effective r·p where r appears):

* Salvo doctrine, ample magazines (Wilkening §2): a threat leaks with probability
  q = (1 − r·p)^n; E[leakers] = N·q; P(no leaker) = (1 − q)^N; exactly n·N
  interceptors are fired.
* Two tiers in series: P(leak) = ∏_i (1 − p_i)^(n_i); the lower tier fires only at
  upper-tier survivors, E[lower-tier interceptors] = n_2·N·(1 − p_1)^(n_1).
* Shoot-look-shoot with k looks of n shots (§3): P(leak) = (1 − p)^(n·k), the same as
  one salvo of n·k shots, at E[interceptors per threat] = n·Σ_{j<k} (1 − p)^(n·j) < n·k.
* Correlated kill probability (Wilkening's central point): when p is uncertain and
  shared by every shot of a trial, p ~ Beta(a, b), E[leakers] = N·B(a, b + n)/B(a, b)
  and P(no leaker) = ∫ (1 − (1 − p)^n)^N Beta(p; a, b) dp, which is not
  (1 − (1 − E p)^n)^N.
* Finite magazines (M interceptors, salvo n): ⌊M/n⌋ threats are engaged with full
  salvos only, one more (of M mod n shots) with partial salvos.
* Windows: engagements that fit = ⌊(W − δ)/E⌋ + 1, none when δ > W.
* Decoys, the allocation rule and asset priorities, exactly on deterministic cases.

Every Monte Carlo comparison uses a fixed seed and a tolerance of 5 standard errors
(sample standard deviation / √n_trials), see ``assert_mc_mean`` in ``conftest.py``.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy.integrate import quad
from scipy.special import beta as beta_fn
from scipy.stats import beta as beta_dist

from anpo.models.distributions import Dist
from anpo.models.missile_defense.inputs import (
    DECOY_ENGAGED,
    DECOY_IGNORED,
    DECOY_UNENGAGED,
    KILLED_LOWER,
    KILLED_UPPER,
    LEAK_DECOY_EXHAUSTED,
    LEAK_MAGAZINE_EMPTY,
    LEAK_MISSED,
    LEAK_NO_SHOOTER,
    MAX_MAGAZINE,
    MAX_SHOOTERS,
    REASONS,
)

N_SE = 5.0  # Monte Carlo tolerance, in standard errors
MISSED, NO_SHOOTER, MAGAZINE_EMPTY, DECOY_EXHAUSTED = (
    REASONS.index(r) for r in ("missed", "no_shooter", "magazine_empty", "decoy_exhausted")
)
AMPLE = MAX_MAGAZINE  # the largest magazine Inputs accepts: never runs out here


# --- salvo doctrine ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("p", "r", "n", "n_threats"),
    [(0.7, 0.9, 2, 4), (0.5, 1.0, 3, 6), (0.85, 0.95, 1, 8)],
)
def test_salvo_doctrine(make_inputs, run, mc_mean, p, r, n, n_threats):
    """q = (1 − r·p)^n per threat, E[leakers] = N·q, P(no leaker) = (1 − q)^N, n·N fired."""
    inputs = make_inputs(
        n_threats=n_threats,
        shooters=[(0, 0, AMPLE)],
        sspk=(Dist.fixed(p),),
        reliability=r,
        salvo=(n, 1),
    )
    out = run(inputs, 50_000, seed=11)
    q = (1.0 - r * p) ** n

    leaked = out["threat_fate"] != KILLED_UPPER  # (trials, threats)
    for t in range(n_threats):
        mc_mean(leaked[:, t], q, N_SE, f"P(threat {t} leaks)")
    mc_mean(out["leakers"], n_threats * q, N_SE, "E[leakers]")
    mc_mean(out["leakers"] == 0, (1.0 - q) ** n_threats, N_SE, "P(no leaker)")

    # Every threat gets exactly one salvo, and every leaker leaked because it was missed.
    assert np.all(out["expended"][:, 0] == n * n_threats)
    assert np.all(out["expended_tier"] == [n * n_threats, 0])
    assert np.array_equal(out["leak_reason"][:, MISSED], out["leakers"])
    assert np.all(out["leak_reason"][:, MISSED + 1 :] == 0)
    assert np.all(out["leaked"][:, 0] + out["intercepted"][:, 0] == n_threats)


# --- two tiers in series ------------------------------------------------------------------------


def test_two_tiers_in_series(make_inputs, run, mc_mean):
    """P(leak) = (1 − p_1)^n_1 · (1 − p_2)^n_2 and E[lower fired] = n_2·N·(1 − p_1)^n_1."""
    p1, n1, p2, n2, r2, n_threats = 0.6, 1, 0.5, 2, 0.9, 5
    inputs = make_inputs(
        n_threats=n_threats,
        shooters=[(0, 0, AMPLE), (1, 1, AMPLE)],
        sspk=(Dist.fixed(p1), Dist.fixed(p2)),
        reliability=(Dist.fixed(1.0), Dist.fixed(r2)),
        salvo=(n1, n2),
    )
    out = run(inputs, 50_000, seed=12)
    survive_upper = (1.0 - p1) ** n1  # 0.4
    survive_lower = (1.0 - r2 * p2) ** n2  # 0.3025
    fate = out["threat_fate"]

    mc_mean(fate == KILLED_UPPER, 1.0 - survive_upper, N_SE, "P(killed by upper tier)")
    mc_mean(fate == KILLED_LOWER, survive_upper * (1 - survive_lower), N_SE, "P(killed lower)")
    mc_mean(fate == LEAK_MISSED, survive_upper * survive_lower, N_SE, "P(leak)")
    mc_mean(
        out["leakers"], n_threats * survive_upper * survive_lower, N_SE, "E[leakers], two tiers"
    )
    mc_mean(
        out["expended_tier"][:, 1],
        n2 * n_threats * survive_upper,
        N_SE,
        "E[lower-tier interceptors]",
    )
    # Exactly: the upper tier fires one salvo at every threat, the lower tier one salvo at
    # every upper-tier survivor and at nothing else.
    assert np.all(out["expended_tier"][:, 0] == n1 * n_threats)
    upper_survivors = (fate != KILLED_UPPER).sum(axis=1)
    assert np.array_equal(out["expended_tier"][:, 1], n2 * upper_survivors)


# --- shoot-look-shoot ---------------------------------------------------------------------------


@pytest.mark.parametrize(("p", "n", "k"), [(0.6, 1, 3), (0.5, 2, 2), (0.3, 1, 4)])
def test_shoot_look_shoot(make_inputs, run, mc_mean, p, n, k):
    """SLS: P(leak) = (1 − p)^(n·k), E[fired per threat] = n·Σ_{j<k}(1 − p)^(n·j) < n·k."""
    n_threats, engage = 4, 100.0
    common = {
        "n_threats": n_threats,
        "shooters": [(0, 0, AMPLE)],
        "sspk": (Dist.fixed(p),),
        # The window has room for exactly k engagements: ⌊(W − 0)/E⌋ + 1 = k.
        "window_close_s": (k - 1) * engage + engage / 2,
        "engage_time_s": engage,
    }
    sls = run(make_inputs(salvo=(n, 1), max_engagements=(k, 1), **common), 50_000, seed=13)
    salvo = run(make_inputs(salvo=(n * k, 1), max_engagements=(1, 1), **common), 50_000, seed=13)

    leak = (1.0 - p) ** (n * k)
    per_threat = n * sum((1.0 - p) ** (n * j) for j in range(k))
    mc_mean(sls["threat_fate"] == LEAK_MISSED, leak, N_SE, "P(leak), shoot-look-shoot")
    mc_mean(salvo["threat_fate"] == LEAK_MISSED, leak, N_SE, "P(leak), salvo of n·k")
    mean, se = mc_mean(sls["expended"][:, 0] / n_threats, per_threat, N_SE, "fired per threat")
    assert mean < n * k - 20 * se  # shoot-look-shoot saves interceptors ...
    assert np.all(salvo["expended"][:, 0] == n * k * n_threats)  # ... the salvo fires all
    # Shot slot k·n + j is the same random number in both doctrines, so on one seed they
    # leak in exactly the same trials, and shoot-look-shoot never fires more.
    assert np.array_equal(sls["threat_fate"], salvo["threat_fate"])
    assert np.all(sls["expended"] <= salvo["expended"])
    # Shots are fired in whole salvos, at most k of them per threat.
    assert np.all(sls["expended"] % n == 0)


# --- correlated kill probability ----------------------------------------------------------------


def test_correlated_sspk_changes_p_no_leaker(make_inputs, run, mc_mean):
    """p ~ Beta(a, b) once per trial: E[leakers] = N·B(a, b+n)/B(a, b), P(0) by quadrature.

    With a, b, n, N = 4, 2, 2, 10 the closed forms are E[leakers] = 10/7 ≈ 1.4286 and
    P(no leaker) ≈ 0.4031, against ≈ 0.3079 when the shots are independent with the
    same mean kill probability 2/3 (about 40 Monte Carlo standard errors apart at 50 000
    trials): the correlation through the shared SSPK matters.
    """
    a, b, n, n_threats = 4.0, 2.0, 2, 10
    inputs = make_inputs(
        n_threats=n_threats,
        shooters=[(0, 0, AMPLE)],
        sspk=(Dist("beta", (a, b, 0.0, 1.0)),),
        salvo=(n, 1),
    )
    out = run(inputs, 50_000, seed=14)

    e_leak = beta_fn(a, b + n) / beta_fn(a, b)  # E[(1 − p)^n]
    e_leak_quad = quad(lambda p: (1 - p) ** n * beta_dist.pdf(p, a, b), 0, 1)[0]
    assert e_leak == pytest.approx(e_leak_quad, rel=1e-9)
    assert n_threats * e_leak == pytest.approx(10 / 7, rel=1e-12)
    p_none = quad(lambda p: (1 - (1 - p) ** n) ** n_threats * beta_dist.pdf(p, a, b), 0, 1)[0]
    mean_p = a / (a + b)
    p_none_independent = (1 - (1 - mean_p) ** n) ** n_threats
    assert p_none == pytest.approx(0.4031, abs=5e-5)
    assert p_none_independent == pytest.approx(0.3079, abs=5e-5)

    mc_mean(out["leakers"], n_threats * e_leak, N_SE, "E[leakers], correlated SSPK")
    p0, se = mc_mean(out["leakers"] == 0, p_none, N_SE, "P(no leaker), correlated SSPK")
    assert abs(p0 - p_none_independent) > 20 * se, "correlation should change P(no leaker)"
    # One SSPK per trial, shared by every shot: the drawn values follow Beta(a, b).
    mc_mean(out["sspk"][:, 0], mean_p, N_SE, "mean drawn SSPK")

    # The same raid with the SSPK fixed at its mean reproduces the independent value.
    fixed = run(
        make_inputs(
            n_threats=n_threats,
            shooters=[(0, 0, AMPLE)],
            sspk=(Dist.fixed(mean_p),),
            salvo=(n, 1),
        ),
        50_000,
        seed=14,
    )
    p0_fixed, se_fixed = mc_mean(
        fixed["leakers"] == 0, p_none_independent, N_SE, "P(no leaker), fixed SSPK"
    )
    assert abs(p0 - p0_fixed) > 20 * math.hypot(se, se_fixed)


# --- finite magazines ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("magazine", "n", "n_threats"),
    [(7, 2, 5), (5, 3, 4), (9, 3, 2), (0, 2, 3), (6, 3, 4), (1, 2, 3)],
)
@pytest.mark.parametrize("partial", [False, True])
def test_finite_magazine(make_inputs, run, magazine, n, n_threats, partial):
    """⌊M/n⌋ threats engaged with full salvos, one more of M mod n shots with partial salvos."""
    inputs = make_inputs(
        n_threats=n_threats,
        shooters=[(0, 0, magazine)],
        sspk=(Dist("uniform", (0.3, 0.9)),),
        reliability=Dist("beta", (9.0, 1.0, 0.0, 1.0)),
        salvo=(n, 1),
        partial_salvos=partial,
    )
    out = run(inputs, 20_000, seed=15)
    full, rest = divmod(magazine, n)
    engaged = min(n_threats, full + (1 if partial and rest else 0))
    fired = min(n * n_threats, magazine if partial else n * full)

    fate = out["threat_fate"]
    shot_at = (fate == KILLED_UPPER) | (fate == LEAK_MISSED)
    # In every trial, the first `engaged` threats are shot at and the rest find no interceptor.
    assert np.all(shot_at[:, :engaged])
    assert np.all(fate[:, engaged:] == LEAK_MAGAZINE_EMPTY)
    assert np.all(out["leak_reason"][:, MAGAZINE_EMPTY] == n_threats - engaged)
    assert np.all(out["expended"][:, 0] == fired)
    assert np.all(out["leak_reason"][:, NO_SHOOTER] == 0)
    assert np.all(out["leak_reason"][:, DECOY_EXHAUSTED] == 0)


def test_partial_salvo_kill_probability(make_inputs, run, mc_mean):
    """The partial salvo of M mod n shots leaks with probability (1 − p)^(M mod n)."""
    p, magazine, n = 0.5, 7, 2
    inputs = make_inputs(
        n_threats=5,
        shooters=[(0, 0, magazine)],
        sspk=(Dist.fixed(p),),
        salvo=(n, 1),
        partial_salvos=True,
    )
    out = run(inputs, 50_000, seed=16)
    leaked = out["threat_fate"] == LEAK_MISSED
    for t in range(3):  # full salvos of 2
        mc_mean(leaked[:, t], (1 - p) ** n, N_SE, f"P(threat {t} leaks), full salvo")
    mc_mean(leaked[:, 3], (1 - p) ** (magazine % n), N_SE, "P(leak), partial salvo of 1")
    assert np.all(out["threat_fate"][:, 4] == LEAK_MAGAZINE_EMPTY)


# --- sensor delay and engagement windows --------------------------------------------------------


def engagements_that_fit(window: float, engage: float, delay: float) -> int:
    """⌊(W − δ)/E⌋ + 1 engagements fit a window of length W after a delay δ; none if δ > W."""
    return math.floor((window - delay) / engage) + 1 if delay <= window else 0


@pytest.mark.parametrize(
    ("delay", "fits"),
    [(0.0, 3), (50.0, 3), (51.0, 2), (150.0, 2), (151.0, 1), (250.0, 1), (251.0, 0), (900.0, 0)],
)
def test_window_fits_engagements(make_inputs, run, delay, fits):
    """With SSPK 0, shoot-look-shoot makes exactly min(k_max, ⌊(W − δ)/E⌋ + 1) engagements."""
    window, engage, n, k_max, n_threats = 250.0, 100.0, 2, 6, 3
    assert engagements_that_fit(window, engage, delay) == fits
    inputs = make_inputs(
        n_threats=n_threats,
        shooters=[(0, 0, AMPLE)],
        sspk=(Dist.fixed(0.0),),
        salvo=(n, 1),
        max_engagements=(k_max, 1),
        window_open_s=1000.0,  # only the window's length matters
        window_close_s=1000.0 + window,
        engage_time_s=engage,
        sensor_delay=(Dist.fixed(delay), Dist.fixed(0.0)),
    )
    out = run(inputs, 200, seed=17)
    assert np.all(out["expended"][:, 0] == n * min(k_max, fits) * n_threats)
    assert np.all(out["leakers"] == n_threats)
    if fits == 0:
        assert np.all(out["threat_fate"] == LEAK_NO_SHOOTER)
        assert np.all(out["leak_reason"][:, NO_SHOOTER] == n_threats)
    else:
        assert np.all(out["threat_fate"] == LEAK_MISSED)
        assert np.all(out["leak_reason"][:, MISSED] == n_threats)


def test_random_sensor_delay_limits_looks(make_inputs, run, mc_mean):
    """Per trial, engagements = min(k_max, ⌊(W − δ)/E⌋ + 1) for the trial's drawn delay δ."""
    window, engage, n, k_max, n_threats = 250.0, 100.0, 1, 6, 2
    inputs = make_inputs(
        n_threats=n_threats,
        shooters=[(0, 0, AMPLE)],
        sspk=(Dist.fixed(0.0),),
        salvo=(n, 1),
        max_engagements=(k_max, 1),
        window_close_s=window,
        engage_time_s=engage,
        sensor_delay=(Dist("uniform", (0.0, 400.0)), Dist.fixed(0.0)),
    )
    out = run(inputs, 20_000, seed=18)
    delays = out["sensor_delay_s"][:, 0]
    fits = np.array([engagements_that_fit(window, engage, d) for d in delays])
    assert np.array_equal(out["expended"][:, 0], n * np.minimum(k_max, fits) * n_threats)
    no_shooter = delays > window
    assert np.array_equal(out["leak_reason"][:, NO_SHOOTER], n_threats * no_shooter)
    assert np.array_equal(out["leak_reason"][:, MISSED], n_threats * ~no_shooter)
    # Uniform(0, 400) delay: P(δ > 250) = 3/8 of trials find no shooter.
    mc_mean(no_shooter, 3 / 8, N_SE, "P(delay exceeds window)")


def test_shoot_look_shoot_never_exceeds_window(make_inputs, run, mc_mean):
    """With p > 0 the number of looks stops at a kill and never exceeds what the window fits."""
    window, engage, p = 150.0, 100.0, 0.5  # fits 2 looks, doctrine allows 4
    inputs = make_inputs(
        n_threats=3,
        shooters=[(0, 0, AMPLE)],
        sspk=(Dist.fixed(p),),
        max_engagements=(4, 1),
        window_close_s=window,
        engage_time_s=engage,
    )
    out = run(inputs, 50_000, seed=19)
    assert out["expended"][:, 0].max() == 2 * 3
    mc_mean(out["threat_fate"] == LEAK_MISSED, (1 - p) ** 2, N_SE, "P(leak), 2 looks fit")
    mc_mean(out["expended"][:, 0], 3 * (1 + (1 - p)), N_SE, "E[fired], 2 looks")


# --- decoys -------------------------------------------------------------------------------------


def test_unrecognised_decoys_exhaust_magazine(make_inputs, run):
    """Discrimination 0: D decoys listed first take D salvos; every warhead then leaks."""
    n_decoys, n_warheads, n = 3, 2, 2
    inputs = make_inputs(
        n_threats=n_warheads,
        decoys=n_decoys,
        discrimination=0.0,
        shooters=[(0, 0, n_decoys * n)],
        sspk=(Dist.fixed(0.8),),
        salvo=(n, 1),
    )
    out = run(inputs, 2_000, seed=20)
    assert np.all(out["threat_fate"][:, :n_decoys] == DECOY_ENGAGED)
    assert np.all(out["threat_fate"][:, n_decoys:] == LEAK_DECOY_EXHAUSTED)
    assert np.all(out["expended_on_decoys"] == n_decoys * n)
    assert np.all(out["expended"][:, 0] == n_decoys * n)
    assert np.all(out["leakers"] == n_warheads)
    assert np.all(out["leak_reason"][:, DECOY_EXHAUSTED] == n_warheads)
    assert np.all(out["leak_reason"].sum(axis=1) == n_warheads)  # decoys are not leakers


def test_decoys_beyond_magazine_go_unengaged(make_inputs, run):
    """A magazine of 2 salvos against 3 decoys: the third decoy is left unengaged."""
    inputs = make_inputs(
        n_threats=1,
        decoys=3,
        discrimination=0.0,
        shooters=[(0, 0, 4)],
        sspk=(Dist.fixed(1.0),),
        salvo=(2, 1),
    )
    out = run(inputs, 500, seed=21)
    expected = [DECOY_ENGAGED, DECOY_ENGAGED, DECOY_UNENGAGED, LEAK_DECOY_EXHAUSTED]
    assert np.all(out["threat_fate"] == expected)
    assert np.all(out["expended_on_decoys"] == 4)


def test_recognised_decoys_draw_nothing(make_inputs, run):
    """Discrimination 1: decoys are ignored and every interceptor goes to the warheads."""
    inputs = make_inputs(
        n_threats=2,
        decoys=4,
        discrimination=1.0,
        shooters=[(0, 0, 4)],
        sspk=(Dist.fixed(1.0),),
        salvo=(2, 1),
    )
    out = run(inputs, 2_000, seed=22)
    assert np.all(out["threat_fate"][:, :4] == DECOY_IGNORED)
    assert np.all(out["threat_fate"][:, 4:] == KILLED_UPPER)
    assert np.all(out["expended_on_decoys"] == 0)
    assert np.all(out["leakers"] == 0)
    assert np.all(out["intercepted"][:, 0] == 2)


@pytest.mark.parametrize(
    ("discrimination", "mean_q"),
    [(Dist.fixed(0.3), 0.3), (Dist("uniform", (0.2, 0.6)), 0.4)],
)
def test_expected_interceptors_on_decoys(make_inputs, run, mc_mean, discrimination, mean_q):
    """Ample magazines: E[interceptors at decoys] = D·(1 − E q)·n."""
    n_decoys, n = 5, 2
    inputs = make_inputs(
        n_threats=3,
        decoys=n_decoys,
        discrimination=discrimination,
        shooters=[(0, 0, AMPLE)],
        sspk=(Dist.fixed(0.5),),
        salvo=(n, 1),
    )
    out = run(inputs, 50_000, seed=23)
    engaged = (out["threat_fate"][:, :n_decoys] == DECOY_ENGAGED).sum(axis=1)
    assert np.array_equal(out["expended_on_decoys"], n * engaged)
    assert np.all(out["threat_fate"][:, :n_decoys] != DECOY_UNENGAGED)
    mc_mean(out["expended_on_decoys"], n_decoys * (1 - mean_q) * n, N_SE, "fired at decoys")


# --- allocation rule ----------------------------------------------------------------------------


def test_allocation_most_interceptors_left_first_listed(make_inputs, run):
    """Each engagement goes to the capable shooter with most interceptors left, ties first listed.

    Upper tier, salvo 2, magazines [4, 6, 6]; shooter 1 has no window on threat 0 (NaN),
    shooter 2 none on threats 3 and 4 (close < open). Hand trace, magazines after:
    t0 {s0:4, s2:6} → s2 [4, 6, 4]; t1 → s1 [4, 4, 4]; t2 tie → s0 [2, 4, 4];
    t3 {s0:2, s1:4} → s1 [2, 2, 4]; t4 {s0:2, s1:2} tie → s0 [0, 2, 4].
    Lower tier, salvo 1, magazines [3, 5], every window open: s4, s4, s3 (tie), s4, s3.
    """
    n_threats = 5
    open_ = np.zeros((5, n_threats))
    close = np.full((5, n_threats), 1000.0)
    close[1, 0] = np.nan
    open_[2, 3:] = 600.0
    close[2, 3:] = 500.0
    inputs = make_inputs(
        n_threats=n_threats,
        shooters=[(0, 0, 4), (0, 0, 6), (0, 0, 6), (1, 1, 3), (1, 1, 5)],
        sspk=(Dist.fixed(0.0), Dist.fixed(0.0)),
        salvo=(2, 1),
        window_open_s=open_,
        window_close_s=close,
    )
    for reference in (False, True):
        out = run(inputs, 50, seed=24, reference=reference)
        assert np.all(out["expended"] == [4, 4, 2, 2, 3])
        assert np.all(out["expended_tier"] == [10, 5])
        assert np.all(out["threat_fate"] == LEAK_MISSED)


@pytest.mark.parametrize("magazine", [1, MAX_MAGAZINE])
def test_allocation_with_most_shooters(make_inputs, run, magazine):
    """63 equal shooters (the most Inputs accepts), salvo 1: ties go to the first listed,
    so threat t is engaged by shooter t mod 63 and each shooter fires once per round."""
    n_threats = 2 * MAX_SHOOTERS + 5
    inputs = make_inputs(
        n_threats=n_threats,
        shooters=[(0, 0, magazine)] * MAX_SHOOTERS,
        sspk=(Dist.fixed(0.0),),
    )
    out = run(inputs, 20, seed=30)
    if magazine == 1:  # one round, then every later threat finds the magazines empty
        assert np.all(out["expended"] == 1)
        assert np.all(out["leak_reason"][:, MAGAZINE_EMPTY] == n_threats - MAX_SHOOTERS)
    else:
        expected = np.full(MAX_SHOOTERS, 2)
        expected[:5] = 3
        assert np.all(out["expended"] == expected)
        assert np.all(out["leak_reason"][:, MISSED] == n_threats)


def test_full_salvo_rule_skips_short_shooter(make_inputs, run):
    """Only shooters holding a full salvo may fire unless partial salvos are allowed."""
    # Shooter 0 (5 left) cannot reach threat 1; shooter 1 holds 1 < salvo 2.
    close = np.array([[1000.0, np.nan], [1000.0, 1000.0]])
    common = {
        "n_threats": 2,
        "shooters": [(0, 0, 5), (0, 0, 1)],
        "sspk": (Dist.fixed(1.0),),
        "salvo": (2, 1),
        "window_close_s": close,
    }
    out = run(make_inputs(**common), 50, seed=25)
    assert np.all(out["expended"] == [2, 0])
    assert np.all(out["threat_fate"] == [KILLED_UPPER, LEAK_MAGAZINE_EMPTY])
    out = run(make_inputs(partial_salvos=True, **common), 50, seed=25)
    assert np.all(out["expended"] == [2, 1])
    assert np.all(out["threat_fate"] == [KILLED_UPPER, KILLED_UPPER])


# --- engagement order and asset priorities ------------------------------------------------------


@pytest.mark.parametrize(("use_priorities", "leaked"), [(True, [2, 0]), (False, [0, 2])])
def test_asset_priorities(make_inputs, run, use_priorities, leaked):
    """With priorities, threats at the priority-1 asset take the scarce interceptors first."""
    inputs = make_inputs(
        n_threats=4,
        shooters=[(0, 0, 2)],
        sspk=(Dist.fixed(1.0),),
        assets=2,
        asset_priority=[2, 1],  # asset 1 comes first
        threat_asset=[0, 0, 1, 1],
        threat_time_s=[0.0, 0.0, 10.0, 10.0],  # ... though its threats come later
        use_priorities=use_priorities,
    )
    out = run(inputs, 100, seed=26)
    assert np.all(out["leaked"] == leaked)
    assert np.all(out["intercepted"] == [2 - x for x in leaked])
    assert np.all(out["leak_reason"][:, MAGAZINE_EMPTY] == 2)


def test_engagement_order_by_time_then_listing(make_inputs, run):
    """Threats are taken in increasing time, ties in listing order."""
    inputs = make_inputs(
        n_threats=4,
        shooters=[(0, 0, 2)],
        sspk=(Dist.fixed(1.0),),
        threat_time_s=[30.0, 5.0, 20.0, 5.0],  # order 1, 3, 2, 0
    )
    out = run(inputs, 100, seed=27)
    expected = [LEAK_MAGAZINE_EMPTY, KILLED_UPPER, LEAK_MAGAZINE_EMPTY, KILLED_UPPER]
    assert np.all(out["threat_fate"] == expected)


# --- no defence ---------------------------------------------------------------------------------


def test_no_shooters_every_threat_leaks(make_inputs, run):
    """No shooter at all: P(leak) = 1, every warhead leaks with reason "no_shooter"."""
    inputs = make_inputs(n_threats=3, shooters=[], sspk=(Dist.fixed(0.9),))
    out = run(inputs, 100, seed=28)
    assert out["expended"].shape == (100, 0)
    assert np.all(out["leakers"] == 3)
    assert np.all(out["leak_reason"] == [0, 3, 0, 0, 0])
    assert np.all(out["expended_tier"] == 0)


@pytest.mark.parametrize("reference", [False, True])
def test_no_interceptor_types_every_threat_leaks(make_inputs, run, reference):
    """No defence at all (no shooters, no interceptor types): every warhead leaks.

    Regression: ``draw`` once built the per-type SSPK array with ``np.column_stack``,
    which fails on an empty list; scenario resolution gives no interceptor types for a
    posture with no ships and no PAC-3 units.
    """
    inputs = make_inputs(n_threats=3, shooters=[], sspk=())
    out = run(inputs, 100, seed=29, reference=reference)
    assert out["sspk"].shape == (100, 0)
    assert out["reliability"].shape == (100, 0)
    assert np.all(out["leakers"] == 3)
    assert np.all(out["leak_reason"] == [0, 3, 0, 0, 0])
