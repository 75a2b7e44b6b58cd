"""``Dist``: the distributions of uncertain parameters, their means, supports and checks.

Reference: D. A. Wilkening, "A Simple Model for Calculating Ballistic Missile Defense
Effectiveness", *Science & Global Security* 8(2), 1999, pp. 183–215 — the model draws
its system parameters (SSPK, reliability, sensor delay, decoy discrimination) from
these distributions once per trial, Wilkening's treatment of parameter uncertainty.

Equations checked:

* uniform(a, b): mean (a + b)/2; triangular(a, c, b): mean (a + c + b)/3;
* beta(α, β) on [l, h]: mean l + (h − l)·α/(α + β);
* normal(μ, σ) truncated to [l, h]: mean μ + σ·(φ(α) − φ(β))/(Φ(β) − Φ(α)),
  α = (l − μ)/σ, β = (h − μ)/σ, against ``scipy.stats.truncnorm``;
* ``mean()`` against the sample mean of 200 000 draws within 5 standard errors, every
  draw inside ``support``; invalid parameters raise ``ValueError`` with the text of
  ``problem()``.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats

from anpo.models.distributions import Dist

N_SE = 5.0
N_SAMPLES = 200_000

# The far tail, just above the 0.1% mass limit: rejection sampling needs ~900 normal draws
# per value, so this one is checked on fewer samples.
TAIL = Dist("normal", (0.0, 1.0, 3.0, 3.5))
DISTS = [
    Dist("uniform", (0.2, 0.9)),
    Dist("uniform", (-40.0, 160.0)),
    Dist("triangular", (0.0, 0.3, 1.0)),
    Dist("triangular", (0.0, 0.0, 1.0)),  # mode at the low end
    Dist("triangular", (0.5, 1.0, 1.0)),  # mode at the high end
    Dist("beta", (2.0, 5.0, 0.0, 1.0)),
    Dist("beta", (0.5, 0.5, 10.0, 20.0)),
    Dist("normal", (0.8, 0.2, 0.0, 1.0)),
    Dist("normal", (30.0, 20.0, 0.0, 90.0)),
    Dist("normal", (0.0, 1.0, 2.0, 3.0)),  # the far tail only: 2.1% of the mass
    TAIL,
]


def _ids(d: Dist) -> str:
    return d.describe()


@pytest.mark.parametrize("dist", DISTS, ids=_ids)
def test_mean_matches_sample_mean(make_rng, mc_mean, dist):
    """mean() equals the sample mean within 5 standard errors; samples stay in support."""
    n = N_SAMPLES // 10 if dist is TAIL else N_SAMPLES
    x = dist.sample(make_rng(31), n)
    assert x.shape == (n,)
    low, high = dist.support
    assert low <= x.min()
    assert x.max() <= high
    mc_mean(x, dist.mean(), N_SE, dist.describe())


def test_fixed_is_a_point_mass(make_rng):
    """fixed(v): every draw is v, the mean is v, the support is [v, v]."""
    d = Dist.fixed(0.37)
    assert d == Dist("fixed", (0.37,))
    assert np.all(d.sample(make_rng(32), 1_000) == 0.37)
    assert d.mean() == 0.37
    assert d.support == (0.37, 0.37)
    assert d.describe() == "0.37"


@pytest.mark.parametrize(
    ("dist", "support", "description"),
    [
        (Dist("uniform", (1.0, 2.5)), (1.0, 2.5), "uniform(1, 2.5)"),
        (Dist("triangular", (0.0, 0.3, 1.0)), (0.0, 1.0), "triangular(0, 0.3, 1)"),
        (Dist("beta", (8.0, 2.0, 0.0, 1.0)), (0.0, 1.0), "beta(8, 2) on [0, 1]"),
        (Dist("normal", (30.0, 20.0, 0.0, 90.0)), (0.0, 90.0), "normal(30, 20) on [0, 90]"),
    ],
)
def test_support_and_description(dist, support, description):
    assert dist.support == support
    assert dist.describe() == description
    assert dist.problem() is None


@pytest.mark.parametrize(
    "dist",
    [d for d in DISTS if d.family == "triangular"],
    ids=_ids,
)
def test_triangular_mean_closed_form(dist):
    """(a + c + b)/3 equals scipy's triangular mean."""
    a, c, b = dist.params
    expected = stats.triang(c=(c - a) / (b - a), loc=a, scale=b - a).mean()
    assert dist.mean() == pytest.approx((a + c + b) / 3, rel=1e-15)
    assert dist.mean() == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize("dist", [d for d in DISTS if d.family == "beta"], ids=_ids)
