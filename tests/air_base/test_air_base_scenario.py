"""The shipped air-base scenarios resolve through the knowledge base, with a ledger,
clear problems for bad input, and model inputs that simulate identically to the reference."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

from anpo import kb
from anpo.models.air_base import simulate, simulate_reference
from anpo.scenario.air_base import AirBaseScenario, resolve

SCENARIOS = Path(__file__).parents[2] / "src" / "anpo" / "scenarios"


def _load(name: str, **change: object) -> tuple[AirBaseScenario, dt.date]:
    data = yaml.safe_load((SCENARIOS / f"{name}.yaml").read_text())
    data.update(change)
    sc = AirBaseScenario.model_validate(data)
    return sc, kb.KB_AS_OF if sc.date == "today" else sc.date


@pytest.mark.parametrize("name", ["kadena-2010", "kadena-today", "bases-in-range-today"])
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
    assert inputs.surface_length_m.tolist() == [3689.0, 3689.0]
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


def test_report_figures_are_inline_svg() -> None:
    from anpo.report.air_base import aircraft_lost, closure_timeline, sorties_by_day

    bases = ["Kadena Air Base", "Misawa Air Base"]
    svg = closure_timeline(bases, [[24.0, 10.0, 0.0], [5.0, 0.0, 0.0]], prefix="ab1")
    assert svg.startswith("<svg") and 'id="ab1-' in svg
    assert aircraft_lost(bases, [20.5, 3.0], prefix="ab2").startswith("<svg")
    assert sorties_by_day(bases, [[0.0, 50.0, 100.0], [60.0, 80.0, 80.0]], prefix="ab3").startswith(
        "<svg"
    )


def test_geometry_holds_bases_launch_areas_ranges_and_tracks() -> None:
    """The map's picture: every base, the launch areas the raid uses, each missile's
    nominal range from them as a geodesic ring, and a ground track to each base."""
    from anpo.geo.greatcircle import distance_km
    from anpo.report.map import caption, region_map

    sc, day = _load("bases-in-range-today")
    *_, geometry = resolve(sc, day)
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
