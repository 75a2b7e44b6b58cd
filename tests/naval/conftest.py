"""Fixtures for the surface-action tests: a small allied group against a PLA Navy group."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from anpo.models.distributions import Dist
from anpo.models.naval import Inputs

F = Dist.fixed


def build(**over: Any) -> Inputs:
    """Two allied destroyers and a frigate against four PLA destroyers (groups 0, 1 | 2)."""
    kw: dict[str, Any] = {
        "ship_group": [0, 0, 1, 2, 2, 2, 2],
        "group_side": [0, 0, 1],
        "ship_salvo": [8, 8, 4, 8, 8, 8, 8],
        "ship_missiles": [16, 16, 8, 16, 16, 16, 16],
        "ship_defence": [8, 8, 2, 4, 4, 4, 4],
        "ship_interceptors": [64, 64, 16, 32, 32, 32, 32],
        "targeting": [[0, 0, 1], [0, 0, 1], [0.7, 0.3, 0]],
        "p_hit": (Dist("triangular", (0.5, 0.7, 0.9)), F(0.7), F(0.6)),
        "staying_power": (F(2.0), F(1.5), Dist("uniform", (1.0, 2.5))),
        "p_soft": (F(0.2), F(0.1)),
        "sspk": (Dist("uniform", (0.5, 0.8)), F(0.5)),
        "shots": [2, 1],
        "scouting_rate_per_h": [0.5, 0.3],
        "simultaneous_h": 0.5,
        "n_exchanges": 3,
        "labels": {
            "ship": ("ddg-1", "ddg-2", "ffg-1", "pla-1", "pla-2", "pla-3", "pla-4"),
            "group": ("ddg", "ffg", "pla-ddg"),
            "side": ("allied", "pla"),
            "exchange": ("salvo 1", "salvo 2", "salvo 3"),
        },
    }
    kw.update(over)
    return Inputs(**kw)


@pytest.fixture(scope="session")
def make() -> Callable[..., Inputs]:
    """:func:`build`, for the tests."""
    return build
