"""Shared resolution section: the interceptor layers of a missile defence.

What every kind that fires interceptors needs to know, in one place: the magazine
loads the knowledge base records for a launcher type on a date, an interceptor's
single-shot kill probability (SSPK) and reliability as per-trial distributions, and
each tier's engagement doctrine (when its window opens and closes, how long one
engagement takes). The missile-defence and air-base resolvers both take these from
here, so the two kinds cannot drift apart.
"""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple

from anpo import kb
from anpo.errors import KnowledgeBaseError
from anpo.models.distributions import Dist
from anpo.scenario.common import range_dist


class TierTiming(NamedTuple):
    """A tier's engagement doctrine, in seconds from the threat's reference time."""

    window_open_s: float
    window_close_s: float
    engage_time_s: float


TIER_TIMING = {
    "upper": TierTiming(window_open_s=0.0, window_close_s=420.0, engage_time_s=180.0),
    "lower": TierTiming(window_open_s=0.0, window_close_s=60.0, engage_time_s=25.0),
}
"""Assumed engagement doctrine per tier (reasoning: :data:`TIMING_REASONING`)."""

TIMING_REASONING = (
    "Until flight paths are computed, every ship can engage every threat and every "
    "PAC-3 fire unit the threats aimed at its asset. Upper tier: a medium-range missile "
    "flies about 7-10 minutes to Japan and an SM-3 must be committed within roughly the "
    "first 7 minutes; one engagement (fly-out and kill assessment) takes about 3 minutes. "
    "Lower tier: PAC-3 engages in the last minute of flight; an engagement takes about 25 s."
)


def magazine_loads(
    base: kb.KnowledgeBase, day: dt.date, applies_to: str, interceptor: str | None = None
) -> list[kb.Record]:
    """The ``magazine_load`` records in force on ``day`` for a launcher type.

    Parameters
    ----------
    base, day
        The knowledge base and the date.
    applies_to
        The launcher type (a ship class, ``pac3-fire-unit``, ``thaad-battery``).
    interceptor
        Keep only the loads of this interceptor (None: every load).
    """
    return [
        r
        for r in base.at(day, "magazine_load")
        if r.data["applies_to"] == applies_to
        and (interceptor is None or r.data["interceptor"] == interceptor)
    ]


def magazine_load(
    base: kb.KnowledgeBase, day: dt.date, applies_to: str, interceptor: str
) -> kb.Record:
    """The first ``magazine_load`` of ``interceptor`` rounds for a launcher type on ``day``.

    Raises
    ------
    KnowledgeBaseError
        If the knowledge base records none.
    """
    loads = magazine_loads(base, day, applies_to, interceptor)
    if not loads:
        raise KnowledgeBaseError(f"no {interceptor} magazine_load for {applies_to} on {day}")
    return loads[0]


def kill_dists(record: kb.Record) -> tuple[Dist, Dist]:
    """An interceptor record's SSPK and reliability as per-trial distributions.

    Each is the record's range taken as a distribution (:func:`range_dist`); the
    probability that one interceptor kills its target is their product.
    """
    return range_dist(record.range("sspk")), range_dist(record.range("reliability"))
