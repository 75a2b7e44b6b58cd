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

With a casualty estimate (``casualty_area_km2`` = A·s > 0), each leaker's expected
casualties are

    E = A · s · P / (π r²),

A the lethal area of one warhead, s the share of people it reaches unsheltered, P
the people of the cities whose centre lies within the impact radius r of its impact
point: the population density there is approximated by those people spread evenly
over the disc of radius r (the city table holds populations, not areas). Overlapping
lethal areas are not netted out. Per trial the leakers' values are added in threat
order, so the reference's loop gives the same sums to the last bit.
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
    inputs: Inputs, rng: np.random.Generator, n: int, threats: NDArray[np.bool_] | None = None
) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
    """CEP per missile type per trial (n, M), and unit normals north/east (n, T).

    Only the threats that can leak draw their normals: a decoy never lands (its fate
    is never a leak), and with ``threats`` given only those marked True are drawn.
    The others' columns are 0 and never read. Each stream is its threat's own, so
    which others are drawn changes no threat's numbers.
    """
    cep, north, east = _draws(inputs, rng, n, threats)
    return cep, north.T, east.T


def _draws(
    inputs: Inputs, rng: np.random.Generator, n: int, threats: NDArray[np.bool_] | None
) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
    """:func:`impact_draws` with the normals threat-major, (T, n)."""
    cep = np.empty((n, len(inputs.cep_km)))
    types = inputs.keys("missile", len(inputs.cep_km))
    for i, (key, dist) in enumerate(zip(types, inputs.cep_km, strict=True)):
        cep[:, i] = np.maximum(dist.sample(substream(rng, f"cep/{key}"), n), 0.0)
    t = inputs.n_threats
    north = np.zeros((t, n))
    east = np.zeros((t, n))
    wanted = ~inputs.threat_is_decoy if threats is None else threats & ~inputs.threat_is_decoy
    for k, key in enumerate(inputs.keys("threat", t)):
        if wanted[k]:
            substream(rng, f"impact/north/{key}").standard_normal(n, out=north[k])
            substream(rng, f"impact/east/{key}").standard_normal(n, out=east[k])
    return cep, north, east


_IS_LEAK = np.zeros(256, dtype=bool)
_IS_LEAK[list(LEAKED)] = True
MARGIN_KM = 1e-6
"""Slack on the triangle-inequality tests, far above the rounding of the distances."""


def impacts(inputs: Inputs, fate: NDArray[np.int8], rng: np.random.Generator) -> Outcomes:
    """Impact points of the leakers and the population near them, for every trial.

    Only the leakers' points are computed (the same float operations, element by
    element, as on the whole (trials, threats) array). Whether a city lies within the
    radius r of a leaker's impact point is decided, with the great-circle distances m
    (impact to aim point) and D (aim point to city) and the triangle inequality
    |D − m| ≤ d ≤ D + m, without the distance d where D + m ≤ r − ε (within) or
    D − m > r + ε (beyond), ε = :data:`MARGIN_KM`; d itself is computed only for
    the cities in between. Populations are whole numbers, so their sums are exact
    in any order.
    """
    n, t_count = fate.shape
    leaked = _IS_LEAK[fate.view(np.uint8)]
    trial, threat = np.nonzero(leaked)
    cep, north, east = _draws(inputs, rng, n, np.asarray(leaked.any(axis=0)))
    sigma = cep[trial, inputs.threat_type[threat]] * SIGMA_PER_CEP
    aim_lat = inputs.threat_aim_lat_deg[threat]
    aim_lon = inputs.threat_aim_lon_deg[threat]
    hit_lat, hit_lon = offset_deg(
        aim_lat, aim_lon, north[threat, trial] * sigma, east[threat, trial] * sigma
    )
    lat = np.full((n, t_count), np.nan)
    lon = np.full((n, t_count), np.nan)
    lat[trial, threat] = hit_lat
    lon[trial, threat] = hit_lon

    c = inputs.city_population.size
    per_asset = np.zeros((n, inputs.n_assets))
    total = np.zeros(n)
    if c and trial.size:
        miss = haversine_km(hit_lat, hit_lon, aim_lat, aim_lon)
        hits = [
            _hit_cities(inputs, a, n, trial, threat, miss, hit_lat, hit_lon)
            for a in range(inputs.n_assets)
        ]
        kept = [(a, cand, hit) for a, (cand, hit) in enumerate(hits) if cand.size]
        for a, cand, hit in kept:
            per_asset[:, a] = _people(inputs, cand, hit)
        # each city once per trial over all assets, among the cities some leaker could reach
        union = np.unique(np.concatenate([cand for _, cand, _ in kept] or [np.zeros(0, np.intp)]))
        if union.size == sum(cand.size for _, cand, _ in kept):
            total = per_asset.sum(axis=1)  # no city within reach of two assets' leakers
        else:
            any_hit = np.zeros((union.size, n), dtype=bool)
            for _, cand, hit in kept:
                any_hit[np.searchsorted(union, cand)] |= hit
            total = _people(inputs, union, any_hit)
    out: Outcomes = {
        "impact_lat_deg": lat,
        "impact_lon_deg": lon,
        "cep_km": cep,
        "population_near_impacts": per_asset,
        "population_near_impacts_total": total,
    }
    if inputs.casualty_area_km2 > 0:
        people = np.zeros((n, t_count))
        if c and trial.size:
            people[trial, threat] = _people_within(inputs, aim_lat, aim_lon, hit_lat, hit_lon)
        out.update(_casualties(inputs, people))
    return out


