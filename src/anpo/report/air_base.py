"""Figures of an air-base run as inline SVG (closure timeline, aircraft lost, sorties).

Closure and sorties by day take optional 5th and 95th percentiles of the trials
(``low``, ``high``, shaped like the means) and draw them as a band around each base's
line, so a reader sees the spread of the Monte Carlo, not only its mean.

Like :mod:`anpo.report.figures`, every function takes numbers already computed from
the store (means and percentiles by base and day) and only draws them, through that
module's helpers (:func:`~anpo.report.figures.to_svg` and its rc settings), so the
SVG needs no font or file and can be inlined beside the other figures.
"""

from __future__ import annotations

from collections.abc import Sequence

from matplotlib.axes import Axes
from matplotlib.figure import Figure

from anpo.report.figures import BLUE, GREY, ORANGE, _margins, _render, horizontal_bars

__all__ = ["aircraft_lost", "closure_timeline", "sorties_by_day"]

_COLOURS = (BLUE, ORANGE, GREY, "#6a8f3c", "#8a3f74", "#3c8f8a")


Band = Sequence[Sequence[float]] | None


def _bands(ax: Axes, days: list[int], low: Band, high: Band, i: int) -> None:
    if low is not None and high is not None:
        ax.fill_between(
            days, list(low[i]), list(high[i]), color=_COLOURS[i % len(_COLOURS)], alpha=0.18,
            linewidth=0,
        )  # fmt: skip


def closure_timeline(
    bases: Sequence[str],
    closed_hours: Sequence[Sequence[float]],
    *,
    prefix: str,
    title: str = "Hours closed per day (mean over trials)",
    low: Band = None,
    high: Band = None,
) -> str:
    """One line per base: mean hours closed on each day (0–24), with a 5th–95th band.

    Parameters
    ----------
    bases
        Base names.
    closed_hours
        ``closed_hours[b][d]``: mean hours base b was closed on day d + 1.
    prefix
        Id prefix of the SVG.
    low, high
        Optional 5th and 95th percentiles of the trials, like ``closed_hours``.
    """

    def build(fig: Figure) -> None:
        ax = fig.add_subplot()
        for i, (name, row) in enumerate(zip(bases, closed_hours, strict=True)):
            days = list(range(1, len(row) + 1))
            _bands(ax, days, low, high, i)
            ax.plot(days, list(row), marker="o", color=_COLOURS[i % len(_COLOURS)], label=name)
        if low is not None:
            ax.text(0.01, 0.98, "bands: 5th–95th percentile of trials",
                    transform=ax.transAxes, fontsize=7, va="top")  # fmt: skip
        ax.set_ylim(0, 25)
        ax.set_xlabel("day")
        ax.set_ylabel("hours closed")
        ax.set_title(title)
        ax.legend(frameon=False, loc="upper right", fontsize=8)
        _margins(fig)

    return _render(build, 7.0, 3.4, prefix)


def aircraft_lost(
    bases: Sequence[str],
    mean_destroyed: Sequence[float],
    *,
    prefix: str,
    mean_damaged: Sequence[float] | None = None,
) -> str:
    """Mean aircraft destroyed on the ground, one bar per base; with ``mean_damaged``,
    destroyed and damaged side by side."""
    if mean_damaged is None:
        return horizontal_bars(
            list(bases),
            list(mean_destroyed),
            title="Aircraft destroyed on the ground (mean over trials)",
            xlabel="aircraft",
            prefix=prefix,
        )

    def build(fig: Figure) -> None:
        ax = fig.add_subplot()
        ys = list(range(len(bases)))
        ax.barh([y - 0.2 for y in ys], list(mean_destroyed), height=0.4, color=ORANGE,
                label="destroyed")  # fmt: skip
        ax.barh([y + 0.2 for y in ys], list(mean_damaged), height=0.4, color=GREY,
                label="damaged")  # fmt: skip
        ax.set_yticks(ys, list(bases))
        ax.invert_yaxis()
        ax.set_xlabel("aircraft")
        ax.set_title("Aircraft destroyed and damaged on the ground (mean over trials)")
        ax.legend(frameon=False, loc="lower right", fontsize=8)
        _margins(fig)

    return _render(build, 7.0, 0.8 + 0.5 * len(bases), prefix)


def sorties_by_day(
    bases: Sequence[str],
    sorties: Sequence[Sequence[float]],
    *,
    prefix: str,
    title: str = "Sorties each base can generate (mean over trials)",
    low: Band = None,
    high: Band = None,
) -> str:
    """Stacked bars per day: the mean sorties of each base (``sorties[b][d]``); with
    ``low`` and ``high`` (5th and 95th percentiles) one line and band per base instead."""

    def build(fig: Figure) -> None:
        ax = fig.add_subplot()
        if low is not None and high is not None:
            for i, (name, row) in enumerate(zip(bases, sorties, strict=True)):
                days = list(range(1, len(row) + 1))
                _bands(ax, days, low, high, i)
                ax.plot(days, list(row), marker="o", color=_COLOURS[i % len(_COLOURS)],
                        label=name)  # fmt: skip
            ax.set_xlabel("day")
            ax.set_ylabel("sorties")
            ax.set_title(title + ", 5th–95th band")
            ax.legend(frameon=False, loc="upper right", fontsize=8)
            _margins(fig)
            return
        bottom = [0.0] * (len(sorties[0]) if sorties else 0)
        for i, (name, row) in enumerate(zip(bases, sorties, strict=True)):
            days = list(range(1, len(row) + 1))
            ax.bar(days, list(row), bottom=bottom, width=0.7,
                   color=_COLOURS[i % len(_COLOURS)], label=name)  # fmt: skip
            bottom = [a + float(b) for a, b in zip(bottom, row, strict=True)]
        ax.set_xlabel("day")
        ax.set_ylabel("sorties")
        ax.set_title(title)
        ax.legend(frameon=False, loc="upper right", fontsize=8)
        ax.grid(axis="x", visible=False)
        _margins(fig)

    return _render(build, 7.0, 3.4, prefix)
