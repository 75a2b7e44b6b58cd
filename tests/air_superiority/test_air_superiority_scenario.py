"""The shipped scenarios, the resolver's errors, and a sceptic's checks on common
random numbers (two variants run with one seed share their random numbers)."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any

import numpy as np
import pytest

from anpo.errors import ScenarioError
from anpo.kb import KB_AS_OF
from anpo.kinds import registry
from anpo.models.air_superiority import Inputs, simulate, simulate_reference
from anpo.models.distributions import Dist
from anpo.scenario import load_scenario
from anpo.scenario import resolve as resolve_scenario
from anpo.scenario.air_superiority import AirSuperiorityScenario, resolve

N = 1000


def rng(seed: int = 2010) -> np.random.Generator:
    return np.random.default_rng(np.random.SeedSequence(seed))


def spec(name: str) -> AirSuperiorityScenario:
    s = load_scenario(name).spec
    assert isinstance(s, AirSuperiorityScenario)
    return s


def day_of(s: AirSuperiorityScenario) -> dt.date:
    return KB_AS_OF if s.date == "today" else s.date  # type: ignore[return-value]


def inputs(s: AirSuperiorityScenario) -> Inputs:
    out = resolve(s, day_of(s)).inputs
    assert isinstance(out, Inputs)
    return out


def run(s: AirSuperiorityScenario, n: int = N) -> dict[str, Any]:
    return simulate(inputs(s), rng(2010), n)


def paired(a: np.ndarray, b: np.ndarray) -> tuple[float, float]:
    """Mean paired difference b - a and its Monte Carlo standard error."""
    d = np.asarray(b, dtype=float) - np.asarray(a, dtype=float)
    return float(d.mean()), float(d.std(ddof=1) / np.sqrt(len(d)))


@pytest.mark.parametrize(
    "name", ["taiwan-strait-2010", "taiwan-strait-today", "taiwan-strait-today-f22-381"]
)
def test_shipped_scenarios_resolve_through_the_kind(name: str) -> None:
    resolved = resolve_scenario(load_scenario(name))
    inp = resolved.inputs
    assert isinstance(inp, Inputs)
    assert inp.air_base is not None  # the raid on Kadena, by the air-base resolver
    assert "Kadena Air Base" in inp.labels["base"]
    k = inp.labels["base"].index("Kadena Air Base")
    assert inp.base_ab[k] == 0
    # Kadena is about 820 km from the CAP station, Andersen about 2,900 km
    assert 750 < inp.base_distance_km[k] < 900
    g = inp.labels["base"].index("Andersen Air Force Base")
    assert 2800 < inp.base_distance_km[g] < 3000
    names = {e.name for e in resolved.ledger}
    assert "f22.total" in names and "f22.combat_coded_share" in names
    assert any(n.startswith("raid.") for n in names)


def test_f22_counterfactual_scales_the_deployed_fleets() -> None:
    a = inputs(spec("taiwan-strait-today"))
    b = inputs(spec("taiwan-strait-today-f22-381"))
    f = a.labels["fleet"].index("USAF F-22A at Kadena Air Base")
    # a fifth of 187 x 123/187 = 24.6; of 381 x 123/187 = 50.1
    assert a.fleet_count[f].params[0] == pytest.approx(0.2 * 123, rel=1e-9)
    assert b.fleet_count[f].params[0] == pytest.approx(0.2 * 381 * 123 / 187, rel=1e-9)


def test_reference_twin_agrees_exactly_on_a_scenario_with_the_raid() -> None:
    inp = inputs(spec("taiwan-strait-2010"))
    a = simulate(inp, rng(4), 6)
    b = simulate_reference(inp, rng(4), 6)
    for key in a:
        assert np.array_equal(a[key], b[key]), key


def test_unknown_aircraft_and_base_are_named() -> None:
    s = spec("taiwan-strait-today")
    bad = s.model_copy(
        update={
            "fleets": [
                s.fleets[0].model_copy(update={"aircraft": "F-23A"}),
                s.fleets[1].model_copy(update={"base": "Clark"}),
                s.fleets[12].model_copy(update={"base": "Kadena Air Base"}),
            ]
        }
    )
    with pytest.raises(ScenarioError) as err:
        resolve(bad, KB_AS_OF)
    text = str(err.value)
    assert "fleets[0].aircraft" in text and "F-23A" in text and "F-22A" in text
    assert "fleets[1].base" in text and "Clark" in text
    assert "fleets[2].base" in text and "other side" in text


def test_uncertain_key_outside_the_allowed_is_named() -> None:
    s = AirSuperiorityScenario.model_validate(
        {
            **spec("taiwan-strait-2010").model_dump(exclude_unset=True),
            "uncertain": {"bvr_pk.RAF": {"dist": "fixed", "value": 0.3}},
        }
    )
    with pytest.raises(ScenarioError) as err:
        resolve(s, day_of(s))
    assert "uncertain.bvr_pk.RAF" in str(err.value) and "bvr_pk.allied" in str(err.value)


def test_kind_is_registered_with_its_views_and_levers() -> None:
    kind = registry.get("air_superiority")
    assert kind.lever("f22_total").domain == (187, 381)
    assert {lv.name for lv in kind.levers} >= {"f22_total", "carriers", "tankers", "aew"}
    assert any(f.chart == "by_day" and f.step == "day" for f in kind.views.figures)
    assert any(f.chart == "entries" and f.outcome == "sorties_lost" for f in kind.views.figures)
    assert kind.views.headline[0].zero_title == "P(local air superiority by day 3)"
    assert any(
        f.chart == "by_day" and f.outcome == "sorties_lost_by_day" and f.step == "day"
        for f in kind.views.figures
    )


def test_run_notes_say_where_the_allied_sorties_were_lost() -> None:
    # two trials: 300 and 100 allied sorties flown over two days; lost (closed, tankers,
    # distance) (60, 0, 40) and (20, 20, 60): means 40, 10, 50 of 200 + 100 possible
    kind = registry.get("air_superiority")
    assert kind.views.notes is not None
    sorties = np.zeros((2, 2, 2))
    sorties[0, 0] = (200.0, 100.0)
    sorties[1, 0] = (50.0, 50.0)
    sorties[:, 1] = 999.0  # the PLA's sorties count for nothing here
    outcomes = {"sorties": sorties, "sorties_lost": np.array([[60.0, 0, 40], [20, 20, 60]])}
    labels = {"cause": ("bases closed", "tankers", "distance")}
    assert kind.views.notes(outcomes, labels) == [
        "allied sorties lost (mean of 300 possible): bases closed 40 (13%); tankers 10 (3%); "
        "distance 50 (17%)"
    ]
    assert kind.views.notes({}, labels) == []


# --- a sceptic's checks ------------------------------------------------------------


def test_doubling_the_f22s_puts_more_allied_fighters_up_and_raises_superiority() -> None:
    s = spec("taiwan-strait-today").model_copy(update={"superiority_ratio": 0.5})
    a = run(s)
    b = run(s.model_copy(update={"f22_total": 374}))
    mean, se = paired(a["on_station"][:, 0, :].mean(1), b["on_station"][:, 0, :].mean(1))
    assert mean > 4 * se > 0
    mean, se = paired(a["superiority"].mean(1), b["superiority"].mean(1))
    assert mean > 3 * se > 0


def test_closing_kadena_longer_costs_sorties() -> None:
    s = spec("taiwan-strait-today")
    k = inputs(s).labels["base"].index("Kadena Air Base")
    more = [*s.raid]
    for wave in (3, 4):
        more.append(s.raid[4].model_copy(update={"wave": wave}))
    longer = s.model_copy(update={"raid": more, "waves_h": [0.0, 24.0, 48.0, 72.0, 96.0]})
    a, b = run(s, 300), run(longer, 300)
    ia, ib = inputs(s).air_base, inputs(longer).air_base
    assert ia is not None and ib is not None
    mean, se = paired(a["sorties_by_base"][:, k], b["sorties_by_base"][:, k])
    assert mean < -4 * se < 0
    mean, se = paired(a["sorties_lost"][:, 0], b["sorties_lost"][:, 0])
    assert mean > 4 * se > 0


def test_removing_tankers_costs_sorties_from_distant_bases_only() -> None:
    s = spec("taiwan-strait-today")
    inp = inputs(s)
    a = run(s, 300)
    b = run(s.model_copy(update={"tankers": 0}), 300)
    g = inp.labels["base"].index("Andersen Air Force Base")
    mean, se = paired(a["sorties_by_base"][:, g], b["sorties_by_base"][:, g])
    assert mean < -4 * se < 0
    assert np.all(b["sorties_by_base"][:, g] == 0)  # beyond every fighter's radius
    # bases within every type's radius fly exactly as many sorties on day 1
    tw = inp.labels["base"].index("Taiwan western bases")
    assert np.array_equal(a["sorties_by_base"][:, tw] > 0, b["sorties_by_base"][:, tw] > 0)
    assert np.all(b["sorties_lost"][:, 1] >= a["sorties_lost"][:, 1])


def test_pla_tankers_move_nothing_when_every_pla_base_is_within_radius() -> None:
    # Every PLA fighter's base lies within its unrefuelled combat radius, so its tankers
    # cannot change a sortie; the tanker count is drawn from its own named stream, so
    # not one random number elsewhere moves either: every outcome is identical.
    inp = inputs(spec("taiwan-strait-today"))
    pla = inp.fleet_side == 1
    assert np.all(inp.base_distance_km[inp.fleet_base[pla]] < inp.fleet_radius_km[pla])
    more = replace(inp, tanker_count=(inp.tanker_count[0], Dist.fixed(500.0)))
    a = simulate(inp, rng(9), 200)
    b = simulate(more, rng(9), 200)
    for key in a:
        assert np.array_equal(a[key], b[key]), key


@pytest.mark.parametrize(
    ("day", "total", "low", "high"),
    [
        (dt.date(2010, 1, 15), 570.0, 480.0, 660.0),  # DoD 2010 report's period
        (dt.date(2013, 12, 31), 570.0, 480.0, 660.0),
        (dt.date(2015, 6, 1), 720.0, 660.0, 780.0),  # RAND 2015: "more than 700"
        (dt.date(2017, 12, 31), 720.0, 660.0, 780.0),
    ],
)
def test_pla_fourth_generation_fighters_follow_the_sources_by_period(
    day: dt.date, total: float, low: float, high: float
) -> None:
    from anpo import kb

    recs = [
        r
        for r in kb.load().at(day, "air_fleet")
        if r.data["aircraft"] in ("J-10", "J-11/Su-27/Su-30")
    ]
    assert len(recs) == 2
    counts = [r.data["count"] for r in recs]
    assert sum(float(c["nominal"]) for c in counts) == total
    assert sum(float(c["low"]) for c in counts) == low
    assert sum(float(c["high"]) for c in counts) == high
