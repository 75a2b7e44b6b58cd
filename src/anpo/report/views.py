"""A kind's declared views, drawn from what the store holds.

Every number comes from a query over the stored rows: headline statistics of one
entry from :meth:`Store.summary`, of a total over entries from one SQL aggregate over
per-trial sums (:func:`total_stats`), figures from :meth:`Store.summary`,
:meth:`Store.histogram` and the counts of coded outcomes. The kind says *what* to
show (:class:`anpo.kinds.base.Views`); this module knows only how to draw each
kind of chart.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from markupsafe import Markup

from anpo.kinds import headline
from anpo.kinds.base import FigureView, Views
from anpo.report import figures
from anpo.store import Store

__all__ = [
    "Figure",
    "code_counts",
    "code_errors",
    "figure",
    "headline_figures",
    "series_by_step",
    "total_stats",
]


@dataclass(frozen=True)
class Figure:
    """An inline SVG figure with a caption naming the query behind it."""

    title: str
    svg: Markup
    caption: str


def entries(summary: pd.DataFrame, outcome: str) -> pd.DataFrame:
    """The summary rows of one outcome, in entry order."""
    return summary[summary["outcome"] == outcome].sort_values("idx")


def _stats_of(row: Mapping[Any, Any]) -> headline.Stats:
    return headline.Stats(
        n=int(row["trials"]),
        mean=float(row["mean"]),
        se=float(row["se"]),
        p05=float(row["p05"]),
        p50=float(row["p50"]),
        p95=float(row["p95"]),
        p_zero=float(row["p_zero"]),
    )


def stats_of_counts(hist: pd.DataFrame) -> headline.Stats | None:
    """Statistics of a quantity from how many trials gave each value (exact).

    The same definitions as :func:`anpo.kinds.headline.stats` (sample sd, the store's
    ``quantile_disc`` percentiles), from (value, trials) pairs instead of the values.
    """
    if hist.empty:
        return None
    values = np.asarray(hist["value"], dtype=np.float64)
    counts = np.asarray(hist["trials"], dtype=np.float64)
    order = np.argsort(values)
    values, counts = values[order], counts[order]
    n = float(counts.sum())
    if n == 0:
        return None
    mean = float((values * counts).sum() / n)
    var = float((counts * (values - mean) ** 2).sum() / (n - 1)) if n > 1 else 0.0
    cum = np.cumsum(counts)

    def q(p: float) -> float:
        k = max(0, math.ceil(p * n) - 1)  # the (k+1)-th smallest value
        return float(values[int(np.searchsorted(cum, k + 1))])

    zero = float(counts[values == 0.0].sum() / n)
    return headline.Stats(int(n), mean, math.sqrt(var / n), q(0.05), q(0.50), q(0.95), zero)


def total_stats(store: Store, run_id: str, outcome: str) -> headline.Stats | None:
    """Statistics of an outcome's total over its entries, per trial, from the store
    (over every trial for a discrete outcome, over the kept trials otherwise)."""
    return stats_of_counts(store.histogram(run_id, outcome))


def headline_figures(
    store: Store, run_id: str, kind_views: Views, summary: pd.DataFrame
) -> list[headline.Figure]:
    """The kind's headline figures for a stored run, every number a query."""

    def entry_labels(outcome: str) -> Sequence[str] | None:
        rows = entries(summary, outcome)
        if rows.empty:
            return None
        return [str(x) for x in rows["label"]]

    def stat(outcome: str, idx: int | None) -> headline.Stats | None:
        if idx is None:
            return total_stats(store, run_id, outcome)
        rows = entries(summary, outcome)
        row = rows[rows["idx"] == idx]
        return _stats_of(row.iloc[0].to_dict()) if not row.empty else None

    return headline.from_stats(kind_views, entry_labels, stat)


def code_counts(store: Store, run_id: str, outcome: str) -> pd.DataFrame:
    """How many (trial, entry) pairs of a coded outcome took each code (over every trial).

    Returns
    -------
    pandas.DataFrame
        Columns ``value`` (the code), ``n`` and ``share`` (of trials × entries).
    """
    return store.code_counts(run_id, outcome)


ENTRY_WHISKERS = "Whiskers: the 5th to the 95th percentile of trials."

CODE_WHISKERS = (
    "Whiskers: ± 1.96·SE, the Monte Carlo error of each mean (exact with one entry per "
    "trial; with several, an upper bound from the entries' own errors, as the sd of a sum "
    "is at most the sum of the sds)."
)


def code_errors(store: Store, run_id: str, outcome: str, n_trials: int) -> dict[float, float]:
    """Half-widths (1.96·SE) of the mean number of entries per trial with each code.

    With p_e the share of trials in which entry e has the code (one query over the
    stored value counts), the count per trial is Σ_e 1[e has it]; its sd is at most
    Σ_e √(p_e(1 − p_e)) (Minkowski), and equal to it with one entry. The half-width is
    1.96 · Σ_e √(p_e(1 − p_e)) / √N. A continuous coded outcome gives no error.
    """
    if n_trials <= 0:
        return {}
    sql = (
        "SELECT c.value, c.trials FROM value_counts c JOIN entries e ON e.sid = c.sid "
        "WHERE e.run_id = ? AND e.outcome = ?"
    )
    with store.connect() as con:
        rows = con.execute(sql, [store.resolve_id(run_id), outcome]).fetchall()
    out: dict[float, float] = {}
    for value, trials in rows:
        p = float(trials) / n_trials
        out[float(value)] = out.get(float(value), 0.0) + math.sqrt(max(p * (1.0 - p), 0.0))
    return {v: 1.96 * sd / math.sqrt(n_trials) for v, sd in out.items()}


