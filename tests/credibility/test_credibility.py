"""Credibility = capability × willingness: identities, monotonicity, the legal gate,
objective measures and the Wilson interval (anpo.studies.credibility).

The runs use the cheap kinds (ASW, naval) with few trials; no published study gives a
numeric worked example of the test, so the checks are of its algebra."""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
import math

import numpy as np
import pytest

from anpo.errors import UsageError
from anpo.kinds import registry
from anpo.kinds.base import Objective
from anpo.studies import credibility as cred

TODAY = dt.date(2025, 12, 31)
BARRIER = [cred.Entry("miyako-barrier-today", 1.0)]


@pytest.fixture(scope="module")
def barrier() -> cred.Credibility:
    return cred.credibility(TODAY, BARRIER, trials=150, draws=500)


def test_wilson_interval_values() -> None:
    lo, hi = cred.wilson(5, 10)
    # (p + z²/2n ± z√(p(1−p)/n + z²/4n²)) / (1 + z²/n) with p = 0.5, n = 10, z = 1.96
    assert lo == pytest.approx(0.2365896, abs=1e-7)
    assert hi == pytest.approx(0.7634104, abs=1e-7)
    assert cred.wilson(0, 20)[0] == 0.0
    assert cred.wilson(20, 20)[1] == 1.0
    assert cred.wilson(0, 0) == (0.0, 1.0)


def test_objective_selection_and_reduction() -> None:
    obj = Objective(
        "k", "t", "x", "==", 0.0, "w", where=(("side", ("a",)),), from_step=(("day", 1),)
    )
    x = np.zeros((3, 2, 3))
    x[0, 0, 0] = 5.0  # day 1 of side a: dropped by from_step
    x[1, 0, 2] = 1.0  # day 3 of side a: counts
    x[2, 1, 1] = 1.0  # side b: not selected
    dims = {"x": ("side", "day")}
    labels = {"side": ("a", "b"), "day": ("d1", "d2", "d3")}
    met = cred.objective_met(obj, {"x": x}, dims, labels, None)
    assert met is not None and met.tolist() == [True, False, True]
    empty = dataclasses.replace(obj, where=(("side", ("c",)),))
    assert cred.objective_met(empty, {"x": x}, dims, labels, None) is None
    worst = Objective("k", "t", "y", "<=", 2.0, "w", aggregate="max")
    y = np.array([[1.0, 2.0], [3.0, 0.0]])
    got = cred.objective_met(worst, {"y": y}, {"y": ("base",)}, {"base": ("p", "q")}, None)
    assert got is not None and got.tolist() == [True, False]


def test_every_shipped_kind_declares_objectives_and_parties() -> None:
    for name in registry.names():
        spec = registry.get(name)
        assert spec.objectives, name
        assert {p.party for p in spec.parties} <= {"japan", "us", "rok", "australia"}
        assert spec.as_dict()["objectives"][0]["key"] == spec.objectives[0].key


def test_credibility_is_capability_times_willingness_exactly(barrier: cred.Credibility) -> None:
    (s,) = barrier.scenarios
    assert s.refused is None and s.n == 150
    assert s.capability == s.k / s.n
    for p in s.parties:
        w = math.prod(barrier.assumptions[f"willingness.{p.party}.{t}"].mean
                      for t in cred.WILLINGNESS_TERMS)  # fmt: skip
        assert p.willingness == w
        assert p.credibility == s.capability * p.willingness
    acting = [p for p in s.parties if p.gate.open and p.modelled]
    assert s.acting == tuple(p.party for p in acting)
    # every subset of the acting parties was run; one party out is its contribution
    assert len(s.subsets) == 2 ** len(acting) - 1
    for p in acting:
        assert s.subsets[frozenset(s.acting) - {p.party}][0] == p.contribution
    will = {p.party: p.willingness for p in acting}
    expected_cred = 0.0
    for n_act in range(len(acting) + 1):
        for sub in itertools.combinations(s.acting, n_act):
            prob = math.prod(will[q] if q in sub else 1 - will[q] for q in s.acting)
            env = max(
                s.capability - s.subsets.get(frozenset(t), (0.0, 0.0))[0]
                for k in range(len(sub) + 1)
                for t in itertools.combinations(sub, k)
            )
            expected_cred += prob * min(s.capability, env)
    assert s.credibility == pytest.approx(expected_cred, abs=1e-12)
    a = barrier.assumptions
    expected = (
        (1 - s.capability) * a["deterrence.gain"].mean
        - s.capability * a["deterrence.cost"].mean
        - a["deterrence.response"].mean * s.credibility
    )
    assert s.margin == pytest.approx(expected, abs=1e-12)


