"""Credibility = capability × willingness: the founding essay's closing test, computed.

The essay ends on one test: the alliance's credibility "will rest on the combination of
military capability and willingness ... that each partner possesses". This module puts
that sentence into numbers, every one of them either a model outcome or a stated,
labelled assumption, so that a user can see what the answer rests on and change it.
Nothing here is a forecast: every figure reads "if these assumptions hold".

**Capability.** Each kind declares objective measures (:class:`anpo.kinds.base.Objective`).
For scenario s the capability is the share of trials that meet its objective,

    C_s = k / n,   with the Wilson (1927) score interval
    (p̂ + z²/2n ± z·√(p̂(1 − p̂)/n + z²/4n²)) / (1 + z²/n),

run with every party's forces whose **legal gate** is open.

**Legal gate.** For each party the kind names the action the defence needs of it
(:class:`anpo.kinds.base.PartyRole`). The law engine (:func:`anpo.law.may_engage`) says
whether it is available on the date: ``permitted`` or ``conditional`` (the conditions
read as met, and shown) opens the gate; ``prohibited`` or ``no_basis`` closes it. A
party for which the law engine holds nothing (``action=None``) is taken as open, and
says so. A closed gate **removes exactly that party's contribution**: the scenario is
run with that party's forces taken out (its role's ``remove`` edits, through
:func:`anpo.scenario.edit.with_values`), on the same random numbers.

**Contribution.** For each open party q with modelled forces, the scenario is run again
without them: Δ_q = C_s − C_s^{−q}, a paired difference (common random numbers) with
its paired standard error. A removal the scenario's schema refuses (no allied ship
left) counts as a defence that fails in every trial.

**Willingness.** W_p = resolve_p × domestic_support_p × casualty_tolerance_p, three
probabilities read as a chain (decides to act; support holds; stays in despite losses),
each drawn from a triangular distribution on its kb range (``willingness`` records,
labelled assumptions).

**Credibility.** Per scenario and party: cred_{s,p} = C_s × W_p, exactly. For the
alliance in scenario s, each open party q with modelled forces acts independently with
probability W_q, and the scenario's capability when only the parties in S act, C_s(S),
is measured by running it without the others' forces (on the same random numbers):

    Cred_s = Σ_{S ⊆ Q} Π_{q ∈ S} W_q · Π_{q ∈ Q∖S} (1 − W_q) · C̃_s(S),
    C̃_s(S) = min(C_s, max_{T ⊆ S} C_s(T)),

the expected capability over who turns out to be willing; Q is the set of open parties
with modelled forces and C_s(Q) = C_s. The envelope C̃ makes a party's forces never hurt
(a measured negative contribution, Monte Carlo noise, counts as none), so Cred_s grows
with every C_s(S) and with every W_q, and Cred_s = C_s when every party is willing. A
party whose gate is closed is not in Q (its forces are already out). With one party,
Cred_s = C_s − (1 − W_q)·max(Δ_q, 0); with several, the subsets carry the interactions
(two parties that only succeed together lose the whole capability if either is
unwilling), which a one-party-at-a-time sum would miss.

**Deterrence margin** (the adversary's expected utility of attacking, after Russett
1963 and Huth 1988), in units of the gain of a success G:

    M_s = (1 − C_s)·G − C_s·K − R·Cred_s,

K the cost of a failed attack and R the expected cost of the defenders' response if
they respond, weighted by the alliance's credibility. A negative margin deters.

**Portfolio.** Scenarios with weights w_s (``portfolio_weight`` records, assumptions):
the overall figures are weighted means over the scenarios that resolve on the date.

**Intervals.** Monte Carlo over both sides: C_s ~ Beta(k + ½, n − k + ½) (the Jeffreys
posterior of the trial share), Δ_q ~ Normal(Δ_q, SE_q), every assumption from its
triangular distribution, in ``draws`` joint draws on named sub-streams of ``seed``; the
interval is the 2.5th-97.5th percentile of the draws. Point values use k/n and the
assumptions' means, so the identity cred = C × W holds exactly.

References
----------
Russett, B. M. (1963). The Calculus of Deterrence. Journal of Conflict Resolution 7(2).
Huth, P., Russett, B. (1984). What Makes Deterrence Work? World Politics 36(4).
Huth, P. (1988). Extended Deterrence and the Prevention of War. Yale University Press.
Wilson, E. B. (1927). Probable inference ... JASA 22(158).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import yaml
from numpy.typing import NDArray

from anpo import api, engine, kb, law, scenario
from anpo.errors import ScenarioError, UsageError
from anpo.kinds import registry
from anpo.kinds.base import Objective, PartyRole
from anpo.models.base import substream
from anpo.scenario.edit import with_values

__all__ = [
    "DEFAULT_DRAWS",
    "DEFAULT_TRIALS",
    "LEVERS",
    "NOT_MODELLED",
    "Assumption",
    "Counterfactual",
    "Credibility",
    "Entry",
    "Gate",
    "PartyResult",
    "ScenarioResult",
    "ThenAndNowCredibility",
    "assumptions",
    "counterfactuals",
    "credibility",
    "default_portfolio",
    "gate",
    "indicators",
    "objective_met",
    "objective_of",
    "then_and_now_credibility",
    "wilson",
]

DEFAULT_TRIALS = 400
"""Trials per run: small, so a portfolio finishes in seconds; raise it for tighter
capability intervals (their width shrinks as 1/√n)."""
DEFAULT_DRAWS = 4000
"""Joint Monte Carlo draws of capability and the assumptions, for the intervals."""
LABEL = "assumption"
IF = "if these assumptions hold"


# ---------------------------------------------------------------------------- assumptions
@dataclass(frozen=True)
class Assumption:
    """One stated, labelled parameter: a range drawn from the triangular distribution."""

    key: str
    low: float
    nominal: float
    high: float
    reasoning: str
    record: str
    unit: str = "probability"
    label: str = LABEL

    @property
    def mean(self) -> float:
        """The triangular distribution's mean, (low + nominal + high) / 3."""
        return (self.low + self.nominal + self.high) / 3.0

    def sample(self, rng: np.random.Generator, n: int) -> NDArray[np.float64]:
        """``n`` draws (the nominal value when the range is a point)."""
        if self.high <= self.low:
            return np.full(n, self.nominal)
        return rng.triangular(self.low, self.nominal, self.high, n)

    def as_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "label": self.label,
            "low": self.low,
            "nominal": self.nominal,
            "high": self.high,
            "mean": self.mean,
            "unit": self.unit,
            "record": self.record,
            "reasoning": self.reasoning,
        }


