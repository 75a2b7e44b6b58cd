"""The knowledge base: every record sourced and dated, every date covered."""

from __future__ import annotations

import datetime as dt

import pytest

from anpo import kb
from anpo.errors import KnowledgeBaseError
from anpo.kb.records import REQUIRED_DATA

REQUIRED_TYPES = (
    "aegis_bmd_ship",
    "aegis_bmd_ship_count",
    "pac3_fire_units",
    "interceptor",
    "dprk_missile",
    "magazine_load",
    "sensor_delay",
)


def monthly(start: dt.date, end: dt.date) -> list[dt.date]:
    days, d = [], start
    while d <= end:
        days.append(d)
        d = dt.date(d.year + (d.month == 12), d.month % 12 + 1, 1)
    return [*days, end]


def test_as_of_is_a_constant_not_the_clock() -> None:
    assert dt.date(2025, 12, 31) == kb.KB_AS_OF
    assert dt.date(2009, 1, 1) == kb.KB_COVERS_FROM


def test_every_record_is_sourced_or_reasoned() -> None:
    base = kb.load()
    assert len(base.records) >= 50
    for r in base.records:
        assert r.type in REQUIRED_DATA
        if r.kind in ("fact", "estimate"):
            assert r.source is not None and r.source.ref in base.sources, r.id
            assert r.as_of is not None, r.id
        else:
            assert r.reasoning, r.id
        assert base.cite(r)


def test_every_date_in_coverage_resolves_each_record_type() -> None:
    base = kb.load()
    interceptors = {r.id for r in base.records if r.type == "interceptor"}
    for day in monthly(kb.KB_COVERS_FROM, kb.KB_AS_OF):
        for type_ in REQUIRED_TYPES:
            assert base.at(day, type_), (type_, day)
        in_service = {r.id for r in base.at(day, "interceptor")}
        for type_ in ("aegis_bmd_ship", "aegis_bmd_ship_count", "magazine_load"):
            for r in base.at(day, type_):
                assert r.data["interceptor"] in interceptors
                assert r.data["interceptor"] in in_service, (r.id, day)
        tiers = {r.data["tier"] for r in base.at(day, "sensor_delay")}
        assert tiers == {"upper", "lower"}


def test_estimates_are_ranges() -> None:
    base = kb.load()
    sm3 = base.get("sm3-ia")
    assert sm3.kind == "estimate"
    assert sm3.range("sspk").low < sm3.range("sspk").high
    nodong = base.one(dt.date(2010, 1, 1), "dprk_missile", id_short="nodong")
    inventory = nodong.range("inventory")
    assert (inventory.low, inventory.nominal, inventory.high) == (150, 200, 300)


def test_bmd_ships_of_the_essay_and_of_today() -> None:
    base = kb.load()
    in_2010 = [r.entity for r in base.at(dt.date(2010, 1, 1), "aegis_bmd_ship")]
    assert in_2010 == ["JS Kongo (DDG-173)", "JS Chokai (DDG-176)", "JS Myoko (DDG-175)"]
    kirishima = base.get("aegis.jmsdf.kirishima")
    assert kirishima.valid_from == dt.date(2010, 10, 28)
    today = base.at(kb.KB_AS_OF, "aegis_bmd_ship")
    assert len(today) == 8
    assert {r.data["ship_class"] for r in today} == {"Kongo", "Atago", "Maya"}


@pytest.mark.parametrize(
    ("day", "message"),
    [
        (dt.date(2008, 12, 31), "before the knowledge base's coverage, which starts on 2009-01-01"),
        (dt.date(2026, 1, 1), "after the knowledge base's as-of date 2025-12-31"),
    ],
)
def test_dates_outside_coverage_get_a_clear_error(day: dt.date, message: str) -> None:
    with pytest.raises(KnowledgeBaseError, match=message):
        kb.load().at(day, "interceptor")


def test_one_refuses_ambiguous_lookups() -> None:
    with pytest.raises(KnowledgeBaseError, match="has 3 aegis_bmd_ship records for navy=JMSDF"):
        kb.load().one(dt.date(2010, 1, 1), "aegis_bmd_ship", navy="JMSDF")