def test_more_willingness_never_lowers_credibility(barrier: cred.Credibility) -> None:
    base = barrier.scenarios[0]
    for party in ("japan", "us"):
        key = f"willingness.{party}.resolve"
        higher = dataclasses.replace(barrier.assumptions[key], low=0.99, nominal=1.0, high=1.0)
        more = cred.credibility(TODAY, BARRIER, trials=150, draws=500, overrides={key: higher})
        s = more.scenarios[0]
        assert s.credibility >= base.credibility
        for p, q in zip(s.parties, base.parties, strict=True):
            assert p.credibility >= q.credibility
        assert s.margin <= base.margin


def test_more_capability_never_lowers_credibility() -> None:
    params = cred.assumptions(TODAY)
    gate = cred.Gate("us", None, None, "not_asked", True)
    values = []
    for k in range(0, 101, 10):
        party = cred.PartyResult("us", "", gate, True, 0.2, 0.01, 0.0, (0.0, 0.0), 0.0, (0.0, 0.0))
        res = cred.ScenarioResult("s", "asw", 1.0, None, n=100, k=k, parties=[party])
        res.acting, res.subsets = ("us",), {frozenset(): (0.2, 0.01)}
        cred._finish([(res, {"us": (0.2, 0.01)})], params, 1, 300)
        values.append((res.credibility, party.credibility, -res.margin))
    for before, after in itertools.pairwise(values):
        assert all(a >= b for a, b in zip(after, before, strict=True))


def _alliance(caps: dict[str, float], will: dict[str, float]) -> float:
    """Cred of a two-party scenario from its capabilities by who acts ('' none)."""
    res = cred.ScenarioResult("s", "asw", 1.0, None, n=10, k=0, parties=[])
    res.acting = ("japan", "us")
    full = caps["japan+us"]
    res.subsets = {
        frozenset(): (full - caps[""], 0.0),
        frozenset({"japan"}): (full - caps["japan"], 0.0),
        frozenset({"us"}): (full - caps["us"], 0.0),
    }
    ones = np.ones(4)
    lost = {s: np.full(4, d) for s, (d, _) in res.subsets.items()}
    w = {p: (v, v * ones) for p, v in will.items()}
    point, draws = cred._alliance(res, full, full * ones, lost, w)
    assert draws == pytest.approx(np.full(4, point), abs=1e-12)
    return point


def test_alliance_credibility_is_expected_capability_over_who_is_willing() -> None:
    will = {"japan": 0.5, "us": 0.8}
    # additive contributions: the subsets agree with one party at a time
    # 0.4*0.8 + 0.1*0.5 + 0.4*0.3 + 0.1*0 = 0.49 = 0.8 - 0.5*(0.8-0.3) - 0.2*(0.8-0.5)
    add = {"japan+us": 0.8, "japan": 0.5, "us": 0.3, "": 0.0}
    assert _alliance(add, will) == pytest.approx(0.49, abs=1e-12)
    # only together: lost if either is unwilling, 0.5*0.8*0.8 = 0.32, where one party at
    # a time would give 0.8 - 0.5*0.8 - 0.2*0.8 = 0.24
    together = {"japan+us": 0.8, "japan": 0.0, "us": 0.0, "": 0.0}
    assert _alliance(together, will) == pytest.approx(0.32, abs=1e-12)
    # a subset measured above the whole (noise) is capped at C: the forces never hurt
    noisy = {"japan+us": 0.8, "japan": 0.85, "us": 0.3, "": 0.0}
    # 0.4*0.8 + 0.1*0.8 + 0.4*0.3 + 0 = 0.52
    assert _alliance(noisy, will) == pytest.approx(0.52, abs=1e-12)
    # everyone willing: the capability; no one: the capability with no ally acting
    assert _alliance(add, {"japan": 1.0, "us": 1.0}) == pytest.approx(0.8, abs=1e-12)
    assert _alliance(add, {"japan": 0.0, "us": 0.0}) == pytest.approx(0.0, abs=1e-12)


