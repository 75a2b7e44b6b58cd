"""``anpo show``'s summary groups come from the scenario's kind, for every kind."""

from __future__ import annotations

import json
from typing import Any

import pytest
from typer.testing import CliRunner

from anpo import scenario as sc_mod
from anpo.cli import summary
from anpo.cli.main import app
from anpo.kinds import registry
from anpo.kinds.base import MISSILE_DEFENCE_SUMMARY, SummaryGroups

runner = CliRunner()

SHIPPED = sc_mod.shipped()


def _show(name: str) -> dict[str, Any]:
    result = runner.invoke(app, ["show", name, "--json"])
    assert result.exit_code == 0, result.stdout
    payload: dict[str, Any] = json.loads(result.stdout)
    return payload


@pytest.mark.parametrize("name", SHIPPED)
def test_every_shipped_scenario_names_its_threat_and_forces(name: str) -> None:
    """No shipped scenario prints "Forces: none" (nor "Threat: none": every kind has one)."""
    payload = _show(name)
    digest = payload["summary"]
    declared = registry.get(payload["kind"]).summary.groups
    assert digest["groups"] == list(declared)
    assert digest["forces"], name
    if "threat" in declared:
        assert digest["threat"], name
    names = {e["name"] for e in payload["inputs"]}
    for group in digest["groups"]:
        for line in digest[group]:
            assert line.split(": ")[0] in names
    # every summary line fits 80 columns, and the groups print in the declared order
    text = summary.lines(digest, 80)
    assert all(len(line) <= 80 for line in text)
    heads = [line.split(" (")[0].split(":")[0] for line in text[1:] if line[0] != " "]
    assert heads[: len(declared)] == [g.capitalize() for g in declared]


def test_each_kind_groups_its_own_inputs() -> None:
    """The real inputs of each kind land in its groups (one scenario per kind)."""
    md = _show("nk-raid-today")["summary"]
    assert any(s.startswith("threat.missiles[0]: ") for s in md["threat"])
    assert any(s.startswith("ship.JS ") for s in md["forces"])
    assert any(s.startswith("law.japan.") for s in md["law"])

    guam = _show("guam-overflight-2017")["summary"]
    assert any(s.startswith("thaad.thaad.guam: ") for s in guam["forces"])

    naval = _show("east-china-sea-today")["summary"]
    assert naval["groups"] == ["threat", "forces"]
    assert [s.split(": ")[0] for s in naval["forces"]] == [
        "maya.in_service",
        "kongo.in_service",
        "burke.in_service",
        "mogami.in_service",
        "maya.count",
        "kongo.count",
        "burke.count",
        "mogami.count",
    ]
    assert [s.split(":")[0] for s in naval["threat"]][:2] == [
        "type-055.in_service",
        "type-052d.in_service",
    ]
    assert "type-055.count: 2 ships" in naval["threat"]

    asw = _show("miyako-barrier-today")["summary"]
    assert [s.split(": ")[0] for s in asw["threat"]] == ["transits[0]", "transits[1]"]
    assert "jmsdf-p-1.on_station: 2 platforms" in asw["forces"]

    air = _show("taiwan-strait-today")["summary"]
    assert all(s.startswith(("PLA ", "raid.raid[", "tankers.PLA")) for s in air["threat"])
    assert not any(s.startswith("PLA ") for s in air["forces"])
    assert "USAF F-22A at Kadena Air Base.count: 24.6 aircraft" in air["forces"]

    base = _show("andersen-today")["summary"]
    assert any(s.startswith("raid[0]: 16 x DF-26") for s in base["threat"])
    assert "defence.thaad_batteries: Andersen Air Force Base 1 batteries" in base["forces"]
    assert not any(s.startswith("defence.thaad.sspk") for s in base["forces"])


def test_group_rules() -> None:
    """Exact names first, then details (left to the full ledger), then the patterns."""
    md = MISSILE_DEFENCE_SUMMARY
    assert summary.group_of("threat.missiles[0]", md) == "threat"
    assert summary.group_of("ship.JS Kongo (DDG-173)", md) == "forces"
    assert summary.group_of("ship.JS Kongo (DDG-173).magazine", md) is None
    assert summary.group_of("law.japan.Tokyo", md) == "law"
    assert summary.group_of("sspk.sm3-ia", md) is None
    groups = SummaryGroups(groups={"forces": (r"a\..+",)}, detail=(r".*\.count",))
    assert summary.group_of("a.count", groups) is None
    assert summary.group_of("a.count", groups, {"a.count": "forces"}) == "forces"
    assert summary.group_of("a.x", groups) == "forces"
    assert summary.group_of("b.x", groups) is None
