"""Surface action: salvo exchanges between fleets (Hughes 1995; Armstrong 2005).

See :mod:`.model` for the equations and order of events, :mod:`.reference` for
the per-trial reference implementation and :mod:`.inputs` for the inputs,
outcomes and random-number layout.
"""

from anpo.models.naval.inputs import (
    ALLIED,
    FIRST,
    OUTCOMES,
    PLA,
    SIDES,
    Draws,
    Inputs,
    draw,
)
from anpo.models.naval.model import simulate
from anpo.models.naval.reference import simulate_reference

KIND = "naval"

__all__ = [
    "ALLIED",
    "FIRST",
    "KIND",
    "OUTCOMES",
    "PLA",
    "SIDES",
    "Draws",
    "Inputs",
    "draw",
    "simulate",
    "simulate_reference",
]
