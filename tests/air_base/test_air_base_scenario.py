"""The shipped air-base scenarios resolve through the knowledge base, with a ledger,
clear problems for bad input, and model inputs that simulate identically to the reference."""

from __future__ import annotations

import datetime as dt
import itertools
import math
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
import yaml

from anpo import kb
from anpo.models.air_base import simulate, simulate_reference
from anpo.scenario.air_base import AirBaseScenario, presentation
from anpo.scenario.air_base import resolve as _resolve
from anpo.scenario.common import attempt


def resolve(sc: Any, day: Any) -> tuple[Any, Any, list[Any], None]:
    """The kind's resolver with its problems returned instead of raised, and no map."""
    return (*attempt(_resolve, sc, day), None)


SCENARIOS = Path(__file__).parents[2] / "src" / "anpo" / "scenarios"


def _load(name: str, **change: object) -> tuple[AirBaseScenario, dt.date]:
    data = yaml.safe_load((SCENARIOS / f"{name}.yaml").read_text())
    data.update(change)
    sc = AirBaseScenario.model_validate(data)
    return sc, kb.KB_AS_OF if sc.date == "today" else sc.date


@pytest.mark.parametrize(
    "name", ["kadena-2010", "kadena-today", "bases-in-range-today", "andersen-today"]
)
def test_shipped_scenarios_resolve(name: str) -> None:
    sc, day = _load(name)
    inputs, ledger, problems, _ = resolve(sc, day)
    assert problems == []
    assert {e.kind for e in ledger} <= {"fact", "estimate", "assumption"}
    assert all(e.source for e in ledger)
    assert inputs.labels["base"] == tuple(b.name for b in sc.bases)
    assert len(inputs.labels["day"]) == sc.horizon_days
    assert inputs.labels["day"][0] == "day 1"


def test_kadena_2010_inputs_and_reference() -> None:
    sc, day = _load("kadena-2010")
    inputs, ledger, *_ = resolve(sc, day)
    assert inputs.n_missiles == 32
    assert inputs.surface_length_m.tolist() == [3689.0, 3689.0, 3000.0]  # and a taxiway
    assert int(inputs.aircraft_sheltered.sum()) == 15
    assert any(e.name == "plarf.mrbm.missiles" and e.kind == "estimate" for e in ledger)
    g = np.random.SeedSequence(3)
    a = simulate(inputs, np.random.default_rng(g), 40)
    b = simulate_reference(inputs, np.random.default_rng(g), 40)
    for key in a:
        assert np.array_equal(a[key], b[key]), key


def test_problems_name_the_field() -> None:
    sc, day = _load(
        "kadena-2010", raid=[{"missile": "df-15b", "count": 4, "base": "Kadena Air Base"}]
    )
    _, _, problems, *_ = resolve(sc, day)
    assert problems and problems[0].path == "raid[0].missile"
    assert "cannot reach" in problems[0].message
    sc, day = _load(
        "kadena-2010", raid=[{"missile": "df-26", "count": 4, "base": "Kadena Air Base"}]
    )
    _, _, problems, *_ = resolve(sc, day)
    assert "not a PLARF missile in service" in problems[0].message
    with pytest.raises(ValueError):
        _load("kadena-2010", typo=1)


def test_geometry_holds_bases_launch_areas_ranges_and_tracks() -> None:
    """The map's picture: every base, the launch areas the raid uses, each missile's
    nominal range from them as a geodesic ring, and a ground track to each base."""
    from anpo.geo.greatcircle import distance_km
    from anpo.report.map import caption, region_map

    sc, day = _load("bases-in-range-today")
    assert resolve(sc, day)[3] is None  # resolution draws no map
    geometry = presentation(sc, day)
    assert geometry is not None
    by_role: dict[str, list[dict]] = {}
    for f in geometry["features"]:
        by_role.setdefault(f["properties"]["role"], []).append(f)
    assert [f["properties"]["name"] for f in by_role["base"]] == [b.name for b in sc.bases]
    launch = {f["properties"]["name"]: f["geometry"]["coordinates"] for f in by_role["launch_area"]}
    assert launch and all(f["properties"]["launch_area"] in launch for f in by_role["range_ring"])
    for ring in by_role["range_ring"]:
        lon, lat = launch[ring["properties"]["launch_area"]]
        xs, ys = zip(*ring["geometry"]["coordinates"][0], strict=True)
        d = distance_km(lat, lon, np.array(ys), np.array(xs))
        assert np.allclose(d, ring["properties"]["range_km"], rtol=2e-3)  # 4-decimal rounding
    bases = {f["properties"]["name"]: f["geometry"]["coordinates"] for f in by_role["base"]}
    ends = {tuple(np.round(f["geometry"]["coordinates"][-1], 3)) for f in by_role["track"]}
    assert ends == {tuple(np.round(c, 3)) for c in bases.values()}
    svg = region_map(geometry, pd.DataFrame({"lat": [], "lon": []}))
    assert svg.startswith("<svg") and "range (1,500 km)" in svg
    assert caption(geometry, False).startswith("Launch areas, each missile's nominal range")


