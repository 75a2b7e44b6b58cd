"""What a campaign kind is: one registration that carries everything about it.

A :class:`KindSpec` names the kind's scenario schema, its resolver, its model module,
and, declared as data, its **views** (headline figures, report figures, map layers),
its **levers** (named changes to a scenario) and its **uncertain keys**. The report,
the command line, the web page and the store reach a kind only through this object:
none of them tests outcome names of its own.

Adding a kind is one model package (``anpo.models.<kind>``), one kind package
(``anpo.kinds.<kind>``, holding its ``KIND = KindSpec(...)``) and one line in
:data:`anpo.kinds.registry.BUILTIN` (or an ``anpo.kinds`` entry point, for a kind
that lives outside this package). ``tests/kinds/toy_kind.py`` is the worked example.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from anpo.scenario.common import Resolution, ScenarioBase

Resolver = Callable[[Any, dt.date], Resolution]
"""``resolve(spec, day) -> Resolution``; raises :class:`anpo.errors.ScenarioError`
(through :meth:`anpo.scenario.common.LedgerBuilder.resolution`) on a problem."""

Presentation = Callable[[Any, dt.date], "dict[str, Any] | None"]
"""``presentation(spec, day)``: the GeoJSON FeatureCollection people see on a map
(launch areas, tracks, ranges, footprints), computed only when something shows it."""


@dataclass(frozen=True)
class Headline:
    """One headline figure: a statistic of one outcome, with its unit and wording.

    Parameters
    ----------
    key
        The figure's key in ``anpo run --json``'s ``headline`` object. With
        ``each=True`` it may hold ``{label}`` (filled with each entry's label, made
        into an identifier).
    outcome
        The outcome it summarises.
    title
        The card's title, in words (``{label}`` allowed with ``each=True``).
    unit
        The unit the value is shown in, in words (``"warheads"``, ``"days"``).
    entry
        For an outcome with a dimension: the label of the one entry shown
        (``"upper"``). ``None`` with ``each=False`` shows the total over entries per
        trial (the outcome itself when it is one number per trial).
    each
        One figure per entry of the outcome's first dimension.
    scale
        Multiplies the stored values before they are shown (``1/24``: hours to days).
    zero_title
        Also show the share of trials in which the value is 0, under this title
        (``"P(no leaker)"``), with its binomial Monte Carlo error.
    zero_wording
        What that share means, in one line.
    short
        The figure's name in one line of terminal text (default: ``title``).
    """

    key: str
    outcome: str
    title: str
    unit: str
    entry: str | None = None
    each: bool = False
    scale: float = 1.0
    zero_title: str | None = None
    zero_wording: str = ""
    short: str | None = None


Chart = Literal["distribution", "entries", "spread", "by_day", "codes"]


@dataclass(frozen=True)
class FigureView:
    """One report figure, declared as data and drawn by :mod:`anpo.report`.

    ``chart`` is one of:

    ``"distribution"``
        the share of trials at each value of the outcome (its total over entries);
    ``"entries"``
        the mean of each entry as a horizontal bar (``sort=True``: largest first);
    ``"spread"``
        per entry, the mean with a 5th–95th percentile whisker;
    ``"by_day"``
        an outcome along a step dim (``step``: default its last, such as the day):
        the mean per step with a 5th–95th band, one line per entry of its other dim;
    ``"codes"``
        a coded outcome: the mean number of entries per trial with each code.
    """

    chart: Chart
    outcome: str
    title: str
    axis: str
    caption: str
    scale: float = 1.0
    sort: bool = False
    step: str | None = None


@dataclass(frozen=True)
class MapView:
    """What the kind places on a map, and where per-trial points come from.

    ``impacts`` names the (latitude, longitude) outcomes, with the threat on their
    first dimension, whose stored rows are the points where leakers landed.
    ``presentation`` computes the static features (see :data:`Presentation`);
    ``has_map(spec)`` says, without drawing, whether a scenario places anything.
    """

    presentation: Presentation | None = None
    impacts: tuple[str, str] | None = None
    has_map: Callable[[Any], bool] | None = None


Notes = Callable[[Mapping[str, Any], Mapping[str, tuple[str, ...]]], list[str]]
"""``notes(outcomes, labels)``: short lines about a run in words, from its outcome arrays
and their labels (what ``anpo run`` prints below the headline)."""


@dataclass(frozen=True)
class Views:
    """Everything people see of a kind's runs, declared as data."""

    headline: tuple[Headline, ...] = ()
    figures: tuple[FigureView, ...] = ()
    map: MapView = field(default_factory=MapView)
    primary: str | None = None
    """The outcome the web page charts first (default: the first headline's)."""
    notes: Notes | None = None
    """Lines of words ``anpo run`` prints after the headline figures (default: none)."""


