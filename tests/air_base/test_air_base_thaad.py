"""THAAD at Andersen: the missile-defence model's upper terminal tier defending an air base.

The Guam battery (kb ``thaad.guam``, from 19 April 2013) engages the ballistic missiles of
each wave first; PAC-3, when a base has it, engages the survivors. The vectorized model
and its reference agree exactly, the battery's counting follows from the kb's figures,
fewer missiles arrive with it than without on the same random numbers, and it does not
exist before April 2013.
"""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import yaml

from anpo import kb
from anpo.models import missile_defense as md
from anpo.models.air_base import Inputs, simulate, simulate_reference
from anpo.models.distributions import Dist
from anpo.scenario.air_base import AirBaseScenario, resolve
from anpo.scenario.common import attempt

SCENARIO = Path(__file__).parents[2] / "src" / "anpo" / "scenarios" / "andersen-today.yaml"


def _andersen(day: dt.date = kb.KB_AS_OF, **base: Any) -> tuple[Inputs | None, Any, list[Any]]:
    data = yaml.safe_load(SCENARIO.read_text())
    data["bases"] = [{**data["bases"][0], **base}]
    return attempt(resolve, AirBaseScenario.model_validate(data), day)


def rng(seed: int) -> np.random.Generator:
    return np.random.default_rng(np.random.SeedSequence(seed))


def _moments(d: Dist) -> tuple[float, float]:
    """Mean and second moment of a triangular (or fixed) distribution."""
    if d.family == "fixed":
        (v,) = d.params
        return v, v * v
    a, c, b = d.params
    mean = (a + b + c) / 3
    var = (a * a + b * b + c * c - a * b - a * c - b * c) / 18
    return mean, var + mean * mean


def test_andersen_today_is_defended_by_the_guam_battery() -> None:
    """One upper-tier shooter at Andersen with the kb's THAAD figures: 48 rounds
    (load.thaad-battery), 4 channels (fire-control.thaad), a 90 s decision window and
    40 s engagements per wave, salvos of 2 (bmd-engagement.airbase.thaad); no PAC-3."""
    inputs, ledger, problems = _andersen()
    assert problems == [] and inputs is not None
    d = inputs.defence
    assert isinstance(d, md.Inputs)
    assert d.shooter_tier.tolist() == [md.UPPER]
    assert d.shooter_magazine.tolist() == [48] and d.shooter_channels.tolist() == [4]
    assert d.salvo_size.tolist() == [2, 2] and d.max_engagements.tolist() == [1, 1]
    assert d.n_threats == inputs.n_missiles == 40  # every DF-26 is ballistic
    waves = sorted(set(d.threat_time_s.tolist()))
    assert waves == [0.0, 86_400.0]  # the two waves, a day apart
    assert np.allclose(d.window_close_s - d.window_open_s, 90.0)
    assert np.allclose(d.engage_time_s, 40.0)
    names = {e.name: e for e in ledger}
    for key in ("sspk", "reliability", "magazine", "channels", "window_s", "engage_time_s"):
        assert names[f"defence.thaad.{key}"].source
    assert "Task Force Talon" in names["Andersen Air Force Base.thaad.thaad.guam"].value


def test_vectorized_equals_reference_with_thaad_alone_and_with_pac3() -> None:
    for extra in ({}, {"pac3_fire_units": 2}):
        inputs, _, problems = _andersen(**extra)
        assert problems == [] and inputs is not None
        a = simulate(inputs, rng(11), 24)
        b = simulate_reference(inputs, rng(11), 24)
        assert a.keys() == b.keys()
        for key in a:
            np.testing.assert_array_equal(a[key], b[key], err_msg=key)


def test_the_battery_counts_exactly_and_kills_as_the_closed_form_says() -> None:
    """Per wave a battery makes ⌊window / engagement⌋ + 1 = ⌊90/40⌋ + 1 = 3 engagements
    per channel, 12 with 4 channels: wave 1 has 24 missiles, wave 2 has 16, so it engages
    24 in all and fires its 48 rounds in every trial. An engaged missile dies with
    probability 1 − (1 − r·p)² (r, p the interceptor's reliability and SSPK, drawn per
    trial), and counts as intercepted only if it worked (ρ, drawn per trial), so

        E[THAAD kills] = 24 · E[ρ] · (2 E[r] E[p] − E[r²] E[p²]).
    """
    inputs, _, problems = _andersen()
    assert problems == [] and inputs is not None
    n = 4000
    out = simulate(inputs, rng(5), n)
    assert np.all(out["thaad_interceptors_fired"] == 48)
    np.testing.assert_array_equal(out["thaad_intercepted"], out["missiles_intercepted"])
    d = inputs.defence
    assert isinstance(d, md.Inputs)
    r1, r2 = _moments(d.reliability[1])
    p1, p2 = _moments(d.sspk[1])
    rho, _ = _moments(inputs.reliability[0])
    expected = 24 * rho * (2 * r1 * p1 - r2 * p2)
    kills = out["thaad_intercepted"][:, 0]
    se = float(kills.std(ddof=1)) / math.sqrt(n)
    assert abs(float(kills.mean()) - expected) < 4 * se + 0.05, (kills.mean(), expected)
    assert 19.0 < expected < 21.0  # about 20 of the 40 DF-26