WILLINGNESS_TERMS = ("resolve", "domestic_support", "casualty_tolerance")


def _assumption(record: kb.Record, key: str, field_: str, unit: str) -> Assumption:
    r = record.range(field_)
    return Assumption(key, r.low, r.nominal, r.high, record.reasoning or "", record.id, unit)


def assumptions(day: dt.date) -> dict[str, Assumption]:
    """Every default assumption in force on ``day``, by key.

    ``willingness.<party>.<term>``, ``weight.<scenario>`` and ``deterrence.<parameter>``.
    """
    base = kb.load()
    out: dict[str, Assumption] = {}
    for r in base.at(day, "willingness"):
        for term in WILLINGNESS_TERMS:
            key = f"willingness.{r.data['party']}.{term}"
            out[key] = _assumption(r, key, term, "probability")
    for r in base.at(day, "portfolio_weight"):
        key = f"weight.{r.data['scenario']}"
        out[key] = _assumption(r, key, "weight", "weight")
    for r in base.at(day, "deterrence_parameter"):
        key = f"deterrence.{r.data['parameter']}"
        out[key] = _assumption(r, key, "value", str(r.data["unit"]))
    return out


def indicators(day: dt.date) -> list[dict[str, Any]]:
    """Public indicators and declarations published by ``day``, with their citations.

    Shown beside the willingness parameters; never used in a computation.
    """
    base = kb.load()
    rows = []
    for type_ in ("public_indicator", "declaration"):
        for r in base.at(day, type_):
            rows.append(
                {
                    "type": type_,
                    "id": r.id,
                    "party": r.data["party"],
                    "year": r.data["year"],
                    "what": r.entity,
                    "value": r.data.get("value", r.data.get("statement")),
                    "unit": r.data.get("unit", ""),
                    "label": "fact",
                    "source": base.cite(r),
                    "url": base.url(r),
                }
            )
    return sorted(rows, key=lambda x: (x["party"], x["type"], x["year"], x["id"]))


