"""The model seam: what every campaign model in :mod:`anpo.models` exposes.

A model is a module with

* ``KIND`` — its registry key (a scenario's ``kind``);
* an ``Inputs`` frozen dataclass of NumPy arrays and scalars, built by scenario
  resolution, with a ``labels`` mapping that names the entries of each outcome
  dimension (``"asset"`` → asset names, ...);
* ``OUTCOMES`` — a mapping from outcome name to :class:`OutcomeSpec`;
* ``simulate(inputs, rng, n_trials) -> dict[str, np.ndarray]``, pure and
  vectorized over trials, each array with the trial axis first;
* ``simulate_reference(inputs, rng, n_trials)``, a plain per-trial loop that
  gives exactly the same arrays from the same generator.

Random streams
--------------
A model never draws from ``rng`` directly in an order that depends on its
inputs. It derives one named sub-stream per purpose with :func:`substream`, so
that adding a parameter, a threat or a later step with randomness of its own
leaves every earlier draw unchanged, and two variants of a scenario run with
the same seed share their random numbers (common random numbers).
"""

from __future__ import annotations

import zlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np
from numpy.typing import NDArray

Outcomes = dict[str, NDArray[Any]]


@dataclass(frozen=True)
class OutcomeSpec:
    """What one outcome array holds.

    Parameters
    ----------
    dims
        Names of the axes after the trial axis (``()`` for one number per trial).
        Each name is a key of the inputs' ``labels``.
    unit
        ``"count"``, ``"probability"``, ``"s"``, ``"code"`` ...
    description
        One sentence a report can show.
    codes
        For a coded outcome (unit ``"code"``), the name of each code, in code order.
    """

    dims: tuple[str, ...]
    unit: str
    description: str
    codes: tuple[str, ...] = ()


class ModelInputs(Protocol):
    """What every model's ``Inputs`` dataclass provides."""

    @property
    def labels(self) -> Mapping[str, tuple[str, ...]]: ...


class Model(Protocol):
    """A model module, as the engine and the interfaces see it."""

    KIND: str
    OUTCOMES: Mapping[str, OutcomeSpec]
    Inputs: type[Any]

    def simulate(self, inputs: Any, rng: np.random.Generator, n_trials: int) -> Outcomes: ...

    def simulate_reference(
        self, inputs: Any, rng: np.random.Generator, n_trials: int
    ) -> Outcomes: ...


def frozen_array(values: Any, dtype: Any) -> NDArray[Any]:
    """``values`` as a read-only NumPy array of ``dtype`` (for frozen inputs dataclasses)."""
    out = np.array(values, dtype=dtype)
    out.setflags(write=False)
    return out


def stream_key(name: str) -> int:
    """A stable 32-bit key for a stream name (CRC-32 of its UTF-8 bytes)."""
    return zlib.crc32(name.encode("utf-8"))


def substream(rng: np.random.Generator, name: str) -> np.random.Generator:
    """An independent generator for one purpose, derived from ``rng``'s seed.

    The child is ``SeedSequence(entropy, spawn_key=parent_key + (crc32(name),))``
    of the seed sequence that made ``rng``: it depends only on that seed and the
    name, never on how many numbers were drawn from ``rng`` or from other streams.
    """
    seed_seq = rng.bit_generator.seed_seq
    if not isinstance(seed_seq, np.random.SeedSequence):
        raise TypeError("substream needs a generator made from a SeedSequence")
    child = np.random.SeedSequence(
        entropy=seed_seq.entropy,
        spawn_key=(*seed_seq.spawn_key, stream_key(name)),
        pool_size=seed_seq.pool_size,
    )
    return np.random.Generator(type(rng.bit_generator)(child))