def test_beta_mean_closed_form(dist):
    """l + (h − l)·α/(α + β) equals scipy's rescaled beta mean."""
    a, b, low, high = dist.params
    expected = stats.beta(a, b, loc=low, scale=high - low).mean()
    assert dist.mean() == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize("dist", [d for d in DISTS if d.family == "normal"], ids=_ids)
def test_bounded_normal_mean_closed_form(dist):
    """The truncated-normal mean equals scipy.stats.truncnorm's."""
    mean, sd, low, high = dist.params
    expected = stats.truncnorm((low - mean) / sd, (high - mean) / sd, loc=mean, scale=sd).mean()
    assert dist.mean() == pytest.approx(expected, rel=1e-9)


def test_bounded_normal_mean_known_values():
    """Spot values: symmetric truncation keeps the mean; one-sided at μ adds σ·√(2/π)."""
    assert Dist("normal", (5.0, 2.0, 1.0, 9.0)).mean() == pytest.approx(5.0, abs=1e-12)
    half = Dist("normal", (0.0, 1.0, 0.0, 40.0)).mean()
    assert half == pytest.approx(math.sqrt(2 / math.pi), rel=1e-12)


def test_sampling_is_reproducible(make_rng):
    """sample() consumes only the generator it is given: same seed, same draws."""
    for dist in DISTS:
        a = dist.sample(make_rng(33), 500)
        b = dist.sample(make_rng(33), 500)
        assert np.array_equal(a, b), dist.describe()


def _unchecked(family: str, params: tuple[float, ...]) -> Dist:
    """A Dist built without running its checks, to ask it what is wrong."""
    d = object.__new__(Dist)
    object.__setattr__(d, "family", family)
    object.__setattr__(d, "params", params)
    return d


BAD = [
    ("gamma", (1.0,), "unknown family 'gamma'"),
    ("uniform", (1.0,), "uniform takes 2 parameters"),
    ("beta", (1.0, 2.0, 0.0), "beta takes 4 parameters"),
    ("fixed", (math.nan,), "parameters must be finite numbers"),
    ("normal", (0.0, 1.0, -math.inf, 1.0), "parameters must be finite numbers"),
    ("uniform", (1.0, 1.0), "uniform needs low < high"),
    ("uniform", (2.0, 1.0), "uniform needs low < high"),
    ("triangular", (0.0, 2.0, 1.0), "triangular needs low <= mode <= high and low < high"),
    ("triangular", (1.0, 1.0, 1.0), "triangular needs low <= mode <= high and low < high"),
    ("beta", (0.0, 1.0, 0.0, 1.0), "beta needs alpha > 0, beta > 0 and low < high"),
    ("beta", (1.0, -2.0, 0.0, 1.0), "beta needs alpha > 0, beta > 0 and low < high"),
    ("beta", (1.0, 1.0, 1.0, 0.0), "beta needs alpha > 0, beta > 0 and low < high"),
    ("normal", (0.0, 0.0, -1.0, 1.0), "bounded normal needs sd > 0 and low < high"),
    ("normal", (0.0, 1.0, 1.0, 1.0), "bounded normal needs sd > 0 and low < high"),
    (
        "normal",
        (0.0, 1.0, 10.0, 11.0),
        "bounded normal keeps under 0.1% of its mass between low and high",
    ),
]


@pytest.mark.parametrize(("family", "params", "message"), BAD, ids=[m for _, _, m in BAD])
def test_bad_parameters_raise_with_problem_text(family, params, message):
    """Invalid parameters raise ValueError whose text is exactly ``problem()``'s."""
    assert _unchecked(family, params).problem() == message
    with pytest.raises(ValueError) as excinfo:
        Dist(family, params)
    assert str(excinfo.value) == message


def test_fixed_rejects_non_finite():
    with pytest.raises(ValueError, match="finite"):
        Dist.fixed(math.inf)


def test_valid_parameters_have_no_problem():
    for dist in [*DISTS, Dist.fixed(0.0)]:
        assert dist.problem() is None, dist.describe()
        assert all(isinstance(p, float) for p in dist.params)
