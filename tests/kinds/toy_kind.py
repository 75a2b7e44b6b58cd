"""A toy campaign kind: the worked example of adding a kind to anpo.

Everything a kind needs, in one file: a pure model (inputs, outcomes, ``simulate`` and
its per-trial reference twin), a scenario schema, a resolver that enters each input in
the ledger, its views declared as data, and one registration. A shipped kind splits
the same parts over ``anpo/models/<kind>/`` and ``anpo/kinds/<kind>/`` and adds one
line to ``anpo.kinds.registry.BUILTIN``; a kind outside anpo registers through the
``anpo.kinds`` entry-point group.

The model: a salvo of ``shots`` independent shots at one target, each killing it with
probability p (uncertain, drawn once per trial); the target survives with
probability E[(1 − p)^shots].
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
from numpy.typing import NDArray
from pydantic import Field

from anpo.kinds.base import FigureView, Headline, KindSpec, Lever, Views
from anpo.models.base import OutcomeSpec, substream
from anpo.models.distributions import Dist
from anpo.scenario.common import LedgerBuilder, Resolution, ScenarioBase

# -- the model (pure NumPy) ----------------------------------------------------------


@dataclass(frozen=True)
class Inputs:
    shots: int
    p_kill: Dist
    labels: Mapping[str, tuple[str, ...]] = field(default_factory=dict)


OUTCOMES = {
    "hits": OutcomeSpec((), "count", "Shots that hit"),
    "survived": OutcomeSpec((), "probability", "1 if the target survived"),
}


def simulate(inputs: Inputs, rng: np.random.Generator, n_trials: int) -> dict[str, NDArray[Any]]:
    p = inputs.p_kill.sample(substream(rng, "p_kill"), n_trials)
    u = substream(rng, "shots").random((n_trials, inputs.shots))
    hits = (u < p[:, None]).sum(axis=1).astype(np.float64)
    return {"hits": hits, "survived": (hits == 0).astype(np.float64)}


def simulate_reference(
    inputs: Inputs, rng: np.random.Generator, n_trials: int
) -> dict[str, NDArray[Any]]:
    p = inputs.p_kill.sample(substream(rng, "p_kill"), n_trials)
    u = substream(rng, "shots").random((n_trials, inputs.shots))
    hits = np.zeros(n_trials)
    for t in range(n_trials):
        hits[t] = sum(1.0 for k in range(inputs.shots) if u[t, k] < p[t])
    return {"hits": hits, "survived": (hits == 0).astype(np.float64)}


# -- the scenario ----------------------------------------------------------------------


class ToyScenario(ScenarioBase):
    kind: Literal["toy"]
    shots: int = Field(ge=1, le=16)
    p_low: float = Field(ge=0, le=1)
    p_high: float = Field(ge=0, le=1)


def resolve(spec: ToyScenario, day: dt.date) -> Resolution:
    b = LedgerBuilder()
    if spec.p_high < spec.p_low:
        b.problem("p_high", spec.p_high, "must be at least p_low")
    b.assume("shots", str(spec.shots), "shots", "the scenario's salvo")
    b.assume("p_kill", f"uniform({spec.p_low}, {spec.p_high})", "", "per shot")
    return b.resolution(Inputs(spec.shots, Dist("uniform", (spec.p_low, spec.p_high))))


# -- the registration ------------------------------------------------------------------

KIND = KindSpec(
    name="toy",
    title="Toy salvo",
    schema=ToyScenario,
    resolve=resolve,
    model="anpo_toy_kind",
    views=Views(
        headline=(
            Headline(
                key="survival",
                outcome="survived",
                title="Target survives",
                unit="probability",
            ),
            Headline(
                key="hits",
                outcome="hits",
                title="Hits on the target",
                unit="hits",
                zero_title="P(no hit)",
                zero_wording="Share of trials in which every shot missed.",
            ),
        ),
        figures=(FigureView("distribution", "hits", "Hits", "hits", "Share of trials by hits."),),
    ),
    levers=(Lever("shots", "shots", "int", (1, 16), "shots in the salvo", "shots"),),
)
