"""The report of a stored study, as one self-contained HTML file.

- A **then-and-now** gets a waterfall per outcome: the value then, each factor's
  Shapley share (threat, forces, law) stacked on it with its paired 95% interval,
  and the value now, with the eight mixes' means beneath.
- A **sweep** gets a tornado chart per outcome: for each parameter, the outcome's
  mean over the design points in the lowest and in the highest quarter of the
  parameter's range (the other parameters varying as the design drew them), with
  the standard error of each of those means over the points; and, for a
  ``saltelli`` design, the first-order and total Sobol indices with their 95%
  confidence intervals (SALib).
- A **comparison** gets its paired-differences table: every entry matched by
  identity, its difference, the paired and the independent-runs 95% half-widths,
  and the trials pairing saves.

Everything drawn is read from the store's study tables (:mod:`anpo.store.studies`);
nothing is recomputed but the tornado's group means, which are plain means of the
stored point means.
"""

from __future__ import annotations

import html
import json
import math
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from anpo.errors import StoreError
from anpo.report.figures import BLUE, GREY, ORANGE, to_svg
from anpo.store import Store
from anpo.store import studies as tables

__all__ = [
    "render_study_report",
    "sobol_bars",
    "tornado",
    "tornado_rows",
    "waterfall",
    "write_study_report",
]

FACTORS = ("threat", "forces", "law")
QUARTER = 0.25
"""The share of a parameter's range whose points make the tornado's low and high bars."""

_RC: Any = {
    "svg.fonttype": "path",
    "svg.hashsalt": "anpo-study",
    "font.family": "DejaVu Sans",
    "font.size": 9.0,
    "axes.titlesize": 10.5,
    "axes.titleweight": "bold",
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.color": "#dddddd",
    "grid.linewidth": 0.6,
    "axes.axisbelow": True,
}


def _draw(build: Any, width: float, height: float, prefix: str, labels: Sequence[str] = ()) -> str:
    """Draw a figure; ``labels`` (the y tick labels) set the left margin."""
    from matplotlib import rc_context

    left_in = 0.068 * max((len(x) for x in labels), default=4) + 0.3
    with rc_context(_RC):
        fig = Figure(figsize=(width, height))
        build(fig)
        fig.subplots_adjust(
            left=min(left_in / width, 0.6), right=0.97, bottom=0.5 / height, top=1 - 0.4 / height
        )
        return to_svg(fig, prefix)


def waterfall(row: Mapping[Any, Any], *, title: str, prefix: str) -> str:
    """Then, each factor's Shapley share with its 95% interval, and now, as a waterfall.

    ``row`` is one outcome's attribution (then, now, each factor and ``<factor>_ci95``).
    The shares add up to now − then exactly (Shapley efficiency).
    """
    labels = ["then", *FACTORS, "now"]

    def build(fig: Figure) -> None:
        ax = fig.add_subplot(1, 1, 1)
        level = float(row["then"])
        ax.bar(0, level, color=GREY, width=0.6)
        for i, f in enumerate(FACTORS, start=1):
            share = float(row[f])
            ci = float(row.get(f"{f}_ci95") or 0.0)
            ax.bar(i, share, bottom=level, color=BLUE if share <= 0 else ORANGE, width=0.6)
            ax.errorbar(i, level + share, yerr=ci, color="black", capsize=4, lw=1)
            ax.plot([i - 0.7, i - 0.3], [level, level], color=GREY, lw=0.8)
            ax.annotate(f"{share:+.3g}\n± {ci:.2g}", (i + 0.33, level + share / 2),
                        fontsize=7.5, ha="left", va="center")  # fmt: skip
            level += share
        ax.bar(4, float(row["now"]), color=GREY, width=0.6)
        ax.margins(y=0.12)
        ax.set_xticks(range(5), labels)
        ax.set_title(title)

    return _draw(build, 6.0, 3.2, prefix, ["-0.000"])


