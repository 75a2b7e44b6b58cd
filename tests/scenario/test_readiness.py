"""Readiness: how many BMD ships are on station depends on the warning the defence had.

Left out, every ship the scenario lists is on station (today's outputs, bit for bit).
With ``readiness.warning``, each ship is on station in a trial with the knowledge base's
share for that warning on the date, drawn per trial, each ship on its own stream keyed by
its name; a ship off station fires nothing.
"""

from __future__ import annotations

import dataclasses
import math
from importlib import resources

import numpy as np
import pytest

import anpo
from anpo.errors import ScenarioError
from anpo.models.distributions import Dist
from anpo.models.missile_defense import simulate, simulate_reference
from anpo.scenario import parse, resolve
from anpo.scenario.edit import with_values

N = 4000


def shipped(name: str) -> str:
    return resources.files("anpo.scenarios").joinpath(f"{name}.yaml").read_text()


def _rng(seed: int) -> np.random.Generator:
    return np.random.default_rng(np.random.SeedSequence(seed))


def test_readiness_left_out_changes_nothing() -> None:
    """Without readiness no ship is off station; with every ship on station for sure, the
    outcomes are bit-identical to those without readiness (its streams disturb no other)."""
    inputs = resolve(parse(shipped("nk-raid-today"))).inputs
    assert inputs.shooter_ship.size == 0 and "ship" not in inputs.labels
    plain = simulate(inputs, _rng(5), 2000)
    assert "ships_on_station" not in plain
    ready = resolve(with_values(shipped("nk-raid-today"), {"readiness.warning": "surprise"}))
    sure = dataclasses.replace(inputs, **{
        "shooter_ship": ready.inputs.shooter_ship,
        "labels": ready.inputs.labels,
        "on_station": Dist.fixed(1.0),
    })  # fmt: skip
    out = simulate(sure, _rng(5), 2000)
    assert np.all(out["ships_on_station"] == len(ready.inputs.labels["ship"]))
    for name, a in plain.items():
        assert np.array_equal(a, out[name], equal_nan=a.dtype.kind == "f"), name


def test_each_ship_with_all_its_shooters() -> None:
    """A ship's SM-3 and SM-6 shooters share its identity; land shooters have none."""
    r = resolve(with_values(shipped("nk-raid-today"), {"readiness.warning": "strategic"}))
    names, ships = r.inputs.labels["shooter"], r.inputs.labels["ship"]
    by_name = dict(zip(names, r.inputs.shooter_ship.tolist(), strict=True))
    assert by_name["USN BMD ship 1 (Yokosuka) [sm6]"] == by_name["USN BMD ship 1 (Yokosuka)"]
    assert ships[by_name["USN BMD ship 1 (Yokosuka)"]] == "USN BMD ship 1 (Yokosuka)"
    assert all(s == -1 for n, s in by_name.items() if not n.startswith(("JS ", "USN BMD")))
    assert len(ships) == 11  # six JMSDF ships and five U.S. ships


def test_surprise_raises_leakers_beyond_monte_carlo_error() -> None:
    """Paired on one seed: fewer ships on station leak more warheads, strategic warning in
    between; each difference is more than five standard errors."""
    text = shipped("nk-raid-today")
    listed = anpo.run(parse(text), trials=N, seed=7).outcomes["leakers"].astype(float)
    runs = {
        w: anpo.run(with_values(text, {"readiness.warning": w}), trials=N, seed=7).outcomes
        for w in ("strategic", "surprise")
    }
    strategic = runs["strategic"]["leakers"].astype(float)
    surprise = runs["surprise"]["leakers"].astype(float)
    for more, less in ((strategic, listed), (surprise, strategic)):
        d = more - less
        assert d.mean() > 5 * d.std(ddof=1) / math.sqrt(N)
    assert (
        runs["surprise"]["ships_on_station"].mean() < runs["strategic"]["ships_on_station"].mean()
    )
    assert runs["strategic"]["ships_on_station"].max() <= 11


def test_model_and_reference_agree_with_readiness() -> None:
    r = resolve(with_values(shipped("nk-raid-today"), {"readiness.warning": "surprise"}))
    fast = simulate(r.inputs, _rng(9), 300)
    slow = simulate_reference(r.inputs, _rng(9), 300)
    assert set(fast) == set(slow)
    for name, a in fast.items():
        assert np.array_equal(a, slow[name], equal_nan=a.dtype.kind == "f"), name


@pytest.mark.parametrize(
    ("name", "warning", "value", "low", "high"),
    [
        ("nk-raid-2010", "surprise", "0.15 (range 0-0.3)", 0.0, 0.3),
        ("nk-raid-today", "surprise", "0.3 (range 0.15-0.5)", 0.15, 0.5),
        ("nk-raid-2010", "strategic", "0.75 (range 0.5-0.9)", 0.5, 0.9),
    ],
)
def test_ledger_lists_the_readiness_by_date(name, warning, value, low, high) -> None:
    """Before the standing destruction order of August 2016 a surprise raid finds fewer
    ships on station; the ledger labels both entries as assumptions with reasoning."""
    r = resolve(with_values(shipped(name), {"readiness.warning": warning}))
    ledger = {e.name: e for e in r.ledger}
    share = ledger[f"readiness.{warning}.on_station"]
    assert (share.value, share.unit, share.kind) == (value, "share of ships", "assumption")
    assert share.note
    assert ledger["readiness.warning"].value == warning
    assert r.inputs.on_station == Dist("triangular", (low, float(value.split()[0]), high))


def test_unknown_warning_names_the_field() -> None:
    with pytest.raises(ScenarioError, match=r"readiness\.warning"):
        with_values(shipped("nk-raid-today"), {"readiness.warning": "tactical"})


def test_docs_name_every_missile_defense_field() -> None:
    """docs/scenario.md's missile-defence section names every field of the schema (in
    backticks, alone or inside a path or a mapping such as `{us, rok, australia}`)."""
    import re
    from pathlib import Path

    from anpo.scenario import missile_defense as md

    text = (Path(__file__).parents[2] / "docs" / "scenario.md").read_text(encoding="utf-8")
    section = text.split("## `kind: missile_defense`")[1].split("\n## ")[0]
    quoted = " ".join(re.findall(r"`([^`]*)`", section))
    header = {"schema_version", "kind", "name", "description", "date"}
    models = [md.MissileDefenseScenario]
    seen: set[str] = set()
    while models:
        model = models.pop()
        for name, field in model.model_fields.items():
            if name not in header:
                assert re.search(rf"\b{name}\b", quoted), f"{model.__name__}.{name}"
            for sub in getattr(field.annotation, "__args__", (field.annotation,)):
                for inner in (sub, *getattr(sub, "__args__", ())):
                    if hasattr(inner, "model_fields") and inner.__name__ not in seen:
                        seen.add(inner.__name__)
                        models.append(inner)
    assert {"Readiness", "MissileGroup", "Ships", "FireControl"} <= seen
