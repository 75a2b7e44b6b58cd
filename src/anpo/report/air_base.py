"""Figures of an air-base run as inline SVG (closure timeline, aircraft lost, sorties).

Like :mod:`anpo.report.figures`, every function takes numbers already computed from
the store (means and percentiles by base and day) and only draws them, through that
module's helpers (:func:`~anpo.report.figures.to_svg` and its rc settings), so the
SVG needs no font or file and can be inlined beside the other figures.
"""

from __future__ import annotations

from collections.abc import Sequence

from matplotlib.figure import Figure

from anpo.report.figures import BLUE, GREY, ORANGE, _margins, _render, horizontal_bars

__all__ = ["aircraft_lost", "closure_timeline", "sorties_by_day"]

_COLOURS = (BLUE, ORANGE, GREY, "#6a8f3c", "#8a3f74", "#3c8f8a")


def closure_timeline(
    bases: Sequence[str],
    closed_hours: Sequence[Sequence[float]],
    *,
    prefix: str,
    title: str = "Hours closed per day (mean over trials)",
) -> str:
    """One line per base: mean hours closed on each day (0–24).

    Parameters
    ----------
    bases
        Base names.
    closed_hours
        ``closed_hours[b][d]``: mean hours base b was closed on day d + 1.
    prefix
        Id prefix of the SVG.
    """

    def build(fig: Figure) -> None:
        ax = fig.add_subplot()
        for i, (name, row) in enumerate(zip(bases, closed_hours, strict=True)):
            days = list(range(1, len(row) + 1))
            ax.plot(days, list(row), marker="o", color=_COLOURS[i % len(_COLOURS)], label=name)
        ax.set_ylim(0, 25)
        ax.set_xlabel("day")
        ax.set_ylabel("hours closed")
        ax.set_title(title)
        ax.legend(frameon=False, loc="upper right", fontsize=8)
        _margins(fig)

    return _render(build, 7.0, 3.4, prefix)


def aircraft_lost(bases: Sequence[str], mean_destroyed: Sequence[float], *, prefix: str) -> str:
    """Mean aircraft destroyed on the ground, one bar per base."""
    return horizontal_bars(
        list(bases),
        list(mean_destroyed),
        title="Aircraft destroyed on the ground (mean over trials)",
        xlabel="aircraft",
        prefix=prefix,
    )


def sorties_by_day(
    bases: Sequence[str],
    sorties: Sequence[Sequence[float]],
    *,
    prefix: str,
    title: str = "Sorties each base can generate (mean over trials)",
) -> str:
    """Stacked bars per day: the mean sorties of each base (``sorties[b][d]``)."""

    def build(fig: Figure) -> None:
        ax = fig.add_subplot()
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
