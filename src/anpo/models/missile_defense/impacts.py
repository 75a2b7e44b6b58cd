"""What a leaker hits: impact points scattered by accuracy, and the people nearby.

A warhead that leaks lands at its aim point displaced by a circular normal
error whose standard deviation per axis is σ = CEP / √(2 ln 2) ≈ CEP / 1.1774
(the CEP is the radius holding half the impacts). The CEP of each missile type
is uncertain and drawn once per trial; the displacements are drawn per threat.
A city counts as at risk in a trial when a leaker lands within the scenario's
radius of it; each city is counted once per trial for each defended asset (and
once overall for the total), however many leakers land near it.

Random numbers come from streams of their own, keyed by identity (``cep/{missile
type}``, ``impact/north/{threat}``, ``impact/east/{threat}``), drawn after the
engagement, so adding this step changes none of the engagement model's draws, and
adding a threat changes no other threat's impact point. :func:`impacts_reference`
is the per-trial loop the tests compare it with.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from anpo.geo.sphere import haversine_km, offset_deg
from anpo.models.base import Outcomes, substream
from anpo.models.missile_defense.inputs import (
    LEAK_DECOY_EXHAUSTED,
    LEAK_MAGAZINE_EMPTY,
    LEAK_MISSED,
    LEAK_NO_SHOOTER,
    Inputs,
)
from anpo.physics.accuracy import SIGMA_PER_CEP

LEAKED = (LEAK_MISSED, LEAK_NO_SHOOTER, LEAK_MAGAZINE_EMPTY, LEAK_DECOY_EXHAUSTED)


def impact_draws(
    inputs: Inputs, rng: np.random.Generator, n: int
) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
    """CEP per missile type per trial (n, M), and unit normals north/east (n, T)."""
    cep = np.empty((n, len(inputs.cep_km)))
    types = inputs.keys("missile", len(inputs.cep_km))
    for i, (key, dist) in enumerate(zip(types, inputs.cep_km, strict=True)):
        cep[:, i] = np.maximum(dist.sample(substream(rng, f"cep/{key}"), n), 0.0)
    t = inputs.n_threats
    north = np.empty((t, n))
    east = np.empty((t, n))
    for k, key in enumerate(inputs.keys("threat", t)):
        substream(rng, f"impact/north/{key}").standard_normal(n, out=north[k])
        substream(rng, f"impact/east/{key}").standard_normal(n, out=east[k])
    return cep, north.T, east.T


def impacts(inputs: Inputs, fate: NDArray[np.int8], rng: np.random.Generator) -> Outcomes:
    """Impact points of the leakers and the population near them, for every trial."""
    n = fate.shape[0]
    cep, north, east = impact_draws(inputs, rng, n)
    leaked = np.isin(fate, LEAKED)
    sigma = cep[:, inputs.threat_type] * SIGMA_PER_CEP  # (n, T)
    lat, lon = offset_deg(
        inputs.threat_aim_lat_deg[None, :],
        inputs.threat_aim_lon_deg[None, :],
        north * sigma,
        east * sigma,
    )
    lat = np.where(leaked, lat, np.nan)
    lon = np.where(leaked, lon, np.nan)

    c = inputs.city_population.size
    per_asset = np.zeros((n, inputs.n_assets))
    hits: list[tuple[NDArray[np.intp], NDArray[np.bool_]]] = []  # (cities, hit by trial)
    trial, threat = np.nonzero(leaked)
    if c and trial.size:
        hit_lat, hit_lon = lat[trial, threat], lon[trial, threat]
        aim_lat = inputs.threat_aim_lat_deg[threat]
        aim_lon = inputs.threat_aim_lon_deg[threat]
        miss = haversine_km(hit_lat, hit_lon, aim_lat, aim_lon)
        asset = inputs.threat_asset[threat]
        for a in range(inputs.n_assets):
            mine = asset == a
            if not mine.any():
                continue
            # Only cities within radius + the largest miss of some aim point can be hit
            # (the triangle inequality of the great-circle distance); the margin covers
            # rounding, so the result is the same as testing every city.
            reach = inputs.impact_radius_km + float(miss[mine].max()) + 1e-6
            aims = np.unique(np.column_stack([aim_lat[mine], aim_lon[mine]]), axis=0)
            cand = np.flatnonzero(
                (
                    haversine_km(
                        aims[:, 0:1],
                        aims[:, 1:2],
                        inputs.city_lat_deg[None, :],
                        inputs.city_lon_deg[None, :],
                    )
                    <= reach
                ).any(axis=0)
            )
            if cand.size == 0:
                continue
            near = (
                haversine_km(
                    hit_lat[mine][:, None],
                    hit_lon[mine][:, None],
                    inputs.city_lat_deg[None, cand],
                    inputs.city_lon_deg[None, cand],
                )
                <= inputs.impact_radius_km
            )  # (leakers at a, candidate cities)
            hit = _any_by_trial(trial[mine], near, n)
            per_asset[:, a] = hit @ inputs.city_population[cand]
            hits.append((cand, hit))
    # each city once per trial over all assets, among the cities some leaker could reach
    total = np.zeros(n)
    if hits:
        union = np.unique(np.concatenate([cand for cand, _ in hits]))
        any_hit = np.zeros((n, union.size), dtype=bool)
        for cand, hit in hits:
            any_hit[:, np.searchsorted(union, cand)] |= hit
        total = any_hit @ inputs.city_population[union]
    return {
        "impact_lat_deg": lat,
        "impact_lon_deg": lon,
        "cep_km": cep,
        "population_near_impacts": per_asset,
        "population_near_impacts_total": total,
    }


def _any_by_trial(trial: NDArray[np.intp], near: NDArray[np.bool_], n: int) -> NDArray[np.bool_]:
    """OR of ``near`` rows grouped by trial: (n, C), each city once per trial."""
    c = near.shape[1]
    rows, cols = np.nonzero(near)
    flat = trial[rows] * c + cols
    return np.bincount(flat, minlength=n * c).reshape(n, c) > 0


def impacts_reference(inputs: Inputs, fate: NDArray[np.int8], rng: np.random.Generator) -> Outcomes:
    """The same as :func:`impacts`, one trial and one leaker at a time."""
    n = fate.shape[0]
    cep, north, east = impact_draws(inputs, rng, n)
    t_count, a_count = inputs.n_threats, inputs.n_assets
    lat = np.full((n, t_count), np.nan)
    lon = np.full((n, t_count), np.nan)
    per_asset = np.zeros((n, a_count))
    total = np.zeros(n)
    for trial in range(n):
        hit_by_asset: list[set[int]] = [set() for _ in range(a_count)]
        for t in range(t_count):
            if int(fate[trial, t]) not in LEAKED:
                continue
            sigma = cep[trial, inputs.threat_type[t]] * SIGMA_PER_CEP
            la, lo = offset_deg(
                inputs.threat_aim_lat_deg[t],
                inputs.threat_aim_lon_deg[t],
                north[trial, t] * sigma,
                east[trial, t] * sigma,
            )
            lat[trial, t], lon[trial, t] = float(la), float(lo)
            for city in range(inputs.city_population.size):
                d = haversine_km(la, lo, inputs.city_lat_deg[city], inputs.city_lon_deg[city])
                if float(d) <= inputs.impact_radius_km:
                    hit_by_asset[int(inputs.threat_asset[t])].add(city)
        every: set[int] = set()
        for a, cities in enumerate(hit_by_asset):
            per_asset[trial, a] = sum(float(inputs.city_population[c]) for c in sorted(cities))
            every |= cities
        total[trial] = sum(float(inputs.city_population[c]) for c in sorted(every))
    return {
        "impact_lat_deg": lat,
        "impact_lon_deg": lon,
        "cep_km": cep,
        "population_near_impacts": per_asset,
        "population_near_impacts_total": total,
    }
