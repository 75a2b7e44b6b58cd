"""Missile defence: a ballistic-missile raid against a layered defence (Wilkening 1999).

See :mod:`.model` for the equations and doctrine, :mod:`.reference` for the
per-trial reference implementation and :mod:`.inputs` for the inputs, outcomes
and random-number layout.
"""

from anpo.models.missile_defense.inputs import (
    FATES,
    LOWER,
    OUTCOMES,
    REASONS,
    TIERS,
    UPPER,
    Draws,
    Inputs,
    draw,
)
from anpo.models.missile_defense.model import simulate
from anpo.models.missile_defense.reference import simulate_reference

KIND = "missile_defense"

__all__ = [
    "FATES",
    "KIND",
    "LOWER",
    "OUTCOMES",
    "REASONS",
    "TIERS",
    "UPPER",
    "Draws",
    "Inputs",
    "draw",
    "simulate",
    "simulate_reference",
]
