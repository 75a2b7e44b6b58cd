"""Then and now: the same scenario on two dates, and the change taken apart.

A date fixes three things at once: the **threat** (the adversary's weapons and their
performance), the **forces** the alliance fields, and the **law** in force
(:data:`anpo.kb.FACTORS`). The study runs the scenario as written under all eight
combinations of those factors, each at its "then" or its "now" date
(:func:`anpo.kb.factor_dates`), with the same seed, chunk size and trials, so the
eight runs share their random numbers. The change from then to now is attributed to
each factor by its **Shapley value** (Shapley 1953):

    φ_i = Σ_{S ⊆ N∖{i}} |S|! (n − |S| − 1)! / n! · [v(S ∪ {i}) − v(S)],

where v(S) is the outcome with the factors in S at "now" and the others at "then";
the shares add up to v(N) − v(∅) exactly. Because every run holds the same trials,
φ_i is computed trial by trial, and its Monte Carlo error is the standard error of
those per-trial values (a paired error: much smaller than eight independent runs').
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from anpo import api, engine, kb, scenario
from anpo.errors import ScenarioError, UsageError
from anpo.store import Store
from anpo.studies import stored

__all__ = ["THEN", "ThenAndNow", "shapley", "then_and_now"]

THEN = dt.date(2010, 1, 1)
"""The essay's date: the default "then"."""

Combo = tuple[bool, ...]
"""Which factors are at their "now" date, in :data:`anpo.kb.FACTORS` order."""


def shapley(values: Mapping[Combo, NDArray[np.float64]], n: int) -> list[NDArray[np.float64]]:
    """Per factor, its Shapley share of ``values[(True,)*n] − values[(False,)*n]``.

    ``values[combo]`` may be per-trial arrays (the shares are then per trial too).
    """
    out = []
    for i in range(n):
        share = np.zeros_like(values[(False,) * n], dtype=np.float64)
        for combo in itertools.product((False, True), repeat=n):
            if combo[i]:
                continue
            s = sum(combo)
            weight = math.factorial(s) * math.factorial(n - s - 1) / math.factorial(n)
            with_i = tuple(True if k == i else c for k, c in enumerate(combo))
            share = share + weight * (values[with_i] - values[combo])
        out.append(share)
    return out


@dataclass(frozen=True)
class ThenAndNow:
    """The eight runs and the attribution of each outcome's change."""

    name: str
    then: dt.date
    now: dt.date
    outcomes: tuple[str, ...]
    means: pd.DataFrame
    """One row per combination: which factors are at "now", and each outcome's mean."""
    attribution: pd.DataFrame
    """Per outcome: then, now, the change, and each factor's share with its 95% interval."""
    refused: Mapping[str, str]
    """Combinations that could not be resolved (say, a missile not yet in service then)."""
    study_id: str | None = None
    """The study that keeps it in a store (when run with one)."""


def _per_trial(array: NDArray[Any]) -> NDArray[np.float64]:
    a = np.asarray(array, dtype=np.float64)
    return a if a.ndim == 1 else np.nansum(a.reshape(a.shape[0], -1), axis=1)