# ------------------------------------------------------------------------------ objectives
def wilson(k: int, n: int, z: float = 1.96) -> tuple[float, float]:
    """Wilson's score interval for a binomial share k/n (Wilson 1927)."""
    if n <= 0:
        return (0.0, 1.0)
    p = k / n
    centre = p + z * z / (2 * n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    den = 1 + z * z / n
    lo = 0.0 if k == 0 else max(0.0, (centre - half) / den)
    hi = 1.0 if k == n else min(1.0, (centre + half) / den)
    return (lo, hi)


_TESTS: dict[str, Callable[[NDArray[np.float64], float], NDArray[np.bool_]]] = {
    "<": lambda v, t: v < t,
    "<=": lambda v, t: v <= t,
    "==": lambda v, t: v == t,
    ">=": lambda v, t: v >= t,
    ">": lambda v, t: v > t,
}


def objective_met(
    objective: Objective,
    outcomes: Mapping[str, NDArray[Any]],
    dims: Mapping[str, tuple[str, ...]],
    labels: Mapping[str, tuple[str, ...]],
    spec: Any,
) -> NDArray[np.bool_] | None:
    """Per trial, whether ``objective`` is met; None where it does not apply to the scenario.

    See :class:`anpo.kinds.base.Objective` for the selection and reduction.
    """
    if objective.outcome not in outcomes:
        raise UsageError(f"objective {objective.key}: no outcome {objective.outcome!r} in the run")
    if objective.value is not None:
        number = np.asarray(objective.value(outcomes, labels, spec), dtype=np.float64)
        return _TESTS[objective.test](number, objective.threshold)
    a = np.asarray(outcomes[objective.outcome], dtype=np.float64)
    chosen = dict(objective.where)
    if objective.select is not None:
        chosen.update(objective.select(spec))
    starts = dict(objective.from_step)
    for axis, dim in enumerate(dims.get(objective.outcome, ()), start=1):
        names = labels.get(dim, ())
        if dim in chosen:
            keep = [i for i, name in enumerate(names) if name in chosen[dim]]
            if not keep:
                return None
            a = np.take(a, keep, axis=axis)
        if dim in starts:
            a = np.take(a, list(range(starts[dim], a.shape[axis])), axis=axis)
    flat = a.reshape(a.shape[0], -1)
    if flat.shape[1] == 0:
        return None
    if objective.aggregate == "max":
        number = flat.max(axis=1)
    elif objective.aggregate == "min":
        number = flat.min(axis=1)
    else:
        number = flat.sum(axis=1)
    return _TESTS[objective.test](number, objective.threshold)


def objective_of(kind: str, key: str | None = None) -> Objective:
    """The kind's objective called ``key`` (default: its first, the primary one)."""
    spec = registry.get(kind)
    if not spec.objectives:
        raise UsageError(f"kind {kind} declares no objective measures")
    if key is None:
        return spec.objectives[0]
    for o in spec.objectives:
        if o.key == key:
            return o
    known = ", ".join(o.key for o in spec.objectives)
    raise UsageError(f"kind {kind} has no objective {key!r}; its objectives: {known}")


# ------------------------------------------------------------------------------ law gates
@dataclass(frozen=True)
class Gate:
    """Whether the action the defence needs of one party is lawfully available."""

    party: str
    action: str | None
    situation: str | None
    status: str
    open: bool
    condition: str | None = None
    citations: tuple[str, ...] = ()
    forced: bool = False

    def as_dict(self) -> dict[str, Any]:
        return {
            "party": self.party,
            "action": self.action,
            "situation": self.situation,
            "status": self.status,
            "open": self.open,
            "condition": self.condition,
            "citations": list(self.citations),
            "forced": self.forced,
        }


def gate(role: PartyRole, day: dt.date, situation: str | None = None) -> Gate:
    """The law engine's answer for ``role``'s action on ``day`` (the law factor's date).

    ``permitted`` and ``conditional`` open the gate (conditions read as met and shown);
    ``prohibited`` and ``no_basis`` close it; no action to ask about: open, as an
    assumption (``status="not_asked"``).
    """
    where = situation or role.situation
    if role.action is None or where is None:
        return Gate(role.party, role.action, where, "not_asked", True, role.note or None)
    answer = law.may_engage(kb.factor_day("law", day), role.party, role.action, where)
    return Gate(
        role.party,
        role.action,
        where,
        answer.status,
        answer.status in ("permitted", "conditional"),
        answer.condition,
        tuple(answer.citations),
    )


# ---------------------------------------------------------------------------- portfolios
@dataclass(frozen=True)
class Entry:
    """One scenario of a portfolio: its weight (an assumption unless the user sets it)."""

    scenario: str
    weight: float
    objective: str | None = None
    label: str = LABEL
    values: Mapping[str, Any] = field(default_factory=dict)
    """Field paths set on the scenario (a lever's counterfactual)."""


def forms(name: str, day: dt.date) -> list[str]:
    """The scenarios that stand for ``name`` on ``day``, best first.

    A shipped scenario (or a YAML path) stands for itself. A *family* ``X`` stands for
    its shipped forms ``X-2010`` and ``X-today``, the one whose own date is nearest
    ``day`` first (the other is tried when the first does not resolve on ``day``).
    """
    shipped = scenario.shipped()
    if name in shipped or name.endswith((".yaml", ".yml")):
        return [name]
    found = [f for f in (f"{name}-2010", f"{name}-today") if f in shipped]
    if not found:
        raise UsageError(
            f"no shipped scenario or family {name!r} (a family X has shipped forms X-2010, X-today)"
        )

    def distance(form: str) -> tuple[int, int]:
        own = api.load_scenario(form).spec.date
        own_day = kb.KB_AS_OF if own == "today" else own
        return (abs((own_day - day).days), -own_day.toordinal())

    return sorted(found, key=distance)


def default_portfolio(day: dt.date = kb.KB_AS_OF) -> list[Entry]:
    """The kb's default portfolio: each ``portfolio_weight`` record at its nominal weight."""
    return [
        Entry(str(r.data["scenario"]), r.range("weight").nominal)
        for r in kb.load().at(day, "portfolio_weight")
    ]


# ------------------------------------------------------------------------------- results
@dataclass
class PartyResult:
    """One party in one scenario: its gate, contribution and credibility."""

    party: str
    forces: str
    gate: Gate
    modelled: bool
    contribution: float | None
    contribution_se: float | None
    willingness: float
    willingness_ci: tuple[float, float]
    credibility: float
    credibility_ci: tuple[float, float]
    note: str = ""
    refused: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "party": self.party,
            "forces": self.forces,
            "gate": self.gate.as_dict(),
            "modelled": self.modelled,
            "contribution": self.contribution,
            "contribution_se": self.contribution_se,
            "willingness": self.willingness,
            "willingness_ci95": list(self.willingness_ci),
            "credibility": self.credibility,
            "credibility_ci95": list(self.credibility_ci),
            "note": self.note,
            "refused": self.refused,
        }


@dataclass
class ScenarioResult:
    """One scenario of the portfolio on one date."""

    scenario: str
    kind: str
    weight: float
    objective: Objective | None
    n: int = 0
    k: int = 0
    parties: list[PartyResult] = field(default_factory=list)
    credibility: float = float("nan")
    credibility_ci: tuple[float, float] = (float("nan"), float("nan"))
    margin: float = float("nan")
    margin_ci: tuple[float, float] = (float("nan"), float("nan"))
    p_deters: float = float("nan")
    refused: str | None = None
    met: NDArray[np.bool_] | None = field(default=None, repr=False)
    form: str = ""
    """The shipped scenario that stood for the entry on the date."""
    weight_label: str = LABEL
    """``assumption`` (the kb's default weight) or ``set by the user``."""
    acting: tuple[str, ...] = ()
    """The open parties with modelled forces whose willingness decides the alliance's
    credibility (Q in the module's notes)."""
    subsets: dict[frozenset[str], tuple[float, float]] = field(default_factory=dict)
    """Per proper subset S of ``acting``: C_s − C_s(S), the capability lost when only
    the parties in S act, as a paired mean and its standard error."""

    @property
    def capability(self) -> float:
        return self.k / self.n if self.n else float("nan")

    @property
    def capability_ci(self) -> tuple[float, float]:
        return wilson(self.k, self.n)

    def as_dict(self) -> dict[str, Any]:
        return {
            "scenario": self.scenario,
            "form": self.form,
            "kind": self.kind,
            "weight": self.weight,
            "weight_label": self.weight_label,
            "objective": self.objective.as_dict() if self.objective else None,
            "trials": self.n,
            "met": self.k,
            "capability": _num(self.capability),
            "capability_ci95": [_num(x) for x in self.capability_ci] if self.n else None,
            "credibility": _num(self.credibility),
            "credibility_ci95": [_num(x) for x in self.credibility_ci],
            "margin": _num(self.margin),
            "margin_ci95": [_num(x) for x in self.margin_ci],
            "p_deters": _num(self.p_deters),
            "parties": [p.as_dict() for p in self.parties],
            "refused": self.refused,
        }


