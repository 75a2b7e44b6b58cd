"""The ``naval`` scenario kind: resolution of the East China Sea scenarios, errors, levers."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import yaml

from anpo.kb import KB_AS_OF
from anpo.models.naval import simulate, simulate_reference
from anpo.scenario.common import attempt
from anpo.scenario.naval import NavalScenario
from anpo.scenario.naval import resolve as _resolve


def resolve(sc: Any, day: Any) -> tuple[Any, Any, list[Any], None]:
    """The kind's resolver with its problems returned instead of raised, and no map."""
    return (*attempt(_resolve, sc, day), None)


FIXTURES = Path(__file__).parents[2] / "src" / "anpo" / "scenarios"


def load(name: str, **over: Any) -> NavalScenario:
    data = yaml.safe_load((FIXTURES / f"{name}.yaml").read_text())
    data.update(over)
    return NavalScenario.model_validate(data)


def day_of(sc: NavalScenario) -> dt.date:
    return KB_AS_OF if sc.date == "today" else sc.date


def rng(seed: int = 0) -> np.random.Generator:
    return np.random.default_rng(np.random.SeedSequence(seed))


@pytest.mark.parametrize("name", ["east-china-sea-2010", "east-china-sea-today"])
def test_shipped_scenarios_resolve_and_agree(name: str) -> None:
    sc = load(name)
    inputs, ledger, problems, geometry = resolve(sc, day_of(sc))
    assert problems == [] and geometry is None
    assert all(e.source for e in ledger)
    assert {e.kind for e in ledger} <= {"fact", "estimate", "assumption"}
    a = simulate(inputs, rng(3), 60)
    b = simulate_reference(inputs, rng(3), 60)
    for key in a:
        assert np.array_equal(a[key], b[key]), key


def test_2010_group_as_resolved() -> None:
    sc = load("east-china-sea-2010")
    inputs, _, _, _ = resolve(sc, day_of(sc))
    assert inputs.labels["group"] == (
        "kongo",
        "burke",
        "takanami",
        "sovremenny",
        "type-052c",
        "type-054a",
    )
    assert inputs.n_ships == 11
    assert inputs.ship_missiles.tolist() == [8] * 11
    assert inputs.shots.tolist() == [2, 1]  # allied two interceptors a missile, PLAN one in 2010
    # the allied targeting spreads fire over the PLAN groups by their ship counts
    assert inputs.targeting[0, 3:].tolist() == pytest.approx([1 / 3] * 3)
    # allied scouting W v / A = 200 × 650 / 300,000; PLAN 150 × 550 / 400,000 (per hour)
    assert inputs.scouting_rate_per_h.tolist() == pytest.approx(
        [200 * 650 / 300_000, 150 * 550 / 400_000]
    )


@pytest.mark.parametrize(
    ("over", "path", "words"),
    [
        ({"pla": [{"ship_class": "type-055", "count": 2}]}, "pla[0].ship_class", "known then"),
        ({"pla": [{"ship_class": "kongo", "count": 1}]}, "pla[0].ship_class", "cannot sail"),
        ({"allied": [{"ship_class": "warp", "count": 1}]}, "allied[0].ship_class", "known then"),
        (
            {"allied": [{"ship_class": "kongo", "count": 1, "targets": {"sovremenny": 0.5}}]},
            "allied[0].targets",
            "sum to 1",
        ),
        (
            {"allied": [{"ship_class": "kongo", "count": 1, "targets": {"kongo": 1.0}}]},
            "allied[0].targets",
            "not an enemy group",
        ),
        (
            {"uncertain": {"p_hit.nobody": {"dist": "fixed", "value": 0.5}}},
            "uncertain.p_hit.nobody",
            "allowed",
        ),
    ],
)
def test_bad_scenarios_name_the_field(over: dict[str, Any], path: str, words: str) -> None:
    sc = load("east-china-sea-2010", **over)
    _, _, problems, _ = resolve(sc, day_of(sc))
    assert problems, over
    assert any(p.path == path and words in p.message for p in problems), problems


def test_more_ships_than_the_navy_had() -> None:
    sc = load("east-china-sea-today", pla=[{"ship_class": "type-055", "count": 12}])
    _, _, problems, _ = resolve(sc, day_of(sc))
    assert any(p.path == "pla[0].count" and "at most 10" in p.message for p in problems)


def test_more_aegis_defence_fewer_allied_losses() -> None:
    # the sceptic's check on a shipped scenario: doubling what each allied ship can engage in
    # a salvo lowers allied ships out of action by more than four standard errors
    base_sc = load("east-china-sea-today")
    more_sc = load(
        "east-china-sea-today",
        allied=[
            {"ship_class": "maya", "count": 2, "defence_per_salvo": 16},
            {"ship_class": "kongo", "count": 1, "defence_per_salvo": 12},
            {"ship_class": "burke", "count": 1, "defence_per_salvo": 12},
            {"ship_class": "mogami", "count": 2, "defence_per_salvo": 4},
        ],
    )
    n = 3000
    base = simulate(resolve(base_sc, KB_AS_OF)[0], rng(9), n)
    more = simulate(resolve(more_sc, KB_AS_OF)[0], rng(9), n)
    d = (base["out_of_action_total"][:, 0] - more["out_of_action_total"][:, 0]).astype(float)
    assert d.mean() > 4 * d.std(ddof=1) / np.sqrt(n) > 0
