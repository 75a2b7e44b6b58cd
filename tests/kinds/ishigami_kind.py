"""A test kind whose one outcome is the Ishigami function of three scenario fields.

y = sin x1 + a sin² x2 + b x3⁴ sin x1 with a = 7, b = 0.1 (Ishigami and Homma 1990),
the usual check of global sensitivity methods: its Sobol indices are known in closed
form. Every trial gives the same y (no randomness), so a sweep's point means are y.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
from numpy.typing import NDArray
from pydantic import Field

from anpo.kinds.base import Headline, KindSpec, Views
from anpo.models.base import OutcomeSpec
from anpo.scenario.common import LedgerBuilder, Resolution, ScenarioBase

A, B = 7.0, 0.1


@dataclass(frozen=True)
class Inputs:
    x: tuple[float, float, float]
    labels: Mapping[str, tuple[str, ...]] = field(default_factory=dict)


OUTCOMES = {"y": OutcomeSpec((), "", "The Ishigami function")}


def ishigami(x1: float, x2: float, x3: float) -> float:
    return float(np.sin(x1) + A * np.sin(x2) ** 2 + B * x3**4 * np.sin(x1))


def simulate(inputs: Inputs, rng: np.random.Generator, n_trials: int) -> dict[str, NDArray[Any]]:
    return {"y": np.full(n_trials, ishigami(*inputs.x))}


simulate_reference = simulate

PI = float(np.pi)


class IshigamiScenario(ScenarioBase):
    kind: Literal["ishigami"]
    x1: float = Field(default=0.0, ge=-PI, le=PI)
    x2: float = Field(default=0.0, ge=-PI, le=PI)
    x3: float = Field(default=0.0, ge=-PI, le=PI)


def resolve(spec: IshigamiScenario, day: dt.date) -> Resolution:
    b = LedgerBuilder()
    return b.resolution(Inputs((spec.x1, spec.x2, spec.x3)))


KIND = KindSpec(
    name="ishigami",
    title="Ishigami function",
    schema=IshigamiScenario,
    resolve=resolve,
    model="anpo_ishigami_kind",
    views=Views(headline=(Headline("y", "y", "y", ""),)),
)

# Closed forms (a = 7, b = 0.1): V = a²/8 + bπ⁴/5 + b²π⁸/18 + 1/2
V = A**2 / 8 + B * PI**4 / 5 + B**2 * PI**8 / 18 + 0.5
V1 = 0.5 * (1 + B * PI**4 / 5) ** 2
V2 = A**2 / 8
V13 = B**2 * PI**8 * (1 / 18 - 1 / 50)
S1 = (V1 / V, V2 / V, 0.0)
ST = ((V1 + V13) / V, V2 / V, V13 / V)
