"""The map of a run: the region's outlines and everything the scenario placed on it.

Drawn with matplotlib from the outlines shipped in the knowledge base (Natural
Earth, public domain) and the run's stored GeoJSON: launch areas, missile ranges
from them, ground tracks, ship stations, PAC-3 batteries, defended footprints,
defended assets, air bases, cities sized by population, and where leakers landed.
Equirectangular, with the aspect set by the cosine of the mean latitude. Every
geometry is clipped to the view with shapely before drawing, so the SVG needs no
clip paths; nothing is fetched.
"""

from __future__ import annotations

import functools
import hashlib
import json
import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import shapely

from anpo.kb import places
from anpo.report import cache
from anpo.report.figures import _RC, to_svg

if TYPE_CHECKING:
    import pandas as pd

MAX_RING_IN_VIEW_KM = 2000.0
"""Range rings up to this radius widen the view to hold them; larger ones are clipped."""

RING_COLORS = ("#b9770e", "#6c3483", "#1e8449", "#7b241c", "#2874a6")

STYLE: dict[str, dict[str, Any]] = {
    "track": {"color": "#b03a2e", "lw": 1.1, "alpha": 0.8},
    "footprint_upper": {"facecolor": "#2f5d8a", "alpha": 0.05, "edgecolor": "#2f5d8a"},
    "footprint_lower": {"facecolor": "#2e8b57", "alpha": 0.25, "edgecolor": "#2e8b57"},
}


def _view(features: Sequence[dict[str, Any]], margin_deg: float = 2.0) -> tuple[float, ...]:
    xs: list[float] = []
    ys: list[float] = []
    for f in features:
        role = f["properties"].get("role")
        if role in ("city", "footprint"):
            continue
        if (
            role == "range_ring"
            and float(f["properties"].get("range_km", 0.0)) > MAX_RING_IN_VIEW_KM
        ):
            continue
        geom = shapely.geometry.shape(f["geometry"])
        x0, y0, x1, y1 = geom.bounds
        xs += [x0, x1]
        ys += [y0, y1]
    if not xs:
        return (120.0, 24.0, 146.0, 46.0)
    return (min(xs) - margin_deg, min(ys) - margin_deg, max(xs) + margin_deg, max(ys) + margin_deg)


@functools.cache
def _outline_bounds() -> tuple[float, float, float, float]:
    """The box the shipped outlines cover (``kb/data/OUTLINES.md``)."""
    shapes = [shapely.geometry.shape(f["geometry"]) for f in places.outlines()["features"]]
    x0, y0, x1, y1 = shapely.union_all(shapes).bounds
    return float(x0), float(y0), float(x1), float(y1)


def _polygons(geom: Any) -> list[Any]:
    if geom.is_empty:
        return []
    if geom.geom_type == "Polygon":
        return [geom]
    if hasattr(geom, "geoms"):
        return [g for part in geom.geoms for g in _polygons(part)]
    return []


def region_map(
    geometry: dict[str, Any],
    impacts: pd.DataFrame,
    prefix: str = "fig-map",
    max_impacts: int = 4000,
    title: str = "The raid on the map",
) -> str:
    """The map as an inline SVG string, kept by content (:mod:`anpo.report.cache`).

    Parameters
    ----------
    geometry
        The run's GeoJSON FeatureCollection (``Store.geometry``).
    impacts
        Where leakers landed (``Store.impacts``: columns lat, lon); the first
        ``max_impacts`` are drawn.
    """
    h = hashlib.sha256(json.dumps(geometry, sort_keys=True).encode())
    if len(impacts):
        shown = impacts.iloc[:max_impacts]
        h.update(repr((shown["lon"].tolist(), shown["lat"].tolist())).encode())
    k = cache.key("map", h.hexdigest(), prefix, title, str(max_impacts), str(len(impacts)))
    return cache.kept("map", k, lambda: _draw(geometry, impacts, prefix, max_impacts, title))


