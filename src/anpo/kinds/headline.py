"""Headline figures of a run, computed from a kind's declared :class:`Headline` views.

One definition of what a headline number is, used by every interface:

* the **mean** with its Monte Carlo error ± 1.96·SE, SE = sd / √N (sample sd);
* the **spread** of trials, their 5th, 50th and 95th percentiles, taken as the
  store's SQL takes them (``quantile_disc``: the smallest value with at least the
  share q of trials at or below it);
* where the view asks, the **share of trials at zero**, p, with its binomial
  Monte Carlo error ± 1.96·√(p(1−p)/N).

:func:`from_arrays` computes them from outcome arrays in memory (what ``anpo run``
prints, with no query); :func:`from_stats` builds the same figures from statistics a
store query gave (what the report and the web page show, so every number there is a
query over stored rows). The tests check that both give the same numbers.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from anpo.kinds.base import Headline, Views

__all__ = [
    "Card",
    "Figure",
    "Stats",
    "fmt_num",
    "from_arrays",
    "from_stats",
    "pct",
    "stats",
    "targets",
]


@dataclass(frozen=True)
class Stats:
    """Statistics of one per-trial quantity (already scaled to the unit shown)."""

    n: int
    mean: float
    se: float
    p05: float
    p50: float
    p95: float
    p_zero: float

    @property
    def p_zero_se(self) -> float:
        """Binomial standard error of the share at zero, √(p(1−p)/N)."""
        p = self.p_zero
        return math.sqrt(p * (1.0 - p) / self.n) if self.n else float("nan")

    def scaled(self, k: float) -> Stats:
        if k == 1.0:
            return self
        return Stats(
            self.n, self.mean * k, self.se * abs(k), self.p05 * k, self.p50 * k,
            self.p95 * k, self.p_zero,
        )  # fmt: skip


def _quantile_disc(sorted_values: NDArray[np.float64], q: float) -> float:
    """The smallest value with at least the share ``q`` of values at or below it."""
    n = sorted_values.size
    k = max(0, math.ceil(q * n) - 1)
    return float(sorted_values[min(k, n - 1)])


def stats(values: NDArray[Any]) -> Stats:
    """Statistics of one value per trial (NaN values, a missing entry, are left out)."""
    v = np.asarray(values, dtype=np.float64).ravel()
    v = v[~np.isnan(v)]
    n = int(v.size)
    if n == 0:
        nan = float("nan")
        return Stats(0, nan, nan, nan, nan, nan, nan)
    s = np.sort(v)
    sd = float(np.std(v, ddof=1)) if n > 1 else 0.0
    return Stats(
        n=n,
        mean=float(np.mean(v)),
        se=sd / math.sqrt(n),
        p05=_quantile_disc(s, 0.05),
        p50=_quantile_disc(s, 0.50),
        p95=_quantile_disc(s, 0.95),
        p_zero=float(np.mean(v == 0.0)),
    )


def fmt_num(x: Any) -> str:
    """A number the one way reports and terminals show it.

    Integers whole with thousands separators; other values with three decimals (one
    from 1,000 up), and values under 0.01 with two significant digits.

    Examples
    --------
    >>> fmt_num(1.29384), fmt_num(88.0), fmt_num(0.000349), fmt_num(12345.678)
    ('1.294', '88', '0.00035', '12,345.7')
    """
    if x is None:
        return "–"
    v = float(x)
    if math.isnan(v):
        return "–"
    if math.isinf(v):
        return "∞" if v > 0 else "−∞"
    if v == 0:
        return "0"
    if v.is_integer() and abs(v) < 1e15:
        return f"{v:,.0f}"
    if abs(v) >= 1000:
        return f"{v:,.1f}"
    if abs(v) >= 0.01:
        return f"{v:.3f}"
    return f"{v:.2g}"


def pct(p: float) -> str:
    """A share as a percentage with one decimal."""
    return f"{100.0 * p:.1f}%"


@dataclass(frozen=True)
class Card:
    """A headline card: title, value and lines of explanation."""

    title: str
    value: str
    detail: tuple[str, ...] = ()


@dataclass(frozen=True)
class Figure:
    """One headline figure of a run: a view, the entry it shows, and its statistics."""

    view: Headline
    key: str
    title: str
    label: str
    stats: Stats

    def as_json(self) -> dict[str, Any]:
        """The figure in ``anpo run --json``'s ``headline`` object."""
        s = self.stats
        out: dict[str, Any] = {
            "mean": s.mean,
            "se": s.se,
            "p05": s.p05,
            "p50": s.p50,
            "p95": s.p95,
        }
        if self.view.zero_title:
            out["p_none"] = s.p_zero
        out["unit"] = self.view.unit
        return out

    def as_web(self) -> dict[str, Any]:
        """The figure as the web API serves it (with the cards to draw)."""
        s = self.stats
        return {
            "key": self.key,
            "outcome": self.view.outcome,
            "label": self.label,
            "title": self.title,
            "unit": self.view.unit,
            "mean": s.mean,
            "se": s.se,
            "ci95": 1.96 * s.se,
            "p05": s.p05,
            "p50": s.p50,
            "p95": s.p95,
            "p_zero": s.p_zero,
            "p_zero_se": s.p_zero_se,
            "cards": [c.__dict__ | {"detail": list(c.detail)} for c in self.cards()],
        }

    def cards(self) -> list[Card]:
        """The figure as cards: the mean, and the share at zero where the view asks."""
        s, unit = self.stats, self.view.unit
        out = [
            Card(
                title=self.title,
                value=f"{fmt_num(s.mean)} ± {fmt_num(1.96 * s.se)}" + (f" {unit}" if unit else ""),
                detail=(
                    f"± 1.96·SE (Monte Carlo, {s.n:,} trials): the error of the mean from "
                    "running a finite number of trials.",
                    f"5th–95th percentile of trials: {fmt_num(s.p05)} – {fmt_num(s.p95)} "
                    f"{unit}; median {fmt_num(s.p50)}: the spread of outcomes from trial to "
                    "trial.",
                ),
            )
        ]
        if self.view.zero_title:
            out.append(
                Card(
                    title=self.view.zero_title,
                    value=f"{pct(s.p_zero)} ± {pct(1.96 * s.p_zero_se)}",
                    detail=(
                        self.view.zero_wording or f"Share of the {s.n:,} trials at zero.",
                        f"± 1.96·SE, with the binomial SE √(p(1−p)/N) = {fmt_num(s.p_zero_se)}: "
                        "the Monte Carlo error of this share.",
                    ),
                )
            )
        return out

    def line(self) -> str:
        """The figure as one line of terminal text."""
        s, unit = self.stats, self.view.unit
        name = self.view.short.format(label=self.label) if self.view.short else self.title
        text = (
            f"{name}: mean {fmt_num(s.mean)} ± {fmt_num(1.96 * s.se)} {unit} "
            f"(95% Monte Carlo error, {s.n:,} trials); 5th-95th percentile "
            f"{fmt_num(s.p05)}-{fmt_num(s.p95)}"
        )
        if self.view.zero_title:
            text += f"; {self.view.zero_title} {s.p_zero:.3f}"
        return text


