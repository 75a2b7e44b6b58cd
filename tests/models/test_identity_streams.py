"""Random streams and labels keyed by identity, through resolution of whole scenarios.

Every object of a raid is identified by its group (the group's ``id``, else its type
and target) and its index within the group, and every shooter by its name; the
model's random streams are named by those identities (:meth:`Inputs.keys`). So, on
the same seed,

* raising one missile group's count,
* adding a ship, and
* adding a decoy group

leave every other object's label and every one of its random numbers unchanged
(common random numbers). With magazines too deep to run dry (500 rounds a shooter)
and no fire-control limits, the allocation cannot couple threats either, so every
other object then meets the same fate in every trial.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from anpo.errors import ScenarioError
from anpo.models.missile_defense import Draws, Inputs, draw, simulate
from anpo.scenario import parse, resolve

SEED = 20261207
N = 4_000

BASE = """
schema_version: 1
kind: missile_defense
name: identity
date: 2010-06-01
threat:
  missiles:
    - {type: nodong, count: 6, target: Tokyo, launch_interval_s: 10}
    - {type: nodong, count: 3, target: Sasebo, launch_time_s: 20, launch_interval_s: 10}
  decoys:
    - {count: 2, target: Tokyo}
assets:
  - {name: Tokyo, priority: 1, pac3_fire_units: 2, pac3_from: [Iruma]}
  - {name: Sasebo, priority: 2, pac3_fire_units: 1}
posture:
  ships:
    select: [JS Kongo (DDG-173), JS Chokai (DDG-176)]
    usn: 0
    magazine: {JS Kongo (DDG-173): 500, JS Chokai (DDG-176): 500}
    fire_control: {channels: 0, launch_interval_s: 0}
  pac3: {magazine: 500, fire_control: {channels: 0, launch_interval_s: 0}}
doctrine:
  upper: {salvo: 2, mode: shoot-look-shoot, max_engagements: 2}
  lower: {salvo: 2, mode: salvo}
uncertain:
  discrimination: {dist: uniform, low: 0.2, high: 0.6}
"""


def _inputs(text: str) -> Inputs:
    return resolve(parse(text)).inputs


def _rng() -> np.random.Generator:
    return np.random.default_rng(np.random.SeedSequence(SEED))


def _columns(inputs: Inputs, d: Draws, out: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Per threat label: its decoy uniform, every shot uniform and its fate, by trial."""
    cols: dict[str, dict[str, Any]] = {}
    for t, label in enumerate(inputs.labels["threat"]):
        shots = [u[:, t] for tier in d.shot_u for u in tier]
        cols[label] = {"decoy": d.decoy_u[:, t], "shots": shots, "fate": out["threat_fate"][:, t]}
    return cols


def _same_for_common_threats(a_text: str, b_text: str) -> tuple[set[str], set[str]]:
    """Assert that every threat label the two variants share has identical draws and
    fates; returns (labels of a, labels of b)."""
    a, b = _inputs(a_text), _inputs(b_text)
    cols_a = _columns(a, draw(a, _rng(), N), simulate(a, _rng(), N))
    cols_b = _columns(b, draw(b, _rng(), N), simulate(b, _rng(), N))
    common = set(cols_a) & set(cols_b)
    assert common
    for label in common:
        x, y = cols_a[label], cols_b[label]
        assert np.array_equal(x["decoy"], y["decoy"]), label
        assert len(x["shots"]) == len(y["shots"])
        for u, v in zip(x["shots"], y["shots"], strict=True):
            assert np.array_equal(u, v), label
        assert np.array_equal(x["fate"], y["fate"]), label
    # the per-trial system parameters are shared too
    da, db = draw(a, _rng(), N), draw(b, _rng(), N)
    for name in ("sspk", "reliability", "sensor_delay_s", "discrimination"):
        assert np.array_equal(getattr(da, name), getattr(db, name)), name
    return set(cols_a), set(cols_b)


def test_labels_name_the_group_and_the_index_within_it() -> None:
    """Labels name the group and the index within it; the raid is listed in launch
    order, simultaneous objects one from each group in turn."""
    labels = sorted(_inputs(BASE).labels["threat"])
    assert labels == sorted(
        [
            *(f"nodong {k} -> Tokyo" for k in range(1, 7)),
            *(f"nodong {k} -> Sasebo" for k in range(1, 4)),
            "decoy 1 -> Tokyo",
            "decoy 2 -> Tokyo",
        ]
    )
    assert _inputs(BASE).labels["threat"][:4] == (
        "nodong 1 -> Tokyo",
        "decoy 1 -> Tokyo",
        "decoy 2 -> Tokyo",
        "nodong 2 -> Tokyo",
    )


