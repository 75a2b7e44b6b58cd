"""Benchmark: the vectorized air-base model against its reference implementation.

Times ``simulate()`` alone, in one process, on the shipped ``kadena-2010``
scenario (32 missiles, runway penetrators on two runways and a taxiway, bomblets on the
apron, two waves, phased repair with resupply), for the vectorized model (4,096 trials a
call) and the per-trial reference (20 trials a call), in alternation, four calls
each, in the same run; the fastest call of each counts (:func:`timing.rates`). Prints
trials per second and the ratio; the last line is JSON.
"""

from __future__ import annotations

import json
import platform
import sys
from pathlib import Path

import numpy as np
import yaml

from anpo.models.air_base import Inputs, simulate, simulate_reference
from anpo.scenario.air_base import AirBaseScenario, resolve
from timing import rates

SCENARIO = Path(__file__).parents[1] / "src" / "anpo" / "scenarios" / "kadena-2010.yaml"


def inputs() -> Inputs:
    sc = AirBaseScenario.model_validate(yaml.safe_load(SCENARIO.read_text()))
    assert sc.date != "today"
    resolved = resolve(sc, sc.date)
    return resolved.inputs


def main() -> None:
    data = inputs()
    check = np.random.SeedSequence(1)
    a = simulate(data, np.random.default_rng(check), 50)
    b = simulate_reference(data, np.random.default_rng(check), 50)
    assert all(np.array_equal(a[k], b[k]) for k in a), "vectorized and reference disagree"
    vec, ref = rates(simulate, simulate_reference, data, (4_096, 20), 4)
    print(
        f"kadena-2010 ({data.n_missiles} missiles), simulate() in one process "
        f"({platform.python_version()}, NumPy {np.__version__})"
    )
    print(f"  vectorized: {vec:12,.1f} trials/s")
    print(f"  reference:  {ref:12,.1f} trials/s")
    print(f"  ratio:      {vec / ref:12,.1f}x")
    sys.stdout.write(
        json.dumps(
            {
                "vectorized_trials_per_s": round(vec, 1),
                "reference_trials_per_s": round(ref, 2),
                "ratio": round(vec / ref, 1),
            }
        )
        + "\n"
    )


if __name__ == "__main__":
    main()