def _num(x: float) -> float | None:
    return None if math.isnan(x) else float(x)


@dataclass
class Credibility:
    """A portfolio on one date: per scenario and party, and overall."""

    date: dt.date
    trials: int
    seed: int
    draws: int
    scenarios: list[ScenarioResult]
    assumptions: dict[str, Assumption]
    indicators: list[dict[str, Any]]
    overall: dict[str, Any]
    parties: dict[str, dict[str, Any]]
    forced_gates: dict[tuple[str, str], bool] = field(default_factory=dict)
    caveat: str = IF

    def as_dict(self) -> dict[str, Any]:
        return {
            "date": str(self.date),
            "trials": self.trials,
            "seed": self.seed,
            "draws": self.draws,
            "caveat": self.caveat,
            "overall": self.overall,
            "parties": self.parties,
            "scenarios": [s.as_dict() for s in self.scenarios],
            "assumptions": [a.as_dict() for a in self.assumptions.values()],
            "indicators": self.indicators,
            "forced_gates": [
                {"scenario": s, "party": p, "open": v} for (s, p), v in self.forced_gates.items()
            ],
        }


# ----------------------------------------------------------------------------- computing
def _data(sc: scenario.Scenario) -> dict[str, Any]:
    data = yaml.load(sc.text, Loader=kb.SAFE_LOADER)
    return dict(data) if isinstance(data, dict) else {}


class _Runner:
    """Runs scenario variants on common random numbers, each variant once."""

    def __init__(self, trials: int, seed: int, chunk_size: int, executor: Any) -> None:
        self.trials, self.seed, self.chunk_size, self.executor = trials, seed, chunk_size, executor
        self._cache: dict[str, NDArray[np.bool_] | str | None] = {}

    def met(
        self,
        sc: scenario.Scenario,
        values: Mapping[str, Any],
        objective: Objective,
        dates: Mapping[str, dt.date],
    ) -> NDArray[np.bool_] | str | None:
        """Per trial, whether the variant meets the objective; a string says why it could
        not be resolved."""
        key = repr((sc.text, sorted(values.items(), key=str), sorted(dates.items()), objective.key))
        if key in self._cache:
            return self._cache[key]
        try:
            variant = with_values(sc.text, values, origin=sc.origin) if values else sc
            with kb.factor_dates(**dates):
                result = api.run(
                    variant, self.trials, self.seed, 1, self.chunk_size, executor=self.executor
                )
        except ScenarioError as exc:
            out: NDArray[np.bool_] | str | None = "; ".join(str(p) for p in exc.problems[:3])
        else:
            dims = {k: s.dims for k, s in result.specs.items()}
            out = objective_met(objective, result.outcomes, dims, result.labels, variant.spec)
        self._cache[key] = out
        return out


def _paired(a: NDArray[np.bool_], b: NDArray[np.bool_]) -> tuple[float, float]:
    d = a.astype(np.float64) - b.astype(np.float64)
    se = float(d.std(ddof=1)) / math.sqrt(d.size) if d.size > 1 else 0.0
    return float(d.mean()), se


def _ci(x: NDArray[np.float64]) -> tuple[float, float]:
    lo, hi = np.percentile(x, [2.5, 97.5])
    return (float(lo), float(hi))


def _evaluate(
    entry: Entry,
    dates: Mapping[str, dt.date],
    runner: _Runner,
    forced: Mapping[tuple[str, str], bool],
    with_parties: bool = True,
) -> tuple[ScenarioResult, dict[str, tuple[float, float]]]:
    """Capability, gates and contributions of one portfolio entry (no sampling yet): its
    first form (:func:`forms`) that resolves. Returns the result and, per open party
    with modelled forces, its contribution (Δ, SE)."""
    tried: list[str] = []
    res: ScenarioResult | None = None
    for form in forms(entry.scenario, max(dates.values())):
        res, contributions = _evaluate_form(entry, form, dates, runner, forced, with_parties)
        if res.refused is None:
            return res, contributions
        tried.append(f"{form}: {res.refused}")
    assert res is not None
    res.refused = " | ".join(tried)
    return res, {}