def test_raising_one_group_count_keeps_every_other_threat() -> None:
    """6 -> 7 Nodong at Tokyo: the Sasebo group and the decoys keep labels, draws, fates."""
    bigger = BASE.replace("count: 6, target: Tokyo", "count: 7, target: Tokyo")
    before, after = _same_for_common_threats(BASE, bigger)
    assert after - before == {"nodong 7 -> Tokyo"}
    assert before <= after


def test_adding_a_ship_keeps_every_threat_and_shooter() -> None:
    """An extra ship changes no threat's draws or fate (magazines never run dry) and no
    other shooter's label."""
    more = BASE.replace(
        "  pac3: {magazine: 500,",
        "    extra: [{name: JS Extra, interceptor: sm3-ia, magazine: 500}]\n"
        "  pac3: {magazine: 500,",
    )
    before, after = _same_for_common_threats(BASE, more)
    assert before == after
    shooters_before = _inputs(BASE).labels["shooter"]
    shooters_after = _inputs(more).labels["shooter"]
    assert set(shooters_after) - set(shooters_before) == {"JS Extra"}
    assert set(shooters_before) <= set(shooters_after)


def test_adding_pac3_units_elsewhere_relabels_no_fire_unit() -> None:
    """Fire units are numbered within the asset they defend."""
    more = BASE.replace(
        "  - {name: Sasebo, priority: 2, pac3_fire_units: 1}",
        "  - {name: Sasebo, priority: 2, pac3_fire_units: 1}\n"
        "  - {name: Nagoya, priority: 1, pac3_fire_units: 2, pac3_from: [Gifu]}",
    )
    before = set(_inputs(BASE).labels["shooter"])
    after = set(_inputs(more).labels["shooter"])
    assert before <= after and len(after - before) == 2


def test_adding_a_decoy_group_keeps_every_other_threat() -> None:
    """A second decoy group: the warheads and the first decoys keep labels, draws, fates."""
    more = BASE.replace(
        "    - {count: 2, target: Tokyo}",
        "    - {count: 2, target: Tokyo}\n    - {count: 3, target: Sasebo, launch_time_s: 5}",
    )
    before, after = _same_for_common_threats(BASE, more)
    assert after - before == {f"decoy {k} -> Sasebo" for k in (1, 2, 3)}
    assert before <= after


def test_a_group_with_an_id_keeps_its_draws_wherever_it_is_listed() -> None:
    """Listed first or last, a group named by ``id`` keeps its labels and numbers."""
    named = BASE.replace(
        "{type: nodong, count: 3, target: Sasebo,",
        "{id: second wave, type: nodong, count: 3, target: Sasebo,",
    )
    lines = named.splitlines()
    i = next(k for k, line in enumerate(lines) if "second wave" in line)
    lines.insert(i - 1, lines.pop(i))  # list it before the Tokyo group
    moved = "\n".join(lines)
    a, b = _inputs(named), _inputs(moved)
    assert {"second wave 1", "second wave 2", "second wave 3"} <= set(a.labels["threat"])
    assert set(a.labels["threat"]) == set(b.labels["threat"])
    where = [b.labels["threat"].index(label) for label in a.labels["threat"]]
    da, db = draw(a, _rng(), N), draw(b, _rng(), N)
    for tier in (0, 1):
        for u, v in zip(da.shot_u[tier], db.shot_u[tier], strict=True):
            assert np.array_equal(u, v[:, where])


def test_groups_that_would_share_a_name_are_told_apart() -> None:
    """A second group of the same type at the same target gets a count; ids must differ."""
    twice = BASE.replace(
        "  decoys:",
        "    - {type: nodong, count: 2, target: Tokyo, launch_time_s: 90}\n  decoys:",
    )
    labels = _inputs(twice).labels["threat"]
    assert "nodong 1 -> Tokyo (group 2)" in labels and "nodong 6 -> Tokyo" in labels
    clash = BASE.replace("{type: nodong, count: 6,", "{id: w, type: nodong, count: 6,").replace(
        "{type: nodong, count: 3,", "{id: w, type: nodong, count: 3,"
    )
    problems = resolve_problems(clash)
    assert any(p.path.endswith(".id") and "unique" in p.message for p in problems)


def resolve_problems(text: str) -> list[Any]:
    with pytest.raises(ScenarioError) as err:
        resolve(parse(text))
    return list(err.value.problems)


def test_rerun_of_an_older_run_names_the_stream_change() -> None:
    """A 0.3 run cannot be replayed by 0.4: the refusal says the streams changed."""
    from anpo.api import result_changes

    changes = result_changes("0.3.0", "0.4.0")
    assert len(changes) == 1 and "keyed by identity" in changes[0]
    assert result_changes("0.4.0", "0.3.0") == changes  # either way round
    assert result_changes("0.4.0", "0.4.1") == []