def test_opening_a_gate_that_adds_capability_never_lowers_credibility() -> None:
    will = {"japan": 0.6, "us": 0.9}
    # Japan's gate closed: only the U.S. acts, C = 0.95 with it and 0.2 without
    res = cred.ScenarioResult("s", "asw", 1.0, None, n=10, k=0, parties=[])
    res.acting, res.subsets = ("us",), {frozenset(): (0.75, 0.0)}
    ones = np.ones(2)
    closed, _ = cred._alliance(
        res, 0.95, 0.95 * ones, {frozenset(): 0.75 * ones}, {"us": (0.9, 0.9 * ones)}
    )
    # open: 0.98 together, the U.S. alone 0.95, Japan alone 0.1, none 0.2
    opened = _alliance({"japan+us": 0.98, "us": 0.95, "japan": 0.1, "": 0.2}, will)
    assert opened >= closed


def test_closed_gate_removes_exactly_that_partys_contribution(
    barrier: cred.Credibility,
) -> None:
    (open_,) = barrier.scenarios
    us = next(p for p in open_.parties if p.party == "us")
    assert us.gate.open and us.contribution is not None and us.contribution > 0
    shut = cred.credibility(
        TODAY, BARRIER, trials=150, draws=500, gates={("miyako-barrier-today", "us"): False}
    )
    (closed,) = shut.scenarios
    # the same trials without U.S. forces: capability falls by exactly the contribution
    assert closed.k == open_.k - round(us.contribution * open_.n)
    assert closed.capability == pytest.approx(open_.capability - us.contribution, abs=1e-12)
    row = next(p for p in closed.parties if p.party == "us")
    assert not row.gate.open and row.gate.forced and row.contribution is None
    # the other parties' gates are untouched
    assert all(p.gate.open for p in closed.parties if p.party != "us")
    assert shut.as_dict()["forced_gates"] == [
        {"scenario": "miyako-barrier-today", "party": "us", "open": False}
    ]


def test_law_closes_japans_gate_over_the_strait_in_2010() -> None:
    role = next(p for p in registry.get("air_superiority").parties if p.party == "japan")
    then = cred.gate(role, dt.date(2010, 1, 1))
    now = cred.gate(role, TODAY)
    assert (then.status, then.open) == ("prohibited", False)
    assert now.status == "conditional" and now.open and now.condition
    us = next(p for p in registry.get("air_superiority").parties if p.party == "us")
    assert cred.gate(us, TODAY).status == "not_asked"


def test_families_take_the_form_nearest_the_date() -> None:
    assert cred.forms("east-china-sea", dt.date(2010, 1, 1))[0] == "east-china-sea-2010"
    assert cred.forms("east-china-sea", TODAY)[0] == "east-china-sea-today"
    assert cred.forms("east-china-sea-2010", TODAY) == ["east-china-sea-2010"]
    with pytest.raises(UsageError):
        cred.forms("no-such-family", TODAY)


def test_defaults_are_labelled_and_indicators_sourced() -> None:
    params = cred.assumptions(TODAY)
    assert {f"weight.{e.scenario}" for e in cred.default_portfolio(TODAY)} <= set(params)
    for party in ("japan", "us", "rok", "australia"):
        for term in cred.WILLINGNESS_TERMS:
            a = params[f"willingness.{party}.{term}"]
            assert a.label == "assumption" and a.reasoning and 0 <= a.low <= a.high <= 1
    for key in ("deterrence.gain", "deterrence.cost", "deterrence.response"):
        assert params[key].label == "assumption"
    rows = cred.indicators(TODAY)
    assert rows and all(r["label"] == "fact" and r["source"] for r in rows)
    assert len(cred.indicators(dt.date(2010, 1, 1))) < len(rows)


def test_bad_arguments_are_usage_errors() -> None:
    with pytest.raises(UsageError):
        cred.credibility(TODAY, [cred.Entry("miyako-barrier-today", -1.0)], trials=10)
    with pytest.raises(UsageError):
        cred.credibility(TODAY, [], trials=10)
    with pytest.raises(UsageError):
        cred.credibility(TODAY, BARRIER, trials=10, draws=5)
    with pytest.raises(UsageError):
        cred.objective_of("asw", "nope")
