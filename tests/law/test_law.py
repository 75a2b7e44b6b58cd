"""The legal-authority engine: the well-known cases, with their sources, and rules as data.

Sources of the expected answers: 1981 CLB interpretation and the 1 July 2014 Cabinet
decision (Defense of Japan 2015, Part II, Ch. 1, Sec. 3); Legislation for Peace and
Security in force 29 March 2016 (Defense of Japan 2016, Part II, Ch. 3); refuelling laws
(Defense of Japan 2010, Part III, Ch. 3; MOD Japan Defense Focus No. 11); Anti-Piracy
Law in force 24 July 2009 (Journal of Commerce, 20 July 2011; PM Aso, 19 June 2009);
Japan-ROK GSOMIA 23 Nov 2016 (KBS World); trilateral sharing 19 Dec 2023 (DoD joint
statement); Treaty of Mutual Cooperation and Security, Art. V (MOFA treaty text).
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
import typer
import yaml
from typer.testing import CliRunner

from anpo import kb
from anpo.cli.law_cmds import law_app, timeline_cmd
from anpo.errors import KnowledgeBaseError, UsageError
from anpo.kb.law import ACTIONS, PARTIES, SITUATIONS, build_law, load_law
from anpo.law import LawEngine, authority, diff, may_engage, realignment, sharing_in_force

JP = "japan"
GUAM = "missile_over_japan_to_guam_or_hawaii"
SHIPS = "attack_on_us_ships_defending_japan"
CLB_1981 = (
    "Cabinet Legislation Bureau interpretation of 29 May 1981, "
    "collective self-defence not permitted"
)
SURVIVAL = (
    "Legislation for Peace and Security (2015), "
    "SDF Law Art. 76(1)(ii) (survival-threatening situation)"
)
CABINET_2014 = "Cabinet decision of 1 July 2014, Sec. 3(3), the three new conditions"
ART5 = "Treaty of Mutual Cooperation and Security (1960), Art. V"
DATA = Path(kb.__file__).parent / "data" / "law"


def test_every_record_is_sourced_and_dated() -> None:
    base = load_law()
    assert len(base.instruments) >= 30
    assert sum(len(i.rules) for i in base.instruments) >= 35
    for inst in base.instruments:
        assert inst.sources and all(s.ref in base.sources for s in inst.sources), inst.id
        assert inst.provisions, inst.id
        for s in inst.sources:
            assert base.cite_source(s)
    assert kb.load().records  # the law sources registry also loads with the kb


@pytest.mark.parametrize("situation", [GUAM, SHIPS])
@pytest.mark.parametrize("action", ["intercept_missile_aimed_elsewhere", "defend_us_ships"])
def test_collective_self_defence_prohibited_in_2010_conditional_from_2016(
    situation: str, action: str
) -> None:
    before = may_engage("2010-06-01", JP, action, situation)
    assert before.status == "prohibited"
    assert before.citations == [CLB_1981]
    assert before.records == ["interp.1981-clb"]
    between = may_engage("2015-06-01", JP, action, situation)  # reinterpreted, no law yet
    assert between.status == "no_basis"
    assert between.records == ["cabinet.2014-07-01"]
    assert may_engage("2016-03-28", JP, action, situation).status == "no_basis"
    after = may_engage("2016-03-29", JP, action, situation)
    assert after.status == "conditional"
    assert after.citations == [SURVIVAL, CABINET_2014]
    assert after.records == ["law.2015-peace-security", "cabinet.2014-07-01"]
    assert after.condition is not None and "survival-threatening situation" in after.condition


@pytest.mark.parametrize(
    ("day", "status"),
    [
        ("2001-11-01", "no_basis"),
        ("2001-11-02", "permitted"),
        ("2007-11-01", "permitted"),
        ("2007-11-02", "no_basis"),
        ("2008-01-15", "no_basis"),
        ("2008-01-16", "permitted"),
        ("2010-01-15", "permitted"),
        ("2010-01-16", "no_basis"),
        ("2015-01-01", "no_basis"),
    ],
)
def test_indian_ocean_refuelling(day: str, status: str) -> None:
    assert may_engage(day, JP, "refuelling_abroad", "international_peace_support").status == status


def test_refuelling_citations_and_later_standing_law() -> None:
    a = may_engage("2002-06-01", JP, "refuelling_abroad", "international_peace_support")
    assert a.citations == [
        "Anti-Terrorism Special Measures Law (2001), Art. 3 (cooperation and support activities)"
    ]
    b = may_engage("2009-06-01", JP, "refuelling_abroad", "international_peace_support")
    assert b.records == ["law.2008-replenishment"]
    c = may_engage("2017-01-01", JP, "refuelling_abroad", "international_peace_support")
    assert c.status == "conditional"  # International Peace Support Act: Diet approval each time
    assert c.records == ["law.2015-international-peace-support"]
    assert c.condition is not None and "prior approval without exception" in c.condition


def test_anti_piracy_escort() -> None:
    before = may_engage("2009-05-01", JP, "escort_foreign_ships", "piracy")
    assert before.status == "conditional"
    assert before.citations == [
        "Self-Defense Forces Law (1954), Art. 82 (maritime security operations)"
    ]
    assert before.condition is not None and "Japanese-related ships" in before.condition
    assert may_engage("2009-07-23", JP, "escort_foreign_ships", "piracy").status == "conditional"
    after = may_engage("2009-07-24", JP, "escort_foreign_ships", "piracy")
    assert after.status == "permitted"
    assert after.citations == ["Anti-Piracy Law (2009), Arts. 7, 8 (pirate-response operations)"]


def test_japan_rok_sensor_sharing() -> None:
    s = "armed_attack_on_japan"
    assert may_engage("2010-01-01", JP, "share_sensor_data_rok", s).status == "no_basis"
    assert may_engage("2014-06-01", JP, "share_sensor_data_rok", s).status == "no_basis"
    tisa = may_engage("2015-06-01", JP, "share_sensor_data_rok", s)
    assert (tisa.status, tisa.records) == ("conditional", ["arrangement.2014-tisa"])
    gsomia = may_engage("2016-11-23", JP, "share_sensor_data_rok", s)
    assert gsomia.status == "permitted"
    assert gsomia.citations == ["Japan-ROK GSOMIA (2016), Arts. 1-4"]
    assert sharing_in_force("2016-11-22", JP, "rok") == ["arrangement.2014-tisa"]
    assert sharing_in_force("2023-12-18", "rok", JP) == ["agreement.2016-gsomia-rok"]
    assert sharing_in_force("2023-12-19", JP, "rok") == [
        "agreement.2016-gsomia-rok",
        "arrangement.2023-trilateral-missile-warning",
    ]


def test_forward_radars_cue_japan() -> None:
    assert sharing_in_force("2006-09-25", "us", JP) == []
    assert sharing_in_force("2006-09-26", "us", JP) == ["arrangement.2006-shariki-radar"]
    assert sharing_in_force("2015-01-01", "us", JP) == [
        "arrangement.2006-shariki-radar",
        "agreement.2007-gsomia-us",
        "arrangement.2014-kyogamisaki-radar",
    ]
    assert sharing_in_force("2012-01-01", JP, "australia") == []
    assert sharing_in_force("2014-01-01", JP, "australia") == ["agreement.2013-japan-australia-isa"]


@pytest.mark.parametrize("day", ["1975-01-01", "2010-01-01", "2016-03-29", "2025-12-31"])
def test_individual_self_defence_always_conditional(day: str) -> None:
    a = may_engage(day, JP, "use_force_defence_of_japan", "armed_attack_on_japan")
    assert a.status == "conditional"
    assert a.condition is not None and "(1)" in a.condition and "(3)" in a.condition
    assert "minimum" in a.condition


def test_article_v_applies_to_territories_under_japan_administration() -> None:
    for situation in ("armed_attack_on_japan", "attack_on_us_forces_in_japan"):
        a = may_engage("2010-01-01", "us", "use_force_defence_of_japan", situation)
        assert a.status == "conditional"
        assert a.citations == [ART5]
        assert a.condition is not None
        assert "territories under the administration of Japan" in a.condition
    old = may_engage("1955-01-01", "us", "use_force_defence_of_japan", "armed_attack_on_japan")
    assert old.records == ["treaty.1951-security"]
    assert old.condition is not None and "not an obligation" in old.condition


def test_diff_lists_collective_self_defence_and_sharing_changes() -> None:
    changes = {(c.party, c.action, c.situation): c for c in diff("2010-01-01", "2025-12-31")}
    csd = changes[(JP, "intercept_missile_aimed_elsewhere", GUAM)]
    assert (csd.before.status, csd.after.status) == ("prohibited", "conditional")
    assert "law.2015-peace-security" in csd.records and "interp.1981-clb" in csd.records
    rok = changes[(JP, "share_sensor_data_rok", GUAM)]
    assert (rok.before.status, rok.after.status) == ("no_basis", "permitted")
    assert rok.records == [
        "arrangement.2023-trilateral-missile-warning",
        "agreement.2016-gsomia-rok",
    ]
    aus = changes[(JP, "share_sensor_data_aus", GUAM)]
    assert aus.records == ["agreement.2013-japan-australia-isa"]
    assert all(c.records and c.reason for c in changes.values())


def test_realignment() -> None:
    r2010 = realignment("2010-01-01")
    assert r2010["plan"] == "realign.2006-roadmap"
    assert r2010["futenma_replacement_site"].startswith("Camp Schwab")
    assert (r2010["marines_to_guam_planned"], r2010["marines_relocated_to_guam"]) == (8000, 0)
    assert r2010["futenma_replacement_open"] is False
    now = realignment("today")
    assert now["plan"] == "realign.2012-scc-adjustment"
    assert (now["marines_to_guam_planned"], now["marines_relocated_to_guam"]) == (5000, 100)
    assert now["futenma_replacement_open"] is False
    assert now["citations"]
    assert realignment("2000-01-01")["plan"] == "realign.1996-saco"


def test_table_shape_and_bad_input() -> None:
    answers = authority("2016-03-29")
    assert len(answers) == len(SITUATIONS) * len(ACTIONS) * len(PARTIES)
    assert {a.status for a in answers} == {"permitted", "prohibited", "conditional", "no_basis"}
    # the 1999 law's name still works
    old = authority(
        "2005-01-01",
        situation="situations_in_areas_surrounding_japan",
        party=JP,
        action="rear_area_logistic_support",
    )
    assert old[0].records == ["law.1999-surrounding-areas"]
    with pytest.raises(UsageError, match="unknown situation"):
        authority("2010-01-01", situation="war")
    with pytest.raises(UsageError, match="not a date"):
        authority("2010-13-01")
    with pytest.raises(KnowledgeBaseError, match="before the law records"):
        authority("1940-01-01")
    with pytest.raises(KnowledgeBaseError, match="after the knowledge base"):
        authority(dt.date(2030, 1, 1))


def _copy_records(tmp_path: Path) -> dict[str, object]:
    text = (DATA / "instruments.yaml").read_text(encoding="utf-8")
    (tmp_path / "events.yaml").write_text(
        (DATA / "events.yaml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    content = yaml.safe_load(text)
    assert isinstance(content, dict)
    return content


def _write(tmp_path: Path, content: dict[str, object]) -> None:
    (tmp_path / "instruments.yaml").write_text(yaml.safe_dump(content), encoding="utf-8")


def test_redating_a_record_changes_answers_with_no_code_change(tmp_path: Path) -> None:
    content = _copy_records(tmp_path)
    instruments = content["instruments"]
    assert isinstance(instruments, list)
    for inst in instruments:
        if inst["id"] == "law.2015-peace-security":
            inst["in_force"] = dt.date(2015, 1, 1)
            inst["signed"] = dt.date(2014, 12, 1)
    _write(tmp_path, content)
    engine = LawEngine(load_law(tmp_path))
    a = engine.may_engage("2015-06-01", JP, "intercept_missile_aimed_elsewhere", GUAM)
    assert a.status == "conditional"
    assert a.records == ["law.2015-peace-security", "cabinet.2014-07-01"]
    assert (
        may_engage("2015-06-01", JP, "intercept_missile_aimed_elsewhere", GUAM).status == "no_basis"
    )
    changes = engine.diff("2014-12-31", "2015-01-01")
    assert any(
        c.action == "intercept_missile_aimed_elsewhere" and c.after.status == "conditional"
        for c in changes
    )


def test_adding_a_record_in_memory_grants_and_withdraws() -> None:
    base = load_law()
    extra = {
        "id": "test.rok-australia-gsomia",
        "title": "A hypothetical ROK-Australia sensor arrangement",
        "short": "Hypothetical arrangement",
        "kind": "arrangement",
        "parties": ["rok", "australia"],
        "in_force": "2020-01-01",
        "provisions": [{"ref": "Art. 1", "summary": "test"}],
        "sources": [{"ref": "law-aei-auslin-2010"}],
        "as_of": "2020-01-01",
        "rules": [
            {
                "effect": "grant",
                "parties": ["rok"],
                "actions": ["share_sensor_data_aus"],
                "situations": ["any"],
                "provision": "Art. 1",
            },
            {
                "effect": "withdraw",
                "parties": ["rok"],
                "actions": ["share_sensor_data_aus"],
                "situations": ["any"],
                "provision": "Art. 2",
                "starts": "2022-01-01",
            },
        ],
    }
    engine = LawEngine(build_law([*base.instruments, extra], base.events, base.sources))
    assert engine.sharing_in_force("2019-12-31", "rok", "australia") == []
    assert engine.sharing_in_force("2021-01-01", "rok", "australia") == [
        "test.rok-australia-gsomia"
    ]
    withdrawn = engine.may_engage("2023-01-01", "rok", "share_sensor_data_aus", "piracy")
    assert withdrawn.status == "no_basis"
    assert withdrawn.citations == ["Hypothetical arrangement, Art. 2"]
    changes = engine.diff("2019-01-01", "2021-01-01")
    assert {c.records[0] for c in changes if c.party == "rok"} == {"test.rok-australia-gsomia"}


def test_a_prohibition_beats_a_later_grant() -> None:
    base = load_law()
    statute = {
        "id": "test.statute",
        "title": "t",
        "short": "Hypothetical statute",
        "kind": "law",
        "parties": ["japan"],
        "in_force": "2012-01-01",
        "as_of": "2012-01-01",
        "provisions": [{"ref": "Art. 1", "summary": "t"}],
        "sources": [{"ref": "law-aei-auslin-2010"}],
        "rules": [
            {
                "effect": "grant",
                "parties": ["japan"],
                "actions": ["intercept_missile_aimed_elsewhere"],
                "situations": [GUAM],
                "provision": "Art. 1",
            }
        ],
    }
    engine = LawEngine(build_law([*base.instruments, statute], base.events, base.sources))
    a = engine.may_engage("2013-01-01", JP, "intercept_missile_aimed_elsewhere", GUAM)
    assert (a.status, a.citations) == ("prohibited", [CLB_1981])
    b = engine.may_engage("2015-01-01", JP, "intercept_missile_aimed_elsewhere", GUAM)
    assert (b.status, b.records) == ("conditional", ["test.statute", "cabinet.2014-07-01"])


def test_bad_records_are_rejected(tmp_path: Path) -> None:
    base = load_law()
    bad = {
        "id": "test.bad",
        "title": "t",
        "short": "t",
        "kind": "law",
        "parties": ["japan"],
        "in_force": "2012-01-01",
        "as_of": "2012-01-01",
        "provisions": [{"ref": "x", "summary": "t"}],
        "sources": [{"ref": "no-such-source"}],
    }
    with pytest.raises(KnowledgeBaseError, match="unknown source"):
        build_law([*base.instruments, bad], base.events, base.sources)
    with pytest.raises(KnowledgeBaseError, match="does not exist"):
        load_law(tmp_path / "missing")


def _app() -> typer.Typer:
    app = typer.Typer()
    app.add_typer(law_app, name="law")
    app.command("timeline")(timeline_cmd)
    return app


def test_cli_law_json_and_diff() -> None:
    runner = CliRunner()
    res = runner.invoke(_app(), ["law", "--date", "2010-06-01", "--situation", GUAM, "--json"])
    assert res.exit_code == 0, res.output
    payload = json.loads(res.output)
    assert (payload["ok"], payload["command"], payload["date"]) == (True, "law", "2010-06-01")
    cell = next(
        a
        for a in payload["answers"]
        if a["party"] == JP and a["action"] == "intercept_missile_aimed_elsewhere"
    )
    assert cell["status"] == "prohibited" and cell["citations"] == [CLB_1981]
    res = runner.invoke(_app(), ["law", "diff", "2010-01-01", "2025-12-31", "--json"])
    assert res.exit_code == 0, res.output
    changes = json.loads(res.output)["changes"]
    assert any(
        c["records"] == ["arrangement.2023-trilateral-missile-warning", "agreement.2016-gsomia-rok"]
        for c in changes
    )
    text = runner.invoke(_app(), ["law", "diff", "2010-01-01", "2025-12-31"])
    assert text.exit_code == 0 and "change(s)" in text.output


def test_cli_errors_exit_2_without_traceback() -> None:
    runner = CliRunner()
    res = runner.invoke(_app(), ["law", "--date", "2010-01-01", "--situation", "war"])
    assert res.exit_code == 2
    assert "unknown situation 'war'" in res.output and "Traceback" not in res.output
    res = runner.invoke(_app(), ["law", "--date", "nope", "--json"])
    assert res.exit_code == 2
    assert json.loads(res.output)["error"]["type"] == "UsageError"
    res = runner.invoke(_app(), ["law", "--date", "1900-01-01"])
    assert res.exit_code == 2 and "before the law records" in res.output
