"""The alliance's timeline: dated, sourced events, filtered and plotted.

The events are the ``events`` of the law records (:mod:`anpo.kb.law`). The plot is a
plain matplotlib figure (Agg backend, SVG with text as paths, so it renders the same
everywhere and needs no fonts or network).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

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


KIND_TITLES: dict[str, str] = {
    "treaty": "treaties",
    "law": "laws",
    "interpretation": "interpretations",
    "policy": "policy, guidelines",
    "basing": "basing",
    "deployment": "deployments",
    "missile": "missile tests",
    "crisis": "crises",
    "politics": "politics",
}
"""The row title of each kind of event (a kind without one shows its name)."""

FIG_WIDTH_IN = 15.0
FONT_PT = 7.5
LANE_IN = 0.17  # the height of one line of labels
GAP_PT = 10.0  # the least horizontal space between two labels in one lane
SAVE_DPI = 150  # PNG resolution


@dataclass(frozen=True)
class _Placed:
    event: Event
    x: float  # the event's date as a year fraction
    lane: int  # the line within its kind's band, 0 at the bottom
    left: bool  # label to the left of the dot (near the right edge)


def _label(e: Event) -> str:
    year = str(e.date.year)
    return e.title if e.title.startswith(year) else f"{year} {e.title}"


def _place(
    events: Sequence[Event], widths: dict[str, float], x_max: float, gap: float
) -> list[_Placed]:
    """Greedy lanes: each label, in date order, goes to the lowest lane it does not
    overlap (widths and gap in years; a label that would pass ``x_max`` goes left)."""
    lanes: list[list[tuple[float, float]]] = []
    out: list[_Placed] = []
    for e in sorted(events, key=lambda e: (e.date, e.id)):
        x = _year_fraction(e.date)
        w = widths[e.id]
        left = x + w > x_max
        span = (x - w, x) if left else (x, x + w)
        free = (
            i
            for i, taken in enumerate(lanes)
            if all(span[1] + gap <= a or b + gap <= span[0] for a, b in taken)
        )
        lane = next(free, len(lanes))
        if lane == len(lanes):
            lanes.append([])
        lanes[lane].append(span)
        out.append(_Placed(e, x, lane, left))
    return out


def _month_ticks(x0: float, x1: float, most: int = 14) -> list[dt.date]:
    """First days of months within [x0, x1], every 1, 2, 3, 6 or 12 months (at most ``most``)."""
    months = [
        dt.date(y, m, 1)
        for y in range(int(x0), int(x1) + 1)
        for m in range(1, 13)
        if x0 <= _year_fraction(dt.date(y, m, 1)) <= x1
    ]
    for step in (1, 2, 3, 6, 12):
        chosen = [d for d in months if (d.month - 1) % step == 0]
        if len(chosen) <= most:
            return chosen
    return [d for d in months if d.month == 1]


def timeline_figure(events: Sequence[Event], title: str | None = None) -> Any:
    """The timeline as a matplotlib figure: one band per kind of event, each event a
    dot at its date with its label beside it, labels stacked in lanes so that no two
    overlap whatever the span (the band grows instead)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.ticker import MaxNLocator

    if not events:
        raise UsageError("no events to plot: widen --from/--to or --kind")
    kinds = [k for k in EVENT_KINDS if any(e.kind == k for e in events)]
    xs = [_year_fraction(e.date) for e in events]
    lo, hi = min(xs), max(xs)
    span = max(hi - lo, 1.0)
    x0, x1 = lo - 0.02 * span, hi + 0.02 * span

    # measure each label once (points do not depend on the figure's height)
    margin_l, margin_r = 1.45, 0.25  # inches: kind names left, a little air right
    axes_in = FIG_WIDTH_IN - margin_l - margin_r
    years_per_pt = (x1 - x0) / (axes_in * 72.0)
    # a label's width in points varies a little with the resolution (font hinting):
    # take the widest of the resolutions a file is drawn at (SVG/PDF 72, screen, PNG)
    widths: dict[str, float] = {e.id: 0.0 for e in events}
    for dpi in (72, 100, SAVE_DPI):
        probe = plt.figure(figsize=(FIG_WIDTH_IN, 2), dpi=dpi)
        renderer = probe.canvas.get_renderer()  # type: ignore[attr-defined]
        for e in events:
            text = probe.text(0, 0, _label(e), fontsize=FONT_PT)
            points = text.get_window_extent(renderer).width * 72.0 / dpi
            widths[e.id] = max(widths[e.id], (points * 1.02 + 3.0) * years_per_pt)
            text.remove()
        plt.close(probe)

    placed = {
        k: _place([e for e in events if e.kind == k], widths, x1, GAP_PT * years_per_pt)
        for k in kinds
    }
    heights = {k: 1 + max(p.lane for p in placed[k]) for k in kinds}
    total = sum(heights.values()) + 0.6 * len(kinds)
    top_in, bottom_in = 0.55, 0.45
    fig_h = total * LANE_IN + top_in + bottom_in
    fig = plt.figure(figsize=(FIG_WIDTH_IN, fig_h))
    ax = fig.add_axes(
        (
            margin_l / FIG_WIDTH_IN,
            bottom_in / fig_h,
            axes_in / FIG_WIDTH_IN,
            total * LANE_IN / fig_h,
        )
    )
    cmap = plt.get_cmap("tab10")
    y = total
    centers: list[float] = []
    for i, kind in enumerate(kinds):
        band_top = y
        band_bottom = y - heights[kind] - 0.6
        if i % 2 == 0:
            ax.axhspan(band_bottom, band_top, color="0.95", zorder=0, lw=0)
        color = cmap(EVENT_KINDS.index(kind) % 10)
        for p in placed[kind]:
            ly = band_bottom + 0.3 + p.lane + 0.5
            ax.plot([p.x], [ly], "o", ms=3.5, color=color, zorder=3)
            pad = 3.0 * years_per_pt
            ax.text(
                p.x - pad if p.left else p.x + pad,
                ly,
                _label(p.event),
                fontsize=FONT_PT,
                ha="right" if p.left else "left",
                va="center",
                zorder=4,
                gid=p.event.id,
            )
        centers.append((band_top + band_bottom) / 2)
        y = band_bottom
    ax.set_yticks(centers, [KIND_TITLES.get(k, k) for k in kinds], fontsize=8.5)
    ax.tick_params(axis="y", length=0)
    ax.set_ylim(0, total)
    ax.set_xlim(x0, x1)
    if x1 - x0 >= 4:
        ax.xaxis.set_major_locator(MaxNLocator(nbins=16, integer=True, min_n_ticks=2))
    else:  # a short span: ticks at the first of a month, labelled YYYY-MM
        ticks = _month_ticks(x0, x1)
        ax.set_xticks([_year_fraction(d) for d in ticks], [f"{d:%Y-%m}" for d in ticks])
    ax.tick_params(axis="x", labelsize=8, top=True, labeltop=True)
    ax.grid(axis="x", alpha=0.35, zorder=1)
    for side in ("left", "right"):
        ax.spines[side].set_visible(False)
    first, last = min(e.date for e in events), max(e.date for e in events)
    ax.set_title(
        title or f"U.S.-Japan alliance timeline, {first.year}-{last.year} ({len(events)} events)",
        fontsize=10,
        pad=18,
    )
    return fig


def plot_timeline(events: Sequence[Event], path: str | Path, title: str | None = None) -> Path:
    """Draw ``events`` (see :func:`timeline_figure`) and save them (SVG, PNG or PDF).

    Returns the path written. SVG text is stored as paths (``svg.fonttype = 'path'``).
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    if not events:
        raise UsageError("no events to plot: widen --from/--to or --kind")
    out = Path(path)
    with matplotlib.rc_context({"svg.fonttype": "path", "svg.hashsalt": "anpo"}):
        fig = timeline_figure(events, title)
        out.parent.mkdir(parents=True, exist_ok=True)
        fig.savefig(out, metadata={"Date": None} if out.suffix == ".svg" else None, dpi=SAVE_DPI)
        plt.close(fig)
    return out
