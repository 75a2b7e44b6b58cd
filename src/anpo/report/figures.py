"""Figures of a run as inline SVG, drawn with matplotlib and needing no font or file.

Every function takes numbers already computed by the store's SQL and only draws
them: nothing here computes a statistic. A drawing is kept by content
(:mod:`anpo.report.cache`): the same numbers drawn again cost a file read, and
matplotlib is imported only when something is drawn. Text is drawn as paths
(``svg.fonttype = "path"``), so the SVG needs no font; the XML header, the
metadata block and clip paths are removed and element ids are prefixed per
figure, so several figures can sit in one HTML document that references nothing
outside itself.
"""

from __future__ import annotations

import functools
import io
import re
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, ParamSpec

from anpo.report import cache

if TYPE_CHECKING:
    from matplotlib.figure import Figure

P = ParamSpec("P")

__all__ = [
    "distribution",
    "histograms",
    "horizontal_bars",
    "lines_with_bands",
    "means_with_spread",
    "to_svg",
]

BLUE = "#2f5d8a"
ORANGE = "#c8702a"
GREY = "#555555"

_RC: Any = {  # matplotlib types rc keys as literals; these are all valid
    "svg.fonttype": "path",
    "svg.hashsalt": "anpo-report",
    "font.family": "DejaVu Sans",
    "font.size": 9.0,
    "axes.titlesize": 10.5,
    "axes.titleweight": "bold",
    "axes.labelsize": 9.0,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.color": "#dddddd",
    "grid.linewidth": 0.6,
    "axes.axisbelow": True,
}

_HEADER = re.compile(r"^.*?(?=<svg)", re.DOTALL)
_METADATA = re.compile(r"<metadata>.*?</metadata>\s*", re.DOTALL)
_CLIP_DEFS = re.compile(r"<clipPath\b.*?</clipPath>\s*", re.DOTALL)
_CLIP_ATTR = re.compile(r'\s*clip-path="url\(#[^)"]*\)"')
_ID = re.compile(r'\bid="([^"]+)"')
_HREF = re.compile(r'(xlink:href|href)="#([^"]+)"')


def _figure(width: float, height: float) -> Figure:
    from matplotlib.figure import Figure

    return Figure(figsize=(width, height))


def _plain(x: Any) -> Any:
    """Arguments as plain Python values, whose ``repr`` is exact and complete (a NumPy
    array's is cut short)."""
    if isinstance(x, (list, tuple)):
        return [_plain(v) for v in x]
    if hasattr(x, "tolist"):
        return x.tolist()
    return x


def _kept(draw: Callable[P, str]) -> Callable[P, str]:
    """Keep what ``draw`` returns by the content of its arguments (see module doc)."""

    @functools.wraps(draw)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> str:
        text = repr(_plain((args, sorted(kwargs.items()))))
        return cache.kept("figure", cache.key(draw.__name__, text), lambda: draw(*args, **kwargs))

    return wrapper


def _margins(
    fig: Figure, left: float = 0.75, right: float = 0.2, bottom: float = 0.55, top: float = 0.4
) -> None:
    """Fixed margins in inches (constrained layout is slow and the labels are known)."""
    width, height = fig.get_size_inches()
    fig.subplots_adjust(
        left=left / width,
        right=1 - right / width,
        bottom=bottom / height,
        top=1 - top / height,
        wspace=0.25,
    )


def _label_width(labels: Sequence[str]) -> float:
    """Rough width in inches of the longest label at the report's 9 pt font."""
    return 0.068 * max((len(label) for label in labels), default=4) + 0.3


def to_svg(fig: Figure, prefix: str) -> str:
    """Render a figure as an ``<svg>`` element, self-contained and safe to inline.

    Parameters
    ----------
    fig
        The figure to render.
    prefix
        Prepended to every element id (and to the references to them), so that
        figures in one document do not share ids.

    Returns
    -------
    str
        The SVG markup, starting at ``<svg``: no XML declaration, no DOCTYPE, no
        metadata and no clip paths (all clipping would be to the axes, which the
        data never leave).
    """
    from matplotlib import rc_context

    buffer = io.StringIO()
    with rc_context(_RC):
        fig.savefig(buffer, format="svg", metadata={"Date": None})
    text = buffer.getvalue()
    text = _HEADER.sub("", text, count=1)
    text = _METADATA.sub("", text)
    text = _CLIP_DEFS.sub("", text)
    text = _CLIP_ATTR.sub("", text)
    text = _ID.sub(lambda m: f'id="{prefix}-{m.group(1)}"', text)
    text = _HREF.sub(lambda m: f'{m.group(1)}="#{prefix}-{m.group(2)}"', text)
    return text.strip()