def then_and_now(
    ref: scenario.Scenario | str,
    outcomes: Sequence[str] = (),
    then: dt.date = THEN,
    now: dt.date = kb.KB_AS_OF,
    trials: int = api.DEFAULT_TRIALS,
    seed: int = api.DEFAULT_SEED,
    chunk_size: int = api.DEFAULT_CHUNK_SIZE,
    workers: int = 1,
    progress: Callable[[int, int], None] | None = None,
    store: Store | str | Path | None = None,
) -> ThenAndNow:
    """Run a scenario's threat under every mix of then's and now's threat, forces and law.

    Parameters
    ----------
    ref
        The scenario (a Scenario, a YAML path or a shipped name). Its threat, assets
        and doctrine are kept; its date is replaced by the factors' dates.
    outcomes
        Which outcomes to attribute (default: the kind's headline outcomes).
    progress
        ``progress(mixes_done, 8)`` after each of the eight mixes.
    store
        Where to keep the eight runs and the study (none by default); each mix is
        recorded once its run is stored (:mod:`anpo.studies.stored`).
    """
    from anpo.kinds import registry

    sc = ref if isinstance(ref, scenario.Scenario) else api.load_scenario(ref)
    views = registry.views(sc.kind)
    names = tuple(outcomes) or tuple(dict.fromkeys(h.outcome for h in views.headline))
    if not names:
        raise UsageError("name the outcomes to attribute")
    factors = kb.FACTORS
    n = len(factors)
    # the scenario on the later date; each factor's look-ups on its own date
    base = dataclasses.replace(sc, spec=sc.spec.model_copy(update={"date": now}))
    values: dict[Combo, dict[str, NDArray[np.float64]]] = {}
    refused: dict[str, str] = {}
    rows = []
    target = stored.persistent(store)
    recorder = None
    if target is not None:
        spec = stored.spec_of(
            "then-and-now", sc.text, sc.origin, outcomes=list(names), then=str(then),
            now=str(now), trials=trials, seed=seed, chunk_size=chunk_size,
        )  # fmt: skip
        recorder = stored.recorder_for(
            target, "then-and-now", sc.name, sc.kind, spec, seed, trials, chunk_size
        )
    with engine.executor_for(workers) as executor:
        for done, combo in enumerate(itertools.product((False, True), repeat=n)):
            if progress is not None:
                progress(done, 2**n)
            dates = {f: (now if c else then) for f, c in zip(factors, combo, strict=True)}
            label = ", ".join(f"{f} {d.year}" for f, d in dates.items())
            changes = {f: str(d) for f, d in dates.items()}
            try:
                with kb.factor_dates(**dates):
                    result = api.run(
                        base, trials, seed, workers, chunk_size, target, executor=executor
                    )
            except ScenarioError as exc:
                refused[label] = "; ".join(str(p) for p in exc.problems[:3])
                if recorder is not None:
                    recorder.variant(label, changes, None, refused[label])
                continue
            if recorder is not None:
                recorder.variant(label, changes, result.run_id)
            missing = [o for o in names if o not in result.outcomes]
            if missing:
                raise UsageError(f"no outcome {', '.join(missing)} in this kind's runs")
            values[combo] = {o: _per_trial(result.outcomes[o]) for o in names}
            rows.append({**{f: d.year for f, d in dates.items()},
                         **{o: float(values[combo][o].mean()) for o in names}})  # fmt: skip
    if progress is not None:
        progress(2**n, 2**n)
    attribution = []
    if len(values) == 2**n:
        for o in names:
            per = {c: v[o] for c, v in values.items()}
            shares = shapley(per, n)
            change = per[(True,) * n] - per[(False,) * n]
            row: dict[str, Any] = {
                "outcome": o,
                "then": float(per[(False,) * n].mean()),
                "now": float(per[(True,) * n].mean()),
                "change": float(change.mean()),
                "change_ci95": 1.96 * float(change.std(ddof=1)) / math.sqrt(change.size),
            }
            for f, share in zip(factors, shares, strict=True):
                row[f] = float(share.mean())
                row[f"{f}_ci95"] = 1.96 * float(share.std(ddof=1)) / math.sqrt(share.size)
            attribution.append(row)
    means_frame, attribution_frame = pd.DataFrame(rows), pd.DataFrame(attribution)
    if recorder is not None:
        recorder.finish({"means": means_frame, "attribution": attribution_frame})
    return ThenAndNow(
        name=sc.name,
        then=then,
        now=now,
        outcomes=names,
        means=means_frame,
        attribution=attribution_frame,
        refused=refused,
        study_id=recorder.study_id if recorder is not None else None,
    )


def shipped_pairs() -> list[tuple[str, str]]:
    """Shipped scenarios with a 2010 form: (``X-2010``, ``X-today``) for every X that has
    both, in name order. :func:`then_and_now` of the 2010 form, from its own date to
    today, answers "what changed, and why" for that scenario."""
    names = scenario.shipped()
    return [
        (name, name[: -len("-2010")] + "-today")
        for name in sorted(names)
        if name.endswith("-2010") and name[: -len("-2010")] + "-today" in names
    ]
