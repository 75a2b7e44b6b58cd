"""The models obey the law in force: the same forces, dated 2010 and today, differ exactly
where the law and the agreements differ (collective self-defence, shared sensor data)."""

from __future__ import annotations

import numpy as np

import anpo
from anpo.scenario import parse, resolve

FIXED = """
schema_version: 2
kind: missile_defense
name: guam-raid
date: {date}
threat:
  missiles:
    - {{type: musudan, count: 4, target: Guam}}
assets:
  - {{name: Guam, situation: missile_over_japan_to_guam_or_hawaii}}
posture:
  ships:
    select: []
    usn: 0
    extra:
      - {{name: JMSDF test ship, interceptor: sm3-ia, magazine: 8}}
      - {{name: USN test ship, interceptor: sm3-ia, magazine: 8, navy: USN}}
{extra}
"""


def scenario(date: str, extra: str = "") -> str:
    return FIXED.format(date=date, extra=extra)


def ledger(text: str) -> dict[str, anpo.scenario.LedgerEntry]:  # type: ignore[name-defined]
    return {e.name: e for e in resolve(parse(text)).ledger}


def test_japan_may_not_intercept_a_missile_bound_for_guam_in_2010() -> None:
    then = resolve(parse(scenario("2010-01-01"))).inputs
    now = resolve(parse(scenario("2025-12-31"))).inputs
    japanese, american = 0, 1
    assert np.isnan(then.window_close_s[japanese]).all()
    assert np.isfinite(then.window_close_s[american]).all()
    assert np.isfinite(now.window_close_s[japanese]).all()
    a, b = ledger(scenario("2010-01-01")), ledger(scenario("2025-12-31"))
    assert a["law.japan.Guam"].value == "intercept_missile_aimed_elsewhere: prohibited"
    assert (
        "1981" in a["law.japan.Guam"].source or "Cabinet Legislation" in a["law.japan.Guam"].source
    )
    assert b["law.japan.Guam"].value == "intercept_missile_aimed_elsewhere: conditional"
    assert "survival-threatening" in b["law.japan.Guam"].note


def test_the_runs_differ_only_where_the_law_does() -> None:
    then = anpo.run(parse(scenario("2010-01-01")), trials=3000, seed=4)
    now = anpo.run(parse(scenario("2025-12-31")), trials=3000, seed=4)
    assert (then.outcomes["expended"][:, 0] == 0).all()  # the JMSDF ship holds fire
    assert now.outcomes["expended"][:, 0].mean() > 1
    assert now.outcomes["leakers"].mean() < then.outcomes["leakers"].mean()
    # what else differs between the two ledgers: the law, the shared sensor data, the
    # basing plan, the delay they imply, and the date; nothing about the forces used
    # (the kb's count of U.S. ships at Yokosuka is context: the scenario uses none)
    a, b = ledger(scenario("2010-01-01")), ledger(scenario("2025-12-31"))
    changed = {k for k in a.keys() | b.keys() if k not in a or k not in b or a[k] != b[k]}
    assert changed == {
        "date",
        "law.japan.Guam",
        "basing.futenma_replacement",
        "basing.marines_on_guam",
        "sensor_delay_s.upper",
        "sharing.agreement.2016-gsomia-rok",
        "sharing.arrangement.2014-kyogamisaki-radar",
        "sharing.arrangement.2023-trilateral-missile-warning",
        "ships.USN.Yokosuka.count",
    }


def test_shared_sensor_data_shorten_the_upper_tier_delay_only_where_in_force() -> None:
    d2010 = resolve(parse(scenario("2010-01-01"))).inputs.sensor_delay_s[0]
    d2025 = resolve(parse(scenario("2025-12-31"))).inputs.sensor_delay_s[0]
    # own sensors 90-150-360 s; 2010: Shariki (30 s); 2025: + Kyogamisaki (30), ROK GSOMIA
    # (5) and trilateral real-time sharing (15)
    assert d2010.params == (60.0, 120.0, 330.0)
    assert d2025.params == (10.0, 70.0, 280.0)
    b = ledger(scenario("2025-12-31"))
    assert {k for k in b if k.startswith("sharing.")} == {
        "sharing.arrangement.2006-shariki-radar",
        "sharing.arrangement.2014-kyogamisaki-radar",
        "sharing.agreement.2016-gsomia-rok",
        "sharing.arrangement.2023-trilateral-missile-warning",
    }


def test_shared_radar_tracks_as_a_policy_lever_are_flagged() -> None:
    lever = "  sharing: {rok: true}\n"
    inputs = resolve(parse(scenario("2010-01-01", lever))).inputs
    assert inputs.sensor_delay_s[0].params == (40.0, 100.0, 310.0)
    entry = ledger(scenario("2010-01-01", lever))["sharing.rok"]
    assert entry.override and "no arrangement is in force on 2010-01-01" in entry.note


def test_a_legal_override_is_flagged() -> None:
    text = scenario("2010-01-01") + "law: {override: true}\n"
    inputs = resolve(parse(text)).inputs
    assert np.isfinite(inputs.window_close_s[0]).all()
    entry = ledger(text)["law.override.Guam"]
    assert entry.override and entry.note.startswith("LEGAL OVERRIDE")


def test_basing_resolves_from_the_realignment_in_force() -> None:
    a = ledger(scenario("2010-01-01"))
    assert a["basing.futenma_replacement"].value.endswith("not open")
    assert a["basing.marines_on_guam"].value.startswith("0 of 8000")
    assert a["basing.marines_on_guam"].kind == "fact"
