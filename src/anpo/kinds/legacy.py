"""Adapters from the resolvers' former tuple contract to :class:`Resolution`.

A resolver written as ``resolve(spec, day) -> (inputs, ledger, problems[, geometry])``
becomes a :data:`~anpo.kinds.base.Resolver` that raises its problems.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from anpo.errors import ScenarioError
from anpo.kinds.base import Resolver
from anpo.scenario.common import Resolution

TupleResolver = Callable[[Any, dt.date], tuple[Any, ...]]


def resolver(fn: TupleResolver) -> Resolver:
    """``fn``'s inputs and ledger as a :class:`Resolution`; its problems raised."""

    def resolve(spec: Any, day: dt.date) -> Resolution:
        inputs, ledger, problems, *_ = fn(spec, day)
        if problems:
            raise ScenarioError("", list(problems))
        return Resolution(inputs=inputs, ledger=tuple(ledger))

    return resolve