def test_runway_cuts_leave_no_segment_as_long_as_the_strip() -> None:
    """The planner cuts each surface ⌊L/ℓ⌋ times, evenly, so every segment is shorter
    than the strip; each missile of the group takes the next aim point."""
    from anpo.scenario.air_base import AimPlan, _runway_points, cuts_needed

    assert cuts_needed(3689.0, 1525.0) == 2  # 3 segments of 1,230 m
    assert cuts_needed(3689.0, 2450.0) == 1
    assert cuts_needed(3000.0, 1500.0) == 2  # two segments of 1,500 m would still fit
    plan = AimPlan(1525.0, 15.0, 80.0, 2.5, None, None, None)
    points = _runway_points(0, [0, 0], [3689.0, 3000.0], [91.0, 45.0], ["A r1", "A r2"], plan)
    for s, length in ((0, 3689.0), (1, 3000.0)):
        xs = sorted(x for t, x, _ in points if t == s)
        edges = [0.0, *sorted(set(xs)), length]
        assert max(b - a for a, b in itertools.pairwise(edges)) < 1525.0
    # a 91 m runway takes one pattern of 80 m radius per cut (1.5 R = 120 m > 91 m)
    assert sum(1 for t, *_ in points if t == 0) == 2


def test_planned_cuts_close_the_runways_when_every_missile_lands_on_its_aim() -> None:
    """Perfect missiles (CEP 0, reliability 1) with craters wide enough to span the
    runway, one per planned aim point: no strip is left, so the base closes."""
    sc, day = _load(
        "kadena-2010",
        raid=[
            {
                "missile": "df-21c",
                "warhead": "unitary",
                "count": 2 * 8 + 2 * 6 + 2,
                "base": "Kadena Air Base",
                "target": "runways",
            }
        ],
        waves_h=[0],
        uncertain={"cep_m.df-21c": {"dist": "fixed", "value": 0.0},
                   "reliability.df-21c": {"dist": "fixed", "value": 1.0}},
    )  # fmt: skip
    inputs, ledger, problems, _ = resolve(sc, day)
    assert problems == []
    assert any(e.name == "raid[0].aim" for e in ledger)
    out = simulate(inputs, np.random.default_rng(np.random.SeedSequence(4)), 20)
    assert np.all(out["hours_closed"][:, 0] > 0)


def test_explicit_aim_points_and_a_chosen_surface() -> None:
    sc, day = _load(
        "kadena-2010",
        raid=[
            {
                "missile": "df-21c",
                "count": 3,
                "base": "Kadena Air Base",
                "surface": "05R/23L",
                "aim_points_m": [[100.0, 0.0], [200.0, 5.0]],
            }
        ],
        waves_h=[0],
    )
    inputs, _, problems, _ = resolve(sc, day)
    assert problems == []
    assert inputs.missile_target.tolist() == [1, 1, 1]
    assert inputs.missile_aim_x_m.tolist() == [100.0, 200.0, 100.0]
    sc, day = _load(
        "kadena-2010",
        raid=[{"missile": "df-21c", "count": 3, "base": "Kadena Air Base", "surface": "09/27"}],
    )
    _, _, problems, _ = resolve(sc, day)
    assert problems[0].path == "raid[0].surface" and "05L/23R" in problems[0].message


def test_a_catalogue_warhead_with_overrides() -> None:
    """A raid group may name a catalogue warhead and override its parameters; the
    ledger records both; bad choices are problems naming the field."""
    group = {
        "missile": "df-21c",
        "count": 4,
        "base": "Kadena Air Base",
        "target": "shelters",
        "warhead_id": "penetrator-unitary",
        "warhead_params": {"shelter_pk": 0.5},
    }
    sc, day = _load("kadena-2010", raid=[group], waves_h=[0])
    inputs, ledger, problems, _ = resolve(sc, day)
    assert problems == []
    assert inputs.type_lethal_radius_hard_m.tolist() == [14.0]
    assert inputs.type_shelter_pk.tolist() == [0.5]
    assert inputs.type_damage_radius_m.tolist() == [40.0]
    assert any(e.name == "raid[0].warhead_params" and e.override for e in ledger)
    for change, field in (
        ({"warhead_id": "no-such"}, "raid[0].warhead_id"),
        ({"missile": "cj-10", "warhead_id": "penetrator-unitary"}, "raid[0].warhead_id"),
        ({"warhead_params": {"blast": 1.0}}, "raid[0].warhead_params.blast"),
        ({"warhead_params": {"shelter_pk": 2.0}}, "raid[0].warhead_params"),
        ({"warhead": "submunition"}, "raid[0].warhead"),
    ):
        sc, day = _load("kadena-2010", raid=[group | change], waves_h=[0])
        _, _, problems, _ = resolve(sc, day)
        assert problems and problems[0].path == field, (change, problems)


