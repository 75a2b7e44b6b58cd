"""Benchmark: the vectorized asw model against its reference implementation.

Times ``simulate()`` alone, in one process, on the ``miyako-barrier-today``
scenario (12 transits against 6 platform groups over ten days), for the
vectorized model (4096 trials a call) and the per-trial reference (40 trials a
call), in alternation, four calls each, in the same run;
the fastest call of each counts (:func:`timing.rates`). Prints trials per second
and the ratio; the last line is JSON. The scenario is read from
``src/anpo/scenarios``.
"""

from __future__ import annotations

import json
import platform
import sys
from pathlib import Path

import numpy as np
import yaml

from anpo.kb import KB_AS_OF
from anpo.models.asw import Inputs, simulate, simulate_reference
from anpo.scenario.asw import AswScenario, resolve
from timing import rates

ROOT = Path(__file__).parents[1]
NAME = "miyako-barrier-today"


def inputs() -> Inputs:
    shipped = ROOT / "src" / "anpo" / "scenarios" / f"{NAME}.yaml"
    path = shipped
    sc = AswScenario.model_validate(yaml.safe_load(path.read_text()))
    day = KB_AS_OF if sc.date == "today" else sc.date
    resolved = resolve(sc, day)
    return resolved.inputs


def main() -> None:
    data = inputs()
    check = np.random.SeedSequence(1)
    a = simulate(data, np.random.default_rng(check), 50)
    b = simulate_reference(data, np.random.default_rng(check), 50)
    assert all(np.array_equal(a[k], b[k]) for k in a), "vectorized and reference disagree"
    vec, ref = rates(simulate, simulate_reference, data, (4096, 40), 4)
    print(
        f"{NAME}, simulate() in one process ({platform.python_version()}, NumPy {np.__version__})"
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
