""" "What this run says, and what it assumes": its numbers are the run's own.

Two kinds (missile defence and air base) are run into a store and reported; the
paragraph near the top of each report must give every headline figure it names with
the mean, Monte Carlo error and 5th–95th percentile the store's queries give, the
ledger's counts of facts, estimates and assumptions, and the declared uncertain
inputs with the widest ranges, in "if these assumptions hold" wording.
"""

from __future__ import annotations

import html as htmllib
import re
from pathlib import Path

import pytest

import anpo
from anpo.kinds import registry
from anpo.kinds.headline import fmt_num, pct
from anpo.report import narrative as nar
from anpo.report.html import render_report
from anpo.report.views import headline_figures
from anpo.store import Store

pytestmark = pytest.mark.slow  # runs and reports two scenarios

HEADING = "What this run says, and what it assumes"


def _paragraph(page: str) -> str:
    start = page.index(f">{HEADING}</h2>")
    body = re.search(r'<p class="says">(.*?)</p>', page[start:], re.S)
    assert body is not None
    return htmllib.unescape(body.group(1))


@pytest.fixture(scope="module", params=["nk-raid-2010", "kadena-2010"])
def reported(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Store, str, str]:
    db = tmp_path_factory.mktemp("narrative") / "r.duckdb"
    result = anpo.run(request.param, trials=400, seed=11, store=db)
    store = Store(db)
    page, _ = render_report(store, result.run_id)
    return store, result.run_id, page


def test_paragraph_near_the_top(reported: tuple[Store, str, str]) -> None:
    page = reported[2]
    assert page.index(HEADING) < page.index(">Headline numbers</h2>")
    assert page.index(HEADING) < page.index(">Figures</h2>")


def test_numbers_are_the_headline_figures(reported: tuple[Store, str, str]) -> None:
    store, run_id, page = reported
    text = _paragraph(page)
    run = store.run(run_id)
    views = registry.views(str(run["kind"]))
    figures = headline_figures(store, run_id, views, store.summary(run_id))
    assert figures
    for f in figures[: nar.MAX_FIGURES]:
        s, unit = f.stats, f.view.unit
        assert f"{f.title}: {fmt_num(s.mean)} ± {fmt_num(1.96 * s.se)} {unit} on average" in text
        lo, hi = fmt_num(s.p05), fmt_num(s.p95)
        spread = f"{lo} {unit}" if lo == hi else f"from {lo} to {hi} {unit}"
        assert f"{spread} in the middle 90% of trials" in text
        if f.view.zero_title:
            assert f"{f.view.zero_title} {pct(s.p_zero)} ± {pct(1.96 * s.p_zero_se)}" in text
        # the same numbers the cards show
        assert (
            f"{fmt_num(s.mean)} ± {fmt_num(1.96 * s.se)} {unit}"
            in page[page.index(">Headline numbers</h2>") :]
        )
    rest = len(figures) - nar.MAX_FIGURES
    if rest > 0:
        assert f"give {rest} more figure" in text
    assert f"scenario date {run['scenario_date']}" in text
    assert f"{int(run['n_trials']):,} trials" in text


def test_ledger_counts_and_key_inputs(reported: tuple[Store, str, str]) -> None:
    store, run_id, page = reported
    text = _paragraph(page)
    params = store.parameters(run_id)
    counts = params["kind"].value_counts().to_dict()
    assert f"Its {len(params)} inputs are" in text
    for kind in ("fact", "estimate", "assumption"):
        n = int(counts.get(kind, 0))
        assert re.search(rf"\b{n} {kind}{'s' if n != 1 else ''}\b", text), kind
    kind_spec = registry.get(str(store.run(run_id)["kind"]))
    chosen = nar.key_inputs(params.to_dict("records"), kind_spec.uncertain)
    assert len(chosen) == nar.MAX_KEY_INPUTS
    for c in chosen:
        assert any(nar._pattern(u).match(c.name) for u in kind_spec.uncertain), c.name
        value = params.loc[params["name"] == c.name, "value"].iloc[0]
        assert f"{c.name} ({c.description}): {value}" in text
    widths = [c.width for c in chosen]
    assert widths == sorted(widths, reverse=True)
    assert "If these assumptions hold" in text
    assert "not as a forecast" in text


def test_missile_defence_names_its_widest_uncertain_inputs() -> None:
    """nk-raid-2010's sensor delays and decoy discrimination have the widest ranges."""
    from anpo.scenario import load_scenario, resolve

    resolved = resolve(load_scenario("nk-raid-2010"))
    ledger = [e.as_dict() for e in resolved.ledger]
    chosen = nar.key_inputs(ledger, registry.get("missile_defense").uncertain)
    assert [(c.name, c.width) for c in chosen] == [
        ("sensor_delay_s.lower", round(50 / 30, 12)),  # triangular(10, 30, 60)
        ("sensor_delay_s.upper", 1.5),  # triangular(30, 60, 120)
        ("discrimination", 1.2),  # triangular(0.2, 0.5, 0.8)
    ]


@pytest.mark.parametrize(
    ("value", "width"),
    [
        ("triangular(0.6, 0.8, 0.9)", 0.375),
        ("uniform(0.1, 0.3)", 1.0),
        ("16 (range 8-48)", 2.5),
        ("triangular(0, 1, 3)", 3.0),
        ("uniform(0, 0)", 0.0),
        ("shoot-look-shoot, 2 per salvo", None),
        ("3", None),
    ],
)
def test_relative_range(value: str, width: float | None) -> None:
    assert nar.relative_range(value) == width


def test_without_uncertain_keys_the_widest_assumptions() -> None:
    ledger = [
        {"name": "a", "value": "10 (range 9-11)", "unit": "km", "kind": "assumption"},
        {"name": "b", "value": "triangular(1, 2, 5)", "unit": "", "kind": "assumption"},
        {"name": "c", "value": "5 (range 0-50)", "unit": "", "kind": "estimate"},
        {"name": "d", "value": "anpo default", "unit": "", "kind": "fact"},
    ]
    said = nar.narrative(
        name="x", kind_title="X", date="2020-01-01", n_trials=10, figures=[], ledger=ledger
    )
    assert [c.name for c in said.inputs] == ["b", "a"]  # estimates are not assumptions
    assert "Its 4 inputs are 1 fact, 1 estimate and 2 assumptions" in said.text
    assert "The assumptions with the widest ranges" in said.text
    assert "b: triangular(1, 2, 5); and a: 10 (range 9-11) km." in said.text


def test_run_prints_what_it_assumes(small_raid: Path, tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from anpo.cli.main import app

    out = CliRunner().invoke(
        app, ["run", str(small_raid), "-n", "200", "--db", str(tmp_path / "d")]
    )
    assert out.exit_code == 0, out.stdout
    text = " ".join(out.stdout.split())
    assert "Assumes: " in text and "inputs (" in text
    assert "widest-ranging: sensor_delay_s.upper" in text
    assert "they are not a forecast." in text
