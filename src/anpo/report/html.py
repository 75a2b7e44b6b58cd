"""The self-contained HTML report of one stored run.

Every number in the report comes from the store's SQL (:meth:`Store.summary`,
:meth:`Store.histogram`, and the counts of coded outcomes in
:func:`code_counts`), so each figure and table can be recomputed by a query. The
file references nothing outside itself: styles are inline, figures are inline SVG
and no script is used.

The report is generic over kinds: every outcome is listed in the summary table,
coded outcomes (unit ``"code"``) are summarised as counts of each code, and the
headline cards and figures are the ones the run's kind declares
(:class:`anpo.kinds.base.Views`, drawn by :mod:`anpo.report.views`).
"""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path
from typing import Any

import pandas as pd
import yaml
from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from anpo.errors import StoreError
from anpo.kinds import registry
from anpo.kinds.base import Views
from anpo.kinds.headline import Card, fmt_num, pct
from anpo.kinds.headline import Figure as HeadlineFigure
from anpo.report import cache, figures, views
from anpo.report.narrative import Narrative, narrative
from anpo.report.views import Figure, code_counts
from anpo.store import Store, refuse_overwrite

__all__ = [
    "Card",
    "Figure",
    "bibliography",
    "code_counts",
    "fmt_num",
    "render_report",
    "report_path",
    "reproduce",
    "write_report",
]

OVERRIDE_TEXT = "set by the scenario, overriding the knowledge base"
KINDS = ("fact", "estimate", "assumption")


def report_path(name: str, run_id: str, out_dir: str | Path) -> Path:
    """Where the report of run ``run_id`` of scenario ``name`` goes in ``out_dir``."""
    safe = re.sub(r"[^A-Za-z0-9._-]+", "-", name).strip("-.") or "run"
    return Path(out_dir) / f"{safe}-{run_id[:12]}.html"


def _entries(summary: pd.DataFrame, outcome: str) -> pd.DataFrame:
    return views.entries(summary, outcome)


def _generic_cards(summary: pd.DataFrame, n: int) -> list[Card]:
    """A kind that declares no headline: one card per scalar outcome, as data show it."""
    cards: list[Card] = []
    scalar = summary.groupby("outcome").filter(lambda g: len(g) == 1)
    for row in scalar[scalar["unit"] != "code"].to_dict("records"):
        spread = f"{fmt_num(row['p05'])} – {fmt_num(row['p95'])}"
        cards.append(
            Card(
                title=f"{row['outcome']} ({row['unit']})",
                value=f"{fmt_num(row['mean'])} ± {fmt_num(1.96 * float(row['se']))}",
                detail=(
                    f"± 1.96·SE (Monte Carlo, {n:,} trials): the error of the mean.",
                    f"5th–95th percentile of trials: {spread}.",
                ),
            )
        )
    return cards


def _cards(figs: list[HeadlineFigure], summary: pd.DataFrame, n: int) -> list[Card]:
    cards = [card for f in figs for card in f.cards()]
    return cards or _generic_cards(summary, n)


def _generic_figures(store: Store, run_id: str, summary: pd.DataFrame) -> list[Figure]:
    """A kind that declares no figures: the distribution of each scalar outcome."""
    out: list[Figure] = []
    scalar = summary.groupby("outcome").filter(lambda g: len(g) == 1)
    for i, row in enumerate(scalar[scalar["unit"] != "code"].to_dict("records")[:6]):
        name = str(row["outcome"])
        hist = store.histogram(run_id, name)
        total = float(hist["trials"].sum()) or 1.0
        out.append(
            Figure(
                f"Distribution of {name}",
                Markup(
                    figures.distribution(
                        [float(v) for v in hist["value"]],
                        [float(t) / total for t in hist["trials"]],
                        title=f"Distribution of {name}",
                        xlabel=f"{name} ({row['unit']})",
                        prefix=f"fig-{i}",
                        mean=float(row["mean"]),
                        band=(float(row["p05"]), float(row["p95"])),
                    )
                ),
                f"Share of trials at each value (Store.histogram of '{name}').",
            )
        )
    return out


_NO_IMPACTS = pd.DataFrame(columns=["trial", "idx", "threat", "lat", "lon"])


