"""A broken scenario gets one clear line per problem: field path, value, what is allowed."""

from __future__ import annotations

from pathlib import Path

import pytest

from anpo.errors import ScenarioError
from anpo.scenario import load_scenario, parse, resolve


def problems(text: str) -> list[str]:
    with pytest.raises(ScenarioError) as info:
        resolve(parse(text, "test.yaml"))
    return [str(p) for p in info.value.problems]


def with_change(base: str, old: str, new: str) -> str:
    assert old in base, old
    return base.replace(old, new)


def test_every_schema_problem_is_reported_with_its_path(broken: Path) -> None:
    with pytest.raises(ScenarioError) as info:
        load_scenario(broken)
    assert [str(p) for p in info.value.problems] == [
        "threat.missiles[0].count: Input should be greater than or equal to 1 (got -3)",
        "threat.missiles[1].count: required field is missing",
        "threat.missiles[1].cuont: unknown key; did you mean 'count'? allowed here: type, "
        "count, target, "
        "launch_time_s, launch_interval_s, launch_area, id, trajectory, angle_offset_deg "
        "(got 2)",
        "assets[0].priority: Input should be greater than or equal to 1 (got 0)",
        "doctrine.upper.mode: Input should be 'salvo' or 'shoot-look-shoot' "
        "(got 'shoot-look-shot')",
        "uncertain.sspk.sm3-ia.alpha: Input should be greater than 0 (got -1)",
    ]
    assert info.value.exit_code == 2
    assert info.value.lines()[0].endswith("broken.yaml: 6 problem(s)")


def test_unknown_top_level_key_lists_the_allowed_keys(small_text: str) -> None:
    text = small_text + "\nthreats: {}\n"
    with pytest.raises(ScenarioError) as info:
        parse(text, "t.yaml")
    (only,) = info.value.problems
    assert only.path == "threats"
    assert (
        "unknown key; did you mean 'threat'? allowed here: schema_version, kind, name, "
        "description, date"
    ) in str(only)


def did_you_mean(text: str) -> list[str]:
    """The problems of a scenario that fails to load or to resolve."""
    with pytest.raises(ScenarioError) as info:
        resolve(parse(text, "t.yaml"))
    return [str(p) for p in info.value.problems]


def test_did_you_mean_for_kinds_fields_and_names(small_text: str) -> None:
    """A typo gets the nearest allowed name: kinds, keys, missile types, places, stations."""
    kind = did_you_mean(with_change(small_text, "kind: missile_defense", "kind: missle_defense"))[0]
    assert kind.startswith("kind: unknown kind; did you mean 'missile_defense'? known: ")
    (key,) = did_you_mean(with_change(small_text, "launch_interval_s: 10", "launch_intervl_s: 10"))
    assert "unknown key; did you mean 'launch_interval_s'? allowed here: type," in key
    (missile,) = did_you_mean(with_change(small_text, "type: nodong", "type: nodnog"))
    assert missile.startswith(
        "threat.missiles[0].type: not a North Korean missile in service on 2010-06-01; "
        "did you mean 'nodong'? known then: "
    )
    geo = with_change(small_text, "schema_version: 1", "schema_version: 2")
    geo = with_change(
        geo, "launch_interval_s: 10}", "launch_interval_s: 10, launch_area: Pyongyang Sunan aera}"
    )
    geo = with_change(
        geo,
        "{count: 2, target: Tokyo}",
        "{count: 2, target: Tokyo, launch_area: Pyongyang Sunan aera}",
    )
    area = did_you_mean(with_change(geo, "priority: 1,", "priority: 1, place: Tokyo,"))
    assert any("did you mean 'Pyongyang Sunan area'," in x for x in area)
    geo = geo.replace("launch_area: Pyongyang Sunan aera", "launch_area: Pyongyang Sunan area")
    geo = with_change(geo, "priority: 1,", "priority: 1, place: Okinawa,")
    geo = with_change(geo, "    usn: 0", "    usn: 0\n    default_station: Sea of Japn central")
    lines = did_you_mean(geo)
    assert any("not a sea station; did you mean 'Sea of Japan central'? " in x for x in lines)
    okinawa = next(line for line in lines if "'Okinawa'" in line)
    assert "did you mean 'Kadena Air Base' (4 km from Okinawa)" in okinawa
    assert "Misawa'," not in okinawa.split(" (known")[0]


def test_yaml_syntax_error_names_line_and_column() -> None:
    with pytest.raises(ScenarioError) as info:
        parse("kind: missile_defense\nthreat: [1, 2\n", "t.yaml")
    (only,) = info.value.problems
    assert only.path == "<yaml>"
    assert only.value == "line 3, column 1"


def test_yaml_is_parsed_safely(tmp_path: Path) -> None:
    marker = tmp_path / "executed"
    text = f"!!python/object/apply:os.system ['touch {marker}']\n"
    with pytest.raises(ScenarioError):
        parse(text, "evil.yaml")
    assert not marker.exists()


