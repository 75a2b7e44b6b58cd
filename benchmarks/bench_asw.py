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

from anpo.models.asw import simulate, simulate_reference
from timing import report, shipped_inputs


def main() -> None:
    data = shipped_inputs("miyako-barrier-today")
    report("miyako-barrier-today", simulate, simulate_reference, data, (4096, 40))


if __name__ == "__main__":
    main()