def _geometry(store: Store, run: dict[str, Any]) -> dict[str, Any] | None:
    """The run's map (``Store.geometry``), kept by the content it is drawn from: the
    scenario text, its origin and date, and any map the run stored."""
    k = cache.key(
        "geometry", str(run["scenario_yaml"]), str(run["scenario_origin"]),
        str(run["scenario_date"]), str(run.get("geometry_json") or ""),
    )  # fmt: skip
    text = cache.kept("geometry", k, lambda: json.dumps(store.geometry(str(run["run_id"]))))
    found: dict[str, Any] | None = json.loads(text)
    return found


def _figures(
    store: Store,
    run: dict[str, Any],
    kind: Views,
    summary: pd.DataFrame,
    info: pd.DataFrame,
    n: int,
) -> list[Figure]:
    run_id = str(run["run_id"])
    out: list[Figure] = []
    for i, view in enumerate(kind.figures):
        fig = views.figure(store, run_id, view, summary, info, n, prefix=f"fig-{i}")
        if fig is not None:
            out.append(fig)
    geometry = _geometry(store, run)
    if geometry is not None:
        from anpo.report.map import caption, region_map

        impacts = kind.map.impacts
        hits = store.impacts(run_id, *impacts) if impacts else _NO_IMPACTS
        found = len(hits) > 0
        out.insert(
            0 if not out else min(len(out), 1),
            Figure(
                "Map",
                Markup(region_map(geometry, hits)),
                caption(geometry, found) + " (Store.geometry and Store.impacts.)",
            ),
        )
    return out or _generic_figures(store, run_id, summary)


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
                    "share": pct(float(r["share"])),
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


_CITATION = re.compile(r'^(?P<doc>.+?, ".+?" \(\d{4}(?:-\d{2}){0,2}\))(?:, (?P<section>.+))?$')
"""``Publisher, "Title" (date)[, section]``: how :meth:`anpo.kb.Source.cite` writes a source."""


def bibliography(params: pd.DataFrame) -> list[dict[str, str]]:
    """The documents a run's ledger cites, each once, sorted: ``text`` and ``url``.

    A knowledge-base citation is reduced to its document (publisher, title, date; the
    sections stay in the ledger); a citation of another form (a law provision) is
    listed when the ledger gives it an address. Entries without a source document
    ("anpo default", "scenario file", analyst assumptions) are not listed.
    """
    found: dict[str, str] = {}
    if "source" not in params:
        return []
    urls = params["url"] if "url" in params else pd.Series([None] * len(params))
    for source, url in zip(params["source"], urls, strict=True):
        for i, (doc, is_citation) in enumerate(_documents(_text(source))):
            link = _text(url) if i == 0 else ""
            if not is_citation and not link:
                continue
            if doc not in found or (link and not found[doc]):
                found[doc] = link
    return [{"text": t, "url": found[t]} for t in sorted(found, key=str.casefold) if t]


def _documents(source: str) -> list[tuple[str, bool]]:
    """The documents one ledger source names, in order, each with whether it is a
    knowledge-base citation (publisher, title, date) or other text (a law provision).

    A law answer joins several citations with "; " (its address is the first's); a
    knowledge-base citation is one, whose section may itself hold "; ".
    """
    parts = [p.strip() for p in source.split("; ") if p.strip()]
    whole = _CITATION.match(source.strip())
    if whole and not (len(parts) > 1 and all(_CITATION.match(p) for p in parts)):
        return [(whole.group("doc"), True)]
    out: list[tuple[str, bool]] = []
    for part in parts:
        match = _CITATION.match(part)
        out.append((match.group("doc"), True) if match else (part, False))
    return out


