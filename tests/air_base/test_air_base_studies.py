"""anpo against the public air-base studies whose inputs are (partly) public.

Each check states the study, what it states, the inputs anpo takes from it, the inputs
that had to be assumed, the tolerance, and where anpo differs, by how much and why.
(Leonard 2017 on Andersen's parking, on the study's own inputs, is
:mod:`test_air_base_published`.)

RAND Scorecard (Heginbotham et al., RR-392-AF, 2015), ch. 3
------------------------------------------------------------
In :mod:`test_air_base_rand_scorecard` (reach by year, the parking attack on the
study's pattern and kill probability, and the Kadena runway raid).

Stimson Center, *Cratering Effects* (Grieco, Slingbaum, Walker, 2024)
--------------------------------------------------------------------
In :mod:`test_air_base_stimson` (repeated strikes on Kadena and Andersen).
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import numpy as np
import yaml

from anpo import kb
from anpo.models.air_base import Inputs, pattern_kill_probability, simulate
from anpo.models.distributions import Dist
from anpo.scenario.air_base import AirBaseScenario
from anpo.scenario.air_base import resolve as _resolve
from anpo.scenario.common import attempt


def resolve(sc: Any, day: Any) -> tuple[Any, Any, list[Any], None]:
    """The kind's resolver with its problems returned instead of raised, and no map."""
    return (*attempt(_resolve, sc, day), None)


SCENARIOS = Path(__file__).parents[2] / "src" / "anpo" / "scenarios"
N = 300


def _inputs(name: str, **change: Any) -> Inputs:
    data = yaml.safe_load((SCENARIOS / f"{name}.yaml").read_text())
    data.update(change)
    sc = AirBaseScenario.model_validate(data)
    inputs, _, problems, _ = resolve(sc, kb.KB_AS_OF if sc.date == "today" else sc.date)
    assert problems == []
    return inputs


def _median_days(inputs: Inputs) -> float:
    out = simulate(inputs, np.random.default_rng(np.random.SeedSequence(7)), N)
    return float(np.median(out["hours_closed"][:, 0] / 24.0))


def _slow(inputs: Inputs, crews: float, hours: float) -> Inputs:
    return dataclasses.replace(
        inputs,
        repair_crews=(Dist.fixed(crews),),
        repair_h=(Dist.fixed(hours),),
        type_repair_units=np.ones(inputs.n_types),
    )


def test_catalogue_bomblets_give_the_studies_kill_probabilities() -> None:
    """The catalogue's anti-materiel payloads against a parked aircraft inside the
    pattern: the DF-26 payload gives the 0.90 that Leonard (2017) takes from the
    Scorecard (tolerance 0.005); the cruise payload keeps Leonard's own bomblet lethal
    radius (8.79 m), which under anpo's random coverage gives 0.434 where Leonard's
    no-overlap rule gives 0.570: anpo is lower by 0.136, the overlap of the bomblets'
    lethal disks that Leonard ignores."""
    raid = [
        {"missile": "df-26", "warhead_id": "anti-materiel-bomblets-irbm", "count": 1},
        {"missile": "df-26", "warhead_id": "runway-penetrating-submunitions", "count": 1},
    ]
    for g in raid:
        g.update(base="Andersen Air Force Base", target="parking")
    inputs = _inputs("andersen-today", raid=raid, waves_h=[0])
    assert abs(pattern_kill_probability(inputs, 0) - 0.90) < 0.005
    assert pattern_kill_probability(inputs, 1) < 0.2  # a runway payload is weak on aircraft
    cruise = _inputs(
        "kadena-2010",
        raid=[
            {
                "missile": "cj-10",
                "warhead_id": "anti-materiel-bomblets-cruise",
                "count": 1,
                "base": "Kadena Air Base",
                "target": "parking",
            }
        ],
        waves_h=[0],
    )
    assert abs(pattern_kill_probability(cruise, 0) - 0.434) < 0.001
    n, r, big_r = 166, 8.79, 150.0
    assert abs(min(n * r * r / big_r**2, 1.0) - 0.570) < 0.001