def test_penetrators_kill_more_shelters_than_blast_warheads() -> None:
    """Against Kadena's shelters, one missile per shelter: a penetrator that defeats a
    shelter it hits anywhere on the structure kills far more than a blast warhead that
    must land within 5 m (common random numbers: same misses in both runs)."""
    group = {"missile": "df-21c", "count": 15, "base": "Kadena Air Base", "target": "shelters"}
    killed = {}
    for wid in ("blast-fragmentation-unitary", "penetrator-unitary"):
        sc, day = _load("kadena-2010", raid=[group | {"warhead_id": wid}], waves_h=[0])
        inputs, _, problems, _ = resolve(sc, day)
        assert problems == []
        out = simulate(inputs, np.random.default_rng(np.random.SeedSequence(8)), 400)
        killed[wid] = out["aircraft_destroyed"][:, 0].mean()
    assert killed["penetrator-unitary"] > 2 * killed["blast-fragmentation-unitary"]


def test_rechecked_runways_and_ballistic_miss_geometry() -> None:
    """Kadena's runways are not equally wide (91 m and 61 m); Andersen's north runway
    06L/24R is the shorter; ballistic misses are elongated along the flight, turned
    into each runway's frame."""
    sc, day = _load("kadena-2010")
    inputs, ledger, *_ = resolve(sc, day)
    assert inputs.surface_width_m.tolist() == [91.0, 61.0, 23.0]
    t = inputs.missile_type[0]
    assert inputs.type_along_track_ratio[t] == 2.0  # DF-21C
    # from the Chinese coast the DF-21C flies roughly east-south-east to Kadena, so its
    # track crosses the 050 runways at an angle: neither along nor across them
    angle = abs(math.degrees(inputs.missile_heading_rad[0])) % 180
    assert 20 < angle < 160
    assert any(e.name == "df-21c.along_track_ratio" for e in ledger)
    sc, day = _load(
        "kadena-2010",
        bases=[{"name": "Andersen Air Force Base"}],
        raid=[{"missile": "df-26", "count": 2, "base": "Andersen Air Force Base"}],
        waves_h=[0],
        date="today",
    )
    inputs, ledger, problems, _ = resolve(sc, day)
    assert problems == []
    names = [e.name for e in ledger if ".surface." in e.name]
    assert names == [
        "Andersen Air Force Base.surface.06L/24R",
        "Andersen Air Force Base.surface.06R/24L",
        "Andersen Air Force Base.surface.taxiway parallel",
    ]
    assert inputs.surface_length_m.tolist() == [3218.0, 3409.0, 3000.0]


def test_restrike_on_reopening_keeps_kadena_closed_longer() -> None:
    """kadena-2010's second wave set to strike when the base reopens (1 h after), not a
    day later: the same missiles and misses (common random numbers) close Kadena for
    about as many hours in all, but in one stretch on day 1 instead of two on days 1
    and 2. Only runway groups may wait for a reopening."""
    sc, day = _load("kadena-2010")
    base, *_ = resolve(sc, day)
    sc, day = _load("kadena-2010", waves_on_reopen=[1], waves_h=[0, 0])
    inputs, ledger, problems, _ = resolve(sc, day)
    assert problems == [] and inputs.wave_on_reopen.tolist() == [False, True]
    assert any(e.name == "waves_on_reopen" for e in ledger)
    g = np.random.SeedSequence(5)
    a = simulate(base, np.random.default_rng(g), 400)["closed_hours_by_day"][:, 0]
    b = simulate(inputs, np.random.default_rng(g), 400)["closed_hours_by_day"][:, 0]
    assert np.median(b[:, 0]) > np.median(a[:, 0]) + 3.0  # day 1
    assert np.median(b[:, 1]) < np.median(a[:, 1]) - 3.0  # day 2
    assert abs(np.median(b.sum(axis=1)) - np.median(a.sum(axis=1))) < 1.0
    sc, day = _load("kadena-2010", waves_on_reopen=[0])
    _, _, problems, _ = resolve(sc, day)
    assert problems[0].path == "waves_on_reopen[0]"
    sc, day = _load("kadena-2010", waves_on_reopen=[1], raid=[
        {"missile": "cj-10", "count": 2, "base": "Kadena Air Base", "target": "parking", "wave": 1}
    ])  # fmt: skip
    _, _, problems, _ = resolve(sc, day)
    assert problems[0].path == "raid[0].target"