def _ident(label: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", label.lower()).strip("_") or "entry"


Target = tuple[str, str, str, int | None]
"""(key, title, label, entry index or None for the total over entries)."""


def targets(view: Headline, entry_labels: Sequence[str]) -> list[Target]:
    """The figures one view asks for, given the labels of its outcome's entries.

    A view whose ``entry`` names no entry of this run (a tier the raid does not use)
    gives no figure.
    """
    if view.each:
        return [
            (view.key.format(label=_ident(lb)), view.title.format(label=lb), lb, i)
            for i, lb in enumerate(entry_labels)
        ]
    if view.entry is not None:
        if view.entry not in entry_labels:
            return []
        return [(view.key, view.title, view.entry, list(entry_labels).index(view.entry))]
    return [(view.key, view.title, "", None)]


def from_stats(
    views: Views,
    entry_labels: Callable[[str], Sequence[str] | None],
    stat: Callable[[str, int | None], Stats | None],
) -> list[Figure]:
    """The headline figures of a run from statistics a query gives.

    Parameters
    ----------
    views
        The views of the run's kind (its ``headline``).
    entry_labels
        ``entry_labels(outcome)``: the labels of the outcome's first dimension (``[""]``
        for one number per trial), or None when the run lacks the outcome.
    stat
        ``stat(outcome, idx)``: unscaled statistics of entry ``idx``, or of the total
        over entries per trial for ``idx=None``.
    """
    out: list[Figure] = []
    for view in views.headline:
        labels = entry_labels(view.outcome)
        if labels is None:
            continue
        for key, title, label, idx in targets(view, labels):
            if idx is None and len(labels) == 1:
                idx = 0
            s = stat(view.outcome, idx)
            if s is not None:
                out.append(Figure(view, key, title, label, s.scaled(view.scale)))
    return out


def from_arrays(
    views: Views,
    outcomes: Mapping[str, NDArray[Any]],
    labels: Mapping[str, Sequence[str]],
    dims: Mapping[str, Sequence[str]],
) -> list[Figure]:
    """The headline figures of a run from its outcome arrays in memory.

    ``dims[outcome]`` names the outcome's dimensions; ``labels[dim]`` their entries.
    """

    def entry_labels(name: str) -> Sequence[str] | None:
        if name not in outcomes:
            return None
        d = tuple(dims.get(name, ()))
        if not d:
            return [""]
        size = int(outcomes[name].shape[1])
        given = list(labels.get(d[0], ()))
        return given if len(given) == size else [str(i) for i in range(size)]

    def stat(name: str, idx: int | None) -> Stats:
        a = np.asarray(outcomes[name], dtype=np.float64)
        if a.ndim == 1:
            return stats(a)
        flat = a.reshape(a.shape[0], a.shape[1], -1).sum(axis=2)
        return stats(flat[:, idx] if idx is not None else np.nansum(flat, axis=1))

    return from_stats(views, entry_labels, stat)
