"""The web API through FastAPI's TestClient: every endpoint with real values, the limits,
and errors as 4xx with messages (never a 500)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from anpo.web import create_app

FIXTURES = Path(__file__).parents[1] / "fixtures"
SMALL = (FIXTURES / "small-raid.yaml").read_text(encoding="utf-8")
BROKEN = (FIXTURES / "broken.yaml").read_text(encoding="utf-8")


@pytest.fixture
def client(tmp_path: Path) -> TestClient:
    app = create_app(tmp_path / "web.duckdb", max_trials=20_000, max_concurrent_runs=2)
    return TestClient(app, base_url="http://127.0.0.1", raise_server_exceptions=False)


def _wait(client: TestClient, job_id: str) -> dict[str, Any]:
    deadline = time.monotonic() + 120
    while True:
        job: dict[str, Any] = client.get(f"/api/runs/jobs/{job_id}").json()
        if job["state"] in ("done", "failed") or time.monotonic() > deadline:
            return job
        time.sleep(0.05)


def _run(client: TestClient, trials: int = 500, seed: int = 7) -> str:
    r = client.post("/api/runs", json={"yaml": SMALL, "trials": trials, "seed": seed})
    assert r.status_code == 202, r.text
    job = _wait(client, r.json()["job"]["job_id"])
    assert job["state"] == "done", job
    assert job["fraction"] == 1.0 and job["chunks_done"] == job["chunks_total"] == 1
    return str(job["run_id"])


def test_health_kinds_and_page(client: TestClient) -> None:
    health = client.get("/api/health").json()
    assert health["limits"] == {
        "max_trials": 20_000,
        "max_concurrent_runs": 2,
        "max_yaml_bytes": 262_144,
    }
    assert health["kb_as_of"] == "2025-12-31"
    kinds = {k["kind"]: k for k in client.get("/api/kinds").json()["kinds"]}
    assert kinds["missile_defense"]["model"] == "anpo.models.missile_defense"
    assert "threat" in kinds["missile_defense"]["schema"]["properties"]
    page = client.get("/")
    assert page.status_code == 200 and "<svg" not in page.text and "app.js" in page.text
    assert "default-src 'self'" in page.headers["content-security-policy"]
    for asset in ("app.js", "app.css", "index.html"):
        assert client.get(f"/static/{asset}").status_code == 200
    js = client.get("/static/app.js").text
    assert "http://" not in js.replace("http://www.w3.org/2000/svg", "")
    assert "https://" not in js


def test_scenarios_list_and_text(client: TestClient) -> None:
    listed = {s["name"]: s for s in client.get("/api/scenarios").json()["scenarios"]}
    assert {"nk-raid-2010", "nk-raid-today"} <= set(listed)
    assert listed["nk-raid-2010"]["ok"] is True
    assert listed["nk-raid-2010"]["kind"] == "missile_defense"
    assert listed["nk-raid-2010"]["date"] == "2010-01-01"
    assert listed["nk-raid-today"]["date"] == "2025-12-31"
    text = client.get("/api/scenarios/nk-raid-2010").json()["yaml"]
    assert "name: nk-raid-2010" in text
    assert client.get("/api/scenarios/no-such-scenario").status_code == 404


@pytest.mark.parametrize(
    "name", ["../etc/passwd", "..", "/etc/passwd", "a/b.yaml", "~root", ".hidden", "x..yaml"]
)
def test_path_like_scenario_names_are_refused(client: TestClient, name: str) -> None:
    r = client.post("/api/runs", json={"scenario": name, "trials": 10})
    assert r.status_code == 422
    assert r.json()["detail"]["problems"][0]["path"] == "scenario"
    r = client.post("/api/show", json={"scenario": name})
    assert r.status_code == 422
    r = client.get(f"/api/scenarios/{name}")
    assert r.status_code in (404, 422)


def test_validate(client: TestClient) -> None:
    ok = client.post("/api/validate", json={"yaml": SMALL}).json()
    assert ok == {
        "ok": True,
        "name": "small-raid",
        "kind": "missile_defense",
        "date": "2010-06-01",
        "problems": [],
        "lines": [],
    }
    bad = client.post("/api/validate", json={"yaml": BROKEN})
    assert bad.status_code == 200
    problems = {p["path"]: p for p in bad.json()["problems"]}
    assert problems["threat.missiles[0].count"]["value"] == "-3"
    assert "greater than or equal to 1" in problems["threat.missiles[0].count"]["message"]
    assert "doctrine.upper.mode" in problems
    not_yaml = client.post("/api/validate", json={"yaml": "a: [1, 2"}).json()
    assert not_yaml["ok"] is False and not_yaml["problems"][0]["path"] == "<yaml>"
    # resolving through the knowledge base finds a name it does not know
    unknown = SMALL.replace("pac3_from: [Iruma]", "pac3_from: [Atlantis]")
    assert client.post("/api/validate", json={"yaml": unknown}).json()["ok"] is True
    resolved = client.post("/api/validate", json={"yaml": unknown, "resolve": True}).json()
    assert resolved["ok"] is False and "Atlantis" in " ".join(resolved["lines"])


def test_show_ledger_and_geometry(client: TestClient) -> None:
    small = client.post("/api/show", json={"yaml": SMALL}).json()
    assert small["scenario"] == "small-raid" and small["has_geometry"] is False
    assert client.post("/api/map/scenario", json={"yaml": SMALL}).json()["geometry"] is None
    names = {i["name"]: i for i in small["inputs"]}
    assert names["date"]["value"] == "2010-06-01"
    assert {i["kind"] for i in small["inputs"]} == {"fact", "estimate", "assumption"}
    assert all(i["source"] for i in small["inputs"])
    shipped = client.post("/api/show", json={"scenario": "nk-raid-2010"}).json()
    assert shipped["has_geometry"] is True and "geometry" not in shipped  # drawn apart
    drawn = client.post("/api/map/scenario", json={"scenario": "nk-raid-2010"}).json()
    roles = {f["properties"]["role"] for f in drawn["geometry"]["features"]}
    assert {"launch_area", "asset", "ship", "footprint", "city", "track"} <= roles
    # the ledger's links: a source's address where the knowledge base has one
    urls = [i["url"] for i in shipped["inputs"] if i["url"]]
    assert len(urls) >= 20 and all(u.startswith(("https://", "http://")) for u in urls)
    bad = client.post("/api/show", json={"yaml": BROKEN})
    assert bad.status_code == 422
    assert "threat.missiles[0].count" in [p["path"] for p in bad.json()["detail"]["problems"]]
    both = client.post("/api/show", json={"yaml": SMALL, "scenario": "nk-raid-2010"})
    assert both.status_code == 422 and "exactly one" in both.json()["detail"]["message"]


def test_run_results_and_compare(client: TestClient) -> None:
    assert client.get("/api/runs").json()["runs"] == []
    first = _run(client, 500, 7)
    second = _run(client, 500, 8)
    runs = client.get("/api/runs").json()["runs"]
    assert {r["run_id"] for r in runs} == {first, second}
    assert {r["n_trials"] for r in runs} == {500}
    detail = client.get(f"/api/runs/{first[:8]}").json()
    assert detail["run"]["run_id"] == first and detail["run"]["seed"] == 7
    assert detail["run"]["name"] == "small-raid" and detail["run"]["has_geometry"] is False
    outcomes = {o["outcome"] for o in detail["outcomes"]}
    assert {"leakers", "expended", "threat_fate"} <= outcomes
    rows = {(r["outcome"], r["idx"]): r for r in detail["summary"]}
    leakers = rows[("leakers", 0)]
    assert leakers["trials"] == 500
    assert 0.0 <= leakers["mean"] <= 8.0 and leakers["p05"] <= leakers["p95"]
    head = {h["outcome"]: h for h in detail["headline"]}
    assert head["leakers"]["ci95"] == pytest.approx(1.96 * leakers["se"])
    p = head["leakers"]["p_zero"]
    assert head["leakers"]["p_zero_se"] == pytest.approx((p * (1 - p) / 500) ** 0.5)
    assert "expended" not in head  # one entry per shooter: not a headline number
    hist = client.get(f"/api/runs/{first}/histogram", params={"outcome": "leakers"}).json()
    assert sum(hist["trials"]) == 500 and hist["binned"] is False
    assert sum(v * t for v, t in zip(hist["values"], hist["trials"], strict=True)) == (
        pytest.approx(500 * leakers["mean"])
    )
    cont = client.get(
        f"/api/runs/{first}/histogram", params={"outcome": "sensor_delay_s", "idx": 0, "bins": 20}
    ).json()
    assert cont["binned"] is True and len(cont["values"]) == 20 and sum(cont["trials"]) == 500
    missing = client.get(f"/api/runs/{first}/histogram", params={"outcome": "nothing"})
    assert missing.status_code == 404 and "leakers" in missing.json()["detail"]["message"]
    far = client.get(f"/api/runs/{first}/histogram", params={"outcome": "leakers", "idx": 5})
    assert far.status_code == 404
    params = client.get(f"/api/runs/{first}/parameters").json()["inputs"]
    assert params[0]["name"] == "date"
    mapped = client.get(f"/api/runs/{first}/map").json()
    assert mapped["geometry"] is None and mapped["impacts"] == []
    cmp = client.get("/api/compare", params={"a": first, "b": second}).json()
    assert cmp["a"]["seed"] == 7 and cmp["b"]["seed"] == 8
    lk = next(r for r in cmp["rows"] if r["outcome"] == "leakers")
    assert lk["diff"] == pytest.approx(lk["mean_b"] - lk["mean_a"])
    assert lk["se_diff"] == pytest.approx((lk["se_a"] ** 2 + lk["se_b"] ** 2) ** 0.5)
    same = client.get("/api/compare", params={"a": first, "b": first}).json()
    assert all(r["diff"] == 0 for r in same["rows"] if r["diff"] is not None)
    assert client.get("/api/runs/jobs").json()["jobs"][0]["run_id"] == second
    unknown = client.get("/api/runs/abcdef123456")
    assert unknown.status_code == 404
    assert "no run abcdef123456" in unknown.json()["detail"]["message"]


def test_geographic_run_has_a_map(client: TestClient) -> None:
    r = client.post("/api/runs", json={"scenario": "nk-raid-2010", "trials": 300, "seed": 1})
    job = _wait(client, r.json()["job"]["job_id"])
    assert job["state"] == "done", job
    mapped = client.get(f"/api/runs/{job['run_id']}/map").json()
    assert mapped["geometry"]["type"] == "FeatureCollection"
    assert mapped["n_impacts"] > 0 and len(mapped["impacts"]) == min(3000, mapped["n_impacts"])
    lon, lat = mapped["impacts"][0]
    assert 120 < lon < 150 and 20 < lat < 45


def test_a_failed_run_stores_nothing(client: TestClient, tmp_path: Path) -> None:
    unknown = SMALL.replace("pac3_from: [Iruma]", "pac3_from: [Atlantis]")
    r = client.post("/api/runs", json={"yaml": unknown, "trials": 100})
    assert r.status_code == 202
    job = _wait(client, r.json()["job"]["job_id"])
    assert job["state"] == "failed" and job["run_id"] is None
    assert job["error"]["type"] == "ScenarioError" and "Atlantis" in str(job["error"])
    assert client.get("/api/runs").json()["runs"] == []


def test_limits(client: TestClient) -> None:
    many = client.post("/api/runs", json={"yaml": SMALL, "trials": 20_001})
    assert many.status_code == 422 and "at most 20,000" in many.json()["detail"]["message"]
    zero = client.post("/api/runs", json={"yaml": SMALL, "trials": 0})
    assert zero.status_code == 422 and zero.json()["detail"]["problems"][0]["path"] == "trials"
    seed = client.post("/api/runs", json={"yaml": SMALL, "seed": -1})
    assert seed.status_code == 422
    big = SMALL + "#" * (262_144 - len(SMALL) + 10)
    too_big = client.post("/api/validate", json={"yaml": big})
    assert too_big.status_code == 413 and "262,144" in too_big.json()["detail"]["message"]
    huge = client.post("/api/validate", json={"yaml": "#" * 400_000})
    assert huge.status_code == 413 and "larger than" in huge.json()["detail"]
    chunked = client.post(
        "/api/validate",
        content=iter([b'{"yaml": "', b"#" * 300_000, b'"}']),
        headers={"content-type": "application/json"},
    )
    assert chunked.status_code == 413
    foreign = TestClient(client.app, base_url="http://evil.example")
    assert foreign.get("/api/health").status_code == 400


def test_concurrent_run_limit(tmp_path: Path) -> None:
    app = create_app(tmp_path / "busy.duckdb", max_concurrent_runs=1)
    client = TestClient(app, base_url="http://127.0.0.1")
    gate = __import__("threading").Event()
    real = app.state.jobs._run

    def slow(*args: Any, **kwargs: Any) -> Any:
        gate.wait(30)
        return real(*args, **kwargs)

    app.state.jobs._run = slow
    first = client.post("/api/runs", json={"yaml": SMALL, "trials": 50})
    assert first.status_code == 202
    second = client.post("/api/runs", json={"yaml": SMALL, "trials": 50})
    assert second.status_code == 429 and "limit" in second.json()["detail"]["message"]
    gate.set()
    assert _wait(client, first.json()["job"]["job_id"])["state"] == "done"
    assert client.post("/api/runs", json={"yaml": SMALL, "trials": 50}).status_code == 202


def test_unknown_ids(client: TestClient) -> None:
    r = client.get("/api/runs/abcdef123456")  # no store yet
    assert r.status_code == 404 and "no results store" in r.json()["detail"]["message"]
    assert client.get("/api/runs/not-hex").status_code == 422
    assert client.get("/api/runs/jobs/0001-000000000000").status_code == 404
    assert client.get("/api/runs/jobs/zzz").status_code == 422
    assert client.get("/api/compare", params={"a": "abcdef", "b": "abcdef"}).status_code == 404
    assert client.get("/api/runs/abcdef/map").status_code == 404


def test_law_and_timeline(client: TestClient) -> None:
    law = client.get("/api/law", params={"date": "2010-01-01"}).json()
    assert law["date"] == "2010-01-01"
    cell = next(
        a
        for a in law["answers"]
        if a["situation"] == "armed_attack_on_japan"
        and a["action"] == "use_force_defence_of_japan"
        and a["party"] == "japan"
    )
    assert cell["status"] == "conditional" and "law.1954-sdf" in cell["records"]
    assert len(law["answers"]) == len(law["situations"]) * len(law["actions"]) * len(law["parties"])
    today = client.get("/api/law").json()
    assert today["date"] == "2025-12-31"
    assert client.get("/api/law", params={"date": "1900-01-01"}).status_code == 422
    assert client.get("/api/law", params={"date": "2010-13-45"}).status_code == 422
    assert client.get("/api/law", params={"date": "soon"}).status_code == 422
    assert client.get("/api/law", params={"situation": "picnic"}).status_code == 422
    diff = client.get("/api/law/diff", params={"from": "2010-01-01", "to": "2016-04-01"}).json()
    assert diff["changes"] and all(c["before"] or c["after"] for c in diff["changes"])
    events = client.get("/api/timeline").json()["events"]
    ids = [e["id"] for e in events]
    assert "ev.1947-constitution" in ids
    assert [e["date"] for e in events] == sorted(e["date"] for e in events)
    later = client.get("/api/timeline", params={"start": "2014", "kind": ["law"]}).json()
    assert later["events"] and all(
        e["date"] >= "2014-01-01" and e["kind"] == "law" for e in later["events"]
    )
    backwards = client.get("/api/timeline", params={"start": "2020", "end": "2010"})
    assert backwards.status_code == 422 and "before it starts" in backwards.text
    assert client.get("/api/timeline", params={"kind": "picnic"}).status_code == 422


def test_map_outlines_and_layers(client: TestClient) -> None:
    outlines = client.get("/api/map/outlines").json()
    names = {f["properties"]["name"] for f in outlines["features"]}
    assert {"Japan", "China", "North Korea", "South Korea"} <= names
    assert outlines["bbox"] == [115.0, 10.0, 150.0, 47.0]
    layers = client.get("/api/map/layers", params={"date": "2010-01-01"}).json()
    by_role: dict[str, list[dict[str, Any]]] = {}
    for f in layers["features"]:
        by_role.setdefault(f["properties"]["role"], []).append(f)
    bases = {f["properties"]["name"] for f in by_role["base"]}
    assert "Kadena Air Base" in bases
    kadena = next(f for f in by_role["base"] if f["properties"]["name"] == "Kadena Air Base")
    assert kadena["geometry"]["coordinates"] == [127.768, 26.356]
    assert "Pyongyang Sunan area" in {f["properties"]["name"] for f in by_role["launch_area"]}
    assert len(by_role["station"]) == 5
    tokyo = next(f for f in by_role["city"] if f["properties"]["name"] == "Tokyo")
    assert tokyo["properties"]["population"] > 8_000_000
    nodong = next(m for m in layers["missiles"] if m["id"] == "dprk.nodong.2009")
    assert nodong["range_km"] == 1300
    rings = [
        f
        for f in by_role["range_ring"]
        if f["properties"]["missile"] == "dprk.nodong.2009"
        and f["properties"]["launch_area"] == "Pyongyang Sunan area"
    ]
    assert len(rings) == 1
    # the ring's points lie 1,300 km from Pyongyang (haversine, R = 6371.0088 km)
    import math

    lat0, lon0 = math.radians(39.22), math.radians(125.67)
    for lon, lat in rings[0]["geometry"]["coordinates"][0][::9]:
        la, lo = math.radians(lat), math.radians(lon)
        h = (
            math.sin((la - lat0) / 2) ** 2
            + math.cos(lat0) * math.cos(la) * math.sin((lo - lon0) / 2) ** 2
        )
        assert 2 * 6371.0088 * math.asin(math.sqrt(h)) == pytest.approx(1300, abs=0.5)
    # the Hwasong-12 entered the kb in 2018: no ring in 2010, a ring today
    assert "dprk.hwasong12.2018" not in {m["id"] for m in layers["missiles"]}
    today = client.get("/api/map/layers").json()
    assert "dprk.hwasong12.2018" in {m["id"] for m in today["missiles"]}
    assert client.get("/api/map/layers", params={"date": "1990-01-01"}).status_code == 422


# --------------------------------------------------------------------- studies


def _study(client: TestClient, path: str, body: dict[str, Any]) -> dict[str, Any]:
    r = client.post(path, json=body)
    assert r.status_code == 202, r.text
    assert r.json()["status_url"].startswith("/api/runs/jobs/")
    job = _wait(client, r.json()["job"]["job_id"])
    assert job["state"] == "done", job
    assert job["fraction"] == 1.0
    result: dict[str, Any] = job["result"]
    return result


def test_lever_compare_pairs_base_and_variant(client: TestClient) -> None:
    levers = {k["kind"]: k["levers"] for k in client.get("/api/kinds").json()["kinds"]}
    assert "australia_tracks" in {lv["name"] for lv in levers["missile_defense"]}
    # Australian tracks change only scenarios without geography: no effect here, exactly
    none = _study(
        client,
        "/api/studies/compare",
        {"scenario": "nk-raid-2010", "levers": {"australia_tracks": True}, "trials": 200},
    )
    assert none["paired"] is True and none["changes"] == {"posture.sharing.australia": True}
    assert none["headline"] == ["leakers", "expended_tier", "shooters_dry"]
    assert {r["outcome"] for r in none["rows"]} == set(none["headline"])
    for r in none["rows"]:
        assert r["diff"] == 0.0 and r["se_paired"] == 0.0 and r["ci_low"] == r["ci_high"] == 0.0
        assert r["se_independent"] > 0  # what two independent runs would claim
    # a real lever: a paired difference with its interval, never wider than independent
    salvo = _study(
        client,
        "/api/studies/compare",
        {"yaml": SMALL, "levers": {"upper_salvo": 1}, "fields": {}, "trials": 400, "seed": 3},
    )
    lk = next(r for r in salvo["rows"] if r["outcome"] == "leakers")
    assert lk["diff"] == pytest.approx(lk["mean_b"] - lk["mean_a"])
    assert lk["se_diff"] == lk["se_paired"] <= lk["se_independent"]
    assert lk["ci_low"] == pytest.approx(lk["diff"] - 1.96 * lk["se_paired"])
    assert lk["ci_high"] == pytest.approx(lk["diff"] + 1.96 * lk["se_paired"])
    # both runs are stored, and the stored comparison agrees with the study's
    stored = {r["run_id"] for r in client.get("/api/runs").json()["runs"]}
    assert {salvo["base_run"], salvo["variant_run"]} <= stored
    cmp = client.get("/api/compare", params={"a": salvo["base_run"], "b": salvo["variant_run"]})
    again = next(r for r in cmp.json()["rows"] if r["outcome"] == "leakers")
    assert cmp.json()["paired"] is True and again["diff"] == pytest.approx(lk["diff"])
    assert again["se_diff"] == pytest.approx(lk["se_paired"])


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"levers": {"nope": 1}}, "has no lever 'nope'; its levers: usn_ships"),
        ({"levers": {"upper_salvo": 9}}, "must be between 1 and 4 (got 9)"),
        ({"levers": {"us_tracks": "yes"}}, "must be true or false"),
        ({"levers": {"upper_mode": "volley"}}, "must be one of salvo, shoot-look-shoot"),
        ({}, "say what the variant changes"),
        ({"levers": {"upper_salvo": 2}, "trials": 20_001}, "at most 20,000"),
        ({"fields": {"posture.ships.usn": -3}}, "posture.ships.usn"),
    ],
)
def test_lever_compare_bad_input(client: TestClient, body: dict[str, Any], message: str) -> None:
    r = client.post("/api/studies/compare", json={"scenario": "nk-raid-2010", **body})
    assert r.status_code == 422, r.text
    assert message in str(r.json()["detail"])
    assert client.get("/api/runs/jobs").json()["jobs"] == []  # nothing started


def test_then_and_now_shares_add_up(client: TestClient) -> None:
    res = _study(client, "/api/studies/then-and-now", {"scenario": "nk-raid-2010", "trials": 100})
    assert (res["then"], res["now"]) == ("2010-01-01", "2025-12-31")
    assert res["factors"] == ["threat", "forces", "law"] and res["refused"] == {}
    assert len(res["combinations"]) == 8
    for row in res["attribution"]:
        shares = sum(row[f] for f in res["factors"])
        assert shares == pytest.approx(row["change"], abs=1e-9)
        assert row["change"] == pytest.approx(row["now"] - row["then"])
        assert all(row[f + "_ci95"] >= 0 for f in res["factors"])
    mixes = {(m["threat"], m["forces"], m["law"]): m for m in res["combinations"]}
    lk = next(r for r in res["attribution"] if r["outcome"] == "leakers")
    assert lk["then"] == mixes[(2010, 2010, 2010)]["leakers"]
    assert lk["now"] == mixes[(2025, 2025, 2025)]["leakers"]
    late = client.post(
        "/api/studies/then-and-now", json={"scenario": "nk-raid-2010", "then": "today"}
    )
    assert late.status_code == 422 and "before now" in late.json()["detail"]["message"]
    bad = client.post(
        "/api/studies/then-and-now", json={"scenario": "nk-raid-2010", "then": "2010"}
    )
    assert bad.status_code == 422 and bad.json()["detail"]["problems"][0]["path"] == "then"


def test_credibility_dashboard(client: TestClient) -> None:
    res = _study(
        client, "/api/studies/credibility", {"date": "2010-01-01", "trials": 40, "draws": 200}
    )
    assert res["date"] == "2010-01-01" and res["trials"] == 40
    assert res["caveat"] == "if these assumptions hold"
    for s in res["scenarios"]:
        if s["refused"]:
            continue
        assert s["capability"] == s["met"] / s["trials"]
        lo, hi = s["capability_ci95"]
        assert lo <= s["capability"] <= hi
        for p in s["parties"]:
            if p["refused"] is None:
                assert p["credibility"] == pytest.approx(s["capability"] * p["willingness"])
    labels = {a["key"]: a["label"] for a in res["assumptions"]}
    assert labels["willingness.japan.resolve"] == "assumption"
    assert all(i["label"] == "fact" for i in res["indicators"])
    assert client.post("/api/studies/credibility", json={"date": "1900-01-01"}).status_code == 422
    assert client.post("/api/studies/credibility", json={"trials": 5}).status_code == 422


def _cli_studies(db: Path) -> list[dict[str, Any]]:
    import json

    from typer.testing import CliRunner

    from anpo.cli.main import app

    res = CliRunner().invoke(app, ["studies", "--db", str(db), "--json"])
    assert res.exit_code == 0, res.output
    rows: list[dict[str, Any]] = json.loads(res.stdout)["studies"]
    return rows


def test_web_studies_are_recorded_as_the_cli_records_them(tmp_path: Path) -> None:
    """A web comparison and then-and-now are stored studies (``anpo studies`` lists them),
    their ids in the job's result; the same request from the CLI's function gives the same
    study id. A refused request (422) stores no study."""
    from anpo import studies
    from anpo.store import Store
    from anpo.store import studies as tables

    db = tmp_path / "web.duckdb"
    client = TestClient(
        create_app(db, max_trials=20_000), base_url="http://127.0.0.1",
        raise_server_exceptions=False,
    )  # fmt: skip
    refused = client.post(
        "/api/studies/compare", json={"yaml": SMALL, "levers": {"upper_salvo": 9}}
    )
    assert refused.status_code == 422
    assert not db.exists() or tables.list_studies(Store(db)).empty
    cmp = _study(
        client,
        "/api/studies/compare",
        {"yaml": SMALL, "levers": {"upper_salvo": 1}, "trials": 300, "seed": 5},
    )
    tn = _study(client, "/api/studies/then-and-now", {"scenario": "nk-raid-2010", "trials": 50})
    listed = {r["study_id"]: r for r in _cli_studies(db)}
    assert set(listed) == {cmp["study_id"], tn["study_id"]}
    assert listed[cmp["study_id"]]["type"] == "comparison"
    assert listed[cmp["study_id"]]["status"] == "complete"
    assert listed[cmp["study_id"]]["variants"] == 2 and listed[cmp["study_id"]]["n_trials"] == 300
    assert listed[tn["study_id"]]["type"] == "then-and-now"
    assert (
        listed[tn["study_id"]]["status"] == "complete" and listed[tn["study_id"]]["variants"] == 8
    )
    store = Store(db)
    variants = tables.study_variants(store, cmp["study_id"])
    assert variants["run_id"].tolist() == [cmp["base_run"], cmp["variant_run"]]
    assert variants["changes"].tolist() == [{}, {"doctrine.upper.salvo": 1}]
    runs = {r["run_id"] for r in client.get("/api/runs").json()["runs"]}
    assert {str(r) for r in tables.study_variants(store, tn["study_id"])["run_id"]} <= runs
    # the CLI's function, same request: the same study (already complete: nothing rewritten)
    from anpo import scenario

    label = "doctrine.upper.salvo=1"
    again = studies.compare(
        scenario.parse(SMALL, "<web>"), {label: {"doctrine.upper.salvo": 1}},
        trials=300, seed=5, store=store,
    )  # fmt: skip
    assert again.study_id == cmp["study_id"]
    assert len(tables.list_studies(store)) == 2


def test_in_memory_store_keeps_no_studies() -> None:
    client = TestClient(create_app(":memory:"), base_url="http://127.0.0.1")
    res = _study(
        client, "/api/studies/compare", {"yaml": SMALL, "levers": {"upper_salvo": 1}, "trials": 100}
    )
    assert res["study_id"] is None
    stored = {r["run_id"] for r in client.get("/api/runs").json()["runs"]}
    assert {res["base_run"], res["variant_run"]} <= stored


def test_air_superiority_run_carries_its_declared_figures(client: TestClient) -> None:
    """The page draws every figure the kind declares: for a taiwan-strait-today run the
    run's answer holds each of them, the sorties lost by day with their 5th-95th bands
    (one series per cause) and by base, every value the store's summary."""
    from anpo.kinds import registry

    r = client.post("/api/runs", json={"scenario": "taiwan-strait-today", "trials": 200, "seed": 3})
    assert r.status_code == 202, r.text
    job = _wait(client, r.json()["job"]["job_id"])
    assert job["state"] == "done", job
    res = client.get(f"/api/runs/{job['run_id']}").json()
    figs = {f["outcome"]: f for f in res["figures"]}
    declared = registry.views("air_superiority").figures
    assert [f["outcome"] for f in res["figures"]] == [v.outcome for v in declared]
    assert {f["chart"] for f in res["figures"]} == {"by_day", "entries"}
    summary = {(s["outcome"], s["label"]): s for s in res["summary"]}

    by_day = figs["sorties_lost_by_day"]
    assert by_day["chart"] == "by_day" and by_day["step"] == "day"
    assert by_day["steps"] == [f"day {d}" for d in range(1, 8)]
    assert [s["name"] for s in by_day["series"]] == ["bases closed", "tankers", "distance"]
    for line in by_day["series"]:
        for i, day in enumerate(by_day["steps"]):
            row = summary[("sorties_lost_by_day", f"{line['name']} / {day}")]
            assert line["mean"][i] == pytest.approx(row["mean"])
            assert line["p05"][i] == pytest.approx(row["p05"])
            assert line["p95"][i] == pytest.approx(row["p95"])
            assert line["p05"][i] <= line["mean"][i] <= line["p95"][i]
    closed = by_day["series"][0]
    assert any(hi > lo for lo, hi in zip(closed["p05"], closed["p95"], strict=True))
    assert sum(closed["mean"]) > 0  # the raid closes bases: sorties are lost to it

    by_base = figs["sorties_lost_by_base"]
    assert by_base["chart"] == "entries"
    means = [it["mean"] for it in by_base["items"]]
    assert means == sorted(means, reverse=True) and means[0] > 0  # largest first
    for it in by_base["items"]:
        row = summary[("sorties_lost_by_base", it["label"])]
        assert (it["mean"], it["lo"], it["hi"]) == pytest.approx(
            (row["mean"], row["p05"], row["p95"])
        )
    total = figs["sorties_lost"]
    assert {it["label"] for it in total["items"]} == {"bases closed", "tankers", "distance"}
    on_station = figs["on_station"]
    assert [s["name"] for s in on_station["series"]] == ["allied", "PLA"]


def test_page_draws_figures_by_chart_type_only(client: TestClient) -> None:
    """app.js draws each declared figure by its chart type: no kind is named in it."""
    from typing import get_args

    from anpo.kinds.base import Chart

    js = client.get("/static/app.js").text
    for kind in client.get("/api/kinds").json()["kinds"]:
        assert kind["kind"] not in js
    for chart in get_args(Chart):
        assert f'"{chart}"' in js
