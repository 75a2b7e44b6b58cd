""" "What this run says, and what it assumes": one paragraph written from the run.

The paragraph is generic over kinds. Its numbers are the run's headline figures
(:class:`anpo.kinds.headline.Figure`, declared by the kind's
:class:`~anpo.kinds.base.Headline` views), each written in words with its unit, its
Monte Carlo error (± 1.96·SE) and the 5th–95th percentile of trials; its inputs are
the assumption ledger's counts of facts, estimates and assumptions; the assumptions
that matter most are the ledger entries the kind draws anew in every trial (the keys
of its ``uncertain`` section, :class:`~anpo.kinds.base.UncertainKey`), widest range
first, relative to their central value. Every sentence is conditional on those
inputs: the paragraph says what follows *if* they hold, never what will happen.

The module needs neither pandas nor matplotlib, so ``anpo run`` can print the
"assumes" half in its terminal summary at no cost.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from anpo.kinds.base import UncertainKey
from anpo.kinds.headline import Figure, fmt_num, pct

__all__ = ["KeyInput", "Narrative", "key_inputs", "narrative", "relative_range"]

MAX_FIGURES = 4
"""Headline figures written out in the paragraph (the cards show every one)."""

MAX_KEY_INPUTS = 3
"""Uncertain inputs named as the ones that matter most."""

KINDS = ("fact", "estimate", "assumption")

_NUMBER = r"-?\d+(?:\.\d+)?(?:e-?\d+)?"
_DIST = re.compile(rf"^(triangular|uniform)\(\s*({_NUMBER}(?:\s*,\s*{_NUMBER})*)\s*\)")
_RANGE = re.compile(rf"^({_NUMBER})\s*\(range\s+({_NUMBER})\s*-\s*({_NUMBER})\)")


def relative_range(value: str) -> float | None:
    """How wide the range of a ledger value is, relative to its central value.

    ``triangular(a, m, b)`` gives (b − a)/|m|; ``uniform(a, b)`` gives
    (b − a)/|(a + b)/2|; ``x (range a-b)`` gives (b − a)/|x|. A central value of 0
    counts as the largest end's size. Values of another form give ``None``.

    Examples
    --------
    >>> relative_range("triangular(0.6, 0.8, 0.9)"), relative_range("16 (range 8-48)")
    (0.375, 2.5)
    >>> relative_range("uniform(0.1, 0.3)"), relative_range("shoot-look-shoot") is None
    (1.0, True)
    """
    text = value.strip()
    m = _DIST.match(text)
    if m:
        nums = [float(x) for x in re.split(r"\s*,\s*", m.group(2))]
        if m.group(1) == "triangular" and len(nums) == 3:
            lo, mid, hi = nums
        elif m.group(1) == "uniform" and len(nums) == 2:
            lo, hi = nums
            mid = (lo + hi) / 2.0
        else:
            return None
    else:
        r = _RANGE.match(text)
        if not r:
            return None
        mid, lo, hi = (float(x) for x in r.groups())
    scale = abs(mid) or max(abs(lo), abs(hi))
    if scale == 0.0:
        return 0.0
    return round((hi - lo) / scale, 12)


def _pattern(key: UncertainKey) -> re.Pattern[str]:
    parts = re.split(r"<[^>]+>", key.pattern)
    return re.compile("^" + ".+".join(re.escape(p) for p in parts) + "$")


@dataclass(frozen=True)
class KeyInput:
    """One input named as mattering most: its ledger entry and why it was chosen."""

    name: str
    value: str
    unit: str
    kind: str
    description: str
    width: float

    def words(self) -> str:
        """The input in words: ``name (description): value unit``."""
        value = f"{self.value} {self.unit}".strip()
        if self.description:
            return f"{self.name} ({self.description}): {value}"
        return f"{self.name}: {value}"


def key_inputs(
    ledger: Sequence[Mapping[str, Any]],
    uncertain: Sequence[UncertainKey],
    k: int = MAX_KEY_INPUTS,
) -> list[KeyInput]:
    """The ``k`` inputs that matter most to a run, widest relative range first.

    The candidates are the ledger entries named by the kind's uncertain keys (drawn
    anew in every trial); where the kind declares none, or none is in the ledger,
    the assumptions given with a range. Ties keep ledger order; a name listed twice
    counts once.
    """
    patterns = [(_pattern(u), u) for u in uncertain]
    seen: set[str] = set()
    drawn: list[tuple[float, int, KeyInput]] = []
    ranged: list[tuple[float, int, KeyInput]] = []
    for i, e in enumerate(ledger):
        name, value = str(e["name"]), str(e["value"])
        if name in seen:
            continue
        width = relative_range(value)
        if width is None:
            continue
        seen.add(name)
        match = next((u for p, u in patterns if p.match(name)), None)
        item = KeyInput(
            name=name,
            value=value,
            unit=str(e.get("unit") or ""),
            kind=str(e["kind"]),
            description=match.description if match else "",
            width=width,
        )
        if match is not None:
            drawn.append((-width, i, item))
        elif item.kind == "assumption":
            ranged.append((-width, i, item))
    chosen = drawn or ranged
    return [item for *_, item in sorted(chosen, key=lambda t: (t[0], t[1]))[:k]]


@dataclass(frozen=True)
class Narrative:
    """The paragraph, as sentences: what the run says, then what it assumes."""

    says: tuple[str, ...]
    assumes: tuple[str, ...]
    counts: Mapping[str, int]
    inputs: tuple[KeyInput, ...]
    figures: tuple[Figure, ...]

    @property
    def text(self) -> str:
        """The whole paragraph."""
        return " ".join((*self.says, *self.assumes))


def _figure_words(f: Figure) -> str:
    """One headline figure as a sentence: the mean ± its Monte Carlo error, the
    5th–95th percentile of trials, and the share at zero where the view asks."""
    s, unit = f.stats, f.view.unit
    u = f" {unit}" if unit else ""
    spread = (
        f"{fmt_num(s.p05)}{u}"
        if fmt_num(s.p05) == fmt_num(s.p95)
        else f"from {fmt_num(s.p05)} to {fmt_num(s.p95)}{u}"
    )
    text = (
        f"{f.title}: {fmt_num(s.mean)} ± {fmt_num(1.96 * s.se)}{u} on average, "
        f"{spread} in the middle 90% of trials"
    )
    if f.view.zero_title:
        text += f"; {f.view.zero_title} {pct(s.p_zero)} ± {pct(1.96 * s.p_zero_se)}"
    return text + "."


def _counted(counts: Mapping[str, int]) -> str:
    parts = [f"{n} {k}{'s' if n != 1 else ''}" for k, n in counts.items()]
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def _join(items: Sequence[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return "; ".join(items[:-1]) + "; and " + items[-1]


def narrative(
    *,
    name: str,
    kind_title: str,
    date: str,
    n_trials: int,
    figures: Sequence[Figure],
    ledger: Sequence[Mapping[str, Any]],
    uncertain: Sequence[UncertainKey] = (),
) -> Narrative:
    """Write "what this run says, and what it assumes" for one run.

    Parameters
    ----------
    name, kind_title, date, n_trials
        The scenario's name, its kind in words, its date and the run's trials.
    figures
        The run's headline figures (the first :data:`MAX_FIGURES` are written out).
    ledger
        The assumption ledger (dicts with ``name``, ``value``, ``unit``, ``kind``).
    uncertain
        The kind's uncertain keys (:attr:`anpo.kinds.base.KindSpec.uncertain`).
    """
    counts = {k: 0 for k in KINDS}
    for e in ledger:
        kind = str(e["kind"])
        counts[kind] = counts.get(kind, 0) + 1
    shown = tuple(figures[:MAX_FIGURES])
    opening = (
        f"This run of {name} ({kind_title}, scenario date {date}, {n_trials:,} trials) "
        "says what follows from its inputs."
    )
    says = [opening, *(_figure_words(f) for f in shown)]
    if shown:
        says.append(
            "(± is the 95% Monte Carlo error of the mean; the middle 90% runs from the "
            "5th to the 95th percentile of trials.)"
        )
    rest = len(figures) - len(shown)
    if rest > 0:
        says.append(f"The headline cards give {rest} more figure{'s' if rest != 1 else ''}.")
    assumes = [
        f"Its {len(ledger)} input{'s' if len(ledger) != 1 else ''} are {_counted(counts)} "
        "(each with its source or reasoning in the assumption ledger)."
    ]
    chosen = tuple(key_inputs(ledger, uncertain))
    if chosen:
        drawn = any(c.description for c in chosen)
        what = "uncertain inputs drawn anew in every trial" if drawn else "assumptions"
        assumes.append(
            f"The {what} with the widest ranges, relative to their central values, are "
            + _join([c.words() for c in chosen])
            + "."
        )
    assumes.append(
        "If these assumptions hold, the numbers above follow; with other assumptions "
        "they differ. Read them as consequences of the inputs, not as a forecast."
    )
    return Narrative(
        says=tuple(says),
        assumes=tuple(assumes),
        counts=counts,
        inputs=chosen,
        figures=shown,
    )
