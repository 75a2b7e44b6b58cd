"""Geometry for people: a scenario's map, drawn only when something shows it.

Resolution computes what a model needs and nothing for the eye. The map of a
scenario (tracks, shooters, defended footprints, range rings, cities) is drawn by
its kind's ``presentation(spec, day)`` when the report, the GeoJSON export or the
web page asks for it, through :func:`geometry`, which keeps the last few maps by
content (the kind, the scenario's canonical JSON and its date), so a page that
shows the same scenario again draws nothing twice.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import threading
from collections import OrderedDict
from typing import TYPE_CHECKING, Any

import numpy as np

from anpo.geo.sphere import destination_deg
from anpo.kinds import registry

if TYPE_CHECKING:
    from anpo.scenario import Scenario


KEEP = 16
"""How many maps :func:`geometry` keeps."""

_kept: OrderedDict[str, str] = OrderedDict()
_lock = threading.Lock()


def has_map(scenario: Scenario) -> bool:
    """Whether the scenario places anything on a map (without drawing it): its kind's
    map view says so (:class:`anpo.kinds.base.MapView`)."""
    view = registry.views(scenario.kind).map
    if view.presentation is None:
        return False
    return view.has_map is None or bool(view.has_map(scenario.spec))


def content_key(scenario: Scenario) -> str:
    """SHA-256 of the kind, the scenario's canonical JSON and its date."""
    text = f"{scenario.kind}\n{scenario.spec.model_dump_json()}\n{scenario.date.isoformat()}"
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def geometry(scenario: Scenario) -> dict[str, Any] | None:
    """The scenario's map as a GeoJSON FeatureCollection (a fresh copy), or None.

    None when the kind draws no map, the scenario has no geography, or it does
    not resolve. Drawn by the kind's ``presentation`` and kept by content.
    """
    if not has_map(scenario):
        return None
    key = content_key(scenario)
    with _lock:
        text = _kept.get(key)
        if text is not None:
            _kept.move_to_end(key)
    if text is None:
        draw = registry.views(scenario.kind).map.presentation
        assert draw is not None
        drawn = draw(scenario.spec, scenario.date)
        text = json.dumps(drawn)
        with _lock:
            _kept[key] = text
            while len(_kept) > KEEP:
                _kept.popitem(last=False)
    found: dict[str, Any] | None = json.loads(text)
    return found


def of_stored(text: str, origin: str, day: dt.date) -> dict[str, Any] | None:
    """The map of a stored run's scenario (its YAML ``text``) on the run's date ``day``.

    The date is pinned, so a run of "today" keeps its date when the knowledge base's
    as-of date moves; None when the text no longer parses or resolves.
    """
    from anpo import scenario
    from anpo.errors import ScenarioError

    try:
        sc = scenario.parse(text, origin)
    except ScenarioError:
        return None
    if sc.date != day:
        sc = dataclasses.replace(sc, spec=sc.spec.model_copy(update={"date": day}))
    return geometry(sc)


def range_ring(lat_deg: float, lon_deg: float, range_km: float, n: int = 72) -> list[list[float]]:
    """A closed ring of ``n + 1`` (lon, lat) points at ``range_km`` along great circles
    of the sphere from (lat, lon), every 360/n degrees, rounded to 0.001 degree."""
    bearings = np.arange(n + 1, dtype=np.float64) * (360.0 / n)
    lats, lons = destination_deg(lat_deg, lon_deg, bearings, range_km)
    return [[round(float(x), 3), round(float(y), 3)] for x, y in zip(lons, lats, strict=True)]


def forget() -> None:
    """Drop every kept map."""
    with _lock:
        _kept.clear()


__all__ = [
    "content_key",
    "forget",
    "geometry",
    "has_map",
    "of_stored",
    "range_ring",
]
