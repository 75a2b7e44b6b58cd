"""Fixtures for the ASW barrier tests: a few transits against four platform groups."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from anpo.models.asw import Inputs
from anpo.models.distributions import Dist

F = Dist.fixed


def build(**over: Any) -> Inputs:
    """Five transits over three days against P-3Cs, destroyers, a submarine and helicopters."""
    kw: dict[str, Any] = {
        "sub_class": [0, 1, 1, 0, 1],
        "sub_day": [0, 0, 1, 2, 2],
        "sub_speed_km_h": [10.0, 12.0, 10.0, 8.0, 15.0],
        "class_sweep_factor": (F(1.0), Dist("uniform", (0.4, 0.8))),
        "platform_count": [2, 2, 1, 2],
        "platform_sweep_km": [4.0, 6.0, 8.0, 3.0],
        "platform_speed_km_h": [400.0, 15.0, 10.0, 120.0],
        "platform_pk": (F(0.5), Dist("uniform", (0.3, 0.6)), F(0.6), F(0.4)),
        "platform_counter": (F(0.05), F(0.3), F(0.4), F(0.1)),
        "platform_vulnerable": [False, True, True, False],
        "counter_kill": F(0.5),
        "shipping_sinkings": Dist("uniform", (0.5, 2.0)),
        "barrier_length_km": 250.0,
        "barrier_depth_km": 100.0,
        "n_days": 4,
        "labels": {
            "sub": ("ssk-1", "ssn-1", "ssn-2", "ssk-2", "ssn-3"),
            "class": ("ssk", "ssn"),
            "platform": ("p-3c", "ddg", "ss", "sh-60"),
            "day": ("day 1", "day 2", "day 3", "day 4"),
        },
    }
    kw.update(over)
    return Inputs(**kw)


@pytest.fixture(scope="session")
def make() -> Callable[..., Inputs]:
    """:func:`build`, for the tests."""
    return build