def test_fewer_missiles_arrive_with_thaad_than_without_on_the_same_seed() -> None:
    """Paired runs on the same seed: the battery only removes missiles (never adds one),
    and the mean drop in missiles that arrive (about 20 of 35) is far above its Monte
    Carlo error; the base is closed for fewer hours."""
    with_thaad, _, p1 = _andersen()
    without, _, p2 = _andersen(thaad_batteries=0)
    assert p1 == p2 == [] and with_thaad is not None and without is not None
    assert without.defence is None
    n = 2000
    a = simulate(with_thaad, rng(8), n)
    b = simulate(without, rng(8), n)
    assert not b["thaad_intercepted"].any() and not b["thaad_interceptors_fired"].any()
    assert np.all(a["missiles_arrived"] <= b["missiles_arrived"])
    drop = (b["missiles_arrived"] - a["missiles_arrived"])[:, 0].astype(float)
    se = float(drop.std(ddof=1)) / math.sqrt(n)
    assert drop.mean() > 10 * se and 18.0 < drop.mean() < 22.0, (drop.mean(), se)
    closed_a = float(a["hours_closed"].mean())
    closed_b = float(b["hours_closed"].mean())
    assert closed_a < closed_b
    np.testing.assert_array_equal(a["reliability"], b["reliability"])  # same draws


def test_pac3_engages_the_survivors_of_the_upper_tier() -> None:
    """With two PAC-3 fire units added below THAAD, the upper tier's kills are those of
    THAAD alone trial by trial (it fires first and the same draws decide), and PAC-3
    adds kills among the missiles it left."""
    alone, _, _ = _andersen()
    both, _, problems = _andersen(pac3_fire_units=2)
    assert problems == [] and alone is not None and both is not None
    a = simulate(alone, rng(2), 500)
    b = simulate(both, rng(2), 500)
    assert np.all(b["missiles_intercepted"] >= b["thaad_intercepted"])
    assert float(b["missiles_intercepted"].mean()) > float(a["missiles_intercepted"].mean())
    assert float(b["missiles_arrived"].mean()) < float(a["missiles_arrived"].mean())


def test_no_thaad_before_april_2013_and_none_at_kadena() -> None:
    """thaad.guam is valid from 19 April 2013: a day earlier the scenario's battery is
    refused with a clear problem (its DF-26 are not in service then either); from that
    day on it is there. Kadena lists no THAAD battery."""
    assert kb.load().at(dt.date(2013, 4, 18), "thaad_battery") == []
    assert [r.id for r in kb.load().at(dt.date(2013, 4, 19), "thaad_battery")] == ["thaad.guam"]
    _, _, problems = _andersen(dt.date(2013, 4, 18))
    thaad = [p for p in problems if p.path == "bases[0].thaad_batteries"]
    assert len(thaad) == 1 and "lists 0 THAAD batteries" in thaad[0].message
    _, _, problems = _andersen(dt.date(2013, 4, 19))
    assert not [p for p in problems if p.path == "bases[0].thaad_batteries"]
    _, _, problems = _andersen(thaad_batteries=2)
    assert [p.message for p in problems] == [
        f"the knowledge base lists 1 THAAD battery at Andersen Air Force Base on {kb.KB_AS_OF}"
    ]


@pytest.mark.parametrize("name", ["kadena-today", "kadena-2010"])
def test_kadena_has_no_upper_tier(name: str) -> None:
    path = SCENARIO.with_name(f"{name}.yaml")
    sc = AirBaseScenario.model_validate(yaml.safe_load(path.read_text()))
    day = kb.KB_AS_OF if sc.date == "today" else sc.date
    inputs, _, problems = attempt(resolve, sc, day)
    assert problems == [] and inputs is not None
    if inputs.defence is not None:
        assert md.UPPER not in inputs.defence.shooter_tier.tolist()
    out = simulate(inputs, rng(1), 50)
    assert not out["thaad_intercepted"].any()
