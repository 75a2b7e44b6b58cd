"""What a leaker hits: impact scatter from CEP, and population counted once per trial.

Checks the circular-normal closed forms: half of the impacts fall within one CEP of
the aim point, and the mean squared miss distance is 2σ² with σ = CEP/√(2 ln 2).
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from anpo.geo.sphere import haversine_km
from anpo.models.distributions import Dist
from anpo.models.missile_defense import Inputs, simulate, simulate_reference
from anpo.models.missile_defense.impacts import SIGMA_PER_CEP


def base(n_threats: int = 6, sspk: float = 0.0, assets: int = 2) -> Inputs:
    t = n_threats
    return Inputs(
        threat_asset=np.arange(t) % assets,
        threat_is_decoy=np.zeros(t, dtype=bool),
        threat_time_s=np.zeros(t),
        asset_priority=np.ones(assets, dtype=np.int64),
        shooter_tier=np.array([0]),
        shooter_interceptor=np.array([0]),
        shooter_magazine=np.array([4]),
        window_open_s=np.zeros((1, t)),
        window_close_s=np.full((1, t), 100.0),
        engage_time_s=np.full((1, t), 60.0),
        salvo_size=np.array([1, 1]),
        max_engagements=np.array([1, 1]),
        partial_salvos=False,
        use_priorities=False,
        sspk=(Dist.fixed(sspk),),
        reliability=(Dist.fixed(1.0),),
        sensor_delay_s=(Dist.fixed(0.0), Dist.fixed(0.0)),
        discrimination=Dist.fixed(0.0),
    )


def geographic(inputs: Inputs, cep_km: Dist, radius_km: float = 10.0) -> Inputs:
    t = inputs.n_threats
    tokyo, osaka = (35.68, 139.76), (34.69, 135.50)
    aims = np.array([tokyo if a == 0 else osaka for a in inputs.threat_asset])
    return dataclasses.replace(
        inputs,
        threat_aim_lat_deg=aims[:, 0],
        threat_aim_lon_deg=aims[:, 1],
        threat_type=np.zeros(t, dtype=np.int64),
        cep_km=(cep_km,),
        city_lat_deg=np.array([tokyo[0], osaka[0], 43.06]),
        city_lon_deg=np.array([tokyo[1], osaka[1], 141.35]),
        city_population=np.array([9.7e6, 2.6e6, 1.9e6]),
        impact_radius_km=radius_km,
    )


def run(inputs: Inputs, n: int, seed: int = 1, reference: bool = False) -> dict[str, np.ndarray]:
    fn = simulate_reference if reference else simulate
    return fn(inputs, np.random.default_rng(np.random.SeedSequence(seed)), n)


def test_vectorized_and_reference_agree_exactly() -> None:
    inputs = geographic(base(sspk=0.5), Dist("triangular", (1.0, 2.0, 5.0)), radius_km=3.0)
    fast, slow = run(inputs, 300), run(inputs, 300, reference=True)
    assert set(fast) == set(slow)
    for name in fast:
        assert np.array_equal(fast[name], slow[name], equal_nan=True), name


def test_geography_changes_no_engagement_draw() -> None:
    plain = base(sspk=0.6)
    geo = geographic(plain, Dist.fixed(1.0))
    a, b = run(plain, 500, seed=3), run(geo, 500, seed=3)
    for name in a:
        assert np.array_equal(a[name], b[name], equal_nan=a[name].dtype.kind == "f"), name
    assert "impact_lat_deg" not in a and "impact_lat_deg" in b


def test_half_the_impacts_fall_within_one_cep() -> None:
    cep = 2.0
    out = run(geographic(base(n_threats=4), Dist.fixed(cep)), 20_000, seed=5)
    aims = geographic(base(n_threats=4), Dist.fixed(cep))
    miss = haversine_km(
        out["impact_lat_deg"],
        out["impact_lon_deg"],
        aims.threat_aim_lat_deg[None, :],
        aims.threat_aim_lon_deg[None, :],
    ).ravel()
    inside = (miss <= cep).mean()
    se = np.sqrt(0.25 / miss.size)
    assert abs(inside - 0.5) < 5 * se
    sigma = cep * SIGMA_PER_CEP
    mean_sq = (miss**2).mean()
    assert mean_sq == pytest.approx(2 * sigma**2, rel=0.02)


def test_intercepted_warheads_have_no_impact_point() -> None:
    out = run(geographic(base(sspk=1.0, n_threats=3), Dist.fixed(1.0)), 50)
    # one shooter with four rounds, one shot each at SSPK 1: all three die
    assert np.isnan(out["impact_lat_deg"]).all()
    assert (out["population_near_impacts"] == 0).all()


def test_a_city_is_counted_once_per_trial() -> None:
    # every warhead leaks (SSPK 0) within metres of Tokyo or Osaka: each city once
    out = run(geographic(base(n_threats=6), Dist.fixed(0.001), radius_km=5.0), 100)
    assert (out["population_near_impacts"] == [9.7e6, 2.6e6]).all()
    assert (out["population_near_impacts_total"] == 9.7e6 + 2.6e6).all()


def test_agree_exactly_with_shared_cities_several_aims_and_decoys() -> None:
    # two assets whose leakers can reach the same cities, three aim points per asset,
    # decoys (which never land), and a crowd of cities around the aim points, many of
    # them about one radius from one: the triangle-inequality shortcuts and the union
    # of the assets' cities must give exactly the reference's numbers
    t = 12
    inputs = dataclasses.replace(base(n_threats=t, sspk=0.3), threat_is_decoy=np.arange(t) >= 10)
    aims = np.array([[35.68, 139.76], [35.70, 139.80], [35.60, 139.70]])[np.arange(t) % 3]
    city = np.random.default_rng(5)
    c_lat = 35.65 + city.normal(0, 0.12, 400)
    c_lon = 139.75 + city.normal(0, 0.15, 400)
    inputs = dataclasses.replace(
        inputs,
        threat_aim_lat_deg=aims[:, 0],
        threat_aim_lon_deg=aims[:, 1],
        threat_type=np.arange(t) % 2,
        cep_km=(Dist("triangular", (1.0, 3.0, 8.0)), Dist.fixed(0.5)),
        city_lat_deg=c_lat,
        city_lon_deg=c_lon,
        city_population=np.floor(city.uniform(1e4, 1e6, 400)),
        impact_radius_km=6.0,
    )
    a, b = run(inputs, 300), run(inputs, 300, reference=True)
    for k in a:
        np.testing.assert_array_equal(a[k], b[k], strict=True)
    assert (a["population_near_impacts_total"] < a["population_near_impacts"].sum(axis=1)).any()
    assert np.isnan(a["impact_lat_deg"][:, 10:]).all()


def test_expected_casualties_by_the_lethal_area_model() -> None:
    # every warhead leaks within metres of Tokyo or Osaka (radius 5 km): each leaker's
    # expected casualties are A*s * P / (pi r^2), hand-worked for A*s = 0.015 km^2
    inputs = dataclasses.replace(
        geographic(base(n_threats=6), Dist.fixed(0.001), radius_km=5.0), casualty_area_km2=0.015
    )
    out = run(inputs, 50)
    tokyo = 9.7e6 * 0.015 / (np.pi * 25.0)  # 1852.6 people per leaker
    osaka = 2.6e6 * 0.015 / (np.pi * 25.0)  # 496.6
    assert tokyo == pytest.approx(1852.6, abs=0.05) and osaka == pytest.approx(496.6, abs=0.05)
    np.testing.assert_allclose(out["expected_casualties"], [[3 * tokyo, 3 * osaka]] * 50)
    np.testing.assert_allclose(out["expected_casualties_total"], 3 * (tokyo + osaka))
    assert "expected_casualties" not in run(dataclasses.replace(inputs, casualty_area_km2=0.0), 5)


def test_expected_casualties_agree_exactly_with_the_reference() -> None:
    t = 12
    inputs = dataclasses.replace(base(n_threats=t, sspk=0.3), threat_is_decoy=np.arange(t) >= 10)
    aims = np.array([[35.68, 139.76], [35.70, 139.80], [35.60, 139.70]])[np.arange(t) % 3]
    city = np.random.default_rng(7)
    inputs = dataclasses.replace(
        inputs,
        threat_aim_lat_deg=aims[:, 0],
        threat_aim_lon_deg=aims[:, 1],
        threat_type=np.arange(t) % 2,
        cep_km=(Dist("triangular", (1.0, 3.0, 8.0)), Dist.fixed(0.5)),
        city_lat_deg=35.65 + city.normal(0, 0.12, 300),
        city_lon_deg=139.75 + city.normal(0, 0.15, 300),
        city_population=np.floor(city.uniform(1e4, 1e6, 300)),
        impact_radius_km=4.0,
        casualty_area_km2=0.02,
    )
    a, b = run(inputs, 200), run(inputs, 200, reference=True)
    assert set(a) == set(b)
    for k in a:
        np.testing.assert_array_equal(a[k], b[k], strict=True)
    assert (a["expected_casualties_total"] > 0).any()