def _render(build: Any, width: float, height: float, prefix: str) -> str:
    from matplotlib import rc_context

    with rc_context(_RC):
        fig = _figure(width, height)
        build(fig)
        return to_svg(fig, prefix)


@_kept
def distribution(
    values: Sequence[float],
    shares: Sequence[float],
    *,
    title: str,
    xlabel: str,
    prefix: str,
    mean: float | None = None,
    band: tuple[float, float] | None = None,
) -> str:
    """Bar chart of the share of trials at each value of an outcome.

    Parameters
    ----------
    values, shares
        Each value taken, and the share of trials (0–1) that took it.
    title, xlabel
        Figure title and x-axis label (with unit).
    prefix
        Id prefix of the SVG (see :func:`to_svg`).
    mean
        When given, drawn as a dashed vertical line.
    band
        When given, the 5th and 95th percentiles of trials, shaded behind the bars.
    """

    def build(fig: Figure) -> None:
        ax = fig.add_subplot()
        ax.bar(list(values), [100.0 * s for s in shares], width=0.8, color=BLUE)
        if band is not None:
            _shade(ax, band, values)
            ax.legend(frameon=False, loc="upper right")
        if mean is not None:
            ax.axvline(mean, color=ORANGE, linestyle="--", linewidth=1.4, label=f"mean {mean:.2f}")
            ax.legend(frameon=False, loc="upper right")
        ax.set_title(title)
        ax.set_xlabel(xlabel)
        ax.set_ylabel("share of trials (%)")
        if values and all(float(v).is_integer() for v in values) and len(values) <= 30:
            ax.set_xticks(list(values))
        ax.grid(axis="x", visible=False)
        _margins(fig)

    return _render(build, 7.0, 3.4, prefix)


def _shade(ax: Any, band: tuple[float, float], values: Sequence[float]) -> None:
    """Shade the 5th–95th percentile of trials (half a bar wider on each side when
    the values are whole, so the bars at both percentiles sit inside it)."""
    lo, hi = float(band[0]), float(band[1])
    pad = 0.4 if all(float(v).is_integer() for v in values) else 0.0
    ax.axvspan(
        lo - pad, hi + pad, color=ORANGE, alpha=0.12, linewidth=0,
        label="5th–95th percentile of trials",
    )  # fmt: skip


@_kept
def histograms(
    panels: Sequence[tuple[str, Sequence[float], Sequence[float]]],
    *,
    title: str,
    xlabel: str,
    prefix: str,
    bands: Sequence[tuple[float, float]] | None = None,
) -> str:
    """One bar chart per panel, side by side: share of trials at each value.

    Parameters
    ----------
    panels
        ``(panel title, values, shares)`` for each panel.
    bands
        When given, each panel's 5th and 95th percentiles of trials, shaded.
    title, xlabel
        Overall title and the x-axis label of every panel (with unit).
    prefix
        Id prefix of the SVG.
    """
    n = max(len(panels), 1)

    def build(fig: Figure) -> None:
        axes = fig.subplots(1, n, squeeze=False)[0]
        for i, (ax, (name, values, shares)) in enumerate(zip(axes, panels, strict=False)):
            xs = list(values)
            ax.bar(xs, [100.0 * s for s in shares], width=0.8, color=BLUE)
            if bands is not None:
                _shade(ax, bands[i], xs)
            if len(xs) == 1:
                ax.set_xlim(xs[0] - 3, xs[0] + 3)
            ax.set_title(name, fontweight="normal")
            ax.set_xlabel(xlabel)
            ax.grid(axis="x", visible=False)
        axes[0].set_ylabel("share of trials (%)")
        if bands is not None:
            axes[0].legend(frameon=False, loc="upper right", fontsize=7.5)
        fig.suptitle(title, fontweight="bold", fontsize=10.5)
        _margins(fig, top=0.65)

    return _render(build, 7.0, 3.2, prefix)


