"""A lossless JSON form of model inputs, so a stored run can be run again exactly.

Arrays keep their dtype and shape, floats are written with ``repr`` (which
round-trips every double exactly), distributions keep their family and
parameters, tuples stay tuples. ``NaN`` and infinities use JSON's common
extensions (``NaN``, ``Infinity``), which Python's :mod:`json` reads back.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from typing import Any, TypeVar

import numpy as np

from anpo.models.distributions import Dist

T = TypeVar("T")


def encode(value: Any) -> Any:
    """A JSON-able form of ``value`` (dataclass inputs, arrays, Dists, containers)."""
    if isinstance(value, Dist):
        return {"__dist__": value.family, "params": list(value.params)}
    if isinstance(value, np.ndarray):
        return {
            "__ndarray__": value.dtype.str,
            "shape": list(value.shape),
            "data": value.ravel().tolist(),
        }
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: encode(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, tuple):
        return {"__tuple__": [encode(v) for v in value]}
    if isinstance(value, list):
        return [encode(v) for v in value]
    if isinstance(value, dict):
        return {str(k): encode(v) for k, v in value.items()}
    if isinstance(value, np.generic):
        return value.item()
    return value


def _decode(value: Any) -> Any:
    if isinstance(value, dict):
        if "__dist__" in value:
            return Dist(value["__dist__"], tuple(float(p) for p in value["params"]))
        if "__ndarray__" in value:
            return np.array(value["data"], dtype=np.dtype(value["__ndarray__"])).reshape(
                value["shape"]
            )
        if "__tuple__" in value:
            return tuple(_decode(v) for v in value["__tuple__"])
        return {k: _decode(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_decode(v) for v in value]
    return value


def decode(cls: type[T], data: dict[str, Any]) -> T:
    """Rebuild an inputs dataclass of type ``cls`` from :func:`encode`'s output."""
    return cls(**{k: _decode(v) for k, v in data.items()})


def dumps(value: Any) -> str:
    """Canonical JSON text of ``encode(value)`` (sorted keys, no spaces)."""
    return json.dumps(encode(value), sort_keys=True, separators=(",", ":"))


def digest(value: Any) -> str:
    """SHA-256 of the canonical JSON text of ``value``."""
    return hashlib.sha256(dumps(value).encode("utf-8")).hexdigest()
