"""The shared interceptor section (:mod:`anpo.scenario.interceptors`).

The missile-defence and air-base resolvers take interceptor SSPK and reliability,
magazine loads and the tiers' engagement doctrine from it, so the two kinds agree:
the air base's PAC-3 fire units fight with the missile-defence kind's lower-tier
window and engagement time, and its interceptors carry the same kb figures.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import yaml

from anpo import kb
from anpo.errors import KnowledgeBaseError
from anpo.models import missile_defense as md
from anpo.models.distributions import Dist
from anpo.scenario import interceptors
from anpo.scenario.air_base import AirBaseScenario
from anpo.scenario.air_base import resolve as resolve_air_base
from anpo.scenario.common import attempt
from anpo.scenario.missile_defense import DEFAULT_WINDOWS

KADENA = Path(__file__).parents[2] / "src" / "anpo" / "scenarios" / "kadena-today.yaml"


def test_tier_timing_is_the_missile_defence_default_feasibility() -> None:
    """Lower tier: the last 60 s, 25 s per engagement; upper: 0-420 s, 180 s each."""
    assert interceptors.TIER_TIMING["lower"] == (0.0, 60.0, 25.0)
    assert interceptors.TIER_TIMING["upper"] == (0.0, 420.0, 180.0)
    for tier, timing in interceptors.TIER_TIMING.items():
        win = DEFAULT_WINDOWS[tier]
        assert (win.window_open_s, win.window_close_s, win.engage_time_s) == timing


def test_magazine_load_and_kill_figures_come_from_the_kb() -> None:
    base = kb.load()
    day = kb.KB_AS_OF
    load = interceptors.magazine_load(base, day, "pac3-fire-unit", "pac3")
    assert load.data["applies_to"] == "pac3-fire-unit" and load.data["interceptor"] == "pac3"
    assert all(
        r.data["applies_to"] == "thaad-battery"
        for r in interceptors.magazine_loads(base, day, "thaad-battery")
    )
    with pytest.raises(KnowledgeBaseError, match="no pac3 magazine_load for nothing-here"):
        interceptors.magazine_load(base, day, "nothing-here", "pac3")
    record = base.get("pac3")
    sspk, reliability = interceptors.kill_dists(record)
    for dist, name in ((sspk, "sspk"), (reliability, "reliability")):
        r = record.range(name)
        assert isinstance(dist, Dist)
        assert min(dist.params) == pytest.approx(r.low) and max(dist.params) == pytest.approx(
            r.high
        )


def test_air_base_pac3_fights_with_the_missile_defence_lower_tier_doctrine() -> None:
    """Kadena's two PAC-3 fire units: each missile's window opens at its wave's time and
    closes 60 s later, 25 s per engagement, the kb's PAC-3 magazine and SSPK."""
    data = yaml.safe_load(KADENA.read_text())
    inputs, _, problems = attempt(
        resolve_air_base, AirBaseScenario.model_validate(data), kb.KB_AS_OF
    )
    assert problems == [] and inputs is not None
    d = inputs.defence
    assert isinstance(d, md.Inputs)
    assert d.shooter_tier.tolist() == [md.LOWER, md.LOWER]
    lower = interceptors.TIER_TIMING["lower"]
    reach = ~np.isnan(d.window_open_s)
    assert reach.all()
    np.testing.assert_allclose(
        d.window_close_s - d.window_open_s, lower.window_close_s, rtol=0, atol=1e-9
    )
    np.testing.assert_array_equal(d.engage_time_s, np.full(reach.shape, lower.engage_time_s))
    base = kb.load()
    load = interceptors.magazine_load(base, kb.KB_AS_OF, "pac3-fire-unit", "pac3")
    assert d.shooter_magazine.tolist() == [round(load.range("rounds").nominal)] * 2
    assert d.sspk[0] == interceptors.kill_dists(base.get("pac3"))[0]