def test_uncertain_warhead_parameters() -> None:
    """A scenario may draw a warhead's shelter kill probability, hard radius, dud rate or
    repair units per trial: the drawn values move the outcome the way they should (a
    surer penetrator kills more shelters), and a probability outside [0, 1] is refused."""
    group = {
        "missile": "df-21c",
        "count": 15,
        "base": "Kadena Air Base",
        "target": "shelters",
        "warhead_id": "penetrator-unitary",
    }
    key = "warhead.df-21c.penetrator-unitary.shelter_pk"
    killed = []
    for low, high in ((0.1, 0.3), (0.8, 1.0)):
        sc, day = _load(
            "kadena-2010",
            raid=[group],
            waves_h=[0],
            uncertain={key: {"dist": "uniform", "low": low, "high": high}},
        )
        inputs, ledger, problems, _ = resolve(sc, day)
        assert problems == [] and "shelter_pk" in inputs.warhead_dists
        assert any(e.name == key and e.override for e in ledger)
        out = simulate(inputs, np.random.default_rng(np.random.SeedSequence(2)), 400)
        killed.append(out["aircraft_destroyed"][:, 0].mean())
    assert killed[1] > 2 * killed[0]
    sc, day = _load(
        "kadena-2010",
        raid=[group],
        waves_h=[0],
        uncertain={key: {"dist": "uniform", "low": 0.5, "high": 1.5}},
    )
    _, _, problems, _ = resolve(sc, day)
    assert problems[0].path == f"uncertain.{key}"


def test_report_draws_closure_and_sorties_with_bands(tmp_path: Path) -> None:
    """The air-base report draws what its kind declares: closure and sorties by day with
    their 5th–95th percentile bands, aircraft destroyed and damaged, as inline SVG."""
    import anpo
    from anpo.report import figures
    from anpo.report.html import render_report
    from anpo.store import Store

    svg = figures.lines_with_bands(
        [("Kadena Air Base", [20.0, 5.0], [12.0, 0.0], [24.0, 14.0])],
        title="t", xlabel="day", ylabel="hours closed", prefix="ab4",
    )  # fmt: skip
    assert svg.startswith("<svg") and 'id="ab4-' in svg
    store = Store(tmp_path / "ab.duckdb")
    result = anpo.run("kadena-2010", trials=200, seed=3, store=store)
    html, _ = render_report(store, result.run_id)
    for title in ("Closure timeline", "Sorties", "Aircraft damaged on the ground"):
        assert f"<strong>{title}.</strong>" in html
    assert html.count("5th–95th percentile band") >= 2
    assert "Days closed: Kadena Air Base" in html


def test_docs_name_every_air_base_field_and_outcome() -> None:
    """docs/scenario.md's air-base section names every field of the schema, every warhead
    of the catalogue and every outcome the model stores."""
    from anpo.models.air_base.inputs import OUTCOMES, UNCERTAIN_WARHEAD
    from anpo.scenario.air_base import WARHEAD_PARAMS, Base, MissileGroup

    text = (Path(__file__).parents[2] / "docs" / "scenario.md").read_text(encoding="utf-8")
    section = text.split("## `kind: air_base`")[1].split("\n## ")[0]
    header = {"schema_version", "kind", "name", "description", "date"}
    fields = set(AirBaseScenario.model_fields) | set(Base.model_fields)
    fields |= set(MissileGroup.model_fields)
    for name in sorted(fields - header):
        assert f"`{name}`" in section or f"`{name}[]`" in section, name
    catalogue = [r.data["warhead"] for r in kb.load().at(kb.KB_AS_OF, "warhead")]
    for name in (*WARHEAD_PARAMS, *UNCERTAIN_WARHEAD, *catalogue):
        assert f"`{name}`" in section, name
    skip = {"cep_m", "reliability", "repair_h", "repair_delay_h", "repair_crews"}
    for name in sorted(set(OUTCOMES) - skip - {"repair_materials"}):
        assert f"`{name}`" in section, name
