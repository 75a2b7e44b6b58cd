"""Then and now: factor dates, Shapley shares that add up, paired intervals."""

from __future__ import annotations

import datetime as dt
import itertools

import numpy as np
import pytest

from anpo import kb
from anpo.studies.then_and_now import shapley, then_and_now


def test_shapley_closed_form() -> None:
    # v(S) = 1·[threat] + 2·[forces] + 4·[law] + 8·[forces and law]: the interaction is
    # split evenly between forces and law, so the shares are 1, 2 + 4, 4 + 4
    values = {
        c: np.array([1.0 * c[0] + 2.0 * c[1] + 4.0 * c[2] + 8.0 * (c[1] and c[2])])
        for c in itertools.product((False, True), repeat=3)
    }
    shares = [float(s[0]) for s in shapley(values, 3)]
    assert shares == pytest.approx([1.0, 6.0, 8.0])
    assert sum(shares) == pytest.approx(float(values[(True,) * 3][0] - values[(False,) * 3][0]))


def test_factor_dates_route_lookups() -> None:
    base = kb.load()
    then, now = dt.date(2010, 1, 1), kb.KB_AS_OF
    with kb.factor_dates(forces=then, threat=now):
        assert base.at(now, "aegis_bmd_ship") == kb.load().at(then, "aegis_bmd_ship")
        assert base.at(then, "dprk_missile") == kb.load().at(now, "dprk_missile")
    assert kb.factor_day("forces", now) == now  # outside the block: the date given
    with pytest.raises(ValueError), kb.factor_dates(weather=then):
        pass


@pytest.mark.slow
def test_same_raid_then_and_now() -> None:
    result = then_and_now("nk-same-raid-2010", ("leakers",), trials=3000, seed=4)
    assert not result.refused and len(result.means) == 8
    row = result.attribution.iloc[0]
    assert row["threat"] + row["forces"] + row["law"] == pytest.approx(row["change"], abs=1e-12)
    # today's forces stop more of the same raid, by far more than the Monte Carlo error
    assert row["forces"] < -5 * row["forces_ci95"]
    # the North Korean missiles of this raid are the same records on both dates: the
    # threat factor cannot move the outcome, and does not, bit for bit
    assert row["threat"] == 0.0 and row["threat_ci95"] == 0.0