CHUNK = 4096
"""Leakers per block when their distances to the candidate cities are computed."""


def _people_within(
    inputs: Inputs,
    aim_lat: NDArray[np.float64],
    aim_lon: NDArray[np.float64],
    hit_lat: NDArray[np.float64],
    hit_lon: NDArray[np.float64],
) -> NDArray[np.float64]:
    """Per leaker, the people of the cities within the impact radius of its impact point
    (an exact sum: populations are whole numbers). Only cities within r + the largest
    miss distance (+ ε) of some aim point can count, by the triangle inequality."""
    r = inputs.impact_radius_km
    miss = haversine_km(hit_lat, hit_lon, aim_lat, aim_lon)
    aims = np.unique(np.column_stack([aim_lat, aim_lon]), axis=0)
    dist = haversine_km(
        aims[:, 0:1], aims[:, 1:2], inputs.city_lat_deg[None, :], inputs.city_lon_deg[None, :]
    )
    cand = np.flatnonzero((dist <= r + float(miss.max()) + MARGIN_KM).any(axis=0))
    people = np.zeros(hit_lat.size)
    if cand.size == 0:
        return people
    c_lat, c_lon = inputs.city_lat_deg[cand], inputs.city_lon_deg[cand]
    pop = inputs.city_population[cand]
    for start in range(0, hit_lat.size, CHUNK):
        sl = slice(start, start + CHUNK)
        d = haversine_km(hit_lat[sl, None], hit_lon[sl, None], c_lat[None, :], c_lon[None, :])
        people[sl] = (d <= r).astype(np.float64) @ pop
    return people


def casualty_factor(inputs: Inputs) -> float:
    """A·s / (π r²): expected casualties per person within the radius of an impact."""
    return inputs.casualty_area_km2 / (np.pi * inputs.impact_radius_km**2)


def _casualties(inputs: Inputs, people: NDArray[np.float64]) -> Outcomes:
    """Expected casualties by asset and in all from the people near each leaker's impact
    point (trials, threats; 0 where it did not leak), added in threat order."""
    each = people * casualty_factor(inputs)
    n = people.shape[0]
    per_asset = np.zeros((n, inputs.n_assets))
    total = np.zeros(n)
    for t in range(inputs.n_threats):
        per_asset[:, int(inputs.threat_asset[t])] += each[:, t]
        total += each[:, t]
    return {"expected_casualties": per_asset, "expected_casualties_total": total}


