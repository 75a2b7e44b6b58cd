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
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd
from markupsafe import Markup

from anpo.kinds import headline
from anpo.kinds.base import FigureView, Views
from anpo.report import figures
from anpo.store import Store

__all__ = ["Figure", "code_counts", "figure", "headline_figures", "total_stats"]


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


_TOTAL_SQL = """
WITH t AS (
    SELECT trial, sum(value) AS v FROM outcomes
    WHERE run_id = ? AND outcome = ? GROUP BY trial
)
SELECT count(*) AS trials, avg(v) AS mean,
       coalesce(stddev_samp(v), 0) / sqrt(count(*)) AS se,
       quantile_disc(v, 0.05) AS p05, quantile_disc(v, 0.50) AS p50,
       quantile_disc(v, 0.95) AS p95,
       avg(CASE WHEN v = 0 THEN 1.0 ELSE 0.0 END) AS p_zero
FROM t
"""


def total_stats(store: Store, run_id: str, outcome: str) -> headline.Stats | None:
    """Statistics of an outcome's total over its entries, per trial (one SQL query)."""
    with store.connect() as con:
        frame = con.execute(_TOTAL_SQL, [run_id, outcome]).df()
    if frame.empty or int(frame.iloc[0]["trials"]) == 0:
        return None
    return _stats_of(frame.iloc[0].to_dict())


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
    """How many (trial, entry) pairs of a coded outcome took each code.

    Returns
    -------
    pandas.DataFrame
        Columns ``value`` (the code), ``n`` and ``share`` (of trials × entries).
    """
    with store.connect() as con:
        return con.execute(
            "SELECT value, count(*) AS n, count(*) / sum(count(*)) OVER () AS share "
            "FROM outcomes WHERE run_id = ? AND outcome = ? GROUP BY value ORDER BY value",
            [run_id, outcome],
        ).df()


def _shares(hist: pd.DataFrame) -> tuple[list[float], list[float]]:
    total = float(hist["trials"].sum())
    values = [float(v) for v in hist["value"]]
    shares = [float(t) / total if total else 0.0 for t in hist["trials"]]
    return values, shares


def _by_entity_and_day(
    rows: pd.DataFrame,
) -> list[tuple[str, list[float], list[float], list[float]]]:
    """Series (entity, mean, p05, p95 by day) of an outcome with dims (entity, day)."""
    series: dict[str, dict[str, list[float]]] = {}
    for rec in rows.to_dict("records"):
        coords = rec.get("labels")
        if coords is None or (isinstance(coords, float) and pd.isna(coords)):
            name = str(rec["label"]).rpartition(" / day ")[0]  # a store of one dim
        else:
            name = str(next(iter(coords)))
        entry = series.setdefault(name, {"mean": [], "p05": [], "p95": []})
        for key in entry:
            entry[key].append(float(rec[key]))
    return [(name, s["mean"], s["p05"], s["p95"]) for name, s in series.items()]


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
        svg = figures.horizontal_bars(
            labels, values, title=view.title, xlabel="entries per trial", prefix=prefix
        )
        return Figure(view.title, Markup(svg), view.caption)
    if rows.empty:
        return None
    k = view.scale
    if view.chart == "distribution":
        if len(rows) == 1:
            values, shares = _shares(store.histogram(run_id, view.outcome))
            svg = figures.distribution(
                [v * k for v in values],
                shares,
                title=view.title,
                xlabel=view.axis,
                prefix=prefix,
                mean=float(rows.iloc[0]["mean"]) * k,
            )
        else:
            panels = []
            for rec in rows.to_dict("records"):
                values, shares = _shares(store.histogram(run_id, view.outcome, int(rec["idx"])))
                panels.append((str(rec["label"]), [v * k for v in values], shares))
            svg = figures.histograms(panels, title=view.title, xlabel=view.axis, prefix=prefix)
    elif view.chart == "entries":
        if view.sort:
            rows = rows.sort_values(["mean", "idx"], ascending=[False, True])
        svg = figures.horizontal_bars(
            [str(v) for v in rows["label"]],
            [float(v) * k for v in rows["mean"]],
            title=view.title,
            xlabel=view.axis,
            prefix=prefix,
        )
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
            for name, mean, lo, hi in _by_entity_and_day(rows)
        ]
        svg = figures.lines_with_bands(
            series, title=view.title, xlabel="day", ylabel=view.axis, prefix=prefix
        )
    return Figure(view.title, Markup(svg), view.caption)