LeverType = Literal["int", "float", "bool", "choice"]


@dataclass(frozen=True)
class Lever:
    """A named change to a scenario: set the field at ``path`` to a value in ``domain``.

    ``path`` is a dotted path into the scenario file (``posture.ships.usn``,
    ``doctrine.upper.salvo``, ``bases[0].repair_crews``). ``domain`` is (low, high)
    for numbers, the allowed values for a choice, () for a boolean.
    """

    name: str
    path: str
    type: LeverType
    domain: tuple[Any, ...]
    description: str
    unit: str = ""


@dataclass(frozen=True)
class UncertainKey:
    """One key (or key pattern, ``sspk.<interceptor>``) of a kind's ``uncertain`` section."""

    pattern: str
    unit: str
    description: str


Test = Literal["<", "<=", "==", ">=", ">"]
Aggregate = Literal["sum", "max", "min"]
ObjectiveValue = Callable[[Mapping[str, Any], Mapping[str, tuple[str, ...]], Any], Any]
"""``value(outcomes, labels, spec)``: one number per trial, for an objective that no
selection of one outcome states (say, ships still in action as a share of the group)."""


@dataclass(frozen=True)
class Objective:
    """An objective measure of a kind: the share of trials in which the defence meets it.

    Per trial, the outcome's entries are kept where ``where`` and ``select`` say (on each
    named dim, the entries with those labels), steps before ``from_step`` are dropped, the
    rest is reduced to one number by ``aggregate``, and the trial meets the objective
    when ``number <test> threshold``. The probability of meeting it is the share of trials
    that do (:func:`anpo.studies.credibility.objective_probability`, with its Wilson
    interval).

    Parameters
    ----------
    key
        A short identifier (``no_leaker_priority1``).
    title
        What the defence achieves, in words (``"No warhead reaches a priority-1 asset"``).
    outcome
        The outcome it reads.
    test, threshold
        The comparison a trial's number must pass.
    wording
        One sentence on what it means and what it leaves out.
    where
        Fixed selections: ``(("side", ("allied",)),)``.
    select
        ``select(spec) -> {dim: labels}``: selections that depend on the scenario (the
        priority-1 assets). An empty selection on a dim means the objective does not apply.
    from_step
        ``(("day", 3),)``: keep only steps from this index on (day 4 and later).
    aggregate
        How the kept entries become one number per trial.
    value
        Instead of the selection above, compute the number per trial
        (:data:`ObjectiveValue`).
    """

    key: str
    title: str
    outcome: str
    test: Test
    threshold: float
    wording: str
    where: tuple[tuple[str, tuple[str, ...]], ...] = ()
    select: Callable[[Any], Mapping[str, tuple[str, ...]]] | None = None
    from_step: tuple[tuple[str, int], ...] = ()
    aggregate: Aggregate = "sum"
    value: ObjectiveValue | None = None

    def as_dict(self) -> dict[str, Any]:
        """The declared parts as JSON-able data."""
        return {
            "key": self.key,
            "title": self.title,
            "outcome": self.outcome,
            "test": self.test,
            "threshold": self.threshold,
            "wording": self.wording,
            "where": {dim: list(labels) for dim, labels in self.where},
            "from_step": dict(self.from_step),
            "aggregate": self.aggregate,
            "computed": self.value is not None or self.select is not None,
        }


Removal = Callable[[Mapping[str, Any], dt.date], Mapping[str, Any]]
"""``remove(data, day) -> {field path: value}``: the changes to a scenario file (its
YAML mapping) that take one party's forces out of it on ``day``."""


@dataclass(frozen=True)
class PartyRole:
    """What one party contributes to a kind's defence, and what the law must allow it.

    Parameters
    ----------
    party
        A party of the law engine (``japan``, ``us``, ``rok``, ``australia``).
    forces
        Its forces in this kind's scenarios, in words.
    action
        The law engine's action the defence needs of it (``use_force_defence_of_japan``);
        ``None`` where the law engine holds nothing on it (say why in ``note``).
    situation
        The legal situation the kind's fight is taken to be (a labelled default; a
        portfolio entry may name another).
    remove
        How its forces are taken out of a scenario (:data:`Removal`); ``None`` where the
        kind models none of its forces.
    note
        What the model does and does not capture of this party's part.
    """

    party: str
    forces: str
    action: str | None
    situation: str | None
    remove: Removal | None
    note: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {
            "party": self.party,
            "forces": self.forces,
            "action": self.action,
            "situation": self.situation,
            "removable": self.remove is not None,
            "note": self.note,
        }


