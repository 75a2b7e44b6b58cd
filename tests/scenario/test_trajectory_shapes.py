"""Trajectory shapes decide who can engage: the flown profile against each interceptor's band.

The KN-23 flies a quasi-ballistic profile with a 40-60 km apex (trajectory.kn-23 in the
knowledge base), below the SM-3's 70 km floor; flown as a minimum-energy conic from
Wonsan to Sasebo it would peak at about 210 km, inside the SM-3's band. The glide
vehicle (Hwasong-16B) stays at 40-60 km. Each check runs the shipped
``nk-mixed-raid-today`` and a variant on the same seed (common random numbers), so a
difference beyond the paired Monte Carlo error is the shape's; and the vectorized model
and its reference must agree exactly on the shaped windows.
"""

from __future__ import annotations

import math
from importlib import resources

import numpy as np
import pytest

import anpo
from anpo.errors import ScenarioError
from anpo.models.missile_defense import simulate, simulate_reference
from anpo.models.missile_defense.inputs import KILLED_LOWER, KILLED_UPPER
from anpo.scenario import parse, resolve
from anpo.scenario.edit import with_values

TRIALS = 8000
SEED = 11


def shipped(name: str) -> str:
    return resources.files("anpo.scenarios").joinpath(f"{name}.yaml").read_text()


def _threats(inputs: object, prefix: str) -> np.ndarray:
    labels = inputs.labels["threat"]  # type: ignore[attr-defined]
    return np.array([i for i, lab in enumerate(labels) if lab.startswith(prefix)])


def _sm3(inputs: object) -> np.ndarray:
    names = inputs.labels["interceptor"]  # type: ignore[attr-defined]
    kinds = [names[k] for k in inputs.shooter_interceptor]  # type: ignore[attr-defined]
    return np.array([k.startswith("sm3") for k in kinds])


def test_each_type_flies_its_kb_shape() -> None:
    ledger = {e.name: e for e in resolve(parse(shipped("nk-mixed-raid-today"))).ledger}
    qb = ledger["path.kn-23.Wonsan (Kalma) area.Sasebo.quasi-ballistic"]
    assert qb.value == "698 km, 6.1 min, apogee 50 km"
    glide = ledger["path.hwasong-16b.Pyongyang Sunan area.Okinawa bases.glide"]
    assert glide.value == "1,444 km, 12.9 min, apogee 60 km"
    assert ledger["path.nodong.Pyongyang Sunan area.Okinawa bases"].value == (
        "1,444 km, 11.8 min, apogee 394 km"
    )
    assert ledger["missile.kn-23.trajectory"].kind == "estimate"
    me = with_values(
        shipped("nk-mixed-raid-today"), {"threat.missiles[0].trajectory": "minimum-energy"}
    )
    ledger = {e.name: e for e in resolve(me).ledger}
    assert ledger["path.kn-23.Wonsan (Kalma) area.Sasebo"].value == "698 km, 7.5 min, apogee 199 km"


def test_below_the_floor_never_engaged_in_model_and_reference() -> None:
    """No SM-3 shooter has a window on a KN-23 or a glide vehicle, so none is killed by
    the upper tier, in the vectorized model and in its reference, which agree exactly."""
    inputs = resolve(parse(shipped("nk-mixed-raid-today"))).inputs
    sm3 = _sm3(inputs)
    low = np.concatenate([_threats(inputs, "kn-23"), _threats(inputs, "hwasong-16b")])
    assert low.size == 12 and sm3.sum() == 13
    assert np.isnan(inputs.window_close_s[np.ix_(sm3, low)]).all()
    assert np.isfinite(inputs.window_close_s[np.ix_(~sm3, low)]).any(axis=0).all()
    ballistic = np.concatenate([_threats(inputs, "nodong"), _threats(inputs, "scud-er")])
    assert np.isfinite(inputs.window_close_s[np.ix_(sm3, ballistic)]).any(axis=0).all()

    fast = simulate(inputs, np.random.default_rng(np.random.SeedSequence(SEED)), 400)
    slow = simulate_reference(inputs, np.random.default_rng(np.random.SeedSequence(SEED)), 400)
    assert set(fast) == set(slow)
    for name in fast:
        assert np.array_equal(fast[name], slow[name], equal_nan=fast[name].dtype.kind == "f"), name
    for out in (fast, slow):
        fate = out["threat_fate"][:, low]
        assert not (fate == KILLED_UPPER).any()
        assert (fate == KILLED_LOWER).any()
        assert (out["threat_fate"][:, ballistic] == KILLED_UPPER).any()


