"""anpo against RAND's *U.S.-China Military Scorecard*, ch. 3 (Chinese attacks on air bases).

Study
-----
E. Heginbotham et al., *The U.S.-China Military Scorecard: Forces, Geography, and the
Evolving Balance of Power, 1996-2017*, RAND RR-392-AF, 2015, ch. 3 (kb source
``rand-scorecard-2015``), and its research summary *Chinese Attacks on U.S. Air Bases in
Asia: An Assessment of Relative Capabilities, 1996-2017*, RAND RB-9858/2-AF, 14 September
2015 (https://www.rand.org/pubs/research_briefs/RB9858z2.html).

What the study states that could be recovered from public copies
----------------------------------------------------------------
1. (summary, "Focus on Chinese attacks on U.S. air bases") In 1996 the PLA had only a
   handful of short-range ballistic missiles, able to strike Taiwan and Korea; its
   missiles could not reach U.S. bases in Japan. By 2015 it fielded more than 1,200 SRBMs
   with medium-range ballistic missiles and ground-launched cruise missiles able to
   target U.S. bases in Japan; Guam could be struck only with air-launched cruise
   missiles.
2. (ch. 3, parking attack, as carried by the later public studies that reuse its
   inputs: Leonard 2017, pp. 49-53, and the code of ``drewleonard/gov90-monte-carlo`` and
   ``xstevenli/df26montecarlo``, whose constants are marked "from Heginbotham") a
   ballistic submunition payload covers a disk of 450 ft (137.16 m) radius and kills a
   parked aircraft inside it with single-shot probability 0.7-0.9; the aircraft
   destroyed by one missile are that probability times the aircraft under the pattern.
3. (ch. 3, runway attack, as issue 13 and the earlier check in
   :mod:`test_air_base_studies` read it) a raid of about a hundred MRBMs with runway-
   cratering submunitions closes Kadena's runways for "several days to weeks".

Not recovered: the chapter's tables of closure days by year and base (1996/2003/2010/
2017, Kadena and Andersen), its missiles-needed-per-closure figures and its crater and
repair parameters were in no public copy reachable offline. They are not asserted here;
a check that needs them is left to whoever holds the report (see the README).

Inputs, and which had to be assumed
-----------------------------------
* Taken from the study: the 450-ft pattern radius and the 0.7-0.9 kill probability
  (check 2); the MRBM (DF-21C) as the type that reaches Kadena (check 1).
* From anpo's kb (each sourced or labelled there): missile ranges, CEP (DF-21C 40 m
  nominal), reliability (0.9), launch areas, Kadena's runways (3,689 m; 91 and 61 m
  wide), apron, parked aircraft and their spacing (40 m), fighter strip 1,525 × 15 m.
* Assumed (the study's values not recovered): the raid of 108 DF-21C in one wave
  (issue 13's size); the catalogue's runway-penetrating submunitions (40 bomblets over
  80 m, 3 m craters, kb ``warheads.yaml``); the two repair cases of check 3 (older rapid
  runway repair, 2 crews, 6 h a crater, every bomblet crater a full crater; and the kb's
  RADR, 3 crews, 3.5 h, half a crater); 825 bomblets per parking pattern (Leonard's
  DF-26 count) with the bomblet lethal radius set so that random coverage gives the
  study's kill probability.

Tolerances are stated at each test; where anpo differs, the test says by how much and
why. The runway check differs most: with the kb's repair, sourced to the services' own
published rates (kb ``repair.kadena``: the legacy standard and the RADR goal), Kadena
closes for a median 1.2 days against the study's several days; the study is reached only
with repair slower than the legacy standard (5.9 days).

Which input drives the runway gap (measured)
--------------------------------------------
Paired runs on check 3 (108 DF-21C in one wave, seed 7, 300 trials, the same random
numbers; one input changed at a time from the kb's; median closure of 7 days, 5th-95th):

=========================================== ==================
variant                                      median (5th-95th)
=========================================== ==================
kb RADR (the baseline)                       1.17 (0.62-2.06)
materials unlimited, or 50 and no resupply   1.17 (0.62-2.06)
dud clearance 1 h a dud                      1.46 (0.78-2.92)
fighter strip 1,830 × 18 m (kb high)         1.72 (0.94-2.94)
bomblets 20 / 60 a missile (catalogue)       0.65 / 1.69
2 crews (instead of 2-6 drawn)               1.90 (0.99-3.11)
6 h a crater (instead of 2-6 drawn)          1.85 (0.95-2.94)
a bomblet crater a full crater (units 1)     2.11 (1.04-3.76)
2 crews and 6 h                              3.10 (1.63-4.33)
older repair: 2 crews, 6 h, units 1          5.85 (3.12-7.00)
=========================================== ==================

One wave closes the base for the time its crews need to repair the cheapest strip, so
the closure grows about in proportion to the repair time per crater in base-hours
(units · h / crews: about 0.5 in the kb's draws, 3.0 in the older case, 5.7 times as
much; the median 5.0 times, the horizon capping the slowest trials). Materials never
bind on this raid; warhead parameters and the strip size within their kb ranges move the
median by at most 0.6 days. The study's "several days" needs some 3 base-hours a
bomblet crater on this raid, or a raid several times the size: the gap is the repair
rate against the crater count, and which of the two the study sets differently could
not be recovered.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import yaml

from anpo import kb
from anpo.models.air_base import APRON, Inputs, pattern_kill_probability, simulate
from anpo.models.distributions import Dist
from anpo.scenario.air_base import AirBaseScenario
from anpo.scenario.air_base import resolve as _resolve
from anpo.scenario.common import attempt

SCENARIOS = Path(__file__).parents[2] / "src" / "anpo" / "scenarios"
KADENA, ANDERSEN = "Kadena Air Base", "Andersen Air Force Base"
PATTERN_RADIUS_M = 450.0 / 3.2808  # the study's 450 ft
SSPK = (0.7, 0.9)  # the study's kill probability of a parked aircraft inside the pattern
BOMBLETS = 825  # assumed (Leonard's DF-26 payload)
N = 300


def _problems(name: str, **change: Any) -> tuple[Inputs | None, list[Any]]:
    data = yaml.safe_load((SCENARIOS / f"{name}.yaml").read_text())
    data.update(change)
    sc = AirBaseScenario.model_validate(data)
    day = kb.KB_AS_OF if sc.date == "today" else sc.date
    inputs, _, problems = attempt(_resolve, sc, day)
    return inputs, problems


def _inputs(name: str, **change: Any) -> Inputs:
    inputs, problems = _problems(name, **change)
    assert problems == [] and inputs is not None
    return inputs


def _group(missile: str, base: str, **more: Any) -> dict[str, Any]:
    return {"missile": missile, "count": 1, "base": base, "target": "runways", **more}


def _in_service(day: dt.date) -> list[str]:
    return sorted(r.data["id_short"] for r in kb.load().at(day, "plarf_missile"))


# -- check 1: which bases the PLARF's ground-launched missiles reach, by year -------------


def test_srbms_do_not_reach_kadena_and_mrbms_and_glcms_do_2010() -> None:
    """Study: SRBMs reach Taiwan, not U.S. bases in Japan; MRBMs and GLCMs do. anpo: the
    DF-15B (the SRBM of the 1996 raids' family) is refused at Kadena for its range; the
    DF-21C and the CJ-10 resolve. Exact (a yes or no per type)."""
    _, problems = _problems(
        "kadena-2010", raid=[_group("df-15b", KADENA, warhead="submunition")], waves_h=[0]
    )
    assert len(problems) == 1 and "cannot reach Kadena" in str(problems[0])
    for missile in ("df-21c", "cj-10"):
        _inputs("kadena-2010", raid=[_group(missile, KADENA)], waves_h=[0])


def test_no_ground_launched_missile_reaches_andersen_in_2010_the_df26_does_today() -> None:
    """Study: in its period Guam could be struck only by air-launched cruise missiles.
    anpo's kb holds ground-launched types only: on 2010-01-01 every one of them is refused
    at Andersen for its range (so anpo shows no closure there: an ALCM raid would have to
    be given explicitly); today the DF-26 (in service from 2016) reaches it. Exact."""
    day = dt.date(2010, 1, 1)
    types = _in_service(day)
    assert types  # the kb's PLARF records hold on the date
    for missile in types:
        _, problems = _problems(
            "andersen-today",
            date=str(day),
            raid=[_group(missile, ANDERSEN)],
            waves_h=[0],
        )
        assert any("cannot reach Andersen" in str(p) for p in problems), (missile, problems)
    _inputs("andersen-today", raid=[_group("df-26", ANDERSEN)], waves_h=[0])


# -- check 2: aircraft parked in the open --------------------------------------------------


def _parking_inputs(sspk: float, count: int) -> Inputs:
    lethal = PATTERN_RADIUS_M * math.sqrt(-math.log1p(-sspk) / BOMBLETS)
    group = {
        "missile": "df-21c",
        "warhead_id": "anti-materiel-bomblets-mrbm",
        "warhead_params": {
            "bomblets": BOMBLETS,
            "pattern_radius_m": PATTERN_RADIUS_M,
            "lethal_radius_m": lethal,
            "damage_radius_m": lethal,
        },
        "count": count,
        "base": KADENA,
        "target": "parking",
    }
    return _inputs("kadena-2010", raid=[group], waves_h=[0])


def _under_pattern(inputs: Inputs, i: int) -> int:
    """Aircraft in the open within the pattern radius of missile i's aim point."""
    open_ = ~inputs.aircraft_sheltered
    dx = inputs.aircraft_x_m[open_] - inputs.missile_aim_x_m[i]
    dy = inputs.aircraft_y_m[open_] - inputs.missile_aim_y_m[i]
    return int(np.count_nonzero(dx * dx + dy * dy <= PATTERN_RADIUS_M**2))


@pytest.mark.parametrize("sspk", SSPK)
def test_one_missile_destroys_the_studys_share_of_the_aircraft_under_its_pattern(
    sspk: float,
) -> None:
    """Study: aircraft destroyed by one missile = SSPK × aircraft under the 137-m pattern,
    SSPK 0.7-0.9. anpo, on the study's pattern and kill probability (mapped to random
    coverage, exact: asserted to 1e-9), with Kadena's kb apron: per missile that arrives,
    within 20 % below and 2 % above the study's rule at the aim point (12 aircraft under
    the pattern: 8.4 and 10.8 destroyed). anpo is lower, by 12.5 % at Kadena (7.35 and
    9.44), because its impact misses the aim point (DF-21C CEP 40 m
    nominal, 20-100 m drawn), which moves part of the pattern off the two rows of parked
    aircraft; the study's rule counts the aircraft under a pattern centred on its aim."""
    inputs = _parking_inputs(sspk, 1)
    assert math.isclose(pattern_kill_probability(inputs, 0), sspk, rel_tol=1e-9)
    study = sspk * _under_pattern(inputs, 0)
    assert study > 5  # the pattern covers a dense part of the apron
    out = simulate(inputs, np.random.default_rng(np.random.SeedSequence(3)), 4000)
    per_missile = out["aircraft_destroyed"].sum() / out["missiles_arrived"].sum()
    assert 0.80 * study <= per_missile <= 1.02 * study, (sspk, per_missile, study)


def test_a_raid_on_the_apron_destroys_within_the_studys_kill_probability_range() -> None:
    """Study: 0.7-0.9 of the aircraft covered are destroyed (one pattern per aircraft).
    anpo: 12 DF-21C aimed by its planner at Kadena's parking cells (most aircraft first)
    cover all 56 aircraft in the open; the share destroyed is 0.81 for SSPK 0.7 and 0.91
    for 0.9 (seed 4, 300 trials). For 0.9 that is the study's figure; for 0.7 anpo is
    0.11 higher because its patterns overlap (12 of 137 m radius on a 1,500 × 300 m
    apron) and an aircraft under two survives with (1 − SSPK)², which the study's
    one-pattern rule leaves out. Asserted: between SSPK − 0.05 (the miss loss of the test
    above) and 1 − (1 − SSPK)² (every aircraft under two patterns), rising with SSPK."""
    shares = []
    for sspk in SSPK:
        inputs = _parking_inputs(sspk, 12)
        open_ = ~inputs.aircraft_sheltered
        covered = np.zeros(int(open_.sum()), dtype=bool)
        for i in range(inputs.n_missiles):
            assert inputs.missile_target_kind[i] == APRON
            dx = inputs.aircraft_x_m[open_] - inputs.missile_aim_x_m[i]
            dy = inputs.aircraft_y_m[open_] - inputs.missile_aim_y_m[i]
            covered |= dx * dx + dy * dy <= PATTERN_RADIUS_M**2
        out = simulate(inputs, np.random.default_rng(np.random.SeedSequence(4)), N)
        share = float(out["aircraft_destroyed"].mean()) / int(covered.sum())
        shares.append(share)
        assert sspk - 0.05 <= share <= 1.0 - (1.0 - sspk) ** 2, (sspk, share)
    assert shares[0] < shares[1]


# -- check 3: runways ----------------------------------------------------------------------


def _median_days(inputs: Inputs) -> float:
    out = simulate(inputs, np.random.default_rng(np.random.SeedSequence(7)), N)
    return float(np.median(out["hours_closed"][:, 0] / 24.0))


def test_a_hundred_mrbms_close_kadena_for_days_with_the_older_repair_rates() -> None:
    """Study: about a hundred MRBMs with runway submunitions close Kadena for several days
    to weeks. anpo, 108 DF-21C in one wave (assumed inputs above), 7-day horizon:

    * older rapid-runway-repair rates (2 crews, 6 h a crater, full craters): median
      closure at least 3 days (measured 5.85, asserted 5.5-6.2; 5th-95th 3.1-7, the horizon): within
      "several days to weeks";
    * the kb's RADR (3 crews, 3.5 h, half craters): 1.0-1.35 days (measured 1.17), below
      the study by 2.5 days or more. The difference is the repair rate assumed, not the
      damage: the same craters take a fifth of the crew-hours.

    Which repair rate is the outlier? Not the kb's, by the published rates (kb
    ``repair.kadena``): the legacy standard, three large craters in four hours for a base
    (about 1.3 base-hours a large crater), is what the kb gives a large crater (3.5 crew-
    hours over 3 crews, 1.2 base-hours), and the RADR goal, 120 small craters in 6.5 hours
    with up to eight teams (erdc-adr-2012), is some four times faster per team than the
    kb's 1.75 crew-hours a bomblet crater. The older case that reaches the study (3 base-
    hours for every crater, each bomblet crater a large one) is slower than the legacy
    standard. So anpo differs from the study by 4.7 days (1.2 against 5.9 reached only
    with that slow repair) because of inputs the study states and this test could not
    recover (its craters per missile, crater sizes and repair model), not because the
    kb's repair is faster than the services say theirs is.
    """
    raid = [
        {
            "missile": "df-21c",
            "warhead_id": "runway-penetrating-submunitions",
            "count": 108,
            "base": KADENA,
            "target": "runways",
        }
    ]
    inputs = _inputs("kadena-2010", raid=raid, waves_h=[0])
    older = _median_days(
        dataclasses.replace(
            inputs,
            repair_crews=(Dist.fixed(2.0),),
            repair_h=(Dist.fixed(6.0),),
            type_repair_units=np.ones(inputs.n_types),
        )
    )
    radr = _median_days(inputs)
    assert older >= 3.0, f"older repair: {older:.2f} d, below the study's several days"
    assert 5.5 <= older <= 6.2, older  # measured 5.85
    assert 1.0 <= radr <= 1.35, radr  # measured 1.17
    assert older - radr >= 4.0, f"RADR is {older - radr:.2f} d below the older rates"


def test_the_kadena_runway_gap_is_the_repair_time_per_crater_not_the_materials() -> None:
    """Paired (seed 7), from the kb's RADR (1.17 d): unlimited materials change nothing;
    2 crews 1.90 d, 6 h a crater 1.85 d, full bomblet craters 2.11 d, all three 5.85 d
    (see the module's table). Asserted: materials exactly neutral; each repair factor
    alone adds 0.5-1.2 days and stays below the study's several days (3); all three
    together reach it."""
    raid = [
        {
            "missile": "df-21c",
            "warhead_id": "runway-penetrating-submunitions",
            "count": 108,
            "base": KADENA,
            "target": "runways",
        }
    ]
    inputs = _inputs("kadena-2010", raid=raid, waves_h=[0])
    base = _median_days(inputs)
    unlimited = dataclasses.replace(inputs, repair_materials=(Dist.fixed(1e6),))
    assert _median_days(unlimited) == base
    for variant in (
        dataclasses.replace(inputs, repair_crews=(Dist.fixed(2.0),)),
        dataclasses.replace(inputs, repair_h=(Dist.fixed(6.0),)),
        dataclasses.replace(inputs, type_repair_units=np.ones(inputs.n_types)),
    ):
        days = _median_days(variant)
        assert 0.5 <= days - base <= 1.2 and days < 3.0, days
