"""What ``anpo show`` prints first: a summary of a scenario's resolved inputs.

The summary is read from the assumption ledger: the inputs are sorted into the groups
the scenario's kind declares (:class:`anpo.kinds.base.SummaryGroups`; for missile
defence the threat, the forces and the law's answers), each shown as one line cut to
the terminal's width, followed by the counts of facts, estimates and assumptions and
the inputs the scenario overrides.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from anpo.kinds.base import MISSILE_DEFENCE_SUMMARY, SummaryGroups

if TYPE_CHECKING:
    from anpo.report.narrative import Narrative

KINDS = ("fact", "estimate", "assumption")


def group_of(
    name: str,
    groups: SummaryGroups = MISSILE_DEFENCE_SUMMARY,
    exact: Mapping[str, str] | None = None,
) -> str | None:
    """The summary group of a ledger entry, by its name (None: only in the full ledger).

    ``exact`` maps names the scenario places in a group (``groups.names(spec)``, turned
    round); they are tried first, then ``groups.detail``, then each group's patterns.
    """
    if exact and name in exact:
        return exact[name]
    if any(re.fullmatch(p, name) for p in groups.detail):
        return None
    for group, patterns in groups.groups.items():
        if any(re.fullmatch(p, name) for p in patterns):
            return group
    return None


def summarize(
    ledger: Sequence[Mapping[str, Any]],
    groups: SummaryGroups = MISSILE_DEFENCE_SUMMARY,
    spec: Any = None,
) -> dict[str, Any]:
    """The summary as data (the ``summary`` key of ``anpo show --json``).

    ``groups`` is the kind's :attr:`anpo.kinds.base.KindSpec.summary`; ``spec`` the
    scenario's spec, read by ``groups.names`` where the kind declares it.
    """
    exact: dict[str, str] = {}
    if groups.names is not None and spec is not None:
        for named, names in groups.names(spec).items():
            exact.update({n: named for n in names})
    counts = {k: 0 for k in KINDS}
    found: dict[str, list[str]] = {g: [] for g in groups.groups}
    for e in ledger:
        kind = str(e["kind"])
        counts[kind] = counts.get(kind, 0) + 1
        into = group_of(str(e["name"]), groups, exact)
        if into is not None:
            value = f"{e['value']} {e['unit']}".strip()
            found.setdefault(into, []).append(f"{e['name']}: {value}")
    return {
        "inputs": len(ledger),
        "counts": counts,
        "overrides": [str(e["name"]) for e in ledger if e.get("override")],
        "groups": list(found),
        **found,
    }


def _cut(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: max(width - 1, 1)] + "…"


def lines(summary: Mapping[str, Any], width: int = 80) -> list[str]:
    """The summary as plain lines, none longer than ``width``."""
    c = summary["counts"]
    counted = ", ".join(f"{n} {k}{'s' if n != 1 else ''}" for k, n in c.items())
    out = [_cut(f"{summary['inputs']} inputs: {counted}", width)]
    for group in summary.get("groups", ("threat", "forces", "law")):
        items = summary[group]
        out.append(
            f"{group.capitalize()} ({len(items)})" if items else f"{group.capitalize()}: none"
        )
        out.extend("  " + _cut(item, width - 2) for item in items)
    overrides = summary["overrides"]
    out.append(
        _cut("Set by the scenario (overrides): " + ", ".join(overrides), width)
        if overrides
        else "Set by the scenario (overrides): none"
    )
    return out


def run_lines(says: Narrative, width: int = 80) -> list[str]:
    """What ``anpo run`` prints after its headline figures: what the run assumes.

    ``says`` is the run's :class:`anpo.report.narrative.Narrative`; the lines give the
    ledger's counts, the uncertain inputs with the widest ranges (by name: their values
    are in ``anpo show --full`` and the report) and that the numbers are conditional
    on them, each wrapped to ``width``.
    """
    import textwrap

    counts = ", ".join(f"{n} {k}{'s' if n != 1 else ''}" for k, n in says.counts.items())
    text = f"Assumes: {sum(says.counts.values())} inputs ({counts})"
    if says.inputs:
        text += "; widest-ranging: " + ", ".join(c.name for c in says.inputs)
    text += ". If these hold, the numbers above follow; they are not a forecast."
    return textwrap.wrap(text, width=width, break_on_hyphens=False)


def credibility_lines(
    defaults: Sequence[Mapping[str, Any]], day: str, width: int = 80
) -> list[str]:
    """What ``anpo show --credibility`` adds: every credibility default on ``day``.

    ``defaults`` are :meth:`anpo.studies.credibility.Assumption.as_dict` rows (portfolio
    weights, political willingness, deterrence-margin parameters): one line each with its
    key, label, range (low / nominal / high) and unit, and after each kb record's rows
    the record and its reasoning, wrapped to ``width``. The same list as ``anpo credibility
    --assumptions``.
    """
    import textwrap

    out = textwrap.wrap(
        f"Credibility defaults on {day} ({len(defaults)}; each labelled, with its range; "
        "the credibility figures hold only if these assumptions hold):",
        width=width,
    )
    for i, a in enumerate(defaults):
        row = f"{a['key']} [{a['label']}] {a['low']:g} / {a['nominal']:g} / {a['high']:g}"
        out.append("  " + _cut(f"{row} {a['unit']}", width - 2))
        last = i + 1 == len(defaults) or defaults[i + 1]["record"] != a["record"]
        if last:
            out.extend(
                textwrap.wrap(
                    f"Why (kb record {a['record']}): "
                    + (" ".join(str(a["reasoning"]).split()) or "no reasoning recorded"),
                    width=width,
                    initial_indent="    ",
                    subsequent_indent="    ",
                    break_on_hyphens=False,
                )
            )
    return out
