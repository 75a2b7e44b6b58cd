"""Geometry for people: a scenario's map, drawn only when something shows it.

Resolution computes what a model needs and nothing for the eye. The map of a
scenario (tracks, shooters, defended footprints, range rings, cities) is drawn by
its kind's ``presentation(spec, day)`` when the report, the GeoJSON export or the
web page asks for it, through :func:`geometry`, which keeps the last few maps by
content (the kind, the scenario's canonical JSON and its date), so a page that
shows the same scenario again draws nothing twice.

Drawing a missile-defence map flies thousands of missiles for its defended
footprints (about 0.3 s), so each map is also kept on disk, beside the knowledge
base's parsed YAML (:func:`anpo.kb.yaml_cache.folder`: ``$ANPO_CACHE_DIR``, and
``ANPO_CACHE_DIR=off`` turns it off), under the SHA-256 of (this cache's format,
this anpo's code and data, the content key): a changed scenario, date, model or
map code is a new name, never a stale hit. An entry is written atomically and read
back as the JSON it was written as; a folder that cannot be read or written is
skipped, silently, so the cache changes how fast a map comes, never what it is.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import hashlib
import json
import os
import tempfile
import threading
from collections import OrderedDict
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from anpo.geo.sphere import destination_deg
from anpo.kinds import registry

if TYPE_CHECKING:
    from anpo.scenario import Scenario


KEEP = 16
"""How many maps :func:`geometry` keeps in memory."""
FORMAT = "anpo-presentation-cache-1"
"""Part of every disk entry's key: a new format never reads an old entry."""

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
        text = _read(key)
        if text is None:
            draw = registry.views(scenario.kind).map.presentation
            assert draw is not None
            text = json.dumps(draw(scenario.spec, scenario.date))
            _write(key, text)
        with _lock:
            _kept[key] = text
            while len(_kept) > KEEP:
                _kept.popitem(last=False)
    found: dict[str, Any] | None = json.loads(text)
    return found


@functools.cache
def code_digest() -> str:
    """Digest of this anpo: the size and modification time of every file of the
    installed package (code, version and knowledge base)."""
    root = Path(__file__).resolve().parents[1]
    h = hashlib.sha256(FORMAT.encode())
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        for name in sorted(files):
            if name.endswith((".pyc", ".pyo")):
                continue
            path = Path(folder) / name
            try:
                st = path.stat()
            except OSError:
                continue
            h.update(f"{path.relative_to(root)}\0{st.st_size}\0{st.st_mtime_ns}\n".encode())
    return h.hexdigest()


def _entry(key: str) -> Path | None:
    """Where the map of content ``key`` is kept on disk, or None when the cache is off."""
    from anpo.kb import yaml_cache

    where = yaml_cache.folder()
    if where is None:
        return None
    name = hashlib.sha256(f"{FORMAT}\0{code_digest()}\0{key}".encode()).hexdigest()
    return where / f"map-{name}.json"


def _read(key: str) -> str | None:
    entry = _entry(key)
    if entry is None:
        return None
    try:
        text = entry.read_text(encoding="utf-8")
        json.loads(text)  # a damaged entry is redrawn
    except (OSError, ValueError):
        return None
    return text


def _write(key: str, text: str) -> None:
    entry = _entry(key)
    if entry is None:
        return
    try:
        entry.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=entry.parent, prefix=".tmp-", suffix=".json")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(text)
            os.replace(tmp, entry)  # atomic: a reader sees the whole entry or none
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError:
        return


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
    """Drop every map kept in memory (those on disk stay)."""
    with _lock:
        _kept.clear()


__all__ = [
    "FORMAT",
    "code_digest",
    "content_key",
    "forget",
    "geometry",
    "has_map",
    "of_stored",
    "range_ring",
]
