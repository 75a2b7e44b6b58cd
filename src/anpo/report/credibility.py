"""The credibility dashboard: one self-contained HTML page of the essay's test.

It shows, for a date, each scenario's capability (its objective measure, with its
Wilson interval), each party's legal gate, contribution, willingness and credibility
(capability × willingness), the alliance's credibility and the adversary's deterrence
margin (:mod:`anpo.studies.credibility`); the essay's levers as counterfactuals with
their paired effects, and those no model captures as law and indicator items; every
default with its label, and the public indicators beside them. Like the run report
(:mod:`anpo.report.html`, whose style it follows) it references nothing outside itself.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from anpo.report.html import _environment
from anpo.studies.credibility import IF, Counterfactual, Credibility

__all__ = ["credibility_report_path", "render_credibility_report", "write_credibility_report"]


def _pct(x: float | None) -> str:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "n/a"
    return f"{100 * x:.1f}%"


def _ci(ci: Any) -> str:
    if not ci or any(c is None or (isinstance(c, float) and math.isnan(c)) for c in ci):
        return ""
    return f"{100 * ci[0]:.1f}–{100 * ci[1]:.1f}%"


def _signed(x: float | None, scale: float = 1.0, unit: str = "") -> str:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "n/a"
    return f"{scale * x:+.1f}{unit}" if scale != 1.0 else f"{x:+.2f}{unit}"


def credibility_report_path(day: str, out_dir: str | Path) -> Path:
    """Where the dashboard for ``day`` goes in ``out_dir``."""
    safe = re.sub(r"[^0-9-]+", "-", day).strip("-") or "date"
    return Path(out_dir) / f"credibility-{safe}.html"


def render_credibility_report(
    result: Credibility,
    levers: Sequence[Counterfactual] = (),
    not_modelled: Sequence[dict[str, Any]] = (),
) -> str:
    """The dashboard's HTML text."""
    env = _environment()
    env.filters["pct"] = _pct
    env.filters["ci"] = _ci
    env.filters["signed"] = _signed
    return env.get_template("credibility.html").render(
        c=result,
        overall=result.overall,
        scenarios=result.scenarios,
        parties=result.parties,
        assumptions=list(result.assumptions.values()),
        indicators=result.indicators,
        levers=list(levers),
        not_modelled=list(not_modelled),
        caveat=IF,
        command=f"anpo credibility --date {result.date} --trials {result.trials} "
        f"--seed {result.seed} --report DIR",
    )


def write_credibility_report(
    result: Credibility,
    levers: Sequence[Counterfactual],
    not_modelled: Sequence[dict[str, Any]],
    out_dir: str | Path,
) -> Path:
    """Write the dashboard into ``out_dir`` (made if missing); returns its path.

    The page is written whole to a temporary name and then moved into place, so a
    failure leaves nothing half-written."""
    folder = Path(out_dir)
    folder.mkdir(parents=True, exist_ok=True)
    path = credibility_report_path(str(result.date), folder)
    text = render_credibility_report(result, levers, not_modelled)
    tmp = path.with_suffix(".html.tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)
    return path
