"""The alliance's timeline: dated, sourced events, filtered and plotted.

The events are the ``events`` of the law records (:mod:`anpo.kb.law`). The plot is a
plain matplotlib figure (Agg backend, SVG with text as paths, so it renders the same
everywhere and needs no fonts or network).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from pathlib import Path

from anpo.errors import UsageError
from anpo.kb.law import EVENT_KINDS, Event, LawBase, load_law


def parse_bound(value: str | dt.date | None, *, end: bool) -> dt.date | None:
    """A timeline bound: ``YYYY`` (1 Jan, or 31 Dec for an end), ``YYYY-MM-DD`` or a date."""
    if value is None or isinstance(value, dt.date):
        return value
    text = value.strip()
    try:
        if len(text) == 4 and text.isdigit():
            return dt.date(int(text), 12, 31) if end else dt.date(int(text), 1, 1)
        return dt.date.fromisoformat(text)
    except ValueError:
        raise UsageError(f"date {text!r} is not a date: use YYYY or YYYY-MM-DD") from None


def timeline(
    start: str | dt.date | None = None,
    end: str | dt.date | None = None,
    kinds: Iterable[str] | None = None,
    base: LawBase | None = None,
) -> list[Event]:
    """Events between ``start`` and ``end`` (inclusive), of the given ``kinds``, by date."""
    first, last = parse_bound(start, end=False), parse_bound(end, end=True)
    if first and last and last < first:
        raise UsageError(f"the timeline ends ({last}) before it starts ({first})")
    wanted = set(kinds or ())
    unknown = sorted(wanted - set(EVENT_KINDS))
    if unknown:
        raise UsageError(f"unknown event kind(s) {unknown}; allowed: {', '.join(EVENT_KINDS)}")
    events = (base or load_law()).events
    return [
        e
        for e in events
        if (first is None or e.date >= first)
        and (last is None or e.date <= last)
        and (not wanted or e.kind in wanted)
    ]


def _year_fraction(day: dt.date) -> float:
    """``year + (day of year - 1) / days in year``: the plot's x coordinate."""
    days = (dt.date(day.year + 1, 1, 1) - dt.date(day.year, 1, 1)).days
    return day.year + (day.timetuple().tm_yday - 1) / days


def plot_timeline(events: Sequence[Event], path: str | Path, title: str | None = None) -> Path:
    """Draw ``events`` as a dated strip, one row per kind, and save it (SVG, PNG or PDF).

    Returns the path written. Text is stored as paths (``svg.fonttype = 'path'``).
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    if not events:
        raise UsageError("no events to plot: widen --from/--to or --kind")
    out = Path(path)
    kinds = [k for k in EVENT_KINDS if any(e.kind == k for e in events)]
    rows = {k: i for i, k in enumerate(kinds)}
    with matplotlib.rc_context({"svg.fonttype": "path", "svg.hashsalt": "anpo"}):
        fig, ax = plt.subplots(figsize=(14, 1.6 + 0.6 * len(kinds)))
        cmap = plt.get_cmap("tab10")
        for kind in kinds:
            sel = [e for e in events if e.kind == kind]
            xs = [_year_fraction(e.date) for e in sel]
            ax.scatter(xs, [rows[kind]] * len(sel), s=36, color=cmap(rows[kind] % 10), zorder=3)
            for i, e in enumerate(sel):
                offset = 0.18 if i % 2 == 0 else -0.28
                ax.annotate(
                    f"{e.date.year} {e.title}"[:48],
                    (xs[i], rows[kind]),
                    xytext=(0, offset * 40),
                    textcoords="offset points",
                    fontsize=5.5,
                    rotation=20,
                    ha="left",
                    va="center",
                )
        ax.set_yticks(range(len(kinds)), kinds)
        ax.set_ylim(-0.8, len(kinds) - 0.2)
        first = min(e.date.year for e in events) // 5 * 5
        last = max(e.date.year for e in events) + 1
        ax.set_xticks(range(first, last + 1, 5))
        ax.set_xlim(first - 0.5, last + 0.5)
        ax.grid(axis="x", alpha=0.3)
        ax.set_title(title or f"U.S.-Japan alliance timeline ({len(events)} events)")
        fig.tight_layout()
        out.parent.mkdir(parents=True, exist_ok=True)
        fig.savefig(out, metadata={"Date": None} if out.suffix == ".svg" else None)
        plt.close(fig)
    return out
