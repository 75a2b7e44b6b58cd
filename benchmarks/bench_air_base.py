"""Benchmark: the vectorized air-base model against its reference implementation.

Times ``simulate()`` alone, in one process, on the shipped ``kadena-2010``
scenario (32 missiles, runway penetrators on two runways and a taxiway, bomblets on the
apron, two waves, phased repair with resupply), for the vectorized model (4,096 trials a
call) and the per-trial reference (20 trials a call), in alternation, four calls
each, in the same run; the fastest call of each counts (:func:`timing.rates`). Prints
trials per second and the ratio; the last line is JSON.
"""

from __future__ import annotations

from anpo.models.air_base import simulate, simulate_reference
from timing import report, shipped_inputs


def main() -> None:
    data = shipped_inputs("kadena-2010")
    report(
        f"kadena-2010 ({data.n_missiles} missiles)", simulate, simulate_reference, data, (4_096, 20)
    )


if __name__ == "__main__":
    main()