def _draw(
    geometry: dict[str, Any],
    impacts: pd.DataFrame,
    prefix: str,
    max_impacts: int,
    title: str,
) -> str:
    from matplotlib import rc_context
    from matplotlib.figure import Figure

    features = geometry["features"]
    x0, y0, x1, y1 = _view(features)
    # no wider than the shipped outlines (beyond them the map would show no land)
    bx0, by0, bx1, by1 = _outline_bounds()
    if min(x1, bx1) > max(x0, bx0) and min(y1, by1) > max(y0, by0):
        x0, y0, x1, y1 = max(x0, bx0), max(y0, by0), min(x1, bx1), min(y1, by1)
    view = shapely.box(x0, y0, x1, y1)
    aspect = 1.0 / math.cos(math.radians((y0 + y1) / 2))
    width = 7.6
    height = min(9.0, max(4.0, width * (y1 - y0) * aspect / (x1 - x0)))
    rc = {**_RC, "axes.grid": False, "axes.spines.top": True, "axes.spines.right": True}
    with rc_context(rc):
        fig = Figure(figsize=(width, height))
        fig.subplots_adjust(left=0.07, right=0.98, bottom=0.5 / height, top=1.0 - 0.4 / height)
        ax = fig.add_subplot()
        ax.set_facecolor("#eef3f8")
        for feature in places.outlines()["features"]:
            clipped = shapely.geometry.shape(feature["geometry"]).intersection(view)
            for poly in _polygons(clipped):
                xs, ys = poly.exterior.xy
                ax.fill(xs, ys, facecolor="#f4f1ea", edgecolor="#9a9a9a", linewidth=0.5)
        by_role: dict[str, list[dict[str, Any]]] = {}
        for f in features:
            by_role.setdefault(f["properties"].get("role", ""), []).append(f)
        for f in by_role.get("footprint", []):
            shape = shapely.geometry.shape(f["geometry"]).intersection(view)
            upper = "pac3" not in str(f["properties"].get("name", ""))
            style = STYLE["footprint_upper" if upper else "footprint_lower"]
            for poly in _polygons(shape):
                xs, ys = poly.exterior.xy
                ax.fill(xs, ys, linewidth=0, **style)
                ax.plot(
                    xs,
                    ys,
                    color=style["edgecolor"],
                    linewidth=0.7,
                    linestyle="--" if upper else "-",
                    alpha=0.6,
                )
        ring_color: dict[str, str] = {}  # one colour and one legend entry per missile
        for f in by_role.get("range_ring", []):
            props = f["properties"]
            missile = str(props.get("missile", ""))
            first = missile not in ring_color
            color = ring_color.setdefault(missile, RING_COLORS[len(ring_color) % len(RING_COLORS)])
            edge = shapely.LineString(f["geometry"]["coordinates"][0]).intersection(view)
            parts = [edge] if edge.geom_type == "LineString" else list(getattr(edge, "geoms", []))
            for part in (p for p in parts if not p.is_empty):
                xs, ys = part.xy
                label = f"{missile} range ({float(props.get('range_km', 0)):,.0f} km)"
                ax.plot(
                    xs,
                    ys,
                    color=color,
                    linewidth=1.0,
                    linestyle="--",
                    label=label if first else None,
                )
                first = False
        cities = [
            (lon, lat, 2 + 40 * math.sqrt(float(f["properties"].get("population", 0)) / 9.7e6))
            for f in by_role.get("city", [])
            for lon, lat in [f["geometry"]["coordinates"]]
            if x0 <= lon <= x1 and y0 <= lat <= y1
        ]
        if cities:  # one collection for every city (one each is ~1 ms apiece to draw)
            xs, ys, sizes = zip(*cities, strict=True)
            ax.scatter(xs, ys, s=list(sizes), color="#8c8c8c", alpha=0.5, linewidths=0)
        for i, f in enumerate(by_role.get("track", [])):
            coords = [c for c in f["geometry"]["coordinates"] if x0 <= c[0] <= x1]
            if coords:
                xs, ys = zip(*coords, strict=True)
                ax.plot(xs, ys, label="ground track" if i == 0 else None, **STYLE["track"])
        if len(impacts):
            shown = impacts.iloc[:max_impacts]
            ax.scatter(
                shown["lon"],
                shown["lat"],
                s=3,
                color="#d62728",
                alpha=0.35,
                linewidths=0,
                label=f"leaker impacts ({len(shown):,} shown)",
            )
        marks = (
            ("launch_area", "^", "#7b241c", 60, "launch area"),
            ("ship", "s", "#1f3a5f", 30, "ship station"),
            ("battery", "D", "#2e8b57", 26, "PAC-3 battery"),
            ("asset", "*", "#111111", 110, "defended asset"),
            ("base", "s", "#111111", 46, "air base"),
        )
        for role, marker, color, size, label in marks:
            pts = [f["geometry"]["coordinates"] for f in by_role.get(role, [])]
            if pts:
                xs, ys = zip(*pts, strict=True)
                ax.scatter(
                    xs,
                    ys,
                    marker=marker,
                    s=size,
                    color=color,
                    label=label,
                    zorder=5,
                    edgecolors="white",
                    linewidths=0.5,
                )
        for role in ("asset", "base", "launch_area"):
            for f in by_role.get(role, []):
                lon, lat = f["geometry"]["coordinates"]
                east = lon > x1 - 0.2 * (x1 - x0)  # near the right edge: label to the left
                ax.annotate(
                    str(f["properties"].get("name", "")),
                    (lon, lat),
                    fontsize=7.5,
                    xytext=(-4, 3) if east else (4, 3),
                    ha="right" if east else "left",
                    textcoords="offset points",
                    zorder=6,
                )
        ax.set_xlim(x0, x1)
        ax.set_ylim(y0, y1)
        ax.set_aspect(aspect)
        ax.set_xlabel("longitude (deg E)")
        ax.set_ylabel("latitude (deg N)")
        ax.set_title(title)
        ax.legend(loc="best", fontsize=7, framealpha=0.9)
        return to_svg(fig, prefix)


_CAPTION = (
    ("launch_area", "launch areas"),
    ("range_ring", "each missile's nominal range from them (dashed)"),
    ("track", "ground tracks"),
    ("ship", "ship stations"),
    ("battery", "PAC-3 batteries"),
    (
        "footprint",
        "the ground each defends against the first launch area (SM-3 dashed, PAC-3 shaded)",
    ),
    ("asset", "defended assets"),
    ("base", "the air bases attacked"),
    ("city", "cities sized by population"),
)


def caption(geometry: dict[str, Any], impacts: bool) -> str:
    """What the map shows, named from the roles its features carry."""
    roles = {f["properties"].get("role") for f in geometry["features"]}
    parts = [text for role, text in _CAPTION if role in roles]
    if impacts:
        parts.append("where leakers landed")
    if not parts:
        return "The region."
    text = ", ".join(parts[:-1]) + (" and " if len(parts) > 1 else "") + parts[-1]
    return text[0].upper() + text[1:] + "."
