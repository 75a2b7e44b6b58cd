"""What ``anpo show`` prints first: a summary of a scenario's resolved inputs.

The summary is read from the assumption ledger alone (any kind's): the inputs are
sorted into the threat, the forces and the law's answers by the first part of
their names, each shown as one line cut to the terminal's width, followed by the
counts of facts, estimates and assumptions and the inputs the scenario overrides.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from anpo.report.narrative import Narrative

GROUPS: dict[str, tuple[str, ...]] = {
    "threat": ("threat", "raid"),
    "forces": ("ship", "ships", "pac3", "posture", "defence", "defense", "aircraft"),
    "law": ("law", "basing", "sharing"),
}
"""Which first parts of a ledger name make an input part of each summary group."""

DETAIL = re.compile(r"\.(magazine|station|position|distance_km|count)$")
"""Per-unit details left to the full ledger (each ship's magazine, each raid's range)."""

KINDS = ("fact", "estimate", "assumption")


def group_of(name: str) -> str | None:
    """The summary group of a ledger entry, by its name (None: only in the full ledger)."""
    if DETAIL.search(name):
        return None
    parts = re.split(r"[.\[]", name)
    if ".aircraft." in name:
        return "forces"
    for group, heads in GROUPS.items():
        if parts[0] in heads:
            return group
    return None


def summarize(ledger: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """The summary as data (the ``summary`` key of ``anpo show --json``)."""
    counts = {k: 0 for k in KINDS}
    groups: dict[str, list[str]] = {g: [] for g in GROUPS}
    for e in ledger:
        kind = str(e["kind"])
        counts[kind] = counts.get(kind, 0) + 1
        group = group_of(str(e["name"]))
        if group is not None:
            value = f"{e['value']} {e['unit']}".strip()
            groups[group].append(f"{e['name']}: {value}")
    return {
        "inputs": len(ledger),
        "counts": counts,
        "overrides": [str(e["name"]) for e in ledger if e.get("override")],
        **groups,
    }


def _cut(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: max(width - 1, 1)] + "…"


def lines(summary: Mapping[str, Any], width: int = 80) -> list[str]:
    """The summary as plain lines, none longer than ``width``."""
    c = summary["counts"]
    counted = ", ".join(f"{n} {k}{'s' if n != 1 else ''}" for k, n in c.items())
    out = [_cut(f"{summary['inputs']} inputs: {counted}", width)]
    for group in GROUPS:
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
