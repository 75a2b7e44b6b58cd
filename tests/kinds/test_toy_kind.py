"""A third kind plugs in with one registration: headline in the CLI, report and web API."""

from __future__ import annotations

import importlib.util
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import numpy as np
import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

import anpo
from anpo.cli.main import app
from anpo.kinds import registry
from anpo.kinds.headline import stats
from anpo.web.app import create_app

TOY = """\
schema_version: 2
kind: toy
name: toy-salvo
date: 2010-01-01
shots: 3
p_low: 0.4
p_high: 0.6
"""


@pytest.fixture
def toy(tmp_path: Path) -> Iterator[tuple[ModuleType, Path]]:
    spec = importlib.util.spec_from_file_location(
        "anpo_toy_kind", Path(__file__).parent / "toy_kind.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["anpo_toy_kind"] = module  # the engine imports a model by its name
    spec.loader.exec_module(module)
    registry.register(module.KIND)
    path = tmp_path / "toy.yaml"
    path.write_text(TOY, encoding="utf-8")
    try:
        yield module, path
    finally:
        registry.unregister("toy")
        del sys.modules["anpo_toy_kind"]


def test_toy_model_matches_its_reference(toy: tuple[ModuleType, Path]) -> None:
    module, path = toy
    inputs = anpo.show(path).inputs
    a = module.simulate(inputs, np.random.default_rng(np.random.SeedSequence(5)), 4000)
    b = module.simulate_reference(inputs, np.random.default_rng(np.random.SeedSequence(5)), 4000)
    assert all(np.array_equal(a[k], b[k]) for k in a)
    # E[(1 - p)^3] for p ~ U(0.4, 0.6) = ((0.6)^4 - (0.4)^4) / (4 * 0.2) = 0.13
    survive = stats(a["survived"])
    assert survive.mean == pytest.approx(0.13, abs=4 * survive.se)


def test_toy_headline_in_cli_report_and_web(toy: tuple[ModuleType, Path], tmp_path: Path) -> None:
    _, path = toy
    db = str(tmp_path / "toy.duckdb")
    runner = CliRunner()
    res = runner.invoke(app, ["run", str(path), "-n", "3000", "--db", db, "--json"])
    assert res.exit_code == 0, res.output
    payload = json.loads(res.stdout)
    head = payload["headline"]
    assert set(head) == {"survival", "hits"}
    assert head["survival"]["unit"] == "probability"
    assert head["hits"]["mean"] == pytest.approx(3 * 0.5, abs=0.05)
    assert 0 < head["hits"]["p_none"] < 0.3

    plain = runner.invoke(app, ["run", str(path), "-n", "3000", "--db", db, "--seed", "2"])
    assert plain.exit_code == 0
    assert "Target survives: mean" in plain.stdout and "P(no hit)" in plain.stdout

    run_id = payload["run_id"]
    report = anpo.open_store(db).run(run_id)
    assert report["kind"] == "toy"
    out = runner.invoke(app, ["report", run_id, "--db", db, "--out", str(tmp_path), "--json"])
    assert out.exit_code == 0, out.output
    html = Path(json.loads(out.stdout)["report"]).read_text(encoding="utf-8")
    assert "Target survives" in html and "P(no hit)" in html and "Hits on the target" in html

    client = TestClient(create_app(db), base_url="http://127.0.0.1")
    detail = client.get(f"/api/runs/{run_id}").json()
    web = {h["key"]: h for h in detail["headline"]}
    assert web["hits"]["mean"] == pytest.approx(head["hits"]["mean"], rel=1e-12)
    assert [c["title"] for c in web["hits"]["cards"]] == ["Hits on the target", "P(no hit)"]
    kinds = {k["kind"]: k for k in client.get("/api/kinds").json()["kinds"]}
    assert kinds["toy"]["levers"][0]["path"] == "shots"
