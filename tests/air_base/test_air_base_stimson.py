"""anpo against the Stimson Center's *Cratering Effects* (2024): repeated strikes on runways.

Study
-----
K. A. Grieco, H. Slingbaum and J. M. Walker, *Cratering Effects: Chinese Missile Threats
to US Air Bases in the Indo-Pacific*, Stimson Center, 12 December 2024 (kb source
``stimson-cratering-2024``).

What the study states that could be recovered from public copies
----------------------------------------------------------------
From its executive summary, the authors' summary article of December 2024 ("No runways,
no sorties") and the Reuters report of 12 December 2024 (G. Doyle):

* S1: repeated missile strikes keep U.S. runways in Japan, Kadena included, closed to
  fighters for "close to the first two weeks" of a war; Reuters gives at least 11.7 days;
* S2: runways in Japan stay closed to tankers "for over a month";
* S3: Guam's runways stay closed to tankers and bombers for at least the first four days;
* S4: improved runway repair is among the countermeasures that do not solve the problem;
* S5: Guam's and the other Pacific islands' runways stay closed to fighters for 1.7 days
  (the Reuters report as carried by english.pardafas.com, 12 December 2024; "almost
  two days" in devdiscourse.com's summary of it).

Its raid sizes per base, targeting rule, crater model and repair rates were not
recovered, so a check can only ask: on assumed raids within the PLARF inventory the kb
gives for the date, does anpo's closure reach the study's figures, and under which
repair assumption?

Inputs, and which had to be assumed
-----------------------------------
* From anpo's kb: today's PLARF types, their CEP, reliability and reach, the inventory
  (SRBM 900, MRBM 1,300, IRBM in the hundreds), the bases' surfaces, the fighter strip
  (1,525 × 15 m) and Andersen's tanker strip (2,450 × 27 m; its 23-m taxiway does not
  qualify), the kb's RADR repair (3 crews, 3.5 h a standard crater, bomblet craters half
  a crater, materials and resupply sampled).
* Assumed: the catalogue's runway-penetrating submunitions on every missile; the study's
  "repeated strikes" as a first wave and then one wave a day, each landing 1 h after the
  base reopens but no earlier than its day (the model's rule: an on-reopen wave lands
  the lag after the reopening, no earlier than scheduled), every day of the period: 12
  DF-16 and 12 DF-21C a wave at Kadena for 14 days (336 missiles, within the kb's SRBM
  and MRBM inventory), 16 DF-26 a wave at Andersen for 4 days (64); the Kadena tanker
  strip taken as Andersen's (2,450 × 27 m); the older repair rates of the second case (2
  crews, 6 h a crater, every bomblet crater a full crater).

Results (seed 11, 200 trials; median closure, 5th-95th percentile)
-------------------------------------------------------------------
========================== ================= ============== =====================
case                        study             anpo, kb RADR  anpo, older repair
========================== ================= ============== =====================
Kadena, fighters, 14 d      ≥ 11.7 d (S1)     6.3 (4.0-10.5)  13.6 (13.1-13.8)
Kadena, tankers, 30 d       > 30 d (S2)       29.5 (22-29.8)  —
Andersen, tankers, 7 d      ≥ 4 d (S3)        2.2 (1.0-4.4)   6.9 (3.8-7.0)
Andersen, fighters, 7 d     1.7 d (S5)        0.5 (0-1.2)     1.0 (0-3.3)
========================== ================= ============== =====================

With the older repair rates anpo reaches S1-S3; with the kb's RADR it is
below S1 by 5.4 days and S3 by 1.8 days. The difference is the repair rate: RADR as the
kb describes it repairs the same craters in about a fifth of the crew-hours of the older
case. The kb's rate is not the outlier among published rates (kb ``repair.kadena``): it
gives a large crater the legacy standard's time (three large craters in four hours for a
base, about 1.2-1.3 base-hours each) and a small bomblet crater about four times the
team-hours of the RADR goal (120 small craters in 6.5 hours with up to eight teams,
erdc-adr-2012). The older case, 3 base-hours for every crater with each bomblet crater
counted as a large one, is slower than even the legacy standard. So the gap to the study
is in inputs it states and that were not recovered here (raid sizes per base, craters per
missile, its own repair rates), not a kb repair rate faster than the services publish.
Andersen is checked without its THAAD battery (the study's defences were not recovered;
with the battery fewer missiles arrive, see test_air_base_thaad).

Which input drives the gap (measured)
-------------------------------------
Paired runs on the Kadena fighter case (seed 11, 200 trials, the same random numbers;
one input changed at a time, the rest as the kb gives it; median closure of 14 days,
5th-95th in brackets):

====================================================== ==================
variant                                                 median (5th-95th)
====================================================== ==================
kb RADR (the baseline)                                  6.28 (4.0-10.5)
re-strike 1 h after every reopening, not daily          6.28 (4.0-10.6)
re-strike lag 6 h (instead of 1 h)                      6.28 (4.0-10.3)
materials unlimited                                     6.28 (4.0-10.5)
materials 50 craters, no resupply                       9.72 (6.4-12.6)
dud clearance 0.25 h a dud (kb high)                    6.39 (4.1-10.8)
dud clearance 1 h a dud                                 7.36 (4.6-13.1)
assessment 2 h and sweeping 2 h                         7.30 (5.2-11.4)
bomblet crater radius 4 m (catalogue high)              6.52 (4.2-10.9)
bomblet dud rate 0.15 (catalogue high)                  6.60 (4.3-10.9)
bomblet pattern radius 60 m / 100 m                     4.67 / 5.47
bomblets 20 / 60 a missile (catalogue range)            4.33 / 8.30
fighter strip 1,830 × 18 m (kb high)                    8.48 (5.4-12.8)
raid 6 + 6 a wave / 24 + 24 a wave                      4.34 / 9.75
two waves a day of 12 + 12 (672 missiles)               12.41 (7.9-13.2)
repair h fixed 3.5 (the kb's nominal, not drawn 2-6)    6.06 (4.3-8.8)
2 crews (instead of 2-6 drawn)                          9.14 (6.1-13.1)
6 h a crater (instead of 2-6 drawn)                     9.26 (6.5-13.1)
a bomblet crater a full crater (units 1, not 0.5)       10.01 (6.1-13.4)
2 crews and 6 h                                         12.88 (10.3-13.5)
older repair: 2 crews, 6 h, units 1                     13.63 (13.1-13.8)
====================================================== ==================

What this shows:

* The re-strike schedule does not drive the gap. Crews repair only the strip they
  choose, and craters elsewhere stay, so each wave closes the base for the time its
  crews need for the cheapest strip (assessment + duds · h_dud + h · ⌈U / c⌉ +
  sweeping; about 11 h a wave of 24 missiles here), whether the wave lands an hour
  after reopening or the next day; the closure is the sum over waves. Materials do
  not bind on this raid (unlimited materials change nothing).
* The driver is the repair time per crater in base-hours, units · h / c: the kb's
  draws average about 0.5 base-hours a bomblet crater (0.5 × 3.8 h / 3.7 crews), the
  older case 3.0 (1 × 6 h / 2), six times as much; each of its three factors alone
  moves the median by 2.9-3.7 days and together they reach the study. The only other
  lever as large is the attack size (missiles a day): the study's raid sizes per base
  were not recovered, and 672 missiles in 14 days reach the study on the kb's repair.
* Warhead parameters within the catalogue's ranges move the median by -2.0 to +2.0
  days; the strip size within the kb's range by +2.2 days.

So anpo is 5.4 days below the study because it repairs a bomblet crater in a sixth of
the base-hours the study's result needs at this raid size; whether the study assumes
slower repair, more craters a missile, or more missiles a day could not be told apart
from its public summary.

S2 anpo matches with either: a 2,450-m strip on a 3,689-m runway needs so much repaired
pavement that in about half the trials the materials run out.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import numpy as np
import yaml

from anpo import kb
from anpo.models.air_base import Inputs, simulate
from anpo.models.distributions import Dist
from anpo.scenario.air_base import AirBaseScenario
from anpo.scenario.air_base import resolve as _resolve
from anpo.scenario.common import attempt

SCENARIOS = Path(__file__).parents[2] / "src" / "anpo" / "scenarios"
KADENA, ANDERSEN = "Kadena Air Base", "Andersen Air Force Base"
TANKER_STRIP = {"mos_length_m": 2450.0, "mos_width_m": 27.0}
N = 200


def _daily_restrikes(
    name: str, base: str, groups: list[tuple[str, int]], days: int, horizon: int, **base_kw: Any
) -> Inputs:
    """A wave at hour 0, then one a day that lands on each reopening (1 h lag)."""
    raid = [
        {
            "missile": missile,
            "warhead_id": "runway-penetrating-submunitions",
            "count": count,
            "base": base,
            "target": "runways",
            "wave": w,
        }
        for w in range(days)
        for missile, count in groups
    ]
    data = yaml.safe_load((SCENARIOS / f"{name}.yaml").read_text())
    data.update(
        bases=[{"name": base, **base_kw}],
        raid=raid,
        waves_h=[24.0 * w for w in range(days)],
        waves_on_reopen=list(range(1, days)),
        restrike_lag_h=1.0,
        horizon_days=horizon,
    )
    sc = AirBaseScenario.model_validate(data)
    inputs, _, problems = attempt(_resolve, sc, kb.KB_AS_OF)
    assert problems == [], problems  # the raid is within the kb's inventory on the date
    assert isinstance(inputs, Inputs)
    return inputs


def _older(inputs: Inputs) -> Inputs:
    return dataclasses.replace(
        inputs,
        repair_crews=(Dist.fixed(2.0),),
        repair_h=(Dist.fixed(6.0),),
        type_repair_units=np.ones(inputs.n_types),
    )


def _median_days(inputs: Inputs) -> float:
    out = simulate(inputs, np.random.default_rng(np.random.SeedSequence(11)), N)
    return float(np.median(out["hours_closed"][:, 0] / 24.0))


KADENA_RAID = [("df-16", 12), ("df-21c", 12)]


def test_kadena_closed_to_fighters_for_close_to_two_weeks_only_with_the_older_repair() -> None:
    """S1, at least 11.7 days of 14. anpo: 13.6 with the older rates (within the study);
    6.28 with the kb's RADR, 5.4 days below it (asserted 6.0-6.6). Why, measured (see the
    module's table and the two tests below): the repair time per crater, about 0.5 base-
    hours a bomblet crater in the kb against 3.0 in the older case; neither the re-strike
    schedule nor materials nor the warhead within its ranges closes the gap. The kb's
    repair follows the services' published rates; the study's own raid and repair inputs
    were not recovered."""
    inputs = _daily_restrikes("kadena-today", KADENA, KADENA_RAID, 14, 14)
    older = _median_days(_older(inputs))
    radr = _median_days(inputs)
    assert older >= 11.7, f"older repair: {older:.2f} d, below the study's 11.7"
    assert 6.0 <= radr <= 6.6, f"RADR: {radr:.2f} d, {11.7 - radr:.1f} d below the study"


def test_the_restrike_schedule_does_not_drive_the_kadena_gap() -> None:
    """Paired (seed 11): the same 14 waves landing 1 h after every reopening, instead of
    no earlier than their day, give the same median (6.28 d), and a 6-h lag too; so do
    unlimited materials. Each wave buys the repair time of the cheapest strip whenever it
    lands, because crews repair only that strip (see the module)."""
    inputs = _daily_restrikes("kadena-today", KADENA, KADENA_RAID, 14, 14)
    base = _median_days(inputs)
    on_reopen = dataclasses.replace(inputs, wave_time_h=np.zeros(inputs.wave_time_h.size))
    assert _median_days(on_reopen) == base
    assert _median_days(dataclasses.replace(inputs, restrike_lag_h=6.0)) == base
    unlimited = dataclasses.replace(inputs, repair_materials=(Dist.fixed(1e6),))
    assert _median_days(unlimited) == base


def test_the_kadena_gap_is_the_repair_time_per_crater() -> None:
    """Paired (seed 11), one repair factor at a time from the kb's RADR (6.28 d): 2 crews
    9.14 d, 6 h a crater 9.26 d, a bomblet crater a full one 10.01 d; two of them 12.88 d
    and all three (the older case) 13.63 d, the only repair changes that reach the
    study's 11.7. Asserted: each factor alone adds 2.5-4.0 days and leaves the median
    below the study; two together reach it."""
    inputs = _daily_restrikes("kadena-today", KADENA, KADENA_RAID, 14, 14)
    base = _median_days(inputs)
    singles = [
        dataclasses.replace(inputs, repair_crews=(Dist.fixed(2.0),)),
        dataclasses.replace(inputs, repair_h=(Dist.fixed(6.0),)),
        dataclasses.replace(inputs, type_repair_units=np.ones(inputs.n_types)),
    ]
    for variant in singles:
        days = _median_days(variant)
        assert 2.5 <= days - base <= 4.0 and days < 11.7, days
    both = dataclasses.replace(inputs, repair_crews=(Dist.fixed(2.0),), repair_h=(Dist.fixed(6.0),))
    assert _median_days(both) >= 11.7


def test_kadena_closed_to_tankers_for_the_month() -> None:
    """S2, over a month. anpo: median 29.5 of 30 days (5th-95th 22.0-29.8) even with the
    kb's RADR: of 200 trials 97 end out of repair materials, 54 still repairing and 49
    reopened late in the month. Asserted: median at least 28 days."""
    inputs = _daily_restrikes("kadena-today", KADENA, KADENA_RAID, 14, 30, **TANKER_STRIP)
    out = simulate(inputs, np.random.default_rng(np.random.SeedSequence(11)), N)
    days = out["hours_closed"][:, 0] / 24.0
    assert float(np.median(days)) >= 28.0, float(np.median(days))


def test_andersen_closed_to_tankers_for_four_days_only_with_the_older_repair() -> None:
    """S3, at least the first four days. anpo: 6.9 of 7 days with the older rates (within
    the study); 2.2 with the kb's RADR (asserted 1.9-2.5), 1.8 days below it (paired,
    seed 11: 2 crews 3.5 d, 6 h a crater 3.4 d, full bomblet craters 3.6 d, re-strike on
    every reopening 2.2 d): the repair rate, the kb's following the published rates and
    the older case slower than the legacy standard (see the module), with no THAAD at
    Andersen here (the study's defences unknown)."""
    inputs = _daily_restrikes("andersen-today", ANDERSEN, [("df-26", 16)], 4, 7)
    assert inputs.mos_width_m.tolist() == [27.0]  # Andersen's tanker strip, from the kb
    older = _median_days(_older(inputs))
    radr = _median_days(inputs)
    assert older >= 4.0, f"older repair: {older:.2f} d, below the study's 4"
    assert 1.9 <= radr <= 2.5, f"RADR: {radr:.2f} d, {4.0 - radr:.1f} d below the study"


def test_andersen_closed_to_fighters_below_the_studys_two_days() -> None:
    """S5, 1.7 days. anpo (same raid as S3, fighter strip 1,525 × 15 m, seed 11): 0.50
    d with the kb's RADR (5th-95th 0-1.2), 0.98 d with the older rates, so 1.2 and 0.7
    days below the study. Why, measured: the raid size, not only the repair. Two runways
    (3,218 and 3,409 m) and the 3,000 × 23 m taxiway all take a fighter strip, so a wave
    must cut three surfaces twice each; 16 DF-26 a wave (the assumed raid, the study's
    not recovered) leave a strip open in over 5 % of trials. Twice the raid, 32 a wave,
    gives 0.98 d (kb) and 2.78 d (older), the latter above the study. Asserted: the
    medians within 0.2 d of those measured."""
    f = {"mos_length_m": 1525.0, "mos_width_m": 15.0}
    inputs = _daily_restrikes("andersen-today", ANDERSEN, [("df-26", 16)], 4, 7, **f)
    assert abs(_median_days(inputs) - 0.50) <= 0.2
    assert abs(_median_days(_older(inputs)) - 0.98) <= 0.2
    double = _daily_restrikes("andersen-today", ANDERSEN, [("df-26", 32)], 4, 7, **f)
    assert abs(_median_days(double) - 0.98) <= 0.2
    assert _median_days(_older(double)) >= 1.7
