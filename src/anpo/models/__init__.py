"""Campaign models, one module per model, and the registry that finds them.

The registry maps a scenario ``kind`` to the dotted name of its model module;
modules are imported only when asked for, so a worker that runs one model loads
no other. Adding a model is one line here and one module beside this file.
"""

from __future__ import annotations

import importlib
from typing import cast

from anpo.models.base import Model

MODELS: dict[str, str] = {
    "missile_defense": "anpo.models.missile_defense",
    "air_base": "anpo.models.air_base",
}


def model_module(kind: str) -> str:
    """The dotted module name of the model registered for ``kind``."""
    try:
        return MODELS[kind]
    except KeyError:
        known = ", ".join(sorted(MODELS))
        raise KeyError(f"no model of kind {kind!r}; known kinds: {known}") from None


def get_model(kind: str) -> Model:
    """Import and return the model module registered for ``kind``."""
    return cast(Model, importlib.import_module(model_module(kind)))


__all__ = ["MODELS", "Model", "get_model", "model_module"]