def _evaluate_form(
    entry: Entry,
    form: str,
    dates: Mapping[str, dt.date],
    runner: _Runner,
    forced: Mapping[tuple[str, str], bool],
    with_parties: bool,
) -> tuple[ScenarioResult, dict[str, tuple[float, float]]]:
    sc0 = api.load_scenario(form)
    kind = registry.get(sc0.kind)
    res = ScenarioResult(
        entry.scenario, sc0.kind, entry.weight, None, form=form, weight_label=entry.label
    )
    try:
        objective = objective_of(sc0.kind, entry.objective)
    except UsageError as exc:
        res.refused = str(exc)
        return res, {}
    res.objective = objective
    forces_day = dates["forces"]
    # the scenario on the latest factor date; each factor's look-ups on its own date
    try:
        sc = with_values(
            sc0.text, {**entry.values, "date": max(dates.values()).isoformat()}, origin=sc0.origin
        )
    except ScenarioError as exc:
        res.refused = "; ".join(str(p) for p in exc.problems[:3])
        return res, {}
    data = _data(sc)
    gates: dict[str, Gate] = {}
    for role in kind.parties:
        g = gate(role, dates["law"])
        for key in ((entry.scenario, role.party), (form, role.party)):
            if key in forced:
                g = dataclasses.replace(g, open=forced[key], forced=True)
        gates[role.party] = g
    closed: dict[str, Any] = {}
    for role in kind.parties:
        if not gates[role.party].open and role.remove is not None:
            closed.update(role.remove(data, forces_day))
    base = runner.met(sc, closed, objective, dates)
    if isinstance(base, str) or base is None:
        res.refused = base if isinstance(base, str) else "the objective does not apply"
        return res, {}
    res.n, res.k, res.met = int(base.size), int(base.sum()), base
    contributions: dict[str, tuple[float, float]] = {}
    removed: dict[str, dict[str, Any]] = {}
    for role in kind.parties:
        g = gates[role.party]
        pr = PartyResult(
            role.party, role.forces, g, role.remove is not None, None, None,
            0.0, (0.0, 0.0), 0.0, (0.0, 0.0), role.note,
        )  # fmt: skip
        res.parties.append(pr)
        if not with_parties or role.remove is None or not g.open:
            continue
        removed[role.party] = dict(role.remove(data, forces_day))
        without = runner.met(sc, {**closed, **removed[role.party]}, objective, dates)
        if isinstance(without, str):
            pr.refused = f"without {role.party}: {without} (counted as failing in every trial)"
            without = np.zeros_like(base)
        elif without is None:
            without = np.zeros_like(base)
        pr.contribution, pr.contribution_se = _paired(base, without)
        contributions[role.party] = (pr.contribution, pr.contribution_se)
    res.acting = tuple(removed)
    for size in range(len(removed)):
        for acting in itertools.combinations(removed, size):
            out = {q: removed[q] for q in removed if q not in acting}
            values = dict(closed)
            for edits in out.values():
                values.update(edits)
            if len(out) == 1:
                (q,) = out
                res.subsets[frozenset(acting)] = contributions[q]
                continue
            met = runner.met(sc, values, objective, dates)
            if not isinstance(met, np.ndarray):
                met = np.zeros_like(base)  # refused: no allied force left, fails every trial
            res.subsets[frozenset(acting)] = _paired(base, met)
    return res, contributions


def _willingness_draws(
    params: Mapping[str, Assumption], party: str, rng: np.random.Generator, draws: int
) -> tuple[float, NDArray[np.float64]]:
    point, sample = 1.0, np.ones(draws)
    for term in WILLINGNESS_TERMS:
        a = params.get(f"willingness.{party}.{term}")
        if a is None:
            raise UsageError(f"no willingness parameter {term} for party {party!r} in the kb")
        point *= a.mean
        sample = sample * a.sample(substream(rng, f"willingness/{party}/{term}"), draws)
    return point, sample


def _alliance(
    res: ScenarioResult,
    cap: float,
    cap_s: NDArray[np.float64],
    lost_s: Mapping[frozenset[str], NDArray[np.float64]],
    will: Mapping[str, tuple[float, NDArray[np.float64]]],
) -> tuple[float, NDArray[np.float64]]:
    """The alliance's credibility in one scenario, point value and Monte Carlo draws:
    Σ_S P(S acts) · C̃(S) over the subsets S of the acting parties (module notes)."""
    parties = res.acting
    subsets = [
        frozenset(c) for k in range(len(parties) + 1) for c in itertools.combinations(parties, k)
    ]
    # the capability when only S acts, then its monotone envelope capped at C
    point = {s: cap if s == frozenset(parties) else cap - res.subsets[s][0] for s in subsets}
    draw = {s: cap_s if s == frozenset(parties) else cap_s - lost_s[s] for s in subsets}
    env_p: dict[frozenset[str], float] = {}
    env_d: dict[frozenset[str], NDArray[np.float64]] = {}
    for s in subsets:  # subsets come smallest first, so every T ⊂ S is done
        below = [env_p[s - {q}] for q in s]
        env_p[s] = min(cap, max([point[s], *below]))
        below_d = [env_d[s - {q}] for q in s]
        env_d[s] = np.minimum(cap_s, np.maximum.reduce([draw[s], *below_d]))

    # E = E[q out] + W_q·(E[q in] − E[q out]), party by party: a party whose forces
    # change nothing leaves the value exactly as it is, whatever its willingness
    def expect(chosen: frozenset[str], rest: tuple[str, ...]) -> tuple[float, Any]:
        if not rest:
            return env_p[chosen], env_d[chosen]
        q, later = rest[0], rest[1:]
        (a, a_s), (b, b_s) = expect(chosen, later), expect(chosen | {q}, later)
        w, w_s = will[q]
        return a + w * (b - a), a_s + w_s * (b_s - a_s)

    cred, cred_s = expect(frozenset(), parties)
    return min(1.0, max(0.0, cred)), np.clip(cred_s, 0.0, 1.0)