def tornado_rows(
    params: Sequence[str],
    values: np.ndarray[Any, Any],
    y: np.ndarray[Any, Any],
    lows: Sequence[float],
    highs: Sequence[float],
) -> pd.DataFrame:
    """Per parameter: the mean (and its SE over points) of ``y`` over the points in the
    lowest and in the highest :data:`QUARTER` of the parameter's range, widest first."""
    rows = []
    for j, name in enumerate(params):
        span = highs[j] - lows[j]
        x = values[:, j]
        groups = []
        for mask in (x <= lows[j] + QUARTER * span, x >= highs[j] - QUARTER * span):
            g = y[mask]
            mean = float(g.mean()) if g.size else math.nan
            se = float(g.std(ddof=1) / math.sqrt(g.size)) if g.size > 1 else math.nan
            groups.append((mean, se, int(g.size)))
        rows.append(
            {
                "param": name,
                "low_mean": groups[0][0],
                "low_se": groups[0][1],
                "low_points": groups[0][2],
                "high_mean": groups[1][0],
                "high_se": groups[1][1],
                "high_points": groups[1][2],
                "swing": abs(groups[1][0] - groups[0][0]),
            }
        )
    frame = pd.DataFrame(rows)
    return frame.sort_values("swing", ascending=False, na_position="last", kind="stable")


def tornado(frame: pd.DataFrame, center: float, *, title: str, prefix: str) -> str:
    """Bars from the mean over all points to the low-quarter and high-quarter means."""
    names = list(frame["param"])[::-1]

    def build(fig: Figure) -> None:
        ax = fig.add_subplot(1, 1, 1)
        for i, r in enumerate(frame.to_dict("records")[::-1]):
            for side, color in (("low", BLUE), ("high", ORANGE)):
                m = r[f"{side}_mean"]
                if not math.isfinite(m):
                    continue
                ax.barh(i, m - center, left=center, color=color, height=0.55,
                        label=f"{side} quarter of the range" if i == 0 else None)  # fmt: skip
                se = r[f"{side}_se"]
                if math.isfinite(se):
                    ax.errorbar(m, i, xerr=1.96 * se, color="black", capsize=3, lw=0.9)
        ax.axvline(center, color=GREY, lw=0.9)
        ax.set_yticks(range(len(names)), [_short(n) for n in names])
        ax.legend(loc="lower right", fontsize=7.5, frameon=False)
        ax.set_title(title)

    return _draw(build, 7.0, 1.2 + 0.45 * len(names), prefix, [_short(n) for n in names])


def sobol_bars(frame: pd.DataFrame, *, title: str, prefix: str) -> str:
    """First-order (S1) and total (ST) Sobol indices with their 95% intervals."""
    names = list(frame["param"])[::-1]

    def build(fig: Figure) -> None:
        ax = fig.add_subplot(1, 1, 1)
        pos = np.arange(len(names))
        rows = frame.to_dict("records")[::-1]
        for offset, key, color in ((-0.18, "S1", BLUE), (0.18, "ST", ORANGE)):
            ax.barh(pos + offset, [r[key] for r in rows], height=0.34, color=color,
                    xerr=[r[f"{key}_conf"] for r in rows], capsize=3,
                    label="first order S1" if key == "S1" else "total ST")  # fmt: skip
        ax.set_yticks(pos, [_short(n) for n in names])
        ax.set_xlim(min(0.0, ax.get_xlim()[0]), max(1.0, ax.get_xlim()[1]))
        ax.legend(loc="best", fontsize=7.5, frameon=False)
        ax.set_title(title)

    return _draw(build, 7.0, 1.3 + 0.55 * len(names), prefix, [_short(n) for n in names])


def _short(label: str, limit: int = 36) -> str:
    return label if len(label) <= limit else "…" + label[-(limit - 1) :]


def _cell(v: Any) -> str:
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return "–"
    if isinstance(v, float):
        return f"{v:.4g}"
    return html.escape(str(v))


