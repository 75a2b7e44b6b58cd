"""``anpo credibility``, ``anpo then-and-now --credibility`` and the dashboard: every
default shows with its label, bad input gets a clear error (tiny trials, cheap kinds)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from anpo.cli.main import app
from anpo.report.credibility import render_credibility_report
from anpo.studies import credibility as cred

runner = CliRunner()
TODAY = dt.date(2025, 12, 31)
CHEAP = ("--weight", "miyako-barrier=1", "--weight", "east-china-sea=0.5", "--trials", "40",
         "--draws", "200")  # fmt: skip


def call(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def call_json(*args: str) -> dict[str, Any]:
    code, out, err = call(*args, "--json")
    assert code == 0, (out, err)
    payload: dict[str, Any] = json.loads(out)
    assert payload["ok"] is True
    return payload


def test_assumptions_listing_shows_every_default_with_its_label() -> None:
    params = cred.assumptions(TODAY)
    code, out, _ = call("credibility", "--assumptions")
    assert code == 0
    flat = " ".join(out.split())
    for key in params:
        assert key in flat, key
    assert "assumption" in out and "fact" in out
    payload = call_json("credibility", "--assumptions")
    listed = {a["key"]: a for a in payload["assumptions"]}
    assert set(listed) == set(params)
    assert all(a["label"] == "assumption" and a["reasoning"] for a in listed.values())


def test_credibility_json_smoke() -> None:
    payload = call_json("credibility", *CHEAP)
    assert payload["command"] == "credibility" and payload["caveat"] == cred.IF
    forms = [s["form"] for s in payload["scenarios"]]
    assert forms == ["miyako-barrier-today", "east-china-sea-today"]
    for s in payload["scenarios"]:
        assert s["trials"] == 40 and 0.0 <= s["capability"] <= 1.0
        lo, hi = s["capability_ci95"]
        assert lo <= s["capability"] <= hi
        for p in s["parties"]:
            assert p["credibility"] == s["capability"] * p["willingness"]
    assert payload["overall"]["weights"] == [1 / 1.5, 0.5 / 1.5]
    keys = {a["key"] for a in payload["assumptions"]}
    assert set(cred.assumptions(TODAY)) <= keys


def test_user_settings_are_labelled_as_such() -> None:
    payload = call_json(
        "credibility", *CHEAP, "--set", "willingness.us.resolve=0.9",
        "--close", "miyako-barrier:us",
    )  # fmt: skip
    a = {x["key"]: x for x in payload["assumptions"]}["willingness.us.resolve"]
    assert a["label"] == "set by the user" and a["low"] == a["nominal"] == a["high"] == 0.9
    barrier = payload["scenarios"][0]
    us = next(p for p in barrier["parties"] if p["party"] == "us")
    assert us["gate"]["open"] is False and us["gate"]["forced"] is True


def test_text_output_says_if_these_assumptions_hold() -> None:
    code, out, _ = call("credibility", *CHEAP)
    assert code == 0
    flat = " ".join(out.split())
    assert cred.IF in flat and "miyako-barrier" in flat and "willingness.japan.resolve" in flat


def test_bad_input_is_a_clear_error() -> None:
    for args in (
        ("--date", "2010-13-01"),
        ("--date", "1990-01-01"),
        ("--weight", "miyako-barrier"),
        ("--weight", "nowhere=1"),
        ("--set", "willingness.us.nerve=0.5"),
        ("--set", "willingness.us.resolve=1.5"),
        ("--close", "miyako-barrier:france"),
        ("--trials", "0"),
    ):
        code, out, err = call("credibility", *args, "--json")
        assert code != 0, args
        payload = json.loads(out)
        assert payload["ok"] is False and "Traceback" not in out + err, args


def test_then_and_now_credibility_smoke() -> None:
    payload = call_json("then-and-now", "east-china-sea", "--credibility", "--trials", "30")
    assert payload["credibility"] is True
    assert payload["then"]["date"] == "2010-01-01" and payload["now"]["date"] == "2025-12-31"
    (row,) = payload["attribution"]
    assert row["form"] == "east-china-sea-2010"
    shares = row["threat"] + row["forces"] + row["law"]
    assert abs(shares - row["change"]) < 1e-12
    assert row["then"] == payload["then"]["scenarios"][0]["capability"]


def test_report_shows_every_default_with_its_label(tmp_path: Path) -> None:
    result = cred.credibility(TODAY, [cred.Entry("miyako-barrier", 1.0)], trials=30, draws=200)
    items = [
        {"key": k, "title": t, "modelled": False, "note": n, "law": "x", "citations": []}
        for k, t, n in cred.NOT_MODELLED
    ]
    html = render_credibility_report(result, [], items)
    for a in result.assumptions.values():
        assert a.key in html
    assert html.count('class="badge assumption">assumption<') >= len(result.assumptions)
    assert cred.IF in html and "Marines" in html and "refuelling" in html
    assert "<script" not in html


def test_user_weights_are_labelled_in_the_report() -> None:
    entries = [cred.Entry("east-china-sea", 2.0, label="set by the user")]
    result = cred.credibility(TODAY, entries, trials=20, draws=200)
    assert result.scenarios[0].as_dict()["weight_label"] == "set by the user"
    assert 'class="badge user">set by the user<' in render_credibility_report(result)
