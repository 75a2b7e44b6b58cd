"""The layers that exist, each on its dates: SM-6 as a sea-based terminal layer on U.S.
ships (from December 2016) and the Maya class, THAAD on Guam (from April 2013) and the
U.S. battery in South Korea (from May 2017) as a posture option."""

from __future__ import annotations

import math
from importlib import resources

import numpy as np
import pytest

import anpo
from anpo.errors import ScenarioError
from anpo.models.missile_defense import LOWER
from anpo.scenario import parse, resolve
from anpo.scenario.edit import with_values


def shipped(name: str) -> str:
    return resources.files("anpo.scenarios").joinpath(f"{name}.yaml").read_text()


def test_sm6_is_a_sea_based_terminal_layer_from_2016() -> None:
    today = resolve(parse(shipped("nk-same-raid-today"))).inputs
    names = today.labels["shooter"]
    sm6 = [i for i, n in enumerate(names) if n.endswith("[sm6]")]
    assert "USN BMD ship 1 (Yokosuka) [sm6]" in names
    assert "JS Maya (DDG-179) [sm6]" in names
    assert all(today.shooter_tier[i] == LOWER for i in sm6)
    then = resolve(parse(shipped("guam-overflight-2015"))).inputs
    assert not any(n.endswith("[sm6]") for n in then.labels["shooter"])


def test_thaad_defends_guam_from_its_own_site() -> None:
    text = shipped("guam-overflight-2017")
    r = resolve(parse(text))
    names = r.inputs.labels["shooter"]
    assert "THAAD 1 (Task Force Talon) -> Guam" in names
    ledger = {e.name: e for e in r.ledger}
    assert ledger["thaad.thaad.guam"].kind == "fact"
    a = anpo.run(parse(text), trials=4000, seed=11)
    b = anpo.run(with_values(text, {"assets[0].thaad_batteries": 0}), trials=4000, seed=11)
    d = b.outcomes["leakers"].astype(float) - a.outcomes["leakers"].astype(float)
    assert d.mean() > 1.0 and d.mean() > 5 * 1.96 * d.std(ddof=1) / math.sqrt(d.size)


def test_thaad_is_not_there_before_2013_and_korea_s_battery_only_when_asked() -> None:
    text = shipped("guam-overflight-2015").replace("date: 2015-09-15", "date: 2012-09-15")
    with pytest.raises(ScenarioError, match="THAAD"):
        resolve(parse(text))
    korea = with_values(
        shipped("guam-overflight-2017"),
        {"assets[0].thaad_batteries": 2},
    )
    names = resolve(korea).inputs.labels["shooter"]
    assert "THAAD 2 (USFK THAAD battery) -> Guam" in names  # from Seongju: out of reach
    i = names.index("THAAD 2 (USFK THAAD battery) -> Guam")
    assert np.isnan(resolve(korea).inputs.window_close_s[i]).all()
