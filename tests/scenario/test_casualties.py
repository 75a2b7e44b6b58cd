"""The opt-in expected-casualty estimate: lethal area x unsheltered share x density."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

import anpo
from anpo.errors import ScenarioError
from anpo.scenario import parse, resolve

GEO = (Path(__file__).parents[1] / "fixtures" / "geo-raid.yaml").read_text(encoding="utf-8")


def with_casualties(spec: str) -> str:
    return GEO + f"casualties: {spec}\n"


def test_absent_changes_nothing_and_asks_for_no_estimate() -> None:
    plain = resolve(parse(GEO))
    assert plain.inputs.casualty_area_km2 == 0.0
    assert not any(e.name.startswith("casualties") for e in plain.ledger)


def test_conventional_estimate_uses_the_kb_nominal_values() -> None:
    r = resolve(parse(with_casualties("{model: lethal_area}")))
    # kb nominal: lethal area 0.03 km2 x unsheltered share 0.5
    assert r.inputs.casualty_area_km2 == pytest.approx(0.015, rel=1e-12)
    ledger = {e.name: e for e in r.ledger}
    assert ledger["casualties.conventional.area_km2"].value == "0.03 (range 0.01-0.06)"
    assert ledger["casualties.unsheltered_share"].value == "0.5 (range 0.3-1)"
    assert "lethal-area estimate, if these assumptions hold" in ledger["casualties.model"].note
    out = anpo.run(parse(with_casualties("{model: lethal_area}")), trials=400, seed=2).outcomes
    # every leaker's estimate is 0.015 / (pi r^2) per person within r = 10 km of its impact
    assert out["expected_casualties_total"].shape == (400,)
    np.testing.assert_array_equal(out["expected_casualties_total"] >= 0, True)
    assert out["expected_casualties_total"].max() > 0


def test_nuclear_area_scales_with_yield_to_the_two_thirds() -> None:
    r = resolve(parse(with_casualties("{model: lethal_area, warhead: nuclear, yield_kt: 8}")))
    # 1.1 km2 at 1 kt x 8^(2/3) = 4.4 km2, x 0.5 unsheltered = 2.2 km2
    assert r.inputs.casualty_area_km2 == pytest.approx(1.1 * 4 * 0.5, rel=1e-12)
    assert math.isclose(8 ** (2 / 3), 4.0)


def test_overrides_are_flagged() -> None:
    text = with_casualties("{model: lethal_area, lethal_area_km2: 0.05, unsheltered_share: 1}")
    r = resolve(parse(text))
    assert r.inputs.casualty_area_km2 == pytest.approx(0.05)
    flagged = {e.name for e in r.ledger if e.override}
    assert {"casualties.lethal_area_km2", "casualties.unsheltered_share"} <= flagged


def test_a_yield_needs_a_nuclear_warhead() -> None:
    with pytest.raises(ScenarioError) as info:
        resolve(parse(with_casualties("{model: lethal_area, yield_kt: 10}")))
    assert any(p.path == "casualties.yield_kt" for p in info.value.problems)
