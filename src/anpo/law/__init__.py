"""Legal authority: given a date and a situation, which party may do what, and why.

The layer sits on the knowledge base's law records (:mod:`anpo.kb.law`) and knows
nothing of Monte Carlo. :mod:`anpo.law.engine` computes each answer from the rules the
records carry; :mod:`anpo.law.timeline` lists and plots the dated events.
"""

from anpo.law.engine import (
    Answer,
    Change,
    LawEngine,
    authority,
    diff,
    may_engage,
    parse_date,
    realignment,
    sharing_in_force,
)
from anpo.law.timeline import plot_timeline, timeline

__all__ = [
    "Answer",
    "Change",
    "LawEngine",
    "authority",
    "diff",
    "may_engage",
    "parse_date",
    "plot_timeline",
    "realignment",
    "sharing_in_force",
    "timeline",
]