def _finish(
    results: Sequence[tuple[ScenarioResult, dict[str, tuple[float, float]]]],
    params: Mapping[str, Assumption],
    seed: int,
    draws: int,
) -> tuple[dict[str, Any], dict[str, dict[str, Any]]]:
    """Draw everything, fill in credibility and margins; the overall figures."""
    rng = np.random.default_rng(np.random.SeedSequence(seed))
    parties = sorted({p.party for r, _ in results for p in r.parties})
    will = {p: _willingness_draws(params, p, rng, draws) for p in parties}
    gain = params["deterrence.gain"]
    cost = params["deterrence.cost"]
    response = params["deterrence.response"]
    g_s = gain.sample(substream(rng, "deterrence/gain"), draws)
    k_s = cost.sample(substream(rng, "deterrence/cost"), draws)
    r_s = response.sample(substream(rng, "deterrence/response"), draws)
    rows: list[tuple[ScenarioResult, NDArray[np.float64], NDArray[np.float64], float]] = []
    for res, _ in results:
        if res.refused is not None or not res.n:
            continue
        cap_s = substream(rng, f"capability/{res.scenario}").beta(
            res.k + 0.5, res.n - res.k + 0.5, draws
        )
        cap = res.capability
        for pr in res.parties:
            w_point, w_draw = will[pr.party]
            pr.willingness, pr.willingness_ci = w_point, _ci(w_draw)
            pr.credibility = cap * w_point
            pr.credibility_ci = _ci(cap_s * w_draw)
        lost_s = {
            s: substream(rng, f"subset/{res.scenario}/{'+'.join(sorted(s)) or '-'}").normal(
                d, se, draws
            )
            for s, (d, se) in res.subsets.items()
        }
        res.credibility, cred_s = _alliance(res, cap, cap_s, lost_s, will)
        res.credibility_ci = _ci(cred_s)
        res.margin = (1 - cap) * gain.mean - cap * cost.mean - response.mean * res.credibility
        margin_s = (1 - cap_s) * g_s - cap_s * k_s - r_s * cred_s
        res.margin_ci = _ci(margin_s)
        res.p_deters = float((margin_s < 0).mean())
        rows.append((res, cap_s, cred_s, res.weight))
    overall: dict[str, Any] = {"caveat": IF}
    if rows:
        w = np.array([r[3] for r in rows], dtype=np.float64)
        wn = w / w.sum()
        cap_p = float(sum(wi * r[0].capability for wi, r in zip(wn, rows, strict=True)))
        cred_p = float(sum(wi * r[0].credibility for wi, r in zip(wn, rows, strict=True)))
        cap_d = sum(wi * r[1] for wi, r in zip(wn, rows, strict=True))
        cred_d = sum(wi * r[2] for wi, r in zip(wn, rows, strict=True))
        margin_d = (1 - cap_d) * g_s - cap_d * k_s - r_s * cred_d
        overall.update(
            scenarios=[r[0].scenario for r in rows],
            weights=[float(x) for x in wn],
            capability=cap_p,
            capability_ci95=list(_ci(np.asarray(cap_d))),
            credibility=cred_p,
            credibility_ci95=list(_ci(np.asarray(cred_d))),
            margin=(1 - cap_p) * gain.mean - cap_p * cost.mean - response.mean * cred_p,
            margin_ci95=list(_ci(np.asarray(margin_d))),
            p_deters=float((np.asarray(margin_d) < 0).mean()),
        )
    by_party: dict[str, dict[str, Any]] = {}
    for p in parties:
        mine = [
            (r, cap_s, pr)
            for r, cap_s, _, _ in rows
            for pr in r.parties
            if pr.party == p and pr.modelled
        ]
        w_point, w_draw = will[p]
        entry: dict[str, Any] = {
            "willingness": w_point,
            "willingness_ci95": list(_ci(w_draw)),
            "scenarios": [r.scenario for r, _, _ in mine],
        }
        if mine:
            w = np.array([r.weight for r, _, _ in mine])
            wn = w / w.sum()
            cap = float(sum(wi * r.capability for wi, (r, _, _) in zip(wn, mine, strict=True)))
            cap_d = sum(wi * c for wi, (_, c, _) in zip(wn, mine, strict=True))
            entry.update(
                capability=cap,
                credibility=cap * w_point,
                credibility_ci95=list(_ci(np.asarray(cap_d) * w_draw)),
            )
        by_party[p] = entry
    return overall, by_party


