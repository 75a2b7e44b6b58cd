"""The one place campaign kinds are registered, and how everything finds them.

:data:`BUILTIN` maps each shipped kind to the module holding its ``KIND``
(a :class:`~anpo.kinds.base.KindSpec`); kinds from other packages register through
the ``anpo.kinds`` entry-point group (``name = "package.module:KIND"``), and a test or
a notebook can :func:`register` one at run time. Modules are imported only when a
kind is asked for, so a worker that runs one model loads no other kind.

This module imports no kind statically: the scenario layer below it reads schemas and
resolvers through it at run time, the layers above read views and levers.
"""

from __future__ import annotations

import importlib
from importlib import metadata
from typing import TYPE_CHECKING, cast

from anpo.models.base import Model

if TYPE_CHECKING:
    from anpo.kinds.base import KindSpec, Views

BUILTIN: dict[str, str] = {
    "missile_defense": "anpo.kinds.missile_defense",
    "air_base": "anpo.kinds.air_base",
    "naval": "anpo.kinds.naval",
    "asw": "anpo.kinds.asw",
    "air_superiority": "anpo.kinds.air_superiority",
}
"""Shipped kinds: name -> module whose ``KIND`` attribute is the kind's spec."""

ENTRY_POINT_GROUP = "anpo.kinds"

_loaded: dict[str, KindSpec] = {}
_extra: dict[str, KindSpec] = {}
_entry_points: dict[str, str] | None = None


def _plugins() -> dict[str, str]:
    global _entry_points
    if _entry_points is None:
        _entry_points = {ep.name: ep.value for ep in metadata.entry_points(group=ENTRY_POINT_GROUP)}
    return _entry_points


def names() -> list[str]:
    """Every kind that can be asked for, sorted."""
    return sorted({*BUILTIN, *_plugins(), *_extra})


def known(name: object) -> bool:
    """Whether ``name`` is a registered kind."""
    return isinstance(name, str) and name in names()


def get(name: str) -> KindSpec:
    """The spec of kind ``name`` (imported on first use).

    Raises
    ------
    KeyError
        If no such kind is registered (the message lists the known ones).
    """
    if name in _extra:
        return _extra[name]
    if name in _loaded:
        return _loaded[name]
    target = BUILTIN.get(name) or _plugins().get(name)
    if target is None:
        raise KeyError(f"no kind {name!r}; known kinds: {', '.join(names())}")
    module_name, _, attr = target.partition(":")
    spec: KindSpec = getattr(importlib.import_module(module_name), attr or "KIND")
    if spec.name != name:
        raise RuntimeError(f"module {module_name} registers kind {spec.name!r}, not {name!r}")
    _loaded[name] = spec
    return spec


def views(name: str) -> Views:
    """The views of kind ``name``; none (the generic views) for a kind not installed,
    so a stored run of a kind whose plug-in is gone still gets a report."""
    from anpo.kinds.base import Views

    return get(name).views if known(name) else Views()


def model(name: str) -> Model:
    """The model module of kind ``name`` (imported on first use)."""
    return cast(Model, importlib.import_module(get(name).model))


def register(spec: KindSpec) -> None:
    """Add a kind at run time (a test's toy kind, a notebook's experiment)."""
    if spec.name in BUILTIN or spec.name in _plugins():
        raise ValueError(f"kind {spec.name!r} is already registered")
    _extra[spec.name] = spec


def unregister(name: str) -> None:
    """Remove a kind added by :func:`register` (no effect on shipped kinds)."""
    _extra.pop(name, None)


__all__ = [
    "BUILTIN",
    "ENTRY_POINT_GROUP",
    "get",
    "known",
    "model",
    "names",
    "register",
    "unregister",
    "views",
]
