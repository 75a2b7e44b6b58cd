"""Campaign models: one package per model, pure and vectorized.

A model package exposes ``Inputs``, ``OUTCOMES``, ``simulate`` and
``simulate_reference`` (see :mod:`anpo.models.base`). Models are found through the
kind that uses them (:mod:`anpo.kinds.registry`), never listed here; the shared
sub-problems several models solve live in :mod:`anpo.models.kernels`.
"""

from __future__ import annotations

from anpo.models.base import Model, OutcomeSpec

__all__ = ["Model", "OutcomeSpec"]