def _table(frame: pd.DataFrame, columns: Sequence[str] | None = None) -> str:
    cols = [c for c in (columns or list(frame.columns)) if c in frame.columns]
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in cols)
    body = "".join(
        "<tr>" + "".join(f"<td>{_cell(r[c])}</td>" for c in cols) + "</tr>"
        for r in frame.to_dict("records")
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _then_and_now(results: dict[str, pd.DataFrame]) -> list[str]:
    parts = []
    attribution = results.get("attribution", pd.DataFrame())
    if attribution.empty:
        parts.append("<p>No attribution: some of the eight mixes could not be resolved.</p>")
    for k, row in enumerate(attribution.to_dict("records")):
        parts.append(f"<h2>{html.escape(str(row['outcome']))}</h2>")
        parts.append(
            "<p>From then to now: "
            f"{row['then']:.4g} → {row['now']:.4g}, a change of {row['change']:+.4g} ± "
            f"{row['change_ci95']:.2g}, split into each factor's Shapley share (the "
            "shares add up to the change exactly; ± is the paired 95% interval).</p>"
        )
        parts.append(waterfall(row, title=f"{row['outcome']}: then to now", prefix=f"w{k}"))
        parts.append(
            _table(
                pd.DataFrame(
                    [
                        {
                            "factor": f,
                            "share": row[f],
                            "± 95%": row[f"{f}_ci95"],
                        }
                        for f in FACTORS
                    ]
                )
            )
        )
    means = results.get("means", pd.DataFrame())
    if not means.empty:
        parts.append("<h2>The eight mixes</h2>")
        parts.append("<p>Each factor's year, and each outcome's mean per trial.</p>")
        parts.append(_table(means))
    return parts


def _sweep(
    store: Store, full: str, spec: dict[str, Any], results: dict[str, pd.DataFrame]
) -> list[str]:
    parts = []
    kept = tables.study_points(store, full)
    params = [str(p[0]) for p in spec["params"]]
    lows = [float(p[1]) for p in spec["params"]]
    highs = [float(p[2]) for p in spec["params"]]
    parts.append(
        f"<p>{kept['point'].size:,} points of a {html.escape(str(spec['design']))} design over "
        + ", ".join(
            f"{html.escape(n)} in [{lo:g}, {hi:g}]"
            for n, lo, hi in zip(params, lows, highs, strict=True)
        )
        + f"; {int(spec['trials']):,} trials per point, all on the same random numbers. "
        "Every point's mean and standard error is kept in the store.</p>"
    )
    if kept["point"].size == 0:
        return [*parts, "<p>No point was stored.</p>"]
    for k, outcome in enumerate(spec["outcomes"]):
        y = kept["means"][:, k]
        center = float(y.mean())
        parts.append(f"<h2>{html.escape(str(outcome))}</h2>")
        rows = tornado_rows(params, kept["values"], y, lows, highs)
        parts.append(
            f"<p>Tornado: the mean of {html.escape(str(outcome))} over the points in the "
            f"lowest and in the highest quarter of each parameter's range (the others "
            f"varying as the design drew them), against its mean over all points "
            f"({center:.4g}); whiskers are 95% intervals of those means over the points.</p>"
        )
        parts.append(tornado(rows, center, title=f"{outcome}: tornado", prefix=f"t{k}"))
        parts.append(_table(rows, ["param", "low_mean", "low_se", "high_mean", "high_se",
                                   "swing"]))  # fmt: skip
        sobol = results.get(f"sobol:{outcome}")
        if sobol is not None and not sobol.empty:
            parts.append(
                "<p>Sobol indices (Saltelli's design; SALib's estimates with their 95% "
                "confidence intervals): the share of the outcome's variance over the design "
                "due to each parameter alone (S1) and with its interactions (ST).</p>"
            )
            parts.append(sobol_bars(sobol, title=f"{outcome}: Sobol indices", prefix=f"s{k}"))
            parts.append(_table(sobol))
    return parts


_COMPARISON_COLUMNS = (
    "variant", "outcome", "entry", "present", "unit", "mean_a", "mean_b", "diff",
    "± paired 95%", "± independent 95%", "gain",
)  # fmt: skip


def _comparison(results: dict[str, pd.DataFrame]) -> list[str]:
    frame = results.get("table", pd.DataFrame())
    if frame.empty:
        return ["<p>No difference table was stored.</p>"]
    frame = frame.copy()
    for col in ("se_paired", "se_independent"):
        frame[f"± {col[3:]} 95%"] = 1.96 * frame[col]
    return [
        "<p>Each entry of each variant against the base, matched by identity: b − a with "
        "its paired 95% half-width (trial by trial, on common random numbers) beside the "
        "half-width two independent runs would have; gain is the factor by which pairing "
        "saves trials for the same precision. An entry in only one run is marked.</p>",
        _table(frame, _COMPARISON_COLUMNS),
    ]


_STYLE = (
    "body{font-family:system-ui,sans-serif;max-width:62rem;margin:1.5rem auto;padding:0 1rem;"
    "color:#222}table{border-collapse:collapse;font-size:.85rem;margin:.6rem 0 1.2rem}"
    "th,td{border-bottom:1px solid #ddd;padding:.2rem .5rem;text-align:right}"
    "th:first-child,td:first-child{text-align:left}svg{max-width:100%;height:auto}"
    "code{font-size:.85rem}"
)


def render_study_report(store: Store, study_id: str) -> tuple[str, dict[str, Any]]:
    """The HTML of a stored study's report, and the study's row."""
    row = tables.study(store, study_id)
    full = str(row["study_id"])
    spec = json.loads(row["spec_json"])
    results = tables.study_results(store, full)
    variants = tables.study_variants(store, full)
    parts = [
        f"<h1>{html.escape(str(row['type']))}: {html.escape(str(row['name']))}</h1>",
        f"<p>Study <code>{full}</code> ({html.escape(str(row['status']))}), "
        f"{int(row['n_trials']):,} trials per variant, seed {row['seed']}, chunk size "
        f"{row['chunk_size']}, anpo {html.escape(str(row['anpo_version']))}; "
        f"<code>anpo study rerun {full}</code> reproduces it bit for bit.</p>",
    ]
    if row["type"] == "then-and-now":
        parts += _then_and_now(results)
    elif row["type"] == "sweep":
        parts += _sweep(store, full, spec, results)
    else:
        parts += _comparison(results)
    if not variants.empty:
        shown = variants.assign(changes=[json.dumps(c) for c in variants["changes"]])
        parts.append("<h2>Variants and their stored runs</h2>")
        parts.append(_table(shown, ["position", "name", "changes", "run_id", "note"]))
    title = f"anpo {row['type']}: {row['name']}"
    page = (
        f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>'
        f"{html.escape(title)}</title><style>{_STYLE}</style></head><body>"
        + "\n".join(parts)
        + "</body></html>\n"
    )
    return page, row


def write_study_report(
    store: Store, study_id: str, out_dir: str | Path, force: bool = True
) -> Path:
    """Write a stored study's report to ``out_dir/study-<name>-<id[:12]>.html``.

    The same study gives the same report, so an existing one is replaced unless
    ``force`` is False.
    """
    from anpo.store import refuse_overwrite

    page, row = render_study_report(store, study_id)
    safe = "".join(c if c.isalnum() or c in "-_" else "-" for c in str(row["name"]))
    path = Path(out_dir) / f"study-{safe}-{str(row['study_id'])[:12]}.html"
    refuse_overwrite([path], force)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(page, encoding="utf-8")
    except OSError as exc:
        raise StoreError(f"cannot write the report {path}: {exc}") from None
    return path
