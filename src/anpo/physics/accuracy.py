"""Accuracy of unguided and guided weapons: the circular error probable (CEP).

Impact points scatter about the aim point as a circular normal distribution with
the same standard deviation σ along each axis. The CEP is the radius of the
circle holding half of them: P(r ≤ CEP) = 1 − exp(−CEP² / 2σ²) = ½, so

    CEP = σ·√(2 ln 2) ≈ 1.1774 σ.

so one weapon lands within R of its aim point with probability 1 − 0.5^((R / CEP)²).
"""

from __future__ import annotations

import math

SIGMA_PER_CEP = 1.0 / math.sqrt(2.0 * math.log(2.0))
"""σ of the circular normal per unit CEP (≈ 0.8493)."""
