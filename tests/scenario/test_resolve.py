"""Resolution: a scenario plus the knowledge base on its date gives the model's inputs."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import numpy as np
import pytest

from anpo.kb import KB_AS_OF
from anpo.models import codec
from anpo.models.distributions import Dist
from anpo.models.missile_defense import Inputs
from anpo.scenario import load_scenario, parse, presentation, resolve, shipped


def test_small_raid_resolves_to_the_expected_arrays(small_raid: Path) -> None:
    r = resolve(load_scenario(small_raid))
    inputs = r.inputs
    assert inputs.labels["shooter"] == (
        "JS Kongo (DDG-173)",
        "JS Chokai (DDG-176)",
        "PAC-3 FU 1 (1st Air Defense Missile Group (Iruma)) -> Tokyo",
        "PAC-3 FU 2 (1st Air Defense Missile Group (Iruma)) -> Tokyo",
    )
    assert inputs.labels["interceptor"] == ("pac3", "sm3-ia")
    assert inputs.shooter_tier.tolist() == [0, 0, 1, 1]
    assert inputs.shooter_interceptor.tolist() == [1, 1, 0, 0]
    # kb loads drawn per trial from their ranges, up to the high end
    assert inputs.shooter_magazine.tolist() == [9, 9, 48, 48]
    assert [d.params for d in inputs.shooter_magazine_dist] == [
        (6.0, 8.0, 9.0),
        (6.0, 8.0, 9.0),
        (8.0, 16.0, 48.0),
        (8.0, 16.0, 48.0),
    ]
    # listed in launch order, objects launched together one from each group in turn
    assert inputs.threat_is_decoy.tolist() == [False, True, True] + [False] * 5
    assert inputs.threat_time_s.tolist() == [0, 0, 0, 10, 20, 30, 40, 50]
    assert inputs.labels["threat"][:4] == (
        "nodong 1 -> Tokyo",
        "decoy 1 -> Tokyo",
        "decoy 2 -> Tokyo",
        "nodong 2 -> Tokyo",
    )
    assert inputs.salvo_size.tolist() == [2, 2]
    assert inputs.max_engagements.tolist() == [2, 1]
    # default windows: upper tier 0-420 s with 180 s engagements, lower 0-60 s with 25 s
    assert np.all(inputs.window_close_s[:2] == 420.0)
    assert np.all(inputs.window_close_s[2:] == 60.0)
    assert np.all(inputs.engage_time_s[:2] == 180.0 + 2.0)  # and 2 s between salvo rounds
    # kb estimate ranges become triangular distributions
    assert inputs.sspk[1].family == "triangular"
    assert inputs.sspk[1].params == (0.6, 0.8, 0.9)
    # own sensors 90-150-360 s, less 30 s of cueing from the Shariki radar in force in 2010
    assert inputs.sensor_delay_s[0].params == (60.0, 120.0, 330.0)


def test_pac3_units_engage_only_threats_at_their_asset(small_text: str) -> None:
    text = small_text.replace(
        "assets:\n  - {name: Tokyo, priority: 1, pac3_fire_units: 2, pac3_from: [Iruma]}",
        "assets:\n  - {name: Tokyo, priority: 1, pac3_fire_units: 2, pac3_from: [Iruma]}\n"
        "  - {name: Sasebo, priority: 2, pac3_fire_units: 1}",
    ).replace("    - {count: 2, target: Tokyo}", "    - {count: 2, target: Sasebo}")
    inputs = resolve(parse(text)).inputs
    pac3 = np.flatnonzero(inputs.shooter_tier == 1)
    feasible = ~np.isnan(inputs.window_close_s[pac3])
    at_tokyo = inputs.threat_asset == 0
    assert feasible[:2].tolist() == [at_tokyo.tolist()] * 2
    assert feasible[2].tolist() == (~at_tokyo).tolist()


def test_ledger_labels_every_input_with_kind_and_source(small_raid: Path) -> None:
    ledger = {e.name: e for e in resolve(load_scenario(small_raid)).ledger}
    magazine = ledger["ship.JS Kongo (DDG-173).magazine"]
    assert magazine.kind == "assumption"
    assert magazine.value == "8 (range 6-9)"
    assert "nine SM-3" in magazine.note
    ship = ledger["ship.JS Kongo (DDG-173)"]
    assert ship.kind == "fact"
    assert ship.as_of == "2007-12-17"
    assert "Missile Defense Agency" in ship.source
    sspk = ledger["sspk.sm3-ia"]
    assert (sspk.kind, sspk.value) == ("estimate", "triangular(0.6, 0.8, 0.9)")
    inventory = ledger["missile.nodong.inventory"]
    assert (inventory.kind, inventory.value) == ("estimate", "200 (range 150-300)")
    for entry in ledger.values():
        assert entry.kind in ("fact", "estimate", "assumption")
        if entry.kind in ("fact", "estimate"):
            assert entry.as_of, entry.name
            assert entry.source not in ("", "scenario file"), entry.name
        else:
            assert entry.note or entry.source == "scenario file", entry.name
    # the fixture sets how many U.S. ships take part: the one override
    assert [e.name for e in ledger.values() if e.override] == ["posture.ships.usn"]


def test_overrides_are_flagged(small_text: str) -> None:
    text = (
        small_text.replace(
            "    usn: 0\n",
            "    usn: 0\n    magazine: {JS Kongo (DDG-173): 4}\n  pac3: {magazine: 6}\n",
        )
        + "uncertain:\n  sspk.pac3: {dist: beta, alpha: 8, beta: 2}\n"
    )
    r = resolve(parse(text))
    assert r.inputs.shooter_magazine.tolist() == [4, 9, 6, 6]  # Chokai: up to the kb high
    flagged = {e.name for e in r.ledger if e.override}
    assert flagged == {
        "ship.JS Kongo (DDG-173).magazine",
        "pac3.PAC-3 FU 1 (1st Air Defense Missile Group (Iruma)) -> Tokyo.magazine",
        "pac3.PAC-3 FU 2 (1st Air Defense Missile Group (Iruma)) -> Tokyo.magazine",
        "sspk.pac3",
        "posture.ships.usn",
    }
    assert r.inputs.sspk[0].family == "beta"


def test_extra_ships_are_a_policy_lever(small_text: str) -> None:
    text = small_text.replace(
        "    usn: 0\n",
        "    usn: 0\n    extra:\n      - {name: Extra Aegis, interceptor: sm3-ia, magazine: 8}\n",
    )
    inputs = resolve(parse(text)).inputs
    assert inputs.labels["shooter"][2] == "Extra Aegis"
    assert inputs.n_shooters == 5


def test_today_means_the_knowledge_base_as_of_date(small_text: str) -> None:
    text = small_text.replace("date: 2010-06-01", "date: today").replace(
        "    select: [JS Kongo (DDG-173), JS Chokai (DDG-176)]\n", ""
    )
    sc = parse(text)
    assert sc.date == KB_AS_OF == dt.date(2025, 12, 31)
    inputs = resolve(sc).inputs
    ships = [s for s in inputs.labels["shooter"] if s.startswith("JS ")]
    assert len(ships) == 12  # 8 ships, Maya and Haguro each with two SM-3 loads and SM-6
    assert set(inputs.labels["interceptor"]) == {
        "pac3-mse", "sm3-ia", "sm3-ib", "sm3-iia", "sm6"
    }  # fmt: skip


def test_digest_is_stable_and_sensitive(small_text: str) -> None:
    a = resolve(parse(small_text)).digest()
    assert a == resolve(parse(small_text)).digest()
    changed = small_text.replace("salvo: 2, mode: salvo", "salvo: 1, mode: salvo")
    assert resolve(parse(changed)).digest() != a
    # comments and key order do not change the resolved inputs
    reordered = "# a comment\n" + small_text
    assert resolve(parse(reordered)).digest() == a


def test_inputs_survive_their_json_form_exactly(small_raid: Path) -> None:
    r = resolve(load_scenario(small_raid))
    back = codec.decode(Inputs, json.loads(r.inputs_json()))
    assert codec.dumps(back) == r.inputs_json()
    assert np.array_equal(back.window_close_s, r.inputs.window_close_s)


@pytest.mark.slow
def test_shipped_scenarios_resolve() -> None:
    names = list(shipped())
    assert names == [
        "andersen-today",
        "bases-in-range-today",
        "east-china-sea-2010",
        "east-china-sea-today",
        "guam-overflight-2015",
        "guam-overflight-2017",
        "kadena-2010",
        "kadena-today",
        "miyako-barrier-2010",
        "miyako-barrier-today",
        "nk-mixed-raid-today",
        "nk-raid-2010",
        "nk-raid-today",
        "nk-same-raid-2010",
        "nk-same-raid-today",
        "taiwan-strait-2010",
        "taiwan-strait-today-f22-381",
        "taiwan-strait-today",
    ]
    for name in names:
        r = resolve(load_scenario(name))
        assert r.scenario.spec.description
        if r.kind == "missile_defense":
            assert r.inputs.n_threats > 20 or name.startswith("guam-overflight-")
            assert presentation.geometry(r.scenario) is not None


def test_a_raid_of_several_hundred_missiles(small_text: str) -> None:
    """300 Nodong (the high inventory estimate) and 100 decoys: every object accounted for."""
    import anpo
    from anpo.models.missile_defense import simulate_reference

    text = small_text.replace("count: 6,", "count: 300,").replace(
        "{count: 2, target: Tokyo}", "{count: 100, target: Tokyo}"
    )
    sc = parse(text)
    result = anpo.run(sc, trials=60, seed=2, chunk_size=60)
    fate = result.outcomes["threat_fate"]
    assert fate.shape == (60, 400)
    leaked = result.outcomes["leakers"]
    failed = result.outcomes["failed"].sum(axis=1)  # missiles that failed in flight
    assert (leaked + result.outcomes["intercepted"].sum(axis=1) + failed == 300).all()
    # magazines drawn per trial: at most one salvo of two per two interceptors
    magazine = result.outcomes["magazine"]
    assert (result.outcomes["expended"] <= magazine).all()
    assert (leaked >= 300 - failed - magazine.sum(axis=1) // 2).all()
    inputs = resolve(sc).inputs
    ref = simulate_reference(
        inputs, np.random.default_rng(np.random.SeedSequence(2, spawn_key=(0,))), 60
    )
    assert (ref["threat_fate"] == fate).all()


def test_magazines_nominal_or_set_by_the_scenario_are_fixed(small_text: str) -> None:
    nominal = resolve(parse(small_text.replace("posture:\n", "posture:\n  magazines: nominal\n")))
    assert nominal.inputs.shooter_magazine.tolist() == [8, 8, 16, 16]  # kb nominal loads
    assert nominal.inputs.shooter_magazine_dist == ()
    text = small_text.replace("    usn: 0", "    usn: 0\n    magazine: {JS Kongo (DDG-173): 5}")
    mixed = resolve(parse(text)).inputs
    assert mixed.shooter_magazine.tolist() == [5, 9, 48, 48]
    assert mixed.shooter_magazine_dist[0] == Dist.fixed(5)
    assert mixed.shooter_magazine_dist[1].family == "triangular"


def test_fire_control_comes_from_the_kb_or_the_scenario(small_raid: Path, small_text: str) -> None:
    """Ships and fire units get the kb's nominal channels and launch interval (4 and 2 s
    for Aegis, 4 and 3 s for Patriot); a scenario may set them, flagged as overrides."""
    r = resolve(load_scenario(small_raid))
    inputs = r.inputs
    assert inputs.shooter_channels.tolist() == [4, 4, 4, 4]
    # a salvo of two rounds, 2 s (ship) or 3 s (fire unit) apart, lengthens each engagement
    assert np.all(inputs.engage_time_s[:2] == 180.0 + 2.0)
    assert np.all(inputs.engage_time_s[2:] == 25.0 + 3.0)
    ledger = {e.name: e for e in r.ledger}
    assert ledger["posture.ships.fire_control.channels"].kind == "assumption"
    assert ledger["posture.pac3.fire_control.launch_interval_s"].value == "3 (range 1-5)"
    text = small_text.replace(
        "    usn: 0", "    usn: 0\n    fire_control: {channels: 1, launch_interval_s: 0}"
    )
    changed = resolve(parse(text))
    assert changed.inputs.shooter_channels.tolist() == [1, 1, 4, 4]
    assert np.all(changed.inputs.engage_time_s[:2] == 180.0)
    entry = {e.name: e for e in changed.ledger}["posture.ships.fire_control.channels"]
    assert entry.override and entry.value == "1"


def test_decoys_are_light_unless_the_scenario_says_heavy(small_text: str) -> None:
    """Light decoys (the default) are stripped before the lower tier; heavy ones are not."""
    light = resolve(parse(small_text)).inputs
    assert light.threat_stripped.tolist() == light.threat_is_decoy.tolist()
    heavy = resolve(
        parse(
            small_text.replace(
                "{count: 2, target: Tokyo}", "{count: 2, target: Tokyo, light: false}"
            )
        )
    ).inputs
    assert not heavy.threat_stripped.any() and heavy.threat_is_decoy.sum() == 2


def test_the_same_raid_in_2010_and_today_differs_only_by_forces_and_law() -> None:
    """nk-same-raid-2010 and -today share threat, assets and doctrine; today's larger
    defence leaks fewer warheads, by far more than the paired Monte Carlo error."""
    from anpo.models.missile_defense import simulate

    then = resolve(load_scenario("nk-same-raid-2010")).inputs
    now = resolve(load_scenario("nk-same-raid-today")).inputs
    assert then.labels["threat"] == now.labels["threat"]
    assert then.labels["asset"] == now.labels["asset"]
    assert then.n_shooters < now.n_shooters
    n = 4_000
    a = simulate(then, np.random.default_rng(np.random.SeedSequence(5)), n)["leakers"]
    b = simulate(now, np.random.default_rng(np.random.SeedSequence(5)), n)["leakers"]
    diff = (a - b).astype(float)
    se = diff.std(ddof=1) / np.sqrt(n)
    assert diff.mean() > 10 * se > 0


def test_attacker_missiles_fail_at_the_kb_rates_unless_told_not_to(small_text: str) -> None:
    r = resolve(parse(small_text))
    assert r.inputs.labels["attacker"] == ("nodong",)
    assert r.inputs.class_reliability[0].params == (0.75, 0.85, 0.95)
    assert r.inputs.threat_class.tolist() == [0] * 8  # decoys ride on Nodong too
    entry = {e.name: e for e in r.ledger}["missile.nodong.reliability"]
    assert entry.kind == "assumption"
    perfect = resolve(parse(small_text.replace("  decoys:", "  failures: false\n  decoys:")))
    assert perfect.inputs.class_reliability == ()
    assert {e.name: e for e in perfect.ledger}["threat.failures"].override
