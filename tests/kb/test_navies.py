"""The war at sea's order of battle: every count sourced, and the scenarios' ledgers show it."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from typer.testing import CliRunner

from anpo import kb
from anpo.cli.main import app

NAVAL_TYPES = (
    "warship_class",
    "anti_ship_missile",
    "ship_defence",
    "naval_scouting",
    "asw_platform",
    "submarine_class",
    "strait",
)


def test_every_order_of_battle_count_is_a_sourced_fact_or_estimate() -> None:
    base = kb.load()
    forces = [r for r in base.records if r.type == "naval_force"]
    assert len(forces) >= 30
    for r in forces:
        assert r.kind in ("fact", "estimate"), r.id
        assert r.source is not None and r.source.ref in base.sources, r.id
        assert r.source.section, r.id
        assert r.as_of is not None, r.id
        if r.kind == "estimate":
            assert isinstance(r.data["count"], dict), r.id  # a range, not false precision


@pytest.mark.parametrize(
    ("day", "navy", "ship_class", "low", "nominal", "high"),
    [
        # DoD China reports: 2010 appendix and the 2023 edition's force structure
        (dt.date(2010, 6, 1), "PLAN", "diesel-all", 50, 54, 58),
        (dt.date(2010, 6, 1), "PLAN", "nuclear-attack-all", 5, 6, 7),
        (kb.KB_AS_OF, "PLAN", "diesel-all", 46, 48, 53),
        (kb.KB_AS_OF, "PLAN", "nuclear-attack-all", 6, 6, 6),
        (kb.KB_AS_OF, "PLAN", "ssbn-all", 6, 6, 6),
        (dt.date(2010, 6, 1), "PLAN", "sovremenny", 4, 4, 4),
        (dt.date(2010, 6, 1), "PLAN", "type-054a", 4, 6, 8),
        (kb.KB_AS_OF, "PLAN", "type-054a", 30, 30, 32),
        (kb.KB_AS_OF, "JMSDF", "mogami", 4, 8, 9),
        # JMSDF: submarines, Aegis destroyers and patrol aircraft
        (dt.date(2010, 6, 1), "JMSDF", "p-3c", 70, 80, 90),
        (kb.KB_AS_OF, "JMSDF", "p-1", 35, 35, 35),
        (kb.KB_AS_OF, "JMSDF", "kongo", 4, 4, 4),
        (kb.KB_AS_OF, "JMSDF", "maya", 2, 2, 2),
        # USN forward deployed, ROK Navy, RAN
        (kb.KB_AS_OF, "USN", "burke", 9, 9, 9),
        (dt.date(2010, 6, 1), "USN", "p-3c", 6, 11, 12),
        (kb.KB_AS_OF, "USN", "p-8a", 6, 6, 12),
        (dt.date(2010, 6, 1), "ROKN", "all", 12, 12, 15),
        (kb.KB_AS_OF, "RAN", "collins", 6, 6, 6),
    ],
)
def test_order_of_battle_counts(
    day: dt.date, navy: str, ship_class: str, low: float, nominal: float, high: float
) -> None:
    found = [
        r
        for r in kb.load().at(day, "naval_force")
        if r.data["navy"] == navy and r.data["ship_class"] == ship_class
    ]
    assert len(found) == 1
    count = found[0].range("count")
    assert (count.low, count.nominal, count.high) == (low, nominal, high)


def test_jmsdf_submarines_2010_and_today() -> None:
    base = kb.load()
    subs = {
        day: [
            r.range("count").nominal
            for r in base.at(day, "naval_force")
            if r.data["navy"] == "JMSDF" and r.data["category"] == "submarine"
        ]
        for day in (dt.date(2010, 6, 1), kb.KB_AS_OF)
    }
    assert subs == {dt.date(2010, 6, 1): [16.0], kb.KB_AS_OF: [22.0]}


def test_remaining_naval_assumptions_give_ranges_and_reasoning() -> None:
    for r in kb.load().records:
        if r.type not in NAVAL_TYPES or r.kind != "assumption":
            continue
        assert r.reasoning and len(r.reasoning) > 40, r.id
        for key, value in r.data.items():
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                pytest.fail(f"{r.id}.{key} is a bare number; an assumption needs a range")
            if isinstance(value, dict):
                assert r.range(key).low <= r.range(key).high, (r.id, key)


def test_miyako_barrier_today_ledger_has_facts() -> None:
    result = CliRunner().invoke(app, ["show", "miyako-barrier-today", "--json"])
    assert result.exit_code == 0, result.stdout
    inputs = json.loads(result.stdout)["inputs"]
    kinds = [e["kind"] for e in inputs]
    assert kinds.count("fact") > 0
    p1 = next(e for e in inputs if e["name"] == "platforms[0].inventory")
    assert (p1["kind"], p1["value"], p1["as_of"]) == ("fact", "35 (range 35-35)", "2024-09-30")
    assert "Nikkei Asia" in p1["source"]
    assert kinds.count("fact") + kinds.count("estimate") >= 3
