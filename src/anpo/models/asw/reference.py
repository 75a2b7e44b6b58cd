"""The ASW barrier model one trial, one transit and one detection at a time.

A plain reading of :mod:`.model`: the same draws, the same order of events,
Python loops instead of arrays; it must agree exactly with the vectorized model.
"""

from __future__ import annotations

import math

import numpy as np

from anpo.models.asw.inputs import KILLED, THROUGH_DETECTED, THROUGH_UNDETECTED, Inputs, draw
from anpo.models.asw.model import outcomes
from anpo.models.base import Outcomes


def simulate_reference(inputs: Inputs, rng: np.random.Generator, n_trials: int) -> Outcomes:
    """The reference twin of :func:`anpo.models.asw.simulate`."""
    n, p_count, u_count = n_trials, inputs.n_platforms, inputs.n_subs
    d = draw(inputs, rng, n)
    base = inputs.base_rate_per_h
    tau = inputs.crossing_h
    detections = np.zeros((n, p_count), dtype=np.int64)
    kills = np.zeros((n, p_count), dtype=np.int64)
    lost = np.zeros((n, p_count), dtype=np.int64)
    fate = np.zeros((n, u_count), dtype=np.int8)
    for trial in range(n):
        for s in inputs.order():
            factor = float(d.factor[trial, int(inputs.sub_class[s])])
            times = []
            for p in range(p_count):
                avail = int(inputs.platform_count[p]) - int(lost[trial, p])
                rate = (avail * float(base[p, s])) * factor
                times.append(float(d.clock[trial, s, p]) / rate if rate > 0 else math.inf)
            seen = False
            fate[trial, s] = THROUGH_UNDETECTED
            for p in sorted(range(p_count), key=lambda q: (times[q], q)):
                if not times[p] < float(tau[s]):
                    break
                seen = True
                detections[trial, p] += 1
                u_counter, u_kill, u_sink = (float(v) for v in d.u[trial, s, p])
                if u_counter < float(d.counter[trial, p]):
                    if bool(inputs.platform_vulnerable[p]) and u_sink < float(
                        d.counter_kill[trial]
                    ):
                        lost[trial, p] += 1
                    continue
                if u_kill < float(d.pk[trial, p]):
                    kills[trial, p] += 1
                    fate[trial, s] = KILLED
                    break
            if seen and fate[trial, s] != KILLED:
                fate[trial, s] = THROUGH_DETECTED
    return outcomes(inputs, d.sinkings, fate, detections, kills, lost, d.pk, d.factor)