def _ledger(params: pd.DataFrame) -> dict[str, Any]:
    rows = [
        {
            "name": _text(r["name"]),
            "value": _text(r["value"]),
            "unit": _text(r["unit"]),
            "kind": _text(r["kind"]),
            "kind_class": _text(r["kind"]) if _text(r["kind"]) in KINDS else "other",
            "source": _text(r["source"]),
            "url": _text(r.get("url")),
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
        "bibliography": bibliography(params),
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


def _narrative(
    run: dict[str, Any],
    kind_title: str,
    headline: list[HeadlineFigure],
    params: pd.DataFrame,
    uncertain: Any,
) -> Narrative:
    """ "What this run says, and what it assumes", from the same figures as the cards."""
    ledger = [
        {"name": _text(r["name"]), "value": _text(r["value"]), "unit": _text(r["unit"]),
         "kind": _text(r["kind"])}
        for r in params.to_dict("records")
    ]  # fmt: skip
    return narrative(
        name=str(run["name"]),
        kind_title=kind_title,
        date=str(run["scenario_date"]),
        n_trials=int(run["n_trials"]),
        figures=headline,
        ledger=ledger,
        uncertain=tuple(uncertain),
    )


def reproduce(run: dict[str, Any]) -> dict[str, str]:
    """The command that makes a stored run again on a fresh checkout: ``command``, and
    ``file``, the name to save the report's "Scenario as given" as ("" when none).

    The run id is the hash of the resolved scenario, the seed, the trials, the chunk
    size and the versions of anpo and NumPy, so with those versions the command gives
    the same run, number for number, whenever anpo resolves the scenario as it did.
    A shipped scenario whose text is still the one the run read is named; any
    other (a file, a study's variant, a shipped scenario changed since) is run from
    its text saved as ``<name>.yaml``.
    """
    from anpo import scenario

    origin = str(run["scenario_origin"])
    shipped = origin.removeprefix("shipped:") if origin.startswith("shipped:") else None
    if shipped is not None and scenario.shipped().get(shipped) == str(run["scenario_yaml"]):
        target, file = shipped, ""
    else:
        file = re.sub(r"[^A-Za-z0-9._-]+", "-", str(run["name"])).strip("-.") or "scenario"
        target = file = f"{file}.yaml"
    command = shlex.join(
        ["anpo", "run", target, "-n", str(int(run["n_trials"])), "--seed", str(int(run["seed"])),
         "--chunk-size", str(int(run["chunk_size"]))]
    )  # fmt: skip
    return {"command": command, "file": file}


def _environment() -> Environment:
    return Environment(
        loader=PackageLoader("anpo.report", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def _context(store: Store, run_id: str) -> dict[str, Any]:
    """Everything the template shows, read from the store over one connection."""
    run = store.run(run_id)
    full = str(run["run_id"])
    n = int(run["n_trials"])
    info = store.outcome_info(full)
    summary = store.summary(full)
    kind = registry.views(str(run["kind"]))
    spec = registry.get(str(run["kind"])) if registry.known(run["kind"]) else None
    title = spec.title if spec is not None else str(run["kind"])
    experimental = spec is not None and spec.experimental
    params = store.parameters(full)
    headline = views.headline_figures(store, full, kind, summary)
    return {
        "run": run,
        "run_id": full,
        "n_trials": f"{n:,}",
        "wall": f"{float(run['wall_s']):.2f} s",
        "description": _description(str(run["scenario_yaml"])),
        "versions": _versions(str(run["versions_json"])),
        "rerun": f"anpo rerun {full}",
        "reproduce": reproduce(run),
        "cards": _cards(headline, summary, n),
        "narrative": _narrative(run, title, headline, params, spec.uncertain if spec else ()),
        "figures": _figures(store, run, kind, summary, info, n),
        "kind_title": title,
        "experimental": experimental,
        "groups": _summary_groups(summary, info),
        "codes": _code_tables(store, full, info, n),
        "ledger": _ledger(params),
        "override_text": OVERRIDE_TEXT,
        "scenario_yaml": str(run["scenario_yaml"]),
    }


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
    with store.reading():
        context = _context(store, run_id)
    run = context["run"]
    html = _environment().get_template("report.html").render(**context)
    return html, run


def write_report(store: Store, run_id: str, out_dir: str | Path, force: bool = False) -> Path:
    """Write the self-contained HTML report of a stored run.

    Parameters
    ----------
    store
        The results store holding the run.
    run_id
        The run's id, or a unique prefix of it.
    out_dir
        Directory to write to (created if missing).
    force
        Replace an existing report file (otherwise refused).

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
    refuse_overwrite([path], force)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(html, encoding="utf-8")
    except OSError as exc:
        raise StoreError(f"cannot write the report {path}: {exc}") from None
    return path
