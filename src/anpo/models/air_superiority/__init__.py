"""Air superiority over the Taiwan Strait: sorties from damaged bases and carriers,
tankers, beyond- and within-visual-range combat, day by day.

See :mod:`.model` for the equations, :mod:`.reference` for the per-trial twin and
:mod:`.inputs` for the inputs and outcomes. The model composes the air-base model
(:func:`anpo.models.air_base.simulate`) on the attacker's raid for each struck base's
closure and ground losses; the engine still sees one model.
"""

from anpo.models.air_superiority.inputs import CAUSES, KIND, OUTCOMES, SIDES, Inputs
from anpo.models.air_superiority.model import simulate
from anpo.models.air_superiority.reference import simulate_reference

__all__ = ["CAUSES", "KIND", "OUTCOMES", "SIDES", "Inputs", "simulate", "simulate_reference"]