def test_sm3_kills_a_minimum_energy_kn23_not_the_quasi_ballistic_one() -> None:
    """Flown as the minimum-energy conic (apogee about 200 km), the KN-23 is killed in
    midcourse in most trials and few reach Sasebo; on its real profile only the PAC-3s at
    Sasebo can engage it and about half a warhead gets through per raid."""
    text = shipped("nk-mixed-raid-today")
    base = anpo.run(parse(text), trials=TRIALS, seed=SEED)
    me = anpo.run(
        with_values(text, {"threat.missiles[0].trajectory": "minimum-energy"}),
        trials=TRIALS,
        seed=SEED,
    )
    inputs = resolve(parse(text)).inputs
    kn23 = _threats(inputs, "kn-23")
    up_qb = (base.outcomes["threat_fate"][:, kn23] == KILLED_UPPER).mean()
    up_me = (me.outcomes["threat_fate"][:, kn23] == KILLED_UPPER).mean()
    assert up_qb == 0.0
    assert up_me == pytest.approx(0.78, abs=0.02)
    sasebo = inputs.labels["asset"].index("Sasebo")
    a = base.outcomes["leaked"][:, sasebo].astype(float)
    b = me.outcomes["leaked"][:, sasebo].astype(float)
    diff = b - a
    err = 1.96 * float(diff.std(ddof=1)) / math.sqrt(diff.size)
    assert a.mean() == pytest.approx(0.555, abs=0.03)
    assert b.mean() == pytest.approx(0.009, abs=0.005)
    assert float(diff.mean()) < -10 * err
    # Kadena's raid is the same in both: SM-3s spent at Sasebo barely touch it
    okinawa = inputs.labels["asset"].index("Okinawa bases")
    d_ok = me.outcomes["leaked"][:, okinawa] - base.outcomes["leaked"][:, okinawa]
    assert abs(float(d_ok.mean())) < 0.005


def test_shape_problems_are_reported() -> None:
    text = shipped("nk-mixed-raid-today")
    with pytest.raises(ScenarioError) as info:
        resolve(with_values(text, {"threat.missiles[3].trajectory": "glide"}))
    assert any("no glide profile for nodong" in str(p) for p in info.value.problems)
    with pytest.raises(ScenarioError) as info:
        resolve(
            with_values(
                text,
                {
                    "threat.missiles[1].trajectory": "depressed",
                    "threat.missiles[1].angle_offset_deg": 10,
                },
            )
        )
    assert any("depressed one <= 0" in str(p) for p in info.value.problems)
    with pytest.raises(ScenarioError) as info:
        resolve(with_values(text, {"threat.missiles[0].angle_offset_deg": -10}))
    assert any("not to quasi-ballistic" in str(p) for p in info.value.problems)


def test_depressed_scud_er_uses_the_kb_offset() -> None:
    text = with_values(
        shipped("nk-mixed-raid-today"), {"threat.missiles[1].trajectory": "depressed"}
    )
    ledger = {e.name: e for e in resolve(text).ledger}
    assert ledger["trajectory.depressed.angle_offset_deg"].value == "-15 (range -25--5)"
    path = ledger["path.scud-er.Wonsan (Kalma) area.Sasebo.depressed"]
    assert path.value == "698 km, 6.6 min, apogee 133 km"  # 8.2 min, 210 km as minimum-energy