@_kept
def horizontal_bars(
    labels: Sequence[str],
    values: Sequence[float],
    *,
    title: str,
    xlabel: str,
    prefix: str,
    annotate: bool = True,
    lows: Sequence[float] | None = None,
    highs: Sequence[float] | None = None,
    whisker: str = "5th–95th percentile of trials",
) -> str:
    """Horizontal bars, drawn top to bottom in the order given, with whiskers.

    Parameters
    ----------
    labels, values
        Bar labels and lengths.
    title, xlabel
        Figure title and x-axis label (with unit).
    prefix
        Id prefix of the SVG.
    annotate
        Write each value at the end of its bar (or of its whisker).
    lows, highs
        When given, each bar's whisker ends (the 5th and 95th percentiles of trials,
        or a Monte Carlo interval); ``whisker`` names them (the caller's caption says
        what they are: a legend would cover the bars).
    """
    short = [_short(label) for label in labels]
    height = 1.1 + 0.26 * max(len(labels), 2) + (0.3 if lows is not None else 0.0)

    def build(fig: Figure) -> None:
        ax = fig.add_subplot()
        ys = list(range(len(labels)))
        v = [float(x) for x in values]
        ax.barh(ys, v, height=0.7, color=BLUE, label="mean")
        ends = v
        if lows is not None and highs is not None:
            left = [max(m - float(lo), 0.0) for m, lo in zip(v, lows, strict=True)]
            right = [max(float(hi) - m, 0.0) for m, hi in zip(v, highs, strict=True)]
            ax.errorbar(
                v, ys, xerr=[left, right], fmt="none", ecolor=ORANGE, elinewidth=1.4,
                capsize=3, label=whisker,
            )  # fmt: skip
            ends = [max(m, float(hi)) for m, hi in zip(v, highs, strict=True)]
        ax.set_yticks(ys, short)
        ax.invert_yaxis()
        top = max([*ends, 0.0])
        if annotate:
            for y, m, end in zip(ys, v, ends, strict=True):
                ax.text(end + top * 0.01, y, f"{m:.2f}", va="center", color=GREY)
            ax.set_xlim(0, top * 1.12 if top > 0 else 1.0)
        ax.set_title(title)
        ax.set_xlabel(xlabel)
        ax.grid(axis="y", visible=False)
        _margins(fig, left=_label_width(short), right=0.3)

    return _render(build, 7.0, height, prefix)


@_kept
def means_with_spread(
    labels: Sequence[str],
    means: Sequence[float],
    lows: Sequence[float],
    highs: Sequence[float],
    *,
    title: str,
    ylabel: str,
    prefix: str,
) -> str:
    """Mean of each entry as a bar, with the 5th–95th percentile range as whiskers.

    Parameters
    ----------
    labels, means
        Entry names and their means.
    lows, highs
        The 5th and 95th percentiles of each entry.
    title, ylabel
        Figure title and y-axis label (with unit).
    prefix
        Id prefix of the SVG.
    """

    def build(fig: Figure) -> None:
        ax = fig.add_subplot()
        xs = list(range(len(labels)))
        m = [float(v) for v in means]
        below = [max(mv - float(lo), 0.0) for mv, lo in zip(m, lows, strict=True)]
        above = [max(float(hi) - mv, 0.0) for mv, hi in zip(m, highs, strict=True)]
        ax.bar(xs, m, width=0.6, color=BLUE, label="mean")
        ax.errorbar(
            xs,
            m,
            yerr=[below, above],
            fmt="none",
            ecolor=ORANGE,
            elinewidth=1.6,
            capsize=6,
            label="5th–95th percentile of trials",
        )
        long = any(len(label) > 14 for label in labels)
        ax.set_xticks(
            xs,
            [_short(label, 24) for label in labels],
            rotation=20 if long else 0,
            ha="right" if long else "center",
        )
        ax.set_title(title)
        ax.set_ylabel(ylabel)
        ax.set_ylim(0, max([*m, *(float(v) for v in highs), 0.1]) * 1.25)
        ax.legend(frameon=False, loc="upper right")
        ax.grid(axis="x", visible=False)
        _margins(fig, bottom=0.9 if long else 0.55)

    return _render(build, 7.0, 3.4, prefix)


def _short(label: str, limit: int = 44) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"


_SERIES_COLOURS = (BLUE, ORANGE, GREY, "#6a8f3c", "#8a3f74", "#3c8f8a")


@_kept
def lines_with_bands(
    series: Sequence[tuple[str, Sequence[float], Sequence[float], Sequence[float]]],
    *,
    title: str,
    xlabel: str,
    ylabel: str,
    prefix: str,
    ymax: float | None = None,
) -> str:
    """One line per series over steps 1..K (the mean), with its 5th–95th percentile band.

    Parameters
    ----------
    series
        ``(name, mean, p05, p95)`` per series, each a sequence over the steps.
    ymax
        Upper limit of the y axis (default: from the data).
    """

    def build(fig: Figure) -> None:
        ax = fig.add_subplot()
        for i, (name, mean, lo, hi) in enumerate(series):
            colour = _SERIES_COLOURS[i % len(_SERIES_COLOURS)]
            steps = list(range(1, len(mean) + 1))
            ax.fill_between(steps, list(lo), list(hi), color=colour, alpha=0.18, linewidth=0)
            ax.plot(steps, list(mean), marker="o", color=colour, label=_short(name, 30))
        if ymax is not None:
            ax.set_ylim(0, ymax)
        ax.set_xlabel(xlabel)
        ax.set_ylabel(ylabel)
        ax.set_title(title)
        ax.legend(frameon=False, loc="upper right", fontsize=8)
        _margins(fig)

    return _render(build, 7.0, 3.4, prefix)
