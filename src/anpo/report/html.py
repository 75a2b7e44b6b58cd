"""The self-contained HTML report of one stored run.

Every number in the report comes from the store's SQL (:meth:`Store.summary`,
:meth:`Store.histogram`, and the counts of coded outcomes in
:func:`code_counts`), so each figure and table can be recomputed by a query. The
file references nothing outside itself: styles are inline, figures are inline SVG
and no script is used.

The report is generic over models: every outcome is listed in the summary table,
coded outcomes (unit ``"code"``) are summarised as counts of each code, and the
missile-defence views (headline cards and figures) are added when the outcomes they
need are present.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import yaml
from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from anpo.errors import StoreError
from anpo.report import figures
from anpo.store import Store

__all__ = [
    "Card",
    "Figure",
    "code_counts",
    "fmt_num",
    "render_report",
    "report_path",
    "write_report",
]

OVERRIDE_TEXT = "set by the scenario, overriding the knowledge base"
KINDS = ("fact", "estimate", "assumption")


def fmt_num(x: Any) -> str:
    """Format a number the one way the report shows it (tables and cards alike).

    Integers are shown whole with thousands separators; other values with three
    decimals (one from 1,000 up), and values under 0.01 with two significant digits.

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


def _pct(p: float) -> str:
    return f"{100.0 * p:.1f}%"


@dataclass(frozen=True)
class Card:
    """A headline number: its title, value, and lines of explanation."""

    title: str
    value: str
    detail: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Figure:
    """An inline SVG figure with a caption naming the query behind it."""

    title: str
    svg: Markup
    caption: str


def report_path(name: str, run_id: str, out_dir: str | Path) -> Path:
    """Where the report of run ``run_id`` of scenario ``name`` goes in ``out_dir``."""
    safe = re.sub(r"[^A-Za-z0-9._-]+", "-", name).strip("-.") or "run"
    return Path(out_dir) / f"{safe}-{run_id[:12]}.html"


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


def _entries(summary: pd.DataFrame, outcome: str) -> pd.DataFrame:
    return summary[summary["outcome"] == outcome].sort_values("idx")


def _shares(hist: pd.DataFrame) -> tuple[list[float], list[float]]:
    total = float(hist["trials"].sum())
    values = [float(v) for v in hist["value"]]
    shares = [float(t) / total if total else 0.0 for t in hist["trials"]]
    return values, shares


def _label(row: Mapping[Any, Any], outcome: str) -> str:
    label = str(row["label"])
    return label if label else outcome


def _spread(row: Mapping[Any, Any]) -> str:
    return f"{fmt_num(row['p05'])} – {fmt_num(row['p95'])}"


def _mean_card(title: str, row: Mapping[Any, Any], n: int, what: str) -> Card:
    return Card(
        title=title,
        value=f"{fmt_num(row['mean'])} ± {fmt_num(1.96 * float(row['se']))}",
        detail=[
            f"± 1.96·SE (Monte Carlo, {n:,} trials): the error of the mean from "
            "running a finite number of trials.",
            f"5th–95th percentile of trials: {_spread(row)} {what}; the spread of "
            "outcomes from trial to trial.",
        ],
    )


def _cards(summary: pd.DataFrame, names: set[str], n: int) -> list[Card]:
    cards: list[Card] = []
    if "leakers" in names:
        row = _entries(summary, "leakers").iloc[0].to_dict()
        cards.append(_mean_card("Mean leakers (warheads that got through)", row, n, "warheads"))
        p = float(row["p_zero"])
        se = math.sqrt(p * (1.0 - p) / n) if n else float("nan")
        cards.append(
            Card(
                title="P(no leaker)",
                value=f"{_pct(p)} ± {_pct(1.96 * se)}",
                detail=[
                    f"Share of the {n:,} trials in which no warhead got through.",
                    f"± 1.96·SE, with the binomial SE √(p(1−p)/N) = {fmt_num(se)}: the "
                    "Monte Carlo error of this share.",
                ],
            )
        )
    if "expended_tier" in names:
        for row in _entries(summary, "expended_tier").to_dict("records"):
            cards.append(
                Card(
                    title=f"Interceptors used, {_label(row, 'expended_tier')} tier",
                    value=fmt_num(row["mean"]),
                    detail=[
                        f"Mean per raid (± {fmt_num(1.96 * float(row['se']))}, 1.96·SE).",
                        f"5th–95th percentile of trials: {_spread(row)}.",
                    ],
                )
            )
    if "expended_on_decoys" in names:
        row = _entries(summary, "expended_on_decoys").iloc[0].to_dict()
        cards.append(
            Card(
                title="Interceptors spent on decoys",
                value=fmt_num(row["mean"]),
                detail=[
                    f"Mean per raid (± {fmt_num(1.96 * float(row['se']))}, 1.96·SE).",
                    f"5th–95th percentile of trials: {_spread(row)}.",
                ],
            )
        )
    if not cards:
        # A model without the missile-defence outcomes: one card per scalar outcome.
        scalar = summary.groupby("outcome").filter(lambda g: len(g) == 1)
        for row in scalar[scalar["unit"] != "code"].to_dict("records"):
            cards.append(_mean_card(str(row["outcome"]), row, n, str(row["unit"])))
    return cards