def _hit_cities(
    inputs: Inputs,
    asset: int,
    n: int,
    trial: NDArray[np.intp],
    threat: NDArray[np.intp],
    miss: NDArray[np.float64],
    hit_lat: NDArray[np.float64],
    hit_lon: NDArray[np.float64],
) -> tuple[NDArray[np.intp], NDArray[np.bool_]]:
    """The cities some leaker aimed at ``asset`` could reach, and which are within the
    radius of one in each trial: (cities, (cities, n) bool)."""
    r = inputs.impact_radius_km
    none = (np.zeros(0, dtype=np.intp), np.zeros((0, n), dtype=bool))
    mine = np.flatnonzero(inputs.threat_asset[threat] == asset)
    if mine.size == 0:
        return none
    aims, aim_of = _aims(inputs, asset)
    group = aim_of[threat[mine]]  # each leaker's aim point, as an index into aims
    dist = haversine_km(
        aims[:, 0:1], aims[:, 1:2], inputs.city_lat_deg[None, :], inputs.city_lon_deg[None, :]
    )  # (aims, cities)
    reach = r + float(miss[mine].max()) + MARGIN_KM
    cand = np.flatnonzero((dist <= reach).any(axis=0))
    if cand.size == 0:
        return none
    hit = np.zeros((cand.size, n), dtype=bool)
    flat = hit.reshape(-1)
    for g in range(aims.shape[0]):
        at = mine[group == g]
        if at.size == 0:
            continue
        d_g = dist[g, cand]
        order = np.argsort(d_g, kind="stable")
        d_sorted = d_g[order]
        m = miss[at]
        inside = np.searchsorted(d_sorted, (r - MARGIN_KM) - m, side="right")
        beyond = np.searchsorted(d_sorted, (r + MARGIN_KM) + m, side="right")
        # surely within: the first `inside` cities by distance from the aim point
        most = np.zeros(n, dtype=np.intp)
        np.maximum.at(most, trial[at], inside)
        rank = np.empty(cand.size, dtype=np.intp)
        rank[order] = np.arange(cand.size)
        hit |= rank[:, None] < most[None, :]
        # in between: the distance decides
        width = beyond - inside
        pairs = int(width.sum())
        if pairs:
            who = np.repeat(np.arange(at.size), width)
            start = np.cumsum(width) - width
            pos = inside[who] + (np.arange(pairs) - start[who])
            city = order[pos]
            leaker = at[who]
            d = haversine_km(
                hit_lat[leaker],
                hit_lon[leaker],
                inputs.city_lat_deg[cand[city]],
                inputs.city_lon_deg[cand[city]],
            )
            near = d <= r
            flat[city[near] * n + trial[leaker[near]]] = True
    return cand, hit


def _people(
    inputs: Inputs, cities: NDArray[np.intp], hit: NDArray[np.bool_]
) -> NDArray[np.float64]:
    """Per trial, the population of the ``cities`` marked in ``hit`` (cities, n): an
    exact sum, as populations are whole numbers."""
    out: NDArray[np.float64] = inputs.city_population[cities] @ hit.astype(np.float64)
    return out


def _aims(inputs: Inputs, asset: int) -> tuple[NDArray[np.float64], NDArray[np.intp]]:
    """The distinct aim points of the threats at ``asset`` (aims, 2) and, per threat,
    the index of its aim point among them (-1 for threats at other assets)."""
    at = np.flatnonzero(inputs.threat_asset == asset)
    points = np.column_stack([inputs.threat_aim_lat_deg[at], inputs.threat_aim_lon_deg[at]])
    aims, inverse = np.unique(points, axis=0, return_inverse=True)
    aim_of = np.full(inputs.n_threats, -1, dtype=np.intp)
    aim_of[at] = inverse.reshape(-1)
    return aims, aim_of


def impacts_reference(inputs: Inputs, fate: NDArray[np.int8], rng: np.random.Generator) -> Outcomes:
    """The same as :func:`impacts`, one trial and one leaker at a time."""
    n = fate.shape[0]
    cep, north, east = impact_draws(inputs, rng, n)
    t_count, a_count = inputs.n_threats, inputs.n_assets
    lat = np.full((n, t_count), np.nan)
    lon = np.full((n, t_count), np.nan)
    per_asset = np.zeros((n, a_count))
    total = np.zeros(n)
    people = np.zeros((n, t_count))
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
                    people[trial, t] += float(inputs.city_population[city])
        every: set[int] = set()
        for a, cities in enumerate(hit_by_asset):
            per_asset[trial, a] = sum(float(inputs.city_population[c]) for c in sorted(cities))
            every |= cities
        total[trial] = sum(float(inputs.city_population[c]) for c in sorted(every))
    out: Outcomes = {
        "impact_lat_deg": lat,
        "impact_lon_deg": lon,
        "cep_km": cep,
        "population_near_impacts": per_asset,
        "population_near_impacts_total": total,
    }
    if inputs.casualty_area_km2 > 0:
        factor = casualty_factor(inputs)
        cas = np.zeros((n, a_count))
        cas_total = np.zeros(n)
        for trial in range(n):
            for t in range(t_count):
                e = people[trial, t] * factor
                cas[trial, int(inputs.threat_asset[t])] += e
                cas_total[trial] += e
        out["expected_casualties"] = cas
        out["expected_casualties_total"] = cas_total
    return out