def credibility(
    day: dt.date | str = kb.KB_AS_OF,
    portfolio: Sequence[Entry] | None = None,
    trials: int = DEFAULT_TRIALS,
    seed: int = api.DEFAULT_SEED,
    draws: int = DEFAULT_DRAWS,
    chunk_size: int = api.DEFAULT_CHUNK_SIZE,
    gates: Mapping[tuple[str, str], bool] | None = None,
    overrides: Mapping[str, Assumption] | None = None,
    dates: Mapping[str, dt.date] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Credibility:
    """The portfolio's capability, willingness, credibility and deterrence margin on ``day``.

    Parameters
    ----------
    day
        The date (``"today"``: the kb's as-of date). Each scenario is run as written
        with its date replaced by this one.
    portfolio
        Scenarios and weights (default: :func:`default_portfolio`).
    gates
        ``{(scenario, party): open}`` forces a gate open or closed (a counterfactual,
        flagged in the output).
    overrides
        Assumptions replacing the kb's defaults, by key (see :func:`assumptions`).
    dates
        Per factor (``threat``, ``forces``, ``law``) a date replacing ``day`` (a
        then-and-now mix).
    """
    day = law.parse_date(day) if isinstance(day, str) else day
    kb.check_date(day)
    api.check_run(trials, seed, 1, chunk_size)
    if not 100 <= draws <= 1_000_000:
        raise UsageError(f"draws must be between 100 and 1,000,000 (got {draws})")
    entries = list(portfolio) if portfolio is not None else default_portfolio(day)
    if not entries:
        raise UsageError("the portfolio is empty")
    for e in entries:
        if not (e.weight >= 0 and math.isfinite(e.weight)):
            raise UsageError(f"the weight of {e.scenario} must be a non-negative number")
    if sum(e.weight for e in entries) <= 0:
        raise UsageError("the portfolio's weights add up to zero")
    params = {**assumptions(day), **dict(overrides or {})}
    factor = {f: day for f in kb.FACTORS} | dict(dates or {})
    forced = dict(gates or {})
    results = []
    with engine.executor_for(1) as executor:
        runner = _Runner(trials, seed, chunk_size, executor)
        for i, e in enumerate(entries):
            if progress is not None:
                progress(i, len(entries))
            results.append(_evaluate(e, factor, runner, forced))
    if progress is not None:
        progress(len(entries), len(entries))
    overall, by_party = _finish(results, params, seed, draws)
    return Credibility(
        date=day,
        trials=trials,
        seed=seed,
        draws=draws,
        scenarios=[r for r, _ in results],
        assumptions=params,
        indicators=indicators(day),
        overall=overall,
        parties=by_party,
        forced_gates=forced,
    )


# ------------------------------------------------------------------------- then and now
@dataclass
class ThenAndNowCredibility:
    """The portfolio then and now, and the capability change taken apart."""

    then: Credibility
    now: Credibility
    attribution: list[dict[str, Any]]
    """Per scenario (where one form resolves in all eight mixes): its capability then and
    now in that form, the change and each factor's Shapley share with its paired 95%
    interval; per party, the share of its credibility (the willingness is not dated, so
    each share is the capability share times the party's mean willingness)."""

    def as_dict(self) -> dict[str, Any]:
        return {
            "then": self.then.as_dict(),
            "now": self.now.as_dict(),
            "attribution": self.attribution,
            "caveat": IF,
        }


def then_and_now_credibility(
    portfolio: Sequence[Entry] | None = None,
    then: dt.date = dt.date(2010, 1, 1),
    now: dt.date = kb.KB_AS_OF,
    trials: int = DEFAULT_TRIALS,
    seed: int = api.DEFAULT_SEED,
    draws: int = DEFAULT_DRAWS,
    chunk_size: int = api.DEFAULT_CHUNK_SIZE,
    progress: Callable[[int, int], None] | None = None,
) -> ThenAndNowCredibility:
    """ "Relic or cornerstone?": the portfolio on ``then`` and on ``now``, with the change
    in each scenario's capability split into threat, forces and law.

    Each side is :func:`credibility` on its date (each entry in its form nearest the
    date). The attribution runs the form used ``then`` under all eight mixes of then's
    and now's threat, forces and law (gates on the law's date), on common random numbers,
    and takes each factor's Shapley share of the per-trial change
    (:func:`anpo.studies.then_and_now.shapley`); it is left out for an entry whose form
    does not resolve in every mix.
    """
    import itertools

    from anpo.studies.then_and_now import shapley

    entries = list(portfolio) if portfolio is not None else default_portfolio(now)
    steps = 2 + len(entries)
    done = 0

    def tick() -> None:
        nonlocal done
        done += 1
        if progress is not None:
            progress(done, steps)

    if progress is not None:
        progress(0, steps)
    a = credibility(then, entries, trials, seed, draws, chunk_size)
    tick()
    b = credibility(now, entries, trials, seed, draws, chunk_size)
    tick()
    will = {p: v["willingness"] for p, v in a.parties.items()}
    rows: list[dict[str, Any]] = []
    n = len(kb.FACTORS)
    with engine.executor_for(1) as executor:
        runner = _Runner(trials, seed, chunk_size, executor)
        for e, first in zip(entries, a.scenarios, strict=True):
            row: dict[str, Any] = {"scenario": e.scenario, "form": first.form}
            values: dict[tuple[bool, ...], NDArray[np.float64]] = {}
            why = first.refused
            if why is None:
                pinned = dataclasses.replace(e, scenario=first.form)
                for combo in itertools.product((False, True), repeat=n):
                    dates = {
                        f: (now if c else then) for f, c in zip(kb.FACTORS, combo, strict=True)
                    }
                    res, _ = _evaluate(pinned, dates, runner, {}, with_parties=False)
                    if res.refused is not None or res.met is None:
                        label = ", ".join(f"{f} {d.year}" for f, d in dates.items())
                        why = f"{label}: {res.refused}"
                        break
                    values[combo] = res.met.astype(np.float64)
            tick()
            if why is not None:
                row["refused"] = why
                rows.append(row)
                continue
            shares = shapley(values, n)
            change = values[(True,) * n] - values[(False,) * n]
            row.update(
                then=float(values[(False,) * n].mean()),
                now=float(values[(True,) * n].mean()),
                change=float(change.mean()),
                change_ci95=_half(change),
            )
            for f, share in zip(kb.FACTORS, shares, strict=True):
                row[f] = float(share.mean())
                row[f"{f}_ci95"] = _half(share)
            row["parties"] = {
                pr.party: {f: will.get(pr.party, 0.0) * row[f] for f in kb.FACTORS}
                for pr in first.parties
                if pr.modelled
            }
            rows.append(row)
    return ThenAndNowCredibility(a, b, rows)


def _half(x: NDArray[np.float64]) -> float:
    """Half-width of the 95% interval of a per-trial mean, 1.96·sd/√n."""
    return 1.96 * float(x.std(ddof=1)) / math.sqrt(x.size) if x.size > 1 else 0.0


# ------------------------------------------------------------------- the essay's levers
@dataclass(frozen=True)
class Lever:
    """One of the essay's levers as a counterfactual on one portfolio entry.

    ``levers`` are the kind's named levers (:mod:`anpo.kinds`), ``gates`` forced legal
    gates (party -> open)."""

    key: str
    title: str
    scenario: str
    levers: Mapping[str, Any] = field(default_factory=dict)
    gates: Mapping[str, bool] = field(default_factory=dict)
    note: str = ""
    objective: str | None = None
    """The kind's objective it is measured on (default: the primary one)."""
    day: dt.date | None = None
    """The date it is tried on (default: the dashboard's)."""


LEVERS: tuple[Lever, ...] = (
    Lever(
        "f22_381",
        "F-22 fleet at 381 (the Air Force's requirement) instead of the 187 built",
        "taiwan-strait",
        levers={"f22_total": 381},
        note="air_superiority lever f22_total; measured on local air superiority by day 3.",
    ),
    Lever(
        "f22_381_horizon",
        "F-22 fleet at 381: air superiority at any point of the campaign",
        "taiwan-strait",
        levers={"f22_total": 381},
        objective="superiority_in_horizon",
        note="The same lever on the kind's second objective.",
    ),
    Lever(
        "missile_defence_cuts",
        "Missile-defence cuts: three U.S. Navy BMD ships on station instead of the kb's count",
        "nk-same-raid",
        levers={"usn_ships": 3},
        objective="no_leaker",
        note="missile_defense lever usn_ships, measured on no warhead getting through "
        "anywhere; three ships is an illustrative scaled-back presence, not a programme "
        "figure.",
    ),
    Lever(
        "collective_self_defence_2010",
        "Collective self-defence in 2010: Japan's gate opened before the 2016 law",
        "taiwan-strait",
        gates={"japan": True},
        day=dt.date(2010, 1, 1),
        note="On the essay's date, Japan's legal gate in a survival-threatening situation "
        "forced open (its fighters join); in missile defence the law_override lever plays "
        "the same part for missiles aimed beyond Japan.",
    ),
    Lever(
        "no_trilateral_tracks",
        "No South Korean or Australian sensor data cueing Japan's upper tier",
        "nk-same-raid",
        levers={"rok_tracks": False, "australia_tracks": False},
        objective="no_leaker",
        note="missile_defense levers rok_tracks and australia_tracks.",
    ),
    Lever(
        "trilateral_asw",
        "South Korean and Australian P-8As join the Miyako barrier",
        "miyako-barrier",
        levers={"asw_partners": ["ROKN", "RAN"]},
        note="asw lever asw_partners.",
    ),
)
"""The essay's levers that a kind's model captures."""

NOT_MODELLED: tuple[tuple[str, str, str], ...] = (
    (
        "indian_ocean_refuelling",
        "The end of the Indian Ocean refuelling (January 2010)",
        "No model: no kind simulates the refuelling mission or what it bought in Washington. "
        "Shown as the law engine's answer (may Japan refuel foreign forces abroad?) and as an "
        "indicator of willingness, never as a number of the computation.",
    ),
    (
        "marines_to_guam",
        "The Marines' move to Guam",
        "No model: no kind has ground forces or lift, so the move changes no capability here. "
        "Shown as the realignment the law engine holds on the date (Marines planned and "
        "moved), an indicator beside the willingness parameters.",
    ),
)
"""The essay's levers no model captures: shown as law and indicator items."""


@dataclass
class Counterfactual:
    """A lever's effect: the entry as it is and with the lever, on common random numbers."""

    lever: Lever
    base: ScenarioResult
    variant: ScenarioResult
    capability_effect: float
    capability_effect_ci95: float
    credibility_effect: float
    refused: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "key": self.lever.key,
            "title": self.lever.title,
            "scenario": self.lever.scenario,
            "levers": dict(self.lever.levers),
            "gates": dict(self.lever.gates),
            "note": self.lever.note,
            "base": self.base.as_dict(),
            "variant": self.variant.as_dict(),
            "capability_effect": _num(self.capability_effect),
            "capability_effect_ci95": _num(self.capability_effect_ci95),
            "credibility_effect": _num(self.credibility_effect),
            "refused": self.refused,
            "caveat": IF,
        }