def _shares(hist: pd.DataFrame) -> tuple[list[float], list[float]]:
    total = float(hist["trials"].sum())
    values = [float(v) for v in hist["value"]]
    shares = [float(t) / total if total else 0.0 for t in hist["trials"]]
    return values, shares


def series_by_step(
    rows: pd.DataFrame, step: str | None, title: str
) -> tuple[list[str], dict[str, dict[str, list[Any]]]]:
    """The steps and the series (mean, p05, p95 along the steps, as stored) of an
    outcome with a step dim, for the report and the web page alike.

    The step is the dim named ``step`` (default: the last dim); with two dims, the
    other one names the series (a base, a side, a cause); with one, there is one series
    named ``title``. A step's label is taken when the first series reaches it.
    """
    steps: list[str] = []
    series: dict[str, dict[str, list[Any]]] = {}
    for rec in rows.to_dict("records"):
        dims, labels = list(rec["dims"]), [str(x) for x in rec["labels"]]
        k = dims.index(step) if step in dims else len(dims) - 1
        others = [lb for i, lb in enumerate(labels) if i != k]
        name = " / ".join(others) if others else title
        entry = series.setdefault(name, {"mean": [], "p05": [], "p95": []})
        if len(entry["mean"]) == len(steps):
            steps.append(labels[k] if labels else str(len(steps) + 1))
        for key in entry:
            entry[key].append(rec[key])
    return steps, series


def _series_by_step(
    rows: pd.DataFrame, step: str | None, title: str
) -> list[tuple[str, list[float], list[float], list[float]]]:
    """Series (name, mean, p05, p95 along the steps) of :func:`series_by_step`, as floats."""
    _, series = series_by_step(rows, step, title)

    def floats(values: list[Any]) -> list[float]:
        return [float(v) for v in values]

    return [
        (name, floats(s["mean"]), floats(s["p05"]), floats(s["p95"])) for name, s in series.items()
    ]


def figure(
    store: Store,
    run_id: str,
    view: FigureView,
    summary: pd.DataFrame,
    info: pd.DataFrame,
    n_trials: int,
    prefix: str,
) -> Figure | None:
    """Draw one declared figure of a stored run (None when the run lacks its outcome)."""
    rows = entries(summary, view.outcome)
    known = info[info["outcome"] == view.outcome]
    if known.empty:
        return None
    if view.chart == "codes":
        names = json.loads(known.iloc[0]["codes"]) if known.iloc[0].get("codes") else []
        counts = code_counts(store, run_id, view.outcome)
        labels, values = [], []
        for rec in counts.to_dict("records"):
            code = float(rec["value"])
            i = int(code) if code.is_integer() else -1
            labels.append(names[i] if 0 <= i < len(names) else headline.fmt_num(code))
            values.append(float(rec["n"]) / n_trials if n_trials else 0.0)
        errors = code_errors(store, run_id, view.outcome, n_trials)
        half = [errors.get(float(rec["value"]), 0.0) for rec in counts.to_dict("records")]
        svg = figures.horizontal_bars(
            labels,
            values,
            title=view.title,
            xlabel="entries per trial",
            prefix=prefix,
            lows=[v - h for v, h in zip(values, half, strict=True)],
            highs=[v + h for v, h in zip(values, half, strict=True)],
            whisker="± 1.96·SE (Monte Carlo)",
        )
        caption = f"{view.caption} {CODE_WHISKERS}"
        return Figure(view.title, Markup(svg), caption)
    if rows.empty:
        return None
    k = view.scale
    if view.chart == "distribution":
        if len(rows) == 1:
            values, shares = _shares(store.histogram(run_id, view.outcome))
            row = rows.iloc[0]
            svg = figures.distribution(
                [v * k for v in values],
                shares,
                title=view.title,
                xlabel=view.axis,
                prefix=prefix,
                mean=float(row["mean"]) * k,
                band=(float(row["p05"]) * k, float(row["p95"]) * k),
            )
        else:
            panels, bands = [], []
            for rec in rows.to_dict("records"):
                values, shares = _shares(store.histogram(run_id, view.outcome, int(rec["idx"])))
                panels.append((str(rec["label"]), [v * k for v in values], shares))
                bands.append((float(rec["p05"]) * k, float(rec["p95"]) * k))
            svg = figures.histograms(
                panels, title=view.title, xlabel=view.axis, prefix=prefix, bands=bands
            )
    elif view.chart == "entries":
        if view.sort:
            rows = rows.sort_values(["mean", "idx"], ascending=[False, True])
        svg = figures.horizontal_bars(
            [str(v) for v in rows["label"]],
            [float(v) * k for v in rows["mean"]],
            title=view.title,
            xlabel=view.axis,
            prefix=prefix,
            lows=[float(v) * k for v in rows["p05"]],
            highs=[float(v) * k for v in rows["p95"]],
        )
        return Figure(view.title, Markup(svg), f"{view.caption} {ENTRY_WHISKERS}")
    elif view.chart == "spread":
        svg = figures.means_with_spread(
            [str(v) for v in rows["label"]],
            [float(v) * k for v in rows["mean"]],
            [float(v) * k for v in rows["p05"]],
            [float(v) * k for v in rows["p95"]],
            title=view.title,
            ylabel=view.axis,
            prefix=prefix,
        )
    else:  # by_day
        series = [
            (name, [m * k for m in mean], [v * k for v in lo], [v * k for v in hi])
            for name, mean, lo, hi in _series_by_step(rows, view.step, view.title)
        ]
        svg = figures.lines_with_bands(
            series,
            title=view.title,
            xlabel=view.step or "day",
            ylabel=view.axis,
            prefix=prefix,
        )
    return Figure(view.title, Markup(svg), view.caption)