def _by_base_and_day(
    summary: pd.DataFrame, outcome: str, column: str = "mean"
) -> tuple[list[str], list[list[float]]]:
    """A (base, day) outcome as a matrix of one summary column: from labels that read
    "<base> / day <k>", or, for a 2-D outcome the store keeps flat (base-major), from
    its entries in order, the bases named by the 'aircraft_destroyed' labels."""
    rows = _entries(summary, outcome).sort_values("idx")
    labels = [str(x) for x in rows["label"].tolist()]
    values = [float(x) for x in rows[column].tolist()]
    if labels and all(" / day " in x for x in labels):
        by: dict[str, dict[int, float]] = {}
        for label, value in zip(labels, values, strict=True):
            base, _, day = label.rpartition(" / day ")
            by.setdefault(base, {})[int(day)] = value
        return list(by), [[by[b][d] for d in sorted(by[b])] for b in by]
    bases = [str(x) for x in _entries(summary, "aircraft_destroyed")["label"].tolist()] or [""]
    days = max(1, len(values) // len(bases))
    return bases, [values[i * days : (i + 1) * days] for i in range(len(bases))]


def _air_base_figures(summary: pd.DataFrame, names: set[str]) -> list[Figure]:
    from anpo.report import air_base

    out: list[Figure] = []
    if "closed_hours_by_day" in names:
        bases, hours = _by_base_and_day(summary, "closed_hours_by_day")
        _, low = _by_base_and_day(summary, "closed_hours_by_day", "p05")
        _, high = _by_base_and_day(summary, "closed_hours_by_day", "p95")
        out.append(
            Figure(
                "Closure timeline",
                Markup(
                    air_base.closure_timeline(
                        bases, hours, prefix="fig-closure", low=low, high=high
                    )
                ),
                "Mean hours each base had no usable minimum operating strip, by day, with "
                "the 5th–95th percentile band (Store.summary of 'closed_hours_by_day').",
            )
        )
    if "aircraft_destroyed" in names:
        rows = _entries(summary, "aircraft_destroyed")
        out.append(
            Figure(
                "Aircraft lost on the ground",
                Markup(
                    air_base.aircraft_lost(
                        [str(x) for x in rows["label"]],
                        [float(x) for x in rows["mean"]],
                        prefix="fig-aircraft",
                        mean_damaged=(
                            [float(x) for x in _entries(summary, "aircraft_damaged")["mean"]]
                            if "aircraft_damaged" in names
                            else None
                        ),
                    )
                ),
                "Mean aircraft destroyed per base (Store.summary of 'aircraft_destroyed').",
            )
        )
    if "sorties" in names:
        bases, sorties = _by_base_and_day(summary, "sorties")
        _, low = _by_base_and_day(summary, "sorties", "p05")
        _, high = _by_base_and_day(summary, "sorties", "p95")
        out.append(
            Figure(
                "Sorties",
                Markup(
                    air_base.sorties_by_day(
                        bases, sorties, prefix="fig-sorties", low=low, high=high
                    )
                ),
                "Mean sorties each base can generate per day, with the 5th–95th percentile "
                "band (Store.summary of 'sorties').",
            )
        )
    return out


def _figures(store: Store, run_id: str, summary: pd.DataFrame, names: set[str]) -> list[Figure]:
    out: list[Figure] = _air_base_figures(summary, names)
    geometry = store.geometry(run_id)
    if geometry is not None:
        from anpo.report.map import caption, region_map

        impacts = store.impacts(run_id)
        out.append(
            Figure(
                "Map",
                Markup(region_map(geometry, impacts)),
                caption(geometry, len(impacts) > 0) + " (Store.geometry and Store.impacts.)",
            )
        )
    if "leakers" in names:
        values, shares = _shares(store.histogram(run_id, "leakers"))
        mean = float(_entries(summary, "leakers").iloc[0]["mean"])
        out.append(
            Figure(
                "Distribution of leakers",
                Markup(
                    figures.distribution(
                        values,
                        shares,
                        title="Warheads that got through, per raid",
                        xlabel="leakers (warheads)",
                        prefix="fig-leakers",
                        mean=mean,
                    )
                ),
                "Share of trials with each number of leakers (Store.histogram of 'leakers').",
            )
        )
    if "expended_tier" in names:
        panels = []
        for row in _entries(summary, "expended_tier").to_dict("records"):
            hist = store.histogram(run_id, "expended_tier", int(row["idx"]))
            values, shares = _shares(hist)
            panels.append((f"{_label(row, 'tier')} tier", values, shares))
        out.append(
            Figure(
                "Interceptors used per tier",
                Markup(
                    figures.histograms(
                        panels,
                        title="Interceptors fired per raid, by tier",
                        xlabel="interceptors",
                        prefix="fig-tier",
                    )
                ),
                "Share of trials by interceptors fired in each tier "
                "(Store.histogram of 'expended_tier', per tier).",
            )
        )
    if "leak_reason" in names:
        rows = _entries(summary, "leak_reason")
        out.append(
            Figure(
                "Leak reasons",
                Markup(
                    figures.horizontal_bars(
                        [str(v) for v in rows["label"]],
                        [float(v) for v in rows["mean"]],
                        title="Why warheads got through (mean per raid)",
                        xlabel="mean leakers per raid (warheads)",
                        prefix="fig-reason",
                    )
                ),
                "Mean leakers by reason (Store.summary of 'leak_reason'): missed = every "
                "shot missed; no_shooter = no shooter could engage; magazine_empty = "
                "shooters had run out; decoy_exhausted = interceptors went to decoys.",
            )
        )
    if "leaked" in names:
        rows = _entries(summary, "leaked")
        out.append(
            Figure(
                "Leakers by defended asset",
                Markup(
                    figures.means_with_spread(
                        [str(v) for v in rows["label"]],
                        [float(v) for v in rows["mean"]],
                        [float(v) for v in rows["p05"]],
                        [float(v) for v in rows["p95"]],
                        title="Warheads that got through, by defended asset",
                        ylabel="leakers per raid (warheads)",
                        prefix="fig-asset",
                    )
                ),
                "Mean per raid, with whiskers from the 5th to the 95th percentile of trials "
                "(Store.summary of 'leaked').",
            )
        )
    if "expended" in names:
        rows = _entries(summary, "expended").sort_values(["mean", "idx"], ascending=[False, True])
        out.append(
            Figure(
                "Interceptors used per shooter",
                Markup(
                    figures.horizontal_bars(
                        [str(v) for v in rows["label"]],
                        [float(v) for v in rows["mean"]],
                        title="Interceptors fired per raid, by shooter (mean)",
                        xlabel="mean interceptors fired per raid",
                        prefix="fig-shooter",
                    )
                ),
                "Mean interceptors fired by each shooter, most first (Store.summary of "
                "'expended').",
            )
        )
    if not out:
        # A model without the missile-defence outcomes: the distribution of each
        # scalar outcome.
        scalar = summary.groupby("outcome").filter(lambda g: len(g) == 1)
        for i, row in enumerate(scalar[scalar["unit"] != "code"].to_dict("records")[:6]):
            name = str(row["outcome"])
            values, shares = _shares(store.histogram(run_id, name))
            out.append(
                Figure(
                    f"Distribution of {name}",
                    Markup(
                        figures.distribution(
                            values,
                            shares,
                            title=f"Distribution of {name}",
                            xlabel=f"{name} ({row['unit']})",
                            prefix=f"fig-{i}",
                            mean=float(row["mean"]),
                        )
                    ),
                    f"Share of trials at each value (Store.histogram of '{name}').",
                )
            )
    return out


def _summary_groups(summary: pd.DataFrame, info: pd.DataFrame) -> list[dict[str, Any]]:
    groups = []
    for rec in info.to_dict("records"):
        if rec["unit"] == "code":
            continue
        name = str(rec["outcome"])
        rows = [
            {
                "label": str(r["label"]),
                "mean": fmt_num(r["mean"]),
                "se": fmt_num(r["se"]),
                "p05": fmt_num(r["p05"]),
                "p50": fmt_num(r["p50"]),
                "p95": fmt_num(r["p95"]),
            }
            for r in _entries(summary, name).to_dict("records")
        ]
        groups.append(
            {
                "outcome": name,
                "unit": str(rec["unit"]),
                "dim": str(rec["dim"]),
                "description": str(rec["description"]),
                "rows": rows,
            }
        )
    return groups


def _code_tables(store: Store, run_id: str, info: pd.DataFrame, n: int) -> list[dict[str, Any]]:
    tables = []
    for rec in info.to_dict("records"):
        if rec["unit"] != "code":
            continue
        name = str(rec["outcome"])
        names = json.loads(rec["codes"]) if rec.get("codes") else []
        counts = code_counts(store, run_id, name)
        rows = []
        for r in counts.to_dict("records"):
            code = float(r["value"])
            i = int(code) if code.is_integer() else -1
            rows.append(
                {
                    "code": fmt_num(code),
                    "name": names[i] if 0 <= i < len(names) else "",
                    "n": f"{int(r['n']):,}",
                    "share": _pct(float(r["share"])),
                    "per_trial": fmt_num(float(r["n"]) / n) if n else "–",
                }
            )
        tables.append(
            {
                "outcome": name,
                "dim": str(rec["dim"]),
                "size": int(rec["size"]),
                "description": str(rec["description"]),
                "rows": rows,
            }
        )
    return tables


def _text(v: Any) -> str:
    if v is None:
        return ""
    try:
        if pd.isna(v):
            return ""
    except (TypeError, ValueError):
        pass
    return str(v)


def _ledger(params: pd.DataFrame) -> dict[str, Any]:
    rows = [
        {
            "name": _text(r["name"]),
            "value": _text(r["value"]),
            "unit": _text(r["unit"]),
            "kind": _text(r["kind"]),
            "kind_class": _text(r["kind"]) if _text(r["kind"]) in KINDS else "other",
            "source": _text(r["source"]),
            "as_of": _text(r["as_of"]),
            "note": _text(r["note"]),
            "override": bool(r["override"]),
        }
        for r in params.to_dict("records")
    ]
    kinds = [_text(k) for k in params["kind"]]
    counts = {k: kinds.count(k) for k in KINDS}
    for k in kinds:
        if k not in KINDS:
            counts[k] = counts.get(k, 0) + 1
    return {
        "rows": rows,
        "counts": counts,
        "overrides": [r for r in rows if r["override"]],
    }


def _description(yaml_text: str) -> str | None:
    try:
        data = yaml.safe_load(yaml_text)
    except yaml.YAMLError:
        return None
    if isinstance(data, dict) and data.get("description"):
        return " ".join(str(data["description"]).split())
    return None


def _versions(versions_json: str) -> str:
    try:
        versions = json.loads(versions_json)
    except ValueError:
        return ""
    if not isinstance(versions, dict):
        return ""
    return ", ".join(f"{k} {v}" for k, v in sorted(versions.items()))


def _environment() -> Environment:
    return Environment(
        loader=PackageLoader("anpo.report", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def render_report(store: Store, run_id: str) -> tuple[str, dict[str, Any]]:
    """The report of a stored run as HTML text, with the run's ``runs`` row.

    Parameters
    ----------
    store
        The results store holding the run.
    run_id
        The run's id, or a unique prefix of it.

    Returns
    -------
    tuple of (str, dict)
        The HTML document and the run's record (as :meth:`Store.run` gives it).
    """
    run = store.run(run_id)
    full = str(run["run_id"])
    n = int(run["n_trials"])
    info = store.outcome_info(full)
    summary = store.summary(full)
    names = {str(v) for v in info["outcome"]}
    context: dict[str, Any] = {
        "run": run,
        "run_id": full,
        "n_trials": f"{n:,}",
        "wall": f"{float(run['wall_s']):.2f} s",
        "description": _description(str(run["scenario_yaml"])),
        "versions": _versions(str(run["versions_json"])),
        "rerun": f"anpo rerun {full}",
        "cards": _cards(summary, names, n),
        "figures": _figures(store, full, summary, names),
        "groups": _summary_groups(summary, info),
        "codes": _code_tables(store, full, info, n),
        "ledger": _ledger(store.parameters(full)),
        "override_text": OVERRIDE_TEXT,
        "scenario_yaml": str(run["scenario_yaml"]),
    }
    html = _environment().get_template("report.html").render(**context)
    return html, run


def write_report(store: Store, run_id: str, out_dir: str | Path) -> Path:
    """Write the self-contained HTML report of a stored run.

    Parameters
    ----------
    store
        The results store holding the run.
    run_id
        The run's id, or a unique prefix of it.
    out_dir
        Directory to write to (created if missing).

    Returns
    -------
    pathlib.Path
        The report, ``out_dir/<scenario name>-<run_id[:12]>.html``.

    Raises
    ------
    StoreError
        If the run is not in the store, or the report cannot be written.
    """
    html, run = render_report(store, run_id)
    path = report_path(str(run["name"]), str(run["run_id"]), out_dir)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(html, encoding="utf-8")
    except OSError as exc:
        raise StoreError(f"cannot write the report {path}: {exc}") from None
    return path
