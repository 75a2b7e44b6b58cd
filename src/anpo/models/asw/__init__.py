"""Anti-submarine warfare: submarine transits of a strait barrier (Koopman 1946).

See :mod:`.model` for the equations and order of events, :mod:`.reference` for
the per-trial reference and :mod:`.inputs` for the inputs, outcomes and draws.
"""

from anpo.models.asw.inputs import FATES, KILLED, OUTCOMES, Draws, Inputs, draw
from anpo.models.asw.model import simulate
from anpo.models.asw.reference import simulate_reference

KIND = "asw"

__all__ = [
    "FATES",
    "KILLED",
    "KIND",
    "OUTCOMES",
    "Draws",
    "Inputs",
    "draw",
    "simulate",
    "simulate_reference",
]
