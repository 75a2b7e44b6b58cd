"""Benchmark: the vectorized air-superiority model against its reference implementation.

Times ``simulate()`` alone, in one process, on the shipped ``taiwan-strait-today``
scenario (20 fleets, 11 bases and the carriers, seven days, the three-wave raid on
Kadena through the composed air-base model), for the vectorized model (2,048 trials a
call) and the per-trial reference (10 trials a call; it runs the air-base model's own
reference), in alternation, three calls each; the fastest call of each counts
(:func:`timing.rates`). A second line times the same scenario without the raid, so the
air-combat loop's own ratio shows apart from the composed model's. The last line is
JSON. Floor: 50x.
"""

from __future__ import annotations

import json
import platform
import sys
from dataclasses import replace
from pathlib import Path

import numpy as np
import yaml

from anpo.kb import KB_AS_OF
from anpo.models.air_superiority import Inputs, simulate, simulate_reference
from anpo.scenario.air_superiority import AirSuperiorityScenario, resolve
from timing import rates

SCENARIO = Path(__file__).parents[1] / "src" / "anpo" / "scenarios" / "taiwan-strait-today.yaml"
FLOOR = 50.0


def inputs() -> Inputs:
    sc = AirSuperiorityScenario.model_validate(yaml.safe_load(SCENARIO.read_text()))
    out = resolve(sc, KB_AS_OF).inputs
    assert isinstance(out, Inputs)
    return out


def main() -> None:
    data = inputs()
    check = np.random.SeedSequence(1)
    a = simulate(data, np.random.default_rng(check), 8)
    b = simulate_reference(data, np.random.default_rng(check), 8)
    assert all(np.array_equal(a[k], b[k]) for k in a), "vectorized and reference disagree"
    vec, ref = rates(simulate, simulate_reference, data, (2_048, 10), 3)
    no_raid = replace(data, air_base=None)
    vec0, ref0 = rates(simulate, simulate_reference, no_raid, (2_048, 200), 3)
    print(
        f"taiwan-strait-today ({len(data.fleet_side)} fleets, {data.days} days), simulate() "
        f"in one process ({platform.python_version()}, NumPy {np.__version__})"
    )
    print(f"  vectorized: {vec:12,.1f} trials/s   reference: {ref:10,.1f} trials/s")
    print(f"  ratio:      {vec / ref:12,.1f}x (floor {FLOOR:g}x)")
    print(
        f"  without the raid: {vec0:,.1f} against {ref0:,.1f} trials/s, {vec0 / ref0:,.1f}x "
        f"(floor {FLOOR:g}x)"
    )
    sys.stdout.write(
        json.dumps(
            {
                "vectorized_trials_per_s": round(vec, 1),
                "reference_trials_per_s": round(ref, 2),
                "ratio": round(vec / ref, 1),
                "ratio_without_raid": round(vec0 / ref0, 1),
            }
        )
        + "\n"
    )
    for label, ratio in (("", vec / ref), (" without the raid", vec0 / ref0)):
        if ratio < FLOOR:
            raise SystemExit(f"ratio{label} {ratio:.1f}x is under the floor of {FLOOR:g}x")


if __name__ == "__main__":
    main()
