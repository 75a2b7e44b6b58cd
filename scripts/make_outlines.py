"""Build ``src/anpo/kb/data/outlines.geojson`` from Natural Earth (development time only).

anpo never downloads anything at run time. This script is run by a developer, once, to turn
the Natural Earth 1:50m Admin-0 country polygons, as redistributed in TopoJSON by the npm
package ``world-atlas`` 2.0.2 (Natural Earth 4.1.0, public domain), into a small GeoJSON
FeatureCollection trimmed to the region anpo maps (lon 115-150 E, lat 10-47 N: Japan, the
Koreas, eastern China, Taiwan, the Russian Far East, the northern Philippines and Guam).

Usage (from the repository root)::

    cd /tmp && npm pack world-atlas@2 && tar xzf world-atlas-2.0.2.tgz
    .venv/bin/python scripts/make_outlines.py /tmp/package/countries-50m.json

Steps: decode the TopoJSON (quantized, delta-encoded arcs: x = scale_x * sum(dx) +
translate_x, likewise y; a negative arc index ~i means arc i reversed), build shapely
polygons, clip each country to the bounding box, simplify by ``SIMPLIFY_DEG`` degrees
(topology preserved), round coordinates to ``DECIMALS`` places and write GeoJSON.
The provenance is recorded in ``src/anpo/kb/data/OUTLINES.md`` and in
``anpo.kb.places.OUTLINES_SOURCE``; update both if this script or its input changes.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

import numpy as np
from shapely.geometry import MultiPolygon, Polygon, box, mapping
from shapely.geometry.base import BaseGeometry
from shapely.validation import make_valid

BBOX_LON_LAT = (115.0, 10.0, 150.0, 47.0)
"""(west, south, east, north) in degrees."""

SIMPLIFY_DEG = 0.005
"""Douglas-Peucker tolerance in degrees (about 0.5 km): light, keeps the 1:50m look."""

DECIMALS = 3
"""Coordinate rounding (0.001 deg, about 100 m, finer than the 1:50m source)."""

OUT = Path(__file__).resolve().parents[1] / "src" / "anpo" / "kb" / "data" / "outlines.geojson"


def decode_arcs(topology: dict[str, Any]) -> list[np.ndarray]:
    """Absolute lon/lat arrays of every arc (delta decoding, then the quantization transform)."""
    scale = np.asarray(topology["transform"]["scale"], dtype=float)
    translate = np.asarray(topology["transform"]["translate"], dtype=float)
    arcs = []
    for arc in topology["arcs"]:
        quantized = np.cumsum(np.asarray(arc, dtype=float), axis=0)
        arcs.append(quantized * scale + translate)
    return arcs


def ring(indices: list[int], arcs: list[np.ndarray]) -> np.ndarray:
    """Stitch a ring from arc indices; shared end points are dropped after the first arc."""
    parts = []
    for k, index in enumerate(indices):
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        parts.append(arc if k == 0 else arc[1:])
    return np.concatenate(parts, axis=0)


def geometry(obj: dict[str, Any], arcs: list[np.ndarray]) -> BaseGeometry | None:
    """A shapely (Multi)Polygon for one TopoJSON geometry object."""
    kind = obj.get("type")
    if kind == "Polygon":
        polys = [obj["arcs"]]
    elif kind == "MultiPolygon":
        polys = obj["arcs"]
    else:
        return None
    shapes = []
    for poly in polys:
        rings = [ring(r, arcs) for r in poly]
        if len(rings[0]) < 4:
            continue
        shapes.append(Polygon(rings[0], [r for r in rings[1:] if len(r) >= 4]))
    return make_valid(MultiPolygon(shapes)) if shapes else None


def polygons_only(geom: BaseGeometry) -> list[Polygon]:
    """The polygon parts of a clipped geometry (clipping can leave lines and points)."""
    if isinstance(geom, Polygon):
        return [geom] if not geom.is_empty else []
    if hasattr(geom, "geoms"):
        return [p for g in geom.geoms for p in polygons_only(g)]
    return []


def rounded(coords: Any) -> Any:
    if isinstance(coords, list | tuple) and coords and isinstance(coords[0], float | int):
        return [round(float(c), DECIMALS) for c in coords]
    return [rounded(c) for c in coords]


def build(topology: dict[str, Any]) -> dict[str, Any]:
    arcs = decode_arcs(topology)
    clip = box(*BBOX_LON_LAT)
    features: list[dict[str, Any]] = []
    for obj in topology["objects"]["countries"]["geometries"]:
        geom = geometry(obj, arcs)
        if geom is None or not geom.intersects(clip):
            continue
        clipped = geom.intersection(clip).simplify(SIMPLIFY_DEG, preserve_topology=True)
        parts = [p for p in polygons_only(clipped) if p.area > 0]
        if not parts:
            continue
        shape = parts[0] if len(parts) == 1 else MultiPolygon(parts)
        geo = mapping(shape)
        features.append(
            {
                "type": "Feature",
                "properties": {"name": obj["properties"]["name"], "iso_n3": obj.get("id")},
                "geometry": {"type": geo["type"], "coordinates": rounded(geo["coordinates"])},
            }
        )
    features.sort(key=lambda f: f["properties"]["name"])
    west, south, east, north = BBOX_LON_LAT
    return {
        "type": "FeatureCollection",
        "bbox": [west, south, east, north],
        "features": features,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("topojson", type=Path, help="world-atlas countries-50m.json")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    collection = build(json.loads(args.topojson.read_text(encoding="utf-8")))
    text = json.dumps(collection, separators=(",", ":"), ensure_ascii=False)
    args.out.write_text(text + "\n", encoding="utf-8")
    names = ", ".join(f["properties"]["name"] for f in collection["features"])
    print(f"wrote {args.out} ({len(text) / 1e6:.2f} MB): {names}")


if __name__ == "__main__":
    main()