def counterfactuals(
    day: dt.date = kb.KB_AS_OF,
    levers: Sequence[Lever] = LEVERS,
    trials: int = DEFAULT_TRIALS,
    seed: int = api.DEFAULT_SEED,
    draws: int = DEFAULT_DRAWS,
    chunk_size: int = api.DEFAULT_CHUNK_SIZE,
    progress: Callable[[int, int], None] | None = None,
) -> tuple[list[Counterfactual], list[dict[str, Any]]]:
    """Each captured lever's effect on ``day``, and the essay's levers no model captures
    (with what the law engine says of them on the date)."""
    from anpo.studies import lever_values

    params = assumptions(day)
    out: list[Counterfactual] = []
    with engine.executor_for(1) as executor:
        runner = _Runner(trials, seed, chunk_size, executor)
        for i, lv in enumerate(levers):
            if progress is not None:
                progress(i, len(levers))
            when = lv.day or day
            factor = {f: when for f in kb.FACTORS}
            base_entry = Entry(lv.scenario, 1.0, objective=lv.objective)
            base, bc = _evaluate(base_entry, factor, runner, {})
            values: dict[str, Any] = {}
            if lv.levers and base.refused is None:
                values = lever_values(base.kind, lv.levers)
            forced = {(lv.scenario, p): v for p, v in lv.gates.items()}
            variant_entry = Entry(lv.scenario, 1.0, objective=lv.objective, values=values)
            variant, vc = _evaluate(variant_entry, factor, runner, forced)
            _finish([(base, bc), (variant, vc)], params, seed, draws)
            refused = base.refused or variant.refused
            if refused or base.met is None or variant.met is None:
                out.append(Counterfactual(lv, base, variant, math.nan, math.nan, math.nan, refused))
                continue
            d = variant.met.astype(np.float64) - base.met.astype(np.float64)
            out.append(
                Counterfactual(
                    lv, base, variant, float(d.mean()), _half(d),
                    variant.credibility - base.credibility,
                )
            )  # fmt: skip
    if progress is not None:
        progress(len(levers), len(levers))
    real = kb.factor_day("law", day)
    refuel = law.may_engage(real, "japan", "refuelling_abroad", "international_peace_support")
    moves = law.realignment(real)
    items = []
    for key, title, note in NOT_MODELLED:
        if key == "indian_ocean_refuelling":
            status = f"{refuel.status}" + (f": {refuel.condition}" if refuel.condition else "")
            cites = list(refuel.citations)
        else:
            status = (
                f"{moves['marines_relocated_to_guam']:,} of "
                f"{moves['marines_to_guam_planned']:,} Marines moved to Guam"
            )
            cites = list(moves["citations"])
        items.append(
            {
                "key": key,
                "title": title,
                "modelled": False,
                "note": note,
                "law": status,
                "citations": cites,
            }
        )
    return out, items