SummaryNames = Callable[[Any], Mapping[str, tuple[str, ...]]]
"""``names(spec) -> {group: ledger names}``: summary members that only the scenario names."""


@dataclass(frozen=True)
class SummaryGroups:
    """How ``anpo show`` sorts a scenario's ledger into its summary groups, as data.

    Each ledger name is matched against regular expressions (the whole name must match,
    :func:`re.fullmatch`): a name matching a ``detail`` pattern stays in the full ledger
    only; otherwise it joins the first group (in declared order) one of whose patterns it
    matches, or no group. ``names(spec)`` adds exact names that depend on the scenario
    (the classes on each side of a naval battle), tried before any pattern.

    Parameters
    ----------
    groups
        Group name (``"threat"``, ``"forces"``, ``"law"``) to its name patterns. The
        summary shows these groups, in this order, each even when empty.
    detail
        Patterns of per-unit details left to the full ledger (each ship's magazine).
    names
        ``names(spec) -> {group: exact ledger names}`` (:data:`SummaryNames`).
    """

    groups: Mapping[str, tuple[str, ...]]
    detail: tuple[str, ...] = ()
    names: SummaryNames | None = None


MISSILE_DEFENCE_SUMMARY = SummaryGroups(
    groups={
        "threat": (r"(threat|raid)([.\[].*)?",),
        "forces": (
            r"(ship|ships|pac3|thaad|posture|defence|defense|aircraft)([.\[].*)?",
            r".*\.aircraft\..*",
        ),
        "law": (r"(law|basing|sharing)([.\[].*)?",),
    },
    detail=(r".*\.(magazine|station|position|distance_km|count)",),
)
"""The summary groups of missile defence (the default of :attr:`KindSpec.summary`): the
raid, the ships, fire units and posture, and the law's answers and basing."""


@dataclass(frozen=True)
class KindSpec:
    """One campaign kind, registered once (see :mod:`anpo.kinds.registry`).

    Parameters
    ----------
    name
        The scenario's ``kind`` field.
    title
        A few words for people (``"Missile defence"``).
    schema
        The pydantic schema of its scenario files (a :class:`ScenarioBase`).
    resolve
        Scenario spec and date to model inputs and ledger (:data:`Resolver`).
    model
        Dotted name of its model module (``simulate``, ``simulate_reference``,
        ``Inputs``, ``OUTCOMES``); workers import only this.
    views, levers, uncertain
        Declared as data (:class:`Views`, :class:`Lever`, :class:`UncertainKey`).
    experimental
        Shown as such in reports until its published checks pass.
    """

    name: str
    title: str
    schema: type[ScenarioBase]
    resolve: Resolver
    model: str
    views: Views = field(default_factory=Views)
    levers: tuple[Lever, ...] = ()
    uncertain: tuple[UncertainKey, ...] = ()
    experimental: bool = False
    objectives: tuple[Objective, ...] = ()
    """Its objective measures (:class:`Objective`), the first its primary one."""
    parties: tuple[PartyRole, ...] = ()
    """What each party contributes and what the law must allow it (:class:`PartyRole`)."""
    tidy: Callable[[dict[str, Any], Mapping[str, Any]], None] | None = None
    """``tidy(data, values)``: after ``values`` (field path -> value, from ``--set``, a
    lever or a sweep point) are set in a scenario's YAML mapping ``data``, remove in place
    what they leave dangling (stations of ships no longer in the scenario, say), so the
    edited scenario is one a user could have written (:func:`anpo.scenario.edit.with_values`)."""
    summary: SummaryGroups = MISSILE_DEFENCE_SUMMARY
    """How ``anpo show`` sorts its ledger into summary groups (:class:`SummaryGroups`)."""

    def lever(self, name: str) -> Lever:
        """The lever called ``name``."""
        for lever in self.levers:
            if lever.name == name:
                return lever
        known = ", ".join(lv.name for lv in self.levers) or "none"
        raise KeyError(f"kind {self.name} has no lever {name!r}; its levers: {known}")

    def as_dict(self) -> Mapping[str, Any]:
        """The declared parts as JSON-able data (for ``/api/kinds`` and the docs)."""
        return {
            "kind": self.name,
            "title": self.title,
            "model": self.model,
            "experimental": self.experimental,
            "headline": [h.__dict__ for h in self.views.headline],
            "figures": [f.__dict__ for f in self.views.figures],
            "primary": self.views.primary,
            "impacts": self.views.map.impacts,
            "levers": [lv.__dict__ for lv in self.levers],
            "uncertain": [u.__dict__ for u in self.uncertain],
            "objectives": [o.as_dict() for o in self.objectives],
            "parties": [p.as_dict() for p in self.parties],
        }
