"""Which shooters ran dry, and when: the fire decision that left each with less than a salvo.

A raid of three warheads that no shot kills (SSPK 0), decided 5 s after each threat's
window opens at 0, 10 and 20 s, against one shooter firing salvos of two: the times are
known exactly, in the vectorized model and in the reference alike.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from anpo.models.distributions import Dist

N = 500


def _raid(make_inputs, magazine: int, **kw):
    opens = np.array([[0.0, 10.0, 20.0]])
    return make_inputs(
        n_threats=3,
        shooters=[(0, 0, magazine)],
        sspk=(Dist.fixed(0.0),),
        salvo=(2, 2),
        window_open_s=opens,
        window_close_s=opens + 1000.0,
        engage_time_s=100.0,
        threat_time_s=[0.0, 10.0, 20.0],
        sensor_delay=(Dist.fixed(5.0), Dist.fixed(0.0)),
        **kw,
    )


@pytest.mark.parametrize("reference", [False, True])
@pytest.mark.parametrize(
    ("magazine", "partial", "expected"),
    [
        (4, False, 15.0),  # two salvos: dry after the second threat's decision
        (5, False, 15.0),  # one round left is less than a salvo
        (5, True, 25.0),  # with partial salvos it fires that round at the third threat
        (6, False, 25.0),  # three salvos for three threats: the third leaves it empty
    ],
)
def test_ran_dry_at_the_decision_that_emptied_it(
    make_inputs, run, magazine, partial, expected, reference
) -> None:
    out = run(_raid(make_inputs, magazine, partial_salvos=partial), N, reference=reference)
    assert np.all(out["ran_dry_s"][:, 0] == expected)
    assert np.all(out["ran_dry"][:, 0] == 1)
    assert np.all(out["shooters_dry"] == 1)


@pytest.mark.parametrize("reference", [False, True])
def test_a_shooter_with_rounds_left_never_ran_dry(make_inputs, run, reference) -> None:
    out = run(_raid(make_inputs, 8), N, reference=reference)
    assert np.isnan(out["ran_dry_s"]).all()
    assert (out["ran_dry"] == 0).all() and (out["shooters_dry"] == 0).all()


@pytest.mark.parametrize("reference", [False, True])
def test_a_busy_shooter_runs_dry_when_its_channel_frees(make_inputs, run, reference) -> None:
    """One channel held 100 s per engagement: the second decision waits until 5 + 100 s."""
    inputs = dataclasses.replace(_raid(make_inputs, 4), shooter_channels=np.array([1]))
    out = run(inputs, N, reference=reference)
    assert np.all(out["ran_dry_s"][:, 0] == 105.0)
