"""Hughes's salvo equations (Hughes 1995, eqs. 1-2 and the heterogeneous form).

The worked numbers below are computed by hand from the equations as Hughes states
them (ΔB = (αA − b3·B)/b1, bounded by 0 and B), so each assertion is exact.

Published worked examples: not reproduced, because none could be read. Hughes
(1995, *Naval Research Logistics* 42, 267-289), Hughes's *Fleet Tactics*, Armstrong
(2005, *Operations Research* 53(5), 830-841) and Armstrong & Powell (2005, "A Stochastic
Salvo Model Analysis of the Battle of the Coral Sea", CSDS Working Paper 03, Carleton
University) are not in the stored corpus in a form that shows their numbers: the
Armstrong & Powell working paper and Armstrong's later "The Salvo Combat Model with a
Sequential Exchange of Fire" are stored as web pages, but only their opening pages
(title, abstract, introduction) are returned, before any table or parameter value.
Searches run (December 2026), none giving a numeric worked example with its force
sizes, α, β, a1, b1, a3, b3 and results:

- ``search`` pages: "Hughes salvo model numerical example alpha beta staying power
  fractional exchange ratio worked example"; "Coral Sea salvo model carriers American
  Japanese hits staying power 1942 salvo equations table parameter values"; "Armstrong
  sequential exchange of fire Coral Sea calibrated parameters American carriers Japanese
  carriers offensive power defensive power staying power values".
- ``search`` code: "Armstrong stochastic salvo model Coral Sea example parameters";
  "salvo model Hughes 1995 example A=2 B=2 alpha beta a1 b1 a3 b3 carriers Coral Sea
  test" (only third-party simulators with their own made-up numbers).
- ``search`` docs: "Hughes salvo equations example ΔB = (αA − b3 B)/b1 numerical
  example ships out of action".
- ``find_string``: "staying power" (no salvo-model hits); ``fetch`` of
  antononcube/Raku-Math-SalvoCombatModeling (the stored snapshot is an empty initial
  commit).

When a source with the published tables can be read, its examples belong here with
page numbers; until then the cases below check the equations themselves.
"""

from __future__ import annotations

import numpy as np
import pytest

from anpo.models.kernels import salvo


def test_equal_forces_annihilate_each_other() -> None:
    # A = B = 4, α = β = 2, b3 = a3 = 1, b1 = a1 = 1: each side loses (8 − 4)/1 = 4
    da, db = salvo.exchange(4, 4, 2, 2, 1, 1, 1, 1)
    assert (float(da), float(db)) == (4.0, 4.0)


def test_defence_absorbs_the_salvo() -> None:
    # 3 ships × 4 missiles = 12 against 4 ships each destroying 3: no hits
    assert float(salvo.salvo_losses(3, 4, 4, 3, 2)) == 0.0


def test_fractional_losses_and_the_bound() -> None:
    # (2 × 8 − 2 × 4)/3 = 8/3 ships of B (of 4) out of action
    assert float(salvo.salvo_losses(2, 8, 4, 2, 3)) == pytest.approx(8 / 3, abs=1e-12)
    # (10 × 8 − 0)/1 = 80 hits, but B has 5 ships
    assert float(salvo.salvo_losses(10, 8, 5, 0, 1)) == 5.0


def test_fractional_exchange_ratio() -> None:
    # A = 6, B = 4, α = 3, β = 4, a3 = 1, b3 = 2, a1 = 2, b1 = 1:
    # ΔA = (16 − 6)/2 = 5, ΔB = (18 − 8)/1 = 10 → bounded to 4; FER = (4/4)/(5/6) = 1.2
    da, db = salvo.exchange(6, 4, 3, 4, 2, 1, 1, 2)
    assert (float(da), float(db)) == (5.0, 4.0)
    assert float(salvo.fractional_exchange_ratio(6, 4, da, db)) == pytest.approx(1.2)


def test_heterogeneous_reduces_to_homogeneous() -> None:
    one = salvo.heterogeneous_losses([[3.0]], [4.0], [[1.0]], [[4.0]], [1.0], [2.0])
    assert float(one[0, 0]) == float(salvo.salvo_losses(3, 4, 4, 1, 2))


def test_heterogeneous_targeting_fractions() -> None:
    # two A types (2 ships firing 6, 1 ship firing 4) split 50/50 and 0/100 over B types
    # aimed at B0: 2·6·0.5 = 6, at B1: 2·6·0.5 + 4 = 10; B0 (1 ship, b3 = 2, b1 = 2): 2;
    # B1 (2 ships, b3 = 1, b1 = 4): (10 − 2)/4 = 2 → both types annihilated
    out = salvo.heterogeneous_losses(
        [2.0, 1.0], [6.0, 4.0], [[0.5, 0.5], [0.0, 1.0]], [1.0, 2.0], [2.0, 1.0], [2.0, 4.0]
    )
    assert out.tolist() == [1.0, 2.0]


def test_vectorized_over_trials() -> None:
    a = np.array([1.0, 2.0, 3.0])
    assert salvo.salvo_losses(a, 4, 10, 0, 4).tolist() == [1.0, 2.0, 3.0]


def test_stochastic_hits_with_certain_missiles_is_hughes() -> None:
    # every missile well aimed, no soft kill, every engagement kills: hits = αA − b3·B
    n, m = 5, 12
    u = np.full((n, m), 0.5)
    fired = np.ones((n, m), dtype=bool)
    hit, engaged = salvo.stochastic_hits(u, u, u, fired, 1.0, 0.0, 1.0, np.full(n, 7))
    assert hit.sum(axis=1).tolist() == [5] * n
    assert engaged.tolist() == [7] * n


def test_stochastic_hits_mean_is_binomial() -> None:
    # no defence: hits ~ Binomial(m, p_hit·(1 − p_soft)); mean within 4 standard errors
    rng = np.random.default_rng(1)
    n, m, p = 40_000, 10, 0.7 * 0.8
    u = rng.random((3, n, m))
    hit, _ = salvo.stochastic_hits(
        u[0], u[1], u[2], np.ones((n, m), dtype=bool), 0.7, 0.2, 1.0, np.zeros(n)
    )
    se = np.sqrt(m * p * (1 - p) / n)
    assert abs(hit.sum(axis=1).mean() - m * p) < 4 * se


def test_engagement_kill() -> None:
    assert float(salvo.engagement_kill(0.5, 2)) == 0.75


@pytest.mark.parametrize("k", [2.0, 3.0, 5.0])
def test_hughes_parity_rule(k: float) -> None:
    # Hughes (2012, Information Dissemination, "A Durable Strategy for East Asia"): against a
    # fleet with k times as many ships, each ship needs k times the offensive power, the
    # defensive power and the staying power for the two sides' loss fractions to be equal
    # (FER = 1). Small fleet B: 3 ships; large fleet A: 3k ships.
    alpha, a3, a1 = 1.0, 0.5, 2.0  # per ship of the large fleet A
    b = 3.0
    a = k * b
    da, db = salvo.exchange(a, b, alpha, k * alpha, a1, k * a1, a3, k * a3)
    assert float(salvo.fractional_exchange_ratio(a, b, da, db)) == pytest.approx(1.0)
    # one factor short (staying power only ×1) and the small fleet loses relatively more
    da, db = salvo.exchange(a, b, alpha, k * alpha, a1, a1, a3, k * a3)
    assert float(salvo.fractional_exchange_ratio(a, b, da, db)) > 1.0
