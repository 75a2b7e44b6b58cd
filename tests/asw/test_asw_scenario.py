"""The ``asw`` scenario kind: the Miyako barrier scenarios, errors and the partners lever."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import yaml

from anpo.kb import KB_AS_OF
from anpo.models.asw import simulate, simulate_reference
from anpo.scenario.asw import AswScenario
from anpo.scenario.asw import resolve as _resolve
from anpo.scenario.common import attempt


def resolve(sc: Any, day: Any) -> tuple[Any, Any, list[Any], None]:
    """The kind's resolver with its problems returned instead of raised, and no map."""
    return (*attempt(_resolve, sc, day), None)


FIXTURES = Path(__file__).parents[2] / "src" / "anpo" / "scenarios"


def load(name: str, **over: Any) -> AswScenario:
    data = yaml.safe_load((FIXTURES / f"{name}.yaml").read_text())
    data.update(over)
    return AswScenario.model_validate(data)


def day_of(sc: AswScenario) -> dt.date:
    return KB_AS_OF if sc.date == "today" else sc.date


def rng(seed: int = 0) -> np.random.Generator:
    return np.random.default_rng(np.random.SeedSequence(seed))


@pytest.mark.parametrize("name", ["miyako-barrier-2010", "miyako-barrier-today"])
def test_shipped_scenarios_resolve_and_agree(name: str) -> None:
    sc = load(name)
    inputs, ledger, problems, geometry = resolve(sc, day_of(sc))
    assert problems == [] and geometry is None
    assert all(e.source for e in ledger)
    a = simulate(inputs, rng(4), 100)
    b = simulate_reference(inputs, rng(4), 100)
    for key in a:
        assert np.array_equal(a[key], b[key]), key


def test_partners_stay_out_unless_listed() -> None:
    sc = load("miyako-barrier-2010")
    inputs, ledger, _, _ = resolve(sc, day_of(sc))
    assert inputs.labels["platform"] == (
        "jmsdf-p-3c",
        "jmsdf-surface",
        "jmsdf-helicopter",
        "jmsdf-submarine",
        "usn-p-3c",
    )
    assert sum(e.name.endswith(".excluded") for e in ledger) == 2
    both, _, _, _ = resolve(load("miyako-barrier-2010", partners=["ROKN", "RAN"]), day_of(sc))
    assert both.labels["platform"][-2:] == ("rokn-p-3c", "ran-p-3c")


def test_partners_lever_raises_kills() -> None:
    # South Korean and Australian patrol aircraft in the barrier: fewer submarines through,
    # by more than four standard errors of the paired difference
    n = 3000
    alone = simulate(resolve(load("miyako-barrier-today"), KB_AS_OF)[0], rng(5), n)
    sc = load("miyako-barrier-today", partners=["ROKN", "RAN"])
    joined = simulate(resolve(sc, KB_AS_OF)[0], rng(5), n)
    d = (alone["transits"] - joined["transits"]).astype(float)
    assert d.mean() > 4 * d.std(ddof=1) / np.sqrt(n) > 0


def test_strait_geometry_from_the_kb() -> None:
    sc = load("miyako-barrier-2010")
    inputs, _, _, _ = resolve(sc, day_of(sc))
    assert (inputs.barrier_length_km, inputs.barrier_depth_km) == (250.0, 90.0)
    assert inputs.labels["class"] == ("ssk", "ssn")
    assert inputs.sub_day.tolist() == [0, 1, 2, 3, 4, 5, 2, 3]


@pytest.mark.parametrize(
    ("over", "path", "words"),
    [
        (
            {
                "platforms": [{"platform": "p-3c", "navy": "RAN", "on_station": 1}],
                "partners": ["RAN"],
            },
            "platforms[0].platform",
            "had no p-3c",
        ),
        (
            {"platforms": [{"platform": "p-1", "navy": "JMSDF", "on_station": 1}]},
            "platforms[0].platform",
            "known then",
        ),
        (
            {"platforms": [{"platform": "p-3c", "navy": "USN", "on_station": 30}]},
            "platforms[0].on_station",
            "at most 12",
        ),
        (
            {"transits": [{"sub_class": "ssk", "count": 30, "per_day": 1}]},
            "transits[0]",
            "after the horizon",
        ),
        (
            {"uncertain": {"pk.nobody": {"dist": "fixed", "value": 0.5}}},
            "uncertain.pk.nobody",
            "allowed",
        ),
    ],
)
def test_bad_scenarios_name_the_field(over: dict[str, Any], path: str, words: str) -> None:
    name = "miyako-barrier-today" if "partners" in over else "miyako-barrier-2010"
    sc = load(name, **over)
    _, _, problems, _ = resolve(sc, day_of(sc))
    assert any(p.path == path and words in p.message for p in problems), problems
