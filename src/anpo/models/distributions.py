"""Probability distributions of uncertain parameters, as plain frozen data.

Scenario resolution turns a scenario's ``uncertain`` entries (and the knowledge
base's estimate ranges) into :class:`Dist` values; a model samples them with a
generator of its own (see :func:`anpo.models.base.substream`), one value per
trial. Families and their parameters:

=============  ====================  ===========================================
family         params                density on its support
=============  ====================  ===========================================
``fixed``      (value,)              a point mass
``uniform``    (low, high)           1 / (high - low)
``triangular`` (low, mode, high)     rising linearly to ``mode``, then falling
``beta``       (alpha, beta, low,    Beta(alpha, beta) rescaled to [low, high]
               high)
``normal``     (mean, sd, low,       Normal(mean, sd) truncated to [low, high]
               high)                 (the "bounded normal")
=============  ====================  ===========================================
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import NDArray

Family = Literal["fixed", "uniform", "triangular", "beta", "normal"]

_ARITY: dict[str, int] = {"fixed": 1, "uniform": 2, "triangular": 3, "beta": 4, "normal": 4}


def _phi(x: float) -> float:
    """Standard normal CDF, Φ(x) = (1 + erf(x/√2)) / 2."""
    return 0.5 * (1.0 + math.erf(x / math.sqrt(2.0)))


def _pdf(x: float) -> float:
    """Standard normal density, φ(x) = exp(−x²/2) / √(2π)."""
    return math.exp(-0.5 * x * x) / math.sqrt(2 * math.pi)


def _short(x: float) -> str:
    return f"{x:g}"


@dataclass(frozen=True)
class Dist:
    """A one-dimensional distribution: a ``family`` and its ``params`` (table above)."""

    family: Family
    params: tuple[float, ...]

    def __post_init__(self) -> None:
        object.__setattr__(self, "params", tuple(float(p) for p in self.params))
        problem = self.problem()
        if problem:
            raise ValueError(problem)

    def problem(self) -> str | None:
        """What is wrong with these parameters, or ``None`` when they are valid."""
        if self.family not in _ARITY:
            return f"unknown family {self.family!r}"
        if len(self.params) != _ARITY[self.family]:
            return f"{self.family} takes {_ARITY[self.family]} parameters"
        if not all(math.isfinite(p) for p in self.params):
            return "parameters must be finite numbers"
        p = self.params
        if self.family == "uniform" and not p[0] < p[1]:
            return "uniform needs low < high"
        if self.family == "triangular" and not (p[0] <= p[1] <= p[2] and p[0] < p[2]):
            return "triangular needs low <= mode <= high and low < high"
        if self.family == "beta" and not (p[0] > 0 and p[1] > 0 and p[2] < p[3]):
            return "beta needs alpha > 0, beta > 0 and low < high"
        if self.family == "normal":
            mean, sd, low, high = p
            if not (sd > 0 and low < high):
                return "bounded normal needs sd > 0 and low < high"
            if _phi((high - mean) / sd) - _phi((low - mean) / sd) < 1e-3:
                return "bounded normal keeps under 0.1% of its mass between low and high"
        return None

    @staticmethod
    def fixed(value: float) -> Dist:
        """A point mass at ``value``."""
        return Dist("fixed", (float(value),))

    @property
    def support(self) -> tuple[float, float]:
        """The smallest and largest values the distribution can take."""
        p = self.params
        if self.family == "fixed":
            return (p[0], p[0])
        if self.family in ("uniform",):
            return (p[0], p[1])
        if self.family == "triangular":
            return (p[0], p[2])
        return (p[2], p[3])

    def mean(self) -> float:
        """The mean (for the bounded normal, of the truncated density)."""
        p = self.params
        if self.family == "fixed":
            return p[0]
        if self.family == "uniform":
            return (p[0] + p[1]) / 2
        if self.family == "triangular":
            return (p[0] + p[1] + p[2]) / 3
        if self.family == "beta":
            a, b, low, high = p
            return low + (high - low) * a / (a + b)
        mean, sd, low, high = p
        alpha, beta = (low - mean) / sd, (high - mean) / sd
        z = _phi(beta) - _phi(alpha)
        return mean + sd * (_pdf(alpha) - _pdf(beta)) / z

    def sample(self, rng: np.random.Generator, n: int) -> NDArray[np.float64]:
        """``n`` independent draws, consuming numbers from ``rng`` only.

        The bounded normal is drawn by rejection; give it a stream of its own.
        """
        p = self.params
        if self.family == "fixed":
            return np.full(n, p[0])
        if self.family == "uniform":
            return rng.uniform(p[0], p[1], n)
        if self.family == "triangular":
            return rng.triangular(p[0], p[1], p[2], n)
        if self.family == "beta":
            a, b, low, high = p
            return low + (high - low) * rng.beta(a, b, n)
        mean, sd, low, high = p
        out = np.empty(n)
        todo = np.arange(n)
        while todo.size:
            x = rng.normal(mean, sd, todo.size)
            ok = (x >= low) & (x <= high)
            out[todo[ok]] = x[ok]
            todo = todo[~ok]
        return out

    def describe(self) -> str:
        """A short human-readable form, e.g. ``beta(8, 2) on [0, 1]``."""
        p = self.params
        g = _short
        if self.family == "fixed":
            return g(p[0])
        if self.family == "uniform":
            return f"uniform({g(p[0])}, {g(p[1])})"
        if self.family == "triangular":
            return f"triangular({g(p[0])}, {g(p[1])}, {g(p[2])})"
        if self.family == "beta":
            return f"beta({g(p[0])}, {g(p[1])}) on [{g(p[2])}, {g(p[3])}]"
        return f"normal({g(p[0])}, {g(p[1])}) on [{g(p[2])}, {g(p[3])}]"
