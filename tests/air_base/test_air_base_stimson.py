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
* S4: improved runway repair is among the countermeasures that do not solve the problem.

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
  "repeated strikes" as a first wave and then a wave on each reopening (1 h after it,
  no later than the next day), every day of the period: 12 DF-16 and 12 DF-21C a wave
  at Kadena for 14 days (336 missiles, within the kb's SRBM and MRBM inventory), 16
  DF-26 a wave at Andersen for 4 days (64); the Kadena tanker strip taken as Andersen's
  (2,450 × 27 m); the older repair rates of the second case (2 crews, 6 h a crater,
  every bomblet crater a full crater).

Results (seed 11, 200 trials; median closure, 5th-95th percentile)
-------------------------------------------------------------------
========================== ================= ============== =====================
case                        study             anpo, kb RADR  anpo, older repair
========================== ================= ============== =====================
Kadena, fighters, 14 d      ≥ 11.7 d (S1)     6.3 (4.0-10.5)  13.6 (13.1-13.8)
Kadena, tankers, 30 d       > 30 d (S2)       29.5 (22-29.8)  —
Andersen, tankers, 7 d      ≥ 4 d (S3)        2.2 (1.0-4.4)   6.9 (3.8-7.0)
========================== ================= ============== =====================

With the older repair rates anpo reaches the study's figures; with the kb's RADR it is
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
    6.3 with the kb's RADR, 5.4 days below it. Why: the kb's repair follows the services'
    published rates (legacy standard for a large crater, slower than the RADR goal for a
    small one), and the older case that reaches the study is slower than the legacy
    standard; the study's own raid and repair inputs were not recovered (see the module)."""
    inputs = _daily_restrikes("kadena-today", KADENA, KADENA_RAID, 14, 14)
    older = _median_days(_older(inputs))
    radr = _median_days(inputs)
    assert older >= 11.7, f"older repair: {older:.2f} d, below the study's 11.7"
    assert 4.0 <= radr <= 9.0, f"RADR: {radr:.2f} d, {11.7 - radr:.1f} d below the study"


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
    the study); 2.2 with the kb's RADR, 1.8 days below it: the repair rate, the kb's
    following the published rates and the older case slower than the legacy standard
    (see the module), with no THAAD at Andersen here (the study's defences unknown)."""
    inputs = _daily_restrikes("andersen-today", ANDERSEN, [("df-26", 16)], 4, 7)
    assert inputs.mos_width_m.tolist() == [27.0]  # Andersen's tanker strip, from the kb
    older = _median_days(_older(inputs))
    radr = _median_days(inputs)
    assert older >= 4.0, f"older repair: {older:.2f} d, below the study's 4"
    assert 1.5 <= radr <= 3.5, f"RADR: {radr:.2f} d, {4.0 - radr:.1f} d below the study"