def test_unknown_kind_lists_known_kinds() -> None:
    with pytest.raises(ScenarioError) as info:
        parse("schema_version: 1\nkind: space\nname: x\ndate: 2010-01-01\n")
    assert str(info.value.problems[0]) == (
        "kind: unknown kind; known: air_base, air_superiority, asw, missile_defense, naval "
        "(got 'space')"
    )


def test_a_date_before_the_knowledge_base_is_refused(small_text: str) -> None:
    (line,) = problems(with_change(small_text, "date: 2010-06-01", "date: 1998-08-31"))
    assert line.startswith("date: date 1998-08-31 is before the knowledge base's coverage")


def test_a_date_after_the_as_of_date_is_refused(small_text: str) -> None:
    (line,) = problems(with_change(small_text, "date: 2010-06-01", "date: 2031-01-01"))
    assert "after the knowledge base's as-of date 2025-12-31" in line


def test_a_missile_not_yet_in_service_is_refused(small_text: str) -> None:
    (line,) = problems(with_change(small_text, "type: nodong", "type: hwasong-12"))
    assert line == (
        "threat.missiles[0].type: not a North Korean missile in service on 2010-06-01; "
        "known then: musudan, nodong, scud-bc, scud-er (got 'hwasong-12')"
    )


def test_a_raid_larger_than_the_inventory_is_refused(small_text: str) -> None:
    (line,) = problems(with_change(small_text, "count: 6,", "count: 400,"))
    assert "more than the high estimate of North Korea's inventory on 2010-06-01 (300)" in line


def test_unknown_target_and_uncertain_key(small_text: str) -> None:
    text = with_change(small_text, "target: Tokyo, launch", "target: Osaka, launch")
    text += "uncertain:\n  sspk.sm3-iib: {dist: uniform, low: 0.5, high: 0.9}\n"
    lines = problems(text)
    assert lines[0].startswith("threat.missiles[0].target: not a defended asset; assets: Tokyo")
    # the raid fails before the uncertain section is checked; check it alone
    lines = problems(
        small_text + "uncertain:\n  sspk.sm3-iib: {dist: uniform, low: 0.5, high: 0.9}\n"
    )
    assert lines == [
        "uncertain.sspk.sm3-iib: not an uncertain parameter of this scenario; allowed: "
        "sspk.pac3, sspk.sm3-ia, reliability.pac3, reliability.sm3-ia, "
        "sensor_delay_s.upper, sensor_delay_s.lower, discrimination (got 'sspk.sm3-iib')"
    ]


def test_a_probability_outside_zero_one_is_refused(small_text: str) -> None:
    text = small_text + "uncertain:\n  sspk.sm3-ia: {dist: uniform, low: 0.5, high: 1.2}\n"
    (line,) = problems(text)
    assert line.startswith("uncertain.sspk.sm3-ia: a probability must lie between 0 and 1")


def test_bad_distribution_parameters_are_refused(small_text: str) -> None:
    text = small_text + "uncertain:\n  sensor_delay_s.upper: {dist: uniform, low: 90, high: 30}\n"
    (line,) = problems(text)
    assert line.startswith("uncertain.sensor_delay_s.upper: uniform needs low < high")


def test_too_many_pac3_fire_units_are_refused(small_text: str) -> None:
    (line,) = problems(with_change(small_text, "pac3_fire_units: 2", "pac3_fire_units: 9"))
    assert line == (
        "assets[0].pac3_fire_units: only 4 matching fire units are left on 2010-06-01 (got 9)"
    )


def test_an_unknown_ship_is_refused_with_the_ships_of_the_day(small_text: str) -> None:
    (line,) = problems(with_change(small_text, "JS Chokai (DDG-176)", "JS Maya (DDG-179)"))
    assert line.startswith(
        "posture.ships.select[1]: not a BMD-capable ship on 2010-06-01; ships then: "
        "JS Kongo (DDG-173), JS Chokai (DDG-176), JS Myoko (DDG-175)"
    )


def test_an_unknown_shooter_in_a_window_override_is_refused(small_text: str) -> None:
    text = small_text + ("feasibility:\n  overrides:\n    - {shooter: JS Atago, feasible: false}\n")
    (line,) = problems(text)
    assert line.startswith("feasibility.overrides[0].shooter: not a shooter in this scenario")


def test_a_missing_file_and_an_unknown_name(tmp_path: Path) -> None:
    with pytest.raises(ScenarioError) as info:
        load_scenario(tmp_path / "nope.yaml")
    assert "no such scenario file" in str(info.value)
    with pytest.raises(ScenarioError) as info:
        load_scenario("nk-raid-1999")
    assert "neither a YAML file nor a shipped scenario; shipped: andersen-today" in str(info.value)
    assert "nk-raid-2010, nk-raid-today" in str(info.value)
