"""What ``anpo missile loft`` shows beside the fitted maximum range.

The range on a non-rotating Earth (the convention analysts quote), the range by heading
on the rotating Earth, whether the fitted speed reaches the named places of the
knowledge base (``kb/data/reach_targets.yaml``), a flag at or near orbital speed, and what
the method cannot know (:data:`anpo.physics.loft.CANNOT_KNOW`).
"""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.markup import escape

from anpo.kb import places
from anpo.physics import loft

__all__ = ["print_reach", "reach_data"]

_COMPASS = {0: "N", 45: "NE", 90: "E", 135: "SE", 180: "S", 225: "SW", 270: "W", 315: "NW"}


def _finite(x: float) -> float | None:
    return x if x == x and abs(x) != float("inf") else None


def reach_data(
    result: loft.LoftResult,
    flight_time_min: float | None,
    launch_lat: float,
    launch_lon: float,
) -> dict[str, Any]:
    """The non-rotating fit, the reach by heading and to the named places, as JSON data."""
    flat = loft.infer_loft(
        result.observed_apogee_km,
        result.observed_range_km,
        flight_time_min,
        launch_lat,
        launch_lon,
        burnout_alt_km=result.burnout_alt_km,
        burnout_time_s=result.burnout_time_s,
        rotating=False,
    )
    targets = {r.data["name"]: places.lat_lon(r) for r in places.reach_targets()}
    headings = loft.reach_by_heading(result, launch_lat, launch_lon)
    turning = loft.reach_to(result, targets, launch_lat, launch_lon)
    still = loft.reach_to(flat, targets, launch_lat, launch_lon)
    return {
        "non_rotating": flat.as_dict(),
        "near_orbital_ratio": loft.NEAR_ORBITAL_RATIO,
        "headings": [
            {
                "azimuth_deg": h.azimuth_deg,
                "max_range_km": _finite(h.max_range_km),
                "orbital_ratio": h.orbital_ratio,
                "near_orbital": h.near_orbital,
                "orbital": h.orbital,
            }
            for h in headings
        ],
        "targets": [
            {
                "name": a.name,
                "distance_km": a.distance_km,
                "azimuth_deg": a.azimuth_deg,
                "in_reach": a.in_reach,
                "speed_needed_km_s": a.speed_needed_km_s,
                "in_reach_non_rotating": b.in_reach,
                "speed_needed_non_rotating_km_s": b.speed_needed_km_s,
            }
            for a, b in zip(turning, still, strict=True)
        ],
        "cannot_know": list(loft.CANNOT_KNOW),
    }


def _km(x: float | None) -> str:
    return "none (orbital)" if x is None else f"{x:,.0f} km"


def print_reach(
    out: Console, result: loft.LoftResult, reach: dict[str, Any], azimuth_deg: float
) -> None:
    """Print the ranges, the reach and the caveats of :func:`reach_data`."""
    if result.orbital:
        out.print(
            f"maximum range along {azimuth_deg:g} deg: none: the fitted speed is orbital "
            f"there (nu = v^2 r/GM = {result.orbital_ratio:.3f} with the Earth's rotation)"
        )
    else:
        out.print(
            f"maximum range {result.max_range_km:,.0f} km in "
            f"{result.max_range_flight_time_min:.1f} min at {result.max_range_angle_deg:.1f} deg "
            f"(range-maximizing trajectory along {azimuth_deg:g} deg, rotating Earth)"
        )
    flat = reach["non_rotating"]
    out.print(
        f"non-rotating Earth (the convention analysts quote): {_km(flat['max_range_km'])}, "
        f"fitted {flat['burnout_speed_km_s']:.3f} km/s, the same along every heading"
    )
    if result.near_orbital or flat["near_orbital"]:
        out.print(
            f"[bold]warning[/bold]: at or near orbital speed (nu >= "
            f"{loft.NEAR_ORBITAL_RATIO:g}; rotating {result.orbital_ratio:.3f}, non-rotating "
            f'{flat["orbital_ratio"]:.3f}): a "maximum range" means little here, a 1 % '
            "error in the fitted speed moves it by thousands of km; read it as: can reach "
            "any of the places below that it reaches"
        )
    cells = []
    for h in reach["headings"]:
        name = _COMPASS.get(round(h["azimuth_deg"]), f"{h['azimuth_deg']:g}")
        flag = " (near orbital)" if h["near_orbital"] and not h["orbital"] else ""
        cells.append(f"{name} {_km(h['max_range_km'])}{flag}")
    out.print("range by heading (rotating Earth): " + ", ".join(cells))
    for t in reach["targets"]:
        yes = "in reach" if t["in_reach"] else "out of reach"
        yes_flat = "in reach" if t["in_reach_non_rotating"] else "out of reach"
        out.print(
            f"  {escape(t['name'])}: {t['distance_km']:,.0f} km at {t['azimuth_deg']:.0f} deg: "
            f"{yes} (needs {t['speed_needed_km_s']:.2f} km/s, fitted "
            f"{result.burnout_speed_km_s:.2f}); non-rotating {yes_flat} (needs "
            f"{t['speed_needed_non_rotating_km_s']:.2f}, fitted "
            f"{flat['burnout_speed_km_s']:.2f})"
        )
    out.print("what one test cannot tell: " + "; ".join(escape(c) for c in reach["cannot_know"]))
